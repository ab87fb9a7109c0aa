/*
 * util.c -- allocation wrappers, buffers, vectors, diagnostics, hashing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>

#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "util.h"

int diag_quiet;
static enum diag_level worst = DIAG_NOTE;
static pthread_mutex_t worst_mu = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct buf *diag_sink;

void
diag_capture(struct buf *b)
{
	diag_sink = b;
}

void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("kbgen: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FATAL);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		die("out of memory");
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;

	va_start(ap, fmt);
	{
		va_list cp;
		int n;

		va_copy(cp, ap);
		n = vsnprintf(NULL, 0, fmt, cp);
		va_end(cp);
		if (n < 0)
			die("bad format");
		buf_grow(&b, (size_t)n + 1);
		vsnprintf(b.data, (size_t)n + 1, fmt, ap);
		b.len = (size_t)n;
	}
	va_end(ap);
	return buf_detach(&b);
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		die("buffer too large");
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	if (b->cap < 64)
		b->cap = 64;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
	b->data = xrealloc(b->data, b->cap);
}

void
buf_put(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap, cp;
	int n;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		die("bad format");
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	va_end(ap);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
buf_detach(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_trim(struct buf *b)
{
	size_t s = 0;

	while (b->len && kb_isspace((unsigned char)b->data[b->len - 1]))
		b->len--;
	while (s < b->len && kb_isspace((unsigned char)b->data[s]))
		s++;
	if (s)
		memmove(b->data, b->data + s, b->len - s);
	b->len -= s;
	if (b->data)
		b->data[b->len] = '\0';
}

const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

void
vec_push(struct vec *v, void *p)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = xrealloc(v->v, v->cap * sizeof(*v->v));
	}
	v->v[v->n++] = p;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
vec_sort_str(struct vec *v)
{
	if (v->n > 1)
		qsort(v->v, v->n, sizeof(*v->v), str_cmp);
}

void
vec_free(struct vec *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

size_t
kb_utoa(uint64_t v, char d[20])
{
	char t[20];
	size_t n = 0, k;

	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (k = 0; k < n; k++)
		d[k] = t[n - 1 - k];
	return n;
}

void
chunkq_push(struct chunkq *q, struct chunk *c)
{
	c->next = NULL;
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	q->bytes += c->n;
}

struct chunk *
chunkq_pop(struct chunkq *q)
{
	struct chunk *c = q->head;

	if (c == NULL)
		return NULL;
	if ((q->head = c->next) == NULL)
		q->tail = NULL;
	q->bytes -= c->n;
	return c;
}

void
chunkq_free(struct chunkq *q)
{
	struct chunk *c;

	while ((c = chunkq_pop(q)) != NULL)
		free(c);
}

/*
 * The first slot of hash h: its bits mixed first, as some keys' hashes
 * vary only in their high bits (a minute in ms is a multiple of 32).
 */
static size_t
hmap_slot(uint64_t h, size_t cap)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & (cap - 1);
}

size_t
hmap_find(const struct hmap *m, uint64_t h, int (*eq)(void *, size_t),
    void *arg)
{
	size_t i;

	if (m->n == 0)
		return (size_t)-1;
	for (i = hmap_slot(h, m->cap); m->v[i]; i = (i + 1) & (m->cap - 1))
		if (m->h[i] == h && eq(arg, m->v[i] - 1))
			return m->v[i] - 1;
	return (size_t)-1;
}

void
hmap_put(struct hmap *m, uint64_t h, size_t idx)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct hmap o = *m;
		m->cap = o.cap ? o.cap * 2 : 64;
		m->h = xcalloc(m->cap, sizeof(*m->h));
		m->v = xcalloc(m->cap, sizeof(*m->v));
		m->n = 0;
		for (i = 0; i < o.cap; i++)
			if (o.v[i])
				hmap_put(m, o.h[i], o.v[i] - 1);
		free(o.h);
		free(o.v);
	}
	for (i = hmap_slot(h, m->cap); m->v[i]; i = (i + 1) & (m->cap - 1))
		;
	m->h[i] = h;
	m->v[i] = idx + 1;
	m->n++;
}

