/*
 * diff_token.c -- what the diff compares: interned strings and the
 * tokenizer (words of any script, CJK characters one by one, punctuation,
 * white space, and Markdown or HTML markup told apart from text).  See
 * diff.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "article.h"
#include "encoding.h"
#include "html.h"
#include "diff.h"

/* ---- Interned strings ---------------------------------------------- */

struct diff_intern {
	struct buf	 chars;		/* every string, each NUL-terminated */
	uint32_t	*off;		/* per id: offset into chars */
	uint32_t	*len;		/* per id: length */
	uint32_t	*hash;		/* per id: FNV-1a of the bytes */
	size_t		 n, cap;
	uint32_t	*slot;		/* open addressing: id + 1, 0 = empty */
	size_t		 nslot;		/* a power of two */
};

uint32_t
diff_hash_more(uint32_t h, const char *s, size_t n)
{
	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

uint32_t
diff_hash(const char *s, size_t n)
{
	return diff_hash_more(2166136261u, s, n);
}

struct diff_intern *
diff_intern_new(void)
{
	struct diff_intern *in = xcalloc(1, sizeof(*in));

	in->nslot = 1024;
	in->slot = xcalloc(in->nslot, sizeof(*in->slot));
	diff_intern_id(in, " ", 1);	/* id 0: white space */
	return in;
}

void
diff_intern_free(struct diff_intern *in)
{
	if (in == NULL)
		return;
	buf_free(&in->chars);
	free(in->off);
	free(in->len);
	free(in->hash);
	free(in->slot);
	free(in);
}

/* Doubles the slot table (kept at most half full). */
static void
intern_grow(struct diff_intern *in)
{
	size_t i, j, ns = in->nslot * 2;
	uint32_t *s = xcalloc(ns, sizeof(*s));

	for (i = 0; i < in->n; i++) {
		for (j = in->hash[i] & (ns - 1); s[j]; j = (j + 1) & (ns - 1))
			;
		s[j] = (uint32_t)i + 1;
	}
	free(in->slot);
	in->slot = s;
	in->nslot = ns;
}

uint32_t
diff_intern_id(struct diff_intern *in, const char *s, size_t n)
{
	uint32_t h = diff_hash(s, n), k;
	size_t j;

	if ((in->n + 1) * 2 > in->nslot)
		intern_grow(in);
	for (j = h & (in->nslot - 1); (k = in->slot[j]) != 0;
	    j = (j + 1) & (in->nslot - 1)) {
		k--;
		if (in->hash[k] == h && in->len[k] == n &&
		    memcmp(in->chars.data + in->off[k], s, n) == 0)
			return k;
	}
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 256;
		in->off = xrealloc(in->off, in->cap * sizeof(*in->off));
		in->len = xrealloc(in->len, in->cap * sizeof(*in->len));
		in->hash = xrealloc(in->hash, in->cap * sizeof(*in->hash));
	}
	in->off[in->n] = (uint32_t)in->chars.len;
	in->len[in->n] = (uint32_t)n;
	in->hash[in->n] = h;
	if (n)
		buf_put(&in->chars, s, n);
	buf_putc(&in->chars, '\0');
	in->slot[j] = (uint32_t)in->n + 1;
	return (uint32_t)in->n++;
}

const char *
diff_intern_str(const struct diff_intern *in, uint32_t id, size_t *len)
{
	if (len)
		*len = in->len[id];
	return in->chars.data + in->off[id];
}

/* ---- Tokenizer ----------------------------------------------------- */

