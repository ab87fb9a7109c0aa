/*
 * log_generic.c -- any other text file (LOG_GENERIC): a record starts at
 * each line with a timestamp at (or near) its start; lines without one
 * continue the record before it, so multi-line messages and stack traces
 * stay together.  Nothing is dropped: signal.c scans the messages for
 * codes, whatever the format was.
 *
 * Timestamps understood, after at most PREFIX_MAX bytes of punctuation
 * or blanks ("[", "(", "#", "?"):
 *	2024-05-01 10:00:00[.fff]	ISO, also 'T', '/' or '.' in the date,
 *					',' or ':' before the fraction
 *	5/22/2020 10:44:06 AM		US (day first when the first field
 *					is above 12), with or without AM/PM
 *	14.7.2021 08:52:46		day.month.year
 *	Wed May 21 17:09:02 1997	ctime, optional .fff
 * each optionally followed by a zone: "Z", "+hh:mm", "-hhmm" or " UTC" /
 * " GMT"; without one the time is local, zone env->tz_hint (often
 * unknown).  A time of day in brackets in the first WINDOW bytes
 * ("MSI (s) (84:58) [16:04:27:498]:") also starts a record; it takes
 * the date of the last full timestamp, even one inside a line such as
 * MSI's "=== Verbose logging started: 3/2/2015 16:04:27 ===" (rolled
 * over past midnight), or has no time when no date came yet.
 *
 * The message is the line after a leading timestamp (and the separator
 * after it: "]", "|", " - "...), or the whole line for a bracketed time.
 * Lines before the first timestamp are records of their own, one per
 * non-blank line, without time (a file with no timestamps at all keeps
 * line-exact evidence).  A record is cut at REC_MAX_BYTES /
 * REC_MAX_LINES; what follows goes on in a new record with the same time.
 * Severity from words anywhere in the record, any case: "error", "fail",
 * "fatal", "exception" -> error, else "warn" -> warning, else none.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"

extern const struct log_parser log_generic_parser;

#define REC_MAX_BYTES	(64u * 1024)
#define REC_MAX_LINES	1000
/* Punctuation allowed before a leading timestamp. */
#define PREFIX_MAX	16
/* Where a bracketed time of day may start. */
#define WINDOW		64
#define DAY_MS		86400000LL
/* A time of day this much before the last one means the next day. */
#define ROLLOVER_MS	(6 * 3600000LL)

/* A timestamp found in a line. */
struct stamp {
	int64_t		 ms;		/* local_ms, or TIME_NONE */
	int32_t		 tz_min;
	int		 utc;
	size_t		 end;		/* index after it */
	int		 lead;		/* it leads the line (else bracketed) */
};

/* The state of one file: the pending record and the date memory. */
struct gen_state {
	struct log_env	*env;
	int		 have;		/* a record is pending */
	int		 seen;		/* a timestamp has been seen */
	struct buf	 msg;
	long		 line, nlines;
	/* The message up to its last non-blank line, and that line. */
	size_t		 keep_len;
	long		 keep_line;
	uint64_t	 off;
	int64_t		 local_ms;
	int32_t		 tz_min;
	int		 utc;
	/* The last full date, for bracketed times of day. */
	int64_t		 last_day;	/* its midnight, or TIME_NONE */
	int64_t		 last_tod;	/* the last time of day seen */
	/* The last y-m-d converted and its day: lines share their date. */
	int		 dc_y, dc_m, dc_d;
	int64_t		 dc_day;
	long		 lines;		/* physical lines seen */
};

/* Whether c is ASCII white space (char may be signed). */
static int
sp(char c)
{
	return kb_isspace((unsigned char)c);
}

/* Whether c is an ASCII digit (char may be signed). */
static int
dig(char c)
{
	return kb_isdigit((unsigned char)c);
}

/* Whether s[0..n) is only white space. */
static int
blank(const char *s, size_t n)
{
	while (n > 0 && sp(*s))
		s++, n--;
	return n == 0;
}

/*
 * Reads min..max decimal digits at s[*i] (bounded by n) into *out and
 * advances *i.  Returns 1, or 0 (and *i unchanged) when there are fewer
 * than min.
 */
static int
digits(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
	size_t j = *i;
	int v = 0, k = 0;

	while (j < n && k < max && dig(s[j])) {
		v = v * 10 + (s[j++] - '0');
		k++;
	}
	if (k < min)
		return 0;
	*i = j;
	*out = v;
	return 1;
}

