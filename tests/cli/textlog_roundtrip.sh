#!/usr/bin/env bash
# Text-log round trip (issue 3): generated traces -> btmon text (btmon -r when installed, and
# pairscope decode) -> mangled the way mail does (quoting 1-3 deep, 72-column re-wrap, stripped
# indentation, CRLF, flattened onto one line) -> pairscope convert -> every HCI packet and its time
# equal to the original. Also the seed's four renderings against seed.btsnoop.
# Usage: textlog_roundtrip.sh PAIRSCOPE   (run from the project root)
set -u
PS=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tools=$root/tests/tools
cmp="$tools/cmp_btsnoop.py"
gen="$root/bench/gen_big_btsnoop.py"
mangle="$root/tests/tools/mail_mangle.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() { # name text reference
	if ! "$PS" convert "$2" -o "$tmp/out.btsnoop" 2>"$tmp/err"; then
		echo "FAIL $1: convert exit $?"; head -5 "$tmp/err"; fail=1; return
	fi
	if ! out=$(python3 "$cmp" "$tmp/out.btsnoop" "$3"); then
		echo "FAIL $1: $out" | tail -3; fail=1; return
	fi
	echo "ok   $1: ${out##*$'\n'}"
}

for f in seed-mail.txt seed-log.txt seed.btmon80.txt seed.btmon.txt; do
	check "$f" "$root/tests/data/$f" "$root/tests/data/seed.btsnoop"
done

[ -f "$gen" ] || { echo "skip round trip: $gen missing"; exit $fail; }
# seed 3 links use a 27-octet ACL buffer: fragments, decoded under the last one
python3 "$gen" -n 3000 --seed 3 -o "$tmp/g.btsnoop" >/dev/null 2>&1
decoders="pairscope"
command -v btmon >/dev/null 2>&1 && decoders="btmon pairscope"
for d in $decoders; do
	if [ "$d" = btmon ]; then btmon -r "$tmp/g.btsnoop" >"$tmp/g.txt"; else "$PS" decode "$tmp/g.btsnoop" >"$tmp/g.txt"; fi
	for v in plain quote1 quote2+wrap72 quote3+wrap72+strip quote2+crlf strip+flatten quote2+flatten \
		 quote3+wrap72+crlf+flatten; do
		if [ "$v" = plain ]; then cp "$tmp/g.txt" "$tmp/m.txt"; else python3 "$mangle" "$v" <"$tmp/g.txt" >"$tmp/m.txt"; fi
		check "$d $v" "$tmp/m.txt" "$tmp/g.btsnoop"
	done
done
exit $fail
