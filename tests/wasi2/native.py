#!/usr/bin/env python3
"""Native WASI 0.2 components (no preview1 adapter), and the differential
test against jco transpile + node with @bytecodealliance/preview2-shim.

usage: native.py WRUN JCO [--out DIR] [--levels none,seccomp,full]
                 [--versions 0.2.0,0.2.12] [--no-diff] [--user NAME]

tests/wasi2/native/w2n.c is compiled with clang --target=wasm32 (no libc:
its imports are declared by hand, tests/wasi2/native/w2n.h) and made a
component with jco's componentEmbed/componentNew against the world of
tests/wasi2/native/w2n.wit, whose WASI packages are jco's bundled 0.2.12
ones renamed to each version asked for.  Each of its parts (see w2n.c) runs
at every level and its stdout, stderr and exit status are checked against
what this script derives from the input it gives (arguments, environment,
stdin, files it writes) and from the rules of WASI 0.2; the files left
behind are checked too, and the escape part must leave the directory
outside the preopen untouched.  A preview1 module (tests/wasi2/native/
p1esc.c) checks path_open on "link/" and friends the same way.

Then the differential test: every part, and the wrapped components of
tests/wasi2 (hello, prog.c), run transpiled on node with the shim, the
same arguments, environment, stdin and preopen, must give the same stdout
and exit status as wrun.  Where the shim is wrong (KNOWN_SHIM below, each
with its evidence) the part is skipped by name, with the reason; a line
of output where it is wrong is left out of the comparison and counted as
skipped.

With --user NAME, the parts also run once at full as that (unprivileged)
user.  Ends with `N passed, N failed, N skipped`.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
NATIVE = os.path.join(HERE, "native")
TIMEOUT_S = 60
PACKAGES = ("wasi-cli", "wasi-clocks", "wasi-filesystem", "wasi-io", "wasi-random",
            "wasi-sockets")

STDIN = b"hello world again\n"
ENV = {"W2N_A": "1", "W2N_B": "two words"}
CONTENT = "0123456789 the test's text\n"

# Parts where jco 1.35.0's preview2-shim 0.25.0 is wrong, with the evidence
# (what it does on node 20): the whole part is skipped in the differential.
KNOWN_SHIM = {
    "skip": "input-stream.skip/blocking-skip return the bytes instead of their "
            "count: the lowering traps with \"SyntaxError: Cannot convert "
            "32,119,111 to a BigInt\"",
    "term": "initial-cwd returns node's process.cwd() (a host path; wasmtime and "
            "wrun return none) and get-terminal-* return a terminal for pipes",
    "zeroes": "output-stream.write-zeroes on stdout writes nothing, and "
              "blocking-write-zeroes-and-flush never returns (killed after 60 s)",
    "splice": "output-stream.splice throws \"TypeError: Cannot read private member "
              "#id from an object whose class did not declare it\" (worker-io.js)",
    "fsdir": "descriptor.stat of a preopen returns error-code invalid; open-at "
             "with descriptor-flags mutate-directory returns unsupported; "
             "is-same-object of a preopen and its \".\" is false",
    "times": "set-times sets both times to 15032385535 s whatever it is given, "
             "and set-times-at returns error-code invalid",
    "fsro": "descriptor.write on a descriptor opened for reading throws node's "
            "EBADF error out of the component instead of returning an error-code",
    "escape": "the shim confines nothing: open-at/stat-at/create-directory-at/"
              "unlink-file-at follow \"link\" and \"..\" out of the preopen "
              "(it opened, created and removed files outside)",
}
# Lines of a part's output where the shim is wrong: (part, line prefix): why.
KNOWN_SHIM_LINES = {
    ("ioerr", "read-via-stream of a directory "):
        "read-via-stream of a directory descriptor gives a stream (whose read "
        "then fails with is-directory); wasmtime refuses it with bad-descriptor, "
        "as wrun does",
}


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, **kw)


def build(jco, ver, out):
    """w2n-VER.wasm: w2n.c built with WV=VER, embedded and made a component."""
    nm = os.path.dirname(os.path.dirname(os.path.abspath(jco)))
    builtin = os.path.join(nm, "@bytecodealliance", "jco", "lib", "wit", "builtin", "0.2.12")
    wit = [open(os.path.join(NATIVE, "w2n.wit")).read().replace("@0.2.12", "@" + ver)]
    for pkg in PACKAGES:
        text = open(os.path.join(builtin, pkg, "package.wit")).read()
        head, rest = text.replace("@0.2.12", "@" + ver).split("\n", 1)
        wit.append("%s {\n%s\n}\n" % (head.rstrip().rstrip(";"), rest))
    os.makedirs(out, exist_ok=True)
    witf = os.path.join(out, "w2n-%s.wit" % ver)
    with open(witf, "w") as f:
        f.write("\n".join(wit))
    core = os.path.join(out, "w2n-%s.core.wasm" % ver)
    comp = os.path.join(out, "w2n-%s.wasm" % ver)
    sh(["clang", "--target=wasm32", "-O2", "-nostdlib", "-Wall", "-Wextra", "-Werror",
        "-Wl,--no-entry", '-DWV="%s"' % ver, "-o", core,
        os.path.join(NATIVE, "w2n.c")], check=True)
    p = sh(["node", os.path.join(NATIVE, "embed.mjs"), nm, core, witf, "w2n", comp])
    if p.returncode:
        raise RuntimeError("embed %s: %s" % (ver, p.stderr.decode()[-600:]))
    return comp


def make_tree(work):
    """The preopened directory (root) and the directory outside it."""
    root, outside = os.path.join(work, "root"), os.path.join(work, "outside")
    os.makedirs(os.path.join(root, "dir"))
    os.makedirs(outside)
    with open(os.path.join(root, "in.txt"), "w") as f:
        f.write(CONTENT)
    with open(os.path.join(outside, "secret.txt"), "w") as f:
        f.write("secret\n")
    os.symlink(outside, os.path.join(root, "link"))
    return root, outside


def ok(what):
    return "%s ok\n" % what


def expect_cli(code):
    """stdout, stderr, exit status of `cli [code]`."""
    out = "args cli%s\n" % ("" if code is None else " " + code)
    out += "env count %d\n" % len(ENV)
    out += "".join("env %s=%s\n" % kv for kv in ENV.items())
    data = STDIN.decode()
    out += "stdin head %s\n" % data[:5]
    out += "stdin rest %s\n" % data[5:]
    out += "stdin end closed\nstdin read after end closed\n"
    out += ok("check-write budget")
    out += "write " + ok("write") + ok("flush") + ok("blocking-flush")
    out += ok("stdout pollable ready") + ok("stderr blocking-write-and-flush")
    status = {None: 0, "ok": 0, "err": 1}.get(code, None)
    return out, "to stderr\n", int(code) if status is None else status


# stdout's reader gone: a write ends with closed, as wasmtime reports a
# broken pipe, and the stream stays closed.
EPIPE_WANT = ["closed\nthen closed\n"]


def expect_skip():
    data = STDIN.decode()
    return ("stdin head %s\nblocking-skip 3 3\nthen %s\nskipped to the end %d closed\n"
            "skip after end closed\n" % (data[:5], data[8:10], len(data) - 10))


def expect_term():
    # stdin, stdout and stderr are pipes here; initial-cwd: none, as
    # wasmtime run (a host path is not the guest's business)
    return ("initial-cwd none\nterminal-stdin none\nterminal-stdout none\n"
            "terminal-stderr none\n")


def expect_poll(lines):
    """The poll part's lines; the wall clock is checked against ours."""
    want = [ok("monotonic resolution"), ok("long pollable not ready"),
            "poll 3 -> 1\n",  # only the 30 ms one is ready when poll returns
            ok("poll waited 30 ms"), ok("subscribe-instant block waited 60 ms"),
            ok("instant pollable ready"),
            "poll long+stdout -> 1\n",  # stdout (a pipe) can take output
            ok("monotonic now increases"), None,
            ok("wall-clock nanoseconds < 1e9"), ok("wall-clock resolution")]
    got = lines.splitlines(keepends=True)
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if w is None:
            secs = int(g.split()[-1])
            if g != "wall-clock seconds %d\n" % secs or abs(secs - _now()) > 120:
                return False
        elif g != w:
            return False
    return True


