/*
 * signal.c -- what a log record says that the matcher looks for: error
 * codes in every written form, status message IDs, HTTP statuses, event
 * IDs, service and app-pool states, configuration and registry values,
 * the WSUS server a client uses.  See signal.h.
 *
 * The scan is a single pass over the message that only looks closer at
 * digits and a few keywords, so healthy lines cost little.
 */
#define _GNU_SOURCE	/* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "util.h"
#include "article.h"
#include "codes.h"
#include "logs.h"
#include "signals.h"

#define add	signal_add

/* Adds a signal unless the record already has the same one. */
void
signal_add(struct signals *sg, const char *kind, const char *value,
    const char *raw, size_t rawlen)
{
	size_t i;
	struct signal *s;

	for (i = 0; i < sg->n; i++)
		if (strcmp(sg->v[i].kind, kind) == 0 &&
		    strcmp(sg->v[i].value, value) == 0)
			return;
	if (sg->n == SIGNALS_MAX)
		return;
	s = &sg->v[sg->n++];
	s->kind = kind;
	snprintf(s->value, sizeof(s->value), "%s", value);
	if (rawlen >= sizeof(s->raw))
		rawlen = sizeof(s->raw) - 1;
	memcpy(s->raw, raw, rawlen);
	s->raw[rawlen] = '\0';
}

/* An HRESULT and, for FACILITY_WIN32, the Win32 code inside it. */
static void
add_hresult(struct signals *sg, uint32_t hr, const char *raw, size_t n)
{
	char v[16];

	code_hresult_format(hr, v);
	add(sg, "hresult", v, raw, n);
	if ((hr >> 16 & 0x1fff) == 7) {
		snprintf(v, sizeof(v), "%u", hr & 0xffff);
		add(sg, "win32", v, raw, n);
	}
}

static int
hexval(int c)
{
	return kb_isdigit(c) ? c - '0' : (kb_tolower(c) - 'a' + 10);
}

/* Is p[i] at a word boundary on its left? */
static int
left_edge(const char *p, size_t i)
{
	return i == 0 || !kb_isalnum((unsigned char)p[i - 1]);
}

/*
 * The HRESULT forms of log messages: 0x80072EE2, hr=8024402C,
 * [8024000C], "error 0x...", 10-digit unsigned and signed decimals in
 * the failure range.  Returns the length consumed at p+i (0: none).
 */
static size_t
scan_hresult(struct signals *sg, const char *p, size_t n, size_t i)
{
	size_t j, k = i;
	uint32_t hr = 0;
	int neg = 0;
	uint64_t d = 0;

	if (!left_edge(p, i))
		return 0;
	if (p[k] == '0' && k + 1 < n && (p[k + 1] | 32) == 'x')
		k += 2;
	for (j = k; j < n && j - k < 9 && kb_isxdigit((unsigned char)p[j]); j++)
		hr = hr << 4 | (uint32_t)hexval((unsigned char)p[j]);
	/* A GUID's first group ("80070643-1111-...") is no code. */
	if (j - k == 8 && j + 1 < n && p[j] == '-' &&
	    kb_isxdigit((unsigned char)p[j + 1]))
		return 0;
	if (j - k == 8 && (j == n || !kb_isalnum((unsigned char)p[j])) &&
	    (hr & 0x80000000u)) {
		/* Bare 8-hex needs the failure families, not any hash. */
		int bare = k == i;
		if (!bare || (hr >> 24) == 0x80 || (hr >> 24) == 0xc0 ||
		    (hr >> 20) == 0x87d) {
			add_hresult(sg, hr, p + i, j - i);
			return j - i;
		}
	}
	/* Decimal: 2147944003 or -2147023293. */
	k = i;
	if (p[k] == '-' ) {
		neg = 1;
		k++;
	}
	for (j = k; j < n && j - k < 11 && kb_isdigit((unsigned char)p[j]); j++)
		d = d * 10 + (uint64_t)(p[j] - '0');
	if (j - k == 10 && (j == n || !kb_isalnum((unsigned char)p[j]))) {
		if (neg && d >= 1 && d <= 2147483648ull)
			hr = (uint32_t)(0x100000000ull - d);
		else if (!neg && d >= 0x80000000ull && d <= 0xffffffffull)
			hr = (uint32_t)d;
		else
			return 0;
		/* Other 10-digit numbers (ids, sizes such as 2^31) are not
		 * codes: failures are 0x8... or 0xC... with a code field. */
		if (((hr >> 28) != 0x8 && (hr >> 28) != 0xc) ||
		    (hr & 0xffff) == 0)
			return 0;
		add_hresult(sg, hr, p + i, j - i);
		return j - i;
	}
	return 0;
}

