/*
 * ingest.c -- one file of a bundle, streamed: the first 64 KiB decide
 * the encoding and the format; then lines go to the parser as they come
 * (or, for whole-document formats, the file is collected up to
 * LOG_WHOLE_MAX).  See ingest.h.
 */
#define _GNU_SOURCE	/* pthread_setname_np: threads named in profiles */
#include <sys/resource.h>
#include <sys/syscall.h>

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"
#include "linereader.h"
#include "bundle.h"
#include "signals.h"
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
	const struct log_zone *zone;	/* the host's, or NULL */
	struct buf	*capture;	/* diagnostics go here, or NULL */
};

/* Parsers hand records here; counted, then passed on. */
static void
env_emit(struct log_env *env, const struct record *r)
{
	struct ingest *in = env->arg;
	struct record z;

	in->st.records++;
	if (r->tz_min == TZ_HOST) {
		/* The host's zone at this local time (DST included). */
		z = *r;
		z.tz_min = r->local_ms == TIME_NONE || in->zone == NULL ?
		    TZ_UNKNOWN : log_zone_offset(in->zone, r->local_ms);
		r = &z;
	}
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
    const struct log_zone *zone,
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
	in->env.tz_hint = zone ? TZ_HOST : tz_hint;
	in->zone = zone;
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
		diag_capture(in->capture);
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

/* ---- the threaded pipeline (ingest_bundle) ------------------------- */

/* Limits of what is queued: files in flight, raw bytes per file waiting
 * for its worker, packed records per file waiting for the writer. */
#define PIPE_FILES	16
#define PIPE_IN_MAX	(4u << 20)
#define PIPE_OUT_MAX	(4u << 20)
#define PIPE_OUT_TOTAL	(24u << 20)
#define PIPE_BATCH	(256u << 10)
#define PIPE_TEXT_MAX	65536
#define PIPE_WORKERS	4
#define PIPE_READ	(256u << 10)

/*
 * The client addresses of an IIS or HTTPERR file, so that a client that
 * never reached the server can be told (fault K8): an open-addressing
 * set of strings, at most INGEST_IPS_MAX of them.
 */
/* The longest address kept (IPv6 with a zone fits). */
#define IP_MAX	58

/*
 * A slot is the address's hash (high half) and 1 + its offset in the
 * arena (low half; 0: empty): 8 bytes, so that the table of a busy
 * server's tens of thousands of clients stays in cache, as does the
 * arena of the addresses themselves.  Every IIS line looks one up.
 */
struct ipset {
	uint64_t	*v;
	struct buf	 arena;		/* the addresses, NUL-terminated */
	size_t		 cap, n;
	int		 full;		/* INGEST_IPS_MAX reached */
};

/* FNV-1a of s[0..n). */
static uint32_t
mem_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Adds ip (at most IP_MAX bytes) to the set; 1 when it is new, 0 when
 * known or the set full. */
static int
ipset_add(struct ipset *set, const char *ip)
{
	size_t i, mask, n = strlen(ip);
	uint32_t h = mem_hash(ip, n);

	if (set->n * 2 >= set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		uint64_t *v = xcalloc(cap, sizeof(*v));
		for (i = 0; i < set->cap; i++)
			if (set->v[i]) {
				size_t k = (set->v[i] >> 32) & (cap - 1);
				while (v[k])
					k = (k + 1) & (cap - 1);
				v[k] = set->v[i];
			}
		free(set->v);
		set->v = v;
		set->cap = cap;
	}
	mask = set->cap - 1;
	for (i = h & mask; set->v[i]; i = (i + 1) & mask)
		if ((uint32_t)(set->v[i] >> 32) == h &&
		    strcmp(set->arena.data + (uint32_t)set->v[i] - 1, ip) == 0)
			return 0;
	if (set->n >= INGEST_IPS_MAX) {
		set->full = 1;
		return 0;
	}
	set->v[i] = (uint64_t)h << 32 | (uint64_t)(set->arena.len + 1);
	buf_put(&set->arena, ip, n + 1);
	set->n++;
	return 1;
}

static void
ipset_free(struct ipset *set)
{
	free(set->v);
	buf_free(&set->arena);
	memset(set, 0, sizeof(*set));
}

/*
 * IIS requests of the current hour, per endpoint and status: a key's
 * minutes in order.  The keys of the hour are found by hash (a server's
 * content URIs make thousands of keys an hour).  HIT_KEYS_MAX of them
 * hand the hour over early (the writer merges the pieces).
 */
struct hit {
	char		*endpoint;	/* lower-case */
	int		 status;
	struct hit_minute *m;		/* minutes with requests, ascending */
	size_t		 n, cap;
};

#define HIT_KEYS_MAX	4096

struct pipe;

/* One file of the bundle on its way. */
struct job {
	struct job	*next;		/* in bundle order */
	struct pipe	*pipe;
	int		 text;		/* a text file: read by the reader */
	char		*path, *name, *label;
	const struct log_zone *zone;
	struct chunkq	 in;		/* raw bytes from the reader */
	int		 in_eof;
	int		 fd;		/* the rest, to read here, or -1 */
	struct chunkq	 out;		/* packed records for the writer */
	int		 started;	/* a worker took it */
	int		 done;		/* the worker is through */
	uint64_t	 size;		/* bytes, as the bundle says */
	struct buf	 cur;		/* the batch being packed */
	struct buf	 diags;		/* the worker's diagnostics */
	struct ingest_stats st;
	struct ingest_quiet quiet;
	struct ipset	 ips;		/* IIS: client addresses seen */
	struct vec	 hits;		/* struct hit * of the hour */
	struct hmap	 hmap;		/* their keys -> index in hits */
	const char	*q_uri;		/* the key looked up: lower-case URI, */
	int		 q_status;	/* ... and status */
	int64_t		 hour;		/* the hour being counted */
	int		 hour_local;	/* ... in local time, zone unknown */
	struct buf	 low;		/* scratch: a lower-case URI */
};

struct pipe {
	const struct ingest_sink *sink;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;		/* any change: one condition is enough */
	struct job	*head, *tail;	/* unfinished jobs, oldest first */
	size_t		 njobs;
	int		 reader_done;
	size_t		 out_total;	/* packed bytes queued, all files */
	int		 rc;		/* bundle_read()'s */
	const char	*src;
	const struct bundle_limits *lim;
};

/* ---- reader thread: bundle.c's sink -------------------------------- */

static void *
rd_begin(void *arg, const char *path, const char *name, uint64_t size)
{
	struct pipe *p = arg;
	struct job *j = xcalloc(1, sizeof(*j));

	j->size = size;
	j->pipe = p;
	j->fd = -1;
	j->path = xstrdup(path);
	j->name = xstrdup(name);
	j->label = xasprintf("%s/%s", p->src, path);
	if (p->sink->is_text && p->sink->is_text(p->sink->arg, name)) {
		j->text = 1;	/* never queued: read here */
		return j;
	}
	j->zone = p->sink->zone ? p->sink->zone(p->sink->arg) : NULL;
	pthread_mutex_lock(&p->mu);
	while (p->njobs >= PIPE_FILES)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	p->njobs++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return j;
}

static void
rd_feed(void *file, const void *data, size_t n)
{
	struct job *j = file;
	struct pipe *p = j->pipe;

	if (n == 0)
		return;
	if (j->text) {
		if (j->cur.len < PIPE_TEXT_MAX)
			buf_put(&j->cur, data, n);
		return;
	}
	pthread_mutex_lock(&p->mu);
	while (j->in.bytes >= PIPE_IN_MAX)
		pthread_cond_wait(&p->cv, &p->mu);
	chunkq_push(&j->in, chunk_new(data, n));
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void job_free(struct job *);

/* A plain file: its worker reads the rest itself, so files of a folder
 * are read in parallel rather than one after the other. */
static int
rd_adopt(void *file, int fd)
{
	struct job *j = file;
	struct pipe *p = j->pipe;

	if (j->text)
		return 0;
	pthread_mutex_lock(&p->mu);
	j->fd = fd;
	pthread_mutex_unlock(&p->mu);
	return 1;
}

static void
rd_end(void *file, int error)
{
	struct job *j = file;
	struct pipe *p = j->pipe;

	(void)error;		/* what was fed stays fed */
	if (j->text) {
		p->sink->text(p->sink->arg, j->label, buf_str(&j->cur));
		job_free(j);
		return;
	}
	pthread_mutex_lock(&p->mu);
	j->in_eof = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void *
reader_main(void *arg)
{
	struct pipe *p = arg;
	struct bundle_sink bs = { rd_begin, rd_feed, rd_end, rd_adopt, p };
	int rc;

	pthread_setname_np(pthread_self(), "kbgen-read");
	rc = bundle_read(p->src, p->lim, &bs);

	pthread_mutex_lock(&p->mu);
	p->rc = rc;
	p->reader_done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* ---- workers: one file each ----------------------------------------- */

/*
 * A record, packed for the writer: fixed fields, then its strings, named
 * values and signals (the signal kinds are static strings: their
 * pointers travel).
 */
struct packed {
	uint32_t	 size;		/* of the whole item */
	uint32_t	 kind;		/* PK_RECORD, PK_HIT */
	uint32_t	 nkv, nsig;
	int32_t		 tz_min;
	long		 line, end_line;
	uint64_t	 offset;
	int64_t		 local_ms;
	int32_t		 utc, sev;
	int32_t		 comp_len, thread_len;	/* -1: NULL */
	uint64_t	 msg_len;
};

/* Items: a record; an hour of IIS requests (local_ms: the hour, utc: 0
 * when local, sev: status, msg: the endpoint, then nkv struct
 * hit_minute, 8-byte aligned); a client address (line, local_ms: UTC ms
 * or TIME_NONE, msg: the address). */
enum { PK_RECORD, PK_HIT, PK_CLIENT };

static void
put_str(struct buf *b, const char *s, size_t n)
{
	buf_put(b, s, n);
	buf_putc(b, '\0');
}

/* Hands the packed batch to the writer, waiting while too much waits. */
static void
job_flush(struct job *j)
{
	struct pipe *p = j->pipe;
	struct chunk *c;

	if (j->cur.len == 0)
		return;
	c = chunk_new(j->cur.data, j->cur.len);
	buf_reset(&j->cur);
	pthread_mutex_lock(&p->mu);
	/*
	 * The writer drains files in bundle order.  The file it is on waits
	 * only for its own queue; the files after it may run ahead, up to
	 * PIPE_OUT_TOTAL together, so that a slow first file does not leave
	 * a processor idle (and the file being drained never waits for the
	 * others: no deadlock).
	 */
	while (j->out.bytes >= PIPE_OUT_MAX &&
	    (j == p->head || p->out_total >= PIPE_OUT_TOTAL))
		pthread_cond_wait(&p->cv, &p->mu);
	p->out_total += c->n;
	chunkq_push(&j->out, c);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Packs one record (kind PK_RECORD) or hit (PK_HIT) for the writer. */
static void
pack(struct job *j, uint32_t kind, const struct record *r,
    const struct signals *sg)
{
	struct packed h;
	size_t start = j->cur.len, i;

	memset(&h, 0, sizeof(h));
	h.kind = kind;
	h.nkv = (uint32_t)r->nkv;
	h.nsig = sg ? (uint32_t)sg->n : 0;
	h.tz_min = r->tz_min;
	h.line = r->line;
	h.end_line = r->end_line;
	h.offset = r->offset;
	h.local_ms = r->local_ms;
	h.utc = r->utc;
	h.sev = (int32_t)r->sev;
	h.comp_len = r->component ? (int32_t)strlen(r->component) : -1;
	h.thread_len = r->thread ? (int32_t)strlen(r->thread) : -1;
	h.msg_len = r->msg ? r->msg_len : 0;
	buf_put(&j->cur, &h, sizeof(h));
	if (r->component)
		put_str(&j->cur, r->component, (size_t)h.comp_len);
	if (r->thread)
		put_str(&j->cur, r->thread, (size_t)h.thread_len);
	put_str(&j->cur, r->msg ? r->msg : "", h.msg_len);
	for (i = 0; i < r->nkv; i++) {
		put_str(&j->cur, r->kv[i].key, strlen(r->kv[i].key));
		put_str(&j->cur, r->kv[i].value, strlen(r->kv[i].value));
	}
	for (i = 0; i < h.nsig; i++) {
		buf_put(&j->cur, &sg->v[i].kind, sizeof(sg->v[i].kind));
		put_str(&j->cur, sg->v[i].value, strlen(sg->v[i].value));
		put_str(&j->cur, sg->v[i].raw, strlen(sg->v[i].raw));
	}
	/* Keep items aligned for the next header. */
	while (j->cur.len % 8)
		buf_putc(&j->cur, '\0');
	h.size = (uint32_t)(j->cur.len - start);
	memcpy(j->cur.data + start, &h.size, sizeof(h.size));
	if (j->cur.len >= PIPE_BATCH)
		job_flush(j);
}

/* Packs an hour of one IIS key (PK_HIT): the endpoint, then its
 * minutes, 8-byte aligned. */
static void
pack_hit(struct job *j, const struct hit *hit)
{
	struct packed h;
	size_t start = j->cur.len;

	memset(&h, 0, sizeof(h));
	h.kind = PK_HIT;
	h.local_ms = j->hour;
	h.utc = !j->hour_local;
	h.sev = hit->status;
	h.nkv = (uint32_t)hit->n;
	h.msg_len = strlen(hit->endpoint);
	buf_put(&j->cur, &h, sizeof(h));
	put_str(&j->cur, hit->endpoint, h.msg_len);
	while (j->cur.len % 8)
		buf_putc(&j->cur, '\0');
	buf_put(&j->cur, hit->m, hit->n * sizeof(*hit->m));
	h.size = (uint32_t)(j->cur.len - start);
	memcpy(j->cur.data + start, &h.size, sizeof(h.size));
	if (j->cur.len >= PIPE_BATCH)
		job_flush(j);
}

/* Hands over the counted hour of IIS requests and starts a new one. */
static void
flush_hits(struct job *j)
{
	size_t i;

	for (i = 0; i < j->hits.n; i++) {
		struct hit *h = j->hits.v[i];
		pack_hit(j, h);
		free(h->endpoint);
		free(h->m);
		free(h);
	}
	j->hits.n = 0;
	hmap_clear(&j->hmap);
}

static int
hit_eq(void *arg, size_t i)
{
	const struct job *j = arg;
	const struct hit *h = j->hits.v[i];

	return h->status == j->q_status && strcmp(h->endpoint, j->q_uri) == 0;
}

/*
 * Counts a request of key h in minute mi at line; returns 1 when it is
 * the key's first in that minute.  Requests come in time order but for
 * the odd line (IIS writes a request when it ends), so the minute is
 * nearly always the key's last one.
 */
static int
hit_minute_add(struct hit *h, int32_t mi, long line)
{
	size_t k;

	if (h->n && h->m[h->n - 1].minute == mi) {
		h->m[h->n - 1].count++;
		return 0;
	}
	for (k = h->n; k > 0 && h->m[k - 1].minute > mi; k--)
		;
	if (k > 0 && h->m[k - 1].minute == mi) {
		h->m[k - 1].count++;
		return 0;
	}
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 4;
		h->m = xrealloc(h->m, h->cap * sizeof(*h->m));
	}
	memmove(h->m + k + 1, h->m + k, (h->n - k) * sizeof(*h->m));
	h->m[k].minute = mi;
	h->m[k].count = 1;
	h->m[k].first_line = line;
	h->n++;
	return 1;
}

/*
 * An IIS request: counted per minute, endpoint and status; the first
 * failing request of each such key in a minute is kept as evidence.
 * Returns 1 when the record should be kept.  A request whose zone is
 * unknown counts in its local hour, for the writer to place.
 */
static int
count_hit(struct job *j, const struct record *r, const char *uri,
    const char *status)
{
	int64_t t = r->local_ms, hour = 0;
	int32_t mi = 0;
	int code = 0, local = 0;
	const char *low;
	uint32_t hash;
	size_t i, k, n;
	struct hit *h;

	for (; status && kb_isdigit((unsigned char)*status); status++)
		code = code < 1000 ? code * 10 + (*status - '0') : code;
	if (t != TIME_NONE && !r->utc && r->tz_min != TZ_UNKNOWN)
		t -= (int64_t)r->tz_min * 60000;
	else if (t != TIME_NONE && !r->utc)
		local = 1;
	if (t != TIME_NONE) {
		hour = t - (t % 3600000 + 3600000) % 3600000;
		mi = (int32_t)((t - hour) / 60000);
	}
	if (hour != j->hour || local != j->hour_local) {
		flush_hits(j);
		j->hour = hour;
		j->hour_local = local;
	}
	/* Lower-case copy and its FNV-1a hash in one pass (a call per
	 * byte here was a tenth of an IIS line's cost). */
	n = strlen(uri);
	buf_reset(&j->low);
	buf_grow(&j->low, n + 1);
	low = j->low.data;
	hash = 2166136261u;
	for (i = 0; i < n; i++) {
		j->low.data[i] = (char)kb_tolower((unsigned char)uri[i]);
		hash = (hash ^ (unsigned char)low[i]) * 16777619u;
	}
	j->low.data[n] = '\0';
	j->low.len = n;
	hash = (hash ^ (uint32_t)code) * 16777619u;
	j->q_uri = low;
	j->q_status = code;
	if ((k = hmap_find(&j->hmap, hash, hit_eq, j)) != (size_t)-1)
		return hit_minute_add(j->hits.v[k], mi, r->line) && code >= 400;
	if (j->hits.n >= HIT_KEYS_MAX)
		flush_hits(j);
	h = xcalloc(1, sizeof(*h));
	h->endpoint = xstrdup(low);
	h->status = code;
	hit_minute_add(h, mi, r->line);
	vec_push(&j->hits, h);
	hmap_put(&j->hmap, hash, j->hits.n - 1);
	return code >= 400;
}

/* A record not handed over: counted, its time kept. */
static void
quiet(struct job *j, const struct record *r)
{
	struct ingest_quiet *q = &j->quiet;
	int64_t t;

	q->records++;
	q->errors += r->sev == SEV_ERROR;
	q->warnings += r->sev == SEV_WARNING;
	if ((t = r->local_ms) == TIME_NONE)
		return;
	if (!r->utc && r->tz_min == TZ_UNKNOWN) {
		if (q->lfirst == TIME_NONE || t < q->lfirst)
			q->lfirst = t;
		if (q->llast == TIME_NONE || t > q->llast)
			q->llast = t;
		return;
	}
	if (!r->utc)
		t -= (int64_t)r->tz_min * 60000;
	if (q->first == TIME_NONE || t < q->first)
		q->first = t;
	if (q->last == TIME_NONE || t > q->last)
		q->last = t;
}

/* Hands over a client address seen for the first time in the file. */
static void
client(struct job *j, const struct record *r, const char *ip)
{
	struct record c;

	memset(&c, 0, sizeof(c));
	c.line = r->line;
	c.local_ms = r->local_ms;
	if (c.local_ms != TIME_NONE && !r->utc)
		c.local_ms = r->tz_min == TZ_UNKNOWN ? TIME_NONE :
		    c.local_ms - (int64_t)r->tz_min * 60000;
	c.msg = ip;
	c.msg_len = strlen(ip);
	pack(j, PK_CLIENT, &c, NULL);
}

/*
 * Records of a worker's file: scanned here; those worth keeping packed
 * for the writer, the others only counted.  IIS requests are counted
 * per minute and scanned only when kept.
 */
static void
wk_record(void *arg, const struct record *r)
{
	struct job *j = arg;
	struct signals sg;
	const char *uri = NULL, *ip = NULL, *status = NULL;

	if (r->nkv) {
		/* One pass over the pairs rather than a lookup each.  (A
		 * client's first request in the file is the evidence that it
		 * reached the server, whatever its status: noted apart.) */
		const char *reason = NULL;
		size_t i;
		for (i = 0; i < r->nkv; i++) {
			const char *k = r->kv[i].key;
			if (k[0] == 'u' && strcmp(k, "uri") == 0)
				uri = r->kv[i].value;
			else if (k[0] == 'r' && strcmp(k, "reason") == 0)
				reason = r->kv[i].value;
			else if (k[0] == 'c' && strcmp(k, "client_ip") == 0)
				ip = r->kv[i].value;
			else if (k[0] == 's' && strcmp(k, "status") == 0)
				status = r->kv[i].value;
		}
		if (uri && reason != NULL)
			uri = NULL;	/* HTTPERR: kept whole */
		if (ip && *ip && strcmp(ip, "-") != 0 && strlen(ip) <= IP_MAX &&
		    ipset_add(&j->ips, ip))
			client(j, r, ip);
	}
	if (uri) {
		if (!count_hit(j, r, uri, status)) {
			quiet(j, r);
			return;
		}
		signal_scan(r, &sg);
	} else {
		signal_scan(r, &sg);
		if (r->sev < SEV_WARNING && sg.n == 0 && r->nkv == 0) {
			quiet(j, r);
			return;
		}
	}
	pack(j, PK_RECORD, r, &sg);
}

static void
work(struct pipe *p, struct job *j)
{
	struct ingest *in;
	struct chunk *c;

	j->quiet.first = j->quiet.last = TIME_NONE;
	j->quiet.lfirst = j->quiet.llast = TIME_NONE;
	j->hour = -1;
	diag_capture(&j->diags);
	in = ingest_begin(j->label, j->name, TZ_UNKNOWN, j->zone, wk_record, j);
	in->capture = &j->diags;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (j->in.head == NULL && !j->in_eof)
			pthread_cond_wait(&p->cv, &p->mu);
		c = chunkq_pop(&j->in);
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (c == NULL)
			break;
		ingest_feed(in, c->data, c->n);
		free(c);
	}
	if (j->fd != -1) {
		unsigned char *b = xmalloc(PIPE_READ);
		ssize_t n;
		while ((n = read(j->fd, b, PIPE_READ)) != 0) {
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1) {
				diag(DIAG_ERROR, j->label, 0, 0, "cannot read: %s",
				    strerror(errno));
				break;
			}
			ingest_feed(in, b, (size_t)n);
		}
		free(b);
		close(j->fd);
		j->fd = -1;
	}
	ingest_end(in, &j->st);
	flush_hits(j);
	vec_free(&j->hits);
	hmap_free(&j->hmap);
	j->st.ips_full = j->ips.full;
	ipset_free(&j->ips);
	job_flush(j);
	diag_capture(NULL);
	pthread_mutex_lock(&p->mu);
	j->done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/*
 * The job a free worker takes (p->mu held), or NULL: the oldest one not
 * taken when every job before it is through, else the largest one not
 * taken.  Largest first keeps the workers busy to the end instead of
 * leaving the last big log to one of them; taking the oldest whenever
 * all before it are through means the file the writer waits for is
 * always being parsed or about to be, so the queue limits of job_flush()
 * cannot stop everything.
 */
static struct job *
pick(struct pipe *p)
{
	struct job *j, *oldest = NULL, *big = NULL;
	int before_done = 1;

	for (j = p->head; j != NULL; j = j->next) {
		if (j->started) {
			if (oldest == NULL && !j->done)
				before_done = 0;
			continue;
		}
		if (oldest == NULL)
			oldest = j;
		if (big == NULL || j->size > big->size)
			big = j;
	}
	return oldest == NULL || before_done ? oldest : big;
}

static void *
worker_main(void *arg)
{
	struct pipe *p = arg;
	struct job *j;

	pthread_setname_np(pthread_self(), "kbgen-parse");
	/* The writer is the one serial stage: when it has records to store
	 * it should run, not queue behind the parsers, or its backlog is
	 * all left for the end (Linux nices threads one by one). */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 5);
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while ((j = pick(p)) == NULL && !p->reader_done)
			pthread_cond_wait(&p->cv, &p->mu);
		if (j != NULL)
			j->started = 1;
		pthread_mutex_unlock(&p->mu);
		if (j == NULL)
			return NULL;
		work(p, j);
	}
}

/* ---- the writer: the calling thread ---------------------------------- */

static void
job_free(struct job *j)
{
	chunkq_free(&j->in);
	chunkq_free(&j->out);
	buf_free(&j->cur);
	buf_free(&j->diags);
	buf_free(&j->low);
	free(j->path);
	free(j->name);
	free(j->label);
	free(j);
}

/* The writer's room for a record's named values. */
struct kvroom {
	struct log_kv	*v;
	size_t		 cap;
};

/* Copies packed string s into dst (cap bytes, truncated); returns the
 * string after it. */
static const char *
copy_str(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s), k = n < cap ? n : cap - 1;

	memcpy(dst, s, k);
	dst[k] = '\0';
	return s + n + 1;
}

