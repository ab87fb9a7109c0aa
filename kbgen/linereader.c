/*
 * linereader.c -- raw bytes in, decoded UTF-8 lines out, in a stream:
 * memory stays bounded by the longest line (capped) whatever the file
 * size.  See linereader.h for the contract.
 *
 * Lines are split on the raw bytes (LF, or the LF code unit in UTF-16),
 * so a line's raw offset and 1-based number are exact; then the line
 * alone is decoded.  The common case -- an ASCII or valid UTF-8 line in
 * an 8-bit file -- is handed over without a copy.
 */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <string.h>

#include "util.h"
#include "encoding.h"
#include "linereader.h"

/* Is [p, p+n) all ASCII without NUL?  Eight bytes at a time. */
static int
plain_ascii(const unsigned char *p, size_t n)
{
	const uint64_t hi = 0x8080808080808080ull, lo = 0x0101010101010101ull;
	uint64_t w;

#if defined(__SSE2__)
	/* 16 bytes a step: a high bit or a NUL byte ends it. */
	for (; n >= 16; p += 16, n -= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		if (_mm_movemask_epi8(_mm_or_si128(v,
		    _mm_cmpeq_epi8(v, _mm_setzero_si128()))) != 0)
			return 0;
	}
#endif
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		if ((w & hi) || ((w - lo) & ~w & hi))
			return 0;
	}
	for (; n; p++, n--)
		if (*p == 0 || *p >= 0x80)
			return 0;
	return 1;
}

/* Windows-1252 0x80-0x9F; the rest of the high half is Latin-1. */
static const uint16_t cp1252[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178
};

/* Appends code point cp as UTF-8 to b. */
static void
put_cp(struct buf *b, uint32_t cp)
{
	char u[4];

	buf_put(b, u, utf8_encode(cp, u));
}

/* Reports a decoding problem, a few per file, then only counts. */
static void
lr_warn(struct linereader *lr, long lineno, const char *what)
{
	lr->problems++;
	if (lr->problems <= 3)
		diag(DIAG_WARNING, lr->path, lineno, 0, "%s; replaced with "
		    "U+FFFD", what);
	else if (lr->problems == 4)
		diag(DIAG_WARNING, lr->path, lineno, 0, "more decoding "
		    "problems in this file; counting only");
}

/* Decodes an 8-bit line (UTF-8 with repair, or Windows-1252) into out. */
static void
decode8(struct linereader *lr, const unsigned char *p, size_t n,
    long lineno, struct buf *out)
{
	size_t i = 0;
	uint32_t cp;
	int k;

	buf_reset(out);
	buf_grow(out, n + n / 2);
	while (i < n) {
		if (p[i] < 0x80) {
			if (p[i] == 0)
				lr->nuls++;
			else
				buf_putc(out, p[i]);
			i++;
		} else if (lr->enc == LR_CP1252) {
			put_cp(out, p[i] < 0xa0 ? cp1252[p[i] - 0x80] : p[i]);
			i++;
		} else if ((k = utf8_decode(p + i, n - i, &cp)) > 0) {
			buf_put(out, p + i, (size_t)k);
			i += (size_t)k;
		} else {
			lr_warn(lr, lineno, "invalid UTF-8");
			put_cp(out, 0xfffd);
			i++;
		}
	}
}

/* Decodes a UTF-16 line (without its LF unit) into out. */
static void
decode16(struct linereader *lr, const unsigned char *p, size_t n,
    long lineno, struct buf *out)
{
	size_t i;
	int be = lr->enc == LR_UTF16BE;

	buf_reset(out);
	buf_grow(out, n * 3 / 2 + 4);
	for (i = 0; i + 1 < n; i += 2) {
		uint32_t u = be ? (uint32_t)(p[i] << 8 | p[i + 1]) :
		    (uint32_t)(p[i + 1] << 8 | p[i]);
		if (u >= 0xd800 && u <= 0xdbff && i + 3 < n) {
			uint32_t v = be ? (uint32_t)(p[i + 2] << 8 | p[i + 3]) :
			    (uint32_t)(p[i + 3] << 8 | p[i + 2]);
			if (v >= 0xdc00 && v <= 0xdfff) {
				put_cp(out, 0x10000 + ((u - 0xd800) << 10) +
				    (v - 0xdc00));
				i += 2;
				continue;
			}
		}
		if (u >= 0xd800 && u <= 0xdfff) {
			lr_warn(lr, lineno, "unpaired UTF-16 surrogate");
			u = 0xfffd;
		}
		if (u == 0)
			lr->nuls++;
		else
			put_cp(out, u);
	}
	if (n & 1)
		lr_warn(lr, lineno, "odd byte at the end of UTF-16 text");
}