def _now():
    import time
    return time.time()


def expect_random():
    return "".join(ok(w) for w in (
        "get-random-bytes 32", "get-random-bytes differ", "get-random-bytes 0",
        "get-random-u64 differ", "get-insecure-random-bytes 16",
        "get-insecure-random-bytes differ", "get-insecure-random-u64 differ",
        "insecure-seed"))


def stat_line(what, kind, links=None, size=None):
    if kind == "regular-file":
        return "%s type regular-file links %d size %d\n" % (what, links, size)
    return "%s type %s\n" % (what, kind)


def expect_fs():
    n = len(CONTENT)
    after = "aXYEND\0\0"  # "abc" at 0, "XY" at 1, "END" and 2 zeroes appended
    out = "preopens /\nopen-at in.txt ok\n"
    out += stat_line("stat in.txt", "regular-file", 1, n)
    out += "read-via-stream 0 %s | closed\n" % CONTENT
    out += "read-via-stream 6 %s | closed\n" % CONTENT[6:]
    out += "read 5 at 2 %s more\n" % CONTENT[2:7]
    # eof is true only when nothing was read (as wasmtime has it)
    out += "read 100 at 0 ends with more\n"
    out += "open-at out.txt ok\n" + ok("file check-write") + ok("file write+blocking-flush")
    out += "write XY at 1 2\nout.txt now %s\n" % after.replace("\0", "0")
    out += "set-size 4 ok\n" + stat_line("stat out.txt", "regular-file", 1, 4)
    out += "get-flags out.txt 3\n"
    out += "open-at copy.txt ok\nopen-at copy.txt exist\n"
    out += ok("metadata-hash in.txt = metadata-hash-at in.txt")
    out += ok("metadata-hash in.txt != copy.txt")
    out += "open-at nothing-here no-entry\nopen-at in.txt not-directory\n"
    return out


