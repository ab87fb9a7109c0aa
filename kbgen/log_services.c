/*
 * log_services.c -- service and application pool state dumps:
 * LOG_SERVICES (sc query / queryex / qc blocks, the Get-Service table,
 * Get-Service or Get-CimInstance Win32_Service as CSV or JSON) and
 * LOG_APPCMD (appcmd list apppool, its /config /xml form, the
 * Get-IISAppPool table).  Private to the parser table; includes util.h,
 * logs.h and encoding.h.
 *
 * Records have no time.  Services: kv service, display_name, state
 * (RUNNING, STOPPED, START_PENDING, STOP_PENDING, CONTINUE_PENDING,
 * PAUSE_PENDING, PAUSED), start_type in sc's words (AUTO_START,
 * DEMAND_START, DISABLED, BOOT_START, SYSTEM_START), pid; a service
 * WSUS needs that is not running, or disabled, is a warning.  App
 * pools: kv apppool, state as written (Started, Stopped ...), runtime,
 * pipeline, start_mode; Stopped or Stopping is a warning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"

/* Columns a fixed-width table may have. */
#define TCOL_MAX	16
/* Deepest JSON nesting read; ConvertTo-Json's default depth is 2. */
#define JSON_DEPTH	64
/* Largest JSON document collected (a service dump is far smaller). */
#define JSON_MAX	(64u * 1024 * 1024)

/* ------------------------------------------------------------------ */
/* Shared helpers: fixed-width tables, one-line CSV. */

/*
 * A PowerShell Format-Table table: a header line, a line of dash runs
 * that give the column starts, then rows until a blank line.
 */
struct table {
	int		 active;
	size_t		 ncol;
	size_t		 start[TCOL_MAX];
	char		 name[TCOL_MAX][32];
	struct buf	 prev;		/* the last non-blank line */
};

/* Whether s is a line of dash runs (at least one of 2+ dashes). */
static int
dash_line(const char *s, size_t n)
{
	size_t i, run = 0, best = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '-')
			run++;
		else if (s[i] == ' ' || s[i] == '\t')
			run = 0;
		else
			return 0;
		if (run > best)
			best = run;
	}
	return best >= 2;
}

/* Sets up t's columns from a dash line under the header in t->prev.
 * Returns 1 when a table starts. */
static int
table_start(struct table *t, const char *s, size_t n)
{
	size_t i, k, end;
	const char *h = buf_str(&t->prev);

	if (!dash_line(s, n) || t->prev.len == 0)
		return 0;
	t->ncol = 0;
	for (i = 0; i < n && t->ncol < TCOL_MAX; i++) {
		if (s[i] != '-' || (i > 0 && s[i - 1] == '-'))
			continue;
		t->start[t->ncol++] = i;
	}
	for (k = 0; k < t->ncol; k++) {
		end = k + 1 < t->ncol ? t->start[k + 1] : t->prev.len;
		i = t->start[k] < t->prev.len ? t->start[k] : t->prev.len;
		end = end < t->prev.len ? end : t->prev.len;
		while (i < end && h[i] == ' ')
			i++;
		while (end > i && h[end - 1] == ' ')
			end--;
		snprintf(t->name[k], sizeof(t->name[k]), "%.*s",
		    (int)(end - i), h + i);
	}
	t->active = t->ncol > 0;
	return t->active;
}

/* Index of the column named name, or -1. */
static int
table_col(const struct table *t, const char *name)
{
	size_t k;

	for (k = 0; k < t->ncol; k++)
		if (kb_strcasecmp(t->name[k], name) == 0)
			return (int)k;
	return -1;
}

/* Replaces b with n bytes of s, trimmed. */
static void
buf_set(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	buf_put(b, s, n);
	buf_trim(b);
}

/*
 * Splits a row into t->ncol cells by the column starts.  A pasted copy
 * whose spacing was collapsed does not line up (a cell boundary falls
 * inside a word); then cells are whitespace-separated words and the
 * last cell takes the rest.  Returns 1 when the columns lined up.
 */
static int
table_row(const struct table *t, const char *s, size_t n, struct buf *cell)
{
	size_t k, i, e;
	int aligned = 1;

	for (k = 1; k < t->ncol; k++)
		if (t->start[k] < n && t->start[k] > 0 &&
		    s[t->start[k] - 1] != ' ' && s[t->start[k] - 1] != '\t')
			aligned = 0;
	for (k = 0, i = 0; k < t->ncol; k++) {
		if (aligned) {
			i = t->start[k] < n ? t->start[k] : n;
			e = k + 1 < t->ncol && t->start[k + 1] < n ?
			    t->start[k + 1] : n;
		} else {
			while (i < n && kb_isspace((unsigned char)s[i]))
				i++;
			for (e = i; e < n && (k + 1 == t->ncol ||
			    !kb_isspace((unsigned char)s[e])); e++)
				continue;
		}
		buf_set(&cell[k], s + i, e - i);
		i = e;
	}
	return aligned;
}

/* The fields of a one-line CSV record: NUL-separated in text. */
struct fields {
	struct buf	 text;
	size_t		 at[64];
	size_t		 n;
};

/* Splits one CSV line on commas, honouring quotes and "" (at most 64
 * fields; the rest joins the last). */
static void
csv_split(const char *s, size_t n, struct fields *f)
{
	size_t i;
	int q = 0;

	buf_reset(&f->text);
	f->n = 1;
	f->at[0] = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '"') {
			if (q && i + 1 < n && s[i + 1] == '"')
				buf_putc(&f->text, s[i++]);
			else
				q = !q;
		} else if (s[i] == ',' && !q && f->n < 64) {
			buf_putc(&f->text, '\0');
			f->at[f->n++] = f->text.len;
		} else
			buf_putc(&f->text, s[i]);
	}
	buf_putc(&f->text, '\0');
}

