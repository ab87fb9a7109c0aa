/*
 * signals.h -- signals: what a record says that the matcher looks for
 * (signal.c).  Include util.h and logs.h first.
 *
 * Kinds and their normalized values:
 *   hresult  "0x80072ee2"        win32    "12002" (from FACILITY_WIN32)
 *   statmsg  "6703"              http     "503"
 *   httperr  "AppOffline"        event    "364"
 *   service  "WsusService=STOPPED"        apppool  "WsusPool=Stopped"
 *   config   "WsusPool.privateMemory=1843200", "mimeMap.duplicate=.wim"
 *   registry "WUServer=http://wsus01:8530" wsus_url "wsus01:8530"
 *   setup    "return_value=3"
 *   client_ip "10.81.4.17"  (incident.c: the first request of each client
 *            address in an IIS/HTTPERR file)
 *   host_ip  "10.81.4.23"   (the host's own address: ipconfig output,
 *            a manifest's "ip:")
 */
#ifndef KBGEN_SIGNAL_H
#define KBGEN_SIGNAL_H

#define SIGNALS_MAX		16
#define SIGNAL_VALUE_MAX	160

struct signal {
	const char	*kind;			/* static string */
	char		 value[SIGNAL_VALUE_MAX];
	char		 raw[SIGNAL_VALUE_MAX];	/* as written (cut if long) */
};

/* The signals of one record (at most SIGNALS_MAX, duplicates folded). */
struct signals {
	size_t		 n;
	struct signal	 v[SIGNALS_MAX];
};

void	 signal_scan(const struct record *, struct signals *);
/* Adds a signal of a static kind (folded when the record has it). */
void	 signal_add(struct signals *, const char *kind, const char *value,
	    const char *raw, size_t rawlen);

#endif