/* Unpacks a batch and hands its records to the sink. */
static void
unpack(const struct ingest_sink *sink, void *file, const struct chunk *c,
    struct kvroom *kvs)
{
	const unsigned char *p = c->data, *end = c->data + c->n;
	struct signals sg;
	struct record r;
	struct packed h;
	const char *s;
	size_t i;

	while (p < end) {
		memcpy(&h, p, sizeof(h));
		s = (const char *)p + sizeof(h);
		if (h.kind == PK_CLIENT) {
			sink->client(file, s, h.line, h.local_ms);
			p += h.size;
			continue;
		}
		if (h.kind == PK_HIT) {
			size_t at = (sizeof(h) + h.msg_len + 1 + 7) & ~(size_t)7;
			sink->hit(file, h.local_ms, !h.utc, s, h.sev,
			    (const struct hit_minute *)(const void *)(p + at),
			    h.nkv);
			p += h.size;
			continue;
		}
		memset(&r, 0, sizeof(r));
		r.line = h.line;
		r.end_line = h.end_line;
		r.offset = h.offset;
		r.local_ms = h.local_ms;
		r.tz_min = h.tz_min;
		r.utc = h.utc;
		r.sev = (enum log_sev)h.sev;
		if (h.comp_len >= 0) {
			r.component = s;
			s += h.comp_len + 1;
		}
		if (h.thread_len >= 0) {
			r.thread = s;
			s += h.thread_len + 1;
		}
		r.msg = s;
		r.msg_len = (size_t)h.msg_len;
		s += h.msg_len + 1;
		if (kvs->cap < h.nkv) {
			kvs->cap = h.nkv;
			kvs->v = xrealloc(kvs->v, kvs->cap * sizeof(*kvs->v));
		}
		for (i = 0; i < h.nkv; i++) {
			struct log_kv *kv = kvs->v + i;
			kv->key = s;
			s += strlen(s) + 1;
			kv->value = s;
			s += strlen(s) + 1;
		}
		r.kv = h.nkv ? kvs->v : NULL;
		r.nkv = h.nkv;
		sg.n = h.nsig;
		for (i = 0; i < h.nsig; i++) {
			memcpy(&sg.v[i].kind, s, sizeof(sg.v[i].kind));
			s += sizeof(sg.v[i].kind);
			s = copy_str(sg.v[i].value, sizeof(sg.v[i].value), s);
			s = copy_str(sg.v[i].raw, sizeof(sg.v[i].raw), s);
		}
		sink->record(file, &r, &sg);
		p += h.size;
	}
}

