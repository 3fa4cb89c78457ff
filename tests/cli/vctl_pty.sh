#!/usr/bin/env bash
# `pairscope controller --pty`: two pseudo-terminals, each a controller on one link; a host that opens
# the printed path gets H4 answers (Reset, Read BD_ADDR).
set -u
PS=${1:?usage: vctl_pty.sh PAIRSCOPE}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
"$PS" controller --pty 2 -q >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 50); do [ "$(grep -c '^pty ' "$tmp/out" 2>/dev/null)" = 2 ] && break; sleep 0.1; done
pty=$(awk '/^pty /{print $2; exit}' "$tmp/out")
[ -n "$pty" ] || { echo "FAIL: no pty printed"; cat "$tmp/out"; exit 1; }
python3 - "$pty" <<'PY'
import os, sys, termios, tty, time, select
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
os.write(fd, bytes.fromhex("01030c00" "01091000"))
got = b""
end = time.time() + 3
while len(got) < 7 + 13 and time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.5)
    if r:
        got += os.read(fd, 256)
os.close(fd)
want = "040e0401030c00" "040e0a01091000"
if not got.hex().startswith(want):
    print("FAIL: got", got.hex()); sys.exit(1)
print("ok: Reset and Read BD_ADDR answered over", sys.argv[1])
PY
rc=$?
[ $rc = 0 ] && echo PASS
exit $rc
