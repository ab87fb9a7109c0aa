/*
 * log_config.c -- IIS configuration files (LOG_IIS_CONFIG):
 * applicationHost.config and web.config.  Private to the parser table;
 * includes util.h and logs.h.
 *
 * Records have no time.  One record per application pool setting (kv
 * apppool, setting, value, element; default "1" when the value is the
 * IIS default or comes from <applicationPoolDefaults>), and one per
 * staticContent <mimeMap> (kv extension, mime_type); a second entry for
 * an extension in the same collection (K5, IIS refuses the whole
 * section) is an error record with kv duplicate "1".  A <location>'s
 * staticContent inherits the server-level collection, as in IIS.
 *
 * The file is attacker-controlled XML: libxml2 runs without network
 * access, entity substitution, DTD loading or huge-document mode, and a
 * document type declaration is refused before libxml2 sees the text.
 * Recovery mode keeps the tree built before an error; only elements on
 * lines before the first error are reported, and no defaults are
 * inferred from a broken file (an absent attribute may just be lost).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>

#include "util.h"
#include "logs.h"

#define XML_OPTS	(XML_PARSE_NONET | XML_PARSE_RECOVER | \
	XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | \
	XML_PARSE_NOCDATA)

/* A set of file extensions, compared without case (as IIS does). */
struct extset {
	char	**slot;			/* open addressing; NULL empty */
	size_t	  n;
	size_t	  cap;			/* a power of two, or 0 */
};

/* State of one run. */
struct cfg {
	struct log_env	*env;
	const char	*text;
	size_t		 len;
	size_t		*lines;		/* offset of each line start */
	size_t		 nlines;
	struct buf	 tmp;
	struct buf	 pool;
	struct buf	 msg;
	char		*err_msg;	/* first parse error */
	long		 err_line;	/* its line; LONG_MAX none */
	struct vec	 root_static;	/* staticContent outside <location> */
	struct vec	 loc_static;	/* and inside */
};

/*
 * Pool settings whose absence means something: the IIS schema default
 * (applicationHost.xml).  Others are reported only when written.
 */
static const struct pool_default {
	const char	*elem;		/* path below <add>, "" the add */
	const char	*attr;
	const char	*value;
} pool_defaults[] = {
	{ "", "queueLength", "1000" },
	{ "", "autoStart", "true" },
	{ "", "startMode", "OnDemand" },
	{ "recycling/periodicRestart", "privateMemory", "0" },
	{ "recycling/periodicRestart", "memory", "0" },
	{ "recycling/periodicRestart", "time", "1.05:00:00" },
	{ "failure", "rapidFailProtection", "true" },
	{ "failure", "rapidFailProtectionMaxCrashes", "5" },
	{ "failure", "rapidFailProtectionInterval", "00:05:00" },
};

/* The child elements of a pool whose attributes are settings. */
static const char *const pool_elems[] = {
	"processModel", "recycling", "recycling/periodicRestart", "failure",
	"cpu"
};

/* FNV-1a of s without case. */
static size_t
ext_hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)kb_tolower((unsigned char)*s)) *
		    16777619u;
	return h;
}

/* The slot of s in x: where it is, or the empty slot where it would go. */
static size_t
ext_slot(const struct extset *x, const char *s)
{
	size_t i = ext_hash(s) & (x->cap - 1);

	while (x->slot[i] != NULL && kb_strcasecmp(x->slot[i], s) != 0)
		i = (i + 1) & (x->cap - 1);
	return i;
}

/* Whether x holds s. */
static int
ext_has(const struct extset *x, const char *s)
{
	return x->cap > 0 && x->slot[ext_slot(x, s)] != NULL;
}

/* Adds s (copied) to x. */
static void
ext_add(struct extset *x, const char *s)
{
	struct extset big;
	size_t i;

	if (ext_has(x, s))
		return;
	if ((x->n + 1) * 2 > x->cap) {
		big.cap = x->cap ? x->cap * 2 : 64;
		big.n = 0;
		big.slot = xcalloc(big.cap, sizeof(char *));
		for (i = 0; i < x->cap; i++)
			if (x->slot[i] != NULL)
				big.slot[ext_slot(&big, x->slot[i])] =
				    x->slot[i], big.n++;
		free(x->slot);
		*x = big;
	}
	x->slot[ext_slot(x, s)] = xstrdup(s);
	x->n++;
}

/* Empties x. */
static void
ext_clear(struct extset *x)
{
	size_t i;

	for (i = 0; i < x->cap; i++)
		free(x->slot[i]);
	free(x->slot);
	memset(x, 0, sizeof(*x));
}

