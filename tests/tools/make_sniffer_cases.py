#!/usr/bin/env python3
"""Write realistic synthetic sniffer captures for `pairscope crack` and `pairscope doctor`
(tests/data/sniffer/, checked by tests/cli/sniffer_cases.sh). Stdlib only: every cryptographic value
(c1, s1, session key, AES-CCM) comes from `pairscope crypto` (the project's crypto module), never
from code here. Usage: make_sniffer_cases.py PAIRSCOPE OUTDIR

The link layer is simulated per Core Vol 6 Part B: CONNECT_IND (§2.3.3.1), connection events on
hopping data channels (§4.5.1, §4.5.8.2 channel selection #1), SN/NESN acknowledgement and
retransmission (§4.5.9), the encryption start LL_ENC_REQ / LL_ENC_RSP / LL_START_ENC_REQ /
LL_START_ENC_RSP (§5.1.3.1) with per-direction packet counters (Vol 6 Part E §2), CRC (§3.1.1).
SMP is legacy Passkey Entry (Vol 3 Part H §2.3.5.5) with key distribution (§3.6). The sniffer is
a separate listener that may miss PDUs or receive them damaged; the two devices may also miss a
PDU, which the sender then retransmits.

Cases:
  ubertooth_two_if.pcapng  pcapng with two interfaces: DLT 256 (snaplen 65535) and DLT 192 PPI with
                           user DLT 147 (snaplen 96), packets on both; no direction, no CRC flags,
                           host timestamps out of order, the peripheral's confirm damaged (bad CRC)
  nrf_partly_decrypted.pcap DLT 272 protocol v3: the sniffer decrypted the first half of the
                           encrypted PDUs (encrypted + MIC OK: plaintext followed by the MIC), missed
                           one, and left the rest encrypted (MIC failed)
  lost_pairing_rsp.pcap    DLT 256: the Pairing Response was missed (TK by the decryption search)
  lost_start_enc.pcap      DLT 256: LL_START_ENC_REQ was missed
  lost_confirms.pcap       DLT 256: both Pairing Confirms missed, passkey 999999 (worst case)
  lost_srand.pcap          DLT 256: the peripheral's Pairing Random was missed: the passkey follows
                           from the central's confirm, but the STK needs Srand: not crackable (exit 1)
  wrong_passkey.pcap       DLT 256: a real fault for contrast: the peripheral's user typed the wrong
                           passkey, the central sends Pairing Failed (Confirm Value Failed)
  lossy.pcap               DLT 272: the devices lose PDUs (retransmissions, plain and encrypted), the
                           sniffer misses PDUs (counters skip) and receives one damaged (bad CRC)
"""
import json
import os
import struct
import subprocess
import sys

PS = None
ADV_AA = 0x8E89BED6
AA = 0x71764129
CRCINIT = 0x1D5A37
IA = bytes.fromhex("112233445566")  # central, public (wire order)
RA = bytes.fromhex("a1b2c3d4e5c6")  # peripheral, random static (wire order)


