/*
 * bundle.h -- opening a diagnostics bundle (bundle.c): a folder, an
 * archive (.zip, .tar, .tar.gz/.tgz, .tar.xz, .cab ...) or a single file,
 * streamed through libarchive and never extracted to disk.  Archives
 * inside a bundle are opened one level deep.  Include util.h first.
 */
#ifndef KBGEN_BUNDLE_H
#define KBGEN_BUNDLE_H

#include <stdint.h>

/* Limits that keep a hostile archive from exhausting memory or time. */
struct bundle_limits {
	uint64_t	 max_total;	/* uncompressed bytes, whole bundle */
	uint64_t	 max_ratio;	/* uncompressed / compressed, per archive */
	uint64_t	 max_entries;	/* entries per archive */
};

/* The defaults: 64 GiB, ratio 200, a million entries. */
void	 bundle_limits_default(struct bundle_limits *);

/*
 * What the caller does with each file of the bundle.  begin() returns
 * the caller's handle for the file (or NULL to skip it); feed() gets its
 * bytes in order; end() closes it (error != 0 when reading it failed
 * midway: what was fed stays fed).
 */
struct bundle_sink {
	void	*(*begin)(void *arg, const char *path, const char *name,
		    uint64_t size);
	void	 (*feed)(void *file, const void *data, size_t n);
	void	 (*end)(void *file, int error);
	/*
	 * Optional: the sink may read a plain file of a folder itself (on
	 * another thread): it gets fd, a descriptor of its own positioned
	 * after the bytes fed so far, and returns 1 to take it (it closes
	 * fd and reads to the end), 0 to be fed as usual.  end() follows.
	 */
	int	 (*adopt)(void *file, int fd);
	void	*arg;
};

/*
 * Reads the bundle at src and hands every regular file to the sink, in a
 * stable order for folders (sorted by path) and archive order otherwise.
 * Paths handed over are relative to the bundle ("Logs/wsyncmgr.log"; a
 * nested archive's files as "inner.zip/Logs/x.log").  Entries with
 * absolute paths, "..", or links are refused with a warning.  Returns 0,
 * 1 when some entries had problems (reported), -1 when the bundle could
 * not be read at all (reported).  Diagnostics name "src/path".
 */
int	 bundle_read(const char *src, const struct bundle_limits *,
	    const struct bundle_sink *);

/* Is a file name that of a bundle manifest ("manifest.txt" ...)?  A
 * folder's manifest is handed over before its other files. */
int	 bundle_is_manifest(const char *name);

/* Does a path inside an archive try to leave it (absolute, "..")? */
int	 bundle_path_unsafe(const char *);

#endif
