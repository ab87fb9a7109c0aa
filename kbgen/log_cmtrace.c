/*
 * log_cmtrace.c -- CMTrace/CCM logs (LOG_CMTRACE): the ConfigMgr client
 * and management point logs (WUAHandler, UpdatesDeployment, ...):
 *
 *	<![LOG[msg]LOG]!><time="08:53:25.263+240" date="07-14-2021"
 *	    component="WUAHandler" context="" type="1" thread="10444"
 *	    file="sourcemanager.cpp:1461">
 *
 * The writer puts the message first and the attributes last, so the
 * message is kept in a buffer until the first "]LOG]!><" closes it; a
 * message may span lines (its newlines are kept).  Attributes are read by
 * name, in any order.  What becomes of damaged input (never dropped):
 *
 *  - text before the first "<![LOG[" that is closed by "]LOG]!><attrs>"
 *    is the tail of a record cut by rotation: it is emitted with its
 *    attributes (so with its time), and reported once as a warning;
 *  - other text outside every record (junk, a tail whose attributes are
 *    lost too) is emitted as a record without time, with one warning;
 *  - a record still open at the end of the file (truncated), or when a
 *    physical line starts with "<![LOG[" inside a message (a writer that
 *    died mid-record, concatenated files), is emitted without time,
 *    with a warning: its attributes never came;
 *  - a message that grows past MSG_MAX_BYTES / MSG_MAX_LINES is cut
 *    there the same way, and what follows is treated as a headless tail.
 *
 * Time: "H:MM:SS.fff" (3 or 7 fractional digits) plus an optional bias
 * in minutes, as in TIME_ZONE_INFORMATION.Bias: UTC = local + bias, so
 * tz_min = -bias ("+240" is UTC-4).  Without a bias the zone is unknown
 * (env->tz_hint when another file told it).  The first bias of the file
 * goes to env->tz_found.  Dates are M-D-YYYY, padded or not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"

extern const struct log_parser log_cmtrace_parser;

static const char	 OPEN[] = "<![LOG[";
static const char	 CLOSE[] = "]LOG]!><";
#define OPEN_LEN	(sizeof(OPEN) - 1)
#define CLOSE_LEN	(sizeof(CLOSE) - 1)

/* A message that never closes is cut here, so memory stays bounded. */
#define MSG_MAX_BYTES	(4u << 20)
#define MSG_MAX_LINES	20000

/* Largest bias accepted; real ones lie in -840..+720. */
#define BIAS_MAX	1440

enum cm_where {
	CM_OUT,		/* between records: text here is stray or a tail */
	CM_MSG		/* inside a message opened by <![LOG[ */
};

/* What the attributes of one record said. */
struct cm_attrs {
	int64_t		 local_ms;
	int32_t		 tz_min;
	enum log_sev	 sev;
};

/* The state of one file. */
struct cm_state {
	struct log_env	*env;
	enum cm_where	 where;
	/* The pending text (message or stray text); nlines 0 when none. */
	struct buf	 msg;
	long		 line, end_line, nlines;
	uint64_t	 off;
	struct buf	 comp, thread;
	/* The last date attribute and its day: consecutive records share
	 * it, so the calendar arithmetic runs once a day. */
	char		 date_key[16];
	size_t		 date_len;
	int64_t		 date_day;
	long		 records;	/* records emitted with attributes */
	int		 tz_seen;
	int		 warned_tail, warned_stray, warned_trunc;
};

/*
 * The first occurrence of the needle in s[0..n), or NULL.  Both needles
 * start with a byte that messages seldom hold (']' or '<'), so memchr
 * for it and a compare beat a general memmem.
 */
static const char *
find(const char *s, size_t n, const char *needle, size_t nlen)
{
	const char *p, *end = s + n;

	while (n >= nlen && (p = memchr(s, needle[0], n - nlen + 1)) != NULL) {
		if (memcmp(p, needle, nlen) == 0)
			return p;
		s = p + 1;
		n = (size_t)(end - s);
	}
	return NULL;
}

/* Whether s[0..n) is only white space. */
static int
blank(const char *s, size_t n)
{
	while (n > 0 && kb_isspace((unsigned char)*s))
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

	while (j < n && k < max && kb_isdigit((unsigned char)s[j])) {
		v = v * 10 + (s[j++] - '0');
		k++;
	}
	if (k < min)
		return 0;
	*i = j;
	*out = v;
	return 1;
}

/*
 * Parses a time attribute "H:MM:SS[.f...][+-bias]".  Sets *ms_of_day
 * and, when a bias is written, *bias and returns 2; returns 1 without a
 * bias and 0 when the value is not a time.
 */
