/*
 * log_wu.c -- the Windows Update client log in its two shapes:
 *
 *   legacy (%windir%\WindowsUpdate.log up to 8.1 / 2012 R2):
 *     YYYY-MM-DD<TAB>HH:MM:SS:mmm<TAB> PID<TAB>TID<TAB>Component<TAB>Message
 *     local time; the zone is only in each process's banner
 *     "Logging initialized (build: ..., tz: +0200)" (ISO sign), so it is
 *     carried forward per PID.
 *   ETW (Windows 10+, decoded by Get-WindowsUpdateLog):
 *     YYYY/MM/DD HH:MM:SS.fffffff PID   TID   Component       Message
 *     local time of unknown zone.
 *
 * Pasted copies lose their tabs, so every separator is "one tab or a
 * run of white space".  A line that does not start like a record is a
 * continuation of the previous one (wrapped pastes), which is why a
 * record is held until the next one starts.
 *
 * Exports log_wu_legacy_parser and log_wu_etw_parser (log_table.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"

/* One parsed record line; pointers into the line. */
struct wu_line {
	int64_t		 ms;		/* local time, TIME_NONE if invalid */
	const char	*pid, *tid, *comp, *msg;
	size_t		 pidn, tidn, compn, msgn;
};

/* The zone a process announced in its banner. */
struct pid_tz {
	int64_t		 pid;
	int32_t		 tz;
};

struct wu {
	struct log_env	*env;
	int		 etw;
	struct pid_tz	*tz;		/* legacy: zones by PID */
	size_t		 ntz, captz;
	int		 found;		/* env->tz_found was set */
	long		 orphans, first_orphan;
	long		 ncut, first_cut;	/* continuations dropped */
	int		 cut;		/* the pending record was cut */
	/* the pending record */
	int		 have;
	struct record	 rec;
	struct buf	 comp, tid, pid, msg, hr;
	unsigned	 flags;		/* sev_flags() of its lines */
	struct log_kv	 kv[3];
};

/* A record's text stops growing here (a paste gone wrong, or a file
   that only looks like this log). */
#define WU_MAX_MSG	(1024 * 1024)

/* ------------------------------------------------------------------ */
/* scanners */

/* Whether the k bytes at s are digits. */
static int
all_digits(const char *s, size_t k)
{
	while (k--)
		if (!kb_isdigit((unsigned char)*s++))
			return 0;
	return 1;
}

/* The value of the k digits at s (checked by the caller). */
static int
num(const char *s, size_t k)
{
	int v = 0;

	while (k--)
		v = v * 10 + *s++ - '0';
	return v;
}

/* Skips spaces and tabs; returns the new position. */
static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/*
 * Reads "Y<sep>M<sep>D" (4-2-2 digits) then white space then the time
 * "HH:MM:SS" followed by msep and frac_min..frac_max digits.  Returns
 * the position after it (w->ms set, TIME_NONE for an impossible date)
 * or NULL when the shape is wrong.
 */
static const char *
scan_stamp(const char *p, const char *end, char dsep, char msep,
    size_t frac_min, size_t frac_max, struct wu_line *w)
{
	const char *q;
	int ms = 0;
	size_t k;

	if (end - p < 19 || !all_digits(p, 4) || p[4] != dsep ||
	    !all_digits(p + 5, 2) || p[7] != dsep || !all_digits(p + 8, 2))
		return NULL;
	q = skip_ws(p + 10, end);
	if (q == p + 10 || end - q < 9 || !all_digits(q, 2) || q[2] != ':' ||
	    !all_digits(q + 3, 2) || q[5] != ':' || !all_digits(q + 6, 2) ||
	    q[8] != msep)
		return NULL;
	for (k = 0; q + 9 + k < end && kb_isdigit((unsigned char)q[9 + k]) &&
	    k < frac_max; k++)
		if (k < 3)
			ms = ms * 10 + q[9 + k] - '0';
	if (k < frac_min)
		return NULL;
	for (; k < 3; k++)
		ms *= 10;
	w->ms = make_ms(num(p, 4), num(p + 5, 2), num(p + 8, 2), num(q, 2),
	    num(q + 3, 2), num(q + 6, 2), ms);
	for (k = 9; q + k < end && kb_isdigit((unsigned char)q[k]); k++)
		;
	return q + k;
}

