/*
 * mask.c -- message templates (see mask.h).
 *
 * What varies in WSUS and ConfigMgr messages is nearly always written as
 * one white-space separated chunk: a number, a time, an HRESULT, a GUID,
 * a host or FQDN, a URL, a path, a SID, "key=value".  So a chunk is the
 * unit: stripped of the punctuation around it, it is a variable when it
 * holds a digit, a path or URL separator, an '@', a dot between letters
 * (hosts, FQDNs, file names, .NET type names), or is one of the
 * incident's host names.  Quoted values ('www.update.microsoft.com',
 * '.wim') are variables whatever they hold: articles quote the example
 * value, logs another one.
 */
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "mask.h"

static int
is_lead_punct(int c)
{
	return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' ||
	    c == '<' || c == '`';
}

static int
is_trail_punct(int c)
{
	return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' ||
	    c == '>' || c == ',' || c == ';' || c == ':' || c == '.' ||
	    c == '!' || c == '?' || c == '`';
}

/* Byte classes for core_is_var(): one table look-up a byte. */
enum { C_VAR = 1, C_HEX = 2, C_ALPHA = 4, C_ALNUM = 8 };

static unsigned char cls[256];
static pthread_once_t cls_once = PTHREAD_ONCE_INIT;

static void
cls_init(void)
{
	int c;

	for (c = 0; c < 256; c++) {
		unsigned char k = 0;
		if (kb_isdigit(c) || c == '\\' || c == '/' || c == '@')
			k |= C_VAR;
		if (kb_isxdigit(c))
			k |= C_HEX;
		if (kb_isalpha(c))
			k |= C_ALPHA;
		if (kb_isalnum(c))
			k |= C_ALNUM;
		cls[c] = k;
	}
}

static int
core_is_var(const char *s, size_t n, const char *const *hosts)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;
	int hex = 0;

	for (i = 0; i < n; i++) {
		unsigned char k = cls[u[i]];
		if (k & C_VAR)
			return 1;
		if (u[i] == '.' && i > 0 && i + 1 < n &&
		    (cls[u[i - 1]] & C_ALPHA) && (cls[u[i + 1]] & C_ALNUM))
			return 1;
		hex += (k & C_HEX) != 0;
	}
	/* A long run of hex letters only: a hash or an id. */
	if (n >= 8 && (size_t)hex == n)
		return 1;
	for (; hosts && *hosts; hosts++)
		if (strlen(*hosts) == n && strncasecmp(*hosts, s, n) == 0)
			return 1;
	return 0;
}

/* Appends the masked form of one chunk to the template that begins at
 * out->data + base; *last_var tracks whether it ends with a variable
 * (so that runs of them become one). */
static void
put_chunk(struct buf *out, size_t base, const char *s, size_t n,
    const char *const *hosts, int *last_var)
{
	size_t a = 0, b = n, eq;
	int quoted;

	while (a < b && is_lead_punct((unsigned char)s[a]))
		a++;
	while (b > a && is_trail_punct((unsigned char)s[b - 1]))
		b--;
	quoted = a > 0 && (s[a - 1] == '\'' || s[a - 1] == '"') &&
	    b < n && s[b] == s[a - 1];
	if (a == b) {
		if (out->len > base)
			buf_putc(out, ' ');
		buf_put(out, s, n);
		*last_var = 0;
		return;
	}
	if (quoted || core_is_var(s + a, b - a, hosts)) {
		/* key=value: the key is content, the value varies. */
		eq = a;
		while (eq < b && s[eq] != '=')
			eq++;
		if (!quoted && eq < b && eq > a &&
		    !core_is_var(s + a, eq - a, hosts)) {
			if (out->len > base)
				buf_putc(out, ' ');
			buf_put(out, s, eq + 1);
			buf_puts(out, MASK_VAR);
			buf_put(out, s + b, n - b);
			*last_var = n == b;
			return;
		}
		if (*last_var && a == 0)
			return;		/* "8/29/2024 3:47:01": one variable */
		if (out->len > base)
			buf_putc(out, ' ');
		buf_put(out, s, a);
		buf_puts(out, MASK_VAR);
		buf_put(out, s + b, n - b);
		*last_var = n == b;
		return;
	}
	if (out->len > base)
		buf_putc(out, ' ');
	buf_put(out, s, n);
	*last_var = 0;
}

void
mask_template(struct buf *out, const char *msg, const char *const *hosts)
{
	mask_template_line(out, msg, hosts);
}

size_t
mask_template_line(struct buf *out, const char *msg, const char *const *hosts)
{
	size_t n = strnlen(msg, MASK_MAX_IN), i = 0, j, first = (size_t)-1;
	size_t base = out->len;
	int last_var = 0;

	pthread_once(&cls_once, cls_init);
	buf_grow(out, n + 16);
	out->data[out->len] = '\0';	/* also when msg has no chunk */
	while (i < n) {
		while (i < n && kb_isspace((unsigned char)msg[i])) {
			if (msg[i] == '\n' && first == (size_t)-1)
				first = out->len - base;
			i++;
		}
		j = i;
		while (j < n && !kb_isspace((unsigned char)msg[j]))
			j++;
		if (j > i)
			put_chunk(out, base, msg + i, j - i, hosts, &last_var);
		i = j;
	}
	if (first == (size_t)-1)
		first = out->len - base;
	return first;
}

size_t
mask_words(const char *t, struct mask_word *w, size_t max)
{
	size_t i = 0, n = 0, vl = strlen(MASK_VAR);

	while (t[i] != '\0' && n < max) {
		unsigned char c = (unsigned char)t[i];
		if (strncmp(t + i, MASK_VAR, vl) == 0) {
			if (n == 0 || !w[n - 1].var) {
				w[n].off = (unsigned)i;
				w[n].len = (unsigned)vl;
				w[n].var = 1;
				n++;
			}
			i += vl;
		} else if (kb_isalnum(c) || c == '_' || c == '$' || c == '#' ||
		    c >= 0x80) {
			size_t j = i;
			while (t[j] != '\0' && (kb_isalnum((unsigned char)t[j]) ||
			    t[j] == '_' || t[j] == '$' || t[j] == '#' ||
			    (unsigned char)t[j] >= 0x80))
				j++;
			w[n].off = (unsigned)i;
			w[n].len = (unsigned)(j - i);
			w[n].var = 0;
			n++;
			i = j;
		} else
			i++;
	}
	return n;
}

int
mask_is_stopword(const char *w, size_t len)
{
	static const char *const stop[] = {
		"a", "an", "the", "of", "to", "in", "on", "at", "is", "was",
		"be", "for", "and", "or", "with", "by", "from", "this", "that",
		"it", "as", "are", "not", "no", "error", "failed", "message",
		"source", NULL
	};
	size_t i;

	for (i = 0; stop[i]; i++)
		if (strlen(stop[i]) == len && strncasecmp(stop[i], w, len) == 0)
			return 1;
	return 0;
}
