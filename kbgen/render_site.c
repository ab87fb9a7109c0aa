/*
 * render_site.c -- `kbgen site`: the static site from the knowledge base.
 *
 * The model is loaded once (site_model.c), links are resolved and
 * checked (site_links.c), translations are diffed against their English
 * text (site_diff.c), then every page is rendered from the Mustache
 * templates (site_tmpl.c):
 *
 *	index.html			home: articles by topic, incidents, codes
 *	a/KEY.LOCALE.LABEL.html		one article version in one language
 *	d/KEY.LOCALE.LABEL.html		a translation against its English text
 *	v/KEY.LOCALE.LABEL.html		what changed from the version before
 *	c/index.html, c/KIND/VALUE.html	codes: meaning, sections, incidents
 *	l/index.html, l/NAME.html	log files and the articles naming them
 *	i/index.html, i/NAME.html	incidents: hosts, files, coverage, signals
 *	search.html, search/		offline search (site_search.c)
 *	style.css, search.js		assets
 *
 * Every URL is relative, so the site works from file:// and under any
 * sub-path.  A page is rendered only when its signature (a hash of what
 * it is made of) differs from the last run's, and written only when its
 * bytes change; the same KB always gives the same bytes.
 */
#define _GNU_SOURCE	/* dl_iterate_phdr: the program's build ID */
#include <elf.h>
#include <getopt.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "html.h"
#include "cmd.h"
#include "mustache.h"
#include "article.h"
#include "site.h"

/* Bump when the pages change in a way signatures cannot see. */
#define SITE_FORMAT "kbgen-site-1"

const char usage_site[] =
"usage: kbgen site [--db FILE] [--out DIR] [--templates DIR]\n"
"\n"
"Writes the static site for the knowledge base into DIR (default site/):\n"
"a home page (articles by topic, incidents, codes), one page per article\n"
"version and language with language and version switchers, a diff page\n"
"per translation, one page per error code and per log file, the incident\n"
"pages and an offline search (search.html).  Every link is relative: the\n"
"site works from file:// and from any folder.  Internal links are checked\n"
"(warnings name the source file and line).  Only pages whose inputs\n"
"changed are rendered, only changed bytes are written, and pages that are\n"
"no longer produced are removed.\n"
"\n"
"--templates DIR: a file in DIR replaces the built-in template or asset of\n"
"the same name (NAME.mustache, style.css, search.js); other files in DIR\n"
"are copied into the site.  Pages extend layout.mustache, which by\n"
"default only extends base.mustache: a layout.mustache of\n"
"  {{<base}}{{$footer}}...{{/footer}}{{/base}}\n"
"overrides one block (title, head, header, main, footer, scripts) for\n"
"every page.\n";

/* ---- Helpers shared by the page writers (site.h) ---- */

/*
 * keep_dot: '.' may stay.  Without it a '.' counts as unsafe, so the name
 * gets a hash: the parts of a flat page name (site_model.c's url3()) are
 * joined with '.', and only the first of them may hold one.
 */
static char *
fname(const char *s, int keep_dot)
{
	struct buf b = {0};
	const char *p;
	int changed = 0;
	char h[41];

	for (p = s; *p; p++) {
		int ok = kb_isalnum((unsigned char)*p) || *p == '-' ||
		    *p == '_' || *p == '@' || (*p == '.' && keep_dot);
		changed |= !ok;
		buf_putc(&b, ok ? *p : '_');
	}
	if (b.len == 0 || b.data[0] == '.' || b.len > 100 || changed) {
		/* Unsafe characters or length: a hash keeps names apart. */
		if (b.len > 100)
			b.len = 100;
		sha1_hex(s, strlen(s), h);
		h[8] = '\0';
		buf_printf(&b, "%s%s", b.len ? "-" : "_", h);
	}
	return buf_detach(&b);
}

char *
site_fname(const char *s)
{
	return fname(s, 1);
}

char *
site_fname_part(const char *s)
{
	return fname(s, 0);
}

