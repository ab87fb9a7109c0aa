/*
 * redact.h -- consistent redaction for reports that leave the team
 * (`kbgen report --redact`): host names, FQDNs, IP addresses, user names
 * and SIDs become HOST-1, DOMAIN-1, IP-1, USER-1, SID-1, the same
 * replacement for the same value everywhere in one report.  Microsoft's
 * public update endpoints are kept: they say where a client went, not
 * who it is.
 */
#ifndef KBGEN_REDACT_H
#define KBGEN_REDACT_H

struct redact;

/* hosts: the incident's host names (NULL-terminated), always replaced. */
struct redact	*redact_new(const char *const *hosts);
void		 redact_free(struct redact *);
/* A new string: s with every sensitive value replaced. */
char		*redact_str(struct redact *, const char *s);

#endif