def crypto(fn, **kw):
    """One `pairscope crypto FN --lsb` call (all values in wire order); the JSON result."""
    args = [PS, "crypto", fn, "--lsb", "--json"]
    for k, v in kw.items():
        args += ["--" + k.replace("_", "-"), v.hex() if isinstance(v, (bytes, bytearray)) else str(v)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def crc24(init, data):
    """Vol 6 Part B §3.1.1 in reflected form: the value as its octets appear on air, LSO first."""
    s = 0
    for i in range(24):
        s |= ((init >> i) & 1) << (23 - i)
    for b in data:
        for _ in range(8):
            fb = (s ^ b) & 1
            s >>= 1
            if fb:
                s ^= 0xDA6000
            b >>= 1
    return s


def rnd(seed, n):
    """Deterministic octets (not cryptographic: test data only)."""
    out, x = bytearray(), seed * 2654435761 & 0xFFFFFFFF
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append((x >> 16) & 0xFF)
    return bytes(out)


class Air:
    """One air packet: access address, header octet, payload as transmitted, channel, time, sender."""

    def __init__(self, aa, hdr0, payload, chan, ts, central, crcinit, plain=None):
        self.aa, self.hdr0, self.payload, self.chan, self.ts = aa, hdr0, payload, chan, ts
        self.central = central
        self.plain = plain  # plaintext + MIC when encrypted (what a decrypting sniffer shows)
        self.crc = crc24(crcinit, bytes([hdr0, len(payload)]) + payload)
        self.damaged = False

    def bytes(self):
        pl = bytearray(self.payload)
        if self.damaged:
            pl[len(pl) // 2] ^= 0x40  # a bit flipped on the way to the sniffer: the CRC no longer fits
        return struct.pack("<IBB", self.aa, self.hdr0, len(pl)) + bytes(pl) + self.crc.to_bytes(3, "little")


class Link:
    """Legacy Passkey pairing and encrypted traffic over a simulated connection."""

    def __init__(self, passkey, seed, typed=None):
        self.passkey = passkey
        self.typed = passkey if typed is None else typed  # what the peripheral's user typed
        self.seed = seed
        self.air = []
        self.t = 1_700_000_000_000_000 + seed * 1000
        self.chan = 0
        self.hop = 7
        self.sn = [0, 0]    # [peripheral, central]
        self.nesn = [0, 0]
        self.ctr = [0, 0]
        self.enc_tx = [False, False]
        self.sk = self.iv = None
        self.script = []    # (central?, llid, payload, kind)
        self.peer_drop = set()  # (event, central?) the receiving device misses
        self.pending = [None, None]  # unacknowledged PDU per side: (hdr bits, llid, payload as sent, plain)

    # --- the conversation ---
    def smp(self, central, pdu, kind=None):
        self.script.append((central, 2, struct.pack("<HH", len(pdu), 6) + pdu, kind))

    def ctrl(self, central, pdu, kind=None):
        self.script.append((central, 3, pdu, kind))

    def att(self, central, pdu, kind=None):
        self.script.append((central, 2, struct.pack("<HH", len(pdu), 4) + pdu, kind))

    def build(self):
        tk = self.passkey.to_bytes(4, "little") + bytes(12)
        # KeyboardDisplay central, KeyboardOnly peripheral, Bonding + MITM: Passkey Entry (Table 2.8);
        # both distribute EncKey and IdKey.
        self.preq = bytes([0x01, 0x04, 0x00, 0x05, 0x10, 0x03, 0x03])
        self.pres = bytes([0x02, 0x02, 0x00, 0x05, 0x10, 0x00, 0x03])  # only the peripheral distributes
        mrand, srand = rnd(100 * self.seed, 16), rnd(100 * self.seed + 1, 16)
        c1 = dict(k=tk, preq=self.preq, pres=self.pres, iat=0, rat=1, ia=IA, ra=RA)
        mconf = bytes.fromhex(crypto("c1", r=mrand, **c1)["c1"])
        sconf = bytes.fromhex(crypto("c1", r=srand, **dict(c1, k=self.typed.to_bytes(4, "little") + bytes(12)))["c1"])
        self.stk = bytes.fromhex(crypto("s1", k=tk, r1=srand, r2=mrand)["s1"])
        self.ltk, self.ediv, self.rand = rnd(100 * self.seed + 2, 16), rnd(100 * self.seed + 3, 2), rnd(100 * self.seed + 4, 8)
        self.irk = rnd(100 * self.seed + 5, 16)
        skdm, ivm, skds, ivs = rnd(100 * self.seed + 6, 8), rnd(100 * self.seed + 7, 4), rnd(100 * self.seed + 8, 8), rnd(100 * self.seed + 9, 4)
        self.skdm, self.skds, self.ivm, self.ivs = skdm, skds, ivm, ivs
        self.ctrl(True, bytes([0x0C, 0x0A]) + struct.pack("<HH", 0x000F, 0x0123))  # LL_VERSION_IND
        self.ctrl(False, bytes([0x0C, 0x0A]) + struct.pack("<HH", 0x0059, 0x0210))
        self.att(True, bytes([0x02, 0x00, 0x02]))    # ATT Exchange MTU 512
        self.att(False, bytes([0x03, 0x17, 0x00]))   # MTU 23
        self.smp(True, self.preq, "preq")
        self.smp(False, self.pres, "pres")
        self.smp(True, b"\x03" + mconf, "mconf")
        self.smp(False, b"\x03" + sconf, "sconf")
        self.smp(True, b"\x04" + mrand, "mrand")
        self.smp(False, b"\x04" + srand, "srand")
        if self.typed != self.passkey:
            # §2.3.5.5, §3.5.5: the central's check of Sconfirm fails: Pairing Failed, Confirm Value Failed
            self.smp(True, b"\x05\x04", "failed")
            self.ctrl(True, b"\x02\x05", "terminate")  # LL_TERMINATE_IND, Authentication Failure
            return
        self.ctrl(True, b"\x03" + bytes(8) + bytes(2) + skdm + ivm, "enc_req")  # Rand 0, EDIV 0: STK
        self.ctrl(False, b"\x04" + skds + ivs, "enc_rsp")
        self.ctrl(False, b"\x05", "start_enc_req")
        self.ctrl(True, b"\x06", "start_enc_rsp_c")
        self.ctrl(False, b"\x06", "start_enc_rsp_p")
        self.smp(False, b"\x06" + self.ltk, "dist")               # Encryption Information
        self.smp(False, b"\x07" + self.ediv + self.rand, "dist")  # Central Identification
        self.smp(False, b"\x08" + self.irk, "dist")               # Identity Information
        self.smp(False, b"\x09\x01" + RA, "dist")                 # Identity Address Information
        for i in range(6):  # ATT Read Request / Response under encryption
            self.att(True, bytes([0x0A, 0x03 + i, 0x00]), "att")
            self.att(False, bytes([0x0B]) + rnd(100 * self.seed + 20 + i, 5 + 3 * i), "att")
        self.ctrl(True, b"\x02\x13", "terminate")  # LL_TERMINATE_IND, remote user terminated

    def send_pdu(self, central, llid, payload, kind):
        side = 1 if central else 0
        plain = None
        if self.enc_tx[side] and payload:
            hdr0 = llid | (self.nesn[side] << 2) | (self.sn[side] << 3)
            r = crypto("ccm-encrypt", sk=self.sk, iv=self.iv, counter=self.ctr[side],
                       dir="central" if central else "peripheral", hdr=bytes([hdr0]), payload=payload)
            mic = bytes.fromhex(r["mic"])
            plain = payload + mic
            payload = bytes.fromhex(r["ciphertext"]) + mic
            self.ctr[side] += 1
        return (llid, payload, plain, kind)

    def run(self):
        self.build()
        self.air.append(Air(ADV_AA, 0x40, RA + bytes([2, 1, 6]), 37, self.t, None, 0x555555))
        ci = IA + RA + struct.pack("<I", AA) + CRCINIT.to_bytes(3, "little") + bytes([2]) + struct.pack(
            "<HHHH", 3, 24, 0, 400) + bytes([0xFF, 0xFF, 0xFF, 0xFF, 0x1F]) + bytes([self.hop | (1 << 5)])
        self.t += 300
        self.air.append(Air(ADV_AA, 0x05 | 0x80, ci, 37, self.t, None, 0x555555))  # TxAdd 0, RxAdd 1
        self.t += 1250 * 3 + 1250
        step, ev = 0, 0
        while step < len(self.script) or any(self.pending):
            self.chan = (self.chan + self.hop) % 37  # §4.5.8.2: unmapped channel = (last + hop) mod 37
            t = self.t
            for central in (True, False):
                side = 1 if central else 0
                other = 1 - side
                if (self.pending[side] is None and self.pending[other] is None and step < len(self.script)
                        and self.script[step][0] == central):
                    c, llid, payload, kind = self.script[step]
                    self.pending[side] = self.send_pdu(central, llid, payload, kind) + (self.sn[side],)
                    step += 1
                    if kind == "start_enc_req":
                        self.enc_tx[0] = True  # §5.1.3.1: the peripheral sends encrypted from here
                    if kind == "enc_rsp":
                        self.sk = bytes.fromhex(crypto("session-key", ltk=self.stk, skdm=self.skdm,
                                                       skds=self.skds)["sk"])
                        self.iv = self.ivm + self.ivs
                if self.pending[side]:
                    llid, payload, plain, kind, sn = self.pending[side]
                else:
                    llid, payload, plain, kind, sn = 1, b"", None, "empty", self.sn[side]
                hdr0 = llid | (self.nesn[side] << 2) | (sn << 3)
                a = Air(AA, hdr0, payload, self.chan, t, central, CRCINIT, plain)
                a.kind, a.event = kind, ev
                self.air.append(a)
                t += (10 + len(payload)) * 8 + 150
                if (ev, central) in self.peer_drop:
                    continue  # the peer missed it: no acknowledgement, the sender retransmits
                # §4.5.9: SN equal to the receiver's NESN is new data; NESN different from the
                # receiver's SN acknowledges the receiver's last PDU.
                if sn == self.nesn[other]:
                    self.nesn[other] ^= 1
                    if kind == "start_enc_req":
                        self.enc_tx[1] = True  # the central answers encrypted (LL_START_ENC_RSP)
                if ((hdr0 >> 2) & 1) != self.sn[other]:
                    self.sn[other] ^= 1
                    self.pending[other] = None
                if kind == "terminate":
                    step = len(self.script)
                    self.pending = [None, None]
                    break
            ev += 1
            self.t += 30_000  # connection interval 30 ms
            if ev > 400:
                raise SystemExit("simulation did not converge")
        return self


# --- file formats ---

def pcap(dlt, recs):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, dlt)
    for ts, data in recs:
        out += struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(data), len(data)) + data
    return out


