/*
 * codes.c -- parsing and decoding of the error codes that WSUS and
 * Configuration Manager troubleshooting revolves around.
 *
 * The table below is kbgen's own domain knowledge, written for support
 * engineers: the names are the SDK's symbolic names, the texts are short
 * explanations in our words (not copies of the system message tables).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "article.h"
#include "codes.h"

#define HR_SEVERITY	0x80000000u
#define HR_RESERVED	0x40000000u	/* with severity: NTSTATUS-style value */
#define HR_CUSTOMER	0x20000000u
#define HR_NTBIT	0x10000000u	/* FACILITY_NT_BIT: mapped NTSTATUS */
#define HR_FACILITY(h)	(((h) >> 16) & 0x7ffu)
#define HR_CODE(h)	((h) & 0xffffu)
#define FACILITY_WIN32	7u

struct codeinfo {
	enum mention_kind kind;
	uint32_t	 value;
	const char	*name;		/* symbolic name, or NULL */
	const char	*text;		/* short explanation */
};

/*
 * One row per code.  HRESULTs that are HRESULT_FROM_WIN32 of a listed
 * Win32 error need no row of their own: code_describe() goes through the
 * Win32 rows.  They have one only when the SDK gives them a name (E_*).
 */
static const struct codeinfo table[] = {
	/* Generic COM / OLE HRESULTs. */
	{ MENTION_HRESULT, 0x80004001, "E_NOTIMPL", "Not implemented" },
	{ MENTION_HRESULT, 0x80004002, "E_NOINTERFACE",
	    "The object does not support the requested interface" },
	{ MENTION_HRESULT, 0x80004003, "E_POINTER", "Invalid pointer" },
	{ MENTION_HRESULT, 0x80004004, "E_ABORT", "The operation was aborted" },
	{ MENTION_HRESULT, 0x80004005, "E_FAIL", "Unspecified error" },
	{ MENTION_HRESULT, 0x8000ffff, "E_UNEXPECTED",
	    "Catastrophic (unexpected) failure" },
	{ MENTION_HRESULT, 0x80040154, "REGDB_E_CLASSNOTREG",
	    "The COM class is not registered" },
	{ MENTION_HRESULT, 0x80040e14, "DB_E_ERRORSINCOMMAND",
	    "The SQL command failed (OLE DB)" },
	{ MENTION_HRESULT, 0x80040e4d, "DB_SEC_E_AUTH_FAILED",
	    "SQL Server login failed (OLE DB)" },
	{ MENTION_HRESULT, 0x80070005, "E_ACCESSDENIED", "Access denied" },
	{ MENTION_HRESULT, 0x80070006, "E_HANDLE", "Invalid handle" },
	{ MENTION_HRESULT, 0x8007000e, "E_OUTOFMEMORY",
	    "Not enough memory to complete the operation" },
	{ MENTION_HRESULT, 0x80070057, "E_INVALIDARG",
	    "One or more arguments are invalid" },
	/* Certificates and trust. */
	{ MENTION_HRESULT, 0x800b0004, "TRUST_E_SUBJECT_NOT_TRUSTED",
	    "The subject is not trusted for the specified action" },
	{ MENTION_HRESULT, 0x800b0100, "TRUST_E_NOSIGNATURE",
	    "The file or object carries no signature" },
	{ MENTION_HRESULT, 0x800b0101, "CERT_E_EXPIRED",
	    "A certificate in the chain has expired or is not yet valid" },
	{ MENTION_HRESULT, 0x800b0109, "CERT_E_UNTRUSTEDROOT",
	    "The certificate chain ends in a root certificate that is not "
	    "trusted (update the trusted root certificates on the server)" },
	{ MENTION_HRESULT, 0x800b010f, "CERT_E_CN_NO_MATCH",
	    "The certificate name does not match the server name" },
	/* WinINet / URL monikers. */
	{ MENTION_HRESULT, 0x800c0005, "INET_E_RESOURCE_NOT_FOUND",
	    "The server or proxy could not be found" },
	/* .NET (FACILITY_URT). */
	{ MENTION_HRESULT, 0x80131500, "COR_E_EXCEPTION",
	    "A .NET exception was thrown (generic managed-code failure; "
	    "the exception text in the log says what went wrong)" },
	{ MENTION_HRESULT, 0x80131501, "COR_E_SYSTEM",
	    "A .NET system exception was thrown" },
	{ MENTION_HRESULT, 0x80131509, "COR_E_INVALIDOPERATION",
	    "A .NET operation was invalid for the object's state" },
	{ MENTION_HRESULT, 0x80131904, "COR_E_SQLEXCEPTION",
	    "A SQL Server client exception (.NET SqlException): the WSUS "
	    "database could not be reached or the command failed" },
	/* Windows Update Agent, FACILITY_WINDOWSUPDATE (0x24). */
	{ MENTION_HRESULT, 0x80240001, "WU_E_NO_SERVICE",
	    "The Windows Update Agent could not provide the service" },
	{ MENTION_HRESULT, 0x80240009, "WU_E_OPERATIONINPROGRESS",
	    "Another conflicting Windows Update operation is running" },
	{ MENTION_HRESULT, 0x8024000b, "WU_E_CALL_CANCELLED",
	    "The operation was cancelled" },
	{ MENTION_HRESULT, 0x8024000e, "WU_E_XML_INVALID",
	    "The update metadata contains invalid XML" },
	{ MENTION_HRESULT, 0x80240016, "WU_E_INSTALL_NOT_ALLOWED",
	    "Installing is not allowed right now (another install or a "
	    "pending reboot)" },
	{ MENTION_HRESULT, 0x80240017, "WU_E_NOT_APPLICABLE",
	    "The update does not apply to this computer" },
	{ MENTION_HRESULT, 0x8024001e, "WU_E_SERVICE_STOP",
	    "The operation stopped because the service or system was "
	    "shutting down" },
	{ MENTION_HRESULT, 0x80240020, "WU_E_NO_INTERACTIVE_USER",
	    "The operation needs a logged-on interactive user" },
	{ MENTION_HRESULT, 0x80240022, "WU_E_ALL_UPDATES_FAILED",
	    "The operation failed for every update in the request" },
	{ MENTION_HRESULT, 0x80240024, "WU_E_NO_UPDATE",
	    "There are no updates to act on" },
	{ MENTION_HRESULT, 0x80240025, "WU_E_USER_ACCESS_DISABLED",
	    "Group Policy blocks the user's access to Windows Update" },
	{ MENTION_HRESULT, 0x8024002b, "WU_E_LEGACYSERVER",
	    "The server is a legacy (SUS 1.0) server" },
	{ MENTION_HRESULT, 0x8024002e, "WU_E_WU_DISABLED",
	    "Access to an unmanaged server (Windows Update) is blocked by "
	    "policy" },
	{ MENTION_HRESULT, 0x80240032, "WU_E_INVALID_CRITERIA",
	    "The search criteria are invalid" },
	{ MENTION_HRESULT, 0x80240438, "WU_E_PT_ENDPOINT_UNREACHABLE",
	    "No route or network connectivity to the update service "
	    "endpoint (proxy or firewall)" },
	{ MENTION_HRESULT, 0x80240fff, "WU_E_UNEXPECTED",
	    "Windows Update Agent failure not covered by another code" },
	{ MENTION_HRESULT, 0x80244004, "WU_E_PT_SOAPCLIENT_CONNECT",
	    "The SOAP client could not connect to the update server" },
	{ MENTION_HRESULT, 0x80244005, "WU_E_PT_SOAPCLIENT_SEND",
	    "The SOAP client could not send its request" },
	{ MENTION_HRESULT, 0x80244006, "WU_E_PT_SOAPCLIENT_SERVER",
	    "The SOAP client got a server error" },
	{ MENTION_HRESULT, 0x80244007, "WU_E_PT_SOAPCLIENT_SOAPFAULT",
	    "The update server answered with a SOAP fault (see the "
	    "WU_E_PT_SOAP_* detail; often an invalid cookie or a server-side "
	    "exception during scan)" },
	{ MENTION_HRESULT, 0x8024400a, "WU_E_PT_SOAPCLIENT_PARSE",
	    "The SOAP response could not be parsed" },
	{ MENTION_HRESULT, 0x8024400d, "WU_E_PT_SOAP_CLIENT",
	    "SOAP fault: the server says the client's message was invalid" },
	{ MENTION_HRESULT, 0x8024400e, "WU_E_PT_SOAP_SERVER",
	    "SOAP fault: the server could not process the request" },
	{ MENTION_HRESULT, 0x80244010, "WU_E_PT_EXCEEDED_MAX_SERVER_TRIPS",
	    "The scan exceeded the maximum number of round trips to the "
	    "server (too many updates or a slow server)" },
	{ MENTION_HRESULT, 0x80244011, "WU_E_PT_SUS_SERVER_NOT_SET",
	    "The WUServer policy value is missing from the registry" },
	{ MENTION_HRESULT, 0x80244015, "WU_E_PT_REFRESH_CACHE_REQUIRED",
	    "The server says the client must refresh its cache" },
	{ MENTION_HRESULT, 0x80244016, "WU_E_PT_HTTP_STATUS_BAD_REQUEST",
	    "HTTP 400 from the update server: bad request" },
	{ MENTION_HRESULT, 0x80244017, "WU_E_PT_HTTP_STATUS_DENIED",
	    "HTTP 401 from the update server: authentication required" },
	{ MENTION_HRESULT, 0x80244018, "WU_E_PT_HTTP_STATUS_FORBIDDEN",
	    "HTTP 403 from the update server: access forbidden (often a "
	    "proxy or SSL configuration)" },
	{ MENTION_HRESULT, 0x80244019, "WU_E_PT_HTTP_STATUS_NOT_FOUND",
	    "HTTP 404 from the update server: the URL was not found "
	    "(virtual directory or content missing)" },
	{ MENTION_HRESULT, 0x8024401a, "WU_E_PT_HTTP_STATUS_BAD_METHOD",
	    "HTTP 405 from the update server: method not allowed" },
	{ MENTION_HRESULT, 0x8024401b, "WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ",
	    "HTTP 407 from the proxy: proxy authentication required" },
	{ MENTION_HRESULT, 0x8024401c, "WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT",
	    "HTTP 408: the server timed out waiting for the request" },
	{ MENTION_HRESULT, 0x8024401d, "WU_E_PT_HTTP_STATUS_CONFLICT",
	    "HTTP 409 from the update server: conflict" },
	{ MENTION_HRESULT, 0x8024401e, "WU_E_PT_HTTP_STATUS_GONE",
	    "HTTP 410 from the update server: resource gone" },
	{ MENTION_HRESULT, 0x8024401f, "WU_E_PT_HTTP_STATUS_SERVER_ERROR",
	    "HTTP 500 from the update server: internal server error" },
	{ MENTION_HRESULT, 0x80244020, "WU_E_PT_HTTP_STATUS_NOT_SUPPORTED",
	    "HTTP 501 from the update server: not supported" },
	{ MENTION_HRESULT, 0x80244021, "WU_E_PT_HTTP_STATUS_BAD_GATEWAY",
	    "HTTP 502: a proxy or gateway got a bad answer upstream" },
	{ MENTION_HRESULT, 0x80244022, "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL",
	    "HTTP 503 from the update server: service unavailable (WsusPool "
	    "stopped or overloaded)" },
	{ MENTION_HRESULT, 0x80244023, "WU_E_PT_HTTP_STATUS_GATEWAY_TIMEOUT",
	    "HTTP 504: a gateway or proxy timed out" },
	{ MENTION_HRESULT, 0x80244024, "WU_E_PT_HTTP_STATUS_VERSION_NOT_SUP",
	    "HTTP 505: HTTP version not supported" },
	{ MENTION_HRESULT, 0x8024402b, "WU_E_PT_HTTP_STATUS_NOT_MAPPED",
	    "An HTTP status without a WU_E_PT_HTTP_STATUS_* code of its own" },
	{ MENTION_HRESULT, 0x8024402c, "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED",
	    "The proxy or update server name could not be resolved (DNS, "
	    "proxy settings or a wrong WUServer URL)" },
	{ MENTION_HRESULT, 0x8024402f, "WU_E_PT_ECP_SUCCEEDED_WITH_ERRORS",
	    "External cab processing finished with errors" },
	{ MENTION_HRESULT, 0x80244fff, "WU_E_PT_UNEXPECTED",
	    "Protocol talker failure not covered by another code" },
	{ MENTION_HRESULT, 0x8024500c, "WU_E_REDIRECTOR_CONNECT_POLICY",
	    "Policy forbids connecting to the Windows Update redirector" },
	{ MENTION_HRESULT, 0x80246007, "WU_E_DM_NOTDOWNLOADED",
	    "The update has not been downloaded" },
	{ MENTION_HRESULT, 0x80246008, "WU_E_DM_FAILTOCONNECTTOBITS",
	    "The download manager could not connect to BITS" },
	{ MENTION_HRESULT, 0x8024a000, "WU_E_AU_NOSERVICE",
	    "Automatic Updates could not service incoming requests" },

	/* Win32 errors (decimal); FACILITY_WIN32 HRESULTs decode to these. */
	{ MENTION_WIN32, 0, "ERROR_SUCCESS", "The operation succeeded" },
	{ MENTION_WIN32, 1, "ERROR_INVALID_FUNCTION", "Incorrect function" },
	{ MENTION_WIN32, 2, "ERROR_FILE_NOT_FOUND",
	    "The system cannot find the file specified" },
	{ MENTION_WIN32, 3, "ERROR_PATH_NOT_FOUND",
	    "The system cannot find the path specified" },
	{ MENTION_WIN32, 5, "ERROR_ACCESS_DENIED", "Access is denied" },
	{ MENTION_WIN32, 6, "ERROR_INVALID_HANDLE", "The handle is invalid" },
	{ MENTION_WIN32, 8, "ERROR_NOT_ENOUGH_MEMORY",
	    "Not enough memory to process the command" },
	{ MENTION_WIN32, 12, "ERROR_INVALID_ACCESS",
	    "The access code is invalid" },
	{ MENTION_WIN32, 14, "ERROR_OUTOFMEMORY",
	    "Not enough memory to complete the operation" },
	{ MENTION_WIN32, 32, "ERROR_SHARING_VIOLATION",
	    "The file is in use by another process" },
	{ MENTION_WIN32, 50, "ERROR_NOT_SUPPORTED",
	    "The request is not supported" },
	{ MENTION_WIN32, 53, "ERROR_BAD_NETPATH",
	    "The network path was not found (name resolution, firewall or "
	    "the server is down)" },
	{ MENTION_WIN32, 64, "ERROR_NETNAME_DELETED",
	    "The network name is no longer available (connection dropped)" },
	{ MENTION_WIN32, 67, "ERROR_BAD_NET_NAME",
	    "The network name cannot be found" },
	{ MENTION_WIN32, 87, "ERROR_INVALID_PARAMETER",
	    "The parameter is incorrect" },
	{ MENTION_WIN32, 112, "ERROR_DISK_FULL",
	    "There is not enough space on the disk" },
	{ MENTION_WIN32, 121, "ERROR_SEM_TIMEOUT",
	    "The semaphore timeout period expired (network time-out)" },
	{ MENTION_WIN32, 183, "ERROR_ALREADY_EXISTS",
	    "The file or object already exists" },
	{ MENTION_WIN32, 1053, "ERROR_SERVICE_REQUEST_TIMEOUT",
	    "The service did not answer the start or control request in time" },
	{ MENTION_WIN32, 1058, "ERROR_SERVICE_DISABLED",
	    "The service is disabled" },
	{ MENTION_WIN32, 1060, "ERROR_SERVICE_DOES_NOT_EXIST",
	    "The service is not installed" },
	{ MENTION_WIN32, 1062, "ERROR_SERVICE_NOT_ACTIVE",
	    "The service has not been started" },
	{ MENTION_WIN32, 1067, "ERROR_PROCESS_ABORTED",
	    "The process ended unexpectedly" },
	{ MENTION_WIN32, 1069, "ERROR_SERVICE_LOGON_FAILED",
	    "The service could not log on (account or password)" },
	{ MENTION_WIN32, 1326, "ERROR_LOGON_FAILURE",
	    "The user name or password is incorrect" },
	{ MENTION_WIN32, 1392, "ERROR_FILE_CORRUPT",
	    "The file or directory is corrupt and unreadable" },
	{ MENTION_WIN32, 1601, "ERROR_INSTALL_SERVICE_FAILURE",
	    "The Windows Installer service could not be accessed" },
	{ MENTION_WIN32, 1602, "ERROR_INSTALL_USEREXIT",
	    "The user cancelled the installation" },
	{ MENTION_WIN32, 1603, "ERROR_INSTALL_FAILURE",
	    "Fatal error during installation" },
	{ MENTION_WIN32, 1612, "ERROR_INSTALL_SOURCE_ABSENT",
	    "The installation source is not available" },
	{ MENTION_WIN32, 1618, "ERROR_INSTALL_ALREADY_RUNNING",
	    "Another installation is already in progress" },
	{ MENTION_WIN32, 1619, "ERROR_INSTALL_PACKAGE_OPEN_FAILED",
	    "The installation package could not be opened" },
	{ MENTION_WIN32, 1620, "ERROR_INSTALL_PACKAGE_INVALID",
	    "The installation package is invalid" },
	{ MENTION_WIN32, 1625, "ERROR_INSTALL_PACKAGE_REJECTED",
	    "System policy forbids this installation" },
	{ MENTION_WIN32, 1633, "ERROR_INSTALL_PLATFORM_UNSUPPORTED",
	    "The package does not support this platform" },
	{ MENTION_WIN32, 1638, "ERROR_PRODUCT_VERSION",
	    "Another version of this product is already installed" },
	{ MENTION_WIN32, 1641, "ERROR_SUCCESS_REBOOT_INITIATED",
	    "Installed; the installer started a restart" },
	{ MENTION_WIN32, 1722, "RPC_S_SERVER_UNAVAILABLE",
	    "The RPC server is unavailable" },
	{ MENTION_WIN32, 3010, "ERROR_SUCCESS_REBOOT_REQUIRED",
	    "Installed; a restart is required to finish" },
	{ MENTION_WIN32, 10054, "WSAECONNRESET",
	    "The remote host reset the connection" },
	{ MENTION_WIN32, 10060, "WSAETIMEDOUT",
	    "The connection attempt timed out" },
	{ MENTION_WIN32, 10061, "WSAECONNREFUSED",
	    "The connection was refused (nothing listens on that port)" },
	{ MENTION_WIN32, 11001, "WSAHOST_NOT_FOUND", "No such host is known" },
	/* WinHTTP / WinINet (12000-12999). */
	{ MENTION_WIN32, 12001, "ERROR_WINHTTP_OUT_OF_HANDLES",
	    "No more WinHTTP handles could be created" },
	{ MENTION_WIN32, 12002, "ERROR_WINHTTP_TIMEOUT",
	    "The operation timed out" },
	{ MENTION_WIN32, 12004, "ERROR_WINHTTP_INTERNAL_ERROR",
	    "An internal WinHTTP error occurred" },
	{ MENTION_WIN32, 12005, "ERROR_WINHTTP_INVALID_URL",
	    "The URL is invalid" },
	{ MENTION_WIN32, 12006, "ERROR_WINHTTP_UNRECOGNIZED_SCHEME",
	    "The URL scheme is not recognized (e.g. http:// missing)" },
	{ MENTION_WIN32, 12007, "ERROR_WINHTTP_NAME_NOT_RESOLVED",
	    "The server name could not be resolved" },
	{ MENTION_WIN32, 12009, "ERROR_WINHTTP_INVALID_OPTION",
	    "An invalid WinHTTP option was given" },
	{ MENTION_WIN32, 12017, "ERROR_WINHTTP_OPERATION_CANCELLED",
	    "The operation was cancelled (handle closed)" },
	{ MENTION_WIN32, 12029, "ERROR_WINHTTP_CANNOT_CONNECT",
	    "The connection to the server could not be established" },
	{ MENTION_WIN32, 12030, "ERROR_WINHTTP_CONNECTION_ERROR",
	    "The connection with the server was ended abnormally" },
	{ MENTION_WIN32, 12031, "ERROR_INTERNET_CONNECTION_RESET",
	    "The connection with the server was reset" },
	{ MENTION_WIN32, 12037, "ERROR_WINHTTP_SECURE_CERT_DATE_INVALID",
	    "The server certificate has expired or is not yet valid" },
	{ MENTION_WIN32, 12038, "ERROR_WINHTTP_SECURE_CERT_CN_INVALID",
	    "The server certificate name does not match the host name" },
	{ MENTION_WIN32, 12044, "ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED",
	    "The server requires a client certificate" },
	{ MENTION_WIN32, 12045, "ERROR_WINHTTP_SECURE_INVALID_CA",
	    "The server certificate comes from an untrusted authority" },
	{ MENTION_WIN32, 12057, "ERROR_WINHTTP_SECURE_CERT_REV_FAILED",
	    "The revocation check of the server certificate failed" },
	{ MENTION_WIN32, 12152, "ERROR_WINHTTP_INVALID_SERVER_RESPONSE",
	    "The server response could not be parsed (often a proxy or a "
	    "broken connection)" },
	{ MENTION_WIN32, 12157, "ERROR_WINHTTP_SECURE_CHANNEL_ERROR",
	    "A TLS/SSL channel error occurred" },
	{ MENTION_WIN32, 12166, "ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT",
	    "The proxy auto-configuration script has an error" },
	{ MENTION_WIN32, 12167, "ERROR_WINHTTP_UNABLE_TO_DOWNLOAD_SCRIPT",
	    "The proxy auto-configuration script could not be downloaded" },
	{ MENTION_WIN32, 12175, "ERROR_WINHTTP_SECURE_FAILURE",
	    "The server's TLS/SSL certificate has errors" },
	{ MENTION_WIN32, 12178, "ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR",
	    "The proxy auto-discovery service failed" },
	{ MENTION_WIN32, 12180, "ERROR_WINHTTP_AUTODETECTION_FAILED",
	    "Proxy auto-detection (WPAD) found no proxy" },

	/* HTTP statuses: the short meaning for a WSUS server. */
	{ MENTION_HTTP, 200, "OK", "Success" },
	{ MENTION_HTTP, 206, "Partial Content",
	    "Part of a file was sent; normal for BITS content downloads" },
	{ MENTION_HTTP, 304, "Not Modified", "The cached copy is current" },
	{ MENTION_HTTP, 400, "Bad Request", "The request was malformed" },
	{ MENTION_HTTP, 401, "Unauthorized",
	    "Authentication required; normal when followed by 200, otherwise "
	    "check permissions on ApiRemoting30 / DssAuthWebService" },
	{ MENTION_HTTP, 403, "Forbidden",
	    "Access refused: certificate (SSL) issues or IIS configuration; "
	    "browsing most WSUS URLs returns 403" },
	{ MENTION_HTTP, 404, "Not Found",
	    "Missing virtual directory, IIS configuration or content" },
	{ MENTION_HTTP, 405, "Method Not Allowed",
	    "The HTTP method is not allowed for this URL" },
	{ MENTION_HTTP, 407, "Proxy Authentication Required",
	    "The proxy needs credentials (proxy account of WSUS or the "
	    "software update point)" },
	{ MENTION_HTTP, 408, "Request Timeout",
	    "The server gave up waiting for the request" },
	{ MENTION_HTTP, 500, "Internal Server Error",
	    "A WSUS web service failed; check the application event log and "
	    "SoftwareDistribution.log" },
	{ MENTION_HTTP, 501, "Not Implemented",
	    "The server does not support the request" },
	{ MENTION_HTTP, 502, "Bad Gateway",
	    "A proxy or gateway got a bad answer from upstream" },
	{ MENTION_HTTP, 503, "Service Unavailable",
	    "Busy or stopped: usually the WsusPool application pool stopped "
	    "after reaching its private memory limit (default 1843200 KB); "
	    "raise it to 4-8 GB and restart the pool" },
	{ MENTION_HTTP, 504, "Gateway Timeout",
	    "A proxy or gateway timed out waiting for the server" },

	/* ConfigMgr status messages (from the articles). */
	{ MENTION_STATMSG, 6701, "SMS_WSUS_SYNC_MANAGER",
	    "WSUS synchronization started" },
	{ MENTION_STATMSG, 6702, "SMS_WSUS_SYNC_MANAGER",
	    "WSUS synchronization done" },
	{ MENTION_STATMSG, 6703, "SMS_WSUS_SYNC_MANAGER",
	    "WSUS synchronization failed; the message text says why "
	    "(HTTP 503/401, name resolution, server not configured ...)" },
	{ MENTION_STATMSG, 6704, "SMS_WSUS_SYNC_MANAGER",
	    "WSUS synchronization in progress, phase: synchronizing the WSUS "
	    "server with its upstream source" },
	{ MENTION_STATMSG, 6705, "SMS_WSUS_SYNC_MANAGER",
	    "WSUS synchronization in progress, phase: synchronizing the site "
	    "database" },
	{ MENTION_STATMSG, 6706, "SMS_WSUS_SYNC_MANAGER",
	    "WSUS synchronization in progress, phase: synchronizing the "
	    "Internet-facing (replica) WSUS servers" },

	/* Windows event IDs seen in WSUS troubleshooting. */
	{ MENTION_EVENT, 364, "WSUS", "Content file download failed" },
	{ MENTION_EVENT, 382, "WSUS", "A manual synchronization was started" },
	{ MENTION_EVENT, 384, "WSUS", "Synchronization completed successfully" },
	{ MENTION_EVENT, 5002, "WAS",
	    "An application pool was disabled after a series of worker "
	    "process failures" },
	{ MENTION_EVENT, 5117, "WAS",
	    "A worker process asked to recycle after reaching its private "
	    "memory limit" },
	{ MENTION_EVENT, 7000, "Service Control Manager",
	    "A service failed to start" },
	{ MENTION_EVENT, 7001, "Service Control Manager",
	    "A service could not start because a service it depends on failed" },
	{ MENTION_EVENT, 7009, "Service Control Manager",
	    "Timed out waiting for a service to connect" },
	{ MENTION_EVENT, 7023, "Service Control Manager",
	    "A service terminated with an error" },
	{ MENTION_EVENT, 7024, "Service Control Manager",
	    "A service terminated with a service-specific error" },
	{ MENTION_EVENT, 7031, "Service Control Manager",
	    "A service terminated unexpectedly; a recovery action follows" },
	{ MENTION_EVENT, 7034, "Service Control Manager",
	    "A service terminated unexpectedly" },
	{ MENTION_EVENT, 7053, "WSUS",
	    "The WSUS administration console hit an unexpected error (often a "
	    "corrupt MMC cache)" },
	{ MENTION_EVENT, 10021, "WSUS",
	    "Catalog synchronization failed; check the upstream server and "
	    "proxy settings" },
	{ MENTION_EVENT, 10022, "WSUS",
	    "Catalog synchronization failed; check the upstream server and "
	    "proxy settings" },
	{ MENTION_EVENT, 12002, "WSUS",
	    "Health monitoring: the Reporting web service is not working" },
	{ MENTION_EVENT, 12012, "WSUS",
	    "Health monitoring: the API Remoting web service is not working" },
	{ MENTION_EVENT, 12022, "WSUS",
	    "Health monitoring: the Client web service is not working" },
	{ MENTION_EVENT, 12032, "WSUS",
	    "Health monitoring: the Server Synchronization web service is not "
	    "working" },
	{ MENTION_EVENT, 12042, "WSUS",
	    "Health monitoring: the SimpleAuth web service is not working" },
	{ MENTION_EVENT, 12052, "WSUS",
	    "Health monitoring: the DSS Authentication web service is not "
	    "working" },
	{ MENTION_EVENT, 12072, "WSUS",
	    "Health monitoring: a WSUS web service is not working" },
};

