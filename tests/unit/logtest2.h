/*
 * logtest2.h -- harness for the unit tests of the line-mode parsers in
 * log_wu.c, log_iis.c and log_msi.c (test_log_wu.c, test_log_iis.c,
 * test_log_msi.c; nobody else includes it).  Header-only, static
 * functions; include after check.h, util.h, logs.h and encoding.h.
 *
 * lt_run() feeds a text to a parser the way the bundle stage does (one
 * physical line at a time, split on LF, CR stripped, each line in its
 * own exactly-sized allocation without a NUL so ASan sees over-reads),
 * copies every emitted record, and checks the record invariants.
 * lt_check() compares records with a table row: local time and UTC
 * instant as ISO strings (format_iso), severity, component, message and
 * "key=value" / "!key" expectations.
 */
#ifndef LOGTEST2_H
#define LOGTEST2_H

#include <errno.h>
#include <stdarg.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One record as the parser emitted it, copied. */
struct lt_rec {
	long		 line, end_line;
	uint64_t	 offset;
	int64_t		 local_ms;
	int32_t		 tz_min;
	int		 utc;
	enum log_sev	 sev;
	char		*component, *thread, *msg;
	size_t		 nkv;
	char		**keys, **values;
};

/* What one parse produced. */
struct lt_run {
	struct lt_rec	*r;
	size_t		 n, cap;
	int32_t		 tz_found;
	int		 ndiag;
	long		 diag_line;
	char		 diag_msg[256];
};

/* An expected record; NULL / 0 fields are not checked unless noted. */
struct lt_want {
	long		 line;
	long		 end_line;	/* 0: same as line */
	enum log_sev	 sev;
	const char	*local;		/* format_iso(local, unknown); "":
					   TIME_NONE expected */
	const char	*utc;		/* the UTC instant "…Z"; "": zone
					   unknown expected (or no time) */
	const char	*comp;		/* exact; "" means NULL expected */
	const char	*thread;
	const char	*msg;		/* exact, or "~text" for a substring */
	const char	*kv[10];	/* "key=value" or "!key" (absent) */
};

/* xstrdup() that passes NULL through. */
static char *
lt_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* emit(): checks the record contract and copies the record. */
static void
lt_emit(struct log_env *env, const struct record *rec)
{
	struct lt_run *run = env->arg;
	struct lt_rec *o;
	size_t i;

	ck_assert_int_ge(rec->line, 1);
	ck_assert_int_ge(rec->end_line, rec->line);
	ck_assert_ptr_nonnull(rec->msg);
	ck_assert_uint_eq(strlen(rec->msg), rec->msg_len);
	ck_assert(rec->nkv == 0 || rec->kv != NULL);
	ck_assert(rec->tz_min == TZ_UNKNOWN ||
	    (rec->tz_min >= -14 * 60 && rec->tz_min <= 14 * 60));
	ck_assert(!rec->utc || rec->tz_min == 0);
	if (run->n == run->cap) {
		run->cap = run->cap ? run->cap * 2 : 16;
		run->r = xrealloc(run->r, run->cap * sizeof(*run->r));
	}
	o = &run->r[run->n++];
	memset(o, 0, sizeof(*o));
	o->line = rec->line;
	o->end_line = rec->end_line;
	o->offset = rec->offset;
	o->local_ms = rec->local_ms;
	o->tz_min = rec->tz_min;
	o->utc = rec->utc;
	o->sev = rec->sev;
	o->component = lt_dup(rec->component);
	o->thread = lt_dup(rec->thread);
	o->msg = xstrndup(rec->msg, rec->msg_len);
	o->nkv = rec->nkv;
	o->keys = xcalloc(rec->nkv + 1, sizeof(char *));
	o->values = xcalloc(rec->nkv + 1, sizeof(char *));
	for (i = 0; i < rec->nkv; i++) {
		ck_assert_ptr_nonnull(rec->kv[i].key);
		ck_assert_ptr_nonnull(rec->kv[i].value);
		o->keys[i] = xstrdup(rec->kv[i].key);
		o->values[i] = xstrdup(rec->kv[i].value);
	}
}

/* diag(): counts diagnostics and keeps the last one. */
static void
lt_diag(struct log_env *env, int level, long line, const char *fmt, ...)
{
	struct lt_run *run = env->arg;
	va_list ap;

	(void)level;
	run->ndiag++;
	run->diag_line = line;
	va_start(ap, fmt);
	vsnprintf(run->diag_msg, sizeof(run->diag_msg), fmt, ap);
	va_end(ap);
}

/*
 * Parses n bytes of decoded text with p, line by line, into *run
 * (zeroed first).  tz_hint is the host's zone handed to the parser.
 */
