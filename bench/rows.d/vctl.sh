# bench row script (sourced by bench/run.sh with the pairscope binary as $1): the virtual controller.
# Plain table rows from `pairscope controller --bench 1` (two of our hosts on two virtual controllers in
# one process, deterministic clock): connect + disconnect cycles per second (aim 100,000 on one core)
# and ACL payload throughput through both controllers with 251-octet LL PDUs, plain and AES-CCM
# encrypted (aim > 500 MB/s encrypted). About 3 s.
ps_bench_vctl() {
	local ps=$1 out cyc plain enc
	out=$("$ps" controller --bench 1 2>/dev/null)
	cyc=$(printf '%s\n' "$out" | awk '$1 == "connect_disconnect_per_s" { print $2 }')
	plain=$(printf '%s\n' "$out" | awk '$1 == "acl_plain_mb_per_s" { print $2 }')
	enc=$(printf '%s\n' "$out" | awk '$1 == "acl_encrypted_mb_per_s" { print $2 }')
	if [ -z "$cyc" ]; then
		echo "vctl: pairscope controller --bench failed"
		return 0
	fi
	printf '%-44s %14s   %s\n' "vctl: connect+disconnect cycles (in process)" "$cyc /s" \
		"$(awk -v v="$cyc" 'BEGIN { print (v >= 100000 ? "target 100,000/s: met" : "target 100,000/s: below") }')"
	printf '%-44s %14s\n' "vctl: ACL through 2 controllers, plain" "$plain MB/s"
	printf '%-44s %14s   %s\n' "vctl: ACL through 2 controllers, encrypted" "$enc MB/s" \
		"$(awk -v v="$enc" 'BEGIN { print (v >= 500 ? "target 500 MB/s: met" : "target 500 MB/s: below") }')"
	return 0
}
ps_bench_vctl "$1"
unset -f ps_bench_vctl
