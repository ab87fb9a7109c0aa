/*
 * cmd_diff.c -- `kbgen diff`: versions and translations from files or KB
 * references, --history, --batch, output (atomic with -o) in the form
 * asked for.  The engine is diff.c, the inputs diff_input.c, the forms
 * render_diff.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util.h"
#include "article.h"
#include "db.h"
#include "cmd.h"
#include "diff.h"

const char usage_diff[] =
"usage: kbgen diff [--format text|html|json] [-o FILE] [--ignore-format]\n"
"                  [--context N] [--color auto|always|never]\n"
"                  [--mode auto|versions|translation] A [B]\n"
"       kbgen diff ARTICLE --history [--lang LOCALE] [--format ...] [-o FILE]\n"
"       kbgen diff --batch FILE [--format ...] [-o FILE]\n"
"\n"
"Compares two versions of an article section by section: sections are\n"
"aligned by anchor, normalized heading, shared error codes and text\n"
"similarity, so renamed, re-levelled, moved, added and removed sections\n"
"are reported as such; aligned sections get a word diff (per character\n"
"for Chinese, Japanese and Korean).  Changes that only touch Markdown\n"
"markup (escapes, emphasis, list numbering, heading marks) are marked as\n"
"formatting; --ignore-format hides them.  Front-matter changes are listed.\n"
"\n"
"When one side is English and the other a translation, the translation\n"
"is checked against its source: every English section is present, missing\n"
"or extra, and stale when it changed after the English version the\n"
"translation was made from (found by ms.openlocfilehash or\n"
"ms.sourcegitcommit in the KB, else by date).\n"
"\n"
"A and B are article files or KB references KEY[:LOCALE][@VERSION]\n"
"(9f6317f7@2017-10-16, 9f6317f7:zh-cn).  With one reference: a\n"
"translation against the current English version, or a version against\n"
"the one before it.  --history diffs every consecutive pair of versions\n"
"of ARTICLE in LOCALE (default en-us); --batch FILE (- for stdin) diffs\n"
"every \"OLD<TAB>NEW\" line of FILE in one process.  -o writes the output\n"
"atomically.  Colour (--color auto) only on a terminal and never with\n"
"NO_COLOR set.\n";

struct dopts {
	const char	*format;
	const char	*out;
	const char	*lang;
	const char	*color;
	const char	*batch;		/* --batch FILE */
	int		 history;
	int		 context;
	struct diff_opts o;
};

/* Writes b to path atomically (temporary file, then rename), or stdout. */
static int
output(const char *path, const struct buf *b)
{
	return write_output(path, buf_str(b), b->len);
}

/* Colour: --color always/never, else only on a terminal without NO_COLOR. */
static int
want_color(const struct dopts *d)
{
	const char *nc = getenv("NO_COLOR");

	if (strcmp(d->format, "text") != 0 || (d->out && strcmp(d->out, "-")))
		return 0;
	if (strcmp(d->color, "always") == 0)
		return 1;
	if (strcmp(d->color, "never") == 0)
		return 0;
	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}

/* Is arg a file (rather than a KB reference)? */
static int
is_file(const char *arg)
{
	struct stat sb;

	return stat(arg, &sb) == 0 && !S_ISDIR(sb.st_mode);
}

/* Loads one input: a file, or a KB reference.  Returns 0 or -1. */
static int
load(struct ctx *c, struct diff_doc *d, const char *arg, const char *lang)
{
	int64_t vid;

	if (is_file(arg))
		return diff_doc_file(d, arg);
	vid = diff_ref_resolve(ctx_db(c, 1), arg, lang, NULL);
	if (vid == 0 || diff_doc_kb(d, c->db, vid) == -1) {
		diag(DIAG_ERROR, NULL, 0, 0, "no file or article version "
		    "matches '%s'", arg);
		return -1;
	}
	return 0;
}

/* The KB, when there is one: opened for references, or when present. */
static struct db *
maybe_db(struct ctx *c)
{
	if (c->db == NULL && access(c->db_path, R_OK) == 0)
		ctx_db(c, 1);
	return c->db;
}

static int
is_en(const struct diff_doc *d)
{
	const char *l = d->a->locale ? d->a->locale : "en-us";

	return strcmp(l, "en") == 0 || strncmp(l, "en-", 3) == 0;
}

