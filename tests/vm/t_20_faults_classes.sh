#!/bin/sh
# Every fault class, triggered a known way by /progs/fault_workload, must be
# reported at the addresses the workload touched; handled events must match
# the kernel's minflt/majflt exactly.
F=/mnt/disk/faultfile
mountpoint -q /mnt/disk 2>/dev/null || grep -q ' /mnt/disk ' /proc/mounts || skip "no /mnt/disk"
dd if=/dev/urandom of=$F bs=4096 count=64 2>/dev/null || fail "cannot write $F"
drop_file_cache $F || fail "cannot get $F out of the page cache"
# file:F first runs with a cold cache (file_major), the second one warm (file).
procscope faults --json -- /progs/fault_workload anon stack cow swap perm \
	badaddr file:$F file:$F shared:$F > out.txt 2> err.txt || fail "procscope faults failed: $(cat err.txt)"
grep '^phase' out.txt
tail -1 out.txt

# check PHASE CLASS: an event of CLASS inside the range PHASE touched. The
# workload's "phase" lines and procscope's events interleave arbitrarily.
check() {
	n=$(awk -v ph="$1" -v cls="$2" '
	function hex(s,  i, c, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
		return v }
	$1 == "phase" && $2 == ph { lo = hex($3); hi = hex($4) }
	/^\{"ts_ns"/ && index($0, "\"class\":\"" cls "\"") {
		match($0, /"addr":"0x[0-9a-f]*"/); a[++n] = hex(substr($0, RSTART + 8, RLENGTH - 9)) }
	END { for (i = 1; i <= n; i++) if (a[i] >= lo && a[i] < hi) hits++; print hits + 0 }' out.txt)
	echo "$1: $n $2 events in range"
	assert_gt "$n" 0 "$1: no $2 fault inside the range the workload touched"
}
check anon anon
check stack stack
check cow cow
check swap swap
check perm perm
check badaddr badaddr
check file file_major
check file file
check shared shared_write

# The summary: no loss at this rate, totals consistent with the lines.
sum=$(tail -1 out.txt)
assert_contains "$sum" '"summary"' "last line is the summary"
assert_eq "$(json_get summary.dropped "$sum")" 0 "dropped"
lines=$(grep -c '^{"ts_ns"' out.txt)
assert_eq "$(json_get summary.delivered "$sum")" "$lines" "delivered == event lines"
assert_eq "$(json_get summary.total "$sum")" "$lines" "total == event lines"
perm=$(grep '"class":"perm"' out.txt | head -1)
assert_contains "$perm" '"outcome":"SIGSEGV"' "perm fault outcome"
assert_contains "$perm" '"state_before":"ro"' "perm fault: entry was read-only present"
swp=$(grep '"class":"swap"' out.txt | head -1)
assert_contains "$swp" '"state_before":"swap"' "swap fault: entry was a swap entry"
echo "classes OK ($lines events)"
