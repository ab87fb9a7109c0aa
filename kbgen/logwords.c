/*
 * logwords.c -- the severity of a message from its words, for formats
 * that carry none (legacy SMS trace lines, generic text): "error",
 * "exception", "fail", "fatal" anywhere (any case) make an error, else
 * "warn" a warning, else SEV_NONE.  Shared by log_sms.c and
 * log_generic.c; every message of those formats goes through it, so it
 * tests eight positions at a time.
 */
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "logs.h"

/* Whether s[0..n) starts with the lower-case word w, ignoring case. */
static int
word(const char *s, size_t n, const char *w, size_t wl)
{
	size_t k;

	if (n < wl)
		return 0;
	for (k = 0; k < wl; k++)
		if ((((unsigned char)s[k]) | 0x20) != (unsigned char)w[k])
			return 0;
	return 1;
}

/* The keyword a severity word at s[0..n) starts, raising sev. */
static enum log_sev
sev_at(const char *s, size_t n, enum log_sev sev)
{
	switch (((unsigned char)*s) | 0x20) {
	case 'e':
		if (word(s, n, "error", 5) || word(s, n, "exception", 9))
			return SEV_ERROR;
		break;
	case 'f':
		if (word(s, n, "fail", 4) || word(s, n, "fatal", 5))
			return SEV_ERROR;
		break;
	case 'w':
		if (word(s, n, "warn", 4))
			return SEV_WARNING;
		break;
	}
	return sev;
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* The top bit of each byte of w that equals c (a lane above an equal
 * one may be flagged too: fine for a filter). */
static uint64_t
lanes_eq(uint64_t w, unsigned char c)
{
	uint64_t v = w ^ (ONES * c);

	return (v - ONES) & ~v & HIGHS;
}

/*
 * Tests the eight positions i..i+7 of s[0..n) (n >= i + 9): a keyword
 * can only start where a byte and the next are e+r, e+x, f+a or w+a (any
 * case), which few positions of ordinary text are, so one test of eight
 * lanes rules most of them out.
 */
static enum log_sev
window(const char *s, size_t n, size_t i, enum log_sev sev)
{
	uint64_t x, y, m;
	size_t k;

	memcpy(&x, s + i, 8);
	memcpy(&y, s + i + 1, 8);
	x |= ONES * 0x20;
	y |= ONES * 0x20;
	m = (lanes_eq(x, 'e') & (lanes_eq(y, 'r') | lanes_eq(y, 'x'))) |
	    ((lanes_eq(x, 'f') | lanes_eq(x, 'w')) & lanes_eq(y, 'a'));
	for (; m != 0 && sev != SEV_ERROR; m &= m - 1) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* Only the flagged positions: lane k is byte k. */
		k = i + (size_t)__builtin_ctzll(m) / 8;
		sev = sev_at(s + k, n - k, sev);
#else
		for (k = i; k < i + 8; k++)
			sev = sev_at(s + k, n - k, sev);
		break;
#endif
	}
	return sev;
}

/*
 * The severity rule (see the top of the file), eight positions at a
 * time; the last window ends at the
 * end of the message and may overlap the one before (positions tested
 * twice do no harm; a keyword cannot start in the last three bytes).
 */
enum log_sev
log_sev_words(const char *s, size_t n)
{
	enum log_sev sev = SEV_NONE;
	size_t i;

	if (n < 9) {
		for (i = 0; i + 4 <= n && sev != SEV_ERROR; i++)
			sev = sev_at(s + i, n - i, sev);
		return sev;
	}
	for (i = 0;; i = i + 17 <= n ? i + 8 : n - 9) {
		sev = window(s, n, i, sev);
		if (sev == SEV_ERROR || i + 9 == n)
			return sev;
	}
}

