/*
 * diff_memo.c -- diff results remembered by content, for the site.
 *
 * The site diffs every translation against its English text, and many
 * of those diffs are the same computation: forks and copies of one
 * repository hold byte-identical articles under other paths or keys, so
 * their sections, and therefore their section pairs, are the same.
 * The key is a SHA-1 over everything run_versions() and
 * run_translation() read from the documents (locale, format, source
 * text, and every section's level, line, anchor, title, HTML, text and
 * code mentions) and over the options, never over names, keys, labels
 * or dates: those only feed the note and the front-matter list, which
 * diff_run() makes afresh on every call.  A hit hands out a deep copy,
 * so a result still owns what it holds (diff.h).
 *
 * Memory is bounded: entries are kept in first-in first-out order up to
 * MEMO_BYTES, which suits the site's order (versions sorted by article
 * key, so copies of one article follow each other).  Thread-safe: the
 * site diffs on worker threads.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha1.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "mustache.h"
#include "article.h"
#include "diff.h"
#include "site.h"

/* Results kept at most, counting their text bytes. */
#define MEMO_BYTES	(48u * 1024 * 1024)
/* Hash table slots (a power of two, well above the entries kept). */
#define MEMO_SLOTS	4096

struct memo_ent {
	char		 key[41];
	int		 has_pairs;	/* pairs kept: not for the site, which
					   wants the page (html) only */
	struct vec	 pairs;		/* struct diff_pair *, owned */
	size_t		 count[DS__MAX];
	size_t		 bytes;
	char		*html;		/* the pairs as HTML (site), or NULL */
	size_t		 hlen;
	struct memo_ent	*next;		/* same slot */
	struct memo_ent	*older, *newer;	/* FIFO */
};

/* A section pair's word diff (diff_memo_pair_get()). */
struct pair_ent {
	char		*key;
	unsigned	 flags;
	int		 has_ops;
	struct vec	 ops, title_ops;
	struct pair_ent	*next;
};

/* Section-pair results kept at most (bytes, roughly): when full, the
 * table starts over, which costs little as the site goes article by
 * article. */
#define PAIR_BYTES	(8u * 1024 * 1024)
#define PAIR_SLOTS	1024

struct diff_memo {
	pthread_mutex_t	 mu;
	struct pair_ent	*pslot[PAIR_SLOTS];
	size_t		 pbytes;
	size_t		 phits, pmisses;
	struct memo_ent	*slot[MEMO_SLOTS];
	struct memo_ent	*oldest, *newest;
	size_t		 bytes;
	size_t		 hits, misses;
};

struct diff_memo *
diff_memo_new(void)
{
	struct diff_memo *m = xcalloc(1, sizeof(*m));

	pthread_mutex_init(&m->mu, NULL);
	return m;
}

static void
pairs_free(struct vec *pairs)
{
	size_t i;

	for (i = 0; i < pairs->n; i++) {
		struct diff_pair *p = pairs->v[i];
		diff_ops_free(&p->title_ops);
		diff_ops_free(&p->ops);
		free(p);
	}
	vec_free(pairs);
}

static void
ent_free(struct memo_ent *e)
{
	pairs_free(&e->pairs);
	free(e->html);
	free(e);
}

/*
 * The calling thread's last look-up, for diff_memo_html_take() and
 * diff_memo_html_put(): diff_run() finds the key, the site wants the
 * page of the same result.  skip: the caller takes the HTML instead of
 * the pairs when the entry has it.
 */
static void digs_clear(void);

static _Thread_local struct {
	char		 key[41];
	int		 skip;
	struct buf	 html;
	int		 have;
} tl;

static void
pair_ent_free(struct pair_ent *e)
{
	diff_ops_free(&e->ops);
	diff_ops_free(&e->title_ops);
	free(e->key);
	free(e);
}

/* Empties the section-pair table (lock held). */
static void
pairs_clear(struct diff_memo *m)
{
	struct pair_ent *e, *n;
	size_t i;

	for (i = 0; i < PAIR_SLOTS; i++) {
		for (e = m->pslot[i]; e != NULL; e = n) {
			n = e->next;
			pair_ent_free(e);
		}
		m->pslot[i] = NULL;
	}
	m->pbytes = 0;
}

void
diff_memo_free(struct diff_memo *m)
{
	struct memo_ent *e, *n;

	if (m == NULL)
		return;
	digs_clear();
	if (getenv("KBGEN_SITE_TIMES") != NULL)
		fprintf(stderr, "kbgen: diff memo: %zu hits, %zu misses; "
		    "section pairs: %zu hits, %zu misses\n", m->hits,
		    m->misses, m->phits, m->pmisses);
	pairs_clear(m);
	for (e = m->oldest; e != NULL; e = n) {
		n = e->newer;
		ent_free(e);
	}
	pthread_mutex_destroy(&m->mu);
	free(m);
}

