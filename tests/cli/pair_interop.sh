#!/bin/bash
# pairscope pair over a transport against the npm ble-host stack through `pairscope controller`
# (Vol 3 Part H interop): our central vs a ble-host peripheral (Just Works, Passkey; SC and legacy,
# where our side clears SC), our peripheral vs a ble-host central (Just Works, Numeric Comparison,
# Passkey). Skipped when node or ble-host is missing. Argument: the pairscope binary.
set -u
ps=$(realpath "${1:?usage: pair_interop.sh PAIRSCOPE}")
here=$(cd "$(dirname "$0")" && pwd)
checks=${PS_CHECKS:-$here/../../../shared/checks}
export PS_CHECKS=$checks
[ -z "${BLE_HOST:-}" ] && [ -d "$here/../interop/node_modules/ble-host" ] && export BLE_HOST=$here/../interop/node_modules/ble-host
command -v node >/dev/null && [ -n "${BLE_HOST:-}" ] && [ -f "$checks/blehost_peripheral.js" ] || { echo "pair_interop: skipped (no node/ble-host)"; exit 0; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
pass=0 total=0
# run ROLE SC MODE: one pairing; the passkey shown by ble-host is typed into our side through a FIFO
run() {
	local role=$1 sc=$2 mode=$3 port out rc peer script spec
	total=$((total + 1))
	port=$((50000 + RANDOM % 5000))
	"$ps" controller --listen tcp:127.0.0.1:$port >/dev/null 2>&1 &
	local cpid=$!
	pids+=("$cpid")
	sleep 0.5
	rm -f "$tmp/fifo" "$tmp/peer"
	mkfifo "$tmp/fifo"
	if [ "$role" = central ]; then
		script=$checks/blehost_peripheral.js
		local io=no-input-no-output mitm=
		[ "$mode" = pk ] && io=keyboard-only mitm=,mitm
		spec=(--central "io=$io,bond$mitm,sc=$sc,dist=enc+id" --connect C0:11:22:33:44:0B/random)
		node "$script" $port "$mode" >"$tmp/peer" 2>&1 &
	else
		local io=no-input-no-output mitm=
		[ "$mode" = pk ] && io=keyboard-only mitm=,mitm
		[ "$mode" = nc ] && io=display-yes-no mitm=,mitm
		spec=(--peripheral "io=$io,bond$mitm,sc=$sc,dist=enc+id")
		(sleep 1; node "$here/blehost_central.js" $port "$mode" >"$tmp/peer" 2>&1) &
	fi
	local ppid=$!
	pids+=("$ppid")
	sleep 0.5
	(for i in $(seq 1 150); do pk=$(sed -n 's/^PASSKEY //p' "$tmp/peer" 2>/dev/null); [ -n "$pk" ] && { echo "$pk" >"$tmp/fifo"; break; }; sleep 0.1; done) &
	pids+=($!)
	out=$(timeout 40 "$ps" pair --transport tcp:127.0.0.1:$port "${spec[@]}" --json <>"$tmp/fifo" 2>"$tmp/err")
	rc=$?
	wait "$ppid"
	local prc=$?
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	res=$(printf '%s' "$out" | python3 -c 'import json,sys
try: d=json.load(sys.stdin); print(d["result"], d["method"], "sc" if d["secure_connections"] else "legacy")
except Exception: print("no-json")')
	peer=$(tail -1 "$tmp/peer")
	echo "pairscope $role sc=$sc $mode: $res; ble-host: $peer"
	case "$res" in success*) [ $rc = 0 ] && [ $prc = 0 ] && pass=$((pass + 1)) ;; esac
}
run central yes jw
run central no jw
run central yes pk
run central no pk
run peripheral yes jw
run peripheral yes nc
run peripheral yes pk
run peripheral no jw
echo "pair_interop: $pass/$total pairings with ble-host"
[ $pass = $total ]