void
hmap_clear(struct hmap *m)
{
	if (m->n)
		memset(m->v, 0, m->cap * sizeof(*m->v));
	m->n = 0;
}

void
hmap_free(struct hmap *m)
{
	free(m->h);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

struct chunk *
chunk_new(const void *data, size_t n)
{
	struct chunk *c = xmalloc(sizeof(*c) + n);

	c->n = n;
	memcpy(c->data, data, n);
	return c;
}

static const char *const levels[] = { "note", "warning", "error", "fatal" };

void
vdiag(enum diag_level lvl, const char *file, long line, long col,
    const char *fmt, va_list ap)
{
	struct buf b = {0};
	va_list cp;
	int n;

	pthread_mutex_lock(&worst_mu);
	if (lvl > worst)
		worst = lvl;
	pthread_mutex_unlock(&worst_mu);
	if (diag_quiet && lvl < DIAG_ERROR)
		return;
	buf_puts(&b, "kbgen: ");
	if (file != NULL) {
		buf_puts(&b, file);
		if (line > 0) {
			buf_printf(&b, ":%ld", line);
			if (col > 0)
				buf_printf(&b, ":%ld", col);
		}
		buf_puts(&b, ": ");
	}
	buf_printf(&b, "%s: ", levels[lvl]);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n > 0) {
		buf_grow(&b, (size_t)n);
		vsnprintf(b.data + b.len, (size_t)n + 1, fmt, ap);
		b.len += (size_t)n;
	}
	buf_putc(&b, '\n');
	if (diag_sink != NULL)
		buf_put(diag_sink, b.data, b.len);
	else
		fputs(b.data, stderr);
	buf_free(&b);
}

void
diag(enum diag_level lvl, const char *file, long line, long col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(lvl, file, line, col, fmt, ap);
	va_end(ap);
}

enum diag_level
diag_worst(void)
{
	enum diag_level w;

	pthread_mutex_lock(&worst_mu);
	w = worst;
	pthread_mutex_unlock(&worst_mu);
	return w;
}

const char *
path_base(const char *name)
{
	const char *p;

	if (name == NULL)
		return "";
	for (p = name; *name; name++)
		if (*name == '/' || *name == '\\')
			p = name + 1;
	return p;
}

int
file_read(const char *path, struct buf *b)
{
	int fd;
	struct stat st;
	ssize_t n;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		buf_grow(b, (size_t)st.st_size);
	for (;;) {
		buf_grow(b, 65536);
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	b->data[b->len] = '\0';
	close(fd);
	return 0;
}

void
hex_encode(const unsigned char *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void
sha1_hex(const void *p, size_t n, char out[41])
{
	struct sha1_ctx c;
	unsigned char d[SHA1_DIGEST_SIZE];

	sha1_init(&c);
	sha1_update(&c, n, p);
	sha1_digest(&c, sizeof(d), d);
	hex_encode(d, sizeof(d), out);
}

void
sha256_hex(const void *p, size_t n, char out[65])
{
	struct sha256_ctx c;
	unsigned char d[SHA256_DIGEST_SIZE];

	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, sizeof(d), d);
	hex_encode(d, sizeof(d), out);
}

int
kb_strncasecmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		int d = kb_tolower((unsigned char)*a) - kb_tolower((unsigned char)*b);
		if (d || *a == '\0')
			return d;
	}
	return 0;
}

int
kb_strcasecmp(const char *a, const char *b)
{
	return kb_strncasecmp(a, b, SIZE_MAX);
}

int
write_output(const char *path, const char *data, size_t len)
{
	char *tmp;
	FILE *f;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		if (len && fwrite(data, 1, len, stdout) != len)
			return -1;
		return fflush(stdout) == 0 ? 0 : -1;
	}
	tmp = xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	fchmod(fd, 0644);
	if ((len && fwrite(data, 1, len, f) != len) || fflush(f) != 0 ||
	    fsync(fd) != 0) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		fclose(f);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) == -1) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int
str_ends_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && kb_strcasecmp(s + n - k, suffix) == 0;
}
