#!/bin/bash
# pairscope decode on link-layer sniffer captures (crackle's samples, tests/data/crackle): the SMP PDUs
# of each pairing and the LL_ENC_REQ/RSP values must be the ones tshark reads from the same frames
# (files 01 and 05: Ubertooth PPI with user DLT 147, read by tshark through a user_dlts table entry;
# file 04: pcapng DLT 256; crackle's -o output and pairscope crack -o output: decrypted key
# distribution), in --json and in the text; every --summary and --json line is one frame. Prints SKIP
# for the tshark comparisons when tshark is not installed. Argument: the pairscope binary.
set -u
ps=${1:?usage: decode_ll.sh PAIRSCOPE}
[ -x "$ps" ] || { echo "decode_ll: $ps is not an executable"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/crackle
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-decode-ll.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

f01=$data/crackle_01_pairing_and_ltk_exchange.pcap
f04=$data/crackle_04_le_secure_connections.pcapng
f05=$data/crackle_05_numeric_pin.pcap
"$ps" crack -q -o "$tmp/crack05.pcap" "$f05" >/dev/null 2>&1 || fail "pairscope crack -o on file 05"

# --- text: the lines a reader looks for, as docs/decode-ll.md shows them ---
"$ps" decode -C 80 "$f05" >"$tmp/05.txt" 2>"$tmp/05.err"; rc=$?
[ $rc = 0 ] || fail "decode file 05: exit $rc ($(head -c 200 "$tmp/05.err"))"
want_lines() { # FILE then lines that must follow one another in it
	python3 - "$@" <<'EOF' || fail "$1: expected lines not found in order: ${*:2}"
import sys
text = open(sys.argv[1]).read().split("\n")
want = sys.argv[2:]
for i in range(len(text)):
    if text[i:i + len(want)] == want:
        sys.exit(0)
sys.exit(1)
EOF
}
want_lines "$tmp/05.txt" \
	"      SMP: Pairing Request (0x01) len 6" \
	"        IO capability: KeyboardDisplay (0x04)" \
	"        OOB data: Authentication data not present (0x00)" \
	"        Authentication requirement: Bonding, MITM, Legacy, No Keypresses (0x05)" \
	"        Max encryption key size: 16"
want_lines "$tmp/05.txt" "      SMP: Pairing Confirm (0x03) len 16" "        Confim value: b538f63b8eb7b780e4166b192ae0d31b"
want_lines "$tmp/05.txt" "      SMP: Pairing Confirm (0x03) len 16" "        Confim value: fca0a9f084ee919692f7e32d785ae060"
want_lines "$tmp/05.txt" "        Header: LLID 3 NESN 1 SN 0 MD 0 len 23" "        Rand: 0x0000000000000000" \
	"        EDIV: 0x0000" "        SKDc: 0xce572e6a2ed53560" "        IVc: 0xbc82ed18"
grep -q '^> LE LL: LL_START_ENC_REQ  P->C? ch 30 AA 50655491 .* #165 ' "$tmp/05.txt" ||
	fail "file 05: no LL_START_ENC_REQ header for frame 165"
grep -q '^> LE LL: Encrypted L2CAP start ' "$tmp/05.txt" || fail "file 05: encrypted PDUs not shown as such"
grep -q '^        MIC: [0-9a-f]\{8\}$' "$tmp/05.txt" || fail "file 05: no MIC line"
grep -q '^> LE LL: CONNECT_IND  ch 37 AA 8e89bed6 ' "$tmp/05.txt" || fail "file 05: no CONNECT_IND header"
want_lines "$tmp/05.txt" "        Access address: 0x50655491" "        CRC init: 0xc8479f"
awk 'length > 80 { bad = 1 } END { exit bad }' "$tmp/05.txt" || fail "file 05: a line wider than -C 80"
for f in "$f01" "$f04" "$f05"; do
	n=$(basename "$f")
	"$ps" decode "$f" >"$tmp/$n.txt" 2>"$tmp/$n.err" || fail "decode $n: exit $? ($(head -c 200 "$tmp/$n.err"))"
	grep -q '^\* Unknown packet' "$tmp/$n.txt" && fail "$n: link-layer frames printed as unknown packets"
	"$ps" decode --summary "$f" >"$tmp/$n.sum" 2>/dev/null || fail "decode --summary $n: exit $?"
	"$ps" decode --json "$f" >"$tmp/$n.json" 2>/dev/null || fail "decode --json $n: exit $?"
	frames=$(grep -c '^[<>=*@] ' "$tmp/$n.txt")
	[ "$(wc -l <"$tmp/$n.sum")" = "$frames" ] || fail "$n: $(wc -l <"$tmp/$n.sum") summary lines for $frames frames"
	python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    d = json.loads(line); n += 1
    assert d["frame"] == n and "ll" in d and "packet" in d, line
' "$tmp/$n.json" || fail "$n: --json is not one JSON object per frame with ll and packet"
done
grep -q ' > LL ch 12 AA 50655491 C->P? LL_ENC_REQ rand=0x0000000000000000 ediv=0x0000 skd_c=0xce572e6a2ed53560 iv_c=0xbc82ed18$' \
	"$tmp/crackle_05_numeric_pin.pcap.sum" || fail "file 05: LL_ENC_REQ summary line"
"$ps" decode --only smp --summary "$f05" >"$tmp/05.smp" 2>/dev/null
[ "$(wc -l <"$tmp/05.smp")" = 6 ] || fail "file 05: --only smp gives $(wc -l <"$tmp/05.smp") lines, expected 6"

# --- tshark: the same SMP and LL_ENC values from the same frames ---
if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: tshark not installed (text checks done)"
	[ $fails = 0 ] && echo "decode_ll: ok" || echo "decode_ll: $fails failure(s)"
	[ $fails = 0 ]
	exit
fi
# Ubertooth's PPI records carry user DLT 147: tshark dissects them as btle once that DLT is named.
uat='uat:user_dlts:"User 0 (DLT=147)","btle","0","","0",""'
smp_fields="btsmp.opcode btsmp.io_capability btsmp.authreq btsmp.max_enc_key_size btsmp.cfm_value
	btsmp.random_value btsmp.long_term_key btsmp.ediv btsmp.public_key_x btsmp.dhkey_check"
tshark_rows() { # FILE FILTER FIELDS...
	local f=$1 filter=$2
	shift 2
	local args=()
	for x in "$@"; do args+=(-e "$x"); done
	tshark -o "$uat" -r "$f" -Y "$filter" -T fields -E occurrence=f -e frame.number "${args[@]}" 2>/dev/null
}
# pairscope's --json as the same rows (tshark's formats: 0x%02x codes, decimal numbers, hex octets)
ps_rows() { # JSON KIND
	python3 - "$1" "$2" <<'EOF'
import json, sys
kind = sys.argv[2]
for line in open(sys.argv[1]):
    d = json.loads(line)
    if kind == "smp":
        l = d.get("l2cap")
        if not l or l["proto"] != "SMP":
            continue
        f = l.get("fields", {})
        def g(k, fmt=str):
            return fmt(f[k]) if k in f else ""
        hx = lambda v: "0x%02x" % v
        key = f.get("ltk", "")
        # tshark shows Central Identification's Rand as btsmp.random_value, octets in wire order
        rnd = f.get("value", "") if l["code"] == 4 else \
            f["rand"].to_bytes(8, "little").hex() if l["code"] == 7 and "rand" in f else ""
        ediv = "0x%04x" % f["ediv"] if "ediv" in f else ""
        print("\t".join([str(d["frame"]), hx(l["code"]), g("io_cap", hx), g("auth_req", hx),
                         g("max_key_size"), f.get("value", "") if l["code"] == 3 else "",
                         rnd, key, ediv, f.get("x", ""),
                         f.get("e", "")]))
    else:
        p = d["packet"]
        if p["proto"] != "LL" or p.get("id") not in ("enc_req", "enc_rsp"):
            continue
        f = p["fields"]
        if p["id"] == "enc_req":
            row = [3, f["rand"], f["ediv"], int(f["skd_c"], 16), f["iv_c"], "", ""]
        else:
            row = [4, "", "", "", "", int(f["skd_p"], 16), f["iv_p"]]
        print("\t".join([str(d["frame"]), "0x%02x" % row[0]] + [str(x) for x in row[1:]]))
EOF
}
# tshark prints X of the public key and the DHKey check in wire order like us; keep the columns as is.
compare() { # NAME FILE JSON
	local name=$1 f=$2 js=$3
	tshark_rows "$f" btsmp $smp_fields >"$tmp/$name.tshark.smp"
	ps_rows "$js" smp >"$tmp/$name.ps.smp"
	if [ ! -s "$tmp/$name.tshark.smp" ]; then
		fail "$name: tshark reads no SMP PDU"
	elif ! diff "$tmp/$name.tshark.smp" "$tmp/$name.ps.smp" >"$tmp/$name.diff"; then
		fail "$name: SMP values differ from tshark's: $(head -6 "$tmp/$name.diff" | tr '\n' ' ')"
	else
		echo "ok   $name: $(wc -l <"$tmp/$name.ps.smp") SMP PDUs, same frames and values as tshark"
	fi
	tshark_rows "$f" "btle.control_opcode == 3 || btle.control_opcode == 4" btle.control_opcode \
		btle.control.random_number btle.control.encrypted_diversifier btle.control.master_session_key_diversifier \
		btle.control.master_session_initialization_vector btle.control.slave_session_key_diversifier \
		btle.control.slave_session_initialization_vector >"$tmp/$name.tshark.enc"
	ps_rows "$js" enc >"$tmp/$name.ps.enc"
	if ! diff "$tmp/$name.tshark.enc" "$tmp/$name.ps.enc" >"$tmp/$name.diff"; then
		fail "$name: LL_ENC_REQ/RSP values differ from tshark's: $(head -6 "$tmp/$name.diff" | tr '\n' ' ')"
	else
		echo "ok   $name: $(wc -l <"$tmp/$name.ps.enc") LL_ENC_REQ/RSP, same values as tshark"
	fi
}
compare 01 "$f01" "$tmp/crackle_01_pairing_and_ltk_exchange.pcap.json"
compare 04 "$f04" "$tmp/crackle_04_le_secure_connections.pcapng.json"
compare 05 "$f05" "$tmp/crackle_05_numeric_pin.pcap.json"
for f in "$data/crackle_05.decrypted.pcap" "$tmp/crack05.pcap"; do
	n=$(basename "$f" .pcap)
	"$ps" decode --json "$f" >"$tmp/$n.json" 2>/dev/null || fail "decode --json $n: exit $?"
	compare "$n" "$f" "$tmp/$n.json"
	grep -q 'ltk=ecc542c5e795e0401d1d522e2669049c' <("$ps" decode --summary "$f" 2>/dev/null) ||
		fail "$n: the distributed LTK is not shown"
done

[ $fails = 0 ] && echo "decode_ll: ok" || echo "decode_ll: $fails failure(s)"
[ $fails = 0 ]
