#!/usr/bin/env python3
"""make_archives.py -- build the archived sample bundles of kb/samples.

    python3 tests/samples/make_archives.py          # rebuild all
    python3 tests/samples/make_archives.py --check  # rebuild in memory, compare

Sources live in tests/samples/src/<INCIDENT>/<BUNDLE>/; the output is
kb/samples/<INCIDENT>/<BUNDLE>.zip or .tar.gz.  In a source folder, a
sub-folder whose name ends in ".zip" becomes a nested zip archive (e.g. the
IIS logs a collector zipped separately).

Deterministic: entries sorted by path, fixed mtime (2025-01-01 00:00:00),
fixed modes and owners, no directory entries, gzip header without name or
time.  Python 3 standard library only (zipfile, tarfile, gzip).
"""

import gzip
import io
import os
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SRC = os.path.join(HERE, "src")
OUT = os.path.join(ROOT, "kb", "samples")

MTIME = (2025, 1, 1, 0, 0, 0)
MTIME_EPOCH = 1735689600            # 2025-01-01T00:00:00Z

# (incident, bundle) -> kind: "zip", "tar.gz" or "zip-nested" (a .zip whose
# *.zip source sub-folders become nested zips).
ARCHIVES = {
    ("K07-iis-403-404-500-per-endpoint", "PCW-SUP01"): "zip-nested",
    ("K11-apiremoting30-401", "CCH-SUP02"): "tar.gz",
    ("K13-dssauth-401-child-primary", "RCC-PRI-EU"): "zip",
}


def _files(folder):
    """Sorted (relative path, absolute path) of the regular files below."""
    out = []
    for dirpath, dirs, files in os.walk(folder):
        dirs.sort()
        for fn in files:
            p = os.path.join(dirpath, fn)
            out.append((os.path.relpath(p, folder).replace(os.sep, "/"), p))
    out.sort()
    return out


def _zip_bytes(folder, nested):
    """A deterministic zip of folder; with nested, *.zip folders are zipped."""
    entries = []
    for dirpath, dirs, files in os.walk(folder):
        dirs.sort()
        rel_dir = os.path.relpath(dirpath, folder).replace(os.sep, "/")
        for d in list(dirs):
            if nested and d.endswith(".zip"):
                dirs.remove(d)
                name = d if rel_dir == "." else rel_dir + "/" + d
                entries.append((name, _zip_bytes(os.path.join(dirpath, d), False)))
        for fn in files:
            name = fn if rel_dir == "." else rel_dir + "/" + fn
            with open(os.path.join(dirpath, fn), "rb") as f:
                entries.append((name, f.read()))
    entries.sort()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=MTIME)
            zi.compress_type = zipfile.ZIP_STORED if name.endswith(".zip") \
                else zipfile.ZIP_DEFLATED
            zi.external_attr = (0o100644 << 16)
            zi.create_system = 0        # as written by Windows tools
            z.writestr(zi, data)
    return buf.getvalue()


def _targz_bytes(folder, top):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for rel, p in _files(folder):
            with open(p, "rb") as f:
                data = f.read()
            ti = tarfile.TarInfo(top + "/" + rel)
            ti.size = len(data)
            ti.mtime = MTIME_EPOCH
            ti.mode = 0o644
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = ""
            t.addfile(ti, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=MTIME_EPOCH,
                       compresslevel=9) as g:
        g.write(raw.getvalue())
    return out.getvalue()


def archive_bytes(incident, bundle, kind):
    folder = os.path.join(SRC, incident, bundle)
    if kind == "tar.gz":
        return _targz_bytes(folder, bundle), bundle + ".tar.gz"
    return _zip_bytes(folder, kind == "zip-nested"), bundle + ".zip"


def build_one(incident, bundle, kind):
    if ARCHIVES.get((incident, bundle)) != kind:
        raise SystemExit("make_archives: %s/%s is not declared as %s" % (
            incident, bundle, kind))
    data, name = archive_bytes(incident, bundle, kind)
    os.makedirs(os.path.join(OUT, incident), exist_ok=True)
    path = os.path.join(OUT, incident, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def walk_archive(path):
    """(name, size, bytes) of the files in a sample archive, nested zips
    opened too (their members named 'inner.zip!member')."""
    out = []
    if path.endswith(".tar.gz"):
        with tarfile.open(path, "r:gz") as t:
            for m in t.getmembers():
                if m.isfile():
                    out.append((m.name, m.size, t.extractfile(m).read()))
        return out

    def walk_zip(data, prefix):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for zi in z.infolist():
                b = z.read(zi)
                if zi.filename.endswith(".zip"):
                    out.append((prefix + zi.filename, len(b), None))
                    walk_zip(b, prefix + zi.filename + "!")
                else:
                    out.append((prefix + zi.filename, len(b), b))
    with open(path, "rb") as f:
        walk_zip(f.read(), "")
    return out


def main():
    check = "--check" in sys.argv
    bad = 0
    for (inc, bundle), kind in sorted(ARCHIVES.items()):
        if not os.path.isdir(os.path.join(SRC, inc, bundle)):
            print("make_archives: missing source %s/%s" % (inc, bundle))
            bad = 1
            continue
        if check:
            data, name = archive_bytes(inc, bundle, kind)
            path = os.path.join(OUT, inc, name)
            same = os.path.exists(path) and open(path, "rb").read() == data
            print("%s %s/%s" % ("ok  " if same else "DIFF", inc, name))
            bad |= not same
        else:
            print(build_one(inc, bundle, kind))
    return bad


if __name__ == "__main__":
    sys.exit(main())
