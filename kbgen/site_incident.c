/*
 * site_incident.c -- the incidents on the site: the index and one page
 * per incident with what the KB holds (hosts and roles, files, coverage,
 * signals with their evidence file:line) below the incident's report
 * (report.c: findings, evidence, timeline, unknown errors).  Everything here comes from collected
 * logs and is attacker-controlled: it reaches HTML only through {{x}}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "mustache.h"
#include "article.h"
#include "site.h"
#include "report.h"

#define EVIDENCE_MAX	20	/* evidence lines shown per signal value */

static char *
incident_url(const char *name)
{
	char *f = site_fname(name), *u = xasprintf("i/%s.html", f);

	free(f);
	return u;
}

/* A code page for kind/value, created when the site has none yet;
 * fresh ones go to made (sorted into site.codes later). */
static struct site_code *
code_for(struct site *s, struct vec *made, int kind, const char *value)
{
	struct site_code *c = site_code_find(s, kind, value);
	size_t i;

	if (c != NULL)
		return c;
	for (i = made->n; i-- > 0;) {
		c = made->v[i];
		if (c->kind == kind && strcmp(c->value, value) == 0)
			return c;
	}
	c = xcalloc(1, sizeof(*c));
	c->kind = kind;
	c->value = xstrdup(value);
	c->url = site_code_url(kind, value);
	vec_push(made, c);
	return c;
}

static void
seen_add(struct site_code *c, const char *incident, long count,
    const char *detail)
{
	struct site_seen *x = xcalloc(1, sizeof(*x));

	x->incident = xstrdup(incident);
	x->url = incident_url(incident);
	x->count = count;
	x->detail = detail ? xstrdup(detail) : NULL;
	vec_push(&c->seen, x);
}

/* Collected files on the pages of the log files they are named after. */
static void
load_files(struct site *s)
{
	sqlite3_stmt *st = db_stmt(s->db, ST_SITE_FILES);

	while (db_step(s->db, st) == SQLITE_ROW) {
		const char *path = db_col_text(st, 2), *base;
		struct site_code *c;
		char *low, *p, *detail;
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
		if (strrchr(base, '\\'))
			base = strrchr(base, '\\') + 1;
		low = xstrdup(base);
		for (p = low; *p; p++)
			*p = (char)kb_tolower((unsigned char)*p);
		if ((c = site_code_find(s, MENTION_LOGFILE, low)) != NULL) {
			detail = xasprintf("%s: %s", db_col_text(st, 1), path);
			seen_add(c, db_col_text(st, 0), 0, detail);
			free(detail);
		}
		free(low);
	}
}

void
site_incidents_load(struct site *s)
{
	sqlite3_stmt *st = db_stmt(s->db, ST_INCIDENT_LIST);
	struct vec made = {0}, created = {0};
	size_t i;

	while (db_step(s->db, st) == SQLITE_ROW) {
		vec_push(&s->incidents, xstrdup(db_col_text(st, 0)));
		vec_push(&created, xstrdup(db_col_text(st, 1)));
	}
	/*
	 * Each incident's report, now: the article pages show, under a
	 * section, the incidents whose report names it as the fix.  The
	 * report's date is the incident's, not the clock's, so that the same
	 * KB gives the same site.
	 */
	for (i = 0; i < s->incidents.n; i++) {
		struct report_opts o = { NULL, 0, "../", created.v[i] };
		struct mu_value *rep = report_build(s->db, s->incidents.v[i], &o);
		const struct mu_value *fl = mu_get(rep, "findings");
		size_t k;
		for (k = 0; k < mu_len(fl); k++) {
			const struct mu_value *f = mu_at(fl, k);
			const char *sid = mu_text(mu_get(f, "_section_id"), NULL);
			struct site_section *x;
			struct site_seen *seen;
			if (!mu_truthy(mu_get(f, "_strong")) || sid == NULL ||
			    (x = site_section_by_id(s, strtoll(sid, NULL, 10)))
			    == NULL)
				continue;
			seen = xcalloc(1, sizeof(*seen));
			seen->incident = xstrdup(s->incidents.v[i]);
			seen->url = incident_url(s->incidents.v[i]);
			seen->detail = xasprintf("%s%%", mu_text(mu_get(f, "_pct"),
			    NULL));
			vec_push(&x->seen, seen);
		}
		vec_push(&s->reports, rep);
		free(created.v[i]);
	}
	vec_free(&created);
	st = db_stmt(s->db, ST_SITE_SEEN);
	while (db_step(s->db, st) == SQLITE_ROW) {
		int kind = mention_kind_parse(db_col_text(st, 0));
		if (kind < 0)
			continue;
		seen_add(code_for(s, &made, kind, db_col_text(st, 1)),
		    db_col_text(st, 2), sqlite3_column_int64(st, 3), NULL);
	}
	for (i = 0; i < made.n; i++)
		vec_push(&s->codes, made.v[i]);
	vec_free(&made);
	site_codes_sort(s);
	load_files(s);
}

