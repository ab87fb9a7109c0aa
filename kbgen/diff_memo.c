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

#include "util.h"
#include "article.h"
#include "diff.h"

/* Results kept at most, counting their text bytes. */
#define MEMO_BYTES	(48u * 1024 * 1024)
/* Hash table slots (a power of two, well above the entries kept). */
#define MEMO_SLOTS	4096

struct memo_ent {
	char		 key[41];
	struct vec	 pairs;		/* struct diff_pair *, owned */
	size_t		 count[DS__MAX];
	size_t		 bytes;
	struct memo_ent	*next;		/* same slot */
	struct memo_ent	*older, *newer;	/* FIFO */
};

struct diff_memo {
	pthread_mutex_t	 mu;
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
	free(e);
}

void
diff_memo_free(struct diff_memo *m)
{
	struct memo_ent *e, *n;

	if (m == NULL)
		return;
	if (getenv("KBGEN_SITE_TIMES") != NULL)
		fprintf(stderr, "kbgen: diff memo: %zu hits, %zu misses\n",
		    m->hits, m->misses);
	for (e = m->oldest; e != NULL; e = n) {
		n = e->newer;
		ent_free(e);
	}
	pthread_mutex_destroy(&m->mu);
	free(m);
}

/* Length-prefixed, so that no two field lists serialize alike. */
static void
put_str(struct buf *b, const char *s, size_t n)
{
	buf_printf(b, "%zu:", s ? n : (size_t)-1);
	if (s)
		buf_put(b, s, n);
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

static void
put_doc(struct buf *b, const struct diff_doc *d)
{
	const struct article *a = d->a;
	size_t i, k, cut;

	if (a == NULL) {
		buf_puts(b, "none;");
		return;
	}
	put_str(b, a->locale, a->locale ? strlen(a->locale) : 0);
	buf_printf(b, "%d;%zu;", (int)a->format, a->sections.n);
	cut = text_cut(d);
	put_str(b, d->text ? d->text + cut : NULL, d->text ? d->len - cut : 0);
	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];
		buf_printf(b, "%d,%d,", s->level, s->line);
		put_str(b, s->anchor, s->anchor ? strlen(s->anchor) : 0);
		put_str(b, s->title, s->title ? strlen(s->title) : 0);
		put_str(b, s->html.data ? s->html.data : "", s->html.len);
		put_str(b, s->text.data ? s->text.data : "", s->text.len);
		buf_printf(b, "%zu;", s->mentions.n);
		for (k = 0; k < s->mentions.n; k++) {
			const struct mention *m = s->mentions.v[k];
			buf_printf(b, "%d,", (int)m->kind);
			put_str(b, m->value, m->value ? strlen(m->value) : 0);
		}
	}
}

void
diff_memo_key(const struct diff_doc *old, const struct diff_doc *new,
    const struct diff_doc *base, const char *mode, char out[41])
{
	struct buf b = {0};

	buf_puts(&b, "kbgen diff memo 1;");
	buf_puts(&b, mode);
	buf_putc(&b, ';');
	put_doc(&b, old);
	put_doc(&b, new);
	if (base)
		put_doc(&b, base);
	else
		buf_puts(&b, "nobase;");
	sha1_hex(b.data, b.len, out);
	buf_free(&b);
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

	pthread_mutex_lock(&m->mu);
	for (e = m->slot[slot_of(key)]; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			break;
	if (e != NULL) {
		pairs_copy(pairs, &e->pairs);
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

	memcpy(e->key, key, sizeof(e->key));
	e->bytes = sizeof(*e) + pairs_copy(&e->pairs, pairs);
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