/* Steps over the character c at s[*i]; returns 0 if it is not there. */
static int
skipc(const char *s, size_t n, size_t *i, char c)
{
	if (*i >= n || s[*i] != c)
		return 0;
	(*i)++;
	return 1;
}

/* Whether s[0..n) starts with the lower-case word w, ignoring case. */
static int
word(const char *s, size_t n, const char *w, size_t wl)
{
	size_t k;

	if (n < wl)
		return 0;
	for (k = 0; k < wl; k++)
		if ((((unsigned char)s[k]) | 0x20) != (unsigned char)w[k])
			return 0;
	return 1;
}

/* Whether exactly three digits stand at s[j] (a WU-style fraction). */
static int
three(const char *s, size_t n, size_t j)
{
	return j + 3 <= n && dig(s[j]) && dig(s[j + 1]) && dig(s[j + 2]) &&
	    (j + 3 == n || !dig(s[j + 3]));
}

/*
 * Reads a time of day "H:MM[:SS[(.|,|:)fff...]]" at s[*i] into *tod
 * (ms).  A ':' introduces a fraction only before exactly three digits
 * (WindowsUpdate.log's "10:55:33:171").  Returns 0 when it is not one.
 */
static int
tod_at(const char *s, size_t n, size_t *i, int64_t *tod)
{
	size_t j = *i;
	int h, m, sec = 0, frac = 0, k = 0;

	if (!digits(s, n, &j, 1, 2, &h) || !skipc(s, n, &j, ':') ||
	    !digits(s, n, &j, 2, 2, &m) || h > 23 || m > 59)
		return 0;
	if (j + 2 < n && s[j] == ':' && dig(s[j + 1]) && dig(s[j + 2])) {
		j++;
		digits(s, n, &j, 2, 2, &sec);
		if (sec > 60)
			return 0;
		if (j + 1 < n && dig(s[j + 1]) && (s[j] == '.' ||
		    s[j] == ',' || (s[j] == ':' && three(s, n, j + 1))))
			for (j++; j < n && dig(s[j]); j++, k++)
				if (k < 3)
					frac = frac * 10 + (s[j] - '0');
	}
	if (j < n && dig(s[j]))
		return 0;
	for (; k < 3; k++)
		frac *= 10;
	*tod = ((int64_t)h * 3600 + m * 60 + sec) * 1000 + frac;
	*i = j;
	return 1;
}

/* Applies " AM" / " PM" after a time at s[*i] to *tod. */
static void
ampm(const char *s, size_t n, size_t *i, int64_t *tod)
{
	size_t j = *i;
	int pm;

	while (j < n && s[j] == ' ')
		j++;
	if (j + 1 >= n || (s[j + 1] | 0x20) != 'm' ||
	    ((s[j] | 0x20) != 'a' && (s[j] | 0x20) != 'p') ||
	    (j + 2 < n && kb_isalpha((unsigned char)s[j + 2])))
		return;
	pm = (s[j] | 0x20) == 'p';
	if (*tod >= 13 * 3600000LL)
		return;		/* "13:00 PM" is not a 12-hour time */
	if (*tod >= 12 * 3600000LL)
		*tod -= 12 * 3600000LL;
	if (pm)
		*tod += 12 * 3600000LL;
	*i = j + 2;
}

/*
 * Reads an optional zone after a time at s[*i]: "Z", "+hh:mm", "+hhmm",
 * " UTC", " GMT" (a blank may precede the offset).  Sets t->tz_min and
 * t->utc; returns 0 when there is none.
 */
static int
zone(const char *s, size_t n, size_t *i, struct stamp *t)
{
	size_t j = *i;
	int h, m, neg;

	if (j < n && s[j] == 'Z' && (j + 1 >= n ||
	    !kb_isalnum((unsigned char)s[j + 1]))) {
		t->tz_min = 0;
		t->utc = 1;
		*i = j + 1;
		return 1;
	}
	if (j < n && s[j] == ' ')
		j++;
	if (j + 3 <= n && (memcmp(s + j, "UTC", 3) == 0 ||
	    memcmp(s + j, "GMT", 3) == 0) && (j + 3 >= n ||
	    !kb_isalnum((unsigned char)s[j + 3]))) {
		t->tz_min = 0;
		t->utc = 1;
		*i = j + 3;
		return 1;
	}
	if (j >= n || (s[j] != '+' && s[j] != '-'))
		return 0;
	neg = s[j++] == '-';
	if (!digits(s, n, &j, 2, 2, &h))
		return 0;
	skipc(s, n, &j, ':');
	if (!digits(s, n, &j, 2, 2, &m) || h > 14 || m > 59 ||
	    (j < n && dig(s[j])))
		return 0;
	t->tz_min = (neg ? -1 : 1) * (h * 60 + m);
	t->utc = 0;
	*i = j;
	return 1;
}

