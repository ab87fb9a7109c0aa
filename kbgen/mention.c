/*
 * mention.c -- finds the error codes, status IDs, KB numbers, log files,
 * services and error messages a section talks about, and records them as
 * normalized mentions (article.h) for the lookup and the matcher.
 *
 * The scanner works on raw UTF-8 bytes, one line at a time, and never
 * looks outside [p, p + n): the text may be CJK or Cyrillic, and it is
 * fuzzed.  Only ASCII bytes are classified; every byte >= 0x80 counts as
 * a word boundary for ASCII words, so "HTTP 状态为503" still reads.
 *
 * Numbers only become codes by their written form (0x80070643, a 10-digit
 * HRESULT in decimal, KB4039929) or by the words next to them ("Message
 * ID 6703", "HTTP status 503", "error 53", "event ID 364"), so dates,
 * versions (3.2.7600.283), ports (:8530) and sizes (1843200 KB) stay out.
 *
 * Values (see also codes.h):
 *   hresult  "0x80070643"; patterns as written in the articles, lower-case:
 *            "xxxx2ee2" (suffix) or "0x8024xxxx" (prefix)
 *   win32    decimal, also derived from every FACILITY_WIN32 HRESULT
 *   statmsg, http, event, kb   decimal
 *   logfile  lower-case base name, path stripped: "windowsupdate.log"
 *   service  the service key or component name: "WsusService", "W3SVC",
 *            "MSSQL$WSUS", "SMS_WSUS_SYNC_MANAGER" (display names map to it)
 *   message  the error text with white space collapsed, wrapping quotes,
 *            a leading "Message:" / "Error:" label (and translations) and
 *            trailing sentence punctuation removed; 12..400 bytes
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "article.h"
#include "codes.h"

#define RAW_MAX		200	/* longest raw text kept with a mention */
#define MSG_MIN		12
#define MSG_MAX		400

/* Offsets into a line (line_survey()). */
struct spots {
	size_t		*v;
	size_t		 n, cap;
};

struct scan {
	struct section	*sec;
	int		 http_ctx;	/* about HTTP statuses; -1: unknown */
	int		 msg_table;	/* a "Message ID" table header was seen */
	/* The last keyword match, so "event ID 10021 or 10022" gives both. */
	size_t		 chain_end;	/* offset just past it; 0 for none */
	enum mention_kind chain_kind;
	/* Where the scanners of the current line look (line_survey()). */
	struct spots	 tokens;	/* start and end of each token */
	struct spots	 svc;		/* a service alias may start */
	struct spots	 intro;		/* an intro word may start */
	struct spots	 quote;		/* an opening quote */
	struct buf	 tmp;		/* for logfiles() and message() */
};

/*
 * A word of a keyword list with its length: the lists are tried at every
 * number and word start, too often to strlen() them each time.
 */
struct kw {
	const char	*s;
	size_t		 len;
};
#define KW(s)	{ s, sizeof(s) - 1 }

/* ------------------------------------------------------------------ */
/* Bytes and words */

/*
 * Byte classes (mention_init): line_survey() passes over every byte, and
 * one table lookup rules out most of them.
 */
enum {
	BC_DIGIT = 0x01,
	BC_ALPHA = 0x02,
	BC_ALNUM = BC_DIGIT | BC_ALPHA,
	BC_QUOTE = 0x04,	/* starts an opening quote (quote_pair) */
	BC_SERVICE = 0x08,	/* starts a service alias, either case */
	BC_INTRO = 0x10		/* starts an intro word, either case */
};
static unsigned char bclass[256];
static unsigned char lower[256];	/* kb_tolower(), in one load */

/* ASCII letter, digit or underscore: the bytes of an identifier. */
static int
isword(int c)
{
	return kb_isalnum(c) || c == '_';
}

