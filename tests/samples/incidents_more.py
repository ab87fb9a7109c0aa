"""incidents_more.py -- sample incidents K07, K08, K09, K10, K11, K12, K13, K17."""

import samplelib as L
from samplelib import U, td, Host, Rng, Req
import cmflows as F

import gen_samples as G
from incidents_faults import apphost, wsuspool


def build(incident):
    k07(incident)
    k08(incident)
    k09(incident)
    k10(incident)
    k11(incident)
    k12(incident)
    k13(incident)
    k17(incident)


def wu10_scan(W, t, pid, tid, comapi_tid, sup_url, sid, fail=None, fail_at=None, found=(0, 71),
              caller="CcmExec", cv="Zq8pLr0vE0aC5e2H"):
    """Get-WindowsUpdateLog lines of one scan (Windows 10/11 client)."""
    def a(tt, comp, msg, th=tid):
        W.append((tt, pid, th, comp, msg))
    a(t, "ComApi", "* START *   Federated Search ClientId = %s (cV: %s.1.0)" % (caller, cv), comapi_tid)
    a(t + td(milliseconds=9), "Agent", "* START * Queueing Finding updates [CallerId = %s  Id = %d]" % (caller, sid), comapi_tid)
    a(t + td(milliseconds=21), "Agent", "* START * Finding updates CallerId = %s  Id = %d" % (caller, sid))
    a(t + td(milliseconds=21), "Agent", "Online = Yes; Interactive = No; AllowCachedResults = No; Ignore download priority = No")
    a(t + td(milliseconds=22), "Agent", "ServiceID = %s Managed" % F.MU_SERVICE)
    a(t + td(milliseconds=22), "Agent", "Search Scope = {Machine}")
    a(t + td(milliseconds=23), "Agent", "Caller SID for Applicability: S-1-5-18")
    a(t + td(milliseconds=31), "Misc", "Got WSUS Client/Server URL: %s/ClientWebService/client.asmx\"\"" % sup_url)
    a(t + td(milliseconds=410), "ProtocolTalker", "OK to reuse existing configuration")
    if fail:
        code, http, text, where = fail
        ft = fail_at or t + td(seconds=1, milliseconds=220)
        if where == "SimpleAuth":
            a(t + td(milliseconds=411), "ProtocolTalker", "Cached cookie has expired or new PID is available")
            a(t + td(milliseconds=412), "ProtocolTalker", "Initializing simple targeting cookie, clientId = %s, target group = , DNS name = %s" % (
                "7c3f1e8a-55d2-4b61-9c0e-2a8d4f6b1e90", sup_url.split("//")[1].split(":")[0].lower()))
            a(t + td(milliseconds=412), "ProtocolTalker", "  Server URL = %s/SimpleAuthWebService/SimpleAuth.asmx" % sup_url)
        if http is None:
            for line in text:
                a(ft, "WebServices", line)
        else:
            a(ft, "WebServices", "WS error: The server returned HTTP status code '%s (0x%X)' with text '%s'." % (http, int(http), text))
        a(ft, "WebServices", "Web service call failed with hr = %s." % code.lower())
        a(ft, "WebServices", "Current service auth scheme=0.")
        a(ft, "WebServices", "Current Proxy auth scheme=0.")
        if where == "SimpleAuth":
            for step in ("GetAuthorizationCookie", "Initialize simple targeting cookie", "PopulateAuthCookies",
                         "RefreshCookie", "RefreshPTState"):
                a(ft + td(milliseconds=1), "ProtocolTalker", "*FAILED* [%s] %s" % (code, step))
        else:
            a(ft + td(milliseconds=1), "ProtocolTalker", "*FAILED* [%s] %s_WithRecovery failed" % (code, where))
        a(ft + td(milliseconds=2), "ProtocolTalker", "*FAILED* [%s] Sync of Updates" % code)
        a(ft + td(milliseconds=2), "ProtocolTalker", "*FAILED* [%s] SyncServerUpdatesInternal failed" % code)
        a(ft + td(milliseconds=3), "Agent", "*FAILED* [%s] Synchronize [ClientId = %s]" % (code, caller))
        a(ft + td(milliseconds=3), "Agent", "Exit code = 0x%s" % code)
        a(ft + td(milliseconds=3), "Agent", "* END * Finding updates CallerId = %s  Id = %d" % (caller, sid))
        a(ft + td(milliseconds=11), "ComApi", "*RESUMED* Search ClientId = %s" % caller, comapi_tid)
        a(ft + td(milliseconds=12), "ComApi", "Exit code = 0x00000000, Result code = 0x%s" % code, comapi_tid)
        a(ft + td(milliseconds=12), "ComApi", "* END *   Search ClientId = %s" % caller, comapi_tid)
        return ft
    a(t + td(milliseconds=411), "ProtocolTalker", "Existing cookie is valid, just use it")
    a(t + td(milliseconds=412), "ProtocolTalker", "PTInfo: Server requested registration")
    end = t + td(seconds=6, milliseconds=480)
    a(end - td(milliseconds=40), "ProtocolTalker", "SyncUpdates round trips: 2")
    a(end, "Agent", "Found %d updates and %d categories in search; evaluated appl. rules of 1864 out of 3011 deployed entities" % found)
    a(end + td(milliseconds=2), "Agent", "* END * Finding updates CallerId = %s  Id = %d" % (caller, sid))
    a(end + td(milliseconds=11), "ComApi", "*RESUMED* Search ClientId = %s" % caller, comapi_tid)
    a(end + td(milliseconds=11), "ComApi", "Updates found = %d" % found[0], comapi_tid)
    a(end + td(milliseconds=12), "ComApi", "Exit code = 0x00000000, Result code = 0x00000000", comapi_tid)
    a(end + td(milliseconds=12), "ComApi", "* END *   Search ClientId = %s" % caller, comapi_tid)
    return end


# ====================================================================== K07

