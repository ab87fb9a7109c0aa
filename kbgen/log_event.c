/*
 * log_event.c -- Windows event log exports: wevtutil XML (LOG_EVT_XML),
 * Get-WinEvent / Get-EventLog | Export-Csv (LOG_EVT_CSV), Event Viewer
 * and wevtutil text (LOG_EVT_TEXT) and binary .evtx through libevtx
 * (LOG_EVTX).  Private to the parser table; includes util.h, logs.h and
 * encoding.h.
 *
 * All four produce the same record: component and kv provider = the
 * event source, kv event_id (the 16-bit ID Event Viewer shows),
 * qualifiers (when the export has them), channel, level (as written),
 * computer, record_id; msg = the rendered message, else the event data
 * joined with "; ".  Severity: level 1-2 error, 3 warning, else info.
 *
 * XML is attacker-controlled text: libxml2 runs without network access,
 * entity substitution, DTD loading or huge-document mode, and it only
 * ever sees one <Event> element at a time, where a document type
 * declaration is not well-formed, so no entity can ever be declared.
 * Text is only ever collected from text nodes, never through libxml2's
 * entity-expanding getters.
 */
#include <sys/resource.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>
#include <libbfio.h>
#include <libevtx.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"

#include <sys/wait.h>

int	log_evtx_magic(const void *, size_t);

/* Per-file cap on warnings of one kind; the rest are counted. */
#define WARN_MAX	5

/* The structured values of an event, in kv order. */
enum efield {
	EF_ID, EF_QUAL, EF_PROVIDER, EF_CHANNEL, EF_LEVEL, EF_COMPUTER,
	EF_RECORD, EF__MAX
};

static const char *const ef_key[EF__MAX] = {
	"event_id", "qualifiers", "provider", "channel", "level",
	"computer", "record_id"
};

/* One event being assembled; every parser here fills one of these. */
struct event {
	struct buf	 f[EF__MAX];
	struct buf	 msg;
	struct buf	 thread;
	long		 line;
	long		 end_line;
	uint64_t	 off;
	int64_t		 local_ms;
	int32_t		 tz_min;
	int		 utc;
};

/* Day/month order of slash dates, decided per file by the first
 * unambiguous value. */
enum { ORDER_UNKNOWN, ORDER_MDY, ORDER_DMY };

/* Empties ev for the next event (buffers keep their memory). */
static void
event_reset(struct event *ev)
{
	size_t i;

	for (i = 0; i < EF__MAX; i++)
		buf_reset(&ev->f[i]);
	buf_reset(&ev->msg);
	buf_reset(&ev->thread);
	ev->line = ev->end_line = 0;
	ev->off = 0;
	ev->local_ms = TIME_NONE;
	ev->tz_min = TZ_UNKNOWN;
	ev->utc = 0;
}

/* Frees what ev holds; ev may be reused after event_reset(). */
static void
event_free(struct event *ev)
{
	size_t i;

	for (i = 0; i < EF__MAX; i++)
		buf_free(&ev->f[i]);
	buf_free(&ev->msg);
	buf_free(&ev->thread);
}

/* Replaces b's content with n bytes of s, trimmed. */
static void
buf_set(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	buf_put(b, s, n);
	buf_trim(b);
}

/*
 * Severity from a level as written: the numeric Windows level (1
 * critical, 2 error, 3 warning, 4 information, 0 LogAlways, 5 verbose)
 * or an English display name / legacy event type.  Unknown text, such
 * as a localized name, is info.
 */
static enum log_sev
level_sev(const char *s)
{
	if (kb_isdigit((unsigned char)*s)) {
		switch (atoi(s)) {
		case 1:
		case 2:
			return SEV_ERROR;
		case 3:
			return SEV_WARNING;
		default:
			return SEV_INFO;
		}
	}
	if (kb_strcasecmp(s, "Error") == 0 || kb_strcasecmp(s, "Critical") == 0)
		return SEV_ERROR;
	if (kb_strcasecmp(s, "Warning") == 0 ||
	    kb_strcasecmp(s, "FailureAudit") == 0 ||
	    kb_strcasecmp(s, "Failure Audit") == 0 ||
	    kb_strcasecmp(s, "Audit Failure") == 0)
		return SEV_WARNING;
	return SEV_INFO;
}

/* Drops the CR of every CRLF in b: rendered messages carry "&#13;\n"
 * line ends, and records use LF like the decoded text files. */
static void
crlf_to_lf(struct buf *b)
{
	size_t i, k;

	for (i = k = 0; i < b->len; i++)
		if (b->data[i] != '\r' || i + 1 >= b->len ||
		    b->data[i + 1] != '\n')
			b->data[k++] = b->data[i];
	if (b->data != NULL)
		b->data[k] = '\0';
	b->len = k;
}

/* Hands ev to env->emit as a record; the strings live in ev. */
static void
event_emit(struct log_env *env, struct event *ev)
{
	struct log_kv kv[EF__MAX];
	struct record r;
	size_t i, n = 0;

	for (i = 0; i < EF__MAX; i++) {
		buf_trim(&ev->f[i]);
		if (ev->f[i].len == 0)
			continue;
		kv[n].key = ef_key[i];
		kv[n].value = ev->f[i].data;
		n++;
	}
	buf_trim(&ev->msg);
	crlf_to_lf(&ev->msg);
	memset(&r, 0, sizeof(r));
	r.line = ev->line;
	r.end_line = ev->end_line < ev->line ? ev->line : ev->end_line;
	r.offset = ev->off;
	r.local_ms = ev->local_ms;
	r.tz_min = ev->local_ms == TIME_NONE ? TZ_UNKNOWN : ev->tz_min;
	r.utc = ev->local_ms != TIME_NONE && ev->utc;
	r.sev = level_sev(buf_str(&ev->f[EF_LEVEL]));
	r.component = ev->f[EF_PROVIDER].len ? ev->f[EF_PROVIDER].data : NULL;
	r.thread = ev->thread.len ? ev->thread.data : NULL;
	r.msg = buf_str(&ev->msg);
	r.msg_len = ev->msg.len;
	r.kv = kv;
	r.nkv = n;
	env->emit(env, &r);
}

/* Appends s to b with "; " between values; empty values are skipped. */
static void
join_value(struct buf *b, const char *s, size_t n)
{
	while (n > 0 && kb_isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && kb_isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return;
	if (b->len)
		buf_puts(b, "; ");
	buf_put(b, s, n);
}

/* Reads 1 to max decimal digits at *sp into *v and advances *sp.
 * Returns how many digits were read (0: none, *v untouched). */
static int
digits(const char **sp, int max, int *v)
{
	const char *s = *sp;
	int n = 0, x = 0;

	while (n < max && kb_isdigit((unsigned char)s[n]))
		x = x * 10 + (s[n++] - '0');
	if (n) {
		*v = x;
		*sp = s + n;
	}
	return n;
}

/* Reads ".fffffffff" at *sp (any number of digits) as milliseconds,
 * truncated; no fraction is 0. */
static int
fraction_ms(const char **sp)
{
	const char *s = *sp;
	int ms = 0, n = 0;

	if (*s != '.' && *s != ',')
		return 0;
	for (s++; kb_isdigit((unsigned char)*s); s++, n++)
		if (n < 3)
			ms = ms * 10 + (*s - '0');
	for (; n < 3; n++)
		ms *= 10;
	*sp = s;
	return ms;
}

/*
 * Parses an ISO 8601 time "YYYY-MM-DD[T ]HH:MM[:SS[.f...]][Z|+hh:mm]".
 * A trailing Z sets *utc and *tz 0, an offset sets *tz (ISO sign), no
 * marker leaves both alone.  Returns the time as written in ms, or
 * TIME_NONE.
 */
static int64_t
parse_iso(const char *s, int32_t *tz, int *utc)
{
	int y, mo, d, h, mi, sec = 0, ms = 0, oh, om = 0, sign;

	while (kb_isspace((unsigned char)*s))
		s++;
	if (digits(&s, 4, &y) != 4 || *s++ != '-' || !digits(&s, 2, &mo) ||
	    *s++ != '-' || !digits(&s, 2, &d) || (*s != 'T' && *s != ' '))
		return TIME_NONE;
	s++;
	if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi))
		return TIME_NONE;
	if (*s == ':') {
		s++;
		if (!digits(&s, 2, &sec))
			return TIME_NONE;
		ms = fraction_ms(&s);
	}
	if (*s == 'Z' || *s == 'z') {
		*tz = 0;
		*utc = 1;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (!digits(&s, 2, &oh))
			return TIME_NONE;
		if (*s == ':')
			s++;
		digits(&s, 2, &om);
		*tz = sign * (oh * 60 + om);
		*utc = *tz == 0;
	}
	return make_ms(y, mo, d, h, mi, sec, ms);
}

