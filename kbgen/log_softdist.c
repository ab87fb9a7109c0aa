/*
 * log_softdist.c -- the WSUS server's SoftwareDistribution.log
 * (LOG_SOFTDIST, %ProgramFiles%\Update Services\LogFiles\):
 *
 *	2020-05-22 14:44:14.282 UTC<TAB>Error<TAB>WsusService.9<TAB>
 *	    HmtWebServices.CheckReportingWebService<TAB>Reporting ...
 *
 * Times are UTC (utc = 1, tz_min = 0).  A record starts only at a line
 * that begins with "YYYY-MM-DD HH:MM:SS.fff UTC"; every other line (the
 * "   at ..." lines of a stack trace, blank lines between them) continues
 * the record before it, newlines kept, trailing blank lines dropped.
 * Fields: the level (Info, Warning, Error; Change, an audit of an admin
 * change, counts as info), Process.Tid (record thread, as written:
 * "WsusService.9"), Class.Method (record component) and the message.
 * Pasted copies lose their tabs: then fields are split on runs of
 * spaces, and a level glued to the process ("Changew3wp.6AdminData...",
 * seen in Microsoft's docs) is pulled apart when the rest looks like
 * "name.digits".  When the level is not one of the four, everything
 * after "UTC" is the message.
 *
 * Lines before the first timestamp (a file cut by a copy, a doc excerpt
 * with "<Date> <Time>" placeholders) form one record without time, with
 * one warning.  A record is cut at REC_MAX_BYTES / REC_MAX_LINES; the
 * rest goes on in a new record with the same time and fields.
 */
/* memmem(3) is in glibc's <string.h> only with _GNU_SOURCE. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"

extern const struct log_parser log_softdist_parser;

#define REC_MAX_BYTES	(64u * 1024)
#define REC_MAX_LINES	1000

/* The state of one file: the pending record. */
struct sd_state {
	struct log_env	*env;
	int		 have;		/* a record is pending */
	int		 stamped;	/* it has a time */
	struct buf	 msg, comp, thread;
	long		 line, nlines;
	/* The message up to its last non-blank line, and that line. */
	size_t		 keep_len;
	long		 keep_line;
	uint64_t	 off;
	int64_t		 local_ms;
	enum log_sev	 sev;
	long		 lines;		/* physical lines seen */
	int		 warned_head;
	char		 day_key[10];	/* the last date, "YYYY-MM-DD" */
	int64_t		 day_ms;	/* and its midnight */
};

/* The levels and their severities. */
static const struct {
	const char	*name;
	size_t		 len;
	enum log_sev	 sev;
} levels[] = {
	{ "Info", 4, SEV_INFO },
	{ "Warning", 7, SEV_WARNING },
	{ "Error", 5, SEV_ERROR },
	{ "Change", 6, SEV_INFO },
};
#define NLEVELS	(sizeof(levels) / sizeof(levels[0]))

/* Whether c is ASCII white space (char may be signed). */
static int
sp(char c)
{
	return kb_isspace((unsigned char)c);
}

/* Whether s[0..n) is only white space. */
static int
blank(const char *s, size_t n)
{
	while (n > 0 && sp(*s))
		s++, n--;
	return n == 0;
}

