#!/bin/sh
# Page-fault hook overhead: a fault-heavy loop (map, touch, unmap 256 MiB,
# repeated) with the module unloaded, loaded with nothing watched, loaded
# while another process is watched, and watched with a live reader.
REPS=${REPS:-3}
LOOP=256:4
W=/progs/fault_workload

# One timed loop; prints its nanoseconds (the median of REPS runs).
run() {
	i=0
	while [ $i -lt $REPS ]; do
		"$@" 2>/dev/null | awk '$1 == "loop_ns" { print $2 }'
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

$W loop:$LOOP > /dev/null 2>&1	# warm-up: first-touch of zram, caches
rmmod procscope 2>/dev/null
t_unloaded=$(run $W loop:$LOOP)
insmod "$PROCSCOPE_KO" || { echo "bench: insmod failed" >&2; exit 1; }
t_loaded=$(run $W loop:$LOOP)
sleep 600 & other=$!
procscope faults -q $other > /dev/null 2>&1 & cli=$!
sleep 1
t_other=$(run $W loop:$LOOP)
kill -INT $cli; wait $cli; kill $other
t_watched=$(run procscope faults -q -- $W loop:$LOOP)
procscope faults --json -- $W loop:$LOOP > /tmp/b20.json 2>/dev/null
ev=$(tail -1 /tmp/b20.json | sed -n 's/.*"delivered":\([0-9]*\).*/\1/p')
drop=$(tail -1 /tmp/b20.json | sed -n 's/.*"dropped":\([0-9]*\).*/\1/p')
t_json=$(awk '$1 == "loop_ns" { print $2 }' /tmp/b20.json)
faults=$(awk '$1 == "loop_ns" { print $4 }' /tmp/b20.json)

ratio() { awk -v a="$1" -v b="$t_unloaded" 'BEGIN { printf "%.3f", a / b }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.0f", a / 1e6 }'; }

echo "### Page faults: hook overhead"
echo
echo "Command: \`$W loop:$LOOP\` (map, touch every 4 KiB page, unmap 256 MiB, 4 times:"
echo "$faults faults per run), median of $REPS runs, loop time measured inside the workload."
echo
echo "| Scenario | Loop time (ms) | vs unloaded | Target |"
echo "|---|---:|---:|---|"
echo "| module unloaded | $(ms $t_unloaded) | 1.000 | |"
echo "| loaded, nothing watched | $(ms $t_loaded) | $(ratio $t_loaded) | |"
echo "| loaded, another process watched | $(ms $t_other) | $(ratio $t_other) | <= 1.03 |"
echo "| watched, live reader (\`procscope faults -q -- ...\`) | $(ms $t_watched) | $(ratio $t_watched) | <= 1.25 |"
echo
awk -v e="$ev" -v t="$t_json" -v d="$drop" 'BEGIN {
	printf "Events streamed with \`procscope faults --json -- %s\`: %d delivered, %d dropped, %.0f events/s.\n", "'"$W loop:$LOOP"'", e, d, e / (t / 1e9) }'