/* Midnight of y-m-d (TIME_NONE if there is no such day), remembered
 * for the next line. */
static int64_t
day_of(struct gen_state *st, int y, int m, int d)
{
	if (y != st->dc_y || m != st->dc_m || d != st->dc_d) {
		st->dc_day = make_ms(y, m, d, 0, 0, 0, 0);
		st->dc_y = y;
		st->dc_m = m;
		st->dc_d = d;
	}
	return st->dc_day;
}

/*
 * Reads the date at s[*i]: ISO "YYYY-MM-DD" ('/' or '.' too), US
 * "M/D/YYYY" or "D.M.YYYY".  Sets *day (ms of midnight); returns 0 when
 * it is not a date.
 */
static int
date_at(struct gen_state *st, const char *s, size_t n, size_t *i,
    int64_t *day)
{
	size_t j = *i;
	int a, b, y, t;
	char sep;

	if (digits(s, n, &j, 4, 4, &y)) {
		if (j >= n || (s[j] != '-' && s[j] != '/' && s[j] != '.'))
			return 0;
		sep = s[j++];
		if (!digits(s, n, &j, 1, 2, &a) || !skipc(s, n, &j, sep) ||
		    !digits(s, n, &j, 1, 2, &b))
			return 0;
	} else {
		if (!digits(s, n, &j, 1, 2, &a) || j >= n ||
		    (s[j] != '/' && s[j] != '.'))
			return 0;
		sep = s[j++];
		if (!digits(s, n, &j, 1, 2, &b) || !skipc(s, n, &j, sep) ||
		    !digits(s, n, &j, 4, 4, &y))
			return 0;
		/* '.' is day first; '/' is US unless the month cannot be. */
		if (sep == '.' || a > 12)
			t = a, a = b, b = t;
	}
	if (j < n && dig(s[j]))
		return 0;
	*day = day_of(st, y, a, b);
	*i = j;
	return *day != TIME_NONE;
}

/*
 * Reads a ctime date "Wed May 21 17:09:02[.fff] 1997" at s[*i].
 * Returns 0 when it is not one.
 */
static int
ctime_at(const char *s, size_t n, size_t *i, int64_t *ms)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	size_t j = *i;
	int64_t tod;
	int mo, d, y, k;

	if (j + 8 > n || s[j + 3] != ' ')
		return 0;
	j += 4;
	for (mo = 0; mo < 12; mo++)
		if (word(s + j, n - j, names + 3 * mo, 3))
			break;
	if (mo == 12 || j + 3 >= n || s[j + 3] != ' ')
		return 0;
	for (j += 3; j < n && s[j] == ' '; j++)
		;
	if (!digits(s, n, &j, 1, 2, &d) || !skipc(s, n, &j, ' ') ||
	    !tod_at(s, n, &j, &tod) || !skipc(s, n, &j, ' ') ||
	    !digits(s, n, &j, 4, 4, &y))
		return 0;
	for (k = 0; k < 3; k++)
		if (!kb_isalpha((unsigned char)s[*i + k]))
			return 0;
	if ((*ms = make_ms(y, mo + 1, d, 0, 0, 0, 0)) == TIME_NONE)
		return 0;
	*ms += tod;
	*i = j;
	return 1;
}

/* The value of the two digits at s (the caller checked them). */
static int
two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * The common case of date_at + tod_at, "YYYY-MM-DD HH:MM:SS" (or 'T')
 * at fixed places, read without the general scanners; the fraction and
 * what follows are left to tod_at's rules.  Returns 0 when the text is
 * not exactly that (the general path then decides).
 */
