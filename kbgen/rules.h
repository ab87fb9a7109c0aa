/*
 * rules.h -- the matcher's rules (kb/rules (YAML files)): what needs logic on
 * top of the signatures the articles give (combinations, thresholds,
 * configuration values, absence).  A rule names the article section
 * holding the fix and the conditions over an incident's signals.
 *
 *   - id: wsuspool-private-memory-503
 *     title: WsusPool stops at its private memory limit; WSUS answers 503
 *     fix: 9f6317f7-bfe0-42d9-87ce-d8f038c728ca#message-id-6703---wsus-synchronization-failed
 *     severity: error            # error | warning
 *     confidence: 0.9            # when every condition holds
 *     cause: true                # ranks before the findings it explains
 *     explains: [KEY#anchor]     # findings that are its symptoms
 *     same-host: true            # all conditions on one host
 *     all:  [CONDITION...]       # every one must hold
 *     any:  [CONDITION...]       # at least one must hold
 *     none: [CONDITION...]       # none may hold
 *
 * A condition: {kind: SIGNAL-KIND, value: GLOB, message: GLOB, role: ROLE,
 * min: N, span: 2h, compare: "< 3.2.7600.283", foreign: true}.  Globs take
 * *, ? and classes ([0-9], [abc]) and ignore case.  span asks that the
 * occurrences on one host (or in all) last that long (s, m, h, d): a
 * failure that persists, not one that happened once.  compare applies to
 * the part of the value after '=' (dotted numbers compare field by
 * field).  foreign holds for a wsus_url naming no host of the incident.
 *
 * The rule files are validated when compiled (`kbgen compile`, `kbgen
 * build`) and stored in the KB with their text, so that matching needs
 * nothing but the KB.
 */
#ifndef KBGEN_RULES_H
#define KBGEN_RULES_H

enum rule_group { RG_ALL, RG_ANY, RG_NONE };

struct rule_cond {
	enum rule_group	 group;
	char		*kind;		/* signal kind, or NULL (any) */
	char		*value;		/* glob over the signal value, or NULL */
	char		*message;	/* glob over the record message, or NULL */
	int		 message_sub;	/* message is "*" message_lit "*": the
					   literal test decides alone */
	char		*message_lit;	/* its longest literal run: a message
					   without it cannot match (a quick
					   test before the glob) */
	char		*role;		/* the host's role must include it */
	long		 min;		/* occurrences needed (default 1) */
	char		 cmp[3];	/* "<", "<=", ">", ">=", "=", "!=" or "" */
	char		*cmp_value;
	int		 foreign;
	long		 span_ms;	/* first to last occurrence at least */
	long		 line;		/* in the rule file */
};

struct rule {
	char		*id;
	char		*title;
	char		*path;		/* the rule file, as compiled */
	long		 line;
	char		*fix_key;	/* article key */
	char		*fix_anchor;	/* section anchor */
	int		 severity;	/* 2 warning, 3 error */
	double		 confidence;
	int		 cause;
	int		 same_host;
	struct vec	 explains;	/* "KEY#anchor" */
	struct vec	 conds;		/* struct rule_cond * */
};

/*
 * Parses one rule file's text into rules (appended to out).  Problems
 * are reported as `path:line: error:` when report is set.  Returns the
 * number of errors; rules with errors are not appended.
 */
int	 rules_parse(const char *path, const char *text, size_t len,
	    struct vec *out, int report);
void	 rule_free(struct rule *);

/* Case-insensitive glob with *, ? and [classes]. */
int	 rule_glob(const char *pattern, const char *s);
/* Compares two values: dotted numbers field by field, else as numbers,
 * else as text.  Returns <0, 0, >0. */
int	 rule_value_cmp(const char *a, const char *b);

struct db;
/*
 * Validates every *.yaml file of dir (or the one file) and stores them in
 * the KB, replacing the rules stored before; sections named by fix and
 * explains must exist in the KB.  Runs inside the caller's transaction.
 * Returns the number of errors (files with errors are not stored).
 */
int	 rules_compile(struct db *, const char *path);
/* Every stored rule (struct rule *), in file and line order. */
void	 rules_load(struct db *, struct vec *out);

#endif