/*
 * Parses a clock "H:MM[:SS[.fff]] [AM|PM]" at *sp.  Returns 0 and the
 * 24-hour fields, setting *ampm when a 12-hour marker was present, or
 * -1.
 */
static int
parse_clock(const char **sp, int *h, int *mi, int *sec, int *ms, int *ampm)
{
	const char *s = *sp;
	int pm;

	while (*s == ' ')
		s++;
	*sec = *ms = 0;
	*ampm = 0;
	if (!digits(&s, 2, h) || *s++ != ':' || !digits(&s, 2, mi))
		return -1;
	if (*s == ':') {
		s++;
		if (!digits(&s, 2, sec))
			return -1;
		*ms = fraction_ms(&s);
	}
	while (*s == ' ')
		s++;
	if ((kb_tolower((unsigned char)s[0]) == 'a' ||
	    kb_tolower((unsigned char)s[0]) == 'p') &&
	    (kb_tolower((unsigned char)s[1]) == 'm' ||
	    (s[1] == '.' && kb_tolower((unsigned char)s[2]) == 'm'))) {
		pm = kb_tolower((unsigned char)s[0]) == 'p';
		if (*h < 1 || *h > 12)
			return -1;
		*h = *h % 12 + (pm ? 12 : 0);
		*ampm = 1;
		s += s[1] == '.' ? 3 : 2;
		if (*s == '.')
			s++;
	}
	*sp = s;
	return 0;
}

/*
 * Picks day and month of a slash date "a/b/yyyy": an unambiguous value
 * decides (and fixes *order for the file), else the file's order, else a
 * 12-hour clock suggests en-US M/d, else d/M (en-GB, fr, es, it ...).
 */
static void
slash_order(int a, int b, int ampm, int *order, int *m, int *d)
{
	int mdy;

	if (a > 12 && b <= 12)
		*order = ORDER_DMY;
	else if (b > 12 && a <= 12)
		*order = ORDER_MDY;
	mdy = *order != ORDER_UNKNOWN ? *order == ORDER_MDY : ampm;
	*m = mdy ? a : b;
	*d = mdy ? b : a;
}

/*
 * Parses a culture-formatted local time as Windows writes it in CSV
 * and text exports: "7/14/2021 8:52:46 AM", "14/07/2021 08:52:46",
 * "14.07.2021 08:52:46", "2021-07-14 08:52:46", "2021/07/14 ...", or
 * ISO with a 'T'.  clock, when not NULL, is a separate time of day (the
 * legacy "Time:" line).  *order carries the file's day/month order.
 * Returns ms as written or TIME_NONE; a zone in the text sets *tz and *utc.
 */
static int64_t
parse_local(const char *s, const char *clock, int *order, int32_t *tz,
    int *utc)
{
	int a, b, c, na, nc, y, m, d, h = 0, mi = 0, sec = 0, ms = 0;
	int ampm = 0;
	char sep;
	int64_t t;

	if ((t = parse_iso(s, tz, utc)) != TIME_NONE)
		return t;
	while (kb_isspace((unsigned char)*s))
		s++;
	if (!(na = digits(&s, 4, &a)) || (sep = *s) == '\0' ||
	    strchr("/.-", sep) == NULL)
		return TIME_NONE;
	s++;
	if (!digits(&s, 2, &b) || *s++ != sep || !(nc = digits(&s, 4, &c)))
		return TIME_NONE;
	if (*s == '.')		/* "14.07.2021." (hu, hr) */
		s++;
	if (clock == NULL)
		clock = s;
	while (*clock == ' ' || *clock == ',')
		clock++;
	if (*clock != '\0' &&
	    parse_clock(&clock, &h, &mi, &sec, &ms, &ampm) == -1)
		return TIME_NONE;
	if (na == 4) {
		y = a, m = b, d = c;
	} else {
		if (nc != 4 && nc != 2)
			return TIME_NONE;
		y = nc == 2 ? 2000 + c : c;
		if (sep == '/')
			slash_order(a, b, ampm, order, &m, &d);
		else
			m = b, d = a;
	}
	return make_ms(y, m, d, h, mi, sec, ms);
}

/* ------------------------------------------------------------------ */
/* Shared by the XML parsers here: refusing document type declarations. */

/* Finds the n-byte needle in p[0..len); returns its index or len. */
static size_t
find(const char *p, size_t len, const char *needle, size_t n)
{
	const char *q = p, *end = p + len;

	while (q + n <= end &&
	    (q = memchr(q, needle[0], (size_t)(end - q) - n + 1)) != NULL) {
		if (memcmp(q, needle, n) == 0)
			return (size_t)(q - p);
		q++;
	}
	return len;
}

/*
 * Whether text declares a document type or an entity outside comments,
 * CDATA sections and processing instructions.  Such a declaration is
 * the only way to define entities (billion laughs, external entities),
 * so refusing it up front keeps libxml2 from ever seeing one.  Sets
 * *line to the line of the declaration.
 */
static int
has_doctype(const char *p, size_t n, long *line)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (p[i] != '<')
			continue;
		if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0)
			j = find(p + i + 4, n - i - 4, "-->", 3) + i + 4;
		else if (n - i >= 9 && memcmp(p + i, "<![CDATA[", 9) == 0)
			j = find(p + i + 9, n - i - 9, "]]>", 3) + i + 9;
		else if (n - i >= 2 && p[i + 1] == '?')
			j = find(p + i + 2, n - i - 2, "?>", 2) + i + 2;
		else if (n - i >= 9 && p[i + 1] == '!' &&
		    (kb_strncasecmp(p + i + 2, "DOCTYPE", 7) == 0 ||
		    kb_strncasecmp(p + i + 2, "ENTITY", 6) == 0))
			goto found;
		else
			continue;
		i = j;
	}
	return 0;
found:
	*line = 1;
	for (j = 0; j < i; j++)
		*line += p[j] == '\n';
	return 1;
}

/* ------------------------------------------------------------------ */
/* LOG_EVT_XML: wevtutil qe /f:xml (or /f:RenderedXml) output. */

/* libxml2 options: see the file comment for why each is (not) here. */
#define XML_OPTS	(XML_PARSE_NONET | XML_PARSE_NOERROR | \
	XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA)

/* State of one LOG_EVT_XML run. */
struct xstate {
	struct log_env	*env;
	struct event	 ev;
	struct buf	 data;		/* EventData / UserData values */
	struct buf	 tmp;
	long		 base;		/* line of the event being parsed */
	char		*err_msg;	/* its first error, NULL none */
	long		 err_line;
	size_t		 bad_time;
	size_t		 bad_events;
	size_t		 events;
};

/* libxml2 error callback: keeps the first error of the event. */
static void
xml_error(void *arg, xmlErrorPtr e)
{
	struct xstate *st = arg;
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR || st->err_msg != NULL)
		return;
	st->err_line = st->base + (e->line > 0 ? e->line - 1 : 0);
	st->err_msg = xstrdup(e->message ? e->message : "unknown error");
	n = strlen(st->err_msg);
	while (n > 0 && kb_isspace((unsigned char)st->err_msg[n - 1]))
		st->err_msg[--n] = '\0';
}

/* Whether node is an element with local name name. */
static int
is_elem(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)node->name, name) == 0;
}

/* Appends node's direct text and CDATA children to b; entity
 * references are skipped, never expanded. */
static void
node_text(const xmlNode *node, struct buf *b)
{
	const xmlNode *c;

	for (c = node->children; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) && c->content)
			buf_puts(b, (const char *)c->content);
}

/* Replaces b with the trimmed direct text of node. */
static void
node_text_set(const xmlNode *node, struct buf *b)
{
	buf_reset(b);
	node_text(node, b);
	buf_trim(b);
}

/* Replaces b with the text of attribute name of node (empty when
 * absent); only text children count, as in node_text(). */
static void
attr_text(const xmlNode *node, const char *name, struct buf *b)
{
	const xmlAttr *a;
	const xmlNode *c;

	buf_reset(b);
	for (a = node->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0)
			continue;
		for (c = a->children; c != NULL; c = c->next)
			if (c->type == XML_TEXT_NODE && c->content)
				buf_puts(b, (const char *)c->content);
		break;
	}
	buf_trim(b);
}

/* Largest line number in the subtree at node (its last start line). */
static long
max_line(const xmlNode *node)
{
	const xmlNode *c;
	long l, m = xmlGetLineNo(node);

	for (c = node->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && (l = max_line(c)) > m)
			m = l;
	return m;
}

