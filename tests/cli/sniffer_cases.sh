#!/bin/bash
# pairscope crack and doctor on synthetic captures of other sniffers and of missed packets
# (tests/data/sniffer, written by tests/tools/make_sniffer_cases.py, which also writes expected.json):
# an Ubertooth-style pcapng with two interfaces (DLT 256 + DLT 192 PPI/147), an nRF Sniffer v3 capture
# partly decrypted by the sniffer, and captures that lost the Pairing Response, LL_START_ENC_REQ, both
# confirms, the peripheral's random, or PDUs that the devices retransmitted or the sniffer got damaged.
# crack --json must give the expected keys and counts and exit code; doctor --json no error or
# warning (missed packets are capture gaps, not faults). The generator must reproduce the stored files
# byte for byte. One capture holds a real fault for contrast (a wrong passkey typed): there the
# doctor must name it. Argument: the pairscope binary.
set -u
ps=${1:?usage: sniffer_cases.sh PAIRSCOPE}
[ -x "$ps" ] || { echo "sniffer_cases: $ps is not an executable"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/sniffer
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-sniffer-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The stored captures are what the generator writes (no hand edits, no drift).
if python3 "$here/../tools/make_sniffer_cases.py" "$ps" "$tmp/gen" >"$tmp/gen.log" 2>&1; then
	for f in "$data"/*.pcap "$data"/*.pcapng "$data"/expected.json; do
		cmp -s "$f" "$tmp/gen/$(basename "$f")" || fail "$(basename "$f"): differs from what make_sniffer_cases.py writes"
	done
else
	fail "make_sniffer_cases.py: $(tail -3 "$tmp/gen.log")"
fi

for f in "$data"/*.pcap "$data"/*.pcapng; do
	n=$(basename "$f")
	"$ps" crack --json "$f" >"$tmp/$n.crack" 2>"$tmp/$n.crack.err"
	echo $? >"$tmp/$n.crack.rc"
	"$ps" doctor --json "$f" >"$tmp/$n.doctor" 2>"$tmp/$n.doctor.err"
	echo $? >"$tmp/$n.doctor.rc"
	out=$(python3 - "$data/expected.json" "$n" "$tmp/$n" <<'PY'
import json, sys
exp = json.load(open(sys.argv[1]))[sys.argv[2]]
base = sys.argv[3]
bad = []
rc = int(open(base + ".crack.rc").read())
if rc != exp["crack"]["exit"]:
    bad.append("crack exit %d, expected %d (%s)" % (rc, exp["crack"]["exit"], open(base + ".crack.err").read()[:200]))
try:
    conns = json.load(open(base + ".crack"))["connections"]
except Exception as e:
    conns = []
    bad.append("crack --json unreadable: %s" % e)
if len(conns) != 1:
    bad.append("crack: %d connections, expected 1" % len(conns))
else:
    c = conns[0]
    for k, v in exp["crack"].items():
        if k != "exit" and c.get(k) != v:
            bad.append("crack %s = %r, expected %r" % (k, c.get(k), v))
    if c["verdict"] == "failed" and not c.get("note"):
        bad.append("crack: failed without saying why")
drc = int(open(base + ".doctor.rc").read())
try:
    d = json.load(open(base + ".doctor"))
except Exception as e:
    d = None
    bad.append("doctor --json unreadable (exit %d): %s" % (drc, e))
if d:
    e = exp["doctor"]
    for k in ("errors", "warnings"):
        if d[k] != e[k]:
            rules = [f["rule"] + " " + f["severity"] for p in d["pairings"] for f in p["findings"]]
            rules += [f["rule"] + " " + f["severity"] for f in d["findings"]]
            bad.append("doctor %s = %d, expected %d: %s" % (k, d[k], e[k], rules))
    found = [f for p in d["pairings"] for f in p["findings"]] + d["findings"]
    faults = sorted(f["rule"] for f in found if f["severity"] in ("error", "warning"))
    if faults != e["faults"]:
        bad.append("doctor errors/warnings %s, expected %s" % (faults, e["faults"]))
    if len(d["pairings"]) != e["pairings"]:
        bad.append("doctor: %d pairings, expected %d" % (len(d["pairings"]), e["pairings"]))
    elif d["pairings"]:
        p = d["pairings"][0]
        if p["method"] != e["method"]:
            bad.append("doctor method %s, expected %s" % (p["method"], e["method"]))
        if p["crypto"].get("passkey") != e["passkey"]:
            bad.append("doctor passkey %r, expected %r" % (p["crypto"].get("passkey"), e["passkey"]))
        if "outcome" in e and p["outcome"] != e["outcome"]:
            bad.append("doctor outcome %s, expected %s" % (p["outcome"], e["outcome"]))
print("\n".join(bad))
PY
)
	if [ -n "$out" ]; then
		while IFS= read -r l; do fail "$n: $l"; done <<<"$out"
	else
		echo "ok   $n"
	fi
done

# -o on the lossy capture: every PDU we decrypted comes back as plaintext that decode reads as SMP/ATT.
"$ps" crack -q -o "$tmp/lossy.dec.pcap" "$data/lossy.pcap" >/dev/null 2>&1 || fail "lossy -o: exit $?"
n=$("$ps" decode "$tmp/lossy.dec.pcap" 2>/dev/null | grep -c 'SMP: Encryption Information\|ATT: Read Response')
[ "$n" = 7 ] || fail "lossy -o: $n of 7 SMP Encryption Information / ATT Read Response PDUs readable"

if [ "$fails" = 0 ]; then
	echo "sniffer_cases: all passed"
	exit 0
fi
echo "sniffer_cases: $fails failure(s)"
exit 1
