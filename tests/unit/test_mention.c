/*
 * test_mention.c -- mention.c: the written forms of codes in section
 * text, titles, message candidates and links; false positives; a light
 * fuzz; and, when ../shared is there (KBGEN_SHARED), the seed articles
 * and the corpus.  Table-driven: one Check loop test per table.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "article.h"
#include "codes.h"
#include "ckrun.h"

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* Builds a one-section article; title, text or message may be NULL. */
static struct article *
one_section(const char *title, const char *text, const char *msg,
    const char *link)
{
	struct article *a = article_new("test.md", FORMAT_MARKDOWN);
	struct section *s = article_add_section(a, 2, 1,
	    title ? title : "Section", NULL);

	if (text != NULL)
		buf_puts(&s->text, text);
	if (msg != NULL)
		section_add_message(s, msg, strlen(msg));
	if (link != NULL)
		section_add_link(s, link, "link", 1);
	mention_collect(a);
	return a;
}

/* Is there a mention of kind with value in a (any section)? */
static int
has(const struct article *a, enum mention_kind kind, const char *value)
{
	size_t i, j;

	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];

		for (j = 0; j < s->mentions.n; j++) {
			const struct mention *m = s->mentions.v[j];

			if (m->kind == kind && strcmp(m->value, value) == 0)
				return 1;
		}
	}
	return 0;
}

/* Number of mentions of kind in a. */
static size_t
count(const struct article *a, enum mention_kind kind)
{
	size_t i, j, n = 0;

	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];

		for (j = 0; j < s->mentions.n; j++)
			n += ((const struct mention *)s->mentions.v[j])->kind ==
			    kind;
	}
	return n;
}

/* Lists the mentions of a, for failure messages. */
static const char *
dump(const struct article *a)
{
	static struct buf b;
	size_t i, j;

	buf_reset(&b);
	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];

		for (j = 0; j < s->mentions.n; j++) {
			const struct mention *m = s->mentions.v[j];

			buf_printf(&b, " [%s %s]", mention_kind_name(m->kind),
			    m->value);
		}
	}
	return buf_str(&b);
}

/* ------------------------------------------------------------------ */
/* Mentions found in section text (or the title when text is NULL) */

enum where { TEXT, TITLE, MSG, LINK };

