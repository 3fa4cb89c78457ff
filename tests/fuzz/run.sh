#!/bin/sh
# Run every built libFuzzer target (BUILD_DIR/fuzz_*) for SECONDS each on its seed corpus
# (tests/fuzz/corpus/<name>/, read-only: new inputs go to a scratch directory). Used by `make fuzz`.
# Exit 1 when a target crashed; its reproducer is left in the scratch directory (path printed).
set -u
build=${1:?usage: run.sh BUILD_DIR SECONDS}
secs=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
# The build keeps UBSan recoverable; a fuzzer must stop at the first undefined behaviour.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pairscope-fuzz.XXXXXX")
status=0
found=0
for bin in "$build"/fuzz_*; do
	[ -x "$bin" ] || continue
	found=1
	name=$(basename "$bin"); name=${name#fuzz_}
	corpus="$here/corpus/$name"
	mkdir -p "$scratch/$name"
	set -- "$scratch/$name"
	[ -d "$corpus" ] && set -- "$@" "$corpus"
	printf 'fuzz %-12s %ss ... ' "$name" "$secs"
	if "$bin" -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$scratch/$name/crash-" "$@" >"$scratch/$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$name.log")
		echo "ok (${runs:-?} runs)"
	else
		echo "FAILED: see $scratch/$name.log"
		tail -n 30 "$scratch/$name.log"
		status=1
	fi
done
if [ "$found" = 0 ]; then
	echo "run.sh: no fuzz_* binaries in $build (configure with -DPS_FUZZ=ON and CC=clang)" >&2
	exit 2
fi
[ "$status" = 0 ] && rm -rf "$scratch"
exit "$status"
