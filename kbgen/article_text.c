/*
 * article_text.c -- the reader for old TechNet plain-text exports.
 *
 * The export lost all markup, so the structure is inferred from layout:
 * headings are short stand-alone lines without final punctuation, "•" and
 * "1." lines are list items, a padded "Message ID Description" line starts
 * a two-column table whose key and description sit on separate lines, and
 * sample log output follows an introducing paragraph ("... similar to the
 * following:") or is recognised by its look (STATMSG:, time stamps).
 *
 * The reader makes passes over an array of the non-blank lines: split and
 * clean each line and classify it on its own (split_lines, classify), set
 * the flags that need a neighbour (mark_context), group lines into blocks
 * (build_blocks), give headings levels from the shape of the whole document
 * (assign_levels), and render the sections (render_block).
 */
/* memmem(3) is in glibc's <string.h> only with _GNU_SOURCE. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "article.h"

#define MAX_HEADING_CP	100	/* a heading is shorter (code points) */
#define MAX_HEADINGS	500	/* beyond this the input is hostile */
#define MAX_DEPTH	8	/* deepest nesting of lists kept */
#define MAX_KEY		24	/* longest table key ("-2147023293") */
#define LONG_WORDS	20	/* a sentence this long is prose, not a sample */

/* Line flags; the first group is set by classify(), the rest by context. */
enum {
	LF_GAP = 1 << 0,	/* a blank line comes before it */
	LF_BULLET = 1 << 1,	/* "• item" */
	LF_NUMBER = 1 << 2,	/* "1. step" or "1) step" */
	LF_THEAD = 1 << 3,	/* shaped like a table header */
	LF_KEY = 1 << 4,	/* a lone table key: "6703", "0x80070643" */
	LF_KEYROW = 1 << 5,	/* a key, wide space, a description */
	LF_LOG = 1 << 6,	/* looks like log output on its own */
	LF_PROSE = 1 << 7,	/* ends like a sentence */
	LF_LONG = 1 << 8,	/* a long sentence: never a log sample */
	LF_TABLE = 1 << 9,	/* a table header with rows after it */
	LF_CAND = 1 << 10,	/* shaped like a heading */
	LF_CAPTION = 1 << 11	/* "To do this" above numbered steps */
};

/* Lines that start a structure of their own and so end any run. */
#define LF_STRUCT (LF_BULLET | LF_NUMBER | LF_TABLE | LF_CAPTION)

struct line {
	size_t	 raw;		/* offset of the content (indent skipped) */
	size_t	 rawlen;	/* its length, trailing white space dropped */
	size_t	 off;		/* offset of the cleaned content in clean */
	size_t	 len;		/* its length, never 0 */
	size_t	 indent;	/* leading white space; a tab counts 4 */
	size_t	 pad;		/* trailing white-space characters */
	int	 no;		/* 1-based source line */
	int	 num;		/* the number of a numbered item */
	unsigned flags;
	unsigned skip;		/* bytes of list marker in the cleaned text */
};

enum bkind {
	B_PARA,		/* lines joined into a paragraph */
	B_CAPTION,	/* a procedure title: one line, shown bold */
	B_ITEM,		/* a list item: marker line and its wrapped lines */
	B_CODE,		/* example log lines, one per line */
	B_TABLE,	/* a table header line; B_ROW blocks follow */
	B_ROW,		/* key line and description lines */
	B_HEADING	/* one line */
};

struct block {
	enum bkind kind;
	size_t	 first;		/* first and last line index, inclusive */
	size_t	 last;
	int	 level;		/* B_HEADING only */
};

/* An open list while rendering; it always has an open <li>. */
struct lst {
	size_t	 indent;	/* indent of its markers */
	int	 ordered;
	int	 start;		/* number of the first item */
	int	 count;		/* items so far */
	int	 list;		/* ordered-list number within the section */
};

/* What assign_levels() knows about one heading. */
struct head {
	size_t	 block;
	char	*lower;		/* lower-case title */
	char	*norm;		/* lower-case, plural "s" dropped */
	int	 generic;	/* "Possible Solution": a sub-heading */
	int	 back;		/* "See Also": back matter, always level 2 */
	int	 topical;	/* describes one issue of its own */
};

struct ctx {
	struct article	*a;
	const char	*text;
	struct buf	 clean;		/* cleaned content of every line */
	struct line	*lines;		/* the non-blank lines */
	size_t		 nlines;
	size_t		 maxlines;
	size_t		 minindent;	/* headings are not indented more */
	struct block	*blocks;
	size_t		 nblocks;
	size_t		 maxblocks;
	size_t		 nheads;
	int		 warned;	/* the too-many-headings warning */
	int		 ex_valid;	/* example_end() cache */
	size_t		 ex_from;
	size_t		 ex_stop;
	size_t		 ex_last;
	struct section	*s;		/* the section being rendered */
	struct lst	 stack[MAX_DEPTH];
	int		 depth;
	int		 table;		/* a <table> is open */
	int		 nol;		/* ordered lists so far in s */
	struct buf	 tmp;
};

/* ------------------------------------------------------------------ */
/* Characters */

/*
 * Returns the byte length of the white-space character at p, 0 when there
 * is none.  Exports are full of no-break and typographic spaces, which must
 * compare, slug and search like plain ones.
 */
static size_t
ws_len(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;

	if (n == 0)
		return 0;
	if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r'))
		return 1;
	if (n >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (n < 3)
		return 0;
	if (u[0] == 0xe2 && u[1] == 0x80 &&
	    ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xaf))
		return 3;	/* en quad .. hair space, narrow no-break */
	if (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f)
		return 3;	/* medium mathematical space */
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;	/* ideographic space */
	return 0;
}

/*
 * Returns the byte length of a character at p that carries nothing and is
 * dropped (controls, zero-width space, byte-order mark), else 0.
 */
