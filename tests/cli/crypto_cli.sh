#!/usr/bin/env bash
# pairscope crypto: spec sample data in and out (Core Vol 3 Part H App. D, Vol 6 Part C), byte-order
# switches, JSON, and usage errors (exit 2 naming the argument and the expected length).
# Usage: crypto_cli.sh PATH/TO/pairscope
set -u
PS=${1:?usage: crypto_cli.sh PAIRSCOPE}
fails=0
n=0

# expect NAME EXIT WANT_SUBSTRING -- ARGS... (WANT matched against stdout+stderr)
expect() {
	local name=$1 want_rc=$2 want=$3
	shift 4
	local out rc
	out=$("$PS" crypto "$@" 2>&1)
	rc=$?
	n=$((n + 1))
	if [ "$rc" != "$want_rc" ] || [[ "$out" != *"$want"* ]]; then
		echo "FAIL $name: exit $rc (want $want_rc), output:"
		echo "$out" | sed 's/^/    /'
		echo "    (wanted: $want)"
		fails=$((fails + 1))
	fi
}

DX=20b003d2f297be2c5e2c83a7e9f9a5b9eff49111acf4fddbcc0301480e359de6
DY=dc809c49652aeb6d63329abf5a52155c766345c28fed3024741c8ed01589d28b
DPRIV=3f49f6d4a3c55f3874c9b3e3d2103f504aff607beb40b7995899b8a6cd3c1abd
SK=99AD1B5226A37E3E058E3B8E27C2C666
IV=DEAFBABEBADCAB24

# --- results, spec order ---
expect cmac-empty 0 bb1d6929e95937287fa37d129b756746 -- cmac --k 2b7e151628aed2a6abf7158809cf4f3c --m ""
expect c1-spec 0 1e1e3fef878988ead2a74dc5bef13b86 -- c1 --k 00000000000000000000000000000000 \
	--r 5783d52156ad6f0e6388274ec6702ee0 --preq 07071000000101 --pres 05000800000302 --iat 1 --rat 0x00 \
	--ia a1a2a3a4a5a6 --ra b1:b2:b3:b4:b5:b6
expect s1-spec 0 9a1fe1f0e8b0f49b5b4216ae796da062 -- s1 --k 00000000000000000000000000000000 \
	--r1 000f0e0d0c0b0a091122334455667788 --r2 010203040506070899aabbccddeeff00
expect f5-two-lines 0 $'MacKey 2965f176a1084a02fd3f6a20ce636e20\nLTK 6986791169d7cd23980522b594750a38' -- \
	f5 --w ec0234a357c8ad05341010a60a397d9b99796b13b4f866f1868d34f373bfa698 \
	--n1 d5cb8454d177733effffb2ec712baeab --n2 a6e8e7cc25a75f6e216583f7ff3dc4cf --a1 0056123737bfce --a2 00a713702dcfc1
expect g2-number 0 $'g2 2f9ed5ba\nnumber 938554' -- g2 --u $DX \
	--v 55188b3d32f6bb9a900afcfbeed4e72a59cb9ac2f19d7cfb6b4fdd49f47fc5fd \
	--x d5cb8454d177733effffb2ec712baeab --y a6e8e7cc25a75f6e216583f7ff3dc4cf
expect h6 0 2d9ae102e76dc91ce8d3a9e280b16399 -- h6 --w ec0234a357c8ad05341010a60a397d9b --keyid 6c656272
expect ah 0 "ah 0dfbaa" -- ah --irk ec0234a357c8ad05341010a60a397d9b --prand 708194
expect p256-debug 0 "y $DY" -- p256 --private $DPRIV
expect p256-debug-flag 0 "debug_key true" -- p256 --private $DPRIV
expect dhkey-set1 0 ec0234a357c8ad05341010a60a397d9b99796b13b4f866f1868d34f373bfa698 -- dhkey --private $DPRIV \
	--public-x 1ea1f0f01faf1d9609592284f19e4c0047b58afd8615a69f559077b22faaa190 \
	--public-y 4c55f33e429dad377356703a9ab85160472d1130e28e36765f89aff915b1214a
