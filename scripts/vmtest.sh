#!/bin/bash
# make vmtest: the integration suite in the VM, then the harness's own tests
# (tests/host/vm_meta.sh), on each kernel in turn, each with procscope.ko built
# for it; then the SVG examples check once (on the first kernel).  A kernel whose
# module does not build, or whose suite fails, does not stop the others; at the
# end one line per kernel repeats its result:
#   vmtest: kernel 6.1 (6.1.0-57-amd64): 17 passed, 0 failed; vm_meta: 7 passed, 0 failed
# Exit status 1 if anything failed on any kernel.
#
# Usage: scripts/vmtest.sh [-k "6.1 6.12"] [RUN.SH-ARGS...]   (make vmtest KERNELS=...
#        VMTEST_ARGS=...); RUN.SH-ARGS go to tests/vm/run.sh (filters, -t SECS).
# Logs: build/vmtest-SERIES.log.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
kernels=$(scripts/kernel.sh list)
if [ "${1:-}" = -k ]; then
	[ $# -ge 2 ] || { echo "usage: scripts/vmtest.sh [-k KERNELS] [RUN.SH-ARGS...]" >&2; exit 2; }
	kernels=$2
	shift 2
fi
read -ra klist <<<"$kernels"
[ ${#klist[@]} -gt 0 ] || { echo "vmtest: no kernel given" >&2; exit 2; }
for k in "${klist[@]}"; do
	scripts/kernel.sh abi "$k" >/dev/null || exit 2
done

mkdir -p build
summary=()
failed=0
# result LOG: the last "N passed, N failed" line of a log, or "no result".
result() {
	local r
	r=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n1)
	echo "${r:-no result}"
}
for k in "${klist[@]}"; do
	abi=$(scripts/kernel.sh abi "$k")
	log=build/vmtest-$k.log
	echo "=== vmtest: kernel $k ($abi)"
	if ! scripts/kbuild.sh "$k" >"$log" 2>&1; then
		cat "$log"
		summary+=("vmtest: kernel $k ($abi): FAILED: procscope.ko does not build (build/kbuild/$abi)")
		failed=1
		continue
	fi
	: >"$log"
	scripts/vm run --kernel "$k" --timeout 900 -- /tests/vm/run.sh "$@" 2>&1 | tee -a "$log"
	rc=${PIPESTATUS[0]}
	suite=$(result "$log")
	[ "$rc" -eq 0 ] || suite="$suite (scripts/vm exit $rc)"
	[ "$rc" -eq 0 ] || failed=1
	metalog=build/vm_meta-$k.log
	VM_KERNEL=$k tests/host/vm_meta.sh 2>&1 | tee "$metalog"
	mrc=${PIPESTATUS[0]}
	[ "$mrc" -eq 0 ] || failed=1
	summary+=("vmtest: kernel $k ($abi): $suite; vm_meta: $(result "$metalog")")
done
if VM_KERNEL=${klist[0]} ./tests/host/svg_examples.sh; then
	summary+=("vmtest: SVG examples: ok")
else
	summary+=("vmtest: SVG examples: FAILED")
	failed=1
fi
echo
printf '%s\n' "${summary[@]}"
exit "$failed"