def expect_fsdir(root_listing):
    n = len(CONTENT)
    out = "preopens /\n" + stat_line("stat preopen", "directory")
    out += "get-type preopen directory\nopen-at out.txt ok\n"
    out += "create-directory-at sub ok\ncreate-directory-at sub exist\n"
    out += "open-at sub ok\nopen-at . ok\n"
    out += ok("is-same-object sub preopen is false") + ok("is-same-object . preopen")
    out += ok("metadata-hash preopen = metadata-hash-at .")
    out += ok("metadata-hash preopen != in.txt")
    out += "link-at in.txt sub/hard ok\n"
    out += stat_line("stat-at sub/hard", "regular-file", 2, n)
    out += "symlink-at ../in.txt sub/sym ok\nreadlink-at sub/sym ../in.txt\n"
    out += stat_line("stat-at sub/sym", "symbolic-link")
    out += stat_line("stat-at follow sub/sym", "regular-file", 2, n)
    out += "rename-at out.txt sub/moved ok\nstat-at out.txt no-entry\n"
    out += stat_line("stat-at moved", "regular-file", 1, 4)
    out += ("read-directory hard:regular-file moved:regular-file sym:symbolic-link\n"
            "remove-directory-at sub not-empty\n"
            "unlink-file-at sub is-directory\n"
            "unlink-file-at sub/hard ok\nunlink-file-at sub/sym ok\n"
            "unlink-file-at sub/moved ok\nremove-directory-at sub ok\n")
    out += "read-directory %s\n" % " ".join("%s:%s" % e for e in root_listing)
    return out


def listing(root):
    """(name, descriptor-type) of root's entries, sorted, as w2n prints them."""
    out = []
    for name in sorted(os.listdir(root)):
        p = os.path.join(root, name)
        kind = ("symbolic-link" if os.path.islink(p) else "directory" if os.path.isdir(p)
                else "regular-file")
        out.append((name, kind))
    return out


