#!/bin/sh
# In-guest part of `make test-debug` (scripts/test-debug.sh), on a debug kernel
# (KASAN, lockdep, DEBUG_OBJECTS, kmemleak, UBSAN: scripts/debug-kernel.sh).
# busybox ash.  Runs, in one boot:
#   1. the whole VM suite (sh /tests/vm/run.sh);
#   2. every tests/stress/*.sh, each as `sh SCRIPT $STRESS_CYCLES` (they unload
#      and reload procscope under load), each with its own kernel-log check;
#   3. rmmod procscope, then a kmemleak scan: any unreferenced object that was
#      allocated since boot-time suspects were cleared fails;
#   4. the positive control: load tests/debug/kmemleak_control.ko, which leaks
#      3 objects; the scan must report all 3, else step 3 proved nothing;
#   5. the KUnit tests of the pure helpers (tests/kunit/run.sh, one line per
#      case) when the kernel has KUnit and KUNIT_KO exists, else a SKIP line.
# Prints "PASS name" / "FAIL name (why)" per item (the suite's own lines
# included) and "debug-suite: N passed, N failed" at the end; exit status 0 iff
# nothing failed.  The boot's own kernel-log check (scripts/vm) comes after.
#
# Environment: STRESS_CYCLES (default 10), STRESS_TIMEOUT (s per script, 1200),
# KMEMLEAK_CONTROL_KO (default /kmemleak_control.ko), KUNIT_KO (default
# /procscope_kunit.ko), DEBUG_SUITE_FILTER (passed
# to run.sh), VM_TEST_TIMEOUT (run.sh's per-test timeout).
# shellcheck source-path=SCRIPTDIR

# shellcheck source=../vm/lib.sh
. /tests/vm/lib.sh

STRESS_CYCLES=${STRESS_CYCLES:-10}
STRESS_TIMEOUT=${STRESS_TIMEOUT:-1200}
CONTROL_KO=${KMEMLEAK_CONTROL_KO:-/kmemleak_control.ko}
KUNIT_KO=${KUNIT_KO:-/procscope_kunit.ko}
KML=/sys/kernel/debug/kmemleak
OUT=/tmp/debug-suite
mkdir -p "$OUT"

npass=0
nfail=0
pass() { echo "PASS $1"; npass=$((npass + 1)); }
fail() { echo "FAIL $1 ($2)"; nfail=$((nfail + 1)); }
now() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }'; }
indent() { sed "s/^/    | /" "$@"; }

ensure_loaded() {
	[ -d /sys/module/procscope ] || insmod "$PROCSCOPE_KO" ||
		echo "debug-suite: could not load procscope again"
}

# rmmod, retried while a netlink dump still holds a module reference.
unload() {
	_i=0
	while [ -d "/sys/module/$1" ]; do
		rmmod "$1" 2>/dev/null && return 0
		_i=$((_i + 1))
		[ $_i -ge 100 ] && return 1
		sleep 0.1
	done
}

# Unreferenced objects kmemleak knows of now (two scans: an object must be
# found unreferenced by a scan after it is 5 s old).
kmemleak_scan() {
	echo scan >"$KML" && sleep 6 && echo scan >"$KML" && cat "$KML"
}

echo "debug-suite: boot took $(since 0) s (guest uptime at the start)"
if [ ! -w "$KML" ]; then
	fail kmemleak-available "$KML missing: not a kmemleak kernel, or kmemleak disabled itself"
	kmemleak_ok=0
else
	# Boot-time suspects (and anything else from before the tests) are not ours.
	echo scan >"$KML"
	echo clear >"$KML"
	kmemleak_ok=1
fi