/* Hands one raw line (no LF) to the callback, decoded, CR dropped. */
static void
emit_line(struct linereader *lr, const unsigned char *p, size_t n, int ascii)
{
	long lineno = ++lr->lineno;
	uint64_t off = lr->off;
	const char *s;
	size_t len;

	lr->off += n + (lr->enc >= LR_UTF16LE ? 2 : 1);
	if (lr->enc >= LR_UTF16LE) {
		decode16(lr, p, n, lineno, &lr->scratch);
		s = lr->scratch.data;
		len = lr->scratch.len;
	} else if (lr->enc != LR_CP1252 && (ascii == 1 ||
	    (ascii < 0 && plain_ascii(p, n)))) {
		s = (const char *)p;
		len = n;
	} else {
		decode8(lr, p, n, lineno, &lr->scratch);
		s = buf_str(&lr->scratch);
		len = lr->scratch.len;
	}
	if (len && s[len - 1] == '\r')
		len--;
	lr->line(lr->arg, s ? s : "", len, lineno, off);
}

static void
emit(struct linereader *lr, const unsigned char *p, size_t n)
{
	emit_line(lr, p, n, -1);
}

/*
 * Where the next line end is in [p, p+n): the LF byte, or the LF code
 * unit at an even distance from the line start in UTF-16.  Returns its
 * offset, or n when there is none yet.
 */
static size_t
find_eol(const struct linereader *lr, const unsigned char *p, size_t n)
{
	const unsigned char *q;
	size_t i;

	if (lr->enc < LR_UTF16LE) {
		q = memchr(p, '\n', n);
		return q ? (size_t)(q - p) : n;
	}
	for (i = 0; i + 1 < n; i += 2)
		if (lr->enc == LR_UTF16LE ? (p[i] == '\n' && p[i + 1] == 0) :
		    (p[i] == 0 && p[i + 1] == '\n'))
			return i;
	return n;
}

/*
 * find_eol() for the single-byte encodings, telling on the way whether
 * the line is plain ASCII (*ascii 1 or 0; -1 when not known), so that a
 * line is looked at once, not by memchr() and then by plain_ascii().
 */
static size_t
find_eol_ascii(const struct linereader *lr, const unsigned char *p, size_t n,
    int *ascii)
{
#if defined(__SSE2__)
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	size_t i = 0;
	unsigned bad = 0;

	if (lr->enc >= LR_UTF16LE)
		return find_eol(lr, p, n);
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		unsigned e = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
		unsigned b = (unsigned)_mm_movemask_epi8(_mm_or_si128(v,
		    _mm_cmpeq_epi8(v, zero)));
		if (e != 0) {
			unsigned k = (unsigned)__builtin_ctz(e);
			bad |= b & ((1u << k) - 1);
			*ascii = bad == 0;
			return i + k;
		}
		bad |= b;
	}
	(void)bad;
	return i + find_eol(lr, p + i, n - i);
#else
	(void)ascii;
	return find_eol(lr, p, n);
#endif
}

void
lr_init(struct linereader *lr, const char *path, enum lr_encoding enc,
    void (*line)(void *, const char *, size_t, long, uint64_t), void *arg)
{
	memset(lr, 0, sizeof(*lr));
	lr->path = path;
	lr->enc = enc;
	lr->line = line;
	lr->arg = arg;
}

/*
 * UTF-16: lines end at an LF code unit, which may straddle two feeds, so
 * the bytes collect in lr->pending and are split there (UTF-16 files are
 * small exports: .reg, event text; the copy costs nothing that matters).
 */
