/*
 * site_out.c -- writing the site: pages only when their bytes change,
 * folders on demand, the manifest of page signatures that lets a rebuild
 * skip unchanged pages and remove pages that are gone, and the
 * signature hash.
 */
#include <errno.h>
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

struct site_manifest {
	struct buf	 text;		/* the old manifest, entries point in */
	struct mentry	*old;		/* sorted by path */
	size_t		 nold;
	struct vec	 now;		/* struct mentry *, this run */
};

struct site_hash {
	struct sha1_ctx	 c;
};

struct site_hash *
site_hash_new(void)
{
	struct site_hash *h = xmalloc(sizeof(*h));

	sha1_init(&h->c);
	return h;
}

/* Strings are hashed with their terminating NUL, so fields never run
 * into each other; NULL hashes as one 0xff byte. */
void
site_hash_str(struct site_hash *h, const char *s)
{
	static const uint8_t none = 0xff;

	if (s == NULL)
		sha1_update(&h->c, 1, &none);
	else
		sha1_update(&h->c, strlen(s) + 1, (const uint8_t *)s);
}

/* Integers are hashed as 8 bytes, least significant first. */
void
site_hash_int(struct site_hash *h, int64_t v)
{
	uint8_t b[8];
	uint64_t u = (uint64_t)v;
	int i;

	for (i = 0; i < 8; i++, u >>= 8)
		b[i] = (uint8_t)u;
	sha1_update(&h->c, sizeof(b), b);
}

void
site_hash_end(struct site_hash *h, char out[41])
{
	unsigned char d[SHA1_DIGEST_SIZE];

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

int
site_manifest_fresh(struct site_manifest *m, const char *out,
    const char *path, const char *sig, const char **note)
{
	struct mentry *e = old_find(m, path);
	struct stat sb;
	char *full;
	int ok;

	if (e == NULL || strcmp(e->sig, sig) != 0)
		return 0;
	full = xasprintf("%s/%s", out, path);
	ok = stat(full, &sb) == 0 && S_ISREG(sb.st_mode);
	free(full);
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
	buf_free(&b);
	vec_free(&m->now);
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

/* Does the file at path hold exactly data? */
static int
same_bytes(const char *path, const char *data, size_t len)
{
	struct buf old = {0};
	struct stat sb;
	int same;

	if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size != len)
		return 0;
	same = file_read(path, &old) == 0 && old.len == len &&
	    memcmp(old.data, data, len) == 0;
	buf_free(&old);
	return same;
}

/* Creates the folders above the file path. */
static int
parent_dirs(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash != NULL) {
		*slash = '\0';
		rc = site_mkdirs(dir);
	}
	free(dir);
	return rc;
}

int
site_write(struct site *s, const char *path, const char *data, size_t len)
{
	char *full = xasprintf("%s/%s", s->out, path), *tmp;
	FILE *f;
	int rc = 1, ok;

	if (same_bytes(full, data, len)) {
		free(full);
		return 0;
	}
	tmp = xasprintf("%s.tmp", full);
	if ((f = fopen(tmp, "w")) == NULL && errno == ENOENT &&
	    parent_dirs(full) == 0)
		f = fopen(tmp, "w");
	ok = f != NULL && fwrite(data, 1, len, f) == len;
	if (f != NULL && fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, full) != 0) {
		diag(DIAG_ERROR, full, 0, 0, "cannot write: %s", strerror(errno));
		unlink(tmp);
		s->rc = rc = -1;
	} else
		s->written++;
	free(tmp);
	free(full);
	return rc;
}