expect session-key-halves 0 99ad1b5226a37e3e058e3b8e27c2c666 -- session-key --ltk 4C68384139F574D836BCF34E9DFB01BF \
	--skdm ACBDCEDFE0F10213 --skds 0213243546576879
expect session-key-skd 0 99ad1b5226a37e3e058e3b8e27c2c666 -- session-key --ltk 4C68384139F574D836BCF34E9DFB01BF \
	--skd 0213243546576879ACBDCEDFE0F10213
expect ccm-encrypt-rsp1 0 "pdu 0f059fcda7f448" -- ccm-encrypt --sk $SK --iv $IV --counter 0 --dir central --hdr 0F --payload 06
expect ccm-encrypt-data2 0 "mic 89b96088" -- ccm-encrypt --sk $SK --iv $IV --counter 1 --dir peripheral \
	--pdu 061B170037363534333231304142434445464748494A4B4C4D4E4F5051
expect ccm-decrypt-data1 0 "plaintext 1700636465666768696a6b6c6d6e6f707131323334353637383930" -- ccm-decrypt \
	--sk $SK --iv $IV --counter 1 --dir c --pdu 0E1F7A70D66415226DF26B17839A060405596BD6564F796B5B9CE6FF32F75A6D33
expect ccm-decrypt-rsp2-parts 0 "plaintext 06" -- ccm-decrypt --sk $SK --iv $IV --counter 0 --dir p --hdr 07 \
	--payload A3 --mic 4C13A415

irks=$(mktemp)
trap 'rm -f "$irks"' EXIT
printf '# IRKs, MSO first\n00112233445566778899aabbccddeeff\n\nec0234a357c8ad05341010a60a397d9b\n' >"$irks"
expect rpa-resolve 0 $'entry 2\nirk ec0234a357c8ad05341010a60a397d9b' -- rpa-resolve --addr 70:81:94:0D:FB:AA --irks "$irks"
expect rpa-none 1 "no IRK in the list resolves" -- rpa-resolve --addr 70:81:94:0D:FB:AB --irks "$irks"
expect rpa-static 1 "not a resolvable private address" -- rpa-resolve --addr F0:81:94:0D:FB:AA --irks "$irks"
expect rpa-nofile 2 "cannot open" -- rpa-resolve --addr 70:81:94:0D:FB:AA --irks /nonexistent/irks

# --- byte order and formats ---
expect lsb-s1 0 62a06d79ae16425b9bf4b0e8f0e11f9a -- s1 --lsb --k 00000000000000000000000000000000 \
	--r1 8877665544332211090a0b0c0d0e0f00 --r2 00ffeeddccbbaa990807060504030201
expect lsb-session-key 0 66c6c2278e3b8e053e7ea326521bad99 -- session-key --lsb --ltk BF01FB9D4EF3BC36D874F5394138684C \
	--skdm 1302F1E0DFCEBDAC --skds 7968574635241302
expect json-f5 0 '{"function": "f5", "MacKey": "2965f176a1084a02fd3f6a20ce636e20", "LTK": "6986791169d7cd23980522b594750a38"}' -- \
	f5 --json --w ec0234a357c8ad05341010a60a397d9b99796b13b4f866f1868d34f373bfa698 \
	--n1 d5cb8454d177733effffb2ec712baeab --n2 a6e8e7cc25a75f6e216583f7ff3dc4cf --a1 0056123737bfce --a2 00a713702dcfc1
expect equals-form 0 2d9ae102e76dc91ce8d3a9e280b16399 -- h6 --w=ec0234a357c8ad05341010a60a397d9b --keyid=6c656272
expect help 0 "session-key" -- --help
expect help-args 0 "--public-x" -- --help