/*
 * Reads " PID TID Component Message" after the time stamp: PID decimal
 * (right-aligned in the legacy log), TID hex (legacy) or decimal (ETW),
 * a component without spaces ("Unknown( 10):" from an ETW decode
 * without symbols is kept whole), then the message after one tab or a
 * run of spaces.  Returns 0, or -1 when the shape is wrong.
 */
static int
scan_fields(const char *p, const char *end, struct wu_line *w)
{
	const char *q;

	if ((q = skip_ws(p, end)) == p)
		return -1;
	for (p = q; p < end && kb_isdigit((unsigned char)*p); p++)
		;
	if (p == q || p - q > 10)
		return -1;
	w->pid = q;
	w->pidn = (size_t)(p - q);
	if ((q = skip_ws(p, end)) == p)
		return -1;
	for (p = q; p < end && kb_isxdigit((unsigned char)*p); p++)
		;
	if (p == q || p - q > 16)
		return -1;
	w->tid = q;
	w->tidn = (size_t)(p - q);
	if ((q = skip_ws(p, end)) == p || q == end)
		return -1;
	for (p = q; p < end && *p != ' ' && *p != '\t'; p++)
		;
	if (p - q >= 8 && memcmp(q, "Unknown(", 8) == 0 &&
	    memchr(q, ')', (size_t)(p - q)) == NULL) {
		while (p < end && p[-1] != ')')
			p++;
		if (p < end && *p == ':')
			p++;
	}
	w->comp = q;
	w->compn = (size_t)(p - q);
	if (p < end && *p == '\t')
		p++;
	else
		p = skip_ws(p, end);
	w->msg = p;
	w->msgn = (size_t)(end - p);
	return 0;
}

/* Parses a legacy record line; returns 0 or -1 (not a record start). */
static int
parse_legacy(const char *s, size_t n, struct wu_line *w)
{
	const char *p;

	if ((p = scan_stamp(s, s + n, '-', ':', 3, 3, w)) == NULL)
		return -1;
	return scan_fields(p, s + n, w);
}

/* Parses a Get-WindowsUpdateLog record line; 0 or -1. */
static int
parse_etw(const char *s, size_t n, struct wu_line *w)
{
	const char *p;

	if ((p = scan_stamp(s, s + n, '/', '.', 1, 9, w)) == NULL)
		return -1;
	return scan_fields(p, s + n, w);
}

/*
 * Finds needle (ASCII, matched case-insensitively) in the n bytes at s;
 * returns its position or NULL.
 */
static const char *
ci_find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	if (k > n)
		return NULL;
	for (i = 0; i + k <= n; i++)
		if (kb_tolower((unsigned char)s[i]) == kb_tolower(
		    (unsigned char)needle[0]) &&
		    kb_strncasecmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

/* Finds needle (case-sensitive) in the n bytes at s, or NULL. */
static const char *
cs_find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const char *p = s, *last;

	if (k == 0 || k > n)
		return k == 0 ? s : NULL;
	last = s + (n - k);
	while (p <= last &&
	    (p = memchr(p, needle[0], (size_t)(last - p) + 1)) != NULL) {
		if (memcmp(p, needle, k) == 0)
			return p;
		p++;
	}
	return NULL;
}

/*
 * Bytes that make up a word for find_hr: ASCII letters, digits and '_'
 * (a table: the scan looks at every byte of every message).
 */
static const unsigned char word_byte[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,		/* 0-9 */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,		/* A-O */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,		/* P-Z _ */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,		/* a-o */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,		/* p-z */
};

/*
 * Whether the word at s (len bytes) is a failure HRESULT: "0x" and 8
 * hex digits from 0x8... to 0xF..., or 8 bare hex digits starting with
 * '8' (hr=8024A000, [8024000C], "error code 80072EFD").
 */
static int
hr_word(const char *s, size_t len)
{
	size_t k;

	if (len == 10) {
		if (s[0] != '0' || (s[1] | 32) != 'x' ||
		    (kb_isdigit((unsigned char)s[2]) && s[2] < '8'))
			return 0;
		s += 2;
	} else if (len != 8 || s[0] != '8')
		return 0;
	for (k = 0; k < 8; k++)
		if (!kb_isxdigit((unsigned char)s[k]))
			return 0;
	return 1;
}

/*
 * The first failure HRESULT in the message, as written (see hr_word),
 * taken word by word; the first group of a GUID ({855E8A7C-...}) is not
 * one.  Returns its length (0 when there is none) and its start in *at.
 */
