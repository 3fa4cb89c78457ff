#!/usr/bin/env bash
# Text-log bad input (issue 3): prose only, a truncated log, an impossible value, a 100 KB line, binary
# garbage: a message naming the line, no crash; nothing readable -> non-zero exit, damage -> exit 1.
# Usage: textlog_bad.sh PAIRSCOPE   (run from the project root)
set -u
PS=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
run() { # name file want-exit(s) want-message
	"$PS" convert "$2" -o "$tmp/o.btsnoop" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc -ge 128 ]; then echo "FAIL $1: crashed (exit $rc)"; fail=1; return; fi
	case " $3 " in *" $rc "*) ;; *) echo "FAIL $1: exit $rc, want $3"; cat "$tmp/err"; fail=1; return;; esac
	if [ -n "$4" ] && ! grep -q -- "$4" "$tmp/err"; then echo "FAIL $1: no \"$4\" in:"; cat "$tmp/err"; fail=1; return; fi
	echo "ok   $1 (exit $rc)"
}
log=$root/tests/data/seed-log.txt
printf 'Hi all,\nmy pairing fails, any idea?\n> Thanks\n' >"$tmp/prose.txt"
run prose "$tmp/prose.txt" "1" "no btmon packet could be read"
head -c 5000 "$log" >"$tmp/trunc.txt"
run truncated "$tmp/trunc.txt" "1" "line 143"
sed 's/Max encryption key size: 16/Max encryption key size: 999/' "$log" >"$tmp/imp.txt"
run impossible-value "$tmp/imp.txt" "1" "999 does not fit"
{ head -c 102400 /dev/zero | tr '\0' 'x'; echo; cat "$log"; } >"$tmp/long.txt"
run long-line "$tmp/long.txt" "0" ""
head -c 65536 /dev/urandom >"$tmp/garbage.bin"
run garbage "$tmp/garbage.bin" "1 2" "format\|no btmon packet"
{ head -c 4096 /dev/urandom; printf '\n> HCI Event: Command Complete (0x0e) plen 4 [hci0] 1.000000\n'; } >"$tmp/mixed.bin"
"$PS" convert "$tmp/mixed.bin" -o "$tmp/o.btsnoop" >/dev/null 2>&1
[ $? -ge 128 ] && { echo "FAIL mixed garbage: crashed"; fail=1; }
exit $fail
