"""accflows.py -- format helpers of the accuracy corpus that kb/samples'
samplelib/cmflows do not have: wsyncmgr/WCM rendered as CMTrace, PS 5.1
CSV exports, Get-Service/Get-IISAppPool tables, Event Viewer text exports,
legacy WindowsUpdate.log failure scans with other codes."""

import samplelib as L
from samplelib import td
import cmflows as F

PS_EVT_HDR = ["Message", "Id", "Version", "Qualifiers", "Level", "Task", "Opcode",
              "Keywords", "RecordId", "ProviderName", "ProviderId", "LogName",
              "ProcessId", "ThreadId", "MachineName", "UserId", "TimeCreated",
              "ActivityId", "RelatedActivityId", "ContainerLog", "MatchedQueryIds",
              "Bookmark", "LevelDisplayName", "OpcodeDisplayName", "TaskDisplayName",
              "KeywordsDisplayNames", "Properties"]
LEVEL_NAME = {1: "Critical", 2: "Error", 3: "Warning", 4: "Information"}


def evt_csv(host, events, timefmt=L.us_time, delim=",", typeline=True):
    """events: (t, provider, id, level, log, message, record)."""
    rows = []
    for t, prov, eid, lvl, log, msg, rec in sorted(events, key=lambda e: e[0]):
        rows.append([msg, eid, "", "0" if prov != "Microsoft-Windows-WindowsUpdateClient" else "",
                     lvl, "0", "", "36028797018963968", rec, prov, "", log, "", "",
                     host.fqdn, "", timefmt(host.local(t)), "", "", log, "System.UInt32[]",
                     "System.Diagnostics.Eventing.Reader.EventBookmark", LEVEL_NAME[lvl],
                     "", "", "System.String[]",
                     "System.Collections.Generic.List`1[System.Diagnostics.Eventing.Reader.EventProperty]"])
    return L.csv_text(PS_EVT_HDR, rows, delim=delim,
                      type_line="#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord"
                      if typeline else None)


def evt_text(host, events, user="N/A"):
    """Event Viewer 'Save as text' style: (t, log, source, id, level, category,
    message, user)."""
    out = []
    for t, log, src, eid, lvl, cat, msg, usr in events:
        lt = host.local(t)
        out += ["Log Name:      %s" % log,
                "Source:        %s" % src,
                "Date:          %s" % L.us_time(lt),
                "Event ID:      %d" % eid,
                "Task Category: %s" % cat,
                "Level:         %s" % LEVEL_NAME[lvl],
                "Keywords:      Classic",
                "User:          %s" % (usr or user),
                "Computer:      %s" % host.fqdn,
                "Description:"]
        out += msg.split("\n")
        out.append("")
    return "\n".join(out) + "\n"


def sms_to_cm(w, src="wsyncmgr.cpp"):
    """The records of an SmsLog as CMTrace tuples (the same messages in the
    CMTrace layout some collectors and newer builds write)."""
    out = []
    for t, comp, msg, tid in w.recs:
        typ = 1
        if msg.startswith("Sync failed") or "SEV=E" in msg or msg.startswith("ERROR") \
                or "returns an error" in msg or "invalid schema" in msg \
                or "Remote configuration failed" in msg or "WebException" in msg:
            typ = 3
        elif msg.startswith("WARNING") or "SEV=W" in msg or msg.startswith("Skipped"):
            typ = 2
        out.append((t, comp, msg.replace("~~", "\n").rstrip("~"), typ, tid, ""))
    return out


def table(cols, rows, widths=None):
    widths = widths or [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(cols)]
    line = lambda vals: " ".join(str(v).ljust(widths[i]) for i, v in enumerate(vals)).rstrip()
    out = [line(cols), line(["-" * len(c) for c in cols])]
    out += [line(r) for r in rows]
    return out


def iis_apppools(pools):
    """Get-IISAppPool table: (name, status, clr, pipeline, start)."""
    return "\n".join([""] + table(["Name", "Status", "CLR Ver", "Pipeline Mode", "Start Mode"],
                                  pools, [20, 12, 8, 14, 12]) + ["", ""]) + "\n"


def appcmd_pools(pools):
    return "".join('APPPOOL "%s" (MgdVersion:%s,MgdMode:%s,state:%s)\n' % p for p in pools)


def dur(a, b):
    return F.dur(a, b)
