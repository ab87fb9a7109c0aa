/*
 * log_iis.c -- the IIS W3C extended log (W3SVC<n>\u_exYYMMDD.log) and
 * the HTTP API error log (HTTPERR\httperrN.log).  Both are W3C files:
 * '#' directives (#Software, #Version, #Date, #Fields, in any order and
 * any of them missing) and lines of space-separated values, '-' for
 * empty, '+' for a space in text values, times in UTC.  Every #Fields
 * re-maps the columns, because a restart or a configuration change
 * starts a new header block in the same file.  One record per line.
 *
 * IIS files are most of a bundle's bytes, so the line path copies the
 * line once into a reused buffer, splits it in place with memchr,
 * caches the parsed date, and never allocates once the buffers have
 * grown to the longest line.
 *
 * Exports log_iis_parser and log_httperr_parser (wired in log_table.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

#include "util.h"
#include "logs.h"

/* The columns we read; every other column is skipped. */
enum wfield {
	W_DATE,
	W_TIME,
	W_DATE_LOCAL,		/* Advanced Logging: local time, no zone */
	W_TIME_LOCAL,
	W_SITENAME,
	W_METHOD,
	W_STEM,
	W_QUERY,
	W_URI,			/* HTTPERR: the whole URI */
	W_STATUS,
	W_SUBSTATUS,
	W_WIN32,
	W_CLIENT_IP,
	W_SERVER_PORT,
	W_UA,
	W_TIME_TAKEN,
	W_REASON,		/* HTTPERR s-reason */
	W_QUEUE,		/* HTTPERR s-queuename (the app pool) */
	W__MAX
};

static const struct {
	const char	*name;
	enum wfield	 f;
} wnames[] = {
	{ "date", W_DATE },
	{ "time", W_TIME },
	{ "date-local", W_DATE_LOCAL },
	{ "time-local", W_TIME_LOCAL },
	{ "s-sitename", W_SITENAME },
	{ "cs-method", W_METHOD },
	{ "cs-uri-stem", W_STEM },
	{ "cs-uri-query", W_QUERY },
	{ "cs-uri", W_URI },
	{ "sc-status", W_STATUS },
	{ "sc-substatus", W_SUBSTATUS },
	{ "sc-win32-status", W_WIN32 },
	{ "c-ip", W_CLIENT_IP },
	{ "s-port", W_SERVER_PORT },
	{ "cs(User-Agent)", W_UA },
	{ "time-taken", W_TIME_TAKEN },
	{ "s-reason", W_REASON },
	{ "s-queuename", W_QUEUE },
};

/*
 * HTTPERR layouts for files that lost their header (pasted excerpts),
 * chosen by the number of values on the line.
 */
static const char httperr_13[] = "date time c-ip c-port s-ip s-port "
    "cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename";
static const char httperr_14[] = "date time c-ip c-port s-ip s-port "
    "cs-version cs-method cs-uri streamid sc-status s-siteid s-reason "
    "s-queuename";
static const char httperr_18[] = "date time c-ip c-port s-ip s-port "
    "cs-version cs-method cs-uri streamid streamid_ex sc-status s-siteid "
    "s-reason s-queuename transport fault-code extended-fault-code";

#define W_MAXTOK	128
#define W_NKV		12
/* A dateless file whose clock goes back this far has passed midnight. */
#define W_ROLLBACK_MS	(3600 * 1000)
#define DAY_MS		(86400 * (int64_t)1000)

/* Column positions of the fields we read; col[f] < 0 when absent. */
struct wmap {
	short	 col[W__MAX];
	int	 ncol;		/* columns named, 0 before any #Fields */
	int	 free_col;	/* the free-text column that may swallow
				   stray spaces (cs(User-Agent)), or -1 */
};

struct w3c {
	struct log_env	*env;
	int		 httperr;
	struct wmap	 map;		/* from the last #Fields */
	struct wmap	 dflt[3];	/* HTTPERR headerless layouts */
	int64_t		 hdr_day;	/* #Date's day (ms), or TIME_NONE */
	int64_t		 last_tod;	/* dateless files: previous time */
	int64_t		 day_shift;	/* and days passed since #Date */
	char		 date_key[10];	/* cache of the last date column */
	int64_t		 date_ms;
	int		 date_ok;
	struct buf	 line;		/* the line, split in place */
	struct buf	 msg;
	char		*tok[W_MAXTOK];
	size_t		 toklen[W_MAXTOK];
	int		 ntok;
	int		 shift;		/* values beyond the named columns */
	struct log_kv	 kv[W_NKV];
	size_t		 nkv;
	long		 nbad, first_bad;
	long		 nodd, first_odd;
};

