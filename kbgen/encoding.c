/*
 * encoding.c -- sniffing and decoding text files, UTF-8 helpers, scripts.
 *
 * text_decode() makes two linear passes: a scan that counts what the
 * bytes look like (so the encoding can be chosen and the output sized
 * once), then the conversion, which writes straight into a buffer that
 * is large enough for the worst case of that input.
 */
#include <string.h>
#include <pthread.h>

#include "util.h"
#include "encoding.h"

/* Detailed warnings per file and kind; the rest are only counted. */
#define WARN_MAX	3
/*
 * An 8-bit file may hold a few runs of NUL bytes and still be text: a
 * log that was preallocated, or cut off by a crash, is padded with NUL.
 * Binary formats scatter NULs all over, so many runs mean binary.
 */
#define NUL_RUNS_MAX	4
/* How much of a BOM-less file the UTF-16 sniffer looks at. */
#define SNIFF_MAX	65536

/* What the first pass found; units are bytes or UTF-16 code units. */
struct scan {
	size_t	 units;
	size_t	 nul;		/* NUL units */
	size_t	 nul_runs;	/* maximal runs of NUL units */
	size_t	 ctrl;		/* controls that text does not contain */
	size_t	 multi;		/* valid multibyte UTF-8 sequences */
	size_t	 bad;		/* invalid UTF-8 subparts */
	size_t	 high;		/* bytes 0x80-0xff */
	size_t	 cr;		/* CR units (S_scan8 only) */
};

/* Conversion state shared by the three decoders. */
struct dec {
	const char *path;
	const char *what;	/* "UTF-8" or "UTF-16", for messages */
	char	*w;		/* next output byte */
	long	 line;		/* 1-based position of the next character */
	long	 col;
	int	 cr;		/* the last character was a CR */
	size_t	 n_lf, n_crlf, n_cr;
	size_t	 nul;
	long	 nul_line, nul_col;
	size_t	 bad;
};

/*
 * Windows-1252 0x80-0x9f.  The five bytes the code page leaves undefined
 * map to the C1 control of the same value, as Windows and the WHATWG
 * decoder do, so no byte is lost.
 */
static const uint16_t cp1252[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178
};

struct range {
	uint32_t lo, hi;
};

/*
 * CJK letters, sorted.  The CJK Symbols and Punctuation block is left
 * out except for the three letters in it (々 〆 〇), because 人々 is one
 * word but 、 and 「 are separators; likewise the katakana middle dot
 * ・ and the halfwidth punctuation FF61-FF65.
 */
static const struct range cjk_ranges[] = {
	{ 0x1100, 0x11ff },	/* Hangul Jamo */
	{ 0x3005, 0x3007 },	/* 々 〆 〇 */
	{ 0x303b, 0x303c },	/* 〻 〼 */
	{ 0x3041, 0x3096 },	/* Hiragana */
	{ 0x3099, 0x309f },	/* sound marks, ゝ ゞ ゟ */
	{ 0x30a1, 0x30fa },	/* Katakana */
	{ 0x30fc, 0x30ff },	/* ー ヽ ヾ ヿ */
	{ 0x3131, 0x318e },	/* Hangul Compatibility Jamo */
	{ 0x31f0, 0x31ff },	/* Katakana Phonetic Extensions */
	{ 0x3400, 0x4dbf },	/* Han extension A */
	{ 0x4e00, 0x9fff },	/* Han unified ideographs */
	{ 0xa960, 0xa97f },	/* Hangul Jamo Extended-A */
	{ 0xac00, 0xd7a3 },	/* Hangul syllables */
	{ 0xd7b0, 0xd7ff },	/* Hangul Jamo Extended-B */
	{ 0xf900, 0xfaff },	/* CJK compatibility ideographs */
	{ 0xff66, 0xff9f },	/* halfwidth katakana */
	{ 0xffa0, 0xffdc },	/* halfwidth Hangul */
	{ 0x1aff0, 0x1b16f },	/* kana supplements and extensions */
	{ 0x20000, 0x2fa1f },	/* Han extensions B-F, I, compatibility */
	{ 0x30000, 0x323af }	/* Han extensions G, H */
};