/* Case-insensitive "does p+i start with w"? */
static int
at(const char *p, size_t n, size_t i, const char *w)
{
	size_t m = strlen(w);

	return n - i >= m && kb_strncasecmp(p + i, w, m) == 0;
}

/* Reads a decimal of 3 digits at p+i (word-bounded); -1 when none. */
static int
status3(const char *p, size_t n, size_t i)
{
	if (n - i < 3 || !kb_isdigit((unsigned char)p[i]) ||
	    !kb_isdigit((unsigned char)p[i + 1]) ||
	    !kb_isdigit((unsigned char)p[i + 2]) ||
	    (n - i > 3 && kb_isalnum((unsigned char)p[i + 3])))
		return -1;
	return (p[i] - '0') * 100 + (p[i + 1] - '0') * 10 + (p[i + 2] - '0');
}

/*
 * HTTP statuses in messages: "HTTP status 503", "HTTP Error 503",
 * "HTTP 503", "(503) Server Unavailable", "(401) Unauthorized".
 */
static void
scan_http(struct signals *sg, const char *p, size_t n, size_t i)
{
	static const char *const intro[] = { "http status ", "http error ",
	    "http ", "status code ", "status code: ", NULL };
	const char *const *w;
	char v[8];
	int st;

	for (w = intro; ((p[i] | 32) == 'h' || (p[i] | 32) == 's') && *w; w++) {
		if (!left_edge(p, i) || !at(p, n, i, *w))
			continue;
		st = status3(p, n, i + strlen(*w));
		if (st >= 100 && st <= 599) {
			snprintf(v, sizeof(v), "%d", st);
			add(sg, "http", v, p + i, strlen(*w) + 3);
			return;
		}
	}
	if (p[i] == '(' && (st = status3(p, n, i + 1)) >= 400 && st <= 599 &&
	    i + 4 < n && p[i + 4] == ')') {
		snprintf(v, sizeof(v), "%d", st);
		add(sg, "http", v, p + i, 5);
	}
}

static void	wsus_url(struct signals *, const char *, size_t);

/*
 * A client or site server names the WSUS server it uses, after "WSUS ":
 * "WSUS server: URL" (WUAHandler, WindowsUpdate.log, WCM), "WSUS
 * Client/Server URL: URL" (Get-WindowsUpdateLog), "WSUS Path='URL'"
 * (LocationServices).
 */
static void
wsus_intro(struct signals *sg, const char *p, size_t n)
{
	static const char *const intro[] = { "server: ",
	    "Client/Server URL: ", "Path='", NULL };
	const char *const *w;
	size_t m;

	for (w = intro; *w; w++) {
		m = strlen(*w);
		if (n > m && memcmp(p, *w, m) == 0) {
			wsus_url(sg, p + m, n - m);
			return;
		}
	}
}

/*
 * ipconfig's "IPv4 Address. . . . . . . . . . . : 10.81.4.23(Preferred)"
 * (older: "IP Address. . . : x"): the host's own address.
 */
static void
host_ip(struct signals *sg, const char *p, size_t n)
{
	const char *colon = memchr(p, ':', n), *q, *end = p + n;
	char v[16];
	int dots = 0;
	size_t k;

	if (colon == NULL || colon - p > 48)
		return;
	for (q = p + 10; q < colon; q++)	/* only ". . ." between */
		if (*q != '.' && *q != ' ' && *q != '\t' && !kb_isalnum((unsigned char)*q))
			return;
	for (q = colon + 1; q < end && *q == ' '; q++)
		;
	for (k = 0; q + k < end && k < sizeof(v) - 1 &&
	    (kb_isdigit((unsigned char)q[k]) || q[k] == '.'); k++)
		dots += q[k] == '.';
	if (dots != 3 || k < 7 || (q + k < end && kb_isdigit((unsigned char)q[k])))
		return;
	memcpy(v, q, k);
	v[k] = '\0';
	add(sg, "host_ip", v, q, k);
}

/*
 * What may start a signal at p[i], by the byte's class: 1 digit, '-' or
 * C (a bare NTSTATUS-family code, C0000005), 2 '(', 3 a keyword's
 * initial (h H s S W I).
 */
