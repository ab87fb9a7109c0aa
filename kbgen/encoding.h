/*
 * encoding.h -- raw file bytes to clean UTF-8, and the small UTF-8 and
 * script helpers that the readers, the log parsers and the full-text
 * tokenizer share.  Any kbgen source file may include this header after
 * util.h; it includes nothing of ours.
 */
#ifndef KBGEN_ENCODING_H
#define KBGEN_ENCODING_H

#include <stddef.h>
#include <stdint.h>

/* How the input ended its lines (before text_decode made them all LF). */
enum eol_style {
	EOL_NONE,		/* no line end at all */
	EOL_LF,			/* only LF */
	EOL_CRLF,		/* only CRLF */
	EOL_MIXED,		/* more than one kind */
	EOL_CR			/* only lone CR (classic Mac) */
};

struct decode_info {
	/* "utf-8", "utf-8-bom", "utf-16le", "utf-16be" or "windows-1252";
	   a static string, never freed. */
	const char *encoding;
	int	 had_bom;	/* a byte order mark was found and dropped */
	int	 eol;		/* enum eol_style */
	size_t	 replaced;	/* U+FFFD written for undecodable input */
};

/*
 * Decodes len bytes of raw file content into out, replacing what out
 * held.  The result is valid UTF-8 without NUL bytes, with every CRLF
 * and lone CR turned into LF and any byte order mark dropped.  path
 * names the file in diagnostics; info (may be NULL) receives what was
 * found.  Returns 0, or -1 for a binary file (after an error diagnostic;
 * out is then empty).  An empty input returns 0 with an empty out.
 */
int	 text_decode(const char *path, const unsigned char *raw, size_t len,
	    struct buf *out, struct decode_info *info);

/*
 * The encoding text_decode() would choose for these bytes, without
 * decoding or diagnostics, for streams that decode line by line: "utf-8"
 * (also with a BOM), "utf-16le", "utf-16be", "windows-1252", or NULL for
 * a binary file.  *bom receives the length of a byte order mark.
 */
const char *text_guess_encoding(const unsigned char *raw, size_t len,
	    size_t *bom);

/*
 * Decodes the UTF-8 sequence at s (at most len bytes) into *cp.  Returns
 * its length 1-4, 0 when len is 0, or -1 for an invalid sequence:
 * overlong forms, surrogates, values above U+10FFFF, stray continuation
 * bytes and sequences cut short by len.
 */
int	 utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/*
 * Writes cp as UTF-8 into out (not NUL-terminated) and returns the
 * number of bytes, 1-4.  Surrogates and values above U+10FFFF are
 * written as U+FFFD.
 */
size_t	 utf8_encode(uint32_t cp, char out[4]);

/*
 * Whether cp is a CJK letter: a Han ideograph (URO, extensions A to I,
 * compatibility ideographs), kana (including halfwidth katakana), or
 * Hangul (syllables and jamo).  CJK punctuation, brackets, fullwidth
 * ASCII and radicals are not letters and return 0.
 */
int	 cp_is_cjk(uint32_t cp);

/*
 * Guesses an article's locale from its script: "zh-cn", "ja-jp",
 * "ko-kr" or "ru-ru", or NULL when the text is mostly Latin (or has no
 * letters), leaving the choice to the caller.  Invalid UTF-8 is skipped.
 */
const char *detect_script_locale(const char *utf8, size_t len);

#endif
