/*
 * site_model.c -- loading what the site is made of from the KB, in a few
 * bulk statements: versions grouped into articles, source paths (and
 * copies) for link targets, sections without their HTML, links, and the
 * codes and log files that get pages of their own.  Section HTML and
 * text are read later, one statement per page that is rendered.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "mustache.h"
#include "article.h"
#include "site.h"

/* A source path and the version compiled from it. */
struct site_path {
	const char		*path;		/* borrowed or owned (alias) */
	char			*own;
	struct site_version	*v;
};

/*
 * Topic rules: the first field (ms.technology, ms.prod, the source path,
 * the English title, lower-cased) in which some rule has a needle decides,
 * and within a field the first rule in this order wins.
 */
static const struct topic_rule {
	const char	*topic;
	const char	*needles[6];
} topic_rules[] = {
	{ "WSUS", { "manage-wsus", "wsus", "windows server update services",
	    NULL } },
	{ "Configuration Manager software updates", { "configmgr-sum",
	    "update-management", "software update", NULL } },
	{ "Configuration Manager", { "configmgr", "configuration-manager",
	    "configuration manager", "memdocs", "sccm", NULL } },
	{ "Windows Update client", { "windows update", "windows-update",
	    "installing-updates", "windows-client", NULL } },
	{ "Security updates", { "security-update", "security update", NULL } },
	{ "Windows Server", { "windows-server", "windows server", NULL } },
};

static char *
lower(const char *s)
{
	char *p = xstrdup(s ? s : ""), *q;

	for (q = p; *q; q++)
		*q = (char)kb_tolower((unsigned char)*q);
	return p;
}

/* The topic of the first field with a hit, else "Other". */
static const char *
topic_of(const char *const fields[], size_t n)
{
	size_t f, r, k;

	for (f = 0; f < n; f++) {
		char *l = lower(fields[f]);
		for (r = 0; r < sizeof(topic_rules) / sizeof(topic_rules[0]); r++)
			for (k = 0; topic_rules[r].needles[k]; k++)
				if (strstr(l, topic_rules[r].needles[k])) {
					free(l);
					return topic_rules[r].topic;
				}
		free(l);
	}
	return "Other";
}

static char *
dup_col(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL :
	    xstrdup(db_col_text(st, i));
}

/* "04/23/2020" (or an ISO date) as "2020-04-23"; NULL for others. */
static char *
iso_date(const char *s)
{
	int y, m, d;

	if (s == NULL)
		return NULL;
	if (sscanf(s, "%d-%d-%d", &y, &m, &d) == 3 && y > 1900)
		return xasprintf("%04d-%02d-%02d", y, m, d);
	if (sscanf(s, "%d/%d/%d", &m, &d, &y) == 3 && y > 1900)
		return xasprintf("%04d-%02d-%02d", y, m, d);
	return NULL;
}

/*
 * A version page's URL below the site root, "DIR/KEY.LOCALE.LABEL.html":
 * locale and label can hold no '.', so names of different versions stay
 * apart even when a key has one.
 */
static char *
url3(const char *dir, const char *a, const char *b, const char *c)
{
	char *x = site_fname(a), *y = site_fname_part(b),
	    *z = site_fname_part(c), *u;

	u = xasprintf("%s/%s.%s.%s.html", dir, x, y, z);
	free(x);
	free(y);
	free(z);
	return u;
}

