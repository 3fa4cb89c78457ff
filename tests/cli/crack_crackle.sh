#!/bin/bash
# pairscope crack end to end on crackle's sample captures (tests/data/crackle) and on bad input:
# results and exit codes as crackle's README gives them, -o payloads equal to crackle's -o output for
# every PDU crackle decrypted, clear errors (exit 2) for unreadable input. Argument: the pairscope binary.
set -u
ps=${1:?usage: crack_crackle.sh PAIRSCOPE}
[ -x "$ps" ] || { echo "crack_crackle: $ps is not an executable"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/crackle
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-crack-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run NAME EXPECTED_RC ARGS... : stdout to $tmp/NAME.out, stderr to $tmp/NAME.err
run() {
	local name=$1 want=$2
	shift 2
	"$ps" crack "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	local rc=$?
	[ "$rc" = "$want" ] || fail "$name: exit $rc, expected $want ($(head -c 200 "$tmp/$name.err"))"
}
# jq-free JSON field check: field NAME of connection 0 equals VALUE (python3 parses the document)
field() {
	local name=$1 key=$2 want=$3 got
	got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d["connections"][0][sys.argv[2]]; print(json.dumps(v))' \
		"$tmp/$name.out" "$key" 2>&1)
	[ "$got" = "$want" ] || fail "$name: $key = $got, expected $want"
}

run c01 0 --json "$data/crackle_01_pairing_and_ltk_exchange.pcap"
field c01 tk 0
field c01 passkey '"000000"'
field c01 method '"just_works"'
field c01 ltk '"7f62c053f104a5bbe68b1d896a2ed49c"'
field c01 verdict '"cracked"'
field c01 decrypted 3

run c02 0 --json -l 7f62c053f104a5bbe68b1d896a2ed49c "$data/crackle_02_known_ltk.pcap"
field c02 decrypted 7
field c02 mic_ok 7
field c02 verdict '"decrypted"'
field c02 ediv '"cde8"'
run c02-nokey 1 --json "$data/crackle_02_known_ltk.pcap"
field c02-nokey verdict '"failed"'

run c03 0 --json -j 2 "$data/crackle_03_missing_confirms.pcap"
field c03 tk 0
field c03 tk_by_decryption true
field c03 ltk '"7f62c053f104a5bbe68b1d896a2ed49c"'

run c04 0 --json "$data/crackle_04_le_secure_connections.pcapng"
field c04 secure_connections true
field c04 verdict '"sc_not_crackable"'
field c04 tk null

run c05 0 --json "$data/crackle_05_numeric_pin.pcap"
field c05 passkey '"461140"'
field c05 tk 461140
field c05 method '"passkey"'
field c05 ltk '"9c0469262e521d1d40e095e7c542c5ec"'
field c05 decrypted 55
field c05 mic_ok 55

# Text output names the verdict and the TK.
run c05-text 0 -q "$data/crackle_05_numeric_pin.pcap"
grep -q 'TK: 461140' "$tmp/c05-text.out" || fail "c05-text: no 'TK: 461140'"
grep -q 'Verdict: CRACKED' "$tmp/c05-text.out" || fail "c05-text: no verdict"

# -o: every PDU crackle decrypted carries the same plaintext in ours.
for n in 01 03 05; do
	in=$(ls "$data"/crackle_${n}_*.pcap)
	run o$n 0 -q -o "$tmp/o$n.pcap" "$in"
	cmp=$(python3 "$here/crack_compare.py" "$in" "$data/crackle_$n.decrypted.pcap" "$tmp/o$n.pcap")
	set -- $cmp 0 0
	[ "$1" = "$2" ] && [ "$1" -gt 0 ] || fail "o$n: crackle decrypted $1 PDUs, $2 equal in ours ($cmp)"
done
run o02 0 -q -l 7f62c053f104a5bbe68b1d896a2ed49c -o "$tmp/o02.pcap" "$data/crackle_02_known_ltk.pcap"
cmp=$(python3 "$here/crack_compare.py" "$data/crackle_02_known_ltk.pcap" "$data/crackle_02.decrypted.pcap" "$tmp/o02.pcap")
[ "$(echo "$cmp" | cut -d' ' -f1-2)" = "7 7" ] || fail "o02: $cmp"

# Files 01 and 02 in one capture: the LTK distributed in the first connection decrypts the second
# (a reconnection matched by EDIV/Rand), with no --ltk.
python3 - "$data/crackle_01_pairing_and_ltk_exchange.pcap" "$data/crackle_02_known_ltk.pcap" "$tmp/both.pcap" <<'PY'
import sys
a = open(sys.argv[1], "rb").read()
b = open(sys.argv[2], "rb").read()
open(sys.argv[3], "wb").write(a + b[24:])
PY
run both 0 --json "$tmp/both.pcap"
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join("%s:%s:%s" % (c["verdict"], c["decrypted"], c["ltk"]) for c in d["connections"]))' "$tmp/both.out")
[ "$n" = "cracked:3:7f62c053f104a5bbe68b1d896a2ed49c decrypted:7:7f62c053f104a5bbe68b1d896a2ed49c" ] ||
	fail "both: $n"

# Bad input: missing file, not a capture, header cut short, bad options -> exit 2 with a message.
run missing 2 "$tmp/nonexistent.pcap"
[ -s "$tmp/missing.err" ] || fail "missing: no message"
printf 'this is not a capture\n' >"$tmp/text.pcap"
run notcap 2 "$tmp/text.pcap"
head -c 10 "$data/crackle_05_numeric_pin.pcap" >"$tmp/hdr.pcap"
run hdr 2 "$tmp/hdr.pcap"
run badj 2 -j 0 "$data/crackle_05_numeric_pin.pcap"
run badltk 2 -l 1234 "$data/crackle_05_numeric_pin.pcap"
run noarg 2

# A capture truncated in the middle of a record: what was read is still cracked; no crash.
head -c 9000 "$data/crackle_05_numeric_pin.pcap" >"$tmp/cut.pcap"
"$ps" crack --json "$tmp/cut.pcap" >"$tmp/cut.out" 2>"$tmp/cut.err"
rc=$?
[ "$rc" -le 1 ] || fail "cut: exit $rc"
field cut tk 461140

# -o on an HCI capture is refused clearly; the crack itself verifies the keys it sees.
run hci 0 --json "$here/../data/seed.btsnoop"
field hci verdict '"verified"'
run hci-o 2 -o "$tmp/hci.pcap" "$here/../data/seed.btsnoop"
grep -q 'sniffer' "$tmp/hci-o.err" || fail "hci-o: no clear message ($(cat "$tmp/hci-o.err"))"
[ -e "$tmp/hci.pcap" ] && fail "hci-o: wrote a file"

if [ "$fails" = 0 ]; then
	echo "crack_crackle: all passed"
	exit 0
fi
echo "crack_crackle: $fails failure(s)"
exit 1
