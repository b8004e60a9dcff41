#!/bin/sh
# A server that sleeps 300 ms before each accept: every accept event must
# report at least that long in the accept queue.
set -u
. "$(dirname "$0")/lib.sh"

T=/tmp/t31; rm -rf $T; mkdir -p $T
PORT=8131
SLEEP_MS=300

sock_server -p $PORT -b 16 -s $SLEEP_MS -n 4 -c -R $T/ready -t 0 -o $T/accepted &
SRV=$!
wait_for_file $T/ready || fail "server did not start"
procscope --json accept $SRV > $T/events.json 2> $T/accept.err &
ACC=$!
wait_until 5 sh -c "procscope --json sockets $SRV | grep -q '\"watched\":true'" ||
	fail "listener never became watched: $(cat $T/accept.err)"
sock_client -p $PORT -n 4 -h 2 > /dev/null
wait $SRV
wait $ACC || fail "procscope accept failed: $(cat $T/accept.err)"

N=$(grep -c '"event":"accept"' $T/events.json)
assert_eq "$N" 4 "accept events"
for w in $(grep '"event":"accept"' $T/events.json | sed 's/.*"queue_wait_ns":\([0-9]*\).*/\1/'); do
	echo "queue_wait_ns=$w"
	assert_ge "$w" $((SLEEP_MS * 1000000)) "time in accept queue"
done
SUM=$(tail -n 1 $T/events.json)
P50=$(echo "$SUM" | json_get summary.queue_wait_ns.p50)
MAX=$(echo "$SUM" | json_get summary.queue_wait_ns.max)
echo "p50=$P50 max=$MAX"
assert_ge "$P50" $((SLEEP_MS * 1000000)) "p50"
assert_ge "$MAX" "$P50" "max >= p50"
# Later connections waited behind earlier accepts: the last waited longest.
assert_ge "$MAX" $((SLEEP_MS * 1000000 * 3)) "the 4th waited behind three sleeps"
echo "ok"
