"""The byte encoding shared by build_world.py and build_places.py.

"varint" = unsigned LEB128; "zz" = zigzag varint; "str" = varint byte length + UTF-8. A file
is a magic word, a version byte, a u32 section count, then per section its tag, offset (from
the file's start) and length (u32, little-endian), then the sections' bytes in that order.
Python 3 standard library only.
"""

import argparse
import os
import struct


def varint(n):
    if n < 0:
        raise ValueError(f"varint of negative {n}")
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zz(n):
    return varint((n << 1) if n >= 0 else ((-n << 1) - 1))


def string(s):
    b = s.encode("utf-8")
    return varint(len(b)) + b


def container(magic, version, sections):
    """The whole file: `magic` + version, the section table, then each section's bytes.

    `sections` is a list of (tag, data): a 4-byte tag and the section's bytes.
    """
    head = len(magic) + 1 + 4 + 12 * len(sections)
    out = bytearray(magic + bytes([version]) + struct.pack("<I", len(sections)))
    offset = head
    for tag, data in sections:
        out += tag + struct.pack("<II", offset, len(data))
        offset += len(data)
    for _, data in sections:
        out += data
    return out


def arguments(doc, inputs):
    """The command line of a builder: each (option, default) of `inputs`, then --out (the
    folder written to, assets/world by default). `doc` is the builder's docstring."""
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    for option, default in inputs:
        ap.add_argument(option, default=default)
    ap.add_argument("--out", default=os.path.join(here, "..", "world"))
    return ap.parse_args()