/* Removes s from x (rebuilding it keeps the probe chains intact). */
static void
ext_remove(struct extset *x, const char *s)
{
	struct extset keep = {0};
	size_t i;

	if (!ext_has(x, s))
		return;
	for (i = 0; i < x->cap; i++)
		if (x->slot[i] != NULL && kb_strcasecmp(x->slot[i], s) != 0)
			ext_add(&keep, x->slot[i]);
	ext_clear(x);
	*x = keep;
}

/* Adds every entry of src to dst. */
static void
ext_union(struct extset *dst, const struct extset *src)
{
	size_t i;

	for (i = 0; i < src->cap; i++)
		if (src->slot[i] != NULL)
			ext_add(dst, src->slot[i]);
}

/* Whether text declares a document type or an entity outside comments,
 * CDATA sections and processing instructions (the only way to define
 * entities); sets *line.  Same rule as the event XML parser. */
static int
has_doctype(const char *p, size_t n, long *line)
{
	size_t i, j;
	const char *e;

	for (i = 0; i < n; i++) {
		if (p[i] != '<')
			continue;
		e = NULL;
		if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0)
			e = "-->";
		else if (n - i >= 9 && memcmp(p + i, "<![CDATA[", 9) == 0)
			e = "]]>";
		else if (n - i >= 2 && p[i + 1] == '?')
			e = "?>";
		else if (n - i >= 9 && p[i + 1] == '!' &&
		    (kb_strncasecmp(p + i + 2, "DOCTYPE", 7) == 0 ||
		    kb_strncasecmp(p + i + 2, "ENTITY", 6) == 0))
			break;
		if (e == NULL)
			continue;
		for (j = i + 2; j + strlen(e) <= n &&
		    memcmp(p + j, e, strlen(e)) != 0; j++)
			continue;
		i = j;
	}
	if (i >= n)
		return 0;
	*line = 1;
	for (j = 0; j < i; j++)
		*line += p[j] == '\n';
	return 1;
}

/* Indexes line starts so records get byte offsets. */
static void
index_lines(struct cfg *c)
{
	size_t i, cap = 64;

	c->lines = xmalloc(cap * sizeof(*c->lines));
	c->lines[c->nlines++] = 0;
	for (i = 0; i < c->len; i++) {
		if (c->text[i] != '\n')
			continue;
		if (c->nlines == cap)
			c->lines = xrealloc(c->lines,
			    (cap *= 2) * sizeof(*c->lines));
		c->lines[c->nlines++] = i + 1;
	}
}

/* libxml2 error callback: keeps the first error. */
static void
cfg_error(void *arg, xmlErrorPtr e)
{
	struct cfg *c = arg;
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR || c->err_msg != NULL)
		return;
	c->err_line = e->line > 0 ? e->line : 1;
	c->err_msg = xstrdup(e->message ? e->message : "unknown error");
	n = strlen(c->err_msg);
	while (n > 0 && kb_isspace((unsigned char)c->err_msg[n - 1]))
		c->err_msg[--n] = '\0';
}

/* Whether node is an element named name. */
static int
is_elem(const xmlNode *node, const char *name)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)node->name, name) == 0;
}