/* "2024-05-01 10:00:00Z" from UTC milliseconds. */
static char *
utc_text(sqlite3_stmt *st, int col)
{
	time_t t;
	struct tm tm;
	char b[32];

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	t = (time_t)(sqlite3_column_int64(st, col) / 1000);
	if (gmtime_r(&t, &tm) == NULL)
		return NULL;
	strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%SZ", &tm);
	return xstrdup(b);
}

static void
set_time(struct mu_value *m, const char *key, sqlite3_stmt *st, int col)
{
	char *t = utc_text(st, col);

	if (t)
		mu_set(m, key, mu_str(t));
	free(t);
}

/* The zone of a host: "UTC-04:00", or NULL when unknown. */
static void
set_zone(struct mu_value *m, sqlite3_stmt *st, int col)
{
	int z;
	char b[16];

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return;
	z = sqlite3_column_int(st, col);
	snprintf(b, sizeof(b), "UTC%c%02d:%02d", z < 0 ? '-' : '+',
	    abs(z) / 60, abs(z) % 60);
	mu_set(m, "zone", mu_str(b));
}

static void
host_files(struct site *s, struct mu_value *h, int64_t hid)
{
	sqlite3_stmt *st = db_stmt(s->db, ST_FILES_OF_HOST);
	struct mu_value *l = mu_set(h, "files", mu_list());

	db_bind_int(st, 1, hid);
	while (db_step(s->db, st) == SQLITE_ROW) {
		struct mu_value *f = mu_push(l, mu_map());
		mu_set(f, "path", mu_str(db_col_text(st, 0)));
		mu_set(f, "format", mu_str(db_col_text(st, 1)));
		mu_set(f, "encoding", mu_str(db_col_text(st, 2)));
		mu_set(f, "bytes", mu_int(sqlite3_column_int64(st, 3)));
		mu_set(f, "lines", mu_int(sqlite3_column_int64(st, 4)));
		mu_set(f, "records", mu_int(sqlite3_column_int64(st, 5)));
		mu_set(f, "errors", mu_int(sqlite3_column_int64(st, 7)));
		mu_set(f, "warnings", mu_int(sqlite3_column_int64(st, 8)));
		mu_set(f, "problems", mu_int(sqlite3_column_int64(st, 9)));
		set_time(f, "first", st, 10);
		set_time(f, "last", st, 11);
	}
}

/* Coverage of a host; counts present/missing into cov[0..1]. */
static void
host_coverage(struct site *s, struct mu_value *h, int64_t hid, long cov[2])
{
	sqlite3_stmt *st = db_stmt(s->db, ST_COVERAGE_OF);
	struct mu_value *l = mu_set(h, "coverage", mu_list());

	db_bind_int(st, 1, hid);
	while (db_step(s->db, st) == SQLITE_ROW) {
		struct mu_value *c = mu_push(l, mu_map());
		const char *status = db_col_text(st, 1);
		mu_set(c, "source", mu_str(db_col_text(st, 0)));
		mu_set(c, "status", mu_str(status));
		mu_set(c, "files", mu_int(sqlite3_column_int64(st, 2)));
		mu_set(c, "ok", mu_bool(strcmp(status, "present") == 0));
		cov[strcmp(status, "present") != 0]++;
	}
}