/*
 * The key is hashed as it is read, never copied into a buffer: the
 * documents are most of a diff's input.  Fields are length-prefixed, so
 * that no two field lists hash alike.
 */
static void
put_bytes(struct sha1_ctx *c, const void *p, size_t n)
{
	sha1_update(c, n, p);
}

static void
put_num(struct sha1_ctx *c, int64_t v)
{
	uint8_t b[8];

	kb_le64(b, v);
	sha1_update(c, sizeof(b), b);
}

static void
put_str(struct sha1_ctx *c, const char *s, size_t n)
{
	put_num(c, s ? (int64_t)n : -1);
	if (s)
		put_bytes(c, s, n);
}

static void
put_cstr(struct sha1_ctx *c, const char *s)
{
	put_str(c, s, s ? strlen(s) : 0);
}

/*
 * Where the source text starts to matter: the line of the first section.
 * The diff reads the text only through the section lines (diff.c,
 * side_spans), which the key holds, so the front matter before them
 * (ms.assetid, dates: what differs between copies) is left out.  The
 * line count before the cut is implied by the first section's line.
 */
static size_t
text_cut(const struct diff_doc *d)
{
	const struct section *s;
	size_t p = 0;
	int line = 1;

	if (d->text == NULL || d->a->sections.n == 0)
		return 0;
	s = d->a->sections.v[0];
	while (line < s->line && p < d->len) {
		const char *nl = memchr(d->text + p, '\n', d->len - p);
		if (nl == NULL)
			return 0;	/* fewer lines: the whole text, then */
		p = (size_t)(nl - d->text) + 1;
		line++;
	}
	return line == s->line ? p : 0;
}

/* The digest of what the diff reads of one document. */
static void
doc_digest(const struct diff_doc *d, uint8_t out[SHA1_DIGEST_SIZE])
{
	const struct article *a = d->a;
	struct sha1_ctx c;
	size_t i, k, cut;

	sha1_init(&c);
	put_cstr(&c, a->locale);
	put_num(&c, (int)a->format);
	put_num(&c, (int64_t)a->sections.n);
	cut = text_cut(d);
	put_str(&c, d->text ? d->text + cut : NULL, d->text ? d->len - cut : 0);
	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];
		put_num(&c, s->level);
		put_num(&c, s->line);
		put_cstr(&c, s->anchor);
		put_cstr(&c, s->title);
		put_str(&c, s->html.data ? s->html.data : "", s->html.len);
		put_str(&c, s->text.data ? s->text.data : "", s->text.len);
		put_num(&c, (int64_t)s->mentions.n);
		for (k = 0; k < s->mentions.n; k++) {
			const struct mention *m = s->mentions.v[k];
			put_num(&c, (int)m->kind);
			put_cstr(&c, m->value);
		}
	}
	sha1_digest(&c, SHA1_DIGEST_SIZE, out);
}

/*
 * Digests of KB documents, by version id and raw-bytes SHA-1: the site
 * diffs each version against several others (an English version against
 * all its translations), and a KB version loads the same every time.
 * Forgotten when a memo is freed.
 */
struct dig {
	int64_t		 vid;
	char		 sha1[41];
	uint8_t		 d[SHA1_DIGEST_SIZE];
	struct dig	*next;
};

#define DIG_SLOTS	1024
static pthread_mutex_t dig_mu = PTHREAD_MUTEX_INITIALIZER;
static struct dig *digs[DIG_SLOTS];

static void
doc_digest_cached(const struct diff_doc *d, uint8_t out[SHA1_DIGEST_SIZE])
{
	struct dig *e;
	unsigned h = (unsigned)(d->vid & (DIG_SLOTS - 1));

	if (d->vid <= 0 || d->a == NULL) {
		doc_digest(d, out);
		return;
	}
	pthread_mutex_lock(&dig_mu);
	for (e = digs[h]; e != NULL; e = e->next)
		if (e->vid == d->vid && strcmp(e->sha1, d->a->sha1) == 0)
			break;
	if (e != NULL)
		memcpy(out, e->d, SHA1_DIGEST_SIZE);
	pthread_mutex_unlock(&dig_mu);
	if (e != NULL)
		return;
	doc_digest(d, out);
	e = xcalloc(1, sizeof(*e));
	e->vid = d->vid;
	snprintf(e->sha1, sizeof(e->sha1), "%s", d->a->sha1);
	memcpy(e->d, out, SHA1_DIGEST_SIZE);
	pthread_mutex_lock(&dig_mu);
	e->next = digs[h];
	digs[h] = e;
	pthread_mutex_unlock(&dig_mu);
}

