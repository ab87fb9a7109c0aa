"""samplelib.py -- writers for the bundle formats of kb/samples.

Every writer takes times as aware UTC datetimes and renders them the way the
real file would (FORMATS.md): CMTrace and SMS trace with a Windows bias
(UTC = local + bias), legacy WindowsUpdate.log in local time with an ISO
"tz:" banner, IIS/HTTPERR/SoftwareDistribution/STATMSG GMTDATE/event XML in
UTC, MSI/postinstall/CSV/Get-WindowsUpdateLog in local time with no marker.

Python 3 standard library only.  Deterministic: no clock, no unseeded
randomness.
"""

import datetime as dt
import os
import random
import uuid
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc


def U(s):
    """'2024-06-12 12:44:02.117' (UTC) -> aware datetime."""
    fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in s else "%Y-%m-%d %H:%M:%S"
    return dt.datetime.strptime(s, fmt).replace(tzinfo=UTC)


def ms(t):
    return "%03d" % (t.microsecond // 1000)


class Host:
    """One machine: name, DNS domain, IPv4, IANA zone, roles."""

    def __init__(self, name, domain, ip, zone, roles, winzone=""):
        self.name = name
        self.domain = domain
        self.fqdn = "%s.%s" % (name, domain) if domain else name
        self.ip = ip
        self.zone = ZoneInfo(zone)
        self.zonename = zone
        self.roles = roles
        self.winzone = winzone

    def local(self, t):
        return t.astimezone(self.zone)

    def offset_min(self, t):
        return int(self.local(t).utcoffset().total_seconds() // 60)

    def bias(self, t):
        """Windows bias in minutes: UTC = local + bias."""
        return -self.offset_min(t)

    def bias_str(self, t):
        b = self.bias(t)
        return "+000" if b == 0 else "%+d" % b

    def iso_off(self, t):
        o = self.offset_min(t)
        s = "+" if o >= 0 else "-"
        o = abs(o)
        return "%s%02d%02d" % (s, o // 60, o % 60)


# --------------------------------------------------------------- encodings

def encode(text, enc="utf-8", eol="\r\n"):
    """text uses '\\n' line ends; returns bytes with eol and encoding.

    enc: utf-8, utf-8-bom, ascii, cp1252, utf-16le-bom."""
    if eol != "\n":
        text = text.replace("\r\n", "\n").replace("\n", eol)
    if enc == "utf-8":
        return text.encode("utf-8")
    if enc == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if enc == "ascii":
        return text.encode("ascii")
    if enc == "cp1252":
        return text.encode("cp1252")
    if enc == "utf-16le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    raise ValueError(enc)


ENC_LABEL = {
    "utf-8": "UTF-8", "utf-8-bom": "UTF-8 BOM", "ascii": "ASCII",
    "cp1252": "ANSI/Windows-1252", "utf-16le-bom": "UTF-16LE BOM",
}


def decode_any(data):
    """Bytes -> str by BOM, else UTF-8, else Windows-1252."""
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def sniff_encoding(data):
    if data.startswith(b"\xff\xfe"):
        e = "UTF-16LE BOM"
        body = data[2:].decode("utf-16-le", "replace")
    elif data.startswith(b"\xef\xbb\xbf"):
        e = "UTF-8 BOM"
        body = data[3:].decode("utf-8", "replace")
    else:
        try:
            body = data.decode("utf-8")
            e = "ASCII" if all(b < 0x80 for b in data) else "UTF-8"
        except UnicodeDecodeError:
            body = data.decode("cp1252", "replace")
            e = "ANSI/Windows-1252"
    crlf = body.count("\r\n")
    lf = body.count("\n") - crlf
    eol = "CRLF" if crlf and not lf else "LF" if lf and not crlf else \
        "mixed" if crlf and lf else "-"
    return e, eol


# --------------------------------------------------------------- randomness

class Rng(random.Random):
    """Seeded helper for GUIDs, hex and the like."""

    def guid(self, upper=False):
        g = str(uuid.UUID(int=self.getrandbits(128), version=4))
        return g.upper() if upper else g

    def hexs(self, n):
        return "".join(self.choice("0123456789ABCDEF") for _ in range(n))


# --------------------------------------------------------------- CMTrace

def cm_record(host, t, msg, comp, typ=1, thread=0, src="", context=""):
    lt = host.local(t)
    return ('<![LOG[%s]LOG]!><time="%s.%s%s" date="%s" component="%s" '
            'context="%s" type="%d" thread="%d" file="%s">' % (
                msg, lt.strftime("%H:%M:%S"), ms(lt), host.bias_str(t),
                lt.strftime("%m-%d-%Y"), comp, context, typ, thread, src))


def cmtrace(host, recs):
    """recs: (t, comp, msg, type, thread, srcfile) -> text ('\\n' ends;
    multi-line messages keep their inner newlines)."""
    return "".join(cm_record(host, t, m, c, ty, th, f) + "\n"
                   for (t, c, m, ty, th, f) in recs)


# --------------------------------------------------------------- SMS trace

def sms_line(host, t, comp, msg, tid):
    lt = host.local(t)
    return "%s  $$<%s><%s %s.%s%s><thread=%d (0x%X)>" % (
        msg, comp, lt.strftime("%m-%d-%Y"), lt.strftime("%H:%M:%S"), ms(lt),
        host.bias_str(t), tid, tid)


def sms(host, recs):
    """recs: (t, comp, msg, tid)."""
    return "".join(sms_line(host, t, c, m, tid) + "\n"
                   for (t, c, m, tid) in recs)


def statmsg(mid, sev, comp, host, site, pid, tid, t, istr=(), source="SMS Server"):
    istr = list(istr) + [""] * (10 - len(istr))
    g = "%s.%s %d" % (t.strftime("%a %b %d %H:%M:%S"), ms(t), t.year)
    parts = " ".join('ISTR%d="%s"' % (i, s) for i, s in enumerate(istr))
    return ('STATMSG: ID=%d SEV=%s LEV=M SOURCE="%s" COMP="%s" SYS=%s SITE=%s '
            'PID=%d TID=%d GMTDATE=%s %s NUMATTRS=0' % (
                mid, sev, source, comp, host.fqdn, site, pid, tid, g, parts))


class SmsLog:
    """Builder for one SMS trace component (wsyncmgr, WCM, WSUSCtrl)."""

    def __init__(self, host, comp, tid, site=None, pid=0):
        self.host, self.comp, self.tid = host, comp, tid
        self.site, self.pid = site, pid
        self.recs = []

    def at(self, t):
        self.t = t
        return self

    def add(self, msg, dt_ms=0, tid=None):
        self.t = self.t + dt.timedelta(milliseconds=dt_ms)
        self.recs.append((self.t, self.comp, msg, tid or self.tid))
        return self

    def stat(self, mid, sev="I", istr=(), dt_ms=0):
        self.t = self.t + dt.timedelta(milliseconds=dt_ms)
        self.recs.append((self.t, self.comp, statmsg(
            mid, sev, self.comp, self.host, self.site, self.pid, self.tid,
            self.t, istr), self.tid))
        return self

    def text(self, recs=None):
        return sms(self.host, self.recs if recs is None else recs)


# --------------------------------------------------------------- SoftwareDistribution.log

def softdist(recs):
    """recs: (t, level, proc, method, msg, [continuation lines])."""
    out = []
    for r in recs:
        t, lvl, proc, meth, msg = r[:5]
        out.append("%s.%s UTC\t%s\t%s\t%s\t%s" % (
            t.strftime("%Y-%m-%d %H:%M:%S"), ms(t), lvl, proc, meth, msg))
        if len(r) > 5:
            out.extend(r[5])
    return "\n".join(out) + "\n"


# --------------------------------------------------------------- WindowsUpdate.log

def wu_legacy(host, recs):
    """recs: (t, pid, tid, comp, msg).  Local time, ms after a colon."""
    out = []
    for t, pid, tid, comp, msg in recs:
        lt = host.local(t)
        out.append("%s\t%s:%s\t%4d\t%x\t%s\t%s" % (
            lt.strftime("%Y-%m-%d"), lt.strftime("%H:%M:%S"), ms(lt), pid, tid,
            comp, msg))
    return "\n".join(out) + "\n"


def wu_banner(host, t, pid, tid, build="7.9.9600.18756"):
    """The per-process banner lines of the legacy log."""
    return [
        (t, pid, tid, "Misc", "===========  Logging initialized (build: %s, "
         "tz: %s)  ===========" % (build, host.iso_off(t))),
        (t, pid, tid, "Misc", "  = Process: C:\\Windows\\system32\\svchost.exe"),
        (t, pid, tid, "Misc", "  = Module: c:\\windows\\system32\\wuaueng.dll"),
    ]


def wu10(host, recs):
    """Get-WindowsUpdateLog: (t, pid, tid, comp, msg); local time, 7 digits."""
    out = []
    last = None
    for t, pid, tid, comp, msg in recs:
        lt = host.local(t)
        ticks = lt.microsecond * 10 + hash_small(str(t) + msg) % 9000
        key = (lt.replace(microsecond=0), ticks)
        if last is not None and key <= last:      # keep 100-ns ticks increasing
            ticks = last[1] + 3 + hash_small(msg) % 37 if key[0] == last[0] else ticks
            key = (key[0], min(ticks, 9999999))
        last = key
        out.append("%s.%07d %-6d%-6d%-16s%s" % (
            lt.strftime("%Y/%m/%d %H:%M:%S"), key[1], pid, tid, comp, msg))
    return "\n".join(out) + "\n"


def hash_small(s):
    h = 0
    for ch in s:
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    return h


# --------------------------------------------------------------- IIS W3C / HTTPERR

IIS_F1 = ("date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
          "cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus "
          "sc-win32-status time-taken")
IIS_F2 = ("date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
          "cs-username c-ip cs(User-Agent) cs(Referer) cs-host sc-status "
          "sc-substatus sc-win32-status sc-bytes cs-bytes time-taken")

UA_WIN10 = "Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.71"
UA_WIN11 = "Windows-Update-Agent/1123.2025.4021.0+Client-Protocol/2.71"
UA_2012R2 = "Windows-Update-Agent/7.9.9600.18756+Client-Protocol/1.81"
UA_API = "Mozilla/4.0+(compatible;+MSIE+6.0;+MS+Web+Services+Client+Protocol+4.0.30319.42000)"
UA_API_OLD = "Mozilla/4.0+(compatible;+MSIE+6.0;+MS+Web+Services+Client+Protocol+2.0.50727.8806)"
UA_BITS = "Microsoft+BITS/7.8"

EP_CLIENT = "/ClientWebService/client.asmx"
EP_SIMPLE = "/SimpleAuthWebService/SimpleAuth.asmx"
EP_REPORT = "/ReportingWebService/ReportingWebService.asmx"
EP_API = "/ApiRemoting30/WebService.asmx"
EP_DSS = "/DssAuthWebService/DssAuthWebService.asmx"
EP_SSYNC = "/ServerSyncWebService/ServerSyncWebService.asmx"
EP_SELF = "/selfupdate/wuident.cab"


class Req:
    def __init__(self, t, cip, method, stem, status=200, sub=0, win32=0,
                 ua=UA_WIN10, user="-", query="-", port=8530, taken=None,
                 scbytes=None, csbytes=None):
        self.t, self.cip, self.method, self.stem = t, cip, method, stem
        self.status, self.sub, self.win32 = status, sub, win32
        self.ua, self.user, self.query, self.port = ua, user, query, port
        self.taken, self.scbytes, self.csbytes = taken, scbytes, csbytes


def iis_header(t, fields, software="Microsoft Internet Information Services 10.0"):
    return ["#Software: " + software, "#Version: 1.0",
            "#Date: " + t.strftime("%Y-%m-%d %H:%M:%S"), "#Fields: " + fields]


def iis_line(r, sip, fields, rng, hostname):
    taken = r.taken if r.taken is not None else rng.randint(15, 400)
    v = {
        "date": r.t.strftime("%Y-%m-%d"), "time": r.t.strftime("%H:%M:%S"),
        "s-ip": sip, "cs-method": r.method, "cs-uri-stem": r.stem,
        "cs-uri-query": r.query, "s-port": str(r.port), "cs-username": r.user,
        "c-ip": r.cip, "cs(User-Agent)": r.ua, "cs(Referer)": "-",
        "cs-host": "%s:%d" % (hostname, r.port),
        "sc-status": str(r.status), "sc-substatus": str(r.sub),
        "sc-win32-status": str(r.win32),
        "sc-bytes": str(r.scbytes if r.scbytes is not None else rng.randint(300, 9000)),
        "cs-bytes": str(r.csbytes if r.csbytes is not None else rng.randint(400, 3000)),
        "time-taken": str(taken),
    }
    return " ".join(v[f] for f in fields.split())


def iis_log(blocks, sip, rng, hostname):
    """blocks: [(header_time, fields, [Req...])] -> text."""
    out = []
    for ht, fields, reqs in blocks:
        out.extend(iis_header(ht, fields))
        for r in sorted(reqs, key=lambda r: r.t):
            out.append(iis_line(r, sip, fields, rng, hostname))
    return "\n".join(out) + "\n"


HTTPERR_F1 = ("date time c-ip c-port s-ip s-port cs-version cs-method cs-uri "
              "sc-status s-siteid s-reason s-queuename")
HTTPERR_F2 = ("date time c-ip c-port s-ip s-port cs-version cs-method cs-uri "
              "streamid streamid_ex sc-status s-siteid s-reason s-queuename "
              "transport fault-code extended-fault-code")


def httperr_log(blocks):
    """blocks: [(header_time, fields, [(t, cip, cport, sip, sport, ver,
    method, uri, status, siteid, reason, queue)])]."""
    out = []
    for ht, fields, rows in blocks:
        out += ["#Software: Microsoft HTTP API 2.0", "#Version: 1.0",
                "#Date: " + ht.strftime("%Y-%m-%d %H:%M:%S"), "#Fields: " + fields]
        for (t, cip, cport, sip, sport, ver, meth, uri, st, site, reason,
             queue) in sorted(rows, key=lambda r: r[0]):
            base = [t.strftime("%Y-%m-%d"), t.strftime("%H:%M:%S"), cip,
                    str(cport), sip, str(sport), ver, meth, uri]
            if "streamid" in fields:
                base += ["-", "-"]
            base += [str(st), str(site), reason, queue]
            if "transport" in fields:
                base += ["TCP", "-", "-"]
            out.append(" ".join(base))
    return "\n".join(out) + "\n"


# --------------------------------------------------------------- events

def xesc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;"))


def evt_xml(provider, eid, level, t, computer, channel, data, record,
            qualifiers=None, guid=None, source_name=None, task=0, opcode=0,
            keywords="0x80000000000000", pid=0, tid=0, version=0, user=None,
            binary=None):
    """One wevtutil /f:xml event (single quotes, no declaration).  data is a
    list of str (unnamed <Data>) or (name, value) pairs."""
    prov = "<Provider Name='%s'" % provider
    if guid:
        prov += " Guid='%s'" % guid
    if source_name:
        prov += " EventSourceName='%s'" % source_name
    prov += "/>"
    eidx = ("<EventID Qualifiers='%d'>%d</EventID>" % (qualifiers, eid)
            if qualifiers is not None else "<EventID>%d</EventID>" % eid)
    frac = "%07d" % (t.microsecond * 10 + (hash_small(str(eid) + str(record)) % 10))
    sec = "<Security UserID='%s'/>" % user if user else "<Security/>"
    sysx = ("<System>%s%s<Version>%d</Version><Level>%d</Level><Task>%d</Task>"
            "<Opcode>%d</Opcode><Keywords>%s</Keywords><TimeCreated SystemTime='%s.%sZ'/>"
            "<EventRecordID>%d</EventRecordID><Correlation/><Execution ProcessID='%d' "
            "ThreadID='%d'/><Channel>%s</Channel><Computer>%s</Computer>%s</System>" % (
                prov, eidx, version, level, task, opcode, keywords,
                t.strftime("%Y-%m-%dT%H:%M:%S"), frac, record, pid, tid, channel,
                computer, sec))
    ds = []
    for d in data:
        if isinstance(d, tuple):
            ds.append("<Data Name='%s'>%s</Data>" % (d[0], xesc(d[1])))
        else:
            ds.append("<Data>%s</Data>" % xesc(d))
    ed = "<EventData>%s%s</EventData>" % ("".join(ds),
                                           "<Binary>%s</Binary>" % binary if binary else "")
    return ("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>"
            + sysx + ed + "</Event>")


SCM = dict(provider="Service Control Manager",
           guid="{555908d1-a6d7-4695-8e1e-26931d2012f4}",
           source_name="Service Control Manager", channel="System")
WAS = dict(provider="Microsoft-Windows-WAS",
           guid="{524B5D04-133C-4A62-8362-64E8EDB9CE40}", source_name="WAS",
           channel="System")
WUC = dict(provider="Microsoft-Windows-WindowsUpdateClient",
           guid="{945a8954-c147-4acd-923f-40c45405a658}", channel="System")
WSUS_SRC = dict(provider="Windows Server Update Services", channel="Application")


def csv_quote(v):
    return '"' + str(v).replace('"', '""') + '"'


def csv_text(header, rows, delim=",", type_line=None):
    out = []
    if type_line:
        out.append(type_line)
    out.append(delim.join(csv_quote(h) for h in header))
    for r in rows:
        out.append(delim.join(csv_quote(v) for v in r))
    return "\n".join(out) + "\n"


def us_time(lt):
    """en-US culture: 6/12/2024 9:55:01 AM."""
    h = lt.hour % 12 or 12
    return "%d/%d/%d %d:%02d:%02d %s" % (lt.month, lt.day, lt.year, h, lt.minute,
                                         lt.second, "AM" if lt.hour < 12 else "PM")


def de_time(lt):
    return lt.strftime("%d.%m.%Y %H:%M:%S")


# --------------------------------------------------------------- MSI

def msi_time(lt):
    return "%s:%s" % (lt.strftime("%H:%M:%S"), ms(lt))


# --------------------------------------------------------------- sc query

SC_STATE = {1: "STOPPED", 2: "START_PENDING", 3: "STOP_PENDING", 4: "RUNNING",
            7: "PAUSED"}


def sc_block(name, state, typ="10  WIN32_OWN_PROCESS", exit_code=0, svc_exit=0,
             flags="(STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)"):
    out = ["SERVICE_NAME: " + name,
           "        TYPE               : " + typ,
           "        STATE              : %d  %s" % (state, SC_STATE[state])]
    if state == 4:
        out.append("                                " + flags)
    out += ["        WIN32_EXIT_CODE    : %d  (0x%x)" % (exit_code, exit_code),
            "        SERVICE_EXIT_CODE  : %d  (0x%x)" % (svc_exit, svc_exit),
            "        CHECKPOINT         : 0x0",
            "        WAIT_HINT          : 0x0"]
    return out


def ps51_json(objs):
    """ConvertTo-Json of PS 5.1: 4-space indent, '"k":  v'."""
    def val(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if v is None:
            return "null"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
    out = ["["]
    for i, o in enumerate(objs):
        out.append("    {")
        items = list(o.items())
        for j, (k, v) in enumerate(items):
            out.append('        "%s":  %s%s' % (k, val(v), "," if j < len(items) - 1 else ""))
        out.append("    }" + ("," if i < len(objs) - 1 else ""))
    out.append("]")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------- IIS traffic

def td(**kw):
    return dt.timedelta(**kw)


def scan_seq(rng, t, cip, ua=UA_WIN10, port=8530, fail=None, selfupdate=True,
             report=True):
    """A client's scan as IIS sees it: selfupdate, GetConfig, SimpleAuth
    cookie, GetCookie, SyncUpdates, extended info, reporting.  fail:
    {stem: (status, sub, win32)} -- the first failing call ends the scan."""
    calls = []
    if selfupdate:
        calls.append(("GET", EP_SELF))
    calls += [("POST", EP_CLIENT), ("POST", EP_SIMPLE), ("POST", EP_CLIENT),
              ("POST", EP_CLIENT), ("POST", EP_CLIENT)]
    if report:
        calls.append(("POST", EP_REPORT))
    out, cur = [], t
    for i, (m, stem) in enumerate(calls):
        st = (fail or {}).get(stem, (200, 0, 0))
        out.append(Req(cur, cip, m, stem, st[0], st[1], st[2], ua=ua, port=port,
                       taken=rng.randint(600, 4200) if i == 4 else None))
        if st[0] >= 400:
            break
        cur += td(milliseconds=rng.randint(40, 700) if i != 4 else rng.randint(900, 4000))
    return out


def content_get(rng, t, cip, port=8530, partial=True):
    h = rng.hexs(40)
    path = "/Content/%s/%s.cab" % (h[-2:], h)
    out = [Req(t, cip, "HEAD", path, 200, ua=UA_BITS, port=port, taken=rng.randint(1, 20))]
    t2 = t + td(milliseconds=rng.randint(200, 800))
    if partial:
        for k in range(rng.randint(2, 3)):
            out.append(Req(t2, cip, "GET", path, 206, ua=UA_BITS, port=port,
                           scbytes=rng.randint(500000, 2100000),
                           taken=rng.randint(400, 5000)))
            t2 += td(seconds=rng.randint(2, 9))
    else:
        out.append(Req(t2, cip, "GET", path, 200, ua=UA_BITS, port=port,
                       scbytes=rng.randint(20000, 900000)))
    return out


def api_auth(rng, t, cip, user, stem=EP_API, ua=UA_API, port=8530, calls=2):
    """Admin API from a site server: 401.2, 401.1 (NTLM), then 200s."""
    out = [Req(t, cip, "POST", stem, 401, 2, 5, ua=ua, port=port, taken=rng.randint(0, 3)),
           Req(t + td(milliseconds=8), cip, "POST", stem, 401, 1, 2148074254,
               ua=ua, port=port, taken=rng.randint(0, 3))]
    cur = t + td(milliseconds=30)
    for _ in range(calls):
        out.append(Req(cur, cip, "POST", stem, 200, ua=ua, user=user, port=port))
        cur += td(milliseconds=rng.randint(30, 400))
    return out


def background(rng, start, end, clients, gap_min=(2.0, 9.0), port=8530,
               content_p=0.25, rules=None):
    """Client traffic: clients = [(ip, ua)]; rules(t) -> scan_seq fail map."""
    out, t = [], start
    while True:
        t = t + td(seconds=int(rng.uniform(*gap_min) * 60), milliseconds=rng.randint(0, 999))
        if t >= end:
            break
        ip, ua = rng.choice(clients)
        fail = rules(t) if rules else None
        seq = scan_seq(rng, t, ip, ua, port=port, selfupdate=rng.random() < 0.6, fail=fail)
        out += seq
        if seq[-1].status < 400 and rng.random() < content_p:
            out += content_get(rng, t + td(seconds=rng.randint(20, 90)), ip, port=port)
    return [r for r in out if r.t < end]


def client_pool(rng, prefix, n, uas=(UA_WIN10,)):
    seen, out = set(), []
    while len(out) < n:
        ip = "%s.%d" % (prefix, rng.randint(11, 250))
        if ip not in seen:
            seen.add(ip)
            out.append((ip, rng.choice(uas)))
    return out


def iis_daily(reqs, fields, sip, rng, hostname, first_header=None):
    """Split requests into IIS's daily files (UTC rollover): {yymmdd: text}."""
    days = {}
    for r in reqs:
        days.setdefault(r.t.strftime("%y%m%d"), []).append(r)
    out = {}
    for k in sorted(days):
        rs = sorted(days[k], key=lambda r: r.t)
        ht = rs[0].t if first_header is None or k != min(days) else first_header
        out[k] = iis_log([(ht, fields, rs)], sip, rng, hostname)
    return out
