/*
 * mustache.c -- the Mustache engine: the value tree, the compiler and the
 * renderer.
 *
 * Compiling is two passes.  The lexer cuts the source into tokens (text,
 * newlines, tags), matches opening and closing tags, and decides line by
 * line which lines are standalone: a line holding only blanks and tags
 * that print nothing themselves (sections, comments, partials, parents,
 * blocks, delimiter changes).  The builder then flattens the tokens into
 * an array of nodes, an opener's body being the nodes up to its `end`,
 * and settles all indentation, so the renderer is one loop over the array
 * with no look-behind and no allocation per tag.
 *
 * Indentation: the blanks before a standalone partial or parent tag are
 * pushed onto an indentation string that the renderer writes before the
 * first thing written on each new template line; text starting with a
 * newline is not indented (no trailing blanks on empty lines), and
 * newlines from the data never are.  Blocks: a block whose opening tag is
 * standalone is dedented where it is defined (the blanks common to its
 * lines are cut at compile time) and reindented where it is expanded
 * (by its own default content's indentation, else by the blanks before its
 * tag), as the inheritance spec asks.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "html.h"
#include "mustache.h"

#define MU_DELIM_MAX	16	/* longest delimiter {{=a b=}} may set */
#define MU_NEST_MAX	256	/* openers nested in one template */
#define MU_NAME_MAX	255	/* longest name handed to a loader */
#define MAP_INDEX_MIN	8	/* below this many keys a map is scanned */
#define NONE		((size_t)-1)

/* ================================================================== */
/* Values */

struct mu_key {
	char		*s;		/* in the map's key chunks */
	size_t		 len;
	uint32_t	 hash;
	struct mu_value	*v;
};

struct mu_value {
	enum mu_type	 type;
	union {
		int	 b;
		struct {
			char	*s;
			size_t	 len;
		} str;				/* MU_STRING, MU_NUMBER */
		struct {
			struct mu_value	**v;
			size_t		  n, cap;
		} list;
		struct {
			struct mu_key	 *k;
			size_t		  n, cap;
			uint32_t	 *slot;	/* key index + 1; 0 is empty */
			size_t		  nslot;	/* 0 or a power of two */
			struct kchunk	 *kc;	/* the keys' bytes */
		} map;
	} u;
};

/*
 * The bytes of a map's keys, in a few blocks freed with the map: keys
 * are never removed one by one, and a page's data has thousands of them.
 */
struct kchunk {
	struct kchunk	*next;
	size_t		 used, cap;
	char		 b[];
};

#define KCHUNK_MIN	64

static char *
key_copy(struct mu_value *m, const char *key, size_t klen)
{
	struct kchunk *c = m->u.map.kc;
	char *p;

	if (c == NULL || c->cap - c->used < klen + 1) {
		/* Small maps are most: start small, then double. */
		size_t cap = c ? c->cap * 2 : KCHUNK_MIN;
		if (cap < klen + 1)
			cap = klen + 1;
		c = xmalloc(sizeof(*c) + cap);
		c->next = m->u.map.kc;
		c->used = 0;
		c->cap = cap;
		m->u.map.kc = c;
	}
	p = c->b + c->used;
	memcpy(p, key, klen);
	p[klen] = '\0';
	c->used += klen + 1;
	return p;
}

/* FNV-1a: keys are short and this needs no state. */
static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static struct mu_value *
value_new(enum mu_type type)
{
	struct mu_value *v = xcalloc(1, sizeof(*v));

	v->type = type;
	return v;
}

struct mu_value *
mu_null(void)
{
	return value_new(MU_NULL);
}

struct mu_value *
mu_bool(int b)
{
	struct mu_value *v = value_new(MU_BOOL);

	v->u.b = b != 0;
	return v;
}

/* The bytes live in the value's own allocation: pages are built from
 * many small strings, and one malloc() each is much of their cost. */
struct mu_value *
mu_strn(const char *s, size_t len)
{
	struct mu_value *v;

	if (s == NULL)
		len = 0;
	v = xmalloc(sizeof(*v) + len + 1);
	memset(v, 0, sizeof(*v));
	v->type = MU_STRING;
	v->u.str.s = (char *)(v + 1);
	if (len)
		memcpy(v->u.str.s, s, len);
	v->u.str.s[len] = '\0';
	v->u.str.len = len;
	return v;
}

struct mu_value *
mu_str(const char *s)
{
	return mu_strn(s, s ? strlen(s) : 0);
}

struct mu_value *
mu_num(const char *text)
{
	struct mu_value *v = mu_str(text);

	v->type = MU_NUMBER;
	return v;
}

struct mu_value *
mu_int(long long i)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%lld", i);
	return mu_num(tmp);
}

struct mu_value *
mu_list(void)
{
	return value_new(MU_LIST);
}

struct mu_value *
mu_map(void)
{
	return value_new(MU_MAP);
}

struct mu_value *
mu_push(struct mu_value *list, struct mu_value *v)
{
	if (list == NULL || list->type != MU_LIST) {
		mu_free(v);
		return NULL;
	}
	if (list->u.list.n == list->u.list.cap) {
		list->u.list.cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
		list->u.list.v = xrealloc(list->u.list.v,
		    list->u.list.cap * sizeof(*list->u.list.v));
	}
	list->u.list.v[list->u.list.n++] = v;
	return v;
}

/* Puts key i into the hash index, which has a free slot. */
static void
map_slot_put(struct mu_value *m, size_t i)
{
	size_t mask = m->u.map.nslot - 1, j;

	for (j = m->u.map.k[i].hash & mask; m->u.map.slot[j];
	    j = (j + 1) & mask)
		continue;
	m->u.map.slot[j] = (uint32_t)(i + 1);
}

/* Rebuilds the index at most half full, so probes stay short. */
static void
map_reindex(struct mu_value *m)
{
	size_t i;

	free(m->u.map.slot);
	m->u.map.nslot = 16;
	while (m->u.map.nslot < m->u.map.n * 2)
		m->u.map.nslot *= 2;
	m->u.map.slot = xcalloc(m->u.map.nslot, sizeof(*m->u.map.slot));
	for (i = 0; i < m->u.map.n; i++)
		map_slot_put(m, i);
}

/*
 * The key of a map equal to s (h its hash_bytes); NULL when absent or m
 * is not a map.  Small maps are scanned, large ones hashed.
 */