static void
digs_clear(void)
{
	struct dig *e, *n;
	size_t i;

	pthread_mutex_lock(&dig_mu);
	for (i = 0; i < DIG_SLOTS; i++) {
		for (e = digs[i]; e != NULL; e = n) {
			n = e->next;
			free(e);
		}
		digs[i] = NULL;
	}
	pthread_mutex_unlock(&dig_mu);
}

static void
put_doc(struct sha1_ctx *c, const struct diff_doc *d)
{
	uint8_t dg[SHA1_DIGEST_SIZE];

	if (d == NULL || d->a == NULL) {
		put_cstr(c, "none");
		return;
	}
	doc_digest_cached(d, dg);
	put_str(c, (const char *)dg, sizeof(dg));
}

void
diff_memo_key(const struct diff_doc *old, const struct diff_doc *new,
    const struct diff_doc *base, const char *mode, char out[41])
{
	struct sha1_ctx c;
	uint8_t d[SHA1_DIGEST_SIZE];

	sha1_init(&c);
	put_cstr(&c, "kbgen diff memo 2");
	put_cstr(&c, mode);
	put_doc(&c, old);
	put_doc(&c, new);
	if (base)
		put_doc(&c, base);
	else
		put_cstr(&c, "nobase");
	sha1_digest(&c, sizeof(d), d);
	hex_encode(d, sizeof(d), out);
}

/* The slot of a key: its first hex digits (SHA-1 is uniform enough). */
static unsigned
slot_of(const char *key)
{
	unsigned h = 0;
	int i;

	for (i = 0; i < 4; i++)
		h = h << 4 | (unsigned)(key[i] <= '9' ? key[i] - '0' :
		    key[i] - 'a' + 10);
	return h & (MEMO_SLOTS - 1);
}

static size_t
ops_copy(struct vec *to, const struct vec *from)
{
	size_t i, bytes = 0;

	for (i = 0; i < from->n; i++) {
		const struct diff_op *o = from->v[i];
		struct diff_op *c = xcalloc(1, sizeof(*c));
		c->op = o->op;
		c->format = o->format;
		c->text = xstrdup(o->text);
		c->old = o->old ? xstrdup(o->old) : NULL;
		bytes += sizeof(*c) + strlen(o->text) + 1;
		vec_push(to, c);
	}
	return bytes;
}

/* Deep-copies pairs into to; returns the bytes copied, roughly. */
static size_t
pairs_copy(struct vec *to, const struct vec *from)
{
	size_t i, bytes = 0;

	for (i = 0; i < from->n; i++) {
		const struct diff_pair *p = from->v[i];
		struct diff_pair *c = xmalloc(sizeof(*c));
		*c = *p;
		memset(&c->title_ops, 0, sizeof(c->title_ops));
		memset(&c->ops, 0, sizeof(c->ops));
		bytes += sizeof(*c) + ops_copy(&c->title_ops, &p->title_ops) +
		    ops_copy(&c->ops, &p->ops);
		vec_push(to, c);
	}
	return bytes;
}