static const struct {
	enum where	 where;
	const char	*title;		/* section title for TEXT cases */
	const char	*in;
	enum mention_kind kind;
	const char	*value;
} found[] = {
	/* HRESULTs in every written form */
	{ TITLE, NULL, "Error 0x80070643: Fatal error during installation",
	    MENTION_HRESULT, "0x80070643" },
	{ TITLE, NULL, "Error 0x80070643: Fatal error during installation",
	    MENTION_WIN32, "1603" },
	{ TEXT, NULL, "It fails with 0X80070643.", MENTION_HRESULT,
	    "0x80070643" },
	{ TEXT, NULL, "the client logs 80070643 in its log", MENTION_HRESULT,
	    "0x80070643" },
	{ TEXT, NULL, "Setup returned hr=80070643", MENTION_HRESULT,
	    "0x80070643" },
	{ TEXT, NULL, "ConfigMgr error 0x87D00607 on the client",
	    MENTION_HRESULT, "0x87d00607" },
	{ TEXT, NULL, "The operating system reported error 2147500037: "
	    "Unspecified error", MENTION_HRESULT, "0x80004005" },
	{ TEXT, NULL, "the call returned -2147023293.", MENTION_HRESULT,
	    "0x80070643" },
	{ TEXT, NULL, "the call returned -2147023293.", MENTION_WIN32,
	    "1603" },
	{ TEXT, NULL, "Exit code 2147944003", MENTION_HRESULT, "0x80070643" },
	{ TEXT, NULL, "503 errors in IIS may be accompanied by xxxx2ee2 errors",
	    MENTION_HRESULT, "xxxx2ee2" },
	{ TEXT, NULL, "client errors in the 0x8024xxxx range", MENTION_HRESULT,
	    "0x8024xxxx" },
	{ TEXT, NULL, "Erreur 0 x 80070643 : Erreur irrécupérable",
	    MENTION_HRESULT, "0x80070643" },
	{ TEXT, NULL, "*FAILED* [80244007] SyncUpdates_WithRecovery",
	    MENTION_HRESULT, "0x80244007" },
	{ TEXT, NULL, "You receive a 80072EE6 error code", MENTION_HRESULT,
	    "0x80072ee6" },
	{ TEXT, NULL, "You receive a 80072EE6 error code", MENTION_WIN32,
	    "12006" },
	{ TEXT, NULL, "returns a certificate error 800B0109", MENTION_HRESULT,
	    "0x800b0109" },
	{ TEXT, NULL, "The request is not supported. (0x80070032)",
	    MENTION_HRESULT, "0x80070032" },
	{ TEXT, NULL, "错误 0x80070643:安装时发生严重错误", MENTION_HRESULT,
	    "0x80070643" },
	{ TITLE, NULL, "\"Error: 0x8004005\" error messages when you scan",
	    MENTION_HRESULT, "0x80004005" },
	{ TEXT, NULL, "the result is E_FAIL here", MENTION_HRESULT,
	    "0x80004005" },
	{ TEXT, NULL, "> 0x80072EFE - The connection with the server",
	    MENTION_WIN32, "12030" },
	/* Win32 errors in context */
	{ TEXT, NULL, "The operating system reported error 53: The network "
	    "path was not found.", MENTION_WIN32, "53" },
	{ TEXT, NULL, "MSI error code 1603 during setup", MENTION_WIN32,
	    "1603" },
	{ TEXT, NULL, "error code: 1618", MENTION_WIN32, "1618" },
	{ TEXT, NULL, "Win32 error 12002 appears", MENTION_WIN32, "12002" },
	{ TEXT, NULL, "ERROR_INSTALL_FAILURE is returned", MENTION_WIN32,
	    "1603" },
	{ TEXT, NULL, "fails with error 0x643", MENTION_WIN32, "1603" },
	/* STATMSG IDs */
	{ TITLE, NULL, "Message ID 6703 - WSUS Synchronization Failed",
	    MENTION_STATMSG, "6703" },
	{ TEXT, NULL, "STATMSG: ID=6701 SEV=I LEV=M SOURCE=\"SMS Server\"",
	    MENTION_STATMSG, "6701" },
	{ TEXT, NULL, "creates status message ID 6704 (WSUS Synchronization "
	    "in progress)", MENTION_STATMSG, "6704" },
	{ TEXT, NULL, "Manager creates status message 6702", MENTION_STATMSG,
	    "6702" },
	{ TEXT, NULL, "the message 6703 is logged", MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "Status Message ID 6703", MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "消息 ID 6703-WSUS 同步失败", MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "Meldungs-ID 6703-Fehler beim Synchronisieren",
	    MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "Nachrichten-ID 6703-Fehler bei der WSUS-Synchroni",
	    MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "Statusmeldung 6703 - WSUS-Synchronisierung",
	    MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "Идентификатор сообщения 6703 — сбой синхронизации",
	    MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "ИД сообщения 6703 — ошибка синхронизации WSUS",
	    MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "ID. de mensaje 6703-error de sincronización",
	    MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "Id. de mensaje 6703 - sincronización de WSUS",
	    MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "ID da mensagem 6703-falha na sincronização",
	    MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "ID de mensagem 6703 - Falha na sincronização",
	    MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "ID de message 6703-échec de la synchronisation",
	    MENTION_STATMSG, "6703" },
	{ TITLE, NULL, "メッセージ ID 6703 - WSUS の同期に失敗しました",
	    MENTION_STATMSG, "6703" },
	{ TEXT, NULL, "Message ID | Description\n6703 | SMS WSUS "
	    "Synchronization failed.", MENTION_STATMSG, "6703" },
	{ TEXT, NULL, "status message IDs 6701, 6702 and 6703",
	    MENTION_STATMSG, "6703" },
	/* HTTP statuses */
	{ MSG, NULL, "Message: The request failed with HTTP status 503: "
	    "Service Unavailable.", MENTION_HTTP, "503" },
	{ TEXT, NULL, "`HTTP Error 503. The service is unavailable`",
	    MENTION_HTTP, "503" },
	{ TEXT, NULL, "It answers HTTP 503 now", MENTION_HTTP, "503" },
	{ TEXT, NULL, "The remote server returned an error: (401) "
	    "Unauthorized.", MENTION_HTTP, "401" },
	{ TEXT, NULL, "IIS logged 503 Service Unavailable", MENTION_HTTP,
	    "503" },
	{ TEXT, NULL, "HTTP/1.1 503 Service Unavailable", MENTION_HTTP, "503" },
	{ TEXT, NULL, "the status code 401 is returned", MENTION_HTTP, "401" },
	{ TEXT, NULL, "Http status code 500, results in", MENTION_HTTP, "500" },
	{ TEXT, NULL, "> Error 503 de HTTP. El servicio no está disponible",
	    MENTION_HTTP, "503" },
	{ TEXT, NULL, "> HTTP-Fehler 503. Der Dienst ist nicht verfügbar",
	    MENTION_HTTP, "503" },
	{ TEXT, NULL, "> 消息：请求失败，HTTP 状态为503：服务不可用。",
	    MENTION_HTTP, "503" },
	{ TEXT, NULL, "> HTTP エラー 503。 サービスを利用できません",
	    MENTION_HTTP, "503" },
	{ TEXT, NULL, "с кодом состояния HTTP 503: служба недоступна",
	    MENTION_HTTP, "503" },
	{ TEXT, NULL, "mit HTTP 503-Fehlern fehl", MENTION_HTTP, "503" },
	{ TEXT, "The Request Failed with HTTP Status 401: Unauthorized Error",
	    "Check the permissions.", MENTION_HTTP, "401" },
	{ TEXT, "Code definitions", "For more information about HTTP status "
	    "code in IIS, see the article.\n\nID | Explanation\n200 | Success\n"
	    "403 | Access failure\n503 | Busy", MENTION_HTTP, "403" },
	{ TEXT, "Code definitions", "For more information about HTTP status "
	    "code in IIS, see the article.\n\nID | Explanation\n200 | Success\n"
	    "403 | Access failure\n503 | Busy", MENTION_HTTP, "200" },
	{ TEXT, "Code definitions", "Accessing most WSUS URLs in IIS will "
	    "return a 403 error.", MENTION_HTTP, "403" },
	{ TEXT, NULL, "503 errors in IIS may be accompanied by xxxx2ee2 errors",
	    MENTION_HTTP, "503" },
	/* Event IDs */
	{ TEXT, NULL, "Event ID 364 is logged", MENTION_EVENT, "364" },
	{ TEXT, NULL, "look for event 7031 in the System log", MENTION_EVENT,
	    "7031" },
	{ TEXT, NULL, "EventID: 12072", MENTION_EVENT, "12072" },
	{ TEXT, NULL, "> Event ID:      7053  ", MENTION_EVENT, "7053" },
	{ TEXT, NULL, "ReportEvent  EventId=382,Type=Information", MENTION_EVENT,
	    "382" },
	{ TEXT, NULL, "you see event ID 10021 or 10022, check", MENTION_EVENT,
	    "10021" },
	{ TEXT, NULL, "you see event ID 10021 or 10022, check", MENTION_EVENT,
	    "10022" },
	{ TEXT, NULL, "Ereignis-ID 7053 wird protokolliert", MENTION_EVENT,
	    "7053" },
	/* KB numbers */
	{ TEXT, NULL, "Windows Server 2012 - KB4039873", MENTION_KB,
	    "4039873" },
	{ TEXT, NULL, "For WSUS 3.0 SP2, KB 4039929 or a later update",
	    MENTION_KB, "4039929" },
	{ TEXT, NULL, "you must have update 4039929 or a later-version update",
	    MENTION_KB, "4039929" },
	{ TEXT, NULL, "Original KB number:\xc2\xa0 4025764", MENTION_KB,
	    "4025764" },
	{ TEXT, NULL, "windows10.0-kb3195781-x64_0c06079.msu", MENTION_KB,
	    "3195781" },
	{ LINK, NULL, "https://support.microsoft.com/help/4039929",
	    MENTION_KB, "4039929" },
	{ LINK, NULL, "https://support.microsoft.com/help/4039396/",
	    MENTION_KB, "4039396" },
	{ LINK, NULL, "https://support.microsoft.com/kb/885819", MENTION_KB,
	    "885819" },
	{ LINK, NULL, "https://support.microsoft.com/Search.aspx?q=KB4484071",
	    MENTION_KB, "4484071" },
	/* Log files */
	{ TEXT, NULL, "Check wsyncmgr.log first.", MENTION_LOGFILE,
	    "wsyncmgr.log" },
	{ TEXT, NULL, "Log entries are not written to WCM.log", MENTION_LOGFILE,
	    "wcm.log" },
	{ TEXT, NULL, "in <ConfigMgrInstallationPath>\\Logs\\Wsyncmgr.log",
	    MENTION_LOGFILE, "wsyncmgr.log" },
	{ TEXT, NULL, "errors in the `c:\\windows\\windowsupdate.log` file",
	    MENTION_LOGFILE, "windowsupdate.log" },
	{ TEXT, NULL, "check the ccm\\logs\\locationservices.log file",
	    MENTION_LOGFILE, "locationservices.log" },
	{ TEXT, NULL, "LogFiles\\SoftwareDistribution.log.", MENTION_LOGFILE,
	    "softwaredistribution.log" },
	{ TEXT, NULL, "在wsyncmgr.log中", MENTION_LOGFILE, "wsyncmgr.log" },
	{ TEXT, NULL, "rotated to WUAHandler.lo_", MENTION_LOGFILE,
	    "wuahandler.lo_" },
	{ TEXT, NULL, "see setupapi.dev.log", MENTION_LOGFILE,
	    "setupapi.dev.log" },
	/* Services */
	{ TEXT, NULL, "select WsusPool, right-click", MENTION_SERVICE,
	    "WsusPool" },
	{ TEXT, NULL, "**MSSQL$WSUS** (if you're using", MENTION_SERVICE,
	    "MSSQL$WSUS" },
	{ TEXT, NULL, "the service MSSQL$microsoft##wid is", MENTION_SERVICE,
	    "MSSQL$MICROSOFT##WID" },
	{ TEXT, NULL, "- **MSSQL $ WSUS** (si vous utilisez", MENTION_SERVICE,
	    "MSSQL$WSUS" },
	{ TEXT, NULL, "**MSSQLSERVER** (default instance)", MENTION_SERVICE,
	    "MSSQLSERVER" },
	{ TEXT, NULL, "the World Wide Web Publishing Service is running",
	    MENTION_SERVICE, "W3SVC" },
	{ TEXT, NULL, "Verify that the Update Services service and",
	    MENTION_SERVICE, "WsusService" },
	{ TEXT, NULL, "Check that Update Services is running on the WSUS "
	    "server.", MENTION_SERVICE, "WsusService" },
	{ TEXT, NULL, "finding Windows Server Update Service in the list",
	    MENTION_SERVICE, "WsusService" },
	{ TEXT, NULL, "the SMS_WSUS_SYNC_MANAGER component", MENTION_SERVICE,
	    "SMS_WSUS_SYNC_MANAGER" },
	{ TEXT, NULL, "WSUS Synchronization Manager writes entries",
	    MENTION_SERVICE, "SMS_WSUS_SYNC_MANAGER" },
	{ TEXT, NULL, "restart BITS and wuauserv", MENTION_SERVICE, "BITS" },
	{ TEXT, NULL, "restart BITS and wuauserv", MENTION_SERVICE,
	    "wuauserv" },
	{ TEXT, NULL, "on the Windows Internal Database", MENTION_SERVICE,
	    "MSSQL$MICROSOFT##WID" },
	{ TEXT, NULL, "**Selfupdate:** See the article", MENTION_SERVICE,
	    "SelfUpdate" },
	{ TEXT, NULL, "the IIS Admin Service and", MENTION_SERVICE,
	    "IISADMIN" },
	/* Messages in running text and in candidates */
	{ TEXT, NULL, "fails to connect to the WSUS server with the message "
	    "WSUS server not configured. The status message described",
	    MENTION_MESSAGE, "WSUS server not configured" },
	{ TEXT, NULL, "6703 | SMS WSUS Synchronization failed. Message: The "
	    "request failed with HTTP status 401: Unauthorized. Source: "
	    "Microsoft.UpdateServices.Administration.AdminProxy.",
	    MENTION_MESSAGE, "The request failed with HTTP status 401: "
	    "Unauthorized" },
	{ TEXT, NULL, "with the message The request failed with HTTP status "
	    "401: Unauthorized, the status message", MENTION_MESSAGE,
	    "The request failed with HTTP status 401: Unauthorized" },
	{ TEXT, NULL, "If you receive an error similar to \"Cannot add "
	    "duplicate collection entry of type 'mimeMap'\", the MIME type",
	    MENTION_MESSAGE, "Cannot add duplicate collection entry of type "
	    "'mimeMap'" },
	{ TEXT, NULL, "you receive the error “The remote name could not be "
	    "resolved” in the log", MENTION_MESSAGE, "The remote name could not "
	    "be resolved" },
	{ MSG, NULL, "Message: The request failed with HTTP status 503: "
	    "Service Unavailable.", MENTION_MESSAGE, "The request failed with "
	    "HTTP status 503: Service Unavailable" },
	{ MSG, NULL, "Error: Connection Error", MENTION_MESSAGE,
	    "Connection Error" },
	{ MSG, NULL, "HTTP Error 503. The service is unavailable",
	    MENTION_MESSAGE, "HTTP Error 503. The service is unavailable" },
	{ MSG, NULL, "Sync failed: WSUS server not configured. Source: "
	    "CWSyncMgr::DoSync", MENTION_MESSAGE, "Sync failed: WSUS server "
	    "not configured. Source: CWSyncMgr::DoSync" },
	{ MSG, NULL, "> 消息：请求失败，HTTP 状态为503：服务不可用。",
	    MENTION_MESSAGE, "请求失败，HTTP 状态为503：服务不可用" },
	{ MSG, NULL, "**HTTP Error 503. The service is unavailable**",
	    MENTION_MESSAGE, "HTTP Error 503. The service is unavailable" },
	{ MSG, NULL, "<![LOG[Sync failed: The request failed with HTTP status "
	    "503: Service Unavailable.]LOG]!><time=\"08:53:25.263+240\" "
	    "date=\"05-01-2024\">", MENTION_MESSAGE, "Sync failed: The request "
	    "failed with HTTP status 503: Service Unavailable" },
	{ MSG, NULL, "An error   occurred\ttrying to connect to the WSUS server.",
	    MENTION_MESSAGE, "An error occurred trying to connect to the WSUS "
	    "server" },
	{ MSG, NULL, "STATMSG: ID=6703 SEV=E LEV=M SOURCE=\"SMS Server\" "
	    "COMP=\"SMS_WSUS_SYNC_MANAGER\"", MENTION_STATMSG, "6703" },
	{ MSG, NULL, "STATMSG: ID=6703 SEV=E LEV=M SOURCE=\"SMS Server\" "
	    "COMP=\"SMS_WSUS_SYNC_MANAGER\"", MENTION_SERVICE,
	    "SMS_WSUS_SYNC_MANAGER" },
};

