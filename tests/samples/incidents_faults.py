"""incidents_faults.py -- sample incidents K01..K06 (client status, HTTP 503,
setup 0x80070643, services, mimeMap, prerequisites)."""

import samplelib as L
from samplelib import U, td, Host, Rng, Req
import cmflows as F

import gen_samples as G

W3SVC = "W3SVC1734891234"


def build(incident):
    k01(incident)
    k02(incident)
    k03a(incident)
    k03b(incident)
    k04(incident)
    k05(incident)
    k06(incident)


# ====================================================================== K01

def k01(incident):
    inc = incident("K01-client-not-reporting",
                   ["K1"], "lab server stopped reporting after a firewall/DNS change: "
                   "0x8024402C, later 0x80072EE2")
    rng = Rng(101)
    srv = Host("DRH-WSUS01", "corp.desertridge.org", "10.42.2.15", "America/Phoenix",
               "site-server+wsus-server", "US Mountain Standard Time")
    cli = Host("DRH-LAB-SQL07", "corp.desertridge.org", "10.42.18.77", "America/Phoenix",
               "client", "US Mountain Standard Time")
    url = "http://DRH-WSUS01.corp.desertridge.org:8530"
    src_guid = "{%s}" % rng.guid(upper=True)
    collected = U("2024-09-17 15:20:44")

    inc.bundle("DRH-WSUS01", srv, srv.roles, collected=U("2024-09-17 15:31:02"))
    inc.bundle("DRH-LAB-SQL07", cli, "client", collected=collected)

    # ---- client: legacy WindowsUpdate.log (tz: -0700 banners)
    R = []
    R += L.wu_banner(cli, U("2024-08-27 13:05:11.402"), 904, 0x3a8)
    R += [(U("2024-08-27 13:05:11.590"), 904, 0x3a8, "Service", "*************"),
          (U("2024-08-27 13:05:11.590"), 904, 0x3a8, "Service", "** START **  Service: Service startup"),
          (U("2024-08-27 13:05:11.590"), 904, 0x3a8, "Service", "*********"),
          (U("2024-08-27 13:05:11.949"), 904, 0x3a8, "Agent", "  * WU client version 7.9.9600.18756"),
          (U("2024-08-27 13:05:11.949"), 904, 0x3a8, "Agent", "  * Base directory: C:\\Windows\\SoftwareDistribution"),
          (U("2024-08-27 13:05:11.949"), 904, 0x3a8, "Agent", "  * Access type: No proxy"),
          (U("2024-08-27 13:05:11.965"), 904, 0x3a8, "Agent", "  * Network state: Connected"),
          (U("2024-08-27 13:05:57.231"), 904, 0x3a8, "Agent", "***********  Agent: Initializing global settings cache  ***********"),
          (U("2024-08-27 13:05:57.231"), 904, 0x3a8, "Agent", "  * WSUS server: %s" % url),
          (U("2024-08-27 13:05:57.231"), 904, 0x3a8, "Agent", "  * WSUS status server: %s" % url),
          (U("2024-08-27 13:05:57.231"), 904, 0x3a8, "Agent", "  * Target group: (Unassigned Computers)"),
          (U("2024-08-27 13:05:57.231"), 904, 0x3a8, "Agent", "  * Windows Update access disabled: No")]
    for t, code in [("2024-08-28 14:31:02.118", None), ("2024-08-29 15:47:09.533", None),
                    ("2024-08-29 22:47:12.071", "8024402C"),
                    ("2024-08-30 21:03:40.774", "8024402C")]:
        recs, end = F.wu_scan_legacy(cli, U(t), 904, 0x1d4c, 0x1f10, url, fail=code,
                                     found=(0, 85), rng=rng)
        R += recs
    # 2024-09-03 maintenance reboot: a new process, a new banner
    R += [(U("2024-09-03 09:14:50.610"), 904, 0x3a8, "Service", "*********"),
          (U("2024-09-03 09:14:50.610"), 904, 0x3a8, "Service", "**  END  **  Service: Service exit [Exit code = 0x240001]"),
          (U("2024-09-03 09:14:50.610"), 904, 0x3a8, "Service", "*************")]
    R += L.wu_banner(cli, U("2024-09-03 09:19:27.080"), 912, 0x3b0)
    R += [(U("2024-09-03 09:19:27.251"), 912, 0x3b0, "Service", "** START **  Service: Service startup"),
          (U("2024-09-03 09:19:27.619"), 912, 0x3b0, "Agent", "  * WU client version 7.9.9600.18756"),
          (U("2024-09-03 09:20:13.002"), 912, 0x3b0, "Agent", "  * WSUS server: %s" % url),
          (U("2024-09-03 09:20:13.002"), 912, 0x3b0, "Agent", "  * WSUS status server: %s" % url)]
    scans = [("2024-09-04 03:28:55.310", "8024402C"), ("2024-09-11 04:10:21.906", "80072EE2"),
             ("2024-09-16 07:00:18.442", "80072EE2"), ("2024-09-17 15:02:11.487", "80072EE2")]
    for t, code in scans:
        recs, end = F.wu_scan_legacy(cli, U(t), 912, 0x1c8, 0x8e4, url, fail=code, rng=rng)
        R += recs
    R.sort(key=lambda r: r[0])
    inc.write("DRH-LAB-SQL07", "Windows/WindowsUpdate.log", L.wu_legacy(cli, R),
              "WindowsUpdate.log legacy", "cp1252")
    inc.ev("K1", "DRH-LAB-SQL07", "Windows/WindowsUpdate.log",
           "WARNING: Skipping scan, self-update check returned 0x8024402C",
           "first failure, name not resolved (tz: -0700)")
    inc.ev("K1", "DRH-LAB-SQL07", "Windows/WindowsUpdate.log",
           "FATAL: SelfUpdate check failed, err = 0x80072EE2", "WinHTTP time-out 0x80072EE2")

    # ---- client: WUAHandler.log (bias +420), last four scans
    C = []
    th = (4412, 2960, 5128)
    for t, code in scans:
        start = U(t) - td(seconds=1, milliseconds=388)
        recs, cur = F.wua_scan(start, url, src_guid, th, rng=rng)
        end = U(t) + td(seconds=23 if code == "80072EE2" else 3, milliseconds=212)
        C += F.wua_end(recs, cur, end, code, th)
    inc.write("DRH-LAB-SQL07", "CCM/Logs/WUAHandler.log", L.cmtrace(cli, C), "CMTrace")
    inc.ev("K1", "DRH-LAB-SQL07", "CCM/Logs/WUAHandler.log",
           "Scan failed with error = 0x80072ee2.", "ConfigMgr scan failure")

    # ---- client: System event export, WindowsUpdateClient 25
    ev = []
    rec = 88120
    for t, code in scans:
        tt = U(t) + td(seconds=24 if code == "80072EE2" else 4)
        rec += rng.randint(30, 400)
        ev.append(L.evt_xml(L.WUC["provider"], 25, 2, tt, cli.fqdn, "System",
                            [("errorCode", "0x%s" % code.lower())], rec,
                            guid=L.WUC["guid"], task=1, opcode=13,
                            keywords="0x8000000000000004", pid=904, tid=rng.randint(3000, 8000),
                            version=0, user="S-1-5-18"))
    inc.write("DRH-LAB-SQL07", "Events/System-WindowsUpdateClient.xml", "\n".join(ev) + "\n",
              "wevtutil /f:xml", "utf-8")

    # ---- client: case notes (generic text)
    notes = """Case 2409-1187  DRH-LAB-SQL07 not reporting to WSUS
Opened 2024-09-16 by R. Alvarez (Desert Ridge IT, Phoenix - all times MST, UTC-7, no DST)

- WSUS console on DRH-WSUS01: DRH-LAB-SQL07 "hasn't reported status" since 8/29/2024.
- Lab VLAN 10.42.18.0/24 moved behind the new lab firewall on Thu 8/29 ~09:30 MST.
- From the server: ping drh-lab-sql07 -> OK.  Client side:
    C:\\> nslookup DRH-WSUS01.corp.desertridge.org
    Server:  UnKnown
    Address:  10.42.18.1
    *** UnKnown can't find DRH-WSUS01.corp.desertridge.org: Non-existent domain
  -> lab DHCP hands out the firewall as DNS. Fixed DNS on 9/10 (static 10.42.2.10/11).
- After the DNS fix: scans now time out (0x80072EE2) instead of 0x8024402C.
    PS C:\\> Test-NetConnection DRH-WSUS01.corp.desertridge.org -Port 8530
    WARNING: TCP connect to (10.42.2.15 : 8530) failed
    ComputerName           : DRH-WSUS01.corp.desertridge.org
    RemoteAddress          : 10.42.2.15
    RemotePort             : 8530
    InterfaceAlias         : Ethernet0
    SourceAddress          : 10.42.18.77
    PingSucceeded          : True
    TcpTestSucceeded       : False
- IIS log on DRH-WSUS01: last request from 10.42.18.77 is 2024-08-29 15:47 UTC.
- 9/17 08:02 MST: triggered Software Update Scan Cycle, fails again 0x80072ee2.
Next: firewall rule lab->servers TCP 8530 (change CHG0048813).
"""
    inc.write("DRH-LAB-SQL07", "case_notes.txt", notes, "generic text (engineer notes)", "ascii")

    # ---- server: IIS logs, the client's IP last seen on 8/29
    pool = L.client_pool(rng, "10.42.20", 9, (L.UA_WIN10, L.UA_2012R2)) + \
        L.client_pool(rng, "10.42.4", 5, (L.UA_2012R2,))
    day1 = L.background(rng, U("2024-08-29 00:03:10"), U("2024-08-29 23:58:00"), pool,
                        gap_min=(32, 64))
    day1 += L.scan_seq(rng, U("2024-08-29 15:47:09.880"), cli.ip, L.UA_2012R2)
    day1 += L.api_auth(rng, U("2024-08-29 06:00:12.340"), srv.ip, "DRH\\DRH-WSUS01$")
    day1 += L.api_auth(rng, U("2024-08-29 18:00:12.910"), srv.ip, "DRH\\DRH-WSUS01$")
    inc.write("DRH-WSUS01", "IIS/%s/u_ex240829.log" % W3SVC,
              L.iis_log([(U("2024-08-29 00:03:10"), L.IIS_F1, day1)], srv.ip, rng, srv.name),
              "IIS W3C", "utf-8")
    day2 = L.background(rng, U("2024-09-17 00:01:40"), U("2024-09-17 15:29:00"), pool,
                        gap_min=(40, 75))
    day2 += L.api_auth(rng, U("2024-09-17 06:00:11.020"), srv.ip, "DRH\\DRH-WSUS01$")
    inc.write("DRH-WSUS01", "IIS/%s/u_ex240917.log" % W3SVC,
              L.iis_log([(U("2024-09-17 00:01:40"), L.IIS_F1, day2)], srv.ip, rng, srv.name),
              "IIS W3C", "utf-8")
    inc.ev("K1", "DRH-WSUS01", "IIS/%s/u_ex240829.log" % W3SVC,
           " 10.42.18.77 ", "10.42.18.77 last seen 2024-08-29 15:47 UTC (absent from u_ex240917.log)")

    comp = [("drh-lab-sql07.corp.desertridge.org", cli.ip, "8/29/2024 3:47:21 PM", "8/29/2024 3:47:16 PM")]
    for ip, _ in pool[:6]:
        n = "drh-%s.corp.desertridge.org" % rng.choice(["ws", "lt", "app", "sql", "fs"]) + \
            "%03d" % rng.randint(1, 400)
        comp.append((n, ip, "9/17/2024 %d:%02d:%02d %s" % (rng.randint(1, 11), rng.randint(0, 59),
                                                           rng.randint(0, 59), rng.choice(["AM", "PM"])),
                     "9/17/2024 %d:%02d:%02d AM" % (rng.randint(1, 11), rng.randint(0, 59), rng.randint(0, 59))))
    tbl = ["PS C:\\Windows\\system32> Get-WsusComputer -All | Sort-Object LastReportedStatusTime |",
           ">>   Select-Object -First 7 FullDomainName,IPAddress,LastReportedStatusTime,LastSyncTime |",
           ">>   Format-Table -AutoSize", "",
           "%-38s %-12s %-22s %-22s" % ("FullDomainName", "IPAddress", "LastReportedStatusTime", "LastSyncTime"),
           "%-38s %-12s %-22s %-22s" % ("--------------", "---------", "----------------------", "------------")]
    for n, ip, a, b in comp:
        tbl.append("%-38s %-12s %-22s %-22s" % (n, ip, a, b))
    tbl += ["", "", "PS C:\\Windows\\system32> # times above are UTC (WSUS API DateTimeKind.Utc)", ""]
    inc.write("DRH-WSUS01", "Get-WsusComputer.txt", "\n".join(tbl) + "\n",
              "PowerShell table (generic text)", "utf-16le-bom")
    inc.ev("K1", "DRH-WSUS01", "Get-WsusComputer.txt", "drh-lab-sql07", "LastReportedStatusTime 8/29/2024")
    inc.fix("K1", G.ART000, "Computer hasn't reported status")


