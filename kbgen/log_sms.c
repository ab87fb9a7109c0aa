/*
 * log_sms.c -- legacy SMS trace logs (LOG_SMS): the site server and
 * software update point logs (wsyncmgr.log, WCM.log, WSUSCtrl.log,
 * SMSProv.log) and the STATMSG lines they embed:
 *
 *	Timed Out...~  $$<SMS_WSUS_CONFIGURATION_MANAGER><02-16-2020
 *	    01:02:09.094+480><thread=6080 (0x17C0)>
 *
 * One physical line is one record; the message is what precedes the last
 * "$$<", and the suffix is a series of <...> groups: the component (may
 * hold spaces), the time, the thread.  What else is understood:
 *
 *  - "~" stands for a line break inside the message ("~~" for CRLF) and
 *    becomes '\n'; a "~" before a digit is kept, because it is an 8.3
 *    short name (C:\PROGRA~1).  The message is trimmed at both ends.
 *  - Time "MM-DD-YYYY HH:MM:SS.mmm+bias" with the CMTrace bias (UTC =
 *    local + bias, tz_min = -bias; the first one goes to env->tz_found),
 *    or the SMS 1.x/2.0 forms "Wed May 21 17:09:02 1997~" and "Fri Mar
 *    26 10:43:41.547 1999 Eastern Standard Time": local time, zone
 *    unknown (env->tz_hint), the zone name is not interpreted.
 *  - A suffix wrapped onto the next lines (old KB articles) continues
 *    there while those lines start with '<'.  A line without any suffix
 *    is held: when the next line's suffix has an empty message, the held
 *    line is that message (SMS 1.x wrapping); otherwise it becomes a
 *    record of its own, without time.
 *  - A '?' at the start of the first line (a BOM mangled by a paste) is
 *    dropped.
 *  - STATMSG: ID=... lines, with or without the suffix, give kv
 *    statmsg_id, statmsg_sev, comp, sys, site and istr0..istr9 (non-empty
 *    values only; ISTR values are quoted and may hold spaces).  Their
 *    severity is SEV (E error, W warning, I info); a bare STATMSG line
 *    takes its time from GMTDATE, which is UTC.
 *  - The Microsoft docs rendering "message   SMS_WSUS_SYNC_MANAGER"
 *    (CMTrace's columns pasted) gives the component, no time.
 *
 * Severity of the other lines, a deliberately small rule: "error",
 * "fail", "fatal" or "exception" anywhere (any case) make an error
 * ("Sync failed:", "System.Net.WebException"), else "warn" a warning,
 * else info.
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

extern const struct log_parser log_sms_parser;

/* statmsg_id, statmsg_sev, comp, sys, site, istr0..istr9. */
#define NKV		15
#define BIAS_MAX	1440

/* The record being built. */
struct sms_rec {
	struct buf	 msg, comp, thread;
	struct buf	 kvtext;	/* kv values, each NUL-terminated */
	const char	*key[NKV];
	size_t		 voff[NKV];	/* value offsets in kvtext */
	size_t		 nkv;
	long		 line, end_line;
	uint64_t	 off;
	int64_t		 local_ms;	/* from the suffix, or TIME_NONE */
	int32_t		 tz_min;
	int64_t		 gmt_ms;	/* STATMSG GMTDATE (UTC), or TIME_NONE */
	enum log_sev	 sev;		/* STATMSG SEV, or SEV_NONE */
	int		 thread_seen;
};

/* The state of one file. */
struct sms_state {
	struct log_env	*env;
	struct sms_rec	 rec;
	int		 held;		/* rec waits for the rest of its suffix */
	struct buf	 orphan;	/* a line without suffix, not yet placed */
	long		 orphan_line;
	uint64_t	 orphan_off;
	int		 has_orphan;
	int		 tz_seen;
	long		 lines;		/* physical lines seen */
	char		 day_key[10];	/* the last suffix date, "MM-DD-YYYY" */
	int64_t		 day_ms;	/* and its midnight */
};

/* STATMSG keys and the shared kv names they become (logs.h). */
static const struct {
	const char	*in;
	const char	*out;
} statkeys[] = {
	{ "ID", "statmsg_id" }, { "SEV", "statmsg_sev" }, { "COMP", "comp" },
	{ "SYS", "sys" }, { "SITE", "site" },
	{ "ISTR0", "istr0" }, { "ISTR1", "istr1" }, { "ISTR2", "istr2" },
	{ "ISTR3", "istr3" }, { "ISTR4", "istr4" }, { "ISTR5", "istr5" },
	{ "ISTR6", "istr6" }, { "ISTR7", "istr7" }, { "ISTR8", "istr8" },
	{ "ISTR9", "istr9" },
};

