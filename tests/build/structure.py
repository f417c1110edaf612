#!/usr/bin/env python3
"""The shape of the code, checked: layers, cycles, function length.

usage: structure.py B      (run from the top of the checkout, after a build)

1. The engine's objects (B/src/engine/*.o) call each other without a cycle:
   read from their symbol tables (nm), so what is checked is what links.
2. Nothing under sandbox/ includes an engine or WASI internal header
   (runtime.h, vm.h, module.h, wasi_impl.h): the sandbox uses the public
   interfaces only.
3. No function in src/ or sandbox/ is longer than 80 lines, except the
   interpreter's dispatch loop (vm_run).

Ends with `N passed, N failed, N skipped`, one count per check.
"""
import glob
import os
import re
import subprocess
import sys

MAX_LINES = 80
LONG_OK = {"vm_run"}  # the dispatch loop: one function by design
INTERNAL = ("runtime.h", "vm.h", "module.h", "wasi_impl.h")


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 2 and f[0] == "U":
            used.add(f[1])
        elif len(f) == 3 and f[1] in "TDBR":
            defined.add(f[2])
    return defined, used


def engine_cycle(b):
    objs = sorted(glob.glob(os.path.join(b, "src/engine/*.o")))
    if not objs:
        return "no engine objects under %s/src/engine" % b
    syms = {os.path.basename(o)[:-2]: symbols(o) for o in objs}
    edges = {a: {c for c in syms if c != a and syms[a][1] & syms[c][0]} for a in syms}
    state = {}

    def visit(n, path):
        state[n] = 1
        for m in sorted(edges[n]):
            if state.get(m) == 1:
                return path + [n, m]
            if m not in state:
                found = visit(m, path + [n])
                if found:
                    return found
        state[n] = 2
        return None

    for n in sorted(edges):
        if n not in state:
            cyc = visit(n, [])
            if cyc:
                return "cycle: " + " -> ".join(cyc[cyc.index(cyc[-1]):])
    return None


def sandbox_includes():
    bad = []
    for f in sorted(glob.glob("sandbox/**/*.[ch]", recursive=True)):
        with open(f, encoding="utf-8", errors="replace") as h:
            for n, line in enumerate(h, 1):
                m = re.match(r'\s*#\s*include\s*"([^"]+)"', line)
                if m and os.path.basename(m.group(1)) in INTERNAL:
                    bad.append("%s:%d includes %s" % (f, n, m.group(1)))
    return "; ".join(bad) or None


def functions(path):
    """(name, first line, length) of each function defined at column 0."""
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i] == "{" and i > 0:
            j = i - 1
            while j > 0 and lines[j - 1].strip() and not lines[j - 1].startswith(
                    ("}", "/*", " *", "#")) and not lines[j - 1].rstrip().endswith(";"):
                j -= 1
            sig = " ".join(lines[j:i])
            names = re.findall(r"(\w+)\s*\(", sig.replace("__attribute__", ""))
            k = i + 1
            while k < len(lines) and lines[k] != "}":
                k += 1
            yield (names[0] if names else sig), j + 1, k - j + 1
            i = k
        i += 1


def long_functions():
    bad = []
    for f in sorted(glob.glob("src/**/*.c", recursive=True) +
                    glob.glob("sandbox/**/*.c", recursive=True)):
        for name, line, n in functions(f):
            if n > MAX_LINES and name not in LONG_OK:
                bad.append("%s:%d %s is %d lines" % (f, line, name, n))
    return "; ".join(bad) or None


def main():
    b = sys.argv[1] if len(sys.argv) > 1 else "build"
    checks = [("the engine's objects form no cycle", lambda: engine_cycle(b)),
              ("sandbox/ includes no internal header", sandbox_includes),
              ("no function over %d lines but the dispatch loop" % MAX_LINES,
               long_functions)]
    passed = failed = 0
    for what, check in checks:
        why = check()
        if why:
            failed += 1
            print("FAIL %s: %s" % (what, why))
        else:
            passed += 1
            print("ok   %s" % what)
    print("%d passed, %d failed, 0 skipped" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
