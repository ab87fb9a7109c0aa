"""incidents_ok.py -- healthy incidents (OK01..OK03) and the two combined ones
(X01: K2 on the SUP + K8 on a client; X02: K4 on the SUP + K1 on a client)."""

import samplelib as L
from samplelib import U, td, Host, Rng, Req
import cmflows as F

import gen_samples as G
from incidents_faults import apphost, wsuspool
from incidents_faults2 import sup_services_down
from incidents_more import wu10_scan


def build(incident):
    ok01(incident)
    ok02(incident)
    ok03(incident)
    x01(incident)
    x02(incident)


def softdist_sync(S, t_start, secs, proc_w3wp="w3wp.12", svc="WsusService.19", ok=True):
    """SoftwareDistribution.log lines of one WSUS sync started through the API."""
    S += [(t_start, "Change", proc_w3wp, "AdminDataAccess.StartSubscriptionManually", "Synchronization manually started"),
          (t_start + td(milliseconds=1890), "Info", svc, "EventLogEventReporter.ReportEvent",
           "EventId=382,Type=Information,Category=Synchronization,Message=A manual synchronization was started."),
          (t_start + td(milliseconds=2100), "Info", svc, "CatalogSyncAgentCore.SetSubscriptionStateWithRetry", "Firing event SyncStart..."),
          (t_start + td(seconds=3, milliseconds=40), "Info", svc, "SusService.ValidateServerCertificate", "CheckValidationResult Succeeds: CertOK")]
    if ok:
        S += [(t_start + td(seconds=secs), "Info", svc, "EventLogEventReporter.ReportEvent",
               "EventId=384,Type=Information,Category=Synchronization,Message=Synchronization completed successfully."),
              (t_start + td(seconds=secs, milliseconds=1140), "Info", "WsusService.31", "CatalogSyncAgent.SetSubscriptionStateWithRetry",
               "Firing event SyncFinish...")]


# ====================================================================== OK01