/* Whether c is ASCII white space (char may be signed). */
static int
sp(char c)
{
	return kb_isspace((unsigned char)c);
}

/* Trims white space at both ends of s[0..*n) and returns the new start. */
static const char *
trim(const char *s, size_t *n)
{
	while (*n > 0 && sp(*s))
		s++, (*n)--;
	while (*n > 0 && sp(s[*n - 1]))
		(*n)--;
	return s;
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

/* Steps over the character c at s[*i]; returns 0 if it is not there. */
static int
skipc(const char *s, size_t n, size_t *i, char c)
{
	if (*i >= n || s[*i] != c)
		return 0;
	(*i)++;
	return 1;
}

/* Steps over one or more spaces at s[*i]; returns 0 if there is none. */
static int
skipsp(const char *s, size_t n, size_t *i)
{
	size_t j = *i;

	while (j < n && s[j] == ' ')
		j++;
	if (j == *i)
		return 0;
	*i = j;
	return 1;
}

/*
 * Reads "H:MM:SS[.fff...]" at s[*i] into milliseconds of the day.
 * Returns 0 when it is not a time.
 */
static int
hms(const char *s, size_t n, size_t *i, int64_t *tod)
{
	int h, m, sec, frac = 0, k = 0;

	if (!digits(s, n, i, 1, 2, &h) || !skipc(s, n, i, ':') ||
	    !digits(s, n, i, 2, 2, &m) || !skipc(s, n, i, ':') ||
	    !digits(s, n, i, 2, 2, &sec) || h > 23 || m > 59 || sec > 60)
		return 0;
	if (*i < n && s[*i] == '.')
		for ((*i)++; *i < n && kb_isdigit((unsigned char)s[*i]);
		    (*i)++, k++)
			if (k < 3)
				frac = frac * 10 + (s[*i] - '0');
	for (; k < 3; k++)
		frac *= 10;
	*tod = ((int64_t)h * 3600 + m * 60 + sec) * 1000 + frac;
	return 1;
}

/* The month 1-12 of a three-letter English name at s, or 0. */
static int
month(const char *s, size_t n)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char m[3];
	int k;

	if (n < 3)
		return 0;
	for (k = 0; k < 3; k++)
		m[k] = (char)kb_tolower((unsigned char)s[k]);
	for (k = 0; k < 12; k++)
		if (memcmp(names + 3 * k, m, 3) == 0)
			return k + 1;
	return 0;
}

/*
 * Reads a ctime-style date "Thu Jan 16 18:53:52[.608] 2014" at s[*i]
 * into *ms and advances *i past the year.  Returns 0 when it is not one.
 */
static int
ctime_date(const char *s, size_t n, size_t *i, int64_t *ms)
{
	size_t j = *i;
	int64_t tod;
	int mo, d, y;

	if (j + 4 > n || !kb_isalpha((unsigned char)s[j]) ||
	    !kb_isalpha((unsigned char)s[j + 1]) ||
	    !kb_isalpha((unsigned char)s[j + 2]))
		return 0;
	j += 3;
	if (!skipsp(s, n, &j) || (mo = month(s + j, n - j)) == 0)
		return 0;
	j += 3;
	if (!skipsp(s, n, &j) || !digits(s, n, &j, 1, 2, &d) ||
	    !skipsp(s, n, &j) || !hms(s, n, &j, &tod) ||
	    !skipsp(s, n, &j) || !digits(s, n, &j, 4, 4, &y))
		return 0;
	if ((*ms = make_ms(y, mo, d, 0, 0, 0, 0)) == TIME_NONE)
		return 0;
	*ms += tod;
	*i = j;
	return 1;
}

/*
 * Parses the time group of a suffix: "MM-DD-YYYY HH:MM:SS.mmm+bias" or
 * a ctime form.  Returns 2 with *bias set, 1 for a time without bias,
 * 0 when the group is not a time.  The last date is remembered in st:
 * the next lines nearly always share it.
 */