static struct article *
build(enum where w, const char *title, const char *in)
{
	switch (w) {
	case TITLE:
		return one_section(in, NULL, NULL, NULL);
	case MSG:
		return one_section(title, NULL, in, NULL);
	case LINK:
		return one_section(title, NULL, NULL, in);
	default:
		return one_section(title, in, NULL, NULL);
	}
}

START_TEST(test_found)
{
	struct article *a = build(found[_i].where, found[_i].title,
	    found[_i].in);

	ck_assert_msg(has(a, found[_i].kind, found[_i].value),
	    "'%s': no %s '%s'; got%s", found[_i].in,
	    mention_kind_name(found[_i].kind), found[_i].value, dump(a));
	article_free(a);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Things that must not become mentions */

#define ANY	NULL	/* no mention of the kind at all */

static const struct {
	enum where	 where;
	const char	*title;
	const char	*in;
	enum mention_kind kind;
	const char	*value;		/* ANY: no mention of kind */
} absent[] = {
	{ TEXT, NULL, "the Private Memory Limit (KB) is set to the default "
	    "value of 1843200 KB. Increase it to 4 GB (4000000 KB).",
	    MENTION_KB, ANY },
	{ TEXT, NULL, "the Private Memory Limit (KB) is set to the default "
	    "value of 1843200 KB. Increase it to 4 GB (4000000 KB).",
	    MENTION_HRESULT, ANY },
	{ TEXT, NULL, "el límite de memoria privada (KB 8000000) de 8 GB",
	    MENTION_KB, ANY },
	{ TEXT, NULL, "Check whether the version is 3.2.7600.283 or later",
	    MENTION_STATMSG, ANY },
	{ TEXT, NULL, "Check whether the version is 3.2.7600.283 or later",
	    MENTION_HTTP, ANY },
	{ TEXT, NULL, "Check whether the version is 3.2.7600.283 or later",
	    MENTION_WIN32, ANY },
	{ TEXT, "HTTP errors", "for example `http://WSUS01:8530`, fails",
	    MENTION_HTTP, ANY },
	{ TEXT, NULL, "ms.date: 03/07/2023 and 2014-01-16 18:53:54.231 UTC",
	    MENTION_EVENT, ANY },
	{ TEXT, NULL, "Windows Server 2012 R2 and Windows Server 2016",
	    MENTION_WIN32, ANY },
	{ TEXT, NULL, "see library/cc708554(v=ws.10).aspx and Cc708426",
	    MENTION_HRESULT, ANY },
	{ TEXT, NULL, "ms.assetid: 9f6317f7-bfe0-42d9-87ce-d8f038c728ca",
	    MENTION_HRESULT, ANY },
	{ TEXT, NULL, "UpdateId 80070643-90ab-cdef-1234-567890abcdef",
	    MENTION_HRESULT, ANY },
	{ TEXT, NULL, "PID=5364 TID=5220 GMTDATE=Mon Aug 06 17:54:25.519 2007",
	    MENTION_STATMSG, ANY },
	{ TEXT, NULL, "download/details.aspx?id=6576 for the tools",
	    MENTION_STATMSG, ANY },
	{ TEXT, NULL, "[SQL Server] ERROR 2627, Level 14, State 1",
	    MENTION_WIN32, ANY },
	{ TEXT, NULL, "(provider: Named Pipes Provider, error: 40 - Could not "
	    "open a connection)", MENTION_WIN32, ANY },
	{ TEXT, NULL, "Sync time: 0d00h05m01s; Waiting 60 minutes",
	    MENTION_WIN32, ANY },
	{ TEXT, NULL, "Erreur 0 x 80070643 : Erreur irrécupérable",
	    MENTION_WIN32, "0" },
	{ TEXT, NULL, "registry value 0x00000001 or 0xFFFFFFFF",
	    MENTION_HRESULT, ANY },
	{ TEXT, NULL, "a size of 80000000 KB", MENTION_HRESULT, ANY },
	{ TEXT, NULL, "HTTP Error 503. The service is unavailable",
	    MENTION_WIN32, ANY },
	{ TEXT, NULL, "> Error 503 de HTTP. El servicio no está disponible",
	    MENTION_WIN32, ANY },
	{ TEXT, NULL, "It uses port 8530 and 8531 and HttpWebRequest 503",
	    MENTION_HTTP, ANY },
	{ TEXT, NULL, "at System.Web.Services.Protocols.SoapHttpClientProtocol"
	    ".ReadResponse 401", MENTION_HTTP, ANY },
	{ TEXT, NULL, "ms.locfileid: \"87896779\" and sp_SetupCI 16916014",
	    MENTION_HRESULT, ANY },
	{ TEXT, NULL, "Step 1. Open 503 rooms; 200 items.", MENTION_HTTP, ANY },
	{ TEXT, NULL, "Bei WSUS 3.2 und früher: Port 80 für HTTP und 443 für "
	    "HTTPS", MENTION_HTTP, ANY },
	{ TEXT, NULL, "uses port 80 for HTTP and 443 for HTTPS", MENTION_HTTP,
	    ANY },
	{ TEXT, NULL, "le port 80 pour le protocole HTTP et le port 443",
	    MENTION_HTTP, ANY },
	{ TEXT, NULL, "the event port 7031 is open", MENTION_EVENT, ANY },
	{ TEXT, "HTTP and HTTPS ports", "Port | Protocol\n443 | HTTPS\n"
	    "8530 | HTTP", MENTION_HTTP, ANY },
	{ TEXT, NULL, "ERROR_SUCCESS means it worked", MENTION_WIN32, ANY },
	{ MSG, NULL, "at Microsoft.UpdateServices.Internal.SoapUtilities."
	    "LogException(SoapException e)", MENTION_MESSAGE, ANY },
	{ MSG, NULL, "Write-Error \"[$UpdateIdFilePath]: File not found\"",
	    MENTION_MESSAGE, ANY },
	{ TEXT, NULL, "Open the Windows Server Update Services console",
	    MENTION_SERVICE, ANY },
	{ TEXT, NULL, "the wsyncmgr.log file", MENTION_SERVICE, ANY },
	{ TEXT, NULL, "there are 64 bits in it", MENTION_SERVICE, ANY },
	{ TEXT, NULL, "MSSQL$<instance> and MSSQL $ (named)", MENTION_SERVICE,
	    ANY },
	{ TEXT, NULL, "the *.log files and the catalog", MENTION_LOGFILE, ANY },
	{ TEXT, NULL, "KB1234567 is an example", MENTION_HRESULT, ANY },
	{ TEXT, NULL, "Message ID 6703 - WSUS Synchronization Failed",
	    MENTION_WIN32, ANY },
	{ TEXT, NULL, "Windows Update Agent 7.6.7600.256 on 12/05/2023",
	    MENTION_KB, ANY },
	{ TEXT, NULL, "Update 1607 and update 123", MENTION_KB, ANY },
	{ TEXT, NULL, "Message: The WSUS content directory is healthy",
	    MENTION_MESSAGE, ANY },
	{ MSG, NULL, "Source: Microsoft.UpdateServices.Administration."
	    "AdminProxy.createUpdateServer.", MENTION_MESSAGE, ANY },
	{ MSG, NULL, "<mimeMap fileExtension=\".wim\" "
	    "mimeType=\"application/x-ms-wim\" />", MENTION_MESSAGE, ANY },
	{ MSG, NULL, "STATMSG: ID=6703 SEV=E LEV=M ISTR1=\"failed\"",
	    MENTION_MESSAGE, ANY },
	{ MSG, NULL, "Get-WindowsUpdateLog -LogPath C:\\error.log",
	    MENTION_MESSAGE, ANY },
	{ MSG, NULL, "Performing sync on regular schedule", MENTION_MESSAGE,
	    ANY },
	{ MSG, NULL, "error", MENTION_MESSAGE, ANY },
	{ MSG, NULL, "$ErrorActionPreference = 'Stop'", MENTION_MESSAGE, ANY },
	{ MSG, NULL, "https://example.com/error", MENTION_MESSAGE, ANY },
};

START_TEST(test_absent)
{
	struct article *a = build(absent[_i].where, absent[_i].title,
	    absent[_i].in);

	if (absent[_i].value == ANY)
		ck_assert_msg(count(a, absent[_i].kind) == 0,
		    "'%s': unexpected %s; got%s", absent[_i].in,
		    mention_kind_name(absent[_i].kind), dump(a));
	else
		ck_assert_msg(!has(a, absent[_i].kind, absent[_i].value),
		    "'%s': unexpected %s '%s'", absent[_i].in,
		    mention_kind_name(absent[_i].kind), absent[_i].value);
	article_free(a);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Invariants, checked on every article the tests scan */

/* Is v a well-formed value of its kind? */
static int
well_formed(const struct mention *m)
{
	const char *v = m->value;
	size_t n = strlen(v), i;
	uint32_t hr;

	if (m->raw == NULL || *m->raw == '\0')
		return 0;
	switch (m->kind) {
	case MENTION_HRESULT:
		if (code_is_pattern(v))
			return 1;
		return n == 10 && code_hresult_value(v, &hr) == 0 &&
		    strspn(v + 2, "0123456789abcdef") == 8;
	case MENTION_WIN32:
	case MENTION_STATMSG:
	case MENTION_HTTP:
	case MENTION_EVENT:
	case MENTION_KB:
		if (n == 0 || n > 7 || v[0] == '0')
			return 0;
		for (i = 0; i < n; i++)
			if (!kb_isdigit((unsigned char)v[i]))
				return 0;
		return 1;
	case MENTION_LOGFILE:
		for (i = 0; i < n; i++)
			if (v[i] >= 'A' && v[i] <= 'Z')
				return 0;
		return n > 4;
	case MENTION_MESSAGE:
		return n >= 12 && n <= 400 && v[0] != ' ' && v[n - 1] != ' ' &&
		    strstr(v, "  ") == NULL && strchr(v, '\n') == NULL;
	default:
		return n > 0;
	}
}

static void
check_invariants(const struct article *a, const char *what)
{
	size_t i, j;

	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];

		for (j = 0; j < s->mentions.n; j++) {
			const struct mention *m = s->mentions.v[j];

			ck_assert_msg(well_formed(m), "%s: bad %s '%s'", what,
			    mention_kind_name(m->kind), m->value);
		}
	}
}

