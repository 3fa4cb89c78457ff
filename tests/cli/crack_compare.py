#!/usr/bin/env python3
"""Compare LL PDU payloads of two pcap files record by record (DLT 192 PPI, 256, 251, 272):
for every record where the reference (crackle's -o output) differs from the original capture,
ours must carry the same header length and payload. Prints: "<changed-in-ref> <equal> <ours-changed>"."""
import struct, sys

def records(path):
    d = open(path, 'rb').read()
    magic = d[:4]
    le = magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1')
    e = '<' if le else '>'
    dlt = struct.unpack(e + 'I', d[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(d):
        _, _, incl, _ = struct.unpack(e + 'IIII', d[off:off + 16])
        out.append(d[off + 16:off + 16 + incl])
        off += 16 + incl
    return dlt, out

def pdu(dlt, r):
    if dlt == 192:
        r = r[struct.unpack('<H', r[2:4])[0]:]
    elif dlt == 256:
        r = r[10:]
    elif dlt == 272:
        r = r[17:]
    if len(r) < 6:
        return None
    return r[4], r[6:6 + r[5]]

orig_dlt, orig = records(sys.argv[1])
ref_dlt, ref = records(sys.argv[2])
our_dlt, ours = records(sys.argv[3])
assert len(orig) == len(ref) == len(ours), (len(orig), len(ref), len(ours))
changed = equal = ours_changed = 0
bad = []
for i, (o, r, u) in enumerate(zip(orig, ref, ours)):
    if u != o:
        ours_changed += 1
    if r == o:
        continue
    changed += 1
    pr, pu = pdu(ref_dlt, r), pdu(our_dlt, u)
    # crackle keeps the encrypted header octet; compare LLID and payload
    if pr and pu and (pr[0] & 3) == (pu[0] & 3) and pr[1] == pu[1]:
        equal += 1
    else:
        bad.append(i + 1)
print(changed, equal, ours_changed, ' '.join(map(str, bad[:10])))