/* The kana part of cjk_ranges, which tells Japanese from Chinese. */
static const struct range kana_ranges[] = {
	{ 0x3041, 0x309f },
	{ 0x30a1, 0x30fa },
	{ 0x30fc, 0x30ff },
	{ 0x31f0, 0x31ff },
	{ 0xff66, 0xff9f },
	{ 0x1aff0, 0x1b16f }
};

static const struct range hangul_ranges[] = {
	{ 0x1100, 0x11ff },
	{ 0x3131, 0x318e },
	{ 0xa960, 0xa97f },
	{ 0xac00, 0xd7a3 },
	{ 0xd7b0, 0xd7ff },
	{ 0xffa0, 0xffdc }
};

/* Whether cp lies in one of the n sorted ranges r. */
static int
S_in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/*
 * Decodes one UTF-8 sequence.  Returns its length, or minus the length
 * of the maximal ill-formed subpart (at least 1), which is what one
 * U+FFFD replaces (Unicode 3.9, "U+FFFD substitution of maximal
 * subparts", as WHATWG and most decoders do).  len must be nonzero.
 * The second-byte bounds exclude overlongs, surrogates and > U+10FFFF.
 */
static int
S_utf8_scan(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	int need, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xc2 || c > 0xf4)
		return -1;
	if (c < 0xe0) {
		need = 1;
		v = c & 0x1f;
	} else if (c < 0xf0) {
		need = 2;
		v = c & 0x0f;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else {
		need = 3;
		v = c & 0x07;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	}
	for (i = 1; i <= need; i++) {
		if ((size_t)i >= len || s[i] < lo || s[i] > hi)
			return -i;
		v = v << 6 | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return need + 1;
}

/* Public wrapper of S_utf8_scan(); the contract is in encoding.h. */
int
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	int n;

	if (len == 0)
		return 0;
	n = S_utf8_scan(s, len, cp);
	return n < 0 ? -1 : n;
}

/* Encodes cp (U+FFFD for non-characters); see encoding.h. */
size_t
utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Whether cp is a CJK letter (cjk_ranges); see encoding.h. */
int
cp_is_cjk(uint32_t cp)
{
	if (cp < 0x1100)
		return 0;
	return S_in_ranges(cp, cjk_ranges,
	    sizeof(cjk_ranges) / sizeof(cjk_ranges[0]));
}

/*
 * Whether the character c (below 0x80, or any code unit) is a control
 * that real text does not contain.  White space, ESC (colour codes in
 * console logs) and SUB (the DOS end-of-file mark) are tolerated; NUL
 * is counted separately.
 */
static int
S_is_ctrl(uint32_t c)
{
	if (c == 0x7f)
		return 1;
	if (c == 0 || c >= 0x20)
		return 0;
	return !(c >= '\t' && c <= '\r') && c != 0x1b && c != 0x1a;
}

/* Counts a NUL or non-NUL unit into s, tracking runs of NULs. */
static void
S_count_unit(struct scan *s, uint32_t c, int *in_nul)
{
	s->units++;
	if (c == 0) {
		s->nul++;
		if (!*in_nul)
			s->nul_runs++;
		*in_nul = 1;
		return;
	}
	*in_nul = 0;
	s->ctrl += S_is_ctrl(c);
}

/*
 * Bytes a text file is mostly made of, which S_scan8() only counts:
 * printable ASCII, TAB, LF, VT and FF (CR is counted apart).
 */
static unsigned char plain8[256];

static void
S_plain8_init(void)
{
	int c;

	for (c = 0x20; c < 0x7f; c++)
		plain8[c] = 1;
	plain8['\t'] = plain8['\n'] = plain8['\v'] = plain8['\f'] = 1;
}

/* First pass over an 8-bit file: NULs, controls, CRs, UTF-8 validity. */
static void
S_scan8(const unsigned char *p, size_t len, struct scan *s)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	const unsigned char *end = p + len, *q;
	int in_nul = 0, n;
	uint32_t cp;

	pthread_once(&once, S_plain8_init);
	memset(s, 0, sizeof(*s));
	while (p < end) {
		for (q = p; q < end && plain8[*q]; q++)
			;
		if (q != p) {
			s->units += (size_t)(q - p);
			in_nul = 0;
			if ((p = q) == end)
				break;
		}
		if (*p < 0x80) {
			s->cr += *p == '\r';
			S_count_unit(s, *p++, &in_nul);
			continue;
		}
		in_nul = 0;
		n = S_utf8_scan(p, (size_t)(end - p), &cp);
		s->units += n < 0 ? (size_t)-n : (size_t)n;
		s->high += n < 0 ? (size_t)-n : (size_t)n;
		if (n < 0)
			s->bad++;
		else
			s->multi++;
		p += n < 0 ? -n : n;
	}
}

