/*
 * site_codes.c -- one page per code (HRESULT, Win32 error, status
 * message ID, HTTP status, event ID) with its decoded meaning, every
 * section in every article, version and language that mentions it and
 * the incidents in which it was seen; one page per log file with the
 * articles that name it and the incidents that hold it; an index of
 * each.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "mustache.h"
#include "article.h"
#include "codes.h"
#include "site.h"

/*
 * The articles mentioning c: [{title, key, versions: [{label, url,
 * locale, mt, sections: [{label, url}]}]}], in site order (refs are
 * sorted by version page order, then section).
 */
static struct mu_value *
mentions(const struct site_code *c, const char *root)
{
	struct mu_value *arts = mu_list(), *vers = NULL, *secs = NULL;
	const struct site_article *pa = NULL;
	const struct site_version *pv = NULL;
	size_t i;

	for (i = 0; i < c->refs.n; i++) {
		const struct site_section *x = c->refs.v[i];
		char *u;
		if (x->v->art != pa) {
			struct mu_value *a = mu_push(arts, mu_map());
			pa = x->v->art;
			mu_set(a, "title", mu_str(pa->main->title));
			mu_set(a, "key", mu_str(pa->key));
			vers = mu_set(a, "versions", mu_list());
		}
		if (x->v != pv) {
			struct mu_value *v;
			pv = x->v;
			v = mu_push(vers, site_link_item(root, pv->label,
			    pv->url));
			mu_set(v, "locale", mu_str(pv->locale));
			mu_set(v, "mt", mu_bool(pv->mt));
			mu_set(v, "title", mu_str(pv->title));
			secs = mu_set(v, "sections", mu_list());
		}
		u = xasprintf("%s#%s", pv->url, x->anchor);
		mu_push(secs, site_link_item(root, *x->title ? x->title :
		    pv->title, u));
		free(u);
	}
	return arts;
}

/* Incidents where c was seen: [{label, url, count, detail}]. */
static struct mu_value *
seen(const struct site_code *c, const char *root)
{
	struct mu_value *l = mu_list();
	size_t i;

	for (i = 0; i < c->seen.n; i++) {
		const struct site_seen *x = c->seen.v[i];
		struct mu_value *m = mu_push(l, site_link_item(root,
		    x->incident, x->url));
		if (x->count)
			mu_set(m, "count", mu_int(x->count));
		if (x->detail)
			mu_set(m, "detail", mu_str(x->detail));
	}
	return l;
}

/* Adds the page of kind/value to l when the site has one. */
static void
related_one(const struct site *s, struct mu_value *l, int kind,
    const char *value, const char *why)
{
	const struct site_code *r = site_code_find(s, kind, value);
	struct mu_value *m;
	char *label;

	if (r == NULL)
		return;
	label = xasprintf("%s %s", site_kind_label(kind), value);
	m = mu_push(l, site_link_item(site_root(2), label, r->url));
	mu_set(m, "why", mu_str(why));
	free(label);
}

/* Codes that name the same thing: Win32 <-> FACILITY_WIN32 HRESULT,
 * HRESULT patterns and the HRESULTs they match. */
static struct mu_value *
related(const struct site *s, const struct site_code *c)
{
	struct mu_value *l = mu_list();
	struct code_forms f;
	char hr[11];
	size_t i;

	if (c->kind == MENTION_HRESULT && code_hresult_forms(c->value, &f) == 0
	    && f.win32[0])
		related_one(s, l, MENTION_WIN32, f.win32, "its Win32 error");
	if (c->kind == MENTION_WIN32) {
		code_hresult_format(0x80070000u |
		    (uint32_t)(strtoul(c->value, NULL, 10) & 0xffff), hr);
		related_one(s, l, MENTION_HRESULT, hr, "as an HRESULT");
	}
	if (c->kind != MENTION_HRESULT)
		return l;
	for (i = 0; i < s->codes.n; i++) {
		const struct site_code *o = s->codes.v[i];
		if (o == c || o->kind != MENTION_HRESULT)
			continue;
		if (code_is_pattern(o->value) && !code_is_pattern(c->value) &&
		    code_hresult_match(o->value, c->value))
			related_one(s, l, o->kind, o->value, "a pattern it matches");
		else if (code_is_pattern(c->value) &&
		    !code_is_pattern(o->value) &&
		    code_hresult_match(c->value, o->value))
			related_one(s, l, o->kind, o->value, "matches this pattern");
	}
	return l;
}

/* What a code page is made of; codes is a hash of every code the site
 * has (the related links depend on them). */
static void
code_sig(const struct site *s, const struct site_code *c, const char *codes,
    char out[41])
{
	struct site_hash *h = site_hash_new();
	size_t i;

	site_hash_str(h, s->gsig);
	site_hash_str(h, c->url);
	site_hash_str(h, codes);
	for (i = 0; i < c->refs.n; i++) {
		const struct site_section *x = c->refs.v[i];
		struct site_version *v = x->v;
		/* What the page shows of the version, hashed once: a common
		 * code has thousands of sections in a few hundred versions. */
		if (v->refsig[0] == '\0') {
			struct site_hash *vh = site_hash_new();
			site_hash_str(vh, v->url);
			site_hash_str(vh, v->title);
			site_hash_int(vh, v->mt);
			site_hash_str(vh, v->art->main->title);
			site_hash_end(vh, v->refsig);
		}
		site_hash_str(h, v->refsig);
		site_hash_str(h, x->anchor);
		site_hash_str(h, x->title);
	}
	for (i = 0; i < c->seen.n; i++) {
		const struct site_seen *x = c->seen.v[i];
		site_hash_str(h, x->incident);
		site_hash_int(h, x->count);
		site_hash_str(h, x->detail);
	}
	site_hash_end(h, out);
}