static int
iso_at(struct gen_state *st, const char *s, size_t n, size_t *i,
    int64_t *day, int64_t *tod)
{
	static const unsigned char at[] = { 0, 1, 2, 3, 5, 6, 8, 9, 11, 12,
	    14, 15, 17, 18 };
	const char *p = s + *i;
	size_t j, k = 0;
	unsigned bad = 0;
	int h, m, sec, frac = 0;

	if (n - *i < 19 || p[4] != '-' || p[7] != '-' || (p[10] != ' ' &&
	    p[10] != 'T') || p[13] != ':' || p[16] != ':')
		return 0;
	for (j = 0; j < sizeof(at); j++)
		bad |= (unsigned)((unsigned char)p[at[j]] - '0') > 9;
	if (bad)
		return 0;
	h = two(p + 11);
	m = two(p + 14);
	sec = two(p + 17);
	if (h > 23 || m > 59 || sec > 60 || (*day = day_of(st,
	    two(p) * 100 + two(p + 2), two(p + 5), two(p + 8))) == TIME_NONE)
		return 0;
	j = *i + 19;
	if (j + 1 < n && dig(s[j + 1]) && (s[j] == '.' || s[j] == ',' ||
	    (s[j] == ':' && three(s, n, j + 1))))
		for (j++; j < n && dig(s[j]); j++, k++)
			if (k < 3)
				frac = frac * 10 + (s[j] - '0');
	if (j < n && dig(s[j]))
		return 0;
	for (; k < 3; k++)
		frac *= 10;
	*tod = ((int64_t)h * 3600 + m * 60 + sec) * 1000 + frac;
	*i = j;
	return 1;
}

/* A full timestamp (date and time) at s[i]; fills t. */
static int
full_at(struct gen_state *st, const char *s, size_t n, size_t i,
    struct stamp *t)
{
	int64_t day, tod;
	size_t j = i;

	if (kb_isalpha((unsigned char)s[i])) {
		if (!ctime_at(s, n, &j, &t->ms))
			return 0;
		day = t->ms - (t->ms % DAY_MS + DAY_MS) % DAY_MS;
		tod = t->ms - day;
	} else if (iso_at(st, s, n, &j, &day, &tod)) {
		ampm(s, n, &j, &tod);
		t->ms = day + tod;
	} else {
		if (!date_at(st, s, n, &j, &day))
			return 0;
		if (j < n && s[j] == ',')
			j++;
		if (j >= n || (s[j] != 'T' && s[j] != ' ' && s[j] != '\t'))
			return 0;
		while (++j < n && (s[j] == ' ' || s[j] == '\t'))
			;
		if (!tod_at(s, n, &j, &tod))
			return 0;
		ampm(s, n, &j, &tod);
		t->ms = day + tod;
	}
	t->tz_min = st->env->tz_hint;
	t->utc = 0;
	zone(s, n, &j, t);
	t->end = j;
	t->lead = 1;
	st->last_day = day;
	st->last_tod = tod;
	return 1;
}

/*
 * A bracketed time of day "[H:MM:SS(.|:)fff]" in the first WINDOW
 * bytes; dated from the last full timestamp.
 */
static int
bracket_at(struct gen_state *st, const char *s, size_t n, struct stamp *t)
{
	const char *p = s;
	size_t w = n < WINDOW ? n : WINDOW, j;
	int64_t tod;

	while ((p = memchr(p, '[', w - (size_t)(p - s))) != NULL) {
		j = (size_t)(++p - s);
		if (j >= n || !dig(s[j]) || !tod_at(s, n, &j, &tod) ||
		    j >= n || s[j] != ']')
			continue;
		t->ms = TIME_NONE;
		t->tz_min = st->env->tz_hint;
		t->utc = 0;
		t->end = j + 1;
		t->lead = 0;
		if (st->last_day != TIME_NONE) {
			if (tod + ROLLOVER_MS < st->last_tod)
				st->last_day += DAY_MS;
			st->last_tod = tod;
			t->ms = st->last_day + tod;
		}
		return 1;
	}
	return 0;
}

/*
 * Until a full date is known, looks for one anywhere in the first
 * WINDOW * 2 bytes of a line that does not start a record (the MSI
 * header "=== Verbose logging started: 3/2/2015 16:04:27 ===") so that
 * later bracketed times get a date.
 */
static void
find_date(struct gen_state *st, const char *s, size_t n)
{
	struct stamp t;
	size_t i, w = n < 2 * WINDOW ? n : 2 * WINDOW;

	for (i = 1; i < w; i++)
		if (dig(s[i]) && !kb_isalnum((unsigned char)s[i - 1]) &&
		    full_at(st, s, n, i, &t))
			return;
}

/* Finds the timestamp that makes s[0..n) a record start; see the top. */
static int
detect(struct gen_state *st, const char *s, size_t n, struct stamp *t)
{
	size_t i;

	for (i = 0; i < n && i < PREFIX_MAX && !kb_isalnum((unsigned char)
	    s[i]) && (unsigned char)s[i] < 0x80; i++)
		;
	if (i < n && kb_isalnum((unsigned char)s[i]) && full_at(st, s, n, i,
	    t))
		return 1;
	return n > 0 && bracket_at(st, s, n, t);
}

