#!/usr/bin/env python3
"""wasmtime's option groups in wrun: -S inherit-env, -W fuel=N,
-W max-memory-size=N, -W timeout=T, --argv0, and the refusal of keys wrun
does not honour.

usage: groups.py WRUN JCO [--out DIR] [--levels none,seccomp,full]

tests/cli/opts.c is built as a preview1 module and wrapped into a
component (jco new --wasi-command); every case runs on both at every level
and checks an effect the option has: the variables the guest sees (the
expected ones computed here from the environment the test passes), the
exit status and message of fuel running out and of a timeout, an
allocation failing under the memory limit and succeeding without it, the
guest's argv[0]; bad values and unknown keys are refused with exit status
2, the key named.  Ends with `N passed, N failed, N skipped`.
"""
import argparse
import os
import subprocess
import sys

TIMEOUT_S = 60


def build(jco, out):
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    mod, comp = os.path.join(out, "opts.wasm"), os.path.join(out, "opts.component.wasm")
    subprocess.run(["clang", "--target=wasm32-wasi", "-O2", "-o", mod,
                    os.path.join(here, "opts.c"),
                    os.path.join(here, "..", "wasi2", "cabi_realloc.c")], check=True)
    subprocess.run([jco, "new", mod, "--wasi-command", "-o", comp], check=True,
                   capture_output=True)
    return {"module": mod, "component": comp}


def env_cases():
    """(flags, guest args, extra host env, expected stdout) for the environment."""
    host = dict(os.environ, GRP_A="alpha", GRP_B="from host")
    names = ["GRP_A", "GRP_B", "GRP_C"]
    # -S inherit-env: every host variable, and --env GRP_B=... replaces the
    # host's GRP_B; GRP_C comes from --env only.
    inherited = dict(host)
    inherited.update(GRP_B="given", GRP_C="c")
    want_inherit = "".join("%s=%s\n" % (n, inherited[n]) for n in names) + \
        "%d variables\n" % len(inherited)
    want_plain = "GRP_A unset\nGRP_B=given\nGRP_C=c\n2 variables\n"
    flags = ["--env", "GRP_B=given", "--env", "GRP_C=c"]
    return host, [
        (["-S", "inherit-env"] + flags, ["env"] + names, want_inherit),
        (["-Sinherit-env=y"] + flags, ["env"] + names, want_inherit),
        (["--wasi", "inherit-env=true"] + flags, ["env"] + names, want_inherit),
        (flags, ["env"] + names, want_plain),
        (["-S", "inherit-env=n"] + flags, ["env"] + names, want_plain),
    ]


# (flags, guest args, exit status, text stdout must equal or None,
#  text stderr must contain)
LIMIT_CASES = [
    (["-W", "fuel=100000"], ["spin"], 137, "", "fuel exhausted"),
    (["-W", "fuel=0x186a0"], ["spin"], 137, "", "--fuel 100000"),
    (["-W", "fuel=100000000"], ["argv0"], 0, None, ""),
    (["-W", "timeout=300ms"], ["spin"], 124, "", "timeout of 300 ms"),
    (["-W", "timeout=1"], ["spin"], 124, "", "timeout of 1000 ms"),
    (["-W", "timeout=1s 200ms"], ["spin"], 124, "", "timeout of 1200 ms"),
    (["-W", "timeout=1000000,fuel=200000"], ["spin"], 137, "", "fuel exhausted"),
    (["-W", "max-memory-size=16777216"], ["grow", "33554432"], 0, "grow failed\n", ""),
    (["--wasm", "max-memory-size=67108864"], ["grow", "33554432"], 0, "grow ok\n", ""),
    ([], ["grow", "33554432"], 0, "grow ok\n", ""),
    (["--argv0", "given-name"], ["argv0"], 0, "argv0 given-name\n", ""),
    (["-W", "frobnicate"], ["argv0"], 2, "", "-W frobnicate: not supported by wrun"),
    (["-S", "nn"], ["argv0"], 2, "", "-S nn: not supported by wrun"),
    (["-W", "fuel=10,threads=y"], ["argv0"], 2, "", "-W threads: not supported by wrun"),
    (["-S", "inherit-env,http"], ["argv0"], 2, "", "-S http: not supported by wrun"),
    (["-W", "fuel=ten"], ["argv0"], 2, "", "-W fuel=ten: bad value"),
    (["-W", "fuel"], ["argv0"], 2, "", "-W fuel: bad value"),
    (["-W", "fuel=0"], ["argv0"], 2, "", "-W fuel=0: wrun needs"),
    (["-W", "timeout=5fortnights"], ["argv0"], 2, "", "-W timeout=5fortnights: bad value"),
    (["-W", "timeout=0ms"], ["argv0"], 2, "", "-W timeout=0ms: wrun needs"),
    (["-W", "max-memory-size=0"], ["argv0"], 2, "", "-W max-memory-size=0: wrun needs"),
    (["-S", "inherit-env=maybe"], ["argv0"], 2, "", "-S inherit-env=maybe: bad value"),
    (["-W", "fuel=1,,timeout=1"], ["argv0"], 2, "", "-W: empty option"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wrun")
    ap.add_argument("jco")
    ap.add_argument("--out", default="build/cli")
    ap.add_argument("--levels", default="none,seccomp,full")
    a = ap.parse_args()
    wrun = os.path.abspath(a.wrun)
    files = build(a.jco, a.out)
    host, ecases = env_cases()
    passed = failed = 0

    def check(what, got, ok):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("  FAIL %s: exit %d, stdout %r, stderr %r"
                  % (what, got.returncode, got.stdout[:300], got.stderr[:300]))

    for level in a.levels.split(","):
        for kind, f in files.items():
            for flags, args, want in ecases:
                p = subprocess.run([wrun, "--sandbox=" + level] + flags + [f] + args,
                                   env=host, capture_output=True, text=True,
                                   timeout=TIMEOUT_S)
                check("%s %s %s" % (level, kind, " ".join(flags)), p,
                      p.returncode == 0 and p.stdout == want)
            for flags, args, code, out, err in LIMIT_CASES:
                p = subprocess.run([wrun, "--sandbox=" + level] + flags + [f] + args,
                                   capture_output=True, text=True, timeout=TIMEOUT_S)
                if args == ["argv0"] and code == 0 and out is None:
                    out = "argv0 %s\n" % f
                check("%s %s %s %s" % (level, kind, " ".join(flags), " ".join(args)), p,
                      p.returncode == code and (out is None or p.stdout == out)
                      and err in p.stderr)
    print("%d passed, %d failed, 0 skipped" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
