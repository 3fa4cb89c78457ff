#!/bin/bash
# pairscope pair / demo end to end (Vol 3 Part H): JSON contract, method per Table 2.8, the seed's fault,
# faults that must fail with the right reason, bonds on disk (--bond-dir: re-encryption, RPA
# resolution, peripheral-initiated security, the re-pairing policy), and the demo's story. Argument: the pairscope binary.
set -u
ps=${1:?usage: pair_cli.sh PAIRSCOPE}
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # name, expected python expression over d, pair args...
	local name=$1 expr=$2
	shift 2
	"$ps" pair "$@" --json >"$tmp/out.json" 2>"$tmp/err"
	if ! python3 -c "import json,sys; d=json.load(open('$tmp/out.json')); sys.exit(0 if ($expr) else 1)"; then
		echo "FAIL $name: $(cat "$tmp/out.json" "$tmp/err" | head -c 400)"
		fail=1
	fi
}
check sc-numcmp "d['result']=='success' and d['method']=='numeric-comparison' and d['keys_match'] and d['central']['security_level']==4" \
	--central io=display-yes-no,bond,mitm,sc=yes,dist=enc+id+sign --peripheral io=keyboard-display,bond,mitm,sc=yes,dist=enc+id+sign
check legacy-pk-unauth "d['result']=='success' and d['method']=='passkey-entry' and not d['mitm'] and d['central']['security_level']==2" \
	--central io=keyboard-only,bond,mitm,sc=no --peripheral io=display-only,bond,mitm,sc=no --passkey 123456
check legacy-require-mitm "d['result']=='failed' and d['failure']['reason']==3" \
	--central io=keyboard-only,bond,require-mitm,sc=no --peripheral io=display-only,bond,sc=no
check legacy-oob "d['result']=='success' and d['method']=='oob' and d['mitm']" \
	--central io=no-input-no-output,bond,sc=no,oob=00112233445566778899aabbccddeeff --peripheral io=no-input-no-output,bond,sc=no,oob=00112233445566778899aabbccddeeff
check sc-oob "d['result']=='success' and d['method']=='oob'" \
	--central io=no-input-no-output,bond,sc=yes,oob --peripheral io=no-input-no-output,bond,sc=yes
check keysize-7 "d['result']=='success' and d['key_size']==7" \
	--central io=no-input-no-output,bond,keysize=16 --peripheral io=no-input-no-output,bond,keysize=7
check keysize-min "d['result']=='failed' and d['failure']['reason']==6" \
	--central io=no-input-no-output,bond,min-keysize=16 --peripheral io=no-input-no-output,bond,keysize=7
check seed "d['result']=='failed' and d['failure']['reason']==8 and d['failure']['sent_by']=='peripheral'" \
	--central io=keyboard-only,bond,mitm,sc=no,dist=enc+sign --peripheral io=no-input-no-output,bond,sc=no,dist=enc \
	--fault central:send-unnegotiated-keys
check wrong-confirm "d['result']=='failed' and d['failure']['reason']==4" \
	--central io=no-input-no-output,sc=no --peripheral io=no-input-no-output,sc=no --fault peripheral:wrong-confirm
check reflect-pubkey "d['result']=='failed' and d['failure']['reason']==11" \
	--central io=no-input-no-output --peripheral io=no-input-no-output --fault peripheral:reflect-public-key
check stall "d['result']=='failed' and d['failure']['name']=='SMP timeout'" \
	--central io=no-input-no-output --peripheral io=no-input-no-output --fault peripheral:stall
check reject-numcmp "d['result']=='failed' and d['failure']['reason']==12" \
	--central io=display-yes-no,mitm --peripheral io=display-yes-no,mitm --fault central:reject-numeric-comparison
check debug-keys-refused "d['result']=='failed' and d['failure']['reason']==3" \
	--central io=no-input-no-output,debug-keys --peripheral io=no-input-no-output
check debug-keys-not-bonded "d['result']=='success' and not d['bonded']" \
	--central io=no-input-no-output,bond,debug-keys --peripheral io=no-input-no-output,bond,allow-debug-keys
check reconnect-legacy "d['result']=='success' and d['reencrypted']" \
	--central io=no-input-no-output,bond,sc=no,dist=enc+id --peripheral io=no-input-no-output,bond,sc=no,dist=enc+id --reconnect
check reconnect-sc "d['result']=='success' and d['reencrypted']" \
	--central io=display-yes-no,bond,mitm --peripheral io=display-yes-no,bond,mitm --reconnect
check confirm-yes "d['result']=='success' and d['method']=='numeric-comparison'" \
	--central io=display-yes-no,mitm --peripheral io=keyboard-display,mitm --confirm yes
