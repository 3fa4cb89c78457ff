#!/usr/bin/env bash
# Real btmon logs pasted in public bug reports and forums (tests/data/reallogs/NN-name.txt, each with
# its source in its first line): convert and doctor each, and compare with the reviewed expectations
# beside it (NN-name.expect): packets rebuilt, records reported as not rebuilt, pairings, their
# outcomes, the warning/error rules raised (rule:severity) and the probable causes. The expectations
# were written after reviewing every "not rebuilt" diagnostic and every warning/error against the Core
# spec (docs/textlog.md, docs/doctor-rules.md "What real logs taught").
# Usage: reallogs.sh PAIRSCOPE [--regen]   (run from anywhere)
set -u
PS=$1
regen=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/tests/data/reallogs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
for log in "$dir"/*.txt; do
	name=$(basename "$log" .txt)
	n=$((n + 1))
	rm -f "$tmp/o.btsnoop"
	"$PS" convert "$log" -o "$tmp/o.btsnoop" >/dev/null 2>"$tmp/conv.err"
	crc=$?
	if [ $crc -ge 128 ]; then echo "FAIL $name: convert crashed (exit $crc)"; fail=1; continue; fi
	"$PS" doctor --json "$log" >"$tmp/doc.json" 2>"$tmp/doc.err"
	drc=$?
	if [ $drc -ge 128 ]; then echo "FAIL $name: doctor crashed (exit $drc)"; fail=1; continue; fi
	python3 - "$tmp/conv.err" "$tmp/doc.json" "$crc" >"$tmp/got" <<'PY'
import json, re, sys
err = open(sys.argv[1]).read()
crc = int(sys.argv[3])
written = 0  # records in the written btsnoop (RFC 1761 layout: 16-octet header, 24-octet record headers)
try:
    b = open(sys.argv[1].rsplit("/", 1)[0] + "/o.btsnoop", "rb").read()
    off = 16
    while off + 24 <= len(b):
        off += 24 + int.from_bytes(b[off + 4:off + 8], "big")
        written += 1
except OSError:
    pass
skipped = len(re.findall(r": skipped: ", err))  # each left a "not rebuilt" note frame
print("convert_exit=%d" % crc)
print("rebuilt=%d" % (written - skipped))
print("not_rebuilt=%d" % skipped)
try:
    j = json.load(open(sys.argv[2]))
except Exception:
    print("pairings=-")
    sys.exit(0)
ps = j.get("pairings", [])
print("pairings=%d" % len(ps))
print("outcomes=%s" % ",".join(p["outcome"] for p in ps))
rules = set()
for f in j.get("findings", []):
    if f["severity"] in ("warning", "error"):
        rules.add("%s:%s" % (f["rule"], f["severity"]))
for p in ps:
    for f in p.get("findings", []):
        if f["severity"] in ("warning", "error"):
            rules.add("%s:%s" % (f["rule"], f["severity"]))
print("rules=%s" % ",".join(sorted(rules)))
print("probable_cause=%s" % ",".join((p["probable_cause"] or {}).get("rule", "none")
                                      if isinstance(p["probable_cause"], dict) else str(p["probable_cause"] or "none")
                                      for p in ps))
PY
	exp=$dir/$name.expect
	if [ "$regen" = "--regen" ]; then
		cp "$tmp/got" "$exp"
		echo "regen $name"
		continue
	fi
	if [ ! -f "$exp" ]; then echo "FAIL $name: no $name.expect"; fail=1; continue; fi
	if ! diff -u "$exp" "$tmp/got" >"$tmp/diff"; then
		echo "FAIL $name:"; cat "$tmp/diff"; fail=1; continue
	fi
	echo "ok   $name"
done
[ $n -gt 0 ] || { echo "FAIL: no logs in $dir"; exit 1; }
exit $fail
