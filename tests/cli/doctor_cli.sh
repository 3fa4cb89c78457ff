#!/usr/bin/env bash
# pairscope doctor end to end: the seed (btsnoop and mail text) exits 1 with the expert's diagnosis, every
# golden trace in tests/golden/doctor/ gives its stored JSON, --rules lists every rule, unreadable input
# and usage errors exit 2, correct pairings exit 0.
set -u
ps=${1:?usage: doctor_cli.sh PAIRSCOPE}
fail=0
err() { echo "FAIL: $*"; fail=1; }

for f in tests/data/seed.btsnoop tests/data/seed-mail.txt; do
	out=$("$ps" doctor --json "$f"); rc=$?
	[ $rc = 1 ] || err "$f: exit $rc, want 1"
	for r in keydist.not-negotiated random.pattern random.reused pairing.failed l2cap.response-ident hci.init-incomplete; do
		grep -q "\"rule\": \"$r\"" <<<"$out" || err "$f: no $r"
	done
	grep -q '"probable_cause": "keydist.not-negotiated"' <<<"$out" || err "$f: probable cause"
	txt=$("$ps" doctor --color never "$f")
	grep -q 'probable cause keydist.not-negotiated' <<<"$txt" || err "$f: text report lacks the cause"
	grep -q $'\033' <<<"$txt" && err "$f: colors with --color never"
done

n=0
for g in tests/golden/doctor/*.btsnoop; do
	want=${g%.btsnoop}.json
	got=$("$ps" doctor --json "$g"); rc=$?
	if [ "$got" != "$(cat "$want")" ]; then
		err "$g: JSON differs from $want"
		diff <(echo "$got") "$want" | head -5
	fi
	case $(basename "$g") in
	clean-*) [ $rc = 0 ] || err "$g: exit $rc on a correct pairing" ;;
	esac
	n=$((n + 1))
done
[ $n -ge 50 ] || err "only $n golden traces"

rules=$("$ps" doctor --rules) || err "--rules exit $?"
[ "$(wc -l <<<"$rules")" -ge 50 ] || err "--rules lists $(wc -l <<<"$rules") rules"
grep -q '^keydist.not-negotiated *error *Vol 3 Part H 3.6.1' <<<"$rules" || err "--rules row"
"$ps" doctor --rules --json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) >= 50' || err "--rules --json"

"$ps" doctor /nonexistent.btsnoop >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || err "missing file: exit $rc, want 2"
"$ps" doctor >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || err "no argument: exit $rc, want 2"
"$ps" doctor --bogus x >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || err "unknown option: exit $rc, want 2"

[ $fail = 0 ] && echo "doctor cli: ok ($n golden traces)"
exit $fail
