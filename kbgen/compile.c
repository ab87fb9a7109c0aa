/*
 * compile.c -- `kbgen compile`: article files into the knowledge base.
 *
 * One write transaction for the whole command and a savepoint per file:
 * a file that fails leaves what the KB had for it, and a kill midway
 * leaves the KB exactly as before the command (SQLite rolls back).
 * Unchanged files are skipped on size + mtime, then on SHA-1, and
 * unchanged folders are not read again (the folder cache, struct
 * fc_row), so a recompile costs a stat() per file and per folder.
 *
 * A KB that does not exist yet is built in a temporary file renamed into
 * place at the end (db_create, db_publish): a kill leaves no KB, so no
 * savepoints and no journal on disk are needed, and its full-text index
 * is built on a thread of its own (struct indexer).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha1.h>
#include <sqlite3.h>

#include "util.h"
#include "article.h"
#include "db.h"
#include "encoding.h"
#include "compile.h"

/* Largest article file we read; anything bigger is not an article. */
#define MAX_ARTICLE_BYTES (64u * 1024 * 1024)

/* One input file found on the command line or under a folder. */
struct input {
	char	*path;		/* canonical (realpath) */
	char	*display;	/* as the user would write it */
	struct stat sb;		/* from the folder walk, when have_sb */
	int	 have_sb;
	/* What the KB holds for the path, found by prune()'s scans (one
	 * pass over the paths in order instead of a look-up a file). */
	int	 known;		/* 1: a version (vid); 2: a copy (alias) */
	int64_t	 vid, bytes, mtime_ns;
	char	 sha1[41];
};

static int	worker_count(void);
static void	phase(double *, const char *);
static void	thread_cpu(const char *);

/* a + "/" + b, malloc'd: the walk makes two per entry (no printf). */
static char *
path_join(const char *a, const char *b)
{
	size_t an = strlen(a), bn = strlen(b);
	char *p = xmalloc(an + bn + 2);

	memcpy(p, a, an);
	p[an] = '/';
	memcpy(p + an + 1, b, bn + 1);
	return p;
}

/* Does the file name end in an extension we compile from folders? */
static int
article_ext(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && (kb_strcasecmp(dot, ".md") == 0 ||
	    kb_strcasecmp(dot, ".markdown") == 0 ||
	    kb_strcasecmp(dot, ".txt") == 0);
}

/* Adds a file, canonicalized; unreadable paths are reported. */
static void
add_input(struct vec *in, const char *display)
{
	char real[PATH_MAX];
	struct input *i;

	if (realpath(display, real) == NULL) {
		diag(DIAG_ERROR, display, 0, 0, "cannot open: %s", strerror(errno));
		return;
	}
	i = xcalloc(1, sizeof(*i));
	i->path = xstrdup(real);
	i->display = xstrdup(display);
	vec_push(in, i);
}

/*
 * The folder cache (schema5.sql): what the walk last read from each
 * folder under the roots.  A folder whose device, inode, mtime and ctime
 * are still those of its row lists the same entries, so the walk takes
 * them from the row (one stat() of the folder) instead of opening and
 * reading it (four system calls).  Rows are loaded before the walk
 * threads start; the threads then only read the map and set seen, each
 * on the rows of the folders it walks (a folder belongs to one thread),
 * and hand new rows to the main thread, which writes them in the
 * compile's transaction (fcache_store).
 */
struct fc_row {
	char	*path;		/* canonical */
	int64_t	 dev, ino;
	int64_t	 mtime_ns, ctime_ns;
	int64_t	 read_ns;	/* wall clock when read (no later) */
	uint64_t hash;		/* fc_hash(path) */
	char	*entries;	/* type byte, name, NUL; again (see schema5.sql) */
	size_t	 len;
	int	 seen;		/* walked by this compile: keep or replace */
};

/* The hash is beside the row: a probe touches only the slot array. */
struct fc_slot {
	uint64_t	 hash;
	struct fc_row	*row;		/* NULL: free */
};

struct fcache {
	struct fc_slot	*slots;		/* open addressing; cap a power of 2 */
	size_t		 cap, n;
	int		 loads;		/* roots loaded */
	struct vec	 rows;		/* struct fc_row *, as loaded */
	struct vec	 put;		/* struct fc_row *, read now, to store */
	int64_t		 now_ns;	/* wall clock before the walk */
	size_t		 nread, ncached;	/* folders, for $KBGEN_TIMING */
};

/*
 * A row is trusted only when its folder had not changed for this long
 * before it was read: a change in the same timestamp tick (or within
 * FAT's two-second mtime) leaves the mtime as it was ("racy git").
 */
#define FC_RACY_NS ((int64_t)2000000000)

static int64_t
ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* A hash of n bytes, a word at a time (paths are long). */
static uint64_t
fc_hash(const char *s, size_t n)
{
	uint64_t h = (uint64_t)n * 0x9e3779b97f4a7c15u, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xff51afd7ed558ccdu;
	/* MurmurHash3's finalizer: the table takes the low bits. */
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return h;
}

static struct fc_row *
fcache_find(const struct fcache *fc, const char *path, uint64_t h)
{
	const struct fc_slot *sl;
	size_t i;

	if (fc->n == 0)
		return NULL;
	for (i = h & (fc->cap - 1); (sl = &fc->slots[i])->row != NULL;
	    i = (i + 1) & (fc->cap - 1))
		if (sl->hash == h && strcmp(sl->row->path, path) == 0)
			return sl->row;
	return NULL;
}

static void
fc_slot_put(struct fc_slot *slots, size_t cap, uint64_t h, struct fc_row *r)
{
	size_t i;

	for (i = h & (cap - 1); slots[i].row != NULL; i = (i + 1) & (cap - 1))
		;
	slots[i].hash = h;
	slots[i].row = r;
}

static void
fcache_add(struct fcache *fc, struct fc_row *r)
{
	size_t k;

	if (2 * (fc->n + 1) > fc->cap) {
		struct fc_slot *old = fc->slots;
		size_t oldcap = fc->cap;
		fc->cap = oldcap ? 2 * oldcap : 4096;
		fc->slots = xcalloc(fc->cap, sizeof(*fc->slots));
		for (k = 0; k < oldcap; k++)
			if (old[k].row != NULL)
				fc_slot_put(fc->slots, fc->cap, old[k].hash,
				    old[k].row);
		free(old);
	}
	fc_slot_put(fc->slots, fc->cap, r->hash, r);
	fc->n++;
	vec_push(&fc->rows, r);
}

/* A row in one allocation: the struct, its path and its entries. */
static struct fc_row *
fc_row_new(const char *path, const struct stat *sb, int64_t read_ns,
    const char *entries, size_t len)
{
	size_t plen = strlen(path);
	struct fc_row *r = xmalloc(sizeof(*r) + plen + 1 + len + 1);

	r->path = (char *)(r + 1);
	memcpy(r->path, path, plen + 1);
	r->entries = r->path + plen + 1;
	if (len)
		memcpy(r->entries, entries, len);
	r->entries[len] = '\0';
	r->len = len;
	r->seen = 0;
	r->read_ns = read_ns;
	r->hash = fc_hash(path, plen);
	if (sb != NULL) {
		r->dev = (int64_t)sb->st_dev;
		r->ino = (int64_t)sb->st_ino;
		r->mtime_ns = ts_ns(&sb->st_mtim);
		r->ctime_ns = ts_ns(&sb->st_ctim);
	}
	return r;
}

/*
 * Are entries a well-formed list?  A row that is not (a KB edited by
 * hand) is not used: its folder is read again and the row replaced.
 */
static int
fc_entries_ok(const char *p, size_t len)
{
	const char *end, *nul;

	if (len == 0)		/* an empty folder (p may be NULL) */
		return 1;
	for (end = p + len; p < end; ) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL ||
		    nul - p < 2 || p[1] == '.' || memchr(p + 1, '/',
		    (size_t)(nul - p - 1)) != NULL)
			return 0;
		p = nul + 1;
	}
	return 1;
}

