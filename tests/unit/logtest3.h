/*
 * logtest3.h -- header-only harness for the parser tests of log_event.c,
 * log_config.c, log_services.c and log_registry.c (test_log_event.c,
 * test_log_config.c, test_log_services.c, test_log_registry.c include
 * it; nothing else should).  Include check.h, util.h, logs.h and
 * encoding.h first.
 *
 * A run feeds a parser the way the pipeline does (LINE mode: the text
 * split on LF with a trailing CR dropped, with line numbers and byte
 * offsets; WHOLE mode: the buffer) and keeps deep copies of every
 * record and diagnostic, so tests can look at them after the parser's
 * buffers are gone.  Expectations are short strings checked by
 * lt_check():
 *   "n=3"             number of records
 *   "ndiag=0"         number of diagnostics
 *   "diag~text"       some diagnostic contains text
 *   "I:FIELD=VALUE"   record I (0-based): FIELD one of line, end_line,
 *                     off, sev (none/info/warning/error), time
 *                     (format_iso() of local_ms and tz_min, "none"),
 *                     utc, comp, thread, msg, kv.KEY ("(null)" absent)
 *   "I:msg~text"      record I's message contains text
 */
#ifndef KBGEN_LOGTEST3_H
#define KBGEN_LOGTEST3_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One emitted record, copied. */
struct lt_rec {
	long		 line;
	long		 end_line;
	uint64_t	 off;
	int64_t		 local_ms;
	int32_t		 tz_min;
	int		 utc;
	enum log_sev	 sev;
	char		*component;
	char		*thread;
	char		*msg;
	size_t		 nkv;
	char		**key;
	char		**val;
};

/* One parser run; env must stay the first member (callbacks cast). */
struct lt_run {
	struct log_env	 env;
	struct lt_rec	*r;
	size_t		 n;
	size_t		 cap;
	size_t		 ndiag;
	struct buf	 diags;		/* "LEVEL:LINE: text\n" each */
};

/* emit callback: deep-copies the record. */
static void
lt_emit(struct log_env *env, const struct record *rec)
{
	struct lt_run *run = (struct lt_run *)env;
	struct lt_rec *r;
	size_t i;

	if (run->n == run->cap) {
		run->cap = run->cap ? run->cap * 2 : 16;
		run->r = xrealloc(run->r, run->cap * sizeof(*run->r));
	}
	r = &run->r[run->n++];
	memset(r, 0, sizeof(*r));
	r->line = rec->line;
	r->end_line = rec->end_line;
	r->off = rec->offset;
	r->local_ms = rec->local_ms;
	r->tz_min = rec->tz_min;
	r->utc = rec->utc;
	r->sev = rec->sev;
	r->component = rec->component ? xstrdup(rec->component) : NULL;
	r->thread = rec->thread ? xstrdup(rec->thread) : NULL;
	r->msg = xstrndup(rec->msg ? rec->msg : "", rec->msg_len);
	ck_assert_msg(rec->msg == NULL || strlen(r->msg) == rec->msg_len,
	    "msg_len %zu disagrees with the text", rec->msg_len);
	r->nkv = rec->nkv;
	r->key = xcalloc(rec->nkv + 1, sizeof(char *));
	r->val = xcalloc(rec->nkv + 1, sizeof(char *));
	for (i = 0; i < rec->nkv; i++) {
		ck_assert_ptr_nonnull(rec->kv[i].key);
		ck_assert_ptr_nonnull(rec->kv[i].value);
		r->key[i] = xstrdup(rec->kv[i].key);
		r->val[i] = xstrdup(rec->kv[i].value);
	}
}

/* diag callback: keeps "LEVEL:LINE: text". */
static void KB_PRINTF(4, 5)
lt_diag(struct log_env *env, int level, long line, const char *fmt, ...)
{
	struct lt_run *run = (struct lt_run *)env;
	va_list ap;
	char tmp[1024];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	buf_printf(&run->diags, "%d:%ld: %s\n", level, line, tmp);
	run->ndiag++;
}

