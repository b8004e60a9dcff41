#!/bin/sh
# Sockets: cost of the accept-path hooks on a loopback connect/accept/close
# loop, with the module unloaded, loaded (hooks armed, nothing watched) and
# watching the listener with a live `procscope accept` reader.
N=${SOCK_BENCH_N:-3000}
RUNS=5
T=/tmp/b30; rm -rf $T; mkdir -p $T
PORT=8190
KO=${PROCSCOPE_KO:-/lib/modules/$(uname -r)/extra/procscope.ko}

# Median rate of RUNS runs of sock_bench in MODE; prints "rate secs".
run_plain() {
	i=0
	while [ $i -lt $RUNS ]; do
		sock_bench -p $PORT -n "$N" | sed 's/.*secs=\([0-9.]*\) rate=\([0-9.]*\)/\2 \1/'
		i=$((i + 1))
	done | sort -n | sed -n 3p
}

run_watched() {
	i=0
	rm -f $T/events
	while [ $i -lt $RUNS ]; do
		rm -f $T/ready $T/gate
		sock_bench -p $PORT -n "$N" -R $T/ready -g $T/gate > $T/out &
		B=$!
		while [ ! -e $T/ready ]; do sleep 0.05; done
		procscope --json accept -q $B > $T/sum.json 2> $T/err &
		A=$!
		until procscope --json sockets $B | grep -q '"watched":true'; do sleep 0.05; done
		touch $T/gate
		wait $B
		wait $A
		s=$(tail -n 1 $T/sum.json)
		ev=$(echo "$s" | awk -F'"syns":|,"handshakes":|,"synack_retrans"' '{print $2 + $3}')
		acc=$(echo "$s" | sed 's/.*"accepted":\([0-9]*\).*/\1/')
		lost=$(echo "$s" | sed 's/.*"dropped":\([0-9]*\).*/\1/')
		echo "$(sed 's/.*secs=\([0-9.]*\) rate=\([0-9.]*\)/\2 \1/' $T/out) $((ev + acc)) $lost"
		i=$((i + 1))
	done | sort -n | sed -n 3p
}

rmmod procscope 2>/dev/null
# Warm-up: the first connections of a boot are slower (caches, port hash).
sock_bench -p $PORT -n "$N" > /dev/null
set -- $(run_plain); R0=$1
insmod "$KO" || { echo "b_30: insmod $KO failed" >&2; exit 1; }
set -- $(run_plain); R1=$1
set -- $(run_watched); R2=$1 S2=$2 EV=$3 LOST=$4

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo "### Sockets: connect/accept/close loop"
echo
echo "\`sock_bench -p $PORT -n $N\` (one process: blocking connect to 127.0.0.1, accept, close"
echo "both with RST), median of $RUNS runs per mode. *watched*: \`procscope --json accept -q PID\`"
echo "reading the events live (SYN, handshake and accept events: 3 per connection)."
echo
echo "| mode | connections/s | vs unloaded |"
echo "|---|---:|---:|"
echo "| module unloaded | $R0 | 1.000 |"
echo "| loaded, nothing watched | $R1 | $(ratio "$R1" "$R0") |"
echo "| loaded, listener watched + live reader | $R2 | $(ratio "$R2" "$R0") |"
echo
echo "Watched run: $EV events in ${S2} s = $(awk -v e="$EV" -v s="$S2" 'BEGIN { printf "%.0f", e / s }') events/s delivered, $LOST lost."
