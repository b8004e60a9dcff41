#!/bin/sh
# In-guest part of `make kunit` (scripts/kunit.sh) and of the debug suite
# (tests/debug/run.sh).  busybox ash.  Usage: sh /tests/kunit/run.sh [KO]
# (default /procscope_kunit.ko).
#
# Loads the KUnit module KO, whose suites run while it loads, reads their
# KTAP results (debugfs kunit/SUITE/results; the kernel log when the kernel
# has no KUnit debugfs), unloads it, and prints "PASS suite.case",
# "SKIP suite.case: why" or "FAIL suite.case" per test case, a failed
# case's expectation messages indented below it, then
# "kunit: N passed, N failed".  Exit status 0 iff at least one case ran
# and none failed.

KO=${1:-/procscope_kunit.ko}
DBG=/sys/kernel/debug
OUT=/tmp/kunit
rm -rf "$OUT"
mkdir -p "$OUT"

summary() { echo "kunit: $1 passed, $2 failed"; }

[ -f "$KO" ] || { echo "FAIL kunit-load ($KO missing)"; summary 0 1; exit 1; }
[ -d "$DBG/kunit" ] || mount -t debugfs none "$DBG" 2>/dev/null
dmesg > "$OUT/before"
if ! insmod "$KO" 2> "$OUT/insmod"; then
	echo "FAIL kunit-load (insmod $KO: $(cat "$OUT/insmod"))"
	summary 0 1
	exit 1
fi
dmesg > "$OUT/after"
name=$(basename "$KO" .ko)

# The results: debugfs, one file per suite, else the log lines since insmod.
n=0
for d in "$DBG"/kunit/procscope_*; do
	[ -f "$d/results" ] || continue
	cp "$d/results" "$OUT/$(basename "$d").ktap"
	n=$((n + 1))
done
if [ "$n" -eq 0 ]; then
	# Log lines: "[  1.234] KTAP..." - the timestamp goes, the indent stays.
	awk 'NR == FNR { seen[$0] = 1; next } !($0 in seen)' "$OUT/before" "$OUT/after" |
		sed 's/^\[[^]]*\] \{0,1\}//' > "$OUT/log.ktap"
fi
rmmod "$name" 2>/dev/null

# A test case is an indented "ok N name" / "not ok N name [# SKIP why]"
# inside its suite's "# Subtest: suite"; the unindented lines are suites.
cat "$OUT"/*.ktap | awk '
	/^[ \t]*# Subtest: / { s = $0; sub(/.*# Subtest: /, "", s); suite = s; nmsg = 0; next }
	/^[ \t]+(not ok|ok) [0-9]+ / {
		l = $0; sub(/^[ \t]+/, "", l)
		bad = (l ~ /^not ok/)
		sub(/^(not ok|ok) [0-9]+ (- )?/, "", l)
		why = ""
		if (l ~ /# SKIP/) { why = l; sub(/.*# SKIP */, "", why); skip = 1 } else skip = 0
		sub(/ *#.*/, "", l)
		if (bad) {
			print "FAIL " suite "." l
			for (i = 1; i <= nmsg; i++) print "    | " msg[i]
		} else if (skip) {
			print "SKIP " suite "." l ": " why
		} else {
			print "PASS " suite "." l
		}
		nmsg = 0
		next
	}
	/^[ \t]+# / { m = $0; sub(/^[ \t]+# /, "", m); msg[++nmsg] = m }
' > "$OUT/lines"
cat "$OUT/lines"
np=$(grep -c '^PASS ' "$OUT/lines")
nf=$(grep -c '^FAIL ' "$OUT/lines")
ns=$(grep -c '^SKIP ' "$OUT/lines")
if [ $((np + nf + ns)) -eq 0 ]; then
	echo "FAIL kunit-results (no test case reported: is the kernel's KUnit enabled?)"
	sed 's/^/    | /' "$OUT"/*.ktap
	nf=1
fi
summary "$np" "$nf"
[ "$nf" -eq 0 ]