check confirm-no "d['result']=='failed' and d['failure']['reason']==12" \
	--central io=display-yes-no,mitm --peripheral io=keyboard-display,mitm --confirm no
# Bonds on disk (--bond-dir): run 1 pairs and stores, run 2 re-encrypts from the stores, no pairing.
B="$tmp/bonds"
mkdir -p "$B"
LEG=(--central io=no-input-no-output,bond,sc=no,dist=enc+id --peripheral io=no-input-no-output,bond,sc=no,dist=enc+id,rpa --bond-dir "$B/leg")
check bond-dir-pair "d['result']=='success' and d['method']=='just-works' and d['central']['bond_store']=='stored' and d['peripheral']['bond_store']=='stored' and not d['reencrypted']" "${LEG[@]}"
for f in central peripheral; do
	[ "$(stat -c %a "$B/leg/$f.bonds" 2>/dev/null)" = 600 ] || { echo "FAIL bond-dir: $f.bonds not mode 0600"; fail=1; }
	grep -q '^end$' "$B/leg/$f.bonds" || { echo "FAIL bond-dir: $f.bonds has no bond"; fail=1; }
done
# The peripheral uses a fresh RPA each run: the central finds it through the stored IRK.
check bond-dir-reencrypt-legacy-rpa "d['result']=='success' and d['method']=='none' and d['reencrypted'] and d['keys_match'] and d['central']['security_level']==2" "${LEG[@]}"
SC=(--central io=display-yes-no,bond,mitm,rpa --peripheral io=display-yes-no,bond,mitm,rpa --bond-dir "$B/sc")
check bond-dir-sc-pair "d['result']=='success' and d['method']=='numeric-comparison' and not d['reencrypted']" "${SC[@]}"
check bond-dir-reencrypt-sc "d['result']=='success' and d['reencrypted'] and d['keys_match'] and d['central']['security_level']==4" "${SC[@]}"
# Peripheral-initiated security: no bond, the Security Request makes the central pair; with a bond,
# it makes the central encrypt with the stored LTK (EDIV/Rand for legacy).
PIS=(--central io=no-input-no-output,bond,sc=no,dist=enc+id --peripheral io=no-input-no-output,bond,sc=no,dist=enc+id,secreq --bond-dir "$B/pis")
check SM/PER/PIS/BV-01-C+SM/CEN/PIS/BV-02-C "d['result']=='success' and d['method']=='just-works' and not d['reencrypted']" "${PIS[@]}"
check SM/PER/PIS/BV-02-C+SM/CEN/PIS/BV-03-C "d['result']=='success' and d['method']=='none' and d['reencrypted'] and d['keys_match']" "${PIS[@]}"
"$ps" pair "${PIS[@]}" >"$tmp/pis.txt" 2>&1
grep -q 'Security Request' "$tmp/pis.txt" && grep -q 'starts encryption with the stored LTK' "$tmp/pis.txt" ||
	{ echo "FAIL PIS: no Security Request then stored-LTK encryption"; fail=1; }
# A Security Request asking for MITM that the unauthenticated bond cannot give: pair again.
check secreq-mitm-repairs "d['result']=='success' and d['method']=='numeric-comparison' and d['mitm']" \
	--central io=display-yes-no,bond,dist=enc+id --peripheral io=display-yes-no,bond,mitm,dist=enc+id,secreq --bond-dir "$B/pis"
# The peripheral lost its bond: the LTK request gets a negative reply and the central pairs again.
rm -f "$B/leg/peripheral.bonds"
check lost-bond-repairs "d['result']=='success' and d['method']=='just-works' and not d['reencrypted']" "${LEG[@]}"
# Re-pairing policy: the central forgot the bond and pairs; the peripheral still holds one.
RP=(--central io=display-yes-no,bond,mitm --peripheral io=display-yes-no,bond,mitm --bond-dir "$B/rp")
check repair-setup "d['result']=='success'" "${RP[@]}"
rm -f "$B/rp/central.bonds"
check repair-deny "d['result']=='failed' and d['failure']['reason']==3 and d['failure']['sent_by']=='peripheral'" "${RP[@]}" --repair deny
check repair-no-downgrade "d['result']=='failed' and d['failure']['reason']==3" \
	--central io=no-input-no-output,bond --peripheral io=display-yes-no,bond,mitm --bond-dir "$B/rp"
check repair-allow "d['result']=='success' and d['peripheral']['bond_store']=='stored'" "${RP[@]}" --repair allow
"$ps" demo >"$tmp/demo.txt" 2>&1 || { echo "FAIL demo: exit $?"; tail -5 "$tmp/demo.txt"; fail=1; }
grep -q 'keys match: yes' "$tmp/demo.txt" || { echo "FAIL demo: no matching keys"; fail=1; }
[ $fail = 0 ] && echo "pair_cli: all passed"
exit $fail
