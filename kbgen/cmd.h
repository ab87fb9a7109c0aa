/*
 * cmd.h -- the subcommands main.c dispatches to, one file per mode of the
 * command line (sblg style).  Include util.h, <sqlite3.h> and db.h first.
 */
#ifndef KBGEN_CMD_H
#define KBGEN_CMD_H

/* What every subcommand gets from main.c. */
struct ctx {
	const char	*db_path;	/* --db, $KBGEN_DB or ./kb.sqlite */
	struct db	*db;		/* opened by ctx_db(), closed by main */
	const char	*usage;		/* the command's help text */
};

/* Opens the KB once per command; dies (exit 3) when unusable. */
struct db	*ctx_db(struct ctx *, int readonly);
/* Prints "kbgen: error: <fmt with arg>" and the usage; returns 2. */
int		 usage_error(const char *usage, const char *fmt, const char *arg);

/* Each returns an exit status (EXIT_*); argv[0] is the command name. */
int	 cmd_build(struct ctx *, int, char **);	/* cmd_compile.c */
int	 cmd_compile(struct ctx *, int, char **);	/* cmd_compile.c */
int	 cmd_site(struct ctx *, int, char **);		/* render_site.c */
int	 cmd_search(struct ctx *, int, char **);	/* query.c */
int	 cmd_lookup(struct ctx *, int, char **);	/* query.c */
int	 cmd_dump(struct ctx *, int, char **);		/* dump.c */
int	 cmd_diff(struct ctx *, int, char **);		/* cmd_diff.c */
int	 cmd_incident(struct ctx *, int, char **);	/* incident.c */
int	 cmd_report(struct ctx *, int, char **);	/* render_report.c */

extern const char usage_build[], usage_compile[], usage_site[],
    usage_search[], usage_lookup[], usage_dump[], usage_incident[],
    usage_diff[], usage_report[];

/* Renders a report model (report.h) with the report.mustache template;
 * templates as site_render().  Returns 0, or -1 after a diagnostic. */
struct mu_value;
int	 report_html(const struct mu_value *, const char *templates,
	    struct buf *out);

/*
 * Writes the site for the KB into out (render_site.c); templates, when not
 * NULL, is a folder whose files override the built-in ones.  Returns 0,
 * or -1 after a diagnostic.  The caller exits next: the site's model is
 * left to the exit (freed under AddressSanitizer).
 */
int	 site_render(struct db *, const char *out, const char *templates);

#endif