/* ------------------------------------------------------------------ */
/* small scanners */

/*
 * Milliseconds since midnight for "HH:MM:SS" with an optional fraction
 * (s NUL-terminated), or -1.
 */
static int64_t
parse_tod(const char *s)
{
	int h, mi, sec, ms = 0, k;

	if (!kb_isdigit((unsigned char)s[0]) ||
	    !kb_isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !kb_isdigit((unsigned char)s[3]) ||
	    !kb_isdigit((unsigned char)s[4]) || s[5] != ':' ||
	    !kb_isdigit((unsigned char)s[6]) ||
	    !kb_isdigit((unsigned char)s[7]))
		return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	mi = (s[3] - '0') * 10 + s[4] - '0';
	sec = (s[6] - '0') * 10 + s[7] - '0';
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	s += 8;
	if (*s == '.') {
		for (k = 0, s++; kb_isdigit((unsigned char)*s); s++, k++)
			if (k < 3)
				ms = ms * 10 + *s - '0';
		for (; k < 3; k++)
			ms *= 10;
	}
	if (*s != '\0')
		return -1;
	return ((int64_t)h * 3600 + mi * 60 + sec) * 1000 + ms;
}

/*
 * The start of day "YYYY-MM-DD" (exactly 10 bytes at s, followed by
 * end) as ms since 1970, or TIME_NONE.
 */
static int64_t
parse_day(const char *s, size_t n)
{
	int i;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return TIME_NONE;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !kb_isdigit((unsigned char)s[i]))
			return TIME_NONE;
	return make_ms((s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + s[3] - '0', (s[5] - '0') * 10 + s[6] - '0',
	    (s[8] - '0') * 10 + s[9] - '0', 0, 0, 0, 0);
}

/* The number a value of at most 9 digits spells, or -1. */
static int
parse_uint(const char *s)
{
	int v = 0, k;

	if (s == NULL)
		return -1;
	for (k = 0; kb_isdigit((unsigned char)s[k]); k++) {
		if (k == 9)
			return -1;
		v = v * 10 + s[k] - '0';
	}
	return k > 0 && s[k] == '\0' ? v : -1;
}