/* Line in the file of a node of the event being parsed. */
static long
xml_line(const struct xstate *st, const xmlNode *node)
{
	long l = xmlGetLineNo(node);

	return st->base + (l > 0 ? l - 1 : 0);
}

/* Reads TimeCreated SystemTime: UTC with 7-9 fraction digits; a time
 * without a marker is UTC too (FORMATS.md), an offset is kept. */
static void
xml_time(struct xstate *st, const xmlNode *tc)
{
	struct event *ev = &st->ev;

	attr_text(tc, "SystemTime", &st->tmp);
	ev->tz_min = 0;
	ev->utc = 1;
	ev->local_ms = parse_iso(buf_str(&st->tmp), &ev->tz_min, &ev->utc);
	if (ev->local_ms != TIME_NONE || st->bad_time++ >= WARN_MAX)
		return;
	st->env->diag(st->env, DIAG_WARNING, xml_line(st, tc),
	    "unreadable event time '%.40s'", buf_str(&st->tmp));
}

/* Reads <System>: provider, IDs, level, time, channel, computer. */
static void
xml_system(struct xstate *st, const xmlNode *sys)
{
	struct event *ev = &st->ev;
	const xmlNode *c;

	for (c = sys->children; c != NULL; c = c->next) {
		if (is_elem(c, "Provider")) {
			attr_text(c, "Name", &ev->f[EF_PROVIDER]);
			if (ev->f[EF_PROVIDER].len == 0)
				attr_text(c, "EventSourceName",
				    &ev->f[EF_PROVIDER]);
		} else if (is_elem(c, "EventID")) {
			node_text_set(c, &ev->f[EF_ID]);
			attr_text(c, "Qualifiers", &ev->f[EF_QUAL]);
		} else if (is_elem(c, "Level"))
			node_text_set(c, &ev->f[EF_LEVEL]);
		else if (is_elem(c, "EventRecordID"))
			node_text_set(c, &ev->f[EF_RECORD]);
		else if (is_elem(c, "Channel"))
			node_text_set(c, &ev->f[EF_CHANNEL]);
		else if (is_elem(c, "Computer"))
			node_text_set(c, &ev->f[EF_COMPUTER]);
		else if (is_elem(c, "Execution"))
			attr_text(c, "ThreadID", &ev->thread);
		else if (is_elem(c, "TimeCreated"))
			xml_time(st, c);
	}
}

/*
 * Appends the text of the leaf elements under node to b, joined with
 * "; ": the <Data> values of EventData, or whatever UserData holds.
 * Binary blobs are hex noise and skipped.  Recursion is bounded by
 * libxml2's depth limit.
 */
static void
xml_leaves(const xmlNode *node, struct buf *b, struct buf *tmp)
{
	const xmlNode *c, *g;

	for (c = node->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || is_elem(c, "Binary"))
			continue;
		for (g = c->children; g != NULL; g = g->next)
			if (g->type == XML_ELEMENT_NODE)
				break;
		if (g != NULL) {
			xml_leaves(c, b, tmp);
			continue;
		}
		buf_reset(tmp);
		node_text(c, tmp);
		join_value(b, tmp->data, tmp->len);
	}
}

/* Builds and emits the record of one <Event> element at offset off. */
static void
xml_event(struct xstate *st, const xmlNode *evnode, uint64_t off)
{
	struct event *ev = &st->ev;
	const xmlNode *c, *m;
	int rendered = 0;

	event_reset(ev);
	buf_reset(&st->data);
	ev->line = xml_line(st, evnode);
	ev->end_line = st->base + max_line(evnode) - 1;
	ev->off = off;
	for (c = evnode->children; c != NULL; c = c->next) {
		if (is_elem(c, "System"))
			xml_system(st, c);
		else if (is_elem(c, "EventData") || is_elem(c, "UserData"))
			xml_leaves(c, &st->data, &st->tmp);
		else if (is_elem(c, "RenderingInfo"))
			for (m = c->children; m != NULL; m = m->next)
				if (is_elem(m, "Message")) {
					node_text_set(m, &ev->msg);
					rendered = ev->msg.len > 0;
				}
	}
	if (!rendered)
		buf_set(&ev->msg, buf_str(&st->data), st->data.len);
	event_emit(st->env, ev);
	st->events++;
}

/* Index of the next "<Event" start tag at or after i, or n. */
static size_t
event_start(const char *p, size_t n, size_t i)
{
	for (;; i += 6) {
		i += find(p + i, n - i, "<Event", 6);
		if (i + 6 >= n)
			return n;
		if (p[i + 6] == '>' || kb_isspace((unsigned char)p[i + 6]))
			return i;
	}
}

/* Index just past the "</Event>" that ends the event at i, or n. */
static size_t
event_end(const char *p, size_t n, size_t i)
{
	size_t k;

	for (;; i += 7) {
		i += find(p + i, n - i, "</Event", 7);
		if (i >= n)
			return n;
		for (k = i + 7; k < n && kb_isspace((unsigned char)p[k]); k++)
			continue;
		if (k < n && p[k] == '>')
			return k + 1;
	}
}

/*
 * Parses the one event in p[0..n) (line st->base, offset off) with its
 * own small document, so a broken event costs only itself and memory
 * stays at one event however large the file is.
 */
static void
xml_one(struct xstate *st, xmlParserCtxtPtr ctxt, const char *p, size_t n,
    uint64_t off)
{
	xmlDocPtr doc;
	xmlNodePtr root;

	free(st->err_msg);
	st->err_msg = NULL;
	doc = xmlCtxtReadMemory(ctxt, p, (int)n, NULL, "UTF-8", XML_OPTS);
	if (doc != NULL && (root = xmlDocGetRootElement(doc)) != NULL)
		xml_event(st, root, off);
	else if (st->bad_events++ < WARN_MAX)
		st->env->diag(st->env, DIAG_ERROR, st->err_msg ? st->err_line :
		    st->base, "malformed event skipped: %s", st->err_msg ?
		    st->err_msg : "parse error");
	xmlFreeDoc(doc);
}

/*
 * Walks the text event by event.  Whatever lies between events (a
 * python-evtx <Events> root, an XML declaration, a DOCTYPE) is never
 * given to libxml2.
 */
static void
xml_events(struct xstate *st, const char *p, size_t n)
{
	xmlParserCtxtPtr ctxt;
	size_t i = 0, s, e, at = 0;

	if ((ctxt = xmlNewParserCtxt()) == NULL)
		die("cannot create an XML parser");
	st->base = 1;
	while ((s = event_start(p, n, i)) < n) {
		for (; at < s; at++)
			st->base += p[at] == '\n';
		e = event_end(p, n, s);
		xml_one(st, ctxt, p + s, e - s, s);
		i = e;
	}
	xmlFreeParserCtxt(ctxt);
}

/* WHOLE: concatenated <Event> elements without a root. */
static void
evt_xml_whole(struct log_env *env, const char *p, size_t n)
{
	struct xstate st;
	xmlStructuredErrorFunc old = xmlStructuredError;
	void *oldarg = xmlStructuredErrorContext;
	long line;

	memset(&st, 0, sizeof(st));
	st.env = env;
	if (has_doctype(p, n, &line))
		env->diag(env, DIAG_WARNING, line, "document type declaration "
		    "ignored: entities are never defined or loaded");
	/* libxml2's handler is per thread: catch this file's errors */
	xmlSetStructuredErrorFunc(&st, xml_error);
	xml_events(&st, p, n);
	xmlSetStructuredErrorFunc(oldarg, old);
	if (st.events == 0 && st.bad_events == 0)
		env->diag(env, DIAG_WARNING, 0, "no <Event> elements");
	if (st.bad_events > WARN_MAX)
		env->diag(env, DIAG_ERROR, 0, "%zu malformed events skipped "
		    "in all", st.bad_events);
	if (st.bad_time > WARN_MAX)
		env->diag(env, DIAG_WARNING, 0, "%zu more unreadable times",
		    st.bad_time - WARN_MAX);
	free(st.err_msg);
	event_free(&st.ev);
	buf_free(&st.data);
	buf_free(&st.tmp);
}

/* wevtutil's event namespace decides; a python-evtx root is nearly as
 * good; the name only breaks ties. */
static int
evt_xml_sniff(const char *name, const char *head, size_t n)
{
	size_t len = name ? strlen(name) : 0;
	int ext = len > 4 && kb_strcasecmp(name + len - 4, ".xml") == 0;

	if (strstr(head, "<Event xmlns=") && strstr(head,
	    "schemas.microsoft.com/win/2004/08/events/event"))
		return 95;
	if (strstr(head, "<Event ") && strstr(head, "<System>") &&
	    strstr(head, "<EventID"))
		return 80 + ext * 5;
	return 0;
}