/* Facility names of the HRESULT facility field (Windows SDK winerror.h). */
static const struct {
	unsigned	 num;
	const char	*name;
} facilities[] = {
	{ 0, "FACILITY_NULL" }, { 1, "FACILITY_RPC" },
	{ 2, "FACILITY_DISPATCH" }, { 3, "FACILITY_STORAGE" },
	{ 4, "FACILITY_ITF" }, { 7, "FACILITY_WIN32" },
	{ 8, "FACILITY_WINDOWS" }, { 9, "FACILITY_SECURITY" },
	{ 10, "FACILITY_CONTROL" }, { 11, "FACILITY_CERT" },
	{ 12, "FACILITY_INTERNET" }, { 13, "FACILITY_MEDIASERVER" },
	{ 14, "FACILITY_MSMQ" }, { 15, "FACILITY_SETUPAPI" },
	{ 16, "FACILITY_SCARD" }, { 17, "FACILITY_COMPLUS" },
	{ 18, "FACILITY_AAF" }, { 19, "FACILITY_URT" },
	{ 20, "FACILITY_ACS" }, { 21, "FACILITY_DPLAY" },
	{ 22, "FACILITY_UMI" }, { 23, "FACILITY_SXS" },
	{ 24, "FACILITY_WINDOWS_CE" }, { 25, "FACILITY_HTTP" },
	{ 26, "FACILITY_USERMODE_COMMONLOG" },
	{ 31, "FACILITY_USERMODE_FILTER_MANAGER" },
	{ 32, "FACILITY_BACKGROUNDCOPY" }, { 33, "FACILITY_CONFIGURATION" },
	{ 34, "FACILITY_STATE_MANAGEMENT" }, { 35, "FACILITY_METADIRECTORY" },
	{ 36, "FACILITY_WINDOWSUPDATE" }, { 37, "FACILITY_DIRECTORYSERVICE" },
	{ 38, "FACILITY_GRAPHICS" }, { 39, "FACILITY_SHELL" },
	{ 40, "FACILITY_TPM_SERVICES" }, { 41, "FACILITY_TPM_SOFTWARE" },
	{ 48, "FACILITY_PLA" }, { 49, "FACILITY_FVE" },
	{ 50, "FACILITY_FWP" }, { 51, "FACILITY_WINRM" },
	{ 52, "FACILITY_NDIS" }, { 53, "FACILITY_USERMODE_HYPERVISOR" },
	{ 54, "FACILITY_CMI" }, { 55, "FACILITY_USERMODE_VIRTUALIZATION" },
	{ 56, "FACILITY_USERMODE_VOLMGR" }, { 57, "FACILITY_BCD" },
	{ 58, "FACILITY_USERMODE_VHD" }, { 60, "FACILITY_SDIAG" },
	{ 61, "FACILITY_WEBSERVICES" }, { 80, "FACILITY_WINDOWS_DEFENDER" },
	{ 81, "FACILITY_OPC" },
};