/* Versions and articles (the statement groups them by key). */
static void
load_versions(struct site *s, struct vec *tech)
{
	sqlite3_stmt *st = db_stmt(s->db, ST_SITE_VERSIONS);
	struct site_article *a = NULL;

	while (db_step(s->db, st) == SQLITE_ROW) {
		struct site_version *v = xcalloc(1, sizeof(*v));
		const char *key = db_col_text(st, 1);
		if (a == NULL || strcmp(a->key, key) != 0) {
			a = xcalloc(1, sizeof(*a));
			a->key = xstrdup(key);
			vec_push(&s->articles, a);
		}
		v->id = sqlite3_column_int64(st, 0);
		v->art = a;
		v->locale = xstrdup(db_col_text(st, 2));
		v->label = xstrdup(db_col_text(st, 3));
		v->date = dup_col(st, 4);
		v->title = xstrdup(db_col_text(st, 5));
		v->mt = sqlite3_column_int(st, 6);
		v->path = xstrdup(db_col_text(st, 7));
		v->display = xstrdup(db_col_text(st, 8));
		v->sha1 = xstrdup(db_col_text(st, 9));
		v->source_id = sqlite3_column_int64(st, 10);
		v->source_hash = dup_col(st, 11);
		v->source_commit = dup_col(st, 12);
		v->commit = dup_col(st, 15);
		v->handoff = iso_date(sqlite3_column_type(st, 16) == SQLITE_NULL ?
		    NULL : db_col_text(st, 16));
		v->url = url3("a", a->key, v->locale, v->label);
		v->order = s->versions.n;
		vec_push(&a->versions, v);
		vec_push(&s->versions, v);
		/* ms.technology, ms.prod: kept for the topic. */
		vec_push(tech, dup_col(st, 13));
		vec_push(tech, dup_col(st, 14));
	}
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(((const struct site_path *)a)->path,
	    ((const struct site_path *)b)->path);
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = (*(struct site_version *const *)a)->id;
	int64_t y = (*(struct site_version *const *)b)->id;

	return (x > y) - (x < y);
}

/* The version with id among versions sorted by id, or NULL. */
static struct site_version *
by_id(struct site_version **ids, size_t n, int64_t id)
{
	struct site_version key, *kp = &key, **r;

	key.id = id;
	r = bsearch(&kp, ids, n, sizeof(*ids), id_cmp);
	return r ? *r : NULL;
}

/* Source paths of versions and of their identical copies. */
static void
load_paths(struct site *s, struct site_version **ids)
{
	sqlite3_stmt *st = db_stmt(s->db, ST_SITE_ALIASES);
	size_t i, cap = s->versions.n + 16;

	s->paths = xcalloc(cap, sizeof(*s->paths));
	for (i = 0; i < s->versions.n; i++) {
		struct site_version *v = s->versions.v[i];
		s->paths[s->npaths].path = v->path;
		s->paths[s->npaths++].v = v;
	}
	while (db_step(s->db, st) == SQLITE_ROW) {
		struct site_version *v = by_id(ids, s->versions.n,
		    sqlite3_column_int64(st, 1));
		if (v == NULL)
			continue;
		if (s->npaths == cap) {
			cap *= 2;
			s->paths = xrealloc(s->paths, cap * sizeof(*s->paths));
		}
		s->paths[s->npaths].own = xstrdup(db_col_text(st, 0));
		s->paths[s->npaths].path = s->paths[s->npaths].own;
		s->paths[s->npaths++].v = v;
	}
	kb_qsort(s->paths, s->npaths, sizeof(*s->paths), path_cmp);
}

/*
 * Rows of the three big model tables (sections, links, mentions), as
 * fetched: the statements run apart from building the model, so two of
 * them can run on a second connection while this one reads the rest.
 */
struct mrow {
	int64_t		 n[5];
	char		*t[3];		/* owned; NULL for an SQL NULL */
};

struct mrows {
	struct mrow	*v;
	size_t		 n, cap;
};

/* How fetch() reads each column: an integer, text, or a kind name. */
enum mcol { MC_INT, MC_TEXT, MC_MENTION, MC_LINK };

static enum site_link_kind	link_kind(const char *);

static void
mrow_free(struct mrow *r)
{
	free(r->t[0]);
	free(r->t[1]);
	free(r->t[2]);
}

/*
 * Steps st to its end into r: a column of kind MC_INT goes to the next
 * n[], MC_TEXT to the next t[], a kind name to the next n[].  Returns
 * the last sqlite3_step() result (SQLITE_DONE when all went well).
 */
static int
fetch(sqlite3_stmt *st, const enum mcol *cols, int ncols, struct mrows *r)
{
	int rc, c, ni, ti;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct mrow *w;
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 4096;
			r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
		}
		w = &r->v[r->n++];
		memset(w, 0, sizeof(*w));	/* mrow_free() frees all t[] */
		for (c = ni = ti = 0; c < ncols; c++) {
			const char *t;
			if (cols[c] == MC_INT) {
				w->n[ni++] = sqlite3_column_int64(st, c);
				continue;
			}
			t = (const char *)sqlite3_column_text(st, c);
			if (cols[c] == MC_TEXT)
				w->t[ti++] = t ? xstrdup(t) : NULL;
			else if (cols[c] == MC_MENTION)
				w->n[ni++] = mention_kind_parse(t ? t : "");
			else
				w->n[ni++] = link_kind(t ? t : "");
		}
	}
	sqlite3_reset(st);
	return rc;
}