const struct log_parser log_evt_xml_parser = {
	LOG_EVT_XML, "evt-xml", 0, NULL, NULL, NULL, evt_xml_whole,
	evt_xml_sniff
};

/* ------------------------------------------------------------------ */
/* LOG_EVT_CSV: Get-WinEvent / Get-EventLog | Export-Csv. */

/* Columns read, with the Get-EventLog aliases after the Get-WinEvent
 * names they stand in for. */
enum ccol {
	CC_TIME, CC_TIMEGEN, CC_ID, CC_EVENTID, CC_INSTANCE, CC_QUAL,
	CC_LEVEL, CC_LEVELNAME, CC_ENTRYTYPE, CC_PROVIDER, CC_SOURCE, CC_MSG,
	CC_COMPUTER, CC_CHANNEL, CC_RECORD, CC_INDEX, CC_THREAD, CC__MAX
};

static const char *const ccol_name[CC__MAX] = {
	"TimeCreated", "TimeGenerated", "Id", "EventID", "InstanceId",
	"Qualifiers", "Level", "LevelDisplayName", "EntryType",
	"ProviderName", "Source", "Message", "MachineName", "LogName",
	"RecordId", "Index", "ThreadId"
};

/* The fields of one CSV record: NUL-separated in text, starts in at. */
struct fields {
	struct buf	 text;
	size_t		*at;
	size_t		 n;
	size_t		 cap;
};

/* State of one LOG_EVT_CSV run. */
struct csv {
	struct log_env	*env;
	struct buf	 rec;		/* physical lines joined with LF */
	int		 inq;		/* rec ends inside quotes */
	long		 line;
	long		 end_line;
	uint64_t	 off;
	int		 state;		/* 0 header next, 1 rows, -1 give up */
	char		 delim;
	int		 col[CC__MAX];	/* field index or -1 */
	int		 order;
	struct fields	 fl;
	struct event	 ev;
};

/* Appends one field start to f. */
static void
fields_mark(struct fields *f)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		f->at = xrealloc(f->at, f->cap * sizeof(*f->at));
	}
	f->at[f->n++] = f->text.len;
}

/*
 * Splits one CSV record into f: fields separated by delim, optionally
 * quoted, "" inside quotes is a quote; a quoted field may hold
 * newlines.  Text after a closing quote up to the delimiter is kept
 * (Excel does the same with stray text).
 */
static void
csv_split(const char *s, size_t n, char delim, struct fields *f)
{
	size_t i = 0;
	int q;

	buf_reset(&f->text);
	f->n = 0;
	for (;;) {
		fields_mark(f);
		q = 0;
		for (; i < n; i++) {
			if (s[i] == '"') {
				if (q && i + 1 < n && s[i + 1] == '"')
					buf_putc(&f->text, s[i++]);
				else
					q = !q;
			} else if (s[i] == delim && !q)
				break;
			else
				buf_putc(&f->text, s[i]);
		}
		buf_putc(&f->text, '\0');
		if (i >= n)
			break;
		i++;
	}
}

/* Field i of f ("" when the record is short or the column absent). */
static const char *
field(const struct fields *f, int i)
{
	return i >= 0 && (size_t)i < f->n ? f->text.data + f->at[i] : "";
}

/* The delimiter of a header line: the most frequent of , ; TAB outside
 * quotes (Export-Csv -UseCulture writes the culture's list separator). */
static char
csv_delim(const char *s, size_t n)
{
	size_t i, comma = 0, semi = 0, tab = 0;
	int q = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			q = !q;
		else if (!q && s[i] == ',')
			comma++;
		else if (!q && s[i] == ';')
			semi++;
		else if (!q && s[i] == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	return tab > comma ? '\t' : ',';
}

/* Maps the header's column names; gives up on a CSV that is not an
 * event export. */
static void
csv_header(struct csv *c)
{
	size_t i;
	int k;

	if (c->delim == '\0')
		c->delim = csv_delim(c->rec.data, c->rec.len);
	csv_split(c->rec.data, c->rec.len, c->delim, &c->fl);
	for (k = 0; k < CC__MAX; k++)
		c->col[k] = -1;
	for (i = 0; i < c->fl.n; i++) {
		struct buf name = {0};

		buf_set(&name, field(&c->fl, (int)i),
		    strlen(field(&c->fl, (int)i)));
		for (k = 0; k < CC__MAX; k++)
			if (c->col[k] < 0 &&
			    kb_strcasecmp(buf_str(&name), ccol_name[k]) == 0)
				c->col[k] = (int)i;
		buf_free(&name);
	}
	c->state = 1;
	if ((c->col[CC_TIME] < 0 && c->col[CC_TIMEGEN] < 0) ||
	    (c->col[CC_ID] < 0 && c->col[CC_EVENTID] < 0 &&
	    c->col[CC_INSTANCE] < 0 && c->col[CC_MSG] < 0)) {
		c->env->diag(c->env, DIAG_ERROR, c->line, "not an event "
		    "export: no TimeCreated and Id or Message columns");
		c->state = -1;
	}
}

/* Value of column k, falling back to column alt (-1 none). */
static const char *
ccol(const struct csv *c, enum ccol k, int alt)
{
	const char *v = field(&c->fl, c->col[k]);

	return *v == '\0' && alt >= 0 ? field(&c->fl, c->col[alt]) : v;
}

/* Turns one data row into a record. */
static void
csv_row(struct csv *c)
{
	struct event *ev = &c->ev;
	const char *v;

	csv_split(c->rec.data, c->rec.len, c->delim, &c->fl);
	event_reset(ev);
	ev->line = c->line;
	ev->end_line = c->end_line;
	ev->off = c->off;
	ev->tz_min = c->env->tz_hint;
	v = ccol(c, CC_TIME, CC_TIMEGEN);
	ev->local_ms = parse_local(v, NULL, &c->order, &ev->tz_min, &ev->utc);
	v = ccol(c, CC_ID, CC_EVENTID);
	if (*v != '\0')
		buf_set(&ev->f[EF_ID], v, strlen(v));
	else if (*(v = ccol(c, CC_INSTANCE, -1)) != '\0')
		/* InstanceId carries the qualifiers in its high bits */
		buf_printf(&ev->f[EF_ID], "%lu", strtoul(v, NULL, 10) & 0xffff);
	v = ccol(c, CC_QUAL, -1);
	buf_set(&ev->f[EF_QUAL], v, strlen(v));
	v = ccol(c, CC_LEVEL, CC_LEVELNAME);
	if (*v == '\0')
		v = ccol(c, CC_ENTRYTYPE, -1);
	buf_set(&ev->f[EF_LEVEL], v, strlen(v));
	v = ccol(c, CC_PROVIDER, CC_SOURCE);
	buf_set(&ev->f[EF_PROVIDER], v, strlen(v));
	v = ccol(c, CC_COMPUTER, -1);
	buf_set(&ev->f[EF_COMPUTER], v, strlen(v));
	v = ccol(c, CC_CHANNEL, -1);
	buf_set(&ev->f[EF_CHANNEL], v, strlen(v));
	v = ccol(c, CC_RECORD, CC_INDEX);
	buf_set(&ev->f[EF_RECORD], v, strlen(v));
	v = ccol(c, CC_THREAD, -1);
	buf_set(&ev->thread, v, strlen(v));
	v = ccol(c, CC_MSG, -1);
	buf_set(&ev->msg, v, strlen(v));
	event_emit(c->env, ev);
}

/* A complete logical record is in c->rec: header or row. */
static void
csv_record(struct csv *c)
{
	if (c->state == 0)
		csv_header(c);
	else if (c->state == 1)
		csv_row(c);
	buf_reset(&c->rec);
	c->inq = 0;
}

static void *
evt_csv_open(struct log_env *env)
{
	struct csv *c = xcalloc(1, sizeof(*c));

	c->env = env;
	event_reset(&c->ev);
	return c;
}

/*
 * LINE: joins physical lines while a quoted field is open (Message is
 * multi-line), then handles the record.  A "#TYPE" line and an Excel
 * "sep=" line may precede the header.
 */
static void
evt_csv_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct csv *c = arg;
	size_t i;

	if (c->state < 0)
		return;
	if (c->rec.len == 0 && !c->inq) {
		if (n == 0 || (c->state == 0 && n >= 5 &&
		    memcmp(s, "#TYPE", 5) == 0))
			return;
		if (c->state == 0 && n >= 5 &&
		    kb_strncasecmp(s, "sep=", 4) == 0) {
			c->delim = s[4];
			return;
		}
		c->line = lineno;
		c->off = off;
	} else
		buf_putc(&c->rec, '\n');
	buf_put(&c->rec, s, n);
	c->end_line = lineno;
	for (i = 0; i < n; i++)
		if (s[i] == '"')
			c->inq = !c->inq;
	if (!c->inq)
		csv_record(c);
}