const char *
site_root(int depth)
{
	static const char *const roots[] = { "", "../", "../../",
	    "../../../", "../../../../" };

	return roots[depth < 0 ? 0 : depth > 4 ? 4 : depth];
}

struct site_version *
site_english(const struct site_article *a)
{
	size_t i;

	for (i = 0; i < a->versions.n; i++) {
		struct site_version *v = a->versions.v[i];
		if (strcmp(v->locale, "en-us") == 0)
			return v;
	}
	return NULL;
}

struct mu_value *
site_page(const struct site *s, int depth, const char *lang, const char *title)
{
	struct mu_value *m = mu_map();

	(void)s;
	mu_set(m, "root", mu_str(site_root(depth)));
	mu_set(m, "lang", mu_str(lang));
	mu_set(m, "title", mu_str(title));
	return m;
}

int
site_render_page(struct site *s, const char *tmpl, struct mu_value *data,
    struct buf *out)
{
	int rc = site_tmpl_render(s->tmpl, tmpl, data, out);

	mu_free(data);
	return rc;
}

void
site_emit(struct site *s, const char *tmpl, struct mu_value *data,
    const char *path, const char *sig, const char *note)
{
	struct buf b = {0};

	s->rendered++;
	if (site_render_page(s, tmpl, data, &b) == 0)
		site_write(s, path, b.data ? b.data : "", b.len);
	else
		s->rc = -1;
	site_manifest_put(s->man, path, sig ? sig : "-", note);
	buf_free(&b);
}

/* The string a b: pages make many root-prefixed URLs. */
static struct mu_value *
str_cat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	struct mu_value *v;
	char tmp[512], *p = na + nb < sizeof(tmp) ? tmp : xmalloc(na + nb + 1);

	memcpy(p, a, na);
	memcpy(p + na, b, nb);
	v = mu_strn(p, na + nb);
	if (p != tmp)
		free(p);
	return v;
}

struct mu_value *
site_link_item(const char *root, const char *label, const char *url)
{
	struct mu_value *m = mu_map();

	mu_set(m, "label", mu_str(label));
	mu_set(m, "url", str_cat(root, url));
	return m;
}

/* ---- Article pages ---- */

/* The language switcher: the newest version in each language. */
static void
languages(struct mu_value *m, const struct site_version *v, const char *root)
{
	struct mu_value *l = mu_set(m, "languages", mu_list());
	const char *prev = NULL;
	size_t i;

	for (i = 0; i < v->art->versions.n; i++) {
		const struct site_version *o = v->art->versions.v[i];
		struct mu_value *it;
		if (prev && strcmp(prev, o->locale) == 0)
			continue;
		prev = o->locale;
		it = mu_push(l, site_link_item(root, o->locale, o->url));
		mu_set(it, "current", mu_bool(strcmp(o->locale, v->locale) == 0));
		mu_set(it, "mt", mu_bool(o->mt));
	}
	mu_set(m, "has_languages", mu_bool(mu_len(l) > 1));
}

/* The version switcher: every version in this language, newest first,
 * by label (the date, with the commit when forks share a date). */
static void
versions(struct mu_value *m, const struct site_version *v, const char *root)
{
	struct mu_value *l = mu_set(m, "versions", mu_list());
	size_t i;

	for (i = 0; i < v->art->versions.n; i++) {
		const struct site_version *o = v->art->versions.v[i];
		struct mu_value *it;
		if (strcmp(o->locale, v->locale) != 0)
			continue;
		it = mu_push(l, site_link_item(root, o->label, o->url));
		mu_set(it, "current", mu_bool(o == v));
		/* What changed since the next older version. */
		if (o->changes_url) {
			char *u = xasprintf("%s%s", root, o->changes_url);
			mu_set(it, "changes_url", mu_str(u));
			mu_set(it, "prev_label", mu_str(o->prev->label));
			free(u);
		}
	}
	mu_set(m, "has_versions", mu_bool(mu_len(l) > 1));
}