static size_t
ign_len(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;

	if (n == 0)
		return 0;
	if (u[0] < 0x20 || u[0] == 0x7f)
		return 1;
	if (n >= 2 && u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
		return 2;
	if (n >= 3 && u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0x8b)
		return 3;
	if (n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		return 3;
	return 0;
}

/* Returns the byte length of a white-space character ending p[0..n). */
static size_t
ws_back(const char *p, size_t n)
{
	if (n >= 1 && ws_len(p + n - 1, 1) == 1)
		return 1;
	if (n >= 2 && ws_len(p + n - 2, 2) == 2)
		return 2;
	if (n >= 3 && ws_len(p + n - 3, 3) == 3)
		return 3;
	return 0;
}

/*
 * Appends p[0..n) to b with white space made plain spaces and empty
 * characters dropped, trimmed at both ends; runs of spaces become one when
 * collapse is set (prose), and are kept for log samples.
 */
static void
clean_put(struct buf *b, const char *p, size_t n, int collapse)
{
	size_t i = 0, k, start = b->len, spaces = 0;

	while (i < n) {
		if ((k = ws_len(p + i, n - i)) > 0) {
			spaces++;
			i += k;
			continue;
		}
		if ((k = ign_len(p + i, n - i)) > 0) {
			i += k;
			continue;
		}
		if (spaces && b->len > start) {
			if (collapse)
				spaces = 1;
			while (spaces--)
				buf_putc(b, ' ');
		}
		spaces = 0;
		buf_putc(b, p[i++]);
	}
}

/* Escapes text for HTML element content and double-quoted attributes. */
static void
esc_html(struct buf *b, const char *p, size_t n)
{
	size_t i, run = 0;
	const char *ent;

	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		default:
			continue;
		}
		buf_put(b, p + run, i - run);
		buf_puts(b, ent);
		run = i + 1;
	}
	buf_put(b, p + run, n - run);
}

/* Does p[0..n) end with the string suffix? */
static int
ends_with(const char *p, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(p + n - k, suffix, k) == 0;
}

/* Does p[0..n) start with the string prefix, ignoring ASCII case? */
static int
starts_ci(const char *p, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && kb_strncasecmp(p, prefix, k) == 0;
}

/* Does p[0..n) contain the string needle? */
static int
has(const char *p, size_t n, const char *needle)
{
	return memmem(p, n, needle, strlen(needle)) != NULL;
}

/* The last space in p[0..n), or NULL (memrchr(3) is not portable). */
static const char *
last_space(const char *p, size_t n)
{
	while (n > 0)
		if (p[--n] == ' ')
			return p + n;
	return NULL;
}

/* Number of code points in p[0..n), counting any lead byte as one. */
static size_t
cp_count(const char *p, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Number of words in cleaned text (single spaces, no ends). */
static size_t
word_count(const char *p, size_t n)
{
	size_t c = 1;
	const char *e = p + n;

	while ((p = memchr(p, ' ', (size_t)(e - p))) != NULL) {
		c++;
		p++;
	}
	return c;
}

/* Length of p[0..n) without closing quotes and brackets at its end. */
static size_t
unclosed_len(const char *p, size_t n)
{
	static const char *const close[] = {
		")", "]", "\"", "'", "\xe2\x80\x9d", "\xe2\x80\x99",
		"\xc2\xbb", "\xe3\x80\x8d", "\xef\xbc\x89", NULL
	};
	size_t i;
	int again = 1;

	while (again && n > 0) {
		again = 0;
		for (i = 0; close[i] != NULL; i++)
			if (ends_with(p, n, close[i])) {
				n -= strlen(close[i]);
				again = 1;
				break;
			}
	}
	return n;
}

/*
 * Does cleaned text end a sentence (". ! ? : ;" or their full-width
 * forms)?  An ellipsis does not: log samples end in "..." and "…".
 */
static int
ends_sentence(const char *p, size_t n)
{
	static const char *const stop[] = {
		".", "!", "?", ":", ";", "\xe3\x80\x82", "\xef\xbc\x81",
		"\xef\xbc\x9f", "\xef\xbc\x9a", "\xef\xbc\x9b", NULL
	};
	size_t i;

	n = unclosed_len(p, n);
	if (ends_with(p, n, "..."))
		return 0;
	for (i = 0; stop[i] != NULL; i++)
		if (ends_with(p, n, stop[i]))
			return 1;
	return 0;
}

/* Does cleaned text end in punctuation that no heading ends with? */
static int
final_punct(const char *p, size_t n)
{
	static const char *const stop[] = {
		",", "\xef\xbc\x8c", "\xe3\x80\x81", "\xe2\x80\xa6", "...",
		NULL
	};
	size_t i;

	if (ends_sentence(p, n))
		return 1;
	n = unclosed_len(p, n);
	for (i = 0; stop[i] != NULL; i++)
		if (ends_with(p, n, stop[i]))
			return 1;
	return 0;
}

/* Does cleaned text hold two sentences ("Sync failed. Will retry")? */
static int
sentence_break(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i++)
		if ((p[i] == '.' || p[i] == '!' || p[i] == '?') &&
		    p[i + 1] == ' ' && p[i + 2] >= 'A' && p[i + 2] <= 'Z')
			return 1;
	return 0;
}

/*
 * Does cleaned text hold a "name: value" pair with a numeric value, as log
 * lines do ("Sync time: 0d00h05m01s")?  Headings put words after a colon
 * ("HTTP Status 401: Unauthorized Error").
 */
static int
colon_value(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i++)
		if (p[i] == ':' && p[i + 1] == ' ' &&
		    kb_isdigit((unsigned char)p[i + 2]))
			return 1;
	return 0;
}