static struct mu_key *
map_find(const struct mu_value *m, const char *s, size_t len, uint32_t h)
{
	struct mu_key *k;
	size_t i, mask;

	if (m == NULL || m->type != MU_MAP)
		return NULL;
	if (m->u.map.nslot == 0) {
		for (i = 0; i < m->u.map.n; i++) {
			k = &m->u.map.k[i];
			if (k->len == len && memcmp(k->s, s, len) == 0)
				return k;
		}
		return NULL;
	}
	mask = m->u.map.nslot - 1;
	for (i = h & mask; m->u.map.slot[i]; i = (i + 1) & mask) {
		k = &m->u.map.k[m->u.map.slot[i] - 1];
		if (k->hash == h && k->len == len &&
		    memcmp(k->s, s, len) == 0)
			return k;
	}
	return NULL;
}

struct mu_value *
mu_setn(struct mu_value *m, const char *key, size_t klen, struct mu_value *v)
{
	uint32_t h = hash_bytes(key, klen);
	struct mu_key *k;

	if (m == NULL || m->type != MU_MAP) {
		mu_free(v);
		return NULL;
	}
	if ((k = map_find(m, key, klen, h)) != NULL) {
		mu_free(k->v);
		k->v = v;
		return v;
	}
	if (m->u.map.n == m->u.map.cap) {
		m->u.map.cap = m->u.map.cap ? m->u.map.cap * 2 : 4;
		m->u.map.k = xrealloc(m->u.map.k,
		    m->u.map.cap * sizeof(*m->u.map.k));
	}
	k = &m->u.map.k[m->u.map.n++];
	k->s = key_copy(m, key, klen);
	k->len = klen;
	k->hash = h;
	k->v = v;
	if (m->u.map.n > MAP_INDEX_MIN && m->u.map.n * 2 > m->u.map.nslot)
		map_reindex(m);
	else if (m->u.map.nslot)
		map_slot_put(m, m->u.map.n - 1);
	return v;
}

struct mu_value *
mu_set(struct mu_value *m, const char *key, struct mu_value *v)
{
	return mu_setn(m, key, strlen(key), v);
}

void
mu_free(struct mu_value *v)
{
	size_t i;

	if (v == NULL)
		return;
	switch (v->type) {
	case MU_STRING:
	case MU_NUMBER:
		break;		/* the bytes are part of v (mu_strn()) */
	case MU_LIST:
		for (i = 0; i < v->u.list.n; i++)
			mu_free(v->u.list.v[i]);
		free(v->u.list.v);
		break;
	case MU_MAP:
		for (i = 0; i < v->u.map.n; i++)
			mu_free(v->u.map.k[i].v);
		while (v->u.map.kc != NULL) {
			struct kchunk *c = v->u.map.kc;
			v->u.map.kc = c->next;
			free(c);
		}
		free(v->u.map.k);
		free(v->u.map.slot);
		break;
	default:
		break;
	}
	free(v);
}

enum mu_type
mu_type(const struct mu_value *v)
{
	return v ? v->type : MU_NULL;
}

const struct mu_value *
mu_get(const struct mu_value *m, const char *key)
{
	size_t len = strlen(key);
	const struct mu_key *k = map_find(m, key, len, hash_bytes(key, len));

	return k ? k->v : NULL;
}

size_t
mu_len(const struct mu_value *v)
{
	switch (mu_type(v)) {
	case MU_STRING:
	case MU_NUMBER:
		return v->u.str.len;
	case MU_LIST:
		return v->u.list.n;
	case MU_MAP:
		return v->u.map.n;
	default:
		return 0;
	}
}

const struct mu_value *
mu_at(const struct mu_value *v, size_t i)
{
	if (mu_type(v) != MU_LIST || i >= v->u.list.n)
		return NULL;
	return v->u.list.v[i];
}

const char *
mu_key(const struct mu_value *m, size_t i, const struct mu_value **v)
{
	if (mu_type(m) != MU_MAP || i >= m->u.map.n)
		return NULL;
	if (v)
		*v = m->u.map.k[i].v;
	return m->u.map.k[i].s;
}

const char *
mu_text(const struct mu_value *v, size_t *len)
{
	if (mu_type(v) != MU_STRING && mu_type(v) != MU_NUMBER)
		return NULL;
	if (len)
		*len = v->u.str.len;
	return v->u.str.s;
}

/* Is a number's text a zero?  Digits before any exponent are all 0. */
static int
num_is_zero(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] != 'e' && s[i] != 'E'; i++)
		if (kb_isdigit((unsigned char)s[i]) && s[i] != '0')
			return 0;
	return 1;
}

int
mu_truthy(const struct mu_value *v)
{
	switch (mu_type(v)) {
	case MU_BOOL:
		return v->u.b;
	case MU_NUMBER:
		return !num_is_zero(v->u.str.s, v->u.str.len);
	case MU_STRING:
		return v->u.str.len > 0;
	case MU_LIST:
		return v->u.list.n > 0;
	case MU_MAP:
		return 1;
	default:
		return 0;
	}
}

/* ================================================================== */
/* Messages */

/*
 * Writes s for a message: printable ASCII kept, anything else as '?',
 * cut at 64 bytes, since names may come from the data.
 */
