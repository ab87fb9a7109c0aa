/*
 * logtest.h -- a harness that drives one LINE-mode log parser (logs.h)
 * the way the bundle stage does, and keeps copies of what it emits.
 * Header-only (static inline functions), for tests/unit/test_log_*.c and
 * tests/fuzz/fuzz_log_*.c; include util.h, logs.h and encoding.h first.
 *
 * Text is split on LF, a CR before the LF is stripped, and the offset of
 * each line is its byte offset in the text given.  lt_file() decodes a
 * file with text_decode() first, as the pipeline does (BOM, UTF-16,
 * CRLF).  Every record is deep-copied, so it outlives the emit() call;
 * lt_free() releases them.
 */
#ifndef KBGEN_LOGTEST_H
#define KBGEN_LOGTEST_H

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One emitted record, copied. */
struct lt_rec {
	long		 line, end_line;
	uint64_t	 offset;
	int64_t		 local_ms;
	int32_t		 tz_min;
	int		 utc;
	int		 sev;
	char		*comp;		/* NULL when the record had none */
	char		*thread;
	char		*msg;		/* NUL-terminated copy */
	size_t		 msg_len;
	size_t		 nkv;
	char		**keys, **vals;
};

/* One run of a parser over one input. */
struct lt_run {
	struct log_env	 env;
	struct lt_rec	*r;
	size_t		 n, cap;
	int		 nwarn;		/* diagnostics of any level */
	struct buf	 diags;		/* "LINE: text\n" each */
};

/* Copies s (NULL stays NULL). */
static inline char *
lt_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* env->emit: keeps a deep copy of r. */
static inline void
lt_emit(struct log_env *env, const struct record *r)
{
	struct lt_run *run = env->arg;
	struct lt_rec *c;
	size_t i;

	if (run->n == run->cap) {
		run->cap = run->cap ? 2 * run->cap : 16;
		run->r = xrealloc(run->r, run->cap * sizeof(*run->r));
	}
	c = &run->r[run->n++];
	memset(c, 0, sizeof(*c));
	c->line = r->line;
	c->end_line = r->end_line;
	c->offset = r->offset;
	c->local_ms = r->local_ms;
	c->tz_min = r->tz_min;
	c->utc = r->utc;
	c->sev = (int)r->sev;
	c->comp = lt_dup(r->component);
	c->thread = lt_dup(r->thread);
	c->msg = xmalloc(r->msg_len + 1);
	if (r->msg_len)
		memcpy(c->msg, r->msg, r->msg_len);
	c->msg[r->msg_len] = '\0';
	c->msg_len = r->msg_len;
	c->nkv = r->nkv;
	if (r->nkv) {
		c->keys = xcalloc(r->nkv, sizeof(char *));
		c->vals = xcalloc(r->nkv, sizeof(char *));
		for (i = 0; i < r->nkv; i++) {
			c->keys[i] = xstrdup(r->kv[i].key);
			c->vals[i] = xstrdup(r->kv[i].value);
		}
	}
}

/* env->diag: counts and records the message. */
static inline void
lt_diag(struct log_env *env, int level, long line, const char *fmt, ...)
{
	struct lt_run *run = env->arg;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	run->nwarn++;
	buf_printf(&run->diags, "%ld: %s\n", line, msg);
}

/* Starts a run; tz_hint as the bundle stage would pass it. */
static inline void
lt_init(struct lt_run *run, int32_t tz_hint)
{
	memset(run, 0, sizeof(*run));
	run->env.path = "test.log";
	run->env.arg = run;
	run->env.emit = lt_emit;
	run->env.diag = lt_diag;
	run->env.tz_hint = tz_hint;
	run->env.tz_found = TZ_UNKNOWN;
}

/*
 * Feeds text[0..len) through p (open, every line, finish) into run.
 * When piece is not 0, lines longer than that are handed over in pieces
 * of piece bytes with the same line number, as linereader.c does with
 * over-long lines.
 */