static int
parse_time(const char *v, size_t n, int64_t *ms_of_day, int *bias)
{
	size_t i = 0;
	int h, m, s, frac = 0, k = 0, neg, b;

	if (!digits(v, n, &i, 1, 2, &h) || i >= n || v[i++] != ':' ||
	    !digits(v, n, &i, 2, 2, &m) || i >= n || v[i++] != ':' ||
	    !digits(v, n, &i, 2, 2, &s) || h > 23 || m > 59 || s > 60)
		return 0;
	if (i < n && v[i] == '.') {
		/* Milliseconds are the first three digits; the rest is finer. */
		for (i++; i < n && kb_isdigit((unsigned char)v[i]); i++, k++)
			if (k < 3)
				frac = frac * 10 + (v[i] - '0');
		for (; k < 3; k++)
			frac *= 10;
	}
	*ms_of_day = ((int64_t)h * 3600 + m * 60 + s) * 1000 + frac;
	if (i >= n || (v[i] != '+' && v[i] != '-'))
		return 1;
	neg = v[i++] == '-';
	if (!digits(v, n, &i, 1, 4, &b) || b > BIAS_MAX)
		return 1;
	*bias = neg ? -b : b;
	return 2;
}

/* Steps over a date separator ('-' or '/') at v[*i]; returns 0 if none. */
static int
datesep(const char *v, size_t n, size_t *i)
{
	if (*i >= n || (v[*i] != '-' && v[*i] != '/'))
		return 0;
	(*i)++;
	return 1;
}

/*
 * Parses a date attribute "M-D-YYYY" (padded or not; '/' also works)
 * into *ms, the start of that day.  Returns 0 when it is not a date.
 */
static int
parse_date(const char *v, size_t n, int64_t *ms)
{
	size_t i = 0;
	int y, mo, d;

	if (!digits(v, n, &i, 1, 2, &mo) || !datesep(v, n, &i) ||
	    !digits(v, n, &i, 1, 2, &d) || !datesep(v, n, &i) ||
	    !digits(v, n, &i, 4, 4, &y))
		return 0;
	*ms = make_ms(y, mo, d, 0, 0, 0, 0);
	return *ms != TIME_NONE;
}

/*
 * Appends text from physical line lineno to the pending text, joining
 * lines with '\n'; the first piece fixes where the pending text starts.
 */
static void
cm_add(struct cm_state *st, const char *s, size_t n, long lineno,
    uint64_t off)
{
	if (st->nlines == 0) {
		buf_reset(&st->msg);
		st->line = st->end_line = lineno;
		st->off = off;
		st->nlines = 1;
	} else if (lineno != st->end_line) {
		buf_putc(&st->msg, '\n');
		st->end_line = lineno;
		st->nlines++;
	}
	buf_put(&st->msg, s, n);
}

/* Hands the pending text to env->emit with the attributes a (or none)
 * and forgets it. */
static void
cm_emit(struct cm_state *st, const struct cm_attrs *a)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.line = st->line;
	r.end_line = st->end_line;
	r.offset = st->off;
	r.local_ms = a ? a->local_ms : TIME_NONE;
	r.tz_min = a ? a->tz_min : TZ_UNKNOWN;
	r.sev = a ? a->sev : SEV_NONE;
	r.component = a && st->comp.len ? st->comp.data : NULL;
	r.thread = a && st->thread.len ? st->thread.data : NULL;
	r.msg = st->msg.data ? st->msg.data : "";
	r.msg_len = st->msg.len;
	st->env->emit(st->env, &r);
	if (a)
		st->records++;
	st->nlines = 0;
	buf_reset(&st->msg);
	buf_reset(&st->comp);
	buf_reset(&st->thread);
}

/* Reports through env->diag when the caller gave one. */
#define CM_WARN(st, line, ...) do {					\
	if ((st)->env->diag != NULL)					\
		(st)->env->diag((st)->env, DIAG_WARNING, (line),	\
		    __VA_ARGS__);					\
} while (0)

/* Emits the pending stray text as a record without time; warns once. */
static void
cm_stray(struct cm_state *st)
{
	if (st->nlines == 0)
		return;
	if (!st->warned_stray++)
		CM_WARN(st, st->line, "text outside any <![LOG[ record");
	cm_emit(st, NULL);
}

/* Emits the open message, whose attributes never came, without time. */
static void
cm_truncated(struct cm_state *st, const char *why)
{
	if (!st->warned_trunc++)
		CM_WARN(st, st->line, "record %s: kept without time", why);
	cm_emit(st, NULL);
	st->where = CM_OUT;
}

