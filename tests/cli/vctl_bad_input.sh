#!/usr/bin/env bash
# `pairscope controller` against a host that misbehaves over TCP: bad H4 type octets (Hardware Error,
# then resynchronised), wrong parameter lengths (0x12), unknown opcodes (0x01), ACL for an unknown
# handle (dropped), an abrupt close; the server answers correctly and keeps serving new clients.
set -u
PS=${1:?usage: vctl_bad_input.sh PAIRSCOPE}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
"$PS" controller --listen tcp:127.0.0.1:0 -q >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q '^listening on' "$tmp/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on tcp:127.0.0.1:\([0-9]*\)$/\1/p' "$tmp/out")
[ -n "$port" ] || { echo "FAIL: controller did not listen"; exit 1; }
python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
def session(send, want, note):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(2)
    s.sendall(bytes.fromhex(send))
    got = b""
    end = time.time() + 2
    while len(got) < len(bytes.fromhex(want)) and time.time() < end:
        try:
            d = s.recv(4096)
        except socket.timeout:
            break
        if not d:
            break
        got += d
    s.close()
    if got.hex() != want:
        print("FAIL %s: got %s want %s" % (note, got.hex(), want)); sys.exit(1)
    print("ok", note)
session("ff00ee" "01030c00", "04100101" "040e0401030c00", "garbage then Reset")
session("010a200201 00", "040e04010a2012", "wrong parameter length -> 0x12")
session("0101fc00", "040e040101fc01", "unknown opcode -> 0x01")
session("02230105000100040000" "01030c00", "040e0401030c00", "ACL for an unknown handle dropped")
session("0103", "", "cut mid-header")
session("01030c00", "040e0401030c00", "still serving")
PY
rc=$?
kill -0 $pid 2>/dev/null || { echo "FAIL: controller died"; exit 1; }
[ $rc = 0 ] && echo PASS
exit $rc
