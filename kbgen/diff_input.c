/*
 * diff_input.c -- what `kbgen diff` compares: article files read as
 * compile reads them, KB versions loaded back into struct article,
 * references "KEY[:LOCALE][@VERSION]", the English version a translation
 * was made from, and an article's version history.  See diff.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util.h"
#include "article.h"
#include "db.h"
#include "compile.h"
#include "encoding.h"
#include "diff.h"

/* The ISO date of a front-matter key ("ms.lasthandoff"), or NULL. */
static char *
fm_date(const char *json, const char *key)
{
	struct vec keys = {0}, vals = {0};
	char *v, *iso = NULL;
	size_t i;

	diff_json_members(json ? json : "{}", &keys, &vals);
	for (i = 0; i < keys.n; i++) {
		if (iso == NULL && strcmp(keys.v[i], key) == 0) {
			v = diff_json_text(vals.v[i]);
			iso = date_iso(v);
			free(v);
		}
		free(keys.v[i]);
		free(vals.v[i]);
	}
	vec_free(&keys);
	vec_free(&vals);
	return iso;
}

/* Is the text nothing but white space? */
static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!kb_isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* An article without sections, for an empty file. */
static struct article *
empty_article(const char *path, const struct buf *raw)
{
	struct article *a = article_new(path, FORMAT_MARKDOWN);

	sha1_hex(buf_str(raw), raw->len, a->sha1);
	memcpy(a->sha1_lf, a->sha1, sizeof(a->sha1));
	memcpy(a->sha1_crlf, a->sha1, sizeof(a->sha1));
	a->key = xstrdup("");
	a->locale = xstrdup("en-us");
	a->title = xstrdup("");
	a->version = xstrdup("empty");
	a->frontmatter = xstrdup("{}");
	a->bytes = raw->len;
	return a;
}

