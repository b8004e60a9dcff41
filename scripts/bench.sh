#!/bin/bash
# make bench: run every benchmark in one VM boot and write docs/benchmarks.md.
# Usage: scripts/bench.sh [NAME-FILTER]
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench.log
mkdir -p build
./scripts/vm run --mttcg --mem 6144 --timeout 1800 -- /tests/bench/run.sh "${1:-}" | tee "$out"
body=$(sed -n '/@@BENCH-BEGIN@@/,/@@BENCH-END@@/p' "$out" | sed '1d;$d')
[ -n "$body" ] || { echo "bench: no results" >&2; exit 1; }
{
	echo "# procscope benchmarks"
	echo
	echo "Produced by \`make bench\` (scripts/bench.sh: one VM boot running tests/bench/b_*.sh)"
	echo "on $(date -u +%Y-%m-%d). Host: $(nproc) cores, QEMU TCG software emulation (multi-threaded:"
	echo "\`scripts/vm --mttcg\`, one host thread per vCPU; guest on its TSC clocksource), so absolute"
	echo "times are slow; the ratios, measured side by side in the same run, are what matter."
	echo
	echo "$body"
} > docs/benchmarks.md
echo "bench: wrote docs/benchmarks.md"
