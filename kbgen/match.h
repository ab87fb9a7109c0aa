/*
 * match.h -- an incident's signals and records against what the KB
 * knows: signatures derived from the articles (codes, message IDs, HTTP
 * statuses, quoted error messages, services, log-file names) and the
 * rules of kb/rules.  The result is a ranked list of findings, each the
 * section holding the fix with a confidence, the reasons and the exact
 * evidence lines, and the error and warning records nothing explains,
 * clustered into templates.  report.c turns it into the report.
 */
#ifndef KBGEN_MATCH_H
#define KBGEN_MATCH_H

#include <stdint.h>

struct match_evidence {
	int64_t		 record;	/* record id */
	char		*host;
	char		*file;		/* path in the bundle */
	long		 line, end_line;
	int		 has_utc, has_local, has_tz;
	int64_t		 utc_ms, local_ms;
	int		 tz_min;
	int		 severity;	/* 0..3 */
	char		*text;		/* the record's message */
	char		*hl;		/* the part that matched, or NULL */
	const char	*why;		/* what it is evidence of (static or
					   owned by the finding's why list) */
};

struct match_finding {
	int		 rank;		/* 1-based */
	char		*title;
	double		 confidence;
	struct vec	 why;		/* char *: the signals that agreed */
	int64_t		 section_id;	/* the section with the fix */
	char		*key;		/* article key */
	char		*article_title;
	char		*locale, *version;
	char		*section_title, *anchor;
	struct vec	 codes;		/* char *: codes that matched */
	struct vec	 code_kinds;	/* enum mention_kind of each, as
					   intptr_t */
	struct vec	 evidence;	/* struct match_evidence * */
	char		*rule;		/* the rule that fired, or NULL */
	int		 cause;		/* a cause: ranks before its symptoms */
	char		*recovered;	/* what shows it recovered, or NULL */
	char		*explained_by;	/* title of the cause, or NULL */
	int		 severity;	/* 2 warning, 3 error */
	int64_t		 first_utc, last_utc;	/* evidence span, -1 unknown */
};

struct match_cluster {
	char		*template;	/* the message, variables as <*> */
	long		 count;
	int		 severity;	/* highest */
	int64_t		 first_utc, last_utc;	/* -1 when unknown */
	struct vec	 hosts;		/* char *, sorted */
	char		*host, *file;	/* the first occurrence */
	long		 line;
};

/* Errors and warnings of one host in one UTC minute, for the timeline. */
struct match_tl {
	char		*host;		/* borrowed: match_result.hosts */
	int64_t		 minute;	/* UTC ms of the minute's start */
	long		 warnings, errors;
};

struct match_result {
	struct vec	 findings;	/* struct match_finding *, ranked */
	struct vec	 clusters;	/* struct match_cluster *, by count */
	long		 clusters_total; /* before the list was cut */
	struct vec	 tl;		/* struct match_tl *, by host name,
					   then minute */
	struct vec	 hosts;		/* char *: host names (tl points here) */
	long		 records;	/* stored records examined */
	long		 signatures;	/* signatures derived from the KB */
	long		 rules;		/* rules evaluated */
};

/* Findings below this confidence are not reported. */
#define MATCH_MIN_CONFIDENCE	0.2
/* At most this many evidence lines per finding, clusters per report. */
#define MATCH_EVIDENCE_MAX	16
#define MATCH_CLUSTERS_MAX	50

struct db;
/*
 * Matches incident name.  Returns 0, or -1 after a diagnostic when there
 * is no such incident.
 */
int	 match_incident(struct db *, const char *name, struct match_result *);
void	 match_result_free(struct match_result *);

#endif
