#!/bin/bash
# pairscope benchmark: generates a large LE trace (bench/gen_big_btsnoop.py, BENCH_FRAMES frames, default
# 1,000,000) in Linux-monitor and H4 btsnoop, then times in one run: reading alone, convert,
# `pairscope decode` (full text and --summary) against `btmon -r` and `tshark -V -r` / `tshark -r`,
# with frames/s, the ratio to btmon, peak RSS, and the share of decode's lines identical to btmon's.
#
#   bench/run.sh PAIRSCOPE_BIN            (make bench)
#   BENCH_FRAMES=100000 bench/run.sh build/pairscope
#
# Environment: BENCH_FRAMES, BENCH_OUT (work directory, default bench/out; traces are cached there),
# BENCH_TSHARK_FRAMES (tshark reads only the first N frames; default all), BENCH_NO_TSHARK=1.
#
# More rows: every bench/rows.d/*.sh is sourced after the core rows, in name order. A row file uses
#   bench_run OUTFILE CMD...    run CMD (stdout to OUTFILE); sets BENCH_SECS, BENCH_RSS_MIB, BENCH_RC
#   bench_row NAME COUNT UNIT [NOTE]   print a table row from the last bench_run (UNIT "frames" gets a
#                                      ratio to btmon's frames/s)
# and may read PS_BIN, PS_BUILD, BENCH_DIR, BENCH_TRACE (2001), BENCH_TRACE_H4 (1002), BENCH_PCAP
# (DLT 201), BENCH_NFRAMES (frames in BENCH_TRACE), BTMON_FPS (empty when btmon is missing).
set -u
PS_BIN=$(realpath "${1:?usage: bench/run.sh PAIRSCOPE_BIN}")
PS_BUILD=$(dirname "$PS_BIN")
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
frames=${BENCH_FRAMES:-1000000}
BENCH_DIR=${BENCH_OUT:-$here/out}
mkdir -p "$BENCH_DIR"
BENCH_TRACE=$BENCH_DIR/big-$frames.btsnoop
BENCH_TRACE_H4=$BENCH_DIR/big-$frames-h4.btsnoop
BENCH_PCAP=$BENCH_DIR/big-$frames.pcap
BTMON_FPS=

if [ ! -s "$BENCH_TRACE" ] || [ ! -s "$BENCH_TRACE_H4" ]; then
	echo "generating $frames-frame trace in $BENCH_DIR ..."
	python3 "$here/gen_big_btsnoop.py" -n "$frames" -o "$BENCH_TRACE.tmp" --h4-out "$BENCH_TRACE_H4.tmp" || exit 2
	mv "$BENCH_TRACE.tmp" "$BENCH_TRACE" && mv "$BENCH_TRACE_H4.tmp" "$BENCH_TRACE_H4"
fi