static int
suffix_time(struct sms_state *st, const char *s, size_t n, int64_t *ms,
    int *bias)
{
	size_t i = 0;
	int64_t tod, day;
	int y, mo, d, neg, b;

	if (kb_isalpha((unsigned char)*s))
		return ctime_date(s, n, &i, ms);
	if (n > 10 && s[10] == ' ' && memcmp(s, st->day_key, 10) == 0) {
		day = st->day_ms;
		i = 10;
	} else if (!digits(s, n, &i, 1, 2, &mo) || !skipc(s, n, &i, '-') ||
	    !digits(s, n, &i, 1, 2, &d) || !skipc(s, n, &i, '-') ||
	    !digits(s, n, &i, 4, 4, &y) ||
	    (day = make_ms(y, mo, d, 0, 0, 0, 0)) == TIME_NONE)
		return 0;
	else if (i == 10) {
		memcpy(st->day_key, s, 10);
		st->day_ms = day;
	}
	if (!skipsp(s, n, &i) || !hms(s, n, &i, &tod))
		return 0;
	*ms = day + tod;
	if (i >= n || (s[i] != '+' && s[i] != '-'))
		return 1;
	neg = s[i++] == '-';
	if (!digits(s, n, &i, 1, 4, &b) || b > BIAS_MAX)
		return 1;
	*bias = neg ? -b : b;
	return 2;
}


/* Forgets the record being built. */
static void
rec_reset(struct sms_rec *r)
{
	buf_reset(&r->msg);
	buf_reset(&r->comp);
	buf_reset(&r->thread);
	buf_reset(&r->kvtext);
	r->nkv = 0;
	r->local_ms = r->gmt_ms = TIME_NONE;
	r->tz_min = TZ_UNKNOWN;
	r->sev = SEV_NONE;
	r->thread_seen = 0;
}

/* Adds a kv pair (key is static) unless the value is empty. */
static void
rec_kv(struct sms_rec *r, const char *key, const char *v, size_t vl)
{
	if (vl == 0 || r->nkv == NKV)
		return;
	r->key[r->nkv] = key;
	r->voff[r->nkv++] = r->kvtext.len;
	buf_put(&r->kvtext, v, vl);
	buf_putc(&r->kvtext, '\0');
}

/*
 * The end of a quoted STATMSG value that starts at s[v]: the first '"'
 * followed by the end of the line or by white space and the next KEY=,
 * so quotes inside an ISTR survive.  Returns n when it is unterminated.
 */
static size_t
quote_end(const char *s, size_t n, size_t v)
{
	const char *p;
	size_t j, k;

	for (; (p = memchr(s + v, '"', n - v)) != NULL; v = j) {
		j = (size_t)(p - s) + 1;
		if (j >= n)
			return j - 1;
		if (!sp(s[j]))
			continue;
		for (k = j; k < n && sp(s[k]); k++)
			;
		if (k >= n)
			return j - 1;
		while (k < n && (kb_isalnum((unsigned char)s[k]) || s[k] == '_'))
			k++;
		if (k < n && s[k] == '=' && !sp(s[k - 1]))
			return j - 1;
	}
	return n;
}

/* Keeps one STATMSG key=value if it is one of statkeys[]. */
static void
stat_kv(struct sms_rec *r, const char *k, size_t kl, const char *v,
    size_t vl)
{
	size_t i;

	for (i = 0; i < sizeof(statkeys) / sizeof(statkeys[0]); i++)
		if (strlen(statkeys[i].in) == kl &&
		    memcmp(statkeys[i].in, k, kl) == 0)
			break;
	if (i == sizeof(statkeys) / sizeof(statkeys[0]))
		return;
	rec_kv(r, statkeys[i].out, v, vl);
	/* Rows 1 and 2 of statkeys[] also set the severity and component. */
	if (i == 1 && vl > 0)
		r->sev = v[0] == 'E' ? SEV_ERROR : v[0] == 'W' ?
		    SEV_WARNING : v[0] == 'I' ? SEV_INFO : SEV_NONE;
	else if (i == 2 && r->comp.len == 0)
		buf_put(&r->comp, v, vl);
}

/*
 * Reads the KEY=VALUE pairs of a STATMSG line (s is what follows
 * "STATMSG:") into r: kv, severity, GMTDATE.
 */
