/*
 * report.c -- the incident report model and its JSON and text forms
 * (report.h); the HTML is rendered from the same model by templates
 * (render_report.c, site_incident.c).
 *
 * Everything taken from logs is attacker-controlled.  The model keeps it
 * as plain strings; each writer escapes for its context: JSON strings
 * here, HTML by the template engine's {{x}}, and text by replacing
 * control characters (a log line must not drive the terminal).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "html.h"
#include "mustache.h"
#include "article.h"
#include "match.h"
#include "mask.h"
#include "redact.h"
#include "report.h"
#include "site.h"

#define TEXT_MAX	2000	/* bytes of a record's message in the report */
#define TL_BUCKETS	96	/* columns of the timeline */

static void
fmt_utc(char *b, size_t n, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		snprintf(b, n, "?");
	else
		strftime(b, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
fmt_local(char *b, size_t n, int64_t ms, int has_tz, int tz)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	size_t k;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(b, n, "?");
		return;
	}
	k = strftime(b, n, "%Y-%m-%dT%H:%M:%S", &tm);
	if (has_tz && k < n)
		snprintf(b + k, n - k, "%c%02d:%02d", tz < 0 ? '-' : '+',
		    abs(tz) / 60, abs(tz) % 60);
}

/* Cuts s to at most max bytes on a UTF-8 boundary. */
static char *
cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return xstrdup(s);
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return xasprintf("%.*s ...", (int)max, s);
}

struct rctx {
	struct db		*db;
	const struct report_opts *o;
	struct redact		*red;
};

/* A log-derived string as the report shows it. */
static struct mu_value *
lstr(struct rctx *c, const char *s)
{
	char *r;
	struct mu_value *v;

	if (c->red == NULL)
		return mu_str(s);
	r = redact_str(c->red, s ? s : "");
	v = mu_str(r);
	free(r);
	return v;
}

static char *
lcopy(struct rctx *c, const char *s)
{
	return c->red ? redact_str(c->red, s ? s : "") : xstrdup(s ? s : "");
}

static char *
url_join(struct rctx *c, const char *path)
{
	return xasprintf("%s%s", c->o->root ? c->o->root : "", path);
}

/* ---- hosts and coverage ---- */

static void
hosts(struct rctx *c, struct mu_value *rep, int64_t incident,
    struct vec *names)
{
	sqlite3_stmt *st = db_stmt(c->db, ST_HOSTS_OF);
	struct mu_value *hl = mu_set(rep, "hosts", mu_list());
	struct mu_value *cl = mu_set(rep, "coverage", mu_list());
	struct vec ids = {0};
	size_t i;

	db_bind_int(st, 1, incident);
	while (db_step(c->db, st) == SQLITE_ROW) {
		struct mu_value *h = mu_push(hl, mu_map());
		const char *name = db_col_text(st, 1);
		mu_set(h, "name", lstr(c, name));
		mu_set(h, "role", mu_str(db_col_text(st, 2)));
		mu_set(h, "files", mu_int(sqlite3_column_int64(st, 5)));
		mu_set(h, "_role_source", mu_str(db_col_text(st, 3)));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
			int z = sqlite3_column_int(st, 4);
			char b[16];
			snprintf(b, sizeof(b), "UTC%c%02d:%02d", z < 0 ? '-' : '+',
			    abs(z) / 60, abs(z) % 60);
			mu_set(h, "_zone", mu_str(b));
		}
		vec_push(&ids, (void *)(intptr_t)sqlite3_column_int64(st, 0));
		vec_push(names, xstrdup(name));
	}
	for (i = 0; i < ids.n; i++) {
		long missing = 0;
		struct mu_value *h = (struct mu_value *)mu_at(hl, i);
		st = db_stmt(c->db, ST_COVERAGE_OF);
		db_bind_int(st, 1, (int64_t)(intptr_t)ids.v[i]);
		while (db_step(c->db, st) == SQLITE_ROW) {
			struct mu_value *x = mu_push(cl, mu_map());
			const char *status = db_col_text(st, 1);
			mu_set(x, "host", lstr(c, names->v[i]));
			mu_set(x, "source", mu_str(db_col_text(st, 0)));
			mu_set(x, "status", mu_str(status));
			mu_set(x, "_files", mu_int(sqlite3_column_int64(st, 2)));
			mu_set(x, "_ok", mu_bool(strcmp(status, "present") == 0));
			missing += strcmp(status, "present") != 0;
		}
		mu_set(h, "_missing", mu_int(missing));
	}
	vec_free(&ids);
}