int
diff_doc_file(struct diff_doc *d, const char *path)
{
	struct buf raw = {0}, text = {0};

	memset(d, 0, sizeof(*d));
	if (file_read(path, &raw) == -1) {
		diag(DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (text_decode(path, (const unsigned char *)buf_str(&raw), raw.len,
	    &text, NULL) == -1) {
		buf_free(&raw);
		return -1;
	}
	if (blank(buf_str(&text), text.len))
		d->a = empty_article(path, &raw);
	else
		d->a = article_load(path);
	buf_free(&raw);
	if (d->a == NULL) {
		buf_free(&text);
		return -1;
	}
	d->len = text.len;
	d->text = buf_detach(&text);
	d->name = xstrdup(path);
	d->handoff = fm_date(d->a->frontmatter, "ms.lasthandoff");
	return 0;
}

/* The version's metadata into a new article. */
static struct article *
kb_article(struct db *db, int64_t vid, char **path)
{
	sqlite3_stmt *st = db_stmt(db, ST_DIFF_VERSION);
	struct article *a;

	db_bind_int(st, 1, vid);
	if (db_step(db, st) != SQLITE_ROW)
		return NULL;
	a = article_new(db_col_text(st, 7), strcmp(db_col_text(st, 8),
	    "text") == 0 ? FORMAT_TEXT : FORMAT_MARKDOWN);
	a->key = xstrdup(db_col_text(st, 0));
	a->locale = xstrdup(db_col_text(st, 1));
	a->version = xstrdup(db_col_text(st, 2));
	if (sqlite3_column_type(st, 3) != SQLITE_NULL)
		a->date = xstrdup(db_col_text(st, 3));
	if (sqlite3_column_type(st, 4) != SQLITE_NULL)
		a->commit = xstrdup(db_col_text(st, 4));
	a->title = xstrdup(db_col_text(st, 5));
	*path = xstrdup(db_col_text(st, 6));
	snprintf(a->sha1, sizeof(a->sha1), "%s", db_col_text(st, 9));
	snprintf(a->sha1_lf, sizeof(a->sha1_lf), "%s", db_col_text(st, 10));
	snprintf(a->sha1_crlf, sizeof(a->sha1_crlf), "%s", db_col_text(st, 11));
	a->mt = sqlite3_column_int(st, 12);
	a->frontmatter = xstrdup(db_col_text(st, 13));
	if (sqlite3_column_type(st, 14) != SQLITE_NULL)
		a->source_hash = xstrdup(db_col_text(st, 14));
	if (sqlite3_column_type(st, 15) != SQLITE_NULL)
		a->source_commit = xstrdup(db_col_text(st, 15));
	a->bytes = (size_t)sqlite3_column_int64(st, 16);
	return a;
}

/* The version's sections and their code mentions. */
static void
kb_sections(struct db *db, int64_t vid, struct article *a)
{
	sqlite3_stmt *st = db_stmt(db, ST_SECTIONS_OF), *m;
	struct section *s;
	int kind;

	db_bind_int(st, 1, vid);
	while (db_step(db, st) == SQLITE_ROW) {
		s = article_add_section(a, sqlite3_column_int(st, 2),
		    sqlite3_column_int(st, 5), db_col_text(st, 4),
		    db_col_text(st, 3));
		buf_puts(&s->html, db_col_text(st, 6));
		buf_puts(&s->text, db_col_text(st, 7));
		m = db_stmt(db, ST_MENTIONS_OF);
		db_bind_int(m, 1, sqlite3_column_int64(st, 0));
		while (db_step(db, m) == SQLITE_ROW)
			if ((kind = mention_kind_parse(db_col_text(m, 0))) >= 0)
				section_add_mention(s, (enum mention_kind)kind,
				    db_col_text(m, 1), db_col_text(m, 2));
	}
}

/* The compiled file's text, when it is still there unchanged. */
static char *
kb_source(const char *path, const char *sha1, size_t *len)
{
	struct buf raw = {0}, text = {0};
	char got[41];

	if (*path == '\0' || file_read(path, &raw) == -1)
		return NULL;
	sha1_hex(buf_str(&raw), raw.len, got);
	if (strcmp(got, sha1) != 0 || text_decode(path,
	    (const unsigned char *)buf_str(&raw), raw.len, &text, NULL) == -1) {
		buf_free(&raw);
		buf_free(&text);
		return NULL;
	}
	buf_free(&raw);
	*len = text.len;
	return buf_detach(&text);
}

int
diff_doc_kb(struct diff_doc *d, struct db *db, int64_t vid)
{
	char *path = NULL;

	memset(d, 0, sizeof(*d));
	if ((d->a = kb_article(db, vid, &path)) == NULL)
		return -1;
	kb_sections(db, vid, d->a);
	d->vid = vid;
	d->text = kb_source(path, d->a->sha1, &d->len);
	d->name = xasprintf("%s:%s@%s", d->a->key, d->a->locale,
	    d->a->version);
	d->handoff = fm_date(d->a->frontmatter, "ms.lasthandoff");
	diff_doc_shc(d);
	free(path);
	return 0;
}

/*
 * version_resolve() (dump.c) by the same statement: calling it would link
 * the whole command layer into every user of the engine (the unit tests,
 * the site), as dump.c holds `kbgen dump` too.
 */
static int64_t
resolve(struct db *db, const char *ref, const char *lang, const char *version)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSION_FIND);
	char real[PATH_MAX];

	if (realpath(ref, real) != NULL)
		ref = real;
	db_bind_text(st, 1, ref);
	db_bind_text(st, 2, lang);
	db_bind_text(st, 3, version);
	if (db_step(db, st) != SQLITE_ROW)
		return 0;
	return sqlite3_column_int64(st, 0);
}

int64_t
diff_ref_resolve(struct db *db, const char *ref, const char *lang,
    const char *version)
{
	size_t k = strcspn(ref, ":@");
	char *key = xstrndup(ref, k), *loc = NULL;
	const char *ver = version;
	int64_t vid;

	if (ref[k] == ':') {
		size_t l = strcspn(ref + k + 1, "@");
		loc = xstrndup(ref + k + 1, l);
		k += 1 + l;
	}
	if (ref[k] == '@' && ref[k + 1])
		ver = ref + k + 1;
	if (loc)
		for (char *p = loc; *p; p++)
			*p = (char)kb_tolower((unsigned char)*p);
	vid = *key ? resolve(db, key, loc ? loc : lang, ver) : 0;
	free(key);
	free(loc);
	return vid;
}