/* The version the translation tr was made from (diff_base_find); the
 * KB is opened only when the English side's own hash does not settle it. */
static const struct diff_doc *
find_base(struct ctx *c, const struct diff_doc *en, const struct diff_doc *tr,
    struct diff_doc *own, const char **basis)
{
	const struct diff_doc *b = diff_base_find(NULL, en, tr, own, basis);

	return b ? b : diff_base_find(maybe_db(c), en, tr, own, basis);
}

/*
 * Diffs old against new and appends the output in the chosen form; HTML
 * results are kept in results for one page at the end, or written as a
 * page of their own when results is NULL.
 */
static void
diff_one(struct ctx *c, const struct dopts *d, const struct diff_doc *old,
    const struct diff_doc *new, struct buf *out, struct vec *results,
    struct vec *bases)
{
	struct diff_result *r = xcalloc(1, sizeof(*r));
	struct diff_doc own, *ownp = NULL;
	const struct diff_doc *base = NULL;
	const char *basis = NULL;
	struct diff_render ro;
	int tr = d->o.translation >= 0 ? d->o.translation :
	    is_en(old) != is_en(new);

	memset(&own, 0, sizeof(own));
	if (tr) {
		const struct diff_doc *en = is_en(new) && !is_en(old) ? new : old;
		base = find_base(c, en, en == old ? new : old, &own, &basis);
		if (base == &own)
			ownp = &own;
	}
	diff_run(r, old, new, base, basis, &d->o);
	ro.color = want_color(d);
	ro.context = d->context;
	if (strcmp(d->format, "json") == 0) {
		diff_write_json(out, r);
		buf_putc(out, '\n');
	} else if (strcmp(d->format, "text") == 0)
		diff_write_text(out, r, &ro);
	else if (results == NULL)
		diff_write_html_page(out, (const struct diff_result *const *)&r, 1);
	if (strcmp(d->format, "html") == 0 && results != NULL) {
		/* Kept for one page at the end; base is then freed with it. */
		vec_push(results, r);
		if (ownp) {
			struct diff_doc *keep = xmalloc(sizeof(*keep));
			*keep = own;
			r->base = keep;
			vec_push(bases, keep);
		}
		return;
	}
	diff_result_free(r);
	free(r);
	if (ownp)
		diff_doc_free(ownp);
}

/* The versions of ref's article in its locale (or lang), pair by pair. */
static int
run_history(struct ctx *c, const struct dopts *d, const char *ref,
    struct buf *out, struct vec *results, struct vec *bases, struct vec *docs)
{
	struct diff_doc *first = xcalloc(1, sizeof(*first));
	int64_t *ids;
	size_t n, i;

	if (load(c, first, ref, d->lang) == -1) {
		free(first);
		return -1;
	}
	n = diff_history(ctx_db(c, 1), first->a->key, d->lang ? d->lang :
	    first->a->locale, &ids);
	diff_doc_free(first);
	free(first);
	if (n < 2)
		diag(DIAG_WARNING, NULL, 0, 0, "'%s' has %zu version%s in %s: "
		    "nothing to compare", ref, n, n == 1 ? "" : "s",
		    d->lang ? d->lang : "its locale");
	for (i = 0; i < n; i++) {
		struct diff_doc *doc = xcalloc(1, sizeof(*doc));
		if (diff_doc_kb(doc, c->db, ids[i]) == -1)
			die("%s: version %lld vanished", c->db_path,
			    (long long)ids[i]);
		vec_push(docs, doc);
		if (i > 1 && strcmp(d->format, "text") == 0)
			buf_putc(out, '\n');
		if (i > 0)
			diff_one(c, d, docs->v[i - 1], doc, out, results,
			    bases);
	}
	free(ids);
	return 0;
}

/* Splits a batch line "OLD<TAB>NEW"; returns NEW or NULL. */
static char *
batch_split(char *line)
{
	char *tab;

	line[strcspn(line, "\r\n")] = '\0';
	if ((tab = strchr(line, '\t')) == NULL)
		return NULL;
	*tab = '\0';
	return tab + 1;
}

/*
 * The last few inputs of a batch, by argument: version chains (A B, B C,
 * ...) read each file once.  Slots own their docs.
 */
#define NCACHE 4
struct cache {
	char		*arg[NCACHE];
	struct diff_doc	*doc[NCACHE];
	unsigned	 used[NCACHE];	/* last use, for eviction */
	unsigned	 clock;
};