ESCAPE_OPENS = ["link", "link/", "link/.", "link/./", "link/secret.txt",
                "link/../link/secret.txt", "..", "../", "/", "/etc/passwd", "dir/../../",
                "dir/../link/"]


def expect_escape():
    out = "preopens /\n"
    for p in ESCAPE_OPENS:
        for follow in ("", "follow "):
            out += "open-at %s%s refused\n" % (follow, p)
            out += "open-at dir %s%s refused\n" % (follow, p)
            # "link" itself, not followed, is a symlink inside the preopen
            out += "stat-at %s%s %s\n" % (follow, p, "(the link)" if p == "link" and
                                          not follow else "refused")
    for p in ["link/", "link/.", "link/new", "link/./new", "../new"]:
        out += "create-directory-at %s refused\n" % p
    return out + "symlink-at link/made refused\nunlink-file-at link/secret.txt refused\n"


def expect_splice():
    return ("preopens /\nopen-at in.txt ok\nopen-at spliced.txt ok\nsplice 4 4\n"
            "blocking-splice rest %d closed\n" % (len(CONTENT) - 4))


def expect_ioerr():
    # reading a directory fails with EISDIR: last-operation-failed; a
    # directory descriptor has no input stream (bad-descriptor, as wasmtime)
    return ("preopens /\nblocking-read of stdin last-operation-failed\n"
            + ok("to-debug-string") + "filesystem-error-code is-directory\n"
            "open-at dir ok\nread-via-stream of a directory bad-descriptor\n")


def expect_times():
    # the times set, read back to the nanosecond (a file system with
    # nanosecond timestamps: tmpfs, ext4, xfs, btrfs)
    return ("preopens /\nopen-at in.txt ok\nset-times ok\n"
            "stat atime 1000000000 5 mtime 1200000000 123456789\n"
            "after mtime only atime 1000000000 5 mtime 1300000000 7\n"
            "set-times-at ok\nstat-at atime 1100000000 0 mtime 1300000000 7\n"
            + ok("set-times now")
            # 0 s + 1e9 ns is 1 s, as wasmtime's Duration::new adds it up
            + "set-times nanoseconds 1e9 ok\nsync ok\nsync-data ok\nadvise ok\n")


def expect_fsro():
    return ("preopens /\nopen-at in.txt ok\nwrite to a read-only descriptor refused\n"
            "write-via-stream of a read-only descriptor refused\n")


class Runner:
    def __init__(self, wrun, levels, user):
        self.wrun, self.levels, self.user = wrun, levels, user
        self.passed = self.failed = self.skipped = 0

    def result(self, what, good, detail=""):
        if good:
            self.passed += 1
        else:
            self.failed += 1
            print("  FAIL %s%s" % (what, detail))

    def wrun_cmd(self, level, comp, args, root=None, user=None):
        cmd = [self.wrun, "--sandbox=" + level]
        for k, v in ENV.items():
            cmd += ["--env", "%s=%s" % (k, v)]
        if root:
            cmd += ["--dir", root + "::/"]
        cmd = cmd + [comp] + args
        if user:
            cmd = ["runuser", "-u", user, "--"] + cmd
        return cmd


