/*
 * log_registry.c -- registry dumps (LOG_REGISTRY): regedit / reg export
 * files ("Windows Registry Editor Version 5.00" or "REGEDIT4", also
 * hand-made ones with LF, trailing spaces and placeholders) and reg
 * query transcripts.  Private to the parser table; includes util.h,
 * logs.h and encoding.h.
 *
 * One record per value, without time, severity info: kv key (as
 * written; HKLM-style abbreviations in reg query commands expanded),
 * name ("(Default)" for @), type (REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ,
 * REG_DWORD, REG_QWORD, REG_BINARY, REG_NONE, ...; DELETE for "=-" and
 * [-KEY]), value.  Values are normalized so both formats agree: DWORD
 * and QWORD in decimal ("1", not "0x00000001"), strings decoded from
 * hex(2)/hex(7)/hex(1) (UTF-16LE, or ANSI under REGEDIT4), REG_MULTI_SZ
 * joined with a literal "\0" as reg query prints it, binary as
 * lower-case hex without separators.  A reg query "ERROR:" line is a
 * warning record naming the key and value asked for, when the command
 * line was captured: a missing WUServer is evidence too (K8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"

/* Longest value kept while joining continuation lines (hex data). */
#define VALUE_MAX	(16u * 1024 * 1024)

/* State of one run. */
struct reg {
	struct log_env	*env;
	int		 ansi;		/* REGEDIT4: hex strings are ANSI */
	struct buf	 key;
	struct buf	 pend;		/* a value line continued with '\' */
	int		 cont;
	long		 line;
	long		 end_line;
	uint64_t	 off;
	struct buf	 qkey;		/* reg query's key and /v name */
	struct buf	 qname;
	struct buf	 name;
	struct buf	 type;
	struct buf	 value;
	struct buf	 msg;
	struct buf	 bytes;
	struct buf	 copy;		/* the current line */
};

/* Root key abbreviations reg.exe accepts. */
static const struct {
	const char	*abbr;
	const char	*full;
} roots[] = {
	{ "HKLM", "HKEY_LOCAL_MACHINE" }, { "HKCU", "HKEY_CURRENT_USER" },
	{ "HKCR", "HKEY_CLASSES_ROOT" }, { "HKU", "HKEY_USERS" },
	{ "HKCC", "HKEY_CURRENT_CONFIG" },
};

/* Replaces b with n bytes of s, trimmed. */
static void
buf_set(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	buf_put(b, s, n);
	buf_trim(b);
}

/* Emits one record; kv entries with empty values are left out. */
static void
reg_emit(struct reg *r, enum log_sev sev, const char *key, const char *name,
    const char *type, const char *value)
{
	const char *v[4] = { key, name, type, value };
	static const char *const k[4] = { "key", "name", "type", "value" };
	struct log_kv kv[4];
	struct record rec;
	size_t i, n = 0;

	/* an empty string is a value; without a type there is none */
	for (i = 0; i < 4; i++)
		if (v[i] != NULL && (*v[i] != '\0' ||
		    (i == 3 && type != NULL && *type != '\0'))) {
			kv[n].key = k[i];
			kv[n++].value = v[i];
		}
	memset(&rec, 0, sizeof(rec));
	rec.line = r->line;
	rec.end_line = r->end_line < r->line ? r->line : r->end_line;
	rec.offset = r->off;
	rec.local_ms = TIME_NONE;
	rec.tz_min = TZ_UNKNOWN;
	rec.sev = sev;
	rec.msg = buf_str(&r->msg);
	rec.msg_len = r->msg.len;
	rec.kv = kv;
	rec.nkv = n;
	r->env->emit(r->env, &rec);
}

/* Emits the value in r->name/type/value under the current key. */
static void
reg_value(struct reg *r)
{
	buf_reset(&r->msg);
	if (strcmp(buf_str(&r->type), "DELETE") == 0)
		buf_printf(&r->msg, "%s\\%s deleted", buf_str(&r->key),
		    buf_str(&r->name));
	else
		buf_printf(&r->msg, "%s\\%s = %s", buf_str(&r->key),
		    buf_str(&r->name), buf_str(&r->value));
	reg_emit(r, SEV_INFO, buf_str(&r->key), buf_str(&r->name),
	    buf_str(&r->type), buf_str(&r->value));
}