/* Field i of f, "" when absent. */
static const char *
field(const struct fields *f, int i)
{
	return i >= 0 && (size_t)i < f->n ? f->text.data + f->at[i] : "";
}

/* Index of the field named name (case-insensitive), or -1. */
static int
field_index(const struct fields *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (kb_strcasecmp(f->text.data + f->at[i], name) == 0)
			return (int)i;
	return -1;
}

/* Whether s (n bytes) starts with prefix. */
static int
starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* Whether the line is blank. */
static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!kb_isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Whether head contains needle. */
static int
has(const char *head, const char *needle)
{
	return strstr(head, needle) != NULL;
}

/* ------------------------------------------------------------------ */
/* LOG_SERVICES */

/* The values of one service. */
enum sfield { SF_NAME, SF_DISPLAY, SF_STATE, SF_START, SF_PID, SF__MAX };

static const char *const sf_key[SF__MAX] = {
	"service", "display_name", "state", "start_type", "pid"
};

/* Services WSUS and its clients depend on (MSSQL$* is matched apart). */
static const char *const svc_needed[] = {
	"WsusService", "W3SVC", "WAS", "MSSQL$MICROSOFT##WID", "MSSQLSERVER",
	"wuauserv", "bits", "SMS_EXECUTIVE", "CcmExec"
};

/* Where a line goes. */
enum smode { SM_TEXT, SM_CSV, SM_JSON };

/* State of one LOG_SERVICES run. */
struct svc {
	struct log_env	*env;
	enum smode	 mode;
	int		 seen;		/* a non-blank line was seen */
	struct buf	 f[SF__MAX];
	int		 open;		/* an sc block or row is pending */
	long		 line;
	long		 end_line;
	uint64_t	 off;
	struct buf	 msg;
	struct table	 t;
	struct buf	 cell[TCOL_MAX];
	struct fields	 fl;
	int		 col[SF__MAX];	/* CSV columns */
	struct buf	 copy;		/* the current line */
	struct buf	 json;
	size_t		*jline;		/* offset in json of each line */
	uint64_t	*joff;		/* its raw offset */
	size_t		 jn;
	long		 jfirst;	/* line number of the first */
};

/*
 * Whether a service name is one WSUS needs.  A name Get-Service cut
 * with "..." (or PowerShell 7's U+2026) matches by its prefix.
 */
static int
svc_needed_name(const char *name)
{
	size_t i, n = strlen(name);
	int cut = 0;

	if (n >= 3 && strcmp(name + n - 3, "...") == 0)
		n -= 3, cut = 1;
	else if (n >= 3 && strcmp(name + n - 3, "\xe2\x80\xa6") == 0)
		n -= 3, cut = 1;
	if (n >= 6 && kb_strncasecmp(name, "MSSQL$", 6) == 0)
		return 1;
	if (cut && n < 3)
		return 0;
	for (i = 0; i < sizeof(svc_needed) / sizeof(svc_needed[0]); i++)
		if (cut ? kb_strncasecmp(svc_needed[i], name, n) == 0 :
		    kb_strcasecmp(svc_needed[i], name) == 0)
			return 1;
	return 0;
}

/* Service states in sc's words, by their number (sc and .NET agree). */
static const char *const state_name[] = { NULL, "STOPPED",
    "START_PENDING", "STOP_PENDING", "RUNNING", "CONTINUE_PENDING",
    "PAUSE_PENDING", "PAUSED" };

/*
 * Replaces b with up to words words at w in sc's spelling: upper case,
 * '_' between words and between camel-case humps ("StartPending",
 * "Start Pending" -> START_PENDING).  Returns 1 when that is a known
 * state.
 */
static int
state_words(const char *w, int words, struct buf *b)
{
	size_t i;

	buf_reset(b);
	for (; kb_isalpha((unsigned char)*w) || *w == '_' || (*w == ' ' &&
	    --words > 0 && kb_isalpha((unsigned char)w[1])); w++) {
		if (*w == ' ' || (b->len && *w >= 'A' && *w <= 'Z' &&
		    w[-1] >= 'a' && w[-1] <= 'z'))
			buf_putc(b, '_');
		if (*w != ' ')
			buf_putc(b, *w >= 'a' && *w <= 'z' ? *w - 32 : *w);
	}
	for (i = 1; i < sizeof(state_name) / sizeof(state_name[0]); i++)
		if (strcmp(buf_str(b), state_name[i]) == 0)
			return 1;
	return 0;
}

/*
 * Normalizes a service state into b: a number, sc's "4  RUNNING" (the
 * word wins; a comment after it is ignored), or a name ("Running",
 * "StartPending", "Start Pending").  Anything else, such as WMI's
 * Status "OK", leaves b empty so a real state can still fill it.
 */
static void
norm_state(const char *s, struct buf *b)
{
	const char *w = s;
	int v = 0;

	buf_reset(b);
	while (kb_isspace((unsigned char)*w))
		w++;
	if (kb_isdigit((unsigned char)*w)) {
		v = atoi(w);
		while (kb_isdigit((unsigned char)*w))
			w++;
		while (*w == ' ' || *w == '\t')
			w++;
	}
	if (state_words(w, 1, b) || state_words(w, 2, b))
		return;
	buf_reset(b);
	if (v >= 1 && v <= 7 && !kb_isalpha((unsigned char)*w))
		buf_puts(b, state_name[v]);
}