/* Loads the rows of the folders under root (canonical). */
static void
fcache_load(struct db *db, struct fcache *fc, const char *root)
{
	sqlite3_stmt *st = db_stmt(db, ST_FOLDER_RANGE);
	char *lo = xasprintf("%s/", root), *hi = xasprintf("%s0", root);
	struct fc_row *r;

	db_bind_text(st, 1, lo);
	db_bind_text(st, 2, hi);
	while (db_step(db, st) == SQLITE_ROW) {
		const char *path = db_col_text(st, 0);
		const void *blob = sqlite3_column_blob(st, 6);
		size_t len = (size_t)sqlite3_column_bytes(st, 6);
		/* Roots that overlap load some rows twice. */
		if ((fc->loads > 0 && fcache_find(fc, path, fc_hash(path,
		    strlen(path))) != NULL) || !fc_entries_ok(blob, len))
			continue;
		r = fc_row_new(path, NULL, sqlite3_column_int64(st, 5), blob,
		    len);
		r->dev = sqlite3_column_int64(st, 1);
		r->ino = sqlite3_column_int64(st, 2);
		r->mtime_ns = sqlite3_column_int64(st, 3);
		r->ctime_ns = sqlite3_column_int64(st, 4);
		fcache_add(fc, r);
	}
	/* Not left open: the transaction of the compile comes later. */
	sqlite3_reset(st);
	fc->loads++;
	free(lo);
	free(hi);
}

/* Was the folder at rest long enough before read_ns (see FC_RACY_NS)? */
static int
fc_settled(int64_t read_ns, int64_t mtime_ns, int64_t ctime_ns)
{
	int64_t changed = mtime_ns > ctime_ns ? mtime_ns : ctime_ns;

	return read_ns - changed >= FC_RACY_NS;
}

/* Is sb the folder the row was read from, unchanged since? */
static int
fc_same(const struct fc_row *r, const struct stat *sb)
{
	return r->dev == (int64_t)sb->st_dev && r->ino == (int64_t)sb->st_ino &&
	    r->mtime_ns == ts_ns(&sb->st_mtim) &&
	    r->ctime_ns == ts_ns(&sb->st_ctim);
}

static int
fc_row_cmp(const void *a, const void *b)
{
	return strcmp((*(struct fc_row *const *)a)->path,
	    (*(struct fc_row *const *)b)->path);
}

/*
 * Writes what the walk learnt, in the compile's transaction: rows of
 * folders read now, and no rows for folders under the roots that it did
 * not walk (gone, hidden, too deep, unreadable).
 */
static void
fcache_store(struct db *db, struct fcache *fc)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < fc->rows.n; i++) {
		const struct fc_row *r = fc->rows.v[i];
		if (r->seen)
			continue;
		st = db_stmt(db, ST_FOLDER_DELETE);
		db_bind_text(st, 1, r->path);
		db_step(db, st);
	}
	/* In key order, a new KB's rows are appended, not inserted. */
	kb_qsort(fc->put.v, fc->put.n, sizeof(*fc->put.v), fc_row_cmp);
	for (i = 0; i < fc->put.n; i++) {
		const struct fc_row *r = fc->put.v[i];
		st = db_stmt(db, ST_FOLDER_PUT);
		db_bind_text(st, 1, r->path);
		db_bind_int(st, 2, r->dev);
		db_bind_int(st, 3, r->ino);
		db_bind_int(st, 4, r->mtime_ns);
		db_bind_int(st, 5, r->ctime_ns);
		db_bind_int(st, 6, r->read_ns);
		db_bind_blob(st, 7, r->entries, r->len);
		db_step(db, st);
	}
}

static void
fcache_free(struct fcache *fc)
{
	size_t i;

	for (i = 0; i < fc->rows.n; i++)
		free(fc->rows.v[i]);
	for (i = 0; i < fc->put.n; i++)
		free(fc->put.v[i]);
	vec_free(&fc->rows);
	vec_free(&fc->put);
	free(fc->slots);
	memset(fc, 0, sizeof(*fc));
}

/* One top-level subfolder walked by a thread of walk_parallel(). */
struct walk_task {
	char		*dir;		/* as the user would write it */
	size_t		 dirlen;
	int		 fd;		/* dir, open for fstatat(), or -1 */
	char		*real;		/* canonical */
	struct fcache	*fc;		/* shared, read only (but seen) */
	struct vec	 in;		/* struct input *, found under it */
	struct vec	 put;		/* struct fc_row *, folders read */
	size_t		 nread, ncached;
	struct buf	 diags;
};

static void	walk(struct walk_task *, const char *, const char *, int);

/*
 * stat() of p, a path the walk made under the task's folder: relative
 * to it, so the kernel looks up only the components below it.
 */
static int
task_stat(const struct walk_task *t, const char *p, struct stat *sb)
{
	if (t->fd >= 0 && p[t->dirlen] == '/')
		return fstatat(t->fd, p + t->dirlen + 1, sb, 0);
	return stat(p, sb);
}

/* A plain article file of a walk, stat()ed: display (owned from now on)
 * as the user would write it, its canonical path real/name. */
static void
add_file(struct vec *in, const char *real, const char *name, char *display,
    const struct stat *st)
{
	struct input *i = xcalloc(1, sizeof(*i));

	i->path = path_join(real, name);
	i->display = display;
	i->sb = *st;
	i->have_sb = 1;
	vec_push(in, i);
}

/* Appends an entry to a folder's list (see schema5.sql). */
static void
entry_put(struct buf *b, int type, const char *name)
{
	buf_putc(b, type);
	buf_put(b, name, strlen(name) + 1);
}

/*
 * Walks a folder from its cache row r, as walk() would from the folder:
 * the same entries in the same order; only the article files are
 * stat()ed (for their size and mtime, which the incremental check needs
 * anyway) and links resolved.
 */
static void
walk_cached(struct walk_task *t, const char *dir, const char *real,
    int depth, const struct fc_row *r)
{
	const char *e = r->entries, *end = r->entries + r->len;
	struct stat st;

	for (; e < end; e += strlen(e) + 1) {
		int type = *e++;
		char *p = path_join(dir, e), *q;
		if (type == 'd') {
			q = path_join(real, e);
			walk(t, p, q, depth + 1);
			free(q);
		} else if (type == 'l')
			add_input(&t->in, p);
		else if (type == 'f' && task_stat(t, p, &st) == 0) {
			add_file(&t->in, real, e, p, &st);
			continue;
		}
		free(p);
	}
}

/*
 * Notes a folder just read (sb taken before its entries were): a new
 * row for it unless its row says the same and would be trusted no
 * better.
 */
static void
walk_note(struct walk_task *t, struct fc_row *r, const char *real,
    const struct stat *sb, const struct buf *ents)
{
	int64_t now = t->fc->now_ns;

	if (r != NULL) {
		r->seen = 1;
		if (fc_same(r, sb) && r->len == ents->len &&
		    memcmp(r->entries, ents->data ? ents->data : "",
		    ents->len) == 0 && (fc_settled(r->read_ns, r->mtime_ns,
		    r->ctime_ns) || !fc_settled(now, r->mtime_ns, r->ctime_ns)))
			return;
	}
	vec_push(&t->put, fc_row_new(real, sb, now, ents->data, ents->len));
}

/*
 * Walks dir recursively (hidden entries and symbolic links to folders
 * skipped, so a link loop cannot trap us) adding article files.  real is
 * dir's canonical path: children's canonical paths are real + "/" + name,
 * which saves a realpath() per file (only links are resolved).  An
 * unchanged folder is walked from its cache row (walk_cached).
 */
