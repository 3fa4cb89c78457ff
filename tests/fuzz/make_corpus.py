#!/usr/bin/env python3
"""Seed corpora for the reader fuzzers (stdlib only; run from tests/fuzz/, writes corpus/<name>/).

btsnoop: the seed in 2001 and 1002, format-demo, synthetic 1001 (H1), an Android file with truncated
records and a cut last record, a record length over 64 KiB followed by good records, garbage between
records. pcap: the seed as pcap DLT 201/187/254, nanosecond pcap, pcapng with one interface, two link
types, two snapshot lengths, and a crackle sniffer capture (LE link layer, DLT 192 PPI)."""
import os
import shutil
import struct
import sys

# The one btsnoop reader and epoch of the Python tools (bench/btsnoop_lib.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../bench"))
from btsnoop_lib import UNIX_TO_0AD_US as EPOCH, read_btsnoop  # noqa: E402

T0 = 1562846400000000
DATA = "../data"


def rd_btsnoop(path):
    """(flags, unix_us, data) of every record."""
    return [(flags, ts, data) for _, flags, _, ts, data in read_btsnoop(path)[1]]


def bs(dl, recs, version=1):
    out = b"btsnoop\0" + struct.pack(">II", version, dl)
    for orig, incl, flags, ts, data in recs:
        out += struct.pack(">IIIIq", orig, incl, flags, 0, ts + EPOCH) + data
    return out


def pcap(dlt, recs, nano=False):
    out = struct.pack("<IHHiIII", 0xA1B23C4D if nano else 0xA1B2C3D4, 2, 4, 0, 0, 65535, dlt)
    for ts, data in recs:
        frac = (ts % 1000000) * (1000 if nano else 1)
        out += struct.pack("<IIII", ts // 1000000, frac, len(data), len(data)) + data
    return out


def main():
    h4 = rd_btsnoop(f"{DATA}/seed-h4.btsnoop")
    d = "corpus/btsnoop"
    os.makedirs(d, exist_ok=True)
    for f in ("seed.btsnoop", "seed-h4.btsnoop", "format-demo.btsnoop"):
        shutil.copy(f"{DATA}/{f}", f"{d}/{f}")
    h1 = []
    for fl, ts, data in h4[:12]:
        if data[0] in (1, 2, 4):
            h1.append((len(data) - 1, len(data) - 1, fl, ts, data[1:]))
    open(f"{d}/h1-1001.btsnoop", "wb").write(bs(1001, h1))
    android = [(len(x) + 50, min(len(x), 6), fl, ts, x[:6]) for fl, ts, x in h4[:10]]
    blob = bs(1002, android) + struct.pack(">IIIIq", 40, 40, 3, 0, T0 + EPOCH) + b"\x04\x0e"
    open(f"{d}/android-truncated.btsnoop", "wb").write(blob)
    good = [(3, 3, 2, T0, b"\x03\x0c\x00"), (3, 3, 2, T0 + 5, b"\x01\x10\x00")]
    bad = bs(2001, good[:1]) + struct.pack(">IIIIq", 1 << 24, 1 << 24, 3, 0, T0 + 1 + EPOCH) + b"\x0e\x04"
    open(f"{d}/length-over-64k.btsnoop", "wb").write(bad + bs(2001, good)[16:])
    open(f"{d}/garbage-between.btsnoop", "wb").write(bs(1002, [(4, 4, 2, T0, b"\x01\x03\x0c\x00")])
                                                     + b"\xff\xee" * 40 + bs(1002, [(4, 4, 2, T0, b"\x01\x01\x10\x00")])[16:])
    open(f"{d}/unknown-datalink.btsnoop", "wb").write(bs(1003, [(3, 3, 0, T0, b"\xc0\x00\xc0")], version=2))

    d = "corpus/pcap"
    os.makedirs(d, exist_ok=True)
    open(f"{d}/seed-201.pcap", "wb").write(pcap(201, [(ts, struct.pack(">I", fl & 1) + x) for fl, ts, x in h4]))
    open(f"{d}/seed-187.pcap", "wb").write(pcap(187, [(ts, x) for fl, ts, x in h4[:20]]))
    mon = {1: 2, 4: 3}
    recs254 = [(ts, struct.pack(">HH", 0, mon.get(x[0], 4 + (fl & 1))) + x[1:]) for fl, ts, x in h4[:20]]
    recs254.append((T0, struct.pack(">HH", 0xFFFF, 12) + b"note\0"))
    open(f"{d}/seed-254-nano.pcap", "wb").write(pcap(254, recs254, nano=True))
    for f in ("seed-h4.pcapng", "seed-multi.pcapng", "seed-snaplen.pcapng"):
        shutil.copy(f"{DATA}/{f}", f"{d}/{f}")
    shutil.copy(f"{DATA}/crackle/crackle_02_known_ltk.pcap", f"{d}/crackle-ll-ppi.pcap")


if __name__ == "__main__":
    main()
