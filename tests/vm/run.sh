#!/bin/sh
# In-guest VM test runner (busybox ash).  From the host:
#     scripts/vm run -- sh /tests/vm/run.sh [-t SECS] [FILTER...]
#
# Runs every executable tests/vm/t_*.sh in name order (only those whose name contains
# one of the FILTER substrings, if any are given).  Each test runs in its own shell
# and process group, with tests/vm/lib.sh already sourced, its own scratch directory
# as cwd ($TEST_TMP) and a timeout (-t SECS, default $VM_TEST_TIMEOUT or 300 s: only
# a safety net, sized for a debug kernel on a busy host); processes it leaves
# behind are killed afterwards.  A test passes if it exits 0,
# is skipped if it exits 77, and fails otherwise -- or if the kernel logged a
# problem (BUG, WARNING, Oops, ...) while it ran.
#
# Output: "PASS name", "SKIP name: reason" or "FAIL name (why)" followed by the
# test's output indented, then exactly one summary line "N passed, N failed".
# Exit status: 0 if nothing failed (and at least one test ran), else 1.
# shellcheck source-path=SCRIPTDIR

VM_TEST_DIR=$(cd "$(dirname "$0")" && pwd)
export VM_TEST_DIR
# shellcheck source=lib.sh
. "$VM_TEST_DIR/lib.sh"

TIMEOUT=${VM_TEST_TIMEOUT:-300}
while getopts t:h opt; do
	case $opt in
	t) TIMEOUT=$OPTARG ;;
	h)
		sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
{ _is_int "$TIMEOUT" && [ "$TIMEOUT" -gt 0 ]; } || { echo "run.sh: bad timeout '$TIMEOUT'" >&2; exit 2; }

OUT=/tmp/vmtest
rm -rf "$OUT"
mkdir -p "$OUT"

npass=0
nfail=0
nskip=0

selected() { # NAME FILTER...
	_n=$1
	shift
	[ $# -eq 0 ] && return 0
	for _f; do
		case $_n in *"$_f"*) return 0 ;; esac
	done
	return 1
}

now() { cut -d' ' -f1 /proc/uptime; }

indent() { sed 's/^/    | /' "$1"; }

run_one() { # PATH NAME
	t=$1
	name=$2
	log=$OUT/$name.log
	TEST_TMP=$OUT/$name.d
	mkdir -p "$TEST_TMP"
	mark=$(klog_mark)
	start=$(now)
	# setsid: own process group (pgid = pid) so leftovers can be killed as a group;
	# busybox timeout keeps the PID of the command it runs.
	# shellcheck disable=SC2016 # expanded by the inner sh
	(cd "$TEST_TMP" && TEST_NAME=$name TEST_TMP=$TEST_TMP exec timeout -s KILL "$TIMEOUT" \
		setsid sh -c '. "$VM_TEST_DIR/lib.sh" && . "$0"' "$t") >"$log" 2>&1 </dev/null &
	pid=$!
	wait "$pid" 2>/dev/null # no "Killed" job message
	rc=$?
	kill -KILL -- "-$pid" 2>/dev/null
	elapsed=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
	why=""
	if [ $rc -eq 137 ] && awk -v e="$elapsed" -v t="$TIMEOUT" 'BEGIN { exit !(e >= t - 0.5) }'; then
		why="timed out after ${TIMEOUT}s"
	elif [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
		why="exit status $rc"
	fi
	if klog_problems "$mark" >"$OUT/$name.klog"; then
		why="${why:+$why; }kernel log problems"
		{
			echo "--- kernel log during the test:"
			klog_since "$mark"
		} >>"$log"
	fi
	if [ -n "$why" ]; then
		echo "FAIL $name ($why, ${elapsed}s)"
		indent "$log"
		nfail=$((nfail + 1))
	elif [ $rc -eq 77 ]; then
		reason=$(sed -n 's/^SKIP: //p' "$log" | tail -n 1)
		echo "SKIP $name: ${reason:-skipped}"
		nskip=$((nskip + 1))
	else
		echo "PASS $name"
		npass=$((npass + 1))
	fi
}

for t in "$VM_TEST_DIR"/t_*.sh; do
	{ [ -f "$t" ] && [ -x "$t" ]; } || continue
	name=$(basename "$t" .sh)
	selected "$name" "$@" || continue
	run_one "$t" "$name"
done

ran=$((npass + nfail + nskip))
[ "$ran" -gt 0 ] || echo "run.sh: no tests matched${*:+ (filters: $*)}"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ] && [ "$ran" -gt 0 ]
