/*
 * rules.c -- reading, validating and storing kb/rules (YAML files) (rules.h).
 *
 * libyaml's document API gives every node its line, so each problem is
 * reported where it is: an unknown key is an error (a typo in "value"
 * would otherwise silently widen a rule), as is a fix naming a section
 * the KB does not have.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <sqlite3.h>
#include <yaml.h>

#include "util.h"
#include "db.h"
#include "rules.h"

struct rp {
	const char	*path;
	yaml_document_t	*doc;
	int		 report;
	int		 errors;
};

static void KB_PRINTF(3, 4)
rp_err(struct rp *p, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	p->errors++;
	if (!p->report)
		return;
	va_start(ap, fmt);
	vdiag(DIAG_ERROR, p->path, n ? (long)n->start_mark.line + 1 : 0, 0,
	    fmt, ap);
	va_end(ap);
}

static const char *
scalar(struct rp *p, const yaml_node_t *n, const char *what)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE) {
		rp_err(p, n, "%s: expected a plain value", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static int
boolean(struct rp *p, const yaml_node_t *n, const char *what)
{
	const char *s = scalar(p, n, what);

	if (s == NULL)
		return 0;
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
		return 1;
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0)
		return 0;
	rp_err(p, n, "%s: expected true or false, not '%s'", what, s);
	return 0;
}

static int
split_ref(const char *s, char **key, char **anchor)
{
	const char *h = strchr(s, '#');

	if (h == NULL || h == s || h[1] == '\0')
		return -1;
	*key = xstrndup(s, (size_t)(h - s));
	*anchor = xstrdup(h + 1);
	return 0;
}

static void
cond_free(struct rule_cond *c)
{
	free(c->kind);
	free(c->value);
	free(c->message);
	free(c->message_lit);
	free(c->role);
	free(c->cmp_value);
	free(c);
}

void
rule_free(struct rule *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->id);
	free(r->title);
	free(r->path);
	free(r->fix_key);
	free(r->fix_anchor);
	for (i = 0; i < r->explains.n; i++)
		free(r->explains.v[i]);
	vec_free(&r->explains);
	for (i = 0; i < r->conds.n; i++)
		cond_free(r->conds.v[i]);
	vec_free(&r->conds);
	free(r);
}

static const char *const roles[] = {
	"client", "wsus-server", "site-server", "unknown", NULL
};

static void
parse_cond(struct rp *p, yaml_node_t *n, enum rule_group g, struct rule *r)
{
	struct rule_cond *c;
	yaml_node_pair_t *pr;
	size_t i;

	if (n->type != YAML_MAPPING_NODE) {
		rp_err(p, n, "a condition is a mapping: {kind: ..., value: ...}");
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->group = g;
	c->min = 1;
	c->line = (long)n->start_mark.line + 1;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	    pr++) {
		yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(p->doc, pr->value);
		const char *key = scalar(p, k, "condition key"), *s;
		if (key == NULL)
			continue;
		if (strcmp(key, "foreign") == 0) {
			c->foreign = boolean(p, v, key);
			continue;
		}
		if ((s = scalar(p, v, key)) == NULL)
			continue;
		if (strcmp(key, "kind") == 0) {
			free(c->kind);
			c->kind = xstrdup(s);
		} else if (strcmp(key, "value") == 0) {
			free(c->value);
			c->value = xstrdup(s);
		} else if (strcmp(key, "message") == 0) {
			const char *q = s, *best = s;
			size_t bn = 0;
			free(c->message);
			free(c->message_lit);
			c->message = xstrdup(s);
			while (*q) {
				size_t run = strcspn(q, "*?[");
				if (run > bn) {
					bn = run;
					best = q;
				}
				q += run;
				if (*q == '[' && strchr(q, ']'))
					q = strchr(q, ']');
				if (*q)
					q++;
			}
			c->message_sub = bn > 0 && best == s + 1 &&
			    strlen(s) == bn + 2 && s[bn + 1] == '*';
			/* lower case: match.c tests it on a lower-case copy */
			c->message_lit = xstrndup(best, bn);
			for (q = c->message_lit; *q; q++)
				*(char *)q = (char)kb_tolower((unsigned char)*q);
		}
		else if (strcmp(key, "role") == 0) {
			for (i = 0; roles[i]; i++)
				if (strcmp(roles[i], s) == 0)
					break;
			if (roles[i] == NULL)
				rp_err(p, v, "role '%s': expected client, "
				    "wsus-server, site-server or unknown", s);
			free(c->role);
			c->role = xstrdup(s);
		} else if (strcmp(key, "min") == 0) {
			char *end;
			errno = 0;
			c->min = strtol(s, &end, 10);
			if (*s == '\0' || *end != '\0' || errno || c->min < 1)
				rp_err(p, v, "min: expected a count >= 1, "
				    "not '%s'", s);
		} else if (strcmp(key, "span") == 0) {
			char *end;
			double d = strtod(s, &end);
			long unit = *end == 's' ? 1000 : *end == 'm' ? 60000 :
			    *end == 'h' ? 3600000 : *end == 'd' ? 86400000 : 0;
			if (end == s || d <= 0 || unit == 0 || end[1] != '\0')
				rp_err(p, v, "span: expected a duration such "
				    "as 30m, 2h or 3d, not '%s'", s);
			c->span_ms = (long)(d * (double)unit);
		} else if (strcmp(key, "compare") == 0) {
			size_t k2 = 0;
			while (k2 < 2 && strchr("<>=!", s[k2]) && s[k2])
				k2++;
			memcpy(c->cmp, s, k2);
			c->cmp[k2] = '\0';
			while (s[k2] == ' ')
				k2++;
			free(c->cmp_value);
			if (!(strcmp(c->cmp, "<") == 0 || strcmp(c->cmp, "<=") == 0 ||
			    strcmp(c->cmp, ">") == 0 || strcmp(c->cmp, ">=") == 0 ||
			    strcmp(c->cmp, "=") == 0 || strcmp(c->cmp, "!=") == 0) ||
			    s[k2] == '\0')
				rp_err(p, v, "compare: expected an operator "
				    "(< <= > >= = !=) and a value, not '%s'", s);
			c->cmp_value = xstrdup(s + k2);
		} else
			rp_err(p, k, "unknown condition key '%s' (expected "
			    "kind, value, message, role, min, span, compare, "
			    "foreign)",
			    key);
	}
	if (c->kind == NULL && c->message == NULL)
		rp_err(p, n, "a condition needs a kind or a message");
	if (c->foreign && (c->kind == NULL || strcmp(c->kind, "wsus_url") != 0))
		rp_err(p, n, "foreign applies to kind wsus_url only");
	vec_push(&r->conds, c);
}