/* The value of n digits at s (the caller checked they are digits). */
static int
num(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/*
 * Whether s[0..n) begins with "YYYY-MM-DD HH:MM:SS.f UTC" (1 to 7
 * fractional digits) followed by white space or the end.  Sets *ms and
 * *end (the index after "UTC").  st (NULL when sniffing) remembers the
 * last date, which the next lines nearly always share.
 */
static int
stamp(struct sd_state *st, const char *s, size_t n, int64_t *ms,
    size_t *end)
{
	static const char pat[] = "dddd-dd-dd dd:dd:dd.";
	size_t i, f;
	int64_t day;
	int frac = 0, h, mi, sec;

	if (n < sizeof(pat) - 1 + 5)
		return 0;
	for (i = 0; i < sizeof(pat) - 1; i++)
		if (pat[i] == 'd' ? !kb_isdigit((unsigned char)s[i]) :
		    s[i] != pat[i])
			return 0;
	for (f = 0; i < n && f < 7 && kb_isdigit((unsigned char)s[i]); i++)
		if (f++ < 3)
			frac = frac * 10 + (s[i] - '0');
	if (f == 0 || i + 4 > n || memcmp(s + i, " UTC", 4) != 0 ||
	    (i + 4 < n && !sp(s[i + 4])))
		return 0;
	for (; f < 3; f++)
		frac *= 10;
	h = num(s + 11, 2);
	mi = num(s + 14, 2);
	sec = num(s + 17, 2);
	if (h > 23 || mi > 59 || sec > 60)
		return 0;
	if (st != NULL && memcmp(s, st->day_key, 10) == 0)
		day = st->day_ms;
	else if ((day = make_ms(num(s, 4), num(s + 5, 2), num(s + 8, 2), 0,
	    0, 0, 0)) == TIME_NONE)
		return 0;
	else if (st != NULL) {
		memcpy(st->day_key, s, 10);
		st->day_ms = day;
	}
	*ms = day + (((int64_t)h * 60 + mi) * 60 + sec) * 1000 + frac;
	*end = i + 4;
	return 1;
}

/* The level named s[0..n) exactly (any case), or -1. */
static int
level(const char *s, size_t n)
{
	size_t k;

	for (k = 0; k < NLEVELS; k++)
		if (n == levels[k].len && kb_strncasecmp(s, levels[k].name,
		    n) == 0)
			return (int)k;
	return -1;
}

/* Sets a field buffer to s[0..n) with white space trimmed. */
static void
put_field(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	buf_put(b, s, n);
	buf_trim(b);
}

/* Tab-separated fields at s[i..n) (i after the tab that ends "UTC"). */
static void
sd_tabs(struct sd_state *st, const char *s, size_t n, size_t i)
{
	const char *f[3], *q;
	size_t fl[3];
	int k;

	for (k = 0; k < 3; k++) {
		q = memchr(s + i, '\t', n - i);
		f[k] = s + i;
		fl[k] = q ? (size_t)(q - f[k]) : n - i;
		i = q ? (size_t)(q - s) + 1 : n;
	}
	while (fl[0] > 0 && sp(f[0][fl[0] - 1]))
		fl[0]--;
	k = level(f[0], fl[0]);
	st->sev = k < 0 ? SEV_NONE : levels[k].sev;
	put_field(&st->thread, f[1], fl[1]);
	put_field(&st->comp, f[2], fl[2]);
	put_field(&st->msg, s + i, n - i);
}

/*
 * The end of a "name.digits" process token at s[i..n) (the digits may
 * run straight into the next field), or i when there is none.
 */
static size_t
proc_end(const char *s, size_t n, size_t i)
{
	size_t j = i, d;

	while (j < n && (kb_isalnum((unsigned char)s[j]) || s[j] == '_'))
		j++;
	if (j == i || j >= n || s[j] != '.')
		return i;
	for (d = ++j; j < n && kb_isdigit((unsigned char)s[j]); j++)
		;
	return j > d ? j : i;
}

/* The level at s[i..n) of a pasted line, separate or glued to the
 * process; sets *next to what follows it.  Returns its index or -1. */
static int
space_level(const char *s, size_t n, size_t i, size_t *next)
{
	size_t j, k;
	int lv;

	for (j = i; j < n && !sp(s[j]); j++)
		;
	if ((lv = level(s + i, j - i)) >= 0) {
		*next = j;
		return lv;
	}
	for (k = 0; k < NLEVELS; k++)
		if (j - i > levels[k].len && memcmp(s + i, levels[k].name,
		    levels[k].len) == 0 && proc_end(s, n, i +
		    levels[k].len) > i + levels[k].len) {
			*next = i + levels[k].len;
			return (int)k;
		}
	return -1;
}

/* Fields separated by runs of white space at s[i..n) (pasted copies). */
static void
sd_spaces(struct sd_state *st, const char *s, size_t n, size_t i)
{
	size_t j, p;
	int k;

	while (i < n && sp(s[i]))
		i++;
	if ((k = space_level(s, n, i, &j)) < 0) {
		st->sev = SEV_NONE;
		buf_reset(&st->thread);
		buf_reset(&st->comp);
		put_field(&st->msg, s + i, n - i);
		return;
	}
	st->sev = levels[k].sev;
	while (j < n && sp(s[j]))
		j++;
	if ((p = proc_end(s, n, j)) == j)
		for (p = j; p < n && !sp(s[p]); p++)
			;
	put_field(&st->thread, s + j, p - j);
	while (p < n && sp(s[p]))
		p++;
	for (j = p; j < n && !sp(s[j]); j++)
		;
	put_field(&st->comp, s + p, j - p);
	put_field(&st->msg, s + j, n - j);
}

/* Hands the pending record to env->emit; keep says whether its time and
 * fields stay for a continuation record. */
static void
sd_emit(struct sd_state *st, int keep)
{
	struct record r;

	if (!st->have)
		return;
	memset(&r, 0, sizeof(r));
	r.line = st->line;
	r.end_line = st->keep_line;
	r.offset = st->off;
	r.local_ms = st->stamped ? st->local_ms : TIME_NONE;
	r.tz_min = st->stamped ? 0 : TZ_UNKNOWN;
	r.utc = st->stamped;
	r.sev = st->sev;
	r.component = st->comp.len ? st->comp.data : NULL;
	r.thread = st->thread.len ? st->thread.data : NULL;
	if (st->msg.data != NULL) {
		st->msg.len = st->keep_len;
		st->msg.data[st->msg.len] = '\0';
	}
	r.msg = st->msg.data ? st->msg.data : "";
	r.msg_len = st->msg.len;
	st->env->emit(st->env, &r);
	st->have = 0;
	buf_reset(&st->msg);
	if (!keep) {
		buf_reset(&st->comp);
		buf_reset(&st->thread);
	}
}

/* Starts a record at line lineno; its message is set by the caller. */
static void
sd_start(struct sd_state *st, long lineno, uint64_t off)
{
	st->have = 1;
	st->line = st->keep_line = lineno;
	st->keep_len = 0;
	st->nlines = 1;
	st->off = off;
	buf_reset(&st->msg);
}

/* A line that is not a record start: it continues the pending record. */
static void
sd_more(struct sd_state *st, const char *s, size_t n, long lineno,
    uint64_t off)
{
	if (!st->have) {
		if (blank(s, n))
			return;
		if (!st->warned_head++ && st->env->diag != NULL)
			st->env->diag(st->env, DIAG_WARNING, lineno,
			    "text before the first timestamp: kept without "
			    "time");
		st->stamped = 0;
		st->sev = SEV_NONE;
		buf_reset(&st->comp);
		buf_reset(&st->thread);
		sd_start(st, lineno, off);
	} else if (st->msg.len + n > REC_MAX_BYTES ||
	    st->nlines >= REC_MAX_LINES) {
		sd_emit(st, 1);
		sd_start(st, lineno, off);
	} else {
		buf_putc(&st->msg, '\n');
		st->nlines++;
	}
	buf_put(&st->msg, s, n);
	if (!blank(s, n)) {
		st->keep_len = st->msg.len;
		st->keep_line = lineno;
	}
}

/* LINE mode: one physical line; see the top of the file. */
static void
sd_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct sd_state *st = arg;
	int64_t ms;
	size_t i;

	if (++st->lines == 1 && n > 0 && s[0] == '?')
		s++, n--;
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3, n -= 3;
	if (n == 0 || !kb_isdigit((unsigned char)s[0]) ||
	    !stamp(st, s, n, &ms, &i)) {
		sd_more(st, s, n, lineno, off);
		return;
	}
	sd_emit(st, 0);
	sd_start(st, lineno, off);
	st->stamped = 1;
	st->local_ms = ms;
	if (i < n && s[i] == '\t')
		sd_tabs(st, s, n, i + 1);
	else
		sd_spaces(st, s, n, i);
	st->keep_len = st->msg.len;
}

