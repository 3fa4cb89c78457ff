#!/usr/bin/env python3
"""Seed corpora for the link-layer fuzzers (stdlib only; run from tests/fuzz/, writes corpus/ll_*/):
records of crackle's captures (PPI, DLT 192) as they are, their air packets as DLT 251, wrapped in DLT
256 and nRF Sniffer (DLT 272 v1-v3 and legacy) headers, and frame streams for fuzz_ll_crack."""
import os
import struct

DATA = "../data/crackle"


def records(path):
    d = open(path, "rb").read()
    off, out = 24, []
    while off + 16 <= len(d):
        incl = struct.unpack("<I", d[off + 8:off + 12])[0]
        out.append(d[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


def write(name, i, b):
    os.makedirs("corpus/" + name, exist_ok=True)
    open("corpus/%s/%03d" % (name, i), "wb").write(b)


recs = records(DATA + "/crackle_01_pairing_and_ltk_exchange.pcap")
picks = [0, 5, 20] + list(range(515, 530)) + [575, 578, 582, 583, 587]
airs = []
for i in picks:
    if i < len(recs):
        r = recs[i]
        airs.append(r[struct.unpack("<H", r[2:4])[0]:])
for i, idx in enumerate(picks):
    if idx < len(recs):
        write("ll_ppi", i, recs[idx])
for i, a in enumerate(airs):
    write("ll_251", i, a)
    write("ll_256", i, bytes([37, 0xc8, 0xa6, 0, 0xd6, 0xbe, 0x89, 0x8e]) + struct.pack("<H", 0x3c33 if i % 2 else 0x0c01) + a)
    adv = a[:4] == b"\xd6\xbe\x89\x8e"
    ble = bytes([10, 0x01 | (0x02 if i % 2 else 0) | (0x0c if i % 3 == 0 else 0), 37, 55, 1, 0, 0, 0, 0, 0])
    v3 = bytes([0]) + struct.pack("<H", 10 + len(a)) + bytes([3, i, 0, 0x02 if adv else 0x06]) + ble + a
    v2 = bytes([0]) + struct.pack("<H", 10 + len(a)) + bytes([2, i, 0, 0]) + ble + a
    v1 = bytes([0, 6, 10 + len(a), 1, i, 0, 0]) + ble + a
    v0 = b"\xbe\xef" + bytes([6, i, 0, 0, 0, 9 + len(a)]) + ble[1:] + a
    for j, r in enumerate((v3, v2, v1, v0)):
        write("ll_nordic", 4 * i + j, r)
# cracker streams: <flags><len><air> ..., sniffer direction unknown (0) and known (3 / 1)
stream = b""
for i, a in enumerate(airs[3:]):
    stream += bytes([4 | (1 if i % 2 else 0), len(a)]) + a
write("ll_crack", 0, stream)
write("ll_crack", 1, b"".join(bytes([7 if i % 2 == 0 else 5, len(a)]) + a for i, a in enumerate(airs)))