/* Does p[0..n) hold a letter (ASCII or any non-ASCII character)? */
static int
has_letter(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (kb_isalpha((unsigned char)p[i]) ||
		    (unsigned char)p[i] >= 0x80)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Classifying one line */

/*
 * Returns the byte length of a list marker that starts cleaned text and is
 * followed by a space and more text, else 0.
 */
static size_t
bullet_marker(const char *p, size_t n)
{
	static const char *const marks[] = {
		"\xe2\x80\xa2", "\xc2\xb7", "\xe2\x96\xaa", "\xe2\x97\xa6",
		"\xe2\x80\xa3", "\xe2\x97\x8f", "\xe2\x97\x8b", "\xe2\x80\x93",
		"-", "*", NULL
	};
	size_t i, k;

	for (i = 0; marks[i] != NULL; i++) {
		k = strlen(marks[i]);
		if (n > k + 1 && memcmp(p, marks[i], k) == 0 && p[k] == ' ')
			return k;
	}
	return 0;
}

/*
 * Recognises "12. text" or "12) text"; returns the marker length with its
 * space and sets *num, or returns 0.
 */
static size_t
number_marker(const char *p, size_t n, int *num)
{
	size_t d;
	int v = 0;

	for (d = 0; d < n && d < 4 && kb_isdigit((unsigned char)p[d]); d++)
		v = v * 10 + (p[d] - '0');
	if (d == 0 || d > 3 || d + 2 >= n)
		return 0;
	if ((p[d] != '.' && p[d] != ')') || p[d + 1] != ' ')
		return 0;
	*num = v;
	return d + 2;
}

/*
 * Is p[0..n) a table key: a decimal number, possibly negative, or a hex
 * code ("0x80070643", "80070643")?  Keys are what the Message ID and error
 * code tables of the exports are indexed by.
 */
static int
is_key(const char *p, size_t n)
{
	size_t i = 0, hex = 0, dec = 0;
	int prefix = 0;

	if (n == 0 || n > MAX_KEY)
		return 0;
	if (p[0] == '-')
		i++;
	if (n - i > 2 && p[i] == '0' && (p[i + 1] | 32) == 'x') {
		prefix = 1;
		i += 2;
	}
	for (; i < n; i++) {
		if (kb_isdigit((unsigned char)p[i]))
			dec++;
		else if (kb_isxdigit((unsigned char)p[i]))
			hex++;
		else
			return 0;
	}
	/* Bare hex only at HRESULT length, so words like "add" are not keys. */
	return (dec > 0 && hex == 0) || (dec + hex > 0 && prefix) ||
	    (dec > 0 && hex + dec == 8);
}

/*
 * Is the raw line a one-line table row: a key, then a tab or two or more
 * spaces, then text?
 */
static int
is_keyrow(const char *p, size_t n)
{
	size_t i = 0, k, gap = 0;

	while (i < n && ws_len(p + i, n - i) == 0)
		i++;
	if (!is_key(p, i))
		return 0;
	while (i < n && (k = ws_len(p + i, n - i)) > 0) {
		gap += p[i] == '\t' ? 2 : 1;
		i += k;
	}
	return gap >= 2 && i < n;
}

/*
 * Is cleaned text a table header: two to six words ending in
 * "Description", or short words padded with trailing spaces as the export
 * pads header cells?
 */
static int
is_thead(const char *p, size_t n, size_t pad)
{
	size_t w;
	const char *last;

	if (n > 64)
		return 0;
	w = word_count(p, n);
	if (w < 2 || w > 6 || (last = last_space(p, n)) == NULL)
		return 0;
	last++;
	if ((size_t)(p + n - last) == 11 && starts_ci(last, 11, "Description"))
		return 1;
	return pad >= 8;
}

/*
 * Matches a time-stamp pattern at the start of p: '9' is a digit, '8' an
 * optional digit, anything else itself.
 */
static int
match_stamp(const char *p, size_t n, const char *pat)
{
	size_t i = 0;

	for (; *pat; pat++) {
		if (*pat == '8') {
			if (i < n && kb_isdigit((unsigned char)p[i]))
				i++;
			continue;
		}
		if (i >= n)
			return 0;
		if (*pat == '9' ? !kb_isdigit((unsigned char)p[i]) :
		    p[i] != *pat)
			return 0;
		i++;
	}
	return 1;
}

/* Does cleaned text start with a date-time or a time of day? */
static int
starts_stamp(const char *p, size_t n)
{
	static const char *const pats[] = {
		"9999-99-99 99:99", "9999-99-99T99:99", "9999/99/99 99:99",
		"89/89/9999 89:99", "89-89-9999 89:99", "99:99:99", NULL
	};
	size_t i;

	for (i = 0; pats[i] != NULL; i++)
		if (match_stamp(p, n, pats[i]))
			return 1;
	return 0;
}

/*
 * Does the text name a code location after "Source:" (CWSyncMgr::DoSync,
 * Microsoft.UpdateServices.Administration.X), as ConfigMgr log lines do?
 */
static int
source_token(const char *p, size_t n)
{
	const char *s = memmem(p, n, "Source: ", 8);
	size_t i, dots = 0;

	if (s == NULL)
		return 0;
	s += 8;
	n -= (size_t)(s - p);
	for (i = 0; i < n && s[i] != ' '; i++) {
		if (s[i] == ':' && i + 1 < n && s[i + 1] == ':')
			return 1;
		if (s[i] == '.' && i + 1 < n && s[i + 1] != ' ')
			dots++;
	}
	return dots >= 2;
}

/*
 * Counts "NAME=" tokens (ID=6701 SEV=I LEV=M ...), stopping at three.
 * Each '=' looks back over its own word only, so this is linear.
 */
static int
assignments(const char *p, size_t n)
{
	const char *e = p + n, *q = p, *w;
	int c = 0;

	while (c < 3 && (q = memchr(q, '=', (size_t)(e - q))) != NULL) {
		w = q;
		while (w > p && (kb_isalnum((unsigned char)w[-1]) ||
		    w[-1] == '_'))
			w--;
		if (w < q && (w == p || w[-1] == ' '))
			c++;
		q++;
	}
	return c;
}

/*
 * Does cleaned text look like log output on its own?  Only signs that
 * prose does not show: the status-message dump, CMTrace markers, the
 * "~~" line joiner of ConfigMgr logs, time stamps, NAME=value runs, code
 * locations, "Xxx failed:" at the start.
 */
static int
is_log(const char *p, size_t n)
{
	const char *f;

	if (starts_ci(p, n, "STATMSG:") || has(p, n, "<![LOG[") ||
	    has(p, n, "~~") || has(p, n, "$$<") || starts_stamp(p, n))
		return 1;
	if (source_token(p, n) || assignments(p, n) >= 3)
		return 1;
	f = memmem(p, n < 48 ? n : 48, " failed:", 8);
	return f != NULL && memchr(p, '.', (size_t)(f - p)) == NULL;
}

/* Sets the flags that depend on the line alone. */
static void
classify(struct ctx *c, struct line *l)
{
	const char *p = c->clean.data + l->off;
	size_t n = l->len, k;

	if ((k = bullet_marker(p, n)) > 0) {
		l->flags |= LF_BULLET;
		l->skip = (unsigned)k + 1;
	} else if ((k = number_marker(p, n, &l->num)) > 0) {
		l->flags |= LF_NUMBER;
		l->skip = (unsigned)k;
	}
	if (is_thead(p, n, l->pad))
		l->flags |= LF_THEAD;
	if (is_key(p, n))
		l->flags |= LF_KEY;
	else if (is_keyrow(c->text + l->raw, l->rawlen))
		l->flags |= LF_KEYROW;
	if (is_log(p, n))
		l->flags |= LF_LOG;
	if (ends_sentence(p, n)) {
		l->flags |= LF_PROSE;
		if (!(l->flags & LF_LOG) && word_count(p, n) >= LONG_WORDS)
			l->flags |= LF_LONG;
	}
}

/* ------------------------------------------------------------------ */
/* Splitting */

/*
 * Records the line text[pos..end) unless it is blank; returns 1 when it
 * was recorded.
 */
static int
add_line(struct ctx *c, size_t pos, size_t end, int no, int gap)
{
	struct line *l;
	size_t i = pos, e = end, k, indent = 0, pad = 0, off;

	for (;;) {
		if ((k = ws_len(c->text + i, e - i)) > 0)
			indent += c->text[i] == '\t' ? 4 : 1;
		else if ((k = ign_len(c->text + i, e - i)) == 0)
			break;
		i += k;
	}
	while (e > i && (k = ws_back(c->text + i, e - i)) > 0) {
		e -= k;
		pad++;
	}
	off = c->clean.len;
	clean_put(&c->clean, c->text + i, e - i, 1);
	if (c->clean.len == off)
		return 0;
	if (c->nlines == c->maxlines) {
		c->maxlines = c->maxlines ? c->maxlines * 2 : 64;
		c->lines = xrealloc(c->lines, c->maxlines * sizeof(*l));
	}
	l = &c->lines[c->nlines++];
	memset(l, 0, sizeof(*l));
	l->raw = i;
	l->rawlen = e - i;
	l->off = off;
	l->len = c->clean.len - off;
	l->indent = indent;
	l->pad = pad;
	l->no = no;
	l->flags = gap ? LF_GAP : 0;
	classify(c, l);
	return 1;
}

/* Splits the text into its non-blank lines. */
static void
split_lines(struct ctx *c, size_t len)
{
	const char *nl;
	size_t pos = 0, end;
	int no = 0, gap = 0;

	while (pos < len) {
		nl = memchr(c->text + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - c->text) : len;
		no++;
		gap = add_line(c, pos, end, no, gap) ? 0 : 1;
		pos = end + 1;
	}
}

/* ------------------------------------------------------------------ */
/* Flags from context */

/* The cleaned text of line i. */
static const char *
ltext(const struct ctx *c, size_t i)
{
	return c->clean.data + c->lines[i].off;
}

/* Can line i be the description of a table row? */
static int
desc_ok(const struct ctx *c, size_t i)
{
	return i < c->nlines && !(c->lines[i].flags &
	    (LF_STRUCT | LF_KEY | LF_KEYROW));
}

/* Does a table row start at line i? */
static int
row_at(const struct ctx *c, size_t i)
{
	if (i >= c->nlines)
		return 0;
	if (c->lines[i].flags & LF_KEYROW)
		return 1;
	return (c->lines[i].flags & LF_KEY) && desc_ok(c, i + 1);
}

/*
 * Is line i shaped like a heading: a stand-alone, unindented, short line
 * with a letter, starting with no lower-case letter, with no final
 * punctuation, no second sentence, no URL, no "name: 12" value, and
 * nothing else it could be?
 */
static int
is_candidate(const struct ctx *c, size_t i)
{
	const struct line *l = &c->lines[i];
	const char *p = ltext(c, i);
	size_t n = l->len;

	if (l->flags & (LF_BULLET | LF_NUMBER | LF_TABLE | LF_KEY | LF_LOG |
	    LF_CAPTION))
		return 0;
	if (!(l->flags & LF_GAP) || l->indent > c->minindent)
		return 0;
	if (i + 1 < c->nlines && !(c->lines[i + 1].flags & LF_GAP))
		return 0;
	if (n >= 4 * MAX_HEADING_CP || cp_count(p, n) >= MAX_HEADING_CP)
		return 0;
	if ((p[0] >= 'a' && p[0] <= 'z') || !has_letter(p, n))
		return 0;
	return !final_punct(p, n) && !has(p, n, "://") &&
	    !sentence_break(p, n) && !colon_value(p, n);
}

/*
 * Is line i a procedure title ("To check the permissions ...") right
 * above numbered steps?  TechNet shows these in bold inside the section;
 * as headings they would split a fix from its steps.
 */
static int
is_caption(const struct ctx *c, size_t i)
{
	const char *p = ltext(c, i);
	size_t n = c->lines[i].len;

	if (i + 1 >= c->nlines || !(c->lines[i + 1].flags & LF_NUMBER))
		return 0;
	if (n < 4 || p[0] != 'T' || p[1] != 'o' || p[2] != ' ' ||
	    p[3] < 'a' || p[3] > 'z')
		return 0;
	return n < 4 * MAX_HEADING_CP && !final_punct(p, n);
}

/* Sets the flags that depend on neighbouring lines. */
static void
mark_context(struct ctx *c)
{
	size_t i;

	c->minindent = SIZE_MAX;
	for (i = 1; i < c->nlines; i++)
		if (c->lines[i].indent < c->minindent)
			c->minindent = c->lines[i].indent;
	for (i = 1; i < c->nlines; i++)
		if (is_caption(c, i))
			c->lines[i].flags |= LF_CAPTION;
	/* Backwards: whether a row follows depends on the lines after it. */
	for (i = c->nlines - 1; i >= 1; i--)
		if ((c->lines[i].flags & LF_THEAD) && row_at(c, i + 1))
			c->lines[i].flags |= LF_TABLE;
	for (i = 1; i < c->nlines; i++)
		if (is_candidate(c, i))
			c->lines[i].flags |= LF_CAND;
}

/* ------------------------------------------------------------------ */
/* Blocks */

/* Appends a block covering lines first..last. */
static struct block *
add_block(struct ctx *c, enum bkind k, size_t first, size_t last)
{
	struct block *b;

	if (c->nblocks == c->maxblocks) {
		c->maxblocks = c->maxblocks ? c->maxblocks * 2 : 64;
		c->blocks = xrealloc(c->blocks, c->maxblocks * sizeof(*b));
	}
	b = &c->blocks[c->nblocks++];
	b->kind = k;
	b->first = first;
	b->last = last;
	b->level = 0;
	return b;
}

/* Does line i continue the paragraph or item on the line before it? */
static int
continues(const struct ctx *c, size_t i)
{
	return i < c->nlines &&
	    !(c->lines[i].flags & (LF_GAP | LF_STRUCT | LF_LOG));
}

/*
 * Inside sample output, does line i end it?  Lists, tables and long
 * sentences do, and so does a heading-shaped line followed by prose or a
 * list; a heading-shaped line followed by more samples is a sample itself
 * ("Performing sync on regular schedule").
 */
static int
ex_stopper(const struct ctx *c, size_t i)
{
	unsigned f = c->lines[i].flags, g;

	if (f & (LF_STRUCT | LF_LONG))
		return 1;
	if (!(f & LF_CAND) || i + 1 >= c->nlines)
		return 0;
	g = c->lines[i + 1].flags;
	return (g & LF_STRUCT) || ((g & LF_PROSE) && !(g & LF_LOG));
}

/*
 * Returns the last line of the sample output that starts at line i (an
 * example line whatever it looks like).  The samples run up to the last
 * line that looks like a log line before the next stopper, plus the lines
 * after it that do not end like sentences ("Sync time: 0d00h05m01s",
 * "Waiting 60 minutes for requests…"); a sentence there is commentary.
 * The scan for the stopper is cached so that many starts before the same
 * stopper cost one scan.
 */
static size_t
example_end(struct ctx *c, size_t i)
{
	size_t e, j, s;

	if (!c->ex_valid || i <= c->ex_from || i >= c->ex_stop) {
		c->ex_last = i;
		for (e = i + 1; e < c->nlines && !ex_stopper(c, e); e++)
			if (c->lines[e].flags & LF_LOG)
				c->ex_last = e;
		c->ex_from = i;
		c->ex_stop = e;
		c->ex_valid = 1;
	}
	s = c->ex_last > i ? c->ex_last : i;
	for (j = s + 1; j < c->ex_stop; j++)
		if (c->lines[j].flags & LF_PROSE)
			break;
	return j - 1;
}

/* Adds sample output starting at line i; returns the next line. */
static size_t
build_code(struct ctx *c, size_t i)
{
	size_t e = example_end(c, i);

	add_block(c, B_CODE, i, e);
	return e + 1;
}

/*
 * Does paragraph first..last introduce sample output: end in a colon and
 * speak of logs, entries, output or something "similar to the following"?
 * Word by word, so long lines cost one pass.
 */
static int
intro_cue(const struct ctx *c, size_t first, size_t last)
{
	static const char *const one[] = {
		"log", "logs", "entries", "entry", "output", NULL
	};
	const char *p, *w, *prev = "";
	size_t i, k, m, n, wl, pl = 0;

	p = ltext(c, last);
	if (!ends_with(p, c->lines[last].len, ":") &&
	    !ends_with(p, c->lines[last].len, "\xef\xbc\x9a"))
		return 0;
	for (i = first; i <= last; i++) {
		p = ltext(c, i);
		n = c->lines[i].len;
		for (k = 0; k < n; ) {
			while (k < n && !kb_isalpha((unsigned char)p[k]))
				k++;
			w = p + k;
			while (k < n && kb_isalpha((unsigned char)p[k]))
				k++;
			if ((wl = (size_t)(p + k - w)) == 0)
				break;
			if (k < n && kb_isalnum((unsigned char)p[k]))
				continue;	/* "log2": not a word */
			for (m = 0; one[m] != NULL; m++)
				if (wl == strlen(one[m]) &&
				    kb_strncasecmp(w, one[m], wl) == 0)
					return 1;
			if (pl == 7 && kb_strncasecmp(prev, "similar", 7) == 0 &&
			    wl == 2 && kb_strncasecmp(w, "to", 2) == 0)
				return 1;
			if (pl == 9 &&
			    kb_strncasecmp(prev, "following", 9) == 0 &&
			    (starts_ci(w, wl, "error") ||
			    starts_ci(w, wl, "message") ||
			    starts_ci(w, wl, "line")))
				return 1;
			prev = w;
			pl = wl;
		}
	}
	return 0;
}

/*
 * Adds the paragraph starting at line i and the sample output it
 * introduces; returns the next line.
 */
static size_t
build_para(struct ctx *c, size_t i)
{
	size_t j = i;

	while (continues(c, j + 1))
		j++;
	add_block(c, B_PARA, i, j);
	if (j + 1 < c->nlines && !(c->lines[j + 1].flags & LF_STRUCT) &&
	    intro_cue(c, i, j))
		return build_code(c, j + 1);
	return j + 1;
}

/* Adds the list item at line i with its wrapped lines. */
static size_t
build_item(struct ctx *c, size_t i)
{
	size_t j = i;

	while (continues(c, j + 1))
		j++;
	add_block(c, B_ITEM, i, j);
	return j + 1;
}

/* Adds the table whose header is line i and its rows. */
static size_t
build_table(struct ctx *c, size_t i)
{
	size_t k = i + 1, j;

	add_block(c, B_TABLE, i, i);
	while (row_at(c, k)) {
		j = k;
		if (c->lines[k].flags & LF_KEY)
			for (j = k + 1; j + 1 < c->nlines &&
			    desc_ok(c, j + 1) &&
			    !(c->lines[j + 1].flags & LF_GAP); j++)
				continue;
		add_block(c, B_ROW, k, j);
		k = j + 1;
	}
	return k;
}

/* Adds the heading at line i, or a paragraph past the heading limit. */
static size_t
build_heading(struct ctx *c, size_t i)
{
	if (c->nheads >= MAX_HEADINGS) {
		if (!c->warned)
			diag(DIAG_WARNING, c->a->path, c->lines[i].no, 0,
			    "more than %d headings; the rest are kept as text",
			    MAX_HEADINGS);
		c->warned = 1;
		return build_para(c, i);
	}
	c->nheads++;
	add_block(c, B_HEADING, i, i);
	return i + 1;
}

/* Adds the block that starts at line i; returns the next line. */
static size_t
build_one(struct ctx *c, size_t i)
{
	unsigned f = c->lines[i].flags;

	if (f & LF_TABLE)
		return build_table(c, i);
	if (f & (LF_BULLET | LF_NUMBER))
		return build_item(c, i);
	if (f & LF_LOG)
		return build_code(c, i);
	if (f & LF_CAPTION) {
		add_block(c, B_CAPTION, i, i);
		return i + 1;
	}
	if (f & LF_CAND) {
		/* A short line right above a log line is its first line. */
		if (i + 1 < c->nlines && (c->lines[i + 1].flags & LF_LOG))
			return build_code(c, i);
		return build_heading(c, i);
	}
	return build_para(c, i);
}

/* Groups every line after the title into blocks. */
static void
build_blocks(struct ctx *c)
{
	size_t i = 1;

	while (i < c->nlines)
		i = build_one(c, i);
}

/* ------------------------------------------------------------------ */
/* Heading levels */

/* Returns a malloc'd lower-case copy of the title of heading block b. */
static char *
lower_title(const struct ctx *c, const struct block *b)
{
	const struct line *l = &c->lines[b->first];
	char *s = xstrndup(c->clean.data + l->off, l->len);
	char *p;

	for (p = s; *p; p++)
		*p = (char)kb_tolower((unsigned char)*p);
	return s;
}

/* Returns a malloc'd copy of lower with a plural "s" dropped. */
static char *
norm_title(const char *lower)
{
	char *s = xstrdup(lower);
	size_t n = strlen(s);

	if (n > 3 && s[n - 1] == 's' && s[n - 2] != 's')
		s[n - 1] = '\0';
	return s;
}

/* Is the (normalized) title in the NULL-terminated list? */
static int
in_list(const char *norm, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(norm, *list) == 0)
			return 1;
	return 0;
}