/* Hands the pending record to env->emit. */
static void
gen_emit(struct gen_state *st)
{
	struct record r;

	if (!st->have)
		return;
	if (st->msg.data != NULL) {
		st->msg.len = st->keep_len;
		st->msg.data[st->msg.len] = '\0';
	}
	memset(&r, 0, sizeof(r));
	r.line = st->line;
	r.end_line = st->keep_line;
	r.offset = st->off;
	r.local_ms = st->local_ms;
	r.tz_min = st->local_ms == TIME_NONE ? TZ_UNKNOWN : st->tz_min;
	r.utc = st->utc;
	r.msg = st->msg.data ? st->msg.data : "";
	r.msg_len = st->msg.len;
	r.sev = log_sev_words(r.msg, r.msg_len);
	st->env->emit(st->env, &r);
	st->have = 0;
}

/* Starts a record at lineno with the message s[0..n). */
static void
gen_start(struct gen_state *st, const char *s, size_t n, long lineno,
    uint64_t off)
{
	st->have = 1;
	st->line = st->keep_line = lineno;
	st->nlines = 1;
	st->off = off;
	buf_reset(&st->msg);
	buf_put(&st->msg, s, n);
	st->keep_len = st->msg.len;
}

/* Whether c may separate a leading timestamp from the message. */
static int
after_stamp(char c)
{
	switch (c) {
	case ' ': case '\t': case ']': case ')': case '>': case '|':
	case ',': case ':': case ';':
		return 1;
	}
	return 0;
}

/* The message of a line whose timestamp t leads it: what follows the
 * stamp and its separator ("]", "|", ":", " - "). */
static size_t
msg_start(const char *s, size_t n, const struct stamp *t)
{
	size_t j = t->end;

	if (!t->lead)
		return 0;
	while (j < n && after_stamp(s[j]))
		j++;
	if (j < n && s[j] == '-' && (j + 1 >= n || sp(s[j + 1])))
		for (j++; j < n && sp(s[j]); j++)
			;
	return j;
}

/* A line without a timestamp: continues the pending record, or is a
 * record of its own before the first timestamp. */
static void
gen_more(struct gen_state *st, const char *s, size_t n, long lineno,
    uint64_t off)
{
	if (!st->have || !st->seen) {
		gen_emit(st);
		if (blank(s, n))
			return;
		st->local_ms = TIME_NONE;
		st->utc = 0;
		gen_start(st, s, n, lineno, off);
		return;
	}
	if (st->msg.len + n > REC_MAX_BYTES || st->nlines >= REC_MAX_LINES) {
		gen_emit(st);
		gen_start(st, s, n, lineno, off);
		if (blank(s, n))
			st->keep_len = 0;
		return;
	}
	buf_putc(&st->msg, '\n');
	buf_put(&st->msg, s, n);
	st->nlines++;
	if (!blank(s, n)) {
		st->keep_len = st->msg.len;
		st->keep_line = lineno;
	}
}

/* LINE mode: one physical line; see the top of the file. */
static void
gen_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct gen_state *st = arg;
	struct stamp t;
	size_t m;

	if (++st->lines == 1 && n > 0 && s[0] == '?')
		s++, n--;
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3, n -= 3;
	if (!detect(st, s, n, &t)) {
		if (st->last_day == TIME_NONE)
			find_date(st, s, n);
		gen_more(st, s, n, lineno, off);
		return;
	}
	gen_emit(st);
	st->seen = 1;
	st->local_ms = t.ms;
	st->tz_min = t.tz_min;
	st->utc = t.utc;
	m = msg_start(s, n, &t);
	gen_start(st, s + m, n - m, lineno, off);
}

/* Returns the parser state for one file; gen_finish frees it. */
static void *
gen_open(struct log_env *env)
{
	struct gen_state *st = xcalloc(1, sizeof(*st));

	st->env = env;
	st->last_day = TIME_NONE;
	st->dc_y = -1;
	return st;
}

/* Emits the pending record and frees st. */
static void
gen_finish(void *arg)
{
	struct gen_state *st = arg;

	gen_emit(st);
	buf_free(&st->msg);
	free(st);
}

/* The fallback: a low constant, so any parser that recognises the
 * content wins. */
static int
gen_sniff(const char *name, const char *head, size_t n)
{
	return 5;
}

const struct log_parser log_generic_parser = {
	.format = LOG_GENERIC,
	.name = "generic",
	.open = gen_open,
	.line = gen_line,
	.finish = gen_finish,
	.sniff = gen_sniff,
};
