#!/bin/bash
# Every `pairscope pair --fault` against `pairscope doctor` (docs/doctor-rules.md, "Live triggers"): a
# run with the fault writes a btsnoop, the doctor must report the rule the fault exists for and, when
# the pairing fails, name that rule (or a consistent one) as the probable cause; the same
# configuration without the fault must give no warning and no error. Rows marked `-` are rules
# triggered by a configuration, not a fault. Argument: the pairscope binary.
set -u
ps=${1:?usage: pair_faults.sh PAIRSCOPE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
L="io=no-input-no-output,bond,sc=no,dist=enc+id"   # legacy Just Works, bonding, keys both ways
S="io=no-input-no-output,bond,dist=id"            # SC Just Works
# name | fault (SIDE:NAME or -) | rules that must be reported | allowed probable causes ('-': none needed) | pair arguments
cases=(
"seed|central:send-unnegotiated-keys|keydist.not-negotiated random.pattern|keydist.not-negotiated|--central $L --peripheral $L"
"wrong-confirm|peripheral:wrong-confirm|crypto.confirm-mismatch pairing.failed|crypto.confirm-mismatch|--central $L --peripheral $L"
"reflect-public-key|peripheral:reflect-public-key|sc.public-key-reflected|sc.public-key-reflected|--central $S --peripheral $S"
"stall|peripheral:stall|pairing.timeout|-|--central $S --peripheral $S"
"drop-last-key-pdu|peripheral:drop-last-key-pdu|keydist.missing|keydist.missing|--central $L --peripheral $L"
"wrong-passkey|central:wrong-passkey|pairing.failed|-|--central io=keyboard-only,mitm,sc=no --peripheral io=display-only,mitm,sc=no"
"reject-numcmp|central:reject-numeric-comparison|pairing.failed|-|--central io=display-yes-no,mitm --peripheral io=display-yes-no,mitm"
"bad-length|central:bad-length|smp.bad-length|smp.bad-length|--central $L --peripheral $L"
"unknown-code|central:unknown-code|smp.unknown-code|smp.unknown-code|--central $L --peripheral $L"
"reserved-authreq|peripheral:reserved-authreq|smp.reserved-value|-|--central $S --peripheral $S,secreq"
"wrong-role|central:wrong-role|smp.wrong-role|smp.wrong-role|--central $L --peripheral $L"
"random-before-confirm|central:random-before-confirm|smp.out-of-order|smp.out-of-order|--central $L --peripheral $L"
"reflect-confirm|peripheral:reflect-confirm|smp.confirm-reflected|smp.confirm-reflected|--central $L --peripheral $L"
"bad-keysize|peripheral:bad-keysize|negotiation.key-size-range|negotiation.key-size-range|--central $L --peripheral $L"
"dist-superset|peripheral:dist-superset|negotiation.keydist-superset|negotiation.keydist-superset|--central io=no-input-no-output,bond,sc=no,dist=enc --peripheral io=no-input-no-output,bond,sc=no,dist=enc"
"sc-downgrade|central:sc-downgrade|negotiation.sc-not-used|negotiation.sc-not-used|--central $S --peripheral $S"
"wrong-key-order|peripheral:wrong-key-order|keydist.order|keydist.order|--central $L --peripheral $L"
"invalid-identity-address|peripheral:invalid-identity-address|keydist.identity-address|keydist.identity-address|--central $L --peripheral $L"
"test-pattern-keys|peripheral:test-pattern-keys|random.pattern|-|--central $L --peripheral $L"
"reuse-random|peripheral:reuse-random|random.reused|-|--central $L --peripheral $L"
"invalid-public-key|peripheral:invalid-public-key|sc.public-key-invalid|sc.public-key-invalid|--central $S --peripheral $S"
"wrong-dhkey-check|peripheral:wrong-dhkey-check|sc.dhkey-check-failed|sc.dhkey-check-failed|--central $S --peripheral $S"
"extra-passkey-round|central:extra-passkey-round|sc.passkey-rounds|sc.passkey-rounds smp.out-of-order|--central io=keyboard-only,mitm --peripheral io=display-only,mitm"
"debug-keys|peripheral:debug-keys|sc.debug-key|sc.debug-key|--central $S --peripheral $S"
"debug-keys-allowed|peripheral:debug-keys|sc.debug-key|-|--central $S,allow-debug-keys --peripheral $S"
"keys-before-encryption|peripheral:keys-before-encryption|keydist.unencrypted|keydist.unencrypted keydist.order|--central $L --peripheral $L"
"nonzero-ediv-with-stk|central:nonzero-ediv-with-stk|encryption.stk-ediv-rand encryption.failed|encryption.stk-ediv-rand encryption.ltk-negative-reply|--central $L --peripheral $L"
"start-enc-wrong-key|central:start-enc-wrong-key|crypto.stk-mismatch hci.disconnect-security pairing.disconnected|crypto.stk-mismatch hci.disconnect-security|--central $L --peripheral $L"
"no-start-encryption|central:no-start-encryption|encryption.not-started|encryption.not-started|--central $L --peripheral $L"
"start-enc-bad-handle|central:start-enc-bad-handle|hci.command-failed encryption.not-started|encryption.not-started|--central $L --peripheral $L"
"ltk-neg-reply|peripheral:ltk-neg-reply|encryption.ltk-negative-reply encryption.failed|encryption.ltk-negative-reply|--central $L --peripheral $L"
"reencrypt-wrong-key|central:reencrypt-wrong-key|encryption.unknown-key encryption.key-missing|-|--central $L --peripheral $L --reconnect"
"forget-bond|peripheral:forget-bond|encryption.bond-lost encryption.key-missing|-|--central $L --peripheral $L --reconnect"
"key-refresh|central:key-refresh|encryption.key-refresh|-|--central $S --peripheral $S"
"timeout|peripheral:timeout|timing.smp-timeout|-|--central $L --peripheral $L"
"slow|peripheral:slow|timing.long-silence|-|--central $L --peripheral $L"
"disconnect|central:disconnect|pairing.disconnected hci.disconnect|-|--central $L --peripheral $L"
"mic-failure|peripheral:mic-failure|hci.disconnect-security pairing.disconnected|hci.disconnect-security keydist.missing|--central $L --peripheral $L"
"l2cap-wrong-ident|central:l2cap-wrong-ident|l2cap.response-ident|-|--central $S --peripheral $S"
"l2cap-ident-zero|peripheral:l2cap-ident-zero|l2cap.ident-zero|-|--central $S --peripheral $S"
"conn-param-range|peripheral:conn-param-range|l2cap.conn-param-range|-|--central $S --peripheral $S"
"l2cap-unknown-command|peripheral:l2cap-unknown-command|l2cap.command-reject|-|--central $S --peripheral $S"
"skip-init|central:skip-init|hci.init-incomplete|-|--central $S --peripheral $S"
"cfg-legacy|-|negotiation.legacy|-|--central $L --peripheral $L"
"cfg-key-size-short|-|negotiation.key-size-short|-|--central $S --peripheral $S,keysize=7"
"cfg-key-size-rejected|-|negotiation.key-size-rejected|negotiation.key-size-rejected|--central $S,keysize=7 --peripheral $S,min-keysize=16"
"cfg-mitm-unattainable|-|negotiation.mitm-unattainable|-|--central $S,mitm --peripheral $S"
"cfg-oob-one-sided|-|negotiation.oob-one-sided|-|--central $L,oob --peripheral $L"
"cfg-no-bonding|-|negotiation.no-bonding|-|--central io=no-input-no-output,bond --peripheral io=no-input-no-output"
"cfg-passkey-recovered|-|crypto.passkey-recovered|-|--central io=keyboard-only,mitm,sc=no --peripheral io=display-only,mitm,sc=no"
"cfg-reconnect|-|hci.disconnect|-|--central $S --peripheral $S --reconnect"
)
# One python pass judges a case: $1 doctor JSON, $2 rules, $3 causes, $4 the pair JSON, $5 baseline?
judge='
import json, sys
d = json.load(open(sys.argv[1])); want = sys.argv[2].split(); causes = sys.argv[3].split()
pair = json.load(open(sys.argv[4])); base = sys.argv[5] == "1"
fs = [f for p in d["pairings"] for f in p["findings"]] + d.get("findings", [])
got = {f["rule"] for f in fs}
if base:
    bad = sorted({f["rule"] for f in fs if f["severity"] in ("error", "warning")})
    sys.exit("baseline has " + " ".join(bad) if bad else 0)
miss = [w for w in want if w not in got]
if miss:
    sys.exit("missing " + " ".join(miss) + "; got " + " ".join(sorted(got)))
pcs = [p.get("probable_cause") for p in d["pairings"] if p.get("probable_cause")]
if causes != ["-"]:
    if pair["result"] == "failed" and not pcs:
        sys.exit("no probable cause")
    wrong = [c for c in pcs if c not in causes]
    if wrong:
        sys.exit("probable cause " + " ".join(wrong) + ", expected one of " + " ".join(causes))
'
run_case() { # index
	local IFS='|'
	read -r name fault rules causes args <<<"${cases[$1]}"
	IFS=' '
	local dir="$tmp/$1" f=() msg=""
	mkdir -p "$dir"
	[ "$fault" != "-" ] && f=(--fault "$fault")
	# shellcheck disable=SC2086
	"$ps" pair $args "${f[@]}" --write "$dir/t.btsnoop" --json >"$dir/pair.json" 2>"$dir/err"
	"$ps" doctor --json "$dir/t.btsnoop" >"$dir/doc.json" 2>>"$dir/err"
	msg=$(python3 -c "$judge" "$dir/doc.json" "$rules" "$causes" "$dir/pair.json" 0 2>&1) || {
		echo "FAIL $name ($fault): $msg"
		return 1
	}
	if [ "$fault" != "-" ]; then
		# shellcheck disable=SC2086
		"$ps" pair $args --write "$dir/b.btsnoop" --json >"$dir/base.json" 2>>"$dir/err"
		"$ps" doctor --json "$dir/b.btsnoop" >"$dir/bdoc.json" 2>>"$dir/err"
		msg=$(python3 -c "$judge" "$dir/bdoc.json" "" "-" "$dir/base.json" 1 2>&1) || {
			echo "FAIL $name without the fault: $msg"
			return 1
		}
	fi
	echo "ok   $name"
}
# Every fault in `pair --help` has a case here.
for fname in $("$ps" pair --help | sed -n '/^faults/,$p' | awk 'NR > 1 {print $1}'); do
	printf '%s\n' "${cases[@]}" | grep -q ":$fname|" || { echo "FAIL fault $fname has no case"; touch "$tmp/failed"; }
done
pids=()
for i in "${!cases[@]}"; do
	( run_case "$i" || touch "$tmp/failed" ) &
	pids+=($!)
	if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
wait
[ -e "$tmp/failed" ] && exit 1
echo "pair_faults: all ${#cases[@]} cases pass"