/* Whether needle occurs in the n bytes at hay. */
static int
has(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const char *p = hay, *last;

	if (k == 0 || k > n)
		return k == 0;
	last = hay + (n - k);
	while (p <= last &&
	    (p = memchr(p, needle[0], (size_t)(last - p) + 1)) != NULL) {
		if (memcmp(p, needle, k) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* Whether the directive at s (n bytes) is "#name:" (case-insensitive). */
static int
directive_is(const char *s, size_t n, const char *name)
{
	size_t k = strlen(name);

	return n > k && kb_strncasecmp(s, name, k) == 0 && s[k] == ':';
}

/* ------------------------------------------------------------------ */
/* column maps */

/* The field a #Fields name stands for, or -1 for one we do not read. */
static int
field_of(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(wnames) / sizeof(wnames[0]); i++)
		if (strlen(wnames[i].name) == n &&
		    kb_strncasecmp(s, wnames[i].name, n) == 0)
			return (int)wnames[i].f;
	return -1;
}

/*
 * Fills m from a list of field names separated by white space (the text
 * of a #Fields directive, n bytes).  The first column of a name wins.
 */
static void
map_fields(struct wmap *m, const char *s, size_t n)
{
	const char *end = s + n, *w;
	int f, i;

	for (i = 0; i < W__MAX; i++)
		m->col[i] = -1;
	m->ncol = 0;
	m->free_col = -1;
	while (s < end && m->ncol < W_MAXTOK) {
		while (s < end && kb_isspace((unsigned char)*s))
			s++;
		if (s == end)
			break;
		for (w = s; s < end && !kb_isspace((unsigned char)*s); s++)
			;
		f = field_of(w, (size_t)(s - w));
		if (f >= 0 && m->col[f] < 0)
			m->col[f] = (short)m->ncol;
		m->ncol++;
	}
	m->free_col = m->col[W_UA];
}

/* Whether s is an HTTP method IIS logs (the headerless guess needs it). */
static int
is_method(const char *s)
{
	static const char *const methods[] = { "GET", "POST", "HEAD", "PUT",
	    "DELETE", "OPTIONS", "PROPFIND", "PROPPATCH", "MKCOL", "COPY",
	    "MOVE", "LOCK", "UNLOCK", "TRACE", "CONNECT", "PATCH", "SEARCH",
	    "BITS_POST", "RPC_IN_DATA", "RPC_OUT_DATA", NULL };
	size_t i;

	for (i = 0; methods[i]; i++)
		if (strcmp(s, methods[i]) == 0)
			return 1;
	return 0;
}

/* Whether token k of the line is all digits (any number of them). */
static int
tok_digits(const struct w3c *st, int k)
{
	const char *s = st->tok[k];

	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!kb_isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * Guesses the columns of an IIS line without #Fields (pasted excerpts)
 * from its shape: the method, the URI after it, the status codes at the
 * end (with or without time-taken), the IIS default order in between.
 * Returns 0 and fills m, or -1 when the line does not look like a
 * request.
 */
static int
guess_iis(const struct w3c *st, struct wmap *m)
{
	int i, meth = -1, st_col = -1, nt = st->ntok;

	for (i = 0; i < W__MAX; i++)
		m->col[i] = -1;
	m->ncol = nt;
	m->free_col = -1;
	for (i = 0; i < nt - 1 && i < 6 && meth < 0; i++)
		if (is_method(st->tok[i]) && st->tok[i + 1][0] == '/')
			meth = i;
	if (meth < 0)
		return -1;
	if (nt - 4 > meth + 1 && parse_uint(st->tok[nt - 4]) >= 100 &&
	    st->toklen[nt - 4] == 3 && tok_digits(st, nt - 3) &&
	    tok_digits(st, nt - 2) && tok_digits(st, nt - 1)) {
		st_col = nt - 4;
		m->col[W_TIME_TAKEN] = (short)(nt - 1);
	} else if (nt - 3 > meth + 1 && st->toklen[nt - 3] == 3 &&
	    parse_uint(st->tok[nt - 3]) >= 100 && tok_digits(st, nt - 2) &&
	    tok_digits(st, nt - 1))
		st_col = nt - 3;
	if (st_col < 0)
		return -1;
	m->col[W_STATUS] = (short)st_col;
	m->col[W_SUBSTATUS] = (short)(st_col + 1);
	m->col[W_WIN32] = (short)(st_col + 2);
	m->col[W_METHOD] = (short)meth;
	m->col[W_STEM] = (short)(meth + 1);
	/* IIS default order: stem query s-port username c-ip UA [referer] */
	if (meth + 2 < st_col)
		m->col[W_QUERY] = (short)(meth + 2);
	if (meth + 3 < st_col)
		m->col[W_SERVER_PORT] = (short)(meth + 3);
	if (meth + 5 < st_col)
		m->col[W_CLIENT_IP] = (short)(meth + 5);
	if (meth + 6 < st_col)
		m->col[W_UA] = (short)(meth + 6);
	if (nt > 1 && parse_day(st->tok[0], st->toklen[0]) != TIME_NONE &&
	    parse_tod(st->tok[1]) >= 0) {
		m->col[W_DATE] = 0;
		m->col[W_TIME] = 1;
	} else if (parse_tod(st->tok[0]) >= 0)
		m->col[W_TIME] = 0;
	return 0;
}

/*
 * The layout of a headerless HTTPERR line: by its number of values (the
 * three layouts HTTP.sys has written), 13 columns otherwise.  Returns
 * NULL when the line does not start with a date.
 */
static const struct wmap *
guess_httperr(const struct w3c *st)
{
	if (st->ntok < 2 || parse_day(st->tok[0], st->toklen[0]) == TIME_NONE)
		return NULL;
	if (st->ntok == 18)
		return &st->dflt[2];
	if (st->ntok == 14)
		return &st->dflt[1];
	return &st->dflt[0];
}

/* ------------------------------------------------------------------ */
/* the line */

/*
 * Finding bytes CHUNK at a time: chunk_mask() flags the bytes equal to
 * c among the CHUNK at p, first_flag() gives the index of the lowest
 * flag, m &= m - 1 drops it, keep_first() keeps the flags of the first
 * k bytes.  SSE2 (every x86-64) compares 16 bytes at once; other
 * little-endian GCC/Clang targets use 8-byte SWAR (exact: no false
 * flags after a match); anything else goes a byte at a time.
 */
#if defined(__SSE2__) && defined(__GNUC__)
#define CHUNK	16

static inline uint64_t
chunk_mask(const char *p, char c)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

static inline unsigned
first_flag(uint64_t m)
{
	return (unsigned)__builtin_ctzll(m);
}

static inline uint64_t
keep_first(uint64_t m, size_t k)
{
	return m & ((1ULL << k) - 1);
}
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CHUNK	8

static inline uint64_t
chunk_mask(const char *p, char c)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;
	uint64_t x;

	memcpy(&x, p, 8);
	x ^= 0x0101010101010101ULL * (unsigned char)c;
	return ~(((x & lo7) + lo7) | x | lo7);
}

static inline unsigned
first_flag(uint64_t m)
{
	return (unsigned)__builtin_ctzll(m) >> 3;
}

static inline uint64_t
keep_first(uint64_t m, size_t k)
{
	return m & ((1ULL << (8 * k)) - 1);
}
#else
#define CHUNK	1

static inline uint64_t
chunk_mask(const char *p, char c)
{
	return *p == c;
}

static inline unsigned
first_flag(uint64_t m)
{
	return 0;
}

static inline uint64_t
keep_first(uint64_t m, size_t k)
{
	return k ? m : 0;
}
#endif

/*
 * The value table of a line being split.  Kept in locals by the caller
 * so the NUL stores into the line (char writes may alias anything) do
 * not force reloads of the parser state.
 */
struct splitter {
	char	 *d;		/* the line copy */
	char	**tok;
	size_t	 *len;
	int	  nt;
	size_t	  start;	/* where the next value begins */
};

/*
 * Takes the space at position i: it ends the current value unless it
 * is part of a run.  Returns 1 when the table is full (the rest of the
 * line is then the last value), else 0.
 */
static inline int
split_at(struct splitter *sp, size_t i)
{
	if (i > sp->start) {
		sp->tok[sp->nt] = sp->d + sp->start;
		sp->len[sp->nt++] = i - sp->start;
		sp->d[i] = '\0';
	}
	sp->start = i + 1;
	return sp->nt == W_MAXTOK - 1;
}

/*
 * Copies the line into st->line and splits it in place at runs of
 * spaces (doubled spaces occur in real files and separate nothing),
 * NUL-terminating each value.  Values past W_MAXTOK stay in the last.
 * IIS lines are most of the input and their values are short, so the
 * spaces are found a chunk at a time; the copy is padded with CHUNK
 * zero bytes so the last chunk can be read whole.
 */
static void
split_line(struct w3c *st, const char *s, size_t n)
{
	struct splitter sp;
	size_t i;
	uint64_t m;

	buf_reset(&st->line);
	buf_grow(&st->line, n + CHUNK);
	memcpy(st->line.data, s, n);
	memset(st->line.data + n, 0, CHUNK);
	st->line.len = n;
	sp.d = st->line.data;
	sp.tok = st->tok;
	sp.len = st->toklen;
	sp.nt = 0;
	sp.start = 0;
	for (i = 0; i < n; i += CHUNK) {
		m = chunk_mask(sp.d + i, ' ');
		if (n - i < CHUNK)
			m = keep_first(m, n - i);
		for (; m; m &= m - 1)
			if (split_at(&sp, i + first_flag(m)))
				goto rest;
	}
rest:
	if (sp.start < n) {
		sp.tok[sp.nt] = sp.d + sp.start;
		sp.len[sp.nt++] = n - sp.start;
	}
	st->ntok = sp.nt;
}

/*
 * Lines with more values than #Fields names: the extra ones are spaces
 * that a writer left in the free-text column (the user agent), so glue
 * them back into it and read the columns after it from the end.
 */
static void
fit_line(struct w3c *st, const struct wmap *m)
{
	int k, last;

	st->shift = 0;
	if (m->ncol == 0 || st->ntok <= m->ncol || m->free_col < 0)
		return;
	st->shift = st->ntok - m->ncol;
	last = m->free_col + st->shift;
	for (k = m->free_col; k < last; k++)
		st->tok[k][st->toklen[k]] = ' ';
	st->toklen[m->free_col] = (size_t)(st->tok[last] + st->toklen[last] -
	    st->tok[m->free_col]);
}

/*
 * The value index of field f on the current line, or -1 when the
 * column is absent, past the end of the line, or '-' (empty in W3C).
 */
static int
field(const struct w3c *st, const struct wmap *m, enum wfield f)
{
	int c = m->col[f];

	if (c < 0)
		return -1;
	if (st->shift > 0 && m->free_col >= 0 && c > m->free_col)
		c += st->shift;
	if (c >= st->ntok || (st->toklen[c] == 1 && st->tok[c][0] == '-'))
		return -1;
	return c;
}

/* Value i of the line (NUL-terminated), or NULL for -1. */
static char *
val(const struct w3c *st, int i)
{
	return i < 0 ? NULL : st->tok[i];
}

/*
 * W3C writes a space inside a text value as '+'; undo it in place.  A
 * user agent is the longest value of a line, hence a chunk a step (s
 * lies in the padded line copy, so whole chunks can be read).
 */
static void
plus_to_space(char *s, size_t n)
{
	size_t i;
	uint64_t m;

	for (i = 0; i < n; i += CHUNK) {
		m = chunk_mask(s + i, '+');
		if (n - i < CHUNK)
			m = keep_first(m, n - i);
		for (; m; m &= m - 1)
			s[i + first_flag(m)] = ' ';
	}
}

/*
 * The day of the current line in ms: its date column (value di, parsed
 * once per distinct date), else #Date's day plus the midnights a
 * dateless file has passed, else TIME_NONE.  tod is the time of day.
 */
static int64_t
line_day(struct w3c *st, int di, int64_t tod)
{
	const char *date;
	size_t n;

	if (di >= 0) {
		date = st->tok[di];
		n = st->toklen[di];
		if (n == 10 && st->date_ok && memcmp(date, st->date_key, 10) == 0)
			return st->date_ms;
		st->date_ms = parse_day(date, n);
		st->date_ok = n == 10;
		if (st->date_ok)
			memcpy(st->date_key, date, 10);
		return st->date_ms;
	}
	if (st->hdr_day == TIME_NONE)
		return TIME_NONE;
	if (st->last_tod >= 0 && tod + W_ROLLBACK_MS < st->last_tod)
		st->day_shift += DAY_MS;
	st->last_tod = tod;
	return st->hdr_day + st->day_shift;
}

/*
 * Fills the record's time from the date/time columns (UTC), or from
 * date-local/time-local (local, zone from the host when known).
 * Returns -1 when the line has a time column that holds no time (not a
 * W3C data line), else 0 (local_ms TIME_NONE when the day is unknown).
 */
static int
line_time(struct w3c *st, const struct wmap *m, struct record *r)
{
	int64_t tod, day;
	int t, d, local = 0;

	r->local_ms = TIME_NONE;
	r->tz_min = 0;
	r->utc = 1;
	if ((t = field(st, m, W_TIME)) >= 0)
		d = field(st, m, W_DATE);
	else if ((t = field(st, m, W_TIME_LOCAL)) >= 0) {
		d = field(st, m, W_DATE_LOCAL);
		local = 1;
	} else
		return m->col[W_TIME] < 0 && m->col[W_TIME_LOCAL] < 0 ? 0 : -1;
	if ((tod = parse_tod(st->tok[t])) < 0)
		return -1;
	if (local) {
		r->tz_min = st->env->tz_hint;
		r->utc = 0;
		day = d >= 0 ? parse_day(st->tok[d], st->toklen[d]) : TIME_NONE;
	} else
		day = line_day(st, d, tod);
	if (day != TIME_NONE)
		r->local_ms = day + tod;
	return 0;
}

/* Appends key=value i to the record's pairs when i is a value. */
static void
kv_add(struct w3c *st, const char *key, int i)
{
	if (i < 0 || st->nkv == W_NKV)
		return;
	st->kv[st->nkv].key = key;
	st->kv[st->nkv++].value = st->tok[i];
}

/* Appends value i, after a space, to the message when i is a value. */
static void
msg_word(struct w3c *st, int i)
{
	struct buf *b = &st->msg;
	size_t n;

	if (i < 0)
		return;
	n = st->toklen[i];
	if (b->len + n + 2 > b->cap)
		buf_grow(b, n + 1);
	if (b->len)
		b->data[b->len++] = ' ';
	memcpy(b->data + b->len, st->tok[i], n);
	b->len += n;
	b->data[b->len] = '\0';
}

/*
 * IIS severity: 5xx error, 4xx warning, the rest info.  401 is info:
 * every NTLM/Negotiate handshake starts with 401.2 (and 401.1) before
 * the 200, so a 401 on its own line says nothing; a real authorization
 * failure is a pattern over lines (status stays in kv for signal.c).
 */
static enum log_sev
iis_sev(int status)
{
	if (status >= 500)
		return SEV_ERROR;
	if (status == 401)
		return SEV_INFO;
	if (status >= 400)
		return SEV_WARNING;
	return SEV_INFO;
}

/* Builds the record of an IIS request line into r. */
static void
iis_record(struct w3c *st, const struct wmap *m, struct record *r)
{
	int method, stem, status, sub, win32, ua;

	method = field(st, m, W_METHOD);
	stem = field(st, m, W_STEM);
	status = field(st, m, W_STATUS);
	sub = field(st, m, W_SUBSTATUS);
	win32 = field(st, m, W_WIN32);
	if ((ua = field(st, m, W_UA)) >= 0)
		plus_to_space(st->tok[ua], st->toklen[ua]);
	kv_add(st, "method", method);
	kv_add(st, "uri", stem);
	kv_add(st, "query", field(st, m, W_QUERY));
	kv_add(st, "status", status);
	kv_add(st, "substatus", sub);
	kv_add(st, "win32_status", win32);
	kv_add(st, "client_ip", field(st, m, W_CLIENT_IP));
	kv_add(st, "server_port", field(st, m, W_SERVER_PORT));
	kv_add(st, "user_agent", ua);
	kv_add(st, "time_taken", field(st, m, W_TIME_TAKEN));
	msg_word(st, method);
	msg_word(st, stem);
	msg_word(st, status);
	msg_word(st, sub);
	msg_word(st, win32);
	r->sev = iis_sev(parse_uint(val(st, status)));
	r->component = val(st, field(st, m, W_SITENAME));
}

/*
 * HTTPERR severity from s-reason: the app pool is down or overloaded
 * (error), connection-level trouble and rejected requests (warning),
 * idle connections closed (info, HTTP.sys logs them all day).
 */
static enum log_sev
httperr_sev(const char *reason, int status)
{
	static const char *const errors[] = { "AppOffline", "QueueFull",
	    "Connection_Abandoned_By_AppPool", "AppShutdown", "AppPoolTimer",
	    "Timer_AppPool", "Disabled", NULL };
	size_t i;

	if (reason == NULL)
		return status >= 500 && status != 505 ? SEV_ERROR :
		    status >= 400 ? SEV_WARNING : SEV_INFO;
	for (i = 0; errors[i]; i++)
		if (strcmp(reason, errors[i]) == 0)
			return SEV_ERROR;
	if (strcmp(reason, "Timer_ConnectionIdle") == 0)
		return SEV_INFO;
	return SEV_WARNING;
}

/* Builds the record of an HTTPERR line into r. */
static void
httperr_record(struct w3c *st, const struct wmap *m, struct record *r)
{
	int reason, queue, status, uri, method;

	reason = field(st, m, W_REASON);
	queue = field(st, m, W_QUEUE);
	status = field(st, m, W_STATUS);
	uri = field(st, m, W_URI);
	method = field(st, m, W_METHOD);
	kv_add(st, "reason", reason);
	kv_add(st, "queue", queue);
	kv_add(st, "status", status);
	kv_add(st, "uri", uri);
	kv_add(st, "client_ip", field(st, m, W_CLIENT_IP));
	kv_add(st, "method", method);
	kv_add(st, "server_port", field(st, m, W_SERVER_PORT));
	msg_word(st, reason);
	msg_word(st, status);
	msg_word(st, method);
	msg_word(st, uri);
	msg_word(st, queue);
	r->sev = httperr_sev(val(st, reason), parse_uint(val(st, status)));
	r->component = NULL;
}

/* Handles a '#' directive line: #Fields re-maps, #Date sets the day. */
static void
directive(struct w3c *st, const char *s, size_t n)
{
	const char *v;
	size_t k;

	s++;
	n--;
	if (directive_is(s, n, "Fields")) {
		map_fields(&st->map, s + 7, n - 7);
		return;
	}
	if (directive_is(s, n, "Date"))
		k = 5;
	else if (directive_is(s, n, "Start-Date"))
		k = 11;
	else
		return;
	for (v = s + k; v < s + n && *v == ' '; v++)
		;
	st->hdr_day = (size_t)(s + n - v) >= 10 ? parse_day(v, 10) :
	    TIME_NONE;
	st->last_tod = -1;
	st->day_shift = 0;
}

/* Counts a line we could not read, for one summary at the end. */
static void
count_bad(long *n, long *first, long lineno)
{
	if ((*n)++ == 0)
		*first = lineno;
}

/*
 * A line that is not W3C data (a paste, a note, a broken line) is kept
 * as a record of its own without a time, so a code in it still counts;
 * it is also counted for the summary at finish().
 */
static void
keep_raw(struct w3c *st, const char *s, size_t n, long lineno, uint64_t off)
{
	struct record r;

	count_bad(&st->nbad, &st->first_bad, lineno);
	memset(&r, 0, sizeof(r));
	r.line = r.end_line = lineno;
	r.offset = off;
	r.local_ms = TIME_NONE;
	r.tz_min = TZ_UNKNOWN;
	buf_reset(&st->msg);
	buf_put(&st->msg, s, n);
	r.msg = buf_str(&st->msg);
	r.msg_len = st->msg.len;
	r.sev = log_sev_words(s, n);
	if (r.sev == SEV_NONE)
		r.sev = SEV_INFO;
	st->env->emit(st->env, &r);
}

/*
 * line(): a directive updates the column map or the day; a data line
 * becomes one record; other lines are kept raw (keep_raw).
 * Allocation-free once the buffers fit the longest line.
 */
static void
w3c_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct w3c *st = arg;
	const struct wmap *m = &st->map;
	struct wmap guess;
	struct record r;

	if (n && s[0] == '#') {
		directive(st, s, n);
		return;
	}
	split_line(st, s, n);
	if (st->ntok == 0)
		return;
	if (m->ncol == 0) {
		if (st->httperr)
			m = guess_httperr(st);
		else
			m = guess_iis(st, &guess) == 0 ? &guess : NULL;
		if (m == NULL) {
			keep_raw(st, s, n, lineno, off);
			return;
		}
	}
	fit_line(st, m);
	memset(&r, 0, sizeof(r));
	r.line = r.end_line = lineno;
	r.offset = off;
	st->nkv = 0;
	buf_reset(&st->msg);
	if (line_time(st, m, &r) < 0) {
		keep_raw(st, s, n, lineno, off);
		return;
	}
	if (st->map.ncol && st->ntok != m->ncol)
		count_bad(&st->nodd, &st->first_odd, lineno);
	if (st->httperr)
		httperr_record(st, m, &r);
	else
		iis_record(st, m, &r);
	/* A line without method, URI or status: the line is the message
	   (copied, so it is NUL-terminated like every record message). */
	if (st->msg.len == 0)
		buf_put(&st->msg, s, n);
	r.msg = buf_str(&st->msg);
	r.msg_len = st->msg.len;
	r.kv = st->kv;
	r.nkv = st->nkv;
	st->env->emit(st->env, &r);
}

/* Opens a W3C reader; httperr picks the HTTPERR columns and records. */
static struct w3c *
w3c_open(struct log_env *env, int httperr)
{
	struct w3c *st = xcalloc(1, sizeof(*st));

	st->env = env;
	st->httperr = httperr;
	map_fields(&st->map, "", 0);
	map_fields(&st->dflt[0], httperr_13, sizeof(httperr_13) - 1);
	map_fields(&st->dflt[1], httperr_14, sizeof(httperr_14) - 1);
	map_fields(&st->dflt[2], httperr_18, sizeof(httperr_18) - 1);
	st->hdr_day = TIME_NONE;
	st->last_tod = -1;
	return st;
}

/* open() of an IIS W3C log. */
static void *
iis_open(struct log_env *env)
{
	return w3c_open(env, 0);
}

/* open() of an HTTPERR log. */
static void *
httperr_open(struct log_env *env)
{
	return w3c_open(env, 1);
}

/* finish(): reports skipped and odd lines once, frees the state. */
static void
w3c_finish(void *arg)
{
	struct w3c *st = arg;

	if (st->nbad)
		st->env->diag(st->env, DIAG_WARNING, st->first_bad,
		    "%ld line(s) not in W3C form, kept as text without a time",
		    st->nbad);
	if (st->nodd)
		st->env->diag(st->env, DIAG_NOTE, st->first_odd,
		    "%ld line(s) with more or fewer values than #Fields names",
		    st->nodd);
	buf_free(&st->line);
	buf_free(&st->msg);
	free(st);
}

/* ------------------------------------------------------------------ */
/* sniffing */

/*
 * Whether the line at s (n bytes) looks like an IIS request line: a
 * method, a URI starting with '/', a three-digit status near the end.
 */
static int
iis_shape(const char *s, size_t n)
{
	struct w3c st;
	struct wmap m;
	int ok;

	memset(&st, 0, sizeof(st));
	split_line(&st, s, n);
	ok = st.ntok >= 5 && guess_iis(&st, &m) == 0;
	buf_free(&st.line);
	return ok;
}

/* Lines of the head that pass shape(), out of the non-comment ones. */
static void
count_lines(const char *head, size_t n, int (*shape)(const char *, size_t),
    int *seen, int *good)
{
	const char *p = head, *end = head + n, *nl;

	*seen = *good = 0;
	while (p < end && *seen < 40) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl > p && p[0] != '#' && !(nl - p == 1 && p[0] == '\r')) {
			(*seen)++;
			*good += shape(p, (size_t)(nl - p -
			    (nl[-1] == '\r')));
		}
		p = nl + 1;
	}
}

