/*
 * site_search.c -- the offline search index, loaded by the browser as
 * scripts (file:// allows no fetch()):
 *
 *	search/index.js	KB_SEARCH = {n: buckets, codes: [...]}: the bucket
 *			count and every code with its written forms, so a
 *			query "80070643" or "2147944003" finds its code page;
 *	search/bN.js	KB_SEARCH_ADD(N, {v: versions, d: sections,
 *			t: {term: [posting...]}}) for bucket N.
 *
 * Terms are made by the KB's own full-text tokenizer (fts.c): unicode61
 * words, case-folded without diacritics, and character bigrams for
 * Chinese, Japanese and Korean (plus the last character of each CJK run);
 * search.js cuts the query the same way.  A posting is section * 4 +
 * weight, weight bit 1 for a title hit and bit 0 for a repeated term.
 *
 * Articles are spread over the buckets by a hash of their key, so a
 * changed article rewrites one bucket; a bucket is rebuilt only when
 * one of its versions changed (its signature is in the manifest).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha1.h>
#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "mustache.h"
#include "article.h"
#include "codes.h"
#include "html.h"
#include "site.h"

#define MAX_TERM	64	/* longer tokens are not indexed */
#define EXCERPT		160	/* bytes of section text kept for results */

/* One term of a bucket and its postings. */
struct term {
	char		*s;
	size_t		 len;
	uint32_t	 hash;
	uint32_t	*post;
	size_t		 n, cap;
};

/* The index of one bucket while it is built. */
struct bidx {
	struct term	*t;
	size_t		 n, cap;
	uint32_t	*slot;		/* term index + 1; 0 empty */
	size_t		 nslot;		/* power of two */
	uint32_t	 doc;		/* current section */
	int		 title;		/* tokenizing a title */
	struct vec	 fresh;		/* terms given a posting for doc, in
					   order (index + 1, as pointers) */
	struct vec	 chunks;	/* char *: the terms' bytes, in blocks
					   (one allocation per term is most
					   of the cost of a new term) */
	size_t		 used;		/* bytes used in the last chunk */
};

#define CHUNK	65536

/* A copy of the n bytes at s in x's chunks (n <= MAX_TERM). */
static char *
term_copy(struct bidx *x, const char *s, size_t n)
{
	char *p;

	if (x->chunks.n == 0 || x->used + n > CHUNK) {
		vec_push(&x->chunks, xmalloc(CHUNK));
		x->used = 0;
	}
	p = (char *)x->chunks.v[x->chunks.n - 1] + x->used;
	memcpy(p, s, n);
	x->used += n;
	return p;
}

/*
 * The terms of a section by its title and text, shared by the buckets:
 * forks and copies of a repository repeat whole articles, and the
 * tokenizer is most of the index's cost.  An entry holds what the
 * section adds to a bucket, the same for every copy: each term once,
 * in the order of its first posting, with its weight bits.  Thread-safe
 * (buckets are built on worker threads); bounded in memory.
 */
#define TOKMEMO_BYTES	(64u * 1024 * 1024)
#define TOKMEMO_SLOTS	8192

struct tokent {
	unsigned char	 key[20];	/* SHA-1 of title NUL text */
	struct tokent	*next;
	size_t		 len;
	unsigned char	 data[];	/* per term: fnv() (4 bytes), length
					   (1 byte), bytes, weight bits (1
					   byte) */
};

struct tokmemo {
	pthread_mutex_t	 mu;
	struct tokent	*slot[TOKMEMO_SLOTS];
	size_t		 bytes;
};

static uint32_t
fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static void
rehash(struct bidx *x)
{
	size_t i, j;

	x->nslot = x->nslot ? x->nslot * 2 : 1024;
	free(x->slot);
	x->slot = xcalloc(x->nslot, sizeof(*x->slot));
	for (i = 0; i < x->n; i++) {
		for (j = x->t[i].hash & (x->nslot - 1); x->slot[j];
		    j = (j + 1) & (x->nslot - 1))
			;
		x->slot[j] = (uint32_t)i + 1;
	}
}

