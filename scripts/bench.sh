#!/bin/bash
# make bench: run every benchmark in one VM boot and write docs/benchmarks.md.
# Usage: scripts/bench.sh [--kernel 6.1|6.12] [NAME-FILTER]
# (the kernel defaults to $BENCH_KERNEL, else scripts/vm's default).
set -euo pipefail
cd "$(dirname "$0")/.."
kernel=${BENCH_KERNEL:-$(scripts/kernel.sh default)}
case ${1:-} in
--kernel) [ $# -ge 2 ] || { echo "bench: --kernel needs an argument" >&2; exit 2; }; kernel=$2; shift 2 ;;
--kernel=*) kernel=${1#--kernel=}; shift ;;
esac
abi=$(scripts/kernel.sh abi "$kernel")
out=build/bench.log
mkdir -p build
./scripts/vm run --kernel "$kernel" --mttcg --mem 6144 --timeout 1800 -- /tests/bench/run.sh "${1:-}" | tee "$out"
body=$(sed -n '/@@BENCH-BEGIN@@/,/@@BENCH-END@@/p' "$out" | sed '1d;$d')
[ -n "$body" ] || { echo "bench: no results" >&2; exit 1; }
qemu=$(cat build/qemu/VERSION 2>/dev/null || echo '?')
# docs/benchmarks.md keeps one section per kernel, between marker comments:
# this run replaces its kernel's section and keeps the others'.
doc=docs/benchmarks.md
section() { # SERIES: that kernel's section of the current file, markers included
	[ -f "$doc" ] || return 0
	sed -n "/^<!-- bench: $1 -->\$/,/^<!-- bench: $1 end -->\$/p" "$doc"
}
{
	echo "# procscope benchmarks"
	echo
	echo "Produced by \`make bench BENCH_KERNEL=SERIES\` (scripts/bench.sh: one VM boot running"
	echo "tests/bench/b_*.sh), one section per kernel. QEMU TCG software emulation (multi-threaded:"
	echo "one host thread per vCPU; guest on its TSC clocksource), so absolute times are slow; the"
	echo "ratios, measured side by side in the same run, are what matter."
	for k in $(scripts/kernel.sh list); do
		if [ "$k" = "$kernel" ]; then
			echo
			echo "<!-- bench: $k -->"
			echo "## Kernel $k ($abi)"
			echo
			echo "Run on $(date -u +%Y-%m-%d); host: $(nproc) cores, QEMU $qemu."
			echo
			echo "$body"
			echo "<!-- bench: $k end -->"
		elif [ -n "$(section "$k")" ]; then
			echo
			section "$k"
		fi
	done
	# The history of the hot paths' performance passes (hand-written) stays.
	[ ! -f "$doc" ] || { echo; sed -n '/^<!-- history -->$/,/^<!-- history end -->$/p' "$doc"; }
} >"$doc.tmp"
mv "$doc.tmp" "$doc"
echo "bench: wrote the $kernel ($abi) section of docs/benchmarks.md"
