#!/usr/bin/env python3
"""Make an OCI bundle for the wrun-oci tests.

usage: mkbundle.py DIR ROOTFS-TEMPLATE [JSON]

DIR/rootfs is a copy of the template; DIR/config.json is a small config
(hello.wasm, cwd /, uid 0) with JSON, an object, merged into it: objects
key by key, anything else replaced.
"""
import json
import shutil
import sys

BASE = {
    "ociVersion": "1.0.2",
    "process": {"args": ["/hello.wasm"], "env": ["PATH=/"], "cwd": "/",
                "user": {"uid": 0, "gid": 0}, "terminal": False},
    "root": {"path": "rootfs"},
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
    "annotations": {},
    "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]},
}


def merge(a, b):
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(a.get(k), dict):
            merge(a[k], v)
        else:
            a[k] = v
    return a


def main():
    out, template = sys.argv[1], sys.argv[2]
    extra = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(template, out + "/rootfs", symlinks=True)
    with open(out + "/config.json", "w") as f:
        json.dump(merge(BASE, extra), f, indent=1)


if __name__ == "__main__":
    main()