/* Reads a regedit quoted string at *sp (on its quote) into b, with \\
 * and \" unescaped; an unterminated string takes the rest. */
static void
quoted(const char **sp, const char *end, struct buf *b)
{
	const char *s = *sp + 1;

	buf_reset(b);
	for (; s < end && *s != '"'; s++) {
		if (*s == '\\' && s + 1 < end)
			s++;
		buf_putc(b, *s);
	}
	*sp = s < end ? s + 1 : s;
}

/* Parses "aa,bb,\ cc" hex bytes into r->bytes; -1 on anything else. */
static int
hex_bytes(struct reg *r, const char *s, const char *end)
{
	int hi, lo;

	buf_reset(&r->bytes);
	while (s < end) {
		if (*s == ',' || *s == '\\' || kb_isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (end - s < 2 || !kb_isxdigit((unsigned char)s[0]) ||
		    !kb_isxdigit((unsigned char)s[1]))
			return -1;
		hi = kb_isdigit((unsigned char)s[0]) ? s[0] - '0' :
		    kb_tolower((unsigned char)s[0]) - 'a' + 10;
		lo = kb_isdigit((unsigned char)s[1]) ? s[1] - '0' :
		    kb_tolower((unsigned char)s[1]) - 'a' + 10;
		buf_putc(&r->bytes, hi * 16 + lo);
		s += 2;
	}
	return 0;
}

/*
 * Decodes r->bytes as a string (UTF-16LE, or ANSI as Latin-1 under
 * REGEDIT4) into r->value.  NUL ends a string; for REG_MULTI_SZ (multi)
 * it separates strings, written as a literal "\0".
 */
static void
bytes_string(struct reg *r, int multi)
{
	const unsigned char *p = (const unsigned char *)r->bytes.data;
	size_t i, n = r->bytes.len, step = r->ansi ? 1 : 2;
	uint32_t cp, lo;
	char u8[4];

	buf_reset(&r->value);
	for (i = 0; i + step <= n; i += step) {
		cp = r->ansi ? p[i] : (uint32_t)(p[i] | p[i + 1] << 8);
		if (!r->ansi && cp >= 0xd800 && cp < 0xdc00 && i + 4 <= n &&
		    (lo = (uint32_t)(p[i + 2] | p[i + 3] << 8)) >= 0xdc00 &&
		    lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		}
		if (cp == 0) {
			if (!multi || i + 2 * step > n)
				break;
			/* a second NUL in a row ends the list */
			if ((r->ansi ? p[i + 1] : (p[i + 2] | p[i + 3])) == 0)
				break;
			buf_puts(&r->value, "\\0");
			continue;
		}
		buf_put(&r->value, u8, utf8_encode(cp, u8));
	}
}

/* Little-endian integer of r->bytes (at most 8) in decimal. */
static void
bytes_number(struct reg *r, int big_endian)
{
	const unsigned char *p = (const unsigned char *)r->bytes.data;
	unsigned long long v = 0;
	size_t i, n = r->bytes.len > 8 ? 8 : r->bytes.len;

	for (i = 0; i < n; i++)
		v |= (unsigned long long)p[big_endian ? n - 1 - i : i] <<
		    (8 * i);
	buf_reset(&r->value);
	buf_printf(&r->value, "%llu", v);
}

/* hex(t):... data: type and value by the registry type number t. */
static void
hex_value(struct reg *r, unsigned t, const char *s, const char *end)
{
	static const char *const names[] = { "REG_NONE", "REG_SZ",
	    "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
	    "REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ",
	    "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR",
	    "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD" };
	size_t i;

	buf_reset(&r->type);
	if (t < sizeof(names) / sizeof(names[0]))
		buf_puts(&r->type, names[t]);
	else
		buf_printf(&r->type, "REG_0x%x", t);
	if (hex_bytes(r, s, end) == -1) {
		buf_set(&r->value, s, (size_t)(end - s));
		return;
	}
	if (t == 1 || t == 2 || t == 6 || t == 7)
		bytes_string(r, t == 7);
	else if ((t == 4 || t == 5 || t == 11) && r->bytes.len > 0)
		bytes_number(r, t == 5);
	else {
		buf_reset(&r->value);
		for (i = 0; i < r->bytes.len; i++)
			buf_printf(&r->value, "%02x",
			    (unsigned char)r->bytes.data[i]);
	}
}

/* The data after '=': a string, dword:, hex[(t)]:, or '-' (delete). */
static void
reg_data(struct reg *r, const char *s, const char *end)
{
	unsigned long v;
	char *e;

	buf_reset(&r->value);
	if (s < end && *s == '"') {
		buf_set(&r->type, "REG_SZ", 6);
		quoted(&s, end, &r->value);
	} else if (end - s == 1 && *s == '-')
		buf_set(&r->type, "DELETE", 6);
	else if (end - s > 6 && kb_strncasecmp(s, "dword:", 6) == 0) {
		buf_set(&r->type, "REG_DWORD", 9);
		v = strtoul(s + 6, &e, 16);
		if (e == end && e > s + 6 && end - s <= 14)
			buf_printf(&r->value, "%lu", v & 0xffffffffUL);
		else		/* a placeholder: keep it as written */
			buf_set(&r->value, s + 6, (size_t)(end - s - 6));
	} else if (end - s >= 4 && kb_strncasecmp(s, "hex:", 4) == 0)
		hex_value(r, 3, s + 4, end);
	else if (end - s > 6 && kb_strncasecmp(s, "hex(", 4) == 0 &&
	    (v = strtoul(s + 4, &e, 16), e < end && *e == ')') &&
	    e + 1 < end && e[1] == ':')
		hex_value(r, (unsigned)(v > 0xffff ? 0xffff : v), e + 2, end);
	else {
		buf_set(&r->type, "UNKNOWN", 7);
		buf_set(&r->value, s, (size_t)(end - s));
	}
}

/* A complete regedit value line ("Name"=data or @=data). */
static void
reg_line(struct reg *r, const char *s, size_t n)
{
	const char *end = s + n;

	if (*s == '@') {
		buf_set(&r->name, "(Default)", 9);
		s++;
	} else
		quoted(&s, end, &r->name);
	while (s < end && kb_isspace((unsigned char)*s))
		s++;
	if (s >= end || *s != '=')
		return;
	for (s++; s < end && kb_isspace((unsigned char)*s); s++)
		continue;
	reg_data(r, s, end);
	reg_value(r);
}

/* A [KEY] or [-KEY] line. */
static void
reg_key(struct reg *r, const char *s, size_t n)
{
	const char *e = memchr(s, ']', n);
	size_t len = e ? (size_t)(e - s - 1) : n - 1;

	if (len > 0 && s[1] == '-') {
		buf_set(&r->key, s + 2, len - 1);
		if (r->key.len == 0)
			return;
		buf_reset(&r->msg);
		buf_printf(&r->msg, "%s deleted", buf_str(&r->key));
		reg_emit(r, SEV_INFO, buf_str(&r->key), NULL, "DELETE", "");
		return;
	}
	buf_set(&r->key, s + 1, len);
}

/* Writes key with a reg.exe root abbreviation expanded into b. */
static void
expand_root(const char *s, size_t n, struct buf *b)
{
	size_t i, k;

	buf_reset(b);
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		k = strlen(roots[i].abbr);
		if (n >= k && kb_strncasecmp(s, roots[i].abbr, k) == 0 &&
		    (n == k || s[k] == '\\')) {
			buf_puts(b, roots[i].full);
			s += k, n -= k;
			break;
		}
	}
	buf_put(b, s, n);
}

