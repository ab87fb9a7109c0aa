/*
 * frontmatter.c -- YAML front matter to JSON through libyaml's event API.
 *
 * Every value is kept as text: DocFX metadata is text (dates such as
 * 10/16/2017, ids such as "71369856"), and converting numbers would lose
 * leading zeros or precision.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util.h"
#include "frontmatter.h"
#include "html.h"

/* Returns the length of the line starting at p (without its LF). */
static size_t
line_len(const char *p, const char *end)
{
	const char *q = memchr(p, '\n', (size_t)(end - p));

	return (size_t)((q ? q : end) - p);
}

/* Is the line [p, p+n) a fence: "---" or "...", trailing blanks allowed? */
static int
is_fence(const char *p, size_t n, int closing)
{
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	if (n != 3)
		return 0;
	return memcmp(p, "---", 3) == 0 || (closing && memcmp(p, "...", 3) == 0);
}

int
fm_split(const char *text, size_t len, const char **yaml, size_t *yaml_len,
    size_t *body, int *body_line)
{
	const char *end = text + len, *p = text;
	size_t n;
	int line = 1;

	*body = 0;
	*body_line = 1;
	n = line_len(p, end);
	if (!is_fence(p, n, 0))
		return 0;
	p += n + (p + n < end);
	*yaml = p;
	for (line = 2; p < end; line++) {
		n = line_len(p, end);
		if (is_fence(p, n, 1)) {
			*yaml_len = (size_t)(p - *yaml);
			p += n + (p + n < end);
			*body = (size_t)(p - text);
			*body_line = line + 1;
			return 1;
		}
		p += n + (p + n < end);
	}
	return -1;
}

/* Parser state: a stack of containers to know where commas and keys go. */
struct fmstate {
	struct fm	*fm;
	int		 depth;
	/* per depth: 'm' mapping / 's' sequence, item count, expecting key */
	char		 kind[64];
	int		 count[64];
	int		 want_key[64];
	char		*pending_key;	/* top-level key awaiting its scalar */
};

/* Writes the separator before a value or key at the current depth. */
static void
fms_before(struct fmstate *st)
{
	int d = st->depth;

	if (d == 0)
		return;
	if (st->kind[d] == 's' || st->want_key[d]) {
		if (st->count[d]++)
			buf_putc(&st->fm->json, ',');
	}
}

/* After a value: in a mapping the next scalar is a key again. */
static void
fms_after(struct fmstate *st)
{
	int d = st->depth;

	if (d > 0 && st->kind[d] == 'm') {
		st->want_key[d] = !st->want_key[d];
		if (st->want_key[d] == 0)
			buf_putc(&st->fm->json, ':');
	}
}

