/*
 * site_diff.c -- translations against their English text: every
 * translation is diffed (diff.h, translation mode) against the newest
 * English version of its article, with the English version it was
 * translated from as the base, which gives the banner of its page (how
 * many sections changed in English since, how many are missing) and the
 * diff page d/KEY.LOCALE.LABEL.html.  A diff is run again only when one
 * of its inputs changed; the counts are kept in the manifest meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "mustache.h"
#include "article.h"
#include "diff.h"
#include "site.h"

/* What a translation's diff depends on. */
static void
diff_sig(const struct site *s, const struct site_version *v, char out[41])
{
	struct site_hash *h = site_hash_new();
	size_t i;

	site_hash_str(h, s->gsig);
	site_hash_str(h, "diff");
	site_hash_str(h, v->url);
	site_hash_str(h, v->sha1);
	site_hash_str(h, v->source_hash);
	site_hash_str(h, v->source_commit);
	site_hash_str(h, v->source ? v->source->sha1 : NULL);
	site_hash_str(h, v->en->url);
	/* Any English version may be the base (by hash, commit or date). */
	for (i = 0; i < v->art->versions.n; i++) {
		const struct site_version *e = v->art->versions.v[i];
		if (strcmp(e->locale, "en-us") != 0)
			continue;
		site_hash_str(h, e->sha1);
		site_hash_str(h, e->label);
		site_hash_str(h, e->date);
	}
	site_hash_end(h, out);
}

/*
 * The note kept in the manifest: "stale missing extra total basis base
 * remark" (remark: the diff's note for readers, tabs and newlines made
 * spaces).
 */