/* Reads the UTF-16 code unit at p in the given byte order. */
static uint32_t
S_unit(const unsigned char *p, int be)
{
	return be ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

/* First pass over a UTF-16 file: NULs and controls among code units. */
static void
S_scan16(const unsigned char *p, size_t len, int be, struct scan *s)
{
	size_t i;
	int in_nul = 0;

	memset(s, 0, sizeof(*s));
	for (i = 0; i + 1 < len; i += 2)
		S_count_unit(s, S_unit(p + i, be), &in_nul);
}

/*
 * Whether the scanned file is binary: NULs scattered in many runs, or
 * more than 2% controls among the rest (random bytes give about 11%).
 */
static int
S_is_binary(const struct scan *s)
{
	if (s->nul_runs > NUL_RUNS_MAX)
		return 1;
	return s->ctrl * 50 > s->units - s->nul;
}

/*
 * Guesses the byte order of BOM-less UTF-16 from where the NUL bytes
 * are: mostly-ASCII UTF-16 has a NUL high byte in nearly every unit,
 * and the low bytes are almost never NUL.  Writers of CJK UTF-16 put a
 * BOM, so demanding three NUL high bytes in four costs little and keeps
 * short 8-bit files with a stray NUL out.  Returns "utf-16le",
 * "utf-16be" or NULL when the file does not look like UTF-16.
 */
static const char *
S_sniff_utf16(const unsigned char *raw, size_t len)
{
	size_t n = (len < SNIFF_MAX ? len : SNIFF_MAX) & ~(size_t)1;
	size_t i, even = 0, odd = 0, pairs = n / 2;

	for (i = 0; i < n; i += 2) {
		even += raw[i] == 0;
		odd += raw[i + 1] == 0;
	}
	if (pairs == 0)
		return NULL;
	if (odd * 4 >= pairs * 3 && even * 20 <= odd)
		return "utf-16le";
	if (even * 4 >= pairs * 3 && odd * 20 <= even)
		return "utf-16be";
	return NULL;
}

/* Ends an output line: LF out, position to the next line. */
static void
S_newline(struct dec *d)
{
	*d->w++ = '\n';
	d->line++;
	d->col = 1;
}

/*
 * Writes one decoded character, turning CRLF and lone CR into LF and
 * dropping NUL (remembering where the first one was).  A CR is counted
 * as lone until an LF right after it makes it a CRLF.
 */
static void
S_emit(struct dec *d, uint32_t cp)
{
	if (cp == '\n') {
		if (d->cr) {
			d->cr = 0;
			d->n_cr--;
			d->n_crlf++;
			return;
		}
		d->n_lf++;
		S_newline(d);
		return;
	}
	d->cr = cp == '\r';
	if (cp == '\r') {
		d->n_cr++;
		S_newline(d);
		return;
	}
	if (cp == 0) {
		if (d->nul++ == 0) {
			d->nul_line = d->line;
			d->nul_col = d->col;
		}
	} else
		d->w += utf8_encode(cp, d->w);
	d->col++;
}

/* Why a character was replaced, for the warning. */
enum bad_kind {
	BAD_UTF8,		/* u is the first byte of the bad subpart */
	BAD_SURROGATE,		/* u is the lone UTF-16 surrogate */
	BAD_ODD			/* u is the odd last byte of a UTF-16 file */
};

/*
 * Writes U+FFFD for an undecodable unit u, warning for the first few;
 * S_summary() reports how many there were in all.
 */
static void
S_replace(struct dec *d, uint32_t u, enum bad_kind kind)
{
	if (d->bad++ < WARN_MAX) {
		switch (kind) {
		case BAD_UTF8:
			diag(DIAG_WARNING, d->path, d->line, d->col,
			    "invalid UTF-8 byte 0x%02x; replaced", (unsigned)u);
			break;
		case BAD_SURROGATE:
			diag(DIAG_WARNING, d->path, d->line, d->col,
			    "invalid UTF-16: lone surrogate 0x%04x; replaced",
			    (unsigned)u);
			break;
		case BAD_ODD:
			diag(DIAG_WARNING, d->path, d->line, d->col,
			    "invalid UTF-16: odd byte 0x%02x at end of file; "
			    "replaced", (unsigned)u);
			break;
		}
	}
	S_emit(d, 0xfffd);
}

/*
 * Copies a run of printable ASCII, the common case, without going
 * through S_emit.  Returns the first byte not copied.
 */
static const unsigned char *
S_ascii_run(struct dec *d, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *start = p;
	char *w = d->w;

	while (p < end && *p >= 0x20 && *p < 0x7f)
		*w++ = (char)*p++;
	if (p != start) {
		d->w = w;
		d->col += p - start;
		d->cr = 0;
	}
	return p;
}

/* Second pass for UTF-8: copies valid sequences, replaces the rest. */
static void
S_decode_utf8(struct dec *d, const unsigned char *p, const unsigned char *end)
{
	uint32_t cp;
	int n;

	while (p < end) {
		p = S_ascii_run(d, p, end);
		if (p == end)
			break;
		if (*p < 0x80) {
			S_emit(d, *p++);
			continue;
		}
		n = S_utf8_scan(p, (size_t)(end - p), &cp);
		if (n < 0) {
			S_replace(d, *p, BAD_UTF8);
			p += -n;
			continue;
		}
		memcpy(d->w, p, (size_t)n);
		d->w += n;
		d->col++;
		d->cr = 0;
		p += n;
	}
}

/* Second pass for Windows-1252: every byte is one character. */
static void
S_decode_1252(struct dec *d, const unsigned char *p, const unsigned char *end)
{
	while (p < end) {
		p = S_ascii_run(d, p, end);
		if (p == end)
			break;
		if (*p >= 0x80 && *p < 0xa0)
			S_emit(d, cp1252[*p - 0x80]);
		else
			S_emit(d, *p);
		p++;
	}
}

/*
 * Second pass for UTF-16: joins surrogate pairs, replaces lone
 * surrogates and a trailing odd byte.
 */
static void
S_decode_utf16(struct dec *d, const unsigned char *p, size_t len, int be)
{
	size_t i = 0;
	uint32_t u, u2;

	while (i + 1 < len) {
		u = S_unit(p + i, be);
		i += 2;
		if (u < 0xd800 || u > 0xdfff) {
			S_emit(d, u);
			continue;
		}
		if (u <= 0xdbff && i + 1 < len) {
			u2 = S_unit(p + i, be);
			if (u2 >= 0xdc00 && u2 <= 0xdfff) {
				i += 2;
				S_emit(d, 0x10000 + ((u - 0xd800) << 10) +
				    (u2 - 0xdc00));
				continue;
			}
		}
		S_replace(d, u, BAD_SURROGATE);
	}
	if (i < len)
		S_replace(d, p[i], BAD_ODD);
}

/* Classifies the line ends counted in d. */
static int
S_eol(const struct dec *d)
{
	int kinds = (d->n_lf > 0) + (d->n_crlf > 0) + (d->n_cr > 0);

	if (kinds == 0)
		return EOL_NONE;
	if (kinds > 1)
		return EOL_MIXED;
	return d->n_lf ? EOL_LF : d->n_crlf ? EOL_CRLF : EOL_CR;
}

/* Reports what was dropped or replaced, once per file. */
static void
S_summary(const struct dec *d)
{
	if (d->nul > 0)
		diag(DIAG_WARNING, d->path, d->nul_line, d->nul_col,
		    "%zu NUL %s stripped", d->nul,
		    d->nul == 1 ? "character" : "characters");
	if (d->bad > WARN_MAX)
		diag(DIAG_WARNING, d->path, 0, 0,
		    "%zu invalid %s sequences replaced in all",
		    d->bad, d->what);
}

/* Picks the encoding of a BOM-less 8-bit file from its scan. */
static const char *
S_choose8(const struct scan *s)
{
	/*
	 * Windows-1252 text almost never forms a valid multibyte sequence
	 * by chance, while a UTF-8 file with a few damaged bytes has many.
	 */
	if (s->bad == 0 || s->multi >= 2 * s->bad)
		return "utf-8";
	return "windows-1252";
}

/*
 * Finds the encoding from a BOM or the sniffer; sets *skip to the BOM
 * length.  Returns NULL for an 8-bit file whose encoding the scan must
 * decide.
 */
static const char *
S_sniff(const unsigned char *raw, size_t len, size_t *skip)
{
	*skip = 0;
	if (len >= 3 && raw[0] == 0xef && raw[1] == 0xbb && raw[2] == 0xbf) {
		*skip = 3;
		return "utf-8-bom";
	}
	if (len >= 2 && raw[0] == 0xff && raw[1] == 0xfe) {
		*skip = 2;
		return "utf-16le";
	}
	if (len >= 2 && raw[0] == 0xfe && raw[1] == 0xff) {
		*skip = 2;
		return "utf-16be";
	}
	if (memchr(raw, 0, len) != NULL)
		return S_sniff_utf16(raw, len);
	return NULL;
}

/*
 * Converts len bytes at raw from enc into out, which it first grows to
 * the worst case for that input so the decoders never check for room,
 * and fills in the rest of info.
 */
static void
S_convert(const char *path, const char *enc, const unsigned char *raw,
    size_t len, const struct scan *s, struct buf *out,
    struct decode_info *info)
{
	struct dec d;
	int utf16 = strcmp(enc, "utf-16le") == 0 ||
	    strcmp(enc, "utf-16be") == 0;
	int ansi = strcmp(enc, "windows-1252") == 0;

	/* 3 bytes per UTF-16 unit or odd byte; U+FFFD (3 bytes) per bad
	   UTF-8 subpart; 3 bytes per Windows-1252 high byte. */
	if (utf16)
		buf_grow(out, len / 2 * 3 + 3);
	else
		buf_grow(out, len + 2 * (ansi ? s->high : s->bad));

	memset(&d, 0, sizeof(d));
	d.path = path;
	d.what = utf16 ? "UTF-16" : "UTF-8";
	d.w = out->data + out->len;
	d.line = d.col = 1;
	if (!utf16 && !ansi && s->bad == 0 && s->nul == 0 && s->cr == 0) {
		/* Valid UTF-8 with LF ends, nearly every file: nothing to
		   change, and line and column are only for warnings. */
		memcpy(d.w, raw, len);
		d.w += len;
		d.n_lf = memchr(raw, '\n', len) != NULL;
	} else if (utf16)
		S_decode_utf16(&d, raw, len, strcmp(enc, "utf-16be") == 0);
	else if (ansi)
		S_decode_1252(&d, raw, raw + len);
	else
		S_decode_utf8(&d, raw, raw + len);
	out->len = (size_t)(d.w - out->data);
	out->data[out->len] = '\0';

	S_summary(&d);
	info->eol = S_eol(&d);
	info->replaced = d.bad;
}

/* Line and column (1-based, in bytes) of offset off in raw. */
static void
S_position(const unsigned char *raw, size_t off, long *line, long *col)
{
	const unsigned char *nl = NULL, *p;

	*line = 1;
	for (p = raw; p < raw + off; p++)
		if (*p == '\n') {
			(*line)++;
			nl = p;
		}
	*col = (long)(raw + off - (nl ? nl + 1 : raw)) + 1;
}

/* The binary-file error, at the first NUL or control byte. */
static void
S_where_binary(const char *path, const unsigned char *raw, size_t len)
{
	size_t i;
	long line, col;

	for (i = 0; i < len; i++)
		if (raw[i] < 0x20 && raw[i] != '\n' && raw[i] != '\r' &&
		    raw[i] != '\t' && raw[i] != '\f')
			break;
	if (i == len)
		i = 0;
	S_position(raw, i, &line, &col);
	diag(DIAG_ERROR, path, line, col, "binary file, not text (byte 0x%02x "
	    "at offset %zu); skipped", i < len ? raw[i] : 0, i);
}

/*
 * The text is not UTF-8 and is read as Windows-1252: say so, at the first
 * byte that is not UTF-8, so the user can fix the encoding.
 */
static void
S_where_not_utf8(const char *path, const unsigned char *raw, size_t len)
{
	size_t i = 0;
	uint32_t cp;
	int n;
	long line, col;

	while (i < len && (n = utf8_decode(raw + i, len - i, &cp)) > 0)
		i += (size_t)n;
	S_position(raw, i, &line, &col);
	diag(DIAG_WARNING, path, line, col, "not valid UTF-8 (byte 0x%02x); "
	    "the file is read as Windows-1252", i < len ? raw[i] : 0);
}

/*
 * Sniffs the BOM or byte order, scans, refuses binary files, picks the
 * 8-bit encoding, converts.  See encoding.h for the contract.
 */
int
text_decode(const char *path, const unsigned char *raw, size_t len,
    struct buf *out, struct decode_info *info)
{
	struct decode_info dummy;
	struct scan s;
	const char *enc;
	size_t skip;

	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	info->encoding = "utf-8";
	buf_reset(out);
	if (len == 0)
		return 0;

	enc = S_sniff(raw, len, &skip);
	info->had_bom = skip > 0;
	raw += skip;
	len -= skip;
	if (enc != NULL && strncmp(enc, "utf-16", 6) == 0)
		S_scan16(raw, len, strcmp(enc, "utf-16be") == 0, &s);
	else
		S_scan8(raw, len, &s);
	if (S_is_binary(&s)) {
		S_where_binary(path, raw, len);
		return -1;
	}
	if (enc == NULL) {
		enc = S_choose8(&s);
		if (strcmp(enc, "windows-1252") == 0)
			S_where_not_utf8(path, raw, len);
	}
	info->encoding = enc;
	S_convert(path, enc, raw, len, &s, out, info);
	return 0;
}

const char *
text_guess_encoding(const unsigned char *raw, size_t len, size_t *bom)
{
	struct scan s;
	const char *enc;

	enc = S_sniff(raw, len, bom);
	if (enc != NULL && strncmp(enc, "utf-16", 6) == 0)
		S_scan16(raw + *bom, len - *bom, strcmp(enc, "utf-16be") == 0, &s);
	else
		S_scan8(raw + *bom, len - *bom, &s);
	if (S_is_binary(&s))
		return NULL;
	return enc != NULL ? enc : S_choose8(&s);
}

/* Letters counted by script for detect_script_locale(). */
struct script_count {
	size_t	 latin, cyrillic, han, kana, hangul;
};

/* Adds the letter cp (if it is one) to its script's count. */
static void
S_count_script(struct script_count *c, uint32_t cp)
{
	if (cp < 0x80) {
		c->latin += kb_isalpha((int)cp) != 0;
	} else if (cp >= 0xc0 && cp <= 0x24f) {
		c->latin += cp != 0xd7 && cp != 0xf7;
	} else if (cp >= 0x400 && cp <= 0x52f) {
		c->cyrillic++;
	} else if (cp_is_cjk(cp)) {
		if (S_in_ranges(cp, kana_ranges,
		    sizeof(kana_ranges) / sizeof(kana_ranges[0])))
			c->kana++;
		else if (S_in_ranges(cp, hangul_ranges,
		    sizeof(hangul_ranges) / sizeof(hangul_ranges[0])))
			c->hangul++;
		else
			c->han++;
	}
}

/*
 * One CJK character carries about as much as a short Latin word, so CJK
 * counts weigh this many Latin letters: a translated article is still
 * CJK when its commands, paths and product names are in English.
 */
#define CJK_WEIGHT	3

/*
 * Counts letters by script and lets the dominant one decide; see
 * encoding.h for the results.
 */
const char *
detect_script_locale(const char *utf8, size_t len)
{
	const unsigned char *p = (const unsigned char *)utf8;
	const unsigned char *end = p + len;
	struct script_count c;
	size_t cjk;
	uint32_t cp;
	int n;

	memset(&c, 0, sizeof(c));
	while (p < end) {
		n = S_utf8_scan(p, (size_t)(end - p), &cp);
		if (n < 0) {
			p += -n;
			continue;
		}
		S_count_script(&c, cp);
		p += n;
	}
	cjk = c.han + c.kana + c.hangul;
	if (cjk > 0 && cjk * CJK_WEIGHT >= c.latin + c.cyrillic) {
		if (c.hangul > c.han + c.kana)
			return "ko-kr";
		/* Any real amount of kana is Japanese; one stray katakana
		   in a long Chinese text is not. */
		if (c.kana > 0 && c.kana * 50 >= c.han)
			return "ja-jp";
		return "zh-cn";
	}
	if (c.cyrillic > c.latin)
		return "ru-ru";
	return NULL;
}
