#!/bin/sh
# procscope top: plain lines and JSON lines when not a TTY, the full-screen
# view on a pseudo-terminal (q and Ctrl-C restore the terminal), watches
# added by top removed on exit, accept-queue depth against /proc/net/tcp,
# fault counts against /proc/PID/stat, bad input.
set -u
. "$(dirname "$0")/lib.sh"

T=/tmp/t41; rm -rf $T; mkdir -p $T
PORT=8141

active_watches() { procscope --json status | json_get watches.active; }
watches_are() { [ "$(active_watches)" = "$1" ]; }
flt() { echo $(( $(proc_stat_field "$1" 10) + $(proc_stat_field "$1" 12) )); }
tcp_rxq() {
	h=$(awk -v p="$(printf '%04X' "$1")" 'NR > 1 {
		split($2, a, ":"); if (a[2] == p && $4 == "0A") { split($5, q, ":"); print q[2]; exit } }' /proc/net/tcp)
	[ -n "$h" ] && printf '%d\n' "0x$h"
}

# A looping server: faults every 200 ms; accepts nothing. It and the client
# live until the test kills them.
demo_server -p $PORT -b 4 -a 0 -m 4 -l -R $T/ready -t 0 > /dev/null &
SRV=$!
wait_for_file $T/ready || fail "server did not start"
assert_eq "$(active_watches)" 0 "no watch before top"
sock_client -p $PORT -n 3 -H > /dev/null &
CLI=$!
rxq_is() { [ "$(tcp_rxq $PORT)" = "$1" ]; }
wait_until 5 rxq_is 3 || echo "NOTE: the 3 connections did not queue"

# 1. plain lines (stdout is a file, not a TTY)
F0=$(flt $SRV)
procscope top -p $SRV -d 0.5 -n 4 > $T/lines.txt 2> $T/lines.err || fail "top failed: $(cat $T/lines.err)"
F1=$(flt $SRV)
cat $T/lines.txt
grep -q "$(printf '\033')" $T/lines.txt && fail "escape sequences in non-TTY output"
head -n 1 $T/lines.txt | grep -q "FAULTS/s.*ACCEPT-Q.*OVERFLOWS" || fail "no header line"
assert_eq "$(grep -c " $SRV demo_server " $T/lines.txt)" 4 "one line per refresh"
assert_eq "$(active_watches)" 0 "top removed the watch it added"
RXQ=$(tcp_rxq $PORT)
assert_eq "$RXQ" 3 "/proc/net/tcp rx_queue"
grep " $SRV demo_server " $T/lines.txt | tail -n 1 | grep -q " 3/4 " || fail "accept queue 3/4 not shown"

# 2. JSON lines: per-class rates add up; counters match the kernel's
procscope top --json -p $SRV -d 0.5 -n 3 > $T/top.json 2> $T/json.err || fail "top --json failed: $(cat $T/json.err)"
F2=$(flt $SRV)
assert_eq "$(wc -l < $T/top.json)" 3 "one JSON line per refresh"
L=$(tail -n 1 $T/top.json)
echo "$L"
assert_eq "$(json_get processes.0.pid "$L")" $SRV "pid"
assert_eq "$(json_get processes.0.accept_queue "$L")" "$RXQ" "accept_queue vs /proc/net/tcp"
assert_eq "$(json_get processes.0.backlog "$L")" 4 "backlog"
MIN=$(json_get processes.0.minor "$L"); MAJ=$(json_get processes.0.major "$L")
echo "watch counted $MIN minor + $MAJ major; /proc/$SRV/stat rose by $((F2 - F1)) over the whole top run"
assert_gt "$((MIN + MAJ))" 0 "faults counted while the server loops"
assert_le "$((MIN + MAJ))" "$((F2 - F1))" "watch counts within /proc/PID/stat's rise"
RATE=$(json_get processes.0.faults_per_s "$L")
awk -v r="$RATE" 'BEGIN { exit !(r > 0) }' || fail "faults_per_s $RATE is not > 0"
# faults_per_s is the sum of the per-class rates
SUM=$(json_get processes.0.by_class_per_s "$L" | tr -d '{}' | tr ',' '\n' | awk -F: '{ s += $2 } END { printf "%.1f", s }')
awk -v a="$SUM" -v b="$RATE" 'BEGIN { d = a - b; exit !(d < 0.2 && d > -0.2) }' || fail "class rates $SUM != total $RATE"
assert_eq "$(active_watches)" 0 "no watch left"

# 3. a watch someone else holds is read, not removed
procscope faults -q $SRV > /dev/null 2>&1 &
FLT=$!
wait_until 5 watches_are 1 || fail "faults did not watch"
procscope top -d 0.3 -n 2 > $T/all.txt || fail "top without -p failed"
grep -q " $SRV demo_server " $T/all.txt || fail "top without -p did not list the watched process"
procscope top -p $SRV -d 0.3 -n 1 > /dev/null || fail "top -p on a watched pid failed"
assert_eq "$(active_watches)" 1 "top left the other command's watch alone"
kill -INT $FLT; wait $FLT

# 4. the full-screen view on a terminal: q, Ctrl-C and SIGTERM restore it
for how in "-k q" "-k \\003" "-s 15"; do
	# shellcheck disable=SC2086
	# Keys (or the signal) once the server's row is on the screen.
	pty_run -w 1 -u "$SRV demo_server" $how -t "$(scaled 20)" -o $T/tty.out -- \
		procscope top -p $SRV -d 0.5 > $T/pty.txt
	R=$?
	cat $T/pty.txt
	assert_eq "$R" 0 "top on a pty ($how)"
	assert_contains "$(cat $T/pty.txt)" "termios restored" "termios after $how"
	assert_contains "$(cat $T/pty.txt)" "altscreen entered 1 left 1" "alternate screen after $how"
	grep -q "FAULTS/s" $T/tty.out || fail "no table drawn on the pty"
	grep -q "$SRV demo_server" $T/tty.out || fail "no row for the server on the pty"
	assert_eq "$(active_watches)" 0 "watch removed after $how"
done

# 5. bad input
procscope top -p abc > $T/bad.out 2>&1; R=$?
assert_eq "$R" 2 "bad pid is a usage error"
procscope top -p 999999 > $T/bad.out 2>&1; R=$?
assert_eq "$R" 1 "unknown pid"
assert_contains "$(cat $T/bad.out)" "no such process"
procscope top -d 0 -p $SRV > $T/bad.out 2>&1; R=$?
assert_eq "$R" 2 "zero interval"
procscope top -p $SRV extra > $T/bad.out 2>&1; R=$?
assert_eq "$R" 2 "stray operand"
procscope top -n 1 > $T/bad.out 2>&1; R=$?
assert_eq "$R" 1 "nothing watched"
assert_contains "$(cat $T/bad.out)" "-p PID"

# 6. the process exits: top says so and ends
procscope top -p $SRV -d 0.3 > $T/exit.txt 2> $T/exit.err &
TOP=$!
wait_until 5 test -s $T/exit.txt || fail "top printed nothing: $(cat $T/exit.err)"
kill $SRV; wait $SRV 2>/dev/null
wait_until 5 sh -c "! kill -0 $TOP 2>/dev/null" || fail "top did not end after the process exited"
wait $TOP || fail "top failed when its process exited"
assert_contains "$(cat $T/exit.err)" "exited"
kill $CLI 2>/dev/null
echo ok