/* Normalizes a start type into b in sc's words: a number (sc and .NET
 * agree: 0 boot ... 4 disabled), sc's "2   AUTO_START  (DELAYED)", or
 * a .NET / WMI name ("Automatic", "Manual", "Auto"). */
static void
norm_start(const char *s, struct buf *b)
{
	static const char *const num[] = { "BOOT_START", "SYSTEM_START",
	    "AUTO_START", "DEMAND_START", "DISABLED" };
	static const struct { const char *in, *out; } word[] = {
		{ "Automatic", "AUTO_START" }, { "Auto", "AUTO_START" },
		{ "Manual", "DEMAND_START" }, { "Disabled", "DISABLED" },
		{ "Boot", "BOOT_START" }, { "System", "SYSTEM_START" },
	};
	const char *w = s;
	size_t i, n;
	int v;

	buf_reset(b);
	while (kb_isspace((unsigned char)*w))
		w++;
	if (kb_isdigit((unsigned char)*w)) {
		v = atoi(w);
		while (kb_isdigit((unsigned char)*w) || *w == ' ' || *w == '\t')
			w++;
		if (*w == '\0' && v >= 0 && v <= 4) {
			buf_puts(b, num[v]);
			return;
		}
	}
	for (n = 0; kb_isalpha((unsigned char)w[n]) || w[n] == '_'; n++)
		continue;
	for (i = 0; i < sizeof(word) / sizeof(word[0]); i++)
		if (strlen(word[i].in) == n &&
		    kb_strncasecmp(w, word[i].in, n) == 0) {
			buf_puts(b, word[i].out);
			return;
		}
	for (i = 0; i < n; i++)
		buf_putc(b, kb_isalpha((unsigned char)w[i]) && w[i] >= 'a' ?
		    w[i] - 32 : w[i]);
}

/* Emits the pending service, if it has a name, and clears it. */
static void
svc_flush(struct svc *s)
{
	struct log_kv kv[SF__MAX];
	struct record r;
	size_t i, n = 0;
	int bad;

	if (!s->open)
		return;
	s->open = 0;
	for (i = 0; i < SF__MAX; i++)
		buf_trim(&s->f[i]);
	if (s->f[SF_NAME].len == 0)
		return;
	for (i = 0; i < SF__MAX; i++)
		if (s->f[i].len) {
			kv[n].key = sf_key[i];
			kv[n++].value = s->f[i].data;
		}
	bad = svc_needed_name(s->f[SF_NAME].data) &&
	    ((s->f[SF_STATE].len && strcmp(s->f[SF_STATE].data, "RUNNING")) ||
	    strcmp(buf_str(&s->f[SF_START]), "DISABLED") == 0);
	buf_reset(&s->msg);
	buf_printf(&s->msg, "service %s", s->f[SF_NAME].data);
	if (s->f[SF_DISPLAY].len)
		buf_printf(&s->msg, " (%s)", s->f[SF_DISPLAY].data);
	buf_printf(&s->msg, ": %s", s->f[SF_STATE].len ?
	    s->f[SF_STATE].data : "state unknown");
	if (s->f[SF_START].len)
		buf_printf(&s->msg, ", start %s", s->f[SF_START].data);
	if (s->f[SF_PID].len)
		buf_printf(&s->msg, ", pid %s", s->f[SF_PID].data);
	memset(&r, 0, sizeof(r));
	r.line = s->line;
	r.end_line = s->end_line < s->line ? s->line : s->end_line;
	r.offset = s->off;
	r.local_ms = TIME_NONE;
	r.tz_min = TZ_UNKNOWN;
	r.sev = bad ? SEV_WARNING : SEV_INFO;
	r.msg = s->msg.data;
	r.msg_len = s->msg.len;
	r.kv = kv;
	r.nkv = n;
	s->env->emit(s->env, &r);
}

/* Opens a new service at lineno. */
static void
svc_begin(struct svc *s, long lineno, uint64_t off)
{
	size_t i;

	svc_flush(s);
	for (i = 0; i < SF__MAX; i++)
		buf_reset(&s->f[i]);
	s->open = 1;
	s->line = s->end_line = lineno;
	s->off = off;
}

/* Stores one "KEY : value" of the open service when the key matters.
 * A WMI Status ("OK") never overrides a State. */
static void
sc_value(struct svc *s, const char *key, const struct buf *val)
{
	if (strcmp(key, "DISPLAY_NAME") == 0 ||
	    strcmp(key, "DisplayName") == 0)
		buf_set(&s->f[SF_DISPLAY], val->data, val->len);
	else if ((strcmp(key, "STATE") == 0 || strcmp(key, "State") == 0 ||
	    strcmp(key, "Status") == 0) && s->f[SF_STATE].len == 0)
		norm_state(buf_str(val), &s->f[SF_STATE]);
	else if (strcmp(key, "START_TYPE") == 0 ||
	    strcmp(key, "StartType") == 0 || strcmp(key, "StartMode") == 0)
		norm_start(buf_str(val), &s->f[SF_START]);
	else if (strcmp(key, "PID") == 0 || strcmp(key, "ProcessId") == 0)
		buf_set(&s->f[SF_PID], val->data, val->len);
}

/*
 * An sc line "  KEY   : value".  Returns 1 when it was one (stored
 * when the key matters), 0 otherwise.  Continuation lines ("(STOPPABLE
 * ...)", DEPENDENCIES' "  : name") are consumed without effect.
 */
