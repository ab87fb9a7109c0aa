/*
 * site_out.c -- writing the site: pages only when their bytes change,
 * folders on demand, the manifest of page signatures that lets a rebuild
 * skip unchanged pages and remove pages that are gone, and the
 * signature hash.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha1.h>
#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "mustache.h"
#include "site.h"

#define MANIFEST	".kbgen-site"
#define MANIFEST_MAGIC	"kbgen-site 1"

/* One page produced by a run. */
struct mentry {
	char	*path;
	char	*sig;
	char	*note;
	int	 kept;		/* old entry: produced again by this run */
};

/* The regular files of one site folder, listed once a run. */
struct flist {
	char		*dir;		/* below the site root, "" for it */
	char		**names;	/* sorted */
	size_t		 n;
};

struct site_manifest {
	struct buf	 text;		/* the old manifest, entries point in */
	struct mentry	*old;		/* sorted by path */
	size_t		 nold;
	struct vec	 now;		/* struct mentry *, this run */
	struct vec	 lists;		/* struct flist *, for is_page() */
	pthread_mutex_t	 mu;		/* guards lists */
};

/*
 * A signature hashes a few hundred short strings a page; they are
 * gathered in buf and handed to SHA-1 a block at a time (a call per
 * string cost more than the hashing).  The digest is the SHA-1 of the
 * same bytes either way.
 */
struct site_hash {
	struct sha1_ctx	 c;
	size_t		 n;
	uint8_t		 buf[4096];
};

struct site_hash *
site_hash_new(void)
{
	struct site_hash *h = xmalloc(sizeof(*h));

	sha1_init(&h->c);
	h->n = 0;
	return h;
}

static void
site_hash_put(struct site_hash *h, const void *p, size_t n)
{
	if (h->n + n > sizeof(h->buf)) {
		sha1_update(&h->c, h->n, h->buf);
		h->n = 0;
		if (n > sizeof(h->buf)) {
			sha1_update(&h->c, n, p);
			return;
		}
	}
	memcpy(h->buf + h->n, p, n);
	h->n += n;
}

/* Strings are hashed with their terminating NUL, so fields never run
 * into each other; NULL hashes as one 0xff byte. */
void
site_hash_str(struct site_hash *h, const char *s)
{
	static const uint8_t none = 0xff;

	if (s == NULL)
		site_hash_put(h, &none, 1);
	else
		site_hash_put(h, s, strlen(s) + 1);
}

/* Integers are hashed as 8 bytes, least significant first. */
void
site_hash_int(struct site_hash *h, int64_t v)
{
	uint8_t b[8];

	kb_le64(b, v);
	site_hash_put(h, b, sizeof(b));
}

void
site_hash_end(struct site_hash *h, char out[41])
{
	unsigned char d[SHA1_DIGEST_SIZE];

	sha1_update(&h->c, h->n, h->buf);
	sha1_digest(&h->c, sizeof(d), d);
	hex_encode(d, sizeof(d), out);
	free(h);
}

static int
mentry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mentry *)a)->path,
	    ((const struct mentry *)b)->path);
}

static int
mentry_pcmp(const void *a, const void *b)
{
	return mentry_cmp(*(const struct mentry *const *)a,
	    *(const struct mentry *const *)b);
}

/* Splits one manifest line "path TAB sig TAB note" in place. */
static int
parse_line(char *line, struct mentry *e)
{
	char *t1 = strchr(line, '\t'), *t2;

	if (t1 == NULL || (t2 = strchr(t1 + 1, '\t')) == NULL)
		return -1;
	*t1 = *t2 = '\0';
	/* Pages are below OUT: never let an edited manifest name others. */
	if (line[0] == '/' || strcmp(line, "..") == 0 ||
	    strncmp(line, "../", 3) == 0 || strstr(line, "/../") != NULL ||
	    (strlen(line) >= 3 && strcmp(line + strlen(line) - 3, "/..") == 0))
		return -1;
	e->path = line;
	e->sig = t1 + 1;
	e->note = t2 + 1;
	e->kept = 0;
	return 0;
}

/*
 * Reads OUT/.kbgen-site.  A missing or foreign file is an empty
 * manifest: every page is then rendered (and written only if changed).
 */
