/*
 * log_msi.c -- WSUS setup logs: Windows Installer verbose logs (msiexec
 * /l*v, WSUSSetup.log and the WSUSCa_*.log of WSUS 3.0) and the
 * "wsusutil postinstall" log of WSUS 2012+.  Both are local time with
 * no zone (the host's zone from another file is used when known).
 *
 * MSI: only the banner "=== Verbose logging started: 3/2/2015 16:04:27
 * ... ===" has a date; lines carry a time of day ("MSI (s) (84:58)
 * [16:04:27:498]: ...", "Action ended 16:05:01: X. Return value 3."),
 * so the date is carried forward and advanced when the clock goes back
 * by more than an hour (midnight).  Lines without a prefix ("*******
 * Product: ...", "DEBUG: Error 2896: ...") continue the previous record.
 *
 * Postinstall: "YYYY-MM-DD HH:MM:SS message", stack traces and other
 * unprefixed lines continue the previous record.
 *
 * Exports log_msi_parser and log_postinstall_parser (log_table.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"

#define DAY_MS		(86400 * (int64_t)1000)
/* A record's text stops growing here (a runaway continuation). */
#define MSI_MAX_MSG	(1024 * 1024)
/* A clock going back this far has passed midnight. */
#define ROLLBACK_MS	(3600 * (int64_t)1000)

/* What a line of an MSI log is. */
enum msi_kind {
	MSI_CONT,		/* continues the previous record */
	MSI_BANNER,		/* === (Verbose) logging started/stopped === */
	MSI_ENGINE,		/* MSI (s) (84:58) [16:04:27:498]: ... */
	MSI_ACTION,		/* Action [start|ended] HH:MM:SS: ... */
	MSI_PROPERTY		/* Property(S): Name = Value */
};

/* A record line taken apart; pointers into the line. */
struct msi_line {
	enum msi_kind	 kind;
	int64_t		 day;		/* banner: its day, else TIME_NONE */
	int64_t		 tod;		/* time of day in ms, or -1 */
	const char	*comp, *thread;
	size_t		 compn, threadn;
};

struct msi {
	struct log_env	*env;
	int		 post;		/* postinstall log */
	int64_t		 day;		/* current day (ms), or TIME_NONE */
	int64_t		 last_tod;	/* previous time of day, or -1 */
	int64_t		 last_ms;	/* time of the previous record */
	long		 orphans, first_orphan;
	long		 ncut, first_cut;	/* continuations dropped */
	int		 cut;		/* the pending record was cut */
	/* the pending record */
	int		 have;
	struct record	 rec;
	struct buf	 comp, thread, msg, action, retval;
	struct log_kv	 kv[2];
};

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

/* Whether the n bytes at s start with the string p. */
static int
starts(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && memcmp(s, p, k) == 0;
}

/*
 * Finds needle (ASCII, matched case-insensitively) in the n bytes at s;
 * returns its position or NULL.
 */
