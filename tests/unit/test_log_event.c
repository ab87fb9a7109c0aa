/*
 * test_log_event.c -- the event log parsers of log_event.c: wevtutil XML
 * (with hostile XML), Get-WinEvent CSV, Event Viewer text and .evtx,
 * on inline fixtures and, with KBGEN_SHARED set, the real samples.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"
#include "logtest3.h"
#include "ckrun.h"

extern const struct log_parser log_evt_xml_parser;
extern const struct log_parser log_evt_csv_parser;
extern const struct log_parser log_evt_text_parser;
extern const struct log_parser log_evtx_parser;
int	log_evtx_magic(const void *, size_t);

/* A NULL-terminated list of expectations (see logtest3.h). */
#define X(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* One parser run over an inline fixture. */
struct pcase {
	const char			*name;
	const struct log_parser		*p;
	int32_t				 tz_hint;
	const char			*in;
	const char *const		*expect;
};

#define EVNS	"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>"
#define WSUS	"<Provider Name='Windows Server Update Services'/>"

/* wevtutil qe Application /q:"*[System[Provider[@Name='Windows Server
 * Update Services']]]" /f:xml, one event per line as wevtutil writes. */
static const char xml_wsus[] =
    EVNS "<System>" WSUS "<EventID Qualifiers='0'>364</EventID>"
    "<Level>2</Level><Task>1</Task><Keywords>0x80000000000000</Keywords>"
    "<TimeCreated SystemTime='2024-05-01T10:00:00.1234567Z'/>"
    "<EventRecordID>48213</EventRecordID><Channel>Application</Channel>"
    "<Computer>SUP01.contoso.com</Computer><Security/></System>"
    "<EventData><Data>Content file download failed. Reason: The server "
    "does not support the necessary HTTP protocol. Source File: "
    "/msdownload/update/v3-19990518/cabpool/a.psf Destination File: "
    "D:\\WSUS\\WsusContent\\AB\\a.psf</Data></EventData></Event>\r\n"
    EVNS "<System>" WSUS "<EventID Qualifiers='0'>12072</EventID>"
    "<Level>2</Level><Task>2</Task><Keywords>0x80000000000000</Keywords>"
    "<TimeCreated SystemTime='2024-05-01T10:05:12.987654321Z'/>"
    "<EventRecordID>48214</EventRecordID><Channel>Application</Channel>"
    "<Computer>SUP01.contoso.com</Computer><Security/></System>"
    "<EventData><Data>The WSUS content directory is not accessible."
    "</Data><Data>System.Net.WebException: The remote server returned an "
    "error: (503) Server Unavailable.</Data></EventData></Event>\r\n"
    EVNS "<System>" WSUS "<EventID Qualifiers='0'>7053</EventID>"
    "<Level>2</Level><Task>0</Task>"
    "<TimeCreated SystemTime='2024-05-01T10:06:00.000000000Z'/>"
    "<EventRecordID>48215</EventRecordID><Channel>Application</Channel>"
    "<Computer>SUP01.contoso.com</Computer><Security/></System>"
    "<EventData><Data>raw data</Data></EventData>"
    "<RenderingInfo Culture='en-US'><Message>The WSUS administration "
    "console has encountered an unexpected error. This may be a "
    "transient error; try restarting the administration console.&#13;\n"
    "System.Net.WebException -- The request failed with HTTP status 503: "
    "Service Unavailable.</Message><Level>Error</Level></RenderingInfo>"
    "</Event>\r\n";

/* WindowsUpdateClient (System log): named Data, a manifest provider. */
static const char xml_wuc[] =
    EVNS "<System><Provider Name='Microsoft-Windows-WindowsUpdateClient' "
    "Guid='{945a8954-c147-4acd-923f-40c45405a658}'/><EventID>20</EventID>"
    "<Version>1</Version><Level>2</Level><Task>1</Task>"
    "<TimeCreated SystemTime='2021-07-14T12:52:46.5Z'/>"
    "<EventRecordID>7</EventRecordID><Correlation/>"
    "<Execution ProcessID='1234' ThreadID='5678'/>"
    "<Channel>System</Channel><Computer>PC1</Computer>"
    "<Security UserID='S-1-5-18'/></System><EventData>"
    "<Data Name='errorCode'>0x80242016</Data>"
    "<Data Name='updateTitle'>2021-07 Cumulative Update &amp; more</Data>"
    "<Data Name='updateGuid'>{1}</Data><Data Name='updateRevisionNumber'>"
    "</Data></EventData></Event>";