/* ---- the fix text ---- */

/*
 * The HTML of section anchor of the newest version of article key in
 * locale, with the subsections below it (TechNet articles put the fix
 * in "Possible Solutions" under the error).  by_ordinal, when >= 0, is
 * the position to use when no section has the anchor (translations of
 * headings change their anchors, not their order).
 */
static char *
fix_html(struct rctx *c, const char *key, const char *locale,
    const char *anchor, int by_ordinal, int *ordinal_out, int *nsec_out)
{
	sqlite3_stmt *st = db_stmt(c->db, ST_REPORT_VERSION);
	int64_t vid;
	struct buf b = {0};
	int level = -1, found = 0, n = 0, pos = 0;

	db_bind_text(st, 1, key);
	db_bind_text(st, 2, locale);
	if (db_step(c->db, st) != SQLITE_ROW)
		return NULL;
	vid = sqlite3_column_int64(st, 0);
	/* first pass: where is it? */
	st = db_stmt(c->db, ST_REPORT_SECTIONS);
	db_bind_int(st, 1, vid);
	while (db_step(c->db, st) == SQLITE_ROW) {
		if (!found && strcmp(db_col_text(st, 3), anchor) == 0) {
			found = 1;
			pos = n;
		}
		n++;
	}
	if (nsec_out)
		*nsec_out = n;
	if (!found && by_ordinal >= 0 && by_ordinal < n) {
		found = 1;
		pos = by_ordinal;
	}
	if (!found)
		return NULL;
	if (ordinal_out)
		*ordinal_out = pos;
	st = db_stmt(c->db, ST_REPORT_SECTIONS);
	db_bind_int(st, 1, vid);
	n = 0;
	while (db_step(c->db, st) == SQLITE_ROW) {
		int lv = sqlite3_column_int(st, 1);
		if (n++ < pos)
			continue;
		if (level < 0)
			level = lv;
		else if (lv <= level)
			break;
		else {
			buf_printf(&b, "<h4>");
			html_escape_str(&b, db_col_text(st, 2));
			buf_printf(&b, "</h4>\n");
		}
		buf_puts(&b, db_col_text(st, 4));
	}
	return buf_detach(&b);
}

static void
set_fix(struct rctx *c, struct mu_value *f, const struct match_finding *m)
{
	const char *lang = c->o->lang ? c->o->lang : m->locale;
	int ord = -1, nsec = 0, tn = 0;
	char *html = NULL;

	/* the English position, for translations with other anchors */
	free(fix_html(c, m->key, m->locale, m->anchor, -1, &ord, &nsec));
	if (strcmp(lang, m->locale) != 0) {
		/* only trust the position when the structure is the same */
		html = fix_html(c, m->key, lang, m->anchor, -1, NULL, &tn);
		if (html == NULL && tn == nsec)
			html = fix_html(c, m->key, lang, m->anchor, ord, NULL,
			    NULL);
		if (html != NULL)
			mu_set(f, "_fix_locale", mu_str(lang));
		else {
			char *note = xasprintf("No %s version of this "
			    "section: shown in %s.", lang, m->locale);
			mu_set(f, "_fix_note", mu_str(note));
			free(note);
		}
	}
	if (html == NULL) {
		html = fix_html(c, m->key, m->locale, m->anchor, -1, NULL, NULL);
		mu_set(f, "_fix_locale", mu_str(m->locale));
	}
	if (html)
		mu_set(f, "_fix_html", mu_str(html));
	free(html);
}

/* ---- findings ---- */

/* strncasecmp over the whole of needle, at p. */
static const char *
find_ci(const char *p, const char *needle, size_t n)
{
	for (; *p; p++)
		if (strncasecmp(p, needle, n) == 0)
			return p;
	return NULL;
}

/*
 * The message split around the matched part, for highlighting.  hl is
 * what matched: the raw code as written, or the words of a template with
 * <*> where the message has its own values; the pieces between the
 * variables are found in order and the span from the first to the last
 * is marked.
 */