def rf_channel(idx):
    """§1.4.1: channel index to RF channel."""
    return {37: 0, 38: 12, 39: 39}.get(idx, idx + 1 if idx < 11 else idx + 2)


def dlt256(a, crc_flags=True):
    fl = 0x0001 | 0x0002 | 0x0010  # dewhitened, signal valid, reference AA valid
    if crc_flags:
        fl |= 0x0400 | (0 if a.damaged else 0x0800)
    return struct.pack("<BbbBIH", rf_channel(a.chan), -55, -90, 0, a.aa, fl) + a.bytes()


def dlt192(a):
    """PPI + PPI-BTLE (libbtbb) + DLT 147 packet (access address .. CRC)."""
    fld = struct.pack("<BHBIbbbB", 0, 2402 + 2 * rf_channel(a.chan), 0, a.ts % 100_000 * 10, -50, -60, -55, 1)
    hdr = struct.pack("<BBHI", 0, 0, 8 + 4 + len(fld), 147) + struct.pack("<HH", 30006, len(fld)) + fld
    return hdr + a.bytes()


def dlt272(a, decrypt=False, counter=[0]):
    adv = a.central is None
    fl = 0x00 if a.damaged else 0x01
    air = a.bytes()
    if not adv:
        fl |= 0x02 if a.central else 0
        if a.plain is not None:
            fl |= 0x04  # encrypted: the sniffer checked the MIC
            if decrypt:
                fl |= 0x08  # and it verified: payload in place, MIC kept
                air = struct.pack("<IBB", a.aa, a.hdr0, len(a.plain)) + a.plain + a.crc.to_bytes(3, "little")
    ble = struct.pack("<BBBBHI", 10, fl, a.chan, 55, a.event if not adv else 0, 150)
    counter[0] += 1
    return struct.pack("<BHBHB", 0, len(ble) + len(air), 3, counter[0] & 0xFFFF, 2 if adv else 6) + ble + air


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", btype, len(body) + 12) + body + struct.pack("<I", len(body) + 12)