/* Pretty-printed (python-evtx): root element, double quotes, lines. */
static const char xml_pretty[] =
    "<?xml version=\"1.0\" encoding=\"utf-16\" standalone=\"yes\" ?>\n"
    "<Events>\n"
    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
    "  <System>\n"
    "    <Provider Name=\"Service Control Manager\"/>\n"
    "    <EventID Qualifiers=\"16384\">7036</EventID>\n"
    "    <Level>4</Level>\n"
    "    <TimeCreated SystemTime=\"2015-08-08 02:06:17.078125\"/>\n"
    "    <Channel>System</Channel>\n"
    "  </System>\n"
    "  <EventData>\n"
    "    <Data Name=\"param1\">Windows Update</Data>\n"
    "    <Data Name=\"param2\"><![CDATA[running & well]]></Data>\n"
    "    <Binary>570069006E</Binary>\n"
    "  </EventData>\n"
    "</Event>\n"
    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
    "  <System><EventID>1</EventID><Level>3</Level></System>\n"
    "  <UserData><Log><Reason>disk &lt;full&gt;</Reason><Id>9</Id></Log></UserData>\n"
    "</Event>\n"
    "</Events>\n";

/* Hostile and broken XML. */
static const char xml_laughs[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    "]>\n" EVNS "<System><EventID>1</EventID></System><EventData><Data>"
    "&lol9;</Data></EventData></Event>\n";
static const char xml_xxe[] =
    EVNS "<System><EventID>1</EventID></System></Event>\n"
    "<!DOCTYPE e [<!ENTITY x SYSTEM \"http://169.254.169.254/latest\">]>\n"
    EVNS "<System><EventID>2</EventID></System><EventData><Data>&x;</Data>"
    "</EventData></Event>\n";
static const char xml_undeclared[] =
    EVNS "<System><EventID>1</EventID></System></Event>\n"
    EVNS "<System><EventID>2</EventID></System><EventData><Data>&nope;"
    "</Data></EventData></Event>\n";
static const char xml_doctype_in_comment[] =
    "<!-- <!DOCTYPE x> is only text here -->\n"
    EVNS "<System><EventID>5</EventID></System><EventData><Data>"
    "<![CDATA[<!ENTITY y \"z\">]]></Data></EventData></Event>\n";
static const char xml_truncated[] =
    EVNS "<System>" WSUS "<EventID>384</EventID><Level>4</Level>"
    "<TimeCreated SystemTime='2024-05-01T09:00:00.0000000Z'/></System>"
    "<EventData><Data>Synchronization completed.</Data></EventData>"
    "</Event>\n"
    EVNS "<System>" WSUS "<EventID>386</EventID><Level>2</Level>"
    "<TimeCreated SystemTime='2024-05-01T09:30:00.0000000Z'/></System>"
    "<EventData><Data>Synchronization fai";
static const char xml_two_per_line[] =
    EVNS "<System><EventID>1</EventID><Level>1</Level></System></Event>"
    EVNS "<System><EventID>2</EventID><Level>0</Level>"
    "<TimeCreated SystemTime='bogus'/></System></Event>\n"
    EVNS "<System><EventID>3</EventID><Level>3</Level>"
    "<TimeCreated SystemTime='2024-02-29T23:59:59.999+02:00'/>"
    "</System></Event>";

/* Get-WinEvent -LogName Application | Export-Csv (PS 5.1, en-US). */
static const char csv_enus[] =
    "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
    "\"Message\",\"Id\",\"Version\",\"Qualifiers\",\"Level\",\"Task\","
    "\"Opcode\",\"Keywords\",\"RecordId\",\"ProviderName\",\"ProviderId\","
    "\"LogName\",\"ProcessId\",\"ThreadId\",\"MachineName\",\"UserId\","
    "\"TimeCreated\",\"ActivityId\",\"RelatedActivityId\",\"ContainerLog\","
    "\"MatchedQueryIds\",\"Bookmark\",\"LevelDisplayName\","
    "\"OpcodeDisplayName\",\"TaskDisplayName\",\"KeywordsDisplayNames\","
    "\"Properties\"\r\n"
    "\"Content file download failed.\r\n"
    "Reason: HTTP status 404: The requested URL does not exist on the "
    "server.\r\n"
    "Source File: /msdownload/a.cab\",\"364\",,\"0\",\"2\",\"1\",,"
    "\"36028797018963968\",\"48213\",\"Windows Server Update Services\",,"
    "\"Application\",,,\"SUP01.contoso.com\",,\"7/14/2021 8:52:46 AM\",,,"
    "\"Application\",\"System.UInt32[]\","
    "\"System.Diagnostics.Eventing.Reader.EventBookmark\",\"Error\",,"
    "\"Synchronization\",\"System.Collections.ObjectModel."
    "ReadOnlyCollection`1[System.String]\",\"System.Collections.Generic."
    "List`1[System.Diagnostics.Eventing.Reader.EventProperty]\"\r\n"
    "\"Said \"\"hello\"\", then 12:00 PM\",\"384\",,\"0\",\"4\",,,,"
    "\"48214\",\"Windows Server Update Services\",,\"Application\",,,"
    "\"SUP01.contoso.com\",,\"7/14/2021 12:05:00 PM\",,,,,,"
    "\"Information\",,,,\r\n";

/* -UseCulture under de-DE: semicolons, dd.MM.yyyy, 24 h. */
static const char csv_dede[] =
    "\"Message\";\"Id\";\"Level\";\"ProviderName\";\"TimeCreated\";"
    "\"LevelDisplayName\"\r\n"
    "\"Fehler; mit Semikolon\";\"7053\";\"2\";"
    "\"Windows Server Update Services\";\"14.07.2021 20:52:46\";"
    "\"Fehler\"\r\n"
    "\"Warnung\";\"10032\";\"3\";\"Windows Server Update Services\";"
    "\"01.12.2021 00:00:01\";\"Warnung\"\r\n";

/* en-GB: a 24 h slash date decides d/M for the rest of the file. */
static const char csv_engb[] =
    "TimeCreated,Id,ProviderName,Message\n"
    "14/07/2021 08:52:46,364,Windows Server Update Services,first\n"
    "03/08/2021 09:00:00,364,Windows Server Update Services,second\n";

/* en-AU: 12 h clock but d/M, decided by the first unambiguous value. */
static const char csv_enau[] =
    "TimeCreated,Id,Message\n"
    "13/07/2021 8:52:46 pm,1,a\n"
    "3/8/2021 9:00:00 am,2,b\n";

/* Get-EventLog -LogName System | Export-Csv -NoTypeInformation. */
static const char csv_eventlog[] =
    "\"EventID\",\"MachineName\",\"Data\",\"Index\",\"Category\","
    "\"CategoryNumber\",\"EntryType\",\"Message\",\"Source\","
    "\"ReplacementStrings\",\"InstanceId\",\"TimeGenerated\","
    "\"TimeWritten\",\"UserName\",\"Site\",\"Container\"\n"
    "\"7031\",\"SUP01\",\"System.Byte[]\",\"9912\",\"(0)\",\"0\","
    "\"Error\",\"The WSUS Service service terminated unexpectedly.\","
    "\"Service Control Manager\",\"System.String[]\",\"3221232495\","
    "\"2021-07-14 08:52:46\",\"2021-07-14 08:52:46\",,,\n";

static const char csv_unterminated[] =
    "TimeCreated,Id,Message\n"
    "7/14/2021 8:52:46 AM,1,\"never closed\n"
    "still message\n";

static const char csv_other[] =
    "Name,Status\nWsusService,Running\n";

/* Event Viewer "Copy details as text", two blocks. */
static const char text_modern[] =
    "Log Name:      Application\r\n"
    "Source:        Windows Server Update Services\r\n"
    "Date:          7/14/2021 8:52:46 AM\r\n"
    "Event ID:      364\r\n"
    "Task Category: 1\r\n"
    "Level:         Error\r\n"
    "Keywords:      Classic\r\n"
    "User:          N/A\r\n"
    "Computer:      SUP01.contoso.com\r\n"
    "Description:\r\n"
    "Content file download failed.\r\n"
    "\r\n"
    "Reason: The operation timed out\r\n"
    "Event Xml:\r\n"
    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\r\n"
    "</Event>\r\n"
    "\r\n"
    "Log Name:      System\r\n"
    "Source:        Service Control Manager\r\n"
    "Date:          2021-07-14T09:00:01.123\r\n"
    "Event ID:      7031\r\n"
    "Level:         Warning\r\n"
    "Computer:      SUP01.contoso.com\r\n"
    "Description:   The WSUS Service service terminated unexpectedly.\r\n";

/* wevtutil qe System /c:1 /f:text */
static const char text_wevtutil[] =
    "Event[0]:\n"
    "  Log Name: System\n"
    "  Source: Microsoft-Windows-WindowsUpdateClient\n"
    "  Date: 2021-07-14T08:52:46.5000000Z\n"
    "  Event ID: 20\n"
    "  Task: Windows Update Agent\n"
    "  Level: Error\n"
    "  Computer: PC1\n"
    "  Description: \n"
    "Installation Failure: Windows failed to install the following update "
    "with error 0x80242016.\n"
    "\n"
    "Event[1]:\n"
    "  Log Name: System\n"
    "  Source: Microsoft-Windows-WindowsUpdateClient\n"
    "  Event ID: 19\n"
    "  Level: Information\n"
    "  Description: \n"
    "Installation Successful.\n";

static const struct pcase cases[] = {
	{ "xml-wsus", &log_evt_xml_parser, TZ_UNKNOWN, xml_wsus, X("n=3",
	    "ndiag=0", "0:line=1", "0:kv.event_id=364", "0:kv.qualifiers=0",
	    "0:kv.provider=Windows Server Update Services",
	    "0:comp=Windows Server Update Services", "0:kv.level=2",
	    "0:sev=error", "0:kv.channel=Application",
	    "0:kv.computer=SUP01.contoso.com", "0:kv.record_id=48213",
	    "0:time=2024-05-01T10:00:00.123Z", "0:utc=1", "0:off=0",
	    "0:msg~Content file download failed. Reason: The server",
	    "1:line=2", "1:kv.event_id=12072",
	    "1:time=2024-05-01T10:05:12.987Z",
	    "1:msg=The WSUS content directory is not accessible.; "
	    "System.Net.WebException: The remote server returned an error: "
	    "(503) Server Unavailable.",
	    "2:line=3", "2:kv.event_id=7053",
	    "2:msg~The WSUS administration console has encountered",
	    "2:msg~console.\nSystem.Net.WebException -- The request failed with "
	    "HTTP status 503") },
	{ "xml-named-data", &log_evt_xml_parser, TZ_UNKNOWN, xml_wuc, X("n=1",
	    "ndiag=0", "0:kv.event_id=20", "0:kv.qualifiers=(null)",
	    "0:thread=5678", "0:kv.computer=PC1", "0:kv.channel=System",
	    "0:time=2021-07-14T12:52:46.500Z",
	    "0:msg=0x80242016; 2021-07 Cumulative Update & more; {1}") },
	{ "xml-pretty-root", &log_evt_xml_parser, TZ_UNKNOWN, xml_pretty,
	    X("n=2", "ndiag=0", "0:line=3", "0:end_line=14",
	    "0:kv.event_id=7036", "0:kv.qualifiers=16384", "0:sev=info",
	    "0:time=2015-08-08T02:06:17.078Z",
	    "0:msg=Windows Update; running & well", "1:line=17",
	    "1:sev=warning", "1:msg=disk <full>; 9", "1:comp=(null)",
	    "1:time=none") },
	{ "xml-billion-laughs", &log_evt_xml_parser, TZ_UNKNOWN, xml_laughs,
	    X("n=0", "ndiag=2", "diag~1:2: document type declaration ignored",
	    "diag~2:8: malformed event skipped: Entity 'lol9' not defined") },
	{ "xml-xxe", &log_evt_xml_parser, TZ_UNKNOWN, xml_xxe,
	    X("n=1", "ndiag=2", "0:kv.event_id=1",
	    "diag~1:2: document type declaration ignored",
	    "diag~2:3: malformed event skipped: Entity 'x' not defined") },
	{ "xml-undeclared-entity", &log_evt_xml_parser, TZ_UNKNOWN,
	    xml_undeclared, X("n=1", "ndiag=1", "0:kv.event_id=1",
	    "diag~2:2: malformed event skipped: Entity 'nope' not defined") },
	{ "xml-doctype-inside-event", &log_evt_xml_parser, TZ_UNKNOWN,
	    EVNS "<!DOCTYPE x [<!ENTITY a \"b\">]><System><EventID>1</EventID>"
	    "</System><EventData><Data>&a;</Data></EventData></Event>\n"
	    EVNS "<System><EventID>2</EventID></System></Event>\n",
	    X("n=1", "ndiag=2", "diag~1:1: document type declaration ignored",
	    "diag~2:1: malformed event skipped", "0:kv.event_id=2") },
	{ "xml-xinclude-not-processed", &log_evt_xml_parser, TZ_UNKNOWN,
	    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/"
	    "event' xmlns:xi='http://www.w3.org/2001/XInclude'><System>"
	    "<EventID>3</EventID></System><EventData><Data>x</Data>"
	    "<xi:include href='http://203.0.113.9/x.xml' parse='text'/>"
	    "<Data>y</Data></EventData></Event>",
	    X("n=1", "ndiag=0", "0:msg=x; y") },
	{ "xml-doctype-in-comment", &log_evt_xml_parser, TZ_UNKNOWN,
	    xml_doctype_in_comment, X("n=1", "ndiag=0", "0:line=2",
	    "0:msg=<!ENTITY y \"z\">") },
	{ "xml-truncated", &log_evt_xml_parser, TZ_UNKNOWN, xml_truncated,
	    X("n=1", "ndiag=1", "0:kv.event_id=384", "0:sev=info",
	    "diag~2:2: malformed event skipped: Premature end of data") },
	{ "xml-two-per-line", &log_evt_xml_parser, TZ_UNKNOWN,
	    xml_two_per_line, X("n=3", "ndiag=1", "0:line=1", "0:sev=error",
	    "1:line=1", "1:sev=info", "1:time=none",
	    "diag~unreadable event time 'bogus'", "2:line=2", "2:sev=warning",
	    "2:time=2024-02-29T23:59:59.999+02:00", "2:utc=0", "2:off=294") },
	{ "xml-empty", &log_evt_xml_parser, TZ_UNKNOWN, "", X("n=0",
	    "diag~no <Event> elements") },
	{ "xml-garbage", &log_evt_xml_parser, TZ_UNKNOWN, "<<<>>>&&&\x01",
	    X("n=0", "diag~no <Event> elements") },
	{ "xml-broken-then-good", &log_evt_xml_parser, TZ_UNKNOWN,
	    EVNS "<System><EventID>1</EventID></System><Bad></Event>\n"
	    EVNS "<System><EventID>2</EventID></System></Event>\n",
	    X("n=1", "ndiag=1", "0:kv.event_id=2", "0:line=2",
	    "diag~2:1: malformed event skipped") },
	{ "csv-enus", &log_evt_csv_parser, -240, csv_enus, X("n=2",
	    "ndiag=0", "0:line=3", "0:end_line=5", "0:kv.event_id=364",
	    "0:kv.level=2", "0:sev=error", "0:kv.record_id=48213",
	    "0:kv.channel=Application", "0:kv.computer=SUP01.contoso.com",
	    "0:comp=Windows Server Update Services",
	    "0:time=2021-07-14T08:52:46.000-04:00", "0:utc=0",
	    "0:msg=Content file download failed.\nReason: HTTP status 404: "
	    "The requested URL does not exist on the server.\nSource File: "
	    "/msdownload/a.cab", "1:line=6", "1:sev=info",
	    "1:msg=Said \"hello\", then 12:00 PM",
	    "1:time=2021-07-14T12:05:00.000-04:00") },
	{ "csv-dede", &log_evt_csv_parser, TZ_UNKNOWN, csv_dede, X("n=2",
	    "ndiag=0", "0:kv.event_id=7053", "0:sev=error",
	    "0:msg=Fehler; mit Semikolon", "0:time=2021-07-14T20:52:46.000",
	    "1:kv.event_id=10032", "1:sev=warning",
	    "1:time=2021-12-01T00:00:01.000") },
	{ "csv-engb", &log_evt_csv_parser, TZ_UNKNOWN, csv_engb, X("n=2",
	    "0:time=2021-07-14T08:52:46.000",
	    "1:time=2021-08-03T09:00:00.000", "1:msg=second", "1:line=3") },
	{ "csv-enau", &log_evt_csv_parser, TZ_UNKNOWN, csv_enau, X("n=2",
	    "0:time=2021-07-13T20:52:46.000",
	    "1:time=2021-08-03T09:00:00.000") },
	{ "csv-get-eventlog", &log_evt_csv_parser, 120, csv_eventlog, X("n=1",
	    "0:kv.event_id=7031", "0:sev=error", "0:kv.level=Error",
	    "0:comp=Service Control Manager", "0:kv.record_id=9912",
	    "0:time=2021-07-14T08:52:46.000+02:00") },
	{ "csv-unterminated", &log_evt_csv_parser, TZ_UNKNOWN,
	    csv_unterminated, X("n=1", "ndiag=1",
	    "diag~unterminated quoted field", "0:line=2", "0:end_line=3",
	    "0:msg=never closed\nstill message") },
	{ "csv-not-events", &log_evt_csv_parser, TZ_UNKNOWN, csv_other,
	    X("n=0", "diag~not an event export") },
	{ "csv-empty", &log_evt_csv_parser, TZ_UNKNOWN, "", X("n=0",
	    "ndiag=0") },
	{ "text-modern", &log_evt_text_parser, 60, text_modern, X("n=2",
	    "ndiag=0", "0:line=1", "0:end_line=16", "0:kv.channel=Application",
	    "0:kv.event_id=364", "0:sev=error", "0:kv.level=Error",
	    "0:comp=Windows Server Update Services",
	    "0:kv.computer=SUP01.contoso.com",
	    "0:time=2021-07-14T08:52:46.000+01:00",
	    "0:msg=Content file download failed.\n\nReason: The operation "
	    "timed out", "1:line=18", "1:off=425", "1:sev=warning",
	    "1:kv.event_id=7031", "1:time=2021-07-14T09:00:01.123+01:00",
	    "1:msg=The WSUS Service service terminated unexpectedly.") },
	{ "text-wevtutil", &log_evt_text_parser, TZ_UNKNOWN, text_wevtutil,
	    X("n=2", "0:line=1", "0:end_line=10", "0:kv.event_id=20",
	    "0:kv.channel=System", "0:time=2021-07-14T08:52:46.500Z",
	    "0:utc=1", "0:sev=error", "0:msg~error 0x80242016.",
	    "1:line=12", "1:kv.event_id=19", "1:sev=info", "1:time=none",
	    "1:msg=Installation Successful.") },
	{ "text-nothing", &log_evt_text_parser, TZ_UNKNOWN,
	    "just some text\nDescription: no block\n", X("n=0") },
};

START_TEST(test_case)
{
	const struct pcase *c = &cases[_i];
	struct lt_run run;

	lt_init(&run, c->tz_hint);
	lt_parse(&run, c->p, c->in);
	if (getenv("LT_DUMP"))
		printf("== %s\n", c->name), lt_dump(&run);
	lt_check_all(&run, c->expect);
	lt_free(&run);
}
END_TEST

/* A real sample and what reading it by hand found in it. */
struct scase {
	const char			*path;	/* under logs/samples */
	const struct log_parser		*p;
	int				 raw;
	const char *const		*expect;
};

static const struct scase samples[] = {
	{ "eventlog/msdocs_wsus_event7053_eventviewer_text.txt",
	    &log_evt_text_parser, 0, X("n=1", "ndiag=0", "0:line=1",
	    "0:end_line=23", "0:kv.event_id=7053", "0:kv.channel=Application",
	    "0:comp=Windows Server Update Services", "0:sev=error",
	    "0:kv.computer=ServerName.domain.local", "0:time=none",
	    "0:msg~The WSUS administration console has encountered an "
	    "unexpected error.", "0:msg~Client found response content type "
	    "of 'text/html; charset=utf-8', but expected 'text/xml'.",
	    "0:msg~Stack Trace:\n   at System.Web.Services.Protocols.") },
	{ "eventlog/markwilson_blog_legacy_eventvwr_text_eventid20.txt",
	    &log_evt_text_parser, 0, X("n=1", "ndiag=0", "0:line=1",
	    "0:end_line=15", "0:kv.event_id=20", "0:kv.level=Error",
	    "0:sev=error", "0:comp=Windows Update Agent",
	    "0:kv.computer=servername", "0:time=2007-03-16T06:00:19.000",
	    "0:msg=Installation Failure: Windows failed to install the "
	    "following update with error 0x80242007: Windows Server 2003 "
	    "Service Pack 2 (32-bit x86).\n\nFor more information, see Help "
	    "and Support Center at http://go.microsoft.com/fwlink/events.asp.")
	    },
	{ "eventlog/plaso_System2.evtx", &log_evtx_parser, 1, X("n=194", "ndiag=0",
	    "0:line=1", "0:off=4608", "0:kv.record_id=1",
	    "0:time=2015-08-08T02:06:17.078Z", "0:utc=1",
	    "193:kv.record_id=194", "193:off=134352",
	    "193:time=2015-08-09T09:17:38.375Z") },
};

START_TEST(test_sample)
{
	const struct scase *c = &samples[_i];
	struct buf text = {0};
	struct lt_run run;

	if (lt_sample(c->path, c->raw, &text) == -1)
		return;
	lt_init(&run, TZ_UNKNOWN);
	if (c->p->whole)
		lt_whole(&run, c->p, text.data, text.len);
	else
		lt_lines(&run, c->p, text.data, text.len);
	if (getenv("LT_DUMP"))
		printf("== %s\n", c->path), lt_dump(&run);
	lt_check_all(&run, c->expect);
	lt_free(&run);
	buf_free(&text);
}
END_TEST

/* Damaged .evtx: never a crash; a diagnostic or fewer records. */
START_TEST(test_evtx_damaged)
{
	struct buf raw = {0};
	struct lt_run run;
	size_t i;

	lt_init(&run, TZ_UNKNOWN);
	lt_whole(&run, &log_evtx_parser, "not an evtx", 11);
	lt_check(&run, "n=0");
	lt_check(&run, "diag~not an EVTX file");
	lt_free(&run);
	lt_init(&run, TZ_UNKNOWN);
	lt_whole(&run, &log_evtx_parser, "ElfFile\0\0\0", 10);
	lt_check(&run, "n=0");
	lt_check(&run, "diag~unreadable EVTX file");
	lt_free(&run);
	ck_assert(log_evtx_magic("ElfFile\0", 8));
	ck_assert(!log_evtx_magic("ElfFile", 7));
	ck_assert(!log_evtx_magic("ElfChnk\0", 8));
	if (lt_sample("eventlog/plaso_System2.evtx", 1, &raw) == -1)
		return;
	/* cut inside the first chunk, then scribble over records */
	lt_init(&run, TZ_UNKNOWN);
	lt_whole(&run, &log_evtx_parser, raw.data, 30000);
	ck_assert_uint_lt(run.n, 194);
	lt_free(&run);
	lt_init(&run, TZ_UNKNOWN);
	lt_whole(&run, &log_evtx_parser, raw.data, 4096 + 300);
	lt_check(&run, "n=0");
	lt_check(&run, "diag~1 corrupted chunk of event records skipped");
	lt_free(&run);
	/* a chunk header libevtx refuses costs only that chunk (records
	 * 1-104 are in chunk 0, 105-194 in chunk 1) */
	raw.data[4096 + 40] = 0x7f;
	lt_init(&run, TZ_UNKNOWN);
	lt_whole(&run, &log_evtx_parser, raw.data, raw.len);
	lt_check(&run, "diag~1 corrupted chunk of event records skipped");
	lt_check(&run, "n=90");
	lt_check(&run, "0:kv.record_id=105");
	lt_free(&run);
	raw.data[4096 + 40] = (char)0x80;
	/*
	 * Seven bytes the fuzzer changed in chunk 0 make libevtx allocate
	 * and touch 8 GiB for one record: the reader child hits its memory
	 * budget (an error for that record, or the child dies) and the
	 * other records still arrive; kbgen itself is never at risk.  Under
	 * ASan the child prints an out-of-memory report before it aborts.
	 */
	memcpy(raw.data + 26574, "&apos;", 6);
	raw.data[58656] = 0x40;
	lt_init(&run, TZ_UNKNOWN);
	lt_whole(&run, &log_evtx_parser, raw.data, 4096 + 65536);
	ck_assert_uint_gt(run.n, 0);
	ck_assert_uint_lt(run.n, 104);
	lt_free(&run);
	for (i = 4096 + 600; i < raw.len; i += 97)
		raw.data[i] = (char)(raw.data[i] ^ 0x5a);
	lt_init(&run, TZ_UNKNOWN);
	lt_whole(&run, &log_evtx_parser, raw.data, raw.len);
	lt_free(&run);
	buf_free(&raw);
}
END_TEST

/* Sniffers: each claims its own fixtures and not the others'. */
START_TEST(test_sniff)
{
	ck_assert_int_ge(log_evt_xml_parser.sniff("a.xml", xml_wsus,
	    strlen(xml_wsus)), 90);
	ck_assert_int_ge(log_evt_xml_parser.sniff("a.xml", xml_pretty,
	    strlen(xml_pretty)), 80);
	ck_assert_int_eq(log_evt_xml_parser.sniff("a.xml", csv_enus,
	    strlen(csv_enus)), 0);
	ck_assert_int_eq(log_evt_csv_parser.sniff("a.csv", csv_enus,
	    strlen(csv_enus)), 100);
	ck_assert_int_ge(log_evt_csv_parser.sniff("a.csv", csv_dede,
	    strlen(csv_dede)), 90);
	ck_assert_int_ge(log_evt_csv_parser.sniff("a.csv", csv_eventlog,
	    strlen(csv_eventlog)), 85);
	ck_assert_int_eq(log_evt_csv_parser.sniff("a.csv", csv_other,
	    strlen(csv_other)), 0);
	ck_assert_int_ge(log_evt_text_parser.sniff("a.txt", text_modern,
	    strlen(text_modern)), 90);
	ck_assert_int_ge(log_evt_text_parser.sniff("a.txt", text_wevtutil,
	    strlen(text_wevtutil)), 90);
	ck_assert_int_eq(log_evt_text_parser.sniff("a.txt", xml_wsus,
	    strlen(xml_wsus)), 0);
	ck_assert_int_eq(log_evtx_parser.sniff("x.evtx", "ElfFile", 7), 100);
	ck_assert_int_eq(log_evtx_parser.sniff("x.evtx", "", 0), 60);
	ck_assert_int_eq(log_evtx_parser.sniff("x.log", "text", 4), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("log_event");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_case, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_loop_test(tc, test_sample, 0,
	    sizeof(samples) / sizeof(samples[0]));
	tcase_add_test(tc, test_evtx_damaged);
	tcase_add_test(tc, test_sniff);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(suite());
}