static inline void
lt_feed_pieces(const struct log_parser *p, struct lt_run *run,
    const char *text, size_t len, size_t piece)
{
	const char *s = text, *end = text + len, *nl;
	size_t n, k;
	long lineno = 0;
	void *st;

	st = p->open(&run->env);
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		n = (size_t)((nl ? nl : end) - s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		lineno++;
		for (k = 0; piece > 0 && n - k > piece; k += piece)
			p->line(st, s + k, piece, lineno,
			    (uint64_t)(s + k - text));
		p->line(st, s + k, n - k, lineno, (uint64_t)(s + k - text));
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	p->finish(st);
}

/* Feeds text[0..len) through p, one call per physical line. */
static inline void
lt_feed(const struct log_parser *p, struct lt_run *run, const char *text,
    size_t len)
{
	lt_feed_pieces(p, run, text, len, 0);
}

/* lt_init + lt_feed of a NUL-terminated string. */
static inline void
lt_str(const struct log_parser *p, struct lt_run *run, const char *text,
    int32_t tz_hint)
{
	lt_init(run, tz_hint);
	lt_feed(p, run, text, strlen(text));
}

/* lt_init + lt_feed of a file decoded like the pipeline does.  Returns
 * 0, or -1 when the file cannot be read or is binary. */
static inline int
lt_file(const struct log_parser *p, struct lt_run *run, const char *path,
    int32_t tz_hint)
{
	struct buf raw = {0}, text = {0};
	int rc = -1;

	lt_init(run, tz_hint);
	if (file_read(path, &raw) == 0 && text_decode(path,
	    (const unsigned char *)(raw.data ? raw.data : ""), raw.len,
	    &text, NULL) == 0) {
		lt_feed(p, run, text.data ? text.data : "", text.len);
		rc = 0;
	}
	buf_free(&raw);
	buf_free(&text);
	return rc;
}

/* Frees what the run copied. */
static inline void
lt_free(struct lt_run *run)
{
	size_t i, k;

	for (i = 0; i < run->n; i++) {
		free(run->r[i].comp);
		free(run->r[i].thread);
		free(run->r[i].msg);
		for (k = 0; k < run->r[i].nkv; k++) {
			free(run->r[i].keys[k]);
			free(run->r[i].vals[k]);
		}
		free(run->r[i].keys);
		free(run->r[i].vals);
	}
	free(run->r);
	buf_free(&run->diags);
	memset(run, 0, sizeof(*run));
}

/* The value of kv key in r, or NULL. */
static inline const char *
lt_kv(const struct lt_rec *r, const char *key)
{
	size_t k;

	for (k = 0; k < r->nkv; k++)
		if (strcmp(r->keys[k], key) == 0)
			return r->vals[k];
	return NULL;
}

/* The local time as written with its zone, "2021-07-14T08:53:25.263-04:00"
 * ("" without time, no suffix for an unknown zone). */
static inline const char *
lt_local(const struct lt_rec *r, char out[40])
{
	format_iso(r->local_ms, r->tz_min, out);
	return out;
}

/* The UTC instant, "2021-07-14T12:53:25.263Z" ("" when the time or its
 * zone is unknown). */
static inline const char *
lt_utc(const struct lt_rec *r, char out[40])
{
	if (r->local_ms == TIME_NONE || r->tz_min == TZ_UNKNOWN)
		out[0] = '\0';
	else
		format_iso(r->local_ms - (int64_t)r->tz_min * 60000, 0, out);
	return out;
}

/*
 * A fuzz run of p over raw bytes: text_decode, the lines (bit 0 of the
 * first byte sets a zone hint, bit 1 cuts lines into 64-byte pieces),
 * sniff() on the head; then the record invariants, abort() when one
 * breaks so the fuzzer reports it.
 */
static inline void
lt_fuzz(const struct log_parser *p, const uint8_t *data, size_t len)
{
	struct buf text = {0};
	struct lt_run run;
	char head[LOG_SNIFF_BYTES + 1], iso[40];
	size_t i, hn, nlines = 0;
	int score;

	if (len == 0 || text_decode("fuzz", data, len, &text, NULL) != 0 ||
	    text.data == NULL) {
		buf_free(&text);
		return;
	}
	for (i = 0; i < text.len; i++)
		nlines += text.data[i] == '\n';
	nlines += text.len > 0 && text.data[text.len - 1] != '\n';
	lt_init(&run, data[0] & 1 ? -300 : TZ_UNKNOWN);
	lt_feed_pieces(p, &run, text.data, text.len, data[0] & 2 ? 64 : 0);
	for (i = 0; i < run.n; i++) {
		const struct lt_rec *r = &run.r[i];

		if (r->line < 1 || r->end_line < r->line ||
		    (size_t)r->end_line > nlines || r->sev < SEV_NONE ||
		    r->sev > SEV_ERROR || strlen(r->msg) != r->msg_len ||
		    (r->tz_min != TZ_UNKNOWN && (r->tz_min < -1440 ||
		    r->tz_min > 1440)) || (r->utc && r->tz_min != 0) ||
		    (i > 0 && r->line < run.r[i - 1].line))
			abort();
		format_iso(r->local_ms, r->tz_min, iso);
	}
	hn = text.len < LOG_SNIFF_BYTES ? text.len : LOG_SNIFF_BYTES;
	memcpy(head, text.data, hn);
	head[hn] = '\0';
	score = p->sniff("fuzz.log", head, hn);
	if (score < 0 || score > 100)
		abort();
	lt_free(&run);
	buf_free(&text);
}

#ifdef CHECK_MAJOR_VERSION
/*
 * Check helpers, compiled when <check.h> was included first: a table
 * of cases (input, expected records) and of pinned sample files.
 */

/* "Do not check this string". */
static const char lt_any[] = "(any)";
#define LT_ANY	lt_any
#define LT_MAXREC	12

/*
 * What a test expects of one record.  comp/thread: NULL means the
 * record has none, LT_ANY skips.  msg, local, utc, kv: NULL skips; a
 * msg ending in "..." is a prefix; local is lt_local() ("" without time),
 * utc is lt_utc(); kv "k=v;k=v" must all be present ("" means no kv).
 * end_line 0 means the same as line.
 */
struct lt_want {
	long		 line, end_line;
	int		 sev;
	const char	*comp, *thread;
	const char	*msg;
	const char	*local, *utc;
	int		 isutc;
	const char	*kv;
};

/* One inline case.  hint/tzf: NULL is TZ_UNKNOWN / not checked, else a
 * number of minutes ("none" checks that tz_found stayed unknown). */
struct lt_case {
	const char	*name;
	const char	*in;
	const char	*hint;
	size_t		 nrec;
	int		 nwarn;
	const char	*tzf;
	struct lt_want	 r[LT_MAXREC];
};

/* One pinned sample file under $KBGEN_SHARED: counts and some records
 * (pin[k] is record idx[k]; the list ends at a want with line 0). */
struct lt_sample {
	const char	*path;
	size_t		 nrec;
	int		 nwarn;
	const char	*tzf;
	size_t		 idx[LT_MAXREC];
	struct lt_want	 pin[LT_MAXREC];
};

/* A one-line summary of every record, for failure messages. */
static inline const char *
lt_describe(const struct lt_run *run, struct buf *b)
{
	char l[40], u[40];
	size_t i;

	buf_reset(b);
	for (i = 0; i < run->n && b->len < 4000; i++)
		buf_printf(b, "  [%zu] %ld-%ld sev=%d utc=%d local=%s "
		    "utc=%s comp=%s thread=%s msg=%.60s\n", i,
		    run->r[i].line, run->r[i].end_line, run->r[i].sev,
		    run->r[i].utc, lt_local(&run->r[i], l),
		    lt_utc(&run->r[i], u), run->r[i].comp ? run->r[i].comp :
		    "(null)", run->r[i].thread ? run->r[i].thread : "(null)",
		    run->r[i].msg);
	buf_printf(b, "  diags: %s", run->diags.data ? run->diags.data :
	    "(none)\n");
	return b->data;
}

/* Compares an optional string field of record i of case name. */
static inline void
lt_expect_str(const char *name, size_t i, const char *what,
    const char *got, const char *want)
{
	if (want == LT_ANY)
		return;
	if (want == NULL)
		ck_assert_msg(got == NULL, "%s[%zu]: %s '%s', want none",
		    name, i, what, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		    "%s[%zu]: %s '%s', want '%s'", name, i, what,
		    got ? got : "(null)", want);
}

/* Checks the kv list "k=v;k=v" against record r. */
static inline void
lt_expect_kv(const char *name, size_t i, const struct lt_rec *r,
    const char *kv)
{
	char k[64], v[512];
	const char *p = kv, *e, *eq, *got;

	if (*kv == '\0') {
		ck_assert_msg(r->nkv == 0, "%s[%zu]: %zu kv, want none",
		    name, i, r->nkv);
		return;
	}
	while (*p != '\0') {
		e = strchr(p, ';');
		if (e == NULL)
			e = p + strlen(p);
		eq = memchr(p, '=', (size_t)(e - p));
		ck_assert(eq != NULL && eq - p < 64 && e - eq < 512);
		snprintf(k, sizeof(k), "%.*s", (int)(eq - p), p);
		snprintf(v, sizeof(v), "%.*s", (int)(e - eq - 1), eq + 1);
		got = lt_kv(r, k);
		ck_assert_msg(got != NULL && strcmp(got, v) == 0,
		    "%s[%zu]: kv %s='%s', want '%s'", name, i, k,
		    got ? got : "(absent)", v);
		p = *e ? e + 1 : e;
	}
}

/* Checks record i of run against w. */
static inline void
lt_expect(const char *name, const struct lt_run *run, size_t i,
    const struct lt_want *w)
{
	const struct lt_rec *r;
	char buf[40];
	size_t n;

	ck_assert_msg(i < run->n, "%s: no record %zu", name, i);
	r = &run->r[i];
	ck_assert_msg(r->line == w->line, "%s[%zu]: line %ld, want %ld",
	    name, i, r->line, w->line);
	ck_assert_msg(r->end_line == (w->end_line ? w->end_line : w->line),
	    "%s[%zu]: end_line %ld, want %ld", name, i, r->end_line,
	    w->end_line ? w->end_line : w->line);
	ck_assert_msg(r->sev == w->sev, "%s[%zu]: sev %d, want %d", name, i,
	    r->sev, w->sev);
	ck_assert_msg(r->utc == w->isutc, "%s[%zu]: utc flag %d, want %d",
	    name, i, r->utc, w->isutc);
	lt_expect_str(name, i, "component", r->comp, w->comp);
	lt_expect_str(name, i, "thread", r->thread, w->thread);
	if (w->msg != NULL) {
		n = strlen(w->msg);
		if (n >= 3 && strcmp(w->msg + n - 3, "...") == 0)
			ck_assert_msg(strncmp(r->msg, w->msg, n - 3) == 0,
			    "%s[%zu]: msg '%s', want prefix '%.*s'", name, i,
			    r->msg, (int)n - 3, w->msg);
		else
			ck_assert_msg(strcmp(r->msg, w->msg) == 0 &&
			    r->msg_len == n, "%s[%zu]: msg '%s', want '%s'",
			    name, i, r->msg, w->msg);
	}
	if (w->local != NULL)
		ck_assert_msg(strcmp(lt_local(r, buf), w->local) == 0,
		    "%s[%zu]: local '%s', want '%s'", name, i, buf, w->local);
	if (w->utc != NULL)
		ck_assert_msg(strcmp(lt_utc(r, buf), w->utc) == 0,
		    "%s[%zu]: utc '%s', want '%s'", name, i, buf, w->utc);
	if (w->kv != NULL)
		lt_expect_kv(name, i, r, w->kv);
}

/* Checks the counts of a run: records, diagnostics, tz_found. */
static inline void
lt_expect_run(const char *name, const struct lt_run *run, size_t nrec,
    int nwarn, const char *tzf)
{
	struct buf b = {0};

	ck_assert_msg(run->n == nrec, "%s: %zu records, want %zu\n%s", name,
	    run->n, nrec, lt_describe(run, &b));
	ck_assert_msg(run->nwarn == nwarn, "%s: %d diagnostics, want %d\n%s",
	    name, run->nwarn, nwarn, lt_describe(run, &b));
	if (tzf != NULL)
		ck_assert_msg(run->env.tz_found == (strcmp(tzf, "none") == 0 ?
		    TZ_UNKNOWN : (int32_t)atoi(tzf)), "%s: tz_found %d, "
		    "want %s", name, (int)run->env.tz_found, tzf);
	buf_free(&b);
}

/* Runs parser p over one inline case and checks everything. */
static inline void
lt_case_run(const struct log_parser *p, const struct lt_case *c)
{
	struct lt_run run;
	size_t i;

	lt_str(p, &run, c->in, c->hint ? (int32_t)atoi(c->hint) :
	    TZ_UNKNOWN);
	lt_expect_run(c->name, &run, c->nrec, c->nwarn, c->tzf);
	for (i = 0; i < c->nrec && i < LT_MAXREC && c->r[i].line != 0; i++)
		lt_expect(c->name, &run, i, &c->r[i]);
	lt_free(&run);
}

/*
 * Runs parser p over a sample file under $KBGEN_SHARED/logs/samples and
 * checks its pins.  Returns 0 when KBGEN_SHARED is unset (skipped).
 */
static inline int
lt_sample_run(const struct log_parser *p, const struct lt_sample *s)
{
	const char *shared = getenv("KBGEN_SHARED");
	struct lt_run run;
	char *path;
	size_t k;

	if (shared == NULL || *shared == '\0')
		return 0;
	path = xasprintf("%s/logs/samples/%s", shared, s->path);
	ck_assert_msg(lt_file(p, &run, path, TZ_UNKNOWN) == 0,
	    "cannot read %s", path);
	lt_expect_run(s->path, &run, s->nrec, s->nwarn, s->tzf);
	for (k = 0; k < LT_MAXREC && s->pin[k].line != 0; k++)
		lt_expect(s->path, &run, s->idx[k], &s->pin[k]);
	lt_free(&run);
	free(path);
	return 1;
}
/*
 * Runs parser p over every regular file in $KBGEN_SHARED/logs/samples/
 * dir: each must parse (and yield records), so a sample added later is
 * at least read without a crash.  Returns the number of files, 0 when
 * KBGEN_SHARED is unset.
 */
static inline int
lt_dir_run(const struct log_parser *p, const char *dir)
{
	const char *shared = getenv("KBGEN_SHARED");
	struct lt_run run;
	struct dirent *de;
	char *path, *file;
	DIR *d;
	int n = 0;

	if (shared == NULL || *shared == '\0')
		return 0;
	path = xasprintf("%s/logs/samples/%s", shared, dir);
	d = opendir(path);
	ck_assert_msg(d != NULL, "cannot open %s", path);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		file = xasprintf("%s/%s", path, de->d_name);
		ck_assert_msg(lt_file(p, &run, file, TZ_UNKNOWN) == 0,
		    "cannot read %s", file);
		ck_assert_msg(run.n > 0, "%s: no records", file);
		lt_free(&run);
		free(file);
		n++;
	}
	closedir(d);
	free(path);
	return n;
}
#endif /* CHECK_MAJOR_VERSION */

#endif