static void
lt_run(const struct log_parser *p, const char *text, size_t n,
    int32_t tz_hint, struct lt_run *run)
{
	struct log_env env;
	const char *s = text, *end = text + n, *nl;
	size_t len;
	long lineno = 0;
	void *st;
	char *copy;

	memset(run, 0, sizeof(*run));
	memset(&env, 0, sizeof(env));
	env.path = "test";
	env.arg = run;
	env.emit = lt_emit;
	env.diag = lt_diag;
	env.tz_hint = tz_hint;
	env.tz_found = TZ_UNKNOWN;
	st = p->open(&env);
	while (s < end) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		len = (size_t)(nl - s);
		if (len && s[len - 1] == '\r')
			len--;
		copy = xmalloc(len ? len : 1);
		memcpy(copy, s, len);
		p->line(st, copy, len, ++lineno, (uint64_t)(s - text));
		free(copy);
		s = nl + 1;
	}
	p->finish(st);
	run->tz_found = env.tz_found;
}

/* lt_run() on a NUL-terminated string. */
static void
lt_run_str(const struct log_parser *p, const char *text, int32_t tz_hint,
    struct lt_run *run)
{
	lt_run(p, text, strlen(text), tz_hint, run);
}

/* Frees what lt_run() collected. */
static void
lt_free(struct lt_run *run)
{
	size_t i, k;

	for (i = 0; i < run->n; i++) {
		free(run->r[i].component);
		free(run->r[i].thread);
		free(run->r[i].msg);
		for (k = 0; k < run->r[i].nkv; k++) {
			free(run->r[i].keys[k]);
			free(run->r[i].values[k]);
		}
		free(run->r[i].keys);
		free(run->r[i].values);
	}
	free(run->r);
	memset(run, 0, sizeof(*run));
}

/* The value of key in the record, or NULL. */
static const char *
lt_kv(const struct lt_rec *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nkv; i++)
		if (strcmp(r->keys[i], key) == 0)
			return r->values[i];
	return NULL;
}

/* The record's local time as ISO without zone ("" for none). */
static void
lt_local(const struct lt_rec *r, char out[40])
{
	format_iso(r->local_ms, TZ_UNKNOWN, out);
}

/* The record's UTC instant as ISO "…Z" ("" when the zone is unknown). */
static void
lt_utc(const struct lt_rec *r, char out[40])
{
	if (r->local_ms == TIME_NONE || r->tz_min == TZ_UNKNOWN)
		out[0] = '\0';
	else
		format_iso(r->local_ms - (int64_t)r->tz_min * 60000, 0, out);
}

/* A severity's name for messages. */
static const char *
lt_sev_name(enum log_sev s)
{
	static const char *const names[] = { "none", "info", "warning",
	    "error" };

	return (unsigned)s < 4 ? names[s] : "?";
}

/* Compares record r with the expectation w; what names the case. */
static void
lt_check(const char *what, const struct lt_rec *r, const struct lt_want *w)
{
	char got[40], key[64];
	const char *eq, *v;
	size_t i;

	ck_assert_msg(r->line == w->line, "%s: line %ld, want %ld", what,
	    r->line, w->line);
	ck_assert_msg(r->end_line == (w->end_line ? w->end_line : w->line),
	    "%s line %ld: end_line %ld", what, w->line, r->end_line);
	ck_assert_msg(r->sev == w->sev, "%s line %ld: severity %s, want %s",
	    what, w->line, lt_sev_name(r->sev), lt_sev_name(w->sev));
	lt_local(r, got);
	if (w->local)
		ck_assert_msg(strcmp(got, w->local) == 0,
		    "%s line %ld: local '%s', want '%s'", what, w->line, got,
		    w->local);
	lt_utc(r, got);
	if (w->utc)
		ck_assert_msg(strcmp(got, w->utc) == 0,
		    "%s line %ld: utc '%s', want '%s'", what, w->line, got,
		    w->utc);
	if (w->comp)
		ck_assert_msg(*w->comp ? r->component &&
		    strcmp(r->component, w->comp) == 0 : r->component == NULL,
		    "%s line %ld: component '%s', want '%s'", what, w->line,
		    r->component ? r->component : "(null)", w->comp);
	if (w->thread)
		ck_assert_msg(r->thread && strcmp(r->thread, w->thread) == 0,
		    "%s line %ld: thread '%s', want '%s'", what, w->line,
		    r->thread ? r->thread : "(null)", w->thread);
	if (w->msg)
		ck_assert_msg(w->msg[0] == '~' ? strstr(r->msg, w->msg + 1) !=
		    NULL : strcmp(r->msg, w->msg) == 0,
		    "%s line %ld: msg '%s', want '%s'", what, w->line, r->msg,
		    w->msg);
	for (i = 0; i < 10 && w->kv[i]; i++) {
		if (w->kv[i][0] == '!') {
			ck_assert_msg(lt_kv(r, w->kv[i] + 1) == NULL,
			    "%s line %ld: unexpected %s=%s", what, w->line,
			    w->kv[i] + 1, lt_kv(r, w->kv[i] + 1));
			continue;
		}
		eq = strchr(w->kv[i], '=');
		ck_assert(eq != NULL && (size_t)(eq - w->kv[i]) < sizeof(key));
		memcpy(key, w->kv[i], (size_t)(eq - w->kv[i]));
		key[eq - w->kv[i]] = '\0';
		v = lt_kv(r, key);
		ck_assert_msg(v && strcmp(v, eq + 1) == 0,
		    "%s line %ld: %s='%s', want '%s'", what, w->line, key,
		    v ? v : "(absent)", eq + 1);
	}
}

