/*
 * site_tmpl.c -- the site's templates and assets: the built-in files of
 * templates/ (compiled into kbgen as one table, cmake/embed_dir.cmake)
 * and a --templates folder whose files replace the built-in ones of the
 * same name.  NAME.mustache files are templates (pages, partials and
 * parents by NAME); every other file is an asset copied into the site.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "mustache.h"
#include "site.h"

/* The generated table (templates_c.c): name, bytes, length; NULL ends. */
struct kb_file {
	const char	*name;
	const char	*data;
	size_t		 len;
};
extern const struct kb_file kb_templates[];

#define EXT ".mustache"

struct site_tmpl {
	char			*dir;		/* override folder or NULL */
	struct vec		 names;		/* char *: every file, sorted */
	struct mu_partials	*parts;
	struct vec		 failed;	/* char *: reported once */
	pthread_mutex_t		 mu;		/* guards failed (pages render
						   on several threads) */
	char			 sig[41];
};

static const struct kb_file *
builtin(const char *name)
{
	const struct kb_file *f;

	for (f = kb_templates; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/*
 * The bytes of file name: the override's when dir has it, else the
 * built-in's.  Returns 0, or -1 when neither exists.
 */
static int
file_get(const struct site_tmpl *t, const char *name, struct buf *out)
{
	const struct kb_file *f;
	char *path;
	int rc = -1;

	if (t->dir != NULL) {
		path = xasprintf("%s/%s", t->dir, name);
		rc = file_read(path, out);
		free(path);
		if (rc == 0)
			return 0;
		buf_reset(out);
	}
	if ((f = builtin(name)) == NULL)
		return -1;
	buf_put(out, f->data, f->len);
	return 0;
}

/* The mustache loader: template NAME is the file NAME.mustache. */
static int
load(void *arg, const char *name, struct buf *text, struct buf *err)
{
	char *file = xasprintf("%s" EXT, name);
	int rc = file_get(arg, file, text) == 0 ? 0 : 1;

	(void)err;
	free(file);
	return rc;
}

static int
has_name(const struct vec *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i], name) == 0)
			return 1;
	return 0;
}

/* Adds the regular, visible files of dir to t->names. */
static int
list_dir(struct site_tmpl *t, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;

	if (d == NULL) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot read templates folder");
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char *p;
		if (e->d_name[0] == '.' || strpbrk(e->d_name, "\t\n") ||
		    has_name(&t->names, e->d_name))
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
			vec_push(&t->names, xstrdup(e->d_name));
		free(p);
	}
	closedir(d);
	return 0;
}

/* The signature: every file name and its bytes in effect, in order. */
static void
make_sig(struct site_tmpl *t)
{
	struct site_hash *h = site_hash_new();
	struct buf b = {0};
	size_t i;

	for (i = 0; i < t->names.n; i++) {
		buf_reset(&b);
		file_get(t, t->names.v[i], &b);
		site_hash_str(h, t->names.v[i]);
		site_hash_int(h, (int64_t)b.len);
		site_hash_str(h, buf_str(&b));
	}
	buf_free(&b);
	site_hash_end(h, t->sig);
}

struct site_tmpl *
site_tmpl_open(const char *dir)
{
	struct site_tmpl *t = xcalloc(1, sizeof(*t));
	struct mu_loader l;
	const struct kb_file *f;

	pthread_mutex_init(&t->mu, NULL);
	for (f = kb_templates; f->name != NULL; f++)
		vec_push(&t->names, xstrdup(f->name));
	if (dir != NULL) {
		t->dir = xstrdup(dir);
		if (list_dir(t, dir) == -1) {
			site_tmpl_free(t);
			return NULL;
		}
	}
	vec_sort_str(&t->names);
	l.load = load;
	l.arg = t;
	t->parts = mu_partials_new(&l);
	make_sig(t);
	return t;
}

void
site_tmpl_free(struct site_tmpl *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->names.n; i++)
		free(t->names.v[i]);
	vec_free(&t->names);
	for (i = 0; i < t->failed.n; i++)
		free(t->failed.v[i]);
	vec_free(&t->failed);
	mu_partials_free(t->parts);
	pthread_mutex_destroy(&t->mu);
	free(t->dir);
	free(t);
}

const char *
site_tmpl_sig(const struct site_tmpl *t)
{
	return t->sig;
}

/* Reports a template problem once per template and message. */
static void
report(struct site_tmpl *t, enum diag_level lvl, const char *name,
    const struct buf *err)
{
	char *key = xasprintf("%s\n%s", name, buf_str(err));

	pthread_mutex_lock(&t->mu);
	if (has_name(&t->failed, key))
		free(key);
	else {
		vec_push(&t->failed, key);
		diag(lvl, t->dir ? t->dir : "templates", 0, 0, "%s: %s", name,
		    err->len ? buf_str(err) : "no such template");
	}
	pthread_mutex_unlock(&t->mu);
}

int
site_tmpl_render(struct site_tmpl *t, const char *name,
    const struct mu_value *data, struct buf *out)
{
	const struct mu_template *m;
	struct buf err = {0};
	int rc;

	if ((m = mu_partials_get(t->parts, name, &err)) == NULL) {
		report(t, DIAG_ERROR, name, &err);
		buf_free(&err);
		return -1;
	}
	rc = mu_render(m, data, t->parts, out, &err);
	if (rc != 0) {
		/* Trailing newline of the engine's message list. */
		while (err.len && err.data[err.len - 1] == '\n')
			err.data[--err.len] = '\0';
		report(t, rc < 0 ? DIAG_ERROR : DIAG_WARNING, name, &err);
	}
	buf_free(&err);
	return rc < 0 ? -1 : 0;
}

void
site_tmpl_assets(struct site_tmpl *t, struct site *s)
{
	struct buf b = {0};
	size_t i, n;

	for (i = 0; i < t->names.n; i++) {
		const char *name = t->names.v[i];
		n = strlen(name);
		if (n >= sizeof(EXT) - 1 &&
		    strcmp(name + n - (sizeof(EXT) - 1), EXT) == 0)
			continue;
		if (site_manifest_has(s->man, name)) {
			diag(DIAG_WARNING, t->dir ? t->dir : "templates", 0, 0,
			    "%s: not copied: the site has a page of that name",
			    name);
			continue;
		}
		buf_reset(&b);
		if (file_get(t, name, &b) == -1)
			continue;
		site_write(s, name, b.data ? b.data : "", b.len);
		site_manifest_put(s->man, name, "-", "");
	}
	buf_free(&b);
}