# --- usage errors: exit 2, the argument and the length named ---
expect short-r 2 "--r must be 16 octets (32 hex digits), got 15" -- c1 --k 00000000000000000000000000000000 \
	--r 5783d52156ad6f0e6388274ec6702e --preq 07071000000101 --pres 05000800000302 --iat 1 --rat 0 \
	--ia a1a2a3a4a5a6 --ra b1b2b3b4b5b6
expect short-r1 2 "--r1 must be 16 octets (32 hex digits), got 15" -- s1 --k 00000000000000000000000000000000 \
	--r1 000f0e0d0c0b0a0911223344556677 --r2 010203040506070899aabbccddeeff00
expect long-a1 2 "--a1 must be 7 octets" -- f6 --w 00000000000000000000000000000000 --n1 00000000000000000000000000000000 \
	--n2 00000000000000000000000000000000 --r 00000000000000000000000000000000 --iocap 010102 --a1 000056123737bfce --a2 00a713702dcfc1
expect bad-hex 2 "--w: not hex" -- h7 --salt 000000000000000000000000746d7031 --w zz
expect missing 2 "missing --keyid" -- h6 --w ec0234a357c8ad05341010a60a397d9b
expect unknown-fn 2 "unknown function 'f9'" -- f9 --w 00
expect unknown-arg 2 "unknown argument '--q'" -- h6 --q 00
expect no-value 2 "--keyid needs a value" -- h6 --w ec0234a357c8ad05341010a60a397d9b --keyid
expect twice 2 "--w given twice" -- h6 --w ec0234a357c8ad05341010a60a397d9b --w ec0234a357c8ad05341010a60a397d9b --keyid 00000000
expect bad-iat 2 "--iat" -- c1 --k 00000000000000000000000000000000 --r 5783d52156ad6f0e6388274ec6702ee0 \
	--preq 07071000000101 --pres 05000800000302 --iat 300 --rat 0 --ia a1a2a3a4a5a6 --ra b1b2b3b4b5b6
expect skd-missing 2 "give --skd, or --skdm and --skds" -- session-key --ltk 4C68384139F574D836BCF34E9DFB01BF --skdm ACBDCEDFE0F10213
expect bad-dir 2 "use central or peripheral" -- ccm-encrypt --sk $SK --iv $IV --counter 0 --dir up --pdu 0F0106
expect pdu-len 2 "does not match" -- ccm-encrypt --sk $SK --iv $IV --counter 0 --dir central --pdu 0F0206
expect no-fn 2 "usage" --

# --- rejected input: exit 1 with a reason ---
expect off-curve 1 "peer public key rejected" -- dhkey --private $DPRIV --public-x $DX \
	--public-y dc809c49652aeb6d63329abf5a52155c766345c28fed3024741c8ed01589d28a
expect zero-key 1 "peer public key rejected" -- dhkey --private $DPRIV \
	--public-x 0000000000000000000000000000000000000000000000000000000000000000 \
	--public-y 0000000000000000000000000000000000000000000000000000000000000000
expect x-is-p 1 "peer public key rejected" -- dhkey --private $DPRIV \
	--public-x ffffffff00000001000000000000000000000000ffffffffffffffffffffffff \
	--public-y 66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4
expect zero-private 1 "private key" -- p256 --private 0000000000000000000000000000000000000000000000000000000000000000
expect mic-fail 1 "MIC check failed" -- ccm-decrypt --sk $SK --iv $IV --counter 1 --dir central \
	--pdu 061FF38881E7BD94C9C369B9A66846DD4786AA8C39CE540D0DAE3ADCDF89B96088
expect addr-type 1 "address types must be 0 or 1" -- c1 --k 00000000000000000000000000000000 \
	--r 5783d52156ad6f0e6388274ec6702ee0 --preq 07071000000101 --pres 05000800000302 --iat 2 --rat 0 \
	--ia a1a2a3a4a5a6 --ra b1b2b3b4b5b6

echo "crypto_cli: $((n - fails))/$n passed"
[ "$fails" = 0 ]