/* The translation banner's data (see article.mustache). */
static void
translation(struct mu_value *m, const struct site_version *v, const char *root)
{
	struct mu_value *t;
	const struct site_tstat *ts = &v->ts;
	int out;

	if (strcmp(v->locale, "en-us") == 0)
		return;
	t = mu_set(m, "translation", mu_map());
	mu_set(t, "source_hash", mu_str(v->source_hash));
	mu_set(t, "source_commit", mu_str(v->source_commit));
	if (v->en == NULL) {
		mu_set(t, "no_english", mu_bool(1));
		return;
	}
	mu_set(t, "english", site_link_item(root, v->en->label, v->en->url));
	if (v->diff_url)
		mu_set(t, "diff_url", site_link_item(root, "diff", v->diff_url));
	mu_set(t, "known", mu_bool(ts->known));
	mu_set(t, "stale", mu_int(ts->stale));
	mu_set(t, "missing", mu_int(ts->missing));
	mu_set(t, "extra", mu_int(ts->extra));
	mu_set(t, "total", mu_int(ts->total));
	mu_set(t, "basis", mu_str(ts->basis));
	if (ts->note)
		mu_set(t, "note", mu_str(ts->note));
	if (ts->base)
		mu_set(t, "base", mu_str(ts->base));
	else
		mu_set(t, "source_unknown", mu_bool(1));
	/* Out of date: sections changed or missing; changed, by how much
	 * unknown: it names an English text that is not the current one
	 * and not in the KB; current: made from a known English version
	 * whose sections have not changed since. */
	out = ts->stale || ts->missing;
	mu_set(t, "outdated", mu_bool(out));
	mu_set(t, "changed_unknown", mu_bool(!out && ts->known &&
	    !ts->base && v->source_hash));
	mu_set(t, "current", mu_bool(!out && ts->known && ts->base));
	mu_set(t, "unknown", mu_bool(!out && (!ts->known ||
	    (!ts->base && !v->source_hash))));
}

/* One section: heading, rewritten HTML, codes it mentions. */
static struct mu_value *
section_item(const struct site *s, const struct site_section *x,
    const char *html, const char *root)
{
	struct mu_value *m = mu_map(), *codes, *logs;
	struct buf b = {0};
	size_t i;

	mu_set(m, "anchor", mu_str(x->anchor));
	mu_set(m, "title", mu_str(x->title));
	mu_set(m, "level", mu_int(x->level));
	mu_set(m, "heading", mu_bool(x->level > 0));
	site_rewrite_html(&b, s, x, html, root);
	mu_set(m, "html", mu_strn(b.data ? b.data : "", b.len));
	buf_free(&b);
	codes = mu_set(m, "codes", mu_list());
	logs = mu_set(m, "logs", mu_list());
	for (i = 0; i < x->codes.n; i++) {
		const struct site_code *c = x->codes.v[i];
		mu_push(c->kind == MENTION_LOGFILE ? logs : codes,
		    site_link_item(root, c->value, c->url));
	}
	mu_set(m, "has_codes", mu_bool(mu_len(codes) > 0));
	mu_set(m, "has_logs", mu_bool(mu_len(logs) > 0));
	codes = mu_set(m, "incidents", mu_list());
	for (i = 0; i < x->seen.n; i++) {
		const struct site_seen *z = x->seen.v[i];
		struct mu_value *it = mu_push(codes, mu_map());
		char *u = xasprintf("%s%s", root, z->url);
		mu_set(it, "label", mu_str(z->incident));
		mu_set(it, "detail", mu_str(z->detail));
		mu_set(it, "url", mu_str(u));
		free(u);
	}
	mu_set(m, "has_incidents", mu_bool(x->seen.n > 0));
	return m;
}

/* An article page on its way: loaded, rendered, written. */
struct art_job {
	struct site_version	*v;
	struct vec		 secs;	/* struct site_section * */
	struct vec		 html;	/* char *: their HTML */
	struct buf		 out;
	int			 rc;
};