/* Hosts with their files and coverage; the summary gets the roles. */
static void
hosts(struct site *s, struct mu_value *m, struct mu_value *sum, int64_t iid)
{
	sqlite3_stmt *st = db_stmt(s->db, ST_HOSTS_OF);
	struct mu_value *l = mu_set(m, "hosts", mu_list());
	struct mu_value *roles = mu_set(sum, "roles", mu_list());
	long cov[2] = { 0, 0 };

	db_bind_int(st, 1, iid);
	while (db_step(s->db, st) == SQLITE_ROW) {
		struct mu_value *h = mu_push(l, mu_map()), *r;
		int64_t hid = sqlite3_column_int64(st, 0);
		mu_set(h, "name", mu_str(db_col_text(st, 1)));
		mu_set(h, "role", mu_str(db_col_text(st, 2)));
		mu_set(h, "role_source", mu_str(db_col_text(st, 3)));
		mu_set(h, "nfiles", mu_int(sqlite3_column_int64(st, 5)));
		set_zone(h, st, 4);
		r = mu_push(roles, mu_map());
		mu_set(r, "name", mu_str(db_col_text(st, 1)));
		mu_set(r, "role", mu_str(db_col_text(st, 2)));
		host_files(s, h, hid);
		host_coverage(s, h, hid, cov);
	}
	mu_set(sum, "present", mu_int(cov[0]));
	mu_set(sum, "not_present", mu_int(cov[1]));
}

/* A deep copy of a value tree of maps, lists, strings and booleans. */
struct mu_value *
site_copy_list(const struct mu_value *v)
{
	struct mu_value *c;
	const struct mu_value *x;
	const char *key;
	size_t i;

	switch (mu_type(v)) {
	case MU_LIST:
		c = mu_list();
		for (i = 0; i < mu_len(v); i++)
			mu_push(c, site_copy_list(mu_at(v, i)));
		return c;
	case MU_MAP:
		c = mu_map();
		for (i = 0; (key = mu_key(v, i, &x)) != NULL; i++)
			mu_set(c, key, site_copy_list(x));
		return c;
	case MU_STRING:
		return mu_strn(mu_text(v, NULL), mu_len(v));
	case MU_NUMBER:
		return mu_num(mu_text(v, NULL));
	case MU_BOOL:
		return mu_bool(mu_truthy(v));
	default:
		return mu_null();
	}
}

/* A new signal group {kind, value, url?, sections, evidence: []}. */
static struct mu_value *
signal_group(struct site *s, struct mu_value *l, const char *kind,
    const char *value, const char *root)
{
	struct mu_value *g = mu_push(l, mu_map());
	int k = mention_kind_parse(kind);
	const struct site_code *c = k >= 0 ? site_code_find(s, k, value) : NULL;

	mu_set(g, "kind", mu_str(kind));
	mu_set(g, "value", mu_str(value));
	if (c != NULL) {
		char *u = xasprintf("%s%s", root, c->url);
		mu_set(g, "url", mu_str(u));
		mu_set(g, "sections", mu_int((long long)c->refs.n));
		free(u);
	}
	mu_set(g, "evidence", mu_list());
	return g;
}

/* Counts one signal into the per-kind summary {kind, count, values}. */
static void
kind_count(struct mu_value *kinds, const char *kind, int new_value)
{
	struct mu_value *k = (struct mu_value *)mu_at(kinds, mu_len(kinds) - 1);
	const char *last = k ? mu_text(mu_get(k, "kind"), NULL) : NULL;

	if (last == NULL || strcmp(last, kind) != 0) {
		k = mu_push(kinds, mu_map());
		mu_set(k, "kind", mu_str(kind));
		mu_set(k, "count", mu_int(0));
		mu_set(k, "values", mu_int(0));
	}
	mu_set(k, "count", mu_int(atoll(mu_text(mu_get(k, "count"), NULL)) + 1));
	if (new_value)
		mu_set(k, "values", mu_int(atoll(mu_text(mu_get(k, "values"),
		    NULL)) + 1));
}

/* Signals grouped by kind and value, with their first evidence lines;
 * the summary gets the count per kind. */
static long
signals(struct site *s, struct mu_value *m, struct mu_value *sum,
    const char *name)
{
	sqlite3_stmt *st = db_stmt(s->db, ST_SITE_SIGNALS);
	struct mu_value *l = mu_set(m, "signals", mu_list()), *g = NULL;
	struct mu_value *kinds = mu_set(sum, "kinds", mu_list());
	char *pk = NULL, *pv = NULL;
	long n = 0, count = 0;

	db_bind_text(st, 1, name);
	while (db_step(s->db, st) == SQLITE_ROW) {
		const char *kind = db_col_text(st, 0), *value = db_col_text(st, 1);
		struct mu_value *e;
		int fresh = pk == NULL || strcmp(pk, kind) || strcmp(pv, value);
		if (fresh) {
			free(pk);
			free(pv);
			pk = xstrdup(kind);
			pv = xstrdup(value);
			g = signal_group(s, l, kind, value, site_root(1));
			count = 0;
		}
		kind_count(kinds, kind, fresh);
		mu_set(g, "count", mu_int(++count));
		n++;
		if (count > EVIDENCE_MAX) {
			mu_set(g, "more", mu_int(count - EVIDENCE_MAX));
			continue;
		}
		e = mu_push((struct mu_value *)mu_get(g, "evidence"), mu_map());
		mu_set(e, "raw", mu_str(db_col_text(st, 2)));
		mu_set(e, "host", mu_str(db_col_text(st, 3)));
		mu_set(e, "file", mu_str(db_col_text(st, 4)));
		mu_set(e, "line", mu_int(sqlite3_column_int64(st, 5)));
		set_time(e, "time", st, 6);
		mu_set(e, "message", mu_str(db_col_text(st, 7)));
	}
	free(pk);
	free(pv);
	mu_set(m, "has_signals", mu_bool(n > 0));
	mu_set(m, "kinds", site_copy_list(kinds));
	return n;
}