static const char *
ci_find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;
	int c0 = kb_tolower((unsigned char)needle[0]);

	if (k > n)
		return NULL;
	for (i = 0; i + k <= n; i++)
		if (kb_tolower((unsigned char)s[i]) == c0 &&
		    kb_strncasecmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

/*
 * Milliseconds since midnight of "H:MM:SS" (hour of 1 or 2 digits)
 * with an optional ":mmm" or ".mmm" when ms is set.  *len receives the
 * bytes read.  Returns -1 when the text is not a time.
 */
static int64_t
scan_tod(const char *s, size_t n, int ms, size_t *len)
{
	size_t h = n > 1 && kb_isdigit((unsigned char)s[1]) ? 2 : 1;
	int hh, mi, ss, f = 0;

	if (n < h + 6 || !all_digits(s, h) || s[h] != ':' ||
	    !all_digits(s + h + 1, 2) || s[h + 3] != ':' ||
	    !all_digits(s + h + 4, 2))
		return -1;
	hh = num(s, h);
	mi = num(s + h + 1, 2);
	ss = num(s + h + 4, 2);
	if (hh > 23 || mi > 59 || ss > 60)
		return -1;
	*len = h + 6;
	if (ms && n >= h + 10 && (s[h + 6] == ':' || s[h + 6] == '.') &&
	    all_digits(s + h + 7, 3)) {
		f = num(s + h + 7, 3);
		*len = h + 10;
	}
	return ((int64_t)hh * 3600 + mi * 60 + ss) * 1000 + f;
}

/*
 * The day of a banner date in the writer's short date format: M/D/Y
 * (en-US, what MSI logs mostly show; D/M/Y when the first number cannot
 * be a month), D.M.Y, Y-M-D or D-M-Y; two-digit years are 20xx.  *len
 * receives the bytes read.  Returns TIME_NONE when it is not a date.
 */
static int64_t
scan_date(const char *s, size_t n, size_t *len)
{
	int v[3], k, y, m, d;
	size_t i = 0, st;
	char sep = 0;

	for (k = 0; k < 3; k++) {
		for (st = i; i < n && i - st < 4 && kb_isdigit((unsigned char)s[i]);
		    i++)
			;
		if (i == st)
			return TIME_NONE;
		v[k] = num(s + st, i - st);
		if (k == 2)
			break;
		if (i == n || (sep && s[i] != sep) ||
		    (s[i] != '/' && s[i] != '.' && s[i] != '-'))
			return TIME_NONE;
		sep = s[i++];
	}
	*len = i;
	if (v[0] >= 1000) {
		y = v[0];
		m = v[1];
		d = v[2];
	} else if (sep == '/' && v[0] <= 12) {
		m = v[0];
		d = v[1];
		y = v[2];
	} else {
		d = v[0];
		m = v[1];
		y = v[2];
	}
	if (y < 100)
		y += 2000;
	return make_ms(y, m, d, 0, 0, 0, 0);
}

/*
 * "=== Verbose logging started: 3/2/2015 16:04:27 Build type: ... ==="
 * (or "Logging started", "... stopped"): fills day and tod.
 */
static void
scan_banner(const char *s, size_t n, struct msi_line *ml)
{
	const char *p = ci_find(s, n, "logging st");
	size_t k;

	if (p == NULL || (p = memchr(p, ':', (size_t)(s + n - p))) == NULL)
		return;
	for (p++; p < s + n && *p == ' '; p++)
		;
	if ((ml->day = scan_date(p, (size_t)(s + n - p), &k)) == TIME_NONE)
		return;
	for (p += k; p < s + n && *p == ' '; p++)
		;
	ml->tod = scan_tod(p, (size_t)(s + n - p), 0, &k);
}

/*
 * "MSI (s) (84:58) [16:04:27:498]: text": the component "MSI (s)", the
 * thread "84:58" ("70!8C" for a custom-action thread) and the time.
 * Returns 0 or -1 when the prefix is incomplete.
 */
static int
scan_engine(const char *s, size_t n, struct msi_line *ml)
{
	const char *p, *q, *end = s + n;
	size_t k;

	if ((p = memchr(s + 5, ')', n - 5)) == NULL || end - p < 4 ||
	    p[1] != ' ' || p[2] != '(')
		return -1;
	ml->comp = s;
	ml->compn = (size_t)(p + 1 - s);
	if ((q = memchr(p + 3, ')', (size_t)(end - p - 3))) == NULL ||
	    end - q < 3 || q[1] != ' ' || q[2] != '[')
		return -1;
	ml->thread = p + 3;
	ml->threadn = (size_t)(q - p - 3);
	if ((ml->tod = scan_tod(q + 3, (size_t)(end - q - 3), 1, &k)) < 0 ||
	    q + 3 + k >= end || q[3 + k] != ']')
		return -1;
	return 0;
}

/* "Action [start |ended ]HH:MM:SS: ...": fills the time; 0 or -1. */
static int
scan_action(const char *s, size_t n, struct msi_line *ml)
{
	size_t k = 7;

	if (starts(s, n, "Action start ") || starts(s, n, "Action ended "))
		k = 13;
	ml->tod = scan_tod(s + k, n - k, 0, &k);
	return ml->tod < 0 ? -1 : 0;
}

/* Takes an MSI line apart; kind MSI_CONT when it starts no record. */
static void
msi_classify_line(const char *s, size_t n, struct msi_line *ml)
{
	const char *p;

	memset(ml, 0, sizeof(*ml));
	ml->day = TIME_NONE;
	ml->tod = -1;
	ml->kind = MSI_CONT;
	if (starts(s, n, "=== ") && ci_find(s, n, "logging st")) {
		ml->kind = MSI_BANNER;
		scan_banner(s, n, ml);
	} else if (starts(s, n, "MSI (") && scan_engine(s, n, ml) == 0)
		ml->kind = MSI_ENGINE;
	else if (starts(s, n, "Action ") && scan_action(s, n, ml) == 0)
		ml->kind = MSI_ACTION;
	else if (starts(s, n, "Property(") &&
	    (p = memchr(s, ')', n)) != NULL && p - s <= 12 &&
	    (size_t)(p - s) + 1 < n && p[1] == ':') {
		ml->kind = MSI_PROPERTY;
		ml->comp = s;
		ml->compn = (size_t)(p + 1 - s);
	}
}

/* ------------------------------------------------------------------ */
/* severity and values */

/* Copies n bytes at s into b, replacing what it held. */
static void
set(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	buf_put(b, s, n);
}

/* Whether "Error NNNN" starts at p (an MSI error message number). */
static int
error_number(const char *p, const char *end)
{
	return end - p >= 10 && memcmp(p, "Error ", 6) == 0 &&
	    all_digits(p + 6, 4);
}

/*
 * The action an "Action [start|ended] HH:MM:SS: X." line names, or of
 * "CustomAction X returned actual error code": its start and length.
 */
static size_t
action_name(const char *s, size_t n, const char **at)
{
	const char *p, *q, *end = s + n;

	if (starts(s, n, "Action ")) {
		if ((p = memchr(s, ':', n)) == NULL ||
		    (p = memchr(p + 1, ':', (size_t)(end - p - 1))) == NULL ||
		    (p = memchr(p + 1, ':', (size_t)(end - p - 1))) == NULL)
			return 0;
		for (p++; p < end && *p == ' '; p++)
			;
	} else if ((p = ci_find(s, n, "CustomAction ")) != NULL &&
	    ci_find(s, n, " returned actual error code"))
		p += 13;
	else
		return 0;
	for (q = p; q < end && *q != ' ' && !(*q == '.' &&
	    (q + 1 == end || q[1] == ' ')); q++)
		;
	*at = p;
	return (size_t)(q - p);
}

/*
 * Severity of one line of MSI text, recording return_value and action:
 * "Return value 3" (any form) and other failure reports are errors,
 * "Return value 2" (user cancel) a warning, the rest info.
 */
static enum log_sev
msi_sev(struct msi *st, const char *s, size_t n)
{
	const char *p, *end = s + n, *a;
	enum log_sev sev = SEV_INFO;
	size_t k;

	if ((k = action_name(s, n, &a)) > 0 && st->action.len == 0)
		set(&st->action, a, k);
	if ((p = ci_find(s, n, "return value ")) != NULL) {
		for (p += 13, k = 0; p + k < end && kb_isdigit((unsigned char)p[k]);
		    k++)
			;
		if (k && st->retval.len == 0)
			set(&st->retval, p, k);
		if (k == 1 && *p == '3')
			sev = SEV_ERROR;
		else if (k == 1 && *p == '2')
			sev = SEV_WARNING;
	}
	if (ci_find(s, n, "returned actual error code") ||
	    ci_find(s, n, "Note: 1: 1708") ||
	    ((p = ci_find(s, n, " -- ")) && ci_find(p, (size_t)(end - p),
	    "failed")))
		sev = SEV_ERROR;
	/* "Installation success or error status: 1603." */
	if ((p = ci_find(s, n, "error status: ")) != NULL && end - p > 14 &&
	    kb_isdigit((unsigned char)p[14]) && p[14] != '0')
		sev = SEV_ERROR;
	if (error_number(s, end) ||
	    ((p = ci_find(s, n, "DEBUG: ")) && error_number(p + 7, end)) ||
	    ((p = ci_find(s, n, "-- ")) && error_number(p + 3, end)))
		sev = SEV_ERROR;
	return sev;
}

/*
 * Postinstall severity: "Fatal Error" is an error; an exception, a
 * failure or an "Error" line is a warning (they precede or follow the
 * fatal one); the rest info.
 */
static enum log_sev
post_sev(const char *s, size_t n)
{
	if (ci_find(s, n, "Fatal Error"))
		return SEV_ERROR;
	if (ci_find(s, n, "Exception") || ci_find(s, n, " failed") ||
	    ci_find(s, n, "failed ") || starts(s, n, "Error") ||
	    starts(s, n, "ERROR"))
		return SEV_WARNING;
	return SEV_INFO;
}

/* ------------------------------------------------------------------ */
/* records */

/* Hands the pending record to the caller. */
static void
flush(struct msi *st)
{
	size_t nkv = 0;

	if (!st->have)
		return;
	st->have = 0;
	if (st->retval.len) {
		st->kv[nkv].key = "return_value";
		st->kv[nkv++].value = st->retval.data;
	}
	if (st->action.len) {
		st->kv[nkv].key = "action";
		st->kv[nkv++].value = st->action.data;
	}
	st->rec.component = st->comp.len ? st->comp.data : NULL;
	st->rec.thread = st->thread.len ? st->thread.data : NULL;
	st->rec.msg = buf_str(&st->msg);
	st->rec.msg_len = st->msg.len;
	st->rec.kv = nkv ? st->kv : NULL;
	st->rec.nkv = nkv;
	st->env->emit(st->env, &st->rec);
}

/* Starts a pending record at this line with time ms (or TIME_NONE). */
static void
start(struct msi *st, int64_t ms, long lineno, uint64_t off)
{
	flush(st);
	memset(&st->rec, 0, sizeof(st->rec));
	st->rec.line = st->rec.end_line = lineno;
	st->rec.offset = off;
	st->rec.local_ms = ms;
	st->rec.tz_min = st->env->tz_hint;
	buf_reset(&st->comp);
	buf_reset(&st->thread);
	buf_reset(&st->msg);
	buf_reset(&st->action);
	buf_reset(&st->retval);
	st->have = 1;
	st->cut = 0;
	if (ms != TIME_NONE)
		st->last_ms = ms;
}

/*
 * Appends a continuation line to the pending record (it may raise the
 * severity).  Nothing is dropped: a line before the first record is a
 * record of its own without a time, and a record that would pass
 * MSI_MAX_MSG is emitted and continued in a new record with the same
 * time, so the text after the cut keeps its exact line.
 */
static void
add_line(struct msi *st, const char *s, size_t n, long lineno)
{
	enum log_sev sev = st->post ? post_sev(s, n) : msi_sev(st, s, n);

	if (!st->have) {
		if (st->orphans++ == 0)
			st->first_orphan = lineno;
		memset(&st->rec, 0, sizeof(st->rec));
		st->rec.line = st->rec.end_line = lineno;
		st->rec.local_ms = TIME_NONE;
		st->rec.tz_min = TZ_UNKNOWN;
		st->rec.sev = sev > SEV_INFO ? sev : SEV_INFO;
		buf_reset(&st->comp);
		buf_reset(&st->thread);
		buf_reset(&st->action);
		buf_reset(&st->retval);
		buf_reset(&st->msg);
		buf_put(&st->msg, s, n);
		st->have = 1;
		flush(st);
		return;
	}
	if (st->msg.len + n >= MSI_MAX_MSG) {
		struct record keep = st->rec;
		if (st->ncut++ == 0)
			st->first_cut = lineno;
		flush(st);
		st->rec = keep;
		st->rec.line = st->rec.end_line = lineno;
		st->rec.sev = sev > SEV_INFO ? sev : SEV_INFO;
		buf_reset(&st->action);
		buf_reset(&st->retval);
		buf_reset(&st->msg);
		buf_put(&st->msg, s, n);
		st->have = 1;
		return;
	}
	st->rec.end_line = lineno;
	buf_putc(&st->msg, '\n');
	buf_put(&st->msg, s, n);
	if (sev > st->rec.sev)
		st->rec.sev = sev;
}

/*
 * The local time of an MSI record from its time of day: the current
 * day, advanced when the clock went back by more than an hour.
 */
static int64_t
msi_time(struct msi *st, int64_t tod)
{
	if (tod < 0 || st->day == TIME_NONE)
		return TIME_NONE;
	if (st->last_tod >= 0 && tod + ROLLBACK_MS < st->last_tod)
		st->day += DAY_MS;
	st->last_tod = tod;
	return st->day + tod;
}

/* line() of the MSI log: record lines start a record (banners also
   set the day), other non-blank lines continue the pending one. */
static void
msi_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct msi *st = arg;
	struct msi_line ml;
	int64_t ms;

	while (n && kb_isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return;
	msi_classify_line(s, n, &ml);
	switch (ml.kind) {
	case MSI_CONT:
		add_line(st, s, n, lineno);
		return;
	case MSI_BANNER:
		if (ml.day != TIME_NONE) {
			st->day = ml.day;
			st->last_tod = -1;
		}
		ms = msi_time(st, ml.tod);
		break;
	case MSI_PROPERTY:
		/* The property dump is written at the end, untimed. */
		ms = st->last_ms;
		break;
	default:
		ms = msi_time(st, ml.tod);
		break;
	}
	start(st, ms, lineno, off);
	set(&st->comp, ml.kind == MSI_BANNER ? "MSI" : ml.comp,
	    ml.kind == MSI_BANNER ? 3 : ml.compn);
	set(&st->thread, ml.thread, ml.threadn);
	set(&st->msg, s, n);
	st->rec.sev = msi_sev(st, s, n);
}

/*
 * A postinstall record line: "YYYY-MM-DD HH:MM:SS message".  Returns
 * the local time and the message start in *msg, or TIME_NONE (then the
 * line continues the previous record).
 */
static int64_t
post_parse(const char *s, size_t n, size_t *msg)
{
	int64_t ms;

	if (n < 19 || !all_digits(s, 4) || s[4] != '-' ||
	    !all_digits(s + 5, 2) || s[7] != '-' || !all_digits(s + 8, 2) ||
	    s[10] != ' ' || !all_digits(s + 11, 2) || s[13] != ':' ||
	    !all_digits(s + 14, 2) || s[16] != ':' || !all_digits(s + 17, 2) ||
	    (n > 19 && s[19] != ' '))
		return TIME_NONE;
	ms = make_ms(num(s, 4), num(s + 5, 2), num(s + 8, 2), num(s + 11, 2),
	    num(s + 14, 2), num(s + 17, 2), 0);
	*msg = n > 19 ? 20 : 19;
	return ms;
}

/* line() of the postinstall log, same rule. */
static void
post_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct msi *st = arg;
	int64_t ms;
	size_t m = 0;

	while (n && kb_isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return;
	if ((ms = post_parse(s, n, &m)) == TIME_NONE) {
		add_line(st, s, n, lineno);
		return;
	}
	start(st, ms, lineno, off);
	set(&st->msg, s + m, n - m);
	st->rec.sev = post_sev(s + m, n - m);
}

/* Opens a reader; post picks the postinstall log. */
static void *
msi_open_mode(struct log_env *env, int post)
{
	struct msi *st = xcalloc(1, sizeof(*st));

	st->env = env;
	st->post = post;
	st->day = TIME_NONE;
	st->last_tod = -1;
	st->last_ms = TIME_NONE;
	return st;
}

/* open() of an MSI log. */
static void *
msi_open(struct log_env *env)
{
	return msi_open_mode(env, 0);
}

/* open() of a postinstall log. */
static void *
post_open(struct log_env *env)
{
	return msi_open_mode(env, 1);
}

/* finish() of both: emits the pending record, reports what was
   skipped, frees the state. */
static void
msi_finish(void *arg)
{
	struct msi *st = arg;

	flush(st);
	if (st->orphans)
		st->env->diag(st->env, DIAG_NOTE, st->first_orphan,
		    "%ld line(s) before the first record kept without a time",
		    st->orphans);
	if (st->ncut)
		st->env->diag(st->env, DIAG_NOTE, st->first_cut,
		    "%ld record(s) longer than %d bytes continued in new "
		    "records", st->ncut, MSI_MAX_MSG);
	buf_free(&st->comp);
	buf_free(&st->thread);
	buf_free(&st->msg);
	buf_free(&st->action);
	buf_free(&st->retval);
	free(st);
}

/* ------------------------------------------------------------------ */
/* sniffing */

/* Counts the head's first 40 non-blank lines and those of kind want. */
static void
count_lines(const char *head, size_t n, int post, int *seen, int *good)
{
	const char *p = head, *end = head + n, *nl;
	struct msi_line ml;
	size_t k, m;

	*seen = *good = 0;
	while (p < end && *seen < 40) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		for (k = (size_t)(nl - p); k && kb_isspace((unsigned char)p[k - 1]);
		    k--)
			;
		if (k) {
			(*seen)++;
			if (post)
				*good += post_parse(p, k, &m) != TIME_NONE;
			else {
				msi_classify_line(p, k, &ml);
				*good += ml.kind != MSI_CONT;
			}
		}
		p = nl + 1;
	}
}