/* Orders heads by normalized title, for counting repeats. */
static int
head_cmp(const void *x, const void *y)
{
	const struct head *const *a = x, *const *b = y;

	return strcmp((*a)->norm, (*b)->norm);
}

/*
 * Marks the sub-headings: titles that repeat in the document ("Possible
 * Solution" under each issue) and the usual names of the parts of an
 * issue, which are sub-headings even when they occur once.
 */
static void
mark_generic(struct head *h, size_t nh)
{
	static const char *const parts[] = {
		"cause", "possible cause", "solution", "possible solution",
		"resolution", "possible resolution", "workaround", "symptom",
		"more information", NULL
	};
	struct head **v = xcalloc(nh ? nh : 1, sizeof(*v));
	size_t i, j;

	for (i = 0; i < nh; i++)
		v[i] = &h[i];
	kb_qsort(v, nh, sizeof(*v), head_cmp);
	for (i = 0; i < nh; i = j) {
		for (j = i + 1; j < nh && strcmp(v[i]->norm, v[j]->norm) == 0;
		    j++)
			continue;
		if (j - i > 1)
			while (i < j)
				v[i++]->generic = 1;
	}
	for (i = 0; i < nh; i++)
		if (in_list(h[i].norm, parts))
			h[i].generic = 1;
	free(v);
}

