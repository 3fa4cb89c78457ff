# bench row script (sourced by bench/run.sh with the pairscope binary as $1): the SMP core.
# Complete pairings per second between two in-process devices (`pairscope pair --bench N`: two SMP
# cores on one simulated link, every PDU, encryption start and key distribution; no trace): legacy
# Just Works (aim 50,000/s) and LE Secure Connections Just Works against the P-256 bound (two key
# generations and two ECDHs per pairing, measured in the same run; aim >= 80%). About 3 s.
ps_bench_smp() {
	local ps=$1 out leg sc bound share
	out=$("$ps" pair --bench "${BENCH_SMP_PAIRINGS:-3000}" 2>/dev/null)
	leg=$(printf '%s\n' "$out" | awk -F': ' '/^legacy just-works/ { split($2, a, " "); print a[1] }')
	sc=$(printf '%s\n' "$out" | awk -F': ' '/^sc just-works/ { split($2, a, " "); print a[1] }')
	bound=$(printf '%s\n' "$out" | awk -F': ' '/^p256 bound/ { split($2, a, " "); print a[1] }')
	share=$(printf '%s\n' "$out" | awk -F': ' '/^sc share/ { sub("%", "", $2); print $2 }')
	if [ -z "$leg" ]; then
		echo "smp: pairscope pair --bench failed"
		return 0
	fi
	printf '%-44s %14s   %s\n' "smp: legacy JW pairings (in process)" "$leg /s" \
		"$(awk -v v="$leg" 'BEGIN { print (v >= 50000 ? "target 50,000/s: met" : "target 50,000/s: below") }')"
	printf '%-44s %14s   %s\n' "smp: SC JW pairings (in process)" "$sc /s" \
		"$(awk -v v="$share" 'BEGIN { print (v >= 80 ? "target >= 80% of P-256 bound: met" : "target >= 80% of P-256 bound: below") }') ($share%)"
	printf '%-44s %14s\n' "smp: P-256 bound (2 keygen + 2 ECDH)" "$bound /s"
	return 0
}
ps_bench_smp "$1"
unset -f ps_bench_smp