# ====================================================================== K02

APPHOST_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!--

    IIS configuration sections.

    For schema documentation, see
    %%windir%%\\system32\\inetsrv\\config\\schema\\IIS_schema.xml.

    Please make a backup of this file before making any changes to it.

-->

<configuration>

    <configSections>
        <sectionGroup name="system.applicationHost">
            <section name="applicationPools" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
            <section name="configHistory" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
            <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
            <section name="webLimits" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
        </sectionGroup>
    </configSections>

    <system.applicationHost>

        <applicationPools>
            <add name="DefaultAppPool" />
            <add name=".NET v4.5 Classic" managedRuntimeVersion="v4.0" managedPipelineMode="Classic" />
            <add name=".NET v4.5" managedRuntimeVersion="v4.0" />
%(wsuspool)s
            <applicationPoolDefaults managedRuntimeVersion="v4.0">
                <processModel identityType="ApplicationPoolIdentity" loadUserProfile="true" setProfileEnvironment="false" />
            </applicationPoolDefaults>
        </applicationPools>

        <sites>
            <site name="Default Web Site" id="1">
                <application path="/">
                    <virtualDirectory path="/" physicalPath="%%SystemDrive%%\\inetpub\\wwwroot" />
                </application>
                <bindings>
                    <binding protocol="http" bindingInformation="*:80:" />
                </bindings>
            </site>
            <site name="WSUS Administration" id="%(siteid)s" serverAutoStart="true">
                <application path="/" applicationPool="WsusPool">
                    <virtualDirectory path="/" physicalPath="C:\\Program Files\\Update Services\\WebServices\\Root" />
                    <virtualDirectory path="/Content" physicalPath="%(content)s" />
                    <virtualDirectory path="/Inventory" physicalPath="C:\\Program Files\\Update Services\\Inventory" />
                    <virtualDirectory path="/ReportingWebService" physicalPath="C:\\Program Files\\Update Services\\WebServices\\ReportingWebService" />
                </application>
                <application path="/ApiRemoting30" applicationPool="WsusPool">
                    <virtualDirectory path="/" physicalPath="C:\\Program Files\\Update Services\\WebServices\\ApiRemoting30" />
                </application>
                <application path="/ClientWebService" applicationPool="WsusPool">
                    <virtualDirectory path="/" physicalPath="C:\\Program Files\\Update Services\\WebServices\\ClientWebService" />
                </application>
                <application path="/DssAuthWebService" applicationPool="WsusPool">
                    <virtualDirectory path="/" physicalPath="C:\\Program Files\\Update Services\\WebServices\\DssAuthWebService" />
                </application>
                <application path="/ServerSyncWebService" applicationPool="WsusPool">
                    <virtualDirectory path="/" physicalPath="C:\\Program Files\\Update Services\\WebServices\\ServerSyncWebService" />
                </application>
                <application path="/SimpleAuthWebService" applicationPool="WsusPool">
                    <virtualDirectory path="/" physicalPath="C:\\Program Files\\Update Services\\WebServices\\SimpleAuthWebService" />
                </application>
                <bindings>
                    <binding protocol="http" bindingInformation="*:8530:" />
                    <binding protocol="https" bindingInformation="*:8531:" />
                </bindings>
                <logFile directory="%(logdir)s" />
            </site>
            <siteDefaults>
                <logFile logFormat="W3C" directory="%%SystemDrive%%\\inetpub\\logs\\LogFiles" />
                <traceFailedRequestsLogging directory="%%SystemDrive%%\\inetpub\\logs\\FailedReqLogFiles" />
            </siteDefaults>
            <applicationDefaults applicationPool="DefaultAppPool" />
            <virtualDirectoryDefaults allowSubDirConfig="true" />
        </sites>

        <webLimits />

    </system.applicationHost>