/* A code page on its way (site_pipe.c): rendered and written on a
 * worker, recorded in the manifest on the main thread. */
struct code_job {
	const struct site_code	*c;
	char			 sig[41];
	int			 rc;
};

/* Worker: the page's data, its bytes, the file. */
static void
code_work(struct site *s, void *arg)
{
	struct code_job *j = arg;
	const struct site_code *c = j->c;
	int logfile = c->kind == MENTION_LOGFILE;
	int depth = logfile ? 1 : 2;
	const char *root = site_root(depth);
	struct mu_value *m, *l;
	struct buf d = {0}, out = {0};
	const char *name;
	char *title;

	title = logfile ? xstrdup(c->value) : xasprintf("%s %s",
	    site_kind_label(c->kind), c->value);
	m = site_page(s, depth, "en", title);
	free(title);
	mu_set(m, "kind", mu_str(site_kind_label(c->kind)));
	mu_set(m, "value", mu_str(c->value));
	if (!logfile) {
		code_describe(c->kind, c->value, &d);
		mu_set(m, "meaning", mu_str(buf_str(&d)));
		if ((name = code_name(c->kind, c->value)) != NULL)
			mu_set(m, "name", mu_str(name));
		l = mu_set(m, "related", related(s, c));
		mu_set(m, "has_related", mu_bool(mu_len(l) > 0));
	}
	l = mu_set(m, "articles", mentions(c, root));
	mu_set(m, "has_articles", mu_bool(mu_len(l) > 0));
	mu_set(m, "sections", mu_int((long long)c->refs.n));
	l = mu_set(m, "incidents", seen(c, root));
	mu_set(m, "has_incidents", mu_bool(mu_len(l) > 0));
	j->rc = site_render_page(s, logfile ? "logfile" : "code", m, &out);
	if (j->rc == 0)
		site_write(s, c->url, out.data ? out.data : "", out.len);
	buf_free(&out);
	buf_free(&d);
}

/* Main thread: the manifest entry; frees the job. */
static void
code_emit(struct site *s, void *arg)
{
	struct code_job *j = arg;

	s->rendered++;
	if (j->rc != 0)
		s->rc = -1;
	site_manifest_put(s->man, j->c->url, j->rc == 0 ? j->sig : "-", "");
	free(j);
}

static void
code_page(struct site *s, struct site_pipe *p, const struct site_code *c,
    const char *codes)
{
	struct code_job *j = xcalloc(1, sizeof(*j));

	j->c = c;
	code_sig(s, c, codes, j->sig);
	if (site_manifest_fresh(s->man, s->out, c->url, j->sig, NULL)) {
		site_manifest_put(s->man, c->url, j->sig, "");
		s->kept++;
		free(j);
		return;
	}
	site_pipe_push(p, j);
}

/* c/index.html or l/index.html: every code of the kinds wanted. */
static void
index_page(struct site *s, int logfiles)
{
	struct mu_value *m = site_page(s, 1, "en", logfiles ? "Log files" :
	    "Codes");
	struct mu_value *kinds = mu_set(m, "kinds", mu_list());
	struct mu_value *k = NULL, *l = NULL;
	int prev = -1;
	size_t i;

	for (i = 0; i < s->codes.n; i++) {
		const struct site_code *c = s->codes.v[i];
		struct mu_value *it;
		struct buf d = {0};
		if ((c->kind == MENTION_LOGFILE) != logfiles)
			continue;
		if (c->kind != prev) {
			k = mu_push(kinds, mu_map());
			mu_set(k, "kind", mu_str(site_kind_label(c->kind)));
			l = mu_set(k, "codes", mu_list());
			prev = c->kind;
		}
		/* Index URLs are relative to c/ or l/, one level down. */
		it = mu_push(l, site_link_item(site_root(1), c->value, c->url));
		mu_set(it, "refs", mu_int((long long)c->refs.n));
		mu_set(it, "seen", mu_int((long long)c->seen.n));
		if (!logfiles) {
			code_describe(c->kind, c->value, &d);
			mu_set(it, "meaning", mu_str(buf_str(&d)));
		}
		buf_free(&d);
	}
	site_emit(s, logfiles ? "logfiles" : "codes", m, logfiles ?
	    "l/index.html" : "c/index.html", NULL, "");
}

void
site_codes_pages(struct site *s)
{
	struct site_hash *h = site_hash_new();
	struct site_pipe *p;
	char codes[41];
	size_t i;

	for (i = 0; i < s->codes.n; i++)
		site_hash_str(h, ((struct site_code *)s->codes.v[i])->url);
	site_hash_end(h, codes);
	p = site_pipe_new(s, code_work, code_emit);
	for (i = 0; i < s->codes.n; i++)
		code_page(s, p, s->codes.v[i], codes);
	site_pipe_finish(p);
	index_page(s, 0);
	index_page(s, 1);
}
