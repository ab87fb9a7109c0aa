/*
 * log_table.c -- the format table: which parser reads which format, and
 * the sniffer that picks one for a file from its content.
 */
#include <string.h>

#include "util.h"
#include "logs.h"

/* The parsers live in log_*.c, one file per format family. */
#define PARSER(x) extern const struct log_parser x
PARSER(log_cmtrace_parser);
PARSER(log_sms_parser);
PARSER(log_softdist_parser);
PARSER(log_wu_legacy_parser);
PARSER(log_wu_etw_parser);
PARSER(log_iis_parser);
PARSER(log_httperr_parser);
PARSER(log_evt_xml_parser);
PARSER(log_evt_csv_parser);
PARSER(log_evt_text_parser);
PARSER(log_evtx_parser);
PARSER(log_iis_config_parser);
PARSER(log_appcmd_parser);
PARSER(log_services_parser);
PARSER(log_registry_parser);
PARSER(log_msi_parser);
PARSER(log_postinstall_parser);
PARSER(log_generic_parser);

/* Indexed by enum log_format. */
static const struct log_parser *const table[LOG__MAX] = {
	[LOG_CMTRACE] = &log_cmtrace_parser,
	[LOG_SMS] = &log_sms_parser,
	[LOG_SOFTDIST] = &log_softdist_parser,
	[LOG_WU_LEGACY] = &log_wu_legacy_parser,
	[LOG_WU_ETW] = &log_wu_etw_parser,
	[LOG_IIS] = &log_iis_parser,
	[LOG_HTTPERR] = &log_httperr_parser,
	[LOG_EVT_XML] = &log_evt_xml_parser,
	[LOG_EVT_CSV] = &log_evt_csv_parser,
	[LOG_EVT_TEXT] = &log_evt_text_parser,
	[LOG_EVTX] = &log_evtx_parser,
	[LOG_IIS_CONFIG] = &log_iis_config_parser,
	[LOG_APPCMD] = &log_appcmd_parser,
	[LOG_SERVICES] = &log_services_parser,
	[LOG_REGISTRY] = &log_registry_parser,
	[LOG_MSI] = &log_msi_parser,
	[LOG_POSTINSTALL] = &log_postinstall_parser,
	[LOG_GENERIC] = &log_generic_parser,
};

static const char *const names[LOG__MAX] = {
	"unknown", "cmtrace", "sms", "softdist", "wu-legacy", "wu-etw", "iis",
	"httperr", "event-xml", "event-csv", "event-text", "evtx",
	"iis-config", "appcmd", "services", "registry", "msi", "postinstall",
	"generic"
};

const struct log_parser *
log_parser(enum log_format f)
{
	return (unsigned)f < LOG__MAX ? table[f] : NULL;
}

const char *
log_format_name(enum log_format f)
{
	return (unsigned)f < LOG__MAX ? names[f] : "unknown";
}

/*
 * Every parser rates the file; the most confident wins, ties go to the
 * earlier format in the table (more specific formats come first).
 */
enum log_format
log_sniff(const char *name, const char *head, size_t n)
{
	enum log_format best = LOG_GENERIC;
	int i, score, top = 0;

	for (i = LOG_UNKNOWN + 1; i < LOG__MAX; i++) {
		if (table[i] == NULL || table[i]->sniff == NULL ||
		    i == LOG_GENERIC)
			continue;
		score = table[i]->sniff(name, head, n);
		if (score > top) {
			top = score;
			best = (enum log_format)i;
		}
	}
	/* Weak evidence is no evidence: a generic read finds codes anyway. */
	return top >= 20 ? best : LOG_GENERIC;
}