static void
feed16(struct linereader *lr, const unsigned char *p, size_t n)
{
	size_t start = 0, e;
	const unsigned char *q;

	buf_put(&lr->pending, p, n);
	q = (const unsigned char *)lr->pending.data;
	for (;;) {
		e = find_eol(lr, q + start, lr->pending.len - start);
		if (e >= lr->pending.len - start || lr->pending.len - start - e < 2)
			break;
		emit(lr, q + start, e);
		start += e + 2;
	}
	if (start) {
		memmove(lr->pending.data, lr->pending.data + start,
		    lr->pending.len - start);
		lr->pending.len -= start;
		lr->pending.data[lr->pending.len] = '\0';
	}
	if (lr->pending.len >= LR_MAX_LINE)
		lr_split_long(lr);
}

/*
 * Splits what it can of data; a trailing partial line waits in
 * lr->pending.  A line longer than LR_MAX_LINE is handed over in pieces
 * (with one warning) so memory stays bounded.
 */
void
lr_feed(struct linereader *lr, const void *data, size_t n)
{
	const unsigned char *p = data, *end = p + n;
	size_t e;

	if (lr->enc >= LR_UTF16LE) {
		feed16(lr, p, n);
		return;
	}
	if (lr->pending.len) {
		/* Complete the pending line first, without rescanning it. */
		e = find_eol(lr, p, n);
		buf_put(&lr->pending, p, e);
		if (e == n) {
			if (lr->pending.len >= LR_MAX_LINE)
				lr_split_long(lr);
			return;
		}
		emit(lr, (const unsigned char *)lr->pending.data, lr->pending.len);
		buf_reset(&lr->pending);
		p += e + 1;
	}
	while (p < end) {
		int ascii = -1;
		e = find_eol_ascii(lr, p, (size_t)(end - p), &ascii);
		if (e == (size_t)(end - p))
			break;
		emit_line(lr, p, e, ascii);
		p += e + 1;
	}
	if (p < end) {
		buf_put(&lr->pending, p, (size_t)(end - p));
		if (lr->pending.len >= LR_MAX_LINE)
			lr_split_long(lr);
	}
}

void
lr_split_long(struct linereader *lr)
{
	size_t cut = LR_MAX_LINE;

	if (!lr->warned_long) {
		lr->warned_long = 1;
		diag(DIAG_WARNING, lr->path, lr->lineno + 1, 0, "line longer "
		    "than %u bytes; read in pieces", (unsigned)LR_MAX_LINE);
	}
	if (lr->enc >= LR_UTF16LE)
		cut &= ~(size_t)1;
	else	/* Do not cut a UTF-8 sequence in two. */
		while (cut > 0 && ((unsigned char)lr->pending.data[cut] & 0xc0) == 0x80)
			cut--;
	emit(lr, (const unsigned char *)lr->pending.data, cut);
	lr->lineno--;	/* the rest is the same physical line */
	memmove(lr->pending.data, lr->pending.data + cut, lr->pending.len - cut);
	lr->pending.len -= cut;
	lr->pending.data[lr->pending.len] = '\0';
}

void
lr_finish(struct linereader *lr)
{
	if (lr->pending.len)
		emit(lr, (const unsigned char *)lr->pending.data, lr->pending.len);
	if (lr->nuls)
		diag(DIAG_WARNING, lr->path, 0, 0, "%zu NUL characters dropped",
		    lr->nuls);
	buf_free(&lr->pending);
	buf_free(&lr->scratch);
}

enum lr_encoding
lr_guess(const unsigned char *head, size_t n, size_t *bom)
{
	const char *enc = text_guess_encoding(head, n, bom);

	if (enc == NULL)
		return LR_BINARY;
	if (strcmp(enc, "utf-16le") == 0)
		return LR_UTF16LE;
	if (strcmp(enc, "utf-16be") == 0)
		return LR_UTF16BE;
	if (strcmp(enc, "windows-1252") == 0)
		return LR_CP1252;
	return LR_UTF8;
}

const char *
lr_encoding_name(enum lr_encoding e, int bom)
{
	switch (e) {
	case LR_UTF8:
		return bom ? "utf-8-bom" : "utf-8";
	case LR_CP1252:
		return "windows-1252";
	case LR_UTF16LE:
		return "utf-16le";
	case LR_UTF16BE:
		return "utf-16be";
	default:
		return "binary";
	}
}
