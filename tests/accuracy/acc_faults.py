"""acc_faults.py -- one new variant per fault K1-K13, K17 (A01..A17).

Each differs from the kb/samples incident of its fault in format and
surroundings; the evidence wording follows the seed articles and
FORMATS.md."""

import samplelib as L
from samplelib import U, td, Host, Rng, Req
import cmflows as F
from incidents_more import wu10_scan
from incidents_faults import apphost, wsuspool

import accflows as A


def build(incident):
    for f in (a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, a13, a17):
        f(incident)


def timeout_fail(url):
    return ("80072EE2", None, [
        "WS error: There was an error communicating with the endpoint at '%s/ClientWebService/client.asmx'." % url,
        "WS error: The operation did not complete within the time allotted."], "SyncUpdates")


# ====================================================================== K1
def a01(incident):
    inc = incident("A01-K1-win10-etw-timeouts", ["K1"],
                   "Windows 11 notebook moved to a new VLAN without a route to the SUP: "
                   "Get-WindowsUpdateLog shows WinHTTP time-outs for a week")
    rng = Rng(1001)
    sup = Host("BRV-WSUS02", "brv.local", "172.16.8.20", "Europe/Berlin", "wsus-server",
               "W. Europe Standard Time")
    cli = Host("BRV-NB-0412", "brv.local", "172.16.40.112", "Europe/Berlin", "client",
               "W. Europe Standard Time")
    url = "https://BRV-WSUS02.brv.local:8531"
    s = inc.bundle(sup, "wsus-server", collected=U("2025-02-12 09:40:00"))
    c = inc.bundle(cli, "client", archive="zip", collected=U("2025-02-12 09:31:10"))
    W = []
    sid = 40
    for day in range(3, 5):
        wu10_scan(W, U("2025-02-%02d 07:%02d:%02d.%03d" % (day, 10 + day, rng.randint(0, 59), rng.randint(0, 999))),
                  5120, 7344, 6480, url, sid, found=(1, 88), cv="hT3kQw9ZrE2cXb1M")
        sid += 1
    first = None
    for day in range(5, 13):
        t = U("2025-02-%02d 08:%02d:%02d.%03d" % (day, rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999)))
        wu10_scan(W, t, 5120, 7344, 6480, url, sid, fail=timeout_fail(url),
                  fail_at=t + td(seconds=42, milliseconds=11), cv="hT3kQw9ZrE2cXb1M")
        W.append((t + td(seconds=43), 5120, 7344, "Misc", "*FAILED* [80072EE2] Method failed [CAgentProtocolTalkerContext::SyncUpdates:1012]"))
        W.append((t + td(minutes=5), 5120, 2212, "DownloadManager", "PurgeExpiredFiles::Found 0 expired files to delete."))
        first = first or t
        sid += 1
    W.sort(key=lambda r: r[0])
    c.write("WindowsUpdate.log", L.wu10(cli, W), "Get-WindowsUpdateLog", "ascii")
    inc.ev("K1", c, "WindowsUpdate.log", "Web service call failed with hr = 80072ee2.",
           "first WinHTTP time-out (local CET, no marker)")
    # WUAHandler (bias -60)
    C = []
    guid = "{%s}" % rng.guid(upper=True)
    for day in range(5, 13, 2):
        t = U("2025-02-%02d 13:%02d:10.500" % (day, 5 + day))
        recs, cur = F.wua_scan(t, url, guid, (3312, 5804, 3312), rng=rng)
        C += F.wua_end(recs, cur, t + td(seconds=43), "80072EE2", (3312, 5804, 3312))
    c.write("CCM/Logs/WUAHandler.log", L.cmtrace(cli, C), "CMTrace")
    ev = []
    for i, day in enumerate(range(5, 13)):
        ev.append((U("2025-02-%02d 08:50:00" % day), "Microsoft-Windows-WindowsUpdateClient", 25, 2,
                   "System", "Windows Update failed to check for updates with error 0x80072EE2.", 71230 + i * 37))
    ev.append((U("2025-02-06 10:02:11"), "Microsoft-Windows-Time-Service", 129, 3, "System",
               "NtpClient was unable to set a domain peer to use as a time source because of discovery error.", 71302))
    c.write("Events/System-WU.csv", A.evt_csv(cli, ev, L.de_time, ";", typeline=False),
            "Get-WinEvent | Export-Csv -UseCulture -NoTypeInformation (de-DE)", "utf-8-bom")
    # server IIS: the notebook's address until 2025-02-04, then never
    pool = L.client_pool(rng, "172.16.41", 10, (L.UA_WIN11, L.UA_WIN10))
    d1 = L.background(rng, U("2025-02-04 00:02:00"), U("2025-02-04 23:57:00"), pool, (25, 60), port=8531)
    d1 += L.scan_seq(rng, U("2025-02-04 07:14:33.000"), cli.ip, L.UA_WIN11, port=8531)
    d1 += L.api_auth(rng, U("2025-02-04 05:00:04.120"), sup.ip, "BRV\\BRV-WSUS02$", port=8531)
    s.write("LogFiles/W3SVC1413786222/u_ex250204.log",
            L.iis_log([(U("2025-02-04 00:02:00"), L.IIS_F2, d1)], sup.ip, rng, sup.name),
            "IIS W3C (cs-host, bytes)", "utf-8")
    d2 = L.background(rng, U("2025-02-11 00:01:00"), U("2025-02-11 23:58:00"), pool, (25, 60), port=8531)
    s.write("LogFiles/W3SVC1413786222/u_ex250211.log",
            L.iis_log([(U("2025-02-11 00:01:00"), L.IIS_F2, d2)], sup.ip, rng, sup.name),
            "IIS W3C (cs-host, bytes)", "utf-8")


