/*
 * codes.h -- error codes of the WSUS / Configuration Manager field: parsing
 * what a user types ("kbgen lookup CODE"), the alternative written forms of
 * an HRESULT, and human descriptions from a hand-written table.
 * Include util.h and article.h (for enum mention_kind) first.  Used by
 * mention.c (the article scanner), the lookup command and the matcher.
 *
 * Normalized values are those of article.h: an HRESULT is "0x" and eight
 * lower-case hex digits; Win32, STATMSG, HTTP, event and KB values are
 * plain decimal.  An HRESULT value may also be a pattern, written with
 * lower-case 'x' for the unknown digits: "xxxx2ee2" (a suffix, as the
 * articles write it: any HRESULT ending in 2ee2) or "0x8024xxxx" (a
 * prefix: any HRESULT of that family).  code_hresult_match() compares.
 */
#ifndef KBGEN_CODES_H
#define KBGEN_CODES_H

#define CODE_VALUE_MAX	24	/* size of a normalized value, NUL included */
#define CODE_MAXCAND	8

/* One reading of a typed code. */
struct code_cand {
	enum mention_kind kind;
	char	 value[CODE_VALUE_MAX];	/* normalized, as in article.h */
	int	 known;		/* kbgen's table has a name or text for it */
	int	 derived;	/* implied by another reading, not typed:
				   the Win32 code of a FACILITY_WIN32
				   HRESULT, or the HRESULT of a Win32 code */
};

/* Every plausible reading of one input, the likeliest first. */
struct code {
	size_t	 n;
	struct code_cand cand[CODE_MAXCAND];
};

/*
 * Parses what a user types: 0x80070643, 80070643, hr=80070643,
 * 2147944003, -2147023293, 0x643, 503, 6703, KB4039929, xxxx2ee2, or a
 * symbolic name from the table (E_FAIL, ERROR_INSTALL_FAILURE, WU_E_...).
 * Leading and trailing white space is ignored.  Fills out (out->n >= 1)
 * and returns 0, or returns -1 (out->n == 0) for anything else.
 */
int	 code_parse(const char *, struct code *out);

/*
 * Appends a one-line human description of a normalized value of the
 * given kind to out: for an HRESULT the symbolic name and message when
 * known, then severity, facility (number and name) and code field; for a
 * FACILITY_WIN32 HRESULT also the Win32 error.  Unknown values still get
 * the structural decoding.  Never fails; junk values are described as such.
 */
void	 code_describe(enum mention_kind, const char *value, struct buf *out);

/*
 * The written forms of one HRESULT, for the lookup and the matcher.
 * Empty strings where a form does not apply.
 */
struct code_forms {
	char	 hex[11];	/* "0x80070643" (the normalized value) */
	char	 bare[9];	/* "80070643" */
	char	 bare_upper[9];	/* "80072EE2" */
	char	 udec[11];	/* "2147944003" */
	char	 sdec[12];	/* "-2147023293" */
	char	 suffix[9];	/* "xxxx0643" */
	char	 win32[6];	/* "1603" for FACILITY_WIN32, else "" */
};

/*
 * Fills f from a normalized HRESULT value ("0x80070643"; upper-case hex
 * and a missing "0x" are tolerated).  Returns 0, or -1 for a pattern or
 * anything that is not an HRESULT (f is then all empty strings).
 */
int	 code_hresult_forms(const char *value, struct code_forms *f);

/* Parses a normalized HRESULT value into *hr; returns 0 or -1. */
int	 code_hresult_value(const char *value, uint32_t *hr);

/* Writes the normalized form of hr ("0x%08x") into out. */
void	 code_hresult_format(uint32_t hr, char out[11]);

/*
 * Returns 1 when the HRESULT value matches pattern: equal values, or
 * pattern "xxxx2ee2" / "0x8024xxxx" with 'x' matching any hex digit
 * (case-insensitive).  Returns 0 otherwise, also for junk.
 */
int	 code_hresult_match(const char *pattern, const char *value);

/* Returns 1 when value is an HRESULT pattern rather than one HRESULT. */
int	 code_is_pattern(const char *value);

/*
 * Looks up a symbolic name (case-insensitive): E_FAIL, ERROR_BAD_NETPATH,
 * WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL, CERT_E_UNTRUSTEDROOT ...  Returns 0
 * and fills *kind and value (CODE_VALUE_MAX bytes), or -1 when unknown.
 */
int	 code_symbol(const char *name, size_t len, enum mention_kind *kind,
	    char *value);

/* Symbolic name of a normalized value, or NULL when the table has none. */
const char *code_name(enum mention_kind, const char *value);

/* Standard reason phrase of an HTTP status ("Service Unavailable") or NULL. */
const char *code_http_reason(unsigned status);

/* Returns 1 when kbgen's table knows the value (a name or a text). */
int	 code_known(enum mention_kind, const char *value);

#endif
