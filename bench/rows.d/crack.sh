# bench row script (sourced by bench/run.sh with the pairscope binary as $1): pairscope crack.
# Plain table rows: the full passkey space (passkey 999999, both confirms) on one core and on all
# cores (target < 30 ms on one core), the decryption search for a capture without confirms (target
# < 2 s), and pairscope against crackle on the same synthetic worst-case capture (DLT 256, passkey
# 999999), process CPU time per run over 10 runs (target >= 10x). crackle runs only when $CRACKLE or a `crackle`
# on PATH exists; its decryption search gets 60 s at most. About 10 s without crackle.
ps_bench_crack() {
	local ps=$1 dir cores crackle t1 tn td ours theirs ratio
	dir=$(mktemp -d "${TMPDIR:-/tmp}/ps-bench-crack.XXXXXX")
	cores=$(nproc 2>/dev/null || echo 1)
	# CPU seconds (user + system) per run of a command, over 10 runs (time(1) counts in 10 ms ticks)
	ps_bench_cpu() {
		/usr/bin/time -o "$dir/time" -f '%U %S' sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null 2>&1; done' \
			sh "$@" >/dev/null 2>&1
		tail -n 1 "$dir/time" | awk 'NF == 2 { printf "%.3f", ($1 + $2) / 10 }'
	}
	ps_bench_ms() { sed -n 's/.* found in \([0-9.]*\) ms.*/\1/p' | sort -n | head -n 1; }
	ps_bench_cpums() { sed -n 's/.*(CPU \([0-9.]*\) ms.*/\1/p' | sort -n | head -n 1; }
	t1=$(for i in 1 2 3; do "$ps" crack --selftest-search=999999 -j 1; done 2>/dev/null | ps_bench_cpums)
	tn=$(for i in 1 2 3; do "$ps" crack --selftest-search=999999 -j "$cores"; done 2>/dev/null | ps_bench_ms)
	td=$(for i in 1 2; do "$ps" crack --selftest-decrypt=999999 -j 1; done 2>/dev/null | ps_bench_cpums)
	if [ -z "$t1" ]; then
		echo "crack: pairscope crack --selftest-search failed"
		rm -rf "$dir"
		return 0
	fi
	printf '%-44s %14s   %s\n' "crack: passkey space, c1 x 10^6 (1 core)" "$t1 ms CPU" \
		"$(awk -v v="$t1" 'BEGIN { print (v < 30 ? "target < 30 ms: met" : "target < 30 ms: below") }')"
	printf '%-44s %14s\n' "crack: passkey space ($cores cores, -j $cores)" "$tn ms wall"
	printf '%-44s %14s   %s\n' "crack: decryption search, 10^6 TKs (1 core)" "$td ms CPU" \
		"$(awk -v v="$td" 'BEGIN { print (v < 2000 ? "target < 2 s: met" : "target < 2 s: below") }')"
	"$ps" crack --selftest-capture "$dir/pk999999.pcap" --passkey 999999 &&
		"$ps" crack --selftest-capture "$dir/pk999999-noconfirm.pcap" --passkey 999999 --no-confirms || {
		echo "crack: could not write the synthetic capture"
		rm -rf "$dir"
		return 0
	}
	ours=$(ps_bench_cpu "$ps" crack -q "$dir/pk999999.pcap")
	printf '%-44s %14s\n' "crack: pairscope crack, capture pk 999999" "${ours:-?} s CPU"
	crackle=${CRACKLE:-$(command -v crackle 2>/dev/null)}
	if [ -n "$crackle" ] && [ -x "$crackle" ]; then
		theirs=$(ps_bench_cpu "$crackle" -i "$dir/pk999999.pcap")
		ratio=$(awk -v a="${theirs:-0}" -v b="${ours:-0}" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "?" }')
		printf '%-44s %14s   %s\n' "crack: crackle -i, same capture" "${theirs:-?} s CPU" \
			"pairscope is ${ratio}x faster (target >= 10x)"
		ours=$(ps_bench_cpu "$ps" crack -q "$dir/pk999999-noconfirm.pcap")
		local start rc
		start=$(date +%s%N)
		timeout 60 "$crackle" -i "$dir/pk999999-noconfirm.pcap" >"$dir/crackle-noconfirm.txt" 2>&1
		rc=$?
		theirs=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
		[ "$rc" = 124 ] && theirs="> 60"
		printf '%-44s %14s   %s\n' "crack: no confirms, pairscope / crackle" "${ours:-?} s CPU" \
			"crackle: $theirs s wall"
	else
		printf '%-44s %14s   %s\n' "crack: crackle" "n/a" "crackle not available (set CRACKLE=/path/to/crackle)"
	fi
	unset -f ps_bench_cpu ps_bench_ms ps_bench_cpums
	rm -rf "$dir"
	return 0
}
ps_bench_crack "$1"
unset -f ps_bench_crack