static const unsigned char trigger_class[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
	['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['-'] = 1, ['C'] = 1, ['c'] = 1,
	['('] = 2, ['h'] = 3, ['H'] = 3, ['s'] = 3,
	['S'] = 3, ['W'] = 3, ['I'] = 3,
};

/*
 * Looks closer at p[i], a byte of trigger_class c; returns where the
 * scan goes on.
 */
static size_t
at_trigger(struct signals *sg, const char *p, size_t n, size_t i, int cls)
{
	unsigned char c = (unsigned char)p[i];
	size_t k;

	switch (cls) {
	case 1:
		/* A code needs 8 hex digits or 10 decimal ones: a shorter
		 * run (a time, a count) is skipped at once. */
		for (k = i + (c == '-'); k < n && kb_isalnum((unsigned char)p[k]);
		    k++)
			;
		if (k - i - (c == '-') >= 8 &&
		    (k = scan_hresult(sg, p, n, i)) > 0)
			return i + k;
		if (c != '-')	/* skip the rest of the number */
			while (i + 1 < n && kb_isalnum((unsigned char)p[i + 1]))
				i++;
		return i + 1;
	case 2:
		scan_http(sg, p, n, i);
		return i + 1;
	default:
		break;
	}
	if (!left_edge(p, i))
		return i + 1;
	if ((c | 32) == 'h' && i + 3 < n && (p[i + 1] | 32) == 't')
		scan_http(sg, p, n, i);
	else if ((c | 32) == 's' && i + 6 < n && (p[i + 1] | 32) == 't')
		scan_http(sg, p, n, i);
	else if ((c | 32) == 'h' && i + 3 < n && p[i + 2] == '=' &&
	    (p[i + 1] | 32) == 'r') {
		/* hr=8024402C (bare 8-hex of any family). */
		uint32_t hr = 0;
		for (k = i + 3; k < n && k - i - 3 < 9 &&
		    kb_isxdigit((unsigned char)p[k]); k++)
			hr = hr << 4 | (uint32_t)hexval((unsigned char)p[k]);
		if (k - i - 3 == 8 && (hr & 0x80000000u))
			add_hresult(sg, hr, p + i, k - i);
	} else if (c == 'W' && n - i > 10 && memcmp(p + i, "WSUS ", 5) == 0)
		wsus_intro(sg, p + i + 5, n - i - 5);
	else if (c == 'I' && n - i > 12 && (memcmp(p + i, "IPv4 Address",
	    12) == 0 || memcmp(p + i, "IP Address", 10) == 0))
		host_ip(sg, p + i, n - i);
	return i + 1;
}

#if defined(__SSE2__)
/* Bytes of v equal to c, as 0xff. */
#define EQ(v, c)	_mm_cmpeq_epi8((v), _mm_set1_epi8((char)(c)))

/*
 * Bit k set: p[k] (of the 16 bytes at p) may start a signal.  Digits,
 * '-' and keyword initials count only at a word's start (every closer
 * look at them begins by asking that), and an initial only when the
 * keyword's second byte follows ("ht", "st", "hr", "WS", "IP", "C0");
 * '(' anywhere.  prev holds the bytes before (p[-1] .. p[14]), next the
 * bytes after (p[1] .. p[16]).
 */
static unsigned
triggers16(__m128i v, __m128i prev, __m128i next)
{
	const __m128i zero = _mm_setzero_si128(), lc = _mm_set1_epi8(32);
	__m128i d, pd, l, ln, pl, alpha_prev, t, kw;

	/* x - '0' <= 9 unsigned: a digit. */
	d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	d = _mm_cmpeq_epi8(_mm_subs_epu8(d, _mm_set1_epi8(9)), zero);
	pd = _mm_sub_epi8(prev, _mm_set1_epi8('0'));
	pd = _mm_cmpeq_epi8(_mm_subs_epu8(pd, _mm_set1_epi8(9)), zero);
	pl = _mm_sub_epi8(_mm_or_si128(prev, lc), _mm_set1_epi8('a'));
	alpha_prev = _mm_cmpeq_epi8(_mm_subs_epu8(pl, _mm_set1_epi8(25)),
	    zero);
	l = _mm_or_si128(v, lc);
	ln = _mm_or_si128(next, lc);
	kw = _mm_and_si128(_mm_or_si128(EQ(l, 'h'), EQ(l, 's')), EQ(ln, 't'));
	kw = _mm_or_si128(kw, _mm_and_si128(EQ(l, 'h'), EQ(ln, 'r')));
	kw = _mm_or_si128(kw, _mm_and_si128(EQ(v, 'W'), EQ(next, 'S')));
	kw = _mm_or_si128(kw, _mm_and_si128(EQ(v, 'I'), EQ(next, 'P')));
	kw = _mm_or_si128(kw, _mm_and_si128(EQ(l, 'c'), EQ(next, '0')));
	t = _mm_or_si128(_mm_or_si128(d, EQ(v, '-')), kw);
	t = _mm_andnot_si128(_mm_or_si128(pd, alpha_prev), t);
	t = _mm_or_si128(t, EQ(v, '('));
	return (unsigned)_mm_movemask_epi8(t);
}

/* Bit k set: byte k of v is an ASCII letter or digit (kb_isalnum). */
static unsigned
alnum16(__m128i v)
{
	const __m128i zero = _mm_setzero_si128();
	__m128i d, a;

	d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	d = _mm_cmpeq_epi8(_mm_subs_epu8(d, _mm_set1_epi8(9)), zero);
	a = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(32)), _mm_set1_epi8('a'));
	a = _mm_cmpeq_epi8(_mm_subs_epu8(a, _mm_set1_epi8(25)), zero);
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(d, a));
}
#undef EQ
#endif