static size_t
find_hr(const char *s, size_t n, const char **at)
{
	size_t i = 0, j;

	while (i < n) {
		if (!word_byte[(unsigned char)s[i]]) {
			i++;
			continue;
		}
		for (j = i + 1; j < n && word_byte[(unsigned char)s[j]]; j++)
			;
		if (hr_word(s + i, j - i) && (i == 0 || (s[i - 1] != '{' &&
		    s[i - 1] != '-')) && (j == n || s[j] != '-')) {
			*at = s + i;
			return j - i;
		}
		i = j;
	}
	return 0;
}

/* What a message says about its severity (or'ed over its lines). */
enum {
	F_FATAL = 1,		/* FATAL (legacy) / FATAL: (ETW) */
	F_WARNING = 2,		/* WARNING: */
	F_FAILED = 4,		/* "failed", any case (legacy) */
	F_FAILMARK = 8,		/* *FAILED* (ETW) */
	F_HR = 16		/* a failure HRESULT */
};

/* The severity flags of one line of message text. */
static unsigned
sev_flags(int etw, const char *m, size_t n, int has_hr)
{
	unsigned f = has_hr ? F_HR : 0;

	if (cs_find(m, n, "WARNING:") != NULL)
		f |= F_WARNING;
	if (etw) {
		if (cs_find(m, n, "*FAILED*") != NULL)
			f |= F_FAILMARK;
		if (cs_find(m, n, "FATAL:") != NULL)
			f |= F_FATAL;
		return f;
	}
	if (cs_find(m, n, "FATAL") != NULL)
		f |= F_FATAL;
	if (ci_find(m, n, "failed") != NULL)
		f |= F_FAILED;
	return f;
}

/*
 * Legacy severity: FATAL: is an error.  WARNING: is how this log writes
 * most problems, so it stays a warning unless the text says it failed
 * or is fatal.  Everything else is info.
 *
 * ETW severity: *FAILED* is the decoder's failure mark (error); a
 * failure HRESULT elsewhere, or WARNING:, is a warning; the rest info.
 */
static enum log_sev
sev_of(int etw, unsigned f)
{
	if (etw)
		return f & (F_FAILMARK | F_FATAL) ? SEV_ERROR :
		    f & (F_HR | F_WARNING) ? SEV_WARNING : SEV_INFO;
	if (f & F_FATAL)
		return SEV_ERROR;
	if (f & F_WARNING)
		return f & F_FAILED ? SEV_ERROR : SEV_WARNING;
	return SEV_INFO;
}

/*
 * The zone of a legacy banner "Logging initialized (build: ..., tz:
 * +0200)" in minutes east of UTC, or TZ_UNKNOWN when the message is not
 * a banner.
 */
static int32_t
banner_tz(const char *m, size_t n)
{
	const char *p, *end = m + n;
	int h, mi;

	if (ci_find(m, n, "Logging initialized") == NULL ||
	    (p = ci_find(m, n, "tz:")) == NULL)
		return TZ_UNKNOWN;
	p = skip_ws(p + 3, end);
	if (end - p < 5 || (*p != '+' && *p != '-') || !all_digits(p + 1, 4))
		return TZ_UNKNOWN;
	h = num(p + 1, 2);
	mi = num(p + 3, 2);
	if (h > 14 || mi > 59)
		return TZ_UNKNOWN;
	return (*p == '-' ? -1 : 1) * (h * 60 + mi);
}

/* ------------------------------------------------------------------ */
/* per-process zones */

/* The PID of a record line (its digits, at most 10). */
static int64_t
pid_of(const struct wu_line *w)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; i < w->pidn; i++)
		v = v * 10 + w->pid[i] - '0';
	return v;
}

/* The zone announced for pid, or TZ_UNKNOWN. */
static int32_t
tz_get(const struct wu *st, int64_t pid)
{
	size_t i;

	for (i = st->ntz; i-- > 0; )
		if (st->tz[i].pid == pid)
			return st->tz[i].tz;
	return TZ_UNKNOWN;
}

/* Records the zone of pid (a new banner replaces the old one). */
static void
tz_set(struct wu *st, int64_t pid, int32_t tz)
{
	size_t i;

	for (i = 0; i < st->ntz; i++)
		if (st->tz[i].pid == pid) {
			st->tz[i].tz = tz;
			return;
		}
	if (st->ntz == st->captz) {
		st->captz = st->captz ? st->captz * 2 : 8;
		st->tz = xrealloc(st->tz, st->captz * sizeof(*st->tz));
	}
	st->tz[st->ntz].pid = pid;
	st->tz[st->ntz++].tz = tz;
}