static int
sc_field(struct svc *s, const char *l, size_t n)
{
	struct buf key = {0}, val = {0};
	size_t i = 0, k;

	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i < n && (l[i] == '(' || l[i] == ':'))
		return s->open;
	for (k = i; k < n && (kb_isalnum((unsigned char)l[k]) ||
	    l[k] == '_'); k++)
		continue;
	if (k - i < 2)		/* also keeps "C:\>" prompts out */
		return 0;
	buf_set(&key, l + i, k - i);
	while (k < n && (l[k] == ' ' || l[k] == '\t'))
		k++;
	if (k >= n || l[k] != ':') {
		buf_free(&key);
		return 0;
	}
	buf_set(&val, l + k + 1, n - k - 1);
	/* sc's keys, then Format-List's (Get-Service, Win32_Service) */
	if (strcmp(key.data, "SERVICE_NAME") == 0 ||
	    strcmp(key.data, "Name") == 0) {
		svc_begin(s, 0, 0);
		buf_set(&s->f[SF_NAME], val.data, val.len);
	} else if (s->open)
		sc_value(s, key.data, &val);
	buf_free(&key);
	buf_free(&val);
	return 1;
}

/* A row of a Get-Service table. */
static void
svc_table_row(struct svc *s, const char *l, size_t n, long lineno,
    uint64_t off)
{
	static const struct { const char *col; int f; } map[] = {
		{ "Name", SF_NAME }, { "ServiceName", SF_NAME },
		{ "DisplayName", SF_DISPLAY }, { "Status", SF_STATE },
		{ "StartType", SF_START }, { "State", SF_STATE },
		{ "StartMode", SF_START }, { "ProcessId", SF_PID },
	};
	size_t i;
	int k;

	table_row(&s->t, l, n, s->cell);
	svc_begin(s, lineno, off);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if ((k = table_col(&s->t, map[i].col)) < 0 ||
		    s->f[map[i].f].len)
			continue;
		if (map[i].f == SF_STATE)
			norm_state(buf_str(&s->cell[k]), &s->f[SF_STATE]);
		else if (map[i].f == SF_START)
			norm_start(buf_str(&s->cell[k]), &s->f[SF_START]);
		else
			buf_set(&s->f[map[i].f], buf_str(&s->cell[k]),
			    s->cell[k].len);
	}
	svc_flush(s);
}

/* A line of sc output or of a Get-Service table. */
static void
svc_text(struct svc *s, const char *l, size_t n, long lineno, uint64_t off)
{
	if (blank(l, n)) {
		svc_flush(s);
		s->t.active = 0;
		return;
	}
	if (s->t.active) {
		svc_table_row(s, l, n, lineno, off);
		return;
	}
	if (table_start(&s->t, l, n) && table_col(&s->t, "Name") >= 0) {
		svc_flush(s);
		return;
	}
	s->t.active = 0;
	buf_set(&s->t.prev, l, n);
	if (sc_field(s, l, n)) {
		if (s->line == 0)
			s->line = lineno, s->off = off;
		s->end_line = lineno;
		return;
	}
	svc_flush(s);		/* a prompt or other text ends a block */
}

/* The CSV header: which fields hold what. */
static void
svc_csv_header(struct svc *s)
{
	static const char *const names[SF__MAX][3] = {
		{ "Name", "ServiceName", NULL },
		{ "DisplayName", "Caption", NULL },
		{ "Status", "State", NULL },
		{ "StartType", "StartMode", NULL },
		{ "ProcessId", NULL, NULL },
	};
	size_t i, k;

	for (i = 0; i < SF__MAX; i++) {
		s->col[i] = -1;
		for (k = 0; k < 3 && names[i][k] && s->col[i] < 0; k++)
			s->col[i] = field_index(&s->fl, names[i][k]);
	}
}

/* A line of a CSV export (header, then one service per line). */
static void
svc_csv(struct svc *s, const char *l, size_t n, long lineno, uint64_t off)
{
	size_t i;

	if (blank(l, n) || starts(l, n, "#TYPE"))
		return;
	csv_split(l, n, &s->fl);
	if (s->col[SF_NAME] == -2) {
		svc_csv_header(s);
		return;
	}
	svc_begin(s, lineno, off);
	for (i = 0; i < SF__MAX; i++) {
		const char *v = field(&s->fl, s->col[i]);

		if (i == SF_STATE)
			norm_state(v, &s->f[i]);
		else if (i == SF_START)
			norm_start(v, &s->f[i]);
		else
			buf_set(&s->f[i], v, strlen(v));
	}
	svc_flush(s);
}

/* ------------------------------------------------------------------ */
/* Get-Service | ConvertTo-Json: a small reader, enough for flat
 * objects; nested values are skipped. */

struct jr {
	const char	*p;
	size_t		 n;
	size_t		 i;
	int		 err;
};

/* Skips white space. */
static void
jr_ws(struct jr *j)
{
	while (j->i < j->n && kb_isspace((unsigned char)j->p[j->i]))
		j->i++;
}

/* Four hex digits at j->i; -1 when invalid. */
static long
jr_hex4(struct jr *j)
{
	long v = 0;
	size_t k;
	int c;

	if (j->n - j->i < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		c = (unsigned char)j->p[j->i + k];
		if (!kb_isxdigit(c))
			return -1;
		v = v * 16 + (kb_isdigit(c) ? c - '0' :
		    kb_tolower(c) - 'a' + 10);
	}
	j->i += 4;
	return v;
}