%(tail)s
</configuration>
"""

APPHOST_TAIL = """
    <system.webServer>

        <staticContent lockAttributes="isDocFooterFileName">
            <mimeMap fileExtension=".323" mimeType="text/h323" />
            <mimeMap fileExtension=".3g2" mimeType="video/3gpp2" />
            <mimeMap fileExtension=".cab" mimeType="application/octet-stream" />
            <mimeMap fileExtension=".esd" mimeType="application/octet-stream" />
            <mimeMap fileExtension=".msu" mimeType="application/octet-stream" />
            <mimeMap fileExtension=".wim" mimeType="application/x-ms-wim" />
            <mimeMap fileExtension=".xml" mimeType="text/xml" />
            <mimeMap fileExtension=".zip" mimeType="application/x-zip-compressed" />
        </staticContent>

    </system.webServer>
"""


def apphost(wsuspool, siteid, content="D:\\WSUS\\WsusContent", logdir="D:\\IISLogs",
            tail=APPHOST_TAIL):
    return APPHOST_HEAD % dict(wsuspool=wsuspool, siteid=siteid, content=content,
                               logdir=logdir, tail=tail)


def wsuspool(private_mem=None, queue=None, rapid=None, ident="NetworkService"):
    a = '            <add name="WsusPool" autoStart="true" managedRuntimeVersion="v4.0"'
    if queue:
        a += ' queueLength="%d"' % queue
    a += ">\n"
    a += '                <processModel identityType="%s" idleTimeout="00:00:00" />\n' % ident
    a += '                <recycling>\n'
    if private_mem is not None:
        a += '                    <periodicRestart privateMemory="%d" time="00:00:00" />\n' % private_mem
    else:
        a += '                    <periodicRestart time="00:00:00" />\n'
    a += '                </recycling>\n'
    if rapid is not None:
        a += '                <failure rapidFailProtection="%s" />\n' % ("true" if rapid else "false")
    a += '                <cpu resetInterval="00:15:00" />\n'
    a += '            </add>'
    return a


def k02(incident):
    inc = incident("K02-sync-503-wsuspool", ["K2"],
                   "WsusPool hits its 1843200 KB private memory limit, rapid-fail "
                   "stops it; syncs fail with HTTP 503")
    rng = Rng(202)
    site = "HL1"
    cm = Host("HLCM01", "corp.harborline.com", "10.20.1.10", "America/New_York",
              "site-server", "Eastern Standard Time")
    sup = Host("HLSUP01", "corp.harborline.com", "10.20.1.21", "America/New_York",
               "wsus-server", "Eastern Standard Time")
    wks = Host("HL-WKS-2231", "corp.harborline.com", "10.20.34.57", "America/New_York",
               "client", "Eastern Standard Time")
    inc.bundle("HLCM01", cm, "site-server", collected=U("2024-06-12 15:06:40"))
    inc.bundle("HLSUP01", sup, "wsus-server", collected=U("2024-06-12 15:05:12"))
    inc.bundle("HL-WKS-2231", wks, "client", collected=U("2024-06-12 14:20:03"))
    src_guid = "{%s}" % rng.guid(upper=True)
    sid = "1722407045"

    # ------------------------------------------------ site server wsyncmgr
    w = L.SmsLog(cm, F.SYNC, 5316, site, pid=3412)
    ups = [(rng.guid(), "2024-06 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5039212)"),
           (rng.guid(), "2024-06 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems (KB5039211)"),
           (rng.guid(), "2024-06 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5039227)"),
           (rng.guid(), "Windows Malicious Software Removal Tool x64 - v5.125 (KB890830)"),
           (rng.guid(), "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.413.211.0)")]
    t = U("2024-06-11 12:40:02.517")
    w.at(t).add("Wakeup for a polling cycle", 0)
    w.add("Deleting old expired updates...", 310)
    w.add("Deleted 3 expired updates", 14200)
    w.add("Deleted 17 expired updates total", 1900)
    w.add("Deleting orphaned content folders in package 00100012 (Windows 11 - Monthly Patches)", 30)
    w.add("Deleted 2 orphaned content folders in package 00100012 (Windows 11 - Monthly Patches)", 5200)
    F.wsync_cycle(w, cm, sup.fqdn, site, U("2024-06-11 12:44:00.091"), updates=ups[:3],
                  source_guid=src_guid, version=412, items=(131, 44),
                  next_regular=U("2024-06-11 20:44:00"))
    F.wsync_cycle(w, cm, sup.fqdn, site, U("2024-06-11 20:44:00.315"), updates=ups[3:4],
                  source_guid=src_guid, version=413, items=(18, 6),
                  next_regular=U("2024-06-12 04:44:00"))
    F.wsync_cycle(w, cm, sup.fqdn, site, U("2024-06-12 04:44:00.208"), updates=ups[4:5],
                  source_guid=src_guid, version=414, items=(9, 3),
                  next_regular=U("2024-06-12 12:44:00"))
    split = len(w.recs)
    w.at(U("2024-06-12 12:43:50.002")).add("Wakeup for a polling cycle", 0)
    w.add("Deleting old expired updates...", 240)
    w.add("Deleted 0 expired updates total", 8800)
    msg503 = "The request failed with HTTP status 503: Service Unavailable"
    F.wsync_cycle(w, cm, sup.fqdn, site, U("2024-06-12 12:44:00.417"),
                  fail=("connect", msg503, F.SRC_ADMINPROXY), retry_min=60)
    F.wsync_cycle(w, cm, sup.fqdn, site, U("2024-06-12 13:44:06.733"), how="retry schedule",
                  fail=("connect", msg503, F.SRC_ADMINPROXY), retry_min=60)
    F.wsync_cycle(w, cm, sup.fqdn, site, U("2024-06-12 14:44:12.950"), how="retry schedule",
                  fail=("connect", msg503, F.SRC_ADMINPROXY), retry_min=60)
    lo = w.recs[:split]
    log = w.recs[split - 3:]          # the collector's copies overlap by 3 records
    inc.write("HLCM01", "Logs/wsyncmgr.lo_", w.text(lo), "SMS trace (rotated .lo_)")
    inc.write("HLCM01", "Logs/wsyncmgr.log", w.text(log), "SMS trace + STATMSG")
    inc.ev("K2", "HLCM01", "Logs/wsyncmgr.log", "Sync failed: The request failed with HTTP status 503",
           "Sync failed ... HTTP status 503 (08:44 local, +240)")
    inc.ev("K2", "HLCM01", "Logs/wsyncmgr.log", 'ISTR1="The request failed with HTTP status 503',
           "STATMSG 6703, GMTDATE 12:44 UTC")

    # ------------------------------------------------ site server WCM.log
    c = L.SmsLog(cm, F.WCM, 6088)
    err503 = ("System.Net.WebException: The request failed with HTTP status 503: Service "
              "Unavailable.~~   at Microsoft.UpdateServices.Administration.AdminProxy."
              "CreateUpdateServer(Object[] args)~~   at Microsoft.UpdateServices."
              "Administration.AdminProxy.GetUpdateServer(String serverName, Boolean "
              "useSecureConnection, Int32 portNumber)~~   at Microsoft.SystemsManagementServer."
              "WSUS.WSUSServer.ConnectToWSUSServer(String ServerName, Boolean UseSSL, Int32 "
              "PortNumber)~")
    for h in range(9, 15):
        when = U("2024-06-12 %02d:12:31.%03d" % (h, rng.randint(0, 999)))
        F.wcm_check(c, when, sup.fqdn, error=err503 if h >= 13 else None,
                    waiting=60)
    inc.write("HLCM01", "Logs/WCM.log", c.text(), "SMS trace")

    # ------------------------------------------------ SUP: IIS
    pool = L.client_pool(rng, "10.20.34", 14) + L.client_pool(rng, "10.20.36", 8, (L.UA_WIN11,)) \
        + L.client_pool(rng, "10.20.8", 4, (L.UA_2012R2,))
    user = "HARBORLINE\\HLCM01$"
    b1 = L.background(rng, U("2024-06-12 00:00:03"), U("2024-06-12 12:38:00"), pool,
                      gap_min=(16, 34))
    for h in range(0, 13):
        b1 += L.api_auth(rng, U("2024-06-12 %02d:12:31.%03d" % (h, rng.randint(100, 900))),
                         cm.ip, user, calls=3)
    b1 += L.api_auth(rng, U("2024-06-12 04:44:01.750"), cm.ip, user, calls=6)
    # storm: 12:40-12:47, 503.2 concurrent request limit
    t = U("2024-06-12 12:40:04")
    while t < U("2024-06-12 12:47:30"):
        ip, ua = rng.choice(pool)
        st = (503, 2, 0) if rng.random() < 0.7 else (200, 0, 0)
        b1.append(Req(t, ip, "POST", L.EP_CLIENT, *st, ua=ua, taken=rng.randint(0, 15)
                      if st[0] == 503 else rng.randint(9000, 30000)))
        t += td(seconds=rng.randint(3, 14))
    b1.append(Req(U("2024-06-12 12:43:16"), wks.ip, "POST", L.EP_CLIENT, 200, ua=L.UA_WIN10, taken=11020))
    b1.append(Req(U("2024-06-12 12:43:17"), wks.ip, "POST", L.EP_CLIENT, 503, 2, 0,
                  ua=L.UA_WIN10, taken=2))
    b1.append(Req(U("2024-06-12 12:44:01"), cm.ip, "POST", L.EP_API, 503, 2, 0, ua=L.UA_API, taken=1))
    b1.append(Req(U("2024-06-12 12:47:52"), cm.ip, "GET", L.EP_SELF, 200, ua=L.UA_WIN10, taken=4))
    # 14:58 WsusPool started by hand, new log fields; it fails again at 15:02
    b2 = []
    t = U("2024-06-12 14:58:44")
    while t < U("2024-06-12 15:01:50"):
        ip, ua = rng.choice(pool)
        st = (200, 0, 0) if t < U("2024-06-12 14:59:40") or rng.random() < 0.3 else (503, 2, 0)
        b2.append(Req(t, ip, "POST", L.EP_CLIENT, *st, ua=ua,
                      taken=rng.randint(4000, 25000) if st[0] == 200 else rng.randint(0, 9)))
        t += td(seconds=rng.randint(2, 9))
    b2 += L.api_auth(rng, U("2024-06-12 14:59:05.310"), cm.ip, "HARBORLINE\\adm-jkowalski", calls=1)
    b2.append(Req(U("2024-06-12 15:00:58"), cm.ip, "POST", L.EP_API, 503, 2, 0, ua=L.UA_API, taken=0))
    iis = L.iis_log([(U("2024-06-12 00:00:03"), L.IIS_F1, b1),
                     (U("2024-06-12 14:58:44"), L.IIS_F2, b2)], sup.ip, rng, sup.fqdn)
    iisrel = "IIS/W3SVC%s/u_ex240612.log" % sid
    inc.write("HLSUP01", iisrel, iis, "IIS W3C (two #Fields blocks)", "utf-8")
    inc.ev("K2", "HLSUP01", iisrel, "12:44:01 10.20.1.21 POST /ApiRemoting30/WebService.asmx",
           "503 2 0 on ApiRemoting30 from 10.20.1.10, same UTC minute as the 6703")
    inc.ev("K2", "HLSUP01", iisrel, "12:43:17 10.20.1.21 POST /ClientWebService/client.asmx",
           "503 to HL-WKS-2231 (client logs 0x80244022 at 08:43:17 -0400)")

    # ------------------------------------------------ SUP: HTTPERR
    rows = []
    t = U("2024-06-12 12:41:12")
    while t < U("2024-06-12 12:47:00"):
        ip, _ = rng.choice(pool)
        rows.append((t, ip, rng.randint(49200, 65400), sup.ip, 8530, "HTTP/1.1", "POST",
                     L.EP_CLIENT, 503, sid, "QueueFull", "WsusPool"))
        t += td(seconds=rng.randint(4, 30))
    t = U("2024-06-12 12:58:31")
    while t < U("2024-06-12 14:58:00"):
        ip, _ = rng.choice(pool)
        stem = rng.choice([L.EP_CLIENT, L.EP_CLIENT, L.EP_SIMPLE, L.EP_REPORT, L.EP_SELF])
        rows.append((t, ip, rng.randint(49200, 65400), sup.ip, 8530, "HTTP/1.1",
                     "GET" if stem == L.EP_SELF else "POST", stem, 503, sid, "AppOffline", "WsusPool"))
        t += td(seconds=rng.randint(40, 260))
    for tt in ("2024-06-12 13:12:33", "2024-06-12 13:44:07", "2024-06-12 14:12:32", "2024-06-12 14:44:13"):
        rows.append((U(tt), cm.ip, rng.randint(49200, 65400), sup.ip, 8530, "HTTP/1.1", "POST",
                     L.EP_API, 503, sid, "AppOffline", "WsusPool"))
    rows.append((U("2024-06-12 13:20:41"), "10.20.34.118", 51522, sup.ip, 8530, "-", "-", "-",
                 "-", "-", "Timer_ConnectionIdle", "-"))
    rows2 = []
    t = U("2024-06-12 15:02:12")
    while t < U("2024-06-12 15:05:00"):
        ip, _ = rng.choice(pool)
        rows2.append((t, ip, rng.randint(49200, 65400), sup.ip, 8530, "HTTP/1.1", "POST",
                      L.EP_CLIENT, 503, sid, "AppOffline", "WsusPool"))
        t += td(seconds=rng.randint(10, 50))
    rows = [r for r in rows]
    he = L.httperr_log([(U("2024-06-12 12:41:12"), L.HTTPERR_F1, rows),
                        (U("2024-06-12 15:02:12"), L.HTTPERR_F2, rows2)])
    inc.write("HLSUP01", "HTTPERR/httperr1.log", he, "HTTPERR (two #Fields blocks)", "ascii")
    inc.ev("K2", "HLSUP01", "HTTPERR/httperr1.log", "QueueFull WsusPool", "503 QueueFull WsusPool")
    inc.ev("K2", "HLSUP01", "HTTPERR/httperr1.log", "13:44:07 10.20.1.10", "503 AppOffline WsusPool for the 13:44 retry")

    # ------------------------------------------------ SUP: IIS config, appcmd
    cfg = apphost(wsuspool(private_mem=1843200), sid, content="E:\\WSUS\\WsusContent",
                  logdir="D:\\Logs\\IIS")
    inc.write("HLSUP01", "inetsrv/config/applicationHost.config", cfg,
              "applicationHost.config", "utf-8-bom")
    inc.ev("K2", "HLSUP01", "inetsrv/config/applicationHost.config", 'privateMemory="1843200"',
           "WsusPool privateMemory=1843200, no queueLength (1000)")
    appcmd = r"""C:\Windows\system32>%windir%\system32\inetsrv\appcmd.exe list apppool
