#!/usr/bin/env bash
# Bad input and bad output paths across the CLI: a clear one-line message naming the file (and frame and
# offset where there is one), a non-zero exit, never a crash, and an output that is a device or a FIFO
# written into, never replaced by a rename (as root, `-o /dev/null` once turned /dev/null into a file).
# Usage: qa_bad_input.sh PAIRSCOPE   (run from the project root)
set -u
PS=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
seed=$root/tests/data/seed.btsnoop
c5=$root/tests/data/crackle/crackle_05_numeric_pin.pcap
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# check NAME WANT-EXIT WANT-STDERR-REGEX CMD...
check() {
	local name=$1 want=$2 re=$3
	shift 3
	"$@" >/dev/null 2>"$tmp/err"
	local rc=$?
	if [ $rc -ge 128 ]; then echo "FAIL $name: crashed (exit $rc)"; fail=1; return; fi
	if [ "$rc" != "$want" ]; then echo "FAIL $name: exit $rc, want $want"; cat "$tmp/err"; fail=1; return; fi
	if [ -n "$re" ] && ! grep -q -- "$re" "$tmp/err"; then
		echo "FAIL $name: no \"$re\" in:"; cat "$tmp/err"; fail=1; return
	fi
	echo "ok   $name"
}

head -c 100 "$seed" >"$tmp/cut.btsnoop"
mkdir "$tmp/dir"
for c in decode doctor crack; do
	check "$c directory" 2 "dir: read error" "$PS" $c "$tmp/dir"
	check "$c missing file" 2 "nonexistent.btsnoop: cannot open" "$PS" $c "$tmp/nonexistent.btsnoop"
	check "$c /dev/null" 2 "empty input" "$PS" $c /dev/null
	check "$c stdin closed" 2 "standard input" "$PS" $c - <&-
done
# damage names the file, the frame and the byte offset, for doctor as for decode and convert
check "decode truncated" 1 "cut.btsnoop: frame 3 (offset 80): truncated" "$PS" decode "$tmp/cut.btsnoop"
check "doctor truncated" 1 "cut.btsnoop: frame 3, offset 80: truncated" "$PS" doctor "$tmp/cut.btsnoop"
check "doctor truncated says so" 1 "the capture is damaged" "$PS" doctor "$tmp/cut.btsnoop"

# usage errors: exit 2 and a line saying what is wrong
check "decode --only without value" 2 "--only needs a value" "$PS" decode --only
check "decode -V garbage" 2 "bad vendor 'zz'" "$PS" decode -V zz "$seed"
check "decode no file" 2 "no capture given" "$PS" decode
check "doctor --color bogus" 2 "--color wants auto, always or never" "$PS" doctor --color bogus "$seed"
check "doctor --no-color" 1 "" "$PS" doctor --no-color "$seed"
check "doctor two files" 2 "one capture only" "$PS" doctor "$seed" "$seed"
check "convert no -o" 2 "no output given" "$PS" convert "$seed"
check "crack two files" 2 "one capture only" "$PS" crack "$seed" "$seed"
check "crack bad option" 2 "pairscope crack: unrecognized option" "$PS" crack --bogus "$seed"
check "demo extra argument" 2 "takes no arguments" "$PS" demo extra
check "pair --passkey garbage" 2 "--passkey wants 0..999999" "$PS" pair --passkey abc
check "crypto rpa-resolve dir" 2 "read error" "$PS" crypto rpa-resolve --addr 70:81:94:0D:FB:AA --irks "$tmp/dir"

# output paths: a directory, a missing directory, a full device; nothing half-written left behind
check "convert -o directory" 2 "is a directory" "$PS" convert "$seed" -o "$tmp/dir" --format btsnoop
check "convert -o missing dir" 2 "no such directory" "$PS" convert "$seed" -o "$tmp/nope/x.btsnoop"
[ -z "$(ls -A "$tmp/dir")" ] || { echo "FAIL: files left in the output directory: $(ls -A "$tmp/dir")"; fail=1; }
# a FIFO (or a device) is written into, not replaced
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/fifo.out" &
check "convert -o fifo" 0 "" "$PS" convert "$seed" -o "$tmp/fifo" --format btsnoop
wait
[ -p "$tmp/fifo" ] || { echo "FAIL convert -o fifo: the FIFO was replaced"; fail=1; }
cmp -s "$tmp/fifo.out" "$seed" || { echo "FAIL convert -o fifo: wrong bytes through the FIFO"; fail=1; }
mkfifo "$tmp/fifo2"
cat "$tmp/fifo2" >"$tmp/fifo2.out" &
check "crack -o fifo" 0 "" "$PS" crack -q "$c5" -o "$tmp/fifo2"
wait
[ -p "$tmp/fifo2" ] || { echo "FAIL crack -o fifo: the FIFO was replaced"; fail=1; }
[ -s "$tmp/fifo2.out" ] || { echo "FAIL crack -o fifo: nothing came through the FIFO"; fail=1; }
ls -A "$tmp" | grep -q 'tmp\|^\.' && { echo "FAIL: temp files left: $(ls -A "$tmp")"; fail=1; }
# a full device: the write error is reported (only once FIFOs are known to be written into, so that a
# regression cannot replace /dev/full when the tests run as root)
if [ $fail = 0 ] && [ -c /dev/full ] && [ -w /dev/full ]; then
	check "convert -o /dev/full" 2 "cannot write" "$PS" convert "$seed" -o /dev/full --format btsnoop
	check "crack -o /dev/full" 2 "cannot write" "$PS" crack -q "$c5" -o /dev/full
	check "decode >/dev/full" 2 "cannot write standard output" sh -c '"$0" decode "$1" >/dev/full' "$PS" "$seed"
	check "doctor >/dev/full" 2 "cannot write the report" sh -c '"$0" doctor "$1" >/dev/full' "$PS" "$seed"
	[ -c /dev/full ] || { echo "FAIL: /dev/full is no longer a device"; fail=1; }
fi

[ $fail = 0 ] && echo "qa bad input: ok"
exit $fail