def ok01(incident):
    inc = incident("OK01-healthy-sync-cycle", [],
                   "scheduled and manual syncs complete (6701, 6704, 6705, 6702); IIS "
                   "shows 200/206 and benign 401-then-200 pairs")
    rng = Rng(2001)
    Z = "Pacific/Honolulu"
    site = "KCU"
    cm = Host("KCU-CM01", "kaimanacu.org", "10.9.0.10", Z, "site-server", "Hawaiian Standard Time")
    sup = Host("KCU-SUP01", "kaimanacu.org", "10.9.0.21", Z, "wsus-server", "Hawaiian Standard Time")
    inc.bundle("KCU-CM01", cm, "site-server", collected=U("2024-11-13 02:40:00"))
    inc.bundle("KCU-SUP01", sup, "wsus-server", collected=U("2024-11-13 02:45:00"))
    src_guid = "{%s}" % rng.guid(upper=True)
    ups = [(rng.guid(), "2024-11 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5046617)"),
           (rng.guid(), "2024-11 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems (KB5046613)"),
           (rng.guid(), "2024-11 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5046616)"),
           (rng.guid(), "Windows Malicious Software Removal Tool x64 - v5.129 (KB890830)"),
           (rng.guid(), "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.421.1044.0)")]
    w = L.SmsLog(cm, F.SYNC, 4428, site, pid=2972)
    syncs = [("2024-11-12 10:00:00.412", "regular schedule", ups[4:5], (11, 4), "2024-11-12 18:00:00"),
             ("2024-11-12 18:00:00.207", "regular schedule", ups[0:4], (188, 61), "2024-11-13 02:00:00"),
             ("2024-11-12 21:14:37.930", "local request", [], (6, 1), "2024-11-13 02:00:00"),
             ("2024-11-13 02:00:00.318", "regular schedule", ups[4:5], (9, 3), "2024-11-13 10:00:00")]
    ends = []
    ver = 521
    for tt, how, u, items, nxt in syncs:
        t = U(tt)
        ends.append((t, F.wsync_cycle(w, cm, sup.fqdn, site, t, how=how, updates=u, items=items,
                                      source_guid=src_guid, version=ver, next_regular=U(nxt),
                                      wsus_secs=60 + 2 * items[0],
                                      pre=("Found local sync request file",) if how == "local request" else ())))
        ver += 1
    inc.write("KCU-CM01", "Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG")
    inc.ev("-", "KCU-CM01", "Logs/wsyncmgr.log", "ID=6702", "6701 -> 6704 -> 6705 -> 6702, four times")
    c = L.SmsLog(cm, F.WCM, 3560)
    for k in range(0, 17, 2):
        tt = U("2024-11-12 10:41:03") + td(hours=k, milliseconds=rng.randint(0, 999))
        F.wcm_check(c, tt, sup.fqdn, versions=("10.0.20348.2762", "10.0.20348.2762"))
    inc.write("KCU-CM01", "Logs/WCM.log", c.text(), "SMS trace")

    S = []
    for (t, end) in ends:
        softdist_sync(S, t + td(seconds=3, milliseconds=100), max(8, int((end - t).total_seconds() * 0.45)))
    S.append((U("2024-11-12 18:06:40.119"), "Info", "WsusService.27", "ContentSyncAgent.WakeUpWorkerThreadProc",
              "EventId=361,Type=Information,Category=Synchronization,Message=Content synchronization started."))
    S.append((U("2024-11-12 18:31:02.884"), "Info", "WsusService.27", "ContentSyncAgent.WakeUpWorkerThreadProc",
              "Content synchronization completed: 14 files, 2.31 GB downloaded."))
    S.sort(key=lambda r: r[0])
    inc.write("KCU-SUP01", "SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "utf-8-bom")

    pool = L.client_pool(rng, "10.9.40", 12, (L.UA_WIN11, L.UA_WIN10)) + L.client_pool(rng, "10.9.8", 5, (L.UA_2012R2,))
    r1 = L.background(rng, U("2024-11-12 00:00:08"), U("2024-11-12 23:59:40"), pool, gap_min=(30, 55), content_p=0.4)
    for k in range(0, 24):
        if k >= 10 and k % 2 == 0:
            r1 += L.api_auth(rng, U("2024-11-12 %02d:41:04.%03d" % (k, rng.randint(0, 999))), cm.ip, "KAIMANA\\KCU-CM01$")
    for (t, end) in ends:
        if t.day == 12:
            r1 += L.api_auth(rng, t + td(seconds=1, milliseconds=300), cm.ip, "KAIMANA\\KCU-CM01$", calls=8)
    rel = "IIS/W3SVC1480219771/u_ex241112.log"
    inc.write("KCU-SUP01", rel, L.iis_log([(U("2024-11-12 00:00:08"), L.IIS_F1, r1)], sup.ip, rng, sup.fqdn),
              "IIS W3C", "utf-8")
    inc.ev("-", "KCU-SUP01", rel, " 401 1 2148074254 ", "401.2, 401.1 then 200 from the site server: authentication, not a fault")
    cfg = apphost(wsuspool(private_mem=8388608, queue=25000, rapid=False), "1480219771",
                  content="D:\\WSUS\\WsusContent", logdir="D:\\IISLogs")
    inc.write("KCU-SUP01", "inetsrv/config/applicationHost.config", cfg, "applicationHost.config", "utf-8-bom")
    gi = """PS C:\\> Get-IISAppPool

Name                 Status       CLR Ver  Pipeline Mode  Start Mode
----                 ------       -------  -------------  ----------
DefaultAppPool       Started      v4.0     Integrated     OnDemand
.NET v4.5 Classic    Started      v4.0     Classic        OnDemand
.NET v4.5            Started      v4.0     Integrated     OnDemand
WsusPool             Started      v4.0     Integrated     AlwaysRunning


"""
    inc.write("KCU-SUP01", "Get-IISAppPool.txt", gi, "Get-IISAppPool table", "utf-8")


# ====================================================================== OK02

def ok02(incident):
    inc = incident("OK02-transient-503-recovered", [],
                   "one sync hits a 503 during a client scan storm; the retry an hour "
                   "later succeeds (6702)")
    rng = Rng(2002)
    Z = "Pacific/Auckland"
    site = "TF1"
    cm = Host("TF-CM01", "tasmanfreight.co.nz", "10.44.0.10", Z, "site-server", "New Zealand Standard Time")
    sup = Host("TF-SUP01", "tasmanfreight.co.nz", "10.44.0.21", Z, "wsus-server", "New Zealand Standard Time")
    inc.bundle("TF-CM01", cm, "site-server", collected=U("2025-02-18 21:30:00"))
    inc.bundle("TF-SUP01", sup, "wsus-server", collected=U("2025-02-18 21:35:00"))
    src_guid = "{%s}" % rng.guid(upper=True)
    w = L.SmsLog(cm, F.SYNC, 5880, site, pid=3116)
    msg503 = "The request failed with HTTP status 503: Service Unavailable"
    F.wsync_cycle(w, cm, sup.fqdn, site, U("2025-02-18 19:02:00.120"),
                  fail=("connect", msg503, F.SRC_ADMINPROXY))
    ok_start = U("2025-02-18 20:02:04.480")
    end = F.wsync_cycle(w, cm, sup.fqdn, site, ok_start, how="retry schedule",
                        updates=[(rng.guid(), "2025-02 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5051987)"),
                                 (rng.guid(), "2025-02 Cumulative Update for Windows Server 2025 for x64-based Systems (KB5051987)")],
                        items=(164, 37), source_guid=src_guid, version=88,
                        next_regular=U("2025-02-19 19:02:00"))
    inc.write("TF-CM01", "Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG")
    inc.ev("-", "TF-CM01", "Logs/wsyncmgr.log", "ID=6703", "one 6703 (503) at 08:02 NZDT ...")
    inc.ev("-", "TF-CM01", "Logs/wsyncmgr.log", "ID=6702", "... then 6702 on the 09:02 retry")
    pool = L.client_pool(rng, "10.44.20", 14, (L.UA_WIN11, L.UA_WIN10))
    reqs = L.background(rng, U("2025-02-18 16:00:11"), U("2025-02-18 21:30:00"), pool, gap_min=(11, 22))
    t = U("2025-02-18 19:00:31")
    while t < U("2025-02-18 19:03:40"):
        ip, ua = rng.choice(pool)
        st = (503, 2, 0) if rng.random() < 0.25 else (200, 0, 0)
        reqs.append(Req(t, ip, "POST", L.EP_CLIENT, *st, ua=ua,
                        taken=rng.randint(0, 9) if st[0] == 503 else rng.randint(4000, 19000)))
        t += td(seconds=rng.randint(2, 8))
    reqs.append(Req(U("2025-02-18 19:02:01"), cm.ip, "POST", L.EP_API, 503, 2, 0, ua=L.UA_API, taken=0))
    reqs += L.api_auth(rng, ok_start + td(seconds=1, milliseconds=410), cm.ip, "TASMAN\\TF-CM01$", calls=9)
    rel = "IIS/W3SVC1/u_ex250218.log"
    inc.write("TF-SUP01", rel, L.iis_log([(U("2025-02-18 16:00:11"), L.IIS_F1, reqs)], sup.ip, rng, sup.fqdn),
              "IIS W3C", "utf-8")
    inc.ev("-", "TF-SUP01", rel, "- 503 2 0", "a few 503.2 in one minute, then 200 again")
    rows = [(U(tt), ip, rng.randint(50000, 65000), sup.ip, 8530, "HTTP/1.1", "POST", L.EP_CLIENT, 503, "1",
             "QueueFull", "WsusPool")
            for tt, ip in (("2025-02-18 19:01:22", pool[2][0]), ("2025-02-18 19:01:49", pool[5][0]),
                           ("2025-02-18 19:02:37", pool[7][0]))]
    rows.append((U("2025-02-18 20:40:15"), pool[1][0], 61234, sup.ip, 8530, "-", "-", "-", "-", "-",
                 "Timer_ConnectionIdle", "-"))
    inc.write("TF-SUP01", "HTTPERR/httperr1.log", L.httperr_log([(U("2025-02-18 19:01:22"), L.HTTPERR_F1, rows)]),
              "HTTPERR", "ascii")
    cfg = apphost(wsuspool(queue=5000), "1", content="E:\\WSUS\\WsusContent",
                  logdir="%SystemDrive%\\inetpub\\logs\\LogFiles")
    inc.write("TF-SUP01", "inetsrv/config/applicationHost.config", cfg, "applicationHost.config", "utf-8-bom")
    inc.write("TF-SUP01", "appcmd_list_apppool.txt",
              'C:\\Windows\\system32>C:\\Windows\\system32\\inetsrv\\appcmd.exe list apppool\n'
              'APPPOOL "DefaultAppPool" (MgdVersion:v4.0,MgdMode:Integrated,state:Started)\n'
              'APPPOOL ".NET v4.5 Classic" (MgdVersion:v4.0,MgdMode:Classic,state:Started)\n'
              'APPPOOL ".NET v4.5" (MgdVersion:v4.0,MgdMode:Integrated,state:Started)\n'
              'APPPOOL "WsusPool" (MgdVersion:v4.0,MgdMode:Integrated,state:Started)\n\n',
              "appcmd output", "ascii")
    S = []
    softdist_sync(S, ok_start + td(seconds=2, milliseconds=900), int((end - ok_start).total_seconds() * 0.5),
                  proc_w3wp="w3wp.8", svc="WsusService.14")
    inc.write("TF-SUP01", "SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "utf-8")


# ====================================================================== OK03

def ok03(incident):
    inc = incident("OK03-healthy-client-scans", [],
                   "a Windows 11 workstation and a 2012 R2 print server scan, install "
                   "and report to KA-SUP01")
    rng = Rng(2003)
    Z = "Europe/London"
    sup = Host("KA-SUP01", "kestrel-aero.co.uk", "10.2.0.21", Z, "wsus-server", "GMT Standard Time")
    ws = Host("KA-ENG-WS112", "kestrel-aero.co.uk", "10.2.31.112", Z, "client", "GMT Standard Time")
    prn = Host("KA-SRV-PRN01", "kestrel-aero.co.uk", "10.2.8.40", Z, "client", "GMT Standard Time")
    inc.bundle("KA-SUP01", sup, "wsus-server", collected=U("2025-06-03 15:10:00"))
    inc.bundle("KA-ENG-WS112", ws, "client", collected=U("2025-06-03 14:58:00"))
    inc.bundle("KA-SRV-PRN01", prn, "client", manifest=False)
    url = "http://KA-SUP01.kestrel-aero.co.uk:8530"
    src_guid = "{%s}" % rng.guid(upper=True)

    # -- workstation, Windows 11
    W = []
    e1 = wu10_scan(W, U("2025-06-03 08:12:40.205"), 4472, 9120, 6604, url, 301, found=(2, 79))
    e2 = wu10_scan(W, U("2025-06-03 13:47:02.660"), 4472, 7736, 6604, url, 302, found=(0, 79))
    kb = "2025-05 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5058411)"
    t = U("2025-06-03 08:20:11.004")
    for k, (comp, m) in enumerate([
            ("ComApi", "* START *   Install ClientId = CcmExec (cV: aW3kP0qLr02mT1xB.0)"),
            ("Agent", "* START * Installing updates CallerId = CcmExec  Id = 303"),
            ("Agent", "Updates to install = 1"),
            ("Agent", "Title = %s" % kb),
            ("Handler", "Starting install of CBS update 8b3e0c2f-9d41-4a7e-b56c-2f1a0e93c4d7"),
            ("Handler", "CBS called Install with success with 0x00000000"),
            ("Handler", "Install complete for update ID: 8b3e0c2f-9d41-4a7e-b56c-2f1a0e93c4d7"),
            ("Agent", "Reboot required = True"),
            ("Agent", "* END * Installing updates CallerId = CcmExec  Id = 303"),
            ("ComApi", "Install call complete (succeeded = 1, succeeded with errors = 0, failed = 0, cancelled = 0, unaccounted = 0)")]):
        W.append((t + td(seconds=38 * k if k in (5, 6) else k, milliseconds=11 * k), 4472, 9120, comp, m))
    W.sort(key=lambda r: r[0])
    inc.write("KA-ENG-WS112", "WindowsUpdate.log", L.wu10(ws, W), "Get-WindowsUpdateLog", "ascii")
    inc.ev("-", "KA-ENG-WS112", "WindowsUpdate.log", "Found 2 updates", "scan succeeds against KA-SUP01")
    C = []
    th = (5012, 2290, 7160)
    r, cur = F.wua_scan(U("2025-06-03 08:12:38.900"), url, src_guid, th, rng=rng)
    C += F.wua_end(r, cur, e1 + td(milliseconds=60), None, th)
    r, cur = F.wua_scan(U("2025-06-03 13:47:01.420"), url, src_guid, th, rng=rng)
    C += F.wua_end(r, cur, e2 + td(milliseconds=60), None, th)
    inc.write("KA-ENG-WS112", "CCM/Logs/WUAHandler.log", L.cmtrace(ws, C), "CMTrace")
    asg = "{%s}" % rng.guid(upper=True)
    xmlmsg = ("Message received: '<?xml version='1.0' ?>\n<CIAssignmentMessage MessageType='EvaluateAssignments' "
              "MessageTime='%s'>\n    <AssignmentID>%s</AssignmentID>\n</CIAssignmentMessage>'" % (
                  U("2025-06-03 08:12:30").strftime("%Y-%m-%dT%H:%M:%SZ"), asg))
    R = [(U("2025-06-03 08:12:30.118"), "UpdatesDeploymentAgent", xmlmsg, 1, 5012, "updatesmanager.cpp:420"),
         (U("2025-06-03 08:12:30.135"), "UpdatesDeploymentAgent", "EvaluateAssignments - Evaluating 1 assignments", 1, 5012, "updatesmanager.cpp:478"),
         (e1 + td(seconds=1), "UpdatesDeploymentAgent", "Assignment %s has total CI = 9" % asg, 1, 5012, "updatesmanager.cpp:1036"),
         (e1 + td(seconds=1, milliseconds=40), "UpdatesDeploymentAgent", "Update (Site_%s/SUM_8b3e0c2f-9d41-4a7e-b56c-2f1a0e93c4d7) Progress: Status = ciStateDownloading, PercentComplete = 0, Result = 0x0" % src_guid[1:9], 1, 5012, "updatesmanager.cpp:1510"),
         (U("2025-06-03 08:20:10.200"), "UpdatesDeploymentAgent", "Update (Site_%s/SUM_8b3e0c2f-9d41-4a7e-b56c-2f1a0e93c4d7) Progress: Status = ciStateInstalling, PercentComplete = 0, Result = 0x0" % src_guid[1:9], 1, 5012, "updatesmanager.cpp:1510"),
         (U("2025-06-03 08:21:28.840"), "UpdatesDeploymentAgent", "Update (Site_%s/SUM_8b3e0c2f-9d41-4a7e-b56c-2f1a0e93c4d7) Progress: Status = ciStatePendingSoftReboot, PercentComplete = 100, Result = 0x0" % src_guid[1:9], 1, 5012, "updatesmanager.cpp:1510")]
    inc.write("KA-ENG-WS112", "CCM/Logs/UpdatesDeployment.log", L.cmtrace(ws, R), "CMTrace (multi-line message)")
    ev = [L.evt_xml(L.WUC["provider"], 19, 4, U("2025-06-03 08:21:28.611"), ws.fqdn, "System",
                    [("updateTitle", kb), ("updateGuid", "{8b3e0c2f-9d41-4a7e-b56c-2f1a0e93c4d7}"),
                     ("updateRevisionNumber", "1"), ("serviceGuid", "{3da21691-e39d-4da6-8a4b-b43877bcb1b7}")],
                    120448, guid=L.WUC["guid"], task=1, opcode=13, keywords="0x8000000000000018",
                    pid=3944, tid=9120, version=1, user="S-1-5-18")]
    inc.write("KA-ENG-WS112", "Events/System-WindowsUpdateClient.xml", "\n".join(ev) + "\n", "wevtutil /f:xml", "utf-8")
    rq = """C:\\Windows\\system32>reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate

HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate
    WUServer    REG_SZ    http://KA-SUP01.kestrel-aero.co.uk:8530
    WUStatusServer    REG_SZ    http://KA-SUP01.kestrel-aero.co.uk:8530
    UpdateServiceUrlAlternate    REG_SZ    
    SetProxyBehaviorForUpdateDetection    REG_DWORD    0x0
    DoNotEnforceEnterpriseTLSCertPinningForUpdateDetection    REG_DWORD    0x0
    FillEmptyContentUrls    REG_DWORD    0x0

HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU

C:\\Windows\\system32>reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU

HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU
    UseWUServer    REG_DWORD    0x1

"""
    inc.write("KA-ENG-WS112", "reg_query_WindowsUpdate.txt", rq, "reg query output", "ascii")

    # -- print server, legacy log, no manifest (Computer from the event export)
    R = []
    R += L.wu_banner(prn, U("2025-06-01 02:10:33.504"), 884, 0x388)
    R += [(U("2025-06-01 02:10:33.690"), 884, 0x388, "Service", "** START **  Service: Service startup"),
          (U("2025-06-01 02:11:19.402"), 884, 0x388, "Agent", "  * WSUS server: %s" % url),
          (U("2025-06-01 02:11:19.402"), 884, 0x388, "Agent", "  * WSUS status server: %s" % url)]
    scans = ("2025-06-02 06:44:09.117", "2025-06-03 06:41:52.330", "2025-06-03 12:05:18.006")
    for tt in scans:
        recs, end = F.wu_scan_legacy(prn, U(tt), 884, 0x1ec8, 0x9f4, url, found=(0, 88), rng=rng)
        R += recs
    R.sort(key=lambda r: r[0])
    inc.write("KA-SRV-PRN01", "WindowsUpdate.log", L.wu_legacy(prn, R), "WindowsUpdate.log legacy", "cp1252")
    inc.ev("-", "KA-SRV-PRN01", "WindowsUpdate.log", "Found 0 updates", "scans succeed (banner tz: +0100)")
    ev = [L.evt_xml(L.WUC["provider"], 19, 4, U("2025-06-01 02:04:12.880"), prn.fqdn, "System",
                    [("updateTitle", "2025-05 Security Monthly Quality Rollup for Windows Server 2012 R2 for x64-based Systems (KB5058403)"),
                     ("updateGuid", "{5d0b7c1e-88a2-4f63-9b1d-7e4c3a2f0d58}"), ("updateRevisionNumber", "1"),
                     ("serviceGuid", "{3da21691-e39d-4da6-8a4b-b43877bcb1b7}")],
                    77120, guid=L.WUC["guid"], task=1, opcode=13, keywords="0x8000000000000018",
                    pid=884, tid=0x1ec8, version=1, user="S-1-5-18"),
          L.evt_xml(L.WUC["provider"], 43, 4, U("2025-06-01 01:52:40.301"), prn.fqdn, "System",
                    [("updateTitle", "2025-05 Security Monthly Quality Rollup for Windows Server 2012 R2 for x64-based Systems (KB5058403)"),
                     ("updateGuid", "{5d0b7c1e-88a2-4f63-9b1d-7e4c3a2f0d58}"), ("updateRevisionNumber", "1")],
                    77101, guid=L.WUC["guid"], task=1, opcode=12, keywords="0x8000000000000018",
                    pid=884, tid=0x1ec8, version=1, user="S-1-5-18")]
    ev.reverse()
    inc.write("KA-SRV-PRN01", "Events/System-WindowsUpdateClient.xml", "\n".join(ev) + "\n", "wevtutil /f:xml", "utf-8")

    # -- SUP IIS, the two clients' scans at the same seconds
    pool = L.client_pool(rng, "10.2.31", 9, (L.UA_WIN11,)) + L.client_pool(rng, "10.2.8", 4, (L.UA_2012R2,))
    reqs = L.background(rng, U("2025-06-03 00:00:27"), U("2025-06-03 15:05:00"), pool, gap_min=(22, 40), content_p=0.35)
    reqs = [r for r in reqs if r.cip not in (ws.ip, prn.ip)]
    reqs += L.scan_seq(rng, U("2025-06-03 08:12:40.900"), ws.ip, L.UA_WIN11, selfupdate=False)
    reqs += L.content_get(rng, U("2025-06-03 08:13:02.310"), ws.ip)
    reqs += L.scan_seq(rng, U("2025-06-03 13:47:03.300"), ws.ip, L.UA_WIN11, selfupdate=False)
    for tt in scans[1:]:
        reqs += L.scan_seq(rng, U(tt) + td(milliseconds=40), prn.ip, L.UA_2012R2)
    rel = "IIS/W3SVC1/u_ex250603.log"
    inc.write("KA-SUP01", rel, L.iis_log([(U("2025-06-03 00:00:27"), L.IIS_F1, reqs)], sup.ip, rng, sup.fqdn),
              "IIS W3C", "utf-8")
    inc.ev("-", "KA-SUP01", rel, " 10.2.31.112 ", "the workstation's requests at 08:12:41 UTC (09:12 BST in its log)")


# ====================================================================== X01

def x01(incident):
    inc = incident("X01-K02-sup-503-and-K08-stray-client", ["K2", "K8"],
                   "WsusPool keeps dying on the SUP (503) while a library PC still "
                   "follows an old GPO to BWS-WSUS-OLD")
    rng = Rng(3001)
    Z = "America/Denver"
    site = "BWS"
    cm = Host("BWS-CM01", "brightwater.k12.co.us", "10.30.0.10", Z, "site-server", "Mountain Standard Time")
    sup = Host("BWS-SUP01", "brightwater.k12.co.us", "10.30.0.21", Z, "wsus-server", "Mountain Standard Time")
    pc = Host("BWS-LIB-PC07", "brightwater.k12.co.us", "10.30.22.107", Z, "client", "Mountain Standard Time")
    inc.bundle("BWS-CM01", cm, "site-server", collected=U("2024-12-10 18:30:00"))
    inc.bundle("BWS-SUP01", sup, "wsus-server", collected=U("2024-12-10 18:20:00"))
    inc.bundle("BWS-LIB-PC07", pc, "client", collected=U("2024-12-10 18:05:00"))
    sid = "1"
    w = L.SmsLog(cm, F.SYNC, 3108, site, pid=2660)
    msg503 = "The request failed with HTTP status 503: Service Unavailable"
    starts = ["2024-12-10 15:00:00.601", "2024-12-10 16:00:06.300", "2024-12-10 17:00:11.950"]
    for k, tt in enumerate(starts):
        F.wsync_cycle(w, cm, sup.fqdn, site, U(tt), how="regular schedule" if k == 0 else "retry schedule",
                      fail=("connect", msg503, F.SRC_ADMINPROXY))
    inc.write("BWS-CM01", "Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG")
    inc.ev("K2", "BWS-CM01", "Logs/wsyncmgr.log", "HTTP status 503", "6703: HTTP status 503 (08:00 local, +420)")

    pool = L.client_pool(rng, "10.30.22", 12, (L.UA_WIN10, L.UA_WIN11)) + L.client_pool(rng, "10.30.40", 6, (L.UA_WIN11,))
    pool = [p for p in pool if p[0] != pc.ip]
    reqs = L.background(rng, U("2024-12-10 12:00:04"), U("2024-12-10 14:56:00"), pool, gap_min=(8, 18))
    t = U("2024-12-10 14:56:10")
    while t < U("2024-12-10 15:04:00"):
        ip, ua = rng.choice(pool)
        st = (503, 2, 0) if rng.random() < 0.65 else (200, 0, 0)
        reqs.append(Req(t, ip, "POST", L.EP_CLIENT, *st, ua=ua, taken=rng.randint(0, 9) if st[0] == 503 else rng.randint(9000, 29000)))
        t += td(seconds=rng.randint(4, 15))
    reqs.append(Req(U("2024-12-10 15:00:01"), cm.ip, "POST", L.EP_API, 503, 2, 0, ua=L.UA_API, taken=0))
    rel = "IIS/W3SVC1/u_ex241210.log"
    inc.write("BWS-SUP01", rel, L.iis_log([(U("2024-12-10 12:00:04"), L.IIS_F1, reqs)], sup.ip, rng, sup.fqdn), "IIS W3C", "utf-8")
    inc.ev("K2", "BWS-SUP01", rel, "15:00:01 10.30.0.21 POST /ApiRemoting30/WebService.asmx", "503 2 0 on ApiRemoting30 at the sync's UTC second")
    inc.ev("K8", "BWS-SUP01", rel, "#Fields:", "no request from 10.30.22.107 (BWS-LIB-PC07) all day")
    rows = []
    t = U("2024-12-10 15:07:44")
    while t < U("2024-12-10 18:15:00"):
        ip, _ = rng.choice(pool)
        stem = rng.choice([L.EP_CLIENT, L.EP_CLIENT, L.EP_REPORT, L.EP_SIMPLE])
        rows.append((t, ip, rng.randint(49152, 65535), sup.ip, 8530, "HTTP/1.1", "POST", stem, 503, sid, "AppOffline", "WsusPool"))
        t += td(seconds=rng.randint(90, 420))
    for tt in starts[1:]:
        rows.append((U(tt) + td(seconds=1), cm.ip, rng.randint(49152, 65535), sup.ip, 8530, "HTTP/1.1", "POST", L.EP_API,
                     503, sid, "AppOffline", "WsusPool"))
    inc.write("BWS-SUP01", "HTTPERR/httperr2.log", L.httperr_log([(U("2024-12-10 15:07:44"), L.HTTPERR_F2, rows)]), "HTTPERR", "ascii")
    inc.ev("K2", "BWS-SUP01", "HTTPERR/httperr2.log", "AppOffline WsusPool", "503 AppOffline WsusPool after 15:07 UTC")
    cfg = apphost(wsuspool(private_mem=1843200, queue=1000), sid, content="D:\\WSUS\\WsusContent",
                  logdir="%SystemDrive%\\inetpub\\logs\\LogFiles")
    inc.write("BWS-SUP01", "inetsrv/config/applicationHost.config", cfg, "applicationHost.config", "utf-8-bom")
    inc.ev("K2", "BWS-SUP01", "inetsrv/config/applicationHost.config", 'privateMemory="1843200"', "privateMemory=1843200")
    inc.write("BWS-SUP01", "Get-IISAppPool.txt", """PS C:\\> Get-IISAppPool

Name                 Status       CLR Ver  Pipeline Mode  Start Mode
----                 ------       -------  -------------  ----------
DefaultAppPool       Started      v4.0     Integrated     OnDemand
.NET v4.5 Classic    Started      v4.0     Classic        OnDemand
.NET v4.5            Started      v4.0     Integrated     OnDemand
WsusPool             Stopped      v4.0     Integrated     OnDemand


""", "Get-IISAppPool table", "utf-8")
    inc.ev("K2", "BWS-SUP01", "Get-IISAppPool.txt", "WsusPool             Stopped", "WsusPool Stopped")
    sysev = []
    rec = 90210
    for tt, pid in (("2024-12-10 14:31:27.551", 6204), ("2024-12-10 14:55:02.118", 3312), ("2024-12-10 15:07:12.904", 8840)):
        rec += rng.randint(10, 60)
        sysev.append(L.evt_xml(L.WAS["provider"], 5117, 4, U(tt), sup.fqdn, "System",
                               [("ProcessID", str(pid)), ("AppPoolID", "WsusPool")], rec, qualifiers=16384,
                               guid=L.WAS["guid"], source_name="WAS"))
    sysev.append(L.evt_xml(L.WAS["provider"], 5002, 2, U("2024-12-10 15:07:43.300"), sup.fqdn, "System",
                           [("AppPoolID", "WsusPool")], rec + 7, qualifiers=49152, guid=L.WAS["guid"], source_name="WAS"))
    inc.write("BWS-SUP01", "Events/System.xml", "\n".join(sysev) + "\n", "wevtutil /f:xml", "utf-8")

    # -- the stray client
    old = "http://BWS-WSUS-OLD:8530"
    rq = """C:\\WINDOWS\\system32>reg query HKLM\\Software\\Policies\\Microsoft\\Windows\\WindowsUpdate /v WUServer

HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Windows\\WindowsUpdate
    WUServer    REG_SZ    %s


C:\\WINDOWS\\system32>reg query HKLM\\Software\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU /v UseWUServer

HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU
    UseWUServer    REG_DWORD    0x1


""" % old
    inc.write("BWS-LIB-PC07", "reg_query.txt", rq, "reg query output", "ascii")
    inc.ev("K8", "BWS-LIB-PC07", "reg_query.txt", "WUServer    REG_SZ    http://BWS-WSUS-OLD:8530", "WUServer points at the old server, not BWS-SUP01")
    W = []
    W.append((U("2024-12-10 13:14:02.500"), 2704, 6312, "Agent", "Initializing global settings cache"))
    W.append((U("2024-12-10 13:14:02.501"), 2704, 6312, "Agent", "WSUS server: %s" % old))
    W.append((U("2024-12-10 13:14:02.501"), 2704, 6312, "Agent", "WSUS status server: %s" % old))
    W.append((U("2024-12-10 13:14:02.502"), 2704, 6312, "Agent", "Target group: (Unassigned Computers)"))
    wu10_scan(W, U("2024-12-10 13:14:09.118"), 2704, 6312, 4020, old, 17, caller="UpdateOrchestrator", found=(0, 64))
    wu10_scan(W, U("2024-12-10 17:52:40.771"), 2704, 8100, 4020, old, 18, caller="UpdateOrchestrator", found=(0, 64))
    W.sort(key=lambda r: r[0])
    inc.write("BWS-LIB-PC07", "WindowsUpdate.log", L.wu10(pc, W), "Get-WindowsUpdateLog", "ascii")
    inc.ev("K8", "BWS-LIB-PC07", "WindowsUpdate.log", "WSUS server: http://BWS-WSUS-OLD:8530", "agent scans against BWS-WSUS-OLD")
    src_guid = "{%s}" % rng.guid(upper=True)
    new = "http://BWS-SUP01.brightwater.k12.co.us:8530"
    C = []
    for tt in ("2024-12-10 13:20:31.004", "2024-12-10 17:45:12.660"):
        t = U(tt)
        C += [(t, "WUAHandler", "Its a WSUS Update Source type (%s), adding it." % src_guid, 1, 7716, "sourcemanager.cpp:1461"),
              (t + td(milliseconds=90), "WUAHandler", "Enabling WUA Managed server policy to use server: %s" % new, 1, 7716, "sourcemanager.cpp:1127"),
              (t + td(milliseconds=120), "WUAHandler", "Waiting for 2 mins for Group Policy to notify of WUA policy change...", 1, 7716, "sourcemanager.cpp:1174"),
              (t + td(minutes=2, milliseconds=180), "WUAHandler", "Waiting for 30 secs for policy to take effect on WU Agent.", 1, 7716, "sourcemanager.cpp:1189"),
              (t + td(minutes=2, seconds=30, milliseconds=240), "WUAHandler", "Group policy settings were overwritten by a higher authority (Domain Controller) to: Server %s and Policy ENABLED" % old, 2, 7716, "sourcemanager.cpp:1212"),
              (t + td(minutes=2, seconds=30, milliseconds=246), "WUAHandler", "Failed to Add Update Source for WUAgent of type (2) and id (%s). Error = 0x87d00692." % src_guid, 3, 7716, "cwuahandler.cpp:2371")]
    inc.write("BWS-LIB-PC07", "CCM/Logs/WUAHandler.log", L.cmtrace(pc, C), "CMTrace")
    inc.ev("K8", "BWS-LIB-PC07", "CCM/Logs/WUAHandler.log", "0x87d00692", "ConfigMgr cannot set its SUP: group policy conflict")
    inc.fix("K2", G.ART000, "Message ID 6703 - WSUS Synchronization Failed")
    inc.fix("K8", G.ART002, "Troubleshoot connection failures")


# ====================================================================== X02

def x02(incident):
    inc = incident("X02-K04-sup-services-and-K01-offline-laptop", ["K4", "K1"],
                   "WID disabled on the SUP (services down) while a travelling laptop "
                   "has not reached the network for ten days")
    rng = Rng(3002)
    Z = "Europe/Dublin"
    sup = Host("OMD-SUP02", "osprey-md.ie", "10.15.0.22", Z, "wsus-server", "GMT Standard Time")
    lt = Host("OMD-LT-5531", "osprey-md.ie", "192.168.1.37", Z, "client", "GMT Standard Time")
    inc.bundle("OMD-SUP02", sup, "wsus-server", collected=U("2025-04-07 11:00:00"))
    inc.bundle("OMD-LT-5531", lt, "client", collected=U("2025-04-07 10:40:00"))
    sup_services_down(inc, "OMD-SUP02", sup, rng, U("2025-04-05 07:10:52.310"), U("2025-04-07 08:31:40.002"),
                      U("2025-04-07 10:58:00"), "OMD")
    inc.ev("K4", "OMD-SUP02", "sc_query.txt", "STATE              : 1  STOPPED", "WsusService STOPPED")
    inc.ev("K4", "OMD-SUP02", "SoftwareDistribution.log", "Could not connect to the database", "SQL connection errors")
    url = "http://OMD-SUP02.osprey-md.ie:8530"
    W = []
    nr = ("8024402C", None, ["WS error: There was an error communicating with the endpoint at '%s/ClientWebService/client.asmx'." % url,
                             "WS error: The server name or address could not be resolved"], "GetConfig")
    to = ("80072EE2", None, ["WS error: There was an error communicating with the endpoint at '%s/ClientWebService/client.asmx'." % url,
                             "WS error: The operation did not complete within the time allotted."], "GetConfig")
    sid = 410
    for tt, f in (("2025-03-29 09:12:40.117", nr), ("2025-03-31 18:40:02.550", nr), ("2025-04-02 07:05:31.900", to),
                  ("2025-04-04 20:15:10.004", nr), ("2025-04-07 08:02:44.318", nr)):
        t = U(tt)
        wu10_scan(W, t, 3388, 7012, 5540, url, sid, fail=f,
                  fail_at=t + (td(seconds=60, milliseconds=80) if f is to else td(seconds=2, milliseconds=260)))
        sid += 1
    W.sort(key=lambda r: r[0])
    inc.write("OMD-LT-5531", "WindowsUpdate.log", L.wu10(lt, W), "Get-WindowsUpdateLog", "ascii")
    inc.ev("K1", "OMD-LT-5531", "WindowsUpdate.log", "hr = 8024402c", "0x8024402C: SUP name not resolvable off the corporate network")
    inc.ev("K1", "OMD-LT-5531", "WindowsUpdate.log", "hr = 80072ee2", "0x80072EE2 time-out (hotel Wi-Fi)")
    src_guid = "{%s}" % rng.guid(upper=True)
    C = []
    th = (6604, 2112, 8876)
    for tt, code, d in (("2025-03-29 09:12:38.900", "8024402c", 3.5), ("2025-03-31 18:40:01.310", "8024402c", 3.4),
                        ("2025-04-02 07:05:30.660", "80072ee2", 61.4), ("2025-04-04 20:15:08.770", "8024402c", 3.6),
                        ("2025-04-07 08:02:43.101", "8024402c", 3.5)):
        r, cur = F.wua_scan(U(tt), url, src_guid, th, rng=rng)
        C += F.wua_end(r, cur, U(tt) + td(seconds=d), code.upper(), th)
    inc.write("OMD-LT-5531", "CCM/Logs/WUAHandler.log", L.cmtrace(lt, C), "CMTrace")
    inc.ev("K1", "OMD-LT-5531", "CCM/Logs/WUAHandler.log", "Scan failed with error = 0x8024402c", "ConfigMgr scans fail")
    notes = """OMD-LT-5531 (J. Byrne, field service) - WSUS console: "hasn't reported status" since 28/03/2025.
User travelling (Lisbon, Madrid) 28/03-08/04, no Always On VPN profile on this laptop (ticket 55120).
ipconfig on the user's hotel Wi-Fi: 192.168.1.37, DNS 192.168.1.1 -> cannot resolve osprey-md.ie names.
Separate issue: OMD-SUP02 WsusService stopped since the reboot on 05/04 (see SUP bundle).
"""
    inc.write("OMD-LT-5531", "helpdesk_notes.txt", notes, "generic text (helpdesk notes)", "utf-8")
    inc.fix("K4", G.ART000, "Some services aren't running")
    inc.fix("K1", G.ART000, "Computer hasn't reported status")
