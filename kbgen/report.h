/*
 * report.h -- the incident report: one model (a struct mu_value tree)
 * built from the matcher's result and the KB, written as the JSON of the
 * DESIGN.md contract, as text for the terminal, or as HTML through the
 * templates (report.mustache standalone, incident.mustache on the site).
 * Keys starting with '_' are for display and are left out of the JSON.
 */
#ifndef KBGEN_REPORT_H
#define KBGEN_REPORT_H

struct db;
struct mu_value;
struct buf;

struct report_opts {
	const char	*lang;		/* locale of the fix text; NULL: en-us */
	int		 redact;	/* replace hosts, IPs, users, SIDs */
	const char	*root;		/* prefix of links to site pages
					   ("../" on the site), NULL: none */
	const char	*generated;	/* generated_utc; NULL: now (or
					   SOURCE_DATE_EPOCH) */
};

/* The report model of incident name, or NULL after a diagnostic. */
struct mu_value	*report_build(struct db *, const char *name,
		    const struct report_opts *);
/* JSON, one object, keys as the contract; '_' keys left out. */
void		 report_json(const struct mu_value *, struct buf *);
/* Plain text; control characters of log text are shown as '?'. */
void		 report_text(const struct mu_value *, struct buf *);

#endif
