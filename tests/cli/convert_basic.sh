#!/bin/bash
# pairscope convert: formats by extension and --format, standard input/output, exit codes 0/1/2,
# and nothing written (not even a temp file) when the input cannot be read.
set -u
bin=$(realpath "${1:?usage: convert_basic.sh PAIRSCOPE}")
cd "$(dirname "$0")/../.." || exit 2
data=tests/data
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
check() { # check DESCRIPTION CONDITION...
	local what=$1; shift
	if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}
magic() { head -c "$2" "$1" | od -An -tx1 | tr -d ' \n'; }

"$bin" convert $data/seed.btsnoop -o "$out/a.btsnoop"; rc=$?
check "2001 -> .btsnoop exit 0" test $rc = 0
check "2001 -> .btsnoop byte for byte" cmp -s "$out/a.btsnoop" $data/seed.btsnoop
"$bin" convert $data/seed.btsnoop -o "$out/a.log" 2>/dev/null
check ".log is btsnoop 2001" cmp -s "$out/a.log" $data/seed.btsnoop
"$bin" convert $data/seed.btsnoop -o "$out/a.pcap" 2>/dev/null; rc=$?
check "-> .pcap exit 0" test $rc = 0
check ".pcap is pcap DLT 201" test "$(magic "$out/a.pcap" 4)" = d4c3b2a1
"$bin" convert $data/seed.btsnoop -o "$out/b.pcap" --format btsnoop-h4 2>/dev/null
check "--format wins over the extension" cmp -s "$out/b.pcap" $data/seed-h4.btsnoop
"$bin" convert $data/seed.btsnoop -o "$out/c.btsnoop" --format btsnoop-h4 2>"$out/err"
check "index records left out of H4 with a note" grep -q "3 records have no btsnoop H4 form" "$out/err"
"$bin" convert - -o "$out/d.btsnoop" --format btsnoop-h4 <$data/seed-h4.btsnoop; rc=$?
check "standard input" test $rc = 0
check "standard input H4 -> H4 byte for byte" cmp -s "$out/d.btsnoop" $data/seed-h4.btsnoop
cat $data/seed-h4.pcapng | "$bin" convert - -o - --format btsnoop-h4 >"$out/e.btsnoop"; rc=$?
check "pcapng pipe -> standard output" test $rc = 0
check "pcapng -> H4 byte for byte" cmp -s "$out/e.btsnoop" $data/seed-h4.btsnoop

# Damaged input: written, exit 1, message names frame and offset.
head -c 1626 $data/seed.btsnoop >"$out/cut.btsnoop"
"$bin" convert "$out/cut.btsnoop" -o "$out/f.btsnoop" 2>"$out/err"; rc=$?
check "damaged input exit 1" test $rc = 1
check "damaged input still written" test -s "$out/f.btsnoop"
check "message names file, frame and offset" grep -q "cut.btsnoop: frame 44, offset 1600: truncated record: length 6 runs past" "$out/err"

# Unreadable input or usage errors: exit 2, nothing written.
printf '\177\000\001\002\003 binary junk' >"$out/junk.bin"
printf 'not a capture at all\n' >"$out/junk.txt"
rm -f "$out/err"
before=$(ls -A "$out" | wc -l)
"$bin" convert "$out/junk.bin" -o "$out/g.btsnoop" 2>"$out/err"; rc=$?
check "unknown format exit 2" test $rc = 2
check "unknown format message" grep -q "junk.bin: offset 0: unknown format, first bytes 7f 00 01 02" "$out/err"
"$bin" convert "$out/junk.txt" -o "$out/g.btsnoop" 2>"$out/err"; rc=$?
# Text is recognised as a (would-be) btmon log: nothing rebuilt is damaged input, exit 1 (issue 3).
check "text with no btmon packet exit 1" test $rc = 1
check "text with no btmon packet writes nothing" test ! -e "$out/g.btsnoop"
check "text message names the file" grep -q "junk.txt" "$out/err"
"$bin" convert "$out/missing.btsnoop" -o "$out/g.btsnoop" 2>/dev/null; rc=$?
check "missing input exit 2" test $rc = 2
"$bin" convert $data/seed.btsnoop -o "$out/g.pcapng" 2>/dev/null; rc=$?
check "unknown output extension exit 2" test $rc = 2
"$bin" convert $data/seed.btsnoop -o "$out/g.btsnoop" --format wav 2>/dev/null; rc=$?
check "unknown --format exit 2" test $rc = 2
"$bin" convert $data/seed.btsnoop 2>/dev/null; rc=$?
check "missing -o exit 2" test $rc = 2
rm -f "$out/err"
check "nothing written on failure (no temp files)" test "$(ls -A "$out" | wc -l)" = "$before"
"$bin" convert $data/seed.btsnoop -o /nonexistent-dir/x.btsnoop 2>/dev/null; rc=$?
check "unwritable output exit 2" test $rc = 2
"$bin" convert tests/data/seed-log.txt -o "$out/log.btsnoop" 2>/dev/null; rc=$?
check "btmon text log converts (exit $rc)" test $rc -le 1
# Same packets, same sizes (the log's timestamps are its own).
check "btmon text log gives 41 HCI records" test "$("$bin" convert "$out/log.btsnoop" -o - --format btsnoop-h4 2>/dev/null | wc -c)" = "$(wc -c <tests/data/seed-h4.btsnoop)"
"$bin" convert --help | grep -q "usage: pairscope convert"
check "--help" test $? = 0
exit $fail