static void
statmsg(struct sms_rec *r, const char *s, size_t n)
{
	size_t i = 0, k, kl, v, vl;

	while (i < n) {
		if (sp(s[i])) {
			i++;
			continue;
		}
		for (k = i; i < n && (kb_isalnum((unsigned char)s[i]) ||
		    s[i] == '_'); i++)
			;
		kl = i - k;
		if (kl == 0 || i >= n || s[i] != '=') {
			while (i < n && !sp(s[i]))
				i++;
			continue;
		}
		v = ++i;
		if (i < n && s[i] == '"') {
			v = i + 1;
			vl = quote_end(s, n, v) - v;
			i = v + vl + 1;
		} else if (kl == 7 && memcmp(s + k, "GMTDATE", 7) == 0 &&
		    ctime_date(s, n, &i, &r->gmt_ms)) {
			vl = i - v;
		} else {
			while (i < n && !sp(s[i]))
				i++;
			vl = i - v;
		}
		stat_kv(r, s + k, kl, s + v, vl);
	}
}

/*
 * Sets the message of the record from the raw text s[0..n): "~" becomes
 * a line break (see the top of the file), the result is trimmed, and a
 * STATMSG is read for its values.
 */
static void
rec_msg(struct sms_rec *r, const char *s, size_t n)
{
	const char *p, *end;

	s = trim(s, &n);
	end = s + n;
	buf_reset(&r->msg);
	if (n >= 8 && memcmp(s, "STATMSG:", 8) == 0)
		statmsg(r, s + 8, n - 8);
	while ((p = memchr(s, '~', (size_t)(end - s))) != NULL) {
		buf_put(&r->msg, s, (size_t)(p - s));
		s = p + 1;
		if (s < end && kb_isdigit((unsigned char)*s)) {
			buf_putc(&r->msg, '~');
			continue;
		}
		if (s < end && *s == '~')
			s++;
		buf_putc(&r->msg, '\n');
	}
	buf_put(&r->msg, s, (size_t)(end - s));
	buf_trim(&r->msg);
}

/* Hands the record being built to env->emit and resets it. */
static void
sms_emit(struct sms_state *st)
{
	struct sms_rec *r = &st->rec;
	struct log_kv kv[NKV];
	struct record out;
	size_t i;

	memset(&out, 0, sizeof(out));
	for (i = 0; i < r->nkv; i++) {
		kv[i].key = r->key[i];
		kv[i].value = r->kvtext.data + r->voff[i];
	}
	out.line = r->line;
	out.end_line = r->end_line;
	out.offset = r->off;
	out.local_ms = TIME_NONE;
	out.tz_min = TZ_UNKNOWN;
	if (r->local_ms != TIME_NONE) {
		out.local_ms = r->local_ms;
		out.tz_min = r->tz_min;
	} else if (r->gmt_ms != TIME_NONE) {
		out.local_ms = r->gmt_ms;
		out.tz_min = 0;
		out.utc = 1;
	}
	out.msg = r->msg.data ? r->msg.data : "";
	out.msg_len = r->msg.len;
	/* SMS lines are info unless their words say worse. */
	out.sev = r->sev != SEV_NONE ? r->sev : log_sev_words(out.msg,
	    out.msg_len);
	if (out.sev == SEV_NONE)
		out.sev = SEV_INFO;
	out.component = r->comp.len ? r->comp.data : NULL;
	out.thread = r->thread.len ? r->thread.data : NULL;
	out.kv = r->nkv ? kv : NULL;
	out.nkv = r->nkv;
	st->env->emit(st->env, &out);
	rec_reset(r);
	st->held = 0;
}

/* Starts a record at line/off with the raw message s[0..n). */
static void
rec_start(struct sms_state *st, const char *s, size_t n, long line,
    uint64_t off)
{
	rec_reset(&st->rec);
	st->rec.line = st->rec.end_line = line;
	st->rec.off = off;
	rec_msg(&st->rec, s, n);
}

/* Emits the held line without suffix as a record of its own. */
static void
orphan_flush(struct sms_state *st)
{
	if (!st->has_orphan)
		return;
	st->has_orphan = 0;
	rec_start(st, st->orphan.data, st->orphan.len, st->orphan_line,
	    st->orphan_off);
	sms_emit(st);
}

/* Stores the time of a suffix group; the first bias goes to tz_found. */
static void
group_time(struct sms_state *st, const char *g, size_t gl)
{
	int64_t ms;
	int bias = 0;

	while (gl > 0 && (g[gl - 1] == '~' || sp(g[gl - 1])))
		gl--;
	if (gl == 0)
		return;
	switch (suffix_time(st, g, gl, &ms, &bias)) {
	case 0:
		return;
	case 2:
		st->rec.tz_min = -bias;
		if (!st->tz_seen++)
			st->env->tz_found = -bias;
		break;
	default:
		st->rec.tz_min = st->env->tz_hint;
		break;
	}
	st->rec.local_ms = ms;
}