def pcapng(ifaces, recs):
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    for dlt, snap in ifaces:
        out += block(1, struct.pack("<HHI", dlt, 0, snap))
    for ifc, ts, data in recs:
        out += block(6, struct.pack("<IIIII", ifc, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data)) + data)
    return out


def truth(link, captured, **over):
    """What a correct cracker and doctor report on the captured packets. crack: passkey, LTK and EDIV
    (most significant octet first, as crackle prints them), how many distinct encrypted PDUs reached the
    sniffer intact (retransmissions repeat one); doctor: no error or warning (missed packets are
    capture gaps, not faults of the devices), the method, the passkey when both confirms and randoms
    and the pairing features were captured."""
    got = set(getattr(a, "kind", None) for a in captured)
    enc = set((a.central, a.plain) for a in captured if a.plain is not None and not a.damaged)
    confirms = {"preq", "pres", "mconf", "sconf", "mrand", "srand"} <= got
    crack = {"exit": 0, "verdict": "cracked", "tk": link.passkey, "passkey": "%06d" % link.passkey,
             "method": "passkey", "ltk": link.ltk[::-1].hex(), "ediv": link.ediv[::-1].hex(),
             "decrypted": len(enc), "mic_ok": len(enc),
             "tk_by_decryption": not ({"pres", "mconf", "sconf"} <= got)}
    doctor = {"errors": 0, "warnings": 0, "faults": [], "pairings": 1,
              "method": "passkey-entry" if {"preq", "pres"} <= got else "unknown",
              "passkey": "%06d" % link.passkey if confirms else None}
    for k, v in over.items():
        (doctor if k.startswith("doctor_") else crack)[k.replace("doctor_", "")] = v
    return {"crack": crack, "doctor": doctor}


