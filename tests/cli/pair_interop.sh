#!/bin/bash
# pairscope pair over a transport against the npm ble-host stack through `pairscope controller`
# (Vol 3 Part H interop): our central vs a ble-host peripheral (Just Works, Passkey; SC and legacy,
# where our side clears SC), our peripheral vs a ble-host central (Just Works, Numeric Comparison,
# Passkey), and bonds: pair with --bond-dir, let the link drop, run again and re-encrypt from the
# bond store on both sides (ble-host keeps its bonds in NodeBleLib-storage-dir under its cwd, a temp
# dir here), also started by a Security Request (SM/CEN/PIS/BV-03-C, SM/PER/PIS/BV-02-C).
# Skipped when node or ble-host is missing. Argument: the pairscope binary.
set -u
ps=$(realpath "${1:?usage: pair_interop.sh PAIRSCOPE}")
here=$(cd "$(dirname "$0")" && pwd)
checks=${PS_CHECKS:-$here/../interop}  # copies of the shared ble-host drivers
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
	rm -f "$tmp/fifo" "$tmp/peer" "$tmp/err"
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
		[ "$mode" = nc-tty ] && io=display-yes-no mitm=,mitm
		spec=(--peripheral "io=$io,bond$mitm,sc=$sc,dist=enc+id")
		[ "$mode" = nc ] && spec+=(--confirm yes) # the user says the six digits match
		(sleep 1; node "$here/blehost_central.js" $port "${mode%-tty}" >"$tmp/peer" 2>&1) &
	fi
	local ppid=$!
	pids+=("$ppid")
	sleep 0.5
	# the passkey typer: not in nc-tty, where the peer also prints its six digits and the typed
	# digits would race the user's "y" to the same prompt
	[ "$mode" != nc-tty ] && (for i in $(seq 1 150); do pk=$(sed -n 's/^PASSKEY //p' "$tmp/peer" 2>/dev/null); [ -n "$pk" ] && { echo "$pk" >"$tmp/fifo"; break; }; sleep 0.1; done) &
	pids+=($!)
	# nc-tty: the user answers the terminal's numeric comparison prompt
	[ "$mode" = nc-tty ] && (for i in $(seq 1 300); do grep -q 'does the peer show' "$tmp/err" 2>/dev/null && { echo y >"$tmp/fifo"; break; }; sleep 0.1; done) &
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
	case "$res" in success*) ;; *) printf "%s\n" "$out" | head -c 600; tail -3 "$tmp/err" ;; esac
	case "$res" in success*) [ $rc = 0 ] && [ $prc = 0 ] && pass=$((pass + 1)) ;; esac
}
run central yes jw
run central no jw
run central yes pk
run central no pk
run peripheral yes jw
run peripheral yes nc
run peripheral yes nc-tty
run peripheral yes pk
run peripheral no jw
# bond ROLE SC [secreq]: pairscope as ROLE pairs with --bond-dir (run 1), exits, runs again (run 2)
# and must re-encrypt from its bond store without pairing; ble-host must too (blehost_bond.js).
bond() {
	local role=$1 sc=$2 sr=${3:-} port dir out1 out2 spec res
	total=$((total + 1))
	port=$((50000 + RANDOM % 5000))
	dir=$(mktemp -d -p "$tmp")
	"$ps" controller --listen tcp:127.0.0.1:$port >/dev/null 2>&1 &
	local cpid=$!
	pids+=("$cpid")
	sleep 0.5
	(cd "$dir" && exec node "$here/blehost_bond.js" $port "$( [ "$role" = central ] && echo peripheral || echo central)" $sr >"$dir/peer" 2>&1) &
	local ppid=$!
	pids+=("$ppid")
	sleep 0.7
	if [ "$role" = central ]; then
		spec=(--central "io=no-input-no-output,bond,sc=$sc,dist=enc+id" --connect C0:11:22:33:44:0B/random)
	else
		spec=(--peripheral "io=no-input-no-output,bond,sc=$sc,dist=enc+id")
	fi
	out1=$(timeout 40 "$ps" pair --transport tcp:127.0.0.1:$port "${spec[@]}" --bond-dir "$dir/bonds" --json 2>"$tmp/err" </dev/null)
	sleep 0.5
	[ -n "$sr" ] && spec[1]=${spec[1]},secreq
	out2=$(timeout 40 "$ps" pair --transport tcp:127.0.0.1:$port "${spec[@]}" --bond-dir "$dir/bonds" --json 2>>"$tmp/err" </dev/null)
	wait "$ppid"
	local prc=$?
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	res=$(printf '%s\n%s\n' "$out1" "$out2" | python3 -c 'import json,sys
try:
  a, b = (json.loads(l) for l in sys.stdin.read().split("\n")[:2])
  print("paired" if a["result"] == "success" and a["bonded"] and not a["reencrypted"] else "not-paired",
        "reencrypted" if b["result"] == "success" and b["reencrypted"] and b["method"] == "none" else "not-reencrypted")
except Exception: print("no-json")')
	local mode=$([ "$(stat -c %a "$dir/bonds/$role.bonds" 2>/dev/null)" = 600 ] && echo 0600 || echo bad-mode)
	echo "pairscope $role sc=$sc bond-dir ${sr:+($sr) }: $res, bond file $mode; ble-host: $(tail -1 "$dir/peer")"
	[ "$res" = "paired reencrypted" ] && [ $mode = 0600 ] && [ $prc = 0 ] && pass=$((pass + 1))
}
bond central yes
bond central no
bond peripheral yes
bond peripheral no
bond central yes secreq
bond peripheral yes secreq
echo "pair_interop: $pass/$total pairings with ble-host"
[ $pass = $total ]
