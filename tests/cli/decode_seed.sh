#!/usr/bin/env bash
# pairscope decode against btmon 5.66's own text: the seed at 80 and 120 columns, format-demo, and a
# generated LE trace (tests/golden/decode), with the deviations of docs/btmon-deviations.md applied to
# btmon's side by tests/golden/decode/btmon-deviations.py. Also exit codes and the other modes.
set -u
PS=${1:?usage: decode_seed.sh PAIRSCOPE}
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
norm=tests/golden/decode/btmon-deviations.py
check() { # name, want-file, pairscope args...
	local name=$1 want=$2
	shift 2
	"$PS" decode "$@" >"$tmp/got" 2>"$tmp/err"
	local rc=$?
	python3 "$norm" "$want" >"$tmp/want"
	if diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
		echo "ok   $name ($(wc -l <"$tmp/got") lines, exit $rc)"
	else
		echo "FAIL $name"; head -20 "$tmp/diff"; fail=1
	fi
}
check seed-80 tests/data/seed.btmon80.txt tests/data/seed.btsnoop
check seed-120 tests/data/seed.btmon.txt -C 120 tests/data/seed.btsnoop
check le-3000 tests/golden/decode/le-3000.btmon.txt tests/golden/decode/le-3000.btsnoop
check seed-stdin tests/data/seed.btmon80.txt - <tests/data/seed.btsnoop

# exit codes: 0 clean, 1 damaged input (diagnostics name frame and offset), 2 usage/unreadable
"$PS" decode tests/data/seed.btsnoop >/dev/null 2>&1; rc=$?
[ $rc = 0 ] || { echo "FAIL seed exit $rc"; fail=1; }
"$PS" decode tests/data/format-demo.btsnoop >/dev/null 2>"$tmp/err"; rc=$?
if [ $rc = 1 ] && grep -q 'frame [0-9]* (offset [0-9]*)' "$tmp/err"; then echo "ok   damaged input exits 1"; else echo "FAIL format-demo exit $rc"; fail=1; fi
"$PS" decode /nonexistent.btsnoop >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && echo "ok   unreadable exits 2" || { echo "FAIL unreadable exit $rc"; fail=1; }
"$PS" decode --bogus x >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && echo "ok   usage exits 2" || { echo "FAIL usage exit $rc"; fail=1; }

# summary: one line per record; JSON: one valid object per record
n=$("$PS" decode --summary tests/data/seed.btsnoop | wc -l)
[ "$n" = 44 ] && echo "ok   summary 44 lines" || { echo "FAIL summary $n lines"; fail=1; }
if "$PS" decode --json tests/data/seed.btsnoop | python3 -c 'import json,sys
rows=[json.loads(l) for l in sys.stdin]
assert len(rows)==44, len(rows)
assert rows[22]["l2cap"]["fields"]["io_cap_name"]=="KeyboardOnly", rows[22]'; then echo "ok   json"; else echo "FAIL json"; fail=1; fi
n=$("$PS" decode --only smp tests/data/seed.btsnoop | grep -c '^[<>]')
[ "$n" = 12 ] && echo "ok   --only smp ($n packets)" || { echo "FAIL --only smp $n"; fail=1; }

# A pasted log whose excerpts run backwards in time: records older than the first show a negative
# offset, never an unsigned wrap-around.
out=$("$PS" decode tests/data/reallogs/03-*.txt 2>/dev/null)
if printf '%s\n' "$out" | grep -q '#5 \[hci0\] -79.461649$' && ! printf '%s\n' "$out" | grep -q 18446744; then
	echo "ok   negative time offsets"
else
	echo "FAIL negative time offsets"; fail=1
fi
exit $fail