enum diff_cclass
diff_cp_class(uint32_t cp)
{
	if (cp < 0x80) {
		if (kb_isspace((int)cp))
			return DC_SPACE;
		return kb_isalnum((int)cp) ? DC_WORD : DC_PUNCT;
	}
	if (cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000)
		return DC_SPACE;
	if (cp_is_cjk(cp))
		return DC_CJK;
	if (cp <= 0xbf)
		return cp == 0xaa || cp == 0xb5 || cp == 0xba ? DC_WORD :
		    DC_PUNCT;
	if (cp == 0xd7 || cp == 0xf7 || (cp >= 0x200b && cp <= 0x2bff) ||
	    (cp >= 0x3001 && cp <= 0x303f) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
	    (cp >= 0xff01 && cp <= 0xff0f) || (cp >= 0xff1a && cp <= 0xff20) ||
	    (cp >= 0xff3b && cp <= 0xff40) || (cp >= 0xff5b && cp <= 0xff65) ||
	    cp == 0xfeff || cp == 0xfffd || (cp >= 0x1f000 && cp <= 0x1faff))
		return DC_PUNCT;
	return DC_WORD;
}

uint32_t
diff_cp_at(const char *s, size_t n, size_t p, size_t *len)
{
	uint32_t cp;
	int l = utf8_decode((const unsigned char *)s + p, n - p, &cp);

	if (l <= 0) {
		*len = 1;
		return 0xfffd;
	}
	*len = (size_t)l;
	return cp;
}

/* Tokenizer state over one text. */
struct tz {
	struct dtoks	*t;
	struct diff_intern *in;
	const char	*s;
	size_t		 n, p;
	int		 bol;		/* only white space since the line start */
	int		 fence;		/* the open fence character, or 0 */
	size_t		 fence_n;	/* its length */
	size_t		 closer[32];	/* offsets of pending link closers */
	int		 ncloser;
	struct buf	 tmp;
};

/* Appends a token; norm (nlen bytes) is its normalized form, NULL for
 * the raw bytes.  Adjacent white space is one token. */
