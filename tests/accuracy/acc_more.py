"""acc_more.py -- two-fault incidents (AX*), healthy incidents with benign
noise (AOK*) and the XSS-payloads incident."""

import samplelib as L
from samplelib import U, td, Host, Rng, Req
import cmflows as F
from incidents_more import wu10_scan
from incidents_faults import apphost, wsuspool

import accflows as A

PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)',
            "'onmouseover='alert(1)", '</textarea>', '{{x}}', ']]>']


def build(incident):
    for f in (ax1, ax2, ax3, ok1, ok2, ok3, ok4, xss):
        f(incident)


# ====================================================================== AX1: K11 + K1
def ax1(incident):
    inc = incident("AX1-K11-site-K1-laptop", ["K11", "K1"],
                   "Windows authentication removed from ApiRemoting30 on the SUP (site server syncs "
                   "fail 401) while a remote laptop's scans time out for a week")
    rng = Rng(2001)
    cm = Host("NYC-CM01", "nyc.hudsonfin.com", "10.11.0.10", "America/New_York", "site-server", "Eastern Standard Time")
    sup = Host("NYC-SUP01", "nyc.hudsonfin.com", "10.11.0.21", "America/New_York", "wsus-server", "Eastern Standard Time")
    lt = Host("NYC-LT-2290", "nyc.hudsonfin.com", "10.11.64.90", "America/New_York", "client", "Eastern Standard Time")
    c = inc.bundle(cm, "site-server", collected=U("2024-03-12 16:00:00"))
    s = inc.bundle(sup, "wsus-server", collected=U("2024-03-12 16:05:00"))
    l = inc.bundle(lt, "client", collected=U("2024-03-12 15:30:00"))
    w = L.SmsLog(cm, F.SYNC, 3120, site="HF1", pid=2700)
    fail = ("connect", "The request failed with HTTP status 401: Unauthorized", F.SRC_ADMINPROXY)
    # crosses the US DST switch (2024-03-10): bias +300 then +240
    F.wsync_cycle(w, cm, sup.fqdn, "HF1", U("2024-03-09 19:00:01.400"), source_guid="{%s}" % rng.guid(upper=True))
    for d, hh in ((11, 13), (11, 14), (12, 13), (12, 14)):
        F.wsync_cycle(w, cm, sup.fqdn, "HF1", U("2024-03-%02d %02d:00:02.%03d" % (d, hh, rng.randint(0, 999))),
                      "retry schedule" if hh == 14 else "regular schedule", fail=fail)
    c.write("Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG", "utf-8-bom")
    inc.ev("K11", c, "Logs/wsyncmgr.log", "Sync failed: The request failed with HTTP status 401", "6703 401")
    pool = L.client_pool(rng, "10.11.40", 12, (L.UA_WIN10, L.UA_WIN11))
    reqs = L.background(rng, U("2024-03-12 10:00:00"), U("2024-03-12 15:55:00"), pool, (3, 9))
    for hh in (13, 14):
        reqs.append(Req(U("2024-03-12 %02d:00:03" % hh), cm.ip, "POST", L.EP_API, 401, 2, 5, ua=L.UA_API, taken=0))
    s.write("IIS/W3SVC1/u_ex240312.log", L.iis_log([(U("2024-03-12 10:00:00"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C", "utf-8")
    s.write("appcmd_auth.txt", "\n".join([
        'C:\\Windows\\System32\\inetsrv>appcmd list config "WSUS Administration/ApiRemoting30" -section:system.webServer/security/authentication/windowsAuthentication',
        "<system.webServer>", "  <security>", "    <authentication>",
        '      <windowsAuthentication enabled="false">', "      </windowsAuthentication>",
        "    </authentication>", "  </security>", "</system.webServer>", ""]) + "\n", "appcmd output", "ascii")
    url = "http://NYC-SUP01.nyc.hudsonfin.com:8530"
    R = L.wu_banner(lt, U("2024-03-04 13:02:00.100"), 988, 0x3dc)
    R += [(U("2024-03-04 13:02:40.100"), 988, 0x3dc, "Agent", "  * WSUS server: %s" % url)]
    recs, _ = F.wu_scan_legacy(lt, U("2024-03-04 14:10:09.100"), 988, 0x1a10, 0x1b00, url, rng=rng)
    R += recs
    for d in range(5, 13):
        recs, _ = F.wu_scan_legacy(lt, U("2024-03-%02d 15:%02d:%02d.%03d" % (d, rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999))),
                                   988, 0x1a10, 0x1b00, url, fail="80072EE2", rng=rng)
        R += recs
    R.sort(key=lambda r: r[0])
    l.write("Windows/WindowsUpdate.log", L.wu_legacy(lt, R), "WindowsUpdate.log legacy (crosses DST)", "ascii")
    inc.ev("K1", l, "Windows/WindowsUpdate.log", "FATAL: SelfUpdate check failed, err = 0x80072EE2", "first time-out")


# ====================================================================== AX2: K5 + K8
WEBCONFIG_API = """<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <system.web>
    <authentication mode="Windows" />
    <identity impersonate="false" />
    <httpRuntime maxRequestLength="4096" executionTimeout="3600" />
  </system.web>
  <system.webServer>
    <security>
      <authentication>
        <anonymousAuthentication enabled="false" />
        <windowsAuthentication enabled="true" />
      </authentication>
    </security>
    <staticContent>
      <mimeMap fileExtension=".wim" mimeType="application/x-ms-wim" />
    </staticContent>
  </system.webServer>
</configuration>
"""


def ax2(incident):
    inc = incident("AX2-K5-sup-K8-client", ["K5", "K8"],
                   "duplicate .wim mimeMap on ApiRemoting30 (SUP bundle .zip with a nested .zip of "
                   "IIS logs) while a lab PC's policy (.reg) points at the old server")
    rng = Rng(2002)
    sup = Host("GVA-SUP01", "corp.lemanpharma.ch", "10.5.1.21", "Europe/Zurich", "wsus-server", "W. Europe Standard Time")
    pc = Host("GVA-LAB-3341", "corp.lemanpharma.ch", "10.5.33.41", "Europe/Zurich", "client", "W. Europe Standard Time")
    s = inc.bundle(sup, "wsus-server", archive="zip", collected=U("2024-05-22 09:00:00"))
    p = inc.bundle(pc, "client", collected=U("2024-05-22 08:40:00"))
    s.write("WebServices/ApiRemoting30/web.config", WEBCONFIG_API, "web.config", "utf-8-bom")
    inc.ev("K5", s, "WebServices/ApiRemoting30/web.config", '<mimeMap fileExtension=".wim"', ".wim mimeMap, no <remove>")
    s.write("inetsrv/config/applicationHost.config", apphost(wsuspool(private_mem=8000000, queue=25000), 2),
            "applicationHost.config")
    pool = L.client_pool(rng, "10.5.40", 12, (L.UA_WIN10, L.UA_WIN11))
    reqs = L.background(rng, U("2024-05-22 04:00:00"), U("2024-05-22 08:50:00"), pool, (3, 9))
    for hh in (5, 6, 7, 8):
        reqs.append(Req(U("2024-05-22 %02d:00:04" % hh), "10.5.1.10", "POST", L.EP_API, 500, 19, 183, ua=L.UA_API))
    s.write("W3SVC2/u_ex240522.log", L.iis_log([(U("2024-05-22 04:00:00"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C (nested zip)", "utf-8", nested="IISLogs.zip")
    reg = ["Windows Registry Editor Version 5.00", "",
           "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]",
           '"WUServer"="http://gva-wsus-old.corp.lemanpharma.ch:8530"',
           '"WUStatusServer"="http://gva-wsus-old.corp.lemanpharma.ch:8530"',
           '"TargetGroupEnabled"=dword:00000001', '"TargetGroup"="Lab-Ring2"', "",
           "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU]",
           '"UseWUServer"=dword:00000001', '"AUOptions"=dword:00000003', ""]
    p.write("Registry/WindowsUpdate.reg", "\n".join(reg) + "\n", ".reg export (regedit)", "utf-16le-bom")
    inc.ev("K8", p, "Registry/WindowsUpdate.reg", '"WUServer"=', "WUServer is the old server")
    W = []
    old = "http://gva-wsus-old.corp.lemanpharma.ch:8530"
    for i, d in enumerate((20, 21, 22)):
        wu10_scan(W, U("2024-05-%02d 06:%02d:31.200" % (d, 11 + i)), 3100, 7420, 6011, old, 12 + i,
                  fail=("8024402C", None, ["WS error: There was an error communicating with the endpoint at '%s/ClientWebService/client.asmx'." % old,
                                            "WS error: The server name or address could not be resolved"], "SyncUpdates"),
                  cv="Pq7sD1fG3hJ5kL9z")
    W.sort(key=lambda r: r[0])
    p.write("WindowsUpdate.log", L.wu10(pc, W), "Get-WindowsUpdateLog", "ascii")


# ====================================================================== AX3: K10 + K3
def ax3(incident):
    inc = incident("AX3-K10-cas-K3-new-sup", ["K10", "K3"],
                   "CAS sync fails: no proxy for sws.update.microsoft.com; meanwhile the new SUP's "
                   "WSUS postinstall fails against the remote SQL (no sysadmin)")
    rng = Rng(2003)
    cas = Host("MAD-CAS01", "es.iberiatrans.es", "10.66.0.10", "Europe/Madrid", "site-server+wsus-server",
               "Romance Standard Time")
    new = Host("MAD-SUP02", "es.iberiatrans.es", "10.66.0.32", "Europe/Madrid", "wsus-server", "Romance Standard Time")
    c = inc.bundle(cas, "site-server+wsus-server", collected=U("2024-10-28 12:00:00"))
    n = inc.bundle(new, "wsus-server", collected=U("2024-10-28 12:10:00"))
    w = L.SmsLog(cas, F.SYNC, 5004, site="CAS", pid=3004)
    msg = ("UssCommunicationError: WebException: The remote name could not be resolved: 'sws.update.microsoft.com'"
           "~~at System.Net.HttpWebRequest.GetRequestStream()")
    # crosses the end of CEST (2024-10-27): bias -120 then -60
    F.wsync_cycle(w, cas, cas.fqdn, "CAS", U("2024-10-26 22:00:01.500"), source_guid="{%s}" % rng.guid(upper=True))
    for d, hh in ((27, 22), (27, 23), (28, 9)):
        F.wsync_cycle(w, cas, cas.fqdn, "CAS", U("2024-10-%02d %02d:00:02.%03d" % (d, hh, rng.randint(0, 999))),
                      "local request" if hh == 9 else "regular schedule", fail=("wsus", msg, F.SRC_SYNCWSUS))
    c.write("Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG (crosses DST)", "utf-8-bom")
    inc.ev("K10", c, "Logs/wsyncmgr.log", "The remote name could not be resolved", "6703 name not resolved")
    k = L.SmsLog(cas, F.WCM, 6200)
    F.wcm_check(k, U("2024-10-28 08:30:00.100"), cas.fqdn)
    k.add("Proxy settings: no proxy server configured for the software update point (UseProxy = 0)~", 20)
    c.write("Logs/WCM.log", k.text(), "SMS trace", "utf-8-bom")
    t0 = U("2024-10-28 10:31:12")
    P = ["Postinstall started", "Detected role services: Api, UI, Services, Database",
         "Start: LoadSettingsFromXml", "Start: GetConfigValue with filename=UpdateServices-Services.xml item=ContentLocal",
         "Value is true", "End: GetConfigValue", "Start: GetConfigValue with filename=UpdateServices-Services.xml item=ContentDirectory",
         "Value is F:\\WSUS", "End: GetConfigValue", "Content directory is F:\\WSUS",
         "Start: GetConfigValue with filename=UpdateServices-DB.xml item=InstanceName",
         "Value is MAD-SQL03.es.iberiatrans.es\\CM", "End: GetConfigValue",
         "Database instance is MAD-SQL03.es.iberiatrans.es\\CM", "End: LoadSettingsFromXml",
         "Initializing content directory...", "Creating content directory F:\\WSUS\\WsusContent",
         "Finished creating content shares", "Stopping service WSUSService", "Stopping service W3SVC",
         "Configuring database...", "Configuring the database...", "Establishing DB connection...",
         "Checking to see if database exists...", "Database does not exist, creating it...",
         "Fatal Error: System.Data.SqlClient.SqlException (0x80131904): CREATE DATABASE permission denied in database 'master'."]
    out = []
    for i, m in enumerate(P):
        out.append("%s %s" % (new.local(t0 + td(seconds=i // 3)).strftime("%Y-%m-%d %H:%M:%S"), m))
    out += ["   at System.Data.SqlClient.SqlConnection.OnError(SqlException exception, Boolean breakConnection, Action`1 wrapCloseInAction)",
            "   at Microsoft.UpdateServices.Administration.ConfigureDB.CreateDatabase()",
            "   at Microsoft.UpdateServices.Administration.PostInstall.Run()",
            "ClientConnectionId:%s" % rng.guid(),
            "Error Number:262,State:1,Class:14"]
    n.write("Temp/wsusutil-postinstall_tmpA41F.log", "\n".join(out) + "\n", "wsusutil postinstall log", "ascii")
    inc.ev("K3", n, "Temp/wsusutil-postinstall_tmpA41F.log", "Fatal Error:", "postinstall: no CREATE DATABASE permission")
    ev = [L.evt_xml("Microsoft-Windows-ServerManager-MultiMachine", 7, 2, t0 + td(seconds=20), new.fqdn,
                    "Microsoft-Windows-ServerManager-MultiMachine/Admin",
                    [("TaskName", "Post-deployment Configuration"),
                     ("Result", "The operation failed: Windows Server Update Services post-installation configuration failed. "
                                "See log file C:\\Users\\adm-rgarcia\\AppData\\Local\\Temp\\tmpA41F.tmp")], 301)]
    n.write("Events/ServerManager.xml", "\n".join(ev) + "\n", "wevtutil /f:xml", "utf-8")


# ====================================================================== healthy
def ok1(incident):
    inc = incident("AOK1-transient-503-then-6702", [],
                   "one sync gets 503 while WsusPool recycles after a scheduled config change; the "
                   "retry an hour later succeeds (6702); a few 503s/QueueFull in one minute, then 200s")
    rng = Rng(3001)
    cm = Host("SEA-CM01", "nw.salishtimber.com", "10.21.0.10", "America/Los_Angeles", "site-server", "Pacific Standard Time")
    sup = Host("SEA-SUP01", "nw.salishtimber.com", "10.21.0.21", "America/Los_Angeles", "wsus-server", "Pacific Standard Time")
    c = inc.bundle(cm, "site-server", collected=U("2024-09-18 22:00:00"))
    s = inc.bundle(sup, "wsus-server", collected=U("2024-09-18 22:05:00"))
    w = L.SmsLog(cm, F.SYNC, 2810, site="ST1", pid=2230)
    g = "{%s}" % rng.guid(upper=True)
    F.wsync_cycle(w, cm, sup.fqdn, "ST1", U("2024-09-18 09:00:01.100"), source_guid=g, version=201)
    F.wsync_cycle(w, cm, sup.fqdn, "ST1", U("2024-09-18 17:00:02.300"), fail=(
        "connect", "The request failed with HTTP status 503: Service Unavailable", F.SRC_ADMINPROXY))
    F.wsync_cycle(w, cm, sup.fqdn, "ST1", U("2024-09-18 18:00:06.900"), "retry schedule", source_guid=g, version=203)
    c.write("Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG", "utf-8-bom")
    pool = L.client_pool(rng, "10.21.30", 14, (L.UA_WIN10, L.UA_WIN11))
    def rule(t):
        if U("2024-09-18 16:59:40") <= t < U("2024-09-18 17:00:40"):
            return {L.EP_CLIENT: (503, 2, 0)}
        return None
    reqs = L.background(rng, U("2024-09-18 14:00:00"), U("2024-09-18 21:50:00"), pool, (1, 5), rules=rule)
    for k in range(4):
        reqs += L.scan_seq(rng, U("2024-09-18 16:59:42") + td(seconds=13 * k), "10.21.30.%d" % (60 + k), L.UA_WIN10,
                           fail={L.EP_CLIENT: (503, 2, 0)}, selfupdate=False)
    reqs.append(Req(U("2024-09-18 17:00:05"), cm.ip, "POST", L.EP_API, 503, 2, 0, ua=L.UA_API))
    for hh in (15, 16, 18, 19, 20):
        reqs += L.api_auth(rng, U("2024-09-18 %02d:00:05.100" % hh), cm.ip, "SALISH\\SEA-CM01$")
    s.write("IIS/W3SVC1/u_ex240918.log", L.iis_log([(U("2024-09-18 14:00:00"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C", "utf-8")
    rows = [(U("2024-09-18 16:59:51") + td(seconds=4 * i), "10.21.30.%d" % (90 + i), 51000 + i, sup.ip, 8530, "HTTP/1.1",
             "POST", L.EP_CLIENT, 503, 1, "QueueFull", "WsusPool") for i in range(4)]
    rows.append((U("2024-09-18 19:12:40"), "10.21.30.77", 52011, sup.ip, 8530, "HTTP/1.1", "GET", "/Content/A1/33F0.cab",
                 "-", 1, "Timer_ConnectionIdle", "-"))
    s.write("HTTPERR/httperr1.log", L.httperr_log([(U("2024-09-18 16:59:51"), L.HTTPERR_F1, rows)]), "HTTPERR", "utf-8")
    s.write("inetsrv/config/applicationHost.config", apphost(wsuspool(private_mem=8000000, queue=25000), 1),
            "applicationHost.config")
    s.write("appcmd_list_apppool.txt", A.appcmd_pools([("DefaultAppPool", "v4.0", "Integrated", "Started"),
                                                       ("WsusPool", "v4.0", "Integrated", "Started")]), "appcmd output", "ascii")
    ev = [L.evt_xml("Microsoft-Windows-WAS", 5080, 3, U("2024-09-18 16:59:38.100"), sup.fqdn, "System",
                    [("AppPoolID", "WsusPool")], 91001, qualifiers=32768, guid=L.WAS["guid"], source_name="WAS")]
    s.write("Events/System.xml", "\n".join(ev) + "\n", "wevtutil /f:xml", "utf-8")
    inc.healthy("one 6703 (503) followed by 6702 on the retry")


def ok2(incident):
    inc = incident("AOK2-client-one-timeout-nomanifest", [],
                   "a laptop's scan times out once (0x80072EE2) on a hotel network; every later scan "
                   "succeeds and its requests appear in IIS (client bundle without manifest)")
    rng = Rng(3002)
    sup = Host("AMS-SUP01", "nl.dijkstra-bouw.nl", "10.44.0.21", "Europe/Amsterdam", "wsus-server", "W. Europe Standard Time")
    lt = Host("AMS-LT-0815", "nl.dijkstra-bouw.nl", "10.44.71.15", "Europe/Amsterdam", "client")
    s = inc.bundle(sup, "wsus-server", collected=U("2025-09-10 12:00:00"))
    l = inc.bundle(lt, "client", manifest=False)
    url = "https://AMS-SUP01.nl.dijkstra-bouw.nl:8531"
    W = []
    wu10_scan(W, U("2025-09-07 18:22:10.100"), 3904, 6120, 5008, url, 71, fail=(
        "80072EE2", None, ["WS error: There was an error communicating with the endpoint at '%s/ClientWebService/client.asmx'." % url,
                           "WS error: The operation did not complete within the time allotted."], "SyncUpdates"),
        fail_at=U("2025-09-07 18:22:52.300"), cv="Rt5yU7iO9pA1sD3f")
    for i, (d, hh) in enumerate(((8, 7), (8, 15), (9, 7), (9, 15), (10, 7))):
        wu10_scan(W, U("2025-09-%02d %02d:%02d:%02d.%03d" % (d, hh, rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999))),
                  3904, 6120, 5008, url, 72 + i, found=(0 if i else 2, 91), cv="Rt5yU7iO9pA1sD3f")
    W.sort(key=lambda r: r[0])
    l.write("WindowsUpdate.log", L.wu10(lt, W), "Get-WindowsUpdateLog", "ascii")
    ev = []
    rec = 40110
    ev.append(L.evt_xml(L.WUC["provider"], 25, 2, U("2025-09-07 18:22:53.000"), lt.fqdn, "System",
                        [("errorCode", "0x80072ee2")], rec, guid=L.WUC["guid"], task=1, opcode=13,
                        keywords="0x8000000000000004", pid=3904, tid=6120, user="S-1-5-18"))
    ev.append(L.evt_xml(L.WUC["provider"], 44, 4, U("2025-09-08 07:40:02.000"), lt.fqdn, "System",
                        [("updateTitle", "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.437.211.0)"),
                         ("updateGuid", "{%s}" % rng.guid()), ("updateRevisionNumber", "200")], rec + 40,
                        guid=L.WUC["guid"], task=1, opcode=12, keywords="0x8000000000000010", pid=3904, tid=6120, user="S-1-5-18"))
    ev.append(L.evt_xml(L.WUC["provider"], 19, 4, U("2025-09-08 07:41:30.000"), lt.fqdn, "System",
                        [("updateTitle", "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.437.211.0)"),
                         ("updateGuid", "{%s}" % rng.guid()), ("updateRevisionNumber", "200")], rec + 41,
                        guid=L.WUC["guid"], task=1, opcode=13, keywords="0x8000000000000010", pid=3904, tid=6120, user="S-1-5-18"))
    l.write("Events/System-WindowsUpdateClient.xml", "\n".join(ev) + "\n", "wevtutil /f:xml", "utf-8")
    pool = L.client_pool(rng, "10.44.70", 12, (L.UA_WIN11,))
    for day in ("250908", "250909"):
        d0 = U("20%s-%s-%s 00:01:00" % (day[:2], day[2:4], day[4:]))
        reqs = L.background(rng, d0, d0 + td(hours=23), pool, (10, 30), port=8531)
        for (wt, *_rest) in [r for r in W if r[3] == "ComApi" and "START" in r[4]]:
            if wt.strftime("%y%m%d") == day:
                reqs += L.scan_seq(rng, wt + td(milliseconds=500), lt.ip, L.UA_WIN11, port=8531, selfupdate=False)
        s.write("IIS/W3SVC1/u_ex%s.log" % day, L.iis_log([(d0, L.IIS_F1, reqs)], sup.ip, rng, sup.name), "IIS W3C", "utf-8")
    inc.healthy("one 0x80072EE2, then successful scans")


def ok3(incident):
    inc = incident("AOK3-auth-pairs-skipped-updates", [],
                   "scheduled syncs succeed; wsyncmgr (CMTrace layout) logs skipped and expired updates "
                   "as warnings; IIS shows 401.2/401.1-then-200 NTLM pairs from the site server")
    rng = Rng(3003)
    cm = Host("OSA-CM01", "kansai.hoshino-seiki.jp", "10.8.0.10", "Asia/Tokyo", "site-server", "Tokyo Standard Time")
    sup = Host("OSA-SUP01", "kansai.hoshino-seiki.jp", "10.8.0.21", "Asia/Tokyo", "wsus-server", "Tokyo Standard Time")
    c = inc.bundle(cm, "site-server", collected=U("2025-02-20 08:00:00"))
    s = inc.bundle(sup, "wsus-server", archive="zip", collected=U("2025-02-20 08:05:00"))
    w = L.SmsLog(cm, F.SYNC, 3330, site="OS1", pid=2424)
    g = "{%s}" % rng.guid(upper=True)
    for i, t in enumerate(("2025-02-19 01:00:01.100", "2025-02-19 09:00:01.900", "2025-02-19 17:00:02.400")):
        end = F.wsync_cycle(w, cm, sup.fqdn, "OS1", U(t), source_guid=g, version=500 + 2 * i,
                            updates=[(rng.guid(), "2025-02 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5051987)")])
        w.at(end)
        for k in range(3):
            w.add("Skipped update %s - %s because it is up to date." % (rng.guid(), rng.choice([
                "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602",
                "Windows Malicious Software Removal Tool x64 - v5.131 (KB890830)",
                "2025-01 Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1 for Windows 10 Version 22H2 for x64 (KB5050188)"])), 12)
        w.add("Sync: skipped %d expired updates (already expired in the site database)" % rng.randint(3, 40), 5)
    c.write("Logs/wsyncmgr.log", L.cmtrace(cm, A.sms_to_cm(w)), "wsyncmgr.log in CMTrace layout")
    k = L.SmsLog(cm, F.WCM, 4711)
    for hh in range(0, 23, 4):
        F.wcm_check(k, U("2025-02-19 %02d:31:00.%03d" % (hh, rng.randint(0, 999))), sup.fqdn, port=8531, ssl=True)
    c.write("Logs/WCM.log", k.text(), "SMS trace", "utf-8-bom")
    pool = L.client_pool(rng, "10.8.30", 16, (L.UA_WIN11, L.UA_WIN10))
    reqs = L.background(rng, U("2025-02-19 00:00:40"), U("2025-02-19 23:58:00"), pool, (6, 20), port=8531)
    for hh in range(0, 24):
        reqs += L.api_auth(rng, U("2025-02-19 %02d:%02d:03.300" % (hh, 31 if hh % 4 == 0 else 0)), cm.ip,
                           "HOSHINO\\OSA-CM01$", port=8531, calls=rng.randint(2, 5))
    for hh in (1, 9, 17):
        reqs += L.api_auth(rng, U("2025-02-19 %02d:00:02.100" % hh), cm.ip, "HOSHINO\\OSA-CM01$",
                           stem=L.EP_REPORT, port=8531)
    s.write("W3SVC1/u_ex250219.log", L.iis_log([(U("2025-02-19 00:00:40"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C (in .zip)", "utf-8")
    s.write("Get-IISAppPool.txt", A.iis_apppools([("DefaultAppPool", "Started", "v4.0", "Integrated", "OnDemand"),
                                                  ("WsusPool", "Started", "v4.0", "Integrated", "AlwaysRunning")]),
            "Get-IISAppPool table", "ascii")
    inc.healthy("401.2/401.1 then 200 pairs; Skipped lines are normal")


def ok4(incident):
    inc = incident("AOK4-wsuspool-recycle-benign", [],
                   "WsusPool recycles on its schedule (WAS 5074) with a raised private memory limit; "
                   "all services running; content sync finishes; idle-connection HTTPERR entries")
    rng = Rng(3004)
    sup = Host("DUB-WSUS01", "ie.liffeyhealth.ie", "10.12.0.21", "Europe/Dublin", "wsus-server", "GMT Standard Time")
    s = inc.bundle(sup, "wsus-server", archive="tar.gz", collected=U("2024-06-05 16:00:00"))
    s.write("inetsrv/config/applicationHost.config", apphost(wsuspool(private_mem=8388608, queue=25000, rapid=False), 4),
            "applicationHost.config")
    s.write("Get-Service.json", L.ps51_json([
        {"Name": n, "DisplayName": d, "Status": 4, "StartType": st} for n, d, st in (
            ("WsusService", "WSUS Service", 2), ("W3SVC", "World Wide Web Publishing Service", 2),
            ("WAS", "Windows Process Activation Service", 3), ("MSSQL$MICROSOFT##WID", "Windows Internal Database", 2),
            ("wuauserv", "Windows Update", 3), ("BITS", "Background Intelligent Transfer Service", 3))]),
        "Get-Service | ConvertTo-Json (PS 5.1)", "utf-16le-bom")
    ev = [L.evt_xml("Microsoft-Windows-WAS", 5074, 4, U("2024-06-05 03:00:00.120"), sup.fqdn, "System",
                    [("AppPoolID", "WsusPool"), ("ProcessID", "6120")], 120331, qualifiers=16384,
                    guid=L.WAS["guid"], source_name="WAS"),
          L.evt_xml("Service Control Manager", 7036, 4, U("2024-06-05 03:10:44.500"), sup.fqdn, "System",
                    [("param1", "Background Intelligent Transfer Service"), ("param2", "running")], 120340,
                    qualifiers=16384, guid=L.SCM["guid"], source_name="Service Control Manager"),
          L.evt_xml("Microsoft-Windows-Time-Service", 37, 4, U("2024-06-05 05:12:00.000"), sup.fqdn, "System",
                    [("TimeSource", "DUB-DC01.ie.liffeyhealth.ie (ntp.d|10.12.0.21:123->10.12.0.5:123)")], 120360)]
    s.write("Events/System.xml", "\n".join(ev) + "\n", "wevtutil /f:xml", "utf-8")
    S = []
    t = U("2024-06-05 02:00:03.100")
    S.append((t, "Info", "WsusService.18", "EventLogEventReporter.ReportEvent",
              "EventId=381,Type=Information,Category=Synchronization,Message=A scheduled synchronization was started."))
    S.append((t + td(minutes=6), "Info", "WsusService.18", "EventLogEventReporter.ReportEvent",
              "EventId=384,Type=Information,Category=Synchronization,Message=Synchronization completed successfully."))
    S.append((t + td(minutes=6, seconds=2), "Info", "WsusService.22", "EventLogEventReporter.ReportEvent",
              "EventId=361,Type=Information,Category=Synchronization,Message=Content synchronization started."))
    S.append((t + td(minutes=9), "Warning", "WsusService.22", "ContentSyncAgent.WakeUpWorkerThreadProc",
              "Content sync: 2 files are queued for a retry later (BITS job transient error 0x80200010)"))
    S.append((t + td(minutes=25), "Info", "WsusService.22", "EventLogEventReporter.ReportEvent",
              "EventId=364,Type=Information,Category=Synchronization,Message=Content synchronization succeeded."))
    S.append((U("2024-06-05 03:00:01.200"), "Info", "w3wp.31", "ClientImplementation..ctor",
              "Initializing ClientWebService ProcessID = 7012, Process Start Time = 6/5/2024 4:00:00 AM, Product Version = 10.0.17763.5830"))
    s.write("LogFiles/SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "utf-8-bom")
    rows = [(U("2024-06-05 %02d:%02d:%02d" % (h, rng.randint(0, 59), rng.randint(0, 59))), "10.12.40.%d" % rng.randint(11, 250),
             rng.randint(49152, 65000), sup.ip, 8530, "HTTP/1.1", "GET", "/Content/%02X/%s.cab" % (rng.randint(0, 255), rng.hexs(40)),
             "-", 1, "Timer_ConnectionIdle", "-") for h in range(1, 15, 2)]
    s.write("HTTPERR/httperr1.log", L.httperr_log([(U("2024-06-05 01:00:00"), L.HTTPERR_F1, rows)]), "HTTPERR", "utf-8")
    pool = L.client_pool(rng, "10.12.40", 16, (L.UA_WIN10, L.UA_WIN11))
    reqs = L.background(rng, U("2024-06-05 00:00:20"), U("2024-06-05 15:50:00"), pool, (4, 12))
    s.write("IIS/W3SVC1/u_ex240605.log", L.iis_log([(U("2024-06-05 00:00:20"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C", "utf-8")
    inc.healthy("WAS 5074 scheduled recycle, no failure")


# ====================================================================== XSS
def xss(incident):
    P = PAYLOADS
    inc = incident("XSS-payloads", ["K2"],
                   "K2 (WsusPool 503) whose user agents, URIs, update titles, event messages, registry "
                   "values and manifest host names carry script/attribute/template payloads")
    rng = Rng(4001)
    cm = Host("XSS-CM01", "lab.example.test", "10.99.0.10", "UTC", "site-server", "UTC")
    sup = Host("XSS-SUP01", "lab.example.test", "10.99.0.21", "UTC", "wsus-server", "UTC")
    cl = Host("XSS-CL01", "lab.example.test", "10.99.5.1", "UTC", "client", "UTC")
    c = inc.bundle(cm, "site-server", collected=U("2025-03-03 12:00:00"), note=P[0])
    s = inc.bundle(sup, "wsus-server", collected=U("2025-03-03 12:05:00"), fqdn="xss-sup01.lab.example.test" + P[5])
    k = inc.bundle(cl, "client", collected=U("2025-03-03 12:10:00"), hostname="XSS-CL01" + P[1],
                   fqdn="xss-cl01" + P[3] + ".lab.example.test")
    w = L.SmsLog(cm, F.SYNC, 1111, site="XS1", pid=2222)
    titles = ["Cumulative Update %s for Windows (KB5000001)" % p for p in P]
    F.wsync_cycle(w, cm, sup.fqdn, "XS1", U("2025-03-03 06:00:00.100"), source_guid="{%s}" % rng.guid(upper=True),
                  updates=[(rng.guid(), t) for t in titles])
    fail = ("connect", "The request failed with HTTP status 503: Service Unavailable", F.SRC_ADMINPROXY)
    F.wsync_cycle(w, cm, sup.fqdn, "XS1", U("2025-03-03 10:00:01.200"), fail=fail,
                  pre=["Proxy: " + P[2], "Comment " + P[4] + P[6]])
    F.wsync_cycle(w, cm, sup.fqdn, "XS1", U("2025-03-03 11:00:01.300"), "retry schedule", fail=fail)
    c.write("Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG", "utf-8-bom")
    inc.ev("K2", c, "Logs/wsyncmgr.log", "Sync failed: The request failed with HTTP status 503", "6703 503")
    # IIS: payloads in stem, query and user agent ('+' for spaces)
    plus = lambda x: x.replace(" ", "+")
    reqs = []
    t = U("2025-03-03 08:00:00")
    for i, p in enumerate(P):
        reqs.append(Req(t + td(minutes=3 * i), "10.99.5.%d" % (10 + i), "GET", "/Content/" + plus(p), 404, 0, 2,
                        ua="Mozilla/5.0+" + plus(p), query="q=" + plus(p)))
        reqs.append(Req(t + td(minutes=3 * i, seconds=20), "10.99.5.%d" % (10 + i), "POST", L.EP_CLIENT, 200, 0, 0,
                        ua=plus(p) + "+Windows-Update-Agent/10.0.10011.16384"))
    pool = L.client_pool(rng, "10.99.6", 8, (L.UA_WIN10,))
    def rule(tt):
        return {L.EP_CLIENT: (503, 2, 0)} if tt >= U("2025-03-03 09:58:00") else None
    reqs += L.background(rng, U("2025-03-03 08:30:00"), U("2025-03-03 11:50:00"), pool, (2, 6), rules=rule)
    for hh in (10, 11):
        reqs.append(Req(U("2025-03-03 %02d:00:02" % hh), cm.ip, "POST", L.EP_API, 503, 2, 0, ua=L.UA_API))
    s.write("IIS/W3SVC1/u_ex250303.log", L.iis_log([(U("2025-03-03 08:00:00"), L.IIS_F1, reqs)], sup.ip, rng, sup.name),
            "IIS W3C (payloads)", "utf-8")
    s.write("inetsrv/config/applicationHost.config", apphost(wsuspool(private_mem=1843200), 1), "applicationHost.config")
    s.write("appcmd_list_apppool.txt", A.appcmd_pools([("DefaultAppPool", "v4.0", "Integrated", "Started"),
                                                       ("WsusPool", "v4.0", "Integrated", "Stopped")]), "appcmd output", "ascii")
    ev = []
    for i, p in enumerate(P):
        ev.append(L.evt_xml("Windows Server Update Services", 7053, 2, U("2025-03-03 09:%02d:00.000" % (10 + i)), sup.fqdn,
                            "Application", ["The WSUS administration console has encountered an unexpected error. " + p], 700 + i,
                            qualifiers=0))
    ev.append(L.evt_xml("Microsoft-Windows-WAS", 5002, 2, U("2025-03-03 09:59:30.000"), sup.fqdn, "System",
                        [("AppPoolID", "WsusPool" + P[0])], 800, qualifiers=49152, guid=L.WAS["guid"], source_name="WAS"))
    s.write("Events/Application.xml", "\n".join(ev) + "\n", "wevtutil /f:xml (escaped payloads)", "utf-8")
    # client: CMTrace and reg query with payloads
    C = [(U("2025-03-03 09:%02d:00.000" % (20 + i)), "WUAHandler", "Update title: " + p, 2 if i % 2 else 1, 4040,
          "cwuahandler.cpp:1") for i, p in enumerate(P)]
    k.write("CCM/Logs/WUAHandler.log", L.cmtrace(cl, C), "CMTrace (payloads)")
    rq = ["", "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate",
          "    WUServer    REG_SZ    http://XSS-SUP01.lab.example.test:8530",
          "    WUStatusServer    REG_SZ    http://XSS-SUP01.lab.example.test:8530"]
    rq += ["    Note%d    REG_SZ    %s" % (i, p) for i, p in enumerate(P)]
    rq += ["", ""]
    k.write("reg_query_WindowsUpdate.txt", "\n".join(rq) + "\n", "reg query output (payloads)", "ascii")
