#!/usr/bin/env bash
# Install what pairscope builds and tests with, from Debian (and the test-only npm peer).
# As root: installs what is missing. Otherwise: prints the apt-get line and stops.
# Build needs are required; the oracles (btmon, tshark, node + npm for the ble-host peer) are
# installed when possible, and the tests that need them say SKIP when they are absent.
set -u
need="build-essential cmake pkg-config libssl-dev libpcap-dev libcmocka-dev python3 time"
oracles="clang libclang-rt-14-dev bluez tshark"
command -v node >/dev/null 2>&1 || oracles="$oracles nodejs"
command -v npm >/dev/null 2>&1 || oracles="$oracles npm"
missing() {
  local out="" p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out="$out $p"
  done
  echo "$out"
}
m_need=$(missing $need)
m_orc=$(missing $oracles)
if [ -n "$m_need$m_orc" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages:$m_need$m_orc"
    echo "run as root: apt-get update && apt-get install -y$m_need$m_orc"
    [ -z "$m_need" ] || exit 1
  else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || true
    if [ -n "$m_need" ]; then
      apt-get install -y -qq $m_need || { echo "deps: cannot install:$m_need" >&2; exit 1; }
    fi
    for p in $m_orc; do
      apt-get install -y -qq "$p" >/dev/null 2>&1 || echo "deps: note: $p not installed; tests needing it will skip" >&2
    done
  fi
fi
# The npm ble-host stack is a test-only interop peer: installed into a folder of ours, never committed.
here=$(cd "$(dirname "$0")/.." && pwd)
if command -v npm >/dev/null 2>&1 && [ ! -d "$here/tests/interop/node_modules/ble-host" ]; then
  mkdir -p "$here/tests/interop"
  (cd "$here/tests/interop" && npm install --no-audit --no-fund --silent --no-save ble-host@1.0.3 >/dev/null 2>&1) ||
    echo "deps: note: npm install ble-host failed; interop tests will skip" >&2
fi
# The acceptance checks resolve ble-host from the project root: point node_modules there too.
if [ -d "$here/tests/interop/node_modules/ble-host" ] && [ ! -e "$here/node_modules" ]; then
  ln -s tests/interop/node_modules "$here/node_modules"
fi
exit 0