/* A \u escape (after the u), surrogate pairs joined, into out. */
static void
jr_unicode(struct jr *j, struct buf *out)
{
	char u8[4];
	long cp = jr_hex4(j), lo;

	if (cp < 0) {
		j->err = 1;
		return;
	}
	if (cp >= 0xd800 && cp < 0xdc00 && j->n - j->i >= 6 &&
	    j->p[j->i] == '\\' && j->p[j->i + 1] == 'u') {
		j->i += 2;
		if ((lo = jr_hex4(j)) >= 0xdc00 && lo < 0xe000)
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		else
			cp = 0xfffd;
	}
	buf_put(out, u8, utf8_encode((uint32_t)cp, u8));
}

/* A string at j->i (on its quote) into out (may be NULL). */
static void
jr_string(struct jr *j, struct buf *out)
{
	struct buf scratch = {0};
	char c;

	if (out == NULL)
		out = &scratch;
	for (j->i++; j->i < j->n && !j->err; j->i++) {
		c = j->p[j->i];
		if (c == '"') {
			j->i++;
			buf_free(&scratch);
			return;
		}
		if (c != '\\') {
			buf_putc(out, c);
			continue;
		}
		if (++j->i >= j->n)
			break;
		switch (c = j->p[j->i]) {
		case 'n': buf_putc(out, '\n'); break;
		case 't': buf_putc(out, '\t'); break;
		case 'r': buf_putc(out, '\r'); break;
		case 'b': buf_putc(out, '\b'); break;
		case 'f': buf_putc(out, '\f'); break;
		case 'u':
			j->i++;
			jr_unicode(j, out);
			j->i--;
			break;
		default: buf_putc(out, c); break;
		}
	}
	j->err = 1;
	buf_free(&scratch);
}

static void	jr_value(struct jr *, int, struct buf *);

/* An array or object at j->i, skipped. */
static void
jr_skip_container(struct jr *j, int depth)
{
	char close = j->p[j->i] == '[' ? ']' : '}';

	if (depth >= JSON_DEPTH) {
		j->err = 1;
		return;
	}
	for (j->i++, jr_ws(j); j->i < j->n && !j->err; jr_ws(j)) {
		if (j->p[j->i] == close) {
			j->i++;
			return;
		}
		if (j->p[j->i] == ',' || j->p[j->i] == ':') {
			j->i++;
			continue;
		}
		jr_value(j, depth + 1, NULL);
	}
	j->err = 1;
}

/* Any value at j->i; a scalar's text goes to out (may be NULL),
 * containers are skipped. */
static void
jr_value(struct jr *j, int depth, struct buf *out)
{
	size_t s;

	jr_ws(j);
	if (j->i >= j->n) {
		j->err = 1;
		return;
	}
	switch (j->p[j->i]) {
	case '"':
		jr_string(j, out);
		return;
	case '[':
	case '{':
		jr_skip_container(j, depth);
		return;
	}
	for (s = j->i; j->i < j->n && (kb_isalnum((unsigned char)j->p[j->i]) ||
	    strchr("+-.", j->p[j->i]) != NULL); j->i++)
		continue;
	if (j->i == s)
		j->err = 1;
	else if (out != NULL && !(j->i - s == 4 &&
	    memcmp(j->p + s, "null", 4) == 0))
		buf_put(out, j->p + s, j->i - s);
}

/* Line number and raw offset of json offset at. */
static void
svc_json_pos(const struct svc *s, size_t at, long *line, uint64_t *off)
{
	size_t lo = 0, hi = s->jn, mid;

	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (s->jline[mid] <= at)
			lo = mid;
		else
			hi = mid;
	}
	*line = s->jfirst + (long)lo;
	*off = s->jn ? s->joff[lo] + (at - s->jline[lo]) : 0;
}

/* Stores the value of key in the pending service when it matters. */
static void
svc_json_member(struct svc *s, struct jr *j, const char *key,
    struct buf *val)
{
	static const struct { const char *key; int f; } map[] = {
		{ "Name", SF_NAME }, { "ServiceName", SF_NAME },
		{ "DisplayName", SF_DISPLAY }, { "Status", SF_STATE },
		{ "State", SF_STATE }, { "StartType", SF_START },
		{ "StartMode", SF_START }, { "ProcessId", SF_PID },
	};
	size_t i;

	buf_reset(val);
	jr_value(j, 1, val);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(key, map[i].key) != 0 || s->f[map[i].f].len ||
		    val->len == 0)
			continue;
		if (map[i].f == SF_STATE)
			norm_state(val->data, &s->f[SF_STATE]);
		else if (map[i].f == SF_START)
			norm_start(val->data, &s->f[SF_START]);
		else
			buf_set(&s->f[map[i].f], val->data, val->len);
	}
}