/* Returns the parser state for one file; sd_finish frees it. */
static void *
sd_open(struct log_env *env)
{
	struct sd_state *st = xcalloc(1, sizeof(*st));

	st->env = env;
	return st;
}

/* Emits the pending record and frees st. */
static void
sd_finish(void *arg)
{
	struct sd_state *st = arg;

	sd_emit(st, 0);
	buf_free(&st->msg);
	buf_free(&st->comp);
	buf_free(&st->thread);
	free(st);
}

/*
 * Whether the line s[0..n) has the fields without the timestamp: a level
 * word, blanks, then a WSUS process token ("Error WsusService.25 ",
 * "Change w3wp.58 "), as Microsoft's excerpts with "<Date> <Time>"
 * placeholders do.
 */
static int
fields_only(const char *s, size_t n)
{
	static const char *const procs[] = { "WsusService.", "w3wp." };
	const char *p, *end = s + n;
	size_t k, j, b;

	for (k = 0; k < sizeof(procs) / sizeof(procs[0]); k++)
		for (p = s; (p = memmem(p, (size_t)(end - p), procs[k],
		    strlen(procs[k]))) != NULL; p++) {
			j = (size_t)(p - s);
			if (proc_end(s, n, j) == j || j == 0 || !sp(s[j - 1]))
				continue;
			while (j > 0 && sp(s[j - 1]))
				j--;
			for (b = j; b > 0 && !sp(s[b - 1]); b--)
				;
			if (level(s + b, j - b) >= 0)
				return 1;
		}
	return 0;
}

/*
 * Content decides: a line starting with the "... UTC" timestamp is
 * nearly certain (90); without one, lines with the level and process
 * fields still make it likely (60).  The file name
 * (SoftwareDistribution*.log) only breaks ties.
 */
static int
sd_sniff(const char *name, const char *head, size_t n)
{
	const char *p = head, *end = head + n, *nl;
	int64_t ms;
	size_t i;
	int score = 0;

	for (; p < end && score < 90; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3;
		if (stamp(NULL, p, (size_t)(nl - p), &ms, &i))
			score = 90;
		else if (score == 0 && fields_only(p, (size_t)(nl - p)))
			score = 60;
	}
	if (score > 0 && name != NULL) {
		for (i = 0; name[i] != '\0'; i++)
			if (kb_strncasecmp(name + i, "softwaredistribution",
			    20) == 0)
				return score + 3;
	}
	return score;
}

const struct log_parser log_softdist_parser = {
	.format = LOG_SOFTDIST,
	.name = "softdist",
	.open = sd_open,
	.line = sd_line,
	.finish = sd_finish,
	.sniff = sd_sniff,
};
