/*
 * html.c -- escaping by context.  Every string that reaches HTML goes
 * through one of these; article and log text is attacker-controlled.
 */
#include <string.h>

#include "util.h"
#include "html.h"

void
html_escape(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;

	buf_grow(b, n);
	for (i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_put(b, s + run, i - run);
		buf_puts(b, rep);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
}

void
html_escape_str(struct buf *b, const char *s)
{
	html_escape(b, s ? s : "", s ? strlen(s) : 0);
}

void
html_attr(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			continue;
		html_escape(b, s, 1);
	}
}

int
url_is_safe(const char *u)
{
	const char *p;

	for (p = u; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			break;
	if (*p != ':')
		return 1;	/* no scheme: relative */
	return kb_strncasecmp(u, "http:", 5) == 0 ||
	    kb_strncasecmp(u, "https:", 6) == 0 ||
	    kb_strncasecmp(u, "mailto:", 7) == 0;
}

void
html_href(struct buf *b, const char *u)
{
	if (u == NULL || !url_is_safe(u)) {
		buf_putc(b, '#');
		return;
	}
	html_attr(b, u);
}

/* Appends code point cp as UTF-8; invalid ones become U+FFFD. */
static void
put_cp(struct buf *b, unsigned long cp)
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80)
		buf_putc(b, (int)cp);
	else if (cp < 0x800) {
		buf_putc(b, (int)(0xc0 | (cp >> 6)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_putc(b, (int)(0xe0 | (cp >> 12)));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (int)(0xf0 | (cp >> 18)));
		buf_putc(b, (int)(0x80 | ((cp >> 12) & 0x3f)));
		buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (cp & 0x3f)));
	}
}

void
html_unescape_into(struct buf *b, const char *s, size_t n)
{
	static const struct { const char *e; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' }, { "&apos;", '\'' },
	};
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (s[i] != '&') {
			buf_putc(b, s[i]);
			continue;
		}
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			size_t el = strlen(ents[k].e);
			if (n - i >= el && memcmp(s + i, ents[k].e, el) == 0) {
				buf_putc(b, ents[k].c);
				i += el - 1;
				break;
			}
		}
		if (k < sizeof(ents) / sizeof(ents[0]))
			continue;
		if (i + 2 < n && s[i + 1] == '#') {
			unsigned long cp = 0;
			size_t j = i + 2;
			int hex = s[j] == 'x' || s[j] == 'X';
			j += hex;
			while (j < n && j - i < 12 && (hex ?
			    kb_isxdigit((unsigned char)s[j]) :
			    kb_isdigit((unsigned char)s[j]))) {
				int d = kb_isdigit((unsigned char)s[j]) ? s[j] - '0' :
				    (kb_tolower((unsigned char)s[j]) - 'a' + 10);
				cp = cp * (hex ? 16 : 10) + (unsigned long)d;
				j++;
			}
			if (j < n && s[j] == ';' && j > i + 2 + (size_t)hex) {
				put_cp(b, cp);
				i = j;
				continue;
			}
		}
		buf_putc(b, '&');
	}
}

void
json_string(struct buf *b, const char *s)
{
	json_string_n(b, s, s ? strlen(s) : 0);
}

void
json_string_n(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;

	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' &&
		    !(c == '/' && i > 0 && s[i - 1] == '<'))
			continue;
		buf_put(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '/': buf_puts(b, "\\/"); break;
		default: buf_printf(b, "\\u%04x", c); break;
		}
	}
	buf_put(b, s + run, n - run);
	buf_putc(b, '"');
}