static void
walk(struct walk_task *t, const char *dir, const char *real, int depth)
{
	DIR *d;
	struct dirent *e;
	struct stat st, ds;
	struct fc_row *row;
	struct buf ents = {0};
	int have_ds = 0;

	if (depth > 64) {
		diag(DIAG_WARNING, dir, 0, 0, "folder nesting too deep; skipped");
		return;
	}
	if ((row = fcache_find(t->fc, real, fc_hash(real, strlen(real))))
	    != NULL && task_stat(t, dir, &ds) == 0) {
		have_ds = 1;
		if (fc_same(row, &ds) && fc_settled(row->read_ns,
		    row->mtime_ns, row->ctime_ns)) {
			row->seen = 1;
			t->ncached++;
			walk_cached(t, dir, real, depth, row);
			return;
		}
	}
	if ((d = opendir(dir)) == NULL) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot open folder: %s",
		    strerror(errno));
		return;
	}
	/* The folder as it is before its entries are read: whatever
	 * changes after this changes its mtime (see FC_RACY_NS). */
	if (!have_ds && fstat(dirfd(d), &ds) == 0)
		have_ds = 1;
	t->nread++;
	while ((e = readdir(d)) != NULL) {
		char *p, *r;
		int type = e->d_type;
		if (e->d_name[0] == '.')
			continue;
		p = path_join(dir, e->d_name);
		/* fstatat: the kernel does not walk the whole path again. */
		if (type == DT_UNKNOWN && fstatat(dirfd(d), e->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == 0)
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ?
			    DT_LNK : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		if (type == DT_DIR) {
			entry_put(&ents, 'd', e->d_name);
			r = path_join(real, e->d_name);
			walk(t, p, r, depth + 1);
			free(r);
		} else if (type == DT_LNK && article_ext(e->d_name)) {
			entry_put(&ents, 'l', e->d_name);
			add_input(&t->in, p);
		} else if (type == DT_REG && article_ext(e->d_name)) {
			entry_put(&ents, 'f', e->d_name);
			if (fstatat(dirfd(d), e->d_name, &st, 0) == 0) {
				add_file(&t->in, real, e->d_name, p, &st);
				continue;
			}
		}
		free(p);
	}
	closedir(d);
	if (have_ds)
		walk_note(t, row, real, &ds, &ents);
	buf_free(&ents);
}

struct walk_pool {
	pthread_mutex_t	 mu;
	struct walk_task *tasks;
	size_t		 n, next;
};

static void *
walk_worker(void *arg)
{
	struct walk_pool *wp = arg;
	struct walk_task *t;

	for (;;) {
		pthread_mutex_lock(&wp->mu);
		t = wp->next < wp->n ? &wp->tasks[wp->next++] : NULL;
		pthread_mutex_unlock(&wp->mu);
		if (t == NULL)
			return NULL;
		diag_capture(&t->diags);
		t->dirlen = strlen(t->dir);
		t->fd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		walk(t, t->dir, t->real, 1);
		if (t->fd >= 0)
			close(t->fd);
		diag_capture(NULL);
	}
}

/*
 * Walks a folder given on the command line: its files here, its
 * subfolders on worker threads (a deep tree costs a few system calls per
 * folder, which two cores do in half the time; an unchanged folder one,
 * with fc).  The inputs are sorted afterwards, and diagnostics print in
 * subfolder order, so the result does not depend on the threads.  The
 * folders read go to fc->put.
 */
static void
walk_parallel(struct vec *in, const char *dir, const char *real,
    struct fcache *fc)
{
	struct walk_pool wp;
	struct vec tasks = {0}, files = {0};
	pthread_t tids[16];
	DIR *d;
	struct dirent *e;
	struct stat st;
	size_t i, k;
	int nt, t;

	if ((d = opendir(dir)) == NULL) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot open folder: %s",
		    strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char *p;
		if (e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			struct walk_task *wt = xcalloc(1, sizeof(*wt));
			wt->dir = p;
			wt->real = xasprintf("%s/%s", real, e->d_name);
			wt->fc = fc;
			vec_push(&tasks, wt);
		} else {
			vec_push(&files, p);
		}
	}
	closedir(d);
	/* Files directly in dir: the serial walk handles them one by one. */
	for (i = 0; i < files.n; i++) {
		const char *name = strrchr(files.v[i], '/') + 1;
		if (article_ext(name) && stat(files.v[i], &st) == 0 &&
		    S_ISREG(st.st_mode))
			add_input(in, files.v[i]);
		free(files.v[i]);
	}
	vec_free(&files);
	memset(&wp, 0, sizeof(wp));
	pthread_mutex_init(&wp.mu, NULL);
	wp.tasks = xcalloc(tasks.n + 1, sizeof(*wp.tasks));
	for (i = 0; i < tasks.n; i++) {
		wp.tasks[i] = *(struct walk_task *)tasks.v[i];
		free(tasks.v[i]);
	}
	wp.n = tasks.n;
	nt = worker_count();
	for (t = 0; t < nt && (size_t)t < wp.n; t++)
		if (pthread_create(&tids[t], NULL, walk_worker, &wp) != 0)
			die("cannot start a worker thread");
	for (t--; t >= 0; t--)
		pthread_join(tids[t], NULL);
	for (i = 0; i < wp.n; i++) {
		struct walk_task *wt = &wp.tasks[i];
		if (wt->diags.len)
			fputs(wt->diags.data, stderr);
		for (k = 0; k < wt->in.n; k++)
			vec_push(in, wt->in.v[k]);
		for (k = 0; k < wt->put.n; k++)
			vec_push(&fc->put, wt->put.v[k]);
		fc->nread += wt->nread;
		fc->ncached += wt->ncached;
		vec_free(&wt->in);
		vec_free(&wt->put);
		buf_free(&wt->diags);
		free(wt->dir);
		free(wt->real);
	}
	free(wp.tasks);
	vec_free(&tasks);
	pthread_mutex_destroy(&wp.mu);
}

static int
input_cmp(const void *a, const void *b)
{
	const struct input *x = *(struct input *const *)a;
	const struct input *y = *(struct input *const *)b;

	return strcmp(x->path, y->path);
}