/* One object (at j->i, on its brace): a service when it has a name. */
static void
svc_json_object(struct svc *s, struct jr *j)
{
	struct buf key = {0}, val = {0};
	long line;
	uint64_t off;

	svc_json_pos(s, j->i, &line, &off);
	svc_begin(s, line, off);
	for (j->i++, jr_ws(j); j->i < j->n && !j->err; jr_ws(j)) {
		if (j->p[j->i] == '}') {
			j->i++;
			break;
		}
		if (j->p[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->p[j->i] != '"') {
			j->err = 1;
			break;
		}
		buf_reset(&key);
		jr_string(j, &key);
		jr_ws(j);
		if (j->i >= j->n || j->p[j->i] != ':') {
			j->err = 1;
			break;
		}
		j->i++;
		svc_json_member(s, j, buf_str(&key), &val);
	}
	svc_json_pos(s, j->i ? j->i - 1 : 0, &s->end_line, &off);
	if (j->err)
		s->open = 0;
	svc_flush(s);
	buf_free(&key);
	buf_free(&val);
}

/* The collected JSON document: one object or an array of them. */
static void
svc_json(struct svc *s)
{
	struct jr j = { s->json.data, s->json.len, 0, 0 };
	long line;
	uint64_t off;

	jr_ws(&j);
	if (j.i < j.n && j.p[j.i] == '{')
		svc_json_object(s, &j);
	else if (j.i < j.n && j.p[j.i] == '[') {
		for (j.i++, jr_ws(&j); j.i < j.n && !j.err; jr_ws(&j)) {
			if (j.p[j.i] == ']')
				break;
			if (j.p[j.i] == ',')
				j.i++;
			else if (j.p[j.i] == '{')
				svc_json_object(s, &j);
			else
				jr_value(&j, 1, NULL);
		}
		if (j.i >= j.n)
			j.err = 1;
	}
	if (j.err) {
		svc_json_pos(s, j.i < j.n ? j.i : j.n, &line, &off);
		s->env->diag(s->env, DIAG_ERROR, line, "malformed JSON");
	}
}

/* Adds a line to the JSON document being collected. */
static void
svc_json_line(struct svc *s, const char *l, size_t n, long lineno,
    uint64_t off)
{
	if (s->json.len + n + 1 > JSON_MAX) {
		if (s->json.len <= JSON_MAX)
			s->env->diag(s->env, DIAG_ERROR, lineno,
			    "JSON service dump too large");
		s->json.len = JSON_MAX + 1;
		return;
	}
	if (s->jn == 0)
		s->jfirst = lineno;
	if ((s->jn & (s->jn - 1)) == 0) {
		s->jline = xrealloc(s->jline, (s->jn ? s->jn * 2 : 1) *
		    sizeof(*s->jline));
		s->joff = xrealloc(s->joff, (s->jn ? s->jn * 2 : 1) *
		    sizeof(*s->joff));
	}
	s->jline[s->jn] = s->json.len;
	s->joff[s->jn++] = off;
	buf_put(&s->json, l, n);
	buf_putc(&s->json, '\n');
}

static void *
services_open(struct log_env *env)
{
	struct svc *s = xcalloc(1, sizeof(*s));

	s->env = env;
	return s;
}

/* Whether a first line opens JSON: "{", or "[" then an object, a
 * string, "]" or the line end ("[SC] ..." is sc's). */
static int
json_first(const char *l, size_t n)
{
	size_t i = 1;

	if (n == 0 || (l[0] != '[' && l[0] != '{'))
		return 0;
	if (l[0] == '{')
		return 1;
	while (i < n && kb_isspace((unsigned char)l[i]))
		i++;
	return i == n || l[i] == '{' || l[i] == '"' || l[i] == ']';
}

/* Whether the first line of a file is a Get-Service CSV header. */
static int
svc_csv_first(const char *l, size_t n)
{
	return starts(l, n, "#TYPE System.ServiceProcess") ||
	    starts(l, n, "#TYPE Selected.System.ServiceProcess") ||
	    starts(l, n, "#TYPE Microsoft.Management.Infrastructure") ||
	    (starts(l, n, "\"") && memchr(l, ',', n) != NULL &&
	    (strstr(l, "\"ServiceName\"") || strstr(l, "\"StartMode\"") ||
	    (strstr(l, "\"Name\"") && strstr(l, "\"Status\""))));
}

/* LINE: the first non-blank line decides between JSON, CSV and text
 * (sc blocks and tables, any number, with prompts between). */
static void
services_line(void *arg, const char *l, size_t n, long lineno, uint64_t off)
{
	struct svc *s = arg;
	size_t i = 0;

	/* a NUL-terminated copy, so no string function can run past it */
	buf_reset(&s->copy);
	buf_put(&s->copy, l, n);
	l = buf_str(&s->copy);

	if (!s->seen && !blank(l, n)) {
		s->seen = 1;
		while (i < n && kb_isspace((unsigned char)l[i]))
			i++;
		if (json_first(l + i, n - i))
			s->mode = SM_JSON;
		else if (svc_csv_first(l, n)) {
			s->mode = SM_CSV;
			s->col[SF_NAME] = -2;	/* header next */
		}
	}
	if (s->mode == SM_JSON)
		svc_json_line(s, l, n, lineno, off);
	else if (s->mode == SM_CSV)
		svc_csv(s, l, n, lineno, off);
	else
		svc_text(s, l, n, lineno, off);
}

static void
services_finish(void *arg)
{
	struct svc *s = arg;
	size_t i;

	if (s->mode == SM_JSON && s->json.len <= JSON_MAX)
		svc_json(s);
	svc_flush(s);
	for (i = 0; i < SF__MAX; i++)
		buf_free(&s->f[i]);
	for (i = 0; i < TCOL_MAX; i++)
		buf_free(&s->cell[i]);
	buf_free(&s->msg);
	buf_free(&s->t.prev);
	buf_free(&s->fl.text);
	buf_free(&s->json);
	buf_free(&s->copy);
	free(s->jline);
	free(s->joff);
	free(s);
}

/* sc's field names, the PowerShell type line, the table header, or a
 * JSON dump with service properties. */
static int
services_sniff(const char *name, const char *head, size_t n)
{
	const char *p = head;

	while (kb_isspace((unsigned char)*p))
		p++;
	if (has(head, "#TYPE System.ServiceProcess.ServiceController") ||
	    (has(head, "#TYPE Selected.System.ServiceProcess.ServiceController")))
		return 100;
	if (has(head, "SERVICE_NAME:") && (has(head, "STATE ") ||
	    has(head, "START_TYPE ") || has(head, "TYPE ")))
		return 90;
	if ((*p == '[' || *p == '{') && has(head, "\"ServiceName\"") &&
	    has(head, "\"Status\""))
		return 85;
	if ((*p == '[' || *p == '{') && has(head, "\"StartMode\"") &&
	    has(head, "\"State\""))
		return 85;
	if (*p == '"' && has(head, "\"ServiceName\"") &&
	    has(head, "\"Status\""))
		return 85;
	/*
	 * Get-Service | Select Name,DisplayName,Status,StartType, exported
	 * with -NoTypeInformation or ConvertTo-Json: "Name", not
	 * "ServiceName", beside the service-only columns.
	 */
	if ((*p == '"' || *p == '[' || *p == '{') && has(head, "\"Name\"") &&
	    has(head, "\"Status\"") && (has(head, "\"StartType\"") ||
	    has(head, "\"DisplayName\"")))
		return 80;
	if (has(head, "Status") && has(head, "DisplayName") &&
	    has(head, "------"))
		return 80;
	return 0;
}

const struct log_parser log_services_parser = {
	LOG_SERVICES, "services", 0, services_open, services_line,
	services_finish, NULL, services_sniff
};

/* ------------------------------------------------------------------ */
/* LOG_APPCMD */

/* The values of one application pool. */
enum afield { AF_POOL, AF_STATE, AF_RUNTIME, AF_PIPELINE, AF_START,
	AF__MAX };

static const char *const af_key[AF__MAX] = {
	"apppool", "state", "runtime", "pipeline", "start_mode"
};

/* State of one LOG_APPCMD run. */
struct appcmd {
	struct log_env	*env;
	struct buf	 f[AF__MAX];
	struct buf	 msg;
	struct table	 t;
	struct buf	 cell[TCOL_MAX];
	struct buf	 copy;		/* the current line */
};

/* Emits the pool in a->f; msg is the line as written. */
static void
appcmd_emit(struct appcmd *a, const char *l, size_t n, long lineno,
    uint64_t off)
{
	struct log_kv kv[AF__MAX];
	struct record r;
	size_t i, k = 0;
	const char *st;

	for (i = 0; i < AF__MAX; i++)
		if (a->f[i].len) {
			kv[k].key = af_key[i];
			kv[k++].value = a->f[i].data;
		}
	if (a->f[AF_POOL].len == 0)
		return;
	st = buf_str(&a->f[AF_STATE]);
	buf_set(&a->msg, l, n);
	memset(&r, 0, sizeof(r));
	r.line = r.end_line = lineno;
	r.offset = off;
	r.local_ms = TIME_NONE;
	r.tz_min = TZ_UNKNOWN;
	r.sev = kb_strcasecmp(st, "Stopped") == 0 ||
	    kb_strcasecmp(st, "Stopping") == 0 ? SEV_WARNING : SEV_INFO;
	r.msg = buf_str(&a->msg);
	r.msg_len = a->msg.len;
	r.kv = kv;
	r.nkv = k;
	a->env->emit(a->env, &r);
}

/* Clears the pending pool. */
static void
appcmd_clear(struct appcmd *a)
{
	size_t i;

	for (i = 0; i < AF__MAX; i++)
		buf_reset(&a->f[i]);
}

/* APPPOOL "WsusPool" (MgdVersion:v4.0,MgdMode:Integrated,state:Stopped) */
static void
appcmd_list(struct appcmd *a, const char *l, size_t n)
{
	const char *q, *e, *p, *end = l + n, *c, *v;

	q = memchr(l, '"', n);
	e = q ? memchr(q + 1, '"', (size_t)(end - q - 1)) : NULL;
	if (e == NULL)
		return;
	buf_set(&a->f[AF_POOL], q + 1, (size_t)(e - q - 1));
	if ((p = memchr(e, '(', (size_t)(end - e))) == NULL)
		return;
	for (p++; p < end && *p != ')'; p = c + 1) {
		for (c = p; c < end && *c != ',' && *c != ')'; c++)
			continue;
		if ((v = memchr(p, ':', (size_t)(c - p))) == NULL)
			continue;
		if (v - p == 5 && kb_strncasecmp(p, "state", 5) == 0)
			buf_set(&a->f[AF_STATE], v + 1, (size_t)(c - v - 1));
		else if (v - p == 10 &&
		    kb_strncasecmp(p, "MgdVersion", 10) == 0)
			buf_set(&a->f[AF_RUNTIME], v + 1, (size_t)(c - v - 1));
		else if (v - p == 7 && kb_strncasecmp(p, "MgdMode", 7) == 0)
			buf_set(&a->f[AF_PIPELINE], v + 1, (size_t)(c - v - 1));
		if (c >= end)
			break;
	}
}

/* Replaces b with the XML attribute name="..." of the tag in l,
 * predefined entities decoded; empty when absent. */
static void
xml_attr(const char *l, size_t n, const char *name, struct buf *b)
{
	static const struct { const char *ent, *c; } ents[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&apos;", "'" },
	};
	size_t k = strlen(name), i, e, x;

	buf_reset(b);
	for (i = 0; i + k + 2 <= n; i++) {
		if ((i > 0 && !kb_isspace((unsigned char)l[i - 1])) ||
		    memcmp(l + i, name, k) != 0 || l[i + k] != '=' ||
		    (l[i + k + 1] != '"' && l[i + k + 1] != '\''))
			continue;
		for (e = i + k + 2; e < n && l[e] != l[i + k + 1]; e++) {
			for (x = 0; x < 5; x++)
				if (e + strlen(ents[x].ent) <= n &&
				    memcmp(l + e, ents[x].ent,
				    strlen(ents[x].ent)) == 0)
					break;
			if (x < 5) {
				buf_puts(b, ents[x].c);
				e += strlen(ents[x].ent) - 1;
			} else
				buf_putc(b, l[e]);
		}
		return;
	}
}

/* <APPPOOL APPPOOL.NAME="WsusPool" PipelineMode=".." RuntimeVersion=".."
 * state="Started"> of appcmd list apppool /config /xml */
static void
appcmd_xml(struct appcmd *a, const char *l, size_t n)
{
	xml_attr(l, n, "APPPOOL.NAME", &a->f[AF_POOL]);
	xml_attr(l, n, "state", &a->f[AF_STATE]);
	xml_attr(l, n, "RuntimeVersion", &a->f[AF_RUNTIME]);
	xml_attr(l, n, "PipelineMode", &a->f[AF_PIPELINE]);
}

/* Pool states Get-IISAppPool prints (ObjectState). */
static int
pool_state_word(const char *s, size_t n)
{
	static const char *const w[] = { "Started", "Stopped", "Starting",
	    "Stopping", "Unknown" };
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (strlen(w[i]) == n && kb_strncasecmp(s, w[i], n) == 0)
			return 1;
	return 0;
}

/*
 * A Get-IISAppPool row.  When pasting collapsed the spacing, names with
 * spaces (".NET v4.5 Classic") still split right: the name is what
 * precedes the first state word.
 */
static void
appcmd_row(struct appcmd *a, const char *l, size_t n)
{
	static const struct { const char *col; int f; } map[] = {
		{ "Name", AF_POOL }, { "Status", AF_STATE },
		{ "State", AF_STATE }, { "CLR Ver", AF_RUNTIME },
		{ "Pipeline Mode", AF_PIPELINE }, { "Start Mode", AF_START },
	};
	size_t i, s, e;
	int k;

	if (table_row(&a->t, l, n, a->cell)) {
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if ((k = table_col(&a->t, map[i].col)) >= 0)
				buf_set(&a->f[map[i].f], buf_str(&a->cell[k]),
				    a->cell[k].len);
		return;
	}
	for (s = 0; s < n; s = e) {
		while (s < n && kb_isspace((unsigned char)l[s]))
			s++;
		for (e = s; e < n && !kb_isspace((unsigned char)l[e]); e++)
			continue;
		if (s > 0 && pool_state_word(l + s, e - s))
			break;
	}
	if (s >= n)
		return;
	buf_set(&a->f[AF_POOL], l, s);
	buf_set(&a->f[AF_STATE], l + s, e - s);
}

static void *
appcmd_open(struct log_env *env)
{
	struct appcmd *a = xcalloc(1, sizeof(*a));

	a->env = env;
	return a;
}

/* LINE: list lines, /config /xml tags and table rows, anywhere. */
static void
appcmd_line(void *arg, const char *l, size_t n, long lineno, uint64_t off)
{
	struct appcmd *a = arg;
	size_t i = 0;

	/* a NUL-terminated copy, so no string function can run past it */
	buf_reset(&a->copy);
	buf_put(&a->copy, l, n);
	l = buf_str(&a->copy);

	if (blank(l, n)) {
		a->t.active = 0;
		return;
	}
	while (i < n && kb_isspace((unsigned char)l[i]))
		i++;
	appcmd_clear(a);
	if (starts(l + i, n - i, "APPPOOL \"")) {
		appcmd_list(a, l + i, n - i);
		a->t.active = 0;
	} else if (starts(l + i, n - i, "<APPPOOL ")) {
		appcmd_xml(a, l + i, n - i);
		a->t.active = 0;
	} else if (a->t.active)
		appcmd_row(a, l, n);
	else if (table_start(&a->t, l, n) && table_col(&a->t, "Name") >= 0)
		return;
	else {
		a->t.active = 0;
		buf_set(&a->t.prev, l, n);
		return;
	}
	appcmd_emit(a, l + i, n - i, lineno, off + i);
}

static void
appcmd_finish(void *arg)
{
	struct appcmd *a = arg;
	size_t i;

	for (i = 0; i < AF__MAX; i++)
		buf_free(&a->f[i]);
	for (i = 0; i < TCOL_MAX; i++)
		buf_free(&a->cell[i]);
	buf_free(&a->msg);
	buf_free(&a->t.prev);
	buf_free(&a->copy);
	free(a);
}

/* appcmd's line shapes or the Get-IISAppPool header decide. */
static int
appcmd_sniff(const char *name, const char *head, size_t n)
{
	const char *p;

	if (strncmp(head, "APPPOOL \"", 9) == 0)
		return 90;
	for (p = head; (p = strchr(p, '\n')) != NULL; )
		if (strncmp(++p, "APPPOOL \"", 9) == 0)
			return 90;
	if (has(head, "<APPPOOL APPPOOL.NAME="))
		return 90;
	if (has(head, "Name") && has(head, "Status") &&
	    has(head, "CLR Ver") && has(head, "Pipeline Mode"))
		return 90;
	return 0;
}

const struct log_parser log_appcmd_parser = {
	LOG_APPCMD, "appcmd", 0, appcmd_open, appcmd_line, appcmd_finish,
	NULL, appcmd_sniff
};