static void
evt_csv_finish(void *arg)
{
	struct csv *c = arg;

	if (c->rec.len > 0 && c->state >= 0) {
		c->env->diag(c->env, DIAG_WARNING, c->line,
		    "unterminated quoted field");
		csv_record(c);
	}
	buf_free(&c->rec);
	buf_free(&c->fl.text);
	free(c->fl.at);
	event_free(&c->ev);
	free(c);
}

/* The PowerShell type line decides; else a header with the event
 * columns. */
static int
evt_csv_sniff(const char *name, const char *head, size_t n)
{
	const char *nl = strchr(head, '\n');
	size_t len = nl ? (size_t)(nl - head) : n;
	struct buf first = {0};
	int score = 0;

	if (strncmp(head, "#TYPE System.Diagnostics.Eventing.Reader.",
	    41) == 0 ||
	    strncmp(head, "#TYPE System.Diagnostics.EventLogEntry", 38) == 0)
		return 100;
	if (strncmp(head, "#TYPE ", 6) == 0 && nl != NULL) {
		head = nl + 1;
		nl = strchr(head, '\n');
		len = nl ? (size_t)(nl - head) : strlen(head);
	}
	buf_put(&first, head, len);
	if (strstr(buf_str(&first), "TimeCreated") &&
	    (strstr(buf_str(&first), "ProviderName") ||
	    strstr(buf_str(&first), "\"Id\"")))
		score = 90;
	else if (strstr(buf_str(&first), "TimeGenerated") &&
	    strstr(buf_str(&first), "EntryType"))
		score = 85;
	buf_free(&first);
	return score;
}

const struct log_parser log_evt_csv_parser = {
	LOG_EVT_CSV, "evt-csv", 0, evt_csv_open, evt_csv_line, evt_csv_finish,
	NULL, evt_csv_sniff
};

/* ------------------------------------------------------------------ */
/* LOG_EVT_TEXT: Event Viewer "Copy details as text", the legacy
 * eventvwr form and wevtutil qe /f:text. */

/* Where in a block the parser is. */
enum tpart { TP_NONE, TP_FIELDS, TP_DESC, TP_TAIL };

/* State of one LOG_EVT_TEXT run. */
struct etext {
	struct log_env	*env;
	struct event	 ev;
	enum tpart	 part;
	int		 legacy;
	int		 want_computer;	/* legacy "Computer:" value on the
					   next line (crawled copies) */
	struct buf	 date;
	struct buf	 clock;
	long		 last_line;	/* last non-blank line of the block */
	int		 order;
};

/*
 * Splits "  Key:  value" into key and value (both trimmed).  A key is
 * 1-24 letters, digits and spaces starting the line (after indentation
 * only in the field part, as wevtutil indents by two).  Returns 0, or
 * -1 when the line is not a key line.
 */
static int
text_key(const char *s, size_t n, int indent, struct buf *key,
    const char **val, size_t *vlen)
{
	size_t i = 0, k;

	if (indent)
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
	for (k = i; k < n && k - i <= 24 && s[k] != ':'; k++)
		if (!kb_isalnum((unsigned char)s[k]) && s[k] != ' ')
			return -1;
	if (k >= n || s[k] != ':' || k == i || k - i > 24)
		return -1;
	buf_set(key, s + i, k - i);
	for (k++; k < n && kb_isspace((unsigned char)s[k]); k++)
		continue;
	*val = s + k;
	*vlen = n - k;
	while (*vlen > 0 && kb_isspace((unsigned char)(*val)[*vlen - 1]))
		(*vlen)--;
	return 0;
}

/* Emits the open block, if any, and closes it. */
static void
text_flush(struct etext *t)
{
	struct event *ev = &t->ev;

	if (t->part == TP_NONE)
		return;
	ev->end_line = t->last_line;
	ev->tz_min = t->env->tz_hint;
	ev->utc = 0;
	if (t->date.len)
		ev->local_ms = parse_local(t->date.data, t->clock.len ?
		    t->clock.data : NULL, &t->order, &ev->tz_min, &ev->utc);
	event_emit(t->env, ev);
	t->part = TP_NONE;
}

/* Opens a block at lineno. */
static void
text_start(struct etext *t, int legacy, long lineno, uint64_t off)
{
	text_flush(t);
	event_reset(&t->ev);
	buf_reset(&t->date);
	buf_reset(&t->clock);
	t->ev.line = t->last_line = lineno;
	t->ev.off = off;
	t->part = TP_FIELDS;
	t->legacy = legacy;
	t->want_computer = 0;
}

/* Whether a line opens a new block: "Log Name:", "Event Type:" or
 * wevtutil's "Event[N]:" at the left margin. */
static int
text_starter(const char *s, size_t n, int *legacy)
{
	*legacy = 0;
	if (n >= 9 && memcmp(s, "Log Name:", 9) == 0)
		return 1;
	if (n >= 6 && memcmp(s, "Event[", 6) == 0 && s[n - 1] == ':')
		return 1;
	*legacy = 1;
	return n >= 11 && memcmp(s, "Event Type:", 11) == 0;
}

/* Stores one "Key: value" of the field part; returns 1 when the key
 * was "Description" (the message follows). */
static int
text_field(struct etext *t, const char *key, const char *v, size_t n)
{
	struct event *ev = &t->ev;
	static const struct {
		const char	*key;
		int		 field;	/* EF_*, or -1 date, -2 time */
	} map[] = {
		{ "Log Name", EF_CHANNEL }, { "Source", EF_PROVIDER },
		{ "Event Source", EF_PROVIDER }, { "Event ID", EF_ID },
		{ "Level", EF_LEVEL }, { "Event Type", EF_LEVEL },
		{ "Computer", EF_COMPUTER }, { "Date", -1 }, { "Time", -2 },
	};
	size_t i;

	if (kb_strcasecmp(key, "Description") == 0)
		return 1;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (kb_strcasecmp(key, map[i].key) != 0)
			continue;
		if (map[i].field == -1)
			buf_set(&t->date, v, n);
		else if (map[i].field == -2)
			buf_set(&t->clock, v, n);
		else
			buf_set(&ev->f[map[i].field], v, n);
		if (map[i].field == EF_COMPUTER && n == 0 && t->legacy)
			t->want_computer = 1;
		break;
	}
	return 0;
}

/* A line of the field part. */
static void
text_fields_line(struct etext *t, const char *s, size_t n)
{
	struct buf key = {0};
	const char *v;
	size_t vn;

	if (text_key(s, n, 1, &key, &v, &vn) == 0) {
		t->want_computer = 0;
		if (text_field(t, key.data, v, vn)) {
			t->part = TP_DESC;
			buf_set(&t->ev.msg, v, vn);
		}
	} else if (t->want_computer) {
		buf_set(&t->ev.f[EF_COMPUTER], s, n);
		t->want_computer = 0;
	}
	buf_free(&key);
}

static void *
evt_text_open(struct log_env *env)
{
	struct etext *t = xcalloc(1, sizeof(*t));

	t->env = env;
	event_reset(&t->ev);
	return t;
}

/*
 * LINE: a block opens at a starter line, collects "Key: value" fields,
 * then the description up to the next block, "Event Xml:" or the legacy
 * "Data:" dump (kept out of the message).
 */
static void
evt_text_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct etext *t = arg;
	int legacy, blank;
	size_t i;

	for (blank = 1, i = 0; i < n && blank; i++)
		blank = kb_isspace((unsigned char)s[i]);
	if (text_starter(s, n, &legacy)) {
		/* "Log Name:" right after "Event[N]:" belongs to it */
		if (!(t->part == TP_FIELDS && !legacy &&
		    t->ev.f[EF_CHANNEL].len == 0 && t->ev.f[EF_ID].len == 0 &&
		    s[0] == 'L'))
			text_start(t, legacy, lineno, off);
	}
	if (t->part == TP_NONE)
		return;
	if (!blank)
		t->last_line = lineno;
	if (t->part == TP_TAIL)
		return;
	if (t->part == TP_FIELDS) {
		text_fields_line(t, s, n);
		return;
	}
	if ((n >= 10 && memcmp(s, "Event Xml:", 10) == 0) ||
	    (t->legacy && n >= 5 && memcmp(s, "Data:", 5) == 0)) {
		t->part = TP_TAIL;
		return;
	}
	if (t->ev.msg.len || !blank) {
		if (t->ev.msg.len)
			buf_putc(&t->ev.msg, '\n');
		buf_put(&t->ev.msg, s, n);
	}
}

