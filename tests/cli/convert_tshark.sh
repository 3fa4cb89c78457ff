#!/bin/bash
# pairscope convert checked by an independent reader: tshark must read the same field values from our
# pcap (DLT 201), btsnoop H4 (1002) and btsnoop monitor (2001) as from tests/data/seed-h4.btsnoop, and
# find no malformed packet. Prints SKIP and passes when tshark is not installed. Quirks: docs/oracles.md.
set -u
bin=$(realpath "${1:?usage: convert_tshark.sh PAIRSCOPE}")
cd "$(dirname "$0")/../.." || exit 2
if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: tshark not installed"
	exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
ref=tests/data/seed-h4.btsnoop
# Direction is left out of the monitor comparison: tshark shows it from the H4 pseudo-header only.
fields_h4=(-e hci_h4.direction -e hci_h4.type)
fields=(-e bthci_cmd.opcode -e bthci_evt.code -e bthci_evt.le_meta_subevent -e bthci_acl.chandle
	-e bthci_acl.pb_flag -e btl2cap.cid -e btl2cap.length -e btsmp.opcode -e btsmp.io_capability
	-e btsmp.cfm_value -e btsmp.random_value -e btsmp.long_term_key -e btle.advertising_address
	-e bthci_evt.status -e bthci_cmd.le_long_term_key)
tsh() { # tsh FILE FILTER FIELDS...: one line per HCI packet (index and system records dropped)
	local f=$1 filter=$2; shift 2
	tshark -r "$f" -Y "$filter" -T fields -E occurrence=a "$@" 2>/dev/null
}
tshark -r $ref -T fields -e frame.number 2>/dev/null | wc -l >"$out/count"
[ "$(cat "$out/count")" = 41 ] || { echo "FAIL tshark reads $(cat "$out/count") frames of $ref, not 41"; exit 1; }

"$bin" convert $ref -o "$out/s.pcap" || fail=1
"$bin" convert $ref -o "$out/s-h4.btsnoop" --format btsnoop-h4 || fail=1
"$bin" convert tests/data/seed.btsnoop -o "$out/s-pcap-from-2001.pcap" 2>/dev/null || fail=1
"$bin" convert $ref -o "$out/s-mon.btsnoop" --format btsnoop || fail=1

tsh $ref "frame" "${fields_h4[@]}" "${fields[@]}" >"$out/ref.full"
tsh $ref "frame" "${fields[@]}" >"$out/ref.hci"
for f in s.pcap s-h4.btsnoop s-pcap-from-2001.pcap; do
	tsh "$out/$f" "frame" "${fields_h4[@]}" "${fields[@]}" >"$out/$f.full"
	if [ -s "$out/$f.full" ] && cmp -s "$out/ref.full" "$out/$f.full"; then
		echo "ok   $f: tshark reads the same $(wc -l <"$out/$f.full") packets and field values"
	else
		echo "FAIL $f: field values differ from $ref"; diff "$out/ref.full" "$out/$f.full" | head; fail=1
	fi
done
# Linux monitor: tshark shows the New Index-less HCI packets with the same fields.
tsh "$out/s-mon.btsnoop" "bthci_cmd or bthci_evt or bthci_acl" "${fields[@]}" >"$out/mon.hci"
if [ -s "$out/mon.hci" ] && cmp -s "$out/ref.hci" "$out/mon.hci"; then
	echo "ok   s-mon.btsnoop: tshark reads the same field values (Linux monitor)"
else
	echo "FAIL s-mon.btsnoop: field values differ"; diff "$out/ref.hci" "$out/mon.hci" | head; fail=1
fi
for f in s.pcap s-h4.btsnoop s-pcap-from-2001.pcap s-mon.btsnoop; do
	n=$(tshark -r "$out/$f" -Y "_ws.malformed or _ws.expert.severity >= error" 2>/dev/null | wc -l)
	if [ "$n" = 0 ]; then echo "ok   $f: no malformed packets"; else echo "FAIL $f: $n malformed"; fail=1; fi
done
exit $fail
