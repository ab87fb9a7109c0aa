#!/bin/sh
# Golden diffs: for every tests/regress/diff/NAME.old.md + NAME.new.md,
# `kbgen diff` must print NAME.out_diff (--format text) and
# NAME.out_diff_json (--format json), exit 0 and say nothing on stderr;
# the JSON must parse and the HTML form must be one self-contained page.
# No knowledge base is involved (--db names a file that does not exist).
# Then the command line: KB references, --history, a translation against
# its English source, -o, colour, --batch and the usage errors.
# KBGEN_REGEN=1 rewrites the expected files and names the ones that changed.
set -u
: "${KBGEN:?path to the kbgen binary}" "${KBGEN_SRC:?source root}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
dir="$KBGEN_SRC/tests/regress/diff"
nokb="$tmp/none.sqlite"

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# Compares (or regenerates) one expected file.
expect() { # got expected-file what
	if [ "${KBGEN_REGEN:-0}" = 1 ]; then
		cmp -s "$1" "$2" 2>/dev/null || { cp "$1" "$2"; echo "regenerated: $2"; }
		return
	fi
	if diff -u "$2" "$1" >"$tmp/d" 2>&1; then
		ok
	else
		bad "$3"
		head -40 "$tmp/d"
	fi
}

for old in "$dir"/*.old.md; do
	[ -f "$old" ] || continue
	name=$(basename "$old" .old.md)
	for fmt in text json; do
		suffix=out_diff
		[ "$fmt" = json ] && suffix=out_diff_json
		(cd "$dir" && NO_COLOR= "$KBGEN" --db "$nokb" diff --format "$fmt" \
		    "$name.old.md" "$name.new.md" >"$tmp/out" 2>"$tmp/err")
		rc=$?
		[ "$rc" -eq 0 ] && ok || bad "$name ($fmt): exit $rc"
		[ -s "$tmp/err" ] && { bad "$name ($fmt): stderr"; cat "$tmp/err"; }
		expect "$tmp/out" "$dir/$name.$suffix" "$name ($fmt)"
	done
	cp "$tmp/out" "$tmp/json.$name"
	(cd "$dir" && "$KBGEN" --db "$nokb" diff --format html \
	    "$name.old.md" "$name.new.md" >"$tmp/html" 2>/dev/null)
	if head -1 "$tmp/html" | grep -q '^<!DOCTYPE html>' &&
	    ! grep -qi "<script\|[[:space:]]src=\|<link\|url(" "$tmp/html"; then
		ok
	else
		bad "$name: HTML is not one self-contained page"
	fi
done

# Every JSON output follows the contract (one python3 run for all).
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp"/json.* <<'EOF' && ok || bad "JSON does not follow the contract"
import json, sys
for path in sys.argv[1:]:
    d = json.load(open(path))
    assert {"old", "new", "sections"} <= d.keys(), path
    for s in d["sections"]:
        assert s["status"] in ("same", "changed", "renamed", "moved", "added",
            "removed", "missing", "extra", "stale"), (path, s["status"])
        assert {"old", "new", "changes"} <= s.keys(), path
        for c in s["changes"]:
            assert c["op"] in ("del", "ins", "eq"), (path, c)
EOF
fi

# The seed pairs say what the issue promises.
grep -q '^> moved.*: ## WSUS Messages => into # WSUS Messages' \
    "$dir/seed-001-000.out_diff" && ok || bad "seed 001->000: merged section"
grep -q "^~ renamed (level 3 -> 2, .*computer has not reported status: -> ## Computer hasn't" \
    "$dir/seed-001-000.out_diff" && ok || bad "seed 001->000: rename + re-level"
grep -q '^+ added: ## Cannot add duplicate collection entry of type mimeMap' \
    "$dir/seed-001-000.out_diff" && ok || bad "seed 001->000: added"
grep -q '^- removed: ### See also' "$dir/seed-001-000.out_diff" && ok ||
    bad "seed 001->000: removed"
grep -q '^- missing: ## Cannot add duplicate collection entry of type mimeMap' \
    "$dir/seed-000-003-zh.out_diff" && ok || bad "seed 003 vs 000: mimeMap missing"

# KB references, --history, translation against the current English.
db="$tmp/kb.sqlite"
"$KBGEN" -q --db "$db" compile "$KBGEN_SRC/kb/articles" >/dev/null 2>&1 ||
    bad "compile kb/articles"
"$KBGEN" --db "$db" diff 9f6317f7 --history >"$tmp/out" 2>"$tmp/err" && ok ||
    { bad "--history"; cat "$tmp/err"; }
grep -q '^> moved' "$tmp/out" && ok || bad "--history shows the seed changes"
"$KBGEN" --db "$db" diff 9f6317f7:zh-cn >"$tmp/out" 2>"$tmp/err" && ok ||
    { bad "translation reference"; cat "$tmp/err"; }
grep -q '^- missing: ## Cannot add duplicate' "$tmp/out" && ok ||
    bad "zh-cn against the current English"
"$KBGEN" --db "$db" diff 9f6317f7@2023-03-07 "$KBGEN_SRC/kb/articles/001_97e1c3f8af7f338d.txt" \
    --format json >"$tmp/out" 2>"$tmp/err" && ok || bad "reference and file"
grep -q '"version":"2023-03-07"' "$tmp/out" && ok || bad "reference resolved"

# -o writes atomically; colour only when asked; NO_COLOR wins on a TTY.
(cd "$dir" && "$KBGEN" --db "$nokb" diff -o "$tmp/o.html" --format html \
    seed-001-000.old.md seed-001-000.new.md) && [ -s "$tmp/o.html" ] && ok ||
    bad "-o FILE"
ls "$tmp" | grep -q 'o.html.tmp' && bad "-o left a temporary file" || ok
(cd "$dir" && "$KBGEN" --db "$nokb" diff seed-001-000.old.md seed-001-000.new.md |
    grep -q "$(printf '\033')") && bad "colour on a pipe" || ok
(cd "$dir" && "$KBGEN" --db "$nokb" diff --color always seed-001-000.old.md \
    seed-001-000.new.md | grep -q "$(printf '\033')\[32m") && ok ||
    bad "--color always"

# On a terminal (script(1) makes one): colour, unless NO_COLOR is set.
if command -v script >/dev/null 2>&1; then
	run="cd '$dir' && '$KBGEN' --db '$nokb' diff format-only.old.md format-only.new.md"
	NO_COLOR= script -qc "$run" /dev/null 2>/dev/null | grep -q "$(printf '\033')" &&
	    ok || bad "no colour on a terminal"
	NO_COLOR=1 script -qc "$run" /dev/null 2>/dev/null | grep -q "$(printf '\033')" &&
	    bad "colour despite NO_COLOR" || ok
fi

# --ignore-format: a formatting-only change is no change.
(cd "$dir" && "$KBGEN" --db "$nokb" diff --ignore-format format-only.old.md \
    format-only.new.md | grep -q '^sections: 2 old, 2 new: 2 same$') && ok ||
    bad "--ignore-format"

# --batch: the same results as one run per pair.
printf 'seed-001-000.old.md\tseed-001-000.new.md\n# comment\n\nempty.old.md\tempty.new.md\n' \
    >"$tmp/pairs"
(cd "$dir" && "$KBGEN" --db "$nokb" diff --batch "$tmp/pairs" --format json \
    >"$tmp/batch" 2>"$tmp/err") && ok || { bad "--batch"; cat "$tmp/err"; }
cat "$dir/seed-001-000.out_diff_json" "$dir/empty.out_diff_json" | cmp -s - "$tmp/batch" &&
    ok || bad "--batch differs from single runs"

# Usage and input errors.
status() { # expected-status command...
	exp=$1; shift
	"$@" >/dev/null 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq "$exp" ] && ok || bad "'$*' exited $rc, expected $exp"
}
status 0 "$KBGEN" diff --help
status 2 "$KBGEN" diff
status 2 "$KBGEN" diff a b c
status 2 "$KBGEN" --db "$nokb" diff --format pdf "$dir/empty.old.md" "$dir/empty.new.md"
status 1 "$KBGEN" --db "$db" diff "$tmp/missing.md" "$dir/empty.new.md"
grep -q "^kbgen: error: no file or article version matches '$tmp/missing.md'" \
    "$tmp/err" && ok || bad "message for a missing input"
status 1 "$KBGEN" --db "$db" diff nosucharticle "$dir/empty.new.md"

echo "diff: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
