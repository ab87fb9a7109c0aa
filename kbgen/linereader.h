/*
 * linereader.h -- a streaming decoder from raw file bytes to UTF-8 lines
 * (linereader.c), for the bundle stage.  Include util.h first.
 *
 * Feed any number of chunks; each complete physical line is handed to
 * line() decoded to valid UTF-8, without its LF or CR, NUL characters
 * dropped, with its 1-based number and the raw byte offset of its start.
 * The text passed is only valid during the call.  Memory stays bounded:
 * a line longer than LR_MAX_LINE is handed over in pieces with the same
 * line number, after one warning.
 */
#ifndef KBGEN_LINEREADER_H
#define KBGEN_LINEREADER_H

#include <stdint.h>

#define LR_MAX_LINE	(16u * 1024 * 1024)

enum lr_encoding {
	LR_BINARY,		/* not text: lr_guess() only */
	LR_UTF8,		/* invalid sequences become U+FFFD */
	LR_CP1252,		/* Windows-1252, the ANSI fallback */
	LR_UTF16LE,		/* must stay after the 8-bit ones */
	LR_UTF16BE
};

struct linereader {
	const char	*path;		/* for diagnostics */
	enum lr_encoding enc;
	void		(*line)(void *, const char *, size_t, long, uint64_t);
	void		*arg;
	long		 lineno;	/* lines handed over so far */
	uint64_t	 off;		/* raw offset of the next line */
	struct buf	 pending;	/* raw bytes of the unfinished line */
	struct buf	 scratch;	/* decoded line when a copy is needed */
	size_t		 problems;	/* decoding problems reported */
	size_t		 nuls;		/* NUL characters dropped */
	int		 warned_long;
};

/*
 * The encoding of a stream from its first bytes (BOM, then encoding.c's
 * heuristics); *bom receives the BOM length to skip.
 */
enum lr_encoding lr_guess(const unsigned char *head, size_t n, size_t *bom);
const char	*lr_encoding_name(enum lr_encoding, int bom);

/* Starts a reader; the BOM, if any, must not be fed (skip it). */
void	 lr_init(struct linereader *, const char *path, enum lr_encoding,
	    void (*line)(void *, const char *, size_t, long, uint64_t),
	    void *arg);
void	 lr_feed(struct linereader *, const void *, size_t);
/* Hands over a last line without LF and frees the reader's buffers. */
void	 lr_finish(struct linereader *);
/* Internal: emits a piece of an over-long pending line. */
void	 lr_split_long(struct linereader *);

#endif
