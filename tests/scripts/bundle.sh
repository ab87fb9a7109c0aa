#!/bin/sh
# Bundles: folders, .zip, .tar, .tar.gz, .tar.xz, .cab and one level of
# nesting are read without extracting; hostile entries (absolute paths,
# "..", links), archive bombs, damaged archives, NUL bytes and unknown
# formats get a clear diagnostic and the rest goes on; adding the same
# bundle twice is a no-op; a kill midway leaves the KB as it was.
set -u
: "${KBGEN:?}" "${KBGEN_SRC:?}"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
db="$tmp/kb.sqlite"
k() { "$KBGEN" --db "$db" "$@"; }

mkdir -p "$tmp/b1/Logs" "$tmp/b1/W3SVC1"
# A legacy SMS trace with a STATMSG line (site server, bias +240 = UTC-4).
printf 'Sync failed: The request failed with HTTP status 503: Service Unavailable. Source: Microsoft.UpdateServices.Administration.AdminProxy.createUpdateServer  $$<SMS_WSUS_SYNC_MANAGER><05-01-2024 06:00:00.123+240><thread=4242 (0x1092)>\r\nSTATMSG: ID=6703 SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_WSUS_SYNC_MANAGER" SYS=SITE01.contoso.com SITE=CS1 PID=432 TID=4242 GMTDATE=Wed May 01 10:00:00.130 2024 ISTR0="The request failed with HTTP status 503" ISTR1="" ISTR2="" ISTR3="" ISTR4="" ISTR5="" ISTR6="" ISTR7="" ISTR8="" ISTR9="" NUMATTRS=0  $$<SMS_WSUS_SYNC_MANAGER><05-01-2024 06:00:00.130+240><thread=4242 (0x1092)>\r\n' >"$tmp/b1/Logs/wsyncmgr.log"
printf '#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2024-05-01 10:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n2024-05-01 10:00:01 10.0.0.5 POST /ApiRemoting30/WebService.asmx - 8530 - 10.0.0.4 Mozilla/4.0 - 503 0 0 15\n2024-05-01 10:00:02 10.0.0.5 POST /ClientWebService/client.asmx - 8530 - 10.0.0.9 Windows-Update-Agent - 200 0 0 31\n' >"$tmp/b1/W3SVC1/u_ex240501.log"
printf 'host: SITE01\nrole: site-server+wsus-server\n' >"$tmp/b1/manifest.txt"

# The same files as archives of every kind.
python3 - "$tmp" <<'PY'
import sys, os, zipfile, tarfile, io
t = sys.argv[1]
src = os.path.join(t, "b1")
files = []
for root, _, names in os.walk(src):
    for n in sorted(names):
        p = os.path.join(root, n)
        files.append((os.path.relpath(p, src), open(p, "rb").read()))
def mkzip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
def mktar(path, mode, entries, links=()):
    with tarfile.open(path, mode) as tf:
        for name, data in entries:
            ti = tarfile.TarInfo(name); ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
        for name, target in links:
            ti = tarfile.TarInfo(name); ti.type = tarfile.SYMTYPE; ti.linkname = target
            tf.addfile(ti)
