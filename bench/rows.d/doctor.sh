# bench row script (sourced by bench/run.sh with the pairscope binary as $1): pairscope doctor.
# Plain table rows: the whole BENCH_TRACE (1,000,000 frames by default) diagnosed with --json (target
# < 1 s; the synthetic trace's pairings have findings, so exit 1 is expected), and the legacy passkey
# search alone (target < 0.2 s per pairing, one core): doctor on a Passkey Entry pairing whose passkey is
# 999999 (the last one tried), minus the same run with --no-passkey-search, best of 3.
ps_bench_doctor() {
	local ps=$1 root g on off best t i
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	run "$BENCH_DIR/doctor.json" "$ps" doctor --json "$BENCH_TRACE"
	[ "$BENCH_RC" = 1 ] && BENCH_RC=0
	bench_row "pairscope doctor --json (target < 1 s)" "$BENCH_NFRAMES" frames
	g=$root/tests/golden/doctor/clean-legacy-passkey.btsnoop
	if [ ! -s "$g" ]; then
		echo "doctor: $g missing: no passkey-search row"
		return 0
	fi
	ps_bench_best() {
		best=
		local tf
		tf=$(mktemp)
		for i in 1 2 3; do
			/usr/bin/time -o "$tf" -f '%U %S' "$@" >/dev/null 2>&1
			t=$(tail -n 1 "$tf" | awk '{ print $1 + $2 }')
			[ -z "$t" ] && continue
			best=$(awk -v a="${best:-$t}" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
		done
		rm -f "$tf"
		echo "$best"
	}
	on=$(ps_bench_best "$ps" doctor --json "$g")
	off=$(ps_bench_best "$ps" doctor --json --no-passkey-search "$g")
	t=$(awk -v a="$on" -v b="$off" 'BEGIN { v = (a - b) * 1000; printf "%.0f", (v < 0 ? 0 : v) }')
	printf '%-44s %14s   %s\n' "doctor: passkey search 10^6 (999999, 1 core)" "$t ms" \
		"$(awk -v v="$t" 'BEGIN { print (v < 200 ? "target < 200 ms: met" : "target < 200 ms: below") }')"
	unset -f ps_bench_best
	return 0
}
ps_bench_doctor "$1"
unset -f ps_bench_doctor
