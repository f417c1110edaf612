#!/usr/bin/env python3
"""wasi:sockets and the network grants (make check-sockets).

usage: run.py WRUN JCO [--out DIR] [--levels none,seccomp,full] [-v]

Builds tests/sockets/net.c, a native WASI 0.2 command (hand-written
imports, no preview1 adapter), with clang --target=wasm32-wasi, embeds the
world below with jco's componentEmbed and wraps it with componentNew; the same source
with -DDROP_PARENT drops a socket before its streams, with -DDROP_STREAM
a stream before its pollable.  (Embedding goes
through jco's JS API, tests/sockets/embed.mjs: the pinned CLI's `jco
embed` cannot read a WIT directory.)  Then, at every
sandbox level:

  granted  -S inherit-network -S allow-ip-name-lookup: a TCP echo and a UDP
           datagram over loopback, the lookup of localhost, exactly the
           expected lines; (seccomp, full) the audit log shows sends and
           receives on the stream handles the broker derived from the
           socket (res_derive), never on the socket itself;
  denied   no -S: every bind and lookup fails with access-denied, and
           (seccomp, full) the audit log marks net_bind and net_resolve
           refusals as denied;
  no tcp/udp  -S inherit-network -S tcp=n -S udp=n: creating a socket
           is refused;
  ipv6     (when the host has [::1]) a TCP connection over [::1], both
           ends' addresses;
  drop     dropping a socket before its streams, or a stream before its
           pollable, traps (exit 134) with the host's message;

the -S parser (unknown keys and values refused, -S tcplisten=ADDR as
--tcplisten); and, when run as root, granted and denied again as the unprivileged
TESTUSER (created if missing) through setpriv with no capabilities.

Ends with `N passed, N failed, N skipped`.
"""
import argparse
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
WIT_REF = os.path.join(HERE, "..", "..", "..", "shared", "reference", "wasi-0.2.12")
sys.path.insert(0, os.path.join(HERE, "..", "wasi-testsuite"))
import run as p1  # noqa: E402  (tests/wasi-testsuite/run.py)

TESTUSER = p1.TESTUSER
TIMEOUT_S = 60

WORLD = """package test:net;

world net {
  import wasi:cli/stdout@0.2.12;
  import wasi:io/streams@0.2.12;
  import wasi:io/poll@0.2.12;
  import wasi:sockets/instance-network@0.2.12;
  import wasi:sockets/network@0.2.12;
  import wasi:sockets/tcp@0.2.12;
  import wasi:sockets/tcp-create-socket@0.2.12;
  import wasi:sockets/udp@0.2.12;
  import wasi:sockets/udp-create-socket@0.2.12;
  import wasi:sockets/ip-name-lookup@0.2.12;
  export wasi:cli/run@0.2.12;
}
"""

GRANTED = """ok tcp listening
ok tcp keep-alive
ok tcp accepted from 127.0.0.1
ok tcp echo hello
ok tcp end of stream after shutdown
ok udp ping from 127.0.0.1
ok udp connected send to the peer
udp connected send elsewhere: invalid-argument
lookup localhost: 127.0.0.1 ipv6
lookup wrun.invalid: name-unresolvable
"""

DENIED = """tcp bind: access-denied
udp bind: access-denied
lookup localhost: access-denied
lookup wrun.invalid: access-denied
"""

GRANTED6 = """ok tcp6 bound to [::1]
ok tcp6 connected to [::1]
ok tcp6 accepted
"""

NO_PROTO = """tcp create: access-denied
udp create: access-denied
lookup localhost: access-denied
lookup wrun.invalid: access-denied
"""


def wit_dir(out):
    """A WIT directory: the world above, the 0.2.12 packages as deps."""
    d = os.path.join(out, "wit")
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(os.path.join(d, "deps"))
    with open(os.path.join(d, "world.wit"), "w") as f:
        f.write(WORLD)
    for pkg in ("cli", "io", "clocks", "filesystem", "random", "sockets"):
        src = os.path.join(WIT_REF, pkg, "wit")
        dst = os.path.join(d, "deps", pkg)
        os.makedirs(dst)
        for name in os.listdir(src):
            if name.endswith(".wit"):
                shutil.copy(os.path.join(src, name), dst)
    return d