# ====================================================================== K2
def a02(incident):
    inc = incident("A02-K2-503-cmtrace-queuefull", ["K2"],
                   "WsusPool at 1843200 KB recycles under a feature-update storm, then "
                   "rapid-fail disables it: syncs fail 503 (wsyncmgr in CMTrace layout)")
    rng = Rng(1002)
    cm = Host("NVA-CM01", "nordva.no", "10.60.0.11", "Europe/Oslo", "site-server", "W. Europe Standard Time")
    sup = Host("NVA-SUP01", "nordva.no", "10.60.0.21", "Europe/Oslo", "wsus-server", "W. Europe Standard Time")
    c = inc.bundle(cm, "site-server", collected=U("2024-08-14 11:20:00"))
    s = inc.bundle(sup, "wsus-server", archive="tar.gz", collected=U("2024-08-14 11:25:00"))
    w = L.SmsLog(cm, F.SYNC, 4904, site="NV1", pid=3120)
    guid = "{%s}" % rng.guid(upper=True)
    F.wsync_cycle(w, cm, sup.fqdn, "NV1", U("2024-08-14 04:00:01.210"), source_guid=guid,
                  version=311, updates=[(rng.guid(), "2024-08 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5041585)")])
    fail = ("connect", "The request failed with HTTP status 503: Service Unavailable", F.SRC_ADMINPROXY)
    for h in (8, 9, 10):
        F.wsync_cycle(w, cm, sup.fqdn, "NV1", U("2024-08-14 %02d:00:02.%03d" % (h, rng.randint(0, 999))),
                      "regular schedule" if h == 8 else "retry schedule", fail=fail)
    c.write("Logs/wsyncmgr.log", L.cmtrace(cm, A.sms_to_cm(w)), "wsyncmgr.log in CMTrace layout")
    inc.ev("K2", c, "Logs/wsyncmgr.log", "Sync failed: The request failed with HTTP status 503",
           "first 6703 with HTTP 503 (bias -120)")
    # SUP: IIS, HTTPERR, config, pools, System events (CSV)
    pool = L.client_pool(rng, "10.60.12", 14, (L.UA_WIN11, L.UA_WIN10))
    reqs = L.background(rng, U("2024-08-14 06:00:00"), U("2024-08-14 07:55:00"), pool, (1, 4))
    def rule(t):
        if U("2024-08-14 07:58:00") <= t:
            return {L.EP_CLIENT: (503, 0, 0), L.EP_SELF: (503, 0, 0)}
        return None
    reqs += L.background(rng, U("2024-08-14 07:55:00"), U("2024-08-14 10:30:00"), pool, (1, 3), rules=rule)
    for h in (8, 9, 10):
        reqs.append(Req(U("2024-08-14 %02d:00:04" % h), cm.ip, "POST", L.EP_API, 503, 2 if h == 8 else 0, 0, ua=L.UA_API))
    for h in (4, 5, 6, 7):
        reqs += L.api_auth(rng, U("2024-08-14 %02d:00:03.300" % h), cm.ip, "NORDVA\\NVA-CM01$")
    s.write("inetpub/logs/LogFiles/W3SVC1/u_ex240814.log",
            L.iis_log([(U("2024-08-14 06:00:00"), L.IIS_F1, reqs)], sup.ip, rng, sup.name), "IIS W3C", "utf-8")
    rows = []
    t = U("2024-08-14 07:58:12")
    while t < U("2024-08-14 08:01:00"):
        rows.append((t, "10.60.12.%d" % rng.randint(11, 250), rng.randint(49152, 65000), sup.ip, 8530,
                     "HTTP/1.1", "POST", L.EP_CLIENT, 503, 1722407045 % 7 + 1, "QueueFull", "WsusPool"))
        t += td(seconds=rng.randint(3, 15))
    t = U("2024-08-14 08:02:30")
    while t < U("2024-08-14 10:20:00"):
        rows.append((t, "10.60.12.%d" % rng.randint(11, 250), rng.randint(49152, 65000), sup.ip, 8530,
                     "HTTP/1.1", "POST", L.EP_CLIENT, 503, 5, "AppOffline", "WsusPool"))
        t += td(seconds=rng.randint(40, 400))
    rows.append((U("2024-08-14 06:40:11"), "10.60.12.40", 50122, sup.ip, 8530, "HTTP/1.1", "GET",
                 "/Content/3F/0B2E6C.cab", "-", 5, "Timer_ConnectionIdle", "-"))
    s.write("LogFiles/HTTPERR/httperr3.log", L.httperr_log([(U("2024-08-14 06:40:11"), L.HTTPERR_F2, rows)]),
            "HTTPERR (streamid fields)", "utf-8")
    s.write("inetsrv/config/applicationHost.config",
            apphost(wsuspool(private_mem=1843200, queue=2000, rapid=True), 5), "applicationHost.config")
    s.write("Get-IISAppPool.txt", A.iis_apppools([
        ("DefaultAppPool", "Started", "v4.0", "Integrated", "OnDemand"),
        (".NET v4.5", "Started", "v4.0", "Integrated", "OnDemand"),
        ("WsusPool", "Stopped", "v4.0", "Integrated", "AlwaysRunning")]), "Get-IISAppPool table", "utf-16le-bom")
    ev = []
    rec = 203110
    for i, tt in enumerate(("06:12:40", "07:05:02", "07:41:19", "07:58:01")):
        ev.append((U("2024-08-14 " + tt), "Microsoft-Windows-WAS", 5117, 4, "System",
                   "A worker process with process id of '%d' serving application pool 'WsusPool' has requested "
                   "a recycle because it reached its private bytes memory limit." % rng.randint(2000, 9000), rec + i))
    ev.append((U("2024-08-14 08:02:27"), "Microsoft-Windows-WAS", 5002, 2, "System",
               "Application pool 'WsusPool' is being automatically disabled due to a series of failures in the "
               "process(es) serving that application pool.", rec + 9))
    ev.append((U("2024-08-14 06:30:00"), "Microsoft-Windows-Kernel-General", 16, 4, "System",
               "The access history in hive \\??\\C:\\Users\\svc-wsus\\ntuser.dat was cleared updating 14 keys and creating 3 modified pages.", rec + 4))
    s.write("Events/System.csv", A.evt_csv(sup, ev), "Get-WinEvent | Export-Csv (en-US)", "ascii")


# ====================================================================== K3
def a03(incident):
    inc = incident("A03-K3-msi-ansi-eventtext", ["K3"],
                   "WSUS 3.0 SP2 reinstall on 2008 R2 against a shared SQL instance; the deploy "
                   "account lost sysadmin: MSI 1603 / 0x80070643 (ANSI MSI log, Event Viewer text)")
    rng = Rng(1003)
    h = Host("QLD-WSUS05", "qldhealth.example.au", "10.88.3.5", "Australia/Brisbane", "wsus-server",
             "E. Australia Standard Time")
    b = inc.bundle(h, "wsus-server", collected=U("2023-11-21 00:05:00"))
    t0 = U("2023-11-20 23:14:02.118")
    lt = h.local(t0)
    M = ["=== Verbose logging started: %d/%d/%d  %s  Build type: SHIP UNICODE 5.00.7601.00  Calling process: "
         "C:\\Windows\\system32\\msiexec.exe ===" % (lt.month, lt.day, lt.year, lt.strftime("%H:%M:%S"))]
    cur = [t0]

    def m(txt, ms=0, proc="s", ids="C4:D0"):
        cur[0] += td(milliseconds=ms)
        M.append("MSI (%s) (%s) [%s]: %s" % (proc, ids, L.msi_time(h.local(cur[0])), txt))

    def raw(txt):
        M.append(txt)
    m("Resetting cached policy values", 0, "c", "A8:B4")
    m("Machine policy value 'Debug' is 0", 0, "c", "A8:B4")
    m("******* RunEngine:", 0, "c", "A8:B4")
    raw("           ******* Product: D:\\Install\\WSUS30SP2\\WSUS.msi")
    raw("           ******* Action: ")
    raw("           ******* CommandLine: **********")
    m("Client-side and UI is none or basic: Running entire install on the server.", 3, "c", "A8:B4")
    m("Grabbed execution mutex.", 1, "c", "A8:B4")
    for i in range(14):
        m("PROPERTY CHANGE: Adding %s property. Its value is '%s'." % (
            rng.choice(["WSUS_CONTENT_DIR", "SQLINSTANCE_NAME", "DEFAULT_WEBSITE", "WYUKON_INSTALLED",
                        "CREATE_DATABASE", "CONSOLE_INSTALL", "ENABLE_INVENTORY"]),
            rng.choice(["1", "0", "E:\\WsusContent", "QLD-SQL01\\SHARED", "8530"])), rng.randint(2, 40))
    raw("Action start %s: InstallDatabase." % h.local(cur[0] + td(seconds=40)).strftime("%H:%M:%S"))
    m("Invoking remote custom action. DLL: C:\\Windows\\Installer\\MSI51B2.tmp, Entrypoint: InstallDatabase", 40000)
    m("Hello, I'm your 64bit Elevated custom action server.", 31, "s", "C4:1C")
    m("PROPERTY CHANGE: Adding WSUS_SQL_ERROR property. Its value is 'CREATE DATABASE permission denied "
      "in database 'master'. (0x80040E09) login QLDH\\svc-sccm-deploy is not a member of the sysadmin role'.",
      3900, "s", "C4!9C")
    m("Product: Windows Server Update Services 3.0 SP2 -- Error 0x80070643: Fatal error during installation.",
      1, "s", "C4!9C")
    raw("")
    raw("Error 0x80070643: Fatal error during installation.")
    raw("CustomAction InstallDatabase returned actual error code 1603 (note this may not be 100% accurate if "
        "translation happened inside sandbox)")
    raw("Action ended %s: InstallDatabase. Return value 3." % h.local(cur[0]).strftime("%H:%M:%S"))
    m("Note: 1: 2265 2:  3: -2147287035 ", 20)
    m("Product: Windows Server Update Services 3.0 SP2 -- Installation failed.", 2100)
    m("Windows Installer installed the product. Product Name: Windows Server Update Services 3.0 SP2. "
      "Product Version: 3.2.7600.226. Product Language: 0. Manufacturer: Microsoft Corporation. "
      "Installation success or error status: 1603.", 2)
    m("MainEngineThread is returning 1603", 30)
    raw("=== Verbose logging stopped: %s ===" % h.local(cur[0]).strftime("%d/%m/%Y  %H:%M:%S"))
    text = "\n".join(M) + "\n"
    text = text.replace("svc-sccm-deploy is", "svc-sccm-deploy (Jürgen\u00a0B.) is")
    b.write("Temp/WSUS3Setup/WSUSSetupMsi.log", text, "MSI verbose log", "cp1252")
    inc.ev("K3", b, "Temp/WSUS3Setup/WSUSSetupMsi.log",
           "-- Error 0x80070643: Fatal error during installation.", "MSI custom action 0x80070643 (sysadmin missing)")
    ev = [
        (cur[0], "Application", "MsiInstaller", 11708, 4, "None",
         "Product: Windows Server Update Services 3.0 SP2 -- Installation failed.", "QLDH\\svc-sccm-deploy"),
        (cur[0] + td(milliseconds=40), "Application", "MsiInstaller", 1033, 4, "None",
         "Windows Installer installed the product. Product Name: Windows Server Update Services 3.0 SP2. "
         "Product Version: 3.2.7600.226. Product Language: 0. Manufacturer: Microsoft Corporation. "
         "Installation success or error status: 1603.", "QLDH\\svc-sccm-deploy"),
        (t0 - td(hours=3), "Application", "Microsoft-Windows-User Profiles Service", 1530, 3, "None",
         "Windows detected your registry file is still in use by other applications or services. The file "
         "will be unloaded now.\n\n DETAIL - \n 1 user registry handles leaked from \\Registry\\User\\S-1-5-21-1-2-3-1104:",
         "NT AUTHORITY\\SYSTEM"),
    ]
    b.write("Events/Application.txt", A.evt_text(h, sorted(ev, key=lambda e: e[0])),
            "Event Viewer text export", "utf-8-bom")