/* Is [p, p+8) a plausible YYYYMMDD date rather than a commit? */
static int
looks_like_date(const char *p, size_t n)
{
	int y, m, d;

	if (n != 8 || sscanf(p, "%4d%2d%2d", &y, &m, &d) != 3)
		return 0;
	return y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/*
 * A path component that looks like an abbreviated or full git commit:
 * 7 to 40 lower-case hex digits (all digits only when it is not a date).
 * Returns the nearest one to the file, malloc'd, or NULL.
 */
static char *
path_commit(const char *path)
{
	const char *end = strrchr(path, '/'), *p, *start;

	while (end && end > path) {
		for (start = end; start > path && start[-1] != '/'; start--)
			;
		size_t n = (size_t)(end - start);
		int letters = 0, digits = 0, ok = n >= 7 && n <= 40;
		for (p = start; ok && p < end; p++) {
			if (kb_isdigit((unsigned char)*p))
				digits++;
			else if (*p >= 'a' && *p <= 'f')
				letters++;
			else
				ok = 0;
		}
		if (ok && (letters ? digits > 0 : !looks_like_date(start, n)))
			return xstrndup(start, n);
		end = start > path ? start - 1 : NULL;
	}
	return NULL;
}

/* Is [p, p+n) a locale tag like "ru-ru", "zh-cn", "pt-br", "sr-latn-rs"? */
static int
is_locale(const char *p, size_t n)
{
	size_t i;

	if (n < 5 || n > 10 || !kb_isalpha((unsigned char)p[0]) ||
	    !kb_isalpha((unsigned char)p[1]) || p[2] != '-')
		return 0;
	for (i = 3; i < n; i++)
		if (!kb_isalpha((unsigned char)p[i]) && p[i] != '-')
			return 0;
	return 1;
}

/*
 * A locale named by the path: a component such as "ja-jp" or a
 * repository folder such as "windowsserverdocs.ru-ru".  Nearest wins.
 */
static char *
path_locale(const char *path)
{
	const char *end = path + strlen(path), *start, *dot;
	char *l, *q;

	while (end > path) {
		for (start = end; start > path && start[-1] != '/'; start--)
			;
		size_t n = (size_t)(end - start);
		dot = NULL;
		for (q = (char *)start; q < end; q++)
			if (*q == '.' || *q == '_')
				dot = q;
		if (is_locale(start, n))
			l = xstrndup(start, n);
		else if (dot && is_locale(dot + 1, (size_t)(end - dot - 1)))
			l = xstrndup(dot + 1, (size_t)(end - dot - 1));
		else
			l = NULL;
		if (l) {
			for (q = l; *q; q++)
				*q = (char)kb_tolower((unsigned char)*q);
			return l;
		}
		end = start > path ? start - 1 : path;
	}
	return NULL;
}

/* File names that say nothing about the article. */
static int
generic_stem(const char *s, size_t n)
{
	static const char *const names[] = { "index", "readme", "toc",
	    "overview", "article", "default", NULL };
	size_t i, digits = 0;

	for (i = 0; names[i]; i++)
		if (strlen(names[i]) == n && kb_strncasecmp(s, names[i], n) == 0)
			return 1;
	/* "000_9085ede7a7177e3e": a sequence number and a hash. */
	for (i = 0; i < n; i++)
		if (kb_isdigit((unsigned char)s[i]))
			digits++;
	return digits * 3 >= n;
}

/*
 * An article key when there is no ms.assetid: the file name (stable
 * across versions and shared by translations in mirrored folders), or the
 * title's slug when the name says nothing.
 */
static char *
derive_key(const struct article *a)
{
	const char *base = strrchr(a->path, '/');
	const char *dot;
	size_t n;

	base = base ? base + 1 : a->path;
	dot = strrchr(base, '.');
	n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
	if (!generic_stem(base, n) || a->title == NULL || *a->title == '\0') {
		char *stem = xstrndup(base, n), *k = anchor_slug(stem);
		free(stem);
		return k;
	}
	return anchor_slug(a->title);
}

/*
 * Completes what the reader could not know: locale (front matter, path,
 * script, then en-us), key, commit and the version label.
 */
static void
identity(struct article *a, const char *display, const char *text,
    size_t len)
{
	const char *l;

	if (a->locale == NULL)
		a->locale = path_locale(display);
	if (a->locale == NULL && (l = detect_script_locale(text, len)) != NULL)
		a->locale = xstrdup(l);
	if (a->locale == NULL)
		a->locale = xstrdup("en-us");
	if (a->commit == NULL)
		a->commit = path_commit(display);
	if (a->title == NULL || *a->title == '\0') {
		const char *b = strrchr(display, '/');
		free(a->title);
		a->title = xstrdup(b ? b + 1 : display);
	}
	if (a->key == NULL)
		a->key = derive_key(a);
	if (a->date && a->commit)
		a->version = xasprintf("%s@%.8s", a->date, a->commit);
	else if (a->date)
		a->version = xstrdup(a->date);
	else if (a->commit)
		a->version = xasprintf("%.8s", a->commit);
	else
		a->version = xasprintf("%.12s", a->sha1);
}

/*
 * SHA-1 of raw with every CRLF as LF (crlf == 0) or every LF as CRLF,
 * streamed through a small buffer (no copy of the file).  sha1 is that of
 * the raw bytes, which is also the answer when no line end changes.
 */
static void
eol_sha1(const char *raw, size_t len, int crlf, const char *sha1,
    char out[41])
{
	struct sha1_ctx c;
	unsigned char d[SHA1_DIGEST_SIZE];
	char tmp[8192];
	const char *p = raw, *end = raw + len, *nl;
	size_t t = 0, n;

	/* Without a CR, LF form is the raw form. */
	if (!crlf && memchr(raw, '\r', len) == NULL) {
		memcpy(out, sha1, 41);
		return;
	}
	sha1_init(&c);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* The line without its line end (CRLF or LF); a CR anywhere
		 * else stays. */
		if (nl && n > 0 && p[n - 1] == '\r')
			n--;
		if (t + n > sizeof(tmp) - 2) {
			sha1_update(&c, t, (const uint8_t *)tmp);
			t = 0;
		}
		if (n > sizeof(tmp) - 2)
			sha1_update(&c, n, (const uint8_t *)p);
		else {
			memcpy(tmp + t, p, n);
			t += n;
		}
		if (nl == NULL)
			break;
		if (crlf)
			tmp[t++] = '\r';
		tmp[t++] = '\n';
		p = nl + 1;
	}
	sha1_update(&c, t, (const uint8_t *)tmp);
	sha1_digest(&c, sizeof(d), d);
	hex_encode(d, sizeof(d), out);
}

/*
 * Markdown or TechNet text?  .md files are Markdown; otherwise front
 * matter, ATX headings or Markdown links say Markdown.
 */
static enum article_format
sniff_format(const char *path, const char *text)
{
	const char *dot = strrchr(path, '.'), *p;

	if (dot && (kb_strcasecmp(dot, ".md") == 0 ||
	    kb_strcasecmp(dot, ".markdown") == 0))
		return FORMAT_MARKDOWN;
	if (strncmp(text, "---\n", 4) == 0)
		return FORMAT_MARKDOWN;
	for (p = text; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (p[0] == '#' && (p[1] == ' ' || (p[1] == '#' && p[2] == ' ')))
			return FORMAT_MARKDOWN;
	}
	return FORMAT_TEXT;
}

/* The link's kind and, for internal links, the file it names. */
static const char *
link_kind(const char *base_dir, const char *target, char **resolved,
    char **anchor)
{
	const char *hash = strchr(target, '#'), *p;
	char *rel, real[PATH_MAX];

	*resolved = *anchor = NULL;
	if (hash && hash[1])
		*anchor = xstrdup(hash + 1);
	if (target[0] == '#')
		return "anchor";
	for (p = target; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			return "external";
	if (target[0] == '/' || strncmp(target, "//", 2) == 0)
		return "site";
	rel = hash ? xstrndup(target, (size_t)(hash - target)) : xstrdup(target);
	if ((p = strchr(rel, '?')) != NULL)
		rel[p - rel] = '\0';
	char *full = xasprintf("%s/%s", base_dir, rel);
	*resolved = xstrdup(realpath(full, real) ? real : full);
	free(full);
	free(rel);
	return "internal";
}

/*
 * Deletes a version (cascading to its sections); its sections' text is
 * kept aside so the full-text index can drop them at the end.
 */
static void
version_delete(struct db *db, int64_t vid)
{
	sqlite3_stmt *st = db_stmt(db, ST_GONE_SAVE);

	db_bind_int(st, 1, vid);
	db_step(db, st);
	st = db_stmt(db, ST_VERSION_DELETE);
	db_bind_int(st, 1, vid);
	db_step(db, st);
}

/* Brings the full-text index in step with this command's changes. */
static void
fts_sync(struct db *db)
{
	db_exec(db, ST_FTS_DELETE_GONE);
	db_exec(db, ST_FTS_INSERT_NEW);
	db_exec(db, ST_GONE_CLEAR);
	db_exec(db, ST_NEW_CLEAR);
}

/*
 * Resolves the links of every section (worker threads: realpath() is a
 * system call per link, which the writer should not wait for).
 */
static void
links_resolve(struct article *a, const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	size_t i, k;

	if (slash)
		*slash = '\0';
	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];
		for (k = 0; k < s->links.n; k++) {
			struct link *l = s->links.v[k];
			l->kind = link_kind(dir, l->target, &l->resolved,
			    &l->anchor);
		}
	}
	free(dir);
}

/* Binds a NUL-terminated string without a copy (see db_bind_static). */
static void
bind_str(sqlite3_stmt *st, int i, const char *s)
{
	db_bind_static(st, i, s, s ? strlen(s) : 0);
}

/*
 * Memory for the pending terms of a new KB's index (FTS5's default is
 * 1 MB): all of them for a corpus of some 40 MB of text, so that the
 * index is written once as one segment with nothing to merge; a larger
 * corpus gets a few segments, merged once at the end.
 */
#define FTS_BUILD_HASHSIZE	((size_t)64 << 20)

/* Sets the index's "hashsize". */
static void
fts_hashsize(struct db *db, size_t bytes)
{
	sqlite3_stmt *st = db_stmt(db, ST_FTS_HASHSIZE);

	db_bind_int(st, 1, (int64_t)bytes);
	db_step(db, st);
}