/* The first child element of node named name, or NULL. */
static const xmlNode *
child(const xmlNode *node, const char *name)
{
	const xmlNode *c;

	for (c = node ? node->children : NULL; c != NULL; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

/* The element at a "a/b" path below node ("" is node), or NULL. */
static const xmlNode *
path(const xmlNode *node, const char *p)
{
	char name[64];
	size_t n;

	while (node != NULL && *p != '\0') {
		n = strcspn(p, "/");
		if (n >= sizeof(name))
			return NULL;
		memcpy(name, p, n);
		name[n] = '\0';
		node = child(node, name);
		p += n + (p[n] == '/');
	}
	return node;
}

/* The attribute name of node, or NULL. */
static const xmlAttr *
attr(const xmlNode *node, const char *name)
{
	const xmlAttr *a;

	for (a = node ? node->properties : NULL; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, name) == 0)
			return a;
	return NULL;
}

/* Replaces b with the value of a, from its text children only (entity
 * references are never expanded). */
static void
attr_value(const xmlAttr *a, struct buf *b)
{
	const xmlNode *c;

	buf_reset(b);
	for (c = a ? a->children : NULL; c != NULL; c = c->next)
		if (c->type == XML_TEXT_NODE && c->content)
			buf_puts(b, (const char *)c->content);
	buf_trim(b);
}

/* Byte offset of the start of line. */
static uint64_t
line_off(const struct cfg *c, long line)
{
	return line >= 1 && (size_t)line <= c->nlines ?
	    c->lines[line - 1] : 0;
}

/* Emits one record without time at line. */
static void
cfg_emit(struct cfg *c, long line, enum log_sev sev,
    const struct log_kv *kv, size_t nkv)
{
	struct record r;

	if (line >= c->err_line)
		return;
	memset(&r, 0, sizeof(r));
	r.line = r.end_line = line;
	r.offset = line_off(c, line);
	r.local_ms = TIME_NONE;
	r.tz_min = TZ_UNKNOWN;
	r.sev = sev;
	r.msg = buf_str(&c->msg);
	r.msg_len = c->msg.len;
	r.kv = kv;
	r.nkv = nkv;
	c->env->emit(c->env, &r);
}

/* Emits one pool setting; dflt names where a default came from. */
static void
pool_setting(struct cfg *c, long line, const char *elem, const char *name,
    const char *value, const char *dflt)
{
	struct log_kv kv[5] = {
		{ "apppool", buf_str(&c->pool) }, { "setting", name },
		{ "value", value }, { "element", *elem ? elem : "add" },
		{ "default", "1" }
	};

	buf_reset(&c->msg);
	buf_printf(&c->msg, "apppool %s: %s%s%s=%s", buf_str(&c->pool), elem,
	    *elem ? " " : "", name, value);
	if (dflt != NULL)
		buf_printf(&c->msg, " (%s)", dflt);
	cfg_emit(c, line, SEV_INFO, kv, dflt ? 5 : 4);
}

/* Emits every attribute written on the element at elem below add. */
static void
pool_written(struct cfg *c, const xmlNode *add, const char *elem)
{
	const xmlNode *node = path(add, elem);
	const xmlAttr *a;
	struct buf v = {0};

	for (a = node ? node->properties : NULL; a != NULL; a = a->next) {
		if (*elem == '\0' && strcmp((const char *)a->name, "name") == 0)
			continue;
		attr_value(a, &v);
		pool_setting(c, xmlGetLineNo(node), elem,
		    (const char *)a->name, buf_str(&v), NULL);
	}
	buf_free(&v);
}

/* Emits the settings of one pool <add>, then the defaults it lacks. */
static void
cfg_pool(struct cfg *c, const xmlNode *add, const xmlNode *defaults)
{
	const struct pool_default *d;
	const xmlAttr *a;
	size_t i;

	attr_value(attr(add, "name"), &c->pool);
	if (c->pool.len == 0)
		buf_puts(&c->pool, "(unnamed)");
	pool_written(c, add, "");
	for (i = 0; i < sizeof(pool_elems) / sizeof(pool_elems[0]); i++)
		pool_written(c, add, pool_elems[i]);
	for (i = 0; i < sizeof(pool_defaults) / sizeof(pool_defaults[0]) &&
	    c->err_msg == NULL; i++) {
		d = &pool_defaults[i];
		if (attr(path(add, d->elem), d->attr) != NULL)
			continue;
		if ((a = attr(path(defaults, d->elem), d->attr)) != NULL) {
			attr_value(a, &c->tmp);
			pool_setting(c, xmlGetLineNo(add), d->elem, d->attr,
			    buf_str(&c->tmp), "from applicationPoolDefaults");
		} else
			pool_setting(c, xmlGetLineNo(add), d->elem, d->attr,
			    d->value, "default");
	}
}

/* <applicationPools>: the pools, after the defaults they inherit
 * (<applicationPoolDefaults> usually follows them). */
static void
cfg_pools(struct cfg *c, const xmlNode *pools)
{
	const xmlNode *n, *defaults = NULL;

	for (n = pools->children; n != NULL; n = n->next)
		if (is_elem(n, "applicationPoolDefaults"))
			defaults = n;
	for (n = pools->children; n != NULL; n = n->next)
		if (is_elem(n, "add"))
			cfg_pool(c, n, defaults);
}

/* Emits one mimeMap entry, an error when the extension is already in
 * the collection. */
static void
cfg_mime(struct cfg *c, const xmlNode *m, struct extset *seen)
{
	struct buf mime = {0};
	struct log_kv kv[3];
	int dup;

	attr_value(attr(m, "fileExtension"), &c->tmp);
	attr_value(attr(m, "mimeType"), &mime);
	dup = ext_has(seen, buf_str(&c->tmp));
	ext_add(seen, buf_str(&c->tmp));
	kv[0].key = "extension", kv[0].value = buf_str(&c->tmp);
	kv[1].key = "mime_type", kv[1].value = buf_str(&mime);
	kv[2].key = "duplicate", kv[2].value = "1";
	buf_reset(&c->msg);
	if (dup)
		buf_printf(&c->msg, "duplicate mimeMap entry for '%s'",
		    buf_str(&c->tmp));
	else
		buf_printf(&c->msg, "mimeMap %s %s", buf_str(&c->tmp),
		    buf_str(&mime));
	cfg_emit(c, xmlGetLineNo(m), dup ? SEV_ERROR : SEV_INFO, kv,
	    dup ? 3 : 2);
	buf_free(&mime);
}

/* One <staticContent> collection, starting from the entries in seen. */
static void
cfg_static(struct cfg *c, const xmlNode *sc, struct extset *seen)
{
	const xmlNode *n;

	for (n = sc->children; n != NULL; n = n->next) {
		if (is_elem(n, "clear"))
			ext_clear(seen);
		else if (is_elem(n, "remove")) {
			struct log_kv kv[1];
			attr_value(attr(n, "fileExtension"), &c->tmp);
			ext_remove(seen, buf_str(&c->tmp));
			/* kept: a later entry for it in this file is no
			 * duplicate of the server level's (match.c) */
			kv[0].key = "extension", kv[0].value = buf_str(&c->tmp);
			buf_reset(&c->msg);
			buf_printf(&c->msg, "mimeMap remove %s", buf_str(&c->tmp));
			cfg_emit(c, xmlGetLineNo(n), SEV_INFO, kv, 1);
		} else if (is_elem(n, "mimeMap"))
			cfg_mime(c, n, seen);
	}
}

/*
 * Walks the tree: pools are reported as found, staticContent elements
 * are collected for cfg_statics().  Recursion is bounded by libxml2's
 * depth limit.
 */
static void
cfg_walk(struct cfg *c, const xmlNode *node, int in_location)
{
	const xmlNode *n;

	for (n = node; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(n, "applicationPools"))
			cfg_pools(c, n);
		else if (is_elem(n, "staticContent"))
			vec_push(in_location ? &c->loc_static : &c->root_static,
			    (void *)(uintptr_t)n);
		else
			cfg_walk(c, n->children, in_location ||
			    is_elem(n, "location"));
	}
}