/*
 * The zone of a legacy record: its process's banner (the banner line
 * itself included), else the host's zone when known.
 */
static int32_t
legacy_zone(struct wu *st, const struct wu_line *w)
{
	int64_t pid = pid_of(w);
	int32_t tz;

	if ((tz = banner_tz(w->msg, w->msgn)) != TZ_UNKNOWN) {
		tz_set(st, pid, tz);
		if (!st->found) {
			st->env->tz_found = tz;
			st->found = 1;
		}
		return tz;
	}
	if ((tz = tz_get(st, pid)) != TZ_UNKNOWN)
		return tz;
	return st->env->tz_hint;
}

/* ------------------------------------------------------------------ */
/* records */

/* Hands the pending record to the caller. */
static void
flush(struct wu *st)
{
	size_t nkv = 0;

	if (!st->have)
		return;
	st->have = 0;
	st->kv[nkv].key = "pid";
	st->kv[nkv++].value = buf_str(&st->pid);
	st->kv[nkv].key = "tid";
	st->kv[nkv++].value = buf_str(&st->tid);
	if (st->hr.len) {
		st->kv[nkv].key = "hr";
		st->kv[nkv++].value = st->hr.data;
	}
	st->rec.component = buf_str(&st->comp);
	st->rec.thread = buf_str(&st->tid);
	st->rec.msg = buf_str(&st->msg);
	st->rec.msg_len = st->msg.len;
	st->rec.kv = st->kv;
	st->rec.nkv = nkv;
	st->env->emit(st->env, &st->rec);
}

/* Copies n bytes at s into b, replacing what it held. */
static void
set(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	buf_put(b, s, n);
}

/* Starts a new pending record from a parsed line. */
static void
start(struct wu *st, const struct wu_line *w, long lineno, uint64_t off)
{
	const char *hr = NULL;
	size_t hrn, n = w->msgn;

	flush(st);
	while (n && kb_isspace((unsigned char)w->msg[n - 1]))
		n--;
	memset(&st->rec, 0, sizeof(st->rec));
	st->rec.line = st->rec.end_line = lineno;
	st->rec.offset = off;
	st->rec.local_ms = w->ms;
	st->rec.tz_min = st->etw ? st->env->tz_hint : legacy_zone(st, w);
	set(&st->comp, w->comp, w->compn);
	set(&st->tid, w->tid, w->tidn);
	set(&st->pid, w->pid, w->pidn);
	set(&st->msg, w->msg, n);
	hrn = find_hr(w->msg, n, &hr);
	set(&st->hr, hr, hrn);
	st->flags = sev_flags(st->etw, w->msg, n, hrn > 0);
	st->rec.sev = sev_of(st->etw, st->flags);
	st->have = 1;
	st->cut = 0;
}

/*
 * A line that does not start a record: part of the previous one (a
 * wrapped paste).  Its flags join the record's, so "WARNING:" on one
 * line and "failed" on the next make an error, and it may supply the
 * HRESULT.  Nothing is dropped: a line before the first record is a
 * record of its own without a time, and text past WU_MAX_MSG goes on
 * in a new record with the same time and fields, at its exact line.
 */
static void
add_line(struct wu *st, const char *s, size_t n, long lineno)
{
	const char *hr = NULL;
	size_t hrn;

	if (!st->have || st->msg.len + n >= WU_MAX_MSG) {
		struct record keep = st->rec;
		int had = st->have;
		if (!had && st->orphans++ == 0)
			st->first_orphan = lineno;
		if (had && st->ncut++ == 0)
			st->first_cut = lineno;
		flush(st);
		if (had)
			st->rec = keep;
		else {
			memset(&st->rec, 0, sizeof(st->rec));
			st->rec.local_ms = TIME_NONE;
			st->rec.tz_min = TZ_UNKNOWN;
			buf_reset(&st->comp);
			buf_reset(&st->tid);
			buf_reset(&st->pid);
		}
		st->rec.line = st->rec.end_line = lineno;
		buf_reset(&st->msg);
		buf_reset(&st->hr);
		buf_put(&st->msg, s, n);
		hrn = find_hr(s, n, &hr);
		if (hrn)
			set(&st->hr, hr, hrn);
		st->flags = sev_flags(st->etw, s, n, hrn > 0);
		st->rec.sev = sev_of(st->etw, st->flags);
		st->have = 1;
		if (!had)
			flush(st);	/* an orphan stands alone */
		return;
	}
	st->rec.end_line = lineno;
	buf_putc(&st->msg, '\n');
	buf_put(&st->msg, s, n);
	hrn = find_hr(s, n, &hr);
	if (st->hr.len == 0 && hrn)
		set(&st->hr, hr, hrn);
	st->flags |= sev_flags(st->etw, s, n, hrn > 0);
	st->rec.sev = sev_of(st->etw, st->flags);
}