/* Stores the value of one attribute the record needs. */
static void
cm_attr(struct cm_state *st, const char *k, size_t kl, const char *v,
    size_t vl, int64_t *tod, int64_t *day, int *bias, int *has_bias)
{
	if (kl == 4 && memcmp(k, "time", 4) == 0) {
		/* A repeated attribute replaces the first one entirely. */
		switch (parse_time(v, vl, tod, bias)) {
		case 0:
			*tod = TIME_NONE;
			*has_bias = 0;
			break;
		case 1:
			*has_bias = 0;
			break;
		default:
			*has_bias = 1;
			break;
		}
	} else if (kl == 4 && memcmp(k, "date", 4) == 0) {
		if (vl > 0 && vl == st->date_len &&
		    memcmp(v, st->date_key, vl) == 0)
			*day = st->date_day;
		else if (!parse_date(v, vl, day))
			*day = TIME_NONE;
		else if (vl <= sizeof(st->date_key)) {
			memcpy(st->date_key, v, vl);
			st->date_len = vl;
			st->date_day = *day;
		}
	} else if (kl == 9 && memcmp(k, "component", 9) == 0) {
		buf_reset(&st->comp);
		buf_put(&st->comp, v, vl);
	} else if (kl == 6 && memcmp(k, "thread", 6) == 0) {
		buf_reset(&st->thread);
		buf_put(&st->thread, v, vl);
	}
}

/* The severity of a type="N" attribute: 0 and 1 info, 2 warning, 3 error. */
static enum log_sev
cm_type(const char *v, size_t n)
{
	if (n != 1)
		return SEV_NONE;
	switch (v[0]) {
	case '0':
	case '1':
		return SEV_INFO;
	case '2':
		return SEV_WARNING;
	case '3':
		return SEV_ERROR;
	}
	return SEV_NONE;
}

/*
 * Parses name="value" attributes at s[i..n) up to and including the
 * closing '>' (or the end of the line, for a truncated header) into a
 * and st->comp/thread.  Returns the index after what it read.
 */
static size_t
cm_attrs(struct cm_state *st, const char *s, size_t n, size_t i,
    struct cm_attrs *a)
{
	int64_t tod = TIME_NONE, day = TIME_NONE;
	int bias = 0, has_bias = 0;
	size_t k, kl, v, vl;