def jco_root(jco):
    """The directory jco.sh installed into (JCO is its node_modules/.bin/jco)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(jco))))


def build(jco, out, name, defines):
    """net.c built with defines, embedded and wrapped: the component's path,
    or raise with the failing step's message."""
    core = name + ".core.wasm"
    wit_dir(out)
    # jco's wasm-tools sees the working directory only: relative names
    steps = [
        ["clang", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-nostartfiles",
         "-Wl,--no-entry", "-Wall", "-Werror"] + defines +
        ["-o", core, os.path.join(HERE, "net.c")],
        ["node", os.path.join(HERE, "embed.mjs"), jco_root(jco), core, "wit", "net",
         name + ".wasm"],
    ]
    for cmd in steps:
        p = subprocess.run(cmd, capture_output=True, cwd=out)
        if p.returncode != 0:
            raise RuntimeError("%s: %s" % (" ".join(cmd[:2]), p.stderr.decode()[:600]))
    return os.path.join(out, name + ".wasm")


def run(cmd, cwd):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def audit_denied(path):
    """The names of the calls the audit log marks as refused."""
    names = set()
    try:
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                if rec.get("event") == "call" and rec.get("denied"):
                    names.add(rec.get("fn"))
    except (OSError, ValueError):
        pass
    return names


def audit_streams(path):
    """Under the sandbox a connection's streams are handles the broker made
    from the socket (res_derive): sends and receives name those, never the
    socket itself.  None if the log shows that, else what it shows."""
    calls = []
    try:
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                if rec.get("event") == "call":
                    calls.append((rec.get("fn"), rec.get("fd")))
    except (OSError, ValueError) as e:
        return "audit log unreadable: %s" % e
    sockets = {fd for fn, fd in calls if fn in ("net_bind", "net_connect", "net_listen")}
    derived = {fd for fn, fd in calls if fn == "res_derive"}
    io = {fd for fn, fd in calls if fn in ("sock_send", "sock_recv")}
    if not sockets & derived:
        return "no stream derived from a socket (sockets %s, derived from %s)" % (
            sorted(sockets), sorted(derived))
    if not io or io & sockets:
        return "sends and receives on %s, sockets %s" % (sorted(io), sorted(sockets))
    return None


def has_ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def cases(wrun, comp, drop, level, work, prefix, net6):
    """(name, failure or None) for each case at one level."""
    base = prefix + [wrun, "--sandbox=" + level]
    out = []

    def expect(name, args, code, stdout, stderr_has=None, audit=None, streams=False):
        log = os.path.join(work, "audit-%s-%s.jsonl" % (level, name))
        if os.path.exists(log):
            os.unlink(log)
        extra = ["--audit", log] if audit is not None and level != "none" else []
        r = run(base + extra + args, work)
        why = []
        if r is None:
            why.append("did not finish in %d s" % TIMEOUT_S)
        else:
            rc, so, se = r
            if rc != code:
                why.append("exit %d, expected %d" % (rc, code))
            if stdout is not None and so != stdout:
                why.append("stdout %r, expected %r" % (so, stdout))
            if stderr_has and stderr_has not in se:
                why.append("stderr %r lacks %r" % (se[:300], stderr_has))
            if why and se:
                why.append("stderr: " + se.strip()[:400])
        if not why and extra:
            got = audit_denied(log)
            if not audit <= got:
                why.append("audit log marks %s as denied, expected %s" %
                           (sorted(got), sorted(audit)))
            if streams and audit_streams(log):
                why.append(audit_streams(log))
        out.append((name, "; ".join(why) or None))

    expect("granted", ["-S", "inherit-network", "-S", "allow-ip-name-lookup", comp], 0, GRANTED,
           audit=set(), streams=True)
    expect("denied", [comp], 0, DENIED, audit={"net_bind", "net_resolve"})
    expect("no-tcp-udp", ["-S", "inherit-network", "-S", "tcp=n", "-S", "udp=n", comp], 0,
           NO_PROTO, audit={"net_socket"})
    if net6:
        expect("ipv6", ["-S", "inherit-network", net6], 0, GRANTED6)
    if drop:
        expect("drop-socket-first", ["-S", "inherit-network", drop[0]], 134, None,
               stderr_has="dropped while resources made from it")
        expect("drop-stream-first", ["-S", "inherit-network", drop[1]], 134, None,
               stderr_has="dropped while resources made from it")
    return out


