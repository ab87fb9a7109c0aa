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

# rm, list, show.
k incident list | grep -q '^Z1 ' && ok || bad "list"
k incident show Z1 | grep -q 'coverage:.*wsyncmgr.log=present' && ok || { bad "coverage"; k incident show Z1; }
k incident rm S1 && ok || bad "rm"
k incident show S1 2>/dev/null && bad "rm left it" || ok
echo "bundle: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