START_TEST(test_invariants_tables)
{
	struct article *a;
	int i;

	for (i = 0; i < NCASES(found); i++) {
		a = build(found[i].where, found[i].title, found[i].in);
		check_invariants(a, found[i].in);
		article_free(a);
	}
}
END_TEST

/*
 * A light fuzz: lines glued from fragments that sit at the edges of the
 * scanner's rules, plus random bytes; nothing may crash (the CI runs
 * this under ASan/UBSan) and every mention must be well formed.
 */
START_TEST(test_fuzz)
{
	static const char *const frag[] = {
		"0x", "0X", "0 x ", "8007", "0643", "2ee2", "xxxx", "hr=", "HR:",
		"-", "2147", "944003", "21474836", "4294967295", "error ",
		"Error: ", "HTTP", " status ", "/1.1 ", "503", "401", "(", ")",
		"Message ID ", "ID=", "STATMSG: ", "6703", "event ", "EventID:",
		"KB", "KB ", "4039929", "update ", ".log", ".lo_", "\\", "/",
		"MSSQL$", "##", "WsusPool", "Update Services", " is ", "|",
		"\n", "\xe3\x80\x80", "\xc2\xa0", "\xe3\x80", "\xef\xbc\x9a",
		"\xc2", "消息 ID ", "сообщения ", "\"", "“", "”", "«", "»",
		"with the message ", "Message: ", ". Source", "<![LOG[",
		"]LOG]!>", "**", "`", " or ", ", ", "E_FAIL", "ERROR_", "_",
		"80244007", "C0000005", "87D", "3.2.", "1843200", " KB",
		"Code definitions", "IIS", "ISTR", "\t", "\r", "> ", "failed",
	};
	unsigned long seed = 42;
	struct buf t = {0}, m = {0};
	struct article *a;
	int i, k, len;

	for (i = 0; i < 3000; i++) {
		buf_reset(&t);
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		len = (int)((seed >> 33) % 24);
		for (k = 0; k < len; k++) {
			seed = seed * 6364136223846793005UL +
			    1442695040888963407UL;
			if ((seed >> 60) == 0)
				buf_putc(&t, (int)((seed >> 20) & 0xff) | 1);
			else
				buf_puts(&t, frag[(seed >> 33) %
				    (sizeof(frag) / sizeof(frag[0]))]);
		}
		buf_reset(&m);
		buf_put(&m, t.data, t.len);
		a = article_new("fuzz", FORMAT_TEXT);
		{
			struct section *s = article_add_section(a, 1, 1,
			    buf_str(&t), NULL);

			buf_puts(&s->text, buf_str(&t));
			section_add_message(s, buf_str(&m), m.len);
			section_add_link(s, buf_str(&t), NULL, 0);
		}
		mention_collect(a);
		check_invariants(a, "fuzz");
		article_free(a);
	}
	buf_free(&t);
	buf_free(&m);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The seed articles and the corpus (skipped without ../shared) */

/* Copies a Markdown table row "|a|b|" as "a | b"; drops "|---|" rows. */
static void
put_row(struct buf *b, const char *p, size_t n)
{
	size_t i;

	if (strspn(p, "|-: ") >= n)
		return;
	while (n > 0 && (*p == '|' || *p == ' ')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == '|' || p[n - 1] == ' '))
		n--;
	for (i = 0; i < n; i++) {
		if (p[i] == '|')
			buf_puts(b, " | ");
		else
			buf_putc(b, p[i]);
	}
	buf_putc(b, '\n');
}