/* Sections and the table of contents of the job's version. */
static void
sections(struct site *s, struct mu_value *m, struct art_job *j,
    const char *root)
{
	struct mu_value *l = mu_set(m, "sections", mu_list());
	struct mu_value *toc = mu_set(m, "toc", mu_list());
	int h1 = 0;
	size_t i;

	for (i = 0; i < j->secs.n; i++) {
		const struct site_section *x = j->secs.v[i];
		h1 |= x->level == 1;
		mu_push(l, section_item(s, x, j->html.v[i], root));
		if (x->level == 2 || x->level == 3) {
			struct mu_value *t = mu_push(toc, mu_map());
			mu_set(t, "anchor", mu_str(x->anchor));
			mu_set(t, "title", mu_str(x->title));
			mu_set(t, "sub", mu_bool(x->level == 3));
		}
	}
	mu_set(m, "need_h1", mu_bool(!h1));
	mu_set(m, "has_toc", mu_bool(mu_len(toc) > 2));
}

static char *
topic_id(const char *topic)
{
	struct buf b = {0};

	buf_puts(&b, "topic-");
	for (; *topic; topic++)
		buf_putc(&b, kb_isalnum((unsigned char)*topic) ?
		    kb_tolower((unsigned char)*topic) : '-');
	return buf_detach(&b);
}

/* What the page of v is made of, besides its sections (sha1). */
static void
page_sig(const struct site *s, struct site_version *v)
{
	struct site_hash *h = site_hash_new();
	size_t i;

	site_hash_str(h, s->gsig);
	site_hash_str(h, v->url);
	site_hash_str(h, v->sha1);
	site_hash_str(h, v->display);
	site_hash_str(h, v->title);
	site_hash_str(h, v->art->topic);
	for (i = 0; i < v->art->versions.n; i++) {
		const struct site_version *o = v->art->versions.v[i];
		site_hash_str(h, o->url);
		site_hash_str(h, o->date);
		site_hash_int(h, o->mt);
	}
	for (i = 0; i < v->nlinks; i++) {
		site_hash_str(h, v->links[i].href);
		site_hash_int(h, v->links[i].broken);
	}
	for (i = 0; i < v->nsecs; i++) {	/* incidents that name it */
		size_t k;
		for (k = 0; k < v->secs[i]->seen.n; k++) {
			const struct site_seen *z = v->secs[i]->seen.v[k];
			site_hash_int(h, v->secs[i]->ordinal);
			site_hash_str(h, z->incident);
			site_hash_str(h, z->detail);
		}
	}
	site_hash_str(h, v->en ? v->en->url : NULL);
	site_hash_str(h, v->source_hash);
	site_hash_str(h, v->source_commit);
	site_hash_int(h, v->ts.known);
	site_hash_int(h, v->ts.stale);
	site_hash_int(h, v->ts.missing);
	site_hash_int(h, v->ts.extra);
	site_hash_int(h, v->ts.total);
	site_hash_str(h, v->ts.basis);
	site_hash_str(h, v->ts.base);
	site_hash_str(h, v->ts.note);
	site_hash_end(h, v->sig);
}

/* Worker: the page's data and its bytes. */
static void
article_work(struct site *s, void *arg)
{
	struct art_job *j = arg;
	struct site_version *v = j->v;
	const char *root = site_root(SITE_VDEPTH);
	struct mu_value *m;
	char *tid, *u;

	m = site_page(s, SITE_VDEPTH, v->locale, v->title);
	mu_set(m, "key", mu_str(v->art->key));
	mu_set(m, "locale", mu_str(v->locale));
	mu_set(m, "label", mu_str(v->label));
	if (v->date && strcmp(v->date, v->label) != 0)
		mu_set(m, "date", mu_str(v->date));
	mu_set(m, "mt", mu_bool(v->mt));
	mu_set(m, "source_path", mu_str(v->display));
	mu_set(m, "topic", mu_str(v->art->topic));
	tid = topic_id(v->art->topic);
	u = xasprintf("%sindex.html#%s", root, tid);
	mu_set(m, "topic_url", mu_str(u));
	free(u);
	free(tid);
	languages(m, v, root);
	versions(m, v, root);
	translation(m, v, root);
	sections(s, m, j, root);
	j->rc = site_render_page(s, "article", m, &j->out);
	/* Written here, on the worker: creating files is much of the
	 * cost of a fresh site, and it runs on every core this way. */
	if (j->rc == 0)
		site_write(s, v->url, j->out.data ? j->out.data : "",
		    j->out.len);
	buf_free(&j->out);
}