/* The term of the n bytes at s, whose fnv() is h; made when new. */
static struct term *
term_get_h(struct bidx *x, const char *s, size_t n, uint32_t h)
{
	size_t j;
	struct term *t;

	if ((x->n + 1) * 2 > x->nslot)
		rehash(x);
	for (j = h & (x->nslot - 1); x->slot[j]; j = (j + 1) & (x->nslot - 1)) {
		t = &x->t[x->slot[j] - 1];
		if (t->hash == h && t->len == n && memcmp(t->s, s, n) == 0)
			return t;
	}
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 1024;
		x->t = xrealloc(x->t, x->cap * sizeof(*x->t));
	}
	t = &x->t[x->n];
	memset(t, 0, sizeof(*t));
	t->s = term_copy(x, s, n);
	t->len = n;
	t->hash = h;
	x->slot[j] = (uint32_t)++x->n;
	return t;
}

/* The tokenizer callback: one posting per term and section. */
static int
on_token(void *arg, int flags, const char *tok, int n, int s, int e)
{
	struct bidx *x = arg;
	struct term *t;
	uint32_t w = x->title ? 2 : 0;

	(void)s;
	(void)e;
	if (flags & FTS5_TOKEN_COLOCATED || n <= 0 || n > MAX_TERM)
		return SQLITE_OK;
	t = term_get_h(x, tok, (size_t)n, fnv(tok, (size_t)n));
	if (t->n && t->post[t->n - 1] >> 2 == x->doc) {
		t->post[t->n - 1] |= x->title ? 2 : 1;
		return SQLITE_OK;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4;
		t->post = xrealloc(t->post, t->cap * sizeof(*t->post));
	}
	t->post[t->n++] = x->doc << 2 | w;
	vec_push(&x->fresh, (void *)(uintptr_t)(t - x->t + 1));
	return SQLITE_OK;
}

static void
tokmemo_key(const char *title, const char *text, unsigned char key[20])
{
	struct sha1_ctx c;

	sha1_init(&c);
	sha1_update(&c, strlen(title) + 1, (const uint8_t *)title);
	sha1_update(&c, strlen(text), (const uint8_t *)text);
	sha1_digest(&c, 20, key);
}

static unsigned
tokmemo_slot(const unsigned char key[20])
{
	return ((unsigned)key[0] << 8 | key[1]) & (TOKMEMO_SLOTS - 1);
}

/* The entry of key, or NULL.  Entries are never freed before the memo,
 * so one found may be read without the lock. */
static const struct tokent *
tokmemo_get(struct tokmemo *m, const unsigned char key[20])
{
	struct tokent *e;

	pthread_mutex_lock(&m->mu);
	for (e = m->slot[tokmemo_slot(key)]; e != NULL; e = e->next)
		if (memcmp(e->key, key, 20) == 0)
			break;
	pthread_mutex_unlock(&m->mu);
	return e;
}

/* Remembers the terms that section doc of x got (x->fresh). */
static void
tokmemo_put(struct tokmemo *m, const unsigned char key[20],
    const struct bidx *x)
{
	struct tokent *e, *o;
	size_t i, len = 0;
	unsigned char *p;
	unsigned h = tokmemo_slot(key);

	for (i = 0; i < x->fresh.n; i++)
		len += x->t[(uintptr_t)x->fresh.v[i] - 1].len + 6;
	e = xmalloc(sizeof(*e) + len);
	memcpy(e->key, key, 20);
	e->len = len;
	for (i = 0, p = e->data; i < x->fresh.n; i++) {
		const struct term *t = &x->t[(uintptr_t)x->fresh.v[i] - 1];
		memcpy(p, &t->hash, 4);
		p += 4;
		*p++ = (unsigned char)t->len;	/* at most MAX_TERM */
		memcpy(p, t->s, t->len);
		p += t->len;
		*p++ = (unsigned char)(t->post[t->n - 1] & 3);
	}
	pthread_mutex_lock(&m->mu);
	for (o = m->slot[h]; o != NULL; o = o->next)
		if (memcmp(o->key, key, 20) == 0)
			break;
	if (o != NULL || m->bytes + sizeof(*e) + len > TOKMEMO_BYTES) {
		pthread_mutex_unlock(&m->mu);
		free(e);	/* another thread's, or full */
		return;
	}
	e->next = m->slot[h];
	m->slot[h] = e;
	m->bytes += sizeof(*e) + len;
	pthread_mutex_unlock(&m->mu);
}

