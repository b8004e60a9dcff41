#!/bin/sh
# In-guest part of `make kunit` (scripts/kunit.sh) and of the debug suite
# (tests/debug/run.sh).  busybox ash.  Usage: sh /tests/kunit/run.sh [KO]
# (default /procscope_kunit.ko).
#
# Loads the KUnit module KO, whose suites run while it loads, reads their
# KTAP results from the kernel log, unloads it, and prints "PASS suite.case",
# "SKIP suite.case: why" or "FAIL suite.case" per test case, a failed
# case's expectation messages indented below it, then
# "kunit: N passed, N failed".  Exit status 0 iff at least one case ran
# and none failed.

KO=${1:-/procscope_kunit.ko}
OUT=/tmp/kunit
rm -rf "$OUT"
mkdir -p "$OUT"

summary() { echo "kunit: $1 passed, $2 failed"; }

[ -f "$KO" ] || { echo "FAIL kunit-load ($KO missing)"; summary 0 1; exit 1; }
dmesg > "$OUT/before"
if ! insmod "$KO" 2> "$OUT/insmod"; then
	echo "FAIL kunit-load (insmod $KO: $(cat "$OUT/insmod"))"
	summary 0 1
	exit 1
fi
dmesg > "$OUT/after"
rmmod "$(basename "$KO" .ko)" 2>/dev/null

# The results, from the kernel log: debugfs keeps them too, but 6.1's
# per-suite log holds 512 bytes and drops what follows a few failure
# messages, failed cases included. The timestamp goes, the indent stays.
awk 'NR == FNR { seen[$0] = 1; next } !($0 in seen)' "$OUT/before" "$OUT/after" |
	sed 's/^\[[^]]*\] \{0,1\}//' > "$OUT/log.ktap"

# A test case is an indented "ok N name" / "not ok N name [# SKIP why]"
# after its suite's "# Subtest: suite" and plan "1..N"; an unindented
# "not ok N suite" fails a suite. A suite that reports fewer cases than
# planned, or fails with no failed case, fails as a whole.
awk '
	/^[ \t]*# Subtest: / { s = $0; sub(/.*# Subtest: /, "", s); suite = s; nmsg = 0
		suites[++ns] = suite; next }
	/^[ \t]+1\.\.[0-9]+$/ && suite != "" { p = $0; sub(/^[ \t]+1\.\./, "", p); plan[suite] = p; next }
	/^[ \t]+(not ok|ok) [0-9]+ / && suite != "" {
		l = $0; sub(/^[ \t]+/, "", l)
		bad = (l ~ /^not ok/)
		sub(/^(not ok|ok) [0-9]+ (- )?/, "", l)
		why = ""
		if (l ~ /# SKIP/) { why = l; sub(/.*# SKIP */, "", why); skip = 1 } else skip = 0
		sub(/ *#.*/, "", l)
		got[suite]++
		if (bad) {
			failed[suite]++
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
	/^not ok [0-9]+ / { l = $0; sub(/^not ok [0-9]+ (- )?/, "", l); sub(/ .*/, "", l); suitebad[l] = 1 }
	/^[ \t]+# / { m = $0; sub(/^[ \t]+# /, "", m); msg[++nmsg] = m }
	END {
		for (i = 1; i <= ns; i++) {
			s = suites[i]
			if (got[s] + 0 < plan[s] + 0)
				print "FAIL " s " (" got[s] + 0 " of " plan[s] " cases reported)"
			else if (suitebad[s] && !failed[s])
				print "FAIL " s " (the suite failed)"
		}
	}
' "$OUT/log.ktap" > "$OUT/lines"
cat "$OUT/lines"
np=$(grep -c '^PASS ' "$OUT/lines")
nf=$(grep -c '^FAIL ' "$OUT/lines")
ns=$(grep -c '^SKIP ' "$OUT/lines")
if [ $((np + nf + ns)) -eq 0 ]; then
	echo "FAIL kunit-results (no test case in the kernel log: is KUnit enabled?)"
	sed 's/^/    | /' "$OUT/log.ktap"
	nf=1
fi
summary "$np" "$nf"
[ "$nf" -eq 0 ]