APPPOOL "DefaultAppPool" (MgdVersion:v4.0,MgdMode:Integrated,state:Started)
APPPOOL ".NET v4.5 Classic" (MgdVersion:v4.0,MgdMode:Classic,state:Started)
APPPOOL ".NET v4.5" (MgdVersion:v4.0,MgdMode:Integrated,state:Started)
APPPOOL "WsusPool" (MgdVersion:v4.0,MgdMode:Integrated,state:Stopped)

C:\Windows\system32>%windir%\system32\inetsrv\appcmd.exe list apppool "WsusPool" /text:recycling.periodicRestart.privateMemory
1843200

C:\Windows\system32>%windir%\system32\inetsrv\appcmd.exe list apppool "WsusPool" /text:queueLength
1000

"""
    inc.write("HLSUP01", "appcmd_list_apppool.txt", appcmd, "appcmd output", "ascii")
    inc.ev("K2", "HLSUP01", "appcmd_list_apppool.txt", "state:Stopped", "WsusPool state:Stopped at collection")

    # ------------------------------------------------ SUP: events
    sysev = []
    rec = 221400
    for tt, pidw in (("2024-06-12 11:52:08.114", 5120), ("2024-06-12 12:21:40.902", 7716),
                     ("2024-06-12 12:39:57.230", 2448), ("2024-06-12 15:01:55.008", 9332)):
        rec += rng.randint(20, 90)
        sysev.append(L.evt_xml(L.WAS["provider"], 5117, 4, U(tt), sup.fqdn, "System",
                               [("ProcessID", str(pidw)), ("AppPoolID", "WsusPool")], rec,
                               qualifiers=16384, guid=L.WAS["guid"],
                               source_name="WAS", keywords="0x80000000000000"))
    for tt in ("2024-06-12 12:58:30.441", "2024-06-12 15:02:10.774"):
        rec += rng.randint(20, 90)
        sysev.append(L.evt_xml(L.WAS["provider"], 5002, 2, U(tt), sup.fqdn, "System",
                               [("AppPoolID", "WsusPool")], rec, qualifiers=49152,
                               guid=L.WAS["guid"], source_name="WAS"))
    sysev.sort(key=lambda s: s[s.index("SystemTime='"):])
    inc.write("HLSUP01", "Events/System.xml", "\n".join(sysev) + "\n", "wevtutil /f:xml", "utf-8")
    inc.ev("K2", "HLSUP01", "Events/System.xml", "<EventID Qualifiers='49152'>5002</EventID>",
           "WAS 5002: WsusPool disabled by rapid-fail protection")
    appev = []
    rec = 604100
    for tt, eid, msg in (
            ("2024-06-12 13:05:19.332", 12072, "The WSUS content directory is not accessible.\n"
             "System.Net.WebException: The remote server returned an error: (503) Server Unavailable.\n"
             "   at System.Net.HttpWebRequest.GetResponse()\n"
             "   at Microsoft.UpdateServices.Internal.HealthMonitoring.HmtWebServices.CheckContentDirectoryWebAccess"
             "(EventLoggingType type, HealthEventLogger logger)"),
            ("2024-06-12 13:05:19.348", 12002, "The Reporting Web Service is not working."),
            ("2024-06-12 13:05:19.363", 12012, "The API Remoting Web Service is not working."),
            ("2024-06-12 13:05:19.379", 12022, "The Client Web Service is not working."),
            ("2024-06-12 13:05:19.395", 12032, "The Server Synchronization Web Service is not working."),
            ("2024-06-12 13:05:19.410", 12042, "The SimpleAuth Web Service is not working."),
            ("2024-06-12 13:05:19.426", 12052, "The DSS Authentication Web Service is not working."),
            ("2024-06-12 13:05:19.442", 13042, "Self-update is not working.")):
        rec += 1
        appev.append(L.evt_xml("Windows Server Update Services", eid, 2, U(tt), sup.fqdn,
                               "Application", [msg], rec, qualifiers=0,
                               keywords="0x80000000000000", task=0))
    inc.write("HLSUP01", "Events/Application-WSUS.xml", "\n".join(appev) + "\n",
              "wevtutil /f:xml", "utf-8")

    # ------------------------------------------------ client HL-WKS-2231
    pid, tid = 1288, 10220
    WR = []

    def wa(t, comp, msg, th=tid):
        WR.append((t, pid, th, comp, msg))
    t0 = U("2024-06-12 12:43:15.104")
    wa(t0, "ComApi", "* START *   Federated Search ClientId = CcmExec (cV: N5Xx9o3eS0WXq0Gd.1.0)", 9412)
    wa(t0 + td(milliseconds=10), "Agent", "* START * Queueing Finding updates [CallerId = CcmExec  Id = 211]", 9412)
    wa(t0 + td(milliseconds=22), "Agent", "* START * Finding updates CallerId = CcmExec  Id = 211")
    wa(t0 + td(milliseconds=22), "Agent", "Online = Yes; Interactive = No; AllowCachedResults = No; Ignore download priority = No")
    wa(t0 + td(milliseconds=23), "Agent", "ServiceID = %s Managed" % F.MU_SERVICE)
    wa(t0 + td(milliseconds=23), "Agent", "Search Scope = {Machine}")
    wa(t0 + td(milliseconds=24), "Agent", "Caller SID for Applicability: S-1-5-18")
    wa(t0 + td(milliseconds=31), "Misc", "Got WSUS Client/Server URL: http://HLSUP01.corp.harborline.com:8530/ClientWebService/client.asmx\"\"")
    wa(t0 + td(milliseconds=540), "ProtocolTalker", "OK to reuse existing configuration")
    wa(t0 + td(milliseconds=541), "ProtocolTalker", "Existing cookie is valid, just use it")
    wa(t0 + td(milliseconds=541), "ProtocolTalker", "PTInfo: Server requested registration")
    t1 = U("2024-06-12 12:43:17.388")
    wa(t1, "WebServices", "WS error: The server returned HTTP status code '503 (0x1F7)' with text 'Service Unavailable'.")
    wa(t1, "WebServices", "Web service call failed with hr = 80244022.")
    wa(t1, "WebServices", "Current service auth scheme=0.")
    wa(t1, "WebServices", "Current Proxy auth scheme=0.")
    wa(t1 + td(milliseconds=2), "ProtocolTalker", "*FAILED* [80244022] SyncUpdates_WithRecovery failed")
    wa(t1 + td(milliseconds=2), "ProtocolTalker", "*FAILED* [80244022] Sync of Updates")
    wa(t1 + td(milliseconds=2), "ProtocolTalker", "*FAILED* [80244022] SyncServerUpdatesInternal failed")
    wa(t1 + td(milliseconds=3), "Agent", "*FAILED* [80244022] Synchronize [ClientId = CcmExec]")
    wa(t1 + td(milliseconds=3), "Agent", "Exit code = 0x80244022")
    wa(t1 + td(milliseconds=3), "Agent", "* END * Finding updates CallerId = CcmExec  Id = 211")
    wa(t1 + td(milliseconds=12), "ComApi", "*RESUMED* Search ClientId = CcmExec", 9412)
    wa(t1 + td(milliseconds=13), "ComApi", "Updates found = 0", 9412)
    wa(t1 + td(milliseconds=13), "ComApi", "Exit code = 0x00000000, Result code = 0x80244022", 9412)
    wa(t1 + td(milliseconds=13), "ComApi", "* END *   Search ClientId = CcmExec", 9412)
    # a good scan that morning, for contrast
    t2 = U("2024-06-12 10:05:40.201")
    wa(t2, "ComApi", "* START *   Federated Search ClientId = CcmExec (cV: N5Xx9o3eS0WXq0Gd.0.0)", 9412)
    wa(t2 + td(milliseconds=20), "Agent", "* START * Finding updates CallerId = CcmExec  Id = 198")
    wa(t2 + td(milliseconds=21), "Agent", "ServiceID = %s Managed" % F.MU_SERVICE)
    wa(t2 + td(seconds=8, milliseconds=140), "Agent", "Found 1 updates and 74 categories in search; evaluated appl. rules of 1864 out of 3011 deployed entities")
    wa(t2 + td(seconds=8, milliseconds=150), "Agent", "* END * Finding updates CallerId = CcmExec  Id = 198")
    WR.sort(key=lambda r: r[0])
    inc.write("HL-WKS-2231", "WindowsUpdate.log", L.wu10(wks, WR), "Get-WindowsUpdateLog", "ascii")
    inc.ev("K2", "HL-WKS-2231", "WindowsUpdate.log", "503 (0x1F7)", "client sees 503 at 08:43:17 local")
    C = []
    th = (7344, 1180, 6620)
    r, cur = F.wua_scan(U("2024-06-12 10:05:39.004"), "http://HLSUP01.corp.harborline.com:8530",
                        src_guid, th, rng=rng)
    C += F.wua_end(r, cur, U("2024-06-12 10:05:48.420"), None, th)
    r, cur = F.wua_scan(U("2024-06-12 12:43:14.002"), "http://HLSUP01.corp.harborline.com:8530",
                        src_guid, th, rng=rng)
    C += F.wua_end(r, cur, U("2024-06-12 12:43:17.420"), "80244022", th)
    inc.write("HL-WKS-2231", "CCM/Logs/WUAHandler.log", L.cmtrace(wks, C), "CMTrace")
    inc.fix("K2", G.ART000, "Message ID 6703 - WSUS Synchronization Failed")
    inc.fix("K2", G.ART002, "Code definitions (row 503)")


from incidents_faults2 import k03a, k03b, k04, k05, k06  # noqa: E402