bench_run() {
	local outf=$1 tf start end rss
	shift
	tf=$(mktemp)
	start=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$tf" "$@" >"$outf" 2>"$outf.err"
	BENCH_RC=$?
	end=$(date +%s%N)
	rss=$(tail -n 1 "$tf")
	rm -f "$tf"
	BENCH_SECS=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	BENCH_RSS_MIB=$(awk -v k="${rss:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
}

bench_row() {
	local name=$1 count=$2 unit=$3 note=${4:-} rate ratio
	if [ "$BENCH_RC" != 0 ] && [ -z "$note" ]; then
		note="exit $BENCH_RC: $(head -c 60 "$BENCH_LAST.err" 2>/dev/null | head -n 1)"
	fi
	rate=$(awk -v n="$count" -v s="$BENCH_SECS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
	ratio=-
	if [ "$BENCH_RC" != 0 ]; then
		rate=n/a
	elif [ "$unit" = frames ] && [ -n "$BTMON_FPS" ]; then
		ratio=$(awk -v r="$rate" -v b="$BTMON_FPS" 'BEGIN { printf "%.1fx", (b > 0 ? r / b : 0) }')
	fi
	printf '| %-40s | %9s %-7s | %8s | %11s | %8s | %10s | %s\n' "$name" "$count" "$unit" "$BENCH_SECS" \
		"$rate" "$ratio" "$BENCH_RSS_MIB" "$note"
}

# Run and remember the output file for bench_row's error note.
run() {
	BENCH_LAST=$1
	bench_run "$@"
}

# The reading loop is a tiny program over the library (bench/read_loop.c).
reader=$BENCH_DIR/read_loop
cc -O2 -std=c17 -I"$root/include" "$here/read_loop.c" "$PS_BUILD/libps_trace.a" "$PS_BUILD/libps_proto.a" \
	"$PS_BUILD/libps_base.a" -lpcap -o "$reader" 2>"$BENCH_DIR/read_loop.build.err" || reader=

# Frames in the monitor trace (index records included: btmon prints them too).
if [ -n "$reader" ]; then
	BENCH_NFRAMES=$("$reader" "$BENCH_TRACE" | cut -d' ' -f1)
else
	BENCH_NFRAMES=$((frames + 3))
fi
BENCH_NFRAMES_H4=$((BENCH_NFRAMES - 3))

echo
echo "pairscope benchmark: $BENCH_NFRAMES frames ($(du -h "$BENCH_TRACE" | cut -f1) btsnoop 2001), $(nproc) cores, $(date -u +%F)"
echo
printf '| %-40s | %17s | %8s | %11s | %8s | %10s | %s\n' "what" "items" "seconds" "items/s" "x btmon" \
	"peak MiB" "note"
printf '|%s|%s|%s|%s|%s|%s|%s\n' "------------------------------------------" "-------------------" "----------" \
	"-------------" "----------" "------------" "------"

# btmon first: every other frames/s is compared to it.
if command -v btmon >/dev/null 2>&1; then
	run "$BENCH_DIR/btmon.txt" btmon -r "$BENCH_TRACE"
	BTMON_FPS=$(awk -v n="$BENCH_NFRAMES" -v s="$BENCH_SECS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
	bench_row "btmon -r ($(btmon --version))" "$BENCH_NFRAMES" frames
else
	echo "| btmon not installed (package bluez): no ratios"
fi

run "$BENCH_DIR/decode.txt" "$PS_BIN" decode "$BENCH_TRACE"
bench_row "pairscope decode" "$BENCH_NFRAMES" frames
run "$BENCH_DIR/decode-summary.txt" "$PS_BIN" decode --summary "$BENCH_TRACE"
bench_row "pairscope decode --summary" "$BENCH_NFRAMES" frames

if [ -z "${BENCH_NO_TSHARK:-}" ] && command -v tshark >/dev/null 2>&1; then
	tn=${BENCH_TSHARK_FRAMES:-$BENCH_NFRAMES_H4}
	tc=()
	[ "$tn" -lt "$BENCH_NFRAMES_H4" ] && tc=(-c "$tn")
	tv=$(tshark --version 2>/dev/null | head -n 1 | awk '{ print $3 }')
	run "$BENCH_DIR/tshark-V.txt" tshark -V "${tc[@]}" -r "$BENCH_TRACE_H4"
	bench_row "tshark $tv -V -r (H4 copy)" "$tn" frames
	run "$BENCH_DIR/tshark.txt" tshark "${tc[@]}" -r "$BENCH_TRACE_H4"
	bench_row "tshark $tv -r (H4 copy, summary)" "$tn" frames
fi

if [ -n "$reader" ]; then
	run "$BENCH_DIR/read.txt" "$reader" "$BENCH_TRACE"
	bench_row "read only: btsnoop 2001" "$BENCH_NFRAMES" frames
	run "$BENCH_DIR/read-h4.txt" "$reader" "$BENCH_TRACE_H4"
	bench_row "read only: btsnoop 1002 (H4)" "$BENCH_NFRAMES_H4" frames
else
	echo "| read only: not built ($(head -n 1 "$BENCH_DIR/read_loop.build.err"))"
fi
run "$BENCH_DIR/convert.txt" "$PS_BIN" convert "$BENCH_TRACE" -o "$BENCH_PCAP"
bench_row "pairscope convert 2001 -> pcap 201" "$BENCH_NFRAMES" frames
if [ -n "$reader" ] && [ -s "$BENCH_PCAP" ]; then
	run "$BENCH_DIR/read-pcap.txt" "$reader" "$BENCH_PCAP"
	bench_row "read only: pcap 201 (libpcap)" "$BENCH_NFRAMES_H4" frames
fi
run "$BENCH_DIR/read-stdin.txt" sh -c '"$0" convert - -o - --format btsnoop-h4 <"$1"' "$PS_BIN" "$BENCH_TRACE"
bench_row "pairscope convert stdin -> stdout H4" "$BENCH_NFRAMES" frames

for f in "$here"/rows.d/*.sh; do
	[ -e "$f" ] || continue
	# shellcheck source=/dev/null
	. "$f"
done

# Share of decode's lines identical to btmon's (each tool's version banner aside).
if [ -s "$BENCH_DIR/btmon.txt" ] && [ -s "$BENCH_DIR/decode.txt" ]; then
	grep -v '^Bluetooth monitor ver' "$BENCH_DIR/btmon.txt" >"$BENCH_DIR/btmon.cmp"
	grep -v '^Bluetooth monitor ver\|^pairscope ' "$BENCH_DIR/decode.txt" >"$BENCH_DIR/decode.cmp"
	total=$(wc -l <"$BENCH_DIR/btmon.cmp")
	same=$(diff --speed-large-files --old-line-format= --new-line-format= --unchanged-line-format=. \
		"$BENCH_DIR/btmon.cmp" "$BENCH_DIR/decode.cmp" | wc -c)
	echo
	awk -v s="$same" -v t="$total" 'BEGIN { printf "decode lines identical to btmon: %d of %d (%.2f%%)\n", s, t, t ? 100 * s / t : 0 }'
	# The same after btmon's text is turned into what we print on purpose (docs/btmon-deviations.md):
	# the issue's bar is 100% but for the documented deviations.
	python3 "$root/tests/golden/decode/btmon-deviations.py" "$BENCH_DIR/btmon.txt" >"$BENCH_DIR/btmon.dev"
	same=$(diff --speed-large-files --old-line-format= --new-line-format= --unchanged-line-format=. \
		"$BENCH_DIR/btmon.dev" "$BENCH_DIR/decode.cmp" | wc -c)
	total=$(wc -l <"$BENCH_DIR/btmon.dev")
	awk -v s="$same" -v t="$total" 'BEGIN { printf "decode lines identical to btmon once the documented deviations are applied: %d of %d (%.2f%%)\n", s, t, t ? 100 * s / t : 0 }'
	echo "first differences: diff $BENCH_DIR/btmon.dev $BENCH_DIR/decode.cmp | head"
else
	echo
	echo "decode lines identical to btmon: n/a (no btmon or decode output)"
fi
