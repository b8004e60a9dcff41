# shellcheck shell=bash
# Helpers for the Debian system VM tests (tests/sys/*.sh; bash, jq, run as root in
# the guest by tests/sys/run.sh).  A check does not end the script: every check
# counts, and the script ends with `N passed, N failed` (sys_done) and exits non-zero
# if any failed.
#
#   pass MSG / fail MSG         count a result
#   check_eq ACTUAL EXPECTED MSG
#   check_ge A B MSG            integers: A >= B (also check_gt)
#   sys_done                    print the count line, exit 1 if anything failed
#   wait_until SECS CMD...      retry CMD every 0.2 s until it succeeds; 1 on timeout

SYS_PASSED=0
SYS_FAILED=0

pass() { SYS_PASSED=$((SYS_PASSED + 1)); echo "PASS: $*"; }
fail() { SYS_FAILED=$((SYS_FAILED + 1)); echo "FAIL: $*"; }

check_eq() {
	if [ "$1" = "$2" ]; then pass "$3 ($1)"; else fail "$3: got '$1', expected '$2'"; fi
}
check_ge() {
	if [ "$1" -ge "$2" ] 2>/dev/null; then pass "$3 ($1 >= $2)"; else fail "$3: got '$1', expected >= $2"; fi
}
check_gt() {
	if [ "$1" -gt "$2" ] 2>/dev/null; then pass "$3 ($1 > $2)"; else fail "$3: got '$1', expected > $2"; fi
}

wait_until() {
	local end=$((SECONDS + $1))
	shift
	while ! "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# A fatal precondition: count it, print the line, stop this script.
abort() {
	fail "$*"
	sys_done
}

sys_done() {
	echo "$(basename "$0" .sh): $SYS_PASSED passed, $SYS_FAILED failed"
	[ "$SYS_FAILED" -eq 0 ] || exit 1
	exit 0
}