/* Reads the next argument of a command line at *sp (quotes kept out). */
static void
arg(const char **sp, const char *end, struct buf *b)
{
	const char *s = *sp, *e;

	while (s < end && kb_isspace((unsigned char)*s))
		s++;
	if (s < end && *s == '"') {
		e = memchr(s + 1, '"', (size_t)(end - s - 1));
		e = e ? e : end;
		buf_set(b, s + 1, (size_t)(e - s - 1));
		*sp = e < end ? e + 1 : e;
		return;
	}
	for (e = s; e < end && !kb_isspace((unsigned char)*e); e++)
		continue;
	buf_set(b, s, (size_t)(e - s));
	*sp = e;
}

/* A prompt line with "reg query KEY [/v NAME]": remembered so an
 * ERROR line can say what was not found. */
static int
reg_command(struct reg *r, const char *s, size_t n)
{
	const char *end = s + n, *p;
	struct buf a = {0};
	size_t i;

	for (i = 0; i + 10 <= n; i++)
		if (kb_strncasecmp(s + i, "reg query ", 10) == 0 ||
		    (i + 14 <= n && kb_strncasecmp(s + i, "reg.exe query ",
		    14) == 0))
			break;
	if (i + 10 > n)
		return 0;
	p = s + i + (kb_strncasecmp(s + i, "reg.exe", 7) == 0 ? 14 : 10);
	arg(&p, end, &a);
	expand_root(a.data ? a.data : "", a.len, &r->qkey);
	buf_reset(&r->qname);
	while (p < end) {
		arg(&p, end, &a);
		if (kb_strcasecmp(buf_str(&a), "/v") == 0)
			arg(&p, end, &r->qname);
	}
	buf_free(&a);
	return 1;
}