static const enum mcol sec_cols[] = {	/* ST_SITE_SECTIONS */
	MC_INT, MC_INT, MC_INT, MC_INT, MC_TEXT, MC_TEXT, MC_INT
};
static const enum mcol link_cols[] = {	/* ST_SITE_LINKS */
	MC_INT, MC_INT, MC_INT, MC_LINK, MC_TEXT, MC_TEXT, MC_TEXT
};
static const enum mcol mention_cols[] = {	/* ST_SITE_MENTIONS */
	MC_INT, MC_MENTION, MC_TEXT
};
#define NCOLS(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* Sections and mentions on a connection of their own. */
struct fetcher {
	sqlite3		*h;
	const char	*sql[2];
	struct mrows	 secs, mentions;
	int		 ok;
	pthread_t	 tid;
};

static void *
fetcher_run(void *arg)
{
	struct fetcher *f = arg;
	sqlite3_stmt *st[2] = { NULL, NULL };

	f->ok = sqlite3_prepare_v2(f->h, f->sql[0], -1, &st[0], NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(f->h, f->sql[1], -1, &st[1],
	    NULL) == SQLITE_OK &&
	    fetch(st[0], sec_cols, NCOLS(sec_cols), &f->secs) == SQLITE_DONE &&
	    fetch(st[1], mention_cols, NCOLS(mention_cols), &f->mentions) ==
	    SQLITE_DONE;
	sqlite3_finalize(st[0]);
	sqlite3_finalize(st[1]);
	return NULL;
}

/*
 * Starts fetching sections and mentions on a second, read-only
 * connection.  Returns 0 when that cannot be (the KB is locked for this
 * connection alone, as a fresh one is during `kbgen build`): the rows
 * are then read here, after the others.
 */
static int
fetcher_start(struct site *s, struct fetcher *f)
{
	memset(f, 0, sizeof(*f));
	f->sql[0] = sqlite3_sql(db_stmt(s->db, ST_SITE_SECTIONS));
	f->sql[1] = sqlite3_sql(db_stmt(s->db, ST_SITE_MENTIONS));
	if ((f->h = db_open_reader(s->db)) == NULL)
		return 0;
	if (pthread_create(&f->tid, NULL, fetcher_run, f) != 0) {
		sqlite3_close(f->h);
		f->h = NULL;
		return 0;
	}
	return 1;
}

/* Waits for the fetcher; rows it could not read are read here. */
static void
fetcher_finish(struct site *s, struct fetcher *f, int started)
{
	size_t i;

	if (started) {
		pthread_join(f->tid, NULL);
		sqlite3_close(f->h);
		if (f->ok)
			return;
		for (i = 0; i < f->secs.n; i++)
			mrow_free(&f->secs.v[i]);
		for (i = 0; i < f->mentions.n; i++)
			mrow_free(&f->mentions.v[i]);
		f->secs.n = f->mentions.n = 0;
	}
	if (fetch(db_stmt(s->db, ST_SITE_SECTIONS), sec_cols,
	    NCOLS(sec_cols), &f->secs) != SQLITE_DONE ||
	    fetch(db_stmt(s->db, ST_SITE_MENTIONS), mention_cols,
	    NCOLS(mention_cols), &f->mentions) != SQLITE_DONE)
		die("%s: cannot read the knowledge base: %s", s->db->path,
		    sqlite3_errmsg(s->db->h));
}

static int
sec_ord_cmp(const void *a, const void *b)
{
	const struct site_section *x = *(struct site_section *const *)a;
	const struct site_section *y = *(struct site_section *const *)b;

	return x->ordinal - y->ordinal;
}

static int
sec_anchor_cmp(const void *a, const void *b)
{
	return strcmp((*(struct site_section *const *)a)->anchor,
	    (*(struct site_section *const *)b)->anchor);
}

static int sec_id_cmp(const void *, const void *);

/* Sections by id, then each version's by ordinal and by anchor. */
static void
load_sections(struct site *s, struct site_version **ids, struct mrows *r)
{
	struct site_version *cur = NULL;
	size_t i, *fill;

	s->secs = xcalloc(r->n + 1, sizeof(*s->secs));
	for (i = 0; i < r->n; i++) {
		struct mrow *w = &r->v[i];
		struct site_section *x;
		struct site_version *v;
		/* A version's sections come together: one lookup each. */
		if (cur == NULL || cur->id != w->n[1])
			cur = by_id(ids, s->versions.n, w->n[1]);
		if ((v = cur) == NULL) {
			mrow_free(w);
			continue;
		}
		x = &s->secs[s->nsecs++];
		memset(x, 0, sizeof(*x));
		x->id = w->n[0];
		x->v = v;
		x->ordinal = (int)w->n[2];
		x->level = (int)w->n[3];
		x->line = (int)w->n[4];
		x->anchor = w->t[0] ? w->t[0] : xstrdup("");
		x->title = w->t[1] ? w->t[1] : xstrdup("");
		v->nsecs++;
	}
	/* By id, for site_section_by_id(); each version's come in order. */
	kb_qsort(s->secs, s->nsecs, sizeof(*s->secs), sec_id_cmp);
	fill = xcalloc(s->versions.n, sizeof(*fill));
	for (i = 0; i < s->versions.n; i++) {
		struct site_version *v = s->versions.v[i];
		v->secs = xcalloc(v->nsecs + 1, sizeof(*v->secs));
		v->by_anchor = xcalloc(v->nsecs + 1, sizeof(*v->by_anchor));
	}
	for (i = 0; i < s->nsecs; i++) {
		struct site_version *v = s->secs[i].v;
		v->secs[fill[v->order]] = &s->secs[i];
		v->by_anchor[fill[v->order]++] = &s->secs[i];
	}
	for (i = 0; i < s->versions.n; i++) {
		struct site_version *v = s->versions.v[i];
		kb_qsort(v->secs, v->nsecs, sizeof(*v->secs), sec_ord_cmp);
		kb_qsort(v->by_anchor, v->nsecs, sizeof(*v->by_anchor),
		    sec_anchor_cmp);
	}
	free(fill);
}

static enum site_link_kind
link_kind(const char *k)
{
	if (strcmp(k, "internal") == 0)
		return SL_INTERNAL;
	if (strcmp(k, "anchor") == 0)
		return SL_ANCHOR;
	if (strcmp(k, "site") == 0)
		return SL_SITE;
	return SL_EXTERNAL;
}

/* Page order: version, section, link. */
static int
link_cmp(const void *a, const void *b)
{
	const struct site_link *x = a, *y = b;

	if (x->sec->v->order != y->sec->v->order)
		return x->sec->v->order < y->sec->v->order ? -1 : 1;
	if (x->sec->ordinal != y->sec->ordinal)
		return x->sec->ordinal - y->sec->ordinal;
	return x->ordinal - y->ordinal;
}

/* Links, grouped per version in document order. */
static void
load_links(struct site *s, struct mrows *r)
{
	struct site_section *sec;
	size_t i, j;

	s->links = xcalloc(r->n + 1, sizeof(*s->links));
	for (i = 0; i < r->n; i++) {
		struct mrow *w = &r->v[i];
		struct site_link *l;
		if ((sec = site_section_by_id(s, w->n[0])) == NULL) {
			mrow_free(w);
			continue;
		}
		l = &s->links[s->nlinks++];
		memset(l, 0, sizeof(*l));
		l->sec = sec;
		l->section_id = w->n[0];
		l->ordinal = (int)w->n[1];
		l->line = (int)w->n[2];
		l->kind = (enum site_link_kind)w->n[3];
		l->target = w->t[0] ? w->t[0] : xstrdup("");
		l->path = w->t[1];
		l->anchor = w->t[2];
	}
	kb_qsort(s->links, s->nlinks, sizeof(*s->links), link_cmp);
	for (i = 0; i < s->nlinks; i = j) {
		struct site_version *v = s->links[i].sec->v;
		for (j = i; j < s->nlinks && s->links[j].sec->v == v; j++)
			;
		v->links = &s->links[i];
		v->nlinks = j - i;
	}
}

static int
code_cmp(const void *a, const void *b)
{
	const struct site_code *x = *(struct site_code *const *)a;
	const struct site_code *y = *(struct site_code *const *)b;

	if (x->kind != y->kind)
		return x->kind - y->kind;
	return strcmp(x->value, y->value);
}

char *
site_code_url(int kind, const char *value)
{
	char *f = site_fname(value), *u;

	if (kind == MENTION_LOGFILE)
		u = xasprintf("l/%s.html", f);
	else
		u = xasprintf("c/%s/%s.html", mention_kind_name(kind), f);
	free(f);
	return u;
}

/* The hash of a code's kind and value (FNV-1a), for loading. */
static uint32_t
code_hash(int kind, const char *value)
{
	uint32_t h = 2166136261u ^ (uint32_t)kind;

	for (h *= 16777619u; *value; value++) {
		h ^= (unsigned char)*value;
		h *= 16777619u;
	}
	return h;
}

/* Open addressing over the codes while mentions load (nslot: a power
 * of two, at most half full). */
static struct site_code **
code_slot(struct site_code **slot, size_t nslot, int kind, const char *value)
{
	size_t j;

	for (j = code_hash(kind, value) & (nslot - 1); slot[j] != NULL;
	    j = (j + 1) & (nslot - 1))
		if (slot[j]->kind == kind && strcmp(slot[j]->value, value) == 0)
			break;
	return &slot[j];
}

/* Site order: version page order, then position. */
static int
ref_cmp(const void *a, const void *b)
{
	const struct site_section *x = *(struct site_section *const *)a;
	const struct site_section *y = *(struct site_section *const *)b;

	if (x->v->order != y->v->order)
		return x->v->order < y->v->order ? -1 : 1;
	return x->ordinal - y->ordinal;
}

/*
 * Mentions: the code pages (sorted) and the codes of each section.  A
 * few hundred codes take tens of thousands of mentions: each row finds
 * its code by hash, and only the codes and each code's sections are
 * sorted.
 */
static void
load_mentions(struct site *s, struct mrows *r)
{
	size_t nslot = 1024, i, k;
	struct site_code **slot = xcalloc(nslot, sizeof(*slot)), **p, *c;

	for (k = 0; k < r->n; k++) {
		struct mrow *w = &r->v[k];
		struct site_section *x = site_section_by_id(s, w->n[0]);
		int kind = (int)w->n[1];
		const char *value = w->t[0] ? w->t[0] : "";
		if (x == NULL || kind < 0) {
			mrow_free(w);
			continue;
		}
		if ((c = *(p = code_slot(slot, nslot, kind, value))) == NULL) {
			c = *p = xcalloc(1, sizeof(*c));
			c->kind = kind;
			c->value = w->t[0] ? w->t[0] : xstrdup("");
			w->t[0] = NULL;
			vec_push(&s->codes, c);
			if (s->codes.n * 2 > nslot) {
				free(slot);
				nslot *= 2;
				slot = xcalloc(nslot, sizeof(*slot));
				for (i = 0; i < s->codes.n; i++) {
					struct site_code *o = s->codes.v[i];
					*code_slot(slot, nslot, o->kind,
					    o->value) = o;
				}
			}
		}
		mrow_free(w);
		vec_push(&c->refs, x);
	}
	free(slot);
	site_codes_sort(s);
	for (i = 0; i < s->codes.n; i++) {
		c = s->codes.v[i];
		c->url = site_code_url(c->kind, c->value);
		kb_qsort(c->refs.v, c->refs.n, sizeof(*c->refs.v), ref_cmp);
		for (k = 0; k < c->refs.n; k++)
			vec_push(&((struct site_section *)c->refs.v[k])->codes, c);
	}
}

void
site_codes_sort(struct site *s)
{
	kb_qsort(s->codes.v, s->codes.n, sizeof(*s->codes.v), code_cmp);
}

/* Main versions, English counterparts and sources, topics. */
static void
link_versions(struct site *s, struct site_version **ids, struct vec *tech)
{
	size_t i;

	for (i = 0; i < s->articles.n; i++) {
		struct site_article *a = s->articles.v[i];
		struct site_version *m = site_english(a);
		const char *f[4];
		a->main = m ? m : a->versions.v[0];
		f[0] = tech->v[2 * a->main->order];
		f[1] = tech->v[2 * a->main->order + 1];
		f[2] = a->main->display;
		f[3] = a->main->title;
		a->topic = xstrdup(topic_of(f, 4));
	}
	for (i = 0; i < s->versions.n; i++) {
		struct site_version *v = s->versions.v[i];
		v->source = v->source_id ? by_id(ids, s->versions.n,
		    v->source_id) : NULL;
		if (strcmp(v->locale, "en-us") != 0) {
			v->en = site_english(v->art);
			if (v->en != NULL)
				v->diff_url = url3("d", v->art->key, v->locale,
				    v->label);
		}
	}
	/* Within a locale the versions are newest first. */
	for (i = 0; i < s->articles.n; i++) {
		struct site_article *a = s->articles.v[i];
		size_t k;
		for (k = 0; k + 1 < a->versions.n; k++) {
			struct site_version *v = a->versions.v[k];
			struct site_version *o = a->versions.v[k + 1];
			if (strcmp(v->locale, o->locale) != 0)
				continue;
			v->prev = o;
			v->changes_url = url3("v", a->key, v->locale, v->label);
		}
	}
}

int
site_load(struct site *s, struct db *db)
{
	struct site_version **ids;
	struct vec tech = {0};
	struct fetcher f;
	struct mrows links = {0};
	size_t i;
	int started;

	s->db = db;
	started = fetcher_start(s, &f);
	load_versions(s, &tech);
	ids = xcalloc(s->versions.n + 1, sizeof(*ids));
	memcpy(ids, s->versions.v, s->versions.n * sizeof(*ids));
	kb_qsort(ids, s->versions.n, sizeof(*ids), id_cmp);
	load_paths(s, ids);
	if (fetch(db_stmt(db, ST_SITE_LINKS), link_cols, NCOLS(link_cols),
	    &links) != SQLITE_DONE)
		die("%s: cannot read the knowledge base: %s", db->path,
		    sqlite3_errmsg(db->h));
	fetcher_finish(s, &f, started);
	load_sections(s, ids, &f.secs);
	load_links(s, &links);
	load_mentions(s, &f.mentions);
	free(f.secs.v);
	free(f.mentions.v);
	free(links.v);
	link_versions(s, ids, &tech);
	for (i = 0; i < tech.n; i++)
		free(tech.v[i]);
	vec_free(&tech);
	free(ids);
	return 0;
}

struct site_code *
site_code_find(const struct site *s, int kind, const char *value)
{
	struct site_code key, *kp = &key, **r;

	key.kind = kind;
	key.value = (char *)value;
	r = s->codes.n ? bsearch(&kp, s->codes.v, s->codes.n,
	    sizeof(*s->codes.v), code_cmp) : NULL;
	return r ? *r : NULL;
}

struct site_version *
site_version_by_path(const struct site *s, const char *path)
{
	struct site_path key, *r;

	key.path = path;
	r = s->npaths ? bsearch(&key, s->paths, s->npaths, sizeof(*s->paths),
	    path_cmp) : NULL;
	return r ? r->v : NULL;
}

/*
 * The part of path after its last commit folder (7 to 40 lower-case hex
 * digits, not all digits), or NULL; *repo_len is the length of what
 * precedes the commit folder.
 */
static const char *
after_commit(const char *path, size_t *repo_len)
{
	const char *p = path, *seg, *hit = NULL;

	while ((seg = strchr(p, '/')) != NULL) {
		const char *end = strchr(seg + 1, '/'), *q;
		size_t n;
		int letters = 0, ok;
		if (end == NULL)
			break;
		n = (size_t)(end - seg - 1);
		ok = n >= 7 && n <= 40;
		for (q = seg + 1; ok && q < end; q++)
			if (*q >= 'a' && *q <= 'f')
				letters++;
			else if (!kb_isdigit((unsigned char)*q))
				ok = 0;
		if (ok && letters) {
			hit = end + 1;
			*repo_len = (size_t)(seg - path);
		}
		p = end;
	}
	return hit;
}

static int
snap_cmp(const void *a, const void *b)
{
	const struct site_path *x = a, *y = b;
	int c = strcmp(x->own, y->own);

	return c ? c : strcmp(x->path, y->path);
}

/* The rest part of every source path, sorted (own: the rest, borrowed). */
static void
snaps_make(struct site *s)
{
	size_t i, rl;
	const char *r;

	s->snaps = xcalloc(s->npaths + 1, sizeof(*s->snaps));
	for (i = 0; i < s->npaths; i++) {
		if ((r = after_commit(s->paths[i].path, &rl)) == NULL)
			continue;
		s->snaps[s->nsnaps].path = s->paths[i].path;
		s->snaps[s->nsnaps].own = (char *)r;
		s->snaps[s->nsnaps++].v = s->paths[i].v;
	}
	kb_qsort(s->snaps, s->nsnaps, sizeof(*s->snaps), snap_cmp);
}

struct site_version *
site_version_by_snapshot(struct site *s, const char *path, const char *from)
{
	struct site_version *any = NULL, *same = NULL;
	const char *rest = NULL, *fr;
	size_t rl = 0, fl = 0, lo, hi, i;
	int several = 0;

	if (s->snaps == NULL)
		snaps_make(s);
	if ((rest = after_commit(path, &rl)) == NULL || s->nsnaps == 0)
		return NULL;
	fr = after_commit(from, &fl);
	for (lo = 0, hi = s->nsnaps; lo < hi; ) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(s->snaps[mid].own, rest) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < s->nsnaps && strcmp(s->snaps[i].own, rest) == 0; i++) {
		const struct site_path *x = &s->snaps[i];
		if (fr && same == NULL && strncmp(x->path, from, fl) == 0 &&
		    x->path[fl] == '/')
			same = x->v;
		if (any != NULL && any->art != x->v->art)
			several = 1;
		if (any == NULL)
			any = x->v;
	}
	return same ? same : several ? NULL : any;
}