static void
set_excerpt(struct mu_value *e, const char *text, const char *hl)
{
	const char *start = NULL, *end = NULL, *p = text, *q = hl;
	size_t vl = strlen(MASK_VAR);

	while (hl && *q) {
		const char *v = strstr(q, MASK_VAR);
		size_t n = v ? (size_t)(v - q) : strlen(q);
		while (n > 0 && (q[0] == ' ' || q[0] == '\'' || q[0] == '"')) {
			q++;
			n--;
		}
		while (n > 0 && (q[n - 1] == ' ' || q[n - 1] == '\'' ||
		    q[n - 1] == '"'))
			n--;
		if (n > 0) {
			const char *f = find_ci(p, q, n);
			if (f == NULL) {
				start = NULL;
				break;
			}
			if (start == NULL)
				start = f;
			end = f + n;
			p = end;
		}
		if (v == NULL)
			break;
		q = v + vl;
	}
	if (start == NULL) {
		mu_set(e, "_pre", mu_str(text));
		return;
	}
	mu_set(e, "_pre", mu_strn(text, (size_t)(start - text)));
	mu_set(e, "_hl", mu_strn(start, (size_t)(end - start)));
	mu_set(e, "_post", mu_str(end));
}

static struct mu_value *
evidence(struct rctx *c, const struct match_evidence *m)
{
	struct mu_value *e = mu_map();
	char b[48], *t, *h;

	mu_set(e, "host", lstr(c, m->host));
	mu_set(e, "file", lstr(c, m->file));
	mu_set(e, "line", mu_int(m->line));
	if (m->end_line > m->line)
		mu_set(e, "end_line", mu_int(m->end_line));
	if (m->has_utc) {
		fmt_utc(b, sizeof(b), m->utc_ms);
		mu_set(e, "time_utc", mu_str(b));
	} else
		mu_set(e, "time_utc", mu_null());
	if (m->has_local) {
		fmt_local(b, sizeof(b), m->local_ms, m->has_tz, m->tz_min);
		mu_set(e, "time_local", mu_str(b));
	} else
		mu_set(e, "time_local", mu_null());
	t = cut(m->text, TEXT_MAX);
	h = m->hl ? lcopy(c, m->hl) : NULL;
	{
		char *rt = lcopy(c, t);
		mu_set(e, "text", mu_str(rt));
		set_excerpt(e, rt, h);
		free(rt);
	}
	if (m->why)
		mu_set(e, "_why", lstr(c, m->why));
	free(t);
	free(h);
	return e;
}

static const char *
level_of(double conf)
{
	return conf >= 0.75 ? "high" : conf >= 0.5 ? "medium" : "low";
}

