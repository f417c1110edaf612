#!/usr/bin/env python3
"""The engine's end of --console-socket: receive the terminal's master.

usage: console.py SOCKET OUT-FILE

Listens on SOCKET, takes one descriptor sent with SCM_RIGHTS, and copies
what the container writes to its terminal into OUT-FILE until it closes.
"""
import os
import socket
import sys


def main():
    path, out = sys.argv[1], sys.argv[2]
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    print("listening", flush=True)
    conn, _ = srv.accept()
    _, fds, _, _ = socket.recv_fds(conn, 1024, 1)
    conn.close()
    with open(out, "wb") as f:
        while True:
            try:
                data = os.read(fds[0], 4096)
            except OSError:  # EIO: the last slave descriptor closed
                break
            if not data:
                break
            f.write(data)
            f.flush()


if __name__ == "__main__":
    main()