static void
parse_group(struct rp *p, yaml_node_t *n, enum rule_group g, struct rule *r)
{
	yaml_node_item_t *it;

	if (n->type == YAML_MAPPING_NODE) {
		parse_cond(p, n, g, r);
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		rp_err(p, n, "expected a list of conditions");
		return;
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++)
		parse_cond(p, yaml_document_get_node(p->doc, *it), g, r);
}

static struct rule *
parse_rule(struct rp *p, yaml_node_t *n)
{
	struct rule *r;
	yaml_node_pair_t *pr;
	int before = p->errors, has_cond = 0;

	if (n->type != YAML_MAPPING_NODE) {
		rp_err(p, n, "a rule is a mapping with id, title, fix and "
		    "conditions");
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(p->path);
	r->line = (long)n->start_mark.line + 1;
	r->severity = 3;
	r->confidence = 0.8;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	    pr++) {
		yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(p->doc, pr->value);
		const char *key = scalar(p, k, "rule key"), *s;
		if (key == NULL)
			continue;
		if (strcmp(key, "all") == 0 || strcmp(key, "any") == 0 ||
		    strcmp(key, "none") == 0) {
			parse_group(p, v, key[1] == 'l' ? RG_ALL :
			    key[1] == 'n' ? RG_ANY : RG_NONE, r);
			has_cond |= key[1] != 'o';
			continue;
		}
		if (strcmp(key, "explains") == 0) {
			yaml_node_item_t *it;
			if (v->type != YAML_SEQUENCE_NODE) {
				rp_err(p, v, "explains: expected a list of "
				    "KEY#anchor");
				continue;
			}
			for (it = v->data.sequence.items.start;
			    it < v->data.sequence.items.top; it++) {
				yaml_node_t *e = yaml_document_get_node(p->doc, *it);
				char *a, *b;
				if ((s = scalar(p, e, key)) == NULL)
					continue;
				if (split_ref(s, &a, &b) == -1) {
					rp_err(p, e, "explains: '%s' is not "
					    "ARTICLE-KEY#anchor", s);
					continue;
				}
				free(a);
				free(b);
				vec_push(&r->explains, xstrdup(s));
			}
			continue;
		}
		if (strcmp(key, "cause") == 0) {
			r->cause = boolean(p, v, key);
			continue;
		}
		if (strcmp(key, "same-host") == 0) {
			r->same_host = boolean(p, v, key);
			continue;
		}
		if ((s = scalar(p, v, key)) == NULL)
			continue;
		if (strcmp(key, "id") == 0) {
			const char *q;
			for (q = s; *q; q++)
				if (!kb_isalnum((unsigned char)*q) && *q != '-' &&
				    *q != '_' && *q != '.')
					break;
			if (*s == '\0' || *q != '\0')
				rp_err(p, v, "id '%s': use letters, digits, "
				    "'-', '_' and '.'", s);
			free(r->id);
			r->id = xstrdup(s);
		} else if (strcmp(key, "title") == 0) {
			free(r->title);
			r->title = xstrdup(s);
		} else if (strcmp(key, "fix") == 0) {
			free(r->fix_key);
			free(r->fix_anchor);
			r->fix_key = r->fix_anchor = NULL;
			if (split_ref(s, &r->fix_key, &r->fix_anchor) == -1)
				rp_err(p, v, "fix: '%s' is not "
				    "ARTICLE-KEY#anchor", s);
		} else if (strcmp(key, "severity") == 0) {
			if (strcmp(s, "error") == 0)
				r->severity = 3;
			else if (strcmp(s, "warning") == 0)
				r->severity = 2;
			else
				rp_err(p, v, "severity: expected error or "
				    "warning, not '%s'", s);
		} else if (strcmp(key, "confidence") == 0) {
			char *end;
			r->confidence = strtod(s, &end);
			if (*s == '\0' || *end != '\0' || r->confidence <= 0 ||
			    r->confidence > 1)
				rp_err(p, v, "confidence: expected a number in "
				    "(0, 1], not '%s'", s);
		} else
			rp_err(p, k, "unknown rule key '%s' (expected id, title, "
			    "fix, severity, confidence, cause, explains, "
			    "same-host, all, any, none)", key);
	}
	if (r->id == NULL)
		rp_err(p, n, "rule without an id");
	if (r->title == NULL)
		rp_err(p, n, "rule '%s' without a title", r->id ? r->id : "?");
	if (r->fix_key == NULL && p->errors == before)
		rp_err(p, n, "rule '%s' without a fix (ARTICLE-KEY#anchor)",
		    r->id ? r->id : "?");
	if (!has_cond)
		rp_err(p, n, "rule '%s' has no 'all' or 'any' conditions",
		    r->id ? r->id : "?");
	if (p->errors != before) {
		rule_free(r);
		return NULL;
	}
	return r;
}

