/*
 * logs.h -- records, the parser interface and the format table of the
 * diagnostics-bundle stage (bundle.c -> linereader.c -> sniff.c ->
 * log_*.c -> signal.c -> incident.c).  Include util.h first.
 *
 * A parser sees one file of a bundle as a stream of decoded UTF-8 lines
 * (LINE mode) or, for formats that need the whole document (XML
 * configuration, binary .evtx), as one buffer of at most LOG_WHOLE_MAX
 * bytes (WHOLE mode).  It reports records through env->emit(); what a
 * record points to is only valid during that call.  Parsers never touch
 * the database and never print: problems go through env->diag, which
 * prefixes the file name.
 */
#ifndef KBGEN_LOGS_H
#define KBGEN_LOGS_H

#include <stdint.h>

/* Formats, by what the file is, not by its name. */
enum log_format {
	LOG_UNKNOWN,
	LOG_CMTRACE,		/* <![LOG[...]LOG]!><time=... date=...> */
	LOG_SMS,		/* message  $$<COMP><MM-DD-YYYY HH:MM:SS.mmm+bias><thread=..> */
	LOG_SOFTDIST,		/* SoftwareDistribution.log, UTC, tab separated */
	LOG_WU_LEGACY,		/* WindowsUpdate.log up to 8.1, tz: banner */
	LOG_WU_ETW,		/* Get-WindowsUpdateLog output */
	LOG_IIS,		/* IIS W3C extended */
	LOG_HTTPERR,		/* HTTP API error log */
	LOG_EVT_XML,		/* wevtutil qe /f:xml (no root element) */
	LOG_EVT_CSV,		/* Get-WinEvent | Export-Csv */
	LOG_EVT_TEXT,		/* Event Viewer "Log Name: / Source:" text */
	LOG_EVTX,		/* binary .evtx (libevtx) */
	LOG_IIS_CONFIG,		/* applicationHost.config / web.config */
	LOG_APPCMD,		/* appcmd list apppool, Get-IISAppPool */
	LOG_SERVICES,		/* sc query/queryex/qc, Get-Service table/CSV/JSON */
	LOG_REGISTRY,		/* .reg export, reg query output */
	LOG_MSI,		/* MSI verbose log */
	LOG_POSTINSTALL,	/* wsusutil postinstall log */
	LOG_GENERIC,		/* any other text: timestamps detected per line */
	LOG__MAX
};

/* Record severity, in increasing order. */
enum log_sev {
	SEV_NONE,		/* the format has no severity */
	SEV_INFO,
	SEV_WARNING,
	SEV_ERROR
};

/* No time zone is known for a local time. */
#define TZ_UNKNOWN	INT32_MIN
/* No time at all. */
#define TIME_NONE	INT64_MIN
/*
 * The host's zone rules at this record's local time: what parsers get as
 * env->tz_hint when the host's named zone is known (a manifest's
 * "timezone: W. Europe Standard Time"); ingest.c turns it into the
 * offset in force at local_ms (daylight saving time included) before the
 * record leaves, so parsers pass it on like any zone.
 */
#define TZ_HOST		(INT32_MIN + 1)

/*
 * A name=value pair a record carries.  Key names are shared so signal.c
 * and the matcher need not know the format (lower-case, as below):
 *   STATMSG:   statmsg_id, statmsg_sev (I/W/E), comp, sys, site,
 *              istr0 ... istr9 (only non-empty ones)
 *   IIS/HTTP:  method, uri, query, status, substatus, win32_status,
 *              client_ip, server_port, user_agent, time_taken,
 *              reason (HTTPERR s-reason), queue (HTTPERR s-queuename)
 *   events:    event_id, provider, channel, level, computer, record_id
 *   services:  service, display_name, state (RUNNING, STOPPED, ...),
 *              start_type, pid; app pools: apppool, state (Started ...)
 *   config:    apppool, setting (queueLength, privateMemory, ...),
 *              value; mime: extension, mime_type, duplicate ("1")
 *   registry:  key, name, type, value (WUServer, UseWUServer, ...)
 *   setup:     return_value (MSI "Return value 3"), action
 *   WU client: hr (the HRESULT as written), pid, tid
 */
struct log_kv {
	const char	*key;
	const char	*value;
};