/* The doc for arg, loaded unless cached (keep: a slot not to evict). */
static struct diff_doc *
cache_get(struct ctx *c, struct cache *k, const char *arg, const char *lang,
    const struct diff_doc *keep)
{
	int i, slot = -1;

	for (i = 0; i < NCACHE; i++)
		if (k->arg[i] && strcmp(k->arg[i], arg) == 0) {
			k->used[i] = ++k->clock;
			return k->doc[i];
		}
	for (i = 0; i < NCACHE; i++)
		if ((keep == NULL || k->doc[i] != keep) && (slot < 0 ||
		    k->arg[i] == NULL || (k->arg[slot] &&
		    k->used[i] < k->used[slot])))
			slot = i;
	if (k->doc[slot]) {
		diff_doc_free(k->doc[slot]);
		free(k->doc[slot]);
		free(k->arg[slot]);
		k->doc[slot] = NULL;
		k->arg[slot] = NULL;
	}
	k->doc[slot] = xcalloc(1, sizeof(struct diff_doc));
	if (load(c, k->doc[slot], arg, lang) == -1) {
		diff_doc_free(k->doc[slot]);
		free(k->doc[slot]);
		k->doc[slot] = NULL;
		return NULL;
	}
	k->arg[slot] = xstrdup(arg);
	k->used[slot] = ++k->clock;
	return k->doc[slot];
}

static void
cache_free(struct cache *k)
{
	int i;

	for (i = 0; i < NCACHE; i++)
		if (k->doc[i]) {
			diff_doc_free(k->doc[i]);
			free(k->doc[i]);
			free(k->arg[i]);
		}
}

/*
 * --batch FILE: one diff per line "OLD<TAB>NEW" (files or references;
 * blank lines and '#' comments skipped), in one process.  Output goes
 * out pair by pair (to stdout at once unless -o collects it).
 */
