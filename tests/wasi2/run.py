#!/usr/bin/env python3
"""WASI 0.2 components: the official preview1 tests wrapped into components.

usage: run.py WRUN JCO [--suite DIR] [--out DIR] [--levels none,seccomp,full]
              [--filter SUBSTRING] [-v]

Every test of the preview1 suite (tests/wasi-testsuite/run.py reads it) is
wrapped with `JCO new NAME.wasm --wasi-command` (jco's bundled preview1
adapter) into OUT, then run as tests/wasi-testsuite/run.py runs the module:

    WRUN --sandbox=LEVEL [--env K=V]... [--dir SCRATCH/ROOT::/] NAME.wasm ARGS...

and its stdout, stderr and exit status checked against the test's JSON. The
adapter turns every nonzero exit into 1 (wasi:cli/exit carries no code), so
a nonzero expectation means 1. Three AssemblyScript tests fail inside the
adapter itself, on every host: they are skipped, with that reason.  Also
runs examples/hello.wasm wrapped, with an argument, and checks its output,
and the components of tests/wasi2/*.wat: an import wrun does not provide
refuses the run, naming it, or with -W unknown-imports-trap traps when
called; run's err is exit status 1; a native 0.2 command (no adapter)
exits with wasi:cli/exit#exit-with-code; and tests/wasi2/prog.c (files,
stdin, environment, clocks, random, exit status), built natively and as a
wrapped component, whose output must be the same; tests/wasi2/pollt.c,
a poll on stdin that must time out when no input comes.

Ends with `N passed, N failed, N skipped`.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "wasi-testsuite"))
import run as p1  # noqa: E402  (tests/wasi-testsuite/run.py)

ADAPTER_FAILS = {
    "fd_write-to-invalid-fd": "AssemblyScript: fails inside the preview1 adapter on every host",
    "args_get-multiple-arguments": "AssemblyScript: fails inside the preview1 adapter on every host",
    "environ_get-multiple-variables": "AssemblyScript: fails inside the preview1 adapter on every host",
}


def wrap(jco, wasm, out):
    """The component for module wasm (cached by modification time)."""
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(wasm):
        return out
    os.makedirs(os.path.dirname(out), exist_ok=True)
    p = subprocess.run([jco, "new", wasm, "--wasi-command", "-o", out],
                       capture_output=True)
    if p.returncode != 0:
        raise RuntimeError("jco new %s: %s" % (wasm, p.stderr.decode()[:300]))
    return out


def run_one(wrun, level, comp, spec, work):
    scratch, root = p1.make_scratch(work, spec["wasm"], spec, None)
    try:
        cmd = p1.command(wrun, level, comp, spec, root, None)
        try:
            p = subprocess.run(cmd, cwd=scratch, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=p1.TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return "did not finish in %d s" % p1.TIMEOUT_S
        # the adapter turns every nonzero exit into 1
        return p1.verdict(p, 0 if spec["exit_code"] == 0 else 1, spec)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def check_hello(wrun, jco, out, levels):
    """examples/hello.wasm wrapped: its greeting and exit 0 at each level."""
    comp = wrap(jco, "examples/hello.wasm", os.path.join(out, "hello.wasm"))
    passed = failed = 0
    for level in levels:
        p = subprocess.run([wrun, "--sandbox=" + level, comp, "component"],
                           capture_output=True, timeout=p1.TIMEOUT_S)
        if p.returncode == 0 and p.stdout == b"Hello, component!\n":
            passed += 1
        else:
            failed += 1
            print("  FAIL %s hello: exit %d, stdout %r, stderr %r"
                  % (level, p.returncode, p.stdout[:100], p.stderr[:300]))
    return passed, failed


# (component, flags, expected exit status, text stderr must contain)
CASES = [
    ("missing", [], 1, "import `test:x/missing@1.0.0` is not defined"),
    ("missing", ["-W", "unknown-imports-trap"], 134,
     "unknown import `test:x/missing@1.0.0#f` called"),
    ("fail", [], 1, ""),
    ("fail", ["-W", "unknown-imports-trap=n"], 1, ""),
    ("exitcode", [], 5, ""),
    ("unknown_mod", [], 1, 'unknown import "env" "f"'),
    ("unknown_mod", ["-W", "unknown-imports-trap"], 134,
     "unknown import called (in function env.f)"),
]


def check_cases(wrun, jco, out, levels):
    """Imports refused or trapping, run's err as exit 1 (tests/wasi2/*.wat)."""
    here = os.path.dirname(os.path.abspath(__file__))
    passed = failed = 0
    built = {}
    for name in ("missing", "fail", "exitcode", "unknown_mod"):
        built[name] = os.path.join(out, name + ".wasm")
        os.makedirs(out, exist_ok=True)
        subprocess.run([jco, "parse", os.path.join(here, name + ".wat"), "-o",
                        built[name]], check=True, capture_output=True)
    for level in levels:
        for name, flags, code, text in CASES:
            p = subprocess.run([wrun, "--sandbox=" + level] + flags + [built[name]],
                               capture_output=True, timeout=p1.TIMEOUT_S)
            err = p.stderr.decode("utf-8", "replace")
            if p.returncode == code and text in err:
                passed += 1
            else:
                failed += 1
                print("  FAIL %s %s %s: exit %d (want %d), stderr %r"
                      % (level, name, " ".join(flags), p.returncode, code, err[:300]))
    return passed, failed