def run_parts(r, comp, tag, work):
    """Every part of w2n at every level; returns {part: (stdout, status)}
    of the last level, for the differential."""
    seen = {}
    runs = [(lv, None) for lv in r.levels] + ([("full", r.user)] if r.user else [])
    for level, user in runs:
        lt = "%s %s%s" % (tag, level, " as " + user if user else "")
        for code in (None, "ok", "err", "7"):
            p = sh(r.wrun_cmd(level, comp, ["cli"] + ([code] if code else []), user=user),
                   input=STDIN)
            out, err, status = expect_cli(code)
            got = (p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"),
                   p.returncode)
            r.result("%s cli %s" % (lt, code), got == (out, err, status),
                     ": got %r\n      want %r" % (got, (out, err, status)))
            seen["cli" + (" " + code if code else "")] = (p.stdout, p.returncode)
        for part, want in (("skip", expect_skip()), ("term", expect_term()),
                           ("zeroes", "\0\0\0after zeroes\n\0\0"
                            + ok(" blocking-write-zeroes-and-flush")),
                           ("random", expect_random())):
            p = sh(r.wrun_cmd(level, comp, [part], user=user), input=STDIN)
            got = p.stdout.decode(errors="replace")
            r.result("%s %s" % (lt, part), p.returncode == 0 and got == want,
                     ": exit %d, stdout %r\n      want %r, stderr %r"
                     % (p.returncode, got, want, p.stderr[-300:]))
            seen[part] = (p.stdout, p.returncode)
        # stdout a pipe closed before the guest writes
        rd, wr = os.pipe()
        os.close(rd)
        p = subprocess.run(r.wrun_cmd(level, comp, ["epipe"], user=user), stdout=wr,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                           timeout=TIMEOUT_S)
        os.close(wr)
        err = p.stderr.decode(errors="replace")
        r.result("%s epipe" % lt, p.returncode == 0 and err in EPIPE_WANT,
                 ": exit %d, stderr %r" % (p.returncode, err))
        p = sh(r.wrun_cmd(level, comp, ["poll"], user=user), stdin=subprocess.DEVNULL)
        r.result("%s poll" % lt, p.returncode == 0 and expect_poll(p.stdout.decode()),
                 ": exit %d, stdout %r" % (p.returncode, p.stdout))
        seen["poll"] = (p.stdout, p.returncode)
        for part in ("fs", "fsdir", "times", "fsro", "ioerr", "splice", "escape"):
            d = tempfile.mkdtemp(prefix="w2n.", dir=work)
            root, outside = make_tree(d)
            if user:
                subprocess.run(["chown", "-R", user, d], check=True)
                os.chmod(d, 0o755)
            # ioerr reads a directory as its stdin
            inp = os.open(os.path.join(root, "dir") if part == "ioerr" else os.devnull,
                          os.O_RDONLY)
            try:
                p = sh(r.wrun_cmd(level, comp, [part], root=root, user=user), stdin=inp)
            finally:
                os.close(inp)
            got = p.stdout.decode(errors="replace")
            want = {"fs": expect_fs, "fsdir": lambda: expect_fsdir(listing(root)),
                    "fsro": expect_fsro, "ioerr": expect_ioerr, "times": expect_times,
                    "splice": expect_splice, "escape": expect_escape}[part]()
            files_ok = sorted(os.listdir(outside)) == ["secret.txt"]
            if part == "fs":
                files_ok = files_ok and open(os.path.join(root, "copy.txt")).read() == ""
            if part == "times":  # the last set-times: atime 1e9 ns past 0 s
                files_ok = files_ok and os.stat(os.path.join(root, "in.txt")).st_atime_ns \
                    == 1000000000
            if part == "splice":
                files_ok = files_ok and open(os.path.join(root, "spliced.txt")).read() == CONTENT
            r.result("%s %s" % (lt, part), p.returncode == 0 and got == want and files_ok,
                     ": exit %d, files outside %s\n%s" % (
                         p.returncode, os.listdir(outside), diff_text(want, got)))
            seen[part] = (p.stdout, p.returncode)
            shutil.rmtree(d, ignore_errors=True)
    return seen


def diff_text(want, got):
    import difflib
    return "".join("      " + l for l in difflib.unified_diff(
        want.splitlines(True), got.splitlines(True), "want", "got", n=1))