/* Prepares run for a parser; tz_hint as the pipeline would pass it. */
static void
lt_init(struct lt_run *run, int32_t tz_hint)
{
	memset(run, 0, sizeof(*run));
	run->env.path = "test";
	run->env.emit = lt_emit;
	run->env.diag = lt_diag;
	run->env.tz_hint = tz_hint;
	run->env.tz_found = TZ_UNKNOWN;
}

/* Runs a LINE-mode parser over text split on LF (CR before LF dropped;
 * a final line without LF still counts).  Each line is handed over in
 * an allocation of its exact size, without a NUL, as the line reader
 * may: under ASan any read past its end fails the test. */
static void
lt_lines(struct lt_run *run, const struct log_parser *p, const char *s,
    size_t n)
{
	void *st;
	size_t i = 0, e, len;
	long lineno = 0;
	char *copy;

	ck_assert_msg(p->open != NULL, "%s is not a LINE parser", p->name);
	st = p->open(&run->env);
	while (i < n) {
		for (e = i; e < n && s[e] != '\n'; e++)
			continue;
		len = e - i;
		if (len > 0 && s[i + len - 1] == '\r')
			len--;
		copy = xmalloc(len ? len : 1);
		memcpy(copy, s + i, len);
		p->line(st, copy, len, ++lineno, i);
		free(copy);
		i = e + 1;
	}
	p->finish(st);
}

/* Runs a WHOLE-mode parser over an exact-size copy of the buffer. */
static void
lt_whole(struct lt_run *run, const struct log_parser *p, const char *s,
    size_t n)
{
	char *copy;

	ck_assert_msg(p->whole != NULL, "%s is not a WHOLE parser", p->name);
	copy = xmalloc(n ? n : 1);
	memcpy(copy, s, n);
	p->whole(&run->env, copy, n);
	free(copy);
}

/* Runs p in its own mode over a NUL-terminated string. */
static void
lt_parse(struct lt_run *run, const struct log_parser *p, const char *s)
{
	if (p->whole != NULL)
		lt_whole(run, p, s, strlen(s));
	else
		lt_lines(run, p, s, strlen(s));
}

/* Frees what run copied. */
static void
lt_free(struct lt_run *run)
{
	size_t i, k;

	for (i = 0; i < run->n; i++) {
		for (k = 0; k < run->r[i].nkv; k++) {
			free(run->r[i].key[k]);
			free(run->r[i].val[k]);
		}
		free(run->r[i].key);
		free(run->r[i].val);
		free(run->r[i].component);
		free(run->r[i].thread);
		free(run->r[i].msg);
	}
	free(run->r);
	buf_free(&run->diags);
}

/* Value of kv key in r, or NULL. */
static const char *
lt_kv(const struct lt_rec *r, const char *key)
{
	size_t k;

	for (k = 0; k < r->nkv; k++)
		if (strcmp(r->key[k], key) == 0)
			return r->val[k];
	return NULL;
}

/* Field f of r as text into out. */
static const char *
lt_field(const struct lt_rec *r, const char *f, char *out, size_t len)
{
	static const char *const sev[] = { "none", "info", "warning",
	    "error" };
	const char *v;

	if (strcmp(f, "line") == 0)
		snprintf(out, len, "%ld", r->line);
	else if (strcmp(f, "end_line") == 0)
		snprintf(out, len, "%ld", r->end_line);
	else if (strcmp(f, "off") == 0)
		snprintf(out, len, "%llu", (unsigned long long)r->off);
	else if (strcmp(f, "sev") == 0)
		snprintf(out, len, "%s", sev[r->sev]);
	else if (strcmp(f, "utc") == 0)
		snprintf(out, len, "%d", r->utc);
	else if (strcmp(f, "time") == 0) {
		if (r->local_ms == TIME_NONE)
			snprintf(out, len, "none");
		else
			format_iso(r->local_ms, r->tz_min, out);
	} else if (strcmp(f, "comp") == 0)
		snprintf(out, len, "%s", r->component ? r->component :
		    "(null)");
	else if (strcmp(f, "thread") == 0)
		snprintf(out, len, "%s", r->thread ? r->thread : "(null)");
	else if (strcmp(f, "msg") == 0)
		return r->msg;
	else if (strncmp(f, "kv.", 3) == 0)
		return (v = lt_kv(r, f + 3)) ? v : "(null)";
	else
		ck_abort_msg("unknown field '%s'", f);
	return out;
}