/*
 * Copies one line as the readers' plain text would show it: outside code,
 * "&nbsp;" is a no-break space and emphasis marks ('*', and '_' not inside
 * a word such as SMS_WSUS_SYNC_MANAGER) are gone.
 */
static void
put_plain(struct buf *b, const char *p, size_t n, int code)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (code)
			buf_putc(b, p[i]);
		else if (n - i >= 6 && strncmp(p + i, "&nbsp;", 6) == 0) {
			buf_puts(b, "\xc2\xa0");
			i += 5;
		} else if (p[i] == '*' || (p[i] == '_' && (i == 0 ||
		    i + 1 == n || !kb_isalnum((unsigned char)p[i - 1]) ||
		    !kb_isalnum((unsigned char)p[i + 1]))))
			continue;
		else
			buf_putc(b, p[i]);
	}
	buf_putc(b, '\n');
}

/* Adds the "](target)" links of one line to s. */
static void
put_links(struct section *s, const char *p, size_t n)
{
	const char *e = p + n, *q, *r;

	for (q = p; q + 2 < e; q++) {
		if (q[0] != ']' || q[1] != '(')
			continue;
		for (r = q + 2; r < e && *r != ')' && *r != ' '; r++)
			;
		if (r > q + 2) {
			char *t = xstrndup(q + 2, (size_t)(r - q - 2));
			section_add_link(s, t, NULL, 0);
			free(t);
		}
	}
}