/* line(): a record line starts a record, any other non-blank line
   continues the pending one. */
static void
wu_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct wu *st = arg;
	struct wu_line w;
	size_t k = n;

	while (k && kb_isspace((unsigned char)s[k - 1]))
		k--;
	if (k == 0)
		return;
	if ((st->etw ? parse_etw(s, n, &w) : parse_legacy(s, n, &w)) == 0)
		start(st, &w, lineno, off);
	else
		add_line(st, s, k, lineno);
}

/* Opens a reader; etw picks the Get-WindowsUpdateLog shape. */
static void *
wu_open_mode(struct log_env *env, int etw)
{
	struct wu *st = xcalloc(1, sizeof(*st));

	st->env = env;
	st->etw = etw;
	return st;
}

/* open() of the legacy log. */
static void *
wu_legacy_open(struct log_env *env)
{
	return wu_open_mode(env, 0);
}

/* open() of the Get-WindowsUpdateLog text. */
static void *
wu_etw_open(struct log_env *env)
{
	return wu_open_mode(env, 1);
}

/* finish(): emits the pending record, reports what was skipped, frees
   the state. */
static void
wu_finish(void *arg)
{
	struct wu *st = arg;

	flush(st);
	if (st->orphans)
		st->env->diag(st->env, DIAG_NOTE, st->first_orphan,
		    "%ld line(s) before the first record kept without a time",
		    st->orphans);
	if (st->ncut)
		st->env->diag(st->env, DIAG_WARNING, st->first_cut,
		    "%ld record(s) longer than %d bytes continued in new records",
		    st->ncut, WU_MAX_MSG);
	buf_free(&st->comp);
	buf_free(&st->tid);
	buf_free(&st->pid);
	buf_free(&st->msg);
	buf_free(&st->hr);
	free(st->tz);
	free(st);
}

/* ------------------------------------------------------------------ */
/* sniffing */

/*
 * Rates the head by the share of its first 40 non-blank lines that
 * parse: 90 when nearly all do (a few wrapped lines are fine), 60 for
 * half, 30 for any; the banner adds 5 for the legacy log, and a
 * WindowsUpdate file name 3.
 */
static int
wu_sniff_mode(const char *name, const char *head, size_t n,
    int (*parse)(const char *, size_t, struct wu_line *))
{
	const char *p = head, *end = head + n, *nl;
	struct wu_line w;
	int seen = 0, good = 0, score;

	while (p < end && seen < 40) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (skip_ws(p, nl) < nl && !(nl - p == 1 && *p == '\r')) {
			seen++;
			good += parse(p, (size_t)(nl - p), &w) == 0;
		}
		p = nl + 1;
	}
	if (good == 0)
		return 0;
	score = good * 10 >= seen * 8 ? 90 : good * 2 >= seen ? 60 : 30;
	if (parse == parse_legacy && ci_find(head, n, "Logging initialized"))
		score += 5;
	if (kb_strncasecmp(path_base(name), "WindowsUpdate", 13) == 0)
		score += 3;
	return score;
}

/* Legacy: "YYYY-MM-DD<ws>HH:MM:SS:mmm<ws>PID<ws>TID<ws>Component". */
static int
wu_legacy_sniff(const char *name, const char *head, size_t n)
{
	return wu_sniff_mode(name, head, n, parse_legacy);
}

/* ETW: "YYYY/MM/DD HH:MM:SS.fffffff PID TID Component". */
static int
wu_etw_sniff(const char *name, const char *head, size_t n)
{
	return wu_sniff_mode(name, head, n, parse_etw);
}

const struct log_parser log_wu_legacy_parser = {
	.format = LOG_WU_LEGACY,
	.name = "wu-legacy",
	.open = wu_legacy_open,
	.line = wu_line,
	.finish = wu_finish,
	.sniff = wu_legacy_sniff,
};

const struct log_parser log_wu_etw_parser = {
	.format = LOG_WU_ETW,
	.name = "wu-etw",
	.open = wu_etw_open,
	.line = wu_line,
	.finish = wu_finish,
	.sniff = wu_etw_sniff,
};