struct record {
	long		 line;		/* 1-based physical line where it starts */
	long		 end_line;	/* and where it ends */
	uint64_t	 offset;	/* byte offset of its start in the raw file */
	/*
	 * Time: local_ms is the wall-clock time as written, counted as if
	 * it were UTC (ms since 1970); tz_min is the zone, local = UTC +
	 * tz_min minutes (CMTrace: tz_min = -bias), or TZ_UNKNOWN.  Sources
	 * that log in UTC set tz_min = 0 and utc = 1.  local_ms TIME_NONE
	 * when the record has no time.
	 */
	int64_t		 local_ms;
	int32_t		 tz_min;
	int		 utc;		/* the written time is UTC */
	enum log_sev	 sev;
	const char	*component;	/* NUL-terminated or NULL */
	const char	*thread;	/* NUL-terminated or NULL */
	const char	*msg;		/* UTF-8, may hold newlines */
	size_t		 msg_len;
	const struct log_kv *kv;	/* structured values, may be NULL */
	size_t		 nkv;
};

struct log_env;

/*
 * What a parser is given.  emit() hands over one finished record;
 * diag() reports a problem at a line of this file (the level is a
 * DIAG_* from util.h).  tz_hint is the host's zone when another file
 * told it (TZ_UNKNOWN otherwise); parsers of local-time formats without
 * a zone marker may use it.
 */
struct log_env {
	const char	*path;		/* the file's path inside the bundle */
	void		*arg;		/* the caller's */
	void		(*emit)(struct log_env *, const struct record *);
	void		(*diag)(struct log_env *, int level, long line,
			    const char *fmt, ...) KB_PRINTF(4, 5);
	int32_t		 tz_hint;	/* or TZ_HOST */
	/* Set by parsers: the zone this file revealed (a CMTrace bias, a
	 * WindowsUpdate.log tz: banner), for the other files of the host. */
	int32_t		 tz_found;
};

/*
 * A parser.  LINE mode: open() returns state, line() is called for every
 * physical line in order (text without its line end; lineno 1-based;
 * off = raw byte offset of the line start), finish() flushes a pending
 * record and frees the state.  WHOLE mode: whole() gets the file at once
 * (decoded UTF-8 text, or the raw bytes for binary formats).
 */
struct log_parser {
	enum log_format	 format;
	const char	*name;		/* "cmtrace", "iis", ... */
	int		 whole_raw;	/* WHOLE mode wants raw bytes */
	void		*(*open)(struct log_env *);
	void		(*line)(void *, const char *s, size_t n, long lineno,
			    uint64_t off);
	void		(*finish)(void *);
	void		(*whole)(struct log_env *, const char *data, size_t n);
	/*
	 * How sure this parser is that the file is its format, 0-100, from
	 * the file name and the first lines (head, NUL-terminated, at most
	 * LOG_SNIFF_BYTES of decoded text).
	 */
	int		(*sniff)(const char *name, const char *head, size_t n);
};

/* Bytes of decoded text sniff() sees. */
#define LOG_SNIFF_BYTES	16384
/* Largest file a WHOLE-mode parser gets; larger ones are an error. */
#define LOG_WHOLE_MAX	(256u * 1024 * 1024)

/* The value of key in a record's kv, or NULL (logtime.c). */
const char	*log_kv(const struct record *, const char *key);

/*
 * The severity a message's words imply (logwords.c): "error",
 * "exception", "fail", "fatal" -> SEV_ERROR, "warn" -> SEV_WARNING,
 * else SEV_NONE; any case, anywhere in s[0..n).
 */
enum log_sev	 log_sev_words(const char *s, size_t n);

/* The parsers, indexed by enum log_format (log_table.c). */
const struct log_parser	*log_parser(enum log_format);
const char		*log_format_name(enum log_format);
/* The best parser for a file; LOG_GENERIC when nothing claims it. */
enum log_format		 log_sniff(const char *name, const char *head, size_t n);

/*
 * Helpers the parsers share (logtime.c).  days_from_civil() counts days
 * from 1970-01-01 (proleptic Gregorian); make_ms() builds local_ms from
 * fields and returns TIME_NONE for impossible dates.
 */
int64_t	 days_from_civil(int y, int m, int d);
int64_t	 make_ms(int y, int mo, int d, int h, int mi, int s, int ms);
/*
 * Windows time zones (logtime.c): a zone by its Windows name ("W. Europe
 * Standard Time"; NULL when unknown), and its offset (local = UTC +
 * minutes) at a local time, daylight saving time included.  Static data:
 * safe from any thread.
 */
struct log_zone;
const struct log_zone	*log_zone_find(const char *name);
const char		*log_zone_name(const struct log_zone *);
int32_t			 log_zone_offset(const struct log_zone *, int64_t local_ms);
/* Formats ms (as written, zone tz_min or TZ_UNKNOWN) as ISO 8601 into out:
 * "2021-07-14T08:53:25.263-04:00" (or "...Z" for 0, no suffix unknown). */
void	 format_iso(int64_t ms, int32_t tz_min, char out[40]);

#endif
