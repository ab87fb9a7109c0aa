/*
 * main.c -- the kbgen command line: global options, the subcommand table,
 * help texts and exit statuses (DESIGN.md: 0 ok, 1 input errors, 2 usage,
 * 3 fatal).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>
#include <cmark-gfm.h>
#include <libxml/parser.h>

#include "util.h"
#include "db.h"
#include "compile.h"
#include "cmd.h"

#ifndef KBGEN_VERSION
#define KBGEN_VERSION "0.1.0"
#endif

static const char usage_main[] =
"usage: kbgen [--db FILE] [-q] COMMAND [ARGS...]\n"
"\n"
"An offline knowledge base and static site generator for WSUS and\n"
"Configuration Manager software-update troubleshooting.\n"
"\n"
"commands:\n"
"  build [--kb DIR] [--out DIR]    compile kb/ and write the site (the main job)\n"
"  compile PATH...                 compile article files or folders into the KB\n"
"  site [--out DIR]                write the static site from the KB\n"
"  search QUERY [--lang L]         full-text search over every section\n"
"  lookup CODE                     decode an error code and list the sections\n"
"                                  that mention it\n"
"  incident add NAME BUNDLE...     merge diagnostics bundles into an incident\n"
"  incident list|show NAME|rm NAME list, show or remove incidents\n"
"  report NAME [--format F]       an incident's findings, evidence and fixes\n"
"                                  (html, json or text; --lang, --redact)\n"
"  dump article REF                print a normalized article\n"
"  dump records|signals NAME       print an incident's records or signals\n"
"  diff A B [--history]            diff article versions, or a translation\n"
"                                  against its English source\n"
"  help [COMMAND]                  show help for a command\n"
"\n"
"global options:\n"
"  --db FILE      the knowledge base (default $KBGEN_DB, else ./kb.sqlite)\n"
"  -q, --quiet    print errors only\n"
"  -h, --help     this text;  --version  the version\n"
"\n"
"Diagnostics: 'kbgen: FILE:LINE:COL: error|warning: message' on stderr.\n"
"Exit status: 0 success, 1 some inputs had errors, 2 usage error,\n"
"3 fatal (the knowledge base is unusable).  See kbgen(1).\n";

/* The subcommands; each row: name, function, one-line help text. */
static const struct command {
	const char	*name;
	int		(*run)(struct ctx *, int, char **);
	const char	*usage;
} commands[] = {
	{ "build", cmd_build, usage_build },
	{ "compile", cmd_compile, usage_compile },
	{ "site", cmd_site, usage_site },
	{ "search", cmd_search, usage_search },
	{ "lookup", cmd_lookup, usage_lookup },
	{ "dump", cmd_dump, usage_dump },
	{ "diff", cmd_diff, usage_diff },
	{ "incident", cmd_incident, usage_incident },
	{ "report", cmd_report, usage_report },
};

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Prints usage to stderr and returns the usage exit status. */
int
usage_error(const char *text, const char *fmt, const char *arg)
{
	fputs("kbgen: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(text, stderr);
	return EXIT_USAGE;
}

/* The KB path: --db, else $KBGEN_DB, else ./kb.sqlite. */
static const char *
db_path(const char *opt)
{
	const char *e;

	if (opt)
		return opt;
	if ((e = getenv("KBGEN_DB")) != NULL && *e)
		return e;
	return "kb.sqlite";
}

struct db *
ctx_db(struct ctx *c, int readonly)
{
	if (c->db == NULL)
		c->db = db_open(c->db_path, readonly);
	return c->db;
}

/* Exit status from the worst diagnostic and the command's own result. */
static int
exit_status(int rc)
{
	if (rc == EXIT_USAGE || rc == EXIT_FATAL)
		return rc;
	if (diag_worst() >= DIAG_ERROR || rc == EXIT_INPUT)
		return EXIT_INPUT;
	return EXIT_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct command *cmd;
	struct ctx c;
	const char *dbopt = NULL;
	int ch, rc, i;

	memset(&c, 0, sizeof(c));
	/*
	 * No memory statistics: they take a global mutex on every SQLite
	 * allocation, which the compiler's writer makes by the million.
	 * Must come before any other SQLite call.
	 */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* libxml2 initialises itself lazily, which is not thread-safe. */
	xmlInitParser();
	/* Global options may also follow the command: take --db anywhere. */
	for (i = 1; i < argc - 1; i++)
		if (strcmp(argv[i], "--db") == 0 && i > 1 &&
		    find_command(argv[1]) != NULL) {
			dbopt = argv[i + 1];
			memmove(&argv[i], &argv[i + 2],
			    (size_t)(argc - i - 1) * sizeof(*argv));
			argc -= 2;
			i--;
		} else if (strncmp(argv[i], "--db=", 5) == 0 && i > 1) {
			dbopt = argv[i] + 5;
			memmove(&argv[i], &argv[i + 1],
			    (size_t)(argc - i) * sizeof(*argv));
			argc--;
			i--;
		}
	while ((ch = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dbopt = optarg;
			break;
		case 'q':
			diag_quiet = 1;
			break;
		case 'h':
			fputs(usage_main, stdout);
			return EXIT_OK;
		case 'V':
			printf("kbgen %s (cmark-gfm %s, SQLite %s)\n",
			    KBGEN_VERSION, cmark_version_string(),
			    sqlite3_libversion());
			return EXIT_OK;
		default:
			fputs(usage_main, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[optind], "help") == 0) {
		if (optind + 1 < argc) {
			if ((cmd = find_command(argv[optind + 1])) == NULL)
				return usage_error(usage_main,
				    "unknown command '%s'", argv[optind + 1]);
			fputs(cmd->usage, stdout);
		} else
			fputs(usage_main, stdout);
		return EXIT_OK;
	}
	if ((cmd = find_command(argv[optind])) == NULL)
		return usage_error(usage_main, "unknown command '%s'",
		    argv[optind]);
	c.db_path = db_path(dbopt);
	c.usage = cmd->usage;
	argc -= optind;
	argv += optind;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		}
	}
	optind = 0;	/* 0: GNU getopt re-reads the new optstring */
	rc = cmd->run(&c, argc, argv);
	if (c.db)
		db_close(c.db);
	return exit_status(rc);
}