/*
 * Text signals of one message, in one pass.  Only digits, '-', '(' and
 * the first letter of a few keywords make it look closer; with SSE2 the
 * bytes that cannot start anything (most of a healthy line) are passed
 * over 16 at a time, otherwise one table lookup each.
 */
static void
scan_message(struct signals *sg, const char *p, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__)
	while (i + 17 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i prev = i ? _mm_loadu_si128((const __m128i *)
		    (const void *)(p + i - 1)) : _mm_slli_si128(v, 1);
		__m128i next = _mm_loadu_si128((const __m128i *)
		    (const void *)(p + i + 1));
		unsigned m = triggers16(v, prev, next);
		size_t resume = i, base = i;
		/* Letters and digits of the 32 bytes from p+i, when there
		 * are 32: a number shorter than 8 is no code, and the most
		 * common trigger, so it is told here without a call. */
		uint32_t an = 0;
		int wide = i + 32 <= n;

		if (m != 0 && wide)
			an = alnum16(v) | (uint32_t)alnum16(_mm_loadu_si128(
			    (const __m128i *)(const void *)(p + i + 16))) << 16;
		for (; m; m &= m - 1) {
			unsigned k = (unsigned)__builtin_ctz(m);
			size_t j = base + k;
			int cls = trigger_class[(unsigned char)p[j]];
			if (j < resume)
				continue;
			if (cls == 1 && wide &&
			    (an >> (k + (p[j] == '-')) & 0xff) != 0xff)
				continue;	/* as at_trigger() would */
			resume = at_trigger(sg, p, n, j, cls);
		}
		i = resume > base + 16 ? resume : base + 16;
	}
#endif
	while (i < n) {
		int cls = trigger_class[(unsigned char)p[i]];
		i = cls ? at_trigger(sg, p, n, i, cls) : i + 1;
	}
}

/* May c be part of a host name? */
static int
host_char(int c)
{
	return kb_isalnum(c) || c == '-' || c == '.' || c == '_';
}

/*
 * The server a client is pointed at, as "host[:port]" lower-case, from
 * url[0..len): "http://wsus01.contoso.com:8530/x" -> "wsus01.contoso.com:8530".
 * Without a scheme (WCM's "WSUS server: NAME, port: 8530, useSSL: ...")
 * the name counts only when a port follows it or it is all there is: the
 * same words also introduce errors ("local WSUS server:
 * System.Data.SqlClient.SqlException (0x80131904)") that are no server.
 */