static void
findings(struct rctx *c, struct mu_value *rep, struct match_result *res)
{
	struct mu_value *fl = mu_set(rep, "findings", mu_list());
	size_t i, j;
	char b[32];
	long strong = 0;

	for (i = 0; i < res->findings.n; i++) {
		struct match_finding *m = res->findings.v[i];
		struct mu_value *f = mu_push(fl, mu_map()), *x, *l;
		char *u, *sp, *fn;
		mu_set(f, "rank", mu_int(m->rank));
		mu_set(f, "title", mu_str(m->title));
		snprintf(b, sizeof(b), "%.2f", m->confidence);
		mu_set(f, "confidence", mu_num(b));
		l = mu_set(f, "why", mu_list());
		for (j = 0; j < m->why.n; j++)
			mu_push(l, lstr(c, m->why.v[j]));
		if (m->recovered)
			mu_push(l, mu_str(m->recovered));
		if (m->explained_by) {
			char *s = xasprintf("symptom of: %s", m->explained_by);
			mu_push(l, mu_str(s));
			free(s);
		}
		x = mu_set(f, "article", mu_map());
		mu_set(x, "key", mu_str(m->key));
		mu_set(x, "title", mu_str(m->article_title));
		mu_set(x, "locale", mu_str(m->locale));
		mu_set(x, "version", mu_str(m->version));
		x = mu_set(f, "section", mu_map());
		mu_set(x, "title", mu_str(m->section_title));
		mu_set(x, "anchor", mu_str(m->anchor));
		l = mu_set(f, "codes", mu_list());
		for (j = 0; j < m->codes.n; j++)
			mu_push(l, mu_str(m->codes.v[j]));
		l = mu_set(f, "evidence", mu_list());
		for (j = 0; j < m->evidence.n; j++)
			mu_push(l, evidence(c, m->evidence.v[j]));
		mu_set(f, "_nev", mu_int((long long)m->evidence.n));
		mu_set(f, "_has_codes", mu_bool(m->codes.n > 0));
		if (m->rule)
			mu_set(f, "rule", mu_str(m->rule));
		mu_set(f, "severity", mu_str(m->severity >= 3 ? "error" :
		    "warning"));
		mu_set(f, "recovered", mu_bool(m->recovered != NULL));
		mu_set(f, "cause", mu_bool(m->cause));
		/* display */
		snprintf(b, sizeof(b), "%d", (int)(m->confidence * 100 + 0.5));
		mu_set(f, "_pct", mu_str(b));
		mu_set(f, "_level", mu_str(level_of(m->confidence)));
		mu_set(f, "_strong", mu_bool(m->confidence >= 0.5));
		mu_set(f, "_section_id", mu_int(m->section_id));
		fn = site_fname(m->key);
		sp = site_fname(m->locale);
		{
			char *lb = site_fname(m->version);
			char *path = xasprintf("a/%s/%s/%s.html#%s", fn, sp, lb,
			    m->anchor);
			u = url_join(c, path);
			free(path);
			free(lb);
		}
		mu_set(f, "_url", mu_str(u));
		free(u);
		free(fn);
		free(sp);
		l = mu_set(f, "_code_links", mu_list());
		for (j = 0; j < m->codes.n; j++) {
			struct mu_value *cl = mu_push(l, mu_map());
			const char *v = m->codes.v[j];
			int kind = (int)(intptr_t)m->code_kinds.v[j];
			char *cu = site_code_url(kind, v), *full = url_join(c, cu);
			mu_set(cl, "code", mu_str(v));
			mu_set(cl, "url", mu_str(full));
			free(cu);
			free(full);
		}
		set_fix(c, f, m);
		if (m->confidence >= 0.5)
			strong++;
	}
	mu_set(rep, "_nfindings", mu_int((long long)res->findings.n));
	mu_set(rep, "_nstrong", mu_int(strong));
	mu_set(rep, "_has_findings", mu_bool(res->findings.n > 0));
}

static void
unmatched(struct rctx *c, struct mu_value *rep, struct match_result *res)
{
	struct mu_value *ul = mu_set(rep, "unmatched", mu_list());
	size_t i, j;
	char b[48];

	for (i = 0; i < res->clusters.n; i++) {
		struct match_cluster *k = res->clusters.v[i];
		struct mu_value *u = mu_push(ul, mu_map()), *hl;
		char *loc;
		mu_set(u, "template", lstr(c, k->template));
		mu_set(u, "count", mu_int(k->count));
		if (k->first_utc >= 0) {
			fmt_utc(b, sizeof(b), k->first_utc);
			mu_set(u, "first_utc", mu_str(b));
			fmt_utc(b, sizeof(b), k->last_utc);
			mu_set(u, "last_utc", mu_str(b));
		} else {
			mu_set(u, "first_utc", mu_null());
			mu_set(u, "last_utc", mu_null());
		}
		hl = mu_set(u, "hosts", mu_list());
		for (j = 0; j < k->hosts.n; j++)
			mu_push(hl, lstr(c, k->hosts.v[j]));
		mu_set(u, "severity", mu_str(k->severity >= 3 ? "error" :
		    "warning"));
		loc = xasprintf("%s: %s:%ld", k->host, k->file, k->line);
		mu_set(u, "example", lstr(c, loc));
		free(loc);
	}
	mu_set(rep, "_has_unmatched", mu_bool(res->clusters.n > 0));
	mu_set(rep, "_unmatched_more", mu_int(res->clusters_total -
	    (long)res->clusters.n));
}

/* ---- the timeline ---- */

/*
 * Errors and warnings per host over the incident's span, as an inline
 * SVG: a row per host, a column per time bucket, the bar's height the
 * count (log scale), the findings' first evidence marked with their rank.
 * Host names are escaped here: the SVG is inserted raw.
 */
