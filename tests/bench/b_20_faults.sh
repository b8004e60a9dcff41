#!/bin/sh
# Page-fault hook overhead: a fault-heavy loop (map, touch, unmap 256 MiB,
# repeated) with the module unloaded, loaded with nothing watched, loaded
# while another process is watched, and watched with a live reader.
#
# Under QEMU TCG the host's load moves every number (another VM on the
# same cores slows a whole run by 30 %), so the four scenarios run in
# rounds, one after the other (ABCD ABCD ...), and each takes the median
# over the rounds. A second table gives the median cost of one fault,
# timed with the TSC around each first touch (fault_workload touchlat):
# a median is not moved by the few faults during which the host
# descheduled the vCPU, so it shows the hooks' own cost.
REPS=${REPS:-3}
LOOP=256:4
LAT=64:2
W=/progs/fault_workload
T=/tmp/b20
mkdir -p $T
rm -f $T/*.ns $T/*.cy

loop_ns() { awk '$1 == "loop_ns" { print $2 }'; }
cycles() { awk '$1 == "touch_cycles" { print $5 }'; }
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# One round of scenario $1: the loop, then the per-fault median.
measure() {
	s=$1
	shift
	"$@" $W loop:$LOOP 2>/dev/null | loop_ns >> $T/$s.ns
	"$@" $W touchlat:$LAT 2>/dev/null | cycles >> $T/$s.cy
}

$W loop:$LOOP > /dev/null 2>&1	# warm-up: first-touch of zram, caches
sleep 3600 & other=$!
i=0
while [ $i -lt "$REPS" ]; do
	rmmod procscope 2>/dev/null
	measure unloaded
	insmod "$PROCSCOPE_KO" || { echo "bench: insmod failed" >&2; kill $other; exit 1; }
	measure loaded
	procscope faults -q $other > /dev/null 2>&1 & cli=$!
	sleep 1
	measure other
	kill -INT $cli
	wait $cli
	measure watched procscope faults -q --
	i=$((i + 1))
done
kill $other
procscope faults --json -- $W loop:$LOOP > $T/json 2>/dev/null
ev=$(tail -1 $T/json | sed -n 's/.*"delivered":\([0-9]*\).*/\1/p')
drop=$(tail -1 $T/json | sed -n 's/.*"dropped":\([0-9]*\).*/\1/p')
t_json=$(loop_ns < $T/json)
faults=$(awk '$1 == "loop_ns" { print $4 }' $T/json)

for s in unloaded loaded other watched; do
	eval "t_$s=\$(median $T/$s.ns)"
	eval "c_$s=\$(median $T/$s.cy)"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.0f", a / 1e6 }'; }
row() {
	echo "| $1 | $(ms "$2") | $(ratio "$2" "$t_unloaded") | $3 | $(ratio "$3" "$c_unloaded") | $4 |"
}

echo "### Page faults: hook overhead"
echo
echo "Command: \`$W loop:$LOOP\` (map, touch every 4 KiB page, unmap 256 MiB, 4 times:"
echo "$faults faults per run): loop time measured inside the workload, median of $REPS"
echo "rounds that each run all four scenarios in turn. Per fault: \`$W touchlat:$LAT\`,"
echo "TSC cycles around each first touch (fault entry to return to user), median over"
echo "32768 faults, then the median over the rounds."
echo
echo "| Scenario | Loop time (ms) | vs unloaded | Cycles per fault (median) | vs unloaded | Target (loop) |"
echo "|---|---:|---:|---:|---:|---|"
row "module unloaded" "$t_unloaded" "$c_unloaded" ""
row "loaded, nothing watched" "$t_loaded" "$c_loaded" ""
row "loaded, another process watched" "$t_other" "$c_other" "<= 1.03"
row "watched, live reader (\`procscope faults -q -- ...\`)" "$t_watched" "$c_watched" "<= 1.25"
echo
awk -v e="$ev" -v t="$t_json" -v d="$drop" 'BEGIN {
	printf "Events streamed with \`procscope faults --json -- %s\`: %d delivered, %d dropped, %.0f events/s.\n", "'"$W loop:$LOOP"'", e, d, e / (t / 1e9) }'
echo
echo "Clocksource in the guest: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource);" \
	"one clock read costs $($W clock:20000 | awk '{ print $2 }') ns from user space (\`$W clock:20000\`)."
