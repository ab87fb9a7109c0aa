/*
 * mustache.h -- Mustache templates (spec v1.4: the core modules, template
 * inheritance and dynamic names; no lambdas) for the site renderer.
 * The renderers (render_*.c) and the tests include this; include util.h
 * first.
 *
 * Templates are trusted, data is not (it carries log text): {{x}} is
 * HTML-escaped (& < > " ' through html_escape), only {{{x}}} and {{&x}}
 * write raw text.  Every limit that a template or its data could push
 * (nesting, partial recursion, output size, work) ends the render with an
 * error instead of exhausting the stack, the memory or the clock.
 *
 * Ownership: a value belongs to the list or map it was added to, and
 * mu_free() on the root frees the tree.  A compiled template is immutable
 * and may be rendered from several threads at once; so may a mu_partials
 * (its cache is locked) and a value tree that nobody modifies meanwhile.
 */
#ifndef KBGEN_MUSTACHE_H
#define KBGEN_MUSTACHE_H

/* ------------------------------------------------------------------ */
/* The data model: what a template is rendered against. */

enum mu_type {
	MU_NULL,
	MU_BOOL,
	MU_NUMBER,	/* kept as its text, written as given ("1.21") */
	MU_STRING,	/* bytes with a length; may hold NUL */
	MU_LIST,
	MU_MAP		/* string keys in insertion order */
};

struct mu_value;

/* Constructors: each returns a new value (out of memory is fatal). */
struct mu_value	*mu_null(void);
struct mu_value	*mu_bool(int);
struct mu_value	*mu_num(const char *text);
struct mu_value	*mu_int(long long);
struct mu_value	*mu_str(const char *);		/* NULL gives "" */
struct mu_value	*mu_strn(const char *, size_t);
struct mu_value	*mu_list(void);
struct mu_value	*mu_map(void);

/*
 * Appends v to a list, or sets key to v in a map (replacing and freeing
 * an old value under that key; the key is copied).  Both take ownership
 * of v, which must not be in another container, and return v so that a
 * new child can be filled in place: items = mu_set(m, "items", mu_list()).
 * Adding to a value of another type frees v and returns NULL.
 */
struct mu_value	*mu_push(struct mu_value *list, struct mu_value *v);
struct mu_value	*mu_set(struct mu_value *map, const char *key,
		    struct mu_value *v);
struct mu_value	*mu_setn(struct mu_value *map, const char *key, size_t klen,
		    struct mu_value *v);
/* Frees a value and everything in it; NULL is fine. */
void		 mu_free(struct mu_value *);

/* Readers.  A NULL value reads as MU_NULL. */
enum mu_type	 mu_type(const struct mu_value *);
/* The value under key in a map; NULL when absent or not a map. */
const struct mu_value *mu_get(const struct mu_value *map, const char *key);
/* Items of a list, keys of a map, bytes of a string or number; else 0. */
size_t		 mu_len(const struct mu_value *);
/* Item i of a list; NULL when out of range or not a list. */
const struct mu_value *mu_at(const struct mu_value *list, size_t i);
/*
 * Key i of a map (in insertion order), its value in *v when v is not NULL;
 * NULL when out of range or not a map.
 */
const char	*mu_key(const struct mu_value *map, size_t i,
		    const struct mu_value **v);
/* Text of a string or number (len set when not NULL); NULL for others. */
const char	*mu_text(const struct mu_value *, size_t *len);
/*
 * What a section tests: false for null, false, an empty list, an empty
 * string and a number that is zero ("0", "-0.0"); true otherwise.
 */
int		 mu_truthy(const struct mu_value *);

/* ------------------------------------------------------------------ */
/* Templates. */

struct mu_template;

/*
 * Compiles len bytes of Mustache source (text may be NULL when len is 0).
 * name is used in messages and copied (NULL: "template").  The source is
 * copied too.  Returns the template, or NULL with "NAME:LINE:COL: message"
 * in err (when err is not NULL) for a bad template: an unclosed tag or
 * section, a closing tag that does not match, a bad delimiter change, an
 * empty or blank-containing name, sections nested deeper than 256.
 */
struct mu_template *mu_compile(const char *name, const char *text,
		    size_t len, struct buf *err);
void		 mu_template_free(struct mu_template *);
const char	*mu_template_name(const struct mu_template *);

/*
 * Where partials and parents ({{>name}}, {{<name}}) come from.  load puts
 * the source of the template called name into text and returns 0; returns
 * 1 when there is no such template; or -1 with a message in err.  It only
 * sees names made of letters, digits and "_-./" with no ".." and no
 * leading "/" (dynamic names come from the data), at most 255 bytes.
 */
struct mu_loader {
	int	(*load)(void *arg, const char *name, struct buf *text,
		    struct buf *err);
	void	*arg;
};

/*
 * A set of named templates: added ones first, then the loader's (NULL
 * for none), each compiled once on first use and kept until
 * mu_partials_free().  Templates it hands out live as long as it does.
 */
struct mu_partials;
struct mu_partials *mu_partials_new(const struct mu_loader *);
void		 mu_partials_free(struct mu_partials *);
/* Compiles and adds (or replaces) name.  Returns 0, or -1 as mu_compile. */
int		 mu_partials_add(struct mu_partials *, const char *name,
		    const char *text, size_t len, struct buf *err);
/*
 * The template called name: added, cached or loaded now.  NULL when there
 * is none (err untouched) or it failed to load or compile (err says why).
 */
const struct mu_template *mu_partials_get(struct mu_partials *,
		    const char *name, struct buf *err);

/* ------------------------------------------------------------------ */
/* Rendering. */

/* Bounds on one render; a zero field takes the default in brackets. */
struct mu_limits {
	unsigned	 depth;		/* partials and parents nested [64] */
	unsigned	 nest;		/* sections, blocks, partials nested [512] */
	size_t		 output;	/* bytes written [64 MiB] */
	unsigned long	 steps;		/* tags and text pieces visited [2^26] */
};

/*
 * Renders t against data (the bottom of the context stack; NULL is an
 * empty context), appending to out.  partials may be NULL (no partials).
 * Returns 0; 1 when it rendered but something was missing (a partial or
 * parent that does not exist renders as "", per the spec), with one line
 * per miss in err; or -1 with the reason in err (a partial that does not
 * compile, a limit reached), out then holding a partial result to throw
 * away.  Messages are "NAME:LINE:COL: message", NAME the template holding
 * the tag, one per line; err may be NULL.
 */
int		 mu_render(const struct mu_template *t,
		    const struct mu_value *data, struct mu_partials *,
		    struct buf *out, struct buf *err);
/* The same with explicit limits (NULL: the defaults). */
int		 mu_render_limits(const struct mu_template *t,
		    const struct mu_value *data, struct mu_partials *,
		    const struct mu_limits *, struct buf *out, struct buf *err);

#endif