static void
wsus_url(struct signals *sg, const char *url, size_t len)
{
	const char *end = url + len, *p = memmem(url, len, "://", 3), *e, *q;
	char v[SIGNAL_VALUE_MAX];
	size_t n, i, port = 0;
	int scheme = p != NULL;

	p = scheme ? p + 3 : url;
	while (!scheme && p < end && (*p == ' ' || *p == '\''))
		p++;
	if (p < end && *p == '[') {		/* [fd00::5] */
		for (e = p; e < end && *e != ']'; e++)
			;
		e += e < end;
	} else
		for (e = p; e < end && host_char((unsigned char)*e); e++)
			;
	n = (size_t)(e - p);
	while (n > 0 && p[n - 1] == '.')
		n--;
	if (n == 0 || n + 8 >= sizeof(v) || p[0] == '.' || p[0] == '-')
		return;
	if (e < end && *e == ':') {		/* :8530 */
		for (q = e + 1; q < end && kb_isdigit((unsigned char)*q); q++)
			;
		if (q - e - 1 < 1 || q - e - 1 > 5)
			return;
		port = (size_t)strtoul(e + 1, NULL, 10);
		e = q;
	}
	if (e < end && !scheme && port == 0) {
		/* ", port: 8530" after a bare name. */
		q = e;
		if (end - q > 8 && memcmp(q, ", port: ", 8) == 0 &&
		    kb_isdigit((unsigned char)q[8]))
			port = (size_t)strtoul(q + 8, NULL, 10);
		else {
			while (q < end && (*q == ' ' || *q == '\t' ||
			    *q == '\r' || *q == '\n'))
				q++;
			if (q < end)
				return;
		}
	}
	if (scheme && e < end && *e != '/' && *e != ' ' && *e != '"' &&
	    *e != '\'' && *e != '\n' && *e != '\r' && *e != ',' &&
	    *e != ';' && *e != ')' && *e != ']')
		return;			/* "http://$WSUSSERVER:8530" */
	if (port > 65535)
		return;
	for (i = 0; i < n; i++)
		v[i] = (char)kb_tolower((unsigned char)p[i]);
	v[n] = '\0';
	if (port)
		snprintf(v + n, sizeof(v) - n, ":%zu", port);
	add(sg, "wsus_url", v, url, (size_t)(e - url));
}

/* Signals from structured values (kv), by the shared key names. */
static void
scan_kv(struct signals *sg, const struct record *r)
{
	const char *v, *w;
	char buf[SIGNAL_VALUE_MAX];

	if (r->nkv == 0)	/* most records: fifteen lookups saved */
		return;
	if ((v = log_kv(r, "statmsg_id")) != NULL)
		add(sg, "statmsg", v, v, strlen(v));
	if ((v = log_kv(r, "event_id")) != NULL)
		add(sg, "event", v, v, strlen(v));
	if ((v = log_kv(r, "status")) != NULL && strlen(v) == 3 &&
	    (v[0] == '4' || v[0] == '5'))
		add(sg, "http", v, v, 3);
	if ((v = log_kv(r, "reason")) != NULL && strcmp(v, "-") != 0) {
		snprintf(buf, sizeof(buf), "%s", v);
		add(sg, "httperr", buf, v, strlen(v));
	}
	if ((v = log_kv(r, "service")) != NULL && (w = log_kv(r, "state")) != NULL) {
		snprintf(buf, sizeof(buf), "%s=%s", v, w);
		add(sg, "service", buf, buf, strlen(buf));
	}
	if ((v = log_kv(r, "apppool")) != NULL && (w = log_kv(r, "state")) != NULL &&
	    log_kv(r, "setting") == NULL) {
		snprintf(buf, sizeof(buf), "%s=%s", v, w);
		add(sg, "apppool", buf, buf, strlen(buf));
	}
	if ((v = log_kv(r, "setting")) != NULL && (w = log_kv(r, "value")) != NULL) {
		const char *pool = log_kv(r, "apppool");
		snprintf(buf, sizeof(buf), "%s%s%s=%s", pool ? pool : "",
		    pool ? "." : "", v, w);
		add(sg, "config", buf, buf, strlen(buf));
	}
	if ((v = log_kv(r, "duplicate")) != NULL && strcmp(v, "1") == 0 &&
	    (w = log_kv(r, "extension")) != NULL) {
		snprintf(buf, sizeof(buf), "mimeMap.duplicate=%s", w);
		add(sg, "config", buf, buf, strlen(buf));
	}
	if ((v = log_kv(r, "name")) != NULL && (w = log_kv(r, "value")) != NULL &&
	    log_kv(r, "key") != NULL) {
		snprintf(buf, sizeof(buf), "%s=%s", v, w);
		add(sg, "registry", buf, buf, strlen(buf));
		if (kb_strcasecmp(v, "WUServer") == 0 ||
		    kb_strcasecmp(v, "WUStatusServer") == 0)
			wsus_url(sg, w, strlen(w));
	}
	if ((v = log_kv(r, "return_value")) != NULL) {
		snprintf(buf, sizeof(buf), "return_value=%s", v);
		add(sg, "setup", buf, buf, strlen(buf));
	}
	if ((v = log_kv(r, "hr")) != NULL)
		scan_message(sg, v, strlen(v));
}

void
signal_scan(const struct record *r, struct signals *sg)
{
	sg->n = 0;
	scan_kv(sg, r);
	if (r->msg && r->msg_len)
		scan_message(sg, r->msg, r->msg_len);
}
