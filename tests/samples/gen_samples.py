#!/usr/bin/env python3
"""gen_samples.py -- regenerate kb/samples (the demo and test bundles).

    python3 tests/samples/gen_samples.py            # write everything
    python3 tests/samples/gen_samples.py --list     # also print the listing

Folder bundles are written to kb/samples/<INCIDENT>/<BUNDLE>/; bundles that
ship as archives are written to tests/samples/src/<INCIDENT>/<BUNDLE>/ and
packed by make_archives.py into kb/samples/<INCIDENT>/<BUNDLE>.zip|.tar.gz.
kb/samples/README.md is generated too: its evidence file:line column is
computed from the bytes written (1-based physical lines after decoding), so
it stays right when a sample changes.

Python 3 standard library only; the output is byte-for-byte deterministic.
"""

import os
import shutil
import sys

sys.dont_write_bytecode = True        # keep tests/samples free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import samplelib as L  # noqa: E402
import make_archives  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
KB = os.path.join(ROOT, "kb", "samples")
SRC = os.path.join(HERE, "src")

ART000 = "WSUS Messages and Troubleshooting Tips"
ART002 = "Troubleshoot WSUS connection failures"
ART004 = "Configuration Manager 2007 software updates synchronization"
ART_FILE = {ART000: "000", ART002: "002", ART004: "004"}

ROLE_TEXT = {"site-server": "site server", "wsus-server": "WSUS/SUP",
             "client": "client"}


class Bundle:
    def __init__(self, inc, name, host, role, manifest, archive):
        self.inc, self.name, self.host, self.role = inc, name, host, role
        self.manifest, self.archive = manifest, archive
        self.files = []          # (rel, fmt, enc label, eol)

    @property
    def base(self):
        root = SRC if self.archive else KB
        return os.path.join(root, self.inc.name, self.name)

    def display(self, rel):
        """Path of a file as a reader finds it under kb/samples/<INCIDENT>/."""
        if not self.archive:
            return "%s/%s" % (self.name, rel)
        ext = ".tar.gz" if self.archive == "tar.gz" else ".zip"
        if self.archive == "tar.gz":          # tar members sit under BUNDLE/
            return "%s%s!%s/%s" % (self.name, ext, self.name, rel)
        parts = rel.split("/")
        for i, p in enumerate(parts[:-1]):
            if p.endswith(".zip"):
                inner = "/".join(parts[:i + 1])
                return "%s%s!%s!%s" % (self.name, ext, inner, "/".join(parts[i + 1:]))
        return "%s%s!%s" % (self.name, ext, rel)


