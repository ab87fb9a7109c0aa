/*
 * redact.c -- consistent redaction (redact.h).
 *
 * Text is scanned token by token (runs of host-name characters); what a
 * token is decides its class: S-1-... is a SID, four dotted numbers an
 * IPv4 address, hex groups with colons IPv6, a dotted name ending in a
 * top-level-domain-like label an FQDN (its first label a host, the rest a
 * domain), a known host name a host; DOMAIN\user and user@domain give a
 * user.  Each distinct value gets the next number of its class.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "redact.h"

struct redact {
	struct vec	 keys, vals;	/* lower-case value -> replacement */
	int		 n_host, n_dom, n_ip, n_user, n_sid;
	struct vec	 hosts;		/* lower-case */
};

struct redact *
redact_new(const char *const *hosts)
{
	struct redact *r = xcalloc(1, sizeof(*r));
	char *p, *h;

	for (; hosts && *hosts; hosts++) {
		h = xstrdup(*hosts);
		for (p = h; *p; p++)
			*p = (char)kb_tolower((unsigned char)*p);
		if ((p = strchr(h, '.')) != NULL)
			*p = '\0';
		vec_push(&r->hosts, h);
	}
	return r;
}

void
redact_free(struct redact *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->keys.n; i++) {
		free(r->keys.v[i]);
		free(r->vals.v[i]);
	}
	for (i = 0; i < r->hosts.n; i++)
		free(r->hosts.v[i]);
	vec_free(&r->keys);
	vec_free(&r->vals);
	vec_free(&r->hosts);
	free(r);
}

static const char *
lookup(struct redact *r, const char *s, size_t n, const char *cls, int *ctr)
{
	size_t i;
	char *k;

	for (i = 0; i < r->keys.n; i++)
		if (strlen(r->keys.v[i]) == n &&
		    strncasecmp(r->keys.v[i], s, n) == 0)
			return r->vals.v[i];
	k = xstrndup(s, n);
	for (i = 0; i < n; i++)
		k[i] = (char)kb_tolower((unsigned char)k[i]);
	vec_push(&r->keys, k);
	vec_push(&r->vals, xasprintf("%s-%d", cls, ++*ctr));
	return r->vals.v[r->vals.n - 1];
}

static int
is_host_char(int c)
{
	return kb_isalnum(c) || c == '-' || c == '.' || c == '_' || c == ':' ||
	    c == '$';
}

static int
known_host(struct redact *r, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < r->hosts.n; i++)
		if (strlen(r->hosts.v[i]) == n &&
		    strncasecmp(r->hosts.v[i], s, n) == 0)
			return 1;
	return 0;
}

static int
is_ipv4(const char *s, size_t n)
{
	int parts = 0, digits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (kb_isdigit((unsigned char)s[i])) {
			if (++digits > 3)
				return 0;
		} else if (s[i] == '.' && digits > 0) {
			parts++;
			digits = 0;
		} else
			return 0;
	}
	return parts == 3 && digits > 0;
}

static int
is_ipv6(const char *s, size_t n)
{
	size_t i, colons = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ':')
			colons++;
		else if (!kb_isxdigit((unsigned char)s[i]) && s[i] != '.')
			return 0;
	}
	for (i = 0; i + 1 < n; i++)
		if (s[i] == ':' && s[i + 1] == ':')
			return colons >= 2;
	return colons == 7;
}

/* Public update endpoints stay: they are not about the customer. */
static int
is_public(const char *s, size_t n)
{
	static const char *const pub[] = {
		".microsoft.com", ".windowsupdate.com", ".windows.com",
		".msft.net", ".office.com", NULL
	};
	size_t i, m;

	for (i = 0; pub[i]; i++) {
		m = strlen(pub[i]);
		if ((n > m && strncasecmp(s + n - m, pub[i], m) == 0) ||
		    (n == m - 1 && strncasecmp(s, pub[i] + 1, n) == 0))
			return 1;
	}
	return 0;
}