/*
 * Reads the <time> and <thread=...> groups at s[i..n) into the record.
 * Returns 1 once the thread (the last group) has been seen.
 */
static int
groups(struct sms_state *st, const char *s, size_t n, size_t i)
{
	const char *q, *g;
	size_t gl, k;

	for (;;) {
		while (i < n && sp(s[i]))
			i++;
		if (i >= n || s[i] != '<')
			break;
		g = s + i + 1;
		q = memchr(g, '>', n - i - 1);
		gl = q ? (size_t)(q - g) : n - i - 1;
		i = q ? (size_t)(q - s) + 1 : n;
		if (gl >= 7 && memcmp(g, "thread=", 7) == 0) {
			for (k = 7; k < gl && g[k] != ' ' && g[k] != '('; k++)
				;
			buf_reset(&st->rec.thread);
			buf_put(&st->rec.thread, g + 7, k - 7);
			st->rec.thread_seen = 1;
		} else if (st->rec.local_ms == TIME_NONE)
			group_time(st, g, gl);
	}
	return st->rec.thread_seen;
}

/* The last "$$<" in s[0..n), or NULL.  The suffix ends the line, so the
 * search runs backwards from there and usually stops within 80 bytes. */
static const char *
suffix_start(const char *s, size_t n)
{
	const char *p;

	while (n >= 3 && (p = memrchr(s + 1, '$', n - 2)) != NULL) {
		if (p[-1] == '$' && p[1] == '<')
			return p - 1;
		n = (size_t)(p - s);
	}
	return NULL;
}

/* A line with a "$$<" suffix at s[p]. */
static void
suffixed(struct sms_state *st, const char *s, size_t n, size_t p,
    long lineno, uint64_t off)
{
	const char *c = s + p + 3, *q;
	size_t ml = p, cl;

	trim(s, &ml);
	if (ml == 0 && st->has_orphan) {
		/* SMS 1.x wrapping: the message sat on the line before. */
		st->has_orphan = 0;
		rec_start(st, st->orphan.data, st->orphan.len,
		    st->orphan_line, st->orphan_off);
	} else {
		orphan_flush(st);
		rec_start(st, s, p, lineno, off);
	}
	st->rec.end_line = lineno;
	q = memchr(c, '>', n - p - 3);
	cl = q ? (size_t)(q - c) : n - p - 3;
	c = trim(c, &cl);
	buf_reset(&st->rec.comp);
	buf_put(&st->rec.comp, c, cl);
	if (q != NULL && groups(st, s, n, (size_t)(q - s) + 1))
		sms_emit(st);
	else
		st->held = 1;
}

/*
 * Whether s[0..n) (trimmed) is the docs rendering "message   SMS_X": a
 * last token SMS_[A-Z0-9_]+ after two or more blanks or a tab.  Sets
 * *ml to the length of the message and *cs to the component's start.
 */
static int
rendering(const char *s, size_t n, size_t *ml, size_t *cs)
{
	size_t b = n, w, k;

	while (b > 0 && !sp(s[b - 1]))
		b--;
	if (n - b < 5 || memcmp(s + b, "SMS_", 4) != 0)
		return 0;
	for (k = b; k < n; k++)
		if (!(kb_isdigit((unsigned char)s[k]) || s[k] == '_' ||
		    (s[k] >= 'A' && s[k] <= 'Z')))
			return 0;
	for (w = b; w > 0 && sp(s[w - 1]); w--)
		;
	if (w == 0 || (b - w < 2 && s[w] != '\t'))
		return 0;
	*ml = w;
	*cs = b;
	return 1;
}

/* A line without "$$<": a bare STATMSG, the docs rendering or a line
 * to hold until the next one says where it belongs. */
