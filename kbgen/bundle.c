/*
 * bundle.c -- folders and archives as a stream of files (bundle.h).
 *
 * Nothing is extracted to disk: libarchive decompresses into a fixed
 * buffer that goes straight to the sink.  An archive inside the bundle
 * is read through a second libarchive reader whose input callback pulls
 * from the first, so nesting costs no memory either.  Limits on total
 * size, compression ratio and entry count stop archive bombs with a
 * clear error instead of an exhausted disk or memory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "util.h"
#include "bundle.h"

#define BLOCK	(256u * 1024)

/* One bundle being read. */
struct breader {
	const char		*src;
	const struct bundle_limits *lim;
	const struct bundle_sink *sink;
	uint64_t		 total;		/* uncompressed bytes so far */
	int			 problems;
	int			 stop;		/* a limit was hit: read no more */
	unsigned char		*buf;		/* BLOCK bytes */
};

void
bundle_limits_default(struct bundle_limits *l)
{
	l->max_total = 64ull << 30;
	l->max_ratio = 200;
	l->max_entries = 1000000;
}

int
bundle_path_unsafe(const char *p)
{
	const char *s;

	if (p[0] == '/' || p[0] == '\\' || (kb_isalpha((unsigned char)p[0]) &&
	    p[1] == ':'))
		return 1;
	for (s = p; *s; ) {
		size_t n = strcspn(s, "/\\");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return 1;
		s += n;
		if (*s)
			s++;
	}
	return 0;
}

/* Does a file's start look like an archive or compressed stream? */
static int
archive_magic(const unsigned char *p, size_t n)
{
	if (n >= 4 && memcmp(p, "PK\003\004", 4) == 0)
		return 1;		/* zip */
	if (n >= 4 && memcmp(p, "PK\005\006", 4) == 0)
		return 1;		/* empty zip */
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return 1;		/* gzip */
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return 1;		/* xz */
	if (n >= 3 && memcmp(p, "BZh", 3) == 0)
		return 1;		/* bzip2 */
	if (n >= 4 && memcmp(p, "MSCF", 4) == 0)
		return 1;		/* cab */
	if (n >= 6 && memcmp(p, "7z\xbc\xaf\x27\x1c", 6) == 0)
		return 1;		/* 7z */
	if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
		return 1;		/* tar */
	return 0;
}

/* A limit check after n more uncompressed bytes; 0 ok, -1 stop. */
static int
count_bytes(struct breader *br, const char *label, uint64_t n)
{
	br->total += n;
	if (br->total > br->lim->max_total) {
		diag(DIAG_ERROR, label, 0, 0, "bundle larger than %llu bytes "
		    "uncompressed; stopped reading it",
		    (unsigned long long)br->lim->max_total);
		br->stop = 1;
		return -1;
	}
	return 0;
}

/* Hands one file's bytes to the sink from a read callback. */
struct source {
	/* Returns bytes read into buf (0 at the end, -1 on error). */
	ssize_t	(*read)(void *, unsigned char *, size_t);
	void	*arg;
	int	 fd;		/* a plain file's descriptor, or -1 */
};

static int	read_archive(struct breader *, const char *label,
		    struct archive *, int depth, const char *outer_name);

/*
 * Streams a file whose first block is already in br->buf[0..first) to
 * the sink, or opens it as a nested archive when it is one and depth
 * allows.  label is "src/path" for diagnostics; path is inside the
 * bundle.  Returns 0 or -1 after a diagnostic.
 */