def k07(incident):
    inc = incident("K07-iis-403-404-500-per-endpoint", ["K7"],
                   "an IIS hardening script applied in stages breaks one WSUS endpoint "
                   "after another: 404, 500, 401, 403")
    rng = Rng(707)
    Z = "America/Los_Angeles"
    sup = Host("PCW-SUP01", "ad.pinecrest-county.org", "10.60.1.25", Z, "wsus-server", "Pacific Standard Time")
    lt = Host("PCW-LT-0193", "ad.pinecrest-county.org", "10.60.12.193", Z, "client", "Pacific Standard Time")
    rds = Host("PCW-RDS-04", "ad.pinecrest-county.org", "10.60.3.14", Z, "client", "Pacific Standard Time")
    ki = Host("PCW-KIOSK-11", "ad.pinecrest-county.org", "10.60.40.11", Z, "client", "Pacific Standard Time")
    inc.bundle("PCW-SUP01", sup, "wsus-server", archive="zip-nested", collected=U("2025-05-14 17:20:10"))
    for h in (lt, rds, ki):
        inc.bundle(h.name, h, "client", collected=U("2025-05-14 17:31:00"))
    url = "http://PCW-SUP01.ad.pinecrest-county.org:8530"
    sid = "1522940306"
    src_guid = "{%s}" % rng.guid(upper=True)

    def rules(t):
        f = {}
        if U("2025-05-14 15:40:12") <= t < U("2025-05-14 16:08:31"):
            f[L.EP_SIMPLE] = (404, 0, 2)
        if U("2025-05-14 16:05:02") <= t < U("2025-05-14 16:45:10"):
            f[L.EP_CLIENT] = (500, 0, 0)
        if t >= U("2025-05-14 15:40:12"):
            f[L.EP_REPORT] = (401, 2, 5)
        if t >= U("2025-05-14 17:02:20"):
            f[L.EP_SELF] = (403, 4, 5)
        return f
    pool = L.client_pool(rng, "10.60.12", 10, (L.UA_WIN11, L.UA_WIN10)) + \
        L.client_pool(rng, "10.60.40", 4, (L.UA_WIN10,)) + L.client_pool(rng, "10.60.3", 3, (L.UA_2012R2,))
    reqs = L.background(rng, U("2025-05-14 00:00:41"), U("2025-05-14 17:19:00"), pool,
                        gap_min=(9, 19), rules=rules)
    reqs = [r for r in reqs if r.cip not in (lt.ip, rds.ip, ki.ip)]
    # the three clients of the bundle, at the minutes their logs fail
    reqs += L.scan_seq(rng, U("2025-05-14 15:52:16.700"), lt.ip, L.UA_WIN11, selfupdate=False,
                       fail=rules(U("2025-05-14 15:52:16")))
    reqs += L.scan_seq(rng, U("2025-05-14 16:17:37.020"), rds.ip, L.UA_2012R2,
                       fail=rules(U("2025-05-14 16:17:37")))
    reqs += L.scan_seq(rng, U("2025-05-14 16:57:58.100"), ki.ip, L.UA_WIN10, selfupdate=False,
                       fail=rules(U("2025-05-14 16:57:58")))
    reqs += L.scan_seq(rng, U("2025-05-14 17:08:41.300"), rds.ip, L.UA_2012R2,
                       fail=rules(U("2025-05-14 17:08:41")))
    reqs += L.scan_seq(rng, U("2025-05-14 11:02:10.000"), lt.ip, L.UA_WIN11, selfupdate=False)
    reqs += L.scan_seq(rng, U("2025-05-14 13:41:52.000"), rds.ip, L.UA_2012R2)
    reqs += L.scan_seq(rng, U("2025-05-14 14:20:33.000"), ki.ip, L.UA_WIN10, selfupdate=False)
    for hh in range(0, 17):
        reqs += L.api_auth(rng, U("2025-05-14 %02d:31:05.%03d" % (hh, rng.randint(0, 999))), "10.60.1.10",
                           "PINECREST\\PCW-CM01$")
    iis = "IISLogs.zip/W3SVC%s/u_ex250514.log" % sid
    inc.write("PCW-SUP01", iis, L.iis_log([(U("2025-05-14 00:00:41"), L.IIS_F1, reqs)], sup.ip, rng, sup.fqdn),
              "IIS W3C (nested zip)", "utf-8")
    dws = [Req(U("2025-05-14 %02d:%02d:%02d" % (hh, rng.randint(0, 59), rng.randint(0, 59))), "10.60.1.5",
               "GET", "/", 200, ua="Mozilla/5.0+(Windows+NT;+Windows+NT+10.0;+en-US)+WindowsPowerShell/5.1.17763.6414",
               port=80) for hh in range(0, 17, 2)]
    inc.write("PCW-SUP01", "IISLogs.zip/W3SVC1/u_ex250514.log",
              L.iis_log([(U("2025-05-14 00:41:12"), L.IIS_F1, dws)], sup.ip, rng, sup.fqdn),
              "IIS W3C (nested zip)", "utf-8")
    inc.ev("K7", "PCW-SUP01", iis, "/SimpleAuthWebService/SimpleAuth.asmx - 8530 - 10.60.12.193 %s - 404 0 2" % L.UA_WIN11, "404 0 2 on SimpleAuth (app removed)")
    inc.ev("K7", "PCW-SUP01", iis, "/ClientWebService/client.asmx - 8530 - 10.60.3.14 %s - 500" % L.UA_2012R2, "500 0 0 on ClientWebService (trust level Medium)")
    inc.ev("K7", "PCW-SUP01", iis, "/ReportingWebService/ReportingWebService.asmx - 8530 - 10.60.40.11 %s - 401 2 5" % L.UA_WIN10, "401 2 5 on ReportingWebService, never followed by 200")
    inc.ev("K7", "PCW-SUP01", iis, "/selfupdate/wuident.cab - 8530 - 10.60.3.14 %s - 403" % L.UA_2012R2, "403 4 5 on /selfupdate (SSL required)")

    appcmd = """C:\\Windows\\System32\\inetsrv>appcmd list app /site.name:"WSUS Administration"
APP "WSUS Administration/" (applicationPool:WsusPool)
APP "WSUS Administration/ApiRemoting30" (applicationPool:WsusPool)
APP "WSUS Administration/ClientWebService" (applicationPool:WsusPool)
APP "WSUS Administration/DssAuthWebService" (applicationPool:WsusPool)
APP "WSUS Administration/ServerSyncWebService" (applicationPool:WsusPool)
APP "WSUS Administration/SimpleAuthWebService" (applicationPool:WsusPool)

C:\\Windows\\System32\\inetsrv>appcmd list config "WSUS Administration/ClientWebService" -section:system.web/trust
<system.web>
  <trust level="Full" />
</system.web>

C:\\Windows\\System32\\inetsrv>appcmd list config "WSUS Administration/ReportingWebService" -section:anonymousAuthentication
<system.webServer>
  <security>
    <authentication>
      <anonymousAuthentication enabled="false" userName="" />
    </authentication>
  </security>
</system.webServer>

C:\\Windows\\System32\\inetsrv>appcmd list config "WSUS Administration/selfupdate" -section:access
<system.webServer>
  <security>
    <access sslFlags="Ssl" />
  </security>
</system.webServer>

C:\\Windows\\System32\\inetsrv>
"""
    inc.write("PCW-SUP01", "appcmd_config.txt", appcmd, "appcmd output", "ascii")
    notes = """IIS hardening (CIS IIS 10 L1) on PCW-SUP01 - change CHG-7719, script Harden-IIS.ps1 run in stages
All times PDT (UTC-7).
08:40  stage 1: "remove unused applications" -> removed WSUS Administration/SimpleAuthWebService (!)
       stage 1: anonymous authentication disabled on all apps except / (ReportingWebService included)
09:05  stage 2: <trust level="Medium"/> on .NET apps (ClientWebService) -> HTTP 500 for every client
09:08  SimpleAuthWebService re-created: appcmd add app /site.name:"WSUS Administration" /path:/SimpleAuthWebService ...
09:45  ClientWebService trust level back to Full
10:02  stage 3: sslFlags=Ssl on /selfupdate (clients use http://...:8530) -> 403.4
10:15  ReportingWebService anonymous auth still disabled, /selfupdate still SSL-only. To do: revert both.
Clients with errors: PCW-LT-0193 (0x80244019), PCW-RDS-04 (0x8024401F, later 0x80244018),
PCW-KIOSK-11 (0x80244017 when reporting).
"""
    inc.write("PCW-SUP01", "change_notes.txt", notes, "generic text (change notes)", "utf-8")
    S = []
    t = U("2025-05-14 16:05:03.119")
    for k in range(6):
        S.append((t, "Error", "w3wp.%d" % (21 + k % 3), "ClientImplementation..ctor",
                  "System.Security.SecurityException: Request for the permission of type "
                  "'System.Security.Permissions.RegistryPermission, mscorlib, Version=4.0.0.0, "
                  "Culture=neutral, PublicKeyToken=b77a5c561934e089' failed.",
                  ["   at System.Security.CodeAccessSecurityEngine.Check(Object demand, StackCrawlMark& stackMark, Boolean isPermSet)",
                   "   at Microsoft.Win32.RegistryKey.CheckPermission(RegistryInternalCheck check, String item, Boolean subKeyWritable, RegistryKeyPermissionCheck subKeyCheck)",
                   "   at Microsoft.UpdateServices.Internal.ClientImplementation..ctor()",
                   "The action that failed was:", "Demand",
                   "The type of the first permission that failed was:",
                   "System.Security.Permissions.RegistryPermission", ""]))
        t += td(minutes=rng.randint(4, 8), seconds=rng.randint(0, 59), milliseconds=rng.randint(0, 999))
    inc.write("PCW-SUP01", "SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "utf-8-bom")

    # ---- PCW-LT-0193 (Windows 11): 404 on SimpleAuth -> 80244019
    W = []
    wu10_scan(W, U("2025-05-14 11:02:09.402"), 3904, 7716, 5520, url, 41)
    wu10_scan(W, U("2025-05-14 15:52:15.981"), 3904, 8012, 5520, url, 42,
              fail=("80244019", "404", "Not Found", "SimpleAuth"), fail_at=U("2025-05-14 15:52:17.204"))
    W.sort(key=lambda r: r[0])
    inc.write("PCW-LT-0193", "WindowsUpdate.log", L.wu10(lt, W), "Get-WindowsUpdateLog", "ascii")
    inc.ev("K7", "PCW-LT-0193", "WindowsUpdate.log", "Web service call failed with hr = 80244019",
           "0x80244019 (HTTP 404) at 08:52:17 local = 15:52:17 UTC")
    th = (6120, 3348, 9016)
    C = []
    r, cur = F.wua_scan(U("2025-05-14 11:02:08.100"), url, src_guid, th, rng=rng)
    C += F.wua_end(r, cur, U("2025-05-14 11:02:16.090"), None, th)
    r, cur = F.wua_scan(U("2025-05-14 15:52:14.700"), url, src_guid, th, rng=rng)
    C += F.wua_end(r, cur, U("2025-05-14 15:52:17.260"), "80244019", th)
    inc.write("PCW-LT-0193", "CCM/Logs/WUAHandler.log", L.cmtrace(lt, C), "CMTrace")
    # UpdatesDeployment.log: collected as the last 4 KB, so it starts mid-record
    asg = "{%s}" % rng.guid(upper=True)
    msg = ("Message received: '<?xml version='1.0' ?>\n<SoftwareUpdatesMessage MessageType='EvaluateAssignments'>\n"
           "    <AssignmentID>%s</AssignmentID>\n    <AssignmentID>{%s}</AssignmentID>\n"
           "</SoftwareUpdatesMessage>'" % (asg, rng.guid(upper=True)))
    R = [(U("2025-05-14 11:01:58.311"), "UpdatesDeploymentAgent", msg, 1, 6120, "updatesmanager.cpp:420"),
         (U("2025-05-14 11:01:58.327"), "UpdatesDeploymentAgent", "EvaluateAssignments - Evaluating 2 assignments", 1, 6120, "updatesmanager.cpp:478"),
         (U("2025-05-14 11:02:16.402"), "UpdatesDeploymentAgent", "Assignment %s has total CI = 14" % asg, 1, 6120, "updatesmanager.cpp:1036"),
         (U("2025-05-14 11:02:16.421"), "UpdatesDeploymentAgent", "EnumerateUpdates for action (UpdateActionInstall) - Total actionable updates = 0", 1, 6120, "updatesmanager.cpp:1209"),
         (U("2025-05-14 15:52:13.880"), "UpdatesDeploymentAgent", msg, 1, 8868, "updatesmanager.cpp:420"),
         (U("2025-05-14 15:52:13.896"), "UpdatesDeploymentAgent", "EvaluateAssignments - Evaluating 2 assignments", 1, 8868, "updatesmanager.cpp:478"),
         (U("2025-05-14 15:52:17.301"), "UpdatesDeploymentAgent", "Failed to scan for updates (0x80244019)", 3, 8868, "updatesmanager.cpp:1112"),
         (U("2025-05-14 15:52:17.302"), "UpdatesDeploymentAgent", "Detection job ({%s}) failed. Error = 0x80244019." % rng.guid(upper=True), 3, 8868, "updatesmanager.cpp:1118")]
    full = L.cmtrace(lt, R)
    cut = full.index("<AssignmentID>") + 5        # a size-capped copy: starts inside record 1
    inc.write("PCW-LT-0193", "CCM/Logs/UpdatesDeployment.log", full[cut:], "CMTrace (starts mid-record, no BOM)", "utf-8")
    inc.ev("K7", "PCW-LT-0193", "CCM/Logs/UpdatesDeployment.log", "Detection job", "detection job fails 0x80244019")

    # ---- PCW-RDS-04 (Server 2012 R2, legacy log, tz: -0700): 500 then 403
    R = []
    R += L.wu_banner(rds, U("2025-05-12 06:31:19.022"), 916, 0x398)
    R += [(U("2025-05-12 06:31:19.204"), 916, 0x398, "Service", "** START **  Service: Service startup"),
          (U("2025-05-12 06:32:05.773"), 916, 0x398, "Agent", "  * WSUS server: %s" % url),
          (U("2025-05-12 06:32:05.773"), 916, 0x398, "Agent", "  * WSUS status server: %s" % url)]
    for t, code in (("2025-05-14 13:41:51.760", None), ("2025-05-14 16:17:36.804", "8024401F"),
                    ("2025-05-14 17:08:41.012", "80244018")):
        recs, end = F.wu_scan_legacy(rds, U(t), 916, 0x1b30, 0x8c4, url, fail=code, rng=rng)
        R += recs
    R.sort(key=lambda r: r[0])
    inc.write("PCW-RDS-04", "Windows/WindowsUpdate.log", L.wu_legacy(rds, R), "WindowsUpdate.log legacy", "cp1252")
    inc.ev("K7", "PCW-RDS-04", "Windows/WindowsUpdate.log", "HTTP status code = 500", "GetConfig 0x8024401F (HTTP 500) at 09:17 -0700")
    inc.ev("K7", "PCW-RDS-04", "Windows/WindowsUpdate.log", "FATAL: SelfUpdate check failed, err = 0x80244018", "selfupdate 0x80244018 (HTTP 403)")

    # ---- PCW-KIOSK-11 (Windows 10): scan fine, reporting 401 -> 80244017
    W = []
    wu10_scan(W, U("2025-05-14 14:20:32.500"), 1216, 4410, 7702, url, 88)
    end = wu10_scan(W, U("2025-05-14 16:57:57.900"), 1216, 4410, 7702, url, 89)
    rt = U("2025-05-14 16:58:03.118")
    for tt, comp, m in (
            (rt, "Reporter", "Uploading 4 events using cached cookie, reporting URL = %s/ReportingWebService/ReportingWebService.asmx" % url),
            (rt + td(milliseconds=236), "WebServices", "WS error: The server returned HTTP status code '401 (0x191)' with text 'Unauthorized'."),
            (rt + td(milliseconds=236), "WebServices", "Web service call failed with hr = 80244017."),
            (rt + td(milliseconds=236), "WebServices", "Current service auth scheme=0."),
            (rt + td(milliseconds=237), "Reporter", "*FAILED* [80244017] Method failed [CWUReporter::UploadEvents:1137]"),
            (rt + td(milliseconds=238), "Reporter", "Reporter failed to upload events with hr = 80244017."),
            (rt + td(milliseconds=240), "Reporter", "Will retry event upload in 15 minutes")):
        W.append((tt, 1216, 6020, comp, m))
    W.sort(key=lambda r: r[0])
    inc.write("PCW-KIOSK-11", "WindowsUpdate.log", L.wu10(ki, W), "Get-WindowsUpdateLog", "ascii")
    inc.ev("K7", "PCW-KIOSK-11", "WindowsUpdate.log", "hr = 80244017", "reporting fails 0x80244017 (HTTP 401) at 09:58:03 local")
    C = []
    th = (2204, 5116, 3390)
    r, cur = F.wua_scan(U("2025-05-14 16:57:56.610"), url, src_guid, th, rng=rng)
    C += F.wua_end(r, cur, U("2025-05-14 16:58:04.470"), None, th)
    inc.write("PCW-KIOSK-11", "CCM/Logs/WUAHandler.log", L.cmtrace(ki, C), "CMTrace")
    inc.fix("K7", G.ART002, "Code definitions")


# ====================================================================== K08

def k08(incident):
    inc = incident("K08-client-wrong-wsus-server", ["K8"],
                   "after the SUP migration a leftover GPO still points a file server at "
                   "OLDWSUS01; it never reaches SUP01")
    rng = Rng(808)
    Z = "Europe/Berlin"
    sup = Host("SUP01", "ad.alpenblick.de", "10.81.0.21", Z, "wsus-server", "W. Europe Standard Time")
    cli = Host("ABV-FS02", "ad.alpenblick.de", "10.81.4.23", Z, "client", "W. Europe Standard Time")
    inc.bundle("SUP01", sup, "wsus-server", collected=U("2025-03-31 08:52:00"))
    inc.bundle("ABV-FS02", cli, "client", collected=U("2025-03-31 08:35:27"))
    old = "http://OLDWSUS01:8530"
    new = "http://SUP01.ad.alpenblick.de:8530"
    src_guid = "{%s}" % rng.guid(upper=True)

    # ---- registry export, UTF-16LE BOM CRLF
    reg = """Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]
"WUServer"="%(old)s"
"WUStatusServer"="%(old)s"
"UpdateServiceUrlAlternate"=""
"TargetGroupEnabled"=dword:00000001
"TargetGroup"="Server-Dateidienste"
"DoNotConnectToWindowsUpdateInternetLocations"=dword:00000001
"ElevateNonAdmins"=dword:00000000

[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]
"UseWUServer"=dword:00000001
"AUOptions"=dword:00000004
"NoAutoUpdate"=dword:00000000
"ScheduledInstallDay"=dword:00000007
"ScheduledInstallTime"=dword:00000001
"NoAutoRebootWithLoggedOnUsers"=dword:00000001
"DetectionFrequencyEnabled"=dword:00000001
"DetectionFrequency"=dword:00000016

[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate]
"SusClientId"="5e3b8f1a-0c47-4d92-b6a1-93f0d2c7e418"
"SusClientIdValidation"=hex:06,02,00,00,00,00,00,00,0c,6a,4b,18,c9,7e,a2,55,13,\\
  42,00,4d,00,57,00,41,00,52,00,45,00,2d,00,35,00,36,00,20,00,34,00,64,00,20,\\
  00,61,00,39,00,20,00,33,00,31,00,20,00,65,00,31,00,00,00
"AccountDomainSid"="S-1-5-21-2208165473-1604032911-3481725905"
"PingID"="b2d1f9e0-7a33-4c58-8e41-6f0c5a2d97b3"

""" % dict(old=old)
    inc.write("ABV-FS02", "Registry/WindowsUpdate.reg", reg, ".reg export (regedit)", "utf-16le-bom")
    inc.ev("K8", "ABV-FS02", "Registry/WindowsUpdate.reg", '"WUServer"="http://OLDWSUS01:8530"',
           "policy WUServer is the decommissioned OLDWSUS01, not SUP01")

    # ---- LocationServices: .lo_ (February, old SUP) and .log (March, SUP01)
    def loc(t, path, th, req):
        return [(t, "LocationServices", "Calling back with the following WSUS locations", 1, th, "lsad.cpp:3941"),
                (t + td(milliseconds=1), "LocationServices", "WSUS Path='%s', Server Version='%s', Distribution Point='No'" % (
                    path[0], path[1]), 1, th, "lsad.cpp:3955"),
                (t + td(milliseconds=2), "LocationServices", "Calling back with locations for WSUS request %s" % req, 1, th, "lsad.cpp:3961")]
    R = []
    for d, hh in (("2025-02-10", 7), ("2025-02-11", 7), ("2025-02-12", 7), ("2025-02-13", 7)):
        t = U("%s %02d:%02d:%02d.%03d" % (d, hh, rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999)))
        R.append((t - td(seconds=2), "LocationServices", "Current AD site of machine is Muenchen-HQ", 1, 3212, "lsad.cpp:7217"))
        R += loc(t, ("http://OLDWSUS01.ad.alpenblick.de:8530", "3.2.7600.283"), 3212, "{%s}" % rng.guid(upper=True))
    inc.write("ABV-FS02", "CCM/Logs/LocationServices.lo_", L.cmtrace(cli, R), "CMTrace (rotated .lo_)")
    inc.ev("K8", "ABV-FS02", "CCM/Logs/LocationServices.lo_", "OLDWSUS01", "before the migration the SUP was OLDWSUS01")
    R = []
    t = U("2025-02-19 07:02:41.660")
    R.append((t - td(seconds=2), "LocationServices", "Current AD site of machine is Muenchen-HQ", 1, 5504, "lsad.cpp:7217"))
    R += loc(t, ("http://OLDWSUS01.ad.alpenblick.de:8530", "3.2.7600.283"), 5504, "{%s}" % rng.guid(upper=True))
    R.append((U("2025-02-20 09:14:02.118"), "LocationServices", "Refreshing the Management Point List", 1, 5504, "lsad.cpp:2904"))
    for d in ("2025-03-28 05:40", "2025-03-29 05:41", "2025-03-30 05:39", "2025-03-31 05:42", "2025-03-31 08:31"):
        t = U("%s:%02d.%03d" % (d, rng.randint(0, 59), rng.randint(0, 999)))
        R.append((t - td(seconds=2), "LocationServices", "Current AD site of machine is Muenchen-HQ", 1, 5504, "lsad.cpp:7217"))
        R += loc(t, (new, "10.0.20348.2700"), 5504, "{%s}" % rng.guid(upper=True))
    inc.write("ABV-FS02", "CCM/Logs/LocationServices.log", L.cmtrace(cli, R), "CMTrace (bias -60 then -120)")

    # ---- WUAHandler: policy conflict 0x87d00692
    C = []
    for d in ("2025-03-28 05:40", "2025-03-29 05:41", "2025-03-30 05:39", "2025-03-31 05:42", "2025-03-31 08:31"):
        t = U("%s:%02d.%03d" % (d, rng.randint(0, 59), rng.randint(0, 999))) + td(seconds=5)
        C += [(t, "WUAHandler", "Its a WSUS Update Source type (%s), adding it." % src_guid, 1, 4420, "sourcemanager.cpp:1461"),
              (t + td(milliseconds=14), "WUAHandler", "This device is not enabled for Windows Update for Business.", 1, 4420, "sourcemanager.cpp:690"),
              (t + td(milliseconds=96), "WUAHandler", "Enabling WUA Managed server policy to use server: %s" % new, 1, 4420, "sourcemanager.cpp:1127"),
              (t + td(milliseconds=131), "WUAHandler", "Waiting for 2 mins for Group Policy to notify of WUA policy change...", 1, 4420, "sourcemanager.cpp:1174"),
              (t + td(minutes=2, milliseconds=190), "WUAHandler", "Waiting for 30 secs for policy to take effect on WU Agent.", 1, 4420, "sourcemanager.cpp:1189"),
              (t + td(minutes=2, seconds=30, milliseconds=250), "WUAHandler", "Group policy settings were overwritten by a higher authority (Domain Controller) to: Server %s and Policy ENABLED" % old, 2, 4420, "sourcemanager.cpp:1212"),
              (t + td(minutes=2, seconds=30, milliseconds=256), "WUAHandler", "Failed to Add Update Source for WUAgent of type (2) and id (%s). Error = 0x87d00692." % src_guid, 3, 4420, "cwuahandler.cpp:2371")]
    inc.write("ABV-FS02", "CCM/Logs/WUAHandler.log", L.cmtrace(cli, C), "CMTrace (bias -60 then -120)")
    inc.ev("K8", "ABV-FS02", "CCM/Logs/WUAHandler.log", "overwritten by a higher authority",
           "GPO forces http://OLDWSUS01:8530; 0x87d00692 on the next line")

    # ---- legacy WindowsUpdate.log, German titles (Windows-1252), banners +0100 / +0200
    R = []
    R += L.wu_banner(cli, U("2025-03-24 06:12:40.118"), 872, 0x3a0)
    R += [(U("2025-03-24 06:12:40.301"), 872, 0x3a0, "Service", "** START **  Service: Service startup"),
          (U("2025-03-24 06:12:40.655"), 872, 0x3a0, "Agent", "  * WU client version 7.9.9600.18756"),
          (U("2025-03-24 06:13:26.020"), 872, 0x3a0, "Agent", "  * WSUS server: %s" % old),
          (U("2025-03-24 06:13:26.020"), 872, 0x3a0, "Agent", "  * WSUS status server: %s" % old),
          (U("2025-03-24 06:13:26.020"), 872, 0x3a0, "Agent", "  * Target group: Server-Dateidienste")]
    for t in ("2025-03-28 03:22:10.511", "2025-03-29 03:40:02.207"):
        recs, end = F.wu_scan_legacy(cli, U(t), 872, 0x1e4c, 0xc10, old, caller="AutomaticUpdates", found=(2, 91), rng=rng)
        R += recs
    titles = ["Kumulatives Sicherheitsupdate für Internet Explorer 11 für Windows Server 2012 R2 für x64-basierte Systeme (KB5053570)",
              "2025-03 Monatliches Sicherheitsqualitätsrollup für Windows Server 2012 R2 für x64-basierte Systeme (KB5053887)"]
    t = U("2025-03-30 00:30:04.117")
    cid = "{%s}" % rng.guid(upper=True)
    ins = [("AU", "#############"), ("AU", "## START ##  AU: Install updates"), ("AU", "#########"),
           ("AU", "  # Initiating scheduled install"), ("AU", "  # Approved updates = 2"),
           ("AU", "<<## SUBMITTED ## AU: Install updates / installing updates [CallId = %s]" % cid),
           ("Agent", "*************"), ("Agent", "** START **  Agent: Installing updates [CallerId = AutomaticUpdates]"),
           ("Agent", "*********"), ("Agent", "  * Updates to install = 2")]
    for ti in titles:
        ins += [("Agent", "  *   Title = %s" % ti), ("Agent", "  *   UpdateId = {%s}.201" % rng.guid(upper=True))]
    for k, (comp, msg) in enumerate(ins):
        R.append((t + td(milliseconds=12 * k), 872, 0xc10 if comp == "AU" else 0x1e4c, comp, msg))
    t = U("2025-03-30 00:46:51.300")
    for ti in titles:
        R.append((t, 872, 0x1e4c, "Report", "REPORT EVENT: {%s}\t%s:%s+0100\t1\t183\t101\t{%s}\t201\t0\tAutomaticUpdates\tSuccess\tContent Install\tInstallation Successful: Windows successfully installed the following update: %s" % (
            rng.guid(upper=True), cli.local(t).strftime("%Y-%m-%d %H:%M:%S"), L.ms(cli.local(t)), rng.guid(upper=True), ti)))
        t += td(milliseconds=16)
    R += [(U("2025-03-30 00:46:52.010"), 872, 0x1e4c, "Agent", "  * Reboot required = Yes"),
          (U("2025-03-30 00:46:52.011"), 872, 0x1e4c, "Agent", "**  END  **  Agent: Installing updates [CallerId = AutomaticUpdates]"),
          (U("2025-03-30 00:46:52.402"), 872, 0xc10, "AU", "AU initiates service shutdown"),
          (U("2025-03-30 00:49:50.771"), 872, 0x3a0, "Service", "*********"),
          (U("2025-03-30 00:49:50.771"), 872, 0x3a0, "Service", "**  END  **  Service: Service exit [Exit code = 0x240001]"),
          (U("2025-03-30 00:49:50.771"), 872, 0x3a0, "Service", "*************")]
    # host maintenance kept the VM down across the DST switch (01:00 UTC); new banner +0200
    R += L.wu_banner(cli, U("2025-03-30 01:21:44.602"), 868, 0x3a4)
    R += [(U("2025-03-30 01:21:44.780"), 868, 0x3a4, "Service", "** START **  Service: Service startup"),
          (U("2025-03-30 01:22:31.006"), 868, 0x3a4, "Agent", "  * WSUS server: %s" % old),
          (U("2025-03-30 01:22:31.006"), 868, 0x3a4, "Agent", "  * WSUS status server: %s" % old)]
    for t in ("2025-03-30 01:27:40.315", "2025-03-31 03:35:12.880"):
        recs, end = F.wu_scan_legacy(cli, U(t), 868, 0x1a08, 0x7d4, old, caller="AutomaticUpdates", found=(0, 91), rng=rng)
        R += recs
    R.sort(key=lambda r: r[0])
    inc.write("ABV-FS02", "Windows/WindowsUpdate.log", L.wu_legacy(cli, R), "WindowsUpdate.log legacy (German titles)", "cp1252")
    inc.ev("K8", "ABV-FS02", "Windows/WindowsUpdate.log", "  * WSUS server: http://OLDWSUS01:8530", "agent uses OLDWSUS01 (banner tz: +0100; +0200 after 03-30)")

    # ---- Get-WinEvent CSV, German culture (-UseCulture: ';'), UTF-8 BOM
    rows = []
    for k, ti in enumerate(titles):
        tt = U("2025-03-30 00:46:51.330") + td(milliseconds=20 * k)
        rows.append([L.de_time(cli.local(tt)), 19, "Informationen", "Microsoft-Windows-WindowsUpdateClient",
                     cli.fqdn, "Installation erfolgreich: Windows hat das folgende Update erfolgreich installiert: %s" % ti])
    tt = U("2025-03-30 01:21:51.004")
    rows.append([L.de_time(cli.local(tt)), 43, "Informationen", "Microsoft-Windows-WindowsUpdateClient",
                 cli.fqdn, "Installation gestartet: Windows hat mit der Installation des folgenden Updates begonnen: %s" % titles[1]])
    rows.reverse()
    csv = L.csv_text(["TimeCreated", "Id", "LevelDisplayName", "ProviderName", "MachineName", "Message"], rows,
                     delim=";")
    inc.write("ABV-FS02", "Events/WindowsUpdateClient.csv", csv, "Get-WinEvent | Export-Csv -UseCulture (de-DE)", "utf-8-bom")

    gp = """C:\\Windows\\system32>gpresult /r /scope:computer

Microsoft (R) Windows (R) Operating System Group Policy Result tool v2.0
(c) 2013 Microsoft Corporation. All rights reserved.

Created on 31.03.2025 at 10:33:58


RSOP data for  on ABV-FS02 : Logging Mode
------------------------------------------

OS Configuration:            Member Server
OS Version:                  6.3.9600
Site Name:                   Muenchen-HQ
Roaming Profile:
Local Profile:
Connected over a slow link?: No


COMPUTER SETTINGS
------------------
    CN=ABV-FS02,OU=Dateiserver,OU=Server,DC=ad,DC=alpenblick,DC=de
    Last time Group Policy was applied: 31.03.2025 at 10:21:07
    Group Policy was applied from:      ABV-DC02.ad.alpenblick.de
    Group Policy slow link threshold:   500 kbps
    Domain Name:                        ALPENBLICK
    Domain Type:                        Windows 2008 or later

    Applied Group Policy Objects
    -----------------------------
        SRV - WSUS Altserver (OLDWSUS01)
        SRV - Security Baseline 2012R2
        Default Domain Policy

    The following GPOs were not applied because they were filtered out
    -------------------------------------------------------------------
        Local Group Policy
            Filtering:  Not Applied (Empty)

    The computer is a part of the following security groups
    -------------------------------------------------------
        BUILTIN\\Administrators
        Everyone
        BUILTIN\\Users
        NT AUTHORITY\\NETWORK
        NT AUTHORITY\\Authenticated Users
        This Organization
        ABV-FS02$
        Domain Computers
        GG-Server-Dateidienste
        Authentication authority asserted identity
        System Mandatory Level

"""
    inc.write("ABV-FS02", "gpresult.txt", gp, "gpresult /r (generic text)", "ascii")
    inc.ev("K8", "ABV-FS02", "gpresult.txt", "SRV - WSUS Altserver (OLDWSUS01)", "the GPO that sets WUServer")

    # ---- SUP01: IIS log without 10.81.4.23
    pool = L.client_pool(rng, "10.81.4", 12, (L.UA_2012R2, L.UA_WIN10)) + L.client_pool(rng, "10.81.6", 8, (L.UA_WIN11,))
    pool = [p for p in pool if p[0] != cli.ip]
    reqs = L.background(rng, U("2025-03-31 00:00:12"), U("2025-03-31 08:50:00"), pool, gap_min=(11, 22))
    for hh in range(0, 9):
        reqs += L.api_auth(rng, U("2025-03-31 %02d:05:44.%03d" % (hh, rng.randint(0, 999))), "10.81.0.10",
                           "ALPENBLICK\\ABV-CM01$")
    rel = "IIS/W3SVC1863404211/u_ex250331.log"
    inc.write("SUP01", rel, L.iis_log([(U("2025-03-31 00:00:12"), L.IIS_F1, reqs)], sup.ip, rng, sup.fqdn),
              "IIS W3C", "utf-8")
    inc.ev("K8", "SUP01", rel, "#Fields:", "no request from 10.81.4.23 in the whole day (other 10.81.4.x present)")
    inc.fix("K8", G.ART002, "Troubleshoot connection failures")


