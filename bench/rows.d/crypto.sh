# bench row script (sourced by bench/run.sh with the pairscope binary as $1): the security toolbox.
# Prints plain table rows: c1 evaluations per second with a fresh AES key each (what the passkey
# cracker needs; aim >= 20 M/s on one core), P-256 ECDH per second against `openssl speed ecdhp256`
# on the same machine (aim >= 90%; measured interleaved, best of two, so load hits both alike), and
# one RPA resolution among 10^6 IRKs. About 10 s in all.
ps_bench_crypto() {
	local ps=$1 c1 e1 e2 o1 o2 ecdh ossl rpa ratio
	ps_bench_field() { awk -v k="$1" '$1 == k { print $2 }'; }
	ps_bench_ossl() {
		command -v openssl >/dev/null 2>&1 || return 0
		openssl speed -seconds 1 ecdhp256 2>/dev/null | awk '/ecdh \(nistp256\)/ { print $NF }'
	}
	c1=$("$ps" crypto --bench c1 2 2>/dev/null | ps_bench_field c1_per_s)
	e1=$("$ps" crypto --bench ecdh 1 2>/dev/null | ps_bench_field ecdh_per_s)
	o1=$(ps_bench_ossl)
	e2=$("$ps" crypto --bench ecdh 1 2>/dev/null | ps_bench_field ecdh_per_s)
	o2=$(ps_bench_ossl)
	rpa=$("$ps" crypto --bench rpa 2>/dev/null | ps_bench_field rpa_resolve_1m_irks_ms)
	unset -f ps_bench_field ps_bench_ossl
	if [ -z "$c1" ] || [ -z "$e1" ]; then
		echo "crypto: pairscope crypto --bench failed"
		return 0
	fi
	ecdh=$(awk -v a="$e1" -v b="${e2:-0}" 'BEGIN { print (a > b ? a : b) }')
	printf '%-44s %14s   %s\n' "crypto: c1, fresh key each (1 core)" \
		"$(awk -v v="$c1" 'BEGIN { printf "%.1f M/s", v / 1e6 }')" \
		"$(awk -v v="$c1" 'BEGIN { print (v >= 20e6 ? "target 20 M/s: met" : "target 20 M/s: below") }')"
	if [ -n "$o1" ]; then
		ossl=$(awk -v a="$o1" -v b="${o2:-0}" 'BEGIN { print (a > b ? a : b) }')
		ratio=$(awk -v a="$ecdh" -v b="$ossl" 'BEGIN { printf "%.2f", a / b }')
		printf '%-44s %14s   %s\n' "crypto: P-256 ECDH (peer key validated)" "$ecdh /s" \
			"openssl speed ecdhp256: $ossl /s, ratio $ratio (target 0.90)"
	else
		printf '%-44s %14s   %s\n' "crypto: P-256 ECDH (peer key validated)" "$ecdh /s" "openssl speed: not available"
	fi
	[ -n "$rpa" ] && printf '%-44s %14s\n' "crypto: RPA resolve among 10^6 IRKs" "$rpa ms"
	return 0
}
ps_bench_crypto "${PS_BIN:-${1:-build/pairscope}}"
unset -f ps_bench_crypto