static void
put_quoted(struct buf *b, const char *s, size_t n)
{
	size_t i;

	buf_putc(b, '\'');
	for (i = 0; i < n && i < 64; i++)
		buf_putc(b, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
	if (n > 64)
		buf_puts(b, "...");
	buf_putc(b, '\'');
}

/* Starts a message line "NAME:LINE:COL: " in err (NULL: none). */
static void
msg_begin(struct buf *err, const char *name, unsigned line, unsigned col)
{
	if (err == NULL)
		return;
	if (err->len)
		buf_putc(err, '\n');
	buf_printf(err, "%s:%u:%u: ", name, line, col);
}

/* ================================================================== */
/* Lexer: tokens and standalone lines */

enum tok_kind {
	T_TEXT,		/* text without a newline */
	T_NL,		/* "\n" or "\r\n" */
	T_VAR,		/* {{x}} */
	T_RAW,		/* {{{x}}} {{&x}} */
	T_SECTION,	/* {{#x}} */
	T_INVERTED,	/* {{^x}} */
	T_PARENT,	/* {{<x}} */
	T_BLOCK,	/* {{$x}} */
	T_CLOSE,	/* {{/x}} */
	T_PARTIAL,	/* {{>x}} */
	T_COMMENT,	/* {{!x}} */
	T_DELIM		/* {{=a b=}} */
};

#define TF_DROP		0x01	/* blank or newline of a standalone line */
#define TF_BOL		0x02	/* first token of its line */
#define TF_SALINE	0x04	/* on a standalone line */
#define TF_BLANK	0x08	/* (on TF_BOL) the line is blanks only */
#define TF_DYN		0x10	/* {{>*x}}: the name is looked up */
#define TF_PAIR		0x20	/* {{$x}}{{/x}} on a standalone line */

struct tok {
	enum tok_kind	 kind;
	unsigned	 flags;
	const char	*s;		/* text, or the tag's trimmed content */
	size_t		 len;
	size_t		 match;		/* opener <-> closer; NONE */
	size_t		 first;		/* first token of this line */
	const char	*ws;		/* standalone: blanks opening the line */
	size_t		 wslen;
	unsigned	 line, col;
};

struct lexer {
	const char	*name;
	const char	*p;
	size_t		 len, pos;
	char		 open[MU_DELIM_MAX];
	char		 close[MU_DELIM_MAX];
	size_t		 olen, clen;
	unsigned	 line;
	size_t		 bol;		/* offset where the line starts */
	struct tok	*t;
	size_t		 n, cap;
	size_t		 first;		/* first token of the current line */
	size_t		 stack[MU_NEST_MAX];
	size_t		 depth;
	struct buf	*err;
};

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int
all_blank(const char *s, size_t n)
{
	while (n && is_blank((unsigned char)*s))
		s++, n--;
	return n == 0;
}

static int
has_space(const char *s, size_t n)
{
	while (n--)
		if (kb_isspace((unsigned char)*s++))
			return 1;
	return 0;
}

/* Trims ASCII white space at both ends of the slice. */
static void
trim(const char **s, size_t *n)
{
	while (*n && kb_isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && kb_isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* Returns -1 after writing "NAME:LINE:COL: message" to the error. */
static int
lex_error(struct lexer *lx, unsigned line, unsigned col, const char *fmt,
    const char *s, size_t n)
{
	if (lx->err == NULL)
		return -1;
	msg_begin(lx->err, lx->name, line, col);
	for (; *fmt; fmt++) {
		if (*fmt == '%')
			put_quoted(lx->err, s, n);
		else
			buf_putc(lx->err, *fmt);
	}
	return -1;
}

/* Appends a token at source offset at (on the current line). */
static struct tok *
tok_push(struct lexer *lx, enum tok_kind kind, size_t at, size_t len)
{
	struct tok *t;

	if (lx->n == lx->cap) {
		lx->cap = lx->cap ? lx->cap * 2 : 64;
		lx->t = xrealloc(lx->t, lx->cap * sizeof(*lx->t));
	}
	t = &lx->t[lx->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->s = lx->p + at;
	t->len = len;
	t->match = NONE;
	t->line = lx->line;
	t->col = (unsigned)(at - lx->bol + 1);
	return t;
}

/* Does the source hold s (n bytes) at pos? */
static int
src_at(const struct lexer *lx, size_t pos, const char *s, size_t n)
{
	return n <= lx->len - pos && memcmp(lx->p + pos, s, n) == 0;
}

/* Offset of the first s (n bytes) at or after pos, or NONE. */
static size_t
src_find(const struct lexer *lx, size_t pos, const char *s, size_t n)
{
	const char *q;

	while (pos < lx->len) {
		q = memchr(lx->p + pos, s[0], lx->len - pos);
		if (q == NULL)
			return NONE;
		pos = (size_t)(q - lx->p);
		if (src_at(lx, pos, s, n))
			return pos;
		pos++;
	}
	return NONE;
}

/* Moves to offset to, counting the newlines passed (tags may span lines). */
static void
lex_skip(struct lexer *lx, size_t to)
{
	const char *q;

	while ((q = memchr(lx->p + lx->pos, '\n', to - lx->pos)) != NULL) {
		lx->line++;
		lx->pos = lx->bol = (size_t)(q - lx->p) + 1;
	}
	lx->pos = to;
}

/*
 * A line ended: marks its first token, and when the line holds only
 * blanks and at least one tag that prints nothing, drops its blanks and
 * newline and hands the leading blanks to its tags as their indentation.
 * An empty block pair {{$x}}{{/x}} keeps the newline: the block's content
 * takes the line's place (inheritance spec, "Standalone block").
 */
static void
lex_line_end(struct lexer *lx)
{
	struct tok *t = lx->t;
	size_t i, from = lx->first, to = lx->n;
	int standalone = 1, tags = 0, blank = 1, pair = 0;

	lx->first = to;
	if (from == to)
		return;
	for (i = from; i < to; i++) {
		t[i].first = from;
		if (t[i].kind == T_TEXT) {
			if (!all_blank(t[i].s, t[i].len))
				standalone = blank = 0;
		} else if (t[i].kind == T_VAR || t[i].kind == T_RAW) {
			standalone = blank = 0;
		} else if (t[i].kind != T_NL) {
			tags++;
			blank = 0;
		}
	}
	t[from].flags |= TF_BOL | (blank ? TF_BLANK : 0);
	if (!standalone || tags == 0)
		return;
	for (i = from; i < to; i++) {
		t[i].flags |= TF_SALINE;
		if (t[i].kind == T_TEXT || t[i].kind == T_NL) {
			t[i].flags |= TF_DROP;
			continue;
		}
		if (t[from].kind == T_TEXT) {
			t[i].ws = t[from].s;
			t[i].wslen = t[from].len;
		}
		if (t[i].kind == T_BLOCK && i + 1 < to && t[i + 1].match == i) {
			t[i].flags |= TF_PAIR;
			pair = 1;
		}
	}
	if (pair && t[to - 1].kind == T_NL)
		t[to - 1].flags &= ~TF_DROP;
}

/* Text up to the next tag or newline; a newline ends the line. */
static void
lex_text(struct lexer *lx)
{
	const char *p = lx->p;
	size_t start = lx->pos, i = start, nl;

	while (i < lx->len && p[i] != '\n' &&
	    !(p[i] == lx->open[0] && src_at(lx, i, lx->open, lx->olen)))
		i++;
	if (i == lx->len || p[i] != '\n') {
		if (i > start)
			tok_push(lx, T_TEXT, start, i - start);
		lx->pos = i;
		return;
	}
	nl = i > start && p[i - 1] == '\r' ? i - 1 : i;
	if (nl > start)
		tok_push(lx, T_TEXT, start, nl - start);
	tok_push(lx, T_NL, nl, i + 1 - nl);
	lx->pos = lx->bol = i + 1;
	lx->line++;
	lex_line_end(lx);
}

/* {{=a b=}}: two non-empty delimiters without blanks or '='. */
static int
lex_delim(struct lexer *lx, struct tok *t)
{
	const char *s = t->s;
	size_t n = t->len, a = 0, b;

	while (a < n && !kb_isspace((unsigned char)s[a]))
		a++;
	for (b = a; b < n && kb_isspace((unsigned char)s[b]); b++)
		continue;
	if (a == 0 || b == a || b == n || a > MU_DELIM_MAX ||
	    n - b > MU_DELIM_MAX || has_space(s + b, n - b) ||
	    memchr(s, '=', n) != NULL)
		return lex_error(lx, t->line, t->col, "bad delimiters %", s, n);
	memcpy(lx->open, s, a);
	lx->olen = a;
	memcpy(lx->close, s + b, n - b);
	lx->clen = n - b;
	return 0;
}

/* Pairs a closing tag with the innermost open one. */
static int
lex_close(struct lexer *lx, size_t ci)
{
	struct tok *c = &lx->t[ci], *o;

	if (lx->depth == 0)
		return lex_error(lx, c->line, c->col,
		    "closing tag % without an opening tag", c->s, c->len);
	o = &lx->t[lx->stack[--lx->depth]];
	if (o->len != c->len || memcmp(o->s, c->s, c->len) != 0) {
		lex_error(lx, c->line, c->col, "closing tag % does not match",
		    c->s, c->len);
		if (lx->err) {
			buf_putc(lx->err, ' ');
			put_quoted(lx->err, o->s, o->len);
			buf_printf(lx->err, " opened at line %u", o->line);
		}
		return -1;
	}
	o->match = ci;
	c->match = lx->stack[lx->depth];
	return 0;
}

/* Checks a tag's name and tracks openers and closers. */
static int
lex_name(struct lexer *lx, size_t ti)
{
	struct tok *t = &lx->t[ti];
	const char *s = t->s;
	size_t n = t->len;

	if ((t->kind == T_PARTIAL || t->kind == T_PARENT) && n && *s == '*') {
		t->flags |= TF_DYN;
		s++, n--;
		trim(&s, &n);
	}
	if (n == 0)
		return lex_error(lx, t->line, t->col, "empty tag", "", 0);
	if (has_space(s, n))
		return lex_error(lx, t->line, t->col, "bad tag name %",
		    t->s, t->len);
	switch (t->kind) {
	case T_SECTION:
	case T_INVERTED:
	case T_PARENT:
	case T_BLOCK:
		if (lx->depth == MU_NEST_MAX)
			return lex_error(lx, t->line, t->col,
			    "sections nested too deeply (limit 256)", "", 0);
		lx->stack[lx->depth++] = ti;
		return 0;
	case T_CLOSE:
		return lex_close(lx, ti);
	default:
		return 0;
	}
}

/* The tag kind its first byte selects, and how much the close grows. */
static enum tok_kind
tag_kind(int c, char *close_prefix)
{
	*close_prefix = '\0';
	switch (c) {
	case '{': *close_prefix = '}'; return T_RAW;
	case '=': *close_prefix = '='; return T_DELIM;
	case '&': return T_RAW;
	case '#': return T_SECTION;
	case '^': return T_INVERTED;
	case '/': return T_CLOSE;
	case '<': return T_PARENT;
	case '$': return T_BLOCK;
	case '>': return T_PARTIAL;
	case '!': return T_COMMENT;
	default: return T_VAR;
	}
}

/* A tag at the current position (which holds the open delimiter). */
static int
lex_tag(struct lexer *lx)
{
	size_t start = lx->pos, q = start + lx->olen, e, clen = 0;
	char close[MU_DELIM_MAX + 1], pre;
	enum tok_kind kind;
	struct tok *t;
	unsigned line = lx->line, col = (unsigned)(start - lx->bol + 1);

	kind = tag_kind(q < lx->len ? (unsigned char)lx->p[q] : -1, &pre);
	if (kind != T_VAR)
		q++;
	if (pre)
		close[clen++] = pre;
	memcpy(close + clen, lx->close, lx->clen);
	clen += lx->clen;
	if ((e = src_find(lx, q, close, clen)) == NONE)
		return lex_error(lx, line, col, "unclosed tag", "", 0);
	t = tok_push(lx, kind, q, e - q);
	t->col = col;
	lex_skip(lx, e + clen);
	if (kind == T_COMMENT)
		return 0;
	trim(&t->s, &t->len);
	if (kind == T_DELIM)
		return lex_delim(lx, t);
	return lex_name(lx, lx->n - 1);
}

/* Pass one: the whole source into tokens.  Returns 0 or -1 (err set). */
static int
lex(struct lexer *lx)
{
	while (lx->pos < lx->len) {
		if (src_at(lx, lx->pos, lx->open, lx->olen)) {
			if (lex_tag(lx) == -1)
				return -1;
		} else
			lex_text(lx);
	}
	lex_line_end(lx);
	if (lx->depth) {
		const struct tok *o = &lx->t[lx->stack[lx->depth - 1]];
		return lex_error(lx, o->line, o->col, "unclosed section %",
		    o->s, o->len);
	}
	return 0;
}

/* ================================================================== */
/* Builder: tokens into the node array */

enum op {
	OP_TEXT,	/* s, len */
	OP_VAR,		/* escaped value of the name */
	OP_RAW,		/* raw value of the name */
	OP_SECTION,	/* body to end, per item or once */
	OP_INVERTED,	/* body to end when the value is falsy */
	OP_PARTIAL,	/* template s (or the name's value), indented by ind */
	OP_PARENT,	/* like a partial; the body's blocks override */
	OP_BLOCK	/* body (or an override) indented by ind */
};

#define NF_NL		0x01	/* text ends with a newline */
#define NF_LEADNL	0x02	/* text starts with one: not indented */
#define NF_STANDALONE	0x04	/* partial/parent/block alone on its line */
#define NF_DYN		0x08	/* template name is the value of the name */

/* One part of a dotted name, hashed once here for every lookup later. */
struct part {
	const char	*s;
	size_t		 len;
	uint32_t	 hash;
};

struct node {
	unsigned char	 op;
	unsigned char	 flags;
	unsigned	 line, col;
	const char	*s;		/* text; partial, parent or block name */
	size_t		 len;
	const char	*ind;		/* indentation it adds (NF_STANDALONE) */
	size_t		 indlen;
	size_t		 part, nparts;	/* dotted name; no parts is "." */
	size_t		 end;		/* openers: the node after the body */
};

struct mu_template {
	char		*name;
	char		*src;		/* every s in the nodes points here */
	struct node	*node;
	size_t		 n, cap;
	struct part	*part;
	size_t		 npart, partcap;
};

struct frame {
	size_t		 node;		/* the opener */
	const char	*d;		/* blanks cut from each line inside */
	size_t		 dlen;
	int		 parent;	/* only blocks matter directly inside */
};

struct builder {
	struct mu_template *t;
	const struct tok *tok;
	size_t		 ntok;
	struct frame	 stack[MU_NEST_MAX];
	size_t		 depth;
};

static struct node *
node_push(struct mu_template *t, enum op op, const struct tok *k)
{
	struct node *n;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->node = xrealloc(t->node, t->cap * sizeof(*t->node));
	}
	n = &t->node[t->n++];
	memset(n, 0, sizeof(*n));
	n->op = (unsigned char)op;
	n->line = k->line;
	n->col = k->col;
	n->end = t->n;
	return n;
}

/* Splits a dotted name into the template's parts ("." has none). */
static void
name_parts(struct mu_template *t, struct node *n, const char *s, size_t len)
{
	const char *dot;
	size_t k;

	n->part = t->npart;
	if (len == 1 && *s == '.')
		return;
	for (;;) {
		dot = memchr(s, '.', len);
		k = dot ? (size_t)(dot - s) : len;
		if (t->npart == t->partcap) {
			t->partcap = t->partcap ? t->partcap * 2 : 16;
			t->part = xrealloc(t->part,
			    t->partcap * sizeof(*t->part));
		}
		t->part[t->npart].s = s;
		t->part[t->npart].len = k;
		t->part[t->npart++].hash = hash_bytes(s, k);
		n->nparts++;
		if (dot == NULL)
			break;
		s += k + 1;
		len -= k + 1;
	}
}

/* Cuts from s what it shares with the start of the blanks d. */
static void
strip_prefix(const char **s, size_t *len, const char *d, size_t dlen)
{
	size_t k = 0;

	while (k < *len && k < dlen && (*s)[k] == d[k])
		k++;
	*s += k;
	*len -= k;
}

/* The blanks cut from lines here: the innermost standalone block's. */
static void
cur_dedent(const struct builder *b, const char **d, size_t *dlen)
{
	*d = b->depth ? b->stack[b->depth - 1].d : "";
	*dlen = b->depth ? b->stack[b->depth - 1].dlen : 0;
}

/*
 * A text token, with the newline after it: one node per template line,
 * so the renderer knows where lines start.  Returns the last token used.
 */
static size_t
build_text(struct builder *b, size_t i)
{
	const struct tok *k = &b->tok[i], *nl = NULL;
	const char *s = k->s, *d;
	size_t len = k->len, dlen;
	struct node *n;

	if (k->kind == T_NL)
		nl = k;
	else if (i + 1 < b->ntok && b->tok[i + 1].kind == T_NL &&
	    !(b->tok[i + 1].flags & TF_DROP))
		nl = &b->tok[++i];
	if (k->kind == T_TEXT && (k->flags & TF_BOL)) {
		cur_dedent(b, &d, &dlen);
		strip_prefix(&s, &len, d, dlen);
	}
	if (nl)
		len = (size_t)(nl->s + nl->len - s);
	if (len == 0)
		return i;
	n = node_push(b->t, OP_TEXT, k);
	n->s = s;
	n->len = len;
	if (nl)
		n->flags |= NF_NL;
	if (s[0] == '\n' || (s[0] == '\r' && len > 1 && s[1] == '\n'))
		n->flags |= NF_LEADNL;
	return i;
}

/* A standalone tag's indentation, less what the enclosing block cuts. */
static void
build_indent(struct builder *b, struct node *n, const struct tok *k)
{
	const char *d;
	size_t dlen;

	if (!(k->flags & (TF_SALINE | TF_PAIR)))
		return;
	n->flags |= NF_STANDALONE;
	n->ind = k->ws ? k->ws : "";
	n->indlen = k->wslen;
	cur_dedent(b, &d, &dlen);
	strip_prefix(&n->ind, &n->indlen, d, dlen);
}

/* A partial or parent: a fixed name, or a dotted name looked up. */
static struct node *
build_include(struct builder *b, enum op op, const struct tok *k)
{
	struct node *n = node_push(b->t, op, k);
	const char *s = k->s;
	size_t len = k->len;

	if (k->flags & TF_DYN) {
		s++, len--;
		trim(&s, &len);
		n->flags |= NF_DYN;
		name_parts(b->t, n, s, len);
	}
	n->s = s;
	n->len = len;
	build_indent(b, n, k);
	return n;
}

/* Leading blanks of line j, or "" when it starts with a tag. */
static void
line_lead(const struct tok *k, const char **s, size_t *n)
{
	*s = k->s;
	*n = 0;
	if (k->kind == T_TEXT)
		while (*n < k->len && is_blank((unsigned char)k->s[*n]))
			(*n)++;
}

/*
 * The blanks common to the lines of a standalone block's content (blank
 * lines, and the standalone line of its closing tag, do not count); the
 * enclosing block's when it has no such lines.
 */
static void
block_dedent(const struct builder *b, size_t open, const char **d,
    size_t *dlen)
{
	const struct tok *t = b->tok;
	size_t j, close = t[open].match, n, k;
	const char *s;
	int any = 0;

	cur_dedent(b, d, dlen);
	for (j = open + 1; j <= close; j++) {
		if (!(t[j].flags & TF_BOL) || (t[j].flags & TF_BLANK))
			continue;
		if (t[close].first == j && (t[j].flags & TF_SALINE))
			continue;
		line_lead(&t[j], &s, &n);
		if (!any) {
			*d = s;
			*dlen = n;
			any = 1;
			continue;
		}
		for (k = 0; k < n && k < *dlen && s[k] == (*d)[k]; k++)
			continue;
		*dlen = k;
	}
}

/*
 * A block: a standalone one is reindented where it is expanded, by its
 * content's own indentation (relative to the enclosing block) or else by
 * the blanks before its tag; its content is cut by its dedent.
 */
static void
build_block(struct builder *b, size_t i, const char **d, size_t *dlen)
{
	const struct tok *k = &b->tok[i];
	struct node *n = node_push(b->t, OP_BLOCK, k);
	const char *od, *rel;
	size_t odlen, rellen;

	n->s = k->s;
	n->len = k->len;
	cur_dedent(b, d, dlen);
	if (!(k->flags & (TF_SALINE | TF_PAIR)))
		return;
	cur_dedent(b, &od, &odlen);
	block_dedent(b, i, d, dlen);
	rel = *d;
	rellen = *dlen;
	strip_prefix(&rel, &rellen, od, odlen);
	build_indent(b, n, k);
	if (rellen) {
		n->ind = rel;
		n->indlen = rellen;
	}
}

/* Opens a body: the node just pushed, with the dedent inside it. */
static void
build_open(struct builder *b, const char *d, size_t dlen, int parent)
{
	struct frame *f = &b->stack[b->depth++];

	f->node = b->t->n - 1;
	f->d = d;
	f->dlen = dlen;
	f->parent = parent;
}

/* One token; text and values directly inside a parent are ignored. */
static size_t
build_tok(struct builder *b, size_t i)
{
	const struct tok *k = &b->tok[i];
	int in_parent = b->depth && b->stack[b->depth - 1].parent;
	const char *d;
	size_t dlen;
	struct node *n;

	cur_dedent(b, &d, &dlen);
	switch (k->kind) {
	case T_TEXT:
	case T_NL:
		return in_parent ? i : build_text(b, i);
	case T_VAR:
	case T_RAW:
		if (in_parent)
			break;
		n = node_push(b->t, k->kind == T_VAR ? OP_VAR : OP_RAW, k);
		name_parts(b->t, n, k->s, k->len);
		break;
	case T_SECTION:
	case T_INVERTED:
		n = node_push(b->t, k->kind == T_SECTION ? OP_SECTION :
		    OP_INVERTED, k);
		name_parts(b->t, n, k->s, k->len);
		build_open(b, d, dlen, 0);
		break;
	case T_PARTIAL:
		if (!in_parent)
			build_include(b, OP_PARTIAL, k);
		break;
	case T_PARENT:
		build_include(b, OP_PARENT, k);
		build_open(b, d, dlen, 1);
		break;
	case T_BLOCK:
		build_block(b, i, &d, &dlen);
		build_open(b, d, dlen, 0);
		break;
	case T_CLOSE:
		b->depth--;
		b->t->node[b->stack[b->depth].node].end = b->t->n;
		break;
	default:
		break;
	}
	return i;
}

/* Pass two: the node array from the tokens (which are well nested). */
static void
build(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->ntok; i++)
		if (!(b->tok[i].flags & TF_DROP))
			i = build_tok(b, i);
}

struct mu_template *
mu_compile(const char *name, const char *text, size_t len, struct buf *err)
{
	struct mu_template *t = xcalloc(1, sizeof(*t));
	struct lexer lx;
	struct builder *b;

	t->name = xstrdup(name ? name : "template");
	t->src = xstrndup(text ? text : "", text ? len : 0);
	memset(&lx, 0, sizeof(lx));
	lx.name = t->name;
	lx.p = t->src;
	lx.len = text ? len : 0;
	memcpy(lx.open, "{{", lx.olen = 2);
	memcpy(lx.close, "}}", lx.clen = 2);
	lx.line = 1;
	lx.err = err;
	if (lex(&lx) == -1) {
		free(lx.t);
		mu_template_free(t);
		return NULL;
	}
	b = xcalloc(1, sizeof(*b));
	b->t = t;
	b->tok = lx.t;
	b->ntok = lx.n;
	build(b);
	free(b);
	free(lx.t);
	return t;
}

void
mu_template_free(struct mu_template *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->src);
	free(t->node);
	free(t->part);
	free(t);
}

const char *
mu_template_name(const struct mu_template *t)
{
	return t->name;
}

/* ================================================================== */
/* Partials: added, or loaded once and cached */

struct entry {
	char			*name;
	size_t			 len;
	struct mu_template	*t;
};

struct mu_partials {
	struct mu_loader	 loader;
	int			 has_loader;
	struct entry		*e;
	size_t			 n, cap;
	pthread_mutex_t		 lock;
};

struct mu_partials *
mu_partials_new(const struct mu_loader *loader)
{
	struct mu_partials *p = xcalloc(1, sizeof(*p));

	if (loader && loader->load) {
		p->loader = *loader;
		p->has_loader = 1;
	}
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

void
mu_partials_free(struct mu_partials *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->e[i].name);
		mu_template_free(p->e[i].t);
	}
	free(p->e);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* The entry called s; the lock is held. */
static struct entry *
partials_find(struct mu_partials *p, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->e[i].len == len && memcmp(p->e[i].name, s, len) == 0)
			return &p->e[i];
	return NULL;
}