/*
 * IIS: a #Fields directive naming request columns (95), the IIS
 * #Software banner (90), or request-shaped lines without a header (up
 * to 70).  HTTPERR files are left to the HTTPERR sniffer.  A u_ex/ex
 * file name adds 3 as a tie-breaker.
 */
static int
iis_sniff(const char *name, const char *head, size_t n)
{
	const char *b = path_base(name);
	int score = 0, seen, good;

	if (has(head, n, "#Software: Microsoft HTTP API") ||
	    has(head, n, " s-reason"))
		return 5;
	if (has(head, n, "#Fields:") && (has(head, n, " cs-method") ||
	    has(head, n, " cs-uri-stem") || has(head, n, " sc-status")))
		score = 95;
	else if (has(head, n, "#Software: Microsoft Internet Information"))
		score = 90;
	else {
		count_lines(head, n, iis_shape, &seen, &good);
		if (good && good * 10 >= seen * 8)
			score = 70;
		else if (good && good * 2 >= seen)
			score = 50;
	}
	if (score && (kb_strncasecmp(b, "u_ex", 4) == 0 ||
	    kb_strncasecmp(b, "ex", 2) == 0))
		score += 3;
	return score;
}

/*
 * Whether the line looks like a headerless HTTPERR line: a date, a
 * time, and an s-reason value HTTP.sys writes.
 */