/* Inserts one section's children rows. */
static void
store_section_parts(struct db *db, const struct section *s, int64_t sid)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < s->mentions.n; i++) {
		const struct mention *m = s->mentions.v[i];
		st = db_stmt(db, ST_MENTION_INSERT);
		db_bind_int(st, 1, sid);
		bind_str(st, 2, mention_kind_name(m->kind));
		bind_str(st, 3, m->value);
		bind_str(st, 4, m->raw);
		db_step(db, st);
	}
	for (i = 0; i < s->steps.n; i++) {
		const struct step *p = s->steps.v[i];
		st = db_stmt(db, ST_STEP_INSERT);
		db_bind_int(st, 1, sid);
		db_bind_int(st, 2, p->list);
		db_bind_int(st, 3, p->ordinal);
		bind_str(st, 4, p->text);
		db_step(db, st);
	}
	for (i = 0; i < s->callouts.n; i++) {
		const struct callout_item *c = s->callouts.v[i];
		st = db_stmt(db, ST_CALLOUT_INSERT);
		db_bind_int(st, 1, sid);
		db_bind_int(st, 2, (int64_t)i + 1);
		bind_str(st, 3, callout_name(c->type));
		bind_str(st, 4, c->text);
		db_step(db, st);
	}
	for (i = 0; i < s->links.n; i++) {
		const struct link *l = s->links.v[i];
		st = db_stmt(db, ST_LINK_INSERT);
		db_bind_int(st, 1, sid);
		db_bind_int(st, 2, (int64_t)i + 1);
		bind_str(st, 3, l->target);
		bind_str(st, 4, l->text);
		db_bind_int(st, 5, l->line);
		bind_str(st, 6, l->kind);
		bind_str(st, 7, l->resolved);
		bind_str(st, 8, l->anchor);
		db_step(db, st);
	}
}

/*
 * Inserts the article's version and everything under it.  Returns 0, or
 * -1 after a diagnostic; *vidp is the version's row id once it is stored.
 * idsp, when not NULL, receives the sections' row ids (malloc'd) on success.
 */
static int
store(struct db *db, const struct article *a, int64_t article_id,
    const struct input *in, const struct stat *sb, const char *encoding,
    int64_t *vidp, int64_t **idsp)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSION_INSERT);
	int64_t vid, *ids;
	size_t i;

	db_bind_int(st, 1, article_id);
	db_bind_text(st, 2, a->locale);
	db_bind_text(st, 3, a->version);
	db_bind_text(st, 4, a->date);
	db_bind_text(st, 5, a->commit);
	db_bind_text(st, 6, a->title);
	db_bind_text(st, 7, in->path);
	db_bind_text(st, 8, in->display);
	db_bind_text(st, 9, a->format == FORMAT_MARKDOWN ? "markdown" : "text");
	db_bind_text(st, 10, encoding);
	db_bind_text(st, 11, a->sha1);
	db_bind_text(st, 12, a->sha1_lf);
	db_bind_text(st, 13, a->sha1_crlf);
	db_bind_int(st, 14, (int64_t)sb->st_size);
	db_bind_int(st, 15, (int64_t)sb->st_mtim.tv_sec * 1000000000 +
	    sb->st_mtim.tv_nsec);
	db_bind_int(st, 16, a->mt);
	bind_str(st, 17, a->frontmatter);
	db_bind_text(st, 18, a->source_hash);
	db_bind_text(st, 19, a->source_commit);
	if (db_step(db, st) != SQLITE_DONE) {
		diag(DIAG_ERROR, in->display, 0, 0, "cannot store version: %s",
		    sqlite3_errmsg(db->h));
		return -1;
	}
	vid = *vidp = sqlite3_last_insert_rowid(db->h);
	st = db_stmt(db, ST_NEW_VERSION);
	db_bind_int(st, 1, vid);
	db_step(db, st);
	ids = xcalloc(a->sections.n + 1, sizeof(*ids));
	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];
		st = db_stmt(db, ST_SECTION_INSERT);
		db_bind_int(st, 1, vid);
		db_bind_int(st, 2, (int64_t)i);
		if (s->parent >= 0)
			db_bind_int(st, 3, ids[s->parent]);
		db_bind_int(st, 4, s->level);
		bind_str(st, 5, s->anchor);
		bind_str(st, 6, s->title);
		db_bind_int(st, 7, s->line);
		/* The lengths are known: no strlen() over the bodies. */
		db_bind_static(st, 8, buf_str(&s->html), s->html.len);
		db_bind_static(st, 9, buf_str(&s->text), s->text.len);
		if (db_step(db, st) != SQLITE_DONE) {
			diag(DIAG_ERROR, in->display, s->line, 0,
			    "cannot store section '%s': %s", s->title,
			    sqlite3_errmsg(db->h));
			free(ids);
			return -1;
		}
		ids[i] = sqlite3_last_insert_rowid(db->h);
		store_section_parts(db, s, ids[i]);
	}
	if (idsp != NULL)
		*idsp = ids;
	else
		free(ids);
	return 0;
}

/* Returns the article's row id, creating the row. */
static int64_t
article_id(struct db *db, const struct article *a, int derived)
{
	sqlite3_stmt *st = db_stmt(db, ST_ARTICLE_INSERT);

	db_bind_text(st, 1, a->key);
	db_bind_int(st, 2, derived);
	db_step(db, st);
	st = db_stmt(db, ST_ARTICLE_ID);
	db_bind_text(st, 1, a->key);
	if (db_step(db, st) != SQLITE_ROW)
		die("%s: article '%s' vanished", db->path, a->key);
	return sqlite3_column_int64(st, 0);
}

/*
 * Is article+locale+label already held by another file?  Returns 0 when
 * free, 1 when held by identical content (a note; *holder is set), -1
 * when held by different content (an error).
 */
static int
claim(struct db *db, const struct article *a, int64_t aid,
    const struct input *in, int64_t *holder)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSION_CLAIM);

	db_bind_int(st, 1, aid);
	db_bind_text(st, 2, a->locale);
	db_bind_text(st, 3, a->version);
	if (db_step(db, st) != SQLITE_ROW)
		return 0;
	*holder = sqlite3_column_int64(st, 0);
	/* Forks of one repository at one commit hold the same file. */
	if (strcmp(db_col_text(st, 2), a->sha1) == 0) {
		diag(DIAG_NOTE, in->display, 1, 0, "same content as '%s' "
		    "(article %s, %s, version %s); skipped", db_col_text(st, 1),
		    a->key, a->locale, a->version);
		return 1;
	}
	diag(DIAG_ERROR, in->display, 1, 0, "article %s, %s, version %s is "
	    "already compiled from '%s' with different content; skipped "
	    "(give the versions different ms.date or folders)", a->key,
	    a->locale, a->version, db_col_text(st, 1));
	return -1;
}

/* The "Topic last updated—November 2007" line of TechNet exports. */
static char *
text_date(const char *text)
{
	static const char *const months[] = { "january", "february", "march",
	    "april", "may", "june", "july", "august", "september", "october",
	    "november", "december" };
	const char *p = text;
	int i, y;

	for (i = 0; i < 5 && *p; i++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > 12 && kb_strncasecmp(p, "topic last updated", 18) == 0) {
			const char *q;
			for (q = p + 18; q < p + n; q++) {
				int m;
				for (m = 0; m < 12; m++) {
					size_t ml = strlen(months[m]);
					if ((size_t)(p + n - q) > ml &&
					    kb_strncasecmp(q, months[m], ml) == 0 &&
					    sscanf(q + ml, " %4d", &y) == 1 &&
					    y > 1990 && y < 2100)
						return xasprintf("%04d-%02d", y,
						    m + 1);
				}
			}
		}
		p += n + (nl != NULL);
	}
	return NULL;
}

/*
 * Reads, decodes and parses one file into a new article.  Returns NULL
 * after a diagnostic when the file cannot be compiled.
 */
static struct article *
read_article(const struct input *in, const struct buf *raw,
    const char *sha1, const char **encoding)
{
	struct buf text = {0};
	struct decode_info info;
	struct article *a;
	size_t i;
	int rc;

	memset(&info, 0, sizeof(info));
	if (text_decode(in->display, (const unsigned char *)buf_str(raw),
	    raw->len, &text, &info) == -1)
		return NULL;
	*encoding = info.encoding ? info.encoding : "utf-8";
	for (i = 0; i < text.len && kb_isspace((unsigned char)text.data[i]); i++)
		;
	if (i == text.len) {
		diag(DIAG_ERROR, in->display, 1, 0, "empty file: no article text");
		buf_free(&text);
		return NULL;
	}
	a = article_new(in->display, sniff_format(in->display, buf_str(&text)));
	memcpy(a->sha1, sha1, 41);
	eol_sha1(buf_str(raw), raw->len, 0, sha1, a->sha1_lf);
	eol_sha1(buf_str(raw), raw->len, 1, sha1, a->sha1_crlf);
	a->bytes = raw->len;
	rc = a->format == FORMAT_MARKDOWN ?
	    article_md_read(a, text.data, text.len) :
	    article_text_read(a, text.data, text.len);
	if (rc == 0 && a->format == FORMAT_TEXT && a->date == NULL)
		a->date = text_date(text.data);
	if (rc == 0 && a->frontmatter == NULL)
		a->frontmatter = xstrdup("{}");
	if (rc == 0)
		identity(a, in->display, text.data, text.len);
	buf_free(&text);
	if (rc != 0) {
		article_free(a);
		return NULL;
	}
	mention_collect(a);
	return a;
}

