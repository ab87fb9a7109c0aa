#!/bin/sh
# xss.sh KBGEN -- log-derived payloads (tests/accuracy/xss_payloads.txt in
# IIS user agents and URLs, CMTrace/SMS messages, event XML, registry
# values, manifests) reach the report (html, json, text, --redact) and the
# site only escaped (xss.py).
set -eu
KBGEN=${1:-${KBGEN:?usage: xss.sh KBGEN}}
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v python3 >/dev/null || { echo "xss: no python3: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/kb.sqlite"
inc="$top/tests/accuracy/incidents/XSS-payloads"
"$KBGEN" -q --db "$db" compile "$top/kb/articles" "$top/kb/rules"
"$KBGEN" -q --db "$db" incident add XSS "$inc"/*
"$KBGEN" --db "$db" report XSS --format html -o "$tmp/report.html"
"$KBGEN" --db "$db" report XSS --format html --redact -o "$tmp/redacted.html"
"$KBGEN" --db "$db" report XSS --format json -o "$tmp/report.json"
"$KBGEN" --db "$db" report XSS --format text -o "$tmp/report.txt"
"$KBGEN" -q --db "$db" site --out "$tmp/site"
# The report must have found the fault under the payloads.
grep -q '"rank":1' "$tmp/report.json" || { echo "xss: no finding"; exit 1; }
python3 "$top/tests/scripts/xss.py" "$top/tests/accuracy/xss_payloads.txt" \
    "$tmp/report.html" "$tmp/redacted.html" "$tmp/report.json" \
    "$tmp/report.txt" "$tmp"/site/i/*.html "$tmp"/site/c/*/*.html \
    "$tmp"/site/index.html