/*
 * A crude reader, independent of article_md.c / article_text.c: '#' lines
 * start sections; fenced code and '>' lines are also message candidates;
 * pipe tables become "a | b" rows.  Good enough to feed the scanner the
 * shapes the real readers produce.
 */
static struct article *
crude_read(const char *path, const char *text)
{
	struct article *a = article_new(path, FORMAT_MARKDOWN);
	struct section *s = article_add_section(a, 0, 1, "", NULL);
	const char *p = text, *nl;
	int fence = 0, front = strncmp(text, "---\n", 4) == 0;
	size_t n;

	if (front)
		p += 4;
	for (; *p != '\0'; p = nl ? nl + 1 : p + n) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (front) {
			front = strncmp(p, "---", 3) != 0;
			continue;
		}
		if (n >= 3 && strncmp(p + strspn(p, " "), "```", 3) == 0) {
			fence = !fence;
			continue;
		}
		if (!fence && n > 1 && p[0] == '#') {
			char *t = xstrndup(p + strspn(p, "# "),
			    n - strspn(p, "# "));
			s = article_add_section(a, 2, 1, t, NULL);
			free(t);
			continue;
		}
		if (fence || (n > 0 && p[0] == '>'))
			section_add_message(s, p, n);
		put_links(s, p, n);
		if (!fence && n > 0 && p[0] == '|')
			put_row(&s->text, p, n);
		else
			put_plain(&s->text, p, n, fence);
	}
	mention_collect(a);
	return a;
}

