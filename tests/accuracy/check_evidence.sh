#!/bin/sh
# check_evidence.sh KBGEN -- the accuracy corpus is well-formed for KBGEN:
# every incident of tests/accuracy/cases.tsv and samples.tsv ingests with
# exit 0 and no "error:" diagnostic, every evidence file:line is covered by
# a record (line .. end_line) or carries a signal in `dump records|signals`,
# every article key + anchor exists in the compiled kb/articles, and every
# folder under tests/accuracy/incidents has rows.  Exit 1 on any miss.
set -u
KBGEN=${1:?usage: check_evidence.sh KBGEN}
case "$KBGEN" in /*) ;; *) KBGEN=$(pwd)/$KBGEN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export KBGEN HERE ROOT tmp
exec python3 - <<'EOF'
import json, os, subprocess, sys

KBGEN, HERE, ROOT, TMP = (os.environ[k] for k in ("KBGEN", "HERE", "ROOT", "tmp"))
DB = os.path.join(TMP, "acc.sqlite")
fails = 0


def bad(msg):
    global fails
    fails += 1
    print("FAIL: " + msg)


def run(args):
    p = subprocess.run([KBGEN, "--db", DB] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def rows(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    hdr = lines[0].split("\t")
    return [dict(zip(hdr, l.split("\t"))) for l in lines[1:] if l.strip()]


rc, out, err = run(["compile", os.path.join(ROOT, "kb", "articles")])
if rc != 0:
    bad("compile kb/articles: exit %d\n%s" % (rc, err))
anchors = {}


def has_anchor(key, anchor):
    if key not in anchors:
        rc, out, err = run(["dump", "article", key])
        anchors[key] = set(w[len("anchor="):] for l in out.splitlines() for w in l.split()
                           if w.startswith("anchor=")) if rc == 0 else set()
    return anchor in anchors[key]


tables = [(os.path.join(HERE, "cases.tsv"), os.path.join(HERE, "incidents")),
          (os.path.join(HERE, "samples.tsv"), os.path.join(ROOT, "kb", "samples"))]
checked = 0
for table, base in tables:
    byinc = {}
    for r in rows(table):
        byinc.setdefault(r["incident"], []).append(r)
    if base.endswith("incidents"):
        for d in sorted(os.listdir(base)):
            if os.path.isdir(os.path.join(base, d)) and d not in byinc:
                bad("%s: no row in %s" % (d, os.path.basename(table)))
    for name, rs in byinc.items():
        d = os.path.join(base, name)
        if not os.path.isdir(d):
            bad("%s: no folder %s" % (name, d))
            continue
        bundles = sorted(os.path.join(d, b) for b in os.listdir(d))
        rc, out, err = run(["incident", "add", name] + bundles)
        errs = [l for l in err.splitlines() if ": error:" in l]
        if rc != 0 or errs:
            bad("%s: incident add exit %d\n  %s" % (name, rc, "\n  ".join(errs or err.splitlines()[-5:])))
        spans = {}
        rc1, recs, _ = run(["dump", "records", name, "--format", "json"])
        for l in recs.splitlines():
            o = json.loads(l)
            end = o.get("end_line") or o["line"] + o.get("message", "").count("\n")
            spans.setdefault((o["host"], o["file"]), []).append((o["line"], end))
        try:  # end_line is not in the dump: read it from the knowledge base
            import sqlite3
            con = sqlite3.connect(DB)
            for h, f, a, b in con.execute(
                    "SELECT h.name, f.path, r.line, r.end_line FROM record r JOIN file f ON f.id = r.file_id "
                    "JOIN host h ON h.id = f.host_id JOIN incident i ON i.id = h.incident_id WHERE i.name = ?",
                    (name,)):
                spans.setdefault((h, f), []).append((a, b))
            con.close()
        except Exception as e:  # schema changed: the dump alone decides
            pass
        rc2, sigs, _ = run(["dump", "signals", name, "--format", "json"])
        for l in sigs.splitlines():
            o = json.loads(l)
            spans.setdefault((o["host"], o["file"]), []).append((o["line"], o["line"]))
        if rc1 or rc2:
            bad("%s: dump records/signals failed" % name)
        for r in rs:
            checked += 1
            if r["fault"] == "healthy":
                continue
            if not has_anchor(r["article_key"], r["anchor"]):
                bad("%s %s: no section %s#%s" % (name, r["fault"], r["article_key"], r["anchor"]))
            line = int(r["line"])
            got = spans.get((r["host"], r["file"]))
            if got is None:
                files = sorted(set("%s %s" % k for k in spans))
                bad("%s %s: no record in %s %s (have: %s)" % (name, r["fault"], r["host"], r["file"],
                                                                 ", ".join(files[:12])))
            elif not any(a <= line <= b for a, b in got):
                near = sorted(got, key=lambda s: abs(s[0] - line))[:3]
                bad("%s %s: %s %s:%d is no record or signal (nearest: %s)" % (
                    name, r["fault"], r["host"], r["file"], line, near))

print("%d rows checked, %d failures" % (checked, fails))
sys.exit(1 if fails else 0)
EOF