# ---- 1. the suite
t0=$(now)
# shellcheck disable=SC2086 # a filter list
sh /tests/vm/run.sh $DEBUG_SUITE_FILTER | tee "$OUT/suite.log" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$'
sp=$(grep -c '^PASS ' "$OUT/suite.log")
sf=$(grep -c '^FAIL ' "$OUT/suite.log")
npass=$((npass + sp))
nfail=$((nfail + sf))
echo "debug-suite: suite: $sp passed, $sf failed in $(since "$t0") s"
ensure_loaded

# ---- 2. the unload stress loops
for s in /tests/stress/*.sh; do
	[ -f "$s" ] || continue
	name=stress:$(basename "$s" .sh)
	ensure_loaded
	mark=$(klog_mark)
	t0=$(now)
	timeout -s KILL "$STRESS_TIMEOUT" sh "$s" "$STRESS_CYCLES" >"$OUT/stress.log" 2>&1 </dev/null
	rc=$?
	why=""
	[ $rc -eq 0 ] || why="exit status $rc"
	if klog_problems "$mark" >/dev/null; then
		why="${why:+$why; }kernel log problems"
		{ echo "--- kernel log during the script:"; klog_since "$mark"; } >>"$OUT/stress.log"
	fi
	if [ -n "$why" ]; then
		fail "$name" "$why, $(since "$t0")s"
		indent "$OUT/stress.log"
	else
		pass "$name"
		tail -n 1 "$OUT/stress.log" | indent
	fi
	echo "debug-suite: $name took $(since "$t0") s"
done

# ---- 3. kmemleak after the module is gone
t0=$(now)
range=$(awk '$1 == "procscope" { print $6, $2 }' /proc/modules)
if ! unload procscope; then
	fail unload "rmmod procscope failed: refcnt $(cat /sys/module/procscope/refcnt 2>/dev/null)"
else
	pass unload
fi
if [ $kmemleak_ok = 1 ] && [ ! -d /sys/module/procscope ]; then
	kmemleak_scan >"$OUT/kmemleak.txt" 2>&1
	if grep -q '^unreferenced object' "$OUT/kmemleak.txt"; then
		fail kmemleak "$(grep -c '^unreferenced object' "$OUT/kmemleak.txt") unreferenced objects after rmmod procscope (it was loaded at address, size: ${range:-?})"
		head -n 400 "$OUT/kmemleak.txt" | indent
	else
		pass kmemleak
	fi
	echo "debug-suite: kmemleak scan took $(since "$t0") s"
fi

# ---- 4. the positive control: a deliberate leak must be reported
if [ $kmemleak_ok = 1 ]; then
	echo clear >"$KML"
	if ! insmod "$CONTROL_KO"; then
		fail kmemleak-control "insmod $CONTROL_KO failed"
	else
		kmemleak_scan >"$OUT/control.txt" 2>&1
		# each report: "unreferenced object ..." then its backtrace
		n=$(awk '/^unreferenced object/ { obj = 1; next }
			obj && /kmemleak_control/ { n++; obj = 0 }
			END { print n + 0 }' "$OUT/control.txt")
		if [ "$n" -ge 3 ]; then
			pass kmemleak-control
		else
			fail kmemleak-control "kmemleak reported $n of the control module's 3 leaks"
			head -n 100 "$OUT/control.txt" | indent
		fi
		unload kmemleak_control
		echo clear >"$KML"
	fi
fi

# ---- 5. KUnit
if [ -f "$KUNIT_KO" ]; then
	t0=$(now)
	sh /tests/kunit/run.sh "$KUNIT_KO" >"$OUT/kunit.log" 2>&1
	grep -v '^kunit: [0-9]* passed' "$OUT/kunit.log"
	npass=$((npass + $(grep -c '^PASS ' "$OUT/kunit.log")))
	nfail=$((nfail + $(grep -c '^FAIL ' "$OUT/kunit.log")))
	echo "debug-suite: $(tail -n 1 "$OUT/kunit.log") in $(since "$t0") s"
else
	echo "SKIP kunit: no $KUNIT_KO (the kernel has no CONFIG_KUNIT)"
fi

echo "debug-suite: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