class Incident:
    def __init__(self, name, keys, summary):
        self.name, self.keys, self.summary = name, keys, summary
        self.bundles = {}
        self.evidence = []       # (key, bundle, rel, needle, label)
        self.fixes = []          # (key, article, heading)

    def bundle(self, name, host, role, manifest=True, archive=None, note=None,
               collected=None):
        b = Bundle(self, name, host, role, manifest, archive)
        self.bundles[name] = b
        if manifest:
            lines = ["# diagnostics bundle manifest (Collect-WsusDiag.ps1 2.3)",
                     "host: %s" % host.name, "role: %s" % role,
                     "fqdn: %s" % host.fqdn]
            if host.winzone:
                lines.append("timezone: %s" % host.winzone)
            if collected is not None:
                lt = host.local(collected)
                off = host.iso_off(collected)
                lines.append("collected: %s %s:%s" % (
                    lt.strftime("%Y-%m-%d %H:%M:%S"), off[:3], off[3:]))
            if note:
                lines.append("# " + note)
            self.write(name, "manifest.txt", "\n".join(lines) + "\n",
                       "manifest", "utf-8", "\r\n")
        return b

    def write(self, bname, rel, text, fmt, enc="utf-8-bom", eol="\r\n",
              raw=None):
        b = self.bundles[bname]
        path = os.path.join(b.base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = raw if raw is not None else L.encode(text, enc, eol)
        with open(path, "wb") as f:
            f.write(data)
        e, el = L.sniff_encoding(data)
        if raw is not None:
            e = L.ENC_LABEL.get(enc, e)
        b.files.append((rel, fmt, e, el))
        return path

    def ev(self, key, bname, rel, needle, label):
        self.evidence.append((key, bname, rel, needle, label))

    def fix(self, key, article, heading):
        self.fixes.append((key, article, heading))

    # -- helpers used by README
    def find_line(self, bname, rel, needle):
        b = self.bundles[bname]
        with open(os.path.join(b.base, rel), "rb") as f:
            text = L.decode_any(f.read())
        for i, line in enumerate(text.split("\n"), 1):
            if needle in line:
                return i
        raise SystemExit("evidence not found: %s %s/%s: %r" % (
            self.name, bname, rel, needle))


INCIDENTS = []


def incident(name, keys, summary):
    inc = Incident(name, keys, summary)
    INCIDENTS.append(inc)
    return inc


# ------------------------------------------------------------------ README

def md_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def readme():
    out = []
    out.append("# Sample bundles\n")
    out.append(
        "Demo and test data for `kbgen incident add` and the matcher: one folder per\n"
        "sample incident, one bundle per host (a folder, or an archive: `.zip`,\n"
        "`.tar.gz`, a `.zip` with a nested `.zip` of IIS logs).  Every host, domain,\n"
        "address, GUID and log line is invented; the message wording follows the\n"
        "seed articles and `shared/logs/FORMATS.md`, the surroundings do not.\n\n"
        "Generated by `tests/samples/gen_samples.py` (archives by\n"
        "`tests/samples/make_archives.py` from `tests/samples/src/`); edit the\n"
        "generator, not the files.  The evidence column gives the 1-based physical\n"
        "line in the file as collected (after decoding UTF-16), computed when the\n"
        "files are written.  `A.zip!B.zip!f` is file `f` in archive `B.zip` inside\n"
        "bundle archive `A.zip`.\n\n"
        "Bundles without `manifest.txt` (the host must come from the content:\n"
        "STATMSG `SYS=`, event `<Computer>`): %s.\n\n" % ", ".join(
            "`%s/%s`" % (i.name, b.name) for i in INCIDENTS
            for b in i.bundles.values() if not b.manifest))
    out.append("Time zones: CMTrace/SMS trace carry a Windows bias (UTC = local + bias);\n"
               "legacy WindowsUpdate.log a `tz:` banner per process (ISO sign); IIS,\n"
               "HTTPERR, SoftwareDistribution.log, STATMSG GMTDATE and event XML are UTC;\n"
               "MSI, postinstall, Get-WindowsUpdateLog, CSV exports and transcripts are\n"
               "local with no marker (the manifest's `timezone:` names the zone).  Related\n"
               "events on different hosts happen at the same UTC instant.  Two client\n"
               "bundles span a DST switch (`K08` ABV-FS02: CET to CEST on 2025-03-30, new\n"
               "`tz: +0200` banner after the reboot; `X02` OMD-LT-5531: GMT to IST), so a\n"
               "single offset per host is not enough for their unmarked local times.\n\n"
               "Not everything is in its original name: the postinstall log\n"
               "`%TEMP%\\tmp5C1E.tmp` ships as `wsusutil-postinstall_tmp5C1E.log` because\n"
               "`*.tmp` is git-ignored in this repository.  Wording that FORMATS.md marks as\n"
               "unverified (event 386, WCM/WSUSCtrl state lines) is plausible, not quoted.\n\n")
    out.append("| incident | fault | hosts / roles | formats and encodings | evidence (file:line) | fix: article — section |\n")
    out.append("|---|---|---|---|---|---|\n")
    for inc in INCIDENTS:
        hosts = "<br>".join(
            "%s (%s)%s%s" % (b.host.name, b.role,
                             "" if b.manifest else ", no manifest",
                             ", " + ("`.tar.gz`" if b.archive == "tar.gz" else
                                     "`.zip` + nested `.zip`" if b.archive == "zip-nested"
                                     else "`.zip`") if b.archive else "")
            for b in inc.bundles.values())
        fmts = []
        for b in inc.bundles.values():
            for rel, fmt, e, el in b.files:
                if fmt == "manifest":
                    continue
                s = "%s (%s%s)" % (fmt, e, ", " + el if el not in ("-",) else "")
                if s not in fmts:
                    fmts.append(s)
        evs = []
        for key, bname, rel, needle, label in inc.evidence:
            line = inc.find_line(bname, rel, needle)
            evs.append("%s`%s:%d` %s" % (
                key + ": " if len(inc.keys) > 1 else "",
                inc.bundles[bname].display(rel), line, md_escape(label)))
        fixes = "<br>".join(
            "%s%s (%s) — %s" % ("" if len(inc.keys) <= 1 else k + ": ",
                                 a, ART_FILE[a], md_escape(h))
            for k, a, h in inc.fixes) or "none (healthy)"
        out.append("| `%s`<br>%s | %s | %s | %s | %s | %s |\n" % (
            inc.name, md_escape(inc.summary), ", ".join(inc.keys) or "healthy",
            hosts, md_escape("; ".join(fmts)), "<br>".join(evs), fixes))
    out.append("\n## Files\n\n```\n")
    out.append(listing())
    out.append("```\n")
    return "".join(out)


def listing():
    out = []
    for inc in sorted(os.listdir(KB)):
        p = os.path.join(KB, inc)
        if not os.path.isdir(p):
            continue
        out.append(inc + "/\n")
        for b in sorted(os.listdir(p)):
            bp = os.path.join(p, b)
            if os.path.isdir(bp):
                out.append("  %s/\n" % b)
                for dirpath, dirs, files in os.walk(bp):
                    dirs.sort()
                    for fn in sorted(files):
                        fp = os.path.join(dirpath, fn)
                        rel = os.path.relpath(fp, bp).replace(os.sep, "/")
                        with open(fp, "rb") as f:
                            data = f.read()
                        e, el = L.sniff_encoding(data)
                        out.append("    %-46s %7d  %s%s\n" % (
                            rel, len(data), e, ", " + el if el != "-" else ""))
            else:
                out.append("  %s  (archive)\n" % b)
                for name, size, data in make_archives.walk_archive(bp):
                    e, el = L.sniff_encoding(data) if data is not None else ("", "-")
                    out.append("    %-46s %7d  %s%s\n" % (
                        name, size, e, ", " + el if el != "-" else ""))
    return "".join(out)


# ------------------------------------------------------------------ main

def main():
    import incidents_faults
    import incidents_more
    import incidents_ok

    for d in (KB, SRC):
        if os.path.isdir(d):
            for n in os.listdir(d):
                p = os.path.join(d, n)
                shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
        os.makedirs(d, exist_ok=True)
    incidents_faults.build(incident)
    incidents_more.build(incident)
    incidents_ok.build(incident)
    for inc in INCIDENTS:
        for b in inc.bundles.values():
            if b.archive:
                make_archives.build_one(inc.name, b.name, b.archive)
    with open(os.path.join(KB, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(readme())
    if "--list" in sys.argv:
        sys.stdout.write(listing())


if __name__ == "__main__":
    main()
