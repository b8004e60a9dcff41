#!/bin/sh
# Runs inside the test VM: every tests/bench/b_*.sh in order, each printing
# a markdown section. scripts/bench.sh collects the output.
cd "$(dirname "$0")" || exit 1
rc=0
echo "@@BENCH-BEGIN@@"
echo "Kernel: $(uname -r), $(nproc) vCPUs (QEMU TCG), paging: $(grep -qw la57 /proc/cpuinfo && echo 5-level || echo 4-level), $(awk '/MemTotal/ {print int($2/1024) " MiB"}' /proc/meminfo)"
echo
for b in ./b_*.sh; do
	[ -e "$b" ] || continue
	if [ -n "$1" ] && ! echo "$b" | grep -q "$1"; then
		continue
	fi
	echo "bench: running $b" >&2
	# stderr apart: the console is a terminal, so the tool would draw
	# progress lines into the results; shown only if the benchmark fails.
	if ! sh "$b" 2>/tmp/bench.err; then
		cat /tmp/bench.err >&2
		echo "bench: $b FAILED" >&2
		rc=1
	fi
	echo
done
echo "@@BENCH-END@@"
exit $rc