/* What a reader of a description wants to know about a facility. */
static const char *
facility_note(unsigned fac)
{
	switch (fac) {
	case 7:
		return "the code field is a Win32 error";
	case 0x24:
		return "Windows Update Agent, WU_E_*";
	case 0x13:
		return ".NET runtime";
	case 0x20:
		return "BITS";
	case 0x7d0:
		return "Configuration Manager client (0x87D0xxxx)";
	default:
		return NULL;
	}
}

/* The SDK name of a facility number, or NULL. */
static const char *
facility_name(unsigned fac)
{
	size_t i;

	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (facilities[i].num == fac)
			return facilities[i].name;
	return NULL;
}

/* The table row of a value of kind, or NULL.  The table is small. */
static const struct codeinfo *
lookup(enum mention_kind kind, uint32_t value)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].kind == kind && table[i].value == value)
			return &table[i];
	return NULL;
}

/*
 * Parses n decimal digits at s into *v; returns 0, or -1 when s[0..n)
 * is not all digits, empty, or the value exceeds UINT32_MAX.
 */
static int
parse_dec(const char *s, size_t n, uint32_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 10)
		return -1;
	for (i = 0; i < n; i++) {
		if (!kb_isdigit((unsigned char)s[i]))
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* Value of one hex digit, or -1. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = kb_tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Like parse_dec() for 1..8 hex digits. */
static int
parse_hex(const char *s, size_t n, uint32_t *v)
{
	uint32_t x = 0;
	size_t i;
	int d;

	if (n == 0 || n > 8)
		return -1;
	for (i = 0; i < n; i++) {
		if ((d = hexval((unsigned char)s[i])) < 0)
			return -1;
		x = (x << 4) | (uint32_t)d;
	}
	*v = x;
	return 0;
}

/* Parses a NUL-terminated decimal value; returns 0 or -1. */
static int
valfits(const char *value, uint32_t *v)
{
	return parse_dec(value, strlen(value), v);
}

/* See codes.h. */
void
code_hresult_format(uint32_t hr, char out[11])
{
	snprintf(out, 11, "0x%08x", (unsigned)hr);
}

/* See codes.h. */
int
code_hresult_value(const char *value, uint32_t *hr)
{
	size_t n;

	if (value == NULL)
		return -1;
	if (value[0] == '0' && (value[1] == 'x' || value[1] == 'X'))
		value += 2;
	n = strlen(value);
	if (n != 8)
		return -1;
	return parse_hex(value, n, hr);
}

/*
 * Splits an HRESULT pattern into its fixed digits: *pos is 0 for a suffix
 * pattern ("xxxx2ee2": the last digits are fixed) and 1 for a prefix
 * pattern ("0x8024xxxx").  Returns the number of fixed digits (1..7) and
 * copies them to fixed, or -1 when value is not a pattern.
 */
static int
pattern_split(const char *value, int *pos, char fixed[9])
{
	const char *d = value;
	size_t i, nx = 0, first = 8, last = 0;

	if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
		d += 2;
	if (strlen(d) != 8)
		return -1;
	for (i = 0; i < 8; i++) {
		if (d[i] == 'x' || d[i] == 'X') {
			nx++;
			if (first == 8)
				first = i;
			last = i;
		} else if (hexval((unsigned char)d[i]) < 0)
			return -1;
	}
	if (nx == 0 || nx == 8 || last - first + 1 != nx)
		return -1;
	if (first == 0)
		*pos = 0;
	else if (last == 7)
		*pos = 1;
	else
		return -1;
	for (i = 0; i < 8 - nx; i++)
		fixed[i] = (char)kb_tolower((unsigned char)d[*pos ? i : nx + i]);
	fixed[8 - nx] = '\0';
	return (int)(8 - nx);
}

/* See codes.h. */
int
code_is_pattern(const char *value)
{
	char fixed[9];
	int pos;

	return value != NULL && pattern_split(value, &pos, fixed) > 0;
}

/* See codes.h. */
int
code_hresult_match(const char *pattern, const char *value)
{
	char fixed[9], hex[11];
	uint32_t hr, want;
	int n, pos;

	if (pattern == NULL || code_hresult_value(value, &hr) == -1)
		return 0;
	if (code_hresult_value(pattern, &want) == 0)
		return want == hr;
	if ((n = pattern_split(pattern, &pos, fixed)) < 0)
		return 0;
	code_hresult_format(hr, hex);
	return pos == 0 ? memcmp(hex + 10 - n, fixed, (size_t)n) == 0 :
	    memcmp(hex + 2, fixed, (size_t)n) == 0;
}

/* See codes.h. */
int
code_hresult_forms(const char *value, struct code_forms *f)
{
	uint32_t hr;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (code_hresult_value(value, &hr) == -1)
		return -1;
	code_hresult_format(hr, f->hex);
	memcpy(f->bare, f->hex + 2, 9);
	for (i = 0; i < 8; i++)
		f->bare_upper[i] = f->bare[i] >= 'a' ? (char)(f->bare[i] - 32) :
		    f->bare[i];
	snprintf(f->udec, sizeof(f->udec), "%lu", (unsigned long)hr);
	snprintf(f->sdec, sizeof(f->sdec), "%lld",
	    (long long)hr - ((hr & HR_SEVERITY) ? 4294967296LL : 0));
	snprintf(f->suffix, sizeof(f->suffix), "xxxx%s", f->bare + 4);
	if ((hr & 0xffff0000u) == 0x80070000u)
		snprintf(f->win32, sizeof(f->win32), "%u",
		    (unsigned)HR_CODE(hr));
	return 0;
}

/* Converts a normalized value of a numeric kind; returns 0 or -1. */
static int
value_num(enum mention_kind kind, const char *value, uint32_t *v)
{
	if (value == NULL)
		return -1;
	if (kind == MENTION_HRESULT)
		return code_hresult_value(value, v);
	return valfits(value, v);
}

/* See codes.h. */
const char *
code_name(enum mention_kind kind, const char *value)
{
	const struct codeinfo *e;
	uint32_t v;

	if (kind == MENTION_STATMSG || kind == MENTION_EVENT)
		return NULL;	/* their "name" is a component */
	if (value_num(kind, value, &v) == -1 || (e = lookup(kind, v)) == NULL)
		return NULL;
	return e->name;
}

/* See codes.h. */
int
code_known(enum mention_kind kind, const char *value)
{
	uint32_t v;

	if (value_num(kind, value, &v) == -1)
		return 0;
	if (lookup(kind, v) != NULL)
		return 1;
	return kind == MENTION_HRESULT && (v & 0xffff0000u) == 0x80070000u &&
	    lookup(MENTION_WIN32, HR_CODE(v)) != NULL;
}

/* See codes.h. */
const char *
code_http_reason(unsigned status)
{
	const struct codeinfo *e = lookup(MENTION_HTTP, status);

	return e ? e->name : NULL;
}

/* See codes.h. */
int
code_symbol(const char *name, size_t len, enum mention_kind *kind,
    char *value)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct codeinfo *e = &table[i];

		if (e->kind != MENTION_HRESULT && e->kind != MENTION_WIN32)
			continue;	/* HTTP reasons are not symbols */
		if (strlen(e->name) != len ||
		    kb_strncasecmp(e->name, name, len) != 0)
			continue;
		*kind = e->kind;
		if (e->kind == MENTION_HRESULT) {
			char hex[11];

			code_hresult_format(e->value, hex);
			snprintf(value, CODE_VALUE_MAX, "%s", hex);
		} else
			snprintf(value, CODE_VALUE_MAX, "%u",
			    (unsigned)e->value);
		return 0;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* code_parse() */

/*
 * Candidates are collected with a rank (higher = likelier) and sorted
 * stably at the end, so the order of add calls breaks ties.
 */
struct ranked {
	struct code_cand c;
	int	 rank;
};

struct cands {
	struct ranked r[CODE_MAXCAND];
	size_t	 n;
};

/* Adds a reading unless already there or the list is full. */
static void
cand_add(struct cands *cs, enum mention_kind kind, const char *value,
    int derived, int rank)
{
	struct ranked *r;
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (cs->r[i].c.kind == kind &&
		    strcmp(cs->r[i].c.value, value) == 0)
			return;
	if (cs->n == CODE_MAXCAND)
		return;
	r = &cs->r[cs->n++];
	r->c.kind = kind;
	snprintf(r->c.value, sizeof(r->c.value), "%s", value);
	r->c.known = code_known(kind, value);
	r->c.derived = derived;
	r->rank = rank + (r->c.known ? 2 : 0);
}

/* cand_add() for a decimal value. */
static void
cand_num(struct cands *cs, enum mention_kind kind, uint32_t v, int derived,
    int rank)
{
	char buf[CODE_VALUE_MAX];

	snprintf(buf, sizeof(buf), "%lu", (unsigned long)v);
	cand_add(cs, kind, buf, derived, rank);
}

/* An HRESULT reading, with the Win32 error of a FACILITY_WIN32 one. */
static void
cand_hresult(struct cands *cs, uint32_t hr, int rank)
{
	char hex[11];

	code_hresult_format(hr, hex);
	cand_add(cs, MENTION_HRESULT, hex, 0, rank);
	if ((hr & 0xffff0000u) == 0x80070000u)
		cand_num(cs, MENTION_WIN32, HR_CODE(hr), 1, rank - 1);
}

/* A Win32 reading, with its HRESULT_FROM_WIN32 when the table knows it. */
static void
cand_win32(struct cands *cs, uint32_t v, int rank)
{
	char hex[11];

	cand_num(cs, MENTION_WIN32, v, 0, rank);
	if (v > 0 && v <= 0xffff && lookup(MENTION_WIN32, v) != NULL) {
		code_hresult_format(0x80070000u | v, hex);
		cand_add(cs, MENTION_HRESULT, hex, 1, rank - 1);
	}
}

/* Readings of a short unsigned decimal (0..65535, or a 5-digit ID). */
static void
cand_small(struct cands *cs, uint32_t v, size_t ndig)
{
	char buf[CODE_VALUE_MAX];

	snprintf(buf, sizeof(buf), "%lu", (unsigned long)v);
	if (code_known(MENTION_STATMSG, buf))
		cand_add(cs, MENTION_STATMSG, buf, 0, 1);
	if (v >= 100 && v <= 599 && ndig == 3)
		cand_add(cs, MENTION_HTTP, buf, 0, 1);
	if (v <= 15999 || code_known(MENTION_WIN32, buf))
		cand_win32(cs, v, 1);
	if (v >= 1000 && v <= 99999)
		cand_add(cs, MENTION_STATMSG, buf, 0, 0);
	if (v >= 1 && v <= 65535)
		cand_add(cs, MENTION_EVENT, buf, 0, 0);
}

/* Parses a decimal reading, optionally negative; returns 0 or -1. */
static int
parse_decimal(struct cands *cs, const char *s, size_t n)
{
	uint32_t v;
	int neg = 0;

	if (n > 0 && s[0] == '-') {
		neg = 1;
		s++;
		n--;
	}
	if (parse_dec(s, n, &v) == -1)
		return -1;
	if (neg) {
		/* Two's complement of a negative 32-bit HRESULT. */
		if (v == 0 || v > 0x80000000u)
			return -1;
		cand_hresult(cs, (uint32_t)(0u - v), 1);
	} else if (v >= 0x80000000u)
		cand_hresult(cs, v, 1);
	else if (v <= 99999)
		cand_small(cs, v, n);
	else if (n >= 6 && n <= 7)
		cand_add(cs, MENTION_KB, s, 0, 1);
	else
		return -1;
	return 0;
}

/* Parses "0x" and 1..8 hex digits (the prefix already skipped). */
static int
parse_0x(struct cands *cs, const char *s, size_t n)
{
	uint32_t v;

	if (parse_hex(s, n, &v) == -1)
		return -1;
	if (n == 7 && kb_strncasecmp(s, "800", 3) == 0)
		v = 0x80000000u | (v & 0xffffu);	/* "0x8004005" typo */
	if (n <= 4 && v <= 0xffff)
		cand_win32(cs, v, 1);
	else
		cand_hresult(cs, v, 1);
	return 0;
}

/* Tries the forms that are not plain numbers; returns 0 or -1. */
static int
parse_word(struct cands *cs, const char *s, size_t n)
{
	enum mention_kind kind;
	char value[CODE_VALUE_MAX], pat[16];
	uint32_t v;
	int pos;
	size_t i;

	if (n >= 8 && n <= 10) {
		for (i = 0; i < n; i++)
			pat[i] = (char)kb_tolower((unsigned char)s[i]);
		pat[n] = '\0';
		if (pattern_split(pat, &pos, value) > 0) {
			if (pos == 1 && strncmp(pat, "0x", 2) != 0) {
				memmove(pat + 2, pat, n + 1);
				memcpy(pat, "0x", 2);
			}
			cand_add(cs, MENTION_HRESULT, pat, 0, 1);
			return 0;
		}
	}
	if (n >= 8 && n <= 9 && kb_strncasecmp(s, "KB", 2) == 0 &&
	    parse_dec(s + 2, n - 2, &v) == 0) {
		memcpy(value, s + 2, n - 2);
		value[n - 2] = '\0';
		cand_add(cs, MENTION_KB, value, 0, 1);
		return 0;
	}
	if (code_symbol(s, n, &kind, value) == 0) {
		if (kind == MENTION_HRESULT &&
		    code_hresult_value(value, &v) == 0)
			cand_hresult(cs, v, 1);
		else if (valfits(value, &v) == 0)
			cand_win32(cs, v, 1);
		return 0;
	}
	return -1;
}

/* Parses the trimmed input s[0..n). */
static int
parse_trimmed(struct cands *cs, const char *s, size_t n)
{
	uint32_t v, d;

	if (n >= 3 && kb_strncasecmp(s, "hr", 2) == 0 &&
	    (s[2] == '=' || s[2] == ':')) {
		s += 3;
		n -= 3;
		while (n > 0 && kb_isspace((unsigned char)*s)) {
			s++;
			n--;
		}
		if (n == 8 && parse_hex(s, n, &v) == 0) {
			cand_hresult(cs, v, 1);
			return 0;
		}
	}
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_0x(cs, s + 2, n - 2) == 0 ? 0 :
		    parse_word(cs, s, n);
	/*
	 * Eight hex digits are an HRESULT, except that eight decimal
	 * digits below 0x80000000 are just a number (and junk).
	 */
	if (n == 8 && parse_hex(s, n, &v) == 0 &&
	    (v >= 0x80000000u || parse_dec(s, n, &d) == -1)) {
		cand_hresult(cs, v, 1);
		return 0;
	}
	if (n > 0 && (kb_isdigit((unsigned char)s[0]) || s[0] == '-'))
		if (parse_decimal(cs, s, n) == 0)
			return 0;
	return parse_word(cs, s, n);
}

/* See codes.h. */
int
code_parse(const char *s, struct code *out)
{
	struct cands cs;
	size_t n, i, j;

	memset(out, 0, sizeof(*out));
	memset(&cs, 0, sizeof(cs));
	if (s == NULL)
		return -1;
	while (kb_isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && kb_isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n > 64 || parse_trimmed(&cs, s, n) == -1 || cs.n == 0)
		return -1;
	/* Stable insertion sort by rank, highest first. */
	for (i = 1; i < cs.n; i++) {
		struct ranked t = cs.r[i];

		for (j = i; j > 0 && cs.r[j - 1].rank < t.rank; j--)
			cs.r[j] = cs.r[j - 1];
		cs.r[j] = t;
	}
	for (i = 0; i < cs.n; i++)
		out->cand[i] = cs.r[i].c;
	out->n = cs.n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* code_describe() */

/* "FACILITY_WIN32 [WinHTTP] 1603 ERROR_...: text" for a Win32 error. */
static void
describe_win32_body(uint32_t v, struct buf *out)
{
	const struct codeinfo *e = lookup(MENTION_WIN32, v);

	if (v >= 12000 && v <= 12999)
		buf_puts(out, "WinHTTP ");
	else if (v >= 10000 && v <= 11999)
		buf_puts(out, "Winsock ");
	buf_printf(out, "%lu", (unsigned long)v);
	if (e != NULL)
		buf_printf(out, " %s: %s", e->name, e->text);
}

/* The structural decoding of any 32-bit value as an HRESULT. */
static void
describe_structure(uint32_t hr, struct buf *out)
{
	unsigned fac = HR_FACILITY(hr);
	const char *fname = facility_name(fac), *note = facility_note(fac);
	struct code_forms f;
	char hex[11];

	buf_printf(out, "severity: %s",
	    (hr & HR_SEVERITY) ? "failure" : "success");
	if ((hr & HR_SEVERITY) && (hr & HR_RESERVED))
		buf_puts(out, " (top bits 11: an NTSTATUS-style value)");
	if (hr & HR_CUSTOMER)
		buf_puts(out, ", customer-defined");
	if (hr & HR_NTBIT)
		buf_puts(out, ", mapped NTSTATUS");
	buf_printf(out, "; facility: %u", fac);
	if (fname != NULL)
		buf_printf(out, " %s", fname);
	if (note != NULL)
		buf_printf(out, " (%s)", note);
	buf_printf(out, "; code: 0x%04x = %u", (unsigned)HR_CODE(hr),
	    (unsigned)HR_CODE(hr));
	code_hresult_format(hr, hex);
	if (code_hresult_forms(hex, &f) == 0)
		buf_printf(out, "; decimal %s / %s", f.udec, f.sdec);
}

/* Describes one HRESULT value. */
static void
describe_hresult(uint32_t hr, struct buf *out)
{
	const struct codeinfo *e = lookup(MENTION_HRESULT, hr);
	const struct codeinfo *w = NULL;
	char hex[11];

	code_hresult_format(hr, hex);
	buf_puts(out, hex);
	if (e != NULL)
		buf_printf(out, " %s: %s", e->name, e->text);
	if (HR_FACILITY(hr) == FACILITY_WIN32 && (hr & HR_SEVERITY) &&
	    !(hr & (HR_RESERVED | HR_CUSTOMER | HR_NTBIT))) {
		w = lookup(MENTION_WIN32, HR_CODE(hr));
		buf_puts(out, e ? "; = FACILITY_WIN32 " : " = FACILITY_WIN32 ");
		describe_win32_body(HR_CODE(hr), out);
	}
	if (e == NULL && w == NULL)
		buf_puts(out, ": no description known");
	buf_puts(out, " (");
	describe_structure(hr, out);
	buf_puts(out, ")");
}

/* Describes an HRESULT pattern such as "xxxx2ee2". */
static void
describe_pattern(const char *value, struct buf *out)
{
	char fixed[9], hex[11];
	uint32_t low;
	int n, pos;

	n = pattern_split(value, &pos, fixed);
	buf_printf(out, "%s: HRESULT pattern, any HRESULT %s%s", value,
	    pos == 0 ? "ending in " : "starting with 0x", fixed);
	if (pos == 0 && n == 4 && parse_hex(fixed, 4, &low) == 0) {
		/* The usual reading: the Win32 error in FACILITY_WIN32. */
		code_hresult_format(0x80070000u | low, hex);
		buf_printf(out, "; most often %s = FACILITY_WIN32 ", hex);
		describe_win32_body(low, out);
	}
}

/* Component ranges of ConfigMgr status message IDs kbgen knows of. */
static void
describe_statmsg(uint32_t v, struct buf *out)
{
	const struct codeinfo *e = lookup(MENTION_STATMSG, v);

	buf_printf(out, "ConfigMgr status message ID %lu", (unsigned long)v);
	if (e != NULL)
		buf_printf(out, " (%s): %s", e->name, e->text);
	else if (v >= 6600 && v <= 6699)
		buf_puts(out, " (SMS_WSUS_CONFIGURATION_MANAGER range, see "
		    "WCM.log)");
	else if (v >= 6700 && v <= 6799)
		buf_puts(out, " (SMS_WSUS_SYNC_MANAGER range, see "
		    "wsyncmgr.log)");
	else
		buf_puts(out, ": no description known");
}

/* Describes a decimal value of a kind other than HRESULT. */
static void
describe_simple(enum mention_kind kind, uint32_t v, struct buf *out)
{
	const struct codeinfo *e = lookup(kind, v);
	char hex[11];

	switch (kind) {
	case MENTION_WIN32:
		buf_puts(out, "Win32 error ");
		describe_win32_body(v, out);
		if (e == NULL)
			buf_puts(out, ": no description known");
		if (v > 0 && v <= 0xffff) {
			code_hresult_format(0x80070000u | v, hex);
			buf_printf(out, " (as HRESULT %s)", hex);
		}
		break;
	case MENTION_HTTP:
		buf_printf(out, "HTTP %lu", (unsigned long)v);
		if (e != NULL)
			buf_printf(out, " %s: %s", e->name, e->text);
		else
			buf_puts(out, ": no description known");
		break;
	case MENTION_EVENT:
		buf_printf(out, "event ID %lu", (unsigned long)v);
		if (e != NULL)
			buf_printf(out, " (%s): %s", e->name, e->text);
		else
			buf_puts(out, ": no description known");
		break;
	case MENTION_KB:
		buf_printf(out, "KB%lu: Microsoft Knowledge Base article or "
		    "update, https://support.microsoft.com/help/%lu",
		    (unsigned long)v, (unsigned long)v);
		break;
	default:
		describe_statmsg(v, out);
		break;
	}
}

/* Log files and services kbgen can say something about. */
static const struct {
	enum mention_kind kind;
	const char	*value;
	const char	*text;
} names[] = {
	{ MENTION_LOGFILE, "wsyncmgr.log", "ConfigMgr site server: WSUS "
	    "Synchronization Manager (software update synchronization)" },
	{ MENTION_LOGFILE, "wcm.log", "ConfigMgr site server: WSUS "
	    "Configuration Manager (SUP settings, subscriptions, connectivity)" },
	{ MENTION_LOGFILE, "wsusctrl.log", "ConfigMgr software update point: "
	    "WSUS Control Manager (WSUS health and configuration)" },
	{ MENTION_LOGFILE, "supsetup.log", "ConfigMgr software update point "
	    "installation" },
	{ MENTION_LOGFILE, "softwaredistribution.log", "WSUS server: web "
	    "services and synchronization (WSUS LogFiles folder)" },
	{ MENTION_LOGFILE, "change.log", "WSUS server: configuration changes" },
	{ MENTION_LOGFILE, "windowsupdate.log", "Client: Windows Update Agent "
	    "(on Windows 10 and later generate it with Get-WindowsUpdateLog)" },
	{ MENTION_LOGFILE, "wuahandler.log", "ConfigMgr client: Windows Update "
	    "Agent handler (scan against the software update point)" },
	{ MENTION_LOGFILE, "locationservices.log", "ConfigMgr client: "
	    "management point and software update point location" },
	{ MENTION_LOGFILE, "scanagent.log", "ConfigMgr client: software update "
	    "scan requests" },
	{ MENTION_LOGFILE, "updatesdeployment.log", "ConfigMgr client: update "
	    "deployments and enforcement" },
	{ MENTION_LOGFILE, "updateshandler.log", "ConfigMgr client: update "
	    "download and installation" },
	{ MENTION_LOGFILE, "patchdownloader.log", "ConfigMgr: update content "
	    "downloads" },
	{ MENTION_SERVICE, "WsusService", "WSUS Service (Windows Server "
	    "Update Services synchronization and processing)" },
	{ MENTION_SERVICE, "W3SVC", "World Wide Web Publishing Service (IIS)" },
	{ MENTION_SERVICE, "WAS", "Windows Process Activation Service (IIS "
	    "application pools)" },
	{ MENTION_SERVICE, "IISADMIN", "IIS Admin Service" },
	{ MENTION_SERVICE, "WsusPool", "IIS application pool that hosts the "
	    "WSUS web services" },
	{ MENTION_SERVICE, "wuauserv", "Windows Update client service" },
	{ MENTION_SERVICE, "BITS", "Background Intelligent Transfer Service" },
	{ MENTION_SERVICE, "MSSQLSERVER", "SQL Server, default instance" },
	{ MENTION_SERVICE, "MSSQL$MICROSOFT##WID", "Windows Internal Database "
	    "(the WSUS database when not on SQL Server)" },
	{ MENTION_SERVICE, "SMS_EXECUTIVE", "ConfigMgr site server executive "
	    "service (hosts the site components)" },
	{ MENTION_SERVICE, "SMS_WSUS_SYNC_MANAGER", "ConfigMgr component: WSUS "
	    "Synchronization Manager (wsyncmgr.log)" },
	{ MENTION_SERVICE, "SMS_WSUS_CONFIGURATION_MANAGER", "ConfigMgr "
	    "component: WSUS Configuration Manager (WCM.log)" },
	{ MENTION_SERVICE, "SMS_WSUS_CONTROL_MANAGER", "ConfigMgr component: "
	    "WSUS Control Manager (WSUSCtrl.log)" },
	{ MENTION_SERVICE, "CcmExec", "ConfigMgr client (SMS Agent Host)" },
};

/* Describes a log file, service or message: the small table, or as is. */
static void
describe_name(enum mention_kind kind, const char *value, struct buf *out)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].kind == kind &&
		    kb_strcasecmp(names[i].value, value) == 0) {
			buf_printf(out, "%s: %s", value, names[i].text);
			return;
		}
	if (kind == MENTION_SERVICE && kb_strncasecmp(value, "MSSQL$", 6) == 0)
		buf_printf(out, "%s: SQL Server, named instance %s", value,
		    value + 6);
	else
		buf_printf(out, "%s %s", mention_kind_name(kind), value);
}

/* See codes.h. */
void
code_describe(enum mention_kind kind, const char *value, struct buf *out)
{
	uint32_t v;

	if (value == NULL)
		value = "";
	switch (kind) {
	case MENTION_HRESULT:
		if (code_hresult_value(value, &v) == 0)
			describe_hresult(v, out);
		else if (code_is_pattern(value))
			describe_pattern(value, out);
		else
			buf_printf(out, "%s: not an HRESULT", value);
		return;
	case MENTION_WIN32:
	case MENTION_STATMSG:
	case MENTION_HTTP:
	case MENTION_EVENT:
	case MENTION_KB:
		if (valfits(value, &v) == 0)
			describe_simple(kind, v, out);
		else
			buf_printf(out, "%s: not a %s value", value,
			    mention_kind_name(kind));
		return;
	default:
		describe_name(kind, value, out);
		return;
	}
}