static void
fms_scalar(struct fmstate *st, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	int d = st->depth, is_key = d > 0 && st->kind[d] == 'm' && st->want_key[d];

	fms_before(st);
	if (!is_key && n == 0 && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		buf_puts(&st->fm->json, "null");
	else if (!is_key && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (strcmp(v, "~") == 0 || strcmp(v, "null") == 0))
		buf_puts(&st->fm->json, "null");
	else
		json_string_n(&st->fm->json, v, n);
	if (d == 1 && is_key) {
		free(st->pending_key);
		st->pending_key = xstrndup(v, n);
	} else if (d == 1 && st->pending_key) {
		vec_push(&st->fm->keys, st->pending_key);
		vec_push(&st->fm->vals, xstrndup(v, n));
		st->pending_key = NULL;
	}
	fms_after(st);
}

/* Opens a mapping or sequence; returns -1 when nested too deep. */
static int
fms_open(struct fmstate *st, char kind)
{
	if (st->depth + 1 >= (int)sizeof(st->kind))
		return -1;
	/* JSON keys are strings: a mapping or sequence as a key has no form. */
	if (st->depth > 0 && st->kind[st->depth] == 'm' &&
	    st->want_key[st->depth])
		return -1;
	fms_before(st);
	if (st->depth == 1 && st->pending_key) {
		free(st->pending_key);	/* not a scalar: JSON only */
		st->pending_key = NULL;
	}
	st->depth++;
	st->kind[st->depth] = kind;
	st->count[st->depth] = 0;
	st->want_key[st->depth] = kind == 'm';
	buf_putc(&st->fm->json, kind == 'm' ? '{' : '[');
	return 0;
}

static void
fms_close(struct fmstate *st)
{
	buf_putc(&st->fm->json, st->kind[st->depth] == 'm' ? '}' : ']');
	st->depth--;
	fms_after(st);
}

/*
 * Drives libyaml over the text.  Returns 0, or -1 with *line and *msg set
 * (msg points into the parser, valid until yaml_parser_delete).
 */
static int
fm_yaml(struct fm *fm, const char *yaml, size_t len, long *line,
    char **msg)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct fmstate st;
	int done = 0, rc = 0, docs = 0;

	memset(&st, 0, sizeof(st));
	st.fm = fm;
	if (!yaml_parser_initialize(&p))
		die("out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)yaml, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			*line = (long)p.problem_mark.line;
			*msg = xasprintf("%s%s%s", p.problem ? p.problem : "invalid YAML",
			    p.context ? " " : "", p.context ? p.context : "");
			rc = -1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (docs++) {
				*line = (long)ev.start_mark.line;
				*msg = xstrdup("more than one YAML document");
				rc = -1;
				done = 1;
			}
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (fms_open(&st, ev.type == YAML_MAPPING_START_EVENT ?
			    'm' : 's') == -1) {
				*line = (long)ev.start_mark.line;
				*msg = xstrdup("nested too deeply, or a "
				    "complex mapping key");
				rc = -1;
				done = 1;
			}
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			fms_close(&st);
			break;
		case YAML_SCALAR_EVENT:
			if (st.depth == 0) {
				/* A bare scalar document is not metadata. */
				*line = (long)ev.start_mark.line;
				*msg = xstrdup("front matter is not a mapping");
				rc = -1;
				done = 1;
				break;
			}
			fms_scalar(&st, &ev);
			break;
		case YAML_ALIAS_EVENT:
			fms_before(&st);
			buf_puts(&fm->json, "null");
			fms_after(&st);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	free(st.pending_key);
	yaml_parser_delete(&p);
	return rc;
}

/* Frees keys/vals and empties json. */
static void
fm_clear(struct fm *fm)
{
	size_t i;

	for (i = 0; i < fm->keys.n; i++) {
		free(fm->keys.v[i]);
		free(fm->vals.v[i]);
	}
	vec_free(&fm->keys);
	vec_free(&fm->vals);
	buf_reset(&fm->json);
}

/*
 * The fallback for YAML libyaml rejects (an unquoted colon in a title is
 * common in translated articles): every "key: value" line at column 0 is
 * a string, indented lines continue nothing.  Quotes around the value go.
 */
static void
fm_lines(struct fm *fm, const char *yaml, size_t len)
{
	const char *p = yaml, *end = yaml + len;
	int first = 1;

	buf_putc(&fm->json, '{');
	while (p < end) {
		size_t n = line_len(p, end), k = 0, v;
		const char *colon;

		colon = memchr(p, ':', n);
		if (colon && p[0] != ' ' && p[0] != '\t' && p[0] != '#' &&
		    p[0] != '-') {
			k = (size_t)(colon - p);
			v = k + 1;
			while (v < n && (p[v] == ' ' || p[v] == '\t'))
				v++;
			size_t vn = n - v;
			while (vn && (p[v + vn - 1] == ' ' || p[v + vn - 1] == '\r'))
				vn--;
			if (vn >= 2 && (p[v] == '"' || p[v] == '\'') &&
			    p[v + vn - 1] == p[v]) {
				v++;
				vn -= 2;
			}
			if (!first)
				buf_putc(&fm->json, ',');
			first = 0;
			json_string_n(&fm->json, p, k);
			buf_putc(&fm->json, ':');
			json_string_n(&fm->json, p + v, vn);
			vec_push(&fm->keys, xstrndup(p, k));
			vec_push(&fm->vals, xstrndup(p + v, vn));
		}
		p += n + (p + n < end);
	}
	buf_putc(&fm->json, '}');
}

int
fm_parse(struct fm *fm, const char *path, int first_line, const char *yaml,
    size_t len)
{
	long line = 0;
	char *msg = NULL;
	size_t i;

	for (i = 0; i < len; i++)
		if (yaml[i] != ' ' && yaml[i] != '\n' && yaml[i] != '\r' &&
		    yaml[i] != '\t')
			break;
	if (i == len) {
		buf_puts(&fm->json, "{}");
		return 0;
	}
	if (fm_yaml(fm, yaml, len, &line, &msg) == 0 &&
	    fm->json.len && fm->json.data[0] == '{')
		return 0;
	diag(DIAG_WARNING, path, first_line + line, 0,
	    "front matter: %s; read as plain 'key: value' lines",
	    msg ? msg : "not a mapping");
	free(msg);
	fm_clear(fm);
	fm_lines(fm, yaml, len);
	return 1;
}

const char *
fm_get(const struct fm *fm, const char *key)
{
	size_t i;

	for (i = 0; i < fm->keys.n; i++)
		if (kb_strcasecmp(fm->keys.v[i], key) == 0)
			return fm->vals.v[i];
	return NULL;
}

void
fm_free(struct fm *fm)
{
	fm_clear(fm);
	buf_free(&fm->json);
}
