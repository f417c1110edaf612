#!/usr/bin/env python3
"""audit_check.py: read a wrun --audit log back whole and check it.

    audit_check.py LOG [options]

Always: the file is valid UTF-8; every line is one complete JSON object
(json.loads, which refuses a cut line); every record has "time", "event"
and a boolean "denied"; the records form runs of one "start", any number
of "call" and one "end".  The options check the last run (or the run
count).  Exits 0 when everything holds, else prints what failed and
exits 1.
"""
import argparse
import json
import re
import sys

# What tests/sandbox/guests/audit.c passes to path_open in its "paths" mode.
CTL = b"../" + bytes(1 + i % 31 for i in range(240))
BAD = (b"bad\xff\xfe-\xc3(-\xed\xa0\x80-\xf4\x90\x80\x80-\xc0\xaf-\xe2\x82")
ODD = b'q"b\\s\x7f\xc2\x85\xe2\x80\xa8\x00tail\n'
PATHS = {"ctl": CTL, "bad": BAD, "odd": ODD, "long": b"a" * 5000}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def path_bytes(rec, key="path"):
    """The documented reversal: KEY_hex when present, else KEY as UTF-8."""
    if key + "_hex" in rec:
        return bytes.fromhex(rec[key + "_hex"])
    return rec[key].encode("utf-8")


