/*
 * incident.h -- incidents from diagnostics bundles (incident.c), for the
 * command line and `kbgen build`.  Include util.h, <sqlite3.h> and db.h
 * first.
 */
#ifndef KBGEN_INCIDENT_H
#define KBGEN_INCIDENT_H

/*
 * Adds bundles to incident name (created when new) in one transaction.
 * host/role override what the bundles say (NULL: none).  sample marks a
 * demo incident.  Returns 0, or -1 when some bundle had problems.
 */
int	 incident_add(struct db *, const char *name, char *const *bundles,
	    int n, const char *host, const char *role, int sample);

/* `kbgen dump records|signals NAME`: text, or one JSON object a line. */
int	 dump_records(struct db *, const char *name, int json);
int	 dump_signals(struct db *, const char *name, int json);

#endif