/* One version row for ordering. */
struct vrow {
	int64_t	 id;
	char	*label;
	char	*date;		/* NULL when undated */
	char	*handoff;	/* ISO ms.lasthandoff or NULL */
	int	 agree;		/* anchors shared with a translation */
};

static int
strcmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Oldest first: undated, then by date, hand-off date and label. */
static int
vrow_cmp(const void *x, const void *y)
{
	const struct vrow *a = x, *b = y;
	int c;

	if ((c = strcmp_null(a->date, b->date)) != 0)
		return c;
	if ((c = strcmp_null(a->handoff, b->handoff)) != 0)
		return c;
	return strcmp(a->label, b->label);
}

/* The versions of key in locale into rows; returns the count. */
static size_t
vrows(struct db *db, const char *key, const char *locale, struct vrow **out)
{
	sqlite3_stmt *st = db_stmt(db, ST_DIFF_VERSIONS);
	size_t n = 0, cap = 8;
	struct vrow *r = xmalloc(cap * sizeof(*r));
	char *h;

	db_bind_text(st, 1, key);
	db_bind_text(st, 2, locale);
	while (db_step(db, st) == SQLITE_ROW) {
		if (n == cap) {
			cap *= 2;
			r = xrealloc(r, cap * sizeof(*r));
		}
		r[n].id = sqlite3_column_int64(st, 0);
		r[n].label = xstrdup(db_col_text(st, 1));
		r[n].date = sqlite3_column_type(st, 2) == SQLITE_NULL ? NULL :
		    xstrdup(db_col_text(st, 2));
		h = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL :
		    xstrdup(db_col_text(st, 3));
		r[n].handoff = date_iso(h);
		r[n].agree = 0;
		free(h);
		n++;
	}
	kb_qsort(r, n, sizeof(*r), vrow_cmp);
	*out = r;
	return n;
}

static void
vrows_free(struct vrow *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].label);
		free(r[i].date);
		free(r[i].handoff);
	}
	free(r);
}

size_t
diff_history(struct db *db, const char *key, const char *locale,
    int64_t **ids)
{
	struct vrow *r;
	size_t i, n = vrows(db, key, locale, &r);

	*ids = xmalloc((n + 1) * sizeof(**ids));
	for (i = 0; i < n; i++)
		(*ids)[i] = r[i].id;
	vrows_free(r, n);
	return n;
}

/* How many of the article's section anchors version vid also has. */
static int
anchor_agreement(struct db *db, int64_t vid, const struct article *t)
{
	sqlite3_stmt *st = db_stmt(db, ST_SECTIONS_OF);
	size_t i;
	int n = 0;

	db_bind_int(st, 1, vid);
	while (db_step(db, st) == SQLITE_ROW)
		for (i = 0; i < t->sections.n; i++) {
			const struct section *s = t->sections.v[i];
			if (s->anchor && strcmp(s->anchor, db_col_text(st, 3)) == 0) {
				n++;
				break;
			}
		}
	return n;
}

/* By date: the newest dated English version not after the translation. */
static int64_t
source_by_date(struct db *db, const struct diff_doc *d)
{
	const char *td = d->handoff ? d->handoff : d->a->date;
	struct vrow *r;
	size_t i, n;
	int64_t best = 0;
	int k = -1;

	if (td == NULL || d->a->key == NULL)
		return 0;
	n = vrows(db, d->a->key, "en-us", &r);
	for (i = 0; i < n; i++) {
		if (r[i].date == NULL || strcmp(r[i].date, td) > 0)
			continue;
		r[i].agree = anchor_agreement(db, r[i].id, d->a);
		/* Rows are oldest first: a later one wins unless it agrees
		 * less with the translation's anchors on the same date. */
		if (k < 0 || strcmp(r[i].date, r[k].date) > 0 ||
		    r[i].agree >= r[k].agree)
			k = (int)i;
	}
	if (k >= 0)
		best = r[k].id;
	vrows_free(r, n);
	return best;
}