def load(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")          # strict: raises on invalid UTF-8
    check(text.endswith("\n"), "the log does not end with a newline")
    for sep in ("\u2028", "\u2029", "\x85"):
        check(sep not in text, f"raw {sep!r} in the log: readers may split the line there")
    recs = []
    for n, line in enumerate(text[:-1].split("\n"), 1):
        rec = json.loads(line)          # raises on a cut or invalid line
        check(isinstance(rec, dict), f"line {n} is not an object")
        check(isinstance(rec.get("denied"), bool), f"line {n} has no boolean denied")
        check(isinstance(rec.get("time"), float), f"line {n} has no time")
        check(rec.get("event") in ("start", "call", "end"), f"line {n}: event")
        rec["_len"] = len(line.encode("utf-8"))
        recs.append(rec)
    return recs


def runs_of(recs):
    """Split into start..end runs, checking the order."""
    runs, cur = [], None
    for i, r in enumerate(recs):
        ev = r["event"]
        if ev == "start":
            check(cur is None, f"record {i}: start inside a run")
            cur = [r]
        elif cur is None:
            check(False, f"record {i}: {ev} outside a run")
        else:
            cur.append(r)
            if ev == "end":
                runs.append(cur)
                cur = None
    check(cur is None, "the last run has no end record")
    return runs


def witx_names(path):
    text = open(path).read()
    body = re.search(r"\(typename \$errno\s+\(enum \(@witx tag u16\)(.*?)\)\s*\)",
                     text, re.S).group(1)
    return ["E" + n.upper() for n in re.findall(r"^\s*\$(\w+)", body, re.M)]


def check_start(s, a):
    if a.module:
        check(s.get("module") == a.module, f"module {s.get('module')!r}")
    if a.sha256:
        check(s.get("sha256") == a.sha256, f"sha256 {s.get('sha256')} != {a.sha256}")
    if a.level:
        check(s.get("level") == a.level, f"level {s.get('level')}")
    if a.dirs is not None:
        want = [dict(zip(("host", "guest"), d.split("::"))) for d in a.dirs.split(",") if d]
        check(s.get("dirs") == want, f"dirs {s.get('dirs')} != {want}")
    if a.env is not None:
        want = [n for n in a.env.split(",") if n]
        check([e.get("name") for e in s.get("env", [])] == want, f"env {s.get('env')}")
    if a.listen is not None:
        want = [x for x in a.listen.split(",") if x]
        check([x.get("addr") for x in s.get("tcplisten", [])] == want,
              f"tcplisten {s.get('tcplisten')}")
    lim = s.get("limits", {})
    check(set(lim) == {"max_memory", "timeout_ms", "fuel", "max_open", "max_output"},
          f"limits {lim}")
    if a.fuel is not None:              # 0: no limit, written as null
        check(lim.get("fuel") == (a.fuel or None), f"limits.fuel {lim.get('fuel')}")


def check_end(e, a):
    if a.outcome:
        check(e.get("outcome") == a.outcome, f"outcome {e.get('outcome')} != {a.outcome}")
    if a.exit_code is not None:
        check(e.get("exit_code") == a.exit_code, f"exit_code {e.get('exit_code')}")
    if a.limit:
        check(e.get("limit") == a.limit, f"limit {e.get('limit')} != {a.limit}")
    if a.message:
        check(a.message in e.get("message", ""), f"message {e.get('message')!r}")
    if a.signal is not None:
        check(e.get("signal") == a.signal, f"signal {e.get('signal')}")
    check(e["denied"] == (e.get("outcome") == "violation"), "end: denied")


def check_paths(run, out, names):
    """The records of audit.c's "paths" mode against what the guest printed."""
    got = dict(line.split() for line in open(out) if line.strip())
    opens = [r for r in run if r.get("fn") == "path_open"]
    check(any(r.get("path") == "café" and r["errno"] == "ESUCCESS" for r in opens),
          "café not recorded as UTF-8")
    raw = [r for r in opens if r.get("path") != "café"]
    order = ["ctl", "bad", "odd", "long", "outside"]
    if not check(len(raw) == len(order), f"{len(raw)} raw path_open records"):
        return
    for name, r in zip(order, raw):
        if names:
            check(r["errno"] == names[int(got[name])], f"{name}: errno {r['errno']} "
                  f"!= {names[int(got[name])]} (guest saw {got[name]})")
        check(re.fullmatch(r"E[0-9A-Z]+", r["errno"]) is not None, f"{name}: errno")
    ctl, bad, odd, long_, outside = raw
    check(ctl["_len"] > 1024 and ctl["denied"] is True and ctl["errno"] == "ENOTCAPABLE",
          f"ctl: {ctl['_len']} bytes, denied {ctl['denied']}")
    check(path_bytes(ctl) == CTL and "path_hex" not in ctl, "ctl: path not exact")
    check(path_bytes(bad) == BAD, "bad: the reversal does not give the bytes back")
    check("path_hex" in bad and "\ufffd" in bad["path"], "bad: no path_hex / U+FFFD")
    check(odd.get("path") == ODD.decode("utf-8") and "path_hex" not in odd,
          f"odd: {odd.get('path')!r}")
    check(long_.get("path_len") == 5000 and path_bytes(long_) == b"a" * 4096,
          "long: not cut at 4096 with path_len 5000")
    check(outside.get("path", 0) is None and outside.get("path_len") == 64,
          "outside: path not null")
    denials = [r for r in run if r["denied"]]
    check(denials == [ctl], f"denials other than ctl: {[r.get('fn') for r in denials]}")


def check_prestat(run):
    ends = [r for r in run if r.get("fn") == "fd_prestat_get" and r.get("errno") == "EBADF"]
    check(len(ends) >= 1, "no fd_prestat_get answered EBADF (end of the preopens)")
    check(all(not r["denied"] for r in ends), "end of the preopens flagged as denied")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("--runs", type=int)
    p.add_argument("--module")
    p.add_argument("--sha256")
    p.add_argument("--level")
    p.add_argument("--dirs")
    p.add_argument("--env")
    p.add_argument("--listen")
    p.add_argument("--fuel", type=int)
    p.add_argument("--outcome")
    p.add_argument("--exit-code", type=int)
    p.add_argument("--limit")
    p.add_argument("--message")
    p.add_argument("--signal", type=int)
    p.add_argument("--paths", metavar="GUEST_OUT")
    p.add_argument("--prestat", action="store_true")
    p.add_argument("--no-denials", action="store_true")
    p.add_argument("--absent", action="append", default=[])
    p.add_argument("--witx")
    a = p.parse_args()
    try:
        recs = load(a.log)
    except (ValueError, UnicodeDecodeError) as e:
        print(f"audit_check: {a.log}: {e}")
        return 1
    runs = runs_of(recs)
    if a.runs is not None:
        check(len(runs) == a.runs, f"{len(runs)} runs, want {a.runs}")
    if runs:
        run = runs[-1]
        check_start(run[0], a)
        check_end(run[-1], a)
        if a.paths:
            check_paths(run, a.paths, witx_names(a.witx) if a.witx else None)
        if a.prestat:
            check_prestat(run)
        if a.no_denials:
            check(not any(r["denied"] for r in run), "a denial in a run without one")
    text = open(a.log, encoding="utf-8").read()
    for s in a.absent:
        check(s not in text, f"{s!r} appears in the log")
    for f in failures:
        print(f"audit_check: {a.log}: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
