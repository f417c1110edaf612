#!/usr/bin/env python3
"""component_counts.py B: per-script counts of the component scripts that
`make spec-component` (tests/spec3/components.sh) converted into
B/specc-json: assert_invalid, assert_malformed and component definitions
(module and module_definition commands) passed / total, and the commands
skipped for want of instantiation. Runs B/spectest --verbose to learn
which failed."""
import json
import os
import re
import subprocess
import sys


def main():
    b = sys.argv[1] if len(sys.argv) > 1 else "build"
    out = os.path.join(b, "specc-json")
    scripts = open(os.path.join(out, "scripts")).read().split()
    log = subprocess.run([os.path.join(b, "spectest"), "--verbose", "--json", out] + scripts,
                         capture_output=True, text=True).stdout.splitlines()
    fails, cur = {}, []
    for line in log:
        m = re.match(r"^(\S+\.wast): ", line)
        if m:
            fails[m.group(1)], cur = cur, []
        elif line.startswith("  line") and "skipped:" not in line:
            cur.append(int(re.match(r"  line (\d+)", line).group(1)))
    row = "%-48s %11s %11s %11s %8s"
    print(row % ("script", "invalid", "malformed", "definitions", "skipped"))
    tot = [0] * 7
    for sc in scripts:
        base = os.path.basename(sc)[:-5]
        with open(os.path.join(out, base, base + ".json"), encoding="utf-8") as fp:
            doc = json.load(fp)
        failed = set(fails.get(base + ".wast", []))
        c = {"inv": [0, 0], "mal": [0, 0], "def": [0, 0]}
        skip = 0
        for cmd in doc["commands"]:
            if not cmd.get("component"):
                continue
            t = cmd["type"]
            k = {"assert_invalid": "inv", "assert_malformed": "mal"}.get(t)
            if t in ("module", "module_definition") and not cmd.get("instance"):
                k = "def"
            if not k:
                skip += 1
                continue
            c[k][0 if cmd["line"] not in failed else 1] += 1
        cells = ["%d/%d" % (c[k][0], sum(c[k])) for k in ("inv", "mal", "def")]
        print(row % (tuple([os.path.relpath(sc, os.path.dirname(os.path.dirname(sc)))] + cells +
                           [skip])))
        for i, k in enumerate(("inv", "mal", "def")):
            tot[2 * i] += c[k][0]
            tot[2 * i + 1] += sum(c[k])
        tot[6] += skip
    print(row % ("total", "%d/%d" % (tot[0], tot[1]), "%d/%d" % (tot[2], tot[3]),
                 "%d/%d" % (tot[4], tot[5]), tot[6]))


if __name__ == "__main__":
    main()