/* The blocks of heading k's own body: [*from, *to). */
static void
body_range(const struct ctx *c, const struct head *h, size_t nh, size_t k,
    size_t *from, size_t *to)
{
	*from = h[k].block + 1;
	*to = k + 1 < nh ? h[k + 1].block : c->nblocks;
}

/* Does heading k's body hold a table? */
static int
body_has_table(const struct ctx *c, const struct head *h, size_t nh,
    size_t k)
{
	size_t i, from, to;

	body_range(c, h, nh, k, &from, &to);
	for (i = from; i < to; i++)
		if (c->blocks[i].kind == B_TABLE)
			return 1;
	return 0;
}

/* Does the title name an issue: "... Error", "... Issues"? */
static int
names_issue(const char *norm)
{
	static const char *const words[] = {
		" error", " issue", " problem", NULL
	};
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (ends_with(norm, strlen(norm), words[i]))
			return 1;
	return 0;
}

/*
 * Does the prose of heading k's body name the next heading's title ("...
 * status message ID 6703 is created ..." above "Status Message ID 6703")?
 * An overview that names what follows is the parent of what follows.
 */
static int
names_next(struct ctx *c, const struct head *h, size_t nh, size_t k)
{
	const struct line *l;
	size_t i, j, from, to, n = strlen(h[k + 1].lower);
	char *p;

	if (n < 8)
		return 0;
	buf_reset(&c->tmp);
	body_range(c, h, nh, k, &from, &to);
	for (i = from; i < to; i++) {
		if (c->blocks[i].kind != B_PARA)
			continue;
		for (j = c->blocks[i].first; j <= c->blocks[i].last; j++) {
			l = &c->lines[j];
			buf_putc(&c->tmp, ' ');
			buf_put(&c->tmp, c->clean.data + l->off, l->len);
		}
	}
	for (p = c->tmp.data; p && *p; p++)
		*p = (char)kb_tolower((unsigned char)*p);
	return c->tmp.len &&
	    memmem(c->tmp.data, c->tmp.len, h[k + 1].lower, n) != NULL;
}