def check_p1_escape(r, work):
    """Preview1: path_open through "link" with a trailing "/" or "/."."""
    src = os.path.join(NATIVE, "p1esc.c")
    wasm = os.path.join(work, "p1esc.wasm")
    if sh(["clang", "--target=wasm32-wasi", "-O2", "-o", wasm, src]).returncode:
        print("  skip p1esc.c: clang --target=wasm32-wasi failed")
        r.skipped += 1
        return
    for level in r.levels:
        d = tempfile.mkdtemp(prefix="w2p.", dir=work)
        root, outside = make_tree(d)
        p = sh([r.wrun, "--sandbox=" + level, "--dir", root + "::d", wasm])
        lines = p.stdout.decode().splitlines()
        good = p.returncode == 0 and len(lines) > 10 and \
            all(l.endswith(" refused") for l in lines) and \
            sorted(os.listdir(outside)) == ["secret.txt"]
        r.result("%s preview1 escape" % level, good,
                 ": exit %d, %r" % (p.returncode, [l for l in lines if not
                                                    l.endswith(" refused")]))
        shutil.rmtree(d, ignore_errors=True)


def transpile_all(nm, base, comps):
    """jco transpile of comps ({name: component}) into base/NAME/, in one
    node process; base's package.json makes the output ES modules."""
    os.makedirs(base, exist_ok=True)
    with open(os.path.join(base, "package.json"), "w") as f:
        f.write('{"type": "module"}\n')
    p = subprocess.run(["node", os.path.join(NATIVE, "transpile-all.mjs"), nm, base] +
                       ["%s=%s" % kv for kv in comps.items()],
                       capture_output=True, timeout=900)
    if p.returncode:
        print("  transpile: %s" % p.stderr.decode()[-600:])


def differential(r, jco, comps, work):
    """The same parts on jco transpile + node + preview2-shim."""
    nm = os.path.dirname(os.path.dirname(os.path.abspath(jco)))
    base = os.path.join(os.path.dirname(nm), "diff")
    transpile_all(nm, base, {name: c[0] for name, c in comps.items()})
    for name, (comp, parts) in comps.items():
        dst = os.path.join(base, name)
        if not os.path.exists(os.path.join(dst, name + ".js")):
            r.result("transpile %s" % name, False, "")
            continue
        for part, (wout, wcode) in parts.items():
            key = part.split()[0]
            if key in KNOWN_SHIM:
                print("  skip diff %s %s: preview2-shim: %s" % (name, part, KNOWN_SHIM[key]))
                r.skipped += 1
                continue
            preopens, cwd = {}, work
            d = tempfile.mkdtemp(prefix="w2d.", dir=work)
            args = part.split()
            if key in ("prog", "component"):
                args = args[1:] if key == "prog" else args
            if key in ("fs", "fsdir", "times", "ioerr", "prog"):
                root, _ = make_tree(d)
                preopens = {"/": root}
                if key == "prog":
                    os.makedirs(os.path.join(d, "d"))
                    preopens = {"d": os.path.join(d, "d")}
                    cwd = d
            env = dict(ENV)
            if key == "prog":
                env = {"W2_VAR": "hi"}
            cmd = ["node", os.path.join(NATIVE, "shim-run.mjs"), nm,
                   os.path.join(dst, name + ".js"), json.dumps(preopens), json.dumps(env),
                   name] + args
            if key == "ioerr":
                inp = os.open(os.path.join(preopens["/"], "dir"), os.O_RDONLY)
                try:
                    p = sh(cmd, stdin=inp, cwd=cwd)
                finally:
                    os.close(inp)
            else:
                p = sh(cmd, input=STDIN, cwd=cwd)
            ws, ss = wout.decode(errors="replace"), p.stdout.decode(errors="replace")
            if key == "poll":  # the wall clock's seconds differ between runs
                ws = "\n".join(l for l in ws.split("\n") if not l.startswith("wall-clock seconds"))
                ss = "\n".join(l for l in ss.split("\n") if not l.startswith("wall-clock seconds"))
            for (kp, prefix), why in KNOWN_SHIM_LINES.items():
                if kp != key:
                    continue
                wl = [l for l in ws.split("\n") if l.startswith(prefix)]
                sl = [l for l in ss.split("\n") if l.startswith(prefix)]
                if wl != sl:
                    print("  skip diff %s %s line %r: preview2-shim: %s (shim: %r)"
                          % (name, part, prefix, why, sl))
                    r.skipped += 1
                ws = "\n".join(l for l in ws.split("\n") if not l.startswith(prefix))
                ss = "\n".join(l for l in ss.split("\n") if not l.startswith(prefix))
            r.result("diff %s %s" % (name, part), ws == ss and p.returncode == wcode,
                     ": exit wrun %d shim %d\n%s      shim stderr %s" % (
                         wcode, p.returncode, diff_text(ws, ss),
                         p.stderr.decode(errors="replace")[-400:]))
            shutil.rmtree(d, ignore_errors=True)


