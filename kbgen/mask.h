/*
 * mask.h -- message templates: the parts of a log message that vary
 * between occurrences (numbers, GUIDs, codes, host names, URLs, paths,
 * quoted values) replaced by "<*>", so that an article's quoted error and
 * the same error in a real log, or two occurrences of one unknown error,
 * compare equal.  Used by the matcher (match.c) for the article
 * signatures and for clustering the errors nothing explains.
 */
#ifndef KBGEN_MASK_H
#define KBGEN_MASK_H

#define MASK_VAR	"<*>"

/*
 * Appends the template of msg (its first MASK_MAX_IN bytes; newlines and
 * runs of white space become one space) to out.  hosts, when not NULL, is
 * a NULL-terminated list of names that are masked too (an incident's
 * host names have no digits as often as they have some).  Case is kept.
 */
#define MASK_MAX_IN	2048
void	 mask_template(struct buf *out, const char *msg, const char *const *hosts);
/* The same, and returns how long the template of the first line alone
 * is (it is a prefix: chunks are words, and the first line's words come
 * first). */
size_t	 mask_template_line(struct buf *out, const char *msg,
	    const char *const *hosts);

/*
 * The words of a template: lower-cased alphanumeric runs, with MASK_VAR
 * as its own word (adjacent variables merged).  Each word is given as
 * start offset and length into tmpl.  Returns the number of words (at
 * most max).
 */
struct mask_word {
	unsigned	 off, len;
	int		 var;		/* 1 for MASK_VAR */
};
size_t	 mask_words(const char *tmpl, struct mask_word *w, size_t max);

/* Is word w (a lower-case, alphanumeric run) a word of message syntax
 * rather than content ("the", "a", "of"...)?  Such words do not make a
 * signature specific. */
int	 mask_is_stopword(const char *w, size_t len);

#endif
