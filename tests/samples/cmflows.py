"""cmflows.py -- message sequences shared by several sample incidents:
wsyncmgr sync cycles, WCM connection checks, WindowsUpdate.log scans,
WUAHandler scans.  Wording follows the 004 seed and FORMATS.md; the
surroundings (names, ids, times) come from the caller."""

import datetime as dt

import samplelib as L
from samplelib import td

SYNC = "SMS_WSUS_SYNC_MANAGER"
WCM = "SMS_WSUS_CONFIGURATION_MANAGER"
CTRL = "SMS_WSUS_CONTROL_MANAGER"
SRC_ADMINPROXY = "Microsoft.UpdateServices.Administration.AdminProxy.CreateUpdateServer"
SRC_SYNCWSUS = ("Microsoft.SystemsManagementServer.SoftwareUpdatesManagement."
                "WSyncAction.WSyncAction.SyncWSUS")
MU_SERVICE = "{3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}"


def dur(a, b):
    s = int((b - a).total_seconds())
    return "0d%02dh%02dm%02ds" % (s // 3600, s % 3600 // 60, s % 60)


def wsync_cycle(w, site_host, sup, site, t, how="regular schedule", fail=None,
                updates=(), items=(130, 42), source_guid=None, version=100,
                retry_min=60, next_regular=None, wsus_secs=190, pre=(),
                istr_code=""):
    """One wsyncmgr sync cycle into SmsLog w, starting at t.

    fail: None, or (stage, message, source): stage "connect" fails before the
    WSUS sync starts, "wsus" during it.  Returns the end time."""
    w.at(t)
    for line in pre:
        w.add(line, 90)
    if how != "parent request":
        w.add("Starting Sync", 120)
    w.add("Performing sync on %s" % how, 2)
    w.stat(6701, "I", dt_ms=40)
    w.add("Read SUPs from SCF for %s" % sup, 35)
    w.add("Found 1 SUPs", 1)
    w.add("Found active SUP %s from SCF File." % sup, 1)
    w.add("DB Server not detected for SUP %s" % sup, 96)
    w.stat(6704, "I", dt_ms=1130)
    w.add("Synchronizing WSUS server %s ..." % sup, 20)
    if fail and fail[0] == "connect":
        return _fail(w, t, site, fail, retry_min, istr_code, 3100)
    w.add("sync: Starting WSUS synchronization", 410)
    if fail and fail[0] == "wsus":
        return _fail(w, t, site, fail, retry_min, istr_code, 5200)
    w.add("sync: WSUS synchronizing categories", 2600)
    w.add("sync: WSUS synchronizing updates", 9100)
    n = items[0]
    for pct in (38, 71, 93):
        w.add("sync: WSUS synchronizing updates, processed %d out of %d items (%d%%), "
              "ETA in 00:00:%02d" % (n * pct // 100, n, pct, (100 - pct) // 3 + 2),
              wsus_secs * 1000 // 4)
    w.add("Done synchronizing WSUS Server %s" % sup, wsus_secs * 1000 // 4)
    w.add("Set content version of update source %s for site %s to %d" % (
        source_guid, site, version), 40)
    w.stat(6705, "I", dt_ms=30)
    w.add("Synchronizing SMS database with WSUS server %s ..." % sup, 25)
    for guid, title in updates:
        w.add("Synchronizing update %s - %s" % (guid, title), 1800)
    m = items[1]
    w.add("sync: SMS synchronizing updates, processed %d out of %d items (%d%%)" % (
        m * 2 // 3, m, 66), 4200)
    w.add("sync: SMS synchronizing updates, processed %d out of %d items (100%%)" % (
        m, m), 5200)
    w.add("Done synchronizing SMS with WSUS Server %s" % sup, 700)
    w.add("Set content version of update source %s for site %s to %d" % (
        source_guid, site, version + 1), 60)
    w.add("Sync succeeded. Setting sync alert to canceled state on site %s" % site, 45)
    w.add("Updated %d items in SMS database, new update source content version is %d" % (
        m, version + 1), 20)
    w.add("Sync time: %s" % dur(t, w.t), 3)
    w.stat(6702, "I", dt_ms=15)
    if next_regular:
        w.add("Next scheduled sync is a regular sync at %s" % L.us_time(
            site_host.local(next_regular)), 10)
        w.add("Waiting %d minutes for requests" % int(
            (next_regular - w.t).total_seconds() // 60), 2)
    return w.t


def _fail(w, t, site, fail, retry_min, istr_code, ms):
    stage, msg, src = fail
    w.add("Sync failed: %s. Source: %s" % (msg, src), ms)
    w.stat(6703, "E", istr=(src, msg.replace("~~", "~~"), istr_code), dt_ms=12)
    w.add("Sync failed. Will retry in %d minutes" % retry_min, 3)
    w.add("Setting sync alert to active state on site %s" % site, 40)
    w.add("Sync time: %s" % dur(t, w.t), 2)
    nxt = w.t + td(minutes=retry_min)
    w.add("Next scheduled sync is a retry sync at %s" % L.us_time(w.host.local(nxt)), 8)
    w.add("Waiting %d minutes for requests" % retry_min, 1)
    return w.t


def wcm_check(c, t, sup, port=8530, ssl=False, error=None, versions=(
        "10.0.17763.5830", "10.0.17763.5830"), waiting=60, upstream=None):
    """One WCM.log hourly pass; error = list of '~'-joined exception lines."""
    c.at(t)
    c.add("Checking for supported version of WSUS (min WSUS 3.0 SP2 + KB2720211 + KB2734608)~", 0)
    c.add("Checking runtime v4.0.30319...~", 14)
    c.add("Found supported assembly Microsoft.UpdateServices.Administration version "
          "4.0.0.0, file version %s~" % versions[0], 2)
    c.add("Found supported assembly Microsoft.UpdateServices.BaseApi version 4.0.0.0, "
          "file version %s~" % versions[1], 1)
    c.add("Supported WSUS version found~", 1)
    c.add("Attempting connection to WSUS server: %s, port: %d, useSSL: %s~" % (
        sup, port, "True" if ssl else "False"), 3)
    if error:
        c.add(error, 4200)
        c.add("Remote configuration failed on WSUS Server.~", 20)
        c.add("Setting new configuration state to 3 (WSUS_CONFIG_FAILED)~", 2)
    else:
        c.add("Successfully connected to server: %s, port: %d, useSSL: %s~" % (
            sup, port, "True" if ssl else "False"), 380)
        c.add("Verify Upstream Server settings on the Active WSUS Server~", 2)
        c.add("No changes - WSUS Server settings are correctly configured and Upstream "
              "Server is set to %s~" % (upstream or "Microsoft Update"), 260)
        c.add("Verify Proxy settings on the Active WSUS Server~", 1)
        c.add("No changes - local WSUS Server Proxy settings are correctly configured as "
              "Proxy Name  and Proxy Port 80~", 31)
        c.add("Setting new configuration state to 2 (WSUS_CONFIG_SUCCESS)~", 3)
    c.add("Waiting for changes for %d minutes" % waiting, 2)
    return c.t


# ------------------------------------------------------------------ clients

def wu_scan_legacy(host, t, pid, tid, autid, server, caller="CcmExec",
                   fail=None, found=(0, 85), rng=None, report_guid=None):
    """A legacy WindowsUpdate.log scan (Agent/PT/Setup/Misc), started at t.
    fail: None or hresult string like '8024402C' / '80072EE2' (selfupdate
    download step), '8024401F' (SyncUpdates), etc."""
    R = []
    cur = [t]

    def a(comp, msg, ms=0, th=None):
        cur[0] = cur[0] + td(milliseconds=ms)
        R.append((cur[0], pid, th or tid, comp, msg))

    cid = "{%s}" % rng.guid(upper=True)
    a("AU", "#############", 0, autid)
    a("AU", "## START ##  AU: Search for updates", 0, autid)
    a("AU", "#########", 0, autid)
    a("AU", "<<## SUBMITTED ## AU: Search for updates [CallId = %s ShowProgress = No]" % cid, 15, autid)
    a("Agent", "*************", 3)
    a("Agent", "** START **  Agent: Finding updates [CallerId = %s]" % caller)
    a("Agent", "*********")
    a("Agent", "  * Online = Yes; Ignore download priority = No")
    a("Agent", "  * Criteria = \"(DeploymentAction=* AND Type='Software') OR "
               "(DeploymentAction=* AND Type='Driver')\"")
    a("Agent", "  * ServiceID = %s Managed" % MU_SERVICE)
    a("Agent", "  * Search Scope = {Machine}")
    a("Setup", "Checking for agent SelfUpdate", 16)
    a("Setup", "Client version: Core: 7.9.9600.18756  Aux: 7.9.9600.18756")
    url = "%s/selfupdate/wuident.cab" % server
    code = None
    if fail in ("8024402C", "80072EE2", "80244018"):
        win = {"8024402C": "80072ee7", "80072EE2": "80072ee2", "80244018": "80190193"}[fail]
        if fail == "80244018":
            a("Misc", "WARNING: WinHttp: SendRequestToServerForFileInformation failed with 0x%s" % win, 140)
        else:
            a("Misc", "WARNING: Send failed with hr = %s." % win, 2250 if fail == "8024402C" else 21040)
            a("Misc", "WARNING: SendRequest failed with hr = %s. Proxy List used: <(null)> "
                      "Bypass List used : <(null)> Auth Schemes used : <>" % win)
            a("Misc", "WARNING: WinHttp: SendRequestUsingProxy failed for <%s>. error 0x%s" % (url, win))
            a("Misc", "WARNING: WinHttp: SendRequestToServerForFileInformation MakeRequest "
                      "failed. error 0x%s" % win)
        a("Misc", "WARNING: WinHttp: ShouldFileBeDownloaded failed with 0x%s" % win)
        a("Misc", "WARNING: DownloadFileInternal failed for %s: error 0x%s" % (url, win))
        a("Setup", "FATAL: IsUpdateRequired failed with error 0x%s" % fail.lower())
        a("Setup", "WARNING: SelfUpdate check failed to download package information, "
                   "error = 0x%s" % fail)
        a("Setup", "FATAL: SelfUpdate check failed, err = 0x%s" % fail)
        a("Agent", "  * WARNING: Skipping scan, self-update check returned 0x%s" % fail)
        code = fail
    else:
        a("Misc", "Validating signature for C:\\Windows\\SoftwareDistribution\\SelfUpdate\\"
                  "wuident.cab with dwProvFlags 0x00000080:", 420)
        a("Misc", " Microsoft signed: NA", 15)
        a("Setup", "Wuident for agent selfupdate is valid", 8)
        a("Setup", "Skipping SelfUpdate check based on the /SKIP directive in wuident")
        a("Setup", "SelfUpdate check completed.  SelfUpdate is NOT required.", 25)
        a("PT", "+++++++++++  PT: Synchronizing server updates  +++++++++++", 480)
        a("PT", "  + ServiceId = %s, Server URL = %s/ClientWebService/client.asmx" % (
            MU_SERVICE, server))
        if fail:
            code = fail
            http = {"8024401F": "500", "80244019": "404", "80244017": "401",
                    "80244018": "403", "80244022": "503"}[fail]
            call = "GetConfig" if fail in ("8024401F", "80244022") else "SyncUpdates"
            a("PT", "WARNING: %s failure, error = 0x%s, soap client error = 5, "
                    "soap error code = 0, HTTP status code = %s" % (call, fail, http), 2870)
            a("PT", "WARNING: PTError: 0x%s" % fail.lower())
            if call == "GetConfig":
                a("PT", "WARNING: GetConfig_WithRecovery failed: 0x%s" % fail.lower())
                a("PT", "WARNING: RefreshConfig failed: 0x%s" % fail.lower())
                a("PT", "WARNING: RefreshPTState failed: 0x%s" % fail.lower())
            a("PT", "WARNING: Sync of Updates: 0x%s" % fail.lower())
            a("PT", "WARNING: SyncServerUpdatesInternal failed: 0x%s" % fail.lower())
            a("Agent", "  * WARNING: Failed to synchronize, error = 0x%s" % fail)
        else:
            a("PT", "+++++++++++  PT: Synchronizing extended update info  +++++++++++", 6100)
            a("PT", "  + ServiceId = %s, Server URL = %s/ClientWebService/client.asmx" % (
                MU_SERVICE, server))
            a("Agent", "  * Found %d updates and %d categories in search; evaluated appl. "
                       "rules of 1577 out of 2841 deployed entities" % found, 2900)
    if code:
        a("Agent", "  * WARNING: Exit code = 0x%s" % code)
    a("Agent", "*********")
    a("Agent", "**  END  **  Agent: Finding updates [CallerId = %s]" % caller)
    a("Agent", "*************")
    if code:
        a("Agent", "WARNING: WU client failed Searching for update with error 0x%s" % code.lower())
    a("AU", ">>##  RESUMED  ## AU: Search for updates [CallId = %s]" % cid, 16, autid)
    if code:
        a("AU", "  # WARNING: Search callback failed, result = 0x%s" % code, 0, autid)
        a("AU", "  # WARNING: Failed to find updates with error code %s" % code, 0, autid)
    else:
        a("AU", "  # %d updates detected" % found[0], 0, autid)
    a("AU", "#########", 0, autid)
    a("AU", "##  END  ##  AU: Search for updates [CallId = %s]" % cid, 0, autid)
    a("AU", "#############", 0, autid)
    a("AU", "Successfully wrote event for AU health state:0", 0, autid)
    nxt = cur[0] + td(hours=22, minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
    a("AU", "AU setting next detection timeout to %s" % nxt.strftime("%Y-%m-%d %H:%M:%S"),
      16, autid)
    if code:
        lt = host.local(cur[0])
        a("Report", "REPORT EVENT: {%s}\t%s:%s%s\t1\t148\t101\t{00000000-0000-0000-0000-"
                    "000000000000}\t0\t%s\t%s\tFailure\tSoftware Synchronization\tWindows "
                    "Update Client failed to detect with error 0x%s." % (
                        (report_guid or rng.guid(upper=True)), lt.strftime("%Y-%m-%d %H:%M:%S"),
                        L.ms(lt), host.iso_off(cur[0]), code.lower(), caller, code.lower()),
          5020)
    return R, cur[0]


def wua_scan(t, sup_url, source_guid, threads, fail=None, rng=None):
    """WUAHandler.log records of one ConfigMgr scan (CMTrace tuples)."""
    th1, th2, th3 = threads
    R = []
    cur = [t]

    def a(msg, typ=1, th=th1, src="cwuahandler.cpp:0", ms=0):
        cur[0] = cur[0] + td(milliseconds=ms)
        R.append((cur[0], "WUAHandler", msg, typ, th, src))

    a("Its a WSUS Update Source type (%s), adding it." % source_guid, src="sourcemanager.cpp:1461")
    a("SourceManager::GetIsWUfBEnabled - There is no Windows Update for Business settings "
      "assignment. Windows Update for Business is not enabled through ConfigMgr",
      th=th2, src="sourcemanager.cpp:690", ms=20)
    a("Existing WUA Managed server was already set (%s), skipping Group Policy "
      "registration." % sup_url, src="sourcemanager.cpp:1108", ms=93)
    a("Added Update Source (%s) of content type: 2" % source_guid, src="sourcemanager.cpp:1494", ms=79)
    a("Scan results will include all superseded updates.", src="cwuahandler.cpp:3674", ms=336)
    a("Search Criteria is (DeploymentAction=* AND Type='Software') OR "
      "(DeploymentAction=* AND Type='Driver')", src="cwuahandler.cpp:3677")
    a("Async searching of updates using WUAgent started.", src="cwuahandler.cpp:1004", ms=41)
    return R, cur


def wua_end(R, cur, when, fail, threads, found=None):
    th1, th2, th3 = threads
    cur[0] = when
    if fail:
        R.append((when, "WUAHandler", "OnSearchComplete - Failed to end search job. "
                  "Error = 0x%s." % fail.lower(), 3, th2, "cwuahandler.cpp:2888"))
        R.append((when + td(milliseconds=16), "WUAHandler", "Scan failed with error = "
                  "0x%s." % fail.lower(), 3, th3, "cwuahandler.cpp:4223"))
    else:
        R.append((when, "WUAHandler", "Async searching completed.", 1, th2,
                  "cwuahandler.cpp:2810"))
        R.append((when + td(milliseconds=751), "WUAHandler", "Successfully completed scan.",
                  1, th3, "cwuahandler.cpp:4317"))
    return R
