/*
 * ingest.c -- one file of a bundle, streamed: the first 64 KiB decide
 * the encoding and the format; then lines go to the parser as they come
 * (or, for whole-document formats, the file is collected up to
 * LOG_WHOLE_MAX).  See ingest.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"
#include "linereader.h"
#include "ingest.h"

/* Raw bytes looked at before deciding encoding and format. */
#define HEAD_BYTES	65536

struct ingest {
	char		*path;
	char		*name;
	struct log_env	 env;
	void		(*record)(void *, const struct record *);
	void		*rarg;
	const struct log_parser *p;
	void		*pstate;
	struct linereader lr;
	struct sha256_ctx sha;
	struct buf	 head;		/* raw bytes until decided */
	struct buf	 whole;		/* WHOLE mode: the file so far */
	int		 decided;
	int		 too_big;	/* WHOLE mode: over LOG_WHOLE_MAX */
	enum lr_encoding enc;
	size_t		 bom;
	struct ingest_stats st;
};

/* Parsers hand records here; counted, then passed on. */
static void
env_emit(struct log_env *env, const struct record *r)
{
	struct ingest *in = env->arg;

	in->st.records++;
	in->record(in->rarg, r);
}

/* Parser diagnostics name the file; they are counted for coverage. */
static void
env_diag(struct log_env *env, int level, long line, const char *fmt, ...)
{
	struct ingest *in = env->arg;
	va_list ap;

	in->st.problems++;
	va_start(ap, fmt);
	vdiag((enum diag_level)level, in->path, line, 0, fmt, ap);
	va_end(ap);
}

/* The line reader's lines go to the parser. */
static void
on_line(void *arg, const char *s, size_t n, long lineno, uint64_t off)
{
	struct ingest *in = arg;

	in->p->line(in->pstate, s, n, lineno, off);
}

struct ingest *
ingest_begin(const char *path, const char *name, int32_t tz_hint,
    void (*record)(void *, const struct record *), void *arg)
{
	struct ingest *in = xcalloc(1, sizeof(*in));

	in->path = xstrdup(path);
	in->name = xstrdup(name);
	in->record = record;
	in->rarg = arg;
	in->env.path = in->path;
	in->env.arg = in;
	in->env.emit = env_emit;
	in->env.diag = env_diag;
	in->env.tz_hint = tz_hint;
	in->env.tz_found = TZ_UNKNOWN;
	in->st.tz_found = TZ_UNKNOWN;
	in->st.encoding = "binary";
	sha256_init(&in->sha);
	return in;
}

/* The .evtx file header ("ElfFile\0"). */
static int
evtx_magic(const unsigned char *p, size_t n)
{
	return n >= 8 && memcmp(p, "ElfFile", 8) == 0;
}

/*
 * Decides encoding and format from the head, then replays the head into
 * the chosen path.
 */
static void
decide(struct ingest *in)
{
	const unsigned char *h = (const unsigned char *)buf_str(&in->head);
	struct buf text = {0};
	enum log_format f;

	in->decided = 1;
	in->enc = lr_guess(h, in->head.len, &in->bom);
	if (in->enc == LR_BINARY) {
		if (evtx_magic(h, in->head.len) && log_parser(LOG_EVTX)) {
			in->p = log_parser(LOG_EVTX);
			in->st.format = LOG_EVTX;
			buf_put(&in->whole, h, in->head.len);
			return;
		}
		in->st.unparsed = 1;
		diag(DIAG_WARNING, in->path, 0, 0, "binary file of unknown "
		    "format; skipped");
		return;
	}
	in->st.encoding = lr_encoding_name(in->enc, in->bom > 0 &&
	    in->enc == LR_UTF8);
	/* Sniff on decoded text: UTF-16 files are text like the others. */
	diag_capture(&text);	/* a partial last character is no news */
	{
		struct buf dec = {0};
		text_decode(in->path, h, in->head.len > LOG_SNIFF_BYTES * 2 ?
		    LOG_SNIFF_BYTES * 2 : in->head.len, &dec, NULL);
		diag_capture(NULL);
		if (dec.len > LOG_SNIFF_BYTES)
			dec.len = LOG_SNIFF_BYTES;
		buf_putc(&dec, 0);
		dec.len--;
		f = log_sniff(in->name, buf_str(&dec), dec.len);
		buf_free(&dec);
	}
	buf_free(&text);
	if ((in->p = log_parser(f)) == NULL)
		in->p = log_parser(f = LOG_GENERIC);
	if (in->p == NULL) {
		in->st.unparsed = 1;
		return;
	}
	in->st.format = f;
	if (in->p->whole) {
		buf_put(&in->whole, h, in->head.len);
		return;
	}
	lr_init(&in->lr, in->path, in->enc, on_line, in);
	in->lr.off = in->bom;
	in->pstate = in->p->open(&in->env);
	lr_feed(&in->lr, h + in->bom, in->head.len - in->bom);
}

void
ingest_feed(struct ingest *in, const void *data, size_t n)
{
	sha256_update(&in->sha, n, data);
	in->st.bytes += n;
	if (!in->decided) {
		buf_put(&in->head, data, n);
		if (in->head.len >= HEAD_BYTES)
			decide(in);
		return;
	}
	if (in->st.unparsed || in->p == NULL)
		return;
	if (in->p->whole) {
		if (in->whole.len + n > LOG_WHOLE_MAX) {
			if (!in->too_big)
				diag(DIAG_ERROR, in->path, 0, 0, "larger than "
				    "%u MiB: too large for a %s file; skipped",
				    LOG_WHOLE_MAX >> 20,
				    log_format_name(in->st.format));
			in->too_big = 1;
			return;
		}
		buf_put(&in->whole, data, n);
		return;
	}
	lr_feed(&in->lr, data, n);
}

/* Hands a whole-document file to its parser. */
static void
finish_whole(struct ingest *in)
{
	struct buf text = {0};

	if (in->too_big) {
		in->st.unparsed = 1;
		return;
	}
	if (in->p->whole_raw) {
		in->p->whole(&in->env, buf_str(&in->whole), in->whole.len);
		return;
	}
	if (text_decode(in->path, (const unsigned char *)buf_str(&in->whole),
	    in->whole.len, &text, NULL) == -1) {
		in->st.unparsed = 1;
		return;
	}
	{
		size_t i;
		for (i = 0; i < text.len; i++)
			in->st.lines += text.data[i] == '\n';
		in->st.lines += text.len && text.data[text.len - 1] != '\n';
	}
	in->p->whole(&in->env, buf_str(&text), text.len);
	buf_free(&text);
}

void
ingest_end(struct ingest *in, struct ingest_stats *st)
{
	unsigned char d[SHA256_DIGEST_SIZE];

	if (!in->decided)
		decide(in);
	if (in->p != NULL && !in->st.unparsed) {
		if (in->p->whole)
			finish_whole(in);
		else {
			lr_finish(&in->lr);
			in->st.lines = in->lr.lineno;
			in->p->finish(in->pstate);
		}
	}
	in->st.tz_found = in->env.tz_found;
	sha256_digest(&in->sha, sizeof(d), d);
	hex_encode(d, sizeof(d), in->st.sha256);
	*st = in->st;
	buf_free(&in->head);
	buf_free(&in->whole);
	free(in->path);
	free(in->name);
	free(in);
}