static int
httperr_shape(const char *s, size_t n)
{
	static const char *const reasons[] = { " AppOffline ", " QueueFull ",
	    " Timer_ConnectionIdle ", " Connection_Abandoned_By_AppPool ",
	    " Connection_Dropped ", " Connection_Dropped_List_Full ",
	    " Connection_Abandoned_By_ReqQueue ", " Timer_MinBytesPerSecond ",
	    " BadRequest ", " Hostname ", " URL_Length ", " Verb ", " Header ",
	    " NotFound ", " Timer_EntityBody ", " Timer_HeaderWait ",
	    " Client_Reset ", " Request_Cancelled ", NULL };
	size_t i;

	if (n < 20 || parse_day(s, 10) == TIME_NONE || s[10] != ' ')
		return 0;
	for (i = 0; reasons[i]; i++)
		if (has(s, n, reasons[i]))
			return 1;
	return 0;
}

/*
 * HTTPERR: the HTTP API #Software banner (98), #Fields with s-reason
 * (95), or headerless lines carrying s-reason values (up to 75); an
 * httperr file name adds 3.
 */
static int
httperr_sniff(const char *name, const char *head, size_t n)
{
	const char *b = path_base(name);
	int score = 0, seen, good;

	if (has(head, n, "#Software: Microsoft HTTP API"))
		score = 98;
	else if (has(head, n, "#Fields:") && has(head, n, " s-reason"))
		score = 95;
	else {
		count_lines(head, n, httperr_shape, &seen, &good);
		if (good && good * 10 >= seen * 8)
			score = 75;
		else if (good && good * 2 >= seen)
			score = 50;
	}
	if (score && kb_strncasecmp(b, "httperr", 7) == 0)
		score += 2;
	return score;
}

const struct log_parser log_iis_parser = {
	.format = LOG_IIS,
	.name = "iis",
	.open = iis_open,
	.line = w3c_line,
	.finish = w3c_finish,
	.sniff = iis_sniff,
};

const struct log_parser log_httperr_parser = {
	.format = LOG_HTTPERR,
	.name = "httperr",
	.open = httperr_open,
	.line = w3c_line,
	.finish = w3c_finish,
	.sniff = httperr_sniff,
};