/*
 * Gives each heading its level.  The exports have one level of topics
 * under the title and sub-headings under topics:
 *  - a sub-heading is a repeated or generic title ("Possible Solution");
 *    it sits one level under the topic before it;
 *  - back matter ("See Also") is a topic;
 *  - a topic whose prose names the next heading opens a group: the
 *    following headings are its children (level 3) until one that is
 *    topical -- it names an issue ("... Error"), holds a table or has
 *    sub-headings of its own -- which is a topic again;
 *  - everything else is a topic (level 2).
 */
static void
assign_levels(struct ctx *c)
{
	static const char *const back[] = {
		"see also", "related topic", "reference", "additional resource",
		"next step", "related link", "feedback", NULL
	};
	struct head *h = xcalloc(c->nheads ? c->nheads : 1, sizeof(*h));
	size_t i, k, nh = 0;
	int lv, topic = 1, group = 0;

	for (i = 0; i < c->nblocks; i++)
		if (c->blocks[i].kind == B_HEADING) {
			h[nh].block = i;
			h[nh].lower = lower_title(c, &c->blocks[i]);
			h[nh].norm = norm_title(h[nh].lower);
			h[nh].back = in_list(h[nh].norm, back);
			nh++;
		}
	mark_generic(h, nh);
	for (k = 0; k < nh; k++)
		h[k].topical = (k + 1 < nh && h[k + 1].generic) ||
		    body_has_table(c, h, nh, k) || names_issue(h[k].norm);
	for (k = 0; k < nh; k++) {
		if (h[k].generic)
			lv = topic + 1;
		else if (group && !h[k].back && !h[k].topical)
			lv = 3;
		else {
			lv = 2;
			group = 0;
		}
		if (!h[k].generic)
			topic = lv;
		if (lv == 2 && !h[k].generic && !h[k].back && k + 1 < nh &&
		    !h[k + 1].generic && !h[k + 1].back &&
		    names_next(c, h, nh, k))
			group = 1;
		c->blocks[h[k].block].level = lv;
	}
	for (k = 0; k < nh; k++) {
		free(h[k].lower);
		free(h[k].norm);
	}
	free(h);
}

/* ------------------------------------------------------------------ */
/* Rendering */

/* Starts a block of the section's plain text: tight inside a list. */
static void
text_sep(struct ctx *c, int tight)
{
	if (c->s->text.len > 0)
		buf_puts(&c->s->text, tight ? "\n" : "\n\n");
}