static void
tz_push(struct tz *z, size_t off, size_t len, int kind, const char *norm,
    size_t nlen)
{
	struct dtoks *t = z->t;
	struct dtok *k;

	if (len == 0)
		return;
	if (kind == DT_SPACE && t->n && t->v[t->n - 1].kind == DT_SPACE &&
	    t->v[t->n - 1].off + t->v[t->n - 1].len == off) {
		t->v[t->n - 1].len += (uint32_t)len;
		return;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	k = &t->v[t->n++];
	k->off = (uint32_t)off;
	k->len = (uint32_t)len;
	k->kind = (uint8_t)kind;
	k->id = kind == DT_SPACE ? 0 : diff_intern_id(z->in,
	    norm ? norm : z->s + off, norm ? nlen : len);
}

/* Is the code point at p a word character? */
static int
word_at(const struct tz *z, size_t p)
{
	size_t l;

	return p < z->n && diff_cp_class(diff_cp_at(z->s, z->n, p, &l)) == DC_WORD;
}

/*
 * A word from p: word characters, joined by '_' and apostrophes (and,
 * in Markdown, by an escaped "\_") between word characters.  The
 * normalized form drops those escapes.
 */
static void
tz_word(struct tz *z, int markdown)
{
	size_t start = z->p, l;
	int escaped = 0;
	uint32_t cp;

	for (;;) {
		if (z->p >= z->n)
			break;
		cp = diff_cp_at(z->s, z->n, z->p, &l);
		if (diff_cp_class(cp) == DC_WORD) {
			z->p += l;
			continue;
		}
		if ((cp == '_' || cp == '\'' || cp == 0x2019) &&
		    word_at(z, z->p + l)) {
			z->p += l;
			continue;
		}
		if (markdown && cp == '\\' && z->p + 1 < z->n &&
		    z->s[z->p + 1] == '_' && word_at(z, z->p + 2)) {
			z->p += 2;
			escaped = 1;
			continue;
		}
		break;
	}
	if (!escaped) {
		tz_push(z, start, z->p - start, DT_WORD, NULL, 0);
		return;
	}
	buf_reset(&z->tmp);
	for (l = start; l < z->p; l++)
		if (!(z->s[l] == '\\' && z->s[l + 1] == '_'))
			buf_putc(&z->tmp, z->s[l]);
	tz_push(z, start, z->p - start, DT_WORD, z->tmp.data, z->tmp.len);
}

/* One plain token at p: a word, a CJK character, white space or one
 * punctuation character. */
static void
tz_plain(struct tz *z, int markdown)
{
	size_t l, start = z->p;
	uint32_t cp = diff_cp_at(z->s, z->n, z->p, &l);

	switch (diff_cp_class(cp)) {
	case DC_WORD:
		tz_word(z, markdown);
		return;
	case DC_CJK:
		z->p += l;
		tz_push(z, start, l, DT_CJK, NULL, 0);
		return;
	case DC_SPACE:
		while (z->p < z->n &&
		    diff_cp_class(diff_cp_at(z->s, z->n, z->p, &l)) == DC_SPACE) {
			if (z->s[z->p] == '\n')
				z->bol = 1;
			z->p += l;
		}
		tz_push(z, start, z->p - start, DT_SPACE, NULL, 0);
		return;
	case DC_PUNCT:
		z->p += l;
		tz_push(z, start, l, DT_PUNCT, NULL, 0);
		return;
	}
}

/* Plain tokens for s[p..end). */
static void
tz_plain_to(struct tz *z, size_t end)
{
	while (z->p < end)
		tz_plain(z, 0);
}

/* Offset of the end of the line at p (the '\n' or n). */
static size_t
eol(const struct tz *z, size_t p)
{
	const char *nl = memchr(z->s + p, '\n', z->n - p);

	return nl ? (size_t)(nl - z->s) : z->n;
}

/* Length of the run of c at p. */
static size_t
run_of(const struct tz *z, size_t p, char c)
{
	size_t q = p;

	while (q < z->n && z->s[q] == c)
		q++;
	return q - p;
}

/* Does p start a thematic break, setext underline or table delimiter
 * row (markup only, up to the end of the line)? */
static int
md_rule_line(const struct tz *z, size_t p)
{
	size_t e = eol(z, p), q, marks = 0, dash = 0;

	for (q = p; q < e; q++) {
		switch (z->s[q]) {
		case '-':
			dash++;
			/* FALLTHROUGH */
		case '=':
		case '*':
		case '_':
			marks++;
			break;
		case '|':
		case ':':
		case ' ':
		case '\t':
			break;
		default:
			return 0;
		}
	}
	if (memchr(z->s + p, '|', e - p) != NULL)
		return dash >= 1 && z->s[p] != '-' ? 1 : dash >= 3;
	return marks >= 3;
}

/* A list marker at p: returns its length ("-", "12."), or 0. */
static size_t
md_list_marker(const struct tz *z, size_t p)
{
	size_t q = p;
	char c = z->s[p];

	if (c == '-' || c == '+' || c == '*')
		q++;
	else {
		while (q < z->n && q - p < 9 && kb_isdigit((unsigned char)z->s[q]))
			q++;
		if (q == p || q >= z->n || (z->s[q] != '.' && z->s[q] != ')'))
			return 0;
		q++;
	}
	if (q < z->n && z->s[q] != ' ' && z->s[q] != '\t' && z->s[q] != '\n')
		return 0;
	return q - p;
}

/*
 * Block markup at the start of a line (after its indentation): fences,
 * rules, headings, quotes, list markers, DocFX alert labels.  Returns 1
 * when it consumed something.
 */
static int
md_block(struct tz *z)
{
	size_t p = z->p, e = eol(z, p), k;
	char c = z->s[p];

	if ((c == '`' || c == '~') && (k = run_of(z, p, c)) >= 3 &&
	    (c == '~' || memchr(z->s + p + k, '`', e - p - k) == NULL)) {
		z->fence = c;
		z->fence_n = k;
		tz_push(z, p, e - p, DT_MARK, NULL, 0);
		z->p = e;
		z->bol = 0;
		return 1;
	}
	if ((c == '-' || c == '=' || c == '*' || c == '_' || c == '|') &&
	    md_rule_line(z, p)) {
		tz_push(z, p, e - p, DT_MARK, NULL, 0);
		z->p = e;
		z->bol = 0;
		return 1;
	}
	if (c == '#' && (k = run_of(z, p, '#')) <= 6 &&
	    (p + k == z->n || z->s[p + k] == ' ' || z->s[p + k] == '\t' ||
	    z->s[p + k] == '\n')) {
		tz_push(z, p, k, DT_BLOCK, NULL, 0);
		z->p += k;
		z->bol = 0;
		return 1;
	}
	if (c == '>') {
		tz_push(z, p, 1, DT_BLOCK, NULL, 0);
		z->p++;
		return 1;
	}
	if ((k = md_list_marker(z, p)) > 0) {
		tz_push(z, p, k, DT_BLOCK, NULL, 0);
		z->p += k;
		return 1;
	}
	if (c == '[' && p + 2 < e && z->s[p + 1] == '!') {
		for (k = p + 2; k < e && kb_isalpha((unsigned char)z->s[k]); k++)
			;
		if (k < e && z->s[k] == ']' && k > p + 2) {
			tz_push(z, p, k + 1 - p, DT_MARK, NULL, 0);
			z->p = k + 1;
			z->bol = 0;
			return 1;
		}
	}
	return 0;
}

/* Inside a fence, at a line start: the closing fence, or a code line. */
static void
md_fence_line(struct tz *z)
{
	size_t p = z->p, e = eol(z, p), k = run_of(z, p, (char)z->fence), q;

	z->bol = 0;
	if (k >= z->fence_n) {
		for (q = p + k; q < e && (z->s[q] == ' ' || z->s[q] == '\t'); q++)
			;
		if (q == e) {
			tz_push(z, p, e - p, DT_MARK, NULL, 0);
			z->p = e;
			z->fence = 0;
			return;
		}
	}
	tz_plain_to(z, e);
}

/* The end of a paragraph-ish scan: a blank line ends inline constructs. */
static int
blank_line_at(const struct tz *z, size_t q)
{
	return z->s[q] == '\n' && q + 1 < z->n && z->s[q + 1] == '\n';
}

/* The ']' closing the '[' at p when a link target or label follows, or 0. */
static size_t
md_link_close(const struct tz *z, size_t p)
{
	size_t q, lim = p + 4096 < z->n ? p + 4096 : z->n;
	int depth = 1;

	for (q = p + 1; q < lim && !blank_line_at(z, q); q++) {
		if (z->s[q] == '\\') {
			q++;
			continue;
		}
		if (z->s[q] == '[')
			depth++;
		else if (z->s[q] == ']' && --depth == 0)
			return q + 1 < z->n && (z->s[q + 1] == '(' ||
			    z->s[q + 1] == '[') ? q : 0;
	}
	return 0;
}

/* The matching close of the bracket at p (same line), or 0. */
static size_t
match_close(const struct tz *z, size_t p, char open, char close)
{
	size_t q, e = eol(z, p);
	int depth = 0;

	for (q = p; q < e; q++) {
		if (z->s[q] == '\\') {
			q++;
			continue;
		}
		if (z->s[q] == open)
			depth++;
		else if (z->s[q] == close && --depth == 0)
			return q;
	}
	return 0;
}

/* A code span from the backtick run at p; returns 1 when one closes. */
static int
md_code_span(struct tz *z)
{
	size_t p = z->p, k = run_of(z, p, '`'), q;

	for (q = p + k; q < z->n && !blank_line_at(z, q); q++) {
		if (z->s[q] != '`')
			continue;
		if (run_of(z, q, '`') == k) {
			tz_push(z, p, k, DT_MARK, NULL, 0);
			z->p = p + k;
			tz_plain_to(z, q);
			tz_push(z, q, k, DT_MARK, NULL, 0);
			z->p = q + k;
			return 1;
		}
		q += run_of(z, q, '`') - 1;
	}
	z->p = p + k;
	tz_push(z, p, k, DT_PUNCT, NULL, 0);
	return 1;
}

/* Emphasis and strike-through runs: markup unless white space (or the
 * text's edges) is on both sides, which makes them literal. */
static int
md_emphasis(struct tz *z)
{
	size_t p = z->p, k = run_of(z, p, z->s[p]);
	int before = p == 0 || kb_isspace((unsigned char)z->s[p - 1]);
	int after = p + k >= z->n || kb_isspace((unsigned char)z->s[p + k]);

	if (z->s[p] == '~' && k < 2)
		return 0;
	if (before && after)
		return 0;
	tz_push(z, p, k, DT_MARK, NULL, 0);
	z->p += k;
	return 1;
}

/* HTML comments, tags and autolinks at '<'. */
static int
md_angle(struct tz *z)
{
	size_t p = z->p, e = eol(z, p), q;
	const char *end;

	if (z->n - p >= 4 && memcmp(z->s + p, "<!--", 4) == 0) {
		end = NULL;
		for (q = p + 4; q + 3 <= z->n; q++)
			if (memcmp(z->s + q, "-->", 3) == 0) {
				end = z->s + q + 3;
				break;
			}
		q = end ? (size_t)(end - z->s) : e;
		tz_push(z, p, q - p, DT_MARK, NULL, 0);
		z->p = q;
		return 1;
	}
	q = p + 1;
	if (q < e && z->s[q] == '/')
		q++;
	if (q >= e || !kb_isalpha((unsigned char)z->s[q]))
		return 0;
	while (q < e && (kb_isalnum((unsigned char)z->s[q]) || z->s[q] == '-'))
		q++;
	if (q < e && z->s[q] == ':' && z->s[p + 1] != '/') {
		/* An autolink <scheme:...>: the URL is content. */
		end = memchr(z->s + q, '>', e - q);
		if (end == NULL || memchr(z->s + q, ' ', (size_t)(end - z->s) - q))
			return 0;
		tz_push(z, p, 1, DT_MARK, NULL, 0);
		tz_push(z, p + 1, (size_t)(end - z->s) - p - 1, DT_URL, NULL, 0);
		tz_push(z, (size_t)(end - z->s), 1, DT_MARK, NULL, 0);
		z->p = (size_t)(end - z->s) + 1;
		return 1;
	}
	if (q < e && z->s[q] != ' ' && z->s[q] != '>' && z->s[q] != '/' &&
	    z->s[q] != '\t')
		return 0;
	if ((end = memchr(z->s + q, '>', e - q)) == NULL)
		return 0;
	tz_push(z, p, (size_t)(end - z->s) + 1 - p, DT_MARK, NULL, 0);
	z->p = (size_t)(end - z->s) + 1;
	return 1;
}

/* An entity at '&': its decoded text is the token's normalized form. */
static int
tz_entity(struct tz *z)
{
	size_t p = z->p, q = p + 1, l;
	uint32_t cp;
	int kind;

	if (q < z->n && z->s[q] == '#')
		q++;
	while (q < z->n && q - p < 32 && kb_isalnum((unsigned char)z->s[q]))
		q++;
	if (q >= z->n || z->s[q] != ';' || q == p + 1)
		return 0;
	q++;
	if (q - p == 6 && memcmp(z->s + p, "&nbsp;", 6) == 0) {
		tz_push(z, p, 6, DT_SPACE, NULL, 0);
		z->p = q;
		return 1;
	}
	buf_reset(&z->tmp);
	html_unescape_into(&z->tmp, z->s + p, q - p);
	if (z->tmp.len == q - p && memcmp(z->tmp.data, z->s + p, q - p) == 0)
		return 0;
	cp = diff_cp_at(z->tmp.data, z->tmp.len, 0, &l);
	switch (diff_cp_class(cp)) {
	case DC_SPACE:
		kind = DT_SPACE;
		break;
	case DC_WORD:
		kind = DT_WORD;
		break;
	case DC_CJK:
		kind = DT_CJK;
		break;
	default:
		kind = DT_PUNCT;
		break;
	}
	tz_push(z, p, q - p, kind, z->tmp.data, z->tmp.len);
	z->p = q;
	return 1;
}

/* Brackets of links and images, and their targets. */
static int
md_bracket(struct tz *z)
{
	size_t p = z->p, q, k = z->s[p] == '!' ? 1 : 0;

	if (z->s[p] == ']') {
		if (z->ncloser == 0 || z->closer[z->ncloser - 1] != p)
			return 0;
		z->ncloser--;
		tz_push(z, p, 1, DT_MARK, NULL, 0);
		z->p = ++p;
		if (p < z->n && z->s[p] == '(' &&
		    (q = match_close(z, p, '(', ')')) > 0) {
			tz_push(z, p, q + 1 - p, DT_URL, NULL, 0);
			z->p = q + 1;
		} else if (p < z->n && z->s[p] == '[' &&
		    (q = match_close(z, p, '[', ']')) > 0) {
			tz_push(z, p, q + 1 - p, DT_MARK, NULL, 0);
			z->p = q + 1;
		}
		return 1;
	}
	if (k && (p + 1 >= z->n || z->s[p + 1] != '['))
		return 0;
	if ((q = md_link_close(z, p + k)) == 0 ||
	    z->ncloser == (int)(sizeof(z->closer) / sizeof(z->closer[0])))
		return 0;
	z->closer[z->ncloser++] = q;
	tz_push(z, p, k + 1, DT_MARK, NULL, 0);
	z->p += k + 1;
	return 1;
}

/* Inline Markdown at p; returns 1 when it consumed something. */
static int
md_inline(struct tz *z)
{
	size_t p = z->p;
	char c = z->s[p];

	switch (c) {
	case '\\':
		if (p + 1 < z->n && z->s[p + 1] == '\n') {
			tz_push(z, p, 1, DT_MARK, NULL, 0);
			z->p++;
			return 1;
		}
		if (p + 1 < z->n && (unsigned char)z->s[p + 1] < 0x80 &&
		    !kb_isalnum((unsigned char)z->s[p + 1]) &&
		    !kb_isspace((unsigned char)z->s[p + 1])) {
			tz_push(z, p, 2, DT_PUNCT, z->s + p + 1, 1);
			z->p += 2;
			return 1;
		}
		return 0;
	case '`':
		return md_code_span(z);
	case '*':
	case '_':
	case '~':
		return md_emphasis(z);
	case '<':
		return md_angle(z);
	case '&':
		return tz_entity(z);
	case '!':
	case '[':
	case ']':
		return md_bracket(z);
	case '|':
		tz_push(z, p, 1, DT_MARK, NULL, 0);
		z->p++;
		return 1;
	default:
		return 0;
	}
}

/* Markdown source: block markup at line starts, then inline markup. */
static void
tz_markdown(struct tz *z)
{
	while (z->p < z->n) {
		if (kb_isspace((unsigned char)z->s[z->p])) {
			tz_plain(z, 1);
			continue;
		}
		if (z->bol && z->fence) {
			md_fence_line(z);
			continue;
		}
		if (z->bol && md_block(z))
			continue;
		z->bol = 0;
		if (!md_inline(z))
			tz_plain(z, 1);
	}
}

/* HTML: tags and comments are markup, entities are decoded. */
static void
tz_html(struct tz *z)
{
	const char *gt;

	while (z->p < z->n) {
		if (z->s[z->p] == '<' &&
		    (gt = memchr(z->s + z->p, '>', z->n - z->p)) != NULL) {
			tz_push(z, z->p, (size_t)(gt - z->s) + 1 - z->p, DT_MARK,
			    NULL, 0);
			z->p = (size_t)(gt - z->s) + 1;
		} else if (z->s[z->p] != '&' || !tz_entity(z))
			tz_plain(z, 0);
	}
}

void
diff_tokenize(struct dtoks *t, const char *s, size_t n, enum dtok_mode mode,
    struct diff_intern *in)
{
	struct tz z;

	memset(&z, 0, sizeof(z));
	z.t = t;
	z.in = in;
	z.s = s ? s : "";
	z.n = s ? n : 0;
	z.bol = 1;
	t->src = z.s;
	switch (mode) {
	case DM_MARKDOWN:
		tz_markdown(&z);
		break;
	case DM_HTML:
		tz_html(&z);
		break;
	default:
		tz_plain_to(&z, z.n);
		break;
	}
	buf_free(&z.tmp);
}

void
dtoks_free(struct dtoks *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