static void
evt_text_finish(void *arg)
{
	struct etext *t = arg;

	text_flush(t);
	event_free(&t->ev);
	buf_free(&t->date);
	buf_free(&t->clock);
	free(t);
}

/* Counts lines of head that start with prefix. */
static int
count_prefix(const char *head, const char *prefix)
{
	size_t n = strlen(prefix);
	int k = 0;

	if (strncmp(head, prefix, n) == 0)
		k++;
	while ((head = strchr(head, '\n')) != NULL)
		if (strncmp(++head, prefix, n) == 0)
			k++;
	return k;
}

/* The field names of a block decide; the name does not matter. */
static int
evt_text_sniff(const char *name, const char *head, size_t n)
{
	int id = count_prefix(head, "Event ID:") +
	    count_prefix(head, "  Event ID:");

	if (id == 0)
		return 0;
	if (count_prefix(head, "Log Name:") || count_prefix(head, "Event[0]:"))
		return 90;
	if (count_prefix(head, "Event Type:") &&
	    count_prefix(head, "Event Source:"))
		return 90;
	if (count_prefix(head, "Source:"))
		return 60;
	return 0;
}

const struct log_parser log_evt_text_parser = {
	LOG_EVT_TEXT, "evt-text", 0, evt_text_open, evt_text_line,
	evt_text_finish, NULL, evt_text_sniff
};

/* ------------------------------------------------------------------ */
/* LOG_EVTX: binary .evtx through libevtx, read from memory via a libbfio
 * memory range, so nothing is ever written to disk. */

/* Zeroed slack after the file, over 64 KiB (see evtx_whole). */
#define EVTX_PAD	(128u * 1024)

/* Seconds from 1601-01-01 (FILETIME epoch) to 1970-01-01. */
#define FILETIME_1970	11644473600LL

/* Whether head starts with the EVTX file signature "ElfFile\0". */
int
log_evtx_magic(const void *head, size_t n)
{
	return n >= 8 && memcmp(head, "ElfFile\0", 8) == 0;
}

/* Appends src to b with invalid UTF-8 replaced by U+FFFD: records must
 * be UTF-8 and a damaged record can yield anything. */
static void
put_utf8(struct buf *b, const char *src, size_t n)
{
	uint32_t cp;
	size_t i = 0;
	int k;

	while (i < n) {
		k = utf8_decode((const unsigned char *)src + i, n - i, &cp);
		if (k > 0) {
			buf_put(b, src + i, (size_t)k);
			i += (size_t)k;
		} else {
			buf_puts(b, "\xef\xbf\xbd");
			i++;
		}
	}
}

/* libevtx's size-then-fill string getters, as one function type. */
typedef int (*evtx_size_fn)(libevtx_record_t *, size_t *,
    libevtx_error_t **);
typedef int (*evtx_get_fn)(libevtx_record_t *, uint8_t *, size_t,
    libevtx_error_t **);

/* Replaces b with a string of r through a getter pair; empty when the
 * record lacks it or it cannot be read. */
static void
evtx_string(libevtx_record_t *r, evtx_size_fn sizef, evtx_get_fn getf,
    struct buf *b)
{
	libevtx_error_t *err = NULL;
	uint8_t *s;
	size_t n = 0;

	buf_reset(b);
	if (sizef(r, &n, &err) != 1 || n == 0 || n > LOG_WHOLE_MAX)
		goto out;
	s = xmalloc(n);
	if (getf(r, s, n, &err) == 1)
		put_utf8(b, (const char *)s, strnlen((const char *)s, n));
	free(s);
out:
	libevtx_error_free(&err);
}

/* Replaces b with the channel: libevtx has no getter for it, so it is
 * read from the rendered XML of the record. */
static void
evtx_channel(libevtx_record_t *r, struct buf *b, struct buf *xml)
{
	const char *s, *e;

	evtx_string(r, libevtx_record_get_utf8_xml_string_size,
	    libevtx_record_get_utf8_xml_string, xml);
	buf_reset(b);
	if ((s = strstr(buf_str(xml), "<Channel>")) == NULL)
		return;
	s += 9;
	if ((e = strstr(s, "</Channel>")) != NULL)
		buf_set(b, s, (size_t)(e - s));
}

/* Joins the event's strings (its EventData) into ev->msg. */
static void
evtx_strings(libevtx_record_t *r, struct event *ev, struct buf *tmp)
{
	libevtx_error_t *err = NULL;
	uint8_t *s;
	size_t n;
	int i, count = 0;

	buf_reset(&ev->msg);
	if (libevtx_record_get_number_of_strings(r, &count, &err) != 1)
		count = 0;
	for (i = 0; i < count; i++) {
		n = 0;
		if (libevtx_record_get_utf8_string_size(r, i, &n, &err) != 1 ||
		    n == 0 || n > LOG_WHOLE_MAX) {
			libevtx_error_free(&err);
			continue;
		}
		s = xmalloc(n);
		if (libevtx_record_get_utf8_string(r, i, s, n, &err) == 1) {
			buf_reset(tmp);
			put_utf8(tmp, (const char *)s,
			    strnlen((const char *)s, n));
			join_value(&ev->msg, tmp->data, tmp->len);
		}
		libevtx_error_free(&err);
		free(s);
	}
	libevtx_error_free(&err);
}

/* Fills ev with the numeric header fields of r. */
static void
evtx_numbers(libevtx_record_t *r, struct event *ev)
{
	libevtx_error_t *err = NULL;
	uint64_t id = 0, ft = 0;
	uint32_t eid = 0, qual = 0;
	uint8_t level = 0;

	if (libevtx_record_get_identifier(r, &id, &err) == 1)
		buf_printf(&ev->f[EF_RECORD], "%llu", (unsigned long long)id);
	libevtx_error_free(&err);
	if (libevtx_record_get_event_identifier(r, &eid, &err) == 1)
		buf_printf(&ev->f[EF_ID], "%lu", (unsigned long)eid);
	libevtx_error_free(&err);
	if (libevtx_record_get_event_identifier_qualifiers(r, &qual, &err) == 1)
		buf_printf(&ev->f[EF_QUAL], "%lu", (unsigned long)qual);
	libevtx_error_free(&err);
	if (libevtx_record_get_event_level(r, &level, &err) == 1)
		buf_printf(&ev->f[EF_LEVEL], "%u", (unsigned)level);
	libevtx_error_free(&err);
	if (libevtx_record_get_written_time(r, &ft, &err) == 1 && ft != 0 &&
	    ft / 10000 >= (uint64_t)FILETIME_1970 * 1000) {
		ev->local_ms = (int64_t)(ft / 10000) - FILETIME_1970 * 1000;
		ev->tz_min = 0;
		ev->utc = 1;
	}
	libevtx_error_free(&err);
}

/*
 * Where each record starts, by identifier: libevtx reports no offset
 * for records read from a chunk, so the chunks (64 KiB after the 4 KiB
 * file header, "ElfChnk") are walked here, record by record ("**",
 * size, identifier), stopping at anything implausible.
 */
struct evtx_offsets {
	uint64_t	*id;
	uint64_t	*off;
	size_t		 n;
	size_t		 cap;
	size_t		 next;		/* where the next lookup starts */
};

/* Little-endian reads from the raw file. */
static uint32_t
le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
le64(const unsigned char *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Fills o from the n raw bytes at p. */
static void
evtx_scan(const unsigned char *p, size_t n, struct evtx_offsets *o)
{
	size_t c, r, end, size;

	for (c = 4096; c < n && n - c >= 512; c += 65536) {
		if (memcmp(p + c, "ElfChnk\0", 8) != 0)
			continue;
		end = n - c > 65536 ? c + 65536 : n;
		for (r = c + 512; end - r >= 24; r += size) {
			size = le32(p + r + 4);
			if (memcmp(p + r, "**\0\0", 4) != 0 || size < 24 ||
			    size > end - r)
				break;
			if (o->n == o->cap) {
				o->cap = o->cap ? o->cap * 2 : 256;
				o->id = xrealloc(o->id,
				    o->cap * sizeof(*o->id));
				o->off = xrealloc(o->off,
				    o->cap * sizeof(*o->off));
			}
			o->id[o->n] = le64(p + r + 8);
			o->off[o->n++] = r;
		}
	}
}

/* Offset of the record with identifier id, 0 when unknown.  Records
 * come in file order, so the lookup nearly always hits at o->next. */
static uint64_t
evtx_offset(struct evtx_offsets *o, uint64_t id)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		size_t k = (o->next + i) % o->n;

		if (o->id[k] == id) {
			o->next = k + 1;
			return o->off[k];
		}
	}
	return 0;
}

