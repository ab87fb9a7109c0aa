/*
 * compile.h -- `kbgen compile` (compile.c), also run by `kbgen build`.
 * Include util.h, <sqlite3.h> and db.h first.
 */
#ifndef KBGEN_COMPILE_H
#define KBGEN_COMPILE_H

struct compile_stats {
	size_t	files;		/* inputs considered */
	size_t	compiled;	/* new or changed, stored */
	size_t	unchanged;	/* skipped: same size+mtime or same SHA-1 */
	size_t	removed;	/* versions whose file is gone */
	size_t	errors;		/* inputs that could not be compiled */
	size_t	bytes;		/* raw bytes read */
	size_t	sections;	/* sections stored */
};

/*
 * Compiles files and folders (recursively: .md, .markdown, .txt) into the
 * KB in one transaction.  Returns 0, or -1 when some input had an error
 * (each was reported; the others were stored).
 */
int	 compile_paths(struct db *, char *const *paths, int npaths,
	    struct compile_stats *);

/*
 * Reads one article file outside the KB (for diff and tests): decoded,
 * parsed, identified and scanned for mentions exactly as compile would.
 * Returns a new article (article_free) or NULL after a diagnostic.
 */
struct article	*article_load(const char *path);

#endif
