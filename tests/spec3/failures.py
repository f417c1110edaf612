#!/usr/bin/env python3
"""failures.py LOG: group the failures of a `spectest --verbose` run by cause.

Each failed command is counted under its engine message with offsets and
names dropped ("load failed: illegal opcode 0x12", "assert_invalid: got
'integer too large'"); commands that failed only because an earlier module
did not load ("no module instantiated") are counted as "cascade". Prints the
groups, largest first, and the failures per script."""
import collections
import re
import sys

causes, scripts, pending = collections.Counter(), collections.Counter(), []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"  line \d+: (\w+): (.*)", line)
    if m and not m.group(2).startswith("skipped"):
        cmd, why = m.groups()
        why = re.sub(r" \(offset \d+\)", "", why)
        if "no module" in why:
            key = "cascade: no module (an earlier module failed)"
        elif why.startswith("load failed: "):
            key = "load: " + why[len("load failed: "):]
        elif cmd in ("assert_invalid", "assert_malformed") and why.startswith("error "):
            key = "%s: got %s" % (cmd, why[6:].split(", expected")[0])
        elif why.startswith("module loaded"):
            key = "%s: module loaded, %s" % (cmd, why.split(", ")[1])
        elif why.startswith("trap \"unknown import"):
            key = "%s: unknown import (an earlier module failed)" % cmd
        elif why.startswith("result "):
            key = "%s: wrong result, expected %s" % (cmd, why.split("expected ")[1].split(":")[0])
        else:
            key = "%s: %s" % (cmd, re.sub(r'"[^"]*"', '"..."', why))
        causes[key] += 1
        pending.append(key)
    s = re.match(r"(\S+\.wast): (\d+) passed, (\d+) failed", line)
    if s:
        scripts[s.group(1)] = int(s.group(3))
        pending = []
print("count  cause")
for k, n in causes.most_common():
    print("%5d  %s" % (n, k))
print("\nfailures per script")
for k, n in scripts.most_common():
    if n:
        print("%5d  %s" % (n, k))
