#!/usr/bin/env bash
# Interop: two BTstack processes (POSIX H4 port) on `pairscope controller --pty 2` find each other,
# connect and pair. This script neither downloads nor builds BTstack: point BTSTACK_DIR at a BTstack
# tree whose port/posix-h4 examples are built (see docs/vctl.md, "Checked against BTstack"), or at that
# port/posix-h4 folder itself. Without BTSTACK_DIR it skips (exit 0, or 77 with SKIP_RC=77).
#
#   BTSTACK_DIR=/tmp/btstack tests/interop/btstack.sh [build/pairscope]
#
# Pairs run, each "peripheral central expected-central-line":
#   sm_pairing_peripheral + sm_pairing_central   LE Secure Connections, Just Works (the examples' default)
#   gatt_counter + gatt_browser                  connection + GATT discovery, no pairing (if both built)
#   per_legacy_pk + cen_legacy_pk and per_sc_bond + cen_sc_bond (each twice: pairing, then
#   re-encryption with the stored LTK), per_legacy_pk + cen_legacy_jw, per_cpr + sm_pairing_central (peripheral-initiated
#   LE Connection Update): only when such variant binaries exist next to the examples (docs/vctl.md
#   says how they are made from sm_pairing_*.c).
# Each run's HCI traffic is kept as $OUT/<name>.btsnoop (btmon -r / pairscope decode read it).
set -u
PS=${1:-${PS:-build/pairscope}}
SKIP_RC=${SKIP_RC:-0}
if [ -z "${BTSTACK_DIR:-}" ]; then
  echo "SKIP: BTSTACK_DIR unset (a BTstack tree with port/posix-h4 examples built)"
  exit "$SKIP_RC"
fi
bin=$BTSTACK_DIR
[ -x "$bin/sm_pairing_central" ] || bin=$BTSTACK_DIR/port/posix-h4
for b in sm_pairing_peripheral sm_pairing_central; do
  [ -x "$bin/$b" ] || { echo "SKIP: $bin/$b not built"; exit "$SKIP_RC"; }
done
[ -x "$PS" ] || { echo "FAIL: no $PS"; exit 1; }
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
TIMEOUT=${TIMEOUT:-15}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

# run NAME PERIPHERAL CENTRAL PER_WANT CEN_WANT [RESET]: 0 when both outputs show their line in time.
run() {
  local name=$1 per=$2 cen=$3 pwant=$4 cwant=$5 reset=${6:-}
  local d="$OUT/$name"
  mkdir -p "$d"
  "$PS" controller --pty 2 --write "$OUT/$name.btsnoop" >"$d/ctl.out" 2>"$d/ctl.err" &
  local cpid=$!
  pids+=("$cpid")
  for _ in $(seq 50); do [ "$(grep -c '^pty ' "$d/ctl.out" 2>/dev/null)" = 2 ] && break; sleep 0.1; done
  local p0 p1
  p0=$(awk '/^pty /{print $2}' "$d/ctl.out" | sed -n 1p)
  p1=$(awk '/^pty /{print $2}' "$d/ctl.out" | sed -n 2p)
  if [ -z "$p0" ] || [ -z "$p1" ]; then echo "FAIL $name: controller printed no ptys"; return 1; fi
  # -r: forget bonds of an earlier run (BTstack keeps them in /tmp/btstack_<addr>.tlv).
  (cd "$d" && exec stdbuf -oL "$bin/$per" -u "$p0" -l "$d/per.pklg" $reset >"$d/per.out" 2>&1) &
  local ppid=$!
  pids+=("$ppid")
  sleep 0.3
  (cd "$d" && exec stdbuf -oL "$bin/$cen" -u "$p1" -l "$d/cen.pklg" $reset >"$d/cen.out" 2>&1) &
  local cenpid=$!
  pids+=("$cenpid")
  local ok=1
  for _ in $(seq $((TIMEOUT * 10))); do
    if grep -q "$pwant" "$d/per.out" && grep -q "$cwant" "$d/cen.out"; then ok=0; break; fi
    sleep 0.1
  done
  kill "$cenpid" "$ppid" 2>/dev/null
  wait "$cenpid" "$ppid" 2>/dev/null
  kill -INT "$cpid" 2>/dev/null
  wait "$cpid" 2>/dev/null
  if [ $ok = 0 ]; then
    echo "ok   $name: peripheral '$(grep -m1 "$pwant" "$d/per.out")', central '$(grep -m1 "$cwant" "$d/cen.out")'"
  else
    echo "FAIL $name (logs in $d):"
    tail -n 5 "$d/per.out" "$d/cen.out"
  fi
  return $ok
}

pass=0 total=0
try() { total=$((total + 1)); if run "$@"; then pass=$((pass + 1)); fi; }

try sc-jw sm_pairing_peripheral sm_pairing_central "Pairing complete, success" "Pairing complete, success" -r
if [ -x "$bin/gatt_counter" ] && [ -x "$bin/gatt_browser" ]; then
  try gatt gatt_counter gatt_browser "BTstack up and running" "GATT browser - CHARACTERISTIC" -r
fi
if [ -x "$bin/per_legacy_pk" ] && [ -x "$bin/cen_legacy_pk" ]; then
  try legacy-pk per_legacy_pk cen_legacy_pk "Pairing complete, success" "Pairing complete, success" -r
  # Legacy bond kept: re-encryption sends the peripheral's EDIV and Rand in LE Start Encryption.
  try legacy-reencrypt per_legacy_pk cen_legacy_pk "Re-encryption complete, success\|Pairing complete, success" \
    "Re-encryption complete, success"
fi
if [ -x "$bin/per_legacy_pk" ] && [ -x "$bin/cen_legacy_jw" ]; then
  try legacy-jw per_legacy_pk cen_legacy_jw "Pairing complete, success" "Pairing complete, success" -r
fi
if [ -x "$bin/per_sc_bond" ] && [ -x "$bin/cen_sc_bond" ]; then
  try sc-pk-bond per_sc_bond cen_sc_bond "Pairing complete, success" "Pairing complete, success" -r
  # Same addresses, bonds kept: the central re-encrypts with the stored LTK (LE Start Encryption,
  # LTK Request with the peripheral's EDIV/Rand, Encryption Change).
  try sc-reencrypt per_sc_bond cen_sc_bond "Re-encryption complete, success\|Pairing complete, success" \
    "Re-encryption complete, success"
fi
if [ -x "$bin/per_cpr" ]; then
  # The peripheral's host asks for 15 ms with LE Connection Update (no L2CAP): Connection Parameters
  # Request procedure; BTstack's central answers the LE Remote Connection Parameter Request itself.
  try cpr per_cpr sm_pairing_central "PS connection update complete: status 0 interval 12" \
    "Pairing complete, success" -r
fi
echo "BTstack runs through pairscope's controller: $pass/$total (captures in $OUT)"
[ "$pass" = "$total" ]