mkzip(os.path.join(t, "b1.zip"), files)
mktar(os.path.join(t, "b1.tar"), "w", files)
mktar(os.path.join(t, "b1.tar.gz"), "w:gz", files)
mktar(os.path.join(t, "b1.tar.xz"), "w:xz", files)
# One level of nesting is read; two levels are refused.
inner = io.BytesIO(); mkzip(inner, files)
mkzip(os.path.join(t, "nested.zip"), [("inner/logs.zip", inner.getvalue())])
inner2 = io.BytesIO(); mkzip(inner2, [("deep/logs.zip", inner.getvalue())])
mkzip(os.path.join(t, "nested2.zip"), [("x/outer.zip", inner2.getvalue())])
# Hostile entries: zip-slip, absolute path, a symbolic link.
mkzip(os.path.join(t, "slip.zip"), [("../../etc/evil.log", b"x\n"), ("/abs/evil.log", b"y\n"), ("ok/fine.log", b"2024-05-01 10:00:00 fine\n")])
mktar(os.path.join(t, "link.tar"), "w", [("ok.log", b"2024-05-01 10:00:00 fine\n")], links=[("evil.log", "/etc/passwd")])
# An archive bomb: 200 MiB of zeros in a few hundred KB.
with zipfile.ZipFile(os.path.join(t, "bomb.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("zeros.log", "w") as w:
        block = b"\0" * (1 << 20)
        for _ in range(200):
            w.write(block)
# A damaged archive: the data of the first entry overwritten.
data = bytearray(open(os.path.join(t, "b1.zip"), "rb").read())
for i in range(60, 200):
    data[i] ^= 0x5a
open(os.path.join(t, "damaged.zip"), "wb").write(bytes(data))
PY

k incident add Z1 "$tmp/b1.zip" 2>"$tmp/log" && ok || { bad "zip"; cat "$tmp/log"; }
grep -q 'host SITE01 (site-server+wsus-server)' "$tmp/log" && ok || { bad "manifest host/role"; cat "$tmp/log"; }
k dump records Z1 >"$tmp/r.txt"
grep -q 'SITE01 Logs/wsyncmgr.log:1 2024-05-01T10:00:00.123Z (2024-05-01T06:00:00.123-04:00) error' "$tmp/r.txt" && ok || { bad "CMTrace bias: UTC = local + bias"; cat "$tmp/r.txt"; }
k dump signals Z1 >"$tmp/s.txt"
grep -q '^statmsg 6703  SITE01 Logs/wsyncmgr.log:2' "$tmp/s.txt" && ok || { bad "statmsg signal"; cat "$tmp/s.txt"; }
grep -q '^http 503  SITE01 W3SVC1/u_ex240501.log:5' "$tmp/s.txt" && ok || { bad "IIS 503 evidence line"; cat "$tmp/s.txt"; }
# Every client address an IIS file saw, once, at its first request (K8:
# a client whose address is absent never reached the server).
grep -q '^client_ip 10.0.0.4  SITE01 W3SVC1/u_ex240501.log:5' "$tmp/s.txt" && ok || { bad "client_ip 10.0.0.4"; cat "$tmp/s.txt"; }
grep -q '^client_ip 10.0.0.9  SITE01 W3SVC1/u_ex240501.log:6' "$tmp/s.txt" && ok || { bad "client_ip of a 200"; cat "$tmp/s.txt"; }

for a in b1.tar b1.tar.gz b1.tar.xz; do
	k incident add "T-$a" "$tmp/$a" 2>"$tmp/log" && ok || { bad "$a"; cat "$tmp/log"; }
	k dump signals "T-$a" | grep -q '^statmsg 6703  SITE01 Logs/wsyncmgr.log:2' && ok || bad "$a signals"
done
if command -v gcab >/dev/null; then
	(cd "$tmp/b1" && gcab -c "$tmp/b1.cab" Logs/wsyncmgr.log manifest.txt)
	k incident add C1 "$tmp/b1.cab" 2>"$tmp/log" && ok || { bad "cab"; cat "$tmp/log"; }
	k dump signals C1 | grep -q '^statmsg 6703' && ok || bad "cab signals"
fi
k incident add F1 "$tmp/b1" 2>"$tmp/log" && ok || { bad "folder"; cat "$tmp/log"; }
k incident add S1 "$tmp/b1/Logs/wsyncmgr.log" --host SITE02 --role site-server 2>"$tmp/log" && ok || { bad "single file"; cat "$tmp/log"; }
grep -q 'host SITE02 (site-server)' "$tmp/log" && ok || bad "--host/--role"

k incident add N1 "$tmp/nested.zip" 2>"$tmp/log" && ok || { bad "nested"; cat "$tmp/log"; }
k dump signals N1 | grep -q 'inner/logs.zip/Logs/wsyncmgr.log:2' && ok || bad "nested one level"
k incident add N2 "$tmp/nested2.zip" 2>"$tmp/log"
grep -q 'nested more than one level' "$tmp/log" && ok || { bad "two levels"; cat "$tmp/log"; }

k incident add H1 "$tmp/slip.zip" 2>"$tmp/log"
grep -q "entry '../../etc/evil.log' is an absolute path or '..'; refused" "$tmp/log" && ok || { bad "zip-slip"; cat "$tmp/log"; }
grep -q "entry '/abs/evil.log' is an absolute path" "$tmp/log" && ok || bad "absolute"
k dump records H1 >/dev/null && ok || bad "H1 rest"
k incident add H2 "$tmp/link.tar" 2>"$tmp/log"
grep -q "entry 'evil.log' is a link; refused" "$tmp/log" && ok || { bad "link"; cat "$tmp/log"; }

k incident add B1 "$tmp/bomb.zip" 2>"$tmp/log"; rc=$?
[ "$rc" -eq 1 ] && ok || bad "bomb exit $rc"
grep -q 'compression ratio over' "$tmp/log" && ok || { bad "bomb"; cat "$tmp/log"; }
k incident add D1 "$tmp/damaged.zip" 2>"$tmp/log"; rc=$?
[ "$rc" -eq 1 ] && ok || { bad "damaged exit $rc"; cat "$tmp/log"; }
grep -Eq 'damaged\.zip.*error' "$tmp/log" && ok || { bad "damaged message"; cat "$tmp/log"; }

# The same bundle again: a no-op, whatever its container.
before=$(k dump records Z1 | wc -l)
k incident add Z1 "$tmp/b1.zip" 2>"$tmp/log" && ok || bad "re-add"
grep -q 'already in the incident' "$tmp/log" && ok || { bad "re-add not noticed"; cat "$tmp/log"; }
k incident add Z1 "$tmp/b1" 2>"$tmp/log"
[ "$(k dump records Z1 | wc -l)" -eq "$before" ] && ok || bad "re-add as folder duplicated records"

# NUL bytes, an unknown binary file, and a 10 MB line in one bundle.
mkdir -p "$tmp/odd"
printf '2024-05-01 10:00:00 error 0x80070643\0\0 after nul\n' >"$tmp/odd/nul.log"
head -c 3000 "$KBGEN" >"$tmp/odd/blob.bin"
{ printf '2024-05-01 10:00:00 start\n'; head -c 10485760 /dev/zero | tr '\0' 'x'; printf ' error 0x8024402C\n'; } >"$tmp/odd/long.log"
k incident add O1 "$tmp/odd" 2>"$tmp/log"
grep -q 'NUL characters dropped' "$tmp/log" && ok || { bad "NUL"; cat "$tmp/log"; }
grep -q 'blob.bin: warning: binary file' "$tmp/log" && ok || bad "binary"
k dump signals O1 | grep -q 'hresult 0x80070643' && ok || bad "code after NUL lost"
k dump signals O1 | grep -q 'hresult 0x8024402c' && ok || bad "code at the end of a 10 MB line lost"

# Rotated logs: the pieces of one series are joined in time order, the
# records an older piece shares with the next (a collector's copies
# overlap) are stored once, at the newer piece's line; coverage counts the
# series once.  ConfigMgr history names sort after the live file in a zip.
mkdir -p "$tmp/rot/Logs"
sms() { printf '%s  $$<SMS_WSUS_SYNC_MANAGER><05-01-2024 %s+240><thread=4242 (0x1092)>\r\n' "$1" "$2"; }
{ sms 'Sync failed: WSUS server not configured. Source: CWSyncMgr::DoSync' 05:00:00.100
  sms 'Sync failed. Will retry in 60 minutes' 05:00:00.200
  sms 'Sync failed: The request failed with HTTP status 503: Service Unavailable.' 06:00:00.100
  sms 'Sync failed. Will retry in 60 minutes' 06:00:00.200; } >"$tmp/rot/Logs/wsyncmgr.lo_"
{ sms 'Sync failed: The request failed with HTTP status 503: Service Unavailable.' 06:00:00.100
  sms 'Sync failed. Will retry in 60 minutes' 06:00:00.200
  sms 'Sync failed: WSUS server not configured. Source: CWSyncMgr::DoSync' 07:00:00.100; } >"$tmp/rot/Logs/wsyncmgr.log"
printf 'host: ROT01\nrole: site-server\n' >"$tmp/rot/manifest.txt"
k incident add R1 "$tmp/rot" 2>"$tmp/log" && ok || { bad "rotated"; cat "$tmp/log"; }
grep -q 'wsyncmgr.lo_: note: 2 records repeated at the start of the next piece' "$tmp/log" && ok || { bad "overlap note"; cat "$tmp/log"; }
k dump records R1 >"$tmp/r.txt"
[ "$(grep -c 'HTTP status 503' "$tmp/r.txt")" -eq 1 ] && ok || { bad "overlap stored twice"; cat "$tmp/r.txt"; }
grep -q 'ROT01 Logs/wsyncmgr.log:1 2024-05-01T10:00:00.100Z' "$tmp/r.txt" && ok || { bad "overlap kept at the newer piece"; cat "$tmp/r.txt"; }
grep -q 'ROT01 Logs/wsyncmgr.lo_:1 2024-05-01T09:00:00.100Z' "$tmp/r.txt" && ok || { bad "older piece's own records"; cat "$tmp/r.txt"; }
k incident show R1 | grep -q '^  Logs/wsyncmgr.lo_ .* 2 kept' && ok || { bad "older piece's stored count"; k incident show R1; }
k incident show R1 | grep -q 'coverage:.*wsyncmgr.log=present' && ok || { bad "rotated coverage"; k incident show R1; }
k incident add R1 "$tmp/rot" 2>"$tmp/log"
grep -q 'already in the incident' "$tmp/log" && ok || { bad "rotated re-add"; cat "$tmp/log"; }
python3 - "$tmp" <<'PY'
import sys, os, zipfile
t = sys.argv[1]
def cm(msg, hms):
    return '<![LOG[%s]LOG]!><time="%s+240" date="05-01-2024" component="WUAHandler" context="" type="3" thread="10" file="x.cpp:1">\r\n' % (msg, hms)
old = cm("Scan failed with error = 0x80072ee2.", "08:00:00.000") + cm("Scan failed with error = 0x8024402c.", "09:00:00.000")
new = cm("Scan failed with error = 0x8024402c.", "09:00:00.000") + cm("Scan failed with error = 0x80244022.", "10:00:00.000")
with zipfile.ZipFile(os.path.join(t, "cmrot.zip"), "w") as z:
    z.writestr("manifest.txt", "host: CLI01\nrole: client\n")
    z.writestr("ccm/WUAHandler.log", new)
    z.writestr("ccm/WUAHandler-20240501-090001.log", old)
PY
k incident add R2 "$tmp/cmrot.zip" 2>"$tmp/log" && ok || { bad "cmtrace history"; cat "$tmp/log"; }
grep -q 'WUAHandler-20240501-090001.log: note: 1 record repeated' "$tmp/log" && ok || { bad "history overlap note"; cat "$tmp/log"; }
[ "$(k dump signals R2 | grep -c '^hresult 0x8024402c')" -eq 1 ] && ok || { bad "history overlap stored twice"; k dump signals R2; }

# Local times without a zone marker follow the host's Windows zone,
# daylight saving time included (the manifest's "timezone:").
S="$KBGEN_SRC/kb/samples"
if [ -d "$S/K08-client-wrong-wsus-server" ]; then
	k incident add DST1 "$S/K08-client-wrong-wsus-server/ABV-FS02" 2>"$tmp/log" && ok || { bad "K08"; cat "$tmp/log"; }
	k dump records DST1 >"$tmp/r.txt"
	# Get-WinEvent CSV, de-DE: CET before 2025-03-30 02:00, CEST after.
	grep -q 'WindowsUpdateClient.csv:3 2025-03-30T00:46:51.000Z (2025-03-30T01:46:51.000+01:00)' "$tmp/r.txt" && ok || { bad "K08 CSV before the switch"; grep csv "$tmp/r.txt"; }
	grep -q 'WindowsUpdateClient.csv:2 2025-03-30T01:21:51.000Z (2025-03-30T03:21:51.000+02:00)' "$tmp/r.txt" && ok || { bad "K08 CSV after the switch"; grep csv "$tmp/r.txt"; }
	# The legacy WindowsUpdate.log's own tz: banners win.
	grep -q 'WindowsUpdate.log:101 2025-03-30T01:22:31.006Z' "$tmp/r.txt" && ok || bad "K08 tz: +0200 banner"
fi
if [ -d "$S/X02-K04-sup-services-and-K01-offline-laptop" ]; then
	k incident add DST2 "$S/X02-K04-sup-services-and-K01-offline-laptop/OMD-LT-5531" 2>"$tmp/log" && ok || { bad "X02"; cat "$tmp/log"; }
	k dump records DST2 >"$tmp/r.txt"
	# Get-WindowsUpdateLog, GMT Standard Time: GMT, then IST/BST (+01:00).
	grep -q 'WindowsUpdate.log:1 2025-03-29T09:12:40.117Z (2025-03-29T09:12:40.117Z)' "$tmp/r.txt" && ok || { bad "X02 before the switch"; head -3 "$tmp/r.txt"; }
	grep -q 'WindowsUpdate.log:31 2025-03-31T18:40:02.581Z (2025-03-31T19:40:02.581+01:00)' "$tmp/r.txt" && ok || { bad "X02 after the switch"; grep 'WindowsUpdate.log:31 ' "$tmp/r.txt"; }
fi
# A host's own address from ipconfig output.
mkdir -p "$tmp/ipc"
printf 'Windows IP Configuration\r\n\r\nEthernet adapter Ethernet0:\r\n\r\n   IPv4 Address. . . . . . . . . . . : 10.81.4.23(Preferred) \r\n   Subnet Mask . . . . . . . . . . . : 255.255.255.0\r\n' >"$tmp/ipc/ipconfig.txt"
k incident add IP1 "$tmp/ipc" --host CLI9 2>"$tmp/log"
k dump signals IP1 | grep -q '^host_ip 10.81.4.23  CLI9 ipconfig.txt:5' && ok || { bad "host_ip"; k dump signals IP1; cat "$tmp/log"; }
mkdir -p "$tmp/tzbad"
printf 'host: TZ01\ntimezone: Mars Standard Time\n' >"$tmp/tzbad/manifest.txt"
printf '2024-05-01 10:00:00 error 0x80070643\n' >"$tmp/tzbad/notes.log"
k incident add TZ1 "$tmp/tzbad" 2>"$tmp/log"
grep -q "manifest.txt:2: warning: unknown Windows time zone 'Mars Standard Time'" "$tmp/log" && ok || { bad "unknown zone"; cat "$tmp/log"; }

# rm, list, show.
k incident list | grep -q '^Z1 ' && ok || bad "list"
k incident show Z1 | grep -q 'coverage:.*wsyncmgr.log=present' && ok || { bad "coverage"; k incident show Z1; }
k incident rm S1 && ok || bad "rm"
k incident show S1 2>/dev/null && bad "rm left it" || ok
echo "bundle: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
