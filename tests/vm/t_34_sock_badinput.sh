#!/bin/sh
# Bad input: a pid without sockets, sockets closing during the dump (and a
# dump spanning many messages), a pid that exits, kernel threads, garbage.
set -u
. "$(dirname "$0")/lib.sh"

T=/tmp/t34; rm -rf $T; mkdir -p $T

# No sockets: an empty list, exit 0.
sleep 1000000 &
SL=$!
J=$(procscope --json sockets $SL) || fail "sockets of a socketless pid failed"
assert_eq "$(echo "$J" | json_get sockets)" "[]" "no sockets"
assert_eq "$(echo "$J" | json_get pid)" "$SL" "pid"
assert_contains "$(procscope sockets $SL)" "0 sockets" "text"
kill $SL; wait $SL 2>/dev/null

# A pid that exited.
sleep 0.01 &
GONE=$!
wait $GONE
out=$(procscope sockets $GONE 2>&1) && fail "sockets of an exited pid succeeded"
assert_contains "$out" "no such process" "exited pid"
out=$(procscope accept -d 1 $GONE 2>&1) && fail "accept of an exited pid succeeded"
assert_contains "$out" "no such process" "accept: exited pid"

# A duration ends the run even while connections keep arriving (the drain
# of in-flight events after the deadline is bounded, it does not wait for
# a quiet moment that a busy listener never has).
sock_bench -p 8197 -n 1000000 -R $T/bench.ready > /dev/null 2>&1 &
SB=$!
wait_for_file $T/bench.ready || fail "sock_bench did not start"
( procscope accept -q -d 0.5 $SB > $T/busy.out 2>&1; echo "rc $?" >> $T/busy.out ) &
wait_until 15 grep -q '^rc ' $T/busy.out || fail "accept -d 0.5 did not stop on a busy listener"
assert_contains "$(cat $T/busy.out)" "rc 0" "accept -d on a busy listener"
assert_contains "$(cat $T/busy.out)" "accepted" "summary after -d on a busy listener"
kill $SB; wait $SB 2>/dev/null

# A kernel thread (kthreadd is pid 2).
out=$(procscope sockets 2 2>&1) && fail "sockets of a kernel thread succeeded"
assert_contains "$out" "kernel thread" "kernel thread"

# Garbage.
procscope sockets abc 2>/dev/null; assert_eq $? 2 "non-numeric pid: usage error"
procscope sockets 2>/dev/null; assert_eq $? 2 "missing pid: usage error"
procscope accept 2>/dev/null; assert_eq $? 2 "accept without pid: usage error"
procscope accept -d xyz 1 2>/dev/null; assert_eq $? 2 "accept bad duration"

# 300 sockets held (several netlink messages: the dump resumes by fd)
# while others open and close around them.
KEEP=300
sock_churn -k $KEEP -t 0 -R $T/ready &
CH=$!
wait_for_file $T/ready || fail "churn did not start"
i=0
while [ $i -lt 20 ]; do
	J=$(procscope --json sockets $CH) || fail "dump $i failed during churn"
	n=$(echo "$J" | grep -o '"fd":' | wc -l)
	kept=$(echo "$J" | grep -o '"fd":[0-9]*,"family":"inet","type":"dgram"' | wc -l)
	assert_ge "$kept" $KEEP "dump $i lost held sockets (saw $n sockets)"
	i=$((i + 1))
done
# Every fd appears once and in order.
echo "$J" | grep -o '"fd":[0-9]*' | sed 's/"fd"://' > $T/fds
sort -n -u $T/fds | cmp -s - $T/fds || fail "fds repeated or out of order"
kill $CH; wait $CH 2>/dev/null

# The process exits while its sockets are being dumped repeatedly.
sock_churn -k 200 -t 1 &
CH=$!
while kill -0 $CH 2>/dev/null; do
	out=$(procscope --json sockets $CH 2>&1)
	rc=$?
	[ $rc = 0 ] || case $out in
		*"no such process"* | *"exiting"*) ;;
		*) fail "dump of an exiting pid: $out" ;;
	esac
done
wait $CH
echo "ok"