struct article *
article_load(const char *path)
{
	struct input in;
	struct buf raw = {0};
	struct article *a;
	const char *encoding;
	char sha1[41];

	memset(&in, 0, sizeof(in));
	in.path = (char *)path;
	in.display = (char *)path;
	if (file_read(path, &raw) == -1) {
		diag(DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	if (raw.len > MAX_ARTICLE_BYTES) {
		diag(DIAG_ERROR, path, 0, 0, "file too large for an article");
		buf_free(&raw);
		return NULL;
	}
	sha1_hex(buf_str(&raw), raw.len, sha1);
	a = read_article(&in, &raw, sha1, &encoding);
	buf_free(&raw);
	return a;
}

/* Runs a fixed SQL text (savepoints); fatal on error. */
static void
sp(struct db *db, const char *sql)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		die("%s: %s", db->path, sqlite3_errmsg(db->h));
}

/*
 * One file to read and parse.  The main thread fills the first part
 * (it owns the database); a worker fills the results; the main thread
 * stores them in input order, so output and KB contents do not depend on
 * thread timing.
 */
struct job {
	const struct input *in;
	struct stat	 sb;
	int64_t		 old;		/* version compiled from this path, or 0 */
	char		 old_sha1[41];
	/* results, written by the worker */
	int		 done;
	int		 rc;		/* -1 error, 0 same content, 1 article */
	struct article	*a;
	const char	*encoding;
	size_t		 bytes;
	struct buf	 diags;		/* the diagnostics, printed in order */
};

/* Reads and parses one job's file (any thread; touches no database). */
static void
job_run(struct job *j)
{
	struct buf raw = {0};
	char sha1[41];

	diag_capture(&j->diags);
	j->rc = -1;
	if ((size_t)j->sb.st_size > MAX_ARTICLE_BYTES) {
		diag(DIAG_ERROR, j->in->display, 0, 0, "file too large for an "
		    "article (%lld bytes); skipped", (long long)j->sb.st_size);
		goto out;
	}
	if (file_read(j->in->path, &raw) == -1) {
		diag(DIAG_ERROR, j->in->display, 0, 0, "cannot read: %s",
		    strerror(errno));
		goto out;
	}
	j->bytes = raw.len;
	sha1_hex(buf_str(&raw), raw.len, sha1);
	if (j->old && strcmp(sha1, j->old_sha1) == 0) {
		j->rc = 0;
		goto out;
	}
	if ((j->a = read_article(j->in, &raw, sha1, &j->encoding)) != NULL) {
		links_resolve(j->a, j->in->path);
		j->rc = 1;
	}
out:
	buf_free(&raw);
	diag_capture(NULL);
}

/*
 * Main thread, before the file is read: is it unchanged (same size and
 * mtime as stored)?  Returns 0 when it can be skipped, 1 when it must be
 * read (j filled), -1 on error.
 */
static int
job_check(struct job *j)
{
	int64_t mtime;

	if (j->in->have_sb)
		j->sb = j->in->sb;
	else if (stat(j->in->path, &j->sb) == -1) {
		diag(DIAG_ERROR, j->in->display, 0, 0, "cannot stat: %s",
		    strerror(errno));
		return -1;
	}
	mtime = (int64_t)j->sb.st_mtim.tv_sec * 1000000000 +
	    j->sb.st_mtim.tv_nsec;
	/* prune() found what the KB holds for the path. */
	if (j->in->known == 1) {
		j->old = j->in->vid;
		if (j->in->bytes == (int64_t)j->sb.st_size &&
		    j->in->mtime_ns == mtime)
			return 0;
		snprintf(j->old_sha1, sizeof(j->old_sha1), "%s", j->in->sha1);
		return 1;
	}
	if (j->in->known == 2 && j->in->bytes == (int64_t)j->sb.st_size &&
	    j->in->mtime_ns == mtime)
		return 0;
	return 1;
}

/*
 * Records that path holds the same bytes as a stored version (a fork of
 * the same repository at the same commit), so the next run skips it on
 * size and mtime like any other unchanged file.
 */
static void
alias_store(struct db *db, const struct job *j, int64_t vid)
{
	sqlite3_stmt *st = db_stmt(db, ST_ALIAS_PUT);

	db_bind_text(st, 1, j->in->path);
	db_bind_text(st, 2, j->in->display);
	db_bind_int(st, 3, (int64_t)j->sb.st_size);
	db_bind_int(st, 4, (int64_t)j->sb.st_mtim.tv_sec * 1000000000 +
	    j->sb.st_mtim.tv_nsec);
	db_bind_int(st, 5, vid);
	db_step(db, st);
}

/*
 * The full-text index of a KB being created is built on a thread of its
 * own, in a database of its own (db_open_index()), while this thread
 * stores the sections: it is a third of the writing work, and FTS5 in
 * the KB's connection would flush its pending terms at every statement
 * that writes something else.  At the end its shadow tables are copied
 * into the KB (index_finish).
 */
struct index_item {
	struct article	*a;		/* freed by the index thread */
	int64_t		*ids;		/* the sections' row ids */
};

struct indexer {
	pthread_t	 tid;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct index_item *ring;	/* INDEX_QUEUE items */
	size_t		 head, tail;	/* taken, pushed */
	int		 done;		/* no more items */
	struct db	*ix;		/* the index database */
};

/* Articles waiting for the index thread: bounds memory. */
#define INDEX_QUEUE 256

static void *
index_thread(void *arg)
{
	struct indexer *x = arg;
	struct index_item it;
	sqlite3_stmt *st;
	size_t i;

	db_exec(x->ix, ST_BEGIN);
	fts_hashsize(x->ix, FTS_BUILD_HASHSIZE);
	for (;;) {
		pthread_mutex_lock(&x->mu);
		while (x->head == x->tail && !x->done)
			pthread_cond_wait(&x->cv, &x->mu);
		if (x->head == x->tail) {
			pthread_mutex_unlock(&x->mu);
			break;
		}
		it = x->ring[x->head++ % INDEX_QUEUE];
		pthread_cond_broadcast(&x->cv);
		pthread_mutex_unlock(&x->mu);
		for (i = 0; i < it.a->sections.n; i++) {
			const struct section *s = it.a->sections.v[i];
			st = db_stmt(x->ix, ST_FTS_ROW_PUT);
			db_bind_int(st, 1, it.ids[i]);
			bind_str(st, 2, s->title);
			bind_str(st, 3, buf_str(&s->text));
			db_step(x->ix, st);
		}
		article_free(it.a);
		free(it.ids);
	}
	/* Several segments when the terms outgrew the hash: merge them. */
	db_exec(x->ix, ST_FTS_OPTIMIZE);
	db_exec(x->ix, ST_COMMIT);
	thread_cpu("index");
	return NULL;
}

static struct indexer *
index_start(void)
{
	struct indexer *x = xcalloc(1, sizeof(*x));

	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->cv, NULL);
	x->ring = xcalloc(INDEX_QUEUE, sizeof(*x->ring));
	x->ix = db_open_index();
	if (pthread_create(&x->tid, NULL, index_thread, x) != 0)
		die("cannot start the index thread");
	return x;
}

/* Hands an article and its sections' row ids to the index thread. */
static void
index_push(struct indexer *x, struct article *a, int64_t *ids)
{
	pthread_mutex_lock(&x->mu);
	while (x->tail - x->head >= INDEX_QUEUE)
		pthread_cond_wait(&x->cv, &x->mu);
	x->ring[x->tail % INDEX_QUEUE].a = a;
	x->ring[x->tail % INDEX_QUEUE].ids = ids;
	x->tail++;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
}