int
diff_memo_get(struct diff_memo *m, const char *key, struct vec *pairs,
    size_t count[DS__MAX])
{
	struct memo_ent *e;

	memcpy(tl.key, key, sizeof(tl.key));
	tl.have = 0;
	pthread_mutex_lock(&m->mu);
	for (e = m->slot[slot_of(key)]; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			break;
	if (e != NULL) {
		if (tl.skip && e->html != NULL) {
			/* The page is remembered: no pairs needed. */
			buf_reset(&tl.html);
			buf_put(&tl.html, e->html, e->hlen);
			tl.have = 1;
		} else if (e->has_pairs)
			pairs_copy(pairs, &e->pairs);
		else
			e = NULL;	/* the page is not there yet */
	}
	if (e != NULL) {
		memcpy(count, e->count, sizeof(e->count));
		m->hits++;
	} else
		m->misses++;
	pthread_mutex_unlock(&m->mu);
	return e != NULL;
}

/* Unlinks and frees the oldest entry (lock held). */
static void
evict_oldest(struct diff_memo *m)
{
	struct memo_ent *e = m->oldest, **pp;

	for (pp = &m->slot[slot_of(e->key)]; *pp != e; pp = &(*pp)->next)
		;
	*pp = e->next;
	m->oldest = e->newer;
	if (m->oldest)
		m->oldest->older = NULL;
	else
		m->newest = NULL;
	m->bytes -= e->bytes;
	ent_free(e);
}

void
diff_memo_put(struct diff_memo *m, const char *key, const struct vec *pairs,
    const size_t count[DS__MAX])
{
	struct memo_ent *e = xcalloc(1, sizeof(*e)), *x;
	unsigned h = slot_of(key);

	memcpy(tl.key, key, sizeof(tl.key));
	tl.have = 0;
	memcpy(e->key, key, sizeof(e->key));
	e->bytes = sizeof(*e);
	/* A caller that wants the page keeps only that (html_put): a copy
	 * of every pair, most never asked for again, cost more than the
	 * memo saved. */
	if (!tl.skip) {
		e->bytes += pairs_copy(&e->pairs, pairs);
		e->has_pairs = 1;
	}
	memcpy(e->count, count, sizeof(e->count));
	pthread_mutex_lock(&m->mu);
	for (x = m->slot[h]; x != NULL; x = x->next)
		if (strcmp(x->key, key) == 0)
			break;
	if (x != NULL || e->bytes > MEMO_BYTES) {
		/* Another thread got there first, or too big to keep. */
		pthread_mutex_unlock(&m->mu);
		ent_free(e);
		return;
	}
	while (m->oldest && m->bytes + e->bytes > MEMO_BYTES)
		evict_oldest(m);
	e->next = m->slot[h];
	m->slot[h] = e;
	e->older = m->newest;
	if (m->newest)
		m->newest->newer = e;
	else
		m->oldest = e;
	m->newest = e;
	m->bytes += e->bytes;
	pthread_mutex_unlock(&m->mu);
}

void
diff_memo_html_want(int on)
{
	tl.skip = on;
	if (on)
		tl.key[0] = '\0';	/* a run that does not look sets none */
}

int
diff_memo_html_take(struct buf *out)
{
	int have = tl.have;

	if (have)
		buf_put(out, tl.html.data ? tl.html.data : "", tl.html.len);
	tl.have = 0;
	buf_free(&tl.html);
	return have;
}

void
diff_memo_html_put(struct diff_memo *m, const char *html, size_t len)
{
	struct memo_ent *e;

	if (tl.key[0] == '\0')
		return;		/* diff_run() did not consult the memo */
	pthread_mutex_lock(&m->mu);
	for (e = m->slot[slot_of(tl.key)]; e != NULL; e = e->next)
		if (strcmp(e->key, tl.key) == 0)
			break;
	if (e != NULL && e->html == NULL) {
		e->html = xmalloc(len + 1);
		memcpy(e->html, html, len);
		e->html[len] = '\0';
		e->hlen = len;
		e->bytes += len;
		m->bytes += len;
	}
	pthread_mutex_unlock(&m->mu);
}

static unsigned
pslot_of(const char *key)
{
	return diff_hash(key, strlen(key)) & (PAIR_SLOTS - 1);
}

int
diff_memo_pair_get(struct diff_memo *m, const char *key, unsigned *flags,
    struct vec *ops, struct vec *title_ops)
{
	struct pair_ent *e;

	pthread_mutex_lock(&m->mu);
	for (e = m->pslot[pslot_of(key)]; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			break;
	if (e != NULL) {
		*flags = e->flags;
		if (e->has_ops) {
			ops_copy(ops, &e->ops);
			ops_copy(title_ops, &e->title_ops);
		}
		m->phits++;
	} else
		m->pmisses++;
	pthread_mutex_unlock(&m->mu);
	return e != NULL;
}

void
diff_memo_pair_put(struct diff_memo *m, const char *key, unsigned flags,
    const struct vec *ops, const struct vec *title_ops)
{
	struct pair_ent *e = xcalloc(1, sizeof(*e)), *x;
	size_t bytes;
	unsigned h = pslot_of(key);

	e->key = xstrdup(key);
	e->flags = flags;
	bytes = sizeof(*e) + strlen(key);
	if (ops != NULL) {
		e->has_ops = 1;
		bytes += ops_copy(&e->ops, ops) + ops_copy(&e->title_ops,
		    title_ops);
	}
	pthread_mutex_lock(&m->mu);
	for (x = m->pslot[h]; x != NULL; x = x->next)
		if (strcmp(x->key, key) == 0)
			break;
	if (x != NULL || bytes > PAIR_BYTES) {
		pthread_mutex_unlock(&m->mu);
		pair_ent_free(e);
		return;
	}
	if (m->pbytes + bytes > PAIR_BYTES)
		pairs_clear(m);
	e->next = m->pslot[h];
	m->pslot[h] = e;
	m->pbytes += bytes;
	pthread_mutex_unlock(&m->mu);
}
