#!/bin/sh
# Four processes share a port with SO_REUSEPORT; N connections. Per-shard
# accept counts sum to N and match each process's own count; the group
# shows 4 members and the pids holding them.
set -u
. "$(dirname "$0")/lib.sh"

T=/tmp/t32; rm -rf $T; mkdir -p $T
PORT=8132
N=40

PIDS=""
for i in 1 2 3 4; do
	sock_server -p $PORT -r -b 64 -c -g $T/gate -R $T/ready$i -t 0 -o $T/acc$i > /dev/null &
	eval "P$i=$!"
	PIDS="$PIDS $!"
	wait_for_file $T/ready$i || fail "server $i did not start"
done

J=$(procscope --json sockets $P1) || fail "procscope sockets failed"
echo "$J"
assert_eq "$(echo "$J" | json_get sockets.0.reuseport.members)" 4 "reuseport members"
RP=$(echo "$J" | json_get sockets.0.reuseport.pids)
for p in $PIDS; do
	assert_contains "$RP" "$p" "pid $p holds a member"
done

# shellcheck disable=SC2086
procscope --json accept $PIDS > $T/events.json 2> $T/accept.err &
ACC=$!
for p in $PIDS; do
	wait_until 5 sh -c "procscope --json sockets $p | grep -q '\"watched\":true'" ||
		fail "listener of $p never became watched: $(cat $T/accept.err)"
done
touch $T/gate
sock_client -p $PORT -n $N > $T/client.out
assert_eq "$(cat $T/client.out)" $N "client connections"
# Stop the servers once their accept events all arrived (the counts are
# checked against the servers' own below).
wait_lines 10 $N $T/events.json '"event":"accept"' || echo "NOTE: not all accept events arrived"
touch $T/gate.stop
for p in $PIDS; do wait "$p"; done
wait $ACC || fail "procscope accept failed: $(cat $T/accept.err)"

SUM=$(tail -n 1 $T/events.json)
echo "$SUM"
assert_eq "$(echo "$SUM" | json_get summary.accepted)" $N "accepted"
total=0
for i in 1 2 3 4; do
	eval "p=\$P$i"
	own=$(cat $T/acc$i)
	shard=$(echo "$SUM" | grep -o "{\"pid\":$p,[^}]*}" | sed 's/.*"accepted":\([0-9]*\).*/\1/')
	[ -n "$shard" ] || shard=0
	echo "pid $p: accepted itself $own, procscope shard count $shard"
	assert_eq "$shard" "$own" "shard of pid $p"
	total=$((total + shard))
done
assert_eq "$total" $N "per-shard counts sum to N"
assert_eq "$(echo "$SUM" | grep -o '"shards":4' | wc -l)" \
	"$(echo "$SUM" | grep -o '"pid":[0-9]*,"listener_inode"' | wc -l)" "every shard reports a group of 4"
echo "ok"
