#!/usr/bin/env bash
# `pairscope controller --listen tcp:...` with two npm ble-host stacks in another process (interop): they
# connect, update parameters both ways, pair with LE Secure Connections (Just Works, then Passkey) and
# disconnect; --write records both controllers in one btsnoop that btmon and tshark read cleanly.
# Skipped (exit 0 with a note) when node or tests/interop/node_modules/ble-host is missing.
set -u
PS=${1:?usage: vctl_interop.sh PAIRSCOPE}
root=$(cd "$(dirname "$0")/../.." && pwd)
bh=${BLE_HOST:-$root/tests/interop/node_modules/ble-host}
if ! command -v node >/dev/null 2>&1 || [ ! -d "$bh" ]; then
	echo "SKIP: node or ble-host missing (scripts/deps.sh installs it)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
"$PS" controller --listen tcp:127.0.0.1:0 --write "$tmp/run.btsnoop" --seed 5 >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 50); do grep -q '^listening on' "$tmp/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on tcp:127.0.0.1:\([0-9]*\)$/\1/p' "$tmp/out")
[ -n "$port" ] || { echo "FAIL: controller did not listen"; cat "$tmp/err"; exit 1; }
fail=0
for mode in jw pk; do
	# ble-host keeps bonds in ./NodeBleLib-storage-dir: run it in the scratch directory
	res=$(cd "$tmp" && BLE_HOST=$bh timeout 30 node "$root/tests/interop/blehost_vctl.js" "$port" "$mode" 2>&1 | tail -1)
	echo "ble-host $mode: $res"
	case "$res" in OK*) ;; *) fail=1 ;; esac
done
kill -TERM $pid; wait $pid
[ -s "$tmp/run.btsnoop" ] || { echo "FAIL: no btsnoop written"; exit 1; }
if command -v btmon >/dev/null 2>&1; then
	n=$(btmon -r "$tmp/run.btsnoop" 2>&1 | grep -c -E '^= New Index')
	[ "$n" -ge 4 ] || { echo "FAIL: expected 4 controller indexes, btmon saw $n"; fail=1; }
	bad=$(btmon -r "$tmp/run.btsnoop" 2>&1 | grep -ci -E 'malformed|invalid packet|unknown')
	[ "$bad" = 0 ] || { echo "FAIL: btmon flags $bad lines"; fail=1; }
	enc=$(btmon -r "$tmp/run.btsnoop" 2>&1 | grep -c 'Encryption Change (0x08)')
	[ "$enc" -ge 4 ] || { echo "FAIL: expected 4 Encryption Change events, saw $enc"; fail=1; }
fi
if command -v tshark >/dev/null 2>&1; then
	bad=$(tshark -r "$tmp/run.btsnoop" 2>&1 | grep -ci malformed)
	[ "$bad" = 0 ] || { echo "FAIL: tshark finds $bad malformed packets"; fail=1; }
fi
[ $fail = 0 ] && echo "PASS"
exit $fail