struct site_manifest *
site_manifest_load(const char *out)
{
	struct site_manifest *m = xcalloc(1, sizeof(*m));
	char *path = xasprintf("%s/%s", out, MANIFEST), *p, *nl;
	size_t cap = 0;

	pthread_mutex_init(&m->mu, NULL);
	if (file_read(path, &m->text) == 0 &&
	    strncmp(buf_str(&m->text), MANIFEST_MAGIC "\n",
	    sizeof(MANIFEST_MAGIC)) == 0) {
		for (p = m->text.data + sizeof(MANIFEST_MAGIC); *p; p = nl + 1) {
			if ((nl = strchr(p, '\n')) == NULL)
				break;
			*nl = '\0';
			if (m->nold == cap) {
				cap = cap ? cap * 2 : 256;
				m->old = xrealloc(m->old, cap * sizeof(*m->old));
			}
			if (parse_line(p, &m->old[m->nold]) == 0)
				m->nold++;
		}
		kb_qsort(m->old, m->nold, sizeof(*m->old), mentry_cmp);
	}
	free(path);
	return m;
}

static struct mentry *
old_find(struct site_manifest *m, const char *path)
{
	struct mentry key;

	key.path = (char *)path;
	return m->nold ? bsearch(&key, m->old, m->nold, sizeof(*m->old),
	    mentry_cmp) : NULL;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the regular files (or links to one) of out/dir. */
static struct flist *
flist_read(const char *out, const char *dir)
{
	struct flist *l = xcalloc(1, sizeof(*l));
	char *full = xasprintf("%s/%s", out, dir);
	struct dirent *d;
	struct vec v = {0};
	DIR *dp;

	l->dir = xstrdup(dir);
	if ((dp = opendir(full)) != NULL) {
		while ((d = readdir(dp)) != NULL) {
			struct stat sb;
			char *f;
			if (d->d_type == DT_REG) {
				vec_push(&v, xstrdup(d->d_name));
				continue;
			}
			if (d->d_type != DT_UNKNOWN && d->d_type != DT_LNK)
				continue;
			f = xasprintf("%s/%s", full, d->d_name);
			if (stat(f, &sb) == 0 && S_ISREG(sb.st_mode))
				vec_push(&v, xstrdup(d->d_name));
			free(f);
		}
		closedir(dp);
	}
	free(full);
	kb_qsort(v.v, v.n, sizeof(*v.v), name_cmp);
	l->names = (char **)v.v;
	l->n = v.n;
	return l;
}

/*
 * Is out/path a regular file?  Each folder is read once (a rebuild asks
 * about every page, and a stat() each cost more than all the rest of
 * checking them); a page is asked about before this run writes it.
 */
static int
is_page(struct site_manifest *m, const char *out, const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 :
	    path;
	size_t dlen = slash ? (size_t)(slash - path) : 0, i;
	struct flist *l = NULL;
	int found;

	pthread_mutex_lock(&m->mu);
	for (i = 0; i < m->lists.n && l == NULL; i++) {
		struct flist *x = m->lists.v[i];
		if (strlen(x->dir) == dlen && strncmp(x->dir, path, dlen) == 0)
			l = x;
	}
	if (l == NULL) {
		char *dir = xstrndup(path, dlen);
		l = flist_read(out, dir);
		free(dir);
		vec_push(&m->lists, l);
	}
	found = l->n > 0 && bsearch(&base, l->names, l->n, sizeof(*l->names),
	    name_cmp) != NULL;
	pthread_mutex_unlock(&m->mu);
	return found;
}

int
site_manifest_fresh(struct site_manifest *m, const char *out,
    const char *path, const char *sig, const char **note)
{
	struct mentry *e = old_find(m, path);
	int ok;

	if (e == NULL || strcmp(e->sig, sig) != 0)
		return 0;
	ok = is_page(m, out, path);
	if (ok && note)
		*note = e->note;
	return ok;
}

void
site_manifest_put(struct site_manifest *m, const char *path, const char *sig,
    const char *note)
{
	struct mentry *e = xcalloc(1, sizeof(*e)), *o;

	e->path = xstrdup(path);
	e->sig = xstrdup(sig ? sig : "-");
	e->note = xstrdup(note ? note : "");
	vec_push(&m->now, e);
	if ((o = old_find(m, path)) != NULL)
		o->kept = 1;
}

int
site_manifest_has(const struct site_manifest *m, const char *path)
{
	size_t i;

	for (i = 0; i < m->now.n; i++)
		if (strcmp(((struct mentry *)m->now.v[i])->path, path) == 0)
			return 1;
	return 0;
}

static void dirs_clear(void);

/* Removes a page of the last run, and its folders when they empty. */
static void
remove_page(const char *out, const char *path)
{
	char *full = xasprintf("%s/%s", out, path), *slash;

	if (unlink(full) == 0)
		while ((slash = strrchr(full, '/')) != NULL &&
		    (size_t)(slash - full) > strlen(out)) {
			*slash = '\0';
			if (rmdir(full) == -1)
				break;
		}
	free(full);
}

void
site_manifest_finish(struct site_manifest *m, struct site *s)
{
	struct buf b = {0};
	size_t i;

	dirs_clear();
	for (i = 0; i < m->nold; i++)
		if (!m->old[i].kept)
			remove_page(s->out, m->old[i].path);
	kb_qsort(m->now.v, m->now.n, sizeof(*m->now.v), mentry_pcmp);
	buf_puts(&b, MANIFEST_MAGIC "\n");
	for (i = 0; i < m->now.n; i++) {
		struct mentry *e = m->now.v[i];
		buf_printf(&b, "%s\t%s\t%s\n", e->path, e->sig, e->note);
		free(e->path);
		free(e->sig);
		free(e->note);
		free(e);
	}
	site_write(s, MANIFEST, b.data, b.len);
	dirs_clear();
	buf_free(&b);
	vec_free(&m->now);
	for (i = 0; i < m->lists.n; i++) {
		struct flist *l = m->lists.v[i];
		size_t k;
		for (k = 0; k < l->n; k++)
			free(l->names[k]);
		free(l->names);
		free(l->dir);
		free(l);
	}
	vec_free(&m->lists);
	pthread_mutex_destroy(&m->mu);
	free(m->old);
	buf_free(&m->text);
	free(m);
}

int
site_mkdirs(const char *dir)
{
	char *p = xstrdup(dir), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			goto fail;
		*s = '/';
	}
	if (mkdir(p, 0755) == -1 && errno != EEXIST)
		goto fail;
	free(p);
	return 0;
fail:
	diag(DIAG_ERROR, p, 0, 0, "cannot create folder: %s", strerror(errno));
	free(p);
	return -1;
}

