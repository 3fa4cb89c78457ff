#!/usr/bin/env bash
# `pairscope controller --pty --write`: a command that arrives after the link sat idle runs (and is
# stamped in the capture) when it arrived, not at the time the link's clock last moved. BTstack's Reset
# came 230 ms after the controller's start and was stamped before its own pty was opened.
set -u
PS=${1:?usage: vctl_pty_clock.sh PAIRSCOPE}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
"$PS" controller --pty 1 -q --write "$tmp/c.btsnoop" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q '^pty ' "$tmp/out" 2>/dev/null && break; sleep 0.1; done
pty=$(awk '/^pty /{print $2; exit}' "$tmp/out")
[ -n "$pty" ] || { echo "FAIL: no pty printed"; cat "$tmp/out"; exit 1; }
python3 - "$pty" <<'PY' || exit 1
import os, sys, tty, time, select
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
def reset():
    os.write(fd, bytes.fromhex("01030c00"))
    got = b""
    end = time.time() + 3
    while len(got) < 7 and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            got += os.read(fd, 64)
    if got.hex() != "040e0401030c00":
        print("FAIL: Reset answered with", got.hex()); sys.exit(1)
reset()
time.sleep(0.7)   # nothing scheduled on the link meanwhile: the controller sleeps in poll
reset()
os.close(fd)
PY
kill -INT $pid; wait $pid
python3 - "$tmp/c.btsnoop" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off, cmds = 16, []
while off + 24 <= len(d):
    _, il, fl, _, t = struct.unpack(">IIIIq", d[off:off + 24])
    if fl & 0xffff == 2:   # monitor opcode 2: command
        cmds.append(t)
    off += 24 + il
if len(cmds) != 2:
    print("FAIL: want 2 commands in the capture, got", len(cmds)); sys.exit(1)
gap = (cmds[1] - cmds[0]) / 1e6
if gap < 0.6:
    print("FAIL: second Reset stamped %.3f s after the first (sent 0.7 s later)" % gap); sys.exit(1)
print("ok: second Reset stamped %.3f s after the first (sent 0.7 s later)" % gap)
PY
rc=$?
[ $rc = 0 ] && echo PASS
exit $rc