/* Worker threads: as many as processors, at most PIPE_WORKERS. */
static int
nworkers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	const char *e = getenv("KBGEN_THREADS");

	if (e != NULL && atoi(e) > 0)
		n = atoi(e);
	return n < 1 ? 1 : n > PIPE_WORKERS ? PIPE_WORKERS : (int)n;
}

int
ingest_bundle(const char *src, const struct bundle_limits *lim,
    const struct ingest_sink *sink)
{
	struct pipe p;
	pthread_t reader, workers[PIPE_WORKERS];
	struct kvroom kvs = { NULL, 0 };
	struct job *j;
	struct chunk *c;
	int i, nw = nworkers();

	memset(&p, 0, sizeof(p));
	p.sink = sink;
	p.src = src;
	p.lim = lim;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	if (pthread_create(&reader, NULL, reader_main, &p) != 0)
		die("cannot start a thread");
	for (i = 0; i < nw; i++)
		if (pthread_create(&workers[i], NULL, worker_main, &p) != 0)
			die("cannot start a thread");
	for (;;) {
		void *file;
		pthread_mutex_lock(&p.mu);
		while (p.head == NULL && !p.reader_done)
			pthread_cond_wait(&p.cv, &p.mu);
		j = p.head;
		pthread_mutex_unlock(&p.mu);
		if (j == NULL)
			break;
		file = sink->begin(sink->arg, j->path, j->name);
		for (;;) {
			pthread_mutex_lock(&p.mu);
			while (j->out.head == NULL && !j->done)
				pthread_cond_wait(&p.cv, &p.mu);
			if ((c = chunkq_pop(&j->out)) != NULL)
				p.out_total -= c->n;
			pthread_cond_broadcast(&p.cv);
			pthread_mutex_unlock(&p.mu);
			if (c == NULL)
				break;
			unpack(sink, file, c, &kvs);
			free(c);
		}
		/* The file's diagnostics, in bundle order. */
		if (j->diags.len)
			fputs(buf_str(&j->diags), stderr);
		sink->end(file, &j->st, &j->quiet);
		pthread_mutex_lock(&p.mu);
		if ((p.head = j->next) == NULL)
			p.tail = NULL;
		p.njobs--;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
		job_free(j);
	}
	pthread_join(reader, NULL);
	for (i = 0; i < nw; i++)
		pthread_join(workers[i], NULL);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	free(kvs.v);
	return p.rc;
}