/* Main thread: writes the page and frees the job. */
static void
article_emit(struct site *s, void *arg)
{
	struct art_job *j = arg;
	size_t i;

	if (j->rc != 0)
		s->rc = -1;
	site_manifest_put(s->man, j->v->url, j->rc == 0 ? j->v->sig : "-", "");
	for (i = 0; i < j->html.n; i++)
		free(j->html.v[i]);
	vec_free(&j->html);
	vec_free(&j->secs);
	buf_free(&j->out);
	free(j);
}

/* Main thread: the page of v unless it is unchanged, with its HTML. */
static void
article_page(struct site *s, struct site_pipe *p, struct site_version *v)
{
	sqlite3_stmt *st;
	struct art_job *j;

	page_sig(s, v);
	if (site_manifest_fresh(s->man, s->out, v->url, v->sig, NULL)) {
		site_manifest_put(s->man, v->url, v->sig, "");
		s->kept++;
		return;
	}
	j = xcalloc(1, sizeof(*j));
	j->v = v;
	st = db_stmt(s->db, ST_SECTIONS_OF);
	db_bind_int(st, 1, v->id);
	while (db_step(s->db, st) == SQLITE_ROW) {
		struct site_section *x = site_section_by_id(s,
		    sqlite3_column_int64(st, 0));
		if (x == NULL)
			continue;
		vec_push(&j->secs, x);
		vec_push(&j->html, xstrdup(db_col_text(st, 6)));
	}
	s->rendered++;
	site_pipe_push(p, j);
}

/* ---- Home page ---- */

static int
title_cmp(const void *a, const void *b)
{
	const struct site_article *x = *(struct site_article *const *)a;
	const struct site_article *y = *(struct site_article *const *)b;
	int d = strcmp(x->topic, y->topic);

	if (d == 0)
		d = kb_strcasecmp(x->main->title, y->main->title);
	return d ? d : strcmp(x->key, y->key);
}

static struct mu_value *
article_item(const struct site_article *a)
{
	struct mu_value *m = site_link_item("", a->main->title, a->main->url);
	struct mu_value *l = mu_set(m, "languages", mu_list());
	const char *prev = NULL;
	size_t i;

	mu_set(m, "versions", mu_int((long long)a->versions.n));
	for (i = 0; i < a->versions.n; i++) {
		const struct site_version *o = a->versions.v[i];
		if (prev && strcmp(prev, o->locale) == 0)
			continue;
		prev = o->locale;
		mu_set(mu_push(l, site_link_item("", o->locale, o->url)), "mt",
		    mu_bool(o->mt));
	}
	return m;
}

static void
home_topics(struct site *s, struct mu_value *m)
{
	struct mu_value *topics = mu_set(m, "topics", mu_list()), *t = NULL;
	struct mu_value *arts = NULL;
	struct site_article **v;
	const char *prev = NULL;
	size_t i, n = s->articles.n;

	v = xcalloc(n + 1, sizeof(*v));
	memcpy(v, s->articles.v, n * sizeof(*v));
	kb_qsort(v, n, sizeof(*v), title_cmp);
	for (i = 0; i < n; i++) {
		if (prev == NULL || strcmp(prev, v[i]->topic) != 0) {
			char *id = topic_id(v[i]->topic);
			t = mu_push(topics, mu_map());
			mu_set(t, "name", mu_str(v[i]->topic));
			mu_set(t, "id", mu_str(id));
			arts = mu_set(t, "articles", mu_list());
			free(id);
			prev = v[i]->topic;
		}
		mu_push(arts, article_item(v[i]));
		mu_set(t, "count", mu_int((long long)mu_len(arts)));
	}
	free(v);
	mu_set(m, "articles", mu_int((long long)n));
	mu_set(m, "pages", mu_int((long long)s->versions.n));
}