/* Adds a remembered section to x as its current section. */
static void
tokmemo_replay(struct bidx *x, const struct tokent *e)
{
	const unsigned char *p = e->data, *end = e->data + e->len;

	while (p < end) {
		uint32_t h;
		size_t n;
		struct term *t;
		memcpy(&h, p, 4);
		n = p[4];
		p += 5;
		t = term_get_h(x, (const char *)p, n, h);
		p += n;
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 4;
			t->post = xrealloc(t->post, t->cap * sizeof(*t->post));
		}
		t->post[t->n++] = x->doc << 2 | *p++;
	}
}

static struct tokmemo *
tokmemo_new(void)
{
	struct tokmemo *m = xcalloc(1, sizeof(*m));

	pthread_mutex_init(&m->mu, NULL);
	return m;
}

static void
tokmemo_free(struct tokmemo *m)
{
	struct tokent *e, *n;
	size_t i;

	for (i = 0; i < TOKMEMO_SLOTS; i++)
		for (e = m->slot[i]; e != NULL; e = n) {
			n = e->next;
			free(e);
		}
	pthread_mutex_destroy(&m->mu);
	free(m);
}

/* The KB's tokenizer: its methods, found once; an instance per job
 * (an instance is not safe to share between threads). */
struct tokzr {
	fts5_tokenizer	 mod;
	void		*ud;
};

static int
tokzr_find(struct db *db, struct tokzr *z)
{
	sqlite3_stmt *st = db_stmt(db, ST_SITE_FTS5);
	fts5_api *api = NULL;

	memset(z, 0, sizeof(*z));
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	db_step(db, st);
	if (api == NULL || api->xFindTokenizer(api, "kbgen", &z->ud,
	    &z->mod) != SQLITE_OK) {
		diag(DIAG_ERROR, NULL, 0, 0, "search index: the full-text "
		    "tokenizer is not available");
		return -1;
	}
	return 0;
}

static void
tokenize(const struct tokzr *z, Fts5Tokenizer *tok, struct bidx *x,
    const char *text, int title)
{
	x->title = title;
	z->mod.xTokenize(tok, x, FTS5_TOKENIZE_DOCUMENT, text,
	    (int)strlen(text), on_token);
}

static int
term_cmp(const void *a, const void *b)
{
	const struct term *x = a, *y = b;
	int d = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	return d ? d : (x->len > y->len) - (x->len < y->len);
}

static void
bidx_free(struct bidx *x)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		free(x->t[i].post);
	for (i = 0; i < x->chunks.n; i++)
		free(x->chunks.v[i]);
	vec_free(&x->chunks);
	free(x->t);
	free(x->slot);
	vec_free(&x->fresh);
	memset(x, 0, sizeof(*x));
}

/* The first EXCERPT bytes of text, white space collapsed, cut at a
 * character boundary. */
static void
excerpt(struct buf *b, const char *text)
{
	char *start, *p;
	int sp = 0;

	/* At most EXCERPT + 1 bytes, 3 of a character, " ...": written
	 * in place (this runs for every section). */
	buf_grow(b, EXCERPT + 16);
	start = p = b->data + b->len;
	for (; *text && p - start < EXCERPT; text++) {
		if (kb_isspace((unsigned char)*text)) {
			sp = p > start;
			continue;
		}
		if (sp)
			*p++ = ' ';
		sp = 0;
		*p++ = *text;
	}
	while (*text && ((unsigned char)*text & 0xc0) == 0x80)
		*p++ = *text++;
	if (*text) {
		memcpy(p, " ...", 4);
		p += 4;
	}
	*p = '\0';
	b->len = (size_t)(p - b->data);
}

/* A bucket on its way: its sections loaded, then indexed and written. */
struct bucket_job {
	int			 k;
	char			*path;
	char			 sig[41];
	const struct tokzr	*z;
	struct tokmemo		*memo;
	struct vec		*vs;		/* its versions */
	struct vec		 rows;		/* char *[4]: version number,
						   anchor, title, text */
	struct buf		 out;
	int			 made;		/* the script was written */
};

/* Main thread: the sections of the bucket's versions. */
static void
bucket_load(struct site *s, struct bucket_job *j)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < j->vs->n; i++) {
		const struct site_version *v = j->vs->v[i];
		st = db_stmt(s->db, ST_SECTIONS_OF);
		db_bind_int(st, 1, v->id);
		while (db_step(s->db, st) == SQLITE_ROW) {
			char **r;
			const char *title = db_col_text(st, 4);
			if (*title == '\0' && *db_col_text(st, 7) == '\0')
				continue;
			r = xcalloc(4, sizeof(*r));
			r[0] = xasprintf("%zu", i);
			r[1] = xstrdup(db_col_text(st, 3));
			r[2] = xstrdup(*title ? title : v->title);
			r[3] = xstrdup(db_col_text(st, 7));
			vec_push(&j->rows, r);
		}
	}
}