/* Stores t under s (replacing); the lock is held. */
static void
partials_put(struct mu_partials *p, const char *s, size_t len,
    struct mu_template *t)
{
	struct entry *e = partials_find(p, s, len);

	if (e) {
		mu_template_free(e->t);
		e->t = t;
		return;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->e = xrealloc(p->e, p->cap * sizeof(*p->e));
	}
	p->e[p->n].name = xstrndup(s, len);
	p->e[p->n].len = len;
	p->e[p->n++].t = t;
}

int
mu_partials_add(struct mu_partials *p, const char *name, const char *text,
    size_t len, struct buf *err)
{
	struct mu_template *t = mu_compile(name, text, len, err);

	if (t == NULL)
		return -1;
	pthread_mutex_lock(&p->lock);
	partials_put(p, name, strlen(name), t);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/*
 * May a loader see this name?  Dynamic names come from the data, and a
 * loader reading files must never be walked out of its folder.
 */
static int
loader_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > MU_NAME_MAX || s[0] == '/')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!kb_isalnum(c) && c != '_' && c != '-' && c != '.' &&
		    c != '/')
			return 0;
		if (c == '.' && i + 1 < len && s[i + 1] == '.')
			return 0;
	}
	return 1;
}

/* Loads, compiles and caches s; the lock is held. */
static const struct mu_template *
partials_load(struct mu_partials *p, const char *s, size_t len,
    struct buf *err)
{
	struct buf text = {0};
	struct mu_template *t = NULL;
	char name[MU_NAME_MAX + 1];