static void
incident_page(struct site *s, const char *name, struct mu_value *sum)
{
	struct mu_value *m = site_page(s, 1, "en", name);
	sqlite3_stmt *st = db_stmt(s->db, ST_INCIDENT_ID);
	int64_t iid = 0;
	char *url = incident_url(name);
	long n;

	db_bind_text(st, 1, name);
	if (db_step(s->db, st) == SQLITE_ROW)
		iid = sqlite3_column_int64(st, 0);
	mu_set(m, "name", mu_str(name));
	/* The report (site_incidents_load() made it). */
	{
		struct mu_value *rep = NULL;
		size_t k;
		for (k = 0; k < s->incidents.n && k < s->reports.n; k++)
			if (strcmp(s->incidents.v[k], name) == 0) {
				rep = s->reports.v[k];
				s->reports.v[k] = NULL;
			}
		if (rep != NULL) {
			const struct mu_value *fl = mu_get(rep, "findings");
			if (mu_len(fl) > 0 && mu_truthy(mu_get(mu_at(fl, 0),
			    "_strong"))) {
				mu_set(sum, "top", mu_str(mu_text(mu_get(mu_at(fl,
				    0), "title"), NULL)));
				mu_set(sum, "top_pct", mu_str(mu_text(mu_get(
				    mu_at(fl, 0), "_pct"), NULL)));
			}
			mu_set(sum, "nfindings", mu_int((long long)mu_len(fl)));
			mu_set(m, "report", rep);
		}
	}
	hosts(s, m, sum, iid);
	n = signals(s, m, sum, name);
	mu_set(sum, "signals", mu_int(n));
	mu_set(m, "nsignals", mu_int(n));
	site_emit(s, "incident", m, url, NULL, "");
	free(url);
}

void
site_incidents_pages(struct site *s, struct mu_value *list)
{
	sqlite3_stmt *st = db_stmt(s->db, ST_INCIDENT_LIST);
	struct mu_value *m, *l;
	struct vec rows = {0};
	size_t i;

	while (db_step(s->db, st) == SQLITE_ROW) {
		struct mu_value *r = mu_map();
		char *u = incident_url(db_col_text(st, 0));
		mu_set(r, "label", mu_str(db_col_text(st, 0)));
		mu_set(r, "url", mu_str(u));
		mu_set(r, "created", mu_str(db_col_text(st, 1)));
		mu_set(r, "sample", mu_bool(sqlite3_column_int(st, 2)));
		mu_set(r, "hosts", mu_int(sqlite3_column_int64(st, 3)));
		mu_set(r, "files", mu_int(sqlite3_column_int64(st, 4)));
		mu_set(r, "errors", mu_int(sqlite3_column_int64(st, 5)));
		mu_set(r, "warnings", mu_int(sqlite3_column_int64(st, 6)));
		vec_push(&rows, r);
		free(u);
	}
	m = site_page(s, 1, "en", "Incidents");
	l = mu_set(m, "incidents", mu_list());
	for (i = 0; i < rows.n; i++) {
		struct mu_value *r = rows.v[i];
		incident_page(s, mu_text(mu_get(r, "label"), NULL), r);
		mu_push(l, r);
	}
	/* The home page gets the same summaries (URLs are from the root). */
	for (i = 0; i < mu_len(l); i++)
		mu_push(list, site_copy_list(mu_at(l, i)));
	mu_set(m, "has_incidents", mu_bool(mu_len(l) > 0));
	vec_free(&rows);
	site_emit(s, "incidents", m, "i/index.html", NULL, "");
}
