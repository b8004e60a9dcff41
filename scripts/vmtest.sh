#!/bin/bash
# make vmtest: the integration suite in the VM, on each kernel in turn and in
# each paging mode (5-level, then 4-level: VMTEST_PAGING, default "5 4"), each
# kernel with procscope.ko built for it; then the harness's own tests
# (tests/host/vm_meta.sh) per kernel and the SVG examples check once (on the
# first kernel).  A kernel whose module does not build, or whose suite fails,
# does not stop the others; at the end one line per kernel and paging mode
# repeats its result:
#   vmtest: kernel 6.1 (6.1.0-57-amd64), 5-level: 21 passed, 0 failed
# Exit status 1 if anything failed on any kernel.
#
# Usage: scripts/vmtest.sh [-k "6.1 6.12"] [RUN.SH-ARGS...]   (make vmtest KERNELS=...
#        VMTEST_ARGS=... VMTEST_PAGING="5 4"); RUN.SH-ARGS go to tests/vm/run.sh
#        (filters, -t SECS).
# Logs: build/vmtest-SERIES-LEVELS.log.
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
read -ra paging <<<"${VMTEST_PAGING:-5 4}"
for p in "${paging[@]}"; do
	case $p in 4 | 5) ;; *) echo "vmtest: VMTEST_PAGING: 4 and/or 5, not '$p'" >&2; exit 2 ;; esac
done
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
	for p in "${paging[@]}"; do
		plog=build/vmtest-$k-$p.log
		if [ "$p" = 5 ]; then la57=--la57; else la57=--no-la57; fi
		echo "=== vmtest: kernel $k ($abi), $p-level paging"
		scripts/vm run --kernel "$k" "$la57" --timeout 900 -- /tests/vm/run.sh "$@" 2>&1 |
			tee "$plog"
		rc=${PIPESTATUS[0]}
		suite=$(result "$plog")
		[ "$rc" -eq 0 ] || suite="$suite (scripts/vm exit $rc)"
		[ "$rc" -eq 0 ] || failed=1
		summary+=("vmtest: kernel $k ($abi), $p-level: $suite")
	done
	metalog=build/vm_meta-$k.log
	VM_KERNEL=$k tests/host/vm_meta.sh 2>&1 | tee "$metalog"
	mrc=${PIPESTATUS[0]}
	[ "$mrc" -eq 0 ] || failed=1
	summary+=("vmtest: kernel $k ($abi): vm_meta: $(result "$metalog")")
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