def load_w2run():
    """tests/wasi2/run.py (which imports tests/wasi-testsuite/run.py as
    "run" itself, so it is loaded here under another name)."""
    import importlib.util
    if "w2run" not in sys.modules:
        spec = importlib.util.spec_from_file_location("w2run", os.path.join(HERE, "run.py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules["w2run"] = mod
        spec.loader.exec_module(mod)
    return sys.modules["w2run"]


def wrapped(jco, out):
    """The wrapped preview1 programs of tests/wasi2 for the differential:
    {name: (component, {part: (wrun's stdout, status)})} filled by
    wrapped_runs."""
    w2run = load_w2run()
    comps = {"hello": w2run.wrap(jco, "examples/hello.wasm", os.path.join(out, "hello.wasm"))}
    prog = os.path.join(out, "prog.wasm")
    if sh(["clang", "--target=wasm32-wasi", "-O2", "-o", prog,
           os.path.join(HERE, "prog.c")]).returncode == 0:
        comps["prog"] = w2run.wrap(jco, prog, os.path.join(out, "prog.component.wasm"))
    return comps


def wrapped_runs(r, comps, work):
    """wrun's stdout and status for each wrapped program (at full)."""
    out = {}
    for name, comp in comps.items():
        if name == "hello":
            p = sh([r.wrun, comp, "component"], input=STDIN)
            out[name] = (comp, {"component": (p.stdout, p.returncode)})
            continue
        parts = {}
        for code in ("0", "3"):
            d = tempfile.mkdtemp(prefix="w2w.", dir=work)
            os.makedirs(os.path.join(d, "d"))
            p = sh([r.wrun, "--env", "W2_VAR=hi", "--dir", "d", comp, "d", code],
                   input=STDIN, cwd=d)
            parts["prog d " + code] = (p.stdout, p.returncode)
            shutil.rmtree(d, ignore_errors=True)
        out[name] = (comp, parts)
    return out


def suite_diff(r, jco, suite, out, work):
    """The wrapped official preview1 tests (tests/wasi2/run.py wraps them)
    on wrun (full) and on the shim: the same stdout and exit status."""
    w2run = load_w2run()
    p1 = w2run.p1
    nm = os.path.dirname(os.path.dirname(os.path.abspath(jco)))
    base = os.path.join(os.path.dirname(nm), "diff", "suite")
    tests = {}
    for wasm in p1.find_tests(suite):
        rel = os.path.relpath(wasm, suite)
        stem = os.path.basename(wasm)[:-len(".wasm")]
        if stem in w2run.ADAPTER_FAILS:
            continue  # run.py skips them, with the reason
        name = "t_" + "".join(c if c.isalnum() else "_" for c in rel[:-5])
        tests[name] = (wasm, w2run.wrap(jco, wasm, os.path.join(out, "suite", rel)))
    transpile_all(nm, base, {n: t[1] for n, t in tests.items()})
    for name, (wasm, comp) in sorted(tests.items()):
        spec = p1.load_spec(wasm)
        if name[2:] in KNOWN_SHIM_SUITE:
            print("  skip diff suite %s: preview2-shim: %s"
                  % (name[2:], KNOWN_SHIM_SUITE[name[2:]]))
            r.skipped += 1
            continue
        got = []
        for side in ("wrun", "shim"):
            scratch, root = p1.make_scratch(work, wasm, spec, None)
            if side == "wrun":
                cmd = p1.command(r.wrun, "full", os.path.abspath(comp), spec, root, None)
            else:
                cmd = ["node", os.path.join(NATIVE, "shim-run.mjs"), nm,
                       os.path.join(base, name, name + ".js"),
                       json.dumps({"/": root} if root else {}), json.dumps(spec["env"]),
                       name] + list(spec["args"])
            try:
                q = subprocess.run(cmd, cwd=scratch, stdin=subprocess.DEVNULL,
                                   capture_output=True, timeout=TIMEOUT_S)
                got.append((q.stdout, q.returncode, q.stderr))
            except subprocess.TimeoutExpired:
                got.append((b"(timeout)", -1, b""))
            shutil.rmtree(scratch, ignore_errors=True)
        (wo, wc, _), (so, sc, se) = got
        r.result("diff suite %s" % name[2:], wo == so and wc == sc,
                 ": exit wrun %d shim %d, stdout wrun %r shim %r, shim stderr %r"
                 % (wc, sc, wo[:200], so[:200], se[-300:]))


# Tests of the official suite where the shim is wrong (run through the
# preview1 adapter), with the evidence: skipped in the suite differential.
KNOWN_SHIM_SUITE = {
    "rust_testsuite_wasm32_wasip1_fd_filestat_set":
        "set-times does not set the mtim asked for: the test reads back "
        "15032385535000000000 where it set 1796312918108757882 (\"mtim should change\")",
    "rust_testsuite_wasm32_wasip1_path_filestat":
        "set-times-at loses the nanoseconds (node's utimes takes seconds as a double): "
        "1796312918596757000 read back for 1796312918596757903",
    "rust_testsuite_wasm32_wasip1_symlink_filestat":
        "set-times-at on a symlink loses precision: 1796312919072758023 read back for "
        "1796312919072757823 (\"symlink mtim should change\")",
    # not the shim's fault: the test prints a Rust HashMap, whose order
    # follows a random seed, so two runs on any one host differ too
    "rust_testsuite_wasm32_wasip1_poll_oneoff_stdio":
        "(not a shim bug) prints a HashMap in random-seeded order: "
        "\"writable subs: {1: 1, 2: 2}\" or \"{2: 2, 1: 1}\"",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wrun")
    ap.add_argument("jco")
    ap.add_argument("--out", default="build/w2n")
    ap.add_argument("--levels", default="none,seccomp,full")
    ap.add_argument("--versions", default="0.2.0,0.2.12")
    ap.add_argument("--no-diff", action="store_true")
    ap.add_argument("--user", default="")
    ap.add_argument("--suite", default=os.environ.get("WASI_TESTSUITE",
                                                      "../shared/wasi-testsuite"))
    a = ap.parse_args()
    r = Runner(os.path.abspath(a.wrun), a.levels.split(","), a.user)
    out = os.path.abspath(a.out)
    work = tempfile.mkdtemp(prefix="wrun-w2n.")
    os.chmod(work, 0o755)
    comps = {}
    try:
        for i, ver in enumerate(a.versions.split(",")):
            try:
                comp = build(a.jco, ver, out)
            except (subprocess.CalledProcessError, RuntimeError, OSError) as e:
                # a missing tool, not a wrun failure: said, and counted
                print("  skip w2n@%s: could not build the component: %s" % (ver, e))
                r.skipped += 1
                continue
            # the first version at every level, the others at full
            if i:
                r.levels, levels = ["full"], r.levels
            seen = run_parts(r, comp, "w2n@" + ver, work)
            if i:
                r.levels = levels
            comps["w2n_" + ver.replace(".", "_")] = (comp, seen)
        check_p1_escape(r, work)
        if not a.no_diff:
            comps.update(wrapped_runs(r, wrapped(a.jco, out), work))
            differential(r, a.jco, comps, work)
            if os.path.isdir(a.suite):
                suite_diff(r, a.jco, a.suite, os.path.abspath(
                    os.path.join(out, "..", "wasi2")), work)
            else:
                print("  skip diff suite: the WASI test suite is not at %s" % a.suite)
                r.skipped += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed, %d skipped" % (r.passed, r.failed, r.skipped))
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
