#!/usr/bin/env python3
"""Write the pcapng test captures from seed-h4.btsnoop (stdlib only; run from tests/data/):

  seed-h4.pcapng     one interface, DLT 201 (H4 with direction), the seed's 41 HCI packets
  seed-snaplen.pcapng two DLT 201 interfaces with different snapshot lengths, packets alternating
  seed-multi.pcapng  two interfaces of different link types: DLT 201 and DLT 187 (H4, no direction)

pcapng layout: IETF draft-ietf-opsawg-pcapng (SHB 0x0A0D0D0A, IDB 1, EPB 6), little-endian here.
"""
import os
import struct
import sys

# The one btsnoop reader and epoch of the Python tools (bench/btsnoop_lib.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../bench"))
import btsnoop_lib  # noqa: E402


def read_btsnoop(path):
    """(flags, unix_us, data) of every record."""
    return [(flags, ts, data) for _, flags, _, ts, data in btsnoop_lib.read_btsnoop(path)[1]]


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = len(body) + 12
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def shb():
    return block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def idb(dlt, snaplen):
    return block(1, struct.pack("<HHI", dlt, 0, snaplen))


def epb(ifc, ts_us, data):
    return block(6, struct.pack("<IIIII", ifc, ts_us >> 32, ts_us & 0xFFFFFFFF, len(data), len(data)) + data)


def main():
    pk = read_btsnoop("seed-h4.btsnoop")
    phdr = lambda fl, d: struct.pack(">I", fl & 1) + d
    one = shb() + idb(201, 65535) + b"".join(epb(0, ts, phdr(fl, d)) for fl, ts, d in pk)
    open("seed-h4.pcapng", "wb").write(one)
    snap = shb() + idb(201, 65535) + idb(201, 1024)
    snap += b"".join(epb(i % 2, ts, phdr(fl, d)) for i, (fl, ts, d) in enumerate(pk))
    open("seed-snaplen.pcapng", "wb").write(snap)
    multi = shb() + idb(201, 65535) + idb(187, 65535)
    multi += b"".join(epb(i % 2, ts, phdr(fl, d) if i % 2 == 0 else d) for i, (fl, ts, d) in enumerate(pk))
    open("seed-multi.pcapng", "wb").write(multi)


if __name__ == "__main__":
    main()
