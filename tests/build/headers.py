#!/usr/bin/env python3
"""Touching a header rebuilds exactly the objects that include it.

usage: headers.py B TARGET...      (run from the top of the checkout)

Builds TARGET... in build directory B, then reads the commands make would
run for a clean build (`make -n -B`) to learn which sources each output is
compiled from.  For every header of the tree (include/, src/, sandbox/) it
works out, from the sources' own #include lines and the -I paths, which
outputs include it directly or through other headers; then asks make what
it would rebuild if that header changed (`make -n -W HEADER`) and requires
the same set.  The one generated step is followed too: the child's seccomp
filter header is written by a program built from sandbox/, so whatever
rebuilds that program rebuilds the object that includes its output.

Ends with `N passed, N failed, N skipped`, one count per header.
"""
import os
import re
import shlex
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
# The generated header and the program that writes it.
GENERATED = {"sec_filter.h": "sec_gen"}


def make_n(b, targets, extra):
    cmd = ["make", "--no-print-directory", "-n", "B=" + b] + extra + targets
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [words(l) for l in out.splitlines() if " -o " in l]


def words(line):
    try:
        return shlex.split(line)
    except ValueError:  # a shell line that is not a compiler's
        return line.split()


def outputs(cmds):
    """{output path: [source .c files]} for every compile or link."""
    res = {}
    for words in cmds:
        try:
            out = words[words.index("-o") + 1]
        except (ValueError, IndexError):
            continue
        srcs = [w for w in words if w.endswith(".c")]
        if srcs:
            res[out] = (srcs, [w[2:] for w in words if w.startswith("-I")])
    return res


def closure(src, ipaths, cache):
    """Every header src includes, directly or not (paths as found)."""
    seen, todo = set(), [src]
    while todo:
        f = todo.pop()
        if f not in cache:
            try:
                with open(f, encoding="utf-8", errors="replace") as h:
                    cache[f] = INCLUDE.findall(h.read())
            except OSError:
                cache[f] = []
        for name in cache[f]:
            for d in [os.path.dirname(f)] + ipaths:
                p = os.path.normpath(os.path.join(d, name))
                if os.path.exists(p):
                    if p not in seen:
                        seen.add(p)
                        todo.append(p)
                    break
            else:
                seen.add(os.path.basename(name))  # generated, not yet built
    return seen


def expected(header, outs, deps):
    want = {o for o, inc in deps.items() if header in inc}
    for gen, prog in GENERATED.items():
        if any(os.path.basename(o) == prog for o in want):
            want |= {o for o, inc in deps.items()
                     if any(os.path.basename(i) == gen for i in inc)}
    return {o for o in want if o.endswith(".o") or o in outs}


def main():
    b, targets = sys.argv[1], sys.argv[2:]
    subprocess.run(["make", "--no-print-directory", "-j2", "B=" + b] + targets,
                   check=True, stdout=subprocess.DEVNULL)
    outs = outputs(make_n(b, targets, ["-B"]))
    cache = {}
    deps = {o: set().union(*(closure(s, ip, cache) for s in srcs))
            for o, (srcs, ip) in outs.items()}
    headers = sorted(os.path.join(d, f) for top in ("include", "src", "sandbox")
                     for d, _, fs in os.walk(top) for f in fs if f.endswith(".h"))
    passed = failed = 0
    for h in headers:
        got = set(outputs(make_n(b, targets, ["-W", h])))
        want = expected(h, outs, deps)
        # Only the objects count; the final links follow from them.
        got = {o for o in got if o.endswith(".o")}
        want = {o for o in want if o.endswith(".o")}
        if got == want:
            passed += 1
        else:
            failed += 1
            print("FAIL %s: rebuilds %s; includes: %s" % (
                h, sorted(got - want) or "-", sorted(want - got) or "-"))
            print("     (first: rebuilt without including it; second: includes it, not rebuilt)")
    print("%d passed, %d failed, 0 skipped" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
