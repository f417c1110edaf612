#!/usr/bin/env python3
"""check.py KIND FILE.json: the --json output of wrun inspect parses and
holds what tests/inspect/run.sh expects for KIND; exit 1 saying why not."""
import json
import sys

P1 = ["files", "clocks", "random", "sockets", "process", "other"]


def hello(d):
    p1 = d["wasi_snapshot_preview1"]
    assert sorted(p1) == sorted(P1), p1
    assert p1["files"] == ["fd_close", "fd_fdstat_get", "fd_seek", "fd_write"], p1
    assert p1["process"] == ["args_get", "args_sizes_get", "proc_exit"], p1
    assert p1["clocks"] == [] and p1["sockets"] == [] and p1["random"] == [], p1


def module_hello(d):
    assert d["kind"] == "module", d["kind"]
    hello(d)
    assert d["imports"] == [], d["imports"]
    assert d["entry"] == "_start", d["entry"]
    mem = d["memories"]
    assert mem == [{"name": "memory", "imported_from": None, "initial_pages": 2,
                    "max_pages": None, "memory64": False}], mem
    assert {"name": "_start", "kind": "func"} in d["exports"], d["exports"]


def module_fib(d):
    assert d["kind"] == "module" and d["entry"] is None, d
    assert all(v == [] for v in d["wasi_snapshot_preview1"].values()), d
    assert d["exports"] == [{"name": "fib", "kind": "func"}], d["exports"]


def component(d):
    assert d["kind"] == "component", d["kind"]
    assert d["preview1_adapter"] is True, d["preview1_adapter"]
    imps = {i["interface"]: i for i in d["imports"]}
    for iface in ["wasi:cli/environment", "wasi:cli/exit", "wasi:io/streams",
                  "wasi:cli/stdout", "wasi:filesystem/types", "wasi:filesystem/preopens"]:
        assert iface in imps, (iface, sorted(imps))
        assert imps[iface]["sort"] == "instance", imps[iface]
        assert imps[iface]["name"] == iface + "@" + imps[iface]["version"], imps[iface]
    assert imps["wasi:cli/environment"]["functions"] == ["get-arguments"], imps
    streams = imps["wasi:io/streams"]
    assert sorted(streams["resources"]) == ["input-stream", "output-stream"], streams
    assert streams["resource_uses"] == ["error"], streams
    assert "[method]output-stream.write" in streams["functions"], streams
    assert "descriptor" in imps["wasi:filesystem/types"]["resources"], imps
    run = [e for e in d["exports"] if e["interface"] == "wasi:cli/run"]
    assert len(run) == 1 and run[0]["functions"] == ["run"], d["exports"]
    assert d["core_modules"] >= 2, d["core_modules"]
    hello(d)


def native(d):
    assert d["kind"] == "component" and d["preview1_adapter"] is False, d
    assert all(v == [] for v in d["wasi_snapshot_preview1"].values()), d


def odd(d):
    assert d["imports"] == [{"module": "env\"\\", "name": "x\x1b[31m\u00c3\u00a9",
                             "kind": "func"}], d["imports"]


def main():
    kind, path = sys.argv[1], sys.argv[2]
    try:
        with open(path, encoding="ascii") as f:
            text = f.read()
        d = json.loads(text)
        assert text.endswith("}\n") and text.count("\n") == 1, "one line of JSON"
        globals()[kind](d)
    except (AssertionError, ValueError, KeyError, TypeError) as e:
        print(f"{kind}: {path}: {e!r}"[:600])
        sys.exit(1)


main()