/*
 * Does the file at path hold exactly data?  Compared through a small
 * buffer: a rebuild must not hold a second copy of every page it
 * renders again.
 */
static int
same_bytes(const char *path, const char *data, size_t len)
{
	char chunk[65536];
	struct stat sb;
	size_t off = 0;
	ssize_t n;
	int fd, same = 1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size != len) {
		close(fd);
		return 0;
	}
	while (same && off < len) {
		n = read(fd, chunk, len - off < sizeof(chunk) ? len - off :
		    sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || memcmp(chunk, data + off, (size_t)n) != 0)
			same = 0;
		else
			off += (size_t)n;
	}
	/* Still the same length: nothing was appended meanwhile. */
	if (same && (n = read(fd, chunk, 1)) != 0)
		same = 0;
	close(fd);
	return same;
}

/*
 * Folders known to exist, so that each is made once per run and a page
 * costs no mkdir() calls: a fresh site makes thousands of them.  Shared
 * by the worker threads that write pages.
 */
static pthread_mutex_t dirs_mu = PTHREAD_MUTEX_INITIALIZER;
static struct vec dirs;		/* char *, sorted */

static int
dirs_find(const char *dir, size_t *at)
{
	size_t lo = 0, hi = dirs.n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(dirs.v[mid], dir);
		if (c == 0) {
			*at = mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return 0;
}

static int
dirs_known(const char *dir)
{
	size_t at;
	int r;

	pthread_mutex_lock(&dirs_mu);
	r = dirs_find(dir, &at);
	pthread_mutex_unlock(&dirs_mu);
	return r;
}

static void
dirs_add(const char *dir)
{
	size_t at;

	pthread_mutex_lock(&dirs_mu);
	if (!dirs_find(dir, &at)) {
		vec_push(&dirs, NULL);
		memmove(&dirs.v[at + 1], &dirs.v[at],
		    (dirs.n - 1 - at) * sizeof(*dirs.v));
		dirs.v[at] = xstrdup(dir);
	}
	pthread_mutex_unlock(&dirs_mu);
}

/* Forgets the folders (a run ends: pages may be removed after it). */
static void
dirs_clear(void)
{
	size_t i;

	pthread_mutex_lock(&dirs_mu);
	for (i = 0; i < dirs.n; i++)
		free(dirs.v[i]);
	vec_free(&dirs);
	pthread_mutex_unlock(&dirs_mu);
}

/* Makes dir and the folders above it that are not known to exist. */
static int
make_dir(char *dir)
{
	char *slash;
	int rc = 0;

	if (*dir == '\0' || dirs_known(dir))
		return 0;
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		if (errno != ENOENT || (slash = strrchr(dir, '/')) == NULL ||
		    slash == dir)
			return site_mkdirs(dir);
		*slash = '\0';
		rc = make_dir(dir);
		*slash = '/';
		if (rc == 0 && mkdir(dir, 0755) == -1 && errno != EEXIST)
			return site_mkdirs(dir);	/* says why */
	}
	if (rc == 0)
		dirs_add(dir);
	return rc;
}

