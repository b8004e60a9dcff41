#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test-debug: the suite, the unload stress loops and a kmemleak scan on a
# debug kernel (KASAN, lockdep/PROVE_RCU, DEBUG_OBJECTS, kmemleak, UBSAN,
# DEBUG_VM, AppArmor).  See docs/debug-kernel.md.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: scripts/test-debug.sh [--series 6.1|6.12] [--timeout SEC] [-- FILTER...]

1. scripts/debug-kernel.sh --series SERIES: the debug kernel (built once, cached);
2. builds procscope.ko (KCFLAGS=-g, for scripts/faddr2line) and the kmemleak
   positive control against its build tree, in build/debug-SERIES/ (module/procscope.ko,
   built for the VM's Debian kernel, is left alone), and userspace + progs;
3. boots it with scripts/vm (4-level paging, VM_LOGLEVEL=5, --mem 2048) and runs
   tests/debug/run.sh there: the suite (FILTER limits it), tests/stress/*.sh,
   kmemleak after rmmod procscope, the positive control, and the KUnit tests
   (procscope_kunit.ko, built when the kernel has CONFIG_KUNIT);
4. prints one line per item and "N passed, N failed"; exits non-zero if
   anything failed, including any kernel-log report scripts/vm finds.

Environment: STRESS_CYCLES (per stress script, default 10), VM_TEST_TIMEOUT
(per suite test, default 300 here), PROCSCOPE_CACHE (see debug-kernel.sh),
TEST_DEBUG_LOG (console copy; default build/debug-SERIES/console.log).
EOF
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SERIES=6.1
TIMEOUT=7200
while [ $# -gt 0 ]; do
	case $1 in
	--series) SERIES=${2:?}; shift 2 ;;
	--series=*) SERIES=${1#*=}; shift ;;
	--timeout) TIMEOUT=${2:?}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	*) usage >&2; exit 2 ;;
	esac
done
FILTER="$*"

say() { printf 'test-debug: %s\n' "$*" >&2; }
t_all=$(date +%s)

# ---- 1. the kernel
t0=$(date +%s)
ENTRY=$(scripts/debug-kernel.sh --series "$SERIES")
REL=$(cat "$ENTRY/kernelrelease")
KDIR=$ENTRY/build
t_kernel=$(($(date +%s) - t0))
say "kernel $REL from $ENTRY (${t_kernel} s; a fresh build took $(cat "$ENTRY/build-seconds" 2>/dev/null || echo '?') s," \
	"$(cat "$ENTRY/build-cpu-seconds" 2>/dev/null || echo '?') s of CPU)"

# ---- 2. the modules, out of the source tree so module/procscope.ko stays the VM's
t0=$(date +%s)
OUT=$ROOT/build/debug-$SERIES
SRC=$OUT/procscope
scripts/kbuild-tree.sh "$KDIR" "$OUT" KCFLAGS=-g PROCSCOPE_KUNIT=1
KO=$SRC/module/procscope.ko
# module/Kbuild builds it only against a kernel with CONFIG_KUNIT.
KUNIT_COPY=()
if [ -f "$SRC/module/procscope_kunit.ko" ]; then
	KUNIT_COPY=(--copy "$SRC/module/procscope_kunit.ko:/procscope_kunit.ko")
else
	say "no procscope_kunit.ko: $REL has no CONFIG_KUNIT (the KUnit step is skipped)"
fi
rm -rf "$OUT/kmemleak_control"
cp -a tests/debug/kmemleak_control "$OUT/kmemleak_control"
nice -n 10 make -s -C "$KDIR" M="$OUT/kmemleak_control" modules
nice -n 10 make -s userspace progs
t_modules=$(($(date +%s) - t0))
say "modules built against $KDIR (${t_modules} s): $KO"

# ---- 3. the run
LOG=${TEST_DEBUG_LOG:-$OUT/console.log}
t0=$(date +%s)
set +e
# 4-level paging: with LA57 an interrupt that lands while identify_cpu() has
# zeroed the boot CPU's capabilities runs with pgtable_l5_enabled() false, and
# KASAN reports its direct-map accesses as wild (seen at ~3.9 s into the boot,
# before procscope is loaded; the report turns lockdep off for the rest of the
# run). make vmtest covers 5-level paging on Debian's kernels.
VM_KERNEL_ROOT=$ENTRY PROCSCOPE_KO=$KO VM_LOGLEVEL=5 \
	scripts/vm run --no-la57 --timeout "$TIMEOUT" --mem 2048 \
	--copy tests/debug:/tests/debug --copy tests/stress:/tests/stress \
	--copy tests/kunit:/tests/kunit "${KUNIT_COPY[@]}" \
	--copy "$OUT/kmemleak_control/kmemleak_control.ko:/kmemleak_control.ko" \
	-- env STRESS_CYCLES="${STRESS_CYCLES:-10}" VM_TEST_TIMEOUT="${VM_TEST_TIMEOUT:-300}" \
	DEBUG_SUITE_FILTER="$FILTER" sh /tests/debug/run.sh 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
t_run=$(($(date +%s) - t0))

# ---- 4. the tally: the guest's items, plus the boot's own verdict
npass=$(grep -c '^PASS ' "$LOG" || true)
nfail=$(grep -c '^FAIL ' "$LOG" || true)
case $rc in
0) vm="PASS vm (kernel log clean, procscope unloaded)"; npass=$((npass + 1)) ;;
124) vm="FAIL vm (timed out after $TIMEOUT s)"; nfail=$((nfail + 1)) ;;
125) vm="FAIL vm (kernel-log report, unload failure or crash: see above)"; nfail=$((nfail + 1)) ;;
*)
	if grep -q '^debug-suite: [0-9]* passed' "$LOG"; then
		vm="PASS vm (kernel log clean, procscope unloaded)"; npass=$((npass + 1))
	else
		vm="FAIL vm (guest exit status $rc, no summary)"; nfail=$((nfail + 1))
	fi ;;
esac
echo
echo "test-debug: kernel $REL ($ENTRY)"
echo "test-debug: times: kernel ${t_kernel} s, modules ${t_modules} s, VM run ${t_run} s," \
	"total $(($(date +%s) - t_all)) s"
grep -E '^debug-suite: .* (took|in) [0-9]+ s$' "$LOG" | sed 's/^debug-suite/test-debug/' || true
grep '^FAIL ' "$LOG" || true
echo "$vm"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