# ====================================================================== K09

def k09(incident):
    inc = incident("K09-wsus-server-not-configured", ["K9"],
                   "SUP set to SSL (8531) in ConfigMgr, the WSUS site's certificate has "
                   "expired: WCM cannot configure WSUS, sync reports 'not configured'")
    rng = Rng(909)
    Z = "America/Sao_Paulo"
    site = "FP1"
    cm = Host("FPCM01", "corp.fabrikam-pharma.com", "10.50.0.10", Z, "site-server", "E. South America Standard Time")
    sup = Host("FPSUP01", "corp.fabrikam-pharma.com", "10.50.0.21", Z, "wsus-server", "E. South America Standard Time")
    inc.bundle("FPCM01", cm, "site-server", collected=U("2024-10-03 16:20:00"))
    inc.bundle("FPSUP01", sup, "wsus-server", collected=U("2024-10-03 16:31:00"))
    w = L.SmsLog(cm, F.SYNC, 6012, site, pid=2840)
    msg = "WSUS server not configured. Please refer to WCM.log for configuration error details."
    for k, tt in enumerate(("2024-10-03 12:00:02.418", "2024-10-03 13:05:04.301", "2024-10-03 14:10:06.177",
                            "2024-10-03 15:15:07.950")):
        t = U(tt)
        w.at(t)
        w.add("Wakeup for a polling cycle" if k else "Wakeup by SCF change", 0)
        w.add("Starting Sync", 110)
        w.add("Performing sync on %s" % ("regular schedule" if k == 0 else "retry schedule"), 2)
        w.stat(6701, "I", dt_ms=38)
        w.add("Sync failed: %s. Source: CWSyncMgr::DoSync" % msg, 300000 + rng.randint(100, 900))
        w.stat(6703, "E", istr=("CWSyncMgr::DoSync", msg, "2147500037"), dt_ms=11)
        w.add("Sync failed. Will retry in 60 minutes", 3)
        w.add("Setting sync alert to active state on site %s" % site, 39)
        w.add("Sync time: %s" % F.dur(t + td(milliseconds=110), w.t), 2)
        w.add("Next scheduled sync is a retry sync at %s" % L.us_time(cm.local(w.t + td(minutes=60))), 8)
        w.add("Waiting 60 minutes for requests", 1)
    inc.write("FPCM01", "Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG")
    inc.ev("K9", "FPCM01", "Logs/wsyncmgr.log", "Sync failed: WSUS server not configured", "Sync failed: WSUS server not configured ... Source: CWSyncMgr::DoSync")
    inc.ev("K9", "FPCM01", "Logs/wsyncmgr.log", 'ISTR2="2147500037"', "STATMSG 6703, error 2147500037 (0x80004005)")

    c = L.SmsLog(cm, F.WCM, 3996)
    err = ("System.Net.WebException: The underlying connection was closed: Could not establish trust "
           "relationship for the SSL/TLS secure channel. ---> System.Security.Authentication."
           "AuthenticationException: The remote certificate is invalid according to the validation "
           "procedure.~~   at System.Net.HttpWebRequest.GetResponse()~~   at Microsoft.UpdateServices."
           "Administration.AdminProxy.CreateUpdateServer(Object[] args)~~   at Microsoft."
           "SystemsManagementServer.WSUS.WSUSServer.ConnectToWSUSServer(String ServerName, Boolean "
           "UseSSL, Int32 PortNumber)~")
    c.at(U("2024-10-03 11:58:40.102")).add("SCF change notification triggered.~", 0)
    c.add("Updating SUP configuration: port 8530 -> 8531, SSL enabled for %s~" % sup.fqdn, 40)
    for hh, mm in ((11, 58), (12, 59), (13, 59), (14, 59), (15, 59)):
        F.wcm_check(c, U("2024-10-03 %02d:%02d:%02d.%03d" % (hh, mm, 41 + (hh % 7), rng.randint(0, 999))),
                    sup.fqdn, port=8531, ssl=True, error=err)
    inc.write("FPCM01", "Logs/WCM.log", c.text(), "SMS trace")
    inc.ev("K9", "FPCM01", "Logs/WCM.log", "Could not establish trust relationship", "WCM: SSL connection to port 8531 fails, remote configuration failed")

    sm = ["Severity\tType\tSite code\tDate / Time\tSystem\tComponent\tMessage ID\tDescription"]
    for tt in ("2024-10-03 15:20:08", "2024-10-03 14:15:07", "2024-10-03 13:10:05", "2024-10-03 12:05:03"):
        sm.append("Error\tMilestone\t%s\t%s\t%s\tSMS_WSUS_SYNC_MANAGER\t6703\tSMS WSUS Synchronization failed. "
                  "Message: %s Source: CWSyncMgr::DoSync. The operating system reported error 2147500037: "
                  "Unspecified error" % (site, L.us_time(cm.local(U(tt))), cm.fqdn, msg))
    inc.write("FPCM01", "statmsg_SMS_WSUS_SYNC_MANAGER.tsv", "\n".join(sm) + "\n",
              "console status messages, copied (generic text)", "utf-8-bom")

    ns = """C:\\Windows\\system32>netsh http show sslcert ipport=0.0.0.0:8531

SSL Certificate bindings:
-------------------------

    IP:port                      : 0.0.0.0:8531
    Certificate Hash             : 4f1a9c0e7d2b58a3e61f0c9b7a4d2e8f1c3b5a70
    Application ID               : {4dc3e181-e14b-4a21-b022-59fc669b0914}
    Certificate Store Name       : MY
    Verify Client Certificate Revocation : Enabled
    Verify Revocation Using Cached Client Certificate Only : Disabled
    Usage Check                  : Enabled
    Revocation Freshness Time    : 0
    URL Retrieval Timeout        : 0
    Ctl Identifier               : (null)
    Ctl Store Name               : (null)
    DS Mapper Usage              : Disabled
    Negotiate Client Certificate : Disabled
    Reject Connections           : Disabled
    Disable HTTP2                : Not Set


C:\\Windows\\system32>powershell -c "Get-ChildItem Cert:\\LocalMachine\\My | Format-List Subject,NotAfter,Thumbprint"

Subject    : CN=fpsup01.corp.fabrikam-pharma.com
NotAfter   : 9/28/2024 11:59:59 AM
Thumbprint : 4F1A9C0E7D2B58A3E61F0C9B7A4D2E8F1C3B5A70



C:\\Windows\\system32>
"""
    inc.write("FPSUP01", "sslcert.txt", ns, "netsh / PowerShell output (generic text)", "ascii")
    inc.fix("K9", G.ART004, "WSUS Server Not Configured Error")