/*
 * Blanks the signature of every chunk whose header libevtx 20181227
 * would refuse (header size other than 128, free space offset outside
 * the chunk, or a header cut off by the end of the file): it refuses
 * the whole file for one such chunk, and leaks on that path, while a
 * chunk without a signature is skipped like an unused one.  Returns the
 * number of chunks blanked.
 */
static size_t
evtx_sanitize(uint8_t *p, size_t n)
{
	size_t c, bad = 0;
	uint32_t hs, fs;

	for (c = 4096; c < n && n - c >= 8; c += 65536) {
		if (memcmp(p + c, "ElfChnk\0", 8) != 0)
			continue;
		hs = n - c >= 52 ? le32(p + c + 40) : 0;
		fs = n - c >= 52 ? le32(p + c + 48) : 0;
		if (n - c >= 512 && hs == 128 && fs >= 512 && fs <= 65536)
			continue;
		memset(p + c, 0, 8);
		bad++;
	}
	return bad;
}

/* Builds and emits the record of r, the index-th record of the file. */
static void
evtx_record(struct log_env *env, libevtx_record_t *r, int index,
    struct evtx_offsets *offs, struct event *ev, struct buf *tmp)
{
	event_reset(ev);
	/* a binary file has no lines: line is the record's ordinal */
	ev->line = ev->end_line = (long)index + 1;
	evtx_numbers(r, ev);
	if (ev->f[EF_RECORD].len)
		ev->off = evtx_offset(offs, strtoull(ev->f[EF_RECORD].data,
		    NULL, 10));
	evtx_string(r, libevtx_record_get_utf8_source_name_size,
	    libevtx_record_get_utf8_source_name, &ev->f[EF_PROVIDER]);
	evtx_string(r, libevtx_record_get_utf8_computer_name_size,
	    libevtx_record_get_utf8_computer_name, &ev->f[EF_COMPUTER]);
	evtx_channel(r, &ev->f[EF_CHANNEL], tmp);
	evtx_strings(r, ev, tmp);
	event_emit(env, ev);
}

/* The first line of a libevtx error, for a diagnostic. */
static void
evtx_errmsg(libevtx_error_t *err, char *out, size_t len)
{
	char *nl;

	out[0] = '\0';
	if (err == NULL || libevtx_error_sprint(err, out, len) < 0)
		snprintf(out, len, "unknown error");
	if ((nl = strchr(out, '\n')) != NULL)
		*nl = '\0';
}

/* Emits every record of an open file; a record libevtx cannot read is
 * a warning and the walk goes on. */
static void
evtx_records(struct log_env *env, libevtx_file_t *f, const char *p,
    size_t n)
{
	libevtx_error_t *err = NULL;
	libevtx_record_t *r;
	struct evtx_offsets offs;
	struct event ev;
	struct buf tmp = {0};
	char msg[256];
	int i, count = 0, bad = 0;

	memset(&ev, 0, sizeof(ev));
	memset(&offs, 0, sizeof(offs));
	evtx_scan((const unsigned char *)p, n, &offs);
	if (libevtx_file_get_number_of_records(f, &count, &err) != 1)
		count = 0;
	libevtx_error_free(&err);
	for (i = 0; i < count; i++) {
		r = NULL;
		if (libevtx_file_get_record_by_index(f, i, &r, &err) != 1) {
			if (bad++ < WARN_MAX) {
				evtx_errmsg(err, msg, sizeof(msg));
				env->diag(env, DIAG_WARNING, i + 1,
				    "corrupted event record skipped: %s", msg);
			}
			libevtx_error_free(&err);
			continue;
		}
		evtx_record(env, r, i, &offs, &ev, &tmp);
		libevtx_record_free(&r, NULL);
	}
	if (bad > WARN_MAX)
		env->diag(env, DIAG_WARNING, 0, "%d corrupted event records "
		    "skipped in all", bad);
	event_free(&ev);
	buf_free(&tmp);
	free(offs.id);
	free(offs.off);
}

/* Reads the .evtx file at p (n bytes, signature checked) through
 * libevtx and reports to env. */
static void
evtx_parse(struct log_env *env, const char *p, size_t n)
{
	libbfio_handle_t *io = NULL;
	libbfio_error_t *berr = NULL;
	libevtx_file_t *f = NULL;
	libevtx_error_t *err = NULL;
	uint8_t *copy;
	size_t bad;
	char msg[256];

	/*
	 * libbfio 20170123 (Debian 12) copies as many bytes as were asked
	 * for even at the end of a memory range, reading past it: the
	 * range gets a zeroed tail larger than any single read of libevtx
	 * (a 64 KiB chunk).  Found by ASan on a truncated file.
	 */
	copy = xcalloc(1, n + EVTX_PAD);
	memcpy(copy, p, n);
	if ((bad = evtx_sanitize(copy, n)) > 0)
		env->diag(env, DIAG_WARNING, 0, "%zu corrupted chunk%s of "
		    "event records skipped", bad, bad > 1 ? "s" : "");
	if (libbfio_memory_range_initialize(&io, &berr) != 1 ||
	    libbfio_memory_range_set(io, copy, n, &berr) != 1 ||
	    libevtx_file_initialize(&f, &err) != 1)
		die("cannot set up libevtx");
	if (libevtx_file_open_file_io_handle(f, io, LIBEVTX_OPEN_READ,
	    &err) != 1) {
		evtx_errmsg(err, msg, sizeof(msg));
		env->diag(env, DIAG_ERROR, 0, "unreadable EVTX file: %s", msg);
	} else {
		evtx_records(env, f, p, n);
		libevtx_file_close(f, NULL);
	}
	libevtx_error_free(&err);
	libevtx_file_free(&f, NULL);
	libbfio_handle_free(&io, NULL);
	libbfio_error_free(&berr);
	free(copy);
}

/*
 * libevtx runs in a child process.  Fuzzing found, within minutes,
 * corrupt records that make libevtx 20181227 leak, and one that makes it
 * allocate and touch gigabytes (the OOM killer then ends kbgen, losing
 * the whole bundle).  The child has an address-space and CPU budget;
 * it sends each record and diagnostic down a pipe and the parent hands
 * them on, so a dying child costs only the rest of that one file.
 * Messages: a type byte, a 32-bit length, then the body; integers are
 * little-endian, strings are a 32-bit length (0xffffffff for NULL),
 * the bytes and a NUL.
 */
enum { MSG_RECORD = 'R', MSG_DIAG = 'D' };
#define MSG_MAX		(LOG_WHOLE_MAX + 65536u)
#define STR_NULL	0xffffffffu
/* The child's budget beyond what the parent already maps, and CPU. */
#define CHILD_AS	(2048ull * 1024 * 1024)
#define CHILD_CPU	600

/* Appends v little-endian in k bytes. */
static void
put_le(struct buf *b, uint64_t v, int k)
{
	while (k-- > 0) {
		buf_putc(b, (int)(v & 0xff));
		v >>= 8;
	}
}

/* Appends a string of n bytes (s NULL: no string). */
static void
put_str(struct buf *b, const char *s, size_t n)
{
	put_le(b, s ? (uint32_t)n : STR_NULL, 4);
	if (s != NULL) {
		buf_put(b, s, n);
		buf_putc(b, '\0');
	}
}

/* Writes a finished message to the pipe in env->arg (an int fd); a
 * parent that stopped listening ends the child. */
static void
msg_send(struct log_env *env, struct buf *b)
{
	const int *fd = env->arg;
	size_t off = 0, body = b->len - 5;
	ssize_t k;

	b->data[1] = (char)(body & 0xff);
	b->data[2] = (char)(body >> 8 & 0xff);
	b->data[3] = (char)(body >> 16 & 0xff);
	b->data[4] = (char)(body >> 24 & 0xff);
	while (off < b->len) {
		if ((k = write(*fd, b->data + off, b->len - off)) < 0) {
			if (errno == EINTR)
				continue;
			_exit(3);
		}
		off += (size_t)k;
	}
}

/* The child's emit(): the record down the pipe. */
static void
child_emit(struct log_env *env, const struct record *r)
{
	struct buf b = {0};
	size_t i;

	buf_putc(&b, MSG_RECORD);
	put_le(&b, 0, 4);
	put_le(&b, (uint64_t)r->line, 8);
	put_le(&b, (uint64_t)r->end_line, 8);
	put_le(&b, r->offset, 8);
	put_le(&b, (uint64_t)r->local_ms, 8);
	put_le(&b, (uint32_t)r->tz_min, 4);
	put_le(&b, (uint32_t)r->utc, 4);
	put_le(&b, (uint32_t)r->sev, 4);
	put_str(&b, r->component, r->component ? strlen(r->component) : 0);
	put_str(&b, r->thread, r->thread ? strlen(r->thread) : 0);
	put_str(&b, r->msg, r->msg_len);
	put_le(&b, r->nkv, 4);
	for (i = 0; i < r->nkv; i++) {
		put_str(&b, r->kv[i].key, strlen(r->kv[i].key));
		put_str(&b, r->kv[i].value, strlen(r->kv[i].value));
	}
	msg_send(env, &b);
	buf_free(&b);
}

