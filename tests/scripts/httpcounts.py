#!/usr/bin/env python3
"""httpcounts.py MODE ... -- IIS request counts (http_hour, view http_minute).

  expect KB LOG...   every UTC minute, endpoint and status of the W3C logs
                     (counted here, independently of kbgen) must be a row
                     of the view http_minute with that count and first
                     line; no other rows; http_hour's totals must agree
  make OUT           writes a W3C log that goes back in time across an
                     hour and within a minute, and has an hour of more
                     distinct URIs than kbgen keeps at once
  downgrade KB       turns a KB back into schema 5 (table http_minute, the
                     indexes before schema7.sql)
  same A B           the two files hold the same rows
"""
import json
import sqlite3
import sys
from datetime import datetime, timezone


def w3c_counts(path):
    """(minute_ms, endpoint, status) -> [count, first_line] of a W3C log
    whose date/time columns are UTC, as IIS writes them."""
    counts, fields = {}, None
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if line.startswith("#Fields:"):
                fields = line.split()[1:]
                continue
            if line.startswith("#") or not line.strip() or fields is None:
                continue
            v = line.split()
            if len(v) != len(fields):
                continue
            row = dict(zip(fields, v))
            if "date" not in row or "cs-uri-stem" not in row:
                continue
            t = datetime.strptime(row["date"] + " " + row["time"][:8],
                                  "%Y-%m-%d %H:%M:%S")
            ms = int(t.replace(tzinfo=timezone.utc).timestamp()) * 1000
            key = (ms - ms % 60000, row["cs-uri-stem"].lower(),
                   int(row["sc-status"]))
            if key in counts:
                counts[key][0] += 1
            else:
                counts[key] = [1, lineno]
    return counts


def expect(kb, logs):
    db = sqlite3.connect(kb)
    bad = 0
    for i, log in enumerate(logs, 1):
        name = log.split("/")[-1]
        inc = "H%d" % i		# httpcounts.sh adds log i as incident Hi
        want = w3c_counts(log)
        rows = db.execute(
            "SELECT m.minute_utc, m.endpoint, m.status, m.count, "
            "m.first_line FROM http_minute m JOIN file f ON f.id = m.file_id "
            "JOIN host h ON h.id = f.host_id JOIN incident i "
            "ON i.id = h.incident_id WHERE i.name = ?", (inc,)).fetchall()
        got = {}
        for minute, ep, st, n, first in rows:
            if (minute, ep, st) in got:
                print("FAIL: %s: minute %d %s %d twice" % (name, minute, ep, st))
                bad += 1
            got[(minute, ep, st)] = [n, first]
        if got != want:
            bad += 1
            missing = set(want) - set(got)
            extra = set(got) - set(want)
            diff = [k for k in want if k in got and want[k] != got[k]]
            print("FAIL: %s: %d minutes missing, %d extra, %d differ (of %d)"
                  % (name, len(missing), len(extra), len(diff), len(want)))
            for k in sorted(missing)[:3] + sorted(extra)[:3] + diff[:3]:
                print("   ", k, want.get(k), got.get(k))
        hours = db.execute(
            "SELECT r.requests, r.first_line, r.minutes FROM http_hour r "
            "JOIN file f ON f.id = r.file_id JOIN host h ON h.id = f.host_id "
            "JOIN incident i ON i.id = h.incident_id WHERE i.name = ?",
            (inc,)).fetchall()
        for requests, first, minutes in hours:
            m = json.loads(minutes)
            if (requests != sum(x[1] for x in m) or first != min(x[2] for x in m)
                    or [x[0] for x in m] != sorted(set(x[0] for x in m))
                    or not all(0 <= x[0] < 60 for x in m)):
                print("FAIL: %s: bad hour row %r %r %s" % (name, requests, first, minutes))
                bad += 1
        print("%s: %d requests in %d minute rows, %d hour rows" % (
            name, sum(c[0] for c in want.values()), len(want), len(hours)))
    return bad


def make(out):
    eps = ["/ClientWebService/client.asmx", "/SimpleAuthWebService/SimpleAuth.asmx",
           "/ReportingWebService/ReportingWebService.asmx"]
    lines = ["#Software: Microsoft Internet Information Services 10.0",
             "#Version: 1.0", "#Date: 2024-06-12 09:58:00",
             "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query "
             "s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status "
             "sc-substatus sc-win32-status time-taken"]

    def req(hms, ep, status, ip="10.0.0.7"):
        lines.append("2024-06-12 %s 10.0.0.5 POST %s - 8530 - %s "
                     "Windows-Update-Agent/10.0.10011.16384 - %d 0 0 15"
                     % (hms, ep, ip, status))
    for s in range(0, 120, 7):		# 09:58 - 09:59
        req("09:%02d:%02d" % (58 + s // 60, s % 60), eps[s % 3], 200)
    for s in range(0, 300, 11):		# into 10:00 - 10:04, some 503
        req("10:%02d:%02d" % (s // 60, s % 60), eps[s % 3], 503 if s % 2 else 200)
    req("09:59:58", eps[0], 200)		# back across the hour
    req("09:59:59", eps[0], 503)
    req("10:01:30", eps[1], 503)		# back within the hour
    req("10:06:00", eps[2], 200)
    req("10:01:31", eps[1], 503)		# and back again, same minute
    for i in range(5000):			# content: 5000 distinct URIs
        req("10:%02d:%02d" % (10 + i // 600, (i // 10) % 60),
            "/Content/%02X/%040X.cab" % (i % 256, i * 7919), 200 if i % 9 else 404)
    req("10:05:00", eps[0], 200)		# after the flood, an earlier key
    with open(out, "w", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


def downgrade(kb):
    db = sqlite3.connect(kb)
    db.executescript("""
        BEGIN;
        CREATE TABLE http_minute5 AS SELECT * FROM http_minute;
        DROP VIEW http_minute;
        DROP TABLE http_hour;
        CREATE TABLE http_minute (
            file_id INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,
            minute_utc INTEGER NOT NULL, endpoint TEXT NOT NULL,
            status INTEGER NOT NULL, count INTEGER NOT NULL,
            first_line INTEGER NOT NULL,
            PRIMARY KEY (file_id, minute_utc, endpoint, status)) WITHOUT ROWID;
        INSERT INTO http_minute SELECT * FROM http_minute5;
        DROP TABLE http_minute5;
        DROP INDEX section_outline;
        DROP INDEX version_check;
        DROP INDEX mention_value;
        CREATE INDEX mention_value ON mention(kind, value);
        ALTER TABLE version DROP COLUMN technology;
        ALTER TABLE version DROP COLUMN prod;
        ALTER TABLE version DROP COLUMN lasthandoff;
        PRAGMA user_version = 5;
        COMMIT;""")
    db.close()


def dump(kb):
    db = sqlite3.connect(kb)
    return sorted(db.execute(
        "SELECT f.id, minute_utc, endpoint, status, count, first_line "
        "FROM http_minute m JOIN file f ON f.id = m.file_id").fetchall())


def main():
    mode = sys.argv[1]
    if mode == "expect":
        return 1 if expect(sys.argv[2], sys.argv[3:]) else 0
    if mode == "make":
        make(sys.argv[2])
    elif mode == "downgrade":
        downgrade(sys.argv[2])
    elif mode == "same":
        a, b = dump(sys.argv[2]), dump(sys.argv[3])
        if a != b or not a:
            print("FAIL: %d rows before, %d after the migration" % (len(a), len(b)))
            return 1
        print("migration: %d minute rows kept" % len(a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