	a->sev = SEV_NONE;
	while (i < n && s[i] != '>') {
		if (kb_isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (k = i; i < n && (kb_isalnum((unsigned char)s[i]) ||
		    s[i] == '_' || s[i] == '-'); i++)
			;
		kl = i - k;
		if (kl == 0 || i >= n || s[i] != '=') {
			i += kl == 0;	/* junk: step over it */
			continue;
		}
		if (++i < n && s[i] == '"') {
			/* Values are short: a plain loop beats memchr here. */
			for (v = ++i; i < n && s[i] != '"'; i++)
				;
			vl = i - v;
			i += i < n;
		} else {
			for (v = i; i < n && s[i] != '>' &&
			    !kb_isspace((unsigned char)s[i]); i++)
				;
			vl = i - v;
		}
		if (kl == 4 && memcmp(s + k, "type", 4) == 0)
			a->sev = cm_type(s + v, vl);
		else
			cm_attr(st, s + k, kl, s + v, vl, &tod, &day, &bias,
			    &has_bias);
	}
	a->local_ms = tod != TIME_NONE && day != TIME_NONE ? day + tod :
	    TIME_NONE;
	a->tz_min = st->env->tz_hint;
	if (has_bias) {
		a->tz_min = -bias;
		if (!st->tz_seen++)
			st->env->tz_found = -bias;
	}
	return i < n ? i + 1 : n;
}

/*
 * Inside a message: looks for its end in s[*pos..n).  Returns 1 when the
 * line is used up, 0 when the caller must go on at *pos.
 */
static int
cm_in_msg(struct cm_state *st, const char *s, size_t n, size_t *pos,
    long lineno, uint64_t off)
{
	struct cm_attrs a;
	const char *p;

	/* The open message started on an earlier line; a new record at
	 * the start of this one means it will never be closed. */
	if (*pos == 0 && n >= OPEN_LEN && memcmp(s, OPEN, OPEN_LEN) == 0) {
		cm_truncated(st, "cut short by the next one");
		return 0;
	}
	p = find(s + *pos, n - *pos, CLOSE, CLOSE_LEN);
	if (p == NULL) {
		cm_add(st, s + *pos, n - *pos, lineno, off);
		if (st->msg.len > MSG_MAX_BYTES || st->nlines > MSG_MAX_LINES)
			cm_truncated(st, "too long");
		return 1;
	}
	cm_add(st, s + *pos, (size_t)(p - s) - *pos, lineno, off);
	*pos = cm_attrs(st, s, n, (size_t)(p - s) + CLOSE_LEN, &a);
	cm_emit(st, &a);
	st->where = CM_OUT;
	return *pos >= n;
}

/* Emits the pending headless tail that "]LOG]!><" at s[c] closes. */
static size_t
cm_tail(struct cm_state *st, const char *s, size_t n, size_t pos, size_t c,
    long lineno, uint64_t off)
{
	struct cm_attrs a;

	cm_add(st, s + pos, c - pos, lineno, off);
	if (!st->warned_tail++)
		CM_WARN(st, st->line, st->records == 0 ?
		    "file begins inside a record (rotated log?)" :
		    "record without its <![LOG[ start");
	pos = cm_attrs(st, s, n, c + CLOSE_LEN, &a);
	cm_emit(st, &a);
	return pos;
}

/*
 * Between records: looks for the next "<![LOG[" in s[*pos..n), keeping
 * text before it as stray, or for a "]LOG]!><" that closes a headless
 * tail.  *next_open caches where the next "<![LOG[" of this line is (n
 * when there is none, SIZE_MAX when not known yet), so a line of many
 * tails is still scanned once.
 * Returns 1 when the line is used up.
 */
static int
cm_outside(struct cm_state *st, const char *s, size_t n, size_t *pos,
    size_t *next_open, long lineno, uint64_t off)
{
	const char *rest = s + *pos, *c;
	size_t len = n - *pos, o;

	if (*next_open == SIZE_MAX || *next_open < *pos) {
		c = find(rest, len, OPEN, OPEN_LEN);
		*next_open = c ? (size_t)(c - s) : n;
	}
	o = *next_open;
	/* A tail closes before the next record starts: keep it. */
	if (o > *pos) {
		c = find(rest, o - *pos, CLOSE, CLOSE_LEN);
		if (c != NULL) {
			*pos = cm_tail(st, s, n, *pos, (size_t)(c - s), lineno,
			    off);
			return *pos >= n;
		}
	}
	if (o == n) {
		if (st->nlines > 0 || !blank(rest, len))
			cm_add(st, rest, len, lineno, off);
		if (st->msg.len > MSG_MAX_BYTES || st->nlines > MSG_MAX_LINES)
			cm_stray(st);
		return 1;
	}
	if (!blank(rest, o - *pos))
		cm_add(st, rest, o - *pos, lineno, off);
	cm_stray(st);
	cm_add(st, "", 0, lineno, off);
	st->where = CM_MSG;
	*pos = o + OPEN_LEN;
	return 0;
}

/* LINE mode: one physical line; see the top of the file. */
static void
cm_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct cm_state *st = arg;
	size_t pos = 0, next_open = SIZE_MAX;
	int done;

	/* The common case, a line that starts a record, needs no search. */
	if (n >= OPEN_LEN && memcmp(s, OPEN, OPEN_LEN) == 0)
		next_open = 0;
	do {
		if (st->where == CM_MSG)
			done = cm_in_msg(st, s, n, &pos, lineno, off);
		else
			done = cm_outside(st, s, n, &pos, &next_open, lineno,
			    off);
	} while (!done);
}

/* Returns the parser state for one file; cm_finish frees it. */
static void *
cm_open(struct log_env *env)
{
	struct cm_state *st = xcalloc(1, sizeof(*st));

	st->env = env;
	st->where = CM_OUT;
	return st;
}

/* Flushes what is pending (a truncated record, stray text), frees st. */
static void
cm_finish(void *arg)
{
	struct cm_state *st = arg;

	if (st->where == CM_MSG)
		cm_truncated(st, "truncated at the end of the file");
	else
		cm_stray(st);
	buf_free(&st->msg);
	buf_free(&st->comp);
	buf_free(&st->thread);
	free(st);
}

/*
 * Content decides: "<![LOG[" with its closing "]LOG]!><" is certain,
 * either alone is likely (a huge first record, a rotated head).  The
 * name (.log, .lo_) only breaks ties between equal content scores.
 */
static int
cm_sniff(const char *name, const char *head, size_t n)
{
	int open = find(head, n, OPEN, OPEN_LEN) != NULL;
	int close = find(head, n, CLOSE, CLOSE_LEN) != NULL;
	int score;

	if (open && close)
		score = 95;
	else if (open)
		score = 80;
	else if (close)
		score = 60;
	else
		return 0;
	if (name != NULL && (str_ends_ci(name, ".log") ||
	    str_ends_ci(name, ".lo_")))
		score += 2;
	return score;
}

const struct log_parser log_cmtrace_parser = {
	.format = LOG_CMTRACE,
	.name = "cmtrace",
	.open = cm_open,
	.line = cm_line,
	.finish = cm_finish,
	.sniff = cm_sniff,
};
