#!/usr/bin/env python3
"""component_counts.py B: per-script counts of the component scripts that
`make spec-component` (tests/spec3/components.sh) converted into
B/specc-json: assert_invalid, assert_malformed, component definitions
(module and module_definition commands) and the rest (instances, actions
and their assertions), each as passed/total, and how many were skipped.
Runs B/spectest --verbose to learn which failed or were skipped."""
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
    fails, skips, cur, curs = {}, {}, [], []
    for line in log:
        m = re.match(r"^(\S+\.wast): ", line)
        if m:
            fails[m.group(1)], skips[m.group(1)], cur, curs = cur, curs, [], []
        elif line.startswith("  line"):
            n = int(re.match(r"  line (\d+)", line).group(1))
            (curs if "skipped:" in line else cur).append(n)
    row = "%-48s %11s %11s %11s %11s %8s"
    print(row % ("script", "invalid", "malformed", "definitions", "run", "skipped"))
    tot = [0] * 9
    for sc in scripts:
        base = os.path.basename(sc)[:-5]
        with open(os.path.join(out, base, base + ".json"), encoding="utf-8") as fp:
            doc = json.load(fp)
        failed = set(fails.get(base + ".wast", []))
        skipped = set(skips.get(base + ".wast", []))
        keys = ("inv", "mal", "def", "run")
        c = {k: [0, 0] for k in keys}
        skip = 0
        for cmd in doc["commands"]:
            if not cmd.get("component"):
                continue
            t = cmd["type"]
            k = {"assert_invalid": "inv", "assert_malformed": "mal"}.get(t)
            if t in ("module", "module_definition") and not cmd.get("instance"):
                k = "def"
            k = k or "run"
            c[k][1] += 1
            if cmd["line"] in skipped:
                skip += 1
            elif cmd["line"] not in failed:
                c[k][0] += 1
        cells = ["%d/%d" % (c[k][0], c[k][1]) for k in keys]
        print(row % (tuple([os.path.relpath(sc, os.path.dirname(os.path.dirname(sc)))] + cells +
                           [skip])))
        for i, k in enumerate(keys):
            tot[2 * i] += c[k][0]
            tot[2 * i + 1] += c[k][1]
        tot[8] += skip
    print(row % tuple(["total"] + ["%d/%d" % (tot[2 * i], tot[2 * i + 1]) for i in range(4)] +
                      [tot[8]]))


if __name__ == "__main__":
    main()
