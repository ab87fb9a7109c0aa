/*
 * cmd_compile.c -- the `compile` and `build` modes of the command line.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "compile.h"
#include "cmd.h"
#include "rules.h"
#include "incident.h"

const char usage_compile[] =
"usage: kbgen compile [--db FILE] PATH...\n"
"\n"
"Compiles article files (DocFX Markdown with YAML front matter, or TechNet\n"
"plain text) and folders of them (recursively: *.md, *.markdown, *.txt)\n"
"into the knowledge base.  Unchanged files are skipped; a changed file\n"
"replaces its version; a file gone from a compiled folder loses its\n"
"version.  Everything happens in one transaction: an interrupted compile\n"
"leaves the knowledge base as it was.\n";

const char usage_build[] =
"usage: kbgen build [--db FILE] [--kb DIR] [--out DIR] [--templates DIR]\n"
"\n"
"The main job: compiles DIR/articles (default kb/articles) into the\n"
"knowledge base, adds each DIR/samples/INCIDENT folder (one bundle per\n"
"entry) as a sample incident, and writes the static site into --out\n"
"(default site/).\n"
"Quick when nothing changed.\n";

/* Prints the one-line summary of a compile on stderr. */
static void
summary(const struct compile_stats *cs)
{
	if (diag_quiet)
		return;
	fprintf(stderr, "kbgen: compiled %zu of %zu files (%zu unchanged, "
	    "%zu removed, %zu with errors), %zu sections\n", cs->compiled,
	    cs->files, cs->unchanged, cs->removed, cs->errors, cs->sections);
}

/*
 * The KB to compile into: a new one is built in a temporary file (see
 * db_create()) that db_publish() renames into place.
 */
static struct db *
compile_db(struct ctx *c)
{
	if (c->db == NULL)
		c->db = db_create(c->db_path);
	return ctx_db(c, 0);
}

/* Rules replace the stored ones in one transaction, or not at all. */
static int
compile_rules(struct db *db, const char *path)
{
	int errors;

	db_exec(db, ST_BEGIN);
	errors = rules_compile(db, path);
	db_exec(db, errors ? ST_ROLLBACK : ST_COMMIT);
	return errors ? -1 : 0;
}

static int
is_rules_path(const char *p)
{
	size_t n = strlen(p);
	struct stat sb;
	const char *b;

	if (str_ends_ci(p, ".yaml") || str_ends_ci(p, ".yml"))
		return 1;
	while (n > 1 && p[n - 1] == '/')
		n--;
	for (b = p + n; b > p && b[-1] != '/'; b--)
		;
	return (size_t)(p + n - b) == 5 && strncmp(b, "rules", 5) == 0 &&
	    stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int
cmd_compile(struct ctx *c, int argc, char **argv)
{
	struct compile_stats cs;
	int rc = 0, i, n = 0, bad = 0;
	char **articles;

	if (argc < 2)
		return usage_error(c->usage, "%s", "no PATH given");
	if (argv[1][0] == '-' && strcmp(argv[1], "--") != 0)
		return usage_error(c->usage, "unknown option '%s'", argv[1]);
	if (strcmp(argv[1], "--") == 0) {
		argv++;
		argc--;
	}
	articles = xcalloc((size_t)argc, sizeof(char *));
	for (i = 1; i < argc; i++)
		if (!is_rules_path(argv[i]))
			articles[n++] = argv[i];
	if (n > 0 || argc == 1) {
		rc = compile_paths(compile_db(c), articles, n, &cs);
		db_publish(c->db);
		summary(&cs);
	}
	free(articles);
	/* after the articles: rules name their sections */
	for (i = 1; i < argc; i++)
		if (is_rules_path(argv[i]) &&
		    compile_rules(ctx_db(c, 0), argv[i]) != 0)
			bad = 1;
	return rc == 0 && !bad ? EXIT_OK : EXIT_INPUT;
}

/* The sorted entries of a folder, without hidden ones and READMEs. */
static void
list_dir(const char *dir, struct vec *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && kb_strncasecmp(e->d_name, "readme", 6))
			vec_push(out, xasprintf("%s/%s", dir, e->d_name));
	closedir(d);
	vec_sort_str(out);
}

/*
 * kb/samples/INCIDENT/BUNDLE...: each folder is a sample incident and
 * each entry in it a bundle.  Adding them again is a no-op (content
 * hashes), so a rebuild only rereads them.
 */
static int
add_samples(struct db *db, const char *kb)
{
	char *dir = xasprintf("%s/samples", kb);
	struct vec incs = {0};
	struct stat sb;
	size_t i, k;
	int rc = 0;

	list_dir(dir, &incs);
	for (i = 0; i < incs.n; i++) {
		struct vec bundles = {0};
		const char *name = strrchr(incs.v[i], '/') + 1;
		if (stat(incs.v[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			list_dir(incs.v[i], &bundles);
			if (bundles.n && incident_add(db, name,
			    (char *const *)bundles.v, (int)bundles.n, NULL, NULL,
			    1) != 0)
				rc = -1;
		}
		for (k = 0; k < bundles.n; k++)
			free(bundles.v[k]);
		vec_free(&bundles);
		free(incs.v[i]);
	}
	vec_free(&incs);
	free(dir);
	return rc;
}

int
cmd_build(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kb", required_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct compile_stats cs;
	const char *kb = "kb", *out = "site", *templates = NULL;
	char *articles, *rules;
	struct stat sb;
	int ch, rc = EXIT_OK;

	while ((ch = getopt_long(argc, argv, "k:o:t:", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			templates = optarg;
			break;
		case 'k':
			kb = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return usage_error(c->usage, "%s", "bad option");
		}
	}
	if (optind < argc)
		return usage_error(c->usage, "unexpected argument '%s'",
		    argv[optind]);
	articles = xasprintf("%s/articles", kb);
	if (stat(articles, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		diag(DIAG_ERROR, articles, 0, 0, "no such folder (give the "
		    "knowledge-base sources with --kb DIR)");
		free(articles);
		return EXIT_USAGE;
	}
	if (compile_paths(compile_db(c), &articles, 1, &cs) != 0)
		rc = EXIT_INPUT;
	db_publish(c->db);
	summary(&cs);
	free(articles);
	rules = xasprintf("%s/rules", kb);
	if (stat(rules, &sb) == 0 && compile_rules(c->db, rules) != 0)
		rc = EXIT_INPUT;
	free(rules);
	if (add_samples(c->db, kb) != 0)
		rc = EXIT_INPUT;
	if (site_render(c->db, out, templates) != 0)
		rc = EXIT_INPUT;
	return rc;
}