/* Checks one expectation; fails the test with the spec and what was
 * found. */
static void
lt_check(const struct lt_run *run, const char *spec)
{
	char field[64], out[64];
	const char *eq, *got;
	char *end;
	unsigned long i;
	int contains;

	if (strncmp(spec, "n=", 2) == 0) {
		ck_assert_msg(run->n == strtoul(spec + 2, NULL, 10),
		    "%s: got %zu records; diags:\n%s", spec, run->n,
		    buf_str(&run->diags));
		return;
	}
	if (strncmp(spec, "ndiag=", 6) == 0) {
		ck_assert_msg(run->ndiag == strtoul(spec + 6, NULL, 10),
		    "%s: got %zu:\n%s", spec, run->ndiag, buf_str(&run->diags));
		return;
	}
	if (strncmp(spec, "diag~", 5) == 0) {
		ck_assert_msg(strstr(buf_str(&run->diags), spec + 5) != NULL,
		    "%s: diags are:\n%s", spec, buf_str(&run->diags));
		return;
	}
	i = strtoul(spec, &end, 10);
	ck_assert_msg(*end == ':', "bad spec '%s'", spec);
	ck_assert_msg(i < run->n, "%s: only %zu records", spec, run->n);
	eq = end + 1 + strcspn(end + 1, "=~");
	ck_assert_msg(*eq != '\0' && (size_t)(eq - end - 1) < sizeof(field),
	    "bad spec '%s'", spec);
	contains = *eq == '~';
	snprintf(field, sizeof(field), "%.*s", (int)(eq - end - 1), end + 1);
	got = lt_field(&run->r[i], field, out, sizeof(out));
	if (contains)
		ck_assert_msg(strstr(got, eq + 1) != NULL, "%s: got '%s'",
		    spec, got);
	else
		ck_assert_msg(strcmp(got, eq + 1) == 0, "%s: got '%s'", spec,
		    got);
}

/* Checks a NULL-terminated list of expectations. */
static void
lt_check_all(const struct lt_run *run, const char *const *spec)
{
	for (; spec != NULL && *spec != NULL; spec++)
		lt_check(run, *spec);
}

/*
 * Reads $KBGEN_SHARED/logs/samples/rel into out: decoded to UTF-8 with
 * text_decode() as the pipeline does, or raw when raw is set.  Returns
 * 0, or -1 when KBGEN_SHARED is unset (the caller skips).
 */
static int
lt_sample(const char *rel, int raw, struct buf *out)
{
	const char *dir = getenv("KBGEN_SHARED");
	struct buf bytes = {0};
	char *path;

	if (dir == NULL || *dir == '\0')
		return -1;
	path = xasprintf("%s/logs/samples/%s", dir, rel);
	ck_assert_msg(file_read(path, &bytes) == 0, "cannot read %s", path);
	if (raw) {
		buf_reset(out);
		buf_put(out, bytes.data, bytes.len);
	} else
		ck_assert_int_eq(text_decode(path, (const unsigned char *)
		    bytes.data, bytes.len, out, NULL), 0);
	buf_free(&bytes);
	free(path);
	return 0;
}

/* Prints a run's records, for writing expectations by hand. */
static void
lt_dump(const struct lt_run *run)
{
	char t[40];
	size_t i, k;

	for (i = 0; i < run->n; i++) {
		const struct lt_rec *r = &run->r[i];

		format_iso(r->local_ms, r->tz_min, t);
		printf("%zu: line %ld-%ld off %llu sev %d time %s utc %d "
		    "comp %s msg '%s'\n", i, r->line, r->end_line,
		    (unsigned long long)r->off, r->sev, t,
		    r->utc, r->component ? r->component : "-", r->msg);
		for (k = 0; k < r->nkv; k++)
			printf("    %s=%s\n", r->key[k], r->val[k]);
	}
	printf("%s", buf_str(&run->diags));
}

#endif