/* Kind labels, by enum mention_kind. */
static const char *const kind_labels[] = {
	"HRESULT", "Win32 error", "Status message ID", "HTTP status",
	"Event ID", "KB article", "Log file", "Service", "Message"
};

const char *
site_kind_label(int kind)
{
	return kind >= 0 && kind < 9 ? kind_labels[kind] : "code";
}

static void
home_codes(struct site *s, struct mu_value *m)
{
	struct mu_value *kinds = mu_set(m, "code_kinds", mu_list());
	struct mu_value *k = NULL, *l = NULL;
	int prev = -1;
	size_t i;

	for (i = 0; i < s->codes.n; i++) {
		const struct site_code *c = s->codes.v[i];
		if (c->kind == MENTION_LOGFILE)
			continue;
		if (c->kind != prev) {
			k = mu_push(kinds, mu_map());
			mu_set(k, "kind", mu_str(site_kind_label(c->kind)));
			l = mu_set(k, "codes", mu_list());
			prev = c->kind;
		}
		mu_set(mu_push(l, site_link_item("", c->value, c->url)), "refs",
		    mu_int((long long)c->refs.n));
	}
}

static void
home_page(struct site *s, struct mu_value *incidents)
{
	struct mu_value *m = site_page(s, 0, "en", "Knowledge base");

	home_topics(s, m);
	home_codes(s, m);
	mu_set(m, "incidents", incidents);
	mu_set(m, "has_incidents", mu_bool(mu_len(incidents) > 0));
	site_emit(s, "home", m, "index.html", NULL, "");
}

static void
search_page(struct site *s)
{
	struct mu_value *m = site_page(s, 0, "en", "Search");
	struct mu_value *l = mu_set(m, "locales", mu_list());
	struct vec seen = {0};
	size_t i, k;

	/* The languages present, for the filter (en-us first, sorted). */
	for (i = 0; i < s->versions.n; i++) {
		const char *loc = ((struct site_version *)s->versions.v[i])->locale;
		for (k = 0; k < seen.n && strcmp(seen.v[k], loc) != 0; k++)
			;
		if (k == seen.n)
			vec_push(&seen, (void *)loc);
	}
	for (i = 0; i < seen.n; i++)
		for (k = i + 1; k < seen.n; k++)
			if (strcmp(seen.v[i], "en-us") != 0 &&
			    (strcmp(seen.v[k], "en-us") == 0 ||
			    strcmp(seen.v[k], seen.v[i]) < 0)) {
				void *t = seen.v[i];
				seen.v[i] = seen.v[k];
				seen.v[k] = t;
			}
	for (i = 0; i < seen.n; i++)
		mu_push(l, mu_str(seen.v[i]));
	vec_free(&seen);
	site_emit(s, "search", m, "search.html", NULL, "");
}

/* ---- The command ---- */

/* With $KBGEN_SITE_TIMES set, prints the time each stage took, and the
 * CPU time of the process in it (workers included): with one worker
 * per core, less than cores x wall means workers wait. */
static void
stage(const char *what)
{
	static struct timespec t0, c0;
	struct timespec t, c;

	if (getenv("KBGEN_SITE_TIMES") == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
	if (what != NULL)
		fprintf(stderr, "kbgen: site: %-10s %7.3f s  cpu %7.3f s\n",
		    what, (double)(t.tv_sec - t0.tv_sec) +
		    (double)(t.tv_nsec - t0.tv_nsec) / 1e9,
		    (double)(c.tv_sec - c0.tv_sec) +
		    (double)(c.tv_nsec - c0.tv_nsec) / 1e9);
	t0 = t;
	c0 = c;
}

/*
 * dl_iterate_phdr() callback: the GNU build ID of the program (the first
 * object listed), in hex, into arg (at least 2 * 64 + 1 bytes); stops at
 * once either way.
 */
static int
build_id_of(struct dl_phdr_info *info, size_t size, void *arg)
{
	char *out = arg;
	int i;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *p, *end;
		if (ph->p_type != PT_NOTE)
			continue;
		p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)(const void *)p;
			const unsigned char *name = p + sizeof(*n);
			const unsigned char *desc = name + ((n->n_namesz + 3) & ~3u);
			size_t k;
			if (desc + n->n_descsz > end)
				break;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    memcmp(name, "GNU", 4) == 0 && n->n_descsz > 0 &&
			    n->n_descsz <= 64) {
				for (k = 0; k < n->n_descsz; k++)
					snprintf(out + 2 * k, 3, "%02x", desc[k]);
				return 1;
			}
			p = desc + ((n->n_descsz + 3) & ~3u);
		}
	}
	return 1;
}