/* Reads KBGEN_SHARED/rel; NULL (test skipped) when absent. */
static struct article *
shared_article(const char *prefix)
{
	const char *dir = getenv("KBGEN_SHARED");
	struct article *a = NULL;
	struct buf path = {0}, text = {0};
	struct dirent *d;
	DIR *dp;

	if (dir == NULL)
		return NULL;
	buf_printf(&path, "%s/seeds", dir);
	if ((dp = opendir(path.data)) == NULL)
		goto out;
	while ((d = readdir(dp)) != NULL) {
		if (strncmp(d->d_name, prefix, strlen(prefix)) != 0)
			continue;
		buf_printf(&path, "/%s", d->d_name);
		if (file_read(path.data, &text) == 0)
			a = crude_read(path.data, buf_str(&text));
		break;
	}
	closedir(dp);
out:
	buf_free(&path);
	buf_free(&text);
	return a;
}

static const struct {
	const char	*seed;
	int		 must;		/* 1: present, 0: absent */
	enum mention_kind kind;
	const char	*value;		/* ANY with must == 0: none of kind */
} seeds[] = {
	{ "000_", 1, MENTION_HRESULT, "0x80070643" },
	{ "000_", 1, MENTION_WIN32, "1603" },
	{ "000_", 1, MENTION_STATMSG, "6703" },
	{ "000_", 1, MENTION_HTTP, "503" },
	{ "000_", 1, MENTION_SERVICE, "WsusPool" },
	{ "000_", 1, MENTION_SERVICE, "MSSQLSERVER" },
	{ "000_", 1, MENTION_SERVICE, "MSSQL$WSUS" },
	{ "000_", 1, MENTION_SERVICE, "WsusService" },
	{ "000_", 1, MENTION_MESSAGE, "The request failed with HTTP status "
	    "503: Service Unavailable" },
	{ "000_", 1, MENTION_MESSAGE, "Cannot add duplicate collection entry "
	    "of type 'mimeMap' with unique key attribute 'fileExtension' set "
	    "to '.wim'" },
	{ "000_", 0, MENTION_KB, ANY },
	{ "000_", 0, MENTION_EVENT, ANY },
	{ "001_", 1, MENTION_HRESULT, "0x80070643" },
	{ "001_", 1, MENTION_STATMSG, "6703" },
	{ "001_", 1, MENTION_HTTP, "503" },
	{ "001_", 0, MENTION_KB, ANY },
	{ "002_", 1, MENTION_KB, "4039929" },
	{ "002_", 1, MENTION_KB, "4039873" },
	{ "002_", 1, MENTION_KB, "4039871" },
	{ "002_", 1, MENTION_KB, "4039396" },
	{ "002_", 1, MENTION_KB, "4025764" },
	{ "002_", 1, MENTION_HTTP, "200" },
	{ "002_", 1, MENTION_HTTP, "401" },
	{ "002_", 1, MENTION_HTTP, "403" },
	{ "002_", 1, MENTION_HTTP, "404" },
	{ "002_", 1, MENTION_HTTP, "500" },
	{ "002_", 1, MENTION_HTTP, "503" },
	{ "002_", 1, MENTION_HRESULT, "xxxx2ee2" },
	{ "002_", 1, MENTION_LOGFILE, "windowsupdate.log" },
	{ "002_", 1, MENTION_LOGFILE, "locationservices.log" },
	{ "002_", 1, MENTION_SERVICE, "W3SVC" },
	{ "002_", 1, MENTION_SERVICE, "WsusService" },
	{ "002_", 0, MENTION_STATMSG, ANY },
	{ "002_", 0, MENTION_WIN32, ANY },
	{ "002_", 0, MENTION_KB, "7600" },
	{ "002_", 0, MENTION_HTTP, "283" },
	{ "003_", 1, MENTION_STATMSG, "6703" },
	{ "003_", 1, MENTION_HRESULT, "0x80070643" },
	{ "003_", 1, MENTION_HTTP, "503" },
	{ "003_", 1, MENTION_SERVICE, "WsusPool" },
	{ "003_", 0, MENTION_KB, ANY },
	{ "004_", 1, MENTION_STATMSG, "6701" },
	{ "004_", 1, MENTION_STATMSG, "6703" },
	{ "004_", 1, MENTION_STATMSG, "6704" },
	{ "004_", 1, MENTION_HRESULT, "0x80004005" },
	{ "004_", 1, MENTION_WIN32, "53" },
	{ "004_", 1, MENTION_HTTP, "401" },
	{ "004_", 1, MENTION_LOGFILE, "wsyncmgr.log" },
	{ "004_", 1, MENTION_LOGFILE, "wcm.log" },
	{ "004_", 1, MENTION_LOGFILE, "softwaredistribution.log" },
	{ "004_", 1, MENTION_SERVICE, "SMS_WSUS_SYNC_MANAGER" },
	{ "004_", 1, MENTION_SERVICE, "SMS_WSUS_CONFIGURATION_MANAGER" },
	{ "004_", 1, MENTION_SERVICE, "W3SVC" },
	{ "004_", 1, MENTION_SERVICE, "IISADMIN" },
	{ "004_", 1, MENTION_SERVICE, "WsusService" },
	{ "004_", 1, MENTION_MESSAGE, "WSUS server not configured" },
	{ "004_", 1, MENTION_MESSAGE, "The remote name could not be resolved" },
	{ "004_", 1, MENTION_MESSAGE, "Unable to connect to the remote server" },
	{ "004_", 0, MENTION_KB, ANY },
	{ "004_", 0, MENTION_EVENT, ANY },
};

