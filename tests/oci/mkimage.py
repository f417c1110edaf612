#!/usr/bin/env python3
"""Make an OCI image archive (an image layout in a tar) from a rootfs tar.

usage: mkimage.py ROOTFS.tar NAME OUT.tar

One uncompressed layer, a config with no entrypoint, a manifest and
index.json naming the image NAME for containerd (io.containerd.image.name)
and for other tools (org.opencontainers.image.ref.name), so that
`ctr images import OUT.tar` needs no registry.
"""
import hashlib
import io
import json
import sys
import tarfile


def blob(tar, data, media):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    info = tarfile.TarInfo("blobs/sha256/" + digest[7:])
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))
    return {"mediaType": media, "digest": digest, "size": len(data)}


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def main():
    rootfs, name, out = sys.argv[1:4]
    layer = open(rootfs, "rb").read()
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"Env": ["PATH=/"], "WorkingDir": "/"},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    }
    with tarfile.open(out, "w") as tar:
        for d in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(d)
            info.type = tarfile.DIRTYPE
            info.mode = 0o755
            tar.addfile(info)
        lay = blob(tar, layer, "application/vnd.oci.image.layer.v1.tar")
        cfg = blob(tar, json.dumps(config).encode(), "application/vnd.oci.image.config.v1+json")
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": cfg, "layers": [lay]}
        man = blob(tar, json.dumps(manifest).encode(), manifest["mediaType"])
        man["annotations"] = {"io.containerd.image.name": name,
                              "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]}
        man["platform"] = {"architecture": "amd64", "os": "linux"}
        add(tar, "oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}).encode())
        add(tar, "index.json", json.dumps({"schemaVersion": 2, "manifests": [man]}).encode())


if __name__ == "__main__":
    main()