int
rules_parse(const char *path, const char *text, size_t len, struct vec *out,
    int report)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_node_item_t *it;
	struct rp p = { path, &doc, report, 0 };
	struct vec got = {0};
	size_t i, j;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		if (report)
			diag(DIAG_ERROR, path, (long)parser.problem_mark.line + 1,
			    (long)parser.problem_mark.column + 1, "YAML: %s",
			    parser.problem ? parser.problem : "cannot parse");
		yaml_parser_delete(&parser);
		return 1;
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL)
		goto done;		/* an empty file: no rules */
	/* "rules:" at the top is allowed, for files that grow other keys. */
	if (root->type == YAML_MAPPING_NODE &&
	    root->data.mapping.pairs.top - root->data.mapping.pairs.start == 1) {
		yaml_node_t *k = yaml_document_get_node(&doc,
		    root->data.mapping.pairs.start->key);
		if (k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, "rules") == 0)
			root = yaml_document_get_node(&doc,
			    root->data.mapping.pairs.start->value);
	}
	if (root->type != YAML_SEQUENCE_NODE) {
		rp_err(&p, root, "a rule file is a list of rules ('- id: ...')");
		goto done;
	}
	for (it = root->data.sequence.items.start;
	    it < root->data.sequence.items.top; it++) {
		struct rule *r = parse_rule(&p, yaml_document_get_node(&doc, *it));
		if (r == NULL)
			continue;
		for (j = 0; j < got.n; j++)
			if (strcmp(((struct rule *)got.v[j])->id, r->id) == 0)
				break;
		if (j < got.n) {
			p.errors++;
			if (report)
				diag(DIAG_ERROR, path, r->line, 0, "rule id '%s' "
				    "used twice", r->id);
			rule_free(r);
			continue;
		}
		vec_push(&got, r);
	}