	if (!p->has_loader || !loader_name_ok(s, len))
		return NULL;
	memcpy(name, s, len);
	name[len] = '\0';
	switch (p->loader.load(p->loader.arg, name, &text, err)) {
	case 0:
		if ((t = mu_compile(name, text.data, text.len, err)) != NULL)
			partials_put(p, s, len, t);
		break;
	case 1:
		break;
	default:
		if (err && err->len == 0)
			buf_printf(err, "cannot load '%s'", name);
		break;
	}
	buf_free(&text);
	return t;
}

/* mu_partials_get for a name that is a slice. */
static const struct mu_template *
partials_get(struct mu_partials *p, const char *s, size_t len,
    struct buf *err)
{
	const struct mu_template *t;
	struct entry *e;

	pthread_mutex_lock(&p->lock);
	if ((e = partials_find(p, s, len)) != NULL)
		t = e->t;
	else
		t = partials_load(p, s, len, err);
	pthread_mutex_unlock(&p->lock);
	return t;
}

const struct mu_template *
mu_partials_get(struct mu_partials *p, const char *name, struct buf *err)
{
	return partials_get(p, name, strlen(name), err);
}

/* ================================================================== */
/* Renderer */

/* A parent being expanded: its body's blocks override; outer ones win. */
struct ovr {
	const struct mu_template	*t;
	size_t				 node;
	const struct ovr		*outer;
};