/* Creates the folders above the file path. */
static int
parent_dirs(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash != NULL) {
		*slash = '\0';
		rc = make_dir(dir);
	}
	free(dir);
	return rc;
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * A page that no earlier run recorded is created in place: when there is
 * no file yet, no reader can see half of an old page, and should this
 * run stop half-way, the next one finds no manifest entry for it and
 * writes it again.  Returns 1 written, 0 when the file exists (write it
 * the safe way), -1 after an error (errno set).
 */
static int
write_new(struct site *s, const char *path, const char *full,
    const char *data, size_t len)
{
	int fd, ok, e;

	if (s->man == NULL || old_find(s->man, path) != NULL ||
	    strcmp(path, MANIFEST) == 0)
		return 0;
	if (parent_dirs(full) == -1)
		return -1;
	if ((fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) == -1)
		return errno == EEXIST ? 0 : -1;
	ok = write_all(fd, data, len) == 0;
	e = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	if (!ok) {
		unlink(full);
		errno = e;
		return -1;
	}
	return 1;
}

/*
 * Safe on worker threads: the counters are atomic, and the folders
 * shared.  A page that may exist is written to PATH.tmp and renamed, so
 * that no reader (and no later run) ever sees half a page.
 */
int
site_write(struct site *s, const char *path, const char *data, size_t len)
{
	char *full = xasprintf("%s/%s", s->out, path), *tmp;
	int fd, rc = 1, ok, e = 0;

	if ((ok = write_new(s, path, full, data, len)) != 0) {
		if (ok == 1)
			__atomic_add_fetch(&s->written, 1, __ATOMIC_RELAXED);
		else {
			diag(DIAG_ERROR, full, 0, 0, "cannot write: %s",
			    strerror(errno));
			__atomic_store_n(&s->rc, -1, __ATOMIC_RELAXED);
		}
		free(full);
		return ok;
	}
	if (same_bytes(full, data, len)) {
		free(full);
		return 0;
	}
	tmp = xasprintf("%s.tmp", full);
	if (parent_dirs(full) == -1)
		fd = -1;
	else if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0666)) == -1 && errno == ENOENT) {
		/* A folder went away under us: make it again. */
		dirs_clear();
		if (parent_dirs(full) == 0)
			fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC |
			    O_CLOEXEC, 0666);
	}
	ok = fd != -1 && write_all(fd, data, len) == 0;
	if (!ok)
		e = errno;
	if (fd != -1 && close(fd) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	if (ok && rename(tmp, full) != 0) {
		ok = 0;
		e = errno;
	}
	if (!ok) {
		diag(DIAG_ERROR, full, 0, 0, "cannot write: %s", strerror(e));
		unlink(tmp);
		__atomic_store_n(&s->rc, -1, __ATOMIC_RELAXED);
		rc = -1;
	} else
		__atomic_add_fetch(&s->written, 1, __ATOMIC_RELAXED);
	free(tmp);
	free(full);
	return rc;
}
