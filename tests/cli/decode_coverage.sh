#!/usr/bin/env bash
# pairscope decode against btmon 5.66 on a trace with one packet per packet-table entry
# (tests/tools/gencov.py: every HCI command with its Command Complete/Status, every event and LE
# subevent, every L2CAP LE signaling code, ATT opcode and SMP code, Broadcom vendor packets).
# The reference is btmon 5.66's text, kept in tests/golden/decode/coverage.btmon.txt (with the trace's
# sha256 beside it) so that no bluez is needed; where btmon is installed it is also run live. btmon's
# text goes through tests/golden/decode/btmon-deviations.py (the deliberate deviations listed in
# docs/btmon-deviations.md) before the comparison. The differences that remain are listed, each
# explained, in docs/btmon-deviations.md ("Coverage trace") and recorded exactly in
# tests/golden/decode/coverage.known.diff: the test fails on any difference not in that file, and also
# when one of them disappears (then shrink the file with --regen, and the doc with it).
# Usage: decode_coverage.sh PAIRSCOPE [--regen]   (--regen: rewrite the golden files with btmon 5.66)
set -u
PS=${1:?usage: decode_coverage.sh PAIRSCOPE [--regen]}
cd "$(dirname "$0")/../.."
g=tests/golden/decode
norm=$g/btmon-deviations.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
python3 tests/tools/gencov.py "$tmp/cov.btsnoop" || { echo "FAIL gencov.py"; exit 1; }
sum=$(sha256sum <"$tmp/cov.btsnoop" | cut -d' ' -f1)
if [ "${2:-}" = --regen ]; then
	btmon -r "$tmp/cov.btsnoop" >"$g/coverage.btmon.txt" || { echo "FAIL btmon"; exit 1; }
	echo "$sum" >"$g/coverage.sha256"
	"$PS" decode "$tmp/cov.btsnoop" >"$tmp/got" 2>/dev/null
	python3 "$norm" "$g/coverage.btmon.txt" >"$tmp/want"
	diff "$tmp/want" "$tmp/got" >"$g/coverage.known.diff"
	echo "rewrote $g/coverage.btmon.txt ($(wc -l <"$g/coverage.btmon.txt") lines) and coverage.known.diff" \
		"($(grep -c '^[<>]' "$g/coverage.known.diff") known differing lines)"
fi
"$PS" decode "$tmp/cov.btsnoop" >"$tmp/got" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || { echo "FAIL pairscope exit $rc"; head -5 "$tmp/err"; fail=1; }
compare() { # name, btmon text
	python3 "$norm" "$2" >"$tmp/want"
	diff "$tmp/want" "$tmp/got" >"$tmp/diff"
	local known=$(grep -c '^[<>]' "$g/coverage.known.diff" 2>/dev/null)
	if cmp -s "$tmp/diff" "$g/coverage.known.diff"; then
		echo "ok   $1 ($(wc -l <"$tmp/got") lines, $(grep -c '^[<>]' "$tmp/got") packets;" \
			"${known:-0} known differing lines, see docs/btmon-deviations.md)"
	else
		echo "FAIL $1: differences other than the known ones (< btmon, > pairscope):"
		diff "$g/coverage.known.diff" "$tmp/diff" | head -60; fail=1
	fi
}
if [ "$sum" != "$(cat "$g/coverage.sha256" 2>/dev/null)" ]; then
	echo "FAIL golden is stale: the tables changed the trace; run tests/cli/decode_coverage.sh $PS --regen (needs btmon 5.66)"
	fail=1
else
	compare golden "$g/coverage.btmon.txt"
fi
if command -v btmon >/dev/null 2>&1; then
	ver=$(btmon --version 2>/dev/null)
	if [ "$ver" = 5.66 ]; then
		btmon -r "$tmp/cov.btsnoop" >"$tmp/live" 2>/dev/null
		compare "btmon $ver live" "$tmp/live"
	else
		echo "skip live: btmon $ver is not 5.66"
	fi
fi
exit $fail