struct render {
	struct mu_partials	*partials;
	struct buf		*out;
	struct buf		*err;
	struct mu_limits	 lim;
	size_t			 out0;		/* out->len at the start */
	struct buf		 indent;	/* written at each line start */
	int			 pending;	/* at a template line start */
	const struct mu_value	**ctx;		/* the context stack */
	size_t			 nctx, ctxcap;
	const struct ovr	*ovr;
	unsigned		 depth;		/* partials and parents */
	unsigned		 nest;		/* bodies of any kind */
	unsigned long		 steps;
	int			 rc;		/* 0, 1 (warned), -1 (failed) */
};

static void render_nodes(struct render *, const struct mu_template *,
		    size_t, size_t);

/* Fails the render with a message about node n of t. */
static void
fail(struct render *r, const struct mu_template *t, const struct node *n,
    const char *msg)
{
	msg_begin(r->err, t->name, n->line, n->col);
	if (r->err)
		buf_puts(r->err, msg);
	r->rc = -1;
}

/* Notes that the template named s, wanted by node n, does not exist. */
static void
warn_missing(struct render *r, const struct mu_template *t,
    const struct node *n, const char *s, size_t len)
{
	msg_begin(r->err, t->name, n->line, n->col);
	if (r->err) {
		buf_puts(r->err, n->op == OP_PARENT ? "parent " : "partial ");
		put_quoted(r->err, s, len);
		buf_puts(r->err, " not found");
	}
	if (r->rc == 0)
		r->rc = 1;
}

