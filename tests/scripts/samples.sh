#!/bin/sh
# Every real sample in ../shared/logs/samples is sniffed as its format and
# read without an error; the demo bundles in kb/samples likewise.
set -u
: "${KBGEN:?}" "${KBGEN_SRC:?}"
S=${KBGEN_SHARED:-}/logs/samples
[ -d "$S" ] || { echo "../shared/logs/samples is absent: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# The format each sample must be read as (directory default, then files).
want() {
	case "$1" in
	*/windowsupdate/*win10*) echo wu-etw ;;
	*/windowsupdate/*) echo wu-legacy ;;
	*/wsus_setup/*postinstall*) echo postinstall ;;
	*/wsus_setup/*) echo msi ;;
	*/eventlog/*.evtx) echo evtx ;;
	*/eventlog/*) echo event-text ;;
	*/cmtrace/*) echo cmtrace ;;
	*/httperr/*) echo httperr ;;
	*/iis_config/*) echo appcmd ;;
	*/iis_w3c/*) echo iis ;;
	*/registry/*) echo registry ;;
	*/service_state/*) echo services ;;
	*/sms_legacy/*|*/statmsg/*) echo sms ;;
	*/softwaredistribution/*) echo softdist ;;
	*) echo unknown ;;
	esac
}

n=0
for f in "$S"/*/*; do
	case "$f" in *.tsv) continue ;; esac
	n=$((n + 1))
	db="$tmp/$n.sqlite"
	if "$KBGEN" --db "$db" incident add S "$f" --host H 2>"$tmp/log"; then ok; else
		bad "$f: exit status"; cat "$tmp/log"; fi
	grep -q ': error: ' "$tmp/log" && { bad "$f: error diagnostics"; cat "$tmp/log"; }
	fmt=$("$KBGEN" --db "$db" incident show S | awk 'NR > 3 && $2 != "" { print $2; exit }')
	[ "$fmt" = "$(want "$f")" ] && ok || bad "$f: read as '$fmt', expected '$(want "$f")'"
	recs=$("$KBGEN" --db "$db" incident show S | awk 'NR > 3 && /records/ { for (i = 1; i < NF; i++) if ($(i + 1) == "records") print $i; exit }')
	[ "${recs:-0}" -gt 0 ] && ok || bad "$f: no records"
done

# The demo incidents of kb/samples: no errors.
if [ -d "$KBGEN_SRC/kb/samples" ]; then
	for inc in "$KBGEN_SRC"/kb/samples/*/; do
		[ -d "$inc" ] || continue
		name=$(basename "$inc")
		"$KBGEN" --db "$tmp/samples.sqlite" incident add "$name" "$inc"* 2>"$tmp/log"
		grep -v 'README' "$tmp/log" | grep -q ': error: ' && { bad "kb/samples/$name: errors"; cat "$tmp/log"; } || ok
	done
fi
echo "samples: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