def main():
    global PS
    PS, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    expect = {}

    # (a) Ubertooth: two interfaces, no direction, no CRC flags (CRC checked against CRCInit), and host
    # timestamps: USB transfers batch packets, so a reply may be stamped before the PDU it answers
    # (as in crackle's file 05): only the channels tell the directions.
    lk = Link(123456, 1).run()
    recs = []
    for i, a in enumerate(lk.air):
        ts = a.ts - a.ts % 4000 + rnd(i, 1)[0] * 12  # batched per 4 ms, then 0..3 ms of jitter
        # The peripheral's Pairing Confirm reached the central but the sniffer got it damaged: only the
        # CRC (checked with CONNECT_IND's CRCInit, §3.1.1) tells, as Ubertooth sets no CRC flag.
        a.damaged = getattr(a, "kind", None) == "sconf"
        if a.central is None or (a.event // 3) % 2:
            recs.append((1, ts, dlt192(a)))
        else:
            recs.append((0, ts, dlt256(a, crc_flags=False)))
    open(os.path.join(outdir, "ubertooth_two_if.pcapng"), "wb").write(pcapng([(256, 65535), (192, 96)], recs))
    expect["ubertooth_two_if.pcapng"] = truth(lk, lk.air, bad_crc=1, doctor_passkey=None)

    # (b) nRF Sniffer v3 that knew the key (the passkey typed into it): it decrypted the first half of
    # the encrypted PDUs in place (encrypted + MIC OK), then missed one, lost its counter and flagged the
    # rest encrypted with a failed MIC (payload left as ciphertext).
    lk = Link(999, 2).run()
    enc = [a for a in lk.air if a.plain is not None]
    half = len(enc) // 2
    dec, missed = set(id(a) for a in enc[:half]), id(enc[half])
    kept = [a for a in lk.air if id(a) != missed]
    recs = [(a.ts, dlt272(a, id(a) in dec)) for a in kept]
    open(os.path.join(outdir, "nrf_partly_decrypted.pcap"), "wb").write(pcap(272, recs))
    expect["nrf_partly_decrypted.pcap"] = truth(lk, kept, sniffer_decrypted=len(dec), doctor_outcome="succeeded")

    # (c) missed packets, DLT 256 with CRC flags (no direction).
    for name, pk, seed, drop in (("lost_pairing_rsp.pcap", 654321, 3, {"pres"}),
                                 ("lost_start_enc.pcap", 314159, 4, {"start_enc_req"}),
                                 ("lost_confirms.pcap", 999999, 5, {"mconf", "sconf"}),
                                 ("lost_srand.pcap", 424242, 7, {"srand"})):
        lk = Link(pk, seed).run()
        kept = [a for a in lk.air if getattr(a, "kind", None) not in drop]
        open(os.path.join(outdir, name), "wb").write(pcap(256, [(a.ts, dlt256(a)) for a in kept]))
        over = {}
        if "srand" in drop:
            over = dict(exit=1, verdict="failed", decrypted=0, mic_ok=0, ltk=None, ediv=None, tk_by_decryption=False)
        expect[name] = truth(lk, kept, **over)

    # A real fault, for contrast: the peripheral's user typed the wrong passkey; the central's check
    # fails and it sends Pairing Failed (Confirm Value Failed). Not crackable (no keys were made): exit 1;
    # the doctor must report the failure.
    lk = Link(246810, 8, typed=246801).run()
    open(os.path.join(outdir, "wrong_passkey.pcap"), "wb").write(pcap(256, [(a.ts, dlt256(a)) for a in lk.air]))
    expect["wrong_passkey.pcap"] = truth(lk, lk.air, exit=1, verdict="failed", decrypted=0, mic_ok=0, ltk=None,
                                         ediv=None, tk=None, passkey=None, tk_by_decryption=False,
                                         doctor_errors=3, doctor_outcome="failed", doctor_faults=[
                                             "crypto.confirm-mismatch", "hci.disconnect-security", "pairing.failed"])

    # (c) lossy link, DLT 272 with direction: devices miss PDUs (retransmissions), the sniffer misses
    # some and receives one damaged.
    lk = Link(271828, 6)
    lk.peer_drop = {(8, True), (17, False), (19, True), (24, False)}
    lk.run()
    kept, damaged = [], False
    for a in lk.air:
        ev = getattr(a, "event", -1)
        if ev in (13, 17, 21) and a.central is False:
            continue  # the sniffer missed these (at 17 a PDU the central missed too: only its retransmission is seen)
        if ev >= 26 and a.central and a.payload and not damaged:
            a.damaged = damaged = True
        kept.append(a)
    open(os.path.join(outdir, "lossy.pcap"), "wb").write(pcap(272, [(a.ts, dlt272(a)) for a in kept]))
    expect["lossy.pcap"] = truth(lk, kept, bad_crc=1, retransmissions=sum(
        1 for i, a in enumerate(kept) if a.payload and any(
            b.payload == a.payload and b.central == a.central for b in kept[:i])))
    with open(os.path.join(outdir, "expected.json"), "w") as f:
        json.dump(expect, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