struct site_section *
site_anchor(const struct site_version *v, const char *anchor)
{
	struct site_section key, *kp = &key, **r;

	key.anchor = (char *)anchor;
	r = v->nsecs ? bsearch(&kp, v->by_anchor, v->nsecs,
	    sizeof(*v->by_anchor), sec_anchor_cmp) : NULL;
	return r ? *r : NULL;
}

static int
sec_id_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct site_section *)a)->id;
	int64_t y = ((const struct site_section *)b)->id;

	return (x > y) - (x < y);
}

struct site_section *
site_section_by_id(const struct site *s, int64_t id)
{
	struct site_section key;

	key.id = id;
	return s->nsecs ? bsearch(&key, s->secs, s->nsecs, sizeof(*s->secs),
	    sec_id_cmp) : NULL;
}

static void
seen_free(struct vec *seen)
{
	size_t i;

	for (i = 0; i < seen->n; i++) {
		struct site_seen *x = seen->v[i];
		free(x->incident);
		free(x->url);
		free(x->detail);
		free(x);
	}
	vec_free(seen);
}

static void
code_free(struct site_code *c)
{
	seen_free(&c->seen);
	vec_free(&c->refs);
	free(c->value);
	free(c->url);
	free(c);
}

static void
version_free(struct site_version *v)
{
	free(v->locale);
	free(v->label);
	free(v->date);
	free(v->title);
	free(v->path);
	free(v->display);
	free(v->sha1);
	free(v->source_hash);
	free(v->source_commit);
	free(v->commit);
	free(v->handoff);
	free(v->url);
	free(v->diff_url);
	free(v->changes_url);
	free(v->secs);
	free(v->by_anchor);
	for (size_t i = 0; i < v->inline_ids.n; i++)
		free(v->inline_ids.v[i]);
	vec_free(&v->inline_ids);
	free(v->ts.base);
	free(v->ts.note);
	free(v);
}