def run_prog(cmd, cwd, code):
    p = subprocess.run(cmd + ["d", code], cwd=cwd, input=b"some input\n",
                       env=dict(os.environ, W2_VAR="hi"), capture_output=True,
                       timeout=p1.TIMEOUT_S)
    return p.returncode, p.stdout, p.stderr


def check_prog(wrun, jco, out, levels):
    """tests/wasi2/prog.c (files, stdin, env, clocks, random, exit status)
    built natively and wrapped: the same output at every level."""
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.abspath(out)
    src, wasm = os.path.join(here, "prog.c"), os.path.join(out, "prog.wasm")
    native = os.path.join(out, "prog")
    os.makedirs(out, exist_ok=True)
    if subprocess.run(["clang", "--target=wasm32-wasi", "-O2", "-o", wasm, src],
                      capture_output=True).returncode != 0:
        print("  skip prog.c: clang --target=wasm32-wasi failed")
        return 0, 0, 1
    subprocess.run(["cc", "-O1", "-o", native, src], check=True)
    comp = wrap(jco, wasm, os.path.join(out, "prog.component.wasm"))
    passed = failed = 0
    for code in ("0", "3"):
        work = tempfile.mkdtemp(prefix="wrun-w2p.")
        try:
            os.mkdir(os.path.join(work, "d"))
            want = run_prog([native], work, code)
            for level in levels:
                shutil.rmtree(os.path.join(work, "d"))
                os.mkdir(os.path.join(work, "d"))
                got = run_prog([wrun, "--sandbox=" + level, "--env", "W2_VAR",
                                "--dir", "d", comp], work, code)
                exp = (0 if code == "0" else 1, want[1], want[2])
                if got == exp:
                    passed += 1
                else:
                    failed += 1
                    print("  FAIL %s prog.c exit %s: got %r\n      want %r"
                          % (level, code, got, exp))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return passed, failed, 0


def check_poll(wrun, jco, out, levels):
    """tests/wasi2/pollt.c: a stream's pollable waits for its descriptor."""
    here = os.path.dirname(os.path.abspath(__file__))
    wasm = os.path.join(os.path.abspath(out), "pollt.wasm")
    if subprocess.run(["clang", "--target=wasm32-wasi", "-O2", "-o", wasm,
                       os.path.join(here, "pollt.c")], capture_output=True).returncode:
        print("  skip pollt.c: clang --target=wasm32-wasi failed")
        return 0, 0, 1
    comp = wrap(jco, wasm, os.path.join(out, "pollt.component.wasm"))
    passed = failed = 0
    for level in levels:
        for late, want in ((True, b"poll 0\n"), (False, b"poll 1\n")):
            p = subprocess.Popen([wrun, "--sandbox=" + level, comp], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if late:  # stdin stays open, and empty, until the end
                try:
                    p.wait(timeout=1.5)
                    got, err = p.stdout.read(), p.stderr.read()
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
                    got, err = b"(still waiting after 1.5 s)", b""
                p.stdin.close()
                p.stdout.close()
                p.stderr.close()
            else:
                got, err = p.communicate(b"hi\n", timeout=p1.TIMEOUT_S)
            if got == want:
                passed += 1
            else:
                failed += 1
                print("  FAIL %s pollt (input %s): %r, stderr %r"
                      % (level, "late" if late else "ready", got, err[:200]))
    return passed, failed, 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wrun")
    ap.add_argument("jco")
    ap.add_argument("--suite", default=os.environ.get("WASI_TESTSUITE",
                                                      "../shared/wasi-testsuite"))
    ap.add_argument("--out", default="build/wasi2")
    ap.add_argument("--levels", default="none,seccomp,full")
    ap.add_argument("--filter", default="")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    levels = a.levels.split(",")
    wrun = os.path.abspath(a.wrun)
    passed, failed = check_hello(wrun, a.jco, a.out, levels)
    cp, cf = check_cases(wrun, a.jco, a.out, levels)
    passed += cp
    failed += cf
    cp, cf, cs = check_prog(wrun, a.jco, a.out, levels)
    passed += cp
    failed += cf
    cp, cf, cs2 = check_poll(wrun, a.jco, a.out, levels)
    passed += cp
    failed += cf
    cs += cs2
    skipped = cs
    if not os.path.isdir(a.suite):
        print("skip: the WASI test suite is not at %s" % a.suite)
        print("%d passed, %d failed, 1 skipped" % (passed, failed))
        return 1 if failed else 0
    tests = [t for t in p1.find_tests(a.suite) if a.filter in t]
    work = tempfile.mkdtemp(prefix="wrun-w2.")
    try:
        comps = {}
        for wasm in tests:
            name = os.path.relpath(wasm, a.suite)
            base = os.path.basename(wasm)[:-len(".wasm")]
            if base in ADAPTER_FAILS:
                print("  skip %s: %s" % (name, ADAPTER_FAILS[base]))
                skipped += 1
                continue
            comps[wasm] = wrap(a.jco, wasm, os.path.join(a.out, "suite", name))
        for level in levels:
            lp = lf = 0
            for wasm, comp in comps.items():
                spec = p1.load_spec(wasm)
                spec["wasm"] = wasm
                why = run_one(wrun, level, os.path.abspath(comp), spec, work)
                name = os.path.relpath(wasm, a.suite)
                if why is None:
                    lp += 1
                    if a.v:
                        print("  ok   %s %s" % (level, name))
                else:
                    lf += 1
                    print("  FAIL %s %s: %s" % (level, name, why))
            print("%s: %d of %d wrapped tests passed (%d skipped)"
                  % (level, lp, lp + lf, skipped))
            passed += lp
            failed += lf
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