static int
run_batch(struct ctx *c, const struct dopts *d, struct buf *out)
{
	FILE *f = strcmp(d->batch, "-") == 0 ? stdin : fopen(d->batch, "r");
	struct diff_doc *a, *b;
	struct cache k;
	char *line = NULL, *second;
	size_t cap = 0;
	long no = 0;
	int rc = 0, n = 0;

	memset(&k, 0, sizeof(k));

	if (f == NULL) {
		diag(DIAG_ERROR, d->batch, 0, 0, "cannot read: %s",
		    strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) != -1) {
		no++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if ((second = batch_split(line)) == NULL) {
			diag(DIAG_ERROR, d->batch, no, 0, "expected OLD<TAB>NEW");
			rc = -1;
			continue;
		}
		if ((a = cache_get(c, &k, line, d->lang, NULL)) != NULL &&
		    (b = cache_get(c, &k, second, d->lang, a)) != NULL) {
			if (n++ && strcmp(d->format, "text") == 0)
				buf_putc(out, '\n');
			diff_one(c, d, a, b, out, NULL, NULL);
		} else
			rc = -1;
		if (d->out == NULL && out->len) {
			if (output(NULL, out) == -1)
				rc = -1;
			buf_reset(out);
		}
	}
	free(line);
	cache_free(&k);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* One reference alone: a translation against the current English, or a
 * version against the one before it. */
static int
single(struct ctx *c, const struct dopts *d, const char *ref,
    struct vec *docs)
{
	struct diff_doc *b = xcalloc(1, sizeof(*b)), *a;
	int64_t *ids, prev = 0, vid;
	size_t n, i;

	vec_push(docs, b);
	if (load(c, b, ref, d->lang) == -1)
		return -1;
	if (!is_en(b))
		vid = diff_ref_resolve(ctx_db(c, 1), b->a->key, "en-us", NULL);
	else {
		n = diff_history(ctx_db(c, 1), b->a->key, b->a->locale, &ids);
		for (i = 0; i < n && ids[i] != b->vid; i++)
			prev = ids[i];
		if (i == n && n)
			prev = b->vid ? 0 : ids[n - 1];
		free(ids);
		vid = prev;
	}
	a = xcalloc(1, sizeof(*a));
	vec_push(docs, a);
	if (vid == 0 || diff_doc_kb(a, c->db, vid) == -1) {
		diag(DIAG_ERROR, NULL, 0, 0, "'%s': no %s version to compare "
		    "with", ref, is_en(b) ? "earlier" : "English");
		return -1;
	}
	/* Old first: the English source, or the earlier version. */
	docs->v[0] = a;
	docs->v[1] = b;
	return 0;
}

static int
parse_opts(struct ctx *c, struct dopts *d, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "history", no_argument, NULL, 'H' },
		{ "lang", required_argument, NULL, 'l' },
		{ "ignore-format", no_argument, NULL, 'i' },
		{ "context", required_argument, NULL, 'C' },
		{ "color", required_argument, NULL, 'c' },
		{ "mode", required_argument, NULL, 'm' },
		{ "batch", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int ch;

	memset(d, 0, sizeof(*d));
	d->format = "text";
	d->color = "auto";
	d->context = 1;
	d->o.translation = -1;
	while ((ch = getopt_long(argc, argv, "f:o:l:C:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			d->format = optarg;
			break;
		case 'o':
			d->out = optarg;
			break;
		case 'H':
			d->history = 1;
			break;
		case 'b':
			d->batch = optarg;
			break;
		case 'l':
			d->lang = optarg;
			break;
		case 'i':
			d->o.ignore_format = 1;
			break;
		case 'C':
			d->context = (int)strtol(optarg, &end, 10);
			if (*end || d->context < 0 || d->context > 1000)
				return usage_error(c->usage, "bad --context '%s'",
				    optarg);
			break;
		case 'c':
			d->color = optarg;
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never"))
				return usage_error(c->usage, "bad --color '%s'",
				    optarg);
			break;
		case 'm':
			if (strcmp(optarg, "auto") == 0)
				d->o.translation = -1;
			else if (strcmp(optarg, "versions") == 0)
				d->o.translation = 0;
			else if (strcmp(optarg, "translation") == 0)
				d->o.translation = 1;
			else
				return usage_error(c->usage, "bad --mode '%s'",
				    optarg);
			break;
		default:
			return usage_error(c->usage, "%s", "bad option");
		}
	}
	if (strcmp(d->format, "text") && strcmp(d->format, "json") &&
	    strcmp(d->format, "html"))
		return usage_error(c->usage, "unknown format '%s'", d->format);
	if (d->batch ? argc != optind || d->history : d->history ?
	    argc - optind != 1 : argc - optind < 1 || argc - optind > 2)
		return usage_error(c->usage, "%s", d->batch ?
		    "--batch takes no other inputs" : d->history ?
		    "expected: ARTICLE --history" : "expected: A [B]");
	return 0;
}

int
cmd_diff(struct ctx *c, int argc, char **argv)
{
	struct dopts d;
	struct buf out = {0};
	struct vec results = {0}, bases = {0}, docs = {0};
	size_t i;
	int rc = EXIT_OK;

	if ((rc = parse_opts(c, &d, argc, argv)) != 0)
		return rc;
	if (d.batch)
		rc = run_batch(c, &d, &out);
	else if (d.history)
		rc = run_history(c, &d, argv[optind], &out, &results, &bases,
		    &docs);
	else if (argc - optind == 1)
		rc = single(c, &d, argv[optind], &docs);
	else {
		for (i = 0; i < 2; i++) {
			struct diff_doc *doc = xcalloc(1, sizeof(*doc));
			vec_push(&docs, doc);
			if (load(c, doc, argv[optind + i], NULL) == -1)
				rc = -1;
		}
	}
	if (rc == 0 && !d.history && !d.batch)
		diff_one(c, &d, docs.v[0], docs.v[1], &out, &results, &bases);
	if (rc == 0 && strcmp(d.format, "html") == 0 && !d.batch)
		diff_write_html_page(&out, (const struct diff_result *const *)
		    results.v, results.n);
	if ((rc == 0 || (d.batch && d.out)) && output(d.out, &out) == -1)
		rc = -1;
	for (i = 0; i < results.n; i++) {
		diff_result_free(results.v[i]);
		free(results.v[i]);
	}
	vec_free(&results);
	for (i = 0; i < bases.n; i++) {
		diff_doc_free(bases.v[i]);
		free(bases.v[i]);
	}
	vec_free(&bases);
	for (i = 0; i < docs.n; i++) {
		diff_doc_free(docs.v[i]);
		free(docs.v[i]);
	}
	vec_free(&docs);
	buf_free(&out);
	return rc == -1 ? EXIT_INPUT : rc;
}