/* Copies every row of a shadow table from the index into the KB. */
static void
index_copy(struct db *db, struct db *ix, enum stmt all, enum stmt put,
    int ncol)
{
	sqlite3_stmt *src = db_stmt(ix, all), *dst;
	int k;

	while (db_step(ix, src) == SQLITE_ROW) {
		dst = db_stmt(db, put);
		for (k = 0; k < ncol; k++)
			sqlite3_bind_value(dst, k + 1,
			    sqlite3_column_value(src, k));
		if (db_step(db, dst) != SQLITE_DONE)
			die("%s: cannot copy the full-text index", db->path);
	}
}

/*
 * Waits for the index thread and puts its index in place of the KB's
 * (empty) one, in the KB's transaction.
 */
static void
index_finish(struct db *db, struct indexer *x)
{
	pthread_mutex_lock(&x->mu);
	x->done = 1;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
	pthread_join(x->tid, NULL);
	db_exec(db, ST_FTS_DATA_CLEAR);
	db_exec(db, ST_FTS_IDX_CLEAR);
	db_exec(db, ST_FTS_DOCSIZE_CLEAR);
	index_copy(db, x->ix, ST_FTS_DATA_ALL, ST_FTS_DATA_PUT, 2);
	index_copy(db, x->ix, ST_FTS_IDX_ALL, ST_FTS_IDX_PUT, 3);
	index_copy(db, x->ix, ST_FTS_DOCSIZE_ALL, ST_FTS_DOCSIZE_PUT, 2);
	db_close(x->ix);
	pthread_mutex_destroy(&x->mu);
	pthread_cond_destroy(&x->cv);
	free(x->ring);
	free(x);
}

/*
 * job_store() into a KB being created (db_create()): no savepoint, as
 * copying every page a file touches into the statement journal costs
 * more than all else the writer does; nothing was there before, so what
 * a failed file leaves is deleted by hand.
 */
static int
job_store_fresh(struct db *db, struct job *j, struct compile_stats *cs,
    struct indexer *ix)
{
	sqlite3_stmt *st;
	int64_t aid, holder, vid = 0, *ids;
	int c;

	/* An article row made for nothing goes with ST_ARTICLE_PRUNE. */
	aid = article_id(db, j->a, 0);
	if ((c = claim(db, j->a, aid, j->in, &holder)) != 0) {
		if (c > 0)
			alias_store(db, j, holder);
		return c > 0 ? 0 : -1;
	}
	if (store(db, j->a, aid, j->in, &j->sb, j->encoding, &vid,
	    &ids) == -1) {
		if (vid != 0) {
			/* Cascades to the sections stored so far; none is in
			 * the full-text index yet. */
			st = db_stmt(db, ST_VERSION_DELETE);
			db_bind_int(st, 1, vid);
			db_step(db, st);
		}
		return -1;
	}
	cs->sections += j->a->sections.n;
	/* The index thread indexes the sections and frees the article. */
	index_push(ix, j->a, ids);
	j->a = NULL;
	return 1;
}

/*
 * Main thread: stores a finished job inside its own savepoint.  Returns
 * 1 when the KB changed, 0 when unchanged or skipped, -1 on error.
 */
static int
job_store(struct db *db, struct job *j, struct compile_stats *cs,
    struct indexer *ix)
{
	sqlite3_stmt *st;
	int64_t aid, holder, vid;
	int c;

	cs->bytes += j->bytes;
	if (j->rc <= 0) {
		if (j->rc == 0) {	/* same bytes, newer mtime */
			st = db_stmt(db, ST_VERSION_TOUCH);
			db_bind_int(st, 1, j->old);
			db_bind_int(st, 2, (int64_t)j->sb.st_size);
			db_bind_int(st, 3, (int64_t)j->sb.st_mtim.tv_sec *
			    1000000000 + j->sb.st_mtim.tv_nsec);
			db_bind_text(st, 4, j->in->display);
			db_step(db, st);
		}
		return j->rc;
	}
	if (ix != NULL)
		return job_store_fresh(db, j, cs, ix);
	sp(db, "SAVEPOINT one");
	if (j->old)
		version_delete(db, j->old);
	st = db_stmt(db, ST_ALIAS_DELETE);
	db_bind_text(st, 1, j->in->path);
	db_step(db, st);
	aid = article_id(db, j->a, 0);
	if ((c = claim(db, j->a, aid, j->in, &holder)) != 0) {
		sp(db, "ROLLBACK TO one");
		if (c > 0)
			alias_store(db, j, holder);
		sp(db, "RELEASE one");
		return c > 0 ? 0 : -1;
	}
	if (store(db, j->a, aid, j->in, &j->sb, j->encoding, &vid,
	    NULL) == -1) {
		sp(db, "ROLLBACK TO one");
		sp(db, "RELEASE one");
		return -1;
	}
	sp(db, "RELEASE one");
	cs->sections += j->a->sections.n;
	return 1;
}

/* The work queue shared by the workers and the main thread. */
struct queue {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct job	*jobs;
	size_t		 n;
	size_t		 next;		/* next job a worker takes */
	size_t		 consumed;	/* jobs the main thread has stored */
};

/* How far workers may run ahead of the main thread: bounds memory. */
#define QUEUE_WINDOW 64

static void *
worker(void *arg)
{
	struct queue *q = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (q->next < q->n && q->next >= q->consumed + QUEUE_WINDOW)
			pthread_cond_wait(&q->cv, &q->mu);
		if (q->next >= q->n) {
			pthread_mutex_unlock(&q->mu);
			thread_cpu("worker");
			return NULL;
		}
		i = q->next++;
		pthread_mutex_unlock(&q->mu);
		job_run(&q->jobs[i]);
		pthread_mutex_lock(&q->mu);
		q->jobs[i].done = 1;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
	}
}

/* Worker threads: $KBGEN_JOBS, else one per processor (1 to 16). */
static int
worker_count(void)
{
	const char *e = getenv("KBGEN_JOBS");
	long n = e && *e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}

/* New versions between two full-text index updates (see fts_sync). */
#define FTS_BATCH 256

/*
 * Reads and parses the jobs on worker threads and stores them here, in
 * order.  Counts into cs; returns the number of inputs with errors.
 */
static int
run_jobs(struct db *db, struct job *jobs, size_t n, struct compile_stats *cs,
    struct indexer *ix)
{
	struct queue q;
	pthread_t tids[16];
	int nt = worker_count(), t, errors = 0, r;
	size_t i, batch = 0;
	double waited = 0, w0, w1;	/* for $KBGEN_TIMING */

	memset(&q, 0, sizeof(q));
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.cv, NULL);
	q.jobs = jobs;
	q.n = n;
	article_readers_init();
	for (t = 0; t < nt && (size_t)t < n; t++)
		if (pthread_create(&tids[t], NULL, worker, &q) != 0)
			die("cannot start a worker thread");
	for (i = 0; i < n; i++) {
		phase(&w0, NULL);
		pthread_mutex_lock(&q.mu);
		while (!jobs[i].done)
			pthread_cond_wait(&q.cv, &q.mu);
		pthread_mutex_unlock(&q.mu);
		phase(&w1, NULL);
		waited += w1 - w0;
		if (jobs[i].diags.len)
			fputs(jobs[i].diags.data, stderr);
		r = job_store(db, &jobs[i], cs, ix);
		if (r < 0)
			errors++;
		else if (r > 0) {
			cs->compiled++;
			/* Indexing in batches overlaps it with the parsing. */
			if (ix == NULL && ++batch % FTS_BATCH == 0)
				fts_sync(db);
		} else
			cs->unchanged++;
		article_free(jobs[i].a);
		jobs[i].a = NULL;
		buf_free(&jobs[i].diags);
		pthread_mutex_lock(&q.mu);
		q.consumed = i + 1;
		pthread_cond_broadcast(&q.cv);
		pthread_mutex_unlock(&q.mu);
	}
	for (t--; t >= 0; t--)
		pthread_join(tids[t], NULL);
	if (getenv("KBGEN_TIMING") != NULL)
		fprintf(stderr, "kbgen: timing: %-10s %8.3f s\n", "waited",
		    waited);
	pthread_mutex_destroy(&q.mu);
	pthread_cond_destroy(&q.cv);
	return errors;
}