/*
 * Returns the length of an http, https or mailto URL at p[i], 0 when there
 * is none.  Closing punctuation at its end belongs to the sentence.
 */
static size_t
url_at(const char *p, size_t n, size_t i)
{
	static const char *const schemes[] = {
		"http://", "https://", "mailto:", NULL
	};
	size_t k, e, sl = 0;
	int paren;

	if ((p[i] | 32) != 'h' && (p[i] | 32) != 'm')
		return 0;
	if (i > 0 && kb_isalnum((unsigned char)p[i - 1]))
		return 0;
	for (k = 0; schemes[k] != NULL && sl == 0; k++)
		if (starts_ci(p + i, n - i, schemes[k]))
			sl = strlen(schemes[k]);
	if (sl == 0)
		return 0;
	for (e = i + sl; e < n && strchr(" <>\"'`", p[e]) == NULL; e++)
		continue;
	/* Trimming never removes a '(', so look for one once. */
	paren = memchr(p + i, '(', e - i) != NULL;
	while (e > i + sl && strchr(".,;:!?)]}", p[e - 1]) != NULL &&
	    !(p[e - 1] == ')' && paren))
		e--;
	return e > i + sl ? e - i : 0;
}

/* Writes a link for the URL p[0..n) found on source line no. */
static void
put_link(struct ctx *c, const char *p, size_t n, int no)
{
	char *url = xstrndup(p, n);

	buf_puts(&c->s->html, "<a href=\"");
	esc_html(&c->s->html, p, n);
	buf_puts(&c->s->html, "\">");
	esc_html(&c->s->html, p, n);
	buf_puts(&c->s->html, "</a>");
	section_add_link(c->s, url, url, no);
	free(url);
}

/* Writes cleaned inline text: escaped HTML with links, and plain text. */
static void
put_inline(struct ctx *c, const char *p, size_t n, int no)
{
	size_t i = 0, run = 0, u;

	while (i < n) {
		if ((u = url_at(p, n, i)) == 0) {
			i++;
			continue;
		}
		esc_html(&c->s->html, p + run, i - run);
		put_link(c, p + i, u, no);
		i += u;
		run = i;
	}
	esc_html(&c->s->html, p + run, n - run);
	buf_put(&c->s->text, p, n);
}

/* Writes lines first..last joined by spaces, skipping skip bytes first. */
static void
put_lines(struct ctx *c, size_t first, size_t last, size_t skip)
{
	size_t i;

	for (i = first; i <= last; i++) {
		if (i > first) {
			buf_putc(&c->s->html, ' ');
			buf_putc(&c->s->text, ' ');
		}
		put_inline(c, ltext(c, i) + skip, c->lines[i].len - skip,
		    c->lines[i].no);
		skip = 0;
	}
}

/* Closes the innermost open list and its item. */
static void
list_pop(struct ctx *c)
{
	struct lst *l = &c->stack[--c->depth];

	buf_puts(&c->s->html, l->ordered ? "</li>\n</ol>\n" : "</li>\n</ul>\n");
}

/* Closes an open table. */
static void
close_table(struct ctx *c)
{
	if (c->table)
		buf_puts(&c->s->html, "</tbody>\n</table>\n");
	c->table = 0;
}

/*
 * Closes the lists that a non-item block at this indent is outside of;
 * returns nonzero when the block lands inside a list item.
 */
static int
enter_block(struct ctx *c, size_t indent)
{
	while (c->depth > 0 && c->stack[c->depth - 1].indent >= indent)
		list_pop(c);
	return c->depth > 0;
}

/*
 * Opens an item at this indent: continues the list there, or starts a new
 * one (nested in the open item when indented more).  Returns nonzero when
 * the item continues or nests in a list (so its text is tight).
 */
static int
open_item(struct ctx *c, size_t indent, int ordered, int num)
{
	struct lst *l;
	int tight;

	while (c->depth > 0 && c->stack[c->depth - 1].indent > indent)
		list_pop(c);
	l = c->depth > 0 ? &c->stack[c->depth - 1] : NULL;
	if (l != NULL && l->indent == indent && l->ordered == ordered) {
		buf_puts(&c->s->html, "</li>\n<li>");
		l->count++;
		return 1;
	}
	if (l != NULL && l->indent == indent)
		list_pop(c);
	tight = c->depth > 0;
	if (c->depth == MAX_DEPTH)
		list_pop(c);
	l = &c->stack[c->depth++];
	l->indent = indent;
	l->ordered = ordered;
	l->start = ordered ? num : 1;
	l->count = 1;
	l->list = ordered ? ++c->nol : 0;
	if (!ordered)
		buf_puts(&c->s->html, "<ul>\n<li>");
	else if (num != 1)
		buf_printf(&c->s->html, "<ol start=\"%d\">\n<li>", num);
	else
		buf_puts(&c->s->html, "<ol>\n<li>");
	return tight;
}

/* Renders a list item; a numbered one is also a step. */
static void
render_item(struct ctx *c, const struct block *b)
{
	const struct line *l = &c->lines[b->first];
	int ordered = (l->flags & LF_NUMBER) != 0;
	const struct lst *top;
	size_t t0;

	text_sep(c, open_item(c, l->indent, ordered, l->num));
	t0 = c->s->text.len;
	put_lines(c, b->first, b->last, l->skip);
	top = &c->stack[c->depth - 1];
	if (ordered)
		section_add_step(c->s, top->list, top->start + top->count - 1,
		    c->s->text.data + t0);
}

/* Renders a paragraph, or a procedure title in bold. */
static void
render_para(struct ctx *c, const struct block *b)
{
	int bold = b->kind == B_CAPTION;

	text_sep(c, enter_block(c, c->lines[b->first].indent));
	buf_puts(&c->s->html, bold ? "<p><strong>" : "<p>");
	put_lines(c, b->first, b->last, 0);
	buf_puts(&c->s->html, bold ? "</strong></p>\n" : "</p>\n");
}

/*
 * Renders sample output as one code block, a line per line, each line
 * also a message candidate: the error text in samples is what the logs of
 * an incident will show.
 */
static void
render_code(struct ctx *c, const struct block *b)
{
	const struct line *l;
	size_t i;

	text_sep(c, enter_block(c, c->lines[b->first].indent));
	buf_puts(&c->s->html, "<pre><code>");
	for (i = b->first; i <= b->last; i++) {
		l = &c->lines[i];
		buf_reset(&c->tmp);
		clean_put(&c->tmp, c->text + l->raw, l->rawlen, 0);
		if (i > b->first) {
			buf_putc(&c->s->html, '\n');
			buf_putc(&c->s->text, '\n');
		}
		esc_html(&c->s->html, c->tmp.data, c->tmp.len);
		buf_put(&c->s->text, c->tmp.data, c->tmp.len);
		section_add_message(c->s, c->tmp.data, c->tmp.len);
	}
	buf_puts(&c->s->html, "</code></pre>\n");
}