static int
stream_file(struct breader *br, const char *path, size_t first,
    const struct source *src, int depth, uint64_t size,
    struct archive *(*reopen)(void *, const unsigned char *, size_t),
    void *reopen_arg)
{
	char *label = xasprintf("%s/%s", br->src, path);
	void *h;
	ssize_t n;
	int rc = 0;

	if (archive_magic(br->buf, first)) {
		if (depth >= 1 || reopen == NULL) {
			diag(DIAG_WARNING, label, 0, 0, "archive nested more "
			    "than one level deep; skipped");
			free(label);
			br->problems++;
			return 0;
		}
		struct archive *a = reopen(reopen_arg, br->buf, first);
		if (a != NULL) {
			rc = read_archive(br, label, a, depth + 1, path);
			archive_read_free(a);
		}
		free(label);
		return rc;
	}
	h = br->sink->begin(br->sink->arg, path, path_base(path), size);
	if (h == NULL) {
		free(label);
		return 0;
	}
	if (count_bytes(br, label, first) == 0)
		br->sink->feed(h, br->buf, first);
	/* A plain file can be read by the sink itself (on another thread),
	 * from where this left it: its size counts now. */
	n = 0;
	if (src->fd != -1 && br->sink->adopt != NULL && !br->stop &&
	    size >= first && count_bytes(br, label, size - first) == 0) {
		int fd = dup(src->fd);
		if (fd != -1 && br->sink->adopt(h, fd)) {
			br->sink->end(h, 0);
			free(label);
			return 0;
		}
		if (fd != -1)
			close(fd);
		br->total -= size - first;
	}
	while (!br->stop && (n = src->read(src->arg, br->buf, BLOCK)) > 0) {
		if (count_bytes(br, label, (uint64_t)n) == -1)
			break;
		br->sink->feed(h, br->buf, (size_t)n);
	}
	if (n < 0 || br->stop) {
		rc = -1;
		br->problems++;
	}
	br->sink->end(h, rc);
	free(label);
	return rc;
}

/* ---- archives ----------------------------------------------------- */

/* read() over the current entry of an archive, with the ratio check. */
struct entry_src {
	struct breader	*br;
	struct archive	*a;
	const char	*label;
	uint64_t	 out;		/* uncompressed bytes of this archive */
};

static ssize_t
entry_read(void *arg, unsigned char *buf, size_t n)
{
	struct entry_src *es = arg;
	la_ssize_t r = archive_read_data(es->a, buf, n);
	int64_t in;

	if (r < 0) {
		diag(DIAG_ERROR, es->label, 0, 0, "damaged archive entry: %s",
		    archive_error_string(es->a));
		return -1;
	}
	es->out += (uint64_t)r;
	in = archive_filter_bytes(es->a, -1);
	if (es->out > (1u << 20) && in > 0 &&
	    es->out / (uint64_t)in > es->br->lim->max_ratio) {
		diag(DIAG_ERROR, es->label, 0, 0, "compression ratio over %llu "
		    "(an archive bomb?); stopped reading it",
		    (unsigned long long)es->br->lim->max_ratio);
		es->br->stop = 1;
		return -1;
	}
	return (ssize_t)r;
}

/* A nested archive reads its input from the outer archive's entry. */
struct nested_in {
	struct entry_src *outer;
	unsigned char	*first;		/* the block already read */
	size_t		 nfirst;
	unsigned char	*buf;
};

static la_ssize_t
nested_read(struct archive *a, void *arg, const void **out)
{
	struct nested_in *ni = arg;
	ssize_t n;

	(void)a;
	if (ni->nfirst) {
		*out = ni->first;
		n = (ssize_t)ni->nfirst;
		ni->nfirst = 0;
		return n;
	}
	n = entry_read(ni->outer, ni->buf, BLOCK);
	*out = ni->buf;
	return n < 0 ? ARCHIVE_FATAL : n;
}

static int
nested_close(struct archive *a, void *arg)
{
	struct nested_in *ni = arg;

	(void)a;
	free(ni->first);
	free(ni->buf);
	free(ni);
	return ARCHIVE_OK;
}

/* Every format and filter libarchive knows; "raw" for a lone .gz. */
static struct archive *
new_reader(void)
{
	struct archive *a = archive_read_new();

	if (a == NULL)
		die("out of memory");
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	archive_read_support_format_raw(a);
	return a;
}