/* The child's diag(): the diagnostic down the pipe. */
static void
child_diag(struct log_env *env, int level, long line, const char *fmt, ...)
{
	struct buf b = {0};
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	buf_putc(&b, MSG_DIAG);
	put_le(&b, 0, 4);
	put_le(&b, (uint32_t)level, 4);
	put_le(&b, (uint64_t)line, 8);
	put_str(&b, text, strlen(text));
	msg_send(env, &b);
	buf_free(&b);
}

/* Caps the child: its current address space plus CHILD_AS and four
 * times the file (sanitizer shadow mappings are already counted), and
 * CHILD_CPU seconds. */
static void
child_limits(size_t n)
{
	struct rlimit rl;
	unsigned long long pages = 0;
	long page = sysconf(_SC_PAGESIZE);
	FILE *f;

	if ((f = fopen("/proc/self/statm", "r")) != NULL) {
		if (fscanf(f, "%llu", &pages) == 1 && page > 0) {
			rl.rlim_cur = rl.rlim_max = (rlim_t)(pages *
			    (unsigned long long)page + CHILD_AS + 4ull * n);
			setrlimit(RLIMIT_AS, &rl);
		}
		fclose(f);
	}
	rl.rlim_cur = rl.rlim_max = CHILD_CPU;
	setrlimit(RLIMIT_CPU, &rl);
}

/* The child: parses, reports through fd, never returns. */
static void
evtx_child(const struct log_env *penv, int fd, const char *p, size_t n)
{
	struct log_env env = *penv;

	env.arg = &fd;
	env.emit = child_emit;
	env.diag = child_diag;
	child_limits(n);
	evtx_parse(&env, p, n);
	_exit(0);
}

/* A parsed message body and where the parser is in it. */
struct msgbody {
	const char	*p;
	size_t		 n;
	size_t		 i;
	int		 bad;
};

/* Reads k little-endian bytes. */
static uint64_t
get_le(struct msgbody *m, int k)
{
	uint64_t v = 0;
	int j;

	if (m->n - m->i < (size_t)k) {
		m->bad = 1;
		return 0;
	}
	for (j = 0; j < k; j++)
		v |= (uint64_t)(unsigned char)m->p[m->i + j] << (8 * j);
	m->i += (size_t)k;
	return v;
}

/* Reads a string; NULL for none (or a malformed body). */
static const char *
get_str(struct msgbody *m, size_t *len)
{
	uint32_t n = (uint32_t)get_le(m, 4);
	const char *s;

	*len = 0;
	if (m->bad || n == STR_NULL)
		return NULL;
	if (m->n - m->i < (size_t)n + 1 || m->p[m->i + n] != '\0') {
		m->bad = 1;
		return NULL;
	}
	s = m->p + m->i;
	m->i += (size_t)n + 1;
	*len = n;
	return s;
}

/* Rebuilds a record from the child and emits it; -1 when malformed. */
static int
relay_record(struct log_env *env, struct msgbody *m)
{
	struct log_kv kv[16];
	struct record r;
	size_t i, len;

	memset(&r, 0, sizeof(r));
	r.line = (long)get_le(m, 8);
	r.end_line = (long)get_le(m, 8);
	r.offset = get_le(m, 8);
	r.local_ms = (int64_t)get_le(m, 8);
	r.tz_min = (int32_t)(uint32_t)get_le(m, 4);
	r.utc = (int)get_le(m, 4);
	r.sev = (enum log_sev)get_le(m, 4);
	r.component = get_str(m, &len);
	r.thread = get_str(m, &len);
	r.msg = get_str(m, &r.msg_len);
	r.nkv = (size_t)get_le(m, 4);
	if (r.nkv > sizeof(kv) / sizeof(kv[0]) || r.sev > SEV_ERROR)
		return -1;
	for (i = 0; i < r.nkv; i++) {
		kv[i].key = get_str(m, &len);
		kv[i].value = get_str(m, &len);
		if (kv[i].key == NULL || kv[i].value == NULL)
			return -1;
	}
	if (m->bad || r.msg == NULL || m->i != m->n)
		return -1;
	r.kv = kv;
	env->emit(env, &r);
	return 0;
}

/* Hands a diagnostic from the child on; -1 when malformed. */
static int
relay_diag(struct log_env *env, struct msgbody *m)
{
	int level = (int)get_le(m, 4);
	long line = (long)get_le(m, 8);
	size_t len;
	const char *text = get_str(m, &len);

	if (m->bad || text == NULL || m->i != m->n)
		return -1;
	env->diag(env, level, line, "%s", text);
	return 0;
}

/* Reads exactly n bytes; returns n, 0 at a clean end, -1 otherwise. */
static ssize_t
read_full(int fd, void *p, size_t n)
{
	size_t got = 0;
	ssize_t k;

	while (got < n) {
		if ((k = read(fd, (char *)p + got, n - got)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (k == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* Relays the child's messages until it closes the pipe.  Returns 0,
 * or -1 when the stream broke off or made no sense. */
static int
evtx_relay(struct log_env *env, int fd, size_t *records)
{
	unsigned char head[5];
	struct buf body = {0};
	struct msgbody m;
	ssize_t k;
	size_t len;
	int rc = 0;

	while ((k = read_full(fd, head, 5)) == 5) {
		len = head[1] | (size_t)head[2] << 8 | (size_t)head[3] << 16 |
		    (size_t)head[4] << 24;
		buf_reset(&body);
		buf_grow(&body, len + 1);
		if (len > MSG_MAX || read_full(fd, body.data, len) !=
		    (ssize_t)len) {
			rc = -1;
			break;
		}
		m.p = body.data, m.n = len, m.i = 0, m.bad = 0;
		if (head[0] == MSG_RECORD && (rc = relay_record(env, &m)) == 0)
			(*records)++;
		else if (head[0] != MSG_RECORD)
			rc = head[0] == MSG_DIAG ? relay_diag(env, &m) : -1;
		if (rc == -1)
			break;
	}
	buf_free(&body);
	return k < 0 ? -1 : rc;
}

/* Waits for the child and says how it ended when that was not well. */
static void
evtx_reap(struct log_env *env, pid_t pid, int relayed, size_t records)
{
	int status = 0;

	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	if (WIFSIGNALED(status))
		env->diag(env, DIAG_ERROR, 0, "EVTX reader stopped by signal "
		    "%d after %zu records (damaged file or memory limit)",
		    WTERMSIG(status), records);
	else if (WEXITSTATUS(status) != 0 || relayed == -1)
		env->diag(env, DIAG_ERROR, 0, "EVTX reader failed after %zu "
		    "records", records);
}

/* WHOLE (raw bytes): the .evtx file, read by a child process. */
static void
evtx_whole(struct log_env *env, const char *p, size_t n)
{
	size_t records = 0;
	int fds[2], rc;
	pid_t pid;

	if (!log_evtx_magic(p, n)) {
		env->diag(env, DIAG_ERROR, 0, "not an EVTX file");
		return;
	}
	if (pipe(fds) == -1) {
		env->diag(env, DIAG_ERROR, 0, "cannot read EVTX: pipe: %s",
		    strerror(errno));
		return;
	}
	/* nothing buffered may be written twice, should the child exit()
	 * through die() */
	fflush(NULL);
	if ((pid = fork()) == -1) {
		env->diag(env, DIAG_ERROR, 0, "cannot read EVTX: fork: %s",
		    strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		evtx_child(env, fds[1], p, n);
	}
	close(fds[1]);
	rc = evtx_relay(env, fds[0], &records);
	close(fds[0]);
	evtx_reap(env, pid, rc, records);
}

/* The signature decides when the sniffer sees it (decoded text may
 * have lost the NUL); else only the name hints. */
static int
evtx_sniff(const char *name, const char *head, size_t n)
{
	size_t len = name ? strlen(name) : 0;

	if (log_evtx_magic(head, n) || strncmp(head, "ElfFile", 7) == 0)
		return 100;
	if (len > 5 && kb_strcasecmp(name + len - 5, ".evtx") == 0)
		return 60;
	return 0;
}

const struct log_parser log_evtx_parser = {
	LOG_EVTX, "evtx", 1, NULL, NULL, NULL, evtx_whole, evtx_sniff
};