/* The sections: rows into d, terms into x. */
static void
index_rows(struct bucket_job *j, Fts5Tokenizer *tok, struct bidx *x,
    struct buf *d)
{
	struct buf ex = {0};
	size_t i;

	for (i = 0; i < j->rows.n; i++) {
		char **r = j->rows.v[i];
		unsigned char key[20];
		const struct tokent *e;
		tokmemo_key(r[2], r[3], key);
		if ((e = tokmemo_get(j->memo, key)) != NULL)
			tokmemo_replay(x, e);
		else {
			x->fresh.n = 0;
			tokenize(j->z, tok, x, r[2], 1);
			tokenize(j->z, tok, x, r[3], 0);
			tokmemo_put(j->memo, key, x);
		}
		buf_reset(&ex);
		excerpt(&ex, r[3]);
		buf_printf(d, "%s[%s,", x->doc ? ",\n" : "", r[0]);
		json_string(d, r[1]);
		buf_putc(d, ',');
		json_string(d, r[2]);
		buf_putc(d, ',');
		json_string(d, buf_str(&ex));
		buf_putc(d, ']');
		x->doc++;
	}
	buf_free(&ex);
}

/* Appends the postings in decimal, comma-separated (postings are most
 * of an index: no printf, one buffer check). */
static void
put_posts(struct buf *b, const uint32_t *post, size_t n)
{
	char *o;
	size_t k;

	buf_grow(b, n * 11);
	o = b->data + b->len;
	for (k = 0; k < n; k++) {
		if (k > 0)
			*o++ = ',';
		o += kb_utoa(post[k], o);
	}
	*o = '\0';
	b->len = (size_t)(o - b->data);
}

/* Worker: the bucket's script. */
static void
bucket_work(struct site *s, void *arg)
{
	struct bucket_job *j = arg;
	struct buf *b = &j->out, d = {0};
	Fts5Tokenizer *tok = NULL;
	struct bidx x;
	size_t i;

	memset(&x, 0, sizeof(x));
	if (j->z->mod.xCreate(j->z->ud, NULL, 0, &tok) != SQLITE_OK)
		return;
	buf_printf(b, "KB_SEARCH_ADD(%d,{v:[", j->k);
	for (i = 0; i < j->vs->n; i++) {
		const struct site_version *v = j->vs->v[i];
		buf_puts(b, i ? ",\n[" : "\n[");
		json_string(b, v->url);
		buf_putc(b, ',');
		json_string(b, v->title);
		buf_putc(b, ',');
		json_string(b, v->locale);
		buf_putc(b, ',');
		json_string(b, v->label);
		buf_puts(b, v->mt ? ",1]" : ",0]");
	}
	index_rows(j, tok, &x, &d);
	j->z->mod.xDelete(tok);
	buf_puts(b, "],\nd:[\n");
	buf_put(b, d.data ? d.data : "", d.len);
	buf_puts(b, "],\nt:{");
	kb_qsort(x.t, x.n, sizeof(*x.t), term_cmp);
	for (i = 0; i < x.n; i++) {
		buf_puts(b, i ? ",\n" : "\n");
		json_string_n(b, x.t[i].s, x.t[i].len);
		buf_puts(b, ":[");
		put_posts(b, x.t[i].post, x.t[i].n);
		buf_putc(b, ']');
	}
	buf_puts(b, "}});\n");
	buf_free(&d);
	bidx_free(&x);
	j->made = 1;
	site_write(s, j->path, j->out.data, j->out.len);
	buf_free(&j->out);
}

/* Main thread: writes the script and frees the job. */
static void
bucket_emit(struct site *s, void *arg)
{
	struct bucket_job *j = arg;
	size_t i;

	if (j->made) {
		site_manifest_put(s->man, j->path, j->sig, "");
	} else {
		diag(DIAG_ERROR, j->path, 0, 0, "search index: cannot "
		    "create the tokenizer");
		s->rc = -1;
	}
	s->rendered++;
	for (i = 0; i < j->rows.n; i++) {
		char **r = j->rows.v[i];
		free(r[0]);
		free(r[1]);
		free(r[2]);
		free(r[3]);
		free(r);
	}
	vec_free(&j->rows);
	buf_free(&j->out);
	free(j->path);
	free(j);
}