/*
 * Renders a table header.  The export ran the cell texts together, so the
 * last word is taken as the second column: "Message ID" | "Description".
 */
static void
render_thead(struct ctx *c, const struct block *b)
{
	const char *p = ltext(c, b->first), *sp;
	size_t n = c->lines[b->first].len, k;

	/* is_thead() saw two words at least; stay safe all the same. */
	sp = last_space(p, n);
	k = sp ? (size_t)(sp - p) : n;

	text_sep(c, enter_block(c, c->lines[b->first].indent));
	buf_puts(&c->s->html, "<table>\n<thead>\n<tr><th>");
	esc_html(&c->s->html, p, k);
	buf_puts(&c->s->html, "</th><th>");
	if (k < n)
		esc_html(&c->s->html, p + k + 1, n - k - 1);
	buf_puts(&c->s->html, "</th></tr>\n</thead>\n<tbody>\n");
	buf_put(&c->s->text, p, k);
	buf_puts(&c->s->text, " | ");
	if (k < n)
		buf_put(&c->s->text, p + k + 1, n - k - 1);
	c->table = 1;
}

/*
 * Renders a table row: the key, then the description from the rest of a
 * one-line row or from the lines after the key.  The description is a
 * message candidate (the status message text as logged).
 */
static void
render_row(struct ctx *c, const struct block *b)
{
	const char *p = ltext(c, b->first), *sp;
	size_t n = c->lines[b->first].len, k = n, t0;

	if ((c->lines[b->first].flags & LF_KEYROW) &&
	    (sp = memchr(p, ' ', n)) != NULL)
		k = (size_t)(sp - p);
	text_sep(c, 1);
	buf_puts(&c->s->html, "<tr><td>");
	esc_html(&c->s->html, p, k);
	buf_puts(&c->s->html, "</td><td>");
	buf_put(&c->s->text, p, k);
	buf_puts(&c->s->text, " | ");
	t0 = c->s->text.len;
	if (k < n)
		put_inline(c, p + k + 1, n - k - 1, c->lines[b->first].no);
	if (b->last > b->first)
		put_lines(c, b->first + 1, b->last, 0);
	buf_puts(&c->s->html, "</td></tr>\n");
	section_add_message(c->s, c->s->text.data + t0, c->s->text.len - t0);
}

/* Starts the section of a heading block. */
static void
render_heading(struct ctx *c, const struct block *b)
{
	const struct line *l = &c->lines[b->first];
	char *title = xstrndup(c->clean.data + l->off, l->len);

	while (c->depth > 0)
		list_pop(c);
	c->s = article_add_section(c->a, b->level, l->no, title, NULL);
	c->nol = 0;
	free(title);
}

/* Renders one block into the current section. */
static void
render_block(struct ctx *c, const struct block *b)
{
	if (b->kind != B_ROW)
		close_table(c);
	switch (b->kind) {
	case B_HEADING:
		render_heading(c, b);
		break;
	case B_PARA:
	case B_CAPTION:
		render_para(c, b);
		break;
	case B_ITEM:
		render_item(c, b);
		break;
	case B_CODE:
		render_code(c, b);
		break;
	case B_TABLE:
		render_thead(c, b);
		break;
	case B_ROW:
		render_row(c, b);
		break;
	}
}

/* ------------------------------------------------------------------ */

/*
 * Reads a plain-text export into a (new) article: the first non-blank line
 * is the title and a level-1 section holding the text up to the first
 * heading.  Returns 0, or -1 after a diagnostic when there is no text.
 */
/*
 * The article title: the first line, unless that line is the export's
 * "Topic last updated—November 2007" stamp (compile.c takes the date from
 * it), in which case the topic is named by the first sentence ("This
 * topic provides ... information for X and ...") when it says so.
 * Returns a malloc'd string.
 */
static char *
text_title(const struct ctx *c)
{
	static const char *const intro[] = { " information for ",
	    " information about ", " information on ", " describes ",
	    " explains ", NULL };
	const char *l0 = c->clean.data + c->lines[0].off, *p, *end;
	const char *const *w;
	size_t n0 = c->lines[0].len;

	if (n0 < 18 || (kb_strncasecmp(l0, "topic last updated", 18) != 0 &&
	    kb_strncasecmp(l0, "last updated", 12) != 0) || c->nlines < 2)
		return xstrndup(l0, n0);
	p = c->clean.data + c->lines[1].off;
	end = p + c->lines[1].len;
	for (w = intro; *w; w++) {
		const char *q = memmem(p, (size_t)(end - p), *w, strlen(*w));
		const char *e;
		if (q == NULL)
			continue;
		q += strlen(*w);
		for (e = q; e < end && *e != '.' && *e != ',' && *e != ';' &&
		    !(e + 5 <= end && memcmp(e, " and ", 5) == 0); e++)
			;
		if (e - q < 8 || e - q > 120)
			continue;
		char *t = xstrndup(q, (size_t)(e - q));
		t[0] = (char)(t[0] >= 'a' && t[0] <= 'z' ? t[0] - 32 : t[0]);
		return t;
	}
	return xstrndup(l0, n0);
}

int
article_text_read(struct article *a, const char *text, size_t len)
{
	struct ctx c;
	size_t i;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.text = text;
	if (text == NULL)
		len = 0;
	if (len > INT32_MAX) {
		diag(DIAG_ERROR, a->path, 0, 0, "text article too large");
		goto out;
	}
	split_lines(&c, len);
	if (c.nlines == 0) {
		diag(DIAG_ERROR, a->path, 1, 0, "empty text article");
		goto out;
	}
	mark_context(&c);
	build_blocks(&c);
	assign_levels(&c);
	free(a->title);
	a->title = text_title(&c);
	c.s = article_add_section(a, 1, c.lines[0].no, a->title, NULL);
	for (i = 0; i < c.nblocks; i++)
		render_block(&c, &c.blocks[i]);
	close_table(&c);
	while (c.depth > 0)
		list_pop(&c);
	rc = 0;
out:
	buf_free(&c.clean);
	buf_free(&c.tmp);
	free(c.lines);
	free(c.blocks);
	return rc;
}