static char *
note_make(const struct site_tstat *t)
{
	char *n = xasprintf("%d %d %d %d %s %s %s", t->stale, t->missing,
	    t->extra, t->total, t->basis[0] ? t->basis : "-",
	    t->base ? t->base : "-", t->note ? t->note : ""), *p;

	for (p = n; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	return n;
}

static int
note_parse(const char *note, struct site_tstat *t)
{
	char basis[8], base[256];
	int used = 0;

	if (sscanf(note, "%d %d %d %d %7s %255s %n", &t->stale, &t->missing,
	    &t->extra, &t->total, basis, base, &used) != 6 || used == 0)
		return -1;
	free(t->note);
	t->note = *(note + used) ? xstrdup(note + used) : NULL;
	snprintf(t->basis, sizeof(t->basis), "%s",
	    strcmp(basis, "-") ? basis : "");
	free(t->base);
	t->base = strcmp(base, "-") ? xstrdup(base) : NULL;
	t->known = 1;
	return 0;
}

/*
 * The English version v was translated from, found in the model as
 * diff_source_find() finds it in the KB: by ms.openlocfilehash (the KB
 * links it: v->source), else by ms.sourcegitcommit within the article,
 * else the newest dated English version not after its ms.lasthandoff or
 * ms.date (ties to the one sharing most of its anchors).  A guess of the
 * current English version is dropped when v names other bytes by hash:
 * the English text then changed since the translation (diff_base_find()
 * applies the same rule).  The model holds every version, so this costs
 * no query per translation; keep the two in step.
 */
static struct site_version *
base_of(const struct site_version *v, const char **basis)
{
	const struct site_article *a = v->art;
	const char *td = v->handoff ? v->handoff : v->date;
	struct site_version *best = NULL, *e;
	int agree = -1, n;
	size_t i, k;

	*basis = "hash";
	if (v->source != NULL)
		return v->source;
	*basis = "commit";
	for (i = 0; v->source_commit && i < a->versions.n; i++) {
		e = a->versions.v[i];
		if (strcmp(e->locale, "en-us") == 0 && e->commit &&
		    strlen(e->commit) >= 7 && kb_strncasecmp(v->source_commit,
		    e->commit, strlen(e->commit)) == 0 &&
		    (best == NULL || e->id < best->id))
			best = e;
	}
	if (best != NULL)
		return best;
	*basis = "date";
	for (i = 0; td && i < a->versions.n; i++) {
		e = a->versions.v[i];
		if (strcmp(e->locale, "en-us") != 0 || e->date == NULL ||
		    strcmp(e->date, td) > 0)
			continue;
		for (k = 0, n = 0; k < v->nsecs; k++)
			n += site_anchor(e, v->secs[k]->anchor) != NULL;
		/* Newest date wins; on the same date, more shared anchors. */
		if (best == NULL || strcmp(e->date, best->date) > 0 ||
		    (strcmp(e->date, best->date) == 0 && n > agree)) {
			best = e;
			agree = n;
		}
	}
	if (best == v->en && v->source_hash != NULL)
		best = NULL;
	if (best == NULL)
		*basis = NULL;
	return best;
}

/*
 * Loaded KB versions shared by the diffs of one article's translations
 * (its English version, the versions they were made from).  Main thread
 * only: jobs take a reference when loaded and drop it when emitted; the
 * cache keeps one on the current article's documents.
 */
struct dent {
	int64_t		 vid;
	struct diff_doc	 doc;
	int		 refs;
	int		 pinned;
};

static struct dent *
doc_get(struct site *s, struct vec *cache, int64_t vid)
{
	struct dent *e;
	size_t i;

	for (i = 0; i < cache->n; i++) {
		e = cache->v[i];
		if (e->vid == vid) {
			e->refs++;
			return e;
		}
	}
	e = xcalloc(1, sizeof(*e));
	if (diff_doc_kb(&e->doc, s->db, vid) == -1) {
		free(e);
		return NULL;
	}
	e->vid = vid;
	e->refs = 2;		/* the caller's and the cache's pin */
	e->pinned = 1;
	vec_push(cache, e);
	return e;
}

static void
doc_put(struct vec *cache, struct dent *e)
{
	size_t i;

	if (e == NULL || --e->refs > 0)
		return;
	for (i = 0; i < cache->n; i++)
		if (cache->v[i] == e) {
			cache->v[i] = cache->v[--cache->n];
			break;
		}
	diff_doc_free(&e->doc);
	free(e);
}

/* Drops the cache's pins (a new article begins). */
static void
doc_unpin(struct vec *cache)
{
	size_t i = cache->n;

	while (i-- > 0) {
		struct dent *e = cache->v[i];
		if (e->pinned) {
			e->pinned = 0;
			doc_put(cache, e);
		}
	}
}

/* The two kinds of diff page, in one pipe (see site_diffs()). */
enum { JOB_TRANSLATION, JOB_CHANGES };

/* A translation's diff on its way: loaded, diffed, written. */
struct diff_job {
	int			 kind;		/* JOB_TRANSLATION */
	struct site_version	*v;
	char			 sig[41];
	struct dent		*tr, *en, *base; /* shared, see doc_get() */
	const char		*basis;
	struct vec		*cache;
	struct diff_memo	*memo;		/* shared by the workers */
	struct buf		 out;
	char			*note;
	int			 rc;
};

/*
 * Runs the diff and writes its HTML (render_diff.c) into body.  Copies
 * of an article give the same pairs, whose HTML is most of the page:
 * it is remembered in the memo with the result, and a copy only writes
 * the head (names, front matter, note, summary: what differs between
 * copies) before it.  Fills r; r->pairs stays empty when the pairs HTML
 * came from the memo.
 */
static void
diff_body(struct buf *body, struct diff_result *r, const struct diff_doc *old,
    const struct diff_doc *new, const struct diff_doc *base,
    const char *basis, const struct diff_opts *o)
{
	static const char end[] = "</article>\n";
	const size_t endn = sizeof(end) - 1;
	struct buf head = {0}, pairs = {0};
	size_t n;
	int have;

	diff_memo_html_want(1);
	diff_run(r, old, new, base, basis, o);
	diff_memo_html_want(0);
	have = diff_memo_html_take(&pairs);
	/* The head alone: the page without its pairs. */
	n = r->pairs.n;
	r->pairs.n = 0;
	diff_write_html(&head, r);
	r->pairs.n = n;
	if (head.len < endn || memcmp(head.data + head.len - endn, end,
	    endn) != 0) {
		/* Not the markup this expects: no sharing. */
		if (have) {
			diff_result_free(r);
			diff_run(r, old, new, base, basis, o);
		}
		diff_write_html(body, r);
	} else if (have) {
		buf_put(body, head.data, head.len - endn);
		buf_put(body, pairs.data ? pairs.data : "", pairs.len);
		buf_puts(body, end);
	} else {
		diff_write_html(body, r);
		if (body->len >= head.len && memcmp(body->data, head.data,
		    head.len - endn) == 0)
			diff_memo_html_put(o->memo, body->data + head.len - endn,
			    body->len - head.len);
	}
	buf_free(&head);
	buf_free(&pairs);
}

/* The diff page of v from a finished diff, into j->out. */
static int
diff_page(struct site *s, const struct site_version *v, struct buf *body,
    struct buf *out)
{
	struct mu_value *d = site_page(s, SITE_VDEPTH, "en", v->title);
	char *self;

	mu_set(d, "diff_html", mu_strn(body->data ? body->data : "",
	    body->len));
	self = xasprintf("%s%s", site_root(SITE_VDEPTH), v->url);
	mu_set(d, "translation_url", mu_str(self));
	free(self);
	self = xasprintf("%s%s", site_root(SITE_VDEPTH), v->en->url);
	mu_set(d, "english_url", mu_str(self));
	free(self);
	mu_set(d, "locale", mu_str(v->locale));
	mu_set(d, "label", mu_str(v->label));
	mu_set(d, "english_label", mu_str(v->en->label));
	return site_render_page(s, "diff", d, out);
}

/* Worker: the diff, the translation status and the page. */
static void
diff_work(struct site *s, void *arg)
{
	struct diff_job *j = arg;
	struct site_tstat *ts = &j->v->ts;
	const struct diff_doc *base = j->base ? &j->base->doc : NULL;
	struct diff_result r;
	struct diff_opts o;
	struct buf body = {0};

	memset(&o, 0, sizeof(o));
	o.translation = 1;
	o.memo = j->memo;
	memset(&r, 0, sizeof(r));
	diff_body(&body, &r, &j->en->doc, &j->tr->doc, base, j->basis, &o);
	ts->known = 1;
	ts->total = (int)j->en->doc.a->sections.n;
	ts->stale = (int)r.count[DS_STALE];
	ts->missing = (int)r.count[DS_MISSING];
	ts->extra = (int)r.count[DS_EXTRA];
	snprintf(ts->basis, sizeof(ts->basis), "%s", j->basis ? j->basis : "");
	free(ts->base);
	ts->base = base ? xstrdup(base->a->version) : NULL;
	free(ts->note);
	ts->note = r.note ? xstrdup(r.note) : NULL;
	j->note = note_make(ts);
	j->rc = diff_page(s, j->v, &body, &j->out);
	buf_free(&body);
	diff_result_free(&r);
	if (j->rc == 0)
		site_write(s, j->v->diff_url, j->out.data ? j->out.data : "",
		    j->out.len);
	buf_free(&j->out);
}

/* Main thread: writes the page and frees the job. */
static void
diff_emit(struct site *s, void *arg)
{
	struct diff_job *j = arg;

	if (j->rc != 0)
		s->rc = -1;
	site_manifest_put(s->man, j->v->diff_url, j->rc == 0 ? j->sig : "-",
	    j->note);
	s->rendered++;
	doc_put(j->cache, j->tr);
	doc_put(j->cache, j->en);
	doc_put(j->cache, j->base);
	free(j->note);
	buf_free(&j->out);
	free(j);
}

/* Main thread: the documents of a translation's diff. */
static struct diff_job *
diff_load(struct site *s, struct vec *cache, struct site_version *v,
    const char *sig)
{
	struct diff_job *j = xcalloc(1, sizeof(*j));
	struct site_version *b = base_of(v, &j->basis);

	j->kind = JOB_TRANSLATION;
	j->v = v;
	j->cache = cache;
	memcpy(j->sig, sig, sizeof(j->sig));
	if ((j->tr = doc_get(s, cache, v->id)) == NULL ||
	    (j->en = doc_get(s, cache, v->en->id)) == NULL) {
		doc_put(cache, j->tr);
		free(j);
		return NULL;
	}
	if (b != NULL && (j->base = doc_get(s, cache, b->id)) == NULL)
		j->basis = NULL;
	return j;
}

/* ---- Version against version: the version switcher's diff pages ---- */

/* What the diff of v->prev against v depends on. */
static void
changes_sig(const struct site *s, const struct site_version *v, char out[41])
{
	struct site_hash *h = site_hash_new();

	site_hash_str(h, s->gsig);
	site_hash_str(h, "changes");
	site_hash_str(h, v->changes_url);
	site_hash_str(h, v->url);
	site_hash_str(h, v->sha1);
	site_hash_str(h, v->label);
	site_hash_str(h, v->title);
	site_hash_str(h, v->prev->url);
	site_hash_str(h, v->prev->sha1);
	site_hash_str(h, v->prev->label);
	site_hash_end(h, out);
}

/* A version's diff on its way: loaded, diffed, written. */
struct changes_job {
	int			 kind;		/* JOB_CHANGES */
	struct site_version	*v;
	char			 sig[41];
	struct dent		*old, *new;	/* shared, see doc_get() */
	struct vec		*cache;
	struct diff_memo	*memo;
	struct buf		 out;
	int			 rc;
};

/* Worker: the diff of v->prev against v and its page. */
static void
changes_work(struct site *s, void *arg)
{
	struct changes_job *j = arg;
	const struct site_version *v = j->v;
	struct diff_result r;
	struct diff_opts o;
	struct mu_value *d;
	struct buf body = {0};
	char *u;

	memset(&o, 0, sizeof(o));
	o.translation = 0;
	o.memo = j->memo;
	diff_body(&body, &r, &j->old->doc, &j->new->doc, NULL, NULL, &o);
	d = site_page(s, SITE_VDEPTH, v->locale, v->title);
	mu_set(d, "diff_html", mu_strn(body.data ? body.data : "", body.len));
	buf_free(&body);
	u = xasprintf("%s%s", site_root(SITE_VDEPTH), v->prev->url);
	mu_set(d, "old_url", mu_str(u));
	free(u);
	u = xasprintf("%s%s", site_root(SITE_VDEPTH), v->url);
	mu_set(d, "new_url", mu_str(u));
	free(u);
	mu_set(d, "locale", mu_str(v->locale));
	mu_set(d, "label", mu_str(v->label));
	mu_set(d, "old_label", mu_str(v->prev->label));
	j->rc = site_render_page(s, "diff", d, &j->out);
	diff_result_free(&r);
	if (j->rc == 0)
		site_write(s, v->changes_url, j->out.data ? j->out.data : "",
		    j->out.len);
	buf_free(&j->out);
}

/* Main thread: writes the page and frees the job. */
static void
changes_emit(struct site *s, void *arg)
{
	struct changes_job *j = arg;

	if (j->rc != 0)
		s->rc = -1;
	site_manifest_put(s->man, j->v->changes_url, j->rc == 0 ? j->sig : "-",
	    "");
	s->rendered++;
	doc_put(j->cache, j->old);
	doc_put(j->cache, j->new);
	buf_free(&j->out);
	free(j);
}

/* Main thread: the documents of a version's diff, or NULL. */
static struct changes_job *
changes_load(struct site *s, struct vec *cache, struct site_version *v,
    const char *sig)
{
	struct changes_job *j = xcalloc(1, sizeof(*j));

	j->kind = JOB_CHANGES;
	j->v = v;
	j->cache = cache;
	memcpy(j->sig, sig, sizeof(j->sig));
	if ((j->new = doc_get(s, cache, v->id)) == NULL ||
	    (j->old = doc_get(s, cache, v->prev->id)) == NULL) {
		doc_put(cache, j->new);
		free(j);
		return NULL;
	}
	return j;
}

/* The pipe's work and emit, by the kind of job. */
static void
any_work(struct site *s, void *job)
{
	if (*(int *)job == JOB_CHANGES)
		changes_work(s, job);
	else
		diff_work(s, job);
}

static void
any_emit(struct site *s, void *job)
{
	if (*(int *)job == JOB_CHANGES)
		changes_emit(s, job);
	else
		diff_emit(s, job);
}

/*
 * Both kinds of diff page in one pass over the versions, article by
 * article, so that each version is loaded from the KB once for all the
 * diffs it takes part in: as a translation, as the English side of its
 * article's translations or their base, and as the new and the old side
 * of the version diffs in its language.
 */
void
site_diffs(struct site *s)
{
	struct site_pipe *p = site_pipe_new(s, any_work, any_emit);
	const struct site_article *art = NULL;
	struct vec cache = {0};
	struct diff_memo *memo = diff_memo_new();
	const char *note;
	char sig[41];
	size_t i;

	for (i = 0; i < s->versions.n; i++) {
		struct site_version *v = s->versions.v[i];
		struct diff_job *dj;
		struct changes_job *cj;
		if (v->art != art) {
			doc_unpin(&cache);
			art = v->art;
		}
		if (v->en != NULL) {
			diff_sig(s, v, sig);
			note = NULL;
			if (site_manifest_fresh(s->man, s->out, v->diff_url,
			    sig, &note) && note_parse(note, &v->ts) == 0) {
				site_manifest_put(s->man, v->diff_url, sig, note);
				s->kept++;
			} else if ((dj = diff_load(s, &cache, v, sig)) != NULL) {
				dj->memo = memo;
				site_pipe_push(p, dj);
			}
		}
		if (v->prev == NULL)
			continue;
		changes_sig(s, v, sig);
		if (site_manifest_fresh(s->man, s->out, v->changes_url, sig,
		    NULL)) {
			site_manifest_put(s->man, v->changes_url, sig, "");
			s->kept++;
		} else if ((cj = changes_load(s, &cache, v, sig)) != NULL) {
			cj->memo = memo;
			site_pipe_push(p, cj);
		} else
			s->rc = -1;
	}
	site_pipe_finish(p);
	doc_unpin(&cache);
	vec_free(&cache);
	diff_memo_free(memo);
}