/* Is c one of the bytes of set?  Unlike strchr(), never for NUL. */
static int
inset(int c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/* Is p[i] a digit?  False outside [0, n). */
static int
digit_at(const char *p, size_t n, size_t i)
{
	return i < n && kb_isdigit((unsigned char)p[i]);
}

/* Length of the multi-byte space (NBSP, ideographic space) at p, or 0. */
static size_t
mbspace(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;

	if (n >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (n >= 3 && u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

/* Is p[0..n) the ASCII word w (length k), case-insensitive, at a word end? */
static int
word_atk(const char *p, size_t n, const char *w, size_t k)
{
	return n >= k && kb_strncasecmp(p, w, k) == 0 &&
	    (n == k || !isword((unsigned char)p[k]));
}

static int
word_at(const char *p, size_t n, const char *w)
{
	return word_atk(p, n, w, strlen(w));
}

/* Does p[0..n) start with w?  No memcmp() call: w is a few bytes. */
static int
starts_with(const char *p, size_t n, const struct kw *w)
{
	size_t i;

	if (w->len > n)
		return 0;
	for (i = 0; i < w->len; i++)
		if (p[i] != w->s[i])
			return 0;
	return 1;
}

/*
 * Steps back from pos over separators: ASCII blanks, the bytes of seps,
 * NBSP, the ideographic space and (when seps has ':') the full-width
 * colon.  Stops after 24 bytes so a run of blanks cannot make it slow.
 */
static size_t
skip_back(const char *p, size_t pos, const char *seps)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t lim = pos > 24 ? pos - 24 : 0;

	while (pos > lim) {
		if (u[pos - 1] == ' ' || u[pos - 1] == '\t' ||
		    inset(u[pos - 1], seps))
			pos--;
		else if (pos >= 2 && u[pos - 2] == 0xc2 && u[pos - 1] == 0xa0)
			pos -= 2;
		else if (pos >= 3 && u[pos - 3] == 0xe3 && u[pos - 2] == 0x80 &&
		    u[pos - 1] == 0x80)
			pos -= 3;
		else if (pos >= 3 && strchr(seps, ':') && u[pos - 3] == 0xef &&
		    u[pos - 2] == 0xbc && u[pos - 1] == 0x9a)
			pos -= 3;
		else
			break;
	}
	return pos;
}

/*
 * Looks for a keyword of kws (lower-case ASCII, other UTF-8 as is) that
 * ends at p[pos] and starts at a word boundary.  Returns its start, or
 * (size_t)-1 when none does.  The longest match wins.
 */
static size_t
kw_before(const char *p, size_t pos, const struct kw *kws)
{
	size_t best = (size_t)-1, k, s;

	for (; kws->s != NULL; kws++) {
		k = kws->len;
		/* The last byte first: most keywords end unlike the text. */
		if (k > pos || kb_tolower((unsigned char)p[pos - 1]) !=
		    kb_tolower((unsigned char)kws->s[k - 1]))
			continue;
		s = pos - k;
		if (kb_strncasecmp(p + s, kws->s, k) != 0)
			continue;
		if (kb_isalnum((unsigned char)kws->s[0]) && s > 0 &&
		    kb_isalnum((unsigned char)p[s - 1]))
			continue;
		if (best == (size_t)-1 || s < best)
			best = s;
	}
	return best;
}

/* kw_before() after skipping the separators seps back from pos. */
static size_t
kw_left(const char *p, size_t pos, const char *seps, const struct kw *kws)
{
	return kw_before(p, skip_back(p, pos, seps), kws);
}

/*
 * A word list for has_any(), indexed by the byte its words start with
 * (mention_init), so one pass over the text tries only the words that
 * may start at each byte.
 */
struct wordset {
	const struct kw	*words;		/* lower-case ASCII or UTF-8 */
	uint64_t	 first[256];	/* bit i: words[i] starts with it */
};

static void
wordset_init(struct wordset *ws, const struct kw *words)
{
	size_t i;
	int c;

	ws->words = words;
	for (i = 0; words[i].s != NULL; i++) {
		if (i >= 64)
			die("mention: word list too long");
		c = kb_tolower((unsigned char)words[i].s[0]);
		ws->first[c] |= (uint64_t)1 << i;
	}
}

/* Does s[0..n) start with one of the words of ws? */
static int
starts_any(const char *s, size_t n, const struct wordset *ws)
{
	const struct kw *w;
	uint64_t m;

	if (n == 0)
		return 0;
	for (m = ws->first[kb_tolower((unsigned char)s[0])]; m; m &= m - 1) {
		w = &ws->words[__builtin_ctzll(m)];
		if (w->len <= n && kb_strncasecmp(s, w->s, w->len) == 0)
			return 1;
	}
	return 0;
}

/* Does s[0..n) contain one of the words of ws? */
static int
has_any(const char *s, size_t n, const struct wordset *ws)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ws->first[kb_tolower((unsigned char)s[i])] != 0 &&
		    starts_any(s + i, n - i, ws))
			return 1;
	return 0;
}

/*
 * A filter on the first four bytes (ASCII lower-cased) of a word list:
 * line_survey() tries the lists at word starts, and most word starts
 * begin no word of the list, which one bit (of a hash) then says.  Two
 * bytes were too few: "th", "wi", "up" start the commonest words.
 */
struct prefix4 {
	unsigned char	 bits[65536 / 8];
};

/* The first four bytes of w, lower-cased (lower[]), as one number. */
static uint32_t
prefix4_key(const char *w)
{
	const unsigned char *u = (const unsigned char *)w;

	return (uint32_t)lower[u[0]] << 24 | (uint32_t)lower[u[1]] << 16 |
	    (uint32_t)lower[u[2]] << 8 | (uint32_t)lower[u[3]];
}

/* The bit of the filters for the four bytes at p (a hash of them). */
static unsigned
prefix4_bit(const char *p)
{
	return (prefix4_key(p) * 2654435761u) >> 16;
}

/* Adds w (four bytes or longer). */
static void
prefix4_add(struct prefix4 *f, const char *w)
{
	unsigned b;

	if (strlen(w) < 4)
		die("mention: \"%s\" is too short for a prefix filter", w);
	b = prefix4_bit(w);
	f->bits[b >> 3] |= (unsigned char)(1u << (b & 7));
}

/* May a word of the list start with the four bytes of bit b? */
static int
prefix4_has(const struct prefix4 *f, unsigned b)
{
	return (f->bits[b >> 3] >> (b & 7)) & 1;
}

/* ------------------------------------------------------------------ */
/* Keywords, with the translations found in the corpus */

/* Strong: the number after them is a ConfigMgr status message ID. */
static const struct kw kw_statmsg[] = {
	KW("message id"), KW("message ids"), KW("message-id"), KW("messageid"),
	KW("status message"), KW("status messages"), KW("status message id"),
	KW("status message ids"), KW("statmsg: id"), KW("statmsg id"),
	KW("statmsg"), KW("meldungs-id"), KW("nachrichten-id"),
	KW("statusmeldung"), KW("statusmeldungs-id"), KW("id de message"),
	KW("id du message"), KW("id de mensaje"), KW("id. de mensaje"),
	KW("identificador de mensaje"), KW("id da mensagem"),
	KW("id de mensagem"), KW("id. da mensagem"), KW("ид сообщения"),
	KW("идентификатор сообщения"), KW("Идентификатор сообщения"),
	KW("сообщения"), KW("消息 id"), KW("消息id"), KW("状态消息"),
	KW("メッセージ id"), KW("メッセージid"), KW("ステータス メッセージ"),
	KW("meddelande-id"), KW("statusmeddelande"), { NULL, 0 }
};
static struct wordset statmsg_set;	/* mention_init */

/* Weak: "message 6703" is only believed inside the ConfigMgr ranges. */
static const struct kw kw_message[] = {
	KW("message"), KW("meldung"), KW("mensaje"), KW("mensagem"), KW("消息"),
	KW("メッセージ"), { NULL, 0 }
};

static const struct kw kw_event[] = {
	KW("event id"), KW("event ids"), KW("eventid"), KW("event"),
	KW("events"), KW("event code"), KW("ereignis-id"), KW("ereignis-ids"),
	KW("ereignis"), KW("ereigniskennung"), KW("id de evento"),
	KW("id. de evento"), KW("id do evento"), KW("id de l'événement"),
	KW("id de l’événement"), KW("id d'événement"), KW("id d’événement"),
	KW("événement"), KW("evento"), KW("ид события"),
	KW("идентификатор события"), KW("Идентификатор события"), KW("события"),
	KW("イベント id"), KW("イベントid"), KW("事件 id"), KW("事件id"),
	KW("händelse-id"), { NULL, 0 }
};

/* "error 53": only blanks (or '#') between the word and the number. */
static const struct kw kw_error[] = {
	KW("error"), KW("fehler"), KW("erreur"), KW("erro"), KW("ошибка"),
	KW("Ошибка"), KW("ошибки"), KW("错误"), KW("エラー"), { NULL, 0 }
};

/* "error code: 1603": a colon or '=' may follow these. */
static const struct kw kw_errcode[] = {
	KW("error code"), KW("errorcode"), KW("error_code"), KW("error number"),
	KW("error no"), KW("exit code"), KW("return code"), KW("returncode"),
	KW("last error"), KW("lasterror"), KW("win32 error"),
	KW("win32 error code"), KW("system error"), KW("fehlercode"),
	KW("code d'erreur"), KW("code d’erreur"), KW("código de error"),
	KW("código de erro"), KW("код ошибки"), KW("错误代码"), KW("错误码"),
	KW("エラー コード"), KW("エラーコード"), KW("felkod"), { NULL, 0 }
};

/* "status code 401" without the word HTTP. */
static const struct kw kw_status[] = {
	KW("status code"), KW("statuscode"), KW("status"), KW("http-status"),
	KW("code d'état"), KW("code d’état"), KW("código de estado"),
	KW("código de status"), KW("код состояния"), KW("кодом состояния"),
	KW("状态代码"), KW("状态码"), KW("状态为"), KW("ステータス コード"),
	KW("ステータス"), { NULL, 0 }
};

/* "update 4039929", "KB number: 4025764". */
static const struct kw kw_kb[] = {
	KW("kb"), KW("kb number"), KW("kb article"),
	KW("knowledge base article"), KW("update"), KW("hotfix"), KW("rollup"),
	KW("article"), KW("artikel"), KW("artículo"), KW("artigo"),
	KW("статья"), KW("статье"), KW("記事"), KW("文章"), { NULL, 0 }
};

/* A number after these is a TCP port, never a code: "port 443". */
static const struct kw kw_port[] = {
	KW("port"), KW("ports"), KW("порт"), KW("порта"), KW("порту"),
	KW("ポート"), KW("端口"), KW("puerto"), KW("porta"), KW("porte"),
	{ NULL, 0 }
};

/* Words between two numbers of one list: "10021 or 10022". */
static const struct kw kw_joiner[] = {
	KW("or"), KW("and"), KW("oder"), KW("und"), KW("ou"), KW("et"), KW("o"),
	KW("y"), KW("e"), KW("или"), KW("и"), KW("または"), KW("或"), KW("和"),
	KW("、"), { NULL, 0 }
};

/* What makes a line an error message rather than any text. */
static const struct kw errwords[] = {
	KW("error"), KW("fail"), KW("unable"), KW("cannot"), KW("can't"),
	KW("could not"), KW("couldn't"), KW("denied"), KW("not found"),
	KW("unavailable"), KW("timed out"), KW("timeout"), KW("time-out"),
	KW("exception"), KW("invalid"), KW("refused"), KW("not configured"),
	KW("unauthorized"), KW("forbidden"), KW("fatal"), KW("not running"),
	KW("not be resolved"), KW("unexpected"), KW("0x8"), KW("hresult"),
	KW("not responding"), KW("corrupt"), KW("fehler"), KW("fehlgeschlagen"),
	KW("erreur"), KW("échec"), KW("échoué"), KW("impossible"), KW("erro"),
	KW("falha"), KW("falhou"), KW("no se pudo"), KW("ошибк"), KW("сбой"),
	KW("не удалось"), KW("недоступн"), KW("错误"), KW("失败"), KW("无法"),
	KW("エラー"), KW("失敗"), KW("できません"), KW("misslyckades"),
	KW("kunde inte"), { NULL, 0 }
};
static struct wordset errword_set;	/* mention_init */

/* Labels removed from the front of a message. */
static const struct kw msglabels[] = {
	KW("message"), KW("error"), KW("meldung"), KW("fehler"), KW("mensaje"),
	KW("mensagem"), KW("erreur"), KW("erro"), KW("сообщение"),
	KW("Сообщение"), KW("ошибка"), KW("Ошибка"), KW("消息"), KW("错误"),
	KW("メッセージ"), KW("エラー"), KW("description"), { NULL, 0 }
};

/* ------------------------------------------------------------------ */
/* Recording */

/*
 * Adds a mention with raw text p[0..n) (cut to RAW_MAX bytes at a UTF-8
 * character boundary).
 */
static void
add(struct scan *sc, enum mention_kind kind, const char *value,
    const char *p, size_t n)
{
	char raw[RAW_MAX + 1];

	if (n > RAW_MAX) {
		n = RAW_MAX;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(raw, p, n);
	raw[n] = '\0';
	section_add_mention(sc->sec, kind, value, raw);
}

/* add() for a decimal value. */
static void
add_num(struct scan *sc, enum mention_kind kind, uint32_t v,
    const char *p, size_t n)
{
	char val[CODE_VALUE_MAX];

	snprintf(val, sizeof(val), "%lu", (unsigned long)v);
	add(sc, kind, val, p, n);
}

/* Adds an HRESULT and, for FACILITY_WIN32, its Win32 error. */
static void
add_hresult(struct scan *sc, uint32_t hr, const char *p, size_t n)
{
	char hex[11];

	code_hresult_format(hr, hex);
	add(sc, MENTION_HRESULT, hex, p, n);
	if ((hr & 0xffff0000u) == 0x80070000u)
		add_num(sc, MENTION_WIN32, hr & 0xffffu, p, n);
}

/* ------------------------------------------------------------------ */
/* Numbers */

/* Parses n <= 10 decimal digits; returns 0 or -1 on overflow. */
static int
dec(const char *p, size_t n, uint32_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 10)
		return -1;
	for (i = 0; i < n; i++)
		x = x * 10 + (uint64_t)(p[i] - '0');
	if (x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* Parses n <= 8 hex digits (the caller checked they are hex). */
static uint32_t
hex(const char *p, size_t n)
{
	uint32_t x = 0;
	size_t i;
	int c;

	for (i = 0; i < n; i++) {
		c = kb_tolower((unsigned char)p[i]);
		x = (x << 4) | (uint32_t)(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	return x;
}

/* Are all n bytes hex digits? */
static int
allhex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!kb_isxdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

/* Are all n (> 0) bytes decimal digits? */
static int
alldigits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!kb_isdigit((unsigned char)p[i]))
			return 0;
	return n > 0;
}

/* An HRESULT in the ranges code is written in: 0x8xxxxxxx, 0xCxxxxxxx. */
static int
plausible_hr(uint32_t hr)
{
	return (hr >> 28) == 0x8 || (hr >> 28) == 0xc;
}

/*
 * Is the number p[i..j) part of something larger: a version or decimal
 * (3.2.7600.283, 1,843,200), a time (18:53:52), a port after a digit, a
 * date (2014-01-16, 12/05/2023) or a path or URL segment?
 */
static int
embedded(const char *p, size_t n, size_t i, size_t j)
{
	char b = i > 0 ? p[i - 1] : ' ', a = j < n ? p[j] : ' ';

	if ((b == '.' || b == ',' || b == ':' || b == '-') &&
	    i >= 2 && digit_at(p, n, i - 2))
		return 1;
	if ((a == '.' || a == ',' || a == ':' || a == '-') &&
	    digit_at(p, n, j + 1))
		return 1;
	if (b == '/' || b == '\\' || a == '/' || a == '\\')
		return 1;
	return 0;
}

/* Is v (written with ndig digits) a possible value of kind? */
static int
valid(enum mention_kind kind, uint32_t v, size_t ndig)
{
	switch (kind) {
	case MENTION_HTTP:
		return ndig == 3 && v >= 100 && v <= 599;
	case MENTION_STATMSG:
		return v >= 100 && v <= 99999;
	case MENTION_EVENT:
		return v >= 1 && v <= 65535;
	case MENTION_KB:
		return ndig >= 6 && ndig <= 7;
	case MENTION_WIN32:
		return v >= 1 && v <= 65535;	/* "Erreur 0 x 8007..." */
	default:
		return 0;
	}
}

/*
 * Is p[g..e) what may stand between "HTTP" and its status: blanks,
 * dashes, colons and at most two ASCII words, none a list joiner (so "port
 * 80 for HTTP and 443 for HTTPS" is no status)?  Other UTF-8 is fine.
 */
static int
http_gap(const char *p, size_t g, size_t e)
{
	const struct kw *w;
	unsigned char c;
	int words = 0;

	for (; g < e; g++) {
		c = (unsigned char)p[g];
		if (c >= 0x80 || c == ' ' || c == '-' || c == ':' || c == '_' ||
		    c == '\t')
			continue;
		if (!kb_isalpha(c))
			return 0;
		if (g > 0 && kb_isalpha((unsigned char)p[g - 1]))
			continue;
		if (++words > 2)
			return 0;
		for (w = kw_joiner; w->s != NULL; w++)
			if (word_atk(p + g, e - g, w->s, w->len))
				return 0;
	}
	return 1;
}

/*
 * Is "http" a word no more than 40 bytes before pos, with only a gap
 * http_gap() accepts between ("HTTP status 503", "HTTP-Fehler 503",
 * "HTTP 状态为503", "HTTP/1.1 503")?  Sets *start to it.
 */
static int
http_before(const char *p, size_t pos, size_t *start)
{
	size_t lo = pos > 40 ? pos - 40 : 0, k, g;

	for (k = pos; k-- > lo;) {
		if (k + 4 > pos || kb_strncasecmp(p + k, "http", 4) != 0)
			continue;
		if (k > 0 && kb_isalnum((unsigned char)p[k - 1]))
			return 0;
		g = k + 4;
		if (g < pos && kb_isalpha((unsigned char)p[g]))
			return 0;	/* HttpWebRequest */
		if (g + 4 <= pos && p[g] == '/' && digit_at(p, pos, g + 1) &&
		    p[g + 2] == '.' && digit_at(p, pos, g + 3))
			g += 4;		/* HTTP/1.1 */
		if (!http_gap(p, g, pos))
			return 0;
		*start = k;
		return 1;
	}
	return 0;
}

/* Is "HTTP" (or "de HTTP") the next word after pos?  "Error 503 de HTTP" */
static int
http_after(const char *p, size_t n, size_t pos)
{
	while (pos < n && p[pos] == ' ')
		pos++;
	if (pos + 3 <= n && kb_strncasecmp(p + pos, "de ", 3) == 0)
		pos += 3;
	return word_at(p + pos, n - pos, "http");
}

/*
 * Is the standard reason phrase of status v next, as in "503 Service
 * Unavailable", "(401) Unauthorized", "401: Unauthorized"?  Returns the
 * end of the phrase or 0.
 */
static size_t
reason_after(const char *p, size_t n, size_t pos, uint32_t v)
{
	const char *r = code_http_reason(v);
	size_t k = pos;

	if (r == NULL || v == 200)	/* "200 ok" is too common a phrase */
		return 0;
	while (k < n && k < pos + 4 && inset(p[k], " \t:)].-"))
		k++;
	return word_at(p + k, n - k, r) ? k + strlen(r) : 0;
}

/* "503 errors", "403 error", "503 IIS errors", in an HTTP section. */
static int
httpword_after(const char *p, size_t n, size_t pos)
{
	while (pos < n && p[pos] == ' ')
		pos++;
	return word_at(p + pos, n - pos, "error") ||
	    word_at(p + pos, n - pos, "errors") ||
	    word_at(p + pos, n - pos, "iis") ||
	    word_at(p + pos, n - pos, "status");
}

/* "ERROR 2627, Level 14" is a SQL Server error, not Win32. */
static int
sql_after(const char *p, size_t n, size_t pos)
{
	if (pos < n && p[pos] == ',')
		pos++;
	while (pos < n && p[pos] == ' ')
		pos++;
	return word_at(p + pos, n - pos, "level");
}

/*
 * Is the gap p[from..to) only list joiners: blanks, commas, slashes and
 * "or", "and" and their translations?
 */
static int
joiners_only(const char *p, size_t from, size_t to)
{
	const struct kw *w;
	size_t k;

	if (to < from || to - from > 16)
		return 0;
	while (from < to) {
		if (inset(p[from], " \t,;/")) {
			from++;
			continue;
		}
		for (w = kw_joiner; w->s != NULL; w++) {
			k = w->len;
			if (from + k <= to &&
			    kb_strncasecmp(p + from, w->s, k) == 0 &&
			    (from + k == to || !kb_isalnum(
			    (unsigned char)p[from + k])))
				break;
		}
		if (w->s == NULL)
			return 0;
		from += k;
	}
	return 1;
}

/*
 * Is the number at p[i..j) the first cell of a table row ("503 | Busy")
 * or alone on its line (the plain-text exports)?
 */
static int
first_cell(const char *p, size_t n, size_t i, size_t j)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (!inset(p[k], " \t|*`"))
			return 0;
	for (k = j; k < n && inset(p[k], " \t*`"); k++)
		;
	return k == n || p[k] == '|';
}

/* Does s[0..n) talk about HTTP statuses (not just contain a URL)? */
static int
about_http(const char *s, size_t n)
{
	size_t i;
	int c;

	for (i = 0; i + 3 <= n; i++) {
		/* "http", "IIS", "status code": one byte rules out most. */
		c = s[i] | 0x20;
		if ((c != 'h' && c != 'i' && c != 's') ||
		    (i > 0 && isword((unsigned char)s[i - 1])))
			continue;
		if (i + 4 <= n && kb_strncasecmp(s + i, "http", 4) == 0 &&
		    (i + 4 == n || (s[i + 4] != ':' && s[i + 4] != 's' &&
		    s[i + 4] != 'S' && !isword((unsigned char)s[i + 4]))))
			return 1;
		if (memcmp(s + i, "IIS", 3) == 0 &&
		    (i + 3 == n || !isword((unsigned char)s[i + 3])))
			return 1;
		if (i + 11 <= n && kb_strncasecmp(s + i, "status code", 11) == 0)
			return 1;
	}
	return 0;
}

/*
 * Is the section about HTTP statuses?  Decided when first asked, from its
 * title and text: most sections have no number that asks.
 */
static int
http_section(struct scan *sc)
{
	const struct section *s = sc->sec;

	if (sc->http_ctx < 0)
		sc->http_ctx = (s->title != NULL &&
		    about_http(s->title, strlen(s->title))) ||
		    about_http(buf_str(&s->text), s->text.len);
	return sc->http_ctx;
}

/* Records a decimal of kind with raw text p[rs..re), and starts a chain. */
static void
number_found(struct scan *sc, enum mention_kind kind, uint32_t v,
    const char *p, size_t rs, size_t re)
{
	add_num(sc, kind, v, p + rs, re - rs);
	sc->chain_kind = kind;
	sc->chain_end = re;
}

/*
 * An HTTP status by its words: "HTTP status 503", "status code 401",
 * "Error 503 de HTTP", "(401) Unauthorized".  Returns 1 when recorded.
 */
static int
http_number(struct scan *sc, const char *p, size_t n, size_t i, size_t j,
    uint32_t v)
{
	size_t s, e;

	if (!valid(MENTION_HTTP, v, j - i))
		return 0;
	if (http_before(p, i, &s) ||
	    (s = kw_left(p, i, ":=", kw_status)) != (size_t)-1) {
		number_found(sc, MENTION_HTTP, v, p, s, j);
		return 1;
	}
	if (http_after(p, n, j)) {
		number_found(sc, MENTION_HTTP, v, p, i, j);
		return 1;
	}
	if ((e = reason_after(p, n, j, v)) > 0) {
		number_found(sc, MENTION_HTTP, v, p,
		    i > 0 && p[i - 1] == '(' ? i - 1 : i, e);
		return 1;
	}
	return 0;
}

/*
 * A number named by the word before it: "Message ID 6703", "event 7031",
 * "KB 4039929", "error 53" (HTTP instead in an HTTP section).  Returns 1
 * when the words decided, recorded or not.
 */
static int
keyword_number(struct scan *sc, const char *p, size_t n, size_t i,
    size_t j, uint32_t v)
{
	size_t nd = j - i, s;

	if (valid(MENTION_STATMSG, v, nd) &&
	    (s = kw_left(p, i, ":=#", kw_statmsg)) != (size_t)-1) {
		number_found(sc, MENTION_STATMSG, v, p, s, j);
		return 1;
	}
	if (valid(MENTION_EVENT, v, nd) &&
	    (s = kw_left(p, i, ":=#", kw_event)) != (size_t)-1) {
		number_found(sc, MENTION_EVENT, v, p, s, j);
		return 1;
	}
	/* Round numbers after "KB" are sizes: "(KB 8000000)". */
	if (valid(MENTION_KB, v, nd) && v % 100 != 0 &&
	    (s = kw_left(p, i, ":#", kw_kb)) != (size_t)-1) {
		number_found(sc, MENTION_KB, v, p, s, j);
		return 1;
	}
	if (nd > 5 || sql_after(p, n, j) ||
	    ((s = kw_left(p, i, "#", kw_error)) == (size_t)-1 &&
	    (s = kw_left(p, i, ":=#", kw_errcode)) == (size_t)-1))
		return 0;
	if (valid(MENTION_HTTP, v, nd) && http_section(sc))
		number_found(sc, MENTION_HTTP, v, p, s, j);
	else if (valid(MENTION_WIN32, v, nd))
		number_found(sc, MENTION_WIN32, v, p, s, j);
	return 1;
}

/* Is v a ConfigMgr status message ID of the code table? */
static int
statmsg_known(uint32_t v)
{
	char val[CODE_VALUE_MAX];

	snprintf(val, sizeof(val), "%lu", (unsigned long)v);
	return code_known(MENTION_STATMSG, val);
}

/*
 * Weaker evidence, used last: "message 6703" within the ConfigMgr ranges,
 * "503 errors" in a section about HTTP, and the first cell of a table row
 * under an HTTP or a "Message ID" header.  Only statuses with a standard
 * reason phrase count here, so a port table row "443 | HTTPS" does not.
 */
static void
context_number(struct scan *sc, const char *p, size_t n, size_t i,
    size_t j, uint32_t v)
{
	size_t nd = j - i, s;
	int http = valid(MENTION_HTTP, v, nd) &&
	    code_http_reason(v) != NULL && http_section(sc);

	/* The word first: most numbers have none, and the table is slow. */
	if ((s = kw_left(p, i, ":#", kw_message)) != (size_t)-1 &&
	    ((v >= 5000 && v <= 11999) || statmsg_known(v))) {
		number_found(sc, MENTION_STATMSG, v, p, s, j);
		return;
	}
	if (http && httpword_after(p, n, j)) {
		number_found(sc, MENTION_HTTP, v, p, i, j);
		return;
	}
	if (!first_cell(p, n, i, j))
		return;
	if (http)
		number_found(sc, MENTION_HTTP, v, p, i, j);
	else if (sc->msg_table && v >= 1000 && v <= 99999)
		number_found(sc, MENTION_STATMSG, v, p, i, j);
}

/*
 * Classifies a short decimal p[i..j) (1..7 digits) by the words around
 * it and records it.  The order matters: a list continues its kind
 * ("event ID 10021 or 10022"), HTTP goes before "error" ("HTTP Error
 * 503"), explicit words before table rules; a port is never a code.
 */
static void
short_number(struct scan *sc, const char *p, size_t n, size_t i, size_t j)
{
	uint32_t v;

	if (dec(p + i, j - i, &v) == -1 ||
	    kw_left(p, i, ":", kw_port) != (size_t)-1)
		return;
	if (sc->chain_end > 0 && sc->chain_end <= i &&
	    joiners_only(p, sc->chain_end, i) &&
	    valid(sc->chain_kind, v, j - i)) {
		number_found(sc, sc->chain_kind, v, p, i, j);
		return;
	}
	if (!http_number(sc, p, n, i, j, v) &&
	    !keyword_number(sc, p, n, i, j, v))
		context_number(sc, p, n, i, j, v);
}

/*
 * A decimal token p[i..j): a 10-digit HRESULT ("2147944003", with '-'
 * before it "-2147023293") or a short number for short_number().
 */
static void
decimal_token(struct scan *sc, const char *p, size_t n, size_t i, size_t j)
{
	size_t nd = j - i;
	uint32_t v, hr;
	int neg;

	if (embedded(p, n, i, j))
		return;
	if (nd == 10) {
		neg = i > 0 && p[i - 1] == '-' &&
		    (i < 2 || !kb_isalnum((unsigned char)p[i - 2]));
		if (dec(p + i, nd, &v) == -1)
			return;
		if (neg && (v == 0 || v > 0x80000000u))
			return;
		hr = neg ? 0u - v : v;
		if (!plausible_hr(hr) || (!neg && v < 0x80000000u))
			return;
		add_hresult(sc, hr, p + i - neg, nd + (size_t)neg);
		return;
	}
	if (nd <= 7)
		short_number(sc, p, n, i, j);
}

/*
 * Is the 8-character p[0..8) an HRESULT pattern: hex digits and a run of
 * 'x' at one end ("xxxx2ee2", "8024xxxx")?  Writes the normalized value.
 */
static int
pattern8(const char *p, int prefixed, char *out)
{
	size_t i, nx = 0, first = 8, last = 0, dig = 0;

	for (i = 0; i < 8; i++) {
		if (p[i] == 'x' || p[i] == 'X') {
			if (first == 8)
				first = i;
			last = i;
			nx++;
		} else if (kb_isxdigit((unsigned char)p[i]))
			dig += kb_isdigit((unsigned char)p[i]) != 0;
		else
			return 0;
	}
	if (nx < 2 || nx > 6 || dig == 0 || last - first + 1 != nx)
		return 0;
	if (first != 0 && last != 7)
		return 0;
	if (last == 7 && !prefixed && kb_strncasecmp(p, "80", 2) != 0 &&
	    kb_strncasecmp(p, "c0", 2) != 0)
		return 0;
	if (first != 0) {
		*out++ = '0';
		*out++ = 'x';
	}
	for (i = 0; i < 8; i++)
		*out++ = (char)kb_tolower((unsigned char)p[i]);
	*out = '\0';
	return 1;
}

/* A "0x..." token p[i..j): an HRESULT, a pattern, or a short Win32 code. */
static void
hex_token(struct scan *sc, const char *p, size_t n, size_t i, size_t j)
{
	const char *d = p + i + 2;
	size_t nd = j - i - 2;
	char val[CODE_VALUE_MAX];
	uint32_t v;

	if (nd == 8 && pattern8(d, 1, val)) {
		add(sc, MENTION_HRESULT, val, p + i, j - i);
		return;
	}
	if (nd == 0 || nd > 8 || !allhex(d, nd))
		return;
	v = hex(d, nd);
	if (nd == 7 && kb_strncasecmp(d, "800", 3) == 0) {
		/* "0x8004005": E_FAIL with a zero lost, a common typo. */
		v = 0x80000000u | hex(d + 3, 4);
		nd = 8;
	}
	if (nd == 8) {
		if ((v & 0x80000000u) && v != 0xffffffffu)
			add_hresult(sc, v, p + i, j - i);
	} else if (nd <= 4 && (kw_left(p, i, "#", kw_error) != (size_t)-1 ||
	    kw_left(p, i, ":=#", kw_errcode) != (size_t)-1))
		add_num(sc, MENTION_WIN32, v, p + i, j - i);
}

/* Is a size unit next ("80000000 KB")?  Then the digits are no code. */
static int
unit_after(const char *p, size_t n, size_t pos)
{
	static const struct kw units[] = {
		KW("kb"), KW("mb"), KW("gb"), KW("bytes"), KW("byte"), KW("ko"),
		KW("mo"), KW("go"), KW("кб"), KW("мб"), KW("гб"), { NULL, 0 }
	};
	const struct kw *u;

	while (pos < n && p[pos] == ' ')
		pos++;
	for (u = units; u->s != NULL; u++)
		if (word_atk(p + pos, n - pos, u->s, u->len))
			return 1;
	return 0;
}

/*
 * Is the bare hex at p[i..] introduced as a code: "hr=", "hr = ",
 * "error ", "error code: ", or the "0 x 80070643" of machine translations?
 */
static int
hex_introduced(const char *p, size_t i)
{
	static const struct kw kw_hr[] = {
		KW("hr"), KW("hresult"), { NULL, 0 }
	};
	size_t k;

	if (kw_left(p, i, "=:", kw_hr) != (size_t)-1 ||
	    kw_left(p, i, "#", kw_error) != (size_t)-1 ||
	    kw_left(p, i, ":=#", kw_errcode) != (size_t)-1)
		return 1;
	k = skip_back(p, i, "");
	if (k == 0 || (p[k - 1] != 'x' && p[k - 1] != 'X'))
		return 0;
	k = skip_back(p, k - 1, "");
	return k > 0 && p[k - 1] == '0' &&
	    (k < 2 || !kb_isalnum((unsigned char)p[k - 2]));
}

/*
 * A bare 8-hex-digit token p[i..j): an HRESULT when introduced as one or
 * when it starts like one (80..., C0..., 87D... for ConfigMgr), and is not
 * part of a GUID, a path or a size.
 */
static void
bare_token(struct scan *sc, const char *p, size_t n, size_t i, size_t j)
{
	const char *t = p + i;
	int intro = hex_introduced(p, i);
	uint32_t v;

	if (!intro && kb_strncasecmp(t, "80", 2) != 0 &&
	    kb_strncasecmp(t, "c0", 2) != 0 && kb_strncasecmp(t, "87d", 3) != 0)
		return;
	if (j < n && p[j] == '-' && j + 5 <= n && allhex(p + j + 1, 4))
		return;		/* GUID */
	if ((i > 0 && inset(p[i - 1], "/\\-.")) ||
	    (j < n && inset(p[j], "/\\")))
		return;		/* path, URL or file name */
	if (!intro && alldigits(t, 8) &&
	    (memcmp(t + 4, "0000", 4) == 0 || unit_after(p, n, j)))
		return;
	v = hex(t, 8);
	if ((v & 0x80000000u) && v != 0xffffffffu)
		add_hresult(sc, v, t, 8);
}

/* "KB4039929" as one token. */
static void
kb_token(struct scan *sc, const char *p, size_t i, size_t j)
{
	uint32_t v;

	if (dec(p + i + 2, j - i - 2, &v) == 0)
		add_num(sc, MENTION_KB, v, p + i, j - i);
}

/* Dispatches one maximal run of ASCII letters and digits p[i..j). */
static void
token(struct scan *sc, const char *p, size_t n, size_t i, size_t j)
{
	const char *t = p + i;
	size_t len = j - i;
	char val[CODE_VALUE_MAX];

	if (len > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
		hex_token(sc, p, n, i, j);
	else if (len == 8 && pattern8(t, 0, val))
		add(sc, MENTION_HRESULT, val, t, len);
	else if (len == 8 && allhex(t, len) &&
	    (!alldigits(t, len) || kb_strncasecmp(t, "80", 2) == 0 ||
	    hex_introduced(p, i)))
		bare_token(sc, p, n, i, j);
	else if ((len == 8 || len == 9) && kb_strncasecmp(t, "kb", 2) == 0 &&
	    alldigits(t + 2, len - 2))
		kb_token(sc, p, i, j);
	else if (alldigits(t, len))
		decimal_token(sc, p, n, i, j);
}

/* Symbolic names from the code table: E_FAIL, ERROR_BAD_NETPATH, WU_E_... */
static void
symbols(struct scan *sc, const char *p, size_t n)
{
	enum mention_kind kind;
	char val[CODE_VALUE_MAX];
	size_t i = 0, j;
	uint32_t v;

	while (i < n) {
		if (!isword((unsigned char)p[i])) {
			i++;
			continue;
		}
		for (j = i; j < n && isword((unsigned char)p[j]); j++)
			;
		if (j - i >= 4 && j - i <= 64 && memchr(p + i, '_', j - i) &&
		    kb_isalpha((unsigned char)p[i]) &&
		    code_symbol(p + i, j - i, &kind, val) == 0) {
			if (kind == MENTION_HRESULT &&
			    code_hresult_value(val, &v) == 0)
				add_hresult(sc, v, p + i, j - i);
			else if (strcmp(val, "0") != 0)	/* ERROR_SUCCESS */
				add(sc, kind, val, p + i, j - i);
		}
		i = j;
	}
}

/* ------------------------------------------------------------------ */
/* Log files and services */

/* A byte of a log file name as the articles write them. */
static int
namechar(int c)
{
	return kb_isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* A byte of the path in front of a log file name. */
static int
pathchar(int c)
{
	return namechar(c) || c == '\\' || c == '/' || c == ':' || c == '%' ||
	    c == '~' || c == '$';
}

/*
 * Every "name.log" or "name.lo_" in p[0..n): the value is the lower-case
 * base name, the raw text the path as written.
 */
static void
logfiles(struct scan *sc, const char *p, size_t n)
{
	struct buf *b = &sc->tmp;
	size_t k, s, r, e, i;
	int alpha;

	for (k = 0; k + 4 <= n; k++) {
		const char *dot = memchr(p + k, '.', n - 3 - k);

		if (dot == NULL)
			break;
		k = (size_t)(dot - p);
		if ((kb_strncasecmp(p + k + 1, "log", 3) != 0 &&
		    kb_strncasecmp(p + k + 1, "lo_", 3) != 0))
			continue;
		e = k + 4;
		if (e < n && isword((unsigned char)p[e]))
			continue;
		for (s = k; s > 0 && namechar((unsigned char)p[s - 1]); s--)
			;
		while (s < k && (p[s] == '.' || p[s] == '-'))
			s++;
		for (alpha = 0, i = s; i < k; i++)
			alpha |= kb_isalpha((unsigned char)p[i]);
		if (!alpha || k - s > 80)
			continue;
		for (r = s; r > 0 && s - r < 200 &&
		    pathchar((unsigned char)p[r - 1]); r--)
			;
		buf_reset(b);
		for (i = s; i < e; i++)
			buf_putc(b, kb_tolower((unsigned char)p[i]));
		add(sc, MENTION_LOGFILE, b->data, p + r, e - r);
	}
}

enum { SVC_CS = 1, SVC_INSTANCE = 2, SVC_GUARD = 4 };

/* Service, app-pool and component names; display names map to the key. */
static const struct {
	const char	*alias;
	const char	*name;
	int		 flags;
} services[] = {
	{ "WsusService", "WsusService", 0 },
	{ "WSSUService", "WsusService", 0 },	/* as one article spells it */
	{ "WSUS Service", "WsusService", 0 },
	{ "Windows Server Update Service", "WsusService", 0 },
	{ "Update Services", "WsusService", SVC_CS | SVC_GUARD },
	{ "W3SVC", "W3SVC", 0 },
	{ "World Wide Web Publishing Service", "W3SVC", 0 },
	{ "WWW Publishing Service", "W3SVC", 0 },
	{ "IISADMIN", "IISADMIN", 0 },
	{ "IIS Admin Service", "IISADMIN", 0 },
	{ "Windows Process Activation Service", "WAS", 0 },
	{ "wuauserv", "wuauserv", 0 },
	{ "Windows Update service", "wuauserv", 0 },
	{ "Automatic Updates service", "wuauserv", 0 },
	{ "BITS", "BITS", SVC_CS },
	{ "Background Intelligent Transfer Service", "BITS", 0 },
	{ "CryptSvc", "CryptSvc", 0 },
	{ "Cryptographic Services", "CryptSvc", 0 },
	{ "TrustedInstaller", "TrustedInstaller", 0 },
	{ "Windows Modules Installer", "TrustedInstaller", 0 },
	{ "MSSQLSERVER", "MSSQLSERVER", 0 },
	{ "MSSQL", NULL, SVC_INSTANCE },
	{ "MICROSOFT##WID", "MSSQL$MICROSOFT##WID", 0 },
	{ "Windows Internal Database", "MSSQL$MICROSOFT##WID", 0 },
	{ "MICROSOFT##SSEE", "MSSQL$MICROSOFT##SSEE", 0 },
	{ "WsusPool", "WsusPool", 0 },
	{ "SMS_EXECUTIVE", "SMS_EXECUTIVE", 0 },
	{ "SMS Executive", "SMS_EXECUTIVE", 0 },
	{ "SMS_SITE_COMPONENT_MANAGER", "SMS_SITE_COMPONENT_MANAGER", 0 },
	{ "SMS_WSUS_SYNC_MANAGER", "SMS_WSUS_SYNC_MANAGER", 0 },
	{ "WSUS Synchronization Manager", "SMS_WSUS_SYNC_MANAGER", 0 },
	{ "WSyncMgr", "SMS_WSUS_SYNC_MANAGER", 0 },
	{ "SMS_WSUS_CONFIGURATION_MANAGER", "SMS_WSUS_CONFIGURATION_MANAGER",
	    0 },
	{ "WSUS Configuration Manager", "SMS_WSUS_CONFIGURATION_MANAGER", 0 },
	{ "SMS_WSUS_CONTROL_MANAGER", "SMS_WSUS_CONTROL_MANAGER", 0 },
	{ "WSUS Control Manager", "SMS_WSUS_CONTROL_MANAGER", 0 },
	{ "CcmExec", "CcmExec", 0 },
	{ "SMS Agent Host", "CcmExec", 0 },
	{ "selfupdate", "SelfUpdate", 0 },
};

/*
 * The first four bytes, the lengths and the last four bytes of the
 * aliases (mention_init): "Windows Update service" and four more aliases
 * start alike, and "Windows" is in every other line.
 */
static struct prefix4 service_prefix;
static uint32_t service_key[sizeof(services) / sizeof(services[0])];
static size_t service_len[sizeof(services) / sizeof(services[0])];
static uint32_t service_tail[sizeof(services) / sizeof(services[0])];

/*
 * "Update Services" names the service only when it is not the product
 * ("Windows Server Update Services") and a verb or "service" follows:
 * "Check that Update Services is running".
 */
static int
update_services_ok(const char *p, size_t n, size_t s, size_t e)
{
	static const struct kw next[] = {
		KW("service"), KW("is"), KW("isn't"), KW("on"), KW("was"),
		KW("has"), KW("fails"), KW("failed"), KW("writes"), KW("must"),
		{ NULL, 0 }
	};
	const struct kw *w;

	if (s >= 7 && kb_strncasecmp(p + s - 7, "Server ", 7) == 0)
		return 0;
	if (e >= n || p[e] != ' ')
		return 0;
	for (w = next; w->s != NULL; w++)
		if (word_atk(p + e + 1, n - e - 1, w->s, w->len))
			return 1;
	return 0;
}

/*
 * Reads "$INSTANCE" after "MSSQL" at p[e..] and adds "MSSQL$INSTANCE".
 * Machine translations write "MSSQL $ WSUS": blanks around '$' are fine.
 */
static void
sql_instance(struct scan *sc, const char *p, size_t n, size_t s, size_t e)
{
	char val[48];
	size_t k = e, m = 6;

	if (k < n && p[k] == ' ')
		k++;
	if (k >= n || p[k] != '$')
		return;
	if (++k < n && p[k] == ' ')
		k++;
	memcpy(val, "MSSQL$", 6);
	for (; k < n && m < sizeof(val) - 1 &&
	    (isword((unsigned char)p[k]) || p[k] == '#'); k++)
		val[m++] = (char)(kb_isalpha((unsigned char)p[k]) ?
		    p[k] & ~0x20 : p[k]);
	if (m == 6 || (k < n && (isword((unsigned char)p[k]) || p[k] == '#')))
		return;		/* empty ("MSSQL$<instance>") or too long */
	val[m] = '\0';
	add(sc, MENTION_SERVICE, val, p + s, k - s);
}

/*
 * Every known service name in the line p[0..n), at word boundaries: at
 * the word starts line_survey() found.
 */
static void
service_names(struct scan *sc, const char *p, size_t n)
{
	size_t i, j, k, len;
	uint32_t key;

	for (j = 0; j < sc->svc.n; j++) {
		k = sc->svc.v[j];
		key = prefix4_key(p + k);	/* n - k >= 4 at a spot */
		for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
			const char *a = services[i].alias;

			if (key != service_key[i] ||
			    (len = service_len[i]) > n - k ||
			    prefix4_key(p + k + len - 4) != service_tail[i])
				continue;
			if ((services[i].flags & SVC_CS) ?
			    memcmp(p + k, a, len) != 0 :
			    kb_strncasecmp(p + k, a, len) != 0)
				continue;
			if (services[i].flags & SVC_INSTANCE) {
				sql_instance(sc, p, n, k, k + len);
				continue;
			}
			if (k + len < n && isword((unsigned char)p[k + len]))
				continue;
			if (k + len + 4 <= n && p[k + len] == '.' &&
			    kb_strncasecmp(p + k + len + 1, "lo", 2) == 0)
				continue;	/* WSyncMgr.log is a file */
			if ((services[i].flags & SVC_GUARD) &&
			    !update_services_ok(p, n, k, k + len))
				continue;
			add(sc, MENTION_SERVICE, services[i].name, p + k, len);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Messages */

/* How code, a command or markup starts. */
static const struct kw codestarts[] = {
	KW("<"), KW("$"), KW("{"), KW("}"), KW("#"), KW("//"), KW("ps>"),
	KW("ps "), KW("c:\\>"), KW("reg "), KW("sc "), KW("net "), KW("netsh "),
	KW("appcmd"), KW("iisreset"), KW("wuauclt"), KW("usoclient"),
	KW("wsusutil"), KW("get-"), KW("set-"), KW("invoke-"), KW("import-"),
	KW("restart-"), KW("start-"), KW("stop-"), KW("new-"), KW("remove-"),
	KW("select "), KW("exec "), KW("use "), KW("declare "), KW("cd "),
	KW("cmd "), KW("%windir%"), KW("[$"), KW("write-"), KW("raiserror"),
	KW("throw "), KW("if ("), KW("if("), KW("foreach"), KW("function "),
	KW("param("), KW("catch"), KW("try {"), KW("return "), { NULL, 0 }
};
static struct wordset codestart_set;	/* mention_init */

/* Does the line start like code, a command or markup? */
static int
codeish(const char *s, size_t n)
{
	return starts_any(s, n, &codestart_set);
}

/* Is the line a .NET stack frame, "at Namespace.Type.Method(...)"? */
static int
stack_frame(const char *s, size_t n)
{
	size_t i;

	if (n < 4 || kb_strncasecmp(s, "at ", 3) != 0)
		return 0;
	for (i = 3; i < n && (isword((unsigned char)s[i]) || s[i] == '.'); i++)
		;
	return i > 3 && memchr(s + 3, '.', i - 3) != NULL &&
	    (i == n || s[i] == '(' || s[i] == ' ');
}

/* Removes a leading label such as "Message:" or "消息：" from b. */
static void
strip_label(struct buf *b)
{
	const struct kw *w;
	size_t k, m;

	for (w = msglabels; w->s != NULL; w++) {
		k = w->len;
		if (b->len <= k || kb_strncasecmp(b->data, w->s, k) != 0)
			continue;
		m = k;
		if (m < b->len && b->data[m] == ' ')
			m++;
		if (m < b->len && b->data[m] == ':')
			m++;
		else if (m + 3 <= b->len &&
		    memcmp(b->data + m, "\xef\xbc\x9a", 3) == 0)
			m += 3;
		else
			continue;
		memmove(b->data, b->data + m, b->len - m);
		b->len -= m;
		b->data[b->len] = '\0';
		buf_trim(b);
		return;
	}
}

/* Pairs of quotes or markup that may wrap a whole message. */
static const struct kw wrappers[][2] = {
	{ KW("**"), KW("**") }, { KW("`"), KW("`") },
	{ KW("\""), KW("\"") }, { KW("'"), KW("'") },
	{ KW("\xe2\x80\x9c"), KW("\xe2\x80\x9d") },	/* “ ” */
	{ KW("\xc2\xab"), KW("\xc2\xbb") },		/* « » */
	{ KW("\xe3\x80\x8c"), KW("\xe3\x80\x8d") },	/* 「 」 */
};

/* Removes wrapping quotes from b while a whole pair wraps it. */
static void
strip_wrappers(struct buf *b)
{
	size_t i, lo, lc;
	int again = 1;

	while (again) {
		again = 0;
		for (i = 0; i < sizeof(wrappers) / sizeof(wrappers[0]); i++) {
			lo = wrappers[i][0].len;
			lc = wrappers[i][1].len;
			if (b->len < lo + lc + 1 ||
			    memcmp(b->data, wrappers[i][0].s, lo) != 0 ||
			    memcmp(b->data + b->len - lc, wrappers[i][1].s,
			    lc) != 0)
				continue;
			memmove(b->data, b->data + lo, b->len - lo - lc);
			b->len -= lo + lc;
			b->data[b->len] = '\0';
			buf_trim(b);
			again = 1;
		}
	}
}

/* Drops trailing sentence punctuation: ". : ; ," and the CJK "。". */
static void
strip_tail(struct buf *b)
{
	for (;;) {
		buf_trim(b);
		if (b->len > 0 && inset(b->data[b->len - 1], ".:;,"))
			b->len--;
		else if (b->len >= 3 &&
		    memcmp(b->data + b->len - 3, "\xe3\x80\x82", 3) == 0)
			b->len -= 3;
		else
			break;
		b->data[b->len] = '\0';
	}
}

/*
 * Copies p[0..n) to b with white space runs (ASCII, NBSP, ideographic
 * space) collapsed to one space, block-quote markers and list bullets
 * dropped from the front, and the text of a CMTrace "<![LOG[...]LOG]!>"
 * line taken out of its frame.
 */
static void
collapse(struct buf *b, const char *p, size_t n)
{
	size_t i, k, m;
	const char *e;
	char *d;

	while (n > 0 && (kb_isspace((unsigned char)*p) || *p == '>')) {
		p++;
		n--;
	}
	if (n >= 2 && (p[0] == '-' || p[0] == '*') && p[1] == ' ') {
		p += 2;
		n -= 2;
	} else if (n >= 3 && memcmp(p, "\xe2\x80\xa2", 3) == 0) {
		p += 3;		/* • */
		n -= 3;
	}
	if (n > 7 && memcmp(p, "<![LOG[", 7) == 0) {
		p += 7;
		n -= 7;
		for (e = p; e + 7 <= p + n && memcmp(e, "]LOG]!>", 7) != 0; e++)
			;
		if (e + 7 <= p + n)
			n = (size_t)(e - p);
	}
	/* The copy is no longer than p: room for it at once. */
	buf_reset(b);
	buf_grow(b, n);
	d = b->data;
	for (i = m = 0; i < n; i += k) {
		k = kb_isspace((unsigned char)p[i]) ? 1 : mbspace(p + i, n - i);
		if (k == 0) {
			d[m++] = p[i];
			k = 1;
		} else if (m > 0 && d[m - 1] != ' ')
			d[m++] = ' ';
	}
	d[m] = '\0';
	b->len = m;
	buf_trim(b);
}

/* Enough letters to be prose: 4 ASCII letters or 2 non-ASCII characters. */
static int
wordy(const char *s, size_t n)
{
	size_t i, ascii = 0, lead = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (kb_isalpha(c))
			ascii++;
		else if (c >= 0xc0)
			lead++;
	}
	return ascii >= 4 || lead >= 2;
}

/*
 * Considers p[0..n) as an error message and records it when it reads like
 * one: error wording, MSG_MIN..MSG_MAX bytes, not code or a command line,
 * not a STATMSG record (its codes are taken by the scanner).
 */
static void
message(struct scan *sc, const char *p, size_t n)
{
	struct buf *b = &sc->tmp;

	if (n > 4 * MSG_MAX)
		return;		/* cannot shrink to MSG_MAX by collapsing */
	collapse(b, p, n);
	strip_wrappers(b);
	if (b->len == 0 || kb_strncasecmp(b->data, "STATMSG", 7) == 0 ||
	    (b->len > 4 && kb_strncasecmp(b->data, "http", 4) == 0 &&
	    memchr(b->data, ' ', b->len) == NULL))
		return;
	if (codeish(b->data, b->len) || stack_frame(b->data, b->len))
		return;
	strip_label(b);
	strip_wrappers(b);
	strip_tail(b);
	if (b->len < MSG_MIN || b->len > MSG_MAX || !wordy(b->data, b->len) ||
	    !has_any(b->data, b->len, &errword_set))
		return;
	add(sc, MENTION_MESSAGE, b->data, p, n);
}

/*
 * Where a message quoted after p[s] ends: before ". " followed by an
 * upper-case letter, ", the ", "; ", a CJK full stop, or the line end.
 */
static size_t
message_end(const char *p, size_t n, size_t s)
{
	size_t k, lim = s + 300 < n ? s + 300 : n;

	for (k = s; k < lim; k++) {
		if (p[k] == '.' && (k + 1 == n || (p[k + 1] == ' ' &&
		    (k + 2 >= n || !kb_isalpha((unsigned char)p[k + 2]) ||
		    (p[k + 2] >= 'A' && p[k + 2] <= 'Z')))))
			return k;
		if (p[k] == ';' || (p[k] == ',' && k + 5 <= n &&
		    kb_strncasecmp(p + k, ", the", 5) == 0))
			return k;
		if (k + 3 <= n && memcmp(p + k, "\xe3\x80\x82", 3) == 0)
			return k;
	}
	return lim;
}

/*
 * Messages given in running text: "with the message X.", "Message: X.
 * Source: ...", "you receive the following error: X".
 */
static const struct kw intro[] = {
	KW("with the message "), KW("with the error "),
	KW("the error message "), KW("following error: "),
	KW("following error message: "), KW("message: "), KW("meldung: "),
	KW("mensaje: "), KW("mensagem: "), KW("message : "), KW("сообщение: "),
	KW("消息："), KW("メッセージ: "), { NULL, 0 }
};

/* The first four bytes of the intro words (mention_init). */
static struct prefix4 intro_prefix;
static uint32_t intro_key[sizeof(intro) / sizeof(intro[0])];

/* At the places line_survey() found in the line p[0..n). */
static void
inline_messages(struct scan *sc, const char *p, size_t n)
{
	const struct kw *w;
	size_t j, k, m, e;
	uint32_t key;

	for (j = 0; j < sc->intro.n; j++) {
		k = sc->intro.v[j];
		key = prefix4_key(p + k);	/* n - k >= 4 at a spot */
		for (w = intro; w->s != NULL; w++) {
			if (key != intro_key[w - intro])
				continue;
			m = w->len;
			if (m > n - k || kb_strncasecmp(p + k, w->s, m) != 0)
				continue;
			e = message_end(p, n, k + m);
			if (e > k + m)
				message(sc, p + k + m, e - (k + m));
			break;
		}
	}
}

/*
 * The pair of wrappers[] whose opening quote starts with the byte, or 0
 * (mention_init): "**" and the apostrophe open no quoted message.
 */
static unsigned char quote_pair[256];

/* The words that make a quoted span after them a message. */
static const struct kw near[] = {
	KW("error"), KW("message"), KW("fehler"), KW("meldung"), KW("erreur"),
	KW("mensaje"), KW("erro"), KW("ошибк"), KW("сообщени"), KW("错误"),
	KW("消息"), KW("エラー"), KW("メッセージ"), { NULL, 0 }
};
static struct wordset near_set;		/* mention_init */

/* Closing quote for the opening one at p (length *ol), or NULL. */
static const struct kw *
closing_quote(const char *p, size_t n, size_t *ol)
{
	size_t i = quote_pair[(unsigned char)*p];

	if (i == 0 || !starts_with(p, n, &wrappers[i][0]))
		return NULL;
	*ol = wrappers[i][0].len;
	return &wrappers[i][1];
}

/*
 * Quoted error strings in running text: a quoted span that follows the
 * word "error" or "message" (or a translation) within 100 bytes on the
 * same line, as in: you receive an error similar to "Cannot add ...".
 */
static void
quoted_messages(struct scan *sc, const char *p, size_t n)
{
	const struct kw *close;
	size_t j, k, ol, cl, e, lo, next = 0;

	for (j = 0; j < sc->quote.n; j++) {
		if ((k = sc->quote.v[j]) < next ||
		    (close = closing_quote(p + k, n - k, &ol)) == NULL)
			continue;
		cl = close->len;
		for (e = k + ol; e + cl <= n && e < k + ol + MSG_MAX; e++)
			if (memcmp(p + e, close->s, cl) == 0)
				break;
		if (e + cl > n || memcmp(p + e, close->s, cl) != 0)
			continue;
		lo = k > 100 ? k - 100 : 0;
		if (e - (k + ol) >= MSG_MIN &&
		    has_any(p + lo, k - lo, &near_set))
			message(sc, p + k + ol, e - (k + ol));
		next = e + cl;		/* the pair is used up either way */
	}
}

/* ------------------------------------------------------------------ */
/* Lines, sections, articles */

/* Is the line a "Message ID | Description" table header? */
static int
msg_table_header(const char *p, size_t n)
{
	size_t i;

	while (n > 0 && (*p == ' ' || *p == '|')) {
		p++;
		n--;
	}
	/* The words first: they rule out most lines at their first byte. */
	if (!starts_any(p, n, &statmsg_set))
		return 0;
	for (i = 0; i < n; i++)
		if (kb_isdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

/* Appends k; the arrays last for the section, so lines reuse them. */
static void
spots_add(struct spots *s, size_t k)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = k;
}

/*
 * One pass over the line p[0..n) finds where the scanners after it look:
 * the tokens (maximal ASCII alnum runs) that token() may take, and the
 * places where a service alias, an intro word or an opening quote may
 * start.  So the scanners need not pass over every byte each, and most
 * lines have few such places.  The tests here are the scanners' first
 * ones, made cheap: the byte class, the byte before, the prefix filter.
 */
static void
line_survey(struct scan *sc, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t k = 0, s, ol;
	unsigned b;
	int c;

	sc->tokens.n = sc->svc.n = sc->intro.n = sc->quote.n = 0;
	while (k < n) {
		/*
		 * Between tokens: quotes, and intro words that start with
		 * a non-ASCII letter ("сообщение: "), not right after a
		 * token.
		 */
		for (; k < n && !((c = bclass[u[k]]) & BC_ALNUM); k++) {
			if (!(c & (BC_QUOTE | BC_INTRO)))
				continue;
			if ((c & BC_QUOTE) &&
			    closing_quote(p + k, n - k, &ol) != NULL)
				spots_add(&sc->quote, k);
			if ((c & BC_INTRO) &&
			    (k == 0 || !(bclass[u[k - 1]] & BC_ALNUM)) &&
			    n - k >= 4 &&
			    prefix4_has(&intro_prefix, prefix4_bit(p + k)))
				spots_add(&sc->intro, k);
		}
		if (k == n)
			break;

		/*
		 * A token starts: maybe an intro word, and an alias unless
		 * after '_' (aliases start at word starts).
		 */
		s = k;
		c = bclass[u[s]];
		if ((c & (BC_SERVICE | BC_INTRO)) && n - s >= 4) {
			b = prefix4_bit(p + s);
			if ((c & BC_SERVICE) && (s == 0 || u[s - 1] != '_') &&
			    prefix4_has(&service_prefix, b))
				spots_add(&sc->svc, s);
			if ((c & BC_INTRO) && prefix4_has(&intro_prefix, b))
				spots_add(&sc->intro, s);
		}
		for (k++; k < n && (bclass[u[k]] & BC_ALNUM); k++)
			;
		/*
		 * Only numbers, "0x..." and 8- or 9-byte tokens (hex,
		 * patterns, "KB...") can be codes: most words are none.
		 */
		if (!(c & BC_ALPHA) || k - s == 8 || k - s == 9) {
			spots_add(&sc->tokens, s);
			spots_add(&sc->tokens, k);
		}
	}
}

/* Scans one line for codes, in the tokens line_survey() found. */
static void
scan_codes(struct scan *sc, const char *p, size_t n)
{
	size_t i;

	sc->chain_end = 0;
	if (msg_table_header(p, n))
		sc->msg_table = 1;
	for (i = 0; i < sc->tokens.n; i += 2)
		token(sc, p, n, sc->tokens.v[i], sc->tokens.v[i + 1]);
	/* Every symbol has an underscore: most lines have none. */
	if (memchr(p, '_', n) != NULL)
		symbols(sc, p, n);
}

/*
 * Scans text line by line: codes, log files, services, and (when
 * candidates is set: the text is a message candidate) the lines as
 * messages; running text only gives the messages it introduces.
 */
static void
scan_text(struct scan *sc, const char *p, size_t n, int candidate)
{
	const char *nl;
	size_t len;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		len = nl ? (size_t)(nl - p) : n;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		line_survey(sc, p, len);
		scan_codes(sc, p, len);
		logfiles(sc, p, len);
		service_names(sc, p, len);
		inline_messages(sc, p, len);
		if (candidate)
			message(sc, p, len);
		else
			quoted_messages(sc, p, len);
		if (nl == NULL)
			break;
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
}

/*
 * KB numbers in a link target: support.microsoft.com/help/4039929,
 * /kb/885819, ?kbid=..., and KB tokens such as "?q=KB4484071".
 */
static void
scan_link(struct scan *sc, const char *t)
{
	static const struct kw kw_path[] = {
		KW("/help/"), KW("/kb/"), KW("kbid="), { NULL, 0 }
	};
	size_t n = strlen(t), i, j;
	uint32_t v;

	for (i = 0; i < n; i++) {
		if (!kb_isalnum((unsigned char)t[i]))
			continue;
		for (j = i; j < n && kb_isalnum((unsigned char)t[j]); j++)
			;
		if ((j - i == 8 || j - i == 9) &&
		    kb_strncasecmp(t + i, "kb", 2) == 0 &&
		    alldigits(t + i + 2, j - i - 2))
			kb_token(sc, t, i, j);
		else if ((j - i == 6 || j - i == 7) && alldigits(t + i, j - i) &&
		    kw_before(t, i, kw_path) != (size_t)-1 &&
		    dec(t + i, j - i, &v) == 0)
			add_num(sc, MENTION_KB, v, t, n);
		i = j - 1;
	}
}

/*
 * Scans one section: title, text, message candidates and link targets.
 * The HTTP context is decided once for the whole section (http_section).
 */
static void
collect_section(struct section *s)
{
	struct scan sc;
	size_t i;

	memset(&sc, 0, sizeof(sc));
	sc.sec = s;
	sc.http_ctx = -1;
	if (s->title != NULL)
		scan_text(&sc, s->title, strlen(s->title), 0);
	sc.msg_table = 0;
	scan_text(&sc, buf_str(&s->text), s->text.len, 0);
	for (i = 0; i < s->messages.n; i++) {
		const struct buf *m = s->messages.v[i];

		sc.msg_table = 0;
		scan_text(&sc, buf_str(m), m->len, 1);
	}
	for (i = 0; i < s->links.n; i++) {
		const struct link *l = s->links.v[i];

		if (l->target != NULL)
			scan_link(&sc, l->target);
	}
	free(sc.tokens.v);
	free(sc.svc.v);
	free(sc.intro.v);
	free(sc.quote.v);
	buf_free(&sc.tmp);
}

/* Builds the scanners' tables, once. */
static void
mention_init(void)
{
	const struct kw *w;
	size_t i;
	int c;

	for (c = 0; c < 256; c++) {
		lower[c] = (unsigned char)kb_tolower(c);
		if (kb_isdigit(c))
			bclass[c] |= BC_DIGIT;
		if (kb_isalpha(c))
			bclass[c] |= BC_ALPHA;
	}
	for (i = 1; i < sizeof(wrappers) / sizeof(wrappers[0]); i++) {
		if (i == 3)
			continue;	/* the apostrophe: "don't ... isn't" */
		c = (unsigned char)wrappers[i][0].s[0];
		if (quote_pair[c] != 0)
			die("mention: two quotes start with one byte");
		quote_pair[c] = (unsigned char)i;
		bclass[c] |= BC_QUOTE;
	}
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		prefix4_add(&service_prefix, services[i].alias);
		service_key[i] = prefix4_key(services[i].alias);
		service_len[i] = strlen(services[i].alias);
		service_tail[i] = prefix4_key(services[i].alias +
		    service_len[i] - 4);
		bclass[kb_tolower((unsigned char)services[i].alias[0])] |=
		    BC_SERVICE;
	}
	for (w = intro; w->s != NULL; w++) {
		intro_key[w - intro] = prefix4_key(w->s);
		prefix4_add(&intro_prefix, w->s);
		bclass[kb_tolower((unsigned char)w->s[0])] |= BC_INTRO;
	}
	/* Both lists match ignoring ASCII case, as the filters do. */
	for (c = 'A'; c <= 'Z'; c++)
		bclass[c] |= bclass[kb_tolower(c)] & (BC_SERVICE | BC_INTRO);
	wordset_init(&statmsg_set, kw_statmsg);
	wordset_init(&codestart_set, codestarts);
	wordset_init(&errword_set, errwords);
	wordset_init(&near_set, near);
}

/* See article.h. */
void
mention_collect(struct article *a)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	size_t i;

	if (a == NULL)
		return;
	pthread_once(&once, mention_init);
	for (i = 0; i < a->sections.n; i++)
		collect_section(a->sections.v[i]);
}