def cli_cases(wrun, comp, work):
    """The -S parser: unknown keys and bad values refused by name (exit 2),
    -S tcplisten=ADDR the same grant as --tcplisten (the audit start record)."""
    out = []
    for args, want in ((["-S", "bogus"], "-S bogus: not supported"),
                       (["-S", "tcp=maybe"], "-S tcp=maybe: bad value (y, yes"),
                       (["-S", "tcplisten"], "-S tcplisten needs a value")):
        r = run([wrun] + args + [comp], work)
        ok = r is not None and r[0] == 2 and want in r[2]
        out.append(("cli " + " ".join(args), None if ok else "got %r" % (r,)))
    log = os.path.join(work, "audit-tcplisten.jsonl")
    r = run([wrun, "--audit", log, "-S", "tcplisten=127.0.0.1:0", comp], work)
    start = {}
    try:
        with open(log) as f:
            start = json.loads(f.readline())
    except (OSError, ValueError):
        pass
    ok = r is not None and start.get("tcplisten") == [{"addr": "127.0.0.1:0"}]
    out.append(("cli -S tcplisten=ADDR", None if ok else "start record %r" % (start,)))
    return out


def test_user():
    """The unprivileged user's name, or (None, why) when there is none."""
    why = p1.test_user()
    return (None, why) if why else (TESTUSER, None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wrun")
    ap.add_argument("jco")
    ap.add_argument("--out", default="build/sockets")
    ap.add_argument("--levels", default="none,seccomp,full")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    passed = failed = skipped = 0
    os.makedirs(a.out, exist_ok=True)
    a.out = os.path.abspath(a.out)
    a.jco = os.path.abspath(a.jco)
    try:
        comp = build(a.jco, a.out, "net", [])
        drop = build(a.jco, a.out, "net_drop", ["-DDROP_PARENT"])
        drop2 = build(a.jco, a.out, "net_drop2", ["-DDROP_STREAM"])
        net6 = build(a.jco, a.out, "net6", ["-DV6"])
    except (RuntimeError, OSError) as e:
        print("FAIL build: %s" % e)
        print("0 passed, 1 failed, 0 skipped")
        return 1
    work = tempfile.mkdtemp(prefix="wrun-sockets.")
    try:
        os.chmod(work, 0o755)
        wrun = os.path.join(work, "wrun")
        shutil.copy(a.wrun, wrun)
        for src in (comp, drop, drop2, net6):
            shutil.copy(src, work)
        comp, drop, drop2, net6 = (os.path.join(work, os.path.basename(p))
                                   for p in (comp, drop, drop2, net6))
        for p in (wrun, comp, drop, drop2, net6):
            os.chmod(p, 0o755)
        if not has_ipv6_loopback():
            print("skip ipv6: the host has no [::1] to bind")
            skipped += 1
            net6 = None
        runs = [("", [], (drop, drop2))]
        user, why = test_user()
        if user:
            os.chown(work, pwd.getpwnam(user).pw_uid, -1)
            runs.append((user + " ", ["setpriv", "--reuid=" + user, "--regid=" + user,
                                      "--clear-groups", "--inh-caps=-all"], None))
        else:
            print("skip unprivileged run: %s" % why)
            skipped += 1
        results = cli_cases(wrun, comp, work)
        for label, prefix, d in runs:
            for level in a.levels.split(","):
                results += [("%s%s %s" % (label, level, name), fail)
                            for name, fail in cases(wrun, comp, d, level, work, prefix, net6)]
        for tag, fail in results:
            if fail:
                failed += 1
                print("FAIL %s: %s" % (tag, fail))
            else:
                passed += 1
                if a.v:
                    print("ok   %s" % tag)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