/* The global signature: format, templates, the kbgen binary. */
static void
global_sig(struct site *s)
{
	struct site_hash *h = site_hash_new();
	char id[2 * 64 + 1] = "";

	site_hash_str(h, SITE_FORMAT);
	site_hash_str(h, site_tmpl_sig(s->tmpl));
	/*
	 * Another kbgen may render differently: the binary is an input.
	 * The linker's build ID names its bytes; without one (a link with
	 * --build-id=none) the bytes themselves are hashed.
	 */
	dl_iterate_phdr(build_id_of, id);
	if (id[0] == '\0') {
		struct buf exe = {0};
		if (file_read("/proc/self/exe", &exe) == 0)
			sha1_hex(exe.data, exe.len, id);
		buf_free(&exe);
	}
	site_hash_str(h, id);
	site_hash_end(h, s->gsig);
}

int
site_render(struct db *db, const char *out, const char *templates)
{
	struct site s;
	struct site_pipe *pipe;
	struct mu_value *inc;
	size_t i, warned;

	memset(&s, 0, sizeof(s));
	s.out = out;
	if (site_mkdirs(out) == -1)
		return -1;
	if ((s.tmpl = site_tmpl_open(templates)) == NULL)
		return -1;
	stage(NULL);
	global_sig(&s);
	s.man = site_manifest_load(out);
	stage("start");
	site_load(&s, db);
	site_incidents_load(&s);
	stage("load");
	warned = site_links_resolve(&s);
	stage("links");
	site_diffs(&s);
	stage("diffs");
	pipe = site_pipe_new(&s, article_work, article_emit);
	for (i = 0; i < s.versions.n; i++)
		article_page(&s, pipe, s.versions.v[i]);
	site_pipe_finish(pipe);
	stage("articles");
	site_search(&s);
	stage("search");
	site_codes_pages(&s);
	stage("codes");
	inc = mu_list();
	site_incidents_pages(&s, inc);
	home_page(&s, inc);
	search_page(&s);
	site_tmpl_assets(s.tmpl, &s);
	stage("other");
	site_manifest_finish(s.man, &s);
	stage("finish");
	if (!diag_quiet)
		fprintf(stderr, "kbgen: site: %zu article pages, %ld pages "
		    "and indexes rendered, %ld skipped as unchanged, %ld files "
		    "written; %zu link warnings\n", s.versions.n, s.rendered,
		    s.kept, s.written, warned);
	site_tmpl_free(s.tmpl);
	/* Both callers exit next: freeing the model, tens of thousands of
	 * blocks, would only delay that (a tenth of a rebuild). */
	if (KB_ASAN)
		site_free(&s);
	return s.rc;
}

int
cmd_site(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = "site", *templates = NULL;
	int ch;

	while ((ch = getopt_long(argc, argv, "o:t:", opts, NULL)) != -1) {
		if (ch == 'o')
			out = optarg;
		else if (ch == 't')
			templates = optarg;
		else
			return usage_error(c->usage, "%s", "bad option");
	}
	if (optind < argc)
		return usage_error(c->usage, "unexpected argument '%s'",
		    argv[optind]);
	return site_render(ctx_db(c, 1), out, templates) == 0 ? EXIT_OK :
	    EXIT_INPUT;
}
