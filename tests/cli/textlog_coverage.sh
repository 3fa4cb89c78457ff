#!/usr/bin/env bash
# Text-log round trip on the coverage trace (issue 3): tests/tools/gencov.py writes one packet per
# packet-table entry (every display format the printer has); its text, as `pairscope decode` and as
# btmon 5.66 print it, plain and mangled by tests/tools/mail_mangle.py, goes back through
# `pairscope convert`: every packet and its time must come back, except the ones listed below, each
# because the text does not hold its bytes (docs/textlog.md, "Coverage trace"). The test also fails when
# a listed exception comes back (then shorten the list and the doc).
# btmon's text: live btmon 5.66 when installed, else tests/golden/decode/coverage.btmon.txt when its
# sha256 matches the generated trace.
# Usage: textlog_coverage.sh PAIRSCOPE   (run from anywhere)
set -u
PS=${1:?usage: textlog_coverage.sh PAIRSCOPE}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mangle="$root/tests/tools/mail_mangle.py"
cmp="$root/tests/tools/cmp_btsnoop.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# Exceptions: "kind:regex on the packet's hex" then why. Kinds: cmd, evt, acl-tx, acl-rx.
cat >"$tmp/exc.pairscope" <<'EOF'
evt:^ff..b4	Broadcom LM Diag: the printer dumps 63 of its 64 octets (btmon's decoder length)
EOF
cat >"$tmp/exc.btmon" <<'EOF'
evt:^ff..b4	Broadcom LM Diag: btmon prints Type and Clock, then skips 4 octets and dumps the rest but the last
acl-rx:^.{12}040021	ATT Read Multiple Variable Length Response: btmon misreads the tuples ("invalid size")
EOF

# compare ORIGINAL REBUILT EXCEPTIONS: align the packet lists; every original packet not rebuilt must
# match one exception and every exception must match one.
compare() {
	python3 - "$1" "$2" "$3" <<'EOF'
import difflib, re, struct, sys
def frames(path):
    d = open(path, 'rb').read()
    off, out = 16, []
    while off + 24 <= len(d):
        olen, ilen, flags, drops, ts = struct.unpack('>IIIIq', d[off:off + 24])
        data = d[off + 24:off + 24 + ilen]; off += 24 + ilen
        kind = {2: 'cmd', 3: 'evt', 4: 'acl-tx', 5: 'acl-rx'}.get(flags & 0xffff)
        if kind:
            out.append((kind, data.hex(), ts))
    t0 = out[0][2] if out else 0
    return [(k, h, t - t0) for k, h, t in out]
want, got = frames(sys.argv[1]), frames(sys.argv[2])
exc = []
for line in open(sys.argv[3]):
    spec, why = line.rstrip('\n').split('\t')
    kind, rx = spec.split(':', 1)
    exc.append([kind, re.compile(rx), why, 0])
sm = difflib.SequenceMatcher(None, want, got, autojunk=False)
missing = [i for op, i1, i2, _, _ in sm.get_opcodes() if op != 'equal' for i in range(i1, i2)]
bad = 0
for i in missing:
    k, h, _ = want[i]
    e = next((e for e in exc if e[0] == k and e[1].search(h)), None)
    if e:
        e[3] += 1
    else:
        print(f'  packet {i + 1} not rebuilt: {k} {h[:64]}'); bad = 1
for k, rx, why, n in exc:
    if not n:
        print(f'  exception now rebuilt, remove it: {k}:{rx.pattern} ({why})'); bad = 1
print(f'{len(want) - len(missing)}/{len(want)} packets rebuilt, {len(missing)} listed exception(s)')
sys.exit(bad)
EOF
}

check() { # name text exceptions
	"$PS" convert "$2" -o "$tmp/out.btsnoop" >/dev/null 2>"$tmp/err"
	local rc=$?
	if [ $rc -gt 1 ] || [ ! -s "$tmp/out.btsnoop" ]; then
		echo "FAIL $1: convert exit $rc"; head -5 "$tmp/err"; fail=1; return
	fi
	if out=$(compare "$tmp/cov.btsnoop" "$tmp/out.btsnoop" "$3"); then
		echo "ok   $1: ${out##*$'\n'}"
	else
		echo "FAIL $1:"; echo "$out"; fail=1
	fi
}

python3 "$root/tests/tools/gencov.py" "$tmp/cov.btsnoop" --root "$root" || { echo "FAIL gencov.py"; exit 1; }
"$PS" decode "$tmp/cov.btsnoop" >"$tmp/pairscope.txt" 2>/dev/null
# the exact text first, through the acceptance comparison (positional, so the one exception shows)
"$PS" convert "$tmp/pairscope.txt" -o "$tmp/plain.btsnoop" >/dev/null 2>&1
[ -f "$cmp" ] && echo "     cmp_btsnoop: $(python3 "$cmp" "$tmp/plain.btsnoop" "$tmp/cov.btsnoop" | tail -1)"

decoders=pairscope
golden=$root/tests/golden/decode
if command -v btmon >/dev/null 2>&1 && [ "$(btmon --version 2>/dev/null)" = 5.66 ]; then
	btmon -r "$tmp/cov.btsnoop" >"$tmp/btmon.txt" 2>/dev/null && decoders="pairscope btmon"
elif [ "$(sha256sum <"$tmp/cov.btsnoop" | cut -d' ' -f1)" = "$(cat "$golden/coverage.sha256" 2>/dev/null)" ]; then
	cp "$golden/coverage.btmon.txt" "$tmp/btmon.txt" && decoders="pairscope btmon"
else
	echo "skip btmon: no btmon 5.66 and the golden text is stale"
fi
for d in $decoders; do
	for v in plain quote1 quote2 quote2+wrap72 quote3+wrap72+strip quote2+crlf strip+flatten quote2+flatten \
		 quote3+wrap72+crlf+flatten; do
		if [ "$v" = plain ]; then cp "$tmp/$d.txt" "$tmp/m.txt"; else python3 "$mangle" "$v" <"$tmp/$d.txt" >"$tmp/m.txt"; fi
		check "$d $v" "$tmp/m.txt" "$tmp/exc.$d"
	done
done
exit $fail