# ====================================================================== K10

def k10(incident):
    inc = incident("K10-remote-name-not-resolved", ["K10"],
                   "no proxy configured for the SUP and internal DNS cannot resolve "
                   "sws.update.microsoft.com")
    rng = Rng(1010)
    site = "VAB"
    h = Host("VAB-CM01", "vistara.local", "172.20.10.5", "Asia/Kolkata", "site-server+wsus-server",
             "India Standard Time")
    inc.bundle("VAB-CM01", h, "site-server+wsus-server", manifest=False)
    ups = "sws.update.microsoft.com"
    w = L.SmsLog(h, F.SYNC, 7340, site, pid=3064)
    msg = ("UssCommunicationError: WebException: The remote name could not be resolved: '%s'~~at "
           "System.Net.HttpWebRequest.GetRequestStream()" % ups)
    t1 = U("2025-01-15 05:31:12.404")
    F.wsync_cycle(w, h, h.fqdn, site, t1, how="local request", fail=("wsus", msg, F.SRC_SYNCWSUS),
                  istr_code="2147500037", pre=("Found local sync request file",))
    F.wsync_cycle(w, h, h.fqdn, site, U("2025-01-15 06:31:18.007"), how="retry schedule",
                  fail=("wsus", msg, F.SRC_SYNCWSUS), istr_code="2147500037")
    inc.write("VAB-CM01", "Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG", "utf-8")
    inc.ev("K10", "VAB-CM01", "Logs/wsyncmgr.log", "The remote name could not be resolved", "Sync failed: UssCommunicationError ... could not be resolved: 'sws.update.microsoft.com'")
    c = L.SmsLog(h, F.WCM, 5012)
    for hh in (4, 5, 6):
        F.wcm_check(c, U("2025-01-15 %02d:47:03.%03d" % (hh, rng.randint(0, 999))), h.fqdn,
                    versions=("10.0.20348.2966", "10.0.20348.2966"))
    inc.write("VAB-CM01", "Logs/WCM.log", c.text(), "SMS trace", "utf-8")
    inc.ev("K10", "VAB-CM01", "Logs/WCM.log", "Proxy Name  and Proxy Port 80", "no proxy configured for the SUP")
    stack = ["   at System.Net.HttpWebRequest.GetRequestStream(TransportContext& context)",
             "   at System.Net.HttpWebRequest.GetRequestStream()",
             "   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName, Object[] parameters)",
             "   at Microsoft.UpdateServices.ServerSyncWebServices.ServerSync.ServerSyncProxy.GetAuthConfig()",
             "   at Microsoft.UpdateServices.ServerSync.ServerSyncLib.InternetGetServerAuthConfig(ServerSyncProxy proxy, WebServiceCommunicationHelper webServiceHelper)",
             "   at Microsoft.UpdateServices.ServerSync.ServerSyncLib.Authenticate(AuthorizationManager authorizationManager, Boolean checkExpiration, ServerSyncProxy proxy, Cookie cookie, WebServiceCommunicationHelper webServiceHelper)",
             "   at Microsoft.UpdateServices.ServerSync.CatalogSyncAgentCore.SyncConfigUpdatesFromUSS()",
             "   at Microsoft.UpdateServices.ServerSync.CatalogSyncAgentCore.ExecuteSyncProtocol(Boolean allowRedirect)", ""]
    S = []
    for t0 in (t1 + td(seconds=2, milliseconds=610), U("2025-01-15 06:31:20.200")):
        S += [(t0 - td(milliseconds=1240), "Change", "w3wp.17", "AdminDataAccess.StartSubscriptionManually", "Synchronization manually started"),
              (t0 - td(milliseconds=1160), "Info", "WsusService.21", "EventLogEventReporter.ReportEvent",
               "EventId=382,Type=Information,Category=Synchronization,Message=A manual synchronization was started."),
              (t0 - td(milliseconds=400), "Info", "WsusService.21", "CatalogSyncAgentCore.SetSubscriptionStateWithRetry", "Firing event SyncStart..."),
              (t0, "Error", "WsusService.21", "WebServiceCommunicationHelper.ProcessWebServiceProxyException",
               "System.Net.WebException: The remote name could not be resolved: '%s'" % ups, stack),
              (t0 + td(milliseconds=31), "Error", "WsusService.21", "CatalogSyncAgentCore.ExecuteSyncProtocol",
               "UssCommunicationError: WebException: The remote name could not be resolved: '%s'" % ups),
              (t0 + td(milliseconds=48), "Info", "WsusService.21", "CatalogSyncAgentCore.SetSubscriptionStateWithRetry", "Firing event SyncFailed...")]
    inc.write("VAB-CM01", "WSUS/LogFiles/SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "utf-8")
    inc.ev("K10", "VAB-CM01", "WSUS/LogFiles/SoftwareDistribution.log", "System.Net.WebException: The remote name could not be resolved",
           "WebException with stack trace continuation")
    ns = """PS C:\\Users\\adm.rkumar> Resolve-DnsName sws.update.microsoft.com
Resolve-DnsName : sws.update.microsoft.com : DNS name does not exist
At line:1 char:1
+ Resolve-DnsName sws.update.microsoft.com
+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : ResourceUnavailable: (sws.update.microsoft.com:String) [Resolve-DnsName], Win32Exception
    + FullyQualifiedErrorId : DNS_ERROR_RCODE_NAME_ERROR,Microsoft.DnsClient.Commands.ResolveDnsName

PS C:\\Users\\adm.rkumar> netsh winhttp show proxy

Current WinHTTP proxy settings:

    Direct access (no proxy server).

PS C:\\Users\\adm.rkumar> (Get-WsusServer).GetConfiguration() | Select-Object UseProxy, ProxyName, ProxyServerPort, MUUrl

UseProxy ProxyName ProxyServerPort MUUrl
-------- --------- --------------- -----
   False                        80 https://sws.update.microsoft.com


PS C:\\Users\\adm.rkumar> # internet egress only through proxy.vistara.local:3128 since the DNS split (IT-4471)
"""
    ev = []
    for k, (tt, kbn, h40) in enumerate((("2025-01-15 04:12:09.330", "kb5050008", rng.hexs(40).lower()),
                                         ("2025-01-15 04:12:09.412", "kb5049981", rng.hexs(40).lower()))):
        ev.append(L.evt_xml("Windows Server Update Services", 364, 2, U(tt), h.fqdn, "Application",
                            ["Content file download failed.\nReason: The remote name could not be resolved: "
                             "'download.windowsupdate.com'\nSource File: /c/msdownload/update/software/secu/2025/01/"
                             "windows10.0-%s-x64_%s.cab\nDestination File: E:\\WSUS\\WsusContent\\%s\\%s.cab" % (
                                 kbn, h40, h40[-2:].upper(), h40.upper())], 118402 + k, qualifiers=0))
    inc.write("VAB-CM01", "Events/Application-WSUS.xml", "\n".join(ev) + "\n", "wevtutil /f:xml", "utf-8")
    inc.ev("K10", "VAB-CM01", "Events/Application-WSUS.xml", "<EventID Qualifiers='0'>364</EventID>",
           "WSUS 364: content download fails, name not resolved")
    # pasted into the ticket from a Mac: LF line ends
    inc.write("VAB-CM01", "network_checks.txt", ns, "PowerShell console copy (generic text)", "utf-8", eol="\n")
    inc.fix("K10", G.ART004, "The Remote Name Could Not Be Resolved Error")


# ====================================================================== K11

def k11(incident):
    inc = incident("K11-apiremoting30-401", ["K11"],
                   "Windows authentication switched off on ApiRemoting30: the site "
                   "server's calls get 401 and the sync fails")
    rng = Rng(1111)
    Z = "Australia/Sydney"
    site = "CCH"
    cm = Host("CCH-PS1", "cch.health", "172.16.8.10", Z, "site-server", "AUS Eastern Standard Time")
    sup = Host("CCH-SUP02", "cch.health", "172.16.8.22", Z, "wsus-server", "AUS Eastern Standard Time")
    inc.bundle("CCH-PS1", cm, "site-server", collected=U("2025-01-22 04:10:00"))
    inc.bundle("CCH-SUP02", sup, "wsus-server", archive="tar.gz", collected=U("2025-01-22 04:02:00"))
    w = L.SmsLog(cm, F.SYNC, 2300, site, pid=4188)
    msg = "The request failed with HTTP status 401: Unauthorized"
    times = ["2025-01-22 00:30:00.512", "2025-01-22 01:30:04.090", "2025-01-22 02:30:07.660", "2025-01-22 03:30:11.301"]
    for k, tt in enumerate(times):
        F.wsync_cycle(w, cm, sup.fqdn, site, U(tt), how="local request" if k == 0 else "retry schedule",
                      fail=("connect", msg, F.SRC_ADMINPROXY), istr_code="2147500037")
    inc.write("CCH-PS1", "Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG")
    inc.ev("K11", "CCH-PS1", "Logs/wsyncmgr.log", "Sync failed: The request failed with HTTP status 401: Unauthorized. Source: Microsoft.UpdateServices.Administration.AdminProxy.CreateUpdateServer",
           "Sync failed ... 401: Unauthorized, AdminProxy.CreateUpdateServer")
    c = L.SmsLog(cm, F.WCM, 1876)
    err = ("System.Net.WebException: The request failed with HTTP status 401: Unauthorized.~~   at "
           "Microsoft.UpdateServices.Administration.AdminProxy.CreateUpdateServer(Object[] args)~~   at "
           "Microsoft.SystemsManagementServer.WSUS.WSUSServer.ConnectToWSUSServer(String ServerName, "
           "Boolean UseSSL, Int32 PortNumber)~")
    for hh in (0, 1, 2, 3):
        F.wcm_check(c, U("2025-01-22 %02d:52:18.%03d" % (hh, rng.randint(0, 999))), sup.fqdn,
                    error=err if hh >= 0 else None, versions=("10.0.20348.2966", "10.0.20348.2966"))
    inc.write("CCH-PS1", "Logs/WCM.log", c.text(), "SMS trace")

    pool = L.client_pool(rng, "172.16.40", 10, (L.UA_WIN11,)) + L.client_pool(rng, "172.16.12", 6, (L.UA_WIN10,))
    reqs = L.background(rng, U("2025-01-21 13:00:05"), U("2025-01-22 04:00:00"), pool, gap_min=(16, 32))
    reqs += L.api_auth(rng, U("2025-01-21 22:52:17.300"), cm.ip, "CCH\\CCH-PS1$")
    reqs += L.api_auth(rng, U("2025-01-21 23:30:01.100"), cm.ip, "CCH\\CCH-PS1$", calls=5)
    for tt in ["2025-01-21 23:52:18"] + [t[:19] for t in times] + ["2025-01-22 %02d:52:18" % hh for hh in (0, 1, 2, 3)]:
        tt = U(tt) + td(seconds=1)
        reqs.append(Req(tt, cm.ip, "POST", L.EP_API, 401, 2, 5, ua=L.UA_API, taken=0))
        reqs.append(Req(tt + td(milliseconds=300), cm.ip, "POST", L.EP_API, 401, 2, 5, ua=L.UA_API, taken=1))
    for tt in ("2025-01-22 03:44:51", "2025-01-22 03:45:03"):
        reqs.append(Req(U(tt), "fe80::8d1:3c2a:77e5:91b0%6", "POST", L.EP_API, 401, 2, 5, ua=L.UA_API, taken=1))
    for day, text in L.iis_daily(reqs, L.IIS_F1, sup.ip, rng, sup.fqdn).items():
        inc.write("CCH-SUP02", "inetpub/logs/LogFiles/W3SVC2/u_ex%s.log" % day, text, "IIS W3C (in .tar.gz)", "utf-8")
    rel = "inetpub/logs/LogFiles/W3SVC2/u_ex250122.log"
    inc.ev("K11", "CCH-SUP02", rel, "/ApiRemoting30/WebService.asmx - 8530 - 172.16.8.10 %s - 401 2 5" % L.UA_API,
           "401 2 5 from the site server, never followed by 401.1/200")
    ap = """PS C:\\> Get-WebConfigurationProperty -PSPath 'IIS:\\Sites\\WSUS Administration\\ApiRemoting30' -Filter /system.webServer/security/authentication/windowsAuthentication -Name enabled | Select-Object Value

Value
-----
False


PS C:\\> Get-WebConfigurationProperty -PSPath 'IIS:\\Sites\\WSUS Administration\\ApiRemoting30' -Filter /system.webServer/security/authentication/anonymousAuthentication -Name enabled | Select-Object Value

Value
-----
False


PS C:\\> Get-WinEvent -LogName 'Microsoft-IIS-Configuration/Operational' -MaxEvents 1 | Format-List TimeCreated,Id,Message

TimeCreated : 21/01/2025 10:41:09 PM
Id          : 29
Message     : Changes to '/system.webServer/security/authentication/windowsAuthentication/@enabled' at
              'MACHINE/WEBROOT/APPHOST/WSUS Administration/ApiRemoting30' have successfully been committed.



"""
    inc.write("CCH-SUP02", "iis_auth_check.txt", ap, "PowerShell console copy (generic text)", "utf-8-bom")
    inc.ev("K11", "CCH-SUP02", "iis_auth_check.txt", "False", "windowsAuthentication disabled on ApiRemoting30")
    inc.fix("K11", G.ART004, "The Request Failed with HTTP Status 401: Unauthorized Error")


# ====================================================================== K12

def k12(incident):
    inc = incident("K12-unable-to-connect-remote-server", ["K12"],
                   "a firewall rule for TCP 8530 was disabled on the SUP: the site "
                   "server cannot connect")
    rng = Rng(1212)
    Z = "America/Chicago"
    site = "GFU"
    cm = Host("GFU-CM01", "gfu.local", "10.12.4.10", Z, "site-server", "Central Standard Time")
    sup = Host("GFU-SUP03", "gfu.local", "10.12.4.33", Z, "wsus-server", "Central Standard Time")
    inc.bundle("GFU-CM01", cm, "site-server", collected=U("2024-12-05 17:40:00"))
    inc.bundle("GFU-SUP03", sup, "wsus-server", collected=U("2024-12-05 17:48:00"))
    w = L.SmsLog(cm, F.SYNC, 3720, site, pid=2300)
    msg = "Unable to connect to the remote server"
    for k, tt in enumerate(("2024-12-05 14:00:00.804", "2024-12-05 15:00:25.130", "2024-12-05 16:00:49.511",
                            "2024-12-05 17:01:13.720")):
        F.wsync_cycle(w, cm, sup.fqdn, site, U(tt), how="regular schedule" if k == 0 else "retry schedule",
                      fail=("connect", msg, F.SRC_ADMINPROXY), istr_code="53")
        w.recs[-1] = (w.recs[-1][0], w.recs[-1][1], "Waiting 59 minutes for requests...", w.recs[-1][3])
    inc.write("GFU-CM01", "Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG")
    inc.ev("K12", "GFU-CM01", "Logs/wsyncmgr.log", "Sync failed: Unable to connect to the remote server",
           "Sync failed: Unable to connect ... AdminProxy.CreateUpdateServer")
    inc.ev("K12", "GFU-CM01", "Logs/wsyncmgr.log", 'ISTR2="53"', "STATMSG 6703 with OS error 53")
    c = L.SmsLog(cm, F.WCM, 5640)
    err = ("System.Net.WebException: Unable to connect to the remote server ---> System.Net.Sockets."
           "SocketException: A connection attempt failed because the connected party did not properly "
           "respond after a period of time, or established connection failed because connected host has "
           "failed to respond %s:8530~~   at System.Net.HttpWebRequest.GetRequestStream()~~   at "
           "Microsoft.UpdateServices.Administration.AdminProxy.CreateUpdateServer(Object[] args)~" % sup.ip)
    for hh in (14, 15, 16, 17):
        F.wcm_check(c, U("2024-12-05 %02d:21:09.%03d" % (hh, rng.randint(0, 999))), sup.fqdn, error=err)
    inc.write("GFU-CM01", "Logs/WCM.log", c.text(), "SMS trace")
    tn = """PS C:\\Windows\\system32> Test-NetConnection GFU-SUP03.gfu.local -Port 8530
WARNING: TCP connect to (10.12.4.33 : 8530) failed


ComputerName           : GFU-SUP03.gfu.local
RemoteAddress          : 10.12.4.33
RemotePort             : 8530
InterfaceAlias         : Ethernet0
SourceAddress          : 10.12.4.10
PingSucceeded          : True
PingReplyDetails (RTT) : 0 ms
TcpTestSucceeded       : False



PS C:\\Windows\\system32> Test-NetConnection GFU-SUP03.gfu.local -Port 445 -InformationLevel Quiet
True
"""
    inc.write("GFU-CM01", "Test-NetConnection.txt", tn, "PowerShell console copy (generic text)", "utf-8")
    inc.ev("K12", "GFU-CM01", "Test-NetConnection.txt", "TcpTestSucceeded       : False", "TCP 8530 to the SUP fails")

    svc = """PS C:\\> Get-Service WsusService,W3SVC,WAS,MSSQL`$MICROSOFT##WID,IISADMIN -ErrorAction SilentlyContinue

Status   Name               DisplayName
------   ----               -----------
Running  MSSQL$MICROSOFT... Windows Internal Database
Running  W3SVC              World Wide Web Publishing Service
Running  WAS                Windows Process Activation Service
Running  WsusService        WSUS Service


PS C:\\> netsh advfirewall firewall show rule name="WSUS HTTP 8530 (TCP-In)"

Rule Name:                            WSUS HTTP 8530 (TCP-In)
----------------------------------------------------------------------
Enabled:                              No
Direction:                            In
Profiles:                             Domain
Grouping:                             Windows Server Update Services
LocalIP:                              Any
RemoteIP:                             Any
Protocol:                             TCP
LocalPort:                            8530
RemotePort:                           Any
Edge traversal:                       No
Action:                               Allow
Ok.

"""
    inc.write("GFU-SUP03", "services_firewall.txt", svc, "Get-Service table + netsh (generic text)", "utf-8")
    inc.ev("K12", "GFU-SUP03", "services_firewall.txt", "Enabled:                              No", "inbound rule for 8530 disabled (services are running)")
    pool = L.client_pool(rng, "10.12.30", 10, (L.UA_WIN10, L.UA_WIN11))
    reqs = L.background(rng, U("2024-12-05 00:00:20"), U("2024-12-05 03:40:00"), pool, gap_min=(7, 15))
    for hh in range(0, 4):
        reqs += L.api_auth(rng, U("2024-12-05 %02d:21:10.%03d" % (hh, rng.randint(0, 999))), cm.ip, "GFU\\GFU-CM01$")
    t = U("2024-12-05 03:42:00")
    while t < U("2024-12-05 17:45:00"):
        reqs.append(Req(t, "::1", "GET", "/ClientWebService/client.asmx", 200, ua="-", taken=rng.randint(2, 9)))
        reqs.append(Req(t + td(milliseconds=40), "::1", "GET", "/Content/anonymousCheckFile.txt", 200, ua="-", taken=1))
        t += td(minutes=60, seconds=rng.randint(0, 3))
    rel = "IIS/W3SVC1305212841/u_ex241205.log"
    inc.write("GFU-SUP03", rel, L.iis_log([(U("2024-12-05 00:00:20"), L.IIS_F1, reqs)], sup.ip, rng, sup.fqdn),
              "IIS W3C", "utf-8")
    inc.fix("K12", G.ART004, "Unable to Connect to Remote Server Error")


# ====================================================================== K13

def k13(incident):
    inc = incident("K13-dssauth-401-child-primary", ["K13"],
                   "anonymous access removed from DssAuthWebService on the CAS SUP: the "
                   "child primary's SUP gets DssAuthenticationError 401")
    rng = Rng(1313)
    site = "EU1"
    pri = Host("RCC-PRI-EU", "eu.rheinland-chemie.de", "10.110.0.10", "Europe/Berlin", "site-server", "W. Europe Standard Time")
    sup = Host("RCC-SUPEU01", "eu.rheinland-chemie.de", "10.110.0.21", "Europe/Berlin", "wsus-server", "W. Europe Standard Time")
    cas = Host("RCC-CASSUP01", "rheinland-chemie.de", "10.100.0.21", "Europe/London", "wsus-server", "GMT Standard Time")
    inc.bundle("RCC-PRI-EU", pri, "site-server", archive="zip", collected=U("2024-07-09 13:05:00"))
    inc.bundle("RCC-SUPEU01", sup, "wsus-server", collected=U("2024-07-09 13:12:00"))
    inc.bundle("RCC-CASSUP01", cas, "wsus-server", collected=U("2024-07-09 13:30:00"))
    w = L.SmsLog(pri, F.SYNC, 7228, site, pid=5044)
    msg = ("DssAuthenticationError: WebException: The request failed with HTTP status 401: Unauthorized."
           "~~at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(SoapClientMessage "
           "message, WebResponse response, Stream responseStream, Boolean asyncCall)")
    starts = []
    for k, tt in enumerate(("2024-07-09 10:12:44.207", "2024-07-09 11:13:16.580", "2024-07-09 12:13:48.911")):
        t = U(tt)
        pre = ["Found parent sync notification file CAS.SYN."] if k == 0 else []
        w.at(t)
        for line in pre:
            w.add(line, 0)
        w.add("Performing sync on %s" % ("parent request" if k == 0 else "retry schedule"), 60)
        w.stat(6701, "I", dt_ms=40)
        w.stat(6704, "I", dt_ms=1090)
        w.add("Synchronizing WSUS server %s" % sup.name, 15)
        w.add("Synchronizing WSUS server %s ..." % sup.fqdn, 20)
        w.add("sync: Starting WSUS synchronization", 380)
        starts.append(w.t)
        w.add("Sync failed: %s. Source: %s" % (msg, F.SRC_SYNCWSUS), 26400)
        w.stat(6703, "E", istr=(F.SRC_SYNCWSUS, msg), dt_ms=12)
        w.add("Sync failed. Will retry in 60 minutes", 3)
        w.add("Sync time: %s" % F.dur(t, w.t), 2)
        w.add("Next scheduled sync is a retry sync at %s" % pri.local(w.t + td(minutes=60)).strftime("%d.%m.%Y %H:%M:%S"), 8)
        w.add("Waiting 60 minutes for requests", 1)
    inc.write("RCC-PRI-EU", "Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG (in .zip)")
    inc.ev("K13", "RCC-PRI-EU", "Logs/wsyncmgr.log", "Sync failed: DssAuthenticationError", "Sync failed: DssAuthenticationError ... 401 (parent request)")
    c = L.SmsLog(pri, F.WCM, 2932)
    for hh in (9, 10, 11, 12):
        F.wcm_check(c, U("2024-07-09 %02d:38:12.%03d" % (hh, rng.randint(0, 999))), sup.fqdn, port=8531, ssl=True,
                    versions=("10.0.17763.5936", "10.0.17763.5936"),
                    upstream="RCC-CASSUP01.rheinland-chemie.de, port 8531, SSL")
    inc.write("RCC-PRI-EU", "Logs/WCM.log", c.text(), "SMS trace (in .zip)")
    stack = ["   at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(SoapClientMessage message, WebResponse response, Stream responseStream, Boolean asyncCall)",
             "   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName, Object[] parameters)",
             "   at Microsoft.UpdateServices.ServerSyncWebServices.DssAuthentication.DssAuthenticationProxy.GetAuthorizationCookie(Guid serverId, Cookie cookie, Guid[] categoryIds)",
             "   at Microsoft.UpdateServices.ServerSync.ServerSyncLib.DssGetServerCookie(WebServiceCommunicationHelper webServiceHelper, DssAuthenticationProxy proxy, Guid serverId)",
             "   at Microsoft.UpdateServices.ServerSync.CatalogSyncAgentCore.ExecuteSyncProtocol(Boolean allowRedirect)", ""]
    S = []
    for t in starts:
        t0 = t + td(milliseconds=900)
        S += [(t0, "Info", "WsusService.31", "CatalogSyncAgentCore.SetSubscriptionStateWithRetry", "Firing event SyncStart..."),
              (t0 + td(milliseconds=200), "Info", "WsusService.31", "ServerSyncLib.DssGetServerCookie",
               "Contacting upstream server https://RCC-CASSUP01.rheinland-chemie.de:8531/DssAuthWebService/DssAuthWebService.asmx"),
              (t0 + td(seconds=24, milliseconds=811), "Error", "WsusService.31", "WebServiceCommunicationHelper.ProcessWebServiceProxyException",
               "System.Net.WebException: The request failed with HTTP status 401: Unauthorized.", stack),
              (t0 + td(seconds=24, milliseconds=840), "Error", "WsusService.31", "CatalogSyncAgentCore.ExecuteSyncProtocol",
               "DssAuthenticationError: WebException: The request failed with HTTP status 401: Unauthorized."),
              (t0 + td(seconds=24, milliseconds=860), "Info", "WsusService.31", "CatalogSyncAgentCore.SetSubscriptionStateWithRetry", "Firing event SyncFailed...")]
    inc.write("RCC-SUPEU01", "SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "utf-8-bom")
    inc.ev("K13", "RCC-SUPEU01", "SoftwareDistribution.log", "DssAuthenticationError: WebException",
           "same failure on the child SUP, upstream RCC-CASSUP01")
    reqs = []
    pool = L.client_pool(rng, "10.100.20", 8, (L.UA_WIN11,))
    reqs += L.background(rng, U("2024-07-09 08:00:14"), U("2024-07-09 13:25:00"), pool, gap_min=(8, 16), port=8531)
    for t in starts:
        for k in range(4):
            tt = t + td(seconds=1 + 6 * k, milliseconds=rng.randint(0, 900))
            reqs.append(Req(tt, sup.ip, "POST", L.EP_DSS, 401, 2, 5, ua=L.UA_API, port=8531, taken=1))
    rel = "IIS/W3SVC1/u_ex240709.log"
    inc.write("RCC-CASSUP01", rel, L.iis_log([(U("2024-07-09 08:00:14"), L.IIS_F1, reqs)], cas.ip, rng, cas.fqdn),
              "IIS W3C", "utf-8")
    inc.ev("K13", "RCC-CASSUP01", rel, "/DssAuthWebService/DssAuthWebService.asmx - 8531 - 10.110.0.21", "401 2 5 on DssAuthWebService from the child SUP")
    tail = APPHOST_DSS
    cfg = apphost(wsuspool(private_mem=8388608, queue=25000), "1", content="F:\\WSUS\\WsusContent",
                  logdir="%SystemDrive%\\inetpub\\logs\\LogFiles", tail=tail)
    inc.write("RCC-CASSUP01", "inetsrv/config/applicationHost.config", cfg, "applicationHost.config", "utf-8-bom")
    inc.ev("K13", "RCC-CASSUP01", "inetsrv/config/applicationHost.config", '<anonymousAuthentication enabled="false"',
           "anonymous access off on DssAuthWebService")
    inc.fix("K13", G.ART004, "The Request Failed with DssAuthenticationError: WebException Error")


APPHOST_DSS = """
    <location path="WSUS Administration/DssAuthWebService">
        <system.webServer>
            <security>
                <authentication>
                    <anonymousAuthentication enabled="false" />
                    <windowsAuthentication enabled="false" />
                </authentication>
            </security>
        </system.webServer>
    </location>
    <location path="WSUS Administration/ClientWebService">
        <system.webServer>
            <security>
                <authentication>
                    <anonymousAuthentication enabled="true" />
                    <windowsAuthentication enabled="false" />
                </authentication>
            </security>
        </system.webServer>
    </location>
    <location path="WSUS Administration/ApiRemoting30">
        <system.webServer>
            <security>
                <authentication>
                    <anonymousAuthentication enabled="false" />
                    <windowsAuthentication enabled="true" />
                </authentication>
            </security>
        </system.webServer>
    </location>
"""


# ====================================================================== K17

def k17(incident):
    inc = incident("K17-sql-sdm-invalid-schema", ["K17"],
                   "SQL Server under memory pressure: sp_SetupSDMPackage fails and the "
                   "DCM digest is rejected during the SMS database sync")
    rng = Rng(1717)
    site = "KRB"
    h = Host("KRB-CM01", "kurobe-elec.co.jp", "10.8.0.15", "Asia/Tokyo", "site-server+wsus-server", "Tokyo Standard Time")
    inc.bundle("KRB-CM01", h, "site-server+wsus-server", collected=U("2024-08-20 03:05:00"))
    src_guid = "{%s}" % rng.guid(upper=True)
    w = L.SmsLog(h, F.SYNC, 6176, site, pid=3300)
    t = U("2024-08-20 01:00:01.233")
    w.at(t).add("Starting Sync", 0)
    w.add("Performing sync on regular schedule", 2)
    w.stat(6701, "I", dt_ms=40)
    w.add("Read SUPs from SCF for %s" % h.fqdn, 30)
    w.add("Found 1 SUPs", 1)
    w.add("Found active SUP %s from SCF File." % h.fqdn, 1)
    w.stat(6704, "I", dt_ms=1100)
    w.add("Synchronizing WSUS server %s ..." % h.fqdn, 20)
    w.add("sync: Starting WSUS synchronization", 400)
    w.add("sync: WSUS synchronizing updates, processed 212 out of 236 items (89%), ETA in 00:00:09", 95000)
    w.add("Done synchronizing WSUS Server %s" % h.fqdn, 21000)
    w.stat(6705, "I", dt_ms=40)
    w.add("Synchronizing SMS database with WSUS server %s ..." % h.fqdn, 25)
    bad = []
    for title in ("2024-08 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5041585)",
                  "2024-08 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5041160)",
                  "2024-08 Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1 for Windows 10 Version 22H2 for x64 (KB5041019)"):
        g = rng.guid()
        bad.append(g)
        w.add("Synchronizing update %s - %s" % (g, title), 1900)
        w.add("*** [42000][701][Microsoft][ODBC Driver 18 for SQL Server][SQL Server]There is insufficient "
              "system memory in resource pool 'default' to run this query. : spSetupSDMPackage", 8100)
        w.add("ERROR: sp_SetupSDMPackage returns an error 12 for Site_%s/SUM_%s" % (src_guid[1:9], g), 3)
        w.add("DCM digest has invalid schema, Site_%s/SUM_%s is skipped" % (src_guid[1:9], g), 2)
        w.add("Failed to sync update %s. Error: Failed to insert SDM CI %s into the database Source: "
              "Microsoft.SystemsManagementServer.SoftwareUpdatesManagement.WsusSyncAction.WSyncAction.SyncUpdates" % (g, g), 4)
    w.add("sync: SMS synchronizing updates, processed 61 out of 64 items (95%)", 6000)
    w.add("Done synchronizing SMS with WSUS Server %s" % h.fqdn, 700)
    src = "Microsoft.SystemsManagementServer.SoftwareUpdatesManagement.WsusSyncAction.WSyncAction.SyncUpdates"
    w.add("Sync failed: Failed to sync some of the updates. Source: %s" % src, 30)
    w.stat(6703, "E", istr=(src, "Failed to sync some of the updates"), dt_ms=12)
    w.add("Sync failed. Will retry in 60 minutes", 3)
    w.add("Setting sync alert to active state on site %s" % site, 40)
    w.add("Sync time: %s" % F.dur(t, w.t), 2)
    w.add("Next scheduled sync is a retry sync at %s" % h.local(w.t + td(minutes=60)).strftime("%Y/%m/%d %H:%M:%S"), 8)
    w.add("Waiting 60 minutes for requests", 1)
    inc.write("KRB-CM01", "Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG")
    inc.ev("K17", "KRB-CM01", "Logs/wsyncmgr.log", "sp_SetupSDMPackage returns an error", "sp_SetupSDMPackage returns an error 12")
    inc.ev("K17", "KRB-CM01", "Logs/wsyncmgr.log", "DCM digest has invalid schema", "DCM digest has invalid schema")
    E = []

    def e(tt, spid, msg):
        lt = h.local(U(tt))
        E.append("%s.%02d %-12s%s" % (lt.strftime("%Y-%m-%d %H:%M:%S"), lt.microsecond // 10000, spid, msg))
    e("2024-08-19 17:00:05.1", "Server", "Microsoft SQL Server 2019 (RTM-CU27) (KB5040948) - 15.0.4375.4 (X64)")
    e("2024-08-19 17:00:05.1", "Server", "UTC adjustment: 9:00")
    e("2024-08-19 17:00:05.1", "Server", "(c) Microsoft Corporation.")
    e("2024-08-19 17:00:05.2", "Server", "Server process ID is 4120.")
    e("2024-08-19 17:00:05.2", "Server", "Authentication mode is WINDOWS-ONLY.")
    e("2024-08-19 17:00:05.4", "Server", "Detected 32767 MB of RAM. This is an informational message; no user action is required.")
    e("2024-08-19 17:00:06.0", "spid9s", "Starting up database 'CM_KRB'.")
    e("2024-08-19 17:00:09.8", "spid52", "Using 'xpstar.dll' version '2019.150.4375' to execute extended stored procedure 'xp_instance_regread'.")
    errs = [r[0] for r in w.recs if r[2].startswith("*** [42000][701]")]
    for tt, spid in zip(errs, ("spid87", "spid87", "spid91")):
        tt = (tt - td(milliseconds=30)).strftime("%Y-%m-%d %H:%M:%S.%f")[:21]
        e(tt, spid, "Error: 701, Severity: 17, State: 123.")
        e(tt, spid, "There is insufficient system memory in resource pool 'default' to run this query.")
    tt = (errs[-1] + td(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")[:21]
    e(tt, "spid91", "Error: 802, Severity: 17, State: 20.")
    e(tt, "spid91", "There is insufficient memory available in the buffer pool.")
    e("2024-08-20 01:05:10.4", "Server", "Memory Manager / Target Committed (KB) 6291456, Current Committed (KB) 6291448, max server memory (MB) 6144")
    inc.write("KRB-CM01", "SQL/ERRORLOG", "\n".join(E) + "\n", "SQL Server ERRORLOG (generic text)", "utf-16le-bom")
    inc.ev("K17", "KRB-CM01", "SQL/ERRORLOG", "Error: 701", "SQL error 701 at the same time (local JST, UTC+9)")
    inc.fix("K17", G.ART004, "Wsyncmgr.log Shows Error 12 and Invalid Schema")
