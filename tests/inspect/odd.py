#!/usr/bin/env python3
"""odd.py OUT: write a core module whose import names hold a quote, a
backslash, an escape sequence and a non-ASCII byte, for wrun inspect's
escaping (tests/inspect/run.sh)."""
import sys


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7f
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def name(s):
    return leb(len(s)) + s


def section(sid, body):
    return bytes([sid]) + leb(len(body)) + body


types = section(1, leb(1) + b"\x60\x00\x00")
imp = name(b"env\"\\") + name(b"x\x1b[31m\xc3\xa9") + b"\x00" + leb(0)
imports = section(2, leb(1) + imp)
with open(sys.argv[1], "wb") as f:
    f.write(b"\0asm\1\0\0\0" + types + imports)