/* Writes bytes, failing the render past the output limit. */
static void
put(struct render *r, const struct mu_template *t, const struct node *n,
    const char *s, size_t len, int escape)
{
	if (r->pending && r->indent.len)
		buf_put(r->out, r->indent.data, r->indent.len);
	r->pending = 0;
	if (escape)
		html_escape(r->out, s, len);
	else
		buf_put(r->out, s, len);
	if (r->out->len - r->out0 > r->lim.output)
		fail(r, t, n, "output too large");
}

static void
put_text(struct render *r, const struct mu_template *t, const struct node *n)
{
	if (n->flags & NF_LEADNL)
		r->pending = 0;
	put(r, t, n, n->s, n->len, 0);
	r->pending = (n->flags & NF_NL) != 0;
}

/* A value as text: strings and numbers as they are, booleans as words. */
static void
put_value(struct render *r, const struct mu_template *t, const struct node *n,
    const struct mu_value *v)
{
	const char *s;
	size_t len = 0;

	if (mu_type(v) == MU_BOOL) {
		s = v->u.b ? "true" : "false";
		len = strlen(s);
	} else if ((s = mu_text(v, &len)) == NULL)
		return;
	if (len)
		put(r, t, n, s, len, n->op == OP_VAR);
}

/*
 * Resolves a name: the first part on the context stack from the top, the
 * others each in the value before (a miss anywhere is NULL).
 */
static const struct mu_value *
lookup(const struct render *r, const struct mu_template *t,
    const struct node *n)
{
	const struct part *p;
	const struct mu_key *k = NULL;
	size_t i;

	if (n->nparts == 0)
		return r->nctx ? r->ctx[r->nctx - 1] : NULL;
	p = t->part + n->part;
	for (i = r->nctx; i-- > 0 && k == NULL; )
		k = map_find(r->ctx[i], p[0].s, p[0].len, p[0].hash);
	for (i = 1; k != NULL && i < n->nparts; i++)
		k = map_find(k->v, p[i].s, p[i].len, p[i].hash);
	return k ? k->v : NULL;
}

static void
ctx_push(struct render *r, const struct mu_value *v)
{
	if (r->nctx == r->ctxcap) {
		r->ctxcap = r->ctxcap ? r->ctxcap * 2 : 16;
		r->ctx = xrealloc(r->ctx, r->ctxcap * sizeof(*r->ctx));
	}
	r->ctx[r->nctx++] = v;
}

/* Counts one more body level; fails the render past the limit. */
static int
nest_enter(struct render *r, const struct mu_template *t,
    const struct node *n)
{
	if (r->nest >= r->lim.nest) {
		fail(r, t, n, "templates nested too deeply");
		return -1;
	}
	r->nest++;
	return 0;
}

/* Adds a standalone tag's indentation; returns the length to restore. */
static size_t
indent_push(struct render *r, const struct node *n)
{
	size_t saved = r->indent.len;

	if (n->flags & NF_STANDALONE) {
		buf_put(&r->indent, n->ind, n->indlen);
		r->pending = 1;
	}
	return saved;
}

static void
indent_pop(struct render *r, size_t saved)
{
	if (r->indent.data) {
		r->indent.len = saved;
		r->indent.data[saved] = '\0';
	}
}