/*
 * Buckets: about 16 versions each, a power of two from 1 to 256.  A
 * search loads them all (the same bytes however many), and a changed
 * article rebuilds its own: small buckets keep a rebuild cheap.
 */
static int
bucket_count(size_t versions)
{
	int n = 1;

	while (n < 256 && (size_t)n * 16 < versions)
		n *= 2;
	return n;
}

static void
bucket_sig(const struct site *s, int nb, const struct vec *vs, char out[41])
{
	struct site_hash *h = site_hash_new();
	size_t i;

	site_hash_str(h, s->gsig);
	site_hash_int(h, nb);
	for (i = 0; i < vs->n; i++) {
		const struct site_version *v = vs->v[i];
		site_hash_str(h, v->url);
		site_hash_str(h, v->sha1);
		site_hash_str(h, v->title);
		site_hash_int(h, v->mt);
	}
	site_hash_end(h, out);
}

/* One code for search/index.js: [url, label, meaning, [forms]]. */
static void
code_entry(struct buf *b, const struct site_code *c)
{
	struct code_forms f;
	struct buf d = {0};
	char *label = xasprintf("%s %s", mention_kind_name(c->kind), c->value);

	buf_puts(b, "[");
	json_string(b, c->url);
	buf_putc(b, ',');
	json_string(b, label);
	buf_putc(b, ',');
	if (c->kind != MENTION_LOGFILE)
		code_describe(c->kind, c->value, &d);
	json_string(b, buf_str(&d));
	buf_puts(b, ",[");
	json_string(b, c->value);
	if (c->kind == MENTION_HRESULT &&
	    code_hresult_forms(c->value, &f) == 0) {
		const char *forms[] = { f.bare, f.udec, f.sdec };
		size_t i;
		for (i = 0; i < 3; i++) {
			buf_putc(b, ',');
			json_string(b, forms[i]);
		}
	}
	buf_puts(b, "]]");
	free(label);
	buf_free(&d);
}

static void
write_index(struct site *s, int nb)
{
	struct buf b = {0};
	size_t i;

	buf_printf(&b, "var KB_SEARCH={n:%d,codes:[", nb);
	for (i = 0; i < s->codes.n; i++) {
		buf_puts(&b, i ? ",\n" : "\n");
		code_entry(&b, s->codes.v[i]);
	}
	buf_puts(&b, "]};\n");
	site_write(s, "search/index.js", b.data, b.len);
	site_manifest_put(s->man, "search/index.js", "-", "");
	buf_free(&b);
}

int
site_search(struct site *s)
{
	int nb = bucket_count(s->versions.n), k, have = 0;
	struct vec *vs = xcalloc((size_t)nb, sizeof(*vs));
	struct site_pipe *p;
	struct tokmemo *memo;
	struct tokzr z;
	size_t i;

	for (i = 0; i < s->versions.n; i++) {
		struct site_version *v = s->versions.v[i];
		v->bucket = (int)(fnv(v->art->key, strlen(v->art->key)) %
		    (uint32_t)nb);
		vec_push(&vs[v->bucket], v);
	}
	memo = tokmemo_new();
	p = site_pipe_new(s, bucket_work, bucket_emit);
	for (k = 0; k < nb; k++) {
		struct bucket_job *j = xcalloc(1, sizeof(*j));
		j->k = k;
		j->vs = &vs[k];
		j->z = &z;
		j->memo = memo;
		j->path = xasprintf("search/b%d.js", k);
		bucket_sig(s, nb, &vs[k], j->sig);
		if (site_manifest_fresh(s->man, s->out, j->path, j->sig, NULL)) {
			site_manifest_put(s->man, j->path, j->sig, "");
			s->kept++;
			free(j->path);
			free(j);
			continue;
		}
		/* The tokenizer is looked up once, when a bucket needs it. */
		if (have == 0)
			have = tokzr_find(s->db, &z) == 0 ? 1 : -1;
		if (have < 0) {
			s->rc = -1;
			free(j->path);
			free(j);
			continue;
		}
		bucket_load(s, j);
		site_pipe_push(p, j);
	}
	site_pipe_finish(p);
	tokmemo_free(memo);
	for (k = 0; k < nb; k++)
		vec_free(&vs[k]);
	free(vs);
	write_index(s, nb);
	return have < 0 ? -1 : 0;
}
