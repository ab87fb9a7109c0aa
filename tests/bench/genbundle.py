#!/usr/bin/env python3
"""Writes a synthetic diagnostics bundle of about SIZE MB for the bundle
benchmark: IIS W3C logs, CMTrace client logs, legacy SMS traces with
STATMSG lines, and SoftwareDistribution.log, with realistic error rates.
Usage: genbundle.py DIR [SIZE_MB]  (deterministic: fixed seed)"""
import os, random, sys

out, size_mb = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1024
random.seed(1234)
target = size_mb << 20
quarter = target // 4
os.makedirs(os.path.join(out, "W3SVC1"), exist_ok=True)
os.makedirs(os.path.join(out, "Logs"), exist_ok=True)
os.makedirs(os.path.join(out, "ccm"), exist_ok=True)
open(os.path.join(out, "manifest.txt"), "w").write("host: SUP01\nrole: site-server+wsus-server\n")

uris = ["/ClientWebService/client.asmx", "/SimpleAuthWebService/SimpleAuth.asmx",
        "/ReportingWebService/ReportingWebService.asmx", "/ApiRemoting30/WebService.asmx",
        "/Content/0A/1234567890ABCDEF1234567890ABCDEF12345678.cab", "/selfupdate/iuident.cab"]
def statuses():
    r = random.random()
    return "503" if r < 0.01 else "500" if r < 0.012 else "404" if r < 0.02 else "401" if r < 0.05 else "200"

def write_until(path, limit, make):
    n = 0
    with open(path, "w", newline="") as f:
        while n < limit:
            chunk = "".join(make() for _ in range(20000))
            f.write(chunk)
            n += len(chunk)

# IIS: one file per day, with headers.
state = {"t": 0, "day": 0}
def iis_line():
    state["t"] += 1
    s = state["t"]
    hh, mm, ss = (s // 3600) % 24, (s // 60) % 60, s % 60
    st = statuses()
    return "2024-05-%02d %02d:%02d:%02d 10.1.0.5 POST %s - 8530 - 10.1.%d.%d Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.50 - %s 0 0 %d\r\n" % (
        1 + (s // 86400) % 28, hh, mm, ss, random.choice(uris), random.randint(0, 40), random.randint(1, 250), st, random.randint(5, 900))
header = "#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2024-05-01 00:00:00\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
for i in range(4):
    p = os.path.join(out, "W3SVC1", "u_ex2405%02d.log" % (i + 1))
    with open(p, "w", newline="") as f:
        f.write(header)
    with open(p, "a", newline="") as f:
        n = 0
        while n < quarter // 4:
            chunk = "".join(iis_line() for _ in range(20000))
            f.write(chunk); n += len(chunk)

# CMTrace client logs.
def cm_line():
    state["t"] += 1
    s = state["t"]; r = random.random()
    if r < 0.01:
        msg, typ = "OnSearchComplete - Failed to end search job. Error = 0x80072ee2.", 3
    elif r < 0.02:
        msg, typ = "Scan failed with error = 0x8024402c.", 3
    else:
        msg, typ = "Update (Site_%08X-%04X/SUM_%08x) Name (2024-05 Cumulative Update) ArticleID (5037%03d) added to the targeted list of deployment" % (random.getrandbits(32), random.getrandbits(16), random.getrandbits(32), random.randint(0, 999)), 1
    return '<![LOG[%s]LOG]!><time="%02d:%02d:%02d.%03d+240" date="05-%02d-2024" component="UpdatesDeploymentAgent" context="" type="%d" thread="%d" file="updatesmanager.cpp:%d">\r\n' % (
        msg, (s // 3600) % 24, (s // 60) % 60, s % 60, s % 1000, 1 + (s // 86400) % 28, typ, random.randint(1000, 9999), random.randint(100, 2000))
write_until(os.path.join(out, "ccm", "UpdatesDeployment.log"), quarter, cm_line)

# Legacy SMS trace with STATMSG lines.
def sms_line():
    state["t"] += 1
    s = state["t"]; r = random.random()
    d = "05-%02d-2024 %02d:%02d:%02d.%03d+240" % (1 + (s // 86400) % 28, (s // 3600) % 24, (s // 60) % 60, s % 60, s % 1000)
    if r < 0.005:
        return 'STATMSG: ID=6703 SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_WSUS_SYNC_MANAGER" SYS=SUP01.contoso.com SITE=CS1 PID=4321 TID=%d GMTDATE=Wed May 01 10:00:00.000 2024 ISTR0="The request failed with HTTP status 503: Service Unavailable" ISTR1="" ISTR2="" ISTR3="" ISTR4="" ISTR5="" ISTR6="" ISTR7="" ISTR8="" ISTR9="" NUMATTRS=0  $$<SMS_WSUS_SYNC_MANAGER><%s><thread=%d (0x%X)>\r\n' % (s % 9999, d, s % 9999, s % 9999)
    if r < 0.01:
        return "Sync failed: The request failed with HTTP status 503: Service Unavailable. Source: Microsoft.UpdateServices.Administration.AdminProxy.createUpdateServer  $$<SMS_WSUS_SYNC_MANAGER><%s><thread=%d (0x%X)>\r\n" % (d, s % 9999, s % 9999)
    return "sync: WSUS synchronizing updates, processed %d out of %d items (%d%%), ETA in 00:00:%02d  $$<SMS_WSUS_SYNC_MANAGER><%s><thread=%d (0x%X)>\r\n" % (
        s % 130, 130, (s % 130) * 100 // 130, s % 60, d, s % 9999, s % 9999)
write_until(os.path.join(out, "Logs", "wsyncmgr.log"), quarter, sms_line)

# SoftwareDistribution.log
def sd_line():
    state["t"] += 1
    s = state["t"]; r = random.random()
    ts = "2024-05-%02d %02d:%02d:%02d.%03d UTC" % (1 + (s // 86400) % 28, (s // 3600) % 24, (s // 60) % 60, s % 60, s % 1000)
    if r < 0.01:
        return "%s\tError\tw3wp.%d\tSoapUtilities.LogException\tThrowException: actor = https://SUP01:8531/ClientWebService/client.asmx, ID=%08x, ErrorCode=InternalServerError, Message=, Client=?\r\n   at Microsoft.UpdateServices.Internal.ClientImplementation.SyncUpdates()\r\n" % (ts, s % 99, random.getrandbits(32))
    return "%s\tInfo\tWsusService.%d\tContentSyncAgent.ProcessDownloadQueue\tQueued %d content files for download\r\n" % (ts, s % 99, s % 500)
write_until(os.path.join(out, "SoftwareDistribution.log"), quarter, sd_line)