/* Renders the body of opener n (nodes from..to of t) one level deeper. */
static void
render_body(struct render *r, const struct mu_template *t,
    const struct node *n, size_t from, size_t to)
{
	if (nest_enter(r, t, n) == 0) {
		render_nodes(r, t, from, to);
		r->nest--;
	}
}

/* {{#x}}: the body once per item of a list, or once for a truthy value. */
static void
render_section(struct render *r, const struct mu_template *t, size_t i)
{
	const struct node *n = &t->node[i];
	const struct mu_value *v = lookup(r, t, n);
	size_t k;

	if (mu_type(v) == MU_LIST) {
		for (k = 0; k < v->u.list.n && r->rc >= 0; k++) {
			ctx_push(r, v->u.list.v[k]);
			render_body(r, t, n, i + 1, n->end);
			r->nctx--;
		}
	} else if (mu_truthy(v)) {
		ctx_push(r, v);
		render_body(r, t, n, i + 1, n->end);
		r->nctx--;
	}
}

/*
 * The template a partial or parent names: NULL when a dynamic name does
 * not resolve to text (quietly, per spec), when it does not exist (with a
 * warning) or does not load (failing the render).
 */
static const struct mu_template *
find_template(struct render *r, const struct mu_template *t,
    const struct node *n)
{
	const struct mu_template *p = NULL;
	const char *s = n->s;
	size_t len = n->len;
	struct buf msg = {0};

	if ((n->flags & NF_DYN) &&
	    ((s = mu_text(lookup(r, t, n), &len)) == NULL || len == 0))
		return NULL;
	if (r->partials)
		p = partials_get(r->partials, s, len, &msg);
	if (p == NULL && msg.len)
		fail(r, t, n, msg.data);
	else if (p == NULL)
		warn_missing(r, t, n, s, len);
	buf_free(&msg);
	return p;
}

/* Expands p for node n of t: a partial, or the template of a parent. */
static void
render_include(struct render *r, const struct mu_template *t,
    const struct node *n, const struct mu_template *p)
{
	size_t saved;

	if (r->depth >= r->lim.depth) {
		fail(r, t, n, "partials nested too deeply");
		return;
	}
	if (nest_enter(r, t, n) == -1)
		return;
	saved = indent_push(r, n);
	r->depth++;
	render_nodes(r, p, 0, p->n);
	r->depth--;
	r->nest--;
	indent_pop(r, saved);
}

static void
render_partial(struct render *r, const struct mu_template *t,
    const struct node *n)
{
	const struct mu_template *p = find_template(r, t, n);

	if (p)
		render_include(r, t, n, p);
}

/* {{<x}}: x, with the blocks of this body overriding x's own. */
static void
render_parent(struct render *r, const struct mu_template *t, size_t i)
{
	struct ovr o = { t, i, r->ovr };
	const struct mu_template *p = find_template(r, t, &t->node[i]);

	if (p == NULL)
		return;
	r->ovr = &o;
	render_include(r, t, &t->node[i], p);
	r->ovr = o.outer;
}

/*
 * {{$x}}: the outermost override of x among the parents being expanded,
 * or the block's own content, in the context of where the block stands.
 */
static void
render_block(struct render *r, const struct mu_template *t, size_t i)
{
	const struct node *n = &t->node[i], *c;
	const struct mu_template *bt = t;
	const struct ovr *o;
	size_t bi = i, j, saved;

	for (o = r->ovr; o != NULL; o = o->outer) {
		for (j = o->node + 1; j < o->t->node[o->node].end;
		    j = c->end) {
			c = &o->t->node[j];
			r->steps++;	/* so many blocks cost their search */
			if (c->op == OP_BLOCK && c->len == n->len &&
			    memcmp(c->s, n->s, n->len) == 0) {
				bt = o->t;
				bi = j;
			}
		}
	}
	if (nest_enter(r, t, n) == -1)
		return;
	saved = indent_push(r, n);
	render_nodes(r, bt, bi + 1, bt->node[bi].end);
	indent_pop(r, saved);
	r->nest--;
}

/* Renders nodes from..to of t (a whole body), stopping on failure. */
static void
render_nodes(struct render *r, const struct mu_template *t, size_t from,
    size_t to)
{
	const struct node *n;
	size_t i = from;

	while (i < to && r->rc >= 0) {
		n = &t->node[i];
		if (++r->steps > r->lim.steps) {
			fail(r, t, n, "template takes too many steps");
			return;
		}
		switch (n->op) {
		case OP_TEXT:
			put_text(r, t, n);
			break;
		case OP_VAR:
		case OP_RAW:
			put_value(r, t, n, lookup(r, t, n));
			break;
		case OP_SECTION:
			render_section(r, t, i);
			break;
		case OP_INVERTED:
			if (!mu_truthy(lookup(r, t, n)))
				render_body(r, t, n, i + 1, n->end);
			break;
		case OP_PARTIAL:
			render_partial(r, t, n);
			break;
		case OP_PARENT:
			render_parent(r, t, i);
			break;
		case OP_BLOCK:
			render_block(r, t, i);
			break;
		}
		i = n->end;
	}
}

int
mu_render_limits(const struct mu_template *t, const struct mu_value *data,
    struct mu_partials *partials, const struct mu_limits *lim,
    struct buf *out, struct buf *err)
{
	struct render r;

	memset(&r, 0, sizeof(r));
	r.partials = partials;
	r.out = out;
	r.err = err;
	if (lim)
		r.lim = *lim;
	r.lim.depth = r.lim.depth ? r.lim.depth : 64;
	r.lim.nest = r.lim.nest ? r.lim.nest : 512;
	r.lim.output = r.lim.output ? r.lim.output : (size_t)64 << 20;
	r.lim.steps = r.lim.steps ? r.lim.steps : 1UL << 26;
	r.out0 = out->len;
	r.pending = 1;
	if (data)
		ctx_push(&r, data);
	render_nodes(&r, t, 0, t->n);
	free(r.ctx);
	buf_free(&r.indent);
	buf_put(out, "", 0);	/* a NUL even when nothing was written */
	return r.rc;
}

int
mu_render(const struct mu_template *t, const struct mu_value *data,
    struct mu_partials *partials, struct buf *out, struct buf *err)
{
	return mu_render_limits(t, data, partials, NULL, out, err);
}
