#!/bin/sh
# Bad input: each case gets a clear "kbgen: FILE:LINE: error|warning:"
# diagnostic, the rest of the run goes on, and the knowledge base keeps
# exactly what it had (nothing half-written).
set -u
: "${KBGEN:?}" "${KBGEN_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
expect_diag() { # file-pattern level message-pattern log
	if grep -Eq "^kbgen: $1:[0-9]+(:[0-9]+)?: $2: .*$3" "$4"; then ok; else
		bad "expected '$2: $3' for $1 in:"; cat "$4"; fi
}

in="$tmp/in"
mkdir -p "$in"
cp "$KBGEN_SRC/kb/articles/000_9085ede7a7177e3e.txt" "$in/good.md"
db="$tmp/kb.sqlite"
"$KBGEN" --db "$db" compile "$in" 2>/dev/null || bad "good input failed"
"$KBGEN" --db "$db" dump article good.md >/dev/null 2>&1 || true
before=$("$KBGEN" --db "$db" dump article "$in/good.md" | sha1sum)

# UTF-16LE and UTF-16BE with a BOM are decoded, not errors.
printf '\377\376' >"$in/utf16le.md"
printf -- '---\ntitle: UTF-16 article\nms.assetid: 11111111-1111-1111-1111-111111111111\n---\n# Sixteen\n\nError 0x80070643 here.\n' |
	iconv -f UTF-8 -t UTF-16LE >>"$in/utf16le.md"
printf '\376\377' >"$in/utf16be.md"
printf -- '---\ntitle: UTF-16BE article\nms.assetid: 22222222-2222-2222-2222-222222222222\n---\n# Sixteen BE\n\nMessage ID 6703 here.\n' |
	iconv -f UTF-8 -t UTF-16BE >>"$in/utf16be.md"
# Invalid UTF-8 in the middle of a line: replaced, with a warning.
printf -- '---\ntitle: Bad bytes\n---\n# Heading\n\nline one\nbad \377\376 bytes here\n' >"$in/badutf8.md"
# An empty file, a file of blanks.
: >"$in/empty.md"
printf '\n  \n\n' >"$in/blank.md"
# Front matter that never ends.
printf -- '---\ntitle: never closed\nms.date: 01/01/2020\n# Heading\n' >"$in/unterminated.md"
# A binary file with an article extension.
head -c 4096 "$KBGEN" >"$in/binary.md"
# A 10 MB line.
{ printf -- '---\ntitle: Long line\n---\n# Long\n\n'; head -c 10485760 /dev/zero | tr '\0' 'a'; printf '\n'; } >"$in/longline.md"
# Two files claiming the same article + locale + version with other content.
printf -- '---\ntitle: Claim A\nms.assetid: 33333333-3333-3333-3333-333333333333\nms.date: 05/01/2024\n---\n# A\n\nfirst\n' >"$in/claim-a.md"
printf -- '---\ntitle: Claim B\nms.assetid: 33333333-3333-3333-3333-333333333333\nms.date: 05/01/2024\n---\n# B\n\nsecond\n' >"$in/claim-b.md"
# YAML that libyaml rejects: kept as key: value lines, with a warning.
printf -- '---\ntitle: Colon: in title\n  bad: [indent\nms.date: 02/02/2022\n---\n# Still compiled\n' >"$in/badyaml.md"

"$KBGEN" --db "$db" compile "$in" 2>"$tmp/log"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "exit status $rc, expected 1"
expect_diag '.*/empty.md' error 'empty file' "$tmp/log"
expect_diag '.*/blank.md' error 'empty file' "$tmp/log"
expect_diag '.*/unterminated.md' error 'unterminated front matter' "$tmp/log"
expect_diag '.*/binary.md' error 'binary' "$tmp/log"
expect_diag '.*/badutf8.md' warning 'UTF-8' "$tmp/log"
expect_diag '.*/claim-b.md' error 'already compiled' "$tmp/log"
expect_diag '.*/badyaml.md' warning 'front matter' "$tmp/log"
grep -q 'utf16le' "$tmp/log" && bad "utf16le.md got a diagnostic" || ok
"$KBGEN" --db "$db" dump article 11111111 | grep -q 'mention hresult 0x80070643' && ok || bad "UTF-16LE not decoded"
"$KBGEN" --db "$db" dump article 22222222 | grep -q 'mention statmsg 6703' && ok || bad "UTF-16BE not decoded"
"$KBGEN" --db "$db" dump article 22222222 | grep -q '^encoding utf-16be' && ok || bad "UTF-16BE encoding not recorded"
"$KBGEN" --db "$db" dump article badutf8.md >/dev/null 2>&1 || "$KBGEN" --db "$db" dump article "$in/badutf8.md" | grep -q 'bytes here' && ok || bad "bad UTF-8 file lost"
"$KBGEN" --db "$db" dump article "$in/longline.md" | grep -q '^title Long line' && ok || bad "10 MB line not compiled"
"$KBGEN" --db "$db" dump article "$in/badyaml.md" | grep -q 'Still compiled' && ok || bad "bad YAML file lost"
after=$("$KBGEN" --db "$db" dump article "$in/good.md" | sha1sum)
[ "$before" = "$after" ] && ok || bad "good article changed by a run with bad inputs"

# A good file that turns bad keeps its previous version.
cp "$in/good.md" "$tmp/save.md"
head -c 3000 "$KBGEN" >"$in/good.md"
"$KBGEN" --db "$db" compile "$in/good.md" 2>"$tmp/log2"
expect_diag '.*/good.md' error 'binary' "$tmp/log2"
after=$("$KBGEN" --db "$db" dump article "$in/good.md" | sha1sum)
[ "$before" = "$after" ] && ok || bad "previous version lost when the file turned bad"

# Not a knowledge base: fatal, exit 3, file untouched.
echo "not a database" >"$tmp/notdb"
"$KBGEN" --db "$tmp/notdb" compile "$tmp/save.md" 2>"$tmp/log3"
rc=$?
[ "$rc" -eq 3 ] && ok || bad "not-a-KB exit status $rc, expected 3"
grep -q 'not a database' "$tmp/notdb" && ok || bad "non-KB file was modified"

# The integrity of the KB after everything.
"$KBGEN" --db "$db" search wsus >/dev/null && ok || bad "search failed after bad input"
echo "badinput: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