/* A dotted name whose last label looks like a domain suffix. */
static int
is_fqdn(const char *s, size_t n)
{
	const char *dot = NULL;
	size_t i, last;
	static const char *const tld[] = {
		"com", "net", "org", "local", "lan", "corp", "internal", "intra",
		"edu", "gov", "mil", "int", "biz", "info", "io", "cloud", "home",
		"test", "example", "invalid", "localdomain", "ad", NULL
	};

	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			dot = s + i;
		else if (!kb_isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_')
			return 0;
	}
	if (dot == NULL || dot == s || dot + 1 == s + n)
		return 0;
	last = (size_t)(s + n - dot - 1);
	if (last == 2 && kb_isalpha((unsigned char)dot[1]) &&
	    kb_isalpha((unsigned char)dot[2]))
		return 1;		/* a country code */
	for (i = 0; tld[i]; i++)
		if (strlen(tld[i]) == last && strncasecmp(dot + 1, tld[i], last) == 0)
			return 1;
	return 0;
}

static void
put_fqdn(struct redact *r, struct buf *out, const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);
	size_t hn = (size_t)(dot - s);

	buf_puts(out, lookup(r, s, hn, "HOST", &r->n_host));
	buf_putc(out, '.');
	buf_puts(out, lookup(r, dot + 1, n - hn - 1, "DOMAIN", &r->n_dom));
}

char *
redact_str(struct redact *r, const char *s)
{
	struct buf out = {0};
	size_t i = 0, n = strlen(s);

	while (i < n) {
		size_t j = i, k;
		unsigned char c = (unsigned char)s[i];
		if (!is_host_char(c) || c == '.' || c == ':') {
			buf_putc(&out, c);
			i++;
			continue;
		}
		while (j < n && is_host_char((unsigned char)s[j]))
			j++;
		/* trailing dots and colons end a sentence, not a name */
		while (j > i && (s[j - 1] == '.' || s[j - 1] == ':'))
			j--;
		k = j - i;
		if (k > 4 && (s[i] == 'S' || s[i] == 's') && s[i + 1] == '-' &&
		    s[i + 2] == '1' && s[i + 3] == '-') {
			buf_puts(&out, lookup(r, s + i, k, "SID", &r->n_sid));
		} else if (is_ipv4(s + i, k) || is_ipv6(s + i, k)) {
			buf_puts(&out, lookup(r, s + i, k, "IP", &r->n_ip));
		} else if (j < n && s[j] == '\\' && k <= 15 &&
		    !memchr(s + i, ':', k) && (i == 0 || s[i - 1] != '\\')) {
			/* DOMAIN\user */
			size_t u = j + 1, e = u;
			while (e < n && (kb_isalnum((unsigned char)s[e]) ||
			    s[e] == '-' || s[e] == '_' || s[e] == '.' ||
			    s[e] == '$'))
				e++;
			if (e > u && known_host(r, s + i, k) == 0 &&
			    !(k == 2 && s[i + 1] == ':')) {
				buf_puts(&out, lookup(r, s + i, k, "DOMAIN",
				    &r->n_dom));
				buf_putc(&out, '\\');
				buf_puts(&out, lookup(r, s + u, e - u, "USER",
				    &r->n_user));
				i = e;
				continue;
			}
			buf_put(&out, s + i, k);
		} else if (j < n && s[j] == '@' && j + 1 < n) {
			/* user@domain */
			size_t u = j + 1, e = u;
			while (e < n && is_host_char((unsigned char)s[e]) &&
			    s[e] != ':')
				e++;
			while (e > u && s[e - 1] == '.')
				e--;
			buf_puts(&out, lookup(r, s + i, k, "USER", &r->n_user));
			buf_putc(&out, '@');
			if (e > u)
				buf_puts(&out, lookup(r, s + u, e - u, "DOMAIN",
				    &r->n_dom));
			i = e;
			continue;
		} else if (is_fqdn(s + i, k) && !is_public(s + i, k)) {
			put_fqdn(r, &out, s + i, k);
		} else if (known_host(r, s + i, k) ||
		    (memchr(s + i, '.', k) &&
		    known_host(r, s + i, (size_t)((char *)memchr(s + i, '.', k) -
		    (s + i))) && !is_public(s + i, k))) {
			const char *dot = memchr(s + i, '.', k);
			if (dot)
				put_fqdn(r, &out, s + i, k);
			else
				buf_puts(&out, lookup(r, s + i, k, "HOST",
				    &r->n_host));
		} else if (i >= 6 && strncasecmp(s + i - 6, "Users", 5) == 0 &&
		    (s[i - 1] == '\\' || s[i - 1] == '/')) {
			/* C:\Users\name\... */
			buf_puts(&out, lookup(r, s + i, k, "USER", &r->n_user));
		} else
			buf_put(&out, s + i, k);
		i = j;
	}
	if (out.data == NULL)
		return xstrdup("");
	return buf_detach(&out);
}