static void
bare(struct sms_state *st, const char *s, size_t n, long lineno,
    uint64_t off)
{
	size_t ml, cs;
	int r;

	s = trim(s, &n);
	if (n == 0)
		return;
	r = rendering(s, n, &ml, &cs);
	if (r || (n >= 8 && memcmp(s, "STATMSG:", 8) == 0)) {
		orphan_flush(st);
		rec_start(st, s, r ? ml : n, lineno, off);
		if (r) {
			buf_reset(&st->rec.comp);
			buf_put(&st->rec.comp, s + cs, n - cs);
		}
		sms_emit(st);
		return;
	}
	orphan_flush(st);
	buf_reset(&st->orphan);
	buf_put(&st->orphan, s, n);
	st->orphan_line = lineno;
	st->orphan_off = off;
	st->has_orphan = 1;
}

/* LINE mode: one physical line; see the top of the file. */
static void
sms_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct sms_state *st = arg;
	const char *p;
	size_t i;

	if (++st->lines == 1 && n > 0 && s[0] == '?')
		s++, n--;
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3, n -= 3;
	if (st->held) {
		for (i = 0; i < n && sp(s[i]); i++)
			;
		if (i < n && s[i] == '<') {
			st->rec.end_line = lineno;
			if (groups(st, s, n, i))
				sms_emit(st);
			return;
		}
		sms_emit(st);
	}
	if ((p = suffix_start(s, n)) != NULL)
		suffixed(st, s, n, (size_t)(p - s), lineno, off);
	else
		bare(st, s, n, lineno, off);
}

/* Returns the parser state for one file; sms_finish frees it. */
static void *
sms_open(struct log_env *env)
{
	struct sms_state *st = xcalloc(1, sizeof(*st));

	st->env = env;
	rec_reset(&st->rec);
	return st;
}

/* Emits what is pending and frees st. */
static void
sms_finish(void *arg)
{
	struct sms_state *st = arg;

	if (st->held)
		sms_emit(st);
	orphan_flush(st);
	buf_free(&st->rec.msg);
	buf_free(&st->rec.comp);
	buf_free(&st->rec.thread);
	buf_free(&st->rec.kvtext);
	buf_free(&st->orphan);
	free(st);
}

/* Whether name contains w, ignoring case. */
static int
name_has(const char *name, const char *w)
{
	size_t n, k = strlen(w), i;

	if (name == NULL)
		return 0;
	for (n = strlen(name), i = 0; i + k <= n; i++)
		if (kb_strncasecmp(name + i, w, k) == 0)
			return 1;
	return 0;
}

/* Rates the "$$<COMP><" suffixes in head: 90 with a numeric date, 75
 * with another time group, 60 for a suffix wrapped after the component. */
static int
sniff_suffix(const char *head, size_t n)
{
	const char *p = head, *end = head + n, *q, *d;
	int best = 0;

	while ((p = memmem(p, (size_t)(end - p), "$$<", 3)) != NULL) {
		p += 3;
		/* Component names are short; bounding the look keeps a head
		 * full of "$$<" linear. */
		q = memchr(p, '>', end - p < 256 ? (size_t)(end - p) : 256);
		if (q == NULL || memchr(p, '\n', (size_t)(q - p)) != NULL)
			continue;
		d = q + 1;
		if (end - d >= 11 && d[0] == '<' &&
		    kb_isdigit((unsigned char)d[1]) &&
		    kb_isdigit((unsigned char)d[2]) && d[3] == '-' &&
		    kb_isdigit((unsigned char)d[4]) &&
		    kb_isdigit((unsigned char)d[5]) && d[6] == '-' &&
		    kb_isdigit((unsigned char)d[7]) &&
		    kb_isdigit((unsigned char)d[10]))
			return 90;
		best = d < end && *d == '<' ? 75 : best > 60 ? best : 60;
	}
	return best;
}

/*
 * Content decides: the "$$<COMP><MM-DD-YYYY" suffix, else "STATMSG: ID="
 * (85, also the docs rendering), else an old-style suffix.  The names of
 * the SMS logs only break ties.
 */
static int
sms_sniff(const char *name, const char *head, size_t n)
{
	int score = sniff_suffix(head, n);

	if (score < 85 && memmem(head, n, "STATMSG: ID=", 12) != NULL)
		score = 85;
	if (score > 0 && (name_has(name, "wsyncmgr") ||
	    name_has(name, "wcm") || name_has(name, "wsusctrl") ||
	    name_has(name, "smsprov") || name_has(name, "statmsg")))
		score += 3;
	return score;
}

const struct log_parser log_sms_parser = {
	.format = LOG_SMS,
	.name = "sms",
	.open = sms_open,
	.line = sms_line,
	.finish = sms_finish,
	.sniff = sms_sniff,
};