static void
timeline(struct rctx *c, struct mu_value *rep, struct match_result *res)
{
	int64_t t0 = -1, t1 = -1;
	struct buf b = {0};
	struct vec names = {0};
	long (*cnt)[TL_BUCKETS][2] = NULL;
	long maxc = 1;
	size_t i, j, nh = 0;
	int k, w = 720, left = 130, row = 26, top = 18;
	char tb[48];

	for (j = 0; j < res->tl.n; j++) {
		const struct match_tl *t = res->tl.v[j];
		if (t0 < 0 || t->minute < t0)
			t0 = t->minute;
		if (t->minute > t1)
			t1 = t->minute;
	}
	if (t0 < 0)
		return;
	t1 += 60000;
	for (j = 0; j < res->tl.n; j++) {
		const struct match_tl *t = res->tl.v[j];
		int bk = (int)((t->minute - t0) * TL_BUCKETS / (t1 - t0));
		if (nh == 0 || strcmp(names.v[nh - 1], t->host) != 0) {
			vec_push(&names, xstrdup(t->host));
			cnt = realloc(cnt, ++nh * sizeof(*cnt));
			if (cnt == NULL)
				die("out of memory");
			memset(cnt[nh - 1], 0, sizeof(*cnt));
		}
		i = nh - 1;
		if (bk < 0)
			bk = 0;
		if (bk >= TL_BUCKETS)
			bk = TL_BUCKETS - 1;
		cnt[i][bk][0] += t->warnings;
		cnt[i][bk][1] += t->errors;
		if (cnt[i][bk][0] > maxc)
			maxc = cnt[i][bk][0];
		if (cnt[i][bk][1] > maxc)
			maxc = cnt[i][bk][1];
	}
	if (nh == 0) {
		free(cnt);
		return;
	}
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %zu\" role=\"img\" class=\"timeline\" "
	    "aria-labelledby=\"tl-title\"><title id=\"tl-title\">Errors and "
	    "warnings per host over time (UTC)</title>\n", left + w + 10,
	    top + nh * (size_t)row + 24);
	for (i = 0; i < nh; i++) {
		int y = top + (int)i * row;
		char *label = lcopy(c, names.v[i]);
		buf_printf(&b, "<text x=\"%d\" y=\"%d\" class=\"tl-host\" "
		    "text-anchor=\"end\">", left - 6, y + row / 2 + 4);
		html_escape_str(&b, label);
		buf_puts(&b, "</text>\n");
		free(label);
		buf_printf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "class=\"tl-axis\"/>\n", left, y + row - 2, left + w,
		    y + row - 2);
		for (k = 0; k < TL_BUCKETS; k++) {
			int s;
			for (s = 0; s < 2; s++) {
				long n = cnt[i][k][s];
				double hgt;
				if (n == 0)
					continue;
				hgt = 4 + (row - 8) * (log((double)n + 1) /
				    log((double)maxc + 1));
				buf_printf(&b, "<rect x=\"%d\" y=\"%.1f\" "
				    "width=\"%d\" height=\"%.1f\" class=\"%s\">"
				    "<title>%ld %s</title></rect>\n",
				    left + k * w / TL_BUCKETS + (s ? 0 : 3),
				    y + row - 2 - hgt, w / TL_BUCKETS - 3, hgt,
				    s ? "tl-err" : "tl-warn", n,
				    s ? "errors" : "warnings");
			}
		}
	}
	for (i = 0; i < res->findings.n; i++) {
		struct match_finding *f = res->findings.v[i];
		int x;
		if (f->first_utc < 0 || f->confidence < 0.5)
			continue;
		x = left + (int)((double)(f->first_utc - t0) * w /
		    (double)(t1 - t0 + 1));
		buf_printf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%zu\" "
		    "class=\"tl-mark\"/><text x=\"%d\" y=\"%d\" "
		    "class=\"tl-rank\" text-anchor=\"middle\">#%d</text>\n", x,
		    top - 4, x, top + nh * (size_t)row, x, top - 6, f->rank);
	}
	fmt_utc(tb, sizeof(tb), t0);
	buf_printf(&b, "<text x=\"%d\" y=\"%zu\" class=\"tl-time\">%s</text>",
	    left, top + nh * (size_t)row + 16, tb);
	fmt_utc(tb, sizeof(tb), t1);
	buf_printf(&b, "<text x=\"%d\" y=\"%zu\" class=\"tl-time\" "
	    "text-anchor=\"end\">%s</text>\n</svg>", left + w,
	    top + nh * (size_t)row + 16, tb);
	mu_set(rep, "_timeline_svg", mu_strn(b.data, b.len));
	buf_free(&b);
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	vec_free(&names);
	free(cnt);
}

