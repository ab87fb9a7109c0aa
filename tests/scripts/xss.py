#!/usr/bin/env python3
"""xss.py PAYLOADS FILE... -- no log-derived payload survives unescaped.

Each HTML FILE is parsed the way a browser tokenizes it: no attribute may
be an event handler (on*), no href/src/action may use javascript:, no
<img>/<iframe>/<object>/<embed> may appear, no <script> element may hold a
payload, and no <textarea> may be opened by the content.  The payloads
must still be readable in the text (escaped, not dropped).  JSON files
must parse and carry them verbatim; text files must have no
control characters but newlines and tabs.
"""
import html.parser, json, sys

payloads = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
fails = []

class P(html.parser.HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.text, self.in_script = name, [], False
    def handle_starttag(self, tag, attrs):
        if tag in ("img", "iframe", "object", "embed", "textarea"):
            fails.append("%s: <%s> element" % (self.name, tag))
        for k, v in attrs:
            if k.startswith("on"):
                fails.append("%s: event handler %s=%r on <%s>" % (self.name, k, v, tag))
            if k in ("href", "src", "action", "xlink:href") and v and \
                    v.strip().lower().startswith("javascript:"):
                fails.append("%s: %s=%r" % (self.name, k, v))
        self.in_script = tag == "script"
    def handle_endtag(self, tag):
        self.in_script = False
    def handle_data(self, d):
        if self.in_script and "alert(1)" in d:
            fails.append("%s: payload inside <script>" % self.name)
        self.text.append(d)

for f in sys.argv[2:]:
    data = open(f, encoding="utf-8", errors="replace").read()
    if f.endswith(".json"):
        try:
            j = json.loads(data)
        except ValueError as e:
            fails.append("%s: not JSON: %s" % (f, e))
            continue
        flat = json.dumps(j, ensure_ascii=False)
        shown = [p for p in payloads
                 if json.dumps(p, ensure_ascii=False)[1:-1] in flat]
        if len(shown) < 3:
            fails.append("%s: only %d payloads reach the report: the test "
                         "would prove little" % (f, len(shown)))
    elif f.endswith(".txt"):
        bad = [c for c in data if ord(c) < 32 and c not in "\n\t"]
        if bad:
            fails.append("%s: control characters %r" % (f, sorted(set(bad))))
    else:
        p = P(f)
        p.feed(data)
        p.close()
        text = "".join(p.text)
        if f.endswith("report.html"):
            # the payloads in evidence and clusters are shown as text
            shown = [pl for pl in payloads if pl in text]
            print("xss: %s shows %d payloads as text: %s" % (
                f, len(shown), " ".join(shown)))
            if len(shown) < 3:
                fails.append("%s: only %d payloads shown" % (f, len(shown)))
for m in fails:
    print("xss: FAIL " + m)
print("xss: %d files, %d failures" % (len(sys.argv) - 2, len(fails)))
sys.exit(1 if fails else 0)