/*
 * MSI: the logging banner (95), engine lines "MSI (s) (..) [..]:" (85),
 * or Action lines (60).  A name with "msi", "setup" or "WSUSCa" adds 3.
 */
static int
msi_sniff(const char *name, const char *head, size_t n)
{
	const char *b = path_base(name);
	int score = 0, seen, good;

	if (ci_find(head, n, "=== Verbose logging started") ||
	    ci_find(head, n, "=== Logging started"))
		score = 95;
	else if (ci_find(head, n, "MSI (s) (") || ci_find(head, n, "MSI (c) ("))
		score = 85;
	else {
		count_lines(head, n, 0, &seen, &good);
		if (good * 2 >= seen && good > 0)
			score = 60;
	}
	if (score && (ci_find(b, strlen(b), "msi") ||
	    ci_find(b, strlen(b), "setup") || ci_find(b, strlen(b), "WSUSCa")))
		score += 3;
	return score;
}

/*
 * Postinstall: most lines "YYYY-MM-DD HH:MM:SS text" with its markers
 * (Postinstall started, Detected role services, Fatal Error, wsusutil)
 * is 95; the bare shape is 45 (many tools write it); a tmp*.tmp or
 * postinstall file name adds 3.
 */
static int
post_sniff(const char *name, const char *head, size_t n)
{
	const char *b = path_base(name);
	int score, seen, good;

	count_lines(head, n, 1, &seen, &good);
	if (good == 0 || good * 2 < seen)
		return 0;
	if (ci_find(head, n, "Postinstall") ||
	    ci_find(head, n, "Detected role services") ||
	    ci_find(head, n, "Fatal Error:") || ci_find(head, n, "wsusutil"))
		score = 95;
	else
		score = 45;
	if (ci_find(b, strlen(b), "postinstall") ||
	    (kb_strncasecmp(b, "tmp", 3) == 0 &&
	    ci_find(b, strlen(b), ".tmp")))
		score += 3;
	return score;
}

const struct log_parser log_msi_parser = {
	.format = LOG_MSI,
	.name = "msi",
	.open = msi_open,
	.line = msi_line,
	.finish = msi_finish,
	.sniff = msi_sniff,
};

const struct log_parser log_postinstall_parser = {
	.format = LOG_POSTINSTALL,
	.name = "postinstall",
	.open = post_open,
	.line = post_line,
	.finish = msi_finish,
	.sniff = post_sniff,
};
