#!/usr/bin/env python3
"""The official WASI preview1 conformance suite (wasi-testsuite) against wrun.

usage: run.py WRUN [--suite DIR] [--levels none,seccomp,full] [--users auto|NAME,...]
              [--filter SUBSTRING] [-v]

For every test (NAME.wasm with an optional NAME.json beside it), at every
isolation level: copy the test's `root` to a fresh scratch directory, run

    WRUN --sandbox=LEVEL [--env K=V]... [--dir SCRATCH/ROOT::/] NAME.wasm ARGS...

with the scratch directory as the working directory, as the suite's own
runner builds a wasmtime command line, and compare the exit status and the
start of stdout and stderr with what the JSON expects.

Users: "auto" (the default) runs the suite as the invoking user and, when
that is root, again as the unprivileged TESTUSER (created if missing): the
scratch copy is then owned by it and wrun runs as it through setpriv with
every capability cleared.  wrun and the suite are copied to a temporary
directory first, so the test user needs no access to the checkout.

Ends with `N passed, N failed, N skipped`.  A missing suite is one skip with
the reason, never a pass.
"""
import argparse
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

DEFAULTS = {"args": [], "env": {}, "root": None, "exit_code": 0,
            "stdout": "", "stderr": ""}
# A guest that hangs must not hang the suite; no test needs more than a second.
TIMEOUT_S = 60
TESTUSER = "wruntest"


def load_spec(wasm):
    """The test's expectations, from NAME.json (either form) or defaults."""
    spec = dict(DEFAULTS)
    path = wasm[:-len(".wasm")] + ".json"
    if not os.path.exists(path):
        return spec
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for op in data.get("operations", []):
        kind = op.get("type")
        if kind == "run":
            for k in ("args", "env", "root"):
                if k in op:
                    spec[k] = op[k]
        elif kind == "wait":
            spec["exit_code"] = op.get("exit_code", 0)
        elif kind == "read":
            spec[op["id"]] = op.get("payload", "")
    for k in DEFAULTS:
        if k in data:
            spec[k] = data[k]
    return spec


def find_tests(suite):
    tests = []
    for dirpath, dirnames, files in os.walk(suite):
        dirnames[:] = sorted(d for d in dirnames if not d.endswith(".dir"))
        for name in sorted(files):
            if name.endswith(".wasm"):
                tests.append(os.path.join(dirpath, name))
    return tests


def make_scratch(work, wasm, spec, owner):
    """A fresh copy of the test's root (writable, owned by OWNER)."""
    scratch = tempfile.mkdtemp(dir=work)
    root = None
    if spec["root"]:
        src = os.path.join(os.path.dirname(wasm), spec["root"])
        root = os.path.join(scratch, spec["root"])
        shutil.copytree(src, root, symlinks=True)
        for dirpath, dirnames, files in os.walk(root):
            for n in dirnames + files:
                p = os.path.join(dirpath, n)
                if n.endswith(".cleanup"):
                    if os.path.isdir(p) and not os.path.islink(p):
                        shutil.rmtree(p)
                    else:
                        os.unlink(p)
                    continue
                if not os.path.islink(p):
                    os.chmod(p, os.stat(p).st_mode | 0o200)
        os.chmod(root, os.stat(root).st_mode | 0o200)
    if owner is not None:
        for dirpath, dirnames, files in os.walk(scratch):
            os.lchown(dirpath, owner.pw_uid, owner.pw_gid)
            for n in dirnames + files:
                os.lchown(os.path.join(dirpath, n), owner.pw_uid, owner.pw_gid)
    os.chmod(scratch, 0o755)
    return scratch, root


def command(wrun, level, wasm, spec, root, user):
    cmd = []
    if user:
        cmd += ["setpriv", "--reuid=" + user, "--regid=" + user,
                "--clear-groups", "--inh-caps=-all"]
    cmd += [wrun, "--sandbox=" + level]
    for k, v in spec["env"].items():
        cmd += ["--env", "%s=%s" % (k, v)]
    if root:
        cmd += ["--dir", root + "::/"]
    cmd += [wasm] + list(spec["args"])
    return cmd