void
site_free(struct site *s)
{
	size_t i;

	for (i = 0; i < s->versions.n; i++)
		version_free(s->versions.v[i]);
	vec_free(&s->versions);
	for (i = 0; i < s->articles.n; i++) {
		struct site_article *a = s->articles.v[i];
		vec_free(&a->versions);
		free(a->key);
		free(a->topic);
		free(a);
	}
	vec_free(&s->articles);
	for (i = 0; i < s->nsecs; i++) {
		free(s->secs[i].anchor);
		free(s->secs[i].title);
		vec_free(&s->secs[i].codes);
		seen_free(&s->secs[i].seen);
	}
	free(s->secs);
	for (i = 0; i < s->nlinks; i++) {
		free(s->links[i].target);
		free(s->links[i].path);
		free(s->links[i].anchor);
		free(s->links[i].href);
	}
	free(s->links);
	for (i = 0; i < s->npaths; i++)
		free(s->paths[i].own);
	free(s->paths);
	free(s->snaps);		/* its strings are borrowed */
	for (i = 0; i < s->codes.n; i++)
		code_free(s->codes.v[i]);
	vec_free(&s->codes);
	for (i = 0; i < s->incidents.n; i++)
		free(s->incidents.v[i]);
	vec_free(&s->incidents);
	for (i = 0; i < s->reports.n; i++)
		mu_free(s->reports.v[i]);
	vec_free(&s->reports);
}