static struct archive *
reopen_nested(void *arg, const unsigned char *first, size_t n)
{
	struct entry_src *outer = arg;
	struct nested_in *ni = xcalloc(1, sizeof(*ni));
	struct archive *a = new_reader();

	ni->outer = outer;
	ni->first = xmalloc(n ? n : 1);
	memcpy(ni->first, first, n);
	ni->nfirst = n;
	ni->buf = xmalloc(BLOCK);
	if (archive_read_open(a, ni, NULL, nested_read, nested_close) !=
	    ARCHIVE_OK) {
		diag(DIAG_ERROR, outer->label, 0, 0, "cannot read the nested "
		    "archive: %s", archive_error_string(a));
		outer->br->problems++;
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Why an entry is refused, or NULL when it is a regular file to read. */
static const char *
entry_refusal(struct archive_entry *e, const char *path)
{
	if (archive_entry_hardlink(e) != NULL ||
	    archive_entry_symlink(e) != NULL ||
	    archive_entry_filetype(e) == AE_IFLNK)
		return "a link";
	if (bundle_path_unsafe(path))
		return "an absolute path or '..'";
	if (archive_entry_filetype(e) != AE_IFREG &&
	    archive_entry_filetype(e) != 0)
		return NULL;	/* folders and devices: nothing to read */
	return "";
}

/*
 * Reads every entry of an open archive.  label names the archive in
 * diagnostics.  depth 0 is the bundle itself; inside an archive at depth
 * 1 (one nested in the bundle) paths are prefixed with outer_name, the
 * archive's own path, which also names a lone compressed file ("raw").
 */
static int
read_archive(struct breader *br, const char *label, struct archive *a,
    int depth, const char *outer_name)
{
	struct archive_entry *e;
	uint64_t entries = 0;
	int r, rc = 0;

	for (;;) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_WARN)
			diag(DIAG_WARNING, label, 0, 0, "%s",
			    archive_error_string(a));
		else if (r != ARCHIVE_OK) {
			diag(DIAG_ERROR, label, 0, 0, "cannot read the archive: "
			    "%s", archive_error_string(a));
			br->problems++;
			return -1;
		}
		if (++entries > br->lim->max_entries) {
			diag(DIAG_ERROR, label, 0, 0, "more than %llu entries; "
			    "stopped reading it",
			    (unsigned long long)br->lim->max_entries);
			br->problems++;
			return -1;
		}
		const char *raw = archive_entry_pathname(e);
		char *path;
		if (archive_format(a) == ARCHIVE_FORMAT_RAW) {
			/* A lone compressed file: name it after the file. */
			char *nm = xstrdup(path_base(outer_name));
			char *dot = strrchr(nm, '.');
			if (dot && dot != nm)
				*dot = '\0';
			path = depth >= 1 ? xasprintf("%s/%s", outer_name, nm) :
			    xstrdup(nm);
			free(nm);
		} else if (depth >= 1)
			path = xasprintf("%s/%s", outer_name, raw ? raw : "?");
		else
			path = xstrdup(raw ? raw : "?");
		const char *why = entry_refusal(e, raw ? raw : "");
		if (why != NULL && why[0] != '\0') {
			diag(DIAG_WARNING, label, 0, 0, "entry '%s' is %s; refused",
			    raw ? raw : "?", why);
			br->problems++;
		}
		if (why == NULL || why[0] != '\0') {
			free(path);
			continue;
		}
		{
			struct entry_src es = { br, a, label, 0 };
			struct source src = { entry_read, &es, -1 };
			ssize_t first;

			es.label = label;
			first = entry_read(&es, br->buf, BLOCK);
			if (first < 0) {
				br->problems++;
				rc = 1;
			} else if (stream_file(br, path, (size_t)first, &src, depth,
			    (uint64_t)archive_entry_size(e), reopen_nested,
			    &es) != 0)
				rc = 1;
		}
		free(path);
		if (br->stop)
			return -1;
	}
	return rc;
}

/* ---- folders and plain files -------------------------------------- */

