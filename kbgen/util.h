/*
 * util.h -- memory, growable buffers, diagnostics shared by every stage.
 * Any kbgen source file may include this header; it includes nothing of ours.
 *
 * Out of memory is fatal (x* wrappers exit with status 3), so error paths in
 * the rest of the code are only for input, I/O and the database.
 */
#ifndef KBGEN_UTIL_H
#define KBGEN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__GNUC__)
#define KB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define KB_NORETURN __attribute__((noreturn))
#else
#define KB_PRINTF(a, b)
#define KB_NORETURN
#endif

/* 1 under AddressSanitizer: the memory shortcuts (arenas, a model left
 * to the process exit) are off, so that it sees every allocation. */
#if defined(__SANITIZE_ADDRESS__)
#define KB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KB_ASAN 1
#endif
#endif
#ifndef KB_ASAN
#define KB_ASAN 0
#endif

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) KB_PRINTF(1, 2);

/*
 * A growable byte buffer.  Invariants: data is either NULL (len == cap == 0)
 * or points to cap bytes of which the first len are content and data[len] is
 * always '\0' (so data can be passed to C string functions when the content
 * has no NUL).  A zero-initialised struct buf is an empty buffer.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_grow(struct buf *, size_t extra);
void	 buf_put(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...) KB_PRINTF(2, 3);
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);
/* Returns the content as a malloc'd string and leaves the buffer empty. */
char	*buf_detach(struct buf *);
/* Trims ASCII white space at both ends in place. */
void	 buf_trim(struct buf *);
const char *buf_str(const struct buf *);	/* "" when empty */

/*
 * A growable array of pointers; same zero-init rule as struct buf.
 * The vector never owns what it points to unless its user says so.
 */
struct vec {
	void	**v;
	size_t	  n;
	size_t	  cap;
};
void	 vec_push(struct vec *, void *);
void	 vec_free(struct vec *);


/*
 * An open-addressing map from a 64-bit hash to an index into the
 * caller's array (words, signatures, clusters, IIS keys).  Keys are
 * compared by the caller's eq(arg, index); zeroed is empty.
 */
struct hmap {
	size_t		 n, cap;
	uint64_t	*h;
	size_t		*v;	/* index + 1; 0 empty */
};
size_t	 hmap_find(const struct hmap *, uint64_t, int (*eq)(void *, size_t),
	    void *);		/* the index, or (size_t)-1 */
void	 hmap_put(struct hmap *, uint64_t, size_t);
void	 hmap_clear(struct hmap *);	/* empty, its memory kept */
void	 hmap_free(struct hmap *);

/*
 * A FIFO of byte chunks, how the threads of a pipeline (ingest, the
 * matcher's record pass) hand work on.  Locking is the caller's.
 */
struct chunk {
	struct chunk	*next;
	size_t		 n;
	unsigned char	 data[];
};
struct chunkq {
	struct chunk	*head, *tail;
	size_t		 bytes;		/* queued */
};
struct chunk	*chunk_new(const void *, size_t);
void		 chunkq_push(struct chunkq *, struct chunk *);
struct chunk	*chunkq_pop(struct chunkq *);	/* NULL when empty */
void		 chunkq_free(struct chunkq *);
/* Sorts a vector of C strings by strcmp(). */
void	 vec_sort_str(struct vec *);

/* Does s end with suffix, ignoring ASCII case? */
int	 str_ends_ci(const char *s, const char *suffix);

/* qsort(3) that accepts an empty array at NULL (qsort itself must not be
 * given a null pointer, even with no elements). */
static inline void
kb_qsort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/*
 * Writes len bytes to path atomically (a temporary file beside it, synced,
 * then renamed over it), or to standard output when path is NULL or "-".
 * Returns 0, or -1 after a diagnostic.
 */
int	 write_output(const char *path, const char *data, size_t len);

/*
 * Diagnostics: "kbgen: FILE:LINE:COL: error: message" on stderr.
 * line/col of 0 are omitted.  The worst level seen decides the exit status.
 */
enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR, DIAG_FATAL };
void	 diag(enum diag_level, const char *file, long line, long col,
	    const char *fmt, ...) KB_PRINTF(5, 6);
void	 vdiag(enum diag_level, const char *file, long line, long col,
	    const char *fmt, va_list);
/*
 * While set (per thread), diagnostics are appended to the buffer instead
 * of stderr, so worker threads can hand them to the main thread to print
 * in input order.  NULL restores stderr.
 */
void	 diag_capture(struct buf *);
/* Worst level seen so far (DIAG_NOTE when nothing went wrong). */
enum diag_level diag_worst(void);
/* Silences warnings (not errors) when set, for --quiet. */
extern int diag_quiet;
/* Prints "kbgen: fatal: ..." and exits with status 3. */
KB_NORETURN void die(const char *fmt, ...) KB_PRINTF(1, 2);

/* Exit statuses from DESIGN.md. */
enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };

/*
 * The last component of a path ("Logs/wsyncmgr.log" -> "wsyncmgr.log"),
 * '/' and '\\' both separating; "" for NULL.  Points into the argument.
 */
const char *path_base(const char *);

/* Reads a whole file into buf.  Returns 0, or -1 with errno set. */
int	 file_read(const char *path, struct buf *);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void	 hex_encode(const unsigned char *, size_t n, char *out);
/* SHA-1 / SHA-256 of a byte string as lower-case hex (41 / 65 bytes). */
void	 sha1_hex(const void *, size_t, char out[41]);
void	 sha256_hex(const void *, size_t, char out[65]);

/*
 * ASCII-only helpers that do not depend on the locale; inline because the
 * scanners call them for every byte.
 */
static inline int kb_isspace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
/* Writes v in decimal to d (no NUL); returns how many digits. */
size_t	 kb_utoa(uint64_t v, char d[20]);
/* v as 8 bytes, least significant first: how integers enter a hash. */
static inline void
kb_le64(uint8_t b[8], int64_t v)
{
	uint64_t u = (uint64_t)v;
	int i;

	for (i = 0; i < 8; i++, u >>= 8)
		b[i] = (uint8_t)u;
}

static inline int kb_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline int kb_isalpha(int c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static inline int kb_isalnum(int c) { return kb_isalpha(c) || kb_isdigit(c); }
static inline int kb_tolower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static inline int
kb_isxdigit(int c)
{
	return kb_isdigit(c) || ((c | 32) >= 'a' && (c | 32) <= 'f');
}
int	 kb_strncasecmp(const char *, const char *, size_t);
int	 kb_strcasecmp(const char *, const char *);

#endif
