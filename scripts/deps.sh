#!/usr/bin/env bash
# Install what pairscope builds and tests with, from Debian (and the test-only npm peer).
# As root: installs what is missing. Otherwise: prints the apt-get line and stops.
set -eu
pkgs="build-essential cmake pkg-config libssl-dev libpcap-dev libcmocka-dev clang libclang-rt-14-dev python3 bluez tshark nodejs"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages:$missing"
    echo "run as root: apt-get update && apt-get install -y$missing"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq $missing
fi
# The npm ble-host stack is a test-only interop peer: installed into a folder of ours, never committed.
here=$(cd "$(dirname "$0")/.." && pwd)
if command -v npm >/dev/null 2>&1 && [ ! -d "$here/tests/interop/node_modules/ble-host" ]; then
  mkdir -p "$here/tests/interop"
  (cd "$here/tests/interop" && npm install --no-audit --no-fund --silent ble-host@1.0.3 >/dev/null 2>&1) ||
    echo "note: npm install ble-host failed; interop tests will be skipped" >&2
fi
exit 0