/*
 * A reg query value line "    Name    REG_SZ    value": the type is the
 * first REG_ word with white space on both sides, so names with spaces
 * and pasted copies with collapsed spacing both work.
 */
static int
query_value(struct reg *r, const char *s, size_t n)
{
	const char *end = s + n, *t, *te;
	size_t i;

	for (t = s + 1; t + 4 < end; t++)
		if (memcmp(t, "REG_", 4) == 0 &&
		    kb_isspace((unsigned char)t[-1]))
			break;
	if (t + 4 >= end)
		return 0;
	for (te = t; te < end && !kb_isspace((unsigned char)*te); te++)
		continue;
	buf_set(&r->name, s, (size_t)(t - s));
	buf_set(&r->type, t, (size_t)(te - t));
	buf_set(&r->value, te, (size_t)(end - te));
	if ((strcmp(r->type.data, "REG_DWORD") == 0 ||
	    strcmp(r->type.data, "REG_QWORD") == 0) &&
	    strncmp(buf_str(&r->value), "0x", 2) == 0) {
		unsigned long long v = strtoull(r->value.data + 2, NULL, 16);

		buf_reset(&r->value);
		buf_printf(&r->value, "%llu", v);
	} else if (strcmp(r->type.data, "REG_BINARY") == 0)
		for (i = 0; i < r->value.len; i++)
			r->value.data[i] = (char)kb_tolower(
			    (unsigned char)r->value.data[i]);
	reg_value(r);
	return 1;
}

/* An "ERROR: ..." line of reg query. */
static void
query_error(struct reg *r, const char *s, size_t n)
{
	buf_set(&r->msg, s, n);
	reg_emit(r, SEV_WARNING, r->qkey.len ? r->qkey.data : NULL,
	    r->qname.len ? r->qname.data : NULL, NULL, NULL);
}

static void *
registry_open(struct log_env *env)
{
	struct reg *r = xcalloc(1, sizeof(*r));

	r->env = env;
	return r;
}

/* Whether a value line goes on: a hex value ending in '\'. */
static int
continues(const char *s, size_t n)
{
	const char *eq;

	if (n == 0 || s[n - 1] != '\\')
		return 0;
	if ((eq = memchr(s, '=', n)) == NULL)
		return 0;
	for (eq++; eq < s + n && kb_isspace((unsigned char)*eq); eq++)
		continue;
	return s + n - eq >= 3 && kb_strncasecmp(eq, "hex", 3) == 0;
}