/*
 * Reads a shared sample file and decodes it like the pipeline
 * (text_decode: BOM, UTF-16, ANSI, CRLF).  Returns 0, or -1 when the
 * file cannot be read (the test then fails with the path).
 */
static int
lt_load(const char *dir, const char *file, struct buf *text)
{
	struct buf raw = { 0 };
	char *path;
	int rc;

	path = xasprintf("%s/%s", dir, file);
	rc = file_read(path, &raw);
	if (rc == 0)
		rc = text_decode(path, (const unsigned char *)raw.data, raw.len,
		    text, NULL);
	free(path);
	buf_free(&raw);
	return rc;
}

/* The shared samples folder "$KBGEN_SHARED/logs/samples/sub", or NULL. */
static char *
lt_samples(const char *sub)
{
	const char *sh = getenv("KBGEN_SHARED");

	if (sh == NULL || *sh == '\0')
		return NULL;
	return xasprintf("%s/logs/samples/%s", sh, sub);
}

/* Whether the shared samples folder sub is there to test against. */
static int
lt_have_samples(const char *sub)
{
	char *dir = lt_samples(sub);
	DIR *d = dir ? opendir(dir) : NULL;

	free(dir);
	if (d == NULL)
		return 0;
	closedir(d);
	return 1;
}

/*
 * Runs check(dir, file, k) on every file of the samples folder sub.  The
 * pinned samples are a table of n rows of stride bytes whose file name
 * (const char *) is at byte file_off of a row and, when dir_off >= 0,
 * whose folder is at dir_off; k is the row of the file, or -1.  Fails
 * when a pinned file of the folder is missing.
 */
static void
lt_each_sample(const char *sub, const void *table, size_t stride, int n,
    size_t file_off, long dir_off,
    void (*check)(const char *dir, const char *file, int k))
{
	char *dir = lt_samples(sub);
	const char *f;
	struct dirent *de;
	char *seen = xcalloc((size_t)n + 1, 1);
	DIR *d;
	int k;

#define LT_FIELD(k, off) (*(const char *const *)(const void *)((const char *)table + \
	(size_t)(k) * stride + (off)))
	ck_assert_ptr_nonnull(dir);
	ck_assert_msg((d = opendir(dir)) != NULL, "cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		for (k = n - 1; k >= 0; k--)
			if (strcmp(LT_FIELD(k, file_off), de->d_name) == 0 &&
			    (dir_off < 0 ||
			    strcmp(LT_FIELD(k, (size_t)dir_off), sub) == 0))
				break;
		if (k >= 0)
			seen[k] = 1;
		check(dir, de->d_name, k);
	}
	closedir(d);
	for (k = 0; k < n; k++) {
		f = LT_FIELD(k, file_off);
		ck_assert_msg(seen[k] || (dir_off >= 0 &&
		    strcmp(LT_FIELD(k, (size_t)dir_off), sub) != 0),
		    "sample %s missing", f);
	}
#undef LT_FIELD
	free(seen);
	free(dir);
}

/* The record of a run that starts at line, or NULL. */
static const struct lt_rec *
lt_rec_at(const struct lt_run *run, long line)
{
	size_t i;

	for (i = 0; i < run->n; i++)
		if (run->r[i].line == line)
			return &run->r[i];
	return NULL;
}

/*
 * Checks a parsed sample against its pins: the number of records, of
 * errors and of warnings, and up to three records by their line.
 */
static void
lt_check_pins(const char *file, const struct lt_run *run, size_t nrec,
    size_t nerr, size_t nwarn, const struct lt_want want[3])
{
	const struct lt_rec *r;
	size_t i, ne = 0, nw = 0;

	ck_assert_msg(run->n == nrec, "%s: %zu records", file, run->n);
	for (i = 0; i < run->n; i++) {
		ne += run->r[i].sev == SEV_ERROR;
		nw += run->r[i].sev == SEV_WARNING;
	}
	ck_assert_msg(ne == nerr && nw == nwarn, "%s: %zu errors %zu "
	    "warnings", file, ne, nw);
	for (i = 0; i < 3 && want[i].line; i++) {
		r = lt_rec_at(run, want[i].line);
		ck_assert_msg(r != NULL, "%s: no record at line %ld", file,
		    want[i].line);
		lt_check(file, r, &want[i]);
	}
}

#endif
