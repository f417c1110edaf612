#!/usr/bin/env python3
"""Seed inputs for fuzz_broker: one well-formed request per WASI function
(and the sandbox's own), with the paths, iovecs and buffers it points at
laid out in the memory image, in the input format fuzz_broker.c describes.

usage: broker_seeds.py WASI_FNS_H OUTDIR
"""
import os
import re
import struct
import sys

P1, P2, IOV, OUT, BUF = 0x100, 0x200, 0x300, 0x400, 0x800


def memory(paths=(b"f", b"d")):
    m = bytearray(0x900)
    m[P1:P1 + len(paths[0])] = paths[0]
    m[P2:P2 + len(paths[1])] = paths[1]
    m[IOV:IOV + 8] = struct.pack("<II", BUF, 16)
    m[BUF:BUF + 16] = b"hello, fuzzer!\n\0"
    return bytes(m)


# Arguments per function: handles 3 (the preopen), 1 (stdout) or 4 (opened).
ARGS = {
    "args_get": [OUT, BUF], "args_sizes_get": [OUT, OUT + 4],
    "environ_get": [OUT, BUF], "environ_sizes_get": [OUT, OUT + 4],
    "clock_res_get": [1, OUT], "clock_time_get": [1, 1, OUT],
    "fd_advise": [3, 0, 16, 2], "fd_allocate": [4, 0, 16], "fd_close": [4],
    "fd_datasync": [3], "fd_fdstat_get": [1, BUF], "fd_fdstat_set_flags": [1, 4],
    "fd_fdstat_set_rights": [3, 0x3fffffff, 0], "fd_filestat_get": [3, BUF],
    "fd_filestat_set_size": [1, 0], "fd_filestat_set_times": [3, 0, 0, 10],
    "fd_pread": [4, IOV, 1, 0, OUT], "fd_prestat_get": [3, OUT],
    "fd_prestat_dir_name": [3, BUF, 1], "fd_pwrite": [4, IOV, 1, 0, OUT],
    "fd_read": [0, IOV, 1, OUT], "fd_readdir": [3, BUF, 256, 0, OUT],
    "fd_renumber": [4, 9], "fd_seek": [4, 0, 0, OUT], "fd_sync": [3],
    "fd_tell": [4, OUT], "fd_write": [1, IOV, 1, OUT],
    "path_create_directory": [3, P2, 1], "path_filestat_get": [3, 1, P1, 1, BUF],
    "path_filestat_set_times": [3, 0, P1, 1, 0, 0, 10],
    "path_link": [3, 0, P1, 1, 3, P2, 1],
    "path_open": [3, 1, P1, 1, 1, 0x3fffffff, 0x3fffffff, 0, OUT],
    "path_readlink": [3, P1, 1, BUF, 64, OUT], "path_remove_directory": [3, P2, 1],
    "path_rename": [3, P1, 1, 3, P2, 1], "path_symlink": [P1, 1, 3, P2, 1],
    "path_unlink_file": [3, P1, 1], "proc_exit": [3], "proc_raise": [0],
    "sched_yield": [], "random_get": [BUF, 64], "sock_accept": [3, 0, OUT],
    "sock_recv": [1, IOV, 1, 0, OUT, OUT + 4], "sock_send": [1, IOV, 1, 0, OUT],
    "sock_shutdown": [3, 2],
    # wrun:net (WASI 0.2's sockets): refused without a grant, EBADF on
    # handles that are not its sockets
    "net_socket": [4, 0, OUT], "net_bind": [3, BUF], "net_connect": [4, BUF],
    "net_listen": [4, 0], "net_addr": [3, 1, OUT], "net_getopt": [1, 0, OUT],
    "net_setopt": [4, 5, 64], "net_recvfrom": [3, BUF, 64, OUT, OUT + 8],
    "net_sendto": [4, BUF, 64, BUF, OUT], "net_resolve": [P1, 1, BUF, 16, OUT],
    # wrun:res (WASI 0.2's streams and pollables): an input stream of the file
    "res_derive": [4, 1, OUT],
}
EXTRA = [([2 * 65536], 0), ([], 1), ([0, 0], 2)]  # resize, size, done (after WASI)


def main():
    fns = re.findall(r'WASI_X\((\w+), "(\w*)"\)', open(sys.argv[1]).read())
    os.makedirs(sys.argv[2], exist_ok=True)
    for n, (name, sig) in enumerate(fns):
        args = ARGS.get(name)
        if args is None or len(args) != len(sig) or name == "poll_oneoff":
            continue
        write(sys.argv[2], name, n, args, memory())
        if "path" in name:  # the same through a path that tries to leave
            write(sys.argv[2], name + "-out", n, args, memory((b"../x", b"d/../../y")))
    for args, k in EXTRA:
        write(sys.argv[2], "sbx%d" % k, len(fns) + k, args, memory())


def write(out, name, fn, args, mem):
    head = bytes([fn, len(args), 1]) + bytes(7)
    body = b"".join(struct.pack("<Q", a) for a in args)
    with open(os.path.join(out, name), "wb") as f:
        f.write(head + body + mem)


if __name__ == "__main__":
    main()