# ====================================================================== K4
def a04(incident):
    inc = incident("A04-K4-getservice-csv-named-sql", ["K4"],
                   "SQL Server named instance WSUS stopped after a failed CU; WsusService cannot "
                   "start (Get-Service CSV, pt-BR event CSV with ';')")
    rng = Rng(1004)
    h = Host("SAO-WSUS01", "sa.intranet.br", "10.14.2.31", "America/Sao_Paulo", "wsus-server",
             "E. South America Standard Time")
    b = inc.bundle(h, "wsus-server", collected=U("2025-03-14 13:02:00"))
    rows = [("WsusService", "WSUS Service", "Stopped", "Automatic", "."),
            ("W3SVC", "World Wide Web Publishing Service", "Running", "Automatic", "."),
            ("WAS", "Windows Process Activation Service", "Running", "Manual", "."),
            ("MSSQL$WSUS", "SQL Server (WSUS)", "Stopped", "Automatic", "."),
            ("SQLAgent$WSUS", "SQL Server Agent (WSUS)", "Stopped", "Manual", "."),
            ("wuauserv", "Windows Update", "Running", "Manual", "."),
            ("BITS", "Background Intelligent Transfer Service", "Running", "Manual", ".")]
    b.write("services.csv", L.csv_text(["Name", "DisplayName", "Status", "StartType", "MachineName"], rows),
            "Get-Service | Export-Csv -NoTypeInformation", "ascii")
    inc.ev("K4", b, "services.csv", '"WsusService","WSUS Service","Stopped"', "WsusService Stopped")
    S = [(U("2025-03-14 11:40:02.331"), "Info", "WsusService.6", "WsusService.Program.OnStart",
          "WSUS service is starting. Product Version = 10.0.17763.6893")]
    t = U("2025-03-14 11:40:17.902")
    for i in range(3):
        S.append((t, "Error", "WsusService.%d" % (8 + i), "DBConnection.Connect",
                  "Could not connect to the database: System.Data.SqlClient.SqlException (0x80131904): A network-related "
                  "or instance-specific error occurred while establishing a connection to SQL Server. The server was "
                  "not found or was not accessible. Verify that the instance name is correct and that SQL Server is "
                  "configured to allow remote connections. (provider: SQL Network Interfaces, error: 26 - Error "
                  "Locating Server/Instance Specified)",
                  ["   at System.Data.SqlClient.SqlInternalConnectionTds..ctor(DbConnectionPoolIdentity identity, SqlConnectionString connectionOptions)",
                   "   at Microsoft.UpdateServices.DatabaseAccess.DBConnection.Connect()", ""]))
        t += td(seconds=15, milliseconds=rng.randint(0, 900))
    S.append((t, "Error", "WsusService.6", "WsusService.Program.OnStart",
              "WSUS service failed to start: the database is not available"))
    b.write("LogFiles/SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "utf-8")
    ev = [(U("2025-03-14 11:31:55"), "Service Control Manager", 7034, 2, "System",
           "The SQL Server (WSUS) service terminated unexpectedly.  It has done this 1 time(s).", 99410),
          (U("2025-03-14 11:41:02"), "Service Control Manager", 7024, 2, "System",
           "The WSUS Service service terminated with the following service-specific error: \nUnspecified error", 99442),
          (U("2025-03-14 09:00:12"), "Microsoft-Windows-DistributedCOM", 10016, 3, "System",
           "The application-specific permission settings do not grant Local Activation permission for the COM Server "
           "application with CLSID {D63B10C5-BB46-4990-A94F-E40B9D520160}", 99301)]
    b.write("Events/System.csv", A.evt_csv(h, ev, lambda lt: lt.strftime("%d/%m/%Y %H:%M:%S"), ";"),
            "Get-WinEvent | Export-Csv -UseCulture (pt-BR)", "utf-8-bom")


# ====================================================================== K5
WEBCONFIG_ROOT = """<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <system.web>
    <authentication mode="Windows" />
    <compilation defaultLanguage="c#" debug="false" />
    <customErrors mode="RemoteOnly" />
    <trust level="Full" originUrl="" />
  </system.web>
  <system.webServer>
    <security>
      <requestFiltering>
        <requestLimits maxAllowedContentLength="4294967295" />
      </requestFiltering>
    </security>
    <!-- added by Set-WsusUupMime.ps1 (ticket 88213) -->
    <staticContent>
      <mimeMap fileExtension=".esd" mimeType="application/octet-stream" />
      <mimeMap fileExtension=".msu" mimeType="application/octet-stream" />
    </staticContent>
  </system.webServer>
</configuration>
"""


def a05(incident):
    inc = incident("A05-K5-site-level-msu-nomanifest", ["K5"],
                   "a UUP script added .msu at the WSUS Administration site root: 500.19 on every "
                   "endpoint (no manifest; host from the event XML)")
    rng = Rng(1005)
    h = Host("TLS-SUP03", "ad.toulouse-aero.fr", "10.31.7.13", "Europe/Paris", "wsus-server")
    b = inc.bundle(h, "wsus-server", manifest=False)
    b.write("WebServices/Root/web.config", WEBCONFIG_ROOT, "web.config", "utf-8-bom")
    inc.ev("K5", b, "WebServices/Root/web.config", '<mimeMap fileExtension=".msu"',
           ".msu mimeMap at site level, no <remove>")
    b.write("inetsrv/config/applicationHost.config", apphost(wsuspool(private_mem=0, queue=2000), 3),
            "applicationHost.config")
    pool = L.client_pool(rng, "10.31.20", 12, (L.UA_WIN10, L.UA_WIN11))
    def rule(t):
        if t >= U("2024-03-05 14:10:00"):
            return {L.EP_CLIENT: (500, 19, 183), L.EP_SELF: (500, 19, 183)}
        return None
    reqs = L.background(rng, U("2024-03-05 12:00:00"), U("2024-03-05 16:30:00"), pool, (2, 6), rules=rule)
    reqs += L.api_auth(rng, U("2024-03-05 13:00:03"), "10.31.7.10", "TLSAERO\\TLS-CM01$")
    reqs.append(Req(U("2024-03-05 15:00:03"), "10.31.7.10", "POST", L.EP_API, 500, 19, 183, ua=L.UA_API))
    b.write("IIS/W3SVC3/u_ex240305.log", L.iis_log([(U("2024-03-05 12:00:00"), L.IIS_F1, reqs)], h.ip, rng, h.name),
            "IIS W3C", "utf-8")
    tr = ["**********************",
          "Windows PowerShell transcript start",
          "Start time: 20240305162211",
          "Username: TLSAERO\\adm-lmartin",
          "Machine: TLS-SUP03 (Microsoft Windows NT 10.0.20348.0)",
          "**********************",
          "PS C:\\> Get-WebConfigurationProperty -PSPath 'IIS:\\Sites\\WSUS Administration' -Filter system.webServer/staticContent -Name .",
          "Get-WebConfigurationProperty : Filename: \\\\?\\C:\\Program Files\\Update Services\\WebServices\\Root\\web.config",
          "Line number: 17",
          "Error: Cannot add duplicate collection entry of type 'mimeMap' with unique key attribute 'fileExtension' set to '.msu'",
          "At line:1 char:1",
          "+ Get-WebConfigurationProperty -PSPath 'IIS:\\Sites\\WSUS Administration' ...",
          "    + CategoryInfo          : NotSpecified: (:) [Get-WebConfigurationProperty], COMException",
          "    + FullyQualifiedErrorId : System.Runtime.InteropServices.COMException,Microsoft.IIs.PowerShell.Provider.GetConfigurationPropertyCommand",
          "",
          "**********************",
          "Windows PowerShell transcript end",
          "End time: 20240305162240",
          "**********************"]
    b.write("PowerShell_transcript.TLS-SUP03.20240305162211.txt", "\n".join(tr) + "\n",
            "PowerShell transcript (generic text)", "utf-8-bom")
    ev = []
    rec = 41200
    for i, (eid, lvl, msg) in enumerate([
            (12022, 2, "The Client Web Service is not working."),
            (12032, 2, "The Server Synchronization Web Service is not working."),
            (12042, 2, "The SimpleAuth Web Service is not working."),
            (12012, 2, "The API Remoting Web Service is not working.")]):
        ev.append(L.evt_xml("Windows Server Update Services", eid, lvl, U("2024-03-05 14:20:11.400") + td(milliseconds=15 * i),
                            h.fqdn, "Application", [msg], rec + i, qualifiers=0, keywords="0x80000000000000"))
    b.write("Events/Application-WSUS.xml", "\n".join(ev) + "\n", "wevtutil /f:xml", "utf-8")


# ====================================================================== K6
def a06(incident):
    inc = incident("A06-K6-wsus30-274-regexport", ["K6"],
                   "2008 R2 SUP on WSUS 3.0 SP2 3.2.7600.274 (KB2938066, no KB4039929); the site "
                   "server cannot open a TLS 1.2 channel (regedit .reg, wmic qfe)")
    rng = Rng(1006)
    sup = Host("PDX-WSUS01", "pdx.cascadiafoods.com", "10.70.1.40", "America/Los_Angeles", "wsus-server",
               "Pacific Standard Time")
    cm = Host("PDX-CM01", "pdx.cascadiafoods.com", "10.70.1.10", "America/Los_Angeles", "site-server",
              "Pacific Standard Time")
    s = inc.bundle(sup, "wsus-server", collected=U("2024-10-02 18:10:00"))
    c = inc.bundle(cm, "site-server", collected=U("2024-10-02 18:12:00"))
    reg = ["Windows Registry Editor Version 5.00", "",
           "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup]",
           '"InstallType"=dword:00000001',
           '"TargetDir"="C:\\\\Program Files\\\\Update Services\\\\"',
           '"SqlServerName"="PDX-WSUS01\\\\MICROSOFT##SSEE"',
           '"SqlDatabaseName"="SUSDB"',
           '"ContentDir"=hex(2):45,00,3a,00,5c,00,57,00,53,00,55,00,53,00,00,00',
           '"PortNumber"=dword:00001f92',
           '"UsingSSL"=dword:00000000',
           '"VersionString"="3.2.7600.274"',
           '"ProductVersion"="3.2.7600.274"',
           '"wYukonInstalled"=dword:00000001', "",
           "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup\\Installed Role Services]",
           '"UpdateServices-Services"="2"', '"UpdateServices-Database"="2"', ""]
    s.write("Registry/UpdateServices-Setup.reg", "\n".join(reg) + "\n", ".reg export (regedit)", "utf-16le-bom")
    inc.ev("K6", s, "Registry/UpdateServices-Setup.reg", '"VersionString"="3.2.7600.274"',
           "WSUS 3.2.7600.274 < 3.2.7600.283")
    qfe = ["Caption                                     CSName      Description      FixComments  HotFixID   InstallDate  InstalledBy          InstalledOn  Name  ServicePackInEffect  Status",
           ]
    for kb, d, on in [("KB2533552", "Update", "3/14/2014"), ("KB2720211", "Update", "11/2/2016"),
                      ("KB2734608", "Update", "11/2/2016"), ("KB2938066", "Update", "5/9/2018"),
                      ("KB3125574", "Update", "6/21/2017"), ("KB4474419", "Security Update", "10/8/2019"),
                      ("KB4490628", "Update", "10/8/2019"), ("KB5017361", "Security Update", "9/13/2022")]:
        qfe.append("%-43s %-11s %-16s %-12s %-10s %-12s %-20s %-12s %-5s %-20s %s" % (
            "http://support.microsoft.com/?kbid=%s" % kb[2:], sup.name, d, "", kb, "", "NT AUTHORITY\\SYSTEM",
            on, "", "", ""))
    s.write("wmic_qfe_list.txt", "\n".join(q.rstrip() for q in qfe) + "\n\n", "wmic qfe list (generic text)",
            "utf-16le-bom")
    S = [(U("2024-10-02 15:00:03.114"), "Info", "w3wp.4", "ClientImplementation..ctor",
          "Initializing ClientWebService ProcessID = 3904, Process Start Time = 10/2/2024 8:00:02 AM, Product Version = 3.2.7600.274"),
         (U("2024-10-02 15:00:05.560"), "Info", "WsusService.12", "EventLogEventReporter.ReportEvent",
          "EventId=381,Type=Information,Category=Synchronization,Message=A scheduled synchronization was started."),
         (U("2024-10-02 15:00:31.002"), "Warning", "WsusService.12", "WebServiceCommunicationHelper.ProcessWebServiceProxyException",
          "System.Net.WebException: The request was aborted: Could not create SSL/TLS secure channel."),
         (U("2024-10-02 15:00:31.050"), "Info", "WsusService.12", "EventLogEventReporter.ReportEvent",
          "EventId=386,Type=Error,Category=Synchronization,Message=Synchronization failed.")]
    s.write("SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "utf-8-bom")
    w = L.SmsLog(cm, F.SYNC, 2288, site="PDX", pid=1904)
    msg = ("UssCommunicationError: WebException: The request was aborted: Could not create SSL/TLS secure channel."
           "~~at System.Web.Services.Protocols.WebClientProtocol.GetWebResponse(WebRequest request)")
    for hh in (15, 16, 17):
        F.wsync_cycle(w, cm, sup.fqdn, "PDX", U("2024-10-02 %02d:00:01.%03d" % (hh, rng.randint(0, 999))),
                      fail=("wsus", msg, F.SRC_SYNCWSUS))
    c.write("Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG", "utf-8-bom")
    k = L.SmsLog(cm, F.WCM, 4110)
    F.wcm_check(k, U("2024-10-02 15:20:00.100"), sup.fqdn, versions=("3.2.7600.274", "3.2.7600.274"))
    c.write("Logs/WCM.log", k.text(), "SMS trace", "utf-8-bom")


# ====================================================================== K7
def a07(incident):
    inc = incident("A07-K7-403-ssl-required", ["K7"],
                   "Require SSL switched on for ClientWebService/SimpleAuth while the GPO still "
                   "points clients at http://...:8530: 403.4 in IIS, 0x80244018 on clients")
    rng = Rng(1007)
    sup = Host("MUC-SUP02", "ad.isarwerk.de", "10.40.2.22", "Europe/Berlin", "wsus-server", "W. Europe Standard Time")
    pc = Host("MUC-PC-1187", "ad.isarwerk.de", "10.40.33.187", "Europe/Berlin", "client", "W. Europe Standard Time")
    ts = Host("MUC-TS-03", "ad.isarwerk.de", "10.40.9.3", "Europe/Berlin", "client", "W. Europe Standard Time")
    s = inc.bundle(sup, "wsus-server", collected=U("2025-06-10 14:00:00"))
    p = inc.bundle(pc, "client", collected=U("2025-06-10 13:40:00"))
    t3 = inc.bundle(ts, "client", collected=U("2025-06-10 13:45:00"))
    url = "http://MUC-SUP02.ad.isarwerk.de:8530"
    pool = L.client_pool(rng, "10.40.33", 14, (L.UA_WIN11, L.UA_WIN10)) + [(ts.ip, L.UA_2012R2)]
    cut = U("2025-06-10 09:31:00")
    def rule(t):
        if t >= cut:
            return {L.EP_SELF: (403, 4, 5), L.EP_CLIENT: (403, 4, 5)}
        return None
    reqs = L.background(rng, U("2025-06-10 06:00:00"), U("2025-06-10 13:30:00"), pool, (3, 8), rules=rule)
    reqs += L.scan_seq(rng, U("2025-06-10 10:12:04.200"), pc.ip, L.UA_WIN11, fail=rule(U("2025-06-10 10:12:04")), selfupdate=False)
    for hh in range(6, 14):
        reqs += L.api_auth(rng, U("2025-06-10 %02d:00:02.500" % hh), "10.40.2.10", "ISARWERK\\MUC-CM01$", port=8531)
    s.write("IIS/W3SVC1/u_ex250610.log", L.iis_log([(U("2025-06-10 06:00:00"), L.IIS_F2, reqs)], sup.ip, rng, sup.name),
            "IIS W3C (cs-host, bytes)", "utf-8")
    inc.ev("K7", s, "IIS/W3SVC1/u_ex250610.log", lambda l: "/ClientWebService/client.asmx" in l and " 403 4 5 " in l,
           "first 403.4 on ClientWebService")
    s.write("appcmd_access.txt", "\n".join([
        'C:\\Windows\\System32\\inetsrv>appcmd list config "WSUS Administration/ClientWebService" -section:system.webServer/security/access',
        "<system.webServer>", "  <security>", '    <access sslFlags="Ssl" />', "  </security>", "</system.webServer>", "",
        'C:\\Windows\\System32\\inetsrv>appcmd list config "WSUS Administration/SimpleAuthWebService" -section:system.webServer/security/access',
        "<system.webServer>", "  <security>", '    <access sslFlags="Ssl" />', "  </security>", "</system.webServer>", "",
        "C:\\Windows\\System32\\inetsrv>"]) + "\n", "appcmd output", "ascii")
    W = []
    wu10_scan(W, U("2025-06-10 06:40:12.030"), 4410, 8812, 7310, url, 88, found=(3, 90), cv="Mm0pQ2rTt8UeV1xW")
    wu10_scan(W, U("2025-06-10 10:12:03.910"), 4410, 8812, 7310, url, 89,
              fail=("80244018", "403", "Forbidden", "SyncUpdates"), cv="Mm0pQ2rTt8UeV1xW")
    wu10_scan(W, U("2025-06-10 13:05:44.402"), 4410, 9012, 7310, url, 90,
              fail=("80244018", "403", "Forbidden", "SyncUpdates"), cv="Mm0pQ2rTt8UeV1xW")
    W.sort(key=lambda r: r[0])
    p.write("WindowsUpdate.log", L.wu10(pc, W), "Get-WindowsUpdateLog", "ascii")
    R = L.wu_banner(ts, U("2025-06-10 04:58:01.100"), 1012, 0x4d8)
    for t, code in (("2025-06-10 07:20:11.300", None), ("2025-06-10 11:20:40.771", "80244018")):
        recs, end = F.wu_scan_legacy(ts, U(t), 1012, 0x1a44, 0x1b3c, url, fail=code, rng=rng)
        R += recs
    R.sort(key=lambda r: r[0])
    t3.write("Windows/WindowsUpdate.log", L.wu_legacy(ts, R), "WindowsUpdate.log legacy", "ascii")


# ====================================================================== K8
def a08(incident):
    inc = incident("A08-K8-regedit4-old-wsus2012", ["K8"],
                   "a kiosk keeps a hand-made REGEDIT4 policy for the retired YYC-WSUS2012 "
                   "(port 80); ConfigMgr's SUP is YYC-SUP01 and never sees it")
    rng = Rng(1008)
    sup = Host("YYC-SUP01", "corp.prairiegrain.ca", "10.9.1.21", "America/Edmonton", "wsus-server",
               "Mountain Standard Time")
    cli = Host("YYC-KIOSK-07", "corp.prairiegrain.ca", "10.9.50.77", "America/Edmonton", "client",
               "Mountain Standard Time")
    s = inc.bundle(sup, "wsus-server", collected=U("2024-11-19 20:00:00"))
    c = inc.bundle(cli, "client", collected=U("2024-11-19 19:30:00"))
    old = "http://yyc-wsus2012.corp.prairiegrain.ca:80"
    new = "http://YYC-SUP01.corp.prairiegrain.ca:8530"
    reg = ["REGEDIT4", "",
           "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]",
           '"WUServer"="%s"' % old,
           '"WUStatusServer"="%s"' % old,
           '"DoNotConnectToWindowsUpdateInternetLocations"=dword:00000001', "",
           "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]",
           '"UseWUServer"=dword:00000001',
           '"NoAutoUpdate"=dword:00000000',
           '"AUOptions"=dword:00000004',
           '"DetectionFrequencyEnabled"=dword:00000001',
           '"DetectionFrequency"=dword:00000016', ""]
    c.write("kiosk_wu_policy.reg", "\n".join(reg) + "\n", "REGEDIT4 .reg (ANSI)", "cp1252")
    inc.ev("K8", c, "kiosk_wu_policy.reg", '"WUServer"=', "policy WUServer is the retired server")
    W = []
    for i, d in enumerate((17, 18, 19)):
        t = U("2024-11-%02d 15:%02d:10.100" % (d, 10 + i))
        wu10_scan(W, t, 2980, 6100, 5072, old, 300 + i, caller="UpdateOrchestrator",
                  fail=("8024402C", None, ["WS error: There was an error communicating with the endpoint at '%s/ClientWebService/client.asmx'." % old,
                                            "WS error: The server name or address could not be resolved"], "SyncUpdates"),
                  cv="Yk2mW8qPz0aR4tLb")
    W.sort(key=lambda r: r[0])
    c.write("WindowsUpdate.log", L.wu10(cli, W), "Get-WindowsUpdateLog", "ascii")
    LS = []
    t = U("2024-11-19 14:02:33.120")
    for i in range(3):
        LS += [(t, "LocationServices", "Calling back with the following WSUS locations", 1, 5540, "lsad.cpp:5512"),
               (t + td(milliseconds=1), "LocationServices", "WSUS Path='%s', Server='YYC-SUP01.corp.prairiegrain.ca', Version='142'" % new,
                1, 5540, "lsad.cpp:5518"),
               (t + td(milliseconds=3), "LocationServices", "Calling back with locations for WSUS request {%s}" % rng.guid(upper=True),
                1, 5540, "lsad.cpp:5560")]
        t += td(hours=8, minutes=rng.randint(0, 30))
    c.write("CCM/Logs/LocationServices.log", L.cmtrace(cli, LS), "CMTrace")
    g = "{%s}" % rng.guid(upper=True)
    WU = [(U("2024-11-19 14:02:33.400"), "WUAHandler", "Its a WSUS Update Source type (%s), adding it." % g, 1, 4412, "sourcemanager.cpp:1461"),
          (U("2024-11-19 14:02:33.520"), "WUAHandler", "Enabling WUA Managed server policy to use server: %s" % new, 1, 4412, "sourcemanager.cpp:1375"),
          (U("2024-11-19 14:02:33.700"), "WUAHandler", "Waiting for 2 mins for Group Policy to notify of WUA policy change...", 1, 4412, "sourcemanager.cpp:1389"),
          (U("2024-11-19 14:04:33.720"), "WUAHandler", "Group policy settings were overwritten by a higher authority (Domain Controller) to: Server %s and Policy ENABLED" % old, 2, 4412, "sourcemanager.cpp:1420"),
          (U("2024-11-19 14:04:33.730"), "WUAHandler", "Failed to Add Update Source for WUAgent of type (2) and id (%s). Error = 0x87d00692." % g, 3, 4412, "cwuahandler.cpp:2380")]
    c.write("CCM/Logs/WUAHandler.log", L.cmtrace(cli, WU), "CMTrace")
    pool = L.client_pool(rng, "10.9.50", 15, (L.UA_WIN10, L.UA_WIN11))
    reqs = L.background(rng, U("2024-11-19 00:01:00"), U("2024-11-19 19:58:00"), pool, (6, 18))
    s.write("IIS/W3SVC1144872011/u_ex241119.log", L.iis_log([(U("2024-11-19 00:01:00"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C", "utf-8")


# ====================================================================== K9
def a09(incident):
    inc = incident("A09-K9-port80-cmtrace", ["K9"],
                   "SUP defined with port 80 while WSUS listens on 8530: the Default Web Site answers "
                   "404, WCM cannot configure WSUS, syncs say 'not configured' (CMTrace layout)")
    rng = Rng(1009)
    cm = Host("HKG-CM01", "ap.lotusharbour.hk", "10.120.0.10", "Asia/Hong_Kong", "site-server", "China Standard Time")
    sup = Host("HKG-SUP01", "ap.lotusharbour.hk", "10.120.0.21", "Asia/Hong_Kong", "wsus-server", "China Standard Time")
    c = inc.bundle(cm, "site-server", collected=U("2025-04-08 05:30:00"))
    s = inc.bundle(sup, "wsus-server", collected=U("2025-04-08 05:35:00"))
    k = L.SmsLog(cm, F.WCM, 6012)
    for hh in (1, 2, 3, 4):
        t = U("2025-04-08 %02d:14:20.%03d" % (hh, rng.randint(0, 999)))
        F.wcm_check(k, t, sup.fqdn, port=80, error=(
            "System.Net.WebException: The request failed with HTTP status 404: Not Found.~~   at "
            "Microsoft.UpdateServices.Administration.AdminProxy.CreateUpdateServer(Object[] args)~~   at "
            "Microsoft.UpdateServices.Administration.AdminProxy.GetUpdateServer(String serverName, Boolean useSecureConnection, Int32 portNumber)"))
    c.write("Logs/WCM.log", L.cmtrace(cm, A.sms_to_cm(k)), "WCM.log in CMTrace layout")
    w = L.SmsLog(cm, F.SYNC, 5310, site="HK1", pid=2776)
    for hh in (2, 3, 4):
        w.at(U("2025-04-08 %02d:00:00.%03d" % (hh, rng.randint(0, 999))))
        w.add("Starting Sync", 100).add("Performing sync on %s" % ("regular schedule" if hh == 2 else "retry schedule"), 2)
        w.stat(6701, "I", dt_ms=30)
        w.add("Sync failed: WSUS server not configured. Please refer to WCM.log for configuration error details.. "
              "Source: CWSyncMgr::DoSync", 300)
        w.stat(6703, "E", istr=("CWSyncMgr::DoSync", "WSUS server not configured. Please refer to WCM.log for configuration error details.", "", "2147500037"), dt_ms=10)
        w.add("Sync failed. Will retry in 60 minutes", 3)
        w.add("Setting sync alert to active state on site HK1", 40)
        w.add("Sync time: 0d00h00m01s", 2)
        w.add("Waiting 59 minutes for requests", 1)
    c.write("Logs/wsyncmgr.log", L.cmtrace(cm, A.sms_to_cm(w)), "wsyncmgr.log in CMTrace layout")
    inc.ev("K9", c, "Logs/wsyncmgr.log", "Sync failed: WSUS server not configured", "6703 not configured")
    reqs = []
    for hh in (1, 2, 3, 4):
        reqs.append(Req(U("2025-04-08 %02d:14:20" % hh), cm.ip, "POST", L.EP_API, 404, 0, 2, ua=L.UA_API, port=80))
    reqs.append(Req(U("2025-04-08 03:22:10"), "10.120.44.9", "GET", "/", 200, 0, 0, ua="Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)", port=80))
    s.write("IIS/W3SVC1/u_ex250408.log", L.iis_log([(U("2025-04-08 01:14:20"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C (Default Web Site)", "utf-8")
    pool = L.client_pool(rng, "10.120.40", 10, (L.UA_WIN10,))
    reqs = L.background(rng, U("2025-04-08 00:00:30"), U("2025-04-08 05:20:00"), pool, (4, 12))
    s.write("IIS/W3SVC1924010551/u_ex250408.log", L.iis_log([(U("2025-04-08 00:00:30"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C (WSUS Administration)", "utf-8")


# ====================================================================== K10
def a10(incident):
    inc = incident("A10-K10-upstream-name-nomanifest", ["K10"],
                   "child primary's SUP cannot resolve its upstream (the CAS SUP) after a DNS zone "
                   "move; site server in India (bias -330), no manifest")
    rng = Rng(1010)
    cm = Host("PNQ-CM02", "in.vistaralabs.com", "10.2.0.12", "Asia/Kolkata", "site-server+wsus-server")
    b = inc.bundle(cm, "site-server+wsus-server", manifest=False)
    up = "cas-sup01.hq.vistaralabs.com"
    w = L.SmsLog(cm, F.SYNC, 3388, site="PN2", pid=2210)
    msg = ("UssCommunicationError: WebException: The remote name could not be resolved: '%s'"
           "~~at System.Net.HttpWebRequest.GetRequestStream()" % up)
    F.wsync_cycle(w, cm, cm.fqdn, "PN2", U("2024-12-03 21:30:00.400"), "parent request",
                  pre=["Found parent sync notification file PN2.SYN."])
    for hh in (2, 3, 4):
        F.wsync_cycle(w, cm, cm.fqdn, "PN2", U("2024-12-04 %02d:30:01.%03d" % (hh, rng.randint(0, 999))),
                      "parent request" if hh == 2 else "retry schedule",
                      fail=("wsus", msg, F.SRC_SYNCWSUS),
                      pre=["Found parent sync notification file PN2.SYN."] if hh == 2 else ())
    b.write("Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG", "ascii")
    inc.ev("K10", b, "Logs/wsyncmgr.log", "The remote name could not be resolved", "6703 upstream name not resolved")
    S = []
    for hh in (2, 3, 4):
        t = U("2024-12-04 %02d:30:04.%03d" % (hh, rng.randint(0, 999)))
        S.append((t, "Info", "WsusService.21", "EventLogEventReporter.ReportEvent",
                  "EventId=382,Type=Information,Category=Synchronization,Message=A manual synchronization was started."))
        S.append((t + td(seconds=2), "Error", "WsusService.21", "WebServiceCommunicationHelper.ProcessWebServiceProxyException",
                  "System.Net.WebException: The remote name could not be resolved: '%s'" % up,
                  ["   at System.Net.HttpWebRequest.GetRequestStream(TransportContext& context)",
                   "   at System.Net.HttpWebRequest.GetRequestStream()",
                   "   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName, Object[] parameters)",
                   "   at Microsoft.UpdateServices.ServerSyncWebServices.ServerSync.ServerSyncProxy.GetAuthConfig()"]))
        S.append((t + td(seconds=2, milliseconds=30), "Info", "WsusService.21", "EventLogEventReporter.ReportEvent",
                  "EventId=386,Type=Error,Category=Synchronization,Message=Synchronization failed."))
    b.write("WSUS/SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "ascii")
    net = ["PS C:\\> Resolve-DnsName %s" % up,
           "Resolve-DnsName : %s : DNS name does not exist" % up,
           "At line:1 char:1",
           "+ Resolve-DnsName %s" % up,
           "    + CategoryInfo          : ResourceUnavailable: (%s:String) [Resolve-DnsName], Win32Exception" % up,
           "    + FullyQualifiedErrorId : DNS_ERROR_RCODE_NAME_ERROR,Microsoft.DnsClient.Commands.ResolveDnsName", "",
           "PS C:\\> Resolve-DnsName cas-sup01.vistaralabs.com | Select Name, IPAddress", "",
           "Name                        IPAddress", "----                        ---------",
           "cas-sup01.vistaralabs.com   10.0.0.21", ""]
    b.write("dns_checks.txt", "\n".join(net) + "\n", "PowerShell console copy (generic text)", "ascii", "\n")
    ev = [L.evt_xml("SMS Server", 6703, 2, U("2024-12-04 02:30:09.120"), cm.fqdn, "Application",
                    ["SMS WSUS Synchronization failed.\r\n Message: %s.\r\n Source: %s." % (msg.replace("~~", " "), F.SRC_SYNCWSUS)],
                    88120, qualifiers=49152)]
    b.write("Events/Application-SMS.xml", "\n".join(ev) + "\n", "wevtutil /f:xml", "utf-8")


# ====================================================================== K11
def a11(incident):
    inc = incident("A11-K11-401-3-acl", ["K11"],
                   "a hardening GPO replaced the NTFS ACL of ApiRemoting30: the site server gets "
                   "401.3 (ACL) after NTLM and every sync fails 401 (bias -60, BST)")
    rng = Rng(1011)
    cm = Host("LDN-CM01", "uk.thamesmutual.co.uk", "10.50.0.5", "Europe/London", "site-server", "GMT Standard Time")
    sup = Host("LDN-SUP02", "uk.thamesmutual.co.uk", "10.50.0.27", "Europe/London", "wsus-server", "GMT Standard Time")
    c = inc.bundle(cm, "site-server", collected=U("2025-07-01 15:00:00"))
    s = inc.bundle(sup, "wsus-server", archive="zip", collected=U("2025-07-01 15:05:00"))
    w = L.SmsLog(cm, F.SYNC, 7012, site="TM1", pid=3300)
    F.wsync_cycle(w, cm, sup.fqdn, "TM1", U("2025-07-01 06:00:01.100"), source_guid="{%s}" % rng.guid(upper=True))
    fail = ("connect", "The request failed with HTTP status 401: Unauthorized", F.SRC_ADMINPROXY)
    F.wsync_cycle(w, cm, sup.fqdn, "TM1", U("2025-07-01 10:12:44.300"), "local request", fail=fail)
    for hh in (11, 12, 13, 14):
        F.wsync_cycle(w, cm, sup.fqdn, "TM1", U("2025-07-01 %02d:12:49.%03d" % (hh, rng.randint(0, 999))),
                      "retry schedule", fail=fail)
    c.write("Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG", "utf-8-bom")
    inc.ev("K11", c, "Logs/wsyncmgr.log", "Sync failed: The request failed with HTTP status 401", "6703 401 Unauthorized")
    pool = L.client_pool(rng, "10.50.20", 12, (L.UA_WIN10, L.UA_WIN11))
    reqs = L.background(rng, U("2025-07-01 05:00:00"), U("2025-07-01 14:50:00"), pool, (3, 9))
    reqs += L.api_auth(rng, U("2025-07-01 06:00:02.000"), cm.ip, "TMUTUAL\\LDN-CM01$")
    reqs += L.api_auth(rng, U("2025-07-01 09:02:02.000"), cm.ip, "TMUTUAL\\LDN-CM01$")
    for hh in (10, 11, 12, 13, 14):
        t = U("2025-07-01 %02d:12:45" % hh)
        reqs.append(Req(t, cm.ip, "POST", L.EP_API, 401, 2, 5, ua=L.UA_API, taken=1))
        reqs.append(Req(t + td(milliseconds=9), cm.ip, "POST", L.EP_API, 401, 3, 5, ua=L.UA_API,
                        user="TMUTUAL\\LDN-CM01$", taken=2))
    s.write("IIS/W3SVC1/u_ex250701.log", L.iis_log([(U("2025-07-01 05:00:00"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C (in .zip)", "utf-8")
    acl = ['C:\\>icacls "C:\\Program Files\\Update Services\\WebServices\\ApiRemoting30"',
           "C:\\Program Files\\Update Services\\WebServices\\ApiRemoting30 BUILTIN\\Administrators:(OI)(CI)(F)",
           "                                                                NT AUTHORITY\\SYSTEM:(OI)(CI)(F)",
           "                                                                TMUTUAL\\WSUS-Admins-Tier0:(OI)(CI)(RX)", "",
           "Successfully processed 1 files; Failed processing 0 files", ""]
    s.write("icacls_ApiRemoting30.txt", "\n".join(acl) + "\n", "icacls output (generic text)", "ascii")
    ev = [L.evt_xml("Windows Server Update Services", 12012, 2, U("2025-07-01 10:20:05.512"), sup.fqdn, "Application",
                    ["The API Remoting Web Service is not working."], 5521, qualifiers=0),
          L.evt_xml("Windows Server Update Services", 12013, 4, U("2025-07-01 09:20:05.500"), sup.fqdn, "Application",
                    ["The API Remoting Web Service is working correctly."], 5519, qualifiers=0)]
    s.write("Events/Application.xml", "\n".join(ev[::-1]) + "\n", "wevtutil /f:xml (in .zip)", "utf-8")


# ====================================================================== K12
def a12(incident):
    inc = incident("A12-K12-stale-dns-lf", ["K12"],
                   "the SUP got a new address but a static DNS record still points at the old one: "
                   "the site server cannot connect (pasted SMS trace: LF, one space, no BOM)")
    rng = Rng(1012)
    cm = Host("CHI-CM01", "mw.lakeshorebank.com", "10.77.0.10", "America/Chicago", "site-server", "Central Standard Time")
    sup = Host("CHI-SUP04", "mw.lakeshorebank.com", "10.77.5.44", "America/Chicago", "wsus-server", "Central Standard Time")
    c = inc.bundle(cm, "site-server", collected=U("2025-01-22 21:00:00"))
    s = inc.bundle(sup, "wsus-server", collected=U("2025-01-22 21:10:00"))
    w = L.SmsLog(cm, F.SYNC, 2944, site="LSB", pid=1822)
    F.wsync_cycle(w, cm, sup.fqdn, "LSB", U("2025-01-22 08:00:00.700"))
    fail = ("connect", "Unable to connect to the remote server", F.SRC_ADMINPROXY)
    for hh in (14, 15, 16, 17):
        F.wsync_cycle(w, cm, sup.fqdn, "LSB", U("2025-01-22 %02d:00:01.%03d" % (hh, rng.randint(0, 999))),
                      "regular schedule" if hh == 14 else "retry schedule", fail=fail, istr_code="53")
    text = w.text().replace("  $$<", " $$<")
    c.write("Logs/wsyncmgr.log", text, "SMS trace (pasted: one space, LF, no BOM)", "ascii", "\n")
    inc.ev("K12", c, "Logs/wsyncmgr.log", "Sync failed: Unable to connect to the remote server", "6703 unable to connect")
    k = L.SmsLog(cm, F.WCM, 5020)
    F.wcm_check(k, U("2025-01-22 13:30:00.100"), sup.fqdn)
    F.wcm_check(k, U("2025-01-22 14:30:00.200"), sup.fqdn, error=(
        "System.Net.WebException: Unable to connect to the remote server ---> System.Net.Sockets.SocketException: "
        "A connection attempt failed because the connected party did not properly respond after a period of time, "
        "or established connection failed because connected host has failed to respond 10.77.3.44:8530~~   at "
        "System.Net.Sockets.Socket.DoConnect(EndPoint endPointSnapshot, SocketAddress socketAddress)"))
    c.write("Logs/WCM.log", k.text().replace("  $$<", " $$<"), "SMS trace (pasted)", "ascii", "\n")
    c.write("ping.txt", "\n".join([
        "C:\\>ping CHI-SUP04.mw.lakeshorebank.com", "",
        "Pinging CHI-SUP04.mw.lakeshorebank.com [10.77.3.44] with 32 bytes of data:",
        "Request timed out.", "Request timed out.", "Request timed out.", "Request timed out.", "",
        "Ping statistics for 10.77.3.44:", "    Packets: Sent = 4, Received = 0, Lost = 4 (100% loss),", ""]) + "\n",
        "console copy (generic text)", "ascii")
    s.write("Get-Service.txt", "\n".join([""] + A.table(["Status", "Name", "DisplayName"], [
        ("Running", "W3SVC", "World Wide Web Publishing Service"),
        ("Running", "WAS", "Windows Process Activation Service"),
        ("Running", "WsusService", "WSUS Service"),
        ("Running", "MSSQL$MICROSOFT##WID", "Windows Internal Database")], [8, 20, 40]) + ["", ""]) + "\n",
        "Get-Service table", "ascii")
    s.write("ipconfig.txt", "\n".join([
        "Windows IP Configuration", "", "Ethernet adapter Ethernet0:", "",
        "   Connection-specific DNS Suffix  . : mw.lakeshorebank.com",
        "   IPv4 Address. . . . . . . . . . . : 10.77.5.44",
        "   Subnet Mask . . . . . . . . . . . : 255.255.255.0",
        "   Default Gateway . . . . . . . . . : 10.77.5.1", ""]) + "\n", "ipconfig (generic text)", "ascii")
    pool = L.client_pool(rng, "10.77.5", 10, (L.UA_WIN10,))
    reqs = L.background(rng, U("2025-01-22 06:00:00"), U("2025-01-22 20:00:00"), pool, (8, 20))
    reqs += L.api_auth(rng, U("2025-01-22 08:00:02.400"), cm.ip, "LSB\\CHI-CM01$")
    s.write("IIS/W3SVC1/u_ex250122.log", L.iis_log([(U("2025-01-22 06:00:00"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C", "utf-8")


# ====================================================================== K13
def a13(incident):
    inc = incident("A13-K13-dss-iusr-guests", ["K13"],
                   "the CAS SUP's IUSR was put in a deny group: DssAuthWebService returns 401.3 to "
                   "the child SUP; parent-requested syncs fail (bias -600)")
    rng = Rng(1013)
    pri = Host("BNE-PRI01", "au.coralsea.net", "10.30.0.10", "Australia/Brisbane", "site-server", "E. Australia Standard Time")
    sup = Host("BNE-SUP01", "au.coralsea.net", "10.30.0.21", "Australia/Brisbane", "wsus-server", "E. Australia Standard Time")
    cas = Host("SYD-CASSUP", "au.coralsea.net", "10.10.0.21", "Australia/Sydney", "wsus-server", "AUS Eastern Standard Time")
    p = inc.bundle(pri, "site-server", collected=U("2024-11-12 06:00:00"))
    s = inc.bundle(sup, "wsus-server", collected=U("2024-11-12 06:05:00"))
    cb = inc.bundle(cas, "wsus-server", archive="tar.gz", collected=U("2024-11-12 06:10:00"))
    w = L.SmsLog(pri, F.SYNC, 4420, site="BNE", pid=2016)
    msg = ("DssAuthenticationError: WebException: The request failed with HTTP status 401: Unauthorized.~~at "
           "System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(SoapClientMessage message, "
           "WebResponse response, Stream responseStream, Boolean asyncCall)")
    for i, hh in enumerate((1, 2, 3)):
        F.wsync_cycle(w, pri, sup.fqdn, "BNE", U("2024-11-12 %02d:05:11.%03d" % (hh, rng.randint(0, 999))),
                      "parent request" if i == 0 else "retry schedule", fail=("wsus", msg, F.SRC_SYNCWSUS),
                      pre=["Found parent sync notification file BNE.SYN."] if i == 0 else ())
    p.write("Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG", "utf-8-bom")
    inc.ev("K13", p, "Logs/wsyncmgr.log", "Sync failed: DssAuthenticationError", "6703 DssAuthenticationError 401")
    S = []
    for hh in (1, 2, 3):
        t = U("2024-11-12 %02d:05:13.%03d" % (hh, rng.randint(0, 999)))
        S.append((t, "Info", "WsusService.30", "EventLogEventReporter.ReportEvent",
                  "EventId=382,Type=Information,Category=Synchronization,Message=A manual synchronization was started."))
        S.append((t + td(seconds=9), "Error", "WsusService.30", "CatalogSyncAgentCore.ExecuteSyncProtocol",
                  "DssAuthenticationError: WebException: The request failed with HTTP status 401: Unauthorized. "
                  "(upstream https://SYD-CASSUP.au.coralsea.net:8531)",
                  ["   at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(SoapClientMessage message, WebResponse response, Stream responseStream, Boolean asyncCall)",
                   "   at Microsoft.UpdateServices.ServerSync.DssAuthorization.GetAuthCookie()"]))
    s.write("LogFiles/SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "utf-8-bom")
    pool = L.client_pool(rng, "10.10.20", 10, (L.UA_WIN10, L.UA_WIN11))
    reqs = L.background(rng, U("2024-11-11 23:00:00"), U("2024-11-12 05:50:00"), pool, (5, 14), port=8531)
    for hh in (1, 2, 3):
        t = U("2024-11-12 %02d:05:20" % hh)
        reqs.append(Req(t, sup.ip, "POST", "/ServerSyncWebService/ServerSyncWebService.asmx", 200, ua=L.UA_API, port=8531))
        reqs.append(Req(t + td(seconds=1), sup.ip, "POST", L.EP_DSS, 401, 3, 5, ua=L.UA_API, port=8531))
    cb.write("IIS/W3SVC1/u_ex241111.log", L.iis_log([(U("2024-11-11 23:00:00"), L.IIS_F1,
                                                      [r for r in reqs if r.t < U("2024-11-12 00:00:00")])], cas.ip, rng, cas.name),
             "IIS W3C (in .tar.gz)", "utf-8")
    cb.write("IIS/W3SVC1/u_ex241112.log", L.iis_log([(U("2024-11-12 00:00:00"), L.IIS_F1,
                                                      [r for r in reqs if r.t >= U("2024-11-12 00:00:00")])], cas.ip, rng, cas.name),
             "IIS W3C (in .tar.gz)", "utf-8")
    cb.write("net_localgroup_guests.txt", "\n".join([
        "C:\\>net localgroup \"Deny-Web-Logon\"", "Alias name     Deny-Web-Logon",
        "Comment        Hardening baseline 2024.10: accounts denied network logon", "", "Members", "",
        "-------------------------------------------------------------------------------",
        "Guests", "IUSR", "The command completed successfully.", ""]) + "\n", "net localgroup (generic text)", "ascii")


# ====================================================================== K17
def a17(incident):
    inc = incident("A17-K17-cmtrace-sdm-sql-errors", ["K17"],
                   "SQL Server on the site server runs out of worker threads during the SMS database "
                   "sync: sp_SetupSDMPackage error 12, DCM digest invalid schema (CMTrace layout)")
    rng = Rng(1017)
    h = Host("JNB-CM01", "za.karoominerals.co.za", "10.90.0.10", "Africa/Johannesburg", "site-server+wsus-server",
             "South Africa Standard Time")
    b = inc.bundle(h, "site-server+wsus-server", collected=U("2025-05-06 09:00:00"))
    w = L.SmsLog(h, F.SYNC, 6620, site="KRM", pid=4012)
    F.wsync_cycle(w, h, h.fqdn, "KRM", U("2025-05-05 02:00:01.300"))
    t = U("2025-05-06 02:00:00.812")
    w.at(t)
    w.add("Starting Sync", 100).add("Performing sync on regular schedule", 2)
    w.stat(6701, "I", dt_ms=40)
    w.add("Synchronizing WSUS server %s ..." % h.fqdn, 1100)
    w.add("sync: Starting WSUS synchronization", 400)
    w.add("Done synchronizing WSUS Server %s" % h.fqdn, 160000)
    w.stat(6705, "I", dt_ms=30)
    w.add("Synchronizing SMS database with WSUS server %s ..." % h.fqdn, 25)
    for kb, title in (("KB5058379", "2025-05 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems"),
                      ("KB5058385", "2025-05 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems"),
                      ("KB5055627", "2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems")):
        g = rng.guid()
        w.add("Synchronizing update %s - %s (%s)" % (g, title, kb), 1900)
        w.add("*** [42000][8645][Microsoft][ODBC Driver 18 for SQL Server][SQL Server]A timeout occurred while waiting "
              "for memory resources to execute the query in resource pool 'default' (2). Rerun the query. : spSetupSDMPackage", 30100)
        w.add("ERROR: sp_SetupSDMPackage returns an error 12 for Site_4C7D02B1/SUM_%s" % g, 3)
        w.add("DCM digest has invalid schema, Site_4C7D02B1/SUM_%s is skipped" % g, 2)
        w.add("Failed to sync update %s. Error: Failed to insert SDM CI %s into the database Source: "
              "Microsoft.SystemsManagementServer.SoftwareUpdatesManagement.WsusSyncAction.WSyncAction.SyncUpdates" % (g, g), 4)
    w.add("sync: SMS synchronizing updates, processed 412 out of 415 items (99%)", 9000)
    w.add("Done synchronizing SMS with WSUS Server %s" % h.fqdn, 900)
    w.add("Sync partially succeeded; 3 updates failed to sync. Setting sync alert to active state on site KRM", 50)
    w.stat(6702, "I", dt_ms=15)
    b.write("Logs/wsyncmgr.log", L.cmtrace(h, A.sms_to_cm(w)), "wsyncmgr.log in CMTrace layout")
    inc.ev("K17", b, "Logs/wsyncmgr.log", "sp_SetupSDMPackage returns an error", "sp_SetupSDMPackage error 12")
    ev = []
    for i in range(3):
        ev.append((U("2025-05-06 02:03:10") + td(seconds=34 * i), "MSSQLSERVER", 701, 2, "Application",
                   "There is insufficient system memory in resource pool 'default' to run this query.", 55120 + i))
    ev.append((U("2025-05-06 01:58:40"), "MSSQLSERVER", 17890, 3, "Application",
               "A significant part of sql server process memory has been paged out. This may result in a performance "
               "degradation. Duration: 0 seconds. Working set (KB): 1203112, committed (KB): 9881044, memory utilization: 12%.", 55118))
    b.write("Events/Application-SQL.csv", A.evt_csv(h, ev), "Get-WinEvent | Export-Csv (en-ZA as en-US)", "ascii")