/* Notes what the KB holds for input x: the row of a version (known 1:
 * id, path, bytes, mtime_ns, sha1) or of a copy (2: path, bytes,
 * mtime_ns). */
static void
input_known(struct input *x, int known, sqlite3_stmt *st)
{
	int c = known == 1 ? 2 : 1;

	x->known = known;
	x->vid = known == 1 ? sqlite3_column_int64(st, 0) : 0;
	x->bytes = sqlite3_column_int64(st, c);
	x->mtime_ns = sqlite3_column_int64(st, c + 1);
	if (known == 1)
		snprintf(x->sha1, sizeof(x->sha1), "%s", db_col_text(st, 4));
}

/*
 * Deletes versions compiled from files under one of the folder roots that
 * no longer exist (the inputs are sorted by path).
 */
static void
prune(struct db *db, struct vec *roots, struct vec *in,
    struct compile_stats *cs)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSION_PATHS);
	struct vec gone = {0};
	size_t i, j, k = 0;
	int c;

	/* Both in path order (strcmp's, SQLite's BINARY): a merge. */
	while (db_step(db, st) == SQLITE_ROW) {
		const char *p = db_col_text(st, 1);
		int under = 0;
		for (j = 0; j < roots->n && !under; j++) {
			size_t n = strlen(roots->v[j]);
			under = strncmp(p, roots->v[j], n) == 0 && p[n] == '/';
		}
		c = 1;
		while (k < in->n && (c = strcmp(((struct input *)
		    in->v[k])->path, p)) < 0)
			k++;
		if (c == 0)
			input_known(in->v[k], 1, st);
		else if (under)
			vec_push(&gone, (void *)(intptr_t)sqlite3_column_int64(st, 0));
	}
	for (i = 0; i < gone.n; i++) {
		int64_t vid = (int64_t)(intptr_t)gone.v[i];
		st = db_stmt(db, ST_VERSION_DISPLAY);
		db_bind_int(st, 1, vid);
		if (db_step(db, st) == SQLITE_ROW)
			diag(DIAG_NOTE, db_col_text(st, 0), 0, 0,
			    "file is gone; its version is removed");
		version_delete(db, vid);
		cs->removed++;
	}
	vec_free(&gone);
	/* Aliases of files that are gone are forgotten quietly. */
	st = db_stmt(db, ST_ALIAS_PATHS);
	while (db_step(db, st) == SQLITE_ROW) {
		const char *p = db_col_text(st, 0);
		struct input key = { .path = (char *)p }, *kp = &key, **xp;
		int under = 0;
		for (j = 0; j < roots->n && !under; j++) {
			size_t n = strlen(roots->v[j]);
			under = strncmp(p, roots->v[j], n) == 0 && p[n] == '/';
		}
		xp = bsearch(&kp, in->v, in->n, sizeof(*in->v), input_cmp);
		if (xp != NULL && (*xp)->known == 0)
			input_known(*xp, 2, st);
		else if (xp == NULL && under)
			vec_push(&gone, xstrdup(p));
	}
	for (i = 0; i < gone.n; i++) {
		st = db_stmt(db, ST_ALIAS_DELETE);
		db_bind_text(st, 1, gone.v[i]);
		db_step(db, st);
		free(gone.v[i]);
	}
	vec_free(&gone);
}

/* With $KBGEN_TIMING set, prints the CPU time the calling thread used. */
static void
thread_cpu(const char *name)
{
	struct timespec ts;

	if (getenv("KBGEN_TIMING") == NULL ||
	    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == -1)
		return;
	fprintf(stderr, "kbgen: timing: cpu %-8s %8.3f s\n", name,
	    (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/*
 * With $KBGEN_TIMING set, prints how long each phase of a compile took
 * (name NULL starts the clock), for tuning and for the benchmark notes.
 */
static void
phase(double *clock, const char *name)
{
	struct timespec ts;
	double now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (name != NULL && getenv("KBGEN_TIMING") != NULL)
		fprintf(stderr, "kbgen: timing: %-10s %8.3f s\n", name, now - *clock);
	*clock = now;
}

int
compile_paths(struct db *db, char *const *paths, int npaths,
    struct compile_stats *cs)
{
	struct vec in = {0}, roots = {0};
	struct stat sb;
	char real[PATH_MAX];
	struct job *jobs;
	struct indexer *ix;
	struct fcache fc;
	struct timespec ts;
	double clock;
	size_t i, k, njobs = 0;
	int errors = 0, r;

	memset(cs, 0, sizeof(*cs));
	memset(&fc, 0, sizeof(fc));
	phase(&clock, NULL);
	/* Before any folder is read: a folder changed since is read again
	 * next time (fc_settled). */
	clock_gettime(CLOCK_REALTIME, &ts);
	fc.now_ns = ts_ns(&ts);
	for (i = 0; i < (size_t)npaths; i++) {
		if (stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			size_t n = strlen(paths[i]);
			char *d = xstrdup(paths[i]);
			while (n > 1 && d[n - 1] == '/')
				d[--n] = '\0';
			if (realpath(d, real)) {
				fcache_load(db, &fc, real);
				walk_parallel(&in, d, real, &fc);
				vec_push(&roots, xstrdup(real));
			} else
				diag(DIAG_ERROR, d, 0, 0, "cannot open: %s",
				    strerror(errno));
			free(d);
		} else
			add_input(&in, paths[i]);
	}
	phase(&clock, "walk");
	if (getenv("KBGEN_TIMING") != NULL)
		fprintf(stderr, "kbgen: timing: folders    %zu read, %zu from "
		    "the cache\n", fc.nread, fc.ncached);
	kb_qsort(in.v, in.n, sizeof(*in.v), input_cmp);
	/* The same file named twice is compiled once. */
	for (i = k = 0; i < in.n; i++) {
		struct input *x = in.v[i];
		if (k && strcmp(((struct input *)in.v[k - 1])->path, x->path) == 0) {
			free(x->path);
			free(x->display);
			free(x);
			continue;
		}
		in.v[k++] = x;
	}
	in.n = k;

	if (db_exec(db, ST_BEGIN) != SQLITE_DONE)
		die("%s: cannot start a transaction", db->path);
	fcache_store(db, &fc);
	fcache_free(&fc);
	prune(db, &roots, &in, cs);
	phase(&clock, "prune");
	jobs = xcalloc(in.n + 1, sizeof(*jobs));
	for (i = 0; i < in.n; i++) {
		struct job *j = &jobs[njobs];
		/* A slot left by a skipped input is reused: start clean. */
		memset(j, 0, sizeof(*j));
		cs->files++;
		j->in = in.v[i];
		if ((r = job_check(j)) < 0)
			errors++;
		else if (r == 0)
			cs->unchanged++;
		else
			njobs++;
	}
	phase(&clock, "check");
	/* A new KB gets its full-text index from a thread of its own. */
	ix = db->tmp != NULL ? index_start() : NULL;
	errors += run_jobs(db, jobs, njobs, cs, ix);
	phase(&clock, "read+store");
	free(jobs);
	if (ix != NULL) {
		db_exec(db, ST_SOURCE_RELINK);
		index_finish(db, ix);
		db_exec(db, ST_ARTICLE_PRUNE);
	} else if (cs->compiled || cs->removed) {
		db_exec(db, ST_SOURCE_RELINK);
		fts_sync(db);
		if (cs->compiled >= FTS_BATCH)
			db_exec(db, ST_FTS_OPTIMIZE);
		db_exec(db, ST_ARTICLE_PRUNE);
	}
	phase(&clock, "index");
	if (db_exec(db, ST_COMMIT) != SQLITE_DONE)
		die("%s: cannot commit", db->path);
	phase(&clock, "commit");
	thread_cpu("main");
	cs->errors = (size_t)errors;
	for (i = 0; i < in.n; i++) {
		struct input *x = in.v[i];
		free(x->path);
		free(x->display);
		free(x);
	}
	vec_free(&in);
	for (i = 0; i < roots.n; i++)
		free(roots.v[i]);
	vec_free(&roots);
	return errors ? -1 : 0;
}
