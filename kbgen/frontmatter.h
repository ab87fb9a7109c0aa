/*
 * frontmatter.h -- YAML front matter of DocFX Markdown (frontmatter.c).
 * Included by article_md.c and the tests.  Include util.h first.
 */
#ifndef KBGEN_FRONTMATTER_H
#define KBGEN_FRONTMATTER_H

/*
 * Parsed front matter.  json is a JSON object holding every key (scalars
 * as strings, sequences as arrays, mappings as objects, empty values as
 * null); keys/vals hold the top-level scalar values for quick lookup.
 * Owns all of it; free with fm_free().
 */
struct fm {
	struct buf	 json;
	struct vec	 keys;		/* char * */
	struct vec	 vals;		/* char * */
};

/*
 * Finds front matter at the start of text ("---" line, YAML, "---" or
 * "..." line).  Returns 1 and sets *yaml and *yaml_len (the YAML between the
 * fences) and *body (offset of the first byte after the closing fence) and
 * *body_line (its 1-based line); returns 0 when there is none (then
 * *body = 0, *body_line = 1); returns -1 when the opening fence is never
 * closed.
 */
int		 fm_split(const char *text, size_t len, const char **yaml,
		    size_t *yaml_len, size_t *body, int *body_line);

/*
 * Parses the YAML into fm.  Errors are reported as warnings at
 * path:first_line+N and the parser falls back to "key: value" lines, so no
 * key is lost.  Returns 0, or 1 when it had to fall back.
 */
int		 fm_parse(struct fm *, const char *path, int first_line,
		    const char *yaml, size_t len);
/* The top-level scalar for key (ASCII case-insensitive), or NULL. */
const char	*fm_get(const struct fm *, const char *key);
void		 fm_free(struct fm *);

#endif