static ssize_t
fd_read(void *arg, unsigned char *buf, size_t n)
{
	int fd = *(int *)arg;
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

/* A nested archive in a folder bundle is opened from its file. */
static struct archive *
reopen_file(void *arg, const unsigned char *first, size_t n)
{
	const char *file = arg;
	struct archive *a = new_reader();

	(void)first;
	(void)n;
	if (archive_read_open_filename(a, file, BLOCK) != ARCHIVE_OK) {
		diag(DIAG_ERROR, file, 0, 0, "cannot read the archive: %s",
		    archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Reads one plain file of a folder (or a lone file) into the sink. */
static int
read_plain(struct breader *br, const char *file, const char *path,
    int depth)
{
	struct stat st;
	struct source src;
	ssize_t first;
	int fd, rc;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1 ||
	    fstat(fd, &st) == -1) {
		diag(DIAG_ERROR, file, 0, 0, "cannot open: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		br->problems++;
		return -1;
	}
	src.read = fd_read;
	src.arg = &fd;
	src.fd = fd;
	first = fd_read(&fd, br->buf, BLOCK);
	if (first < 0) {
		diag(DIAG_ERROR, file, 0, 0, "cannot read: %s", strerror(errno));
		close(fd);
		br->problems++;
		return -1;
	}
	rc = stream_file(br, path, (size_t)first, &src, depth,
	    (uint64_t)st.st_size, reopen_file, (void *)file);
	close(fd);
	return rc;
}

int
bundle_is_manifest(const char *name)
{
	static const char *const names[] = { "manifest.txt", "manifest.ini",
	    "bundle.ini", "kbgen-manifest.txt", "kbgen.manifest", NULL };
	size_t i;

	for (i = 0; names[i]; i++)
		if (kb_strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* Sorted names, a manifest first: the host's zone must be known before
 * the logs whose local times it decides. */
static int
folder_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int mx = bundle_is_manifest(x), my = bundle_is_manifest(y);

	if (mx != my)
		return my - mx;
	return strcmp(x, y);
}

/* Walks a folder in sorted order; links are refused, as in archives. */
static int
read_folder(struct breader *br, const char *dir, const char *rel,
    int level)
{
	DIR *d;
	struct dirent *de;
	struct vec names = {0};
	struct stat st;
	size_t i;
	int rc = 0;

	if (level > 32) {
		diag(DIAG_WARNING, dir, 0, 0, "folders nested too deep; skipped");
		return 1;
	}
	if ((d = opendir(dir)) == NULL) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot open folder: %s",
		    strerror(errno));
		br->problems++;
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			vec_push(&names, xstrdup(de->d_name));
	closedir(d);
	if (names.n > 1)
		kb_qsort(names.v, names.n, sizeof(*names.v), folder_cmp);
	for (i = 0; i < names.n && !br->stop; i++) {
		char *full = xasprintf("%s/%s", dir, (char *)names.v[i]);
		char *sub = *rel ? xasprintf("%s/%s", rel, (char *)names.v[i]) :
		    xstrdup(names.v[i]);
		if (lstat(full, &st) == -1)
			rc = 1;
		else if (S_ISLNK(st.st_mode)) {
			diag(DIAG_WARNING, full, 0, 0, "a link; refused");
			br->problems++;
		} else if (S_ISDIR(st.st_mode)) {
			if (read_folder(br, full, sub, level + 1) != 0)
				rc = 1;
		} else if (S_ISREG(st.st_mode)) {
			if (read_plain(br, full, sub, 0) != 0)
				rc = 1;
		}
		free(full);
		free(sub);
	}
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	vec_free(&names);
	return rc;
}

int
bundle_read(const char *src, const struct bundle_limits *lim,
    const struct bundle_sink *sink)
{
	struct breader br;
	struct stat st;
	int rc;

	memset(&br, 0, sizeof(br));
	br.src = src;
	br.lim = lim;
	br.sink = sink;
	br.buf = xmalloc(BLOCK);
	if (stat(src, &st) == -1) {
		diag(DIAG_ERROR, src, 0, 0, "cannot open: %s", strerror(errno));
		free(br.buf);
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		rc = read_folder(&br, src, "", 0);
	else {
		/* A lone file or archive: its own name is its path. */
		const char *name = path_base(src);
		char *dir = xstrndup(src, (size_t)(name - src));
		br.src = *dir ? dir : ".";
		if (br.src[strlen(br.src) - 1] == '/' && strlen(br.src) > 1)
			dir[strlen(dir) - 1] = '\0';
		/* Depth -1: an archive given as the bundle is the bundle. */
		rc = read_plain(&br, src, name, -1);
		br.src = src;
		free(dir);
	}
	free(br.buf);
	if (rc < 0 && br.problems == 0)
		return -1;
	return rc != 0 || br.problems ? 1 : 0;
}