struct mu_value *
report_build(struct db *db, const char *name, const struct report_opts *o)
{
	struct rctx c = { db, o, NULL };
	struct match_result res;
	struct mu_value *rep;
	struct vec names = {0};
	sqlite3_stmt *st;
	int64_t incident;
	char b[48];
	size_t i;

	if (match_incident(db, name, &res) == -1)
		return NULL;
	st = db_stmt(db, ST_INCIDENT_ID);
	db_bind_text(st, 1, name);
	db_step(db, st);
	incident = sqlite3_column_int64(st, 0);
	rep = mu_map();
	if (o->redact) {
		/* host names first, so that they get the low numbers */
		const char **hn;
		struct vec tmp = {0};
		st = db_stmt(db, ST_HOSTS_OF);
		db_bind_int(st, 1, incident);
		while (db_step(db, st) == SQLITE_ROW)
			vec_push(&tmp, xstrdup(db_col_text(st, 1)));
		hn = xcalloc(tmp.n + 1, sizeof(*hn));
		for (i = 0; i < tmp.n; i++)
			hn[i] = tmp.v[i];
		c.red = redact_new(hn);
		for (i = 0; i < tmp.n; i++) {
			free(redact_str(c.red, tmp.v[i]));
			free(tmp.v[i]);
		}
		free(hn);
		vec_free(&tmp);
	}
	mu_set(rep, "incident", lstr(&c, name));
	if (o->generated)
		mu_set(rep, "generated_utc", mu_str(o->generated));
	else {
		const char *sde = getenv("SOURCE_DATE_EPOCH");
		time_t now = sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
		fmt_utc(b, sizeof(b), (int64_t)now * 1000);
		mu_set(rep, "generated_utc", mu_str(b));
	}
	hosts(&c, rep, incident, &names);
	findings(&c, rep, &res);
	unmatched(&c, rep, &res);
	timeline(&c, rep, &res);
	mu_set(rep, "redacted", mu_bool(o->redact));
	if (o->lang)
		mu_set(rep, "lang", mu_str(o->lang));
	mu_set(rep, "_records", mu_int(res.records));
	mu_set(rep, "_signatures", mu_int(res.signatures));
	mu_set(rep, "_rules", mu_int(res.rules));
	mu_set(rep, "_nhosts", mu_int((long long)names.n));
	if (res.findings.n > 0) {
		struct match_finding *f = res.findings.v[0];
		if (f->confidence >= 0.5)
			mu_set(rep, "_top", mu_str(f->title));
	}
	if (o->root)
		mu_set(rep, "_root", mu_str(o->root));
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	vec_free(&names);
	match_result_free(&res);
	redact_free(c.red);
	return rep;
}

/* ---- JSON ---- */

static void
json_value(const struct mu_value *v, struct buf *out, int depth)
{
	size_t i, n, len;
	const char *s;

	switch (mu_type(v)) {
	case MU_NULL:
		buf_puts(out, "null");
		break;
	case MU_BOOL:
		buf_puts(out, mu_truthy(v) ? "true" : "false");
		break;
	case MU_NUMBER:
		s = mu_text(v, &len);
		buf_put(out, s, len);
		break;
	case MU_STRING:
		s = mu_text(v, &len);
		json_string_n(out, s, len);
		break;
	case MU_LIST:
		buf_putc(out, '[');
		for (i = 0, n = mu_len(v); i < n; i++) {
			if (i)
				buf_putc(out, ',');
			json_value(mu_at(v, i), out, depth + 1);
		}
		buf_putc(out, ']');
		break;
	case MU_MAP: {
		int first = 1;
		buf_putc(out, '{');
		for (i = 0, n = mu_len(v); i < n; i++) {
			const struct mu_value *x;
			const char *k = mu_key(v, i, &x);
			if (k[0] == '_')
				continue;
			if (!first)
				buf_putc(out, ',');
			if (depth == 0)
				buf_puts(out, "\n ");
			first = 0;
			json_string(out, k);
			buf_putc(out, ':');
			json_value(x, out, depth + 1);
		}
		if (depth == 0)
			buf_putc(out, '\n');
		buf_putc(out, '}');
		break;
	}
	}
}

void
report_json(const struct mu_value *rep, struct buf *out)
{
	json_value(rep, out, 0);
	buf_putc(out, '\n');
}

/* ---- text ---- */

static void
text_put(struct buf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n')
			buf_puts(out, "\n        ");
		else if (c < 0x20 || c == 0x7f)
			buf_putc(out, c == '\t' ? ' ' : '?');
		else
			buf_putc(out, c);
	}
}

