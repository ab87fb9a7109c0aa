"""acclib.py -- the bundle writer of the accuracy corpus.

An Incident holds Bundles (one per host: a folder, a .zip or a .tar.gz,
optionally with a nested .zip inside); every file is kept in memory until
flush() writes it, so the evidence line of a case is computed from the very
bytes written (1-based physical line after decoding, as kbgen counts it).

Python 3 standard library only; deterministic.
"""

import gzip
import io
import os
import shutil
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "samples"))

import samplelib as L  # noqa: E402

OUT = os.path.join(HERE, "incidents")

A000 = "9f6317f7-bfe0-42d9-87ce-d8f038c728ca"
A002 = "troubleshoot-wsus-connection-failures"
A004 = "configuration-manager-2007-software-updates-synchronization"

# fault -> (article key, anchor of the English current version)
FIX = {
    "K1": (A000, "computer-hasnt-reported-status"),
    "K2": (A000, "message-id-6703---wsus-synchronization-failed"),
    "K3": (A000, "error-0x80070643-fatal-error-during-installation"),
    "K4": (A000, "some-services-arent-running"),
    "K5": (A000, "cannot-add-duplicate-collection-entry-of-type-mimemap"),
    "K6": (A002, "verify-the-prerequisites"),
    "K7": (A002, "code-definitions"),
    "K8": (A002, "troubleshoot-connection-failures"),
    "K9": (A004, "wsus-server-not-configured-error"),
    "K10": (A004, "the-remote-name-could-not-be-resolved-error"),
    "K11": (A004, "the-request-failed-with-http-status-401-unauthorized-error"),
    "K12": (A004, "unable-to-connect-to-remote-server-error"),
    "K13": (A004, "the-request-failed-with-dssauthenticationerror-webexception-error"),
    "K17": (A004, "wsyncmgrlog-shows-error-12-and-invalid-schema"),
}

ZIP_TIME = (2025, 1, 1, 0, 0, 0)
TAR_MTIME = 1735689600


class Bundle:
    def __init__(self, inc, host, role, manifest, archive):
        self.inc, self.host, self.role = inc, host, role
        self.manifest, self.archive = manifest, archive
        self.name = host.name
        self.files = []          # [(rel, bytes)] in write order
        self.nested = {}         # nested zip name -> [(rel, bytes)]
        self.formats = []        # (kbgen path, description)

    def write(self, rel, text, fmt, enc="utf-8-bom", eol="\r\n", nested=None):
        data = L.encode(text, enc, eol)
        if nested:
            self.nested.setdefault(nested, []).append((rel, data))
        else:
            self.files.append((rel, data))
        self.formats.append((self.kbpath(rel, nested), fmt))
        return data

    def kbpath(self, rel, nested=None):
        """The file's path as kbgen stores it (inside the bundle)."""
        p = "%s/%s" % (nested, rel) if nested else rel
        if self.archive == "tar.gz":
            return "%s/%s" % (self.name, p)
        return p

    def data(self, rel, nested=None):
        for r, d in (self.nested[nested] if nested else self.files):
            if r == rel:
                return d
        raise KeyError(rel)


class Incident:
    def __init__(self, name, faults, summary):
        self.name, self.faults, self.summary = name, faults, summary
        self.bundles = []
        self.cases = []          # (fault, host, kbpath, line, label)

    def bundle(self, host, role, manifest=True, archive=None, collected=None,
               note=None, hostname=None, fqdn=None):
        b = Bundle(self, host, role, manifest, archive)
        self.bundles.append(b)
        if manifest:
            lines = ["# diagnostics bundle manifest (Collect-WsusDiag.ps1 2.4)",
                     "host: %s" % (hostname or host.name), "role: %s" % role,
                     "fqdn: %s" % (fqdn or host.fqdn)]
            if host.winzone:
                lines.append("timezone: %s" % host.winzone)
            if collected is not None:
                off = host.iso_off(collected)
                lines.append("collected: %s %s:%s" % (
                    host.local(collected).strftime("%Y-%m-%d %H:%M:%S"), off[:3], off[3:]))
            if note:
                lines.append("# " + note)
            b.write("manifest.txt", "\n".join(lines) + "\n", "manifest", "utf-8")
        return b

    def ev(self, fault, b, rel, needle, label="", nested=None, nth=1):
        """Record THE evidence line of fault: the nth line of the file
        containing needle (a string, or a predicate on the line)."""
        text = L.decode_any(b.data(rel, nested))
        hit = 0
        for i, line in enumerate(text.split("\n"), 1):
            ok = needle(line) if callable(needle) else needle in line
            if ok:
                hit += 1
                if hit == nth:
                    self.cases.append((fault, b.name, b.kbpath(rel, nested), i, label))
                    return i
        raise SystemExit("evidence not found: %s %s/%s: %r" % (self.name, b.name, rel, needle))

    def healthy(self, label=""):
        self.cases.append(("healthy", "-", "-", "-", label))

    # ---------------------------------------------------------- writing
    def flush(self):
        base = os.path.join(OUT, self.name)
        os.makedirs(base, exist_ok=True)
        for b in self.bundles:
            files = list(b.files)
            for nz in sorted(b.nested):
                files.append((nz, zip_bytes(b.nested[nz])))
            if b.archive is None:
                for rel, data in files:
                    p = os.path.join(base, b.name, rel)
                    os.makedirs(os.path.dirname(p), exist_ok=True)
                    with open(p, "wb") as f:
                        f.write(data)
            elif b.archive == "zip":
                with open(os.path.join(base, b.name + ".zip"), "wb") as f:
                    f.write(zip_bytes(files))
            elif b.archive == "tar.gz":
                with open(os.path.join(base, b.name + ".tar.gz"), "wb") as f:
                    f.write(tgz_bytes(b.name, files))
            else:
                raise ValueError(b.archive)


def zip_bytes(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for rel, data in files:
            zi = zipfile.ZipInfo(rel, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return buf.getvalue()


def tgz_bytes(top, files):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as tf:
            dirs = set()
            for rel, data in files:
                parts = ("%s/%s" % (top, rel)).split("/")
                for i in range(1, len(parts)):
                    d = "/".join(parts[:i])
                    if d not in dirs:
                        dirs.add(d)
                        ti = tarfile.TarInfo(d + "/")
                        ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, TAR_MTIME
                        tf.addfile(ti)
                ti = tarfile.TarInfo("%s/%s" % (top, rel))
                ti.size, ti.mode, ti.mtime = len(data), 0o644, TAR_MTIME
                tf.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def clean():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