/* A value line of a continued group, joined into r->pend. */
static void
registry_cont(struct reg *r, const char *s, size_t n, long lineno)
{
	while (n > 0 && kb_isspace((unsigned char)*s))
		s++, n--;
	if (r->pend.len + n > VALUE_MAX) {
		r->env->diag(r->env, DIAG_WARNING, lineno,
		    "registry value too long, cut");
		n = 0;
	}
	buf_put(&r->pend, s, n);
	r->end_line = lineno;
	if (n > 0 && s[n - 1] == '\\') {
		r->pend.data[--r->pend.len] = '\0';
		return;
	}
	r->cont = 0;
	reg_line(r, r->pend.data, r->pend.len);
}

/* LINE: export lines, reg query transcripts, in any mix. */
static void
registry_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct reg *r = arg;
	size_t lead = 0;

	/* a NUL-terminated copy: strtoul() and friends stop at its end */
	buf_reset(&r->copy);
	buf_put(&r->copy, s, n);
	s = buf_str(&r->copy);

	while (n > 0 && kb_isspace((unsigned char)s[n - 1]))
		n--;
	if (r->cont) {
		registry_cont(r, s, n, lineno);
		return;
	}
	while (lead < n && kb_isspace((unsigned char)s[lead]))
		lead++;
	r->line = r->end_line = lineno;
	r->off = off + lead;
	s += lead, n -= lead;
	if (n == 0 || *s == ';')
		return;
	if (strncmp(s, "REGEDIT4", n < 8 ? n : 8) == 0 && n == 8)
		r->ansi = 1;
	else if (*s == '[')
		reg_key(r, s, n);
	else if (*s == '"' || *s == '@') {
		if (continues(s, n)) {
			buf_set(&r->pend, s, n - 1);
			r->cont = 1;
		} else
			reg_line(r, s, n);
	} else if (lead == 0 && n > 5 && memcmp(s, "HKEY_", 5) == 0)
		buf_set(&r->key, s, n);
	else if (lead == 0 && n > 6 && memcmp(s, "ERROR:", 6) == 0)
		query_error(r, s, n);
	else if (lead == 0 || !query_value(r, s, n))
		reg_command(r, s, n);
}

static void
registry_finish(void *arg)
{
	struct reg *r = arg;

	if (r->cont) {
		r->env->diag(r->env, DIAG_WARNING, r->end_line,
		    "value continued past the end of the file");
		reg_line(r, r->pend.data, r->pend.len);
	}
	buf_free(&r->key);
	buf_free(&r->pend);
	buf_free(&r->qkey);
	buf_free(&r->qname);
	buf_free(&r->name);
	buf_free(&r->type);
	buf_free(&r->value);
	buf_free(&r->msg);
	buf_free(&r->bytes);
	buf_free(&r->copy);
	free(r);
}

/* The export header decides; else reg query's value lines. */
static int
registry_sniff(const char *name, const char *head, size_t n)
{
	size_t len = name ? strlen(name) : 0;
	int ext = len > 4 && kb_strcasecmp(name + len - 4, ".reg") == 0;

	while (kb_isspace((unsigned char)*head))
		head++;
	if (strncmp(head, "Windows Registry Editor Version", 31) == 0 ||
	    strncmp(head, "REGEDIT4", 8) == 0)
		return 100;
	if (strstr(head, "HKEY_") && (strstr(head, "    REG_SZ") ||
	    strstr(head, "    REG_DWORD") || strstr(head, "    REG_EXPAND_SZ")))
		return 85;
	if (strstr(head, "[HKEY_") && strstr(head, "\"="))
		return 70 + ext * 10;
	return 0;
}

const struct log_parser log_registry_parser = {
	LOG_REGISTRY, "registry", 0, registry_open, registry_line,
	registry_finish, NULL, registry_sniff
};