static const char *
get(const struct mu_value *m, const char *k)
{
	const char *s = mu_text(mu_get(m, k), NULL);

	return s ? s : "";
}

void
report_text(const struct mu_value *rep, struct buf *out)
{
	const struct mu_value *l;
	size_t i, j, n;

	buf_puts(out, "Incident ");
	text_put(out, get(rep, "incident"));
	buf_printf(out, "  (generated %s%s)\n\n", get(rep, "generated_utc"),
	    mu_truthy(mu_get(rep, "redacted")) ? ", redacted" : "");
	buf_puts(out, "Hosts\n");
	l = mu_get(rep, "hosts");
	for (i = 0, n = mu_len(l); i < n; i++) {
		const struct mu_value *h = mu_at(l, i);
		buf_puts(out, "  ");
		text_put(out, get(h, "name"));
		buf_printf(out, "  %s, %s files%s%s\n", get(h, "role"),
		    get(h, "files"), *get(h, "_zone") ? ", " : "",
		    get(h, "_zone"));
	}
	l = mu_get(rep, "coverage");
	for (i = 0, n = mu_len(l); i < n; i++) {
		const struct mu_value *x = mu_at(l, i);
		if (mu_truthy(mu_get(x, "_ok")))
			continue;
		buf_puts(out, "  coverage: ");
		text_put(out, get(x, "host"));
		buf_printf(out, ": %s %s\n", get(x, "source"), get(x, "status"));
	}
	buf_puts(out, "\nFindings\n");
	l = mu_get(rep, "findings");
	if (mu_len(l) == 0)
		buf_puts(out, "  none: no section of the knowledge base "
		    "matches this incident\n");
	for (i = 0, n = mu_len(l); i < n; i++) {
		const struct mu_value *f = mu_at(l, i), *w, *ev;
		size_t k;
		buf_printf(out, "%2s. [%s] %s\n", get(f, "rank"),
		    get(f, "confidence"), get(f, "title"));
		buf_printf(out, "    fix: %s \xe2\x80\x94 %s (%s, %s) #%s\n",
		    get(mu_get(f, "article"), "title"),
		    get(mu_get(f, "section"), "title"),
		    get(mu_get(f, "article"), "locale"),
		    get(mu_get(f, "article"), "version"),
		    get(mu_get(f, "section"), "anchor"));
		w = mu_get(f, "why");
		for (k = 0; k < mu_len(w); k++) {
			buf_puts(out, "    why: ");
			text_put(out, mu_text(mu_at(w, k), NULL));
			buf_putc(out, '\n');
		}
		ev = mu_get(f, "evidence");
		for (j = 0; j < mu_len(ev); j++) {
			const struct mu_value *e = mu_at(ev, j);
			const char *t = get(e, "text");
			const char *nl = strchr(t, '\n');
			buf_puts(out, "    ");
			text_put(out, get(e, "host"));
			buf_putc(out, ' ');
			text_put(out, get(e, "file"));
			buf_printf(out, ":%s  %s\n      ", get(e, "line"),
			    *get(e, "time_utc") ? get(e, "time_utc") : "-");
			if (nl) {
				char *first = xstrndup(t, (size_t)(nl - t));
				text_put(out, first);
				free(first);
				buf_puts(out, " ...");
			} else
				text_put(out, t);
			buf_putc(out, '\n');
		}
	}
	l = mu_get(rep, "unmatched");
	if (mu_len(l) > 0)
		buf_puts(out, "\nErrors and warnings no finding explains\n");
	for (i = 0, n = mu_len(l); i < n; i++) {
		const struct mu_value *u = mu_at(l, i), *h = mu_get(u, "hosts");
		size_t k;
		buf_printf(out, "  %6s x %-7s ", get(u, "count"),
		    get(u, "severity"));
		text_put(out, get(u, "template"));
		buf_puts(out, "\n           on ");
		for (k = 0; k < mu_len(h); k++) {
			if (k)
				buf_puts(out, ", ");
			text_put(out, mu_text(mu_at(h, k), NULL));
		}
		buf_printf(out, ", %s .. %s; e.g. ", *get(u, "first_utc") ?
		    get(u, "first_utc") : "-", *get(u, "last_utc") ?
		    get(u, "last_utc") : "-");
		text_put(out, get(u, "example"));
		buf_putc(out, '\n');
	}
}