/* The server-level collections (IIS merges them into one), then each
 * <location> one on top of that. */
static void
cfg_statics(struct cfg *c)
{
	struct extset server = {0}, one = {0};
	size_t i;

	for (i = 0; i < c->root_static.n; i++) {
		ext_clear(&one);
		cfg_static(c, c->root_static.v[i], &one);
		ext_union(&server, &one);
	}
	for (i = 0; i < c->loc_static.n; i++) {
		ext_clear(&one);
		ext_union(&one, &server);
		cfg_static(c, c->loc_static.v[i], &one);
	}
	ext_clear(&server);
	ext_clear(&one);
}

/* WHOLE: the configuration file. */
static void
config_whole(struct log_env *env, const char *p, size_t n)
{
	struct cfg c;
	xmlStructuredErrorFunc old = xmlStructuredError;
	void *oldarg = xmlStructuredErrorContext;
	xmlDocPtr doc;
	long line;

	if (has_doctype(p, n, &line)) {
		env->diag(env, DIAG_ERROR, line, "document type declaration "
		    "refused: entities and external DTDs are never loaded");
		return;
	}
	memset(&c, 0, sizeof(c));
	c.env = env;
	c.text = p;
	c.len = n;
	c.err_line = LONG_MAX;
	index_lines(&c);
	/* libxml2's handler is per thread: catch this file's errors */
	xmlSetStructuredErrorFunc(&c, cfg_error);
	doc = xmlReadMemory(p, (int)n, NULL, "UTF-8", XML_OPTS);
	xmlSetStructuredErrorFunc(oldarg, old);
	if (c.err_msg != NULL)
		env->diag(env, DIAG_ERROR, c.err_line, "malformed XML: %s",
		    c.err_msg);
	else if (doc == NULL)
		env->diag(env, DIAG_ERROR, 0, n ? "not an XML document" :
		    "empty configuration file");
	if (doc != NULL) {
		cfg_walk(&c, xmlDocGetRootElement(doc), 0);
		cfg_statics(&c);
	}
	xmlFreeDoc(doc);
	free(c.err_msg);
	free(c.lines);
	vec_free(&c.root_static);
	vec_free(&c.loc_static);
	buf_free(&c.tmp);
	buf_free(&c.pool);
	buf_free(&c.msg);
}

/* The IIS sections decide; the file name breaks ties. */
static int
config_sniff(const char *name, const char *head, size_t n)
{
	size_t len = name ? strlen(name) : 0;
	int ext = len > 7 && kb_strcasecmp(name + len - 7, ".config") == 0;

	if (strstr(head, "<configuration") == NULL)
		return 0;
	if (strstr(head, "<system.applicationHost") ||
	    strstr(head, "<system.webServer"))
		return 90 + ext * 5;
	return ext ? 50 : 20;
}

const struct log_parser log_iis_config_parser = {
	LOG_IIS_CONFIG, "iis-config", 0, NULL, NULL, NULL, config_whole,
	config_sniff
};