int64_t
diff_source_find(struct db *db, const struct diff_doc *d, const char **basis)
{
	sqlite3_stmt *st;
	const struct article *t = d->a;
	int64_t vid;

	*basis = NULL;
	if (t->source_hash || t->source_commit) {
		st = db_stmt(db, ST_DIFF_SOURCE);
		db_bind_text(st, 1, t->source_hash);
		db_bind_text(st, 2, t->source_commit);
		db_bind_text(st, 3, t->key);
		if (db_step(db, st) == SQLITE_ROW) {
			*basis = sqlite3_column_int(st, 1) ? "hash" : "commit";
			return sqlite3_column_int64(st, 0);
		}
	}
	if ((vid = source_by_date(db, d)) != 0)
		*basis = "date";
	return vid;
}

const struct diff_doc *
diff_base_find(struct db *db, const struct diff_doc *en,
    const struct diff_doc *tr, struct diff_doc *own, const char **basis)
{
	const char *h = tr->a->source_hash;
	int64_t vid;

	*basis = NULL;
	if (h && (strcmp(h, en->a->sha1) == 0 || strcmp(h, en->a->sha1_lf) == 0 ||
	    strcmp(h, en->a->sha1_crlf) == 0)) {
		*basis = "hash";
		return en;
	}
	if (db == NULL || (vid = diff_source_find(db, tr, basis)) == 0)
		return NULL;
	/*
	 * A guess by date of en itself is wrong when the translation
	 * names other bytes by hash: en is not what it was made from,
	 * the English text changed since.  The site's lookup in its
	 * model (site_diff.c, base_of) drops it alike.
	 */
	if (en->vid == vid && h != NULL && strcmp(*basis, "date") == 0) {
		*basis = NULL;
		return NULL;
	}
	if (en->vid == vid)
		return en;
	if (diff_doc_kb(own, db, vid) == -1) {
		*basis = NULL;
		return NULL;
	}
	return own;
}

static int
english(const struct diff_doc *d)
{
	const char *l = d->a->locale ? d->a->locale : "en-us";

	return strcmp(l, "en") == 0 || strncmp(l, "en-", 3) == 0;
}

int
diff_kb(struct db *db, int64_t old, int64_t new, const struct diff_opts *o,
    struct diff_kb *k)
{
	const struct diff_doc *en, *base = NULL;
	const char *basis = NULL;
	int tr, alone = new == 0;

	memset(k, 0, sizeof(*k));
	if (diff_doc_kb(&k->old, db, old) == -1)
		return -1;
	if (new == 0 && (english(&k->old) || (new = diff_ref_resolve(db,
	    k->old.a->key, "en-us", NULL)) == 0)) {
		diff_doc_free(&k->old);
		return -1;
	}
	if (diff_doc_kb(&k->new, db, new) == -1) {
		diff_doc_free(&k->old);
		return -1;
	}
	/* A translation alone: the English source is the old side. */
	if (alone) {
		struct diff_doc t = k->old;
		k->old = k->new;
		k->new = t;
	}
	tr = o->translation >= 0 ? o->translation :
	    english(&k->old) != english(&k->new);
	if (tr) {
		en = english(&k->new) && !english(&k->old) ? &k->new : &k->old;
		base = diff_base_find(db, en, en == &k->old ? &k->new : &k->old,
		    &k->base, &basis);
	}
	diff_run(&k->r, &k->old, &k->new, base, basis, o);
	return 0;
}

void
diff_kb_free(struct diff_kb *k)
{
	diff_result_free(&k->r);
	diff_doc_free(&k->old);
	diff_doc_free(&k->new);
	diff_doc_free(&k->base);
}
