#!/bin/bash
# procscope faults on a real program: GNU sort of a file several times larger
# than its sort buffer (temporary files, merges), with the page cache dropped first
# so its binary and libraries come in as major faults.  The truth is the kernel's
# own accounting of that process, seen from both ends: /proc/PID/stat minflt and
# majflt when the watch starts, and its rusage (ru_minflt, ru_majflt via
# /usr/bin/time) when it exits.  Faults counted by procscope == the rise.
# shellcheck disable=SC2317  # functions called through wait_until
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
T=/tmp/sys-faults
rm -rf $T
mkdir -p $T
BIG=/root/sort-input.txt
[ -f $BIG ] || shuf -i 1-1000000000 -n 2000000 >$BIG
echo "input: $(du -h $BIG | cut -f1), $(wc -l <$BIG) lines"

# sort starts stopped (its shell stops itself, then execs sort: same pid), so the
# watch is in place before sort's first instruction; time(1) is its parent and
# reports its rusage.
/usr/bin/time -f '%R %F' -o $T/rusage sh -c 'kill -STOP $$; exec sort -S 4M -T /root -o /root/sort-output.txt /root/sort-input.txt' &
TIMEP=$!
stopped() {
	CHILD=$(pgrep -P "$TIMEP") && [ "$(awk '{ print $3 }' "/proc/$CHILD/stat")" = T ]
}
wait_until 10 stopped || abort "the child of time(1) did not stop itself"
CHILD=$(pgrep -P $TIMEP)
procscope --json faults "$CHILD" >$T/faults.json 2>$T/faults.err &
CLI=$!
active() { procscope --json status | jq -e '.watches.active >= 1' >/dev/null; }
wait_until 10 active || abort "the watch was not added: $(cat $T/faults.err)"
read -r MIN0 MAJ0 < <(awk '{ print $10, $12 }' "/proc/$CHILD/stat")
sync
echo 3 >/proc/sys/vm/drop_caches
t0=$SECONDS
kill -CONT "$CHILD"
wait $TIMEP
echo "time(1)/sort exit $? after $((SECONDS - t0)) s"
wait $CLI || fail "procscope faults exited $?: $(cat $T/faults.err)"
read -r MIN1 MAJ1 <$T/rusage
SUM=$(tail -n 1 $T/faults.json)
echo "$SUM" | jq -c '.summary | del(.sites, .mappings)' 2>/dev/null || echo "$SUM" | cut -c 1-400
dmin=$((MIN1 - MIN0))
dmaj=$((MAJ1 - MAJ0))
counted=$(grep -c '"counted":true' $T/faults.json)
major=$(grep '"counted":true' $T/faults.json | grep -c '"major":true')
echo "kernel: minflt $MIN0 -> $MIN1 (+$dmin), majflt $MAJ0 -> $MAJ1 (+$dmaj); procscope: $counted counted events, $major major"
check_eq "$counted" "$((dmin + dmaj))" "faults events counted == rise of minflt + majflt"
check_eq "$major" "$dmaj" "major events == rise of majflt"
check_eq "$(echo "$SUM" | jq .summary.minor)" "$dmin" "summary minor == rise of minflt"
check_eq "$(echo "$SUM" | jq .summary.major)" "$dmaj" "summary major == rise of majflt"
check_eq "$(echo "$SUM" | jq .summary.dropped)" 0 "no events dropped"
check_gt "$dmaj" 0 "sort took major faults (page cache dropped)"
check_gt "$dmin" 1000 "sort took minor faults"
sys_done