done:
	for (i = 0; i < got.n; i++)
		vec_push(out, got.v[i]);
	vec_free(&got);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return p.errors;
}

/* Does c match the class at p ("[abc]", "[0-9]")?  *end gets the byte
 * after the class; an unclosed '[' is a literal. */
static int
glob_class(const char *p, int c, const char **end)
{
	const char *q = p + 1;
	int hit = 0;

	c = kb_tolower(c);
	while (*q && *q != ']') {
		int lo = kb_tolower((unsigned char)*q), hi = lo;
		if (q[1] == '-' && q[2] && q[2] != ']') {
			hi = kb_tolower((unsigned char)q[2]);
			q += 2;
		}
		if (c >= lo && c <= hi)
			hit = 1;
		q++;
	}
	if (*q != ']') {
		*end = p + 1;
		return c == '[';
	}
	*end = q + 1;
	return hit;
}

int
rule_glob(const char *p, const char *s)
{
	const char *star = NULL, *ss = NULL, *next;

	while (*s) {
		if (*p == '*') {
			star = p++;
			ss = s;
		} else if (*p == '[' && glob_class(p, (unsigned char)*s, &next)) {
			p = next;
			s++;
		} else if (*p != '[' && (*p == '?' || (*p &&
		    kb_tolower((unsigned char)*p) ==
		    kb_tolower((unsigned char)*s)))) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++ss;
		} else
			return 0;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int
rule_value_cmp(const char *a, const char *b)
{
	const char *p = a, *q = b;
	int dotted = 1;

	for (p = a; *p; p++)
		if (!kb_isdigit((unsigned char)*p) && *p != '.')
			dotted = 0;
	for (q = b; *q; q++)
		if (!kb_isdigit((unsigned char)*q) && *q != '.')
			dotted = 0;
	if (dotted && *a && *b) {
		p = a;
		q = b;
		while (*p || *q) {
			unsigned long x = strtoul(p, (char **)&p, 10);
			unsigned long y = strtoul(q, (char **)&q, 10);
			if (x != y)
				return x < y ? -1 : 1;
			if (*p == '.')
				p++;
			if (*q == '.')
				q++;
		}
		return 0;
	}
	return strcasecmp(a, b);
}

/* ---- the KB ---- */

static int
section_exists(struct db *db, const char *key, const char *anchor)
{
	sqlite3_stmt *st = db_stmt(db, ST_RULE_SECTION_EXISTS);

	db_bind_text(st, 1, key);
	db_bind_text(st, 2, anchor);
	return db_step(db, st) == SQLITE_ROW;
}

static int
check_refs(struct db *db, struct rule *r)
{
	size_t i;
	int errors = 0;

	if (!section_exists(db, r->fix_key, r->fix_anchor)) {
		diag(DIAG_ERROR, r->path, r->line, 0, "rule '%s': fix "
		    "'%s#%s' names no section of the knowledge base", r->id,
		    r->fix_key, r->fix_anchor);
		errors++;
	}
	for (i = 0; i < r->explains.n; i++) {
		char *k, *a;
		split_ref(r->explains.v[i], &k, &a);
		if (!section_exists(db, k, a)) {
			diag(DIAG_ERROR, r->path, r->line, 0, "rule '%s': "
			    "explains '%s' names no section of the knowledge "
			    "base", r->id, (char *)r->explains.v[i]);
			errors++;
		}
		free(k);
		free(a);
	}
	return errors;
}

int
rules_compile(struct db *db, const char *path)
{
	struct stat sb;
	struct vec files = {0}, all = {0};
	size_t i, j;
	int errors = 0;

	if (stat(path, &sb) == -1) {
		diag(DIAG_ERROR, path, 0, 0, "%s", strerror(errno));
		return 1;
	}
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		if (d == NULL) {
			diag(DIAG_ERROR, path, 0, 0, "%s", strerror(errno));
			return 1;
		}
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' &&
			    (str_ends_ci(de->d_name, ".yaml") ||
			    str_ends_ci(de->d_name, ".yml")))
				vec_push(&files, xasprintf("%s/%s", path,
				    de->d_name));
		closedir(d);
		vec_sort_str(&files);
	} else
		vec_push(&files, xstrdup(path));

	db_exec(db, ST_RULE_CLEAR);
	for (i = 0; i < files.n; i++) {
		struct buf text = {0};
		struct vec rs = {0};
		int e;
		const char *fp = files.v[i];
		if (file_read(fp, &text) == -1) {
			diag(DIAG_ERROR, fp, 0, 0, "%s", strerror(errno));
			errors++;
			buf_free(&text);
			continue;
		}
		e = rules_parse(fp, buf_str(&text), text.len, &rs, 1);
		for (j = 0; j < rs.n; j++)
			e += check_refs(db, rs.v[j]);
		for (j = 0; j < rs.n && e == 0; j++) {
			size_t k;
			for (k = 0; k < all.n; k++)
				if (strcmp(((struct rule *)all.v[k])->id,
				    ((struct rule *)rs.v[j])->id) == 0) {
					diag(DIAG_ERROR, fp,
					    ((struct rule *)rs.v[j])->line, 0,
					    "rule id '%s' is also in %s",
					    ((struct rule *)rs.v[j])->id,
					    ((struct rule *)all.v[k])->path);
					e++;
				}
		}
		if (e == 0) {
			sqlite3_stmt *st = db_stmt(db, ST_RULE_FILE_PUT);
			db_bind_text(st, 1, fp);
			db_bind_text(st, 2, buf_str(&text));
			db_step(db, st);
			for (j = 0; j < rs.n; j++) {
				struct rule *r = rs.v[j];
				st = db_stmt(db, ST_RULE_PUT);
				db_bind_text(st, 1, fp);
				db_bind_int(st, 2, r->line);
				db_bind_text(st, 3, r->id);
				db_bind_text(st, 4, r->title);
				db_bind_text(st, 5, r->fix_key);
				db_bind_text(st, 6, r->fix_anchor);
				db_bind_text(st, 7, r->severity == 3 ?
				    "error" : "warning");
				db_step(db, st);
				vec_push(&all, r);
			}
		} else {
			for (j = 0; j < rs.n; j++)
				rule_free(rs.v[j]);
		}
		vec_free(&rs);
		errors += e;
		buf_free(&text);
	}
	for (i = 0; i < all.n; i++)
		rule_free(all.v[i]);
	vec_free(&all);
	for (i = 0; i < files.n; i++)
		free(files.v[i]);
	vec_free(&files);
	return errors;
}

void
rules_load(struct db *db, struct vec *out)
{
	sqlite3_stmt *st = db_stmt(db, ST_RULE_FILES);

	while (db_step(db, st) == SQLITE_ROW)
		rules_parse(db_col_text(st, 0), db_col_text(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1), out, 0);
}