def run_one(wrun, level, wasm, spec, work, user, owner):
    """None when the test passed, else the reason it failed."""
    scratch, root = make_scratch(work, wasm, spec, owner)
    try:
        cmd = command(wrun, level, wasm, spec, root, user)
        try:
            p = subprocess.run(cmd, cwd=scratch, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return "did not finish in %d s" % TIMEOUT_S
        return verdict(p, spec["exit_code"], spec)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def verdict(p, want, spec):
    """None if the finished run p exited with want and its stdout and
    stderr start as the test's JSON says; else what differs."""
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    why = []
    if p.returncode != want:
        why.append("exit %d, expected %d" % (p.returncode, want))
    if not out.startswith(spec["stdout"]):
        why.append("stdout %r does not start with %r" % (out[:200], spec["stdout"]))
    if not err.startswith(spec["stderr"]):
        why.append("stderr does not start with %r" % spec["stderr"])
    if why:
        return "; ".join(why) + ("\n      stderr: %s" % err.strip()[:600] if err else "")
    return None


def resolve_users(spec):
    """The list of users to run as (None: the invoking user), and skips."""
    if spec != "auto":
        return [u or None for u in spec.split(",")], []
    why = test_user()
    if why:
        return [None], ["unprivileged run: " + why]
    return [None, TESTUSER], []


def test_user():
    """None when TESTUSER exists (created if missing) and setpriv can run
    as it; else why not."""
    if os.getuid() != 0:
        return "not root, cannot switch user"
    try:
        pwd.getpwnam(TESTUSER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", TESTUSER], check=False)
    try:
        pwd.getpwnam(TESTUSER)
    except KeyError:
        return "cannot create " + TESTUSER
    if not shutil.which("setpriv"):
        return "no setpriv"
    return None


def stage(work, wrun, suite):
    """Copies of wrun and the suite that every user can read."""
    shutil.copy2(wrun, os.path.join(work, "wrun"))
    shutil.copytree(suite, os.path.join(work, "suite"), symlinks=True)
    for dirpath, dirnames, files in os.walk(work):
        os.chmod(dirpath, 0o755)
        for n in files:
            p = os.path.join(dirpath, n)
            os.chmod(p, 0o755 if n == "wrun" else 0o644)
    return os.path.join(work, "wrun"), os.path.join(work, "suite")


def run_level(wrun, suite, level, tests, work, user, verbose):
    owner = pwd.getpwnam(user) if user else None
    who = user or pwd.getpwuid(os.getuid()).pw_name
    lp = lf = 0
    for wasm in tests:
        name = os.path.relpath(wasm, suite)
        why = run_one(wrun, level, wasm, load_spec(wasm), work, user, owner)
        if why is None:
            lp += 1
            if verbose:
                print("  ok   %s %s (%s)" % (level, name, who))
        else:
            lf += 1
            print("  FAIL %s %s (%s): %s" % (level, name, who, why))
    print("%s as %s: %d of %d passed" % (level, who, lp, lp + lf))
    return lp, lf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wrun")
    ap.add_argument("--suite", default=os.environ.get("WASI_TESTSUITE",
                                                      "../shared/wasi-testsuite"))
    ap.add_argument("--levels", default="none,seccomp,full")
    ap.add_argument("--users", default="auto")
    ap.add_argument("--filter", default="")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()

    if not os.path.isdir(a.suite):
        print("skip: the WASI test suite is not at %s; put it there or give "
              "WASI_TESTSUITE=DIR" % a.suite)
        print("0 passed, 0 failed, 1 skipped")
        return 0
    users, skips = resolve_users(a.users)
    for why in skips:
        print("skip " + why)
    work = tempfile.mkdtemp(prefix="wrun-wts.")
    passed = failed = 0
    try:
        os.chmod(work, 0o755)
        wrun, suite = stage(work, os.path.abspath(a.wrun), a.suite)
        tests = [t for t in find_tests(suite) if a.filter in t]
        if not tests:
            print("FAIL no test found under %s" % a.suite)
            failed += 1
        for user in users:
            for level in a.levels.split(","):
                p, f = run_level(wrun, suite, level, tests, work, user, a.v)
                passed += p
                failed += f
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed, %d skipped" % (passed, failed, len(skips)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