START_TEST(test_seeds)
{
	struct article *a = shared_article(seeds[_i].seed);

	if (a == NULL)
		return;		/* no ../shared: nothing to check */
	check_invariants(a, seeds[_i].seed);
	if (seeds[_i].must)
		ck_assert_msg(has(a, seeds[_i].kind, seeds[_i].value),
		    "seed %s: no %s '%s'; got%s", seeds[_i].seed,
		    mention_kind_name(seeds[_i].kind), seeds[_i].value,
		    dump(a));
	else if (seeds[_i].value == ANY)
		ck_assert_msg(count(a, seeds[_i].kind) == 0,
		    "seed %s: unexpected %s; got%s", seeds[_i].seed,
		    mention_kind_name(seeds[_i].kind), dump(a));
	else
		ck_assert_msg(!has(a, seeds[_i].kind, seeds[_i].value),
		    "seed %s: unexpected %s '%s'", seeds[_i].seed,
		    mention_kind_name(seeds[_i].kind), seeds[_i].value);
	article_free(a);
}
END_TEST

/* Runs the scanner over every corpus file: no crash, sane values. */
static void
walk(const char *dir, int *files)
{
	struct buf path = {0}, text = {0};
	struct dirent *d;
	struct stat st;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, d->d_name);
		if (stat(path.data, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path.data, files);
			continue;
		}
		if (strstr(d->d_name, ".md") == NULL)
			continue;
		buf_reset(&text);
		if (file_read(path.data, &text) == 0 &&
		    memchr(text.data, '\0', text.len) == NULL) {
			struct article *a = crude_read(path.data,
			    buf_str(&text));

			check_invariants(a, path.data);
			ck_assert_msg(!has(a, MENTION_KB, "8000000") &&
			    !has(a, MENTION_KB, "4000000") &&
			    !has(a, MENTION_KB, "1843200") &&
			    !has(a, MENTION_HRESULT, "0xcc708554"),
			    "%s: false positive%s", path.data, dump(a));
			article_free(a);
			(*files)++;
		}
	}
	closedir(dp);
	buf_free(&path);
	buf_free(&text);
}

START_TEST(test_corpus)
{
	const char *dir = getenv("KBGEN_SHARED");
	struct buf path = {0};
	int files = 0;

	if (dir == NULL)
		return;
	buf_printf(&path, "%s/corpus", dir);
	walk(path.data, &files);
	buf_free(&path);
}
END_TEST

static Suite *
mention_suite(void)
{
	Suite *s = suite_create("mention");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_found, 0, NCASES(found));
	tcase_add_loop_test(tc, test_absent, 0, NCASES(absent));
	tcase_add_test(tc, test_invariants_tables);
	tcase_add_test(tc, test_fuzz);
	tcase_add_loop_test(tc, test_seeds, 0, NCASES(seeds));
	tcase_add_test(tc, test_corpus);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(mention_suite());
}
