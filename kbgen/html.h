/*
 * html.h -- one escape function per output context (lowdown style).
 * Any stage that writes HTML, JSON or terminal text includes this; include
 * util.h first.
 */
#ifndef KBGEN_HTML_H
#define KBGEN_HTML_H

/* Text content: & < > " ' escaped. */
void	 html_escape(struct buf *, const char *, size_t);
void	 html_escape_str(struct buf *, const char *);
/* A quoted attribute value: same set, plus control characters dropped. */
void	 html_attr(struct buf *, const char *);
/*
 * An href: only http, https, mailto and scheme-less (relative) URLs are
 * written; anything else becomes "#".  The URL is attribute-escaped.
 */
void	 html_href(struct buf *, const char *);
/* Does the URL have a scheme we let through (see html_href)? */
int	 url_is_safe(const char *);
/* Reverses html_escape (the five entities and numeric ones) into out. */
void	 html_unescape_into(struct buf *, const char *, size_t);
/* A JSON string literal, with "</" written as "<\/" for script contexts. */
void	 json_string(struct buf *, const char *);
/* The same for n bytes (which may hold NUL: written as \u0000). */
void	 json_string_n(struct buf *, const char *, size_t n);

#endif
