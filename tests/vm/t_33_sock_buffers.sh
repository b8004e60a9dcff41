#!/bin/sh
# A connection with unread data shows it in unread/rmem, matching
# /proc/net/tcp's rx_queue.
set -u
. "$(dirname "$0")/lib.sh"

T=/tmp/t33; rm -rf $T; mkdir -p $T
PORT=8133
BYTES=3000

# Accepts one connection and never reads it; both ends live until killed.
sock_server -p $PORT -n 1 -k -R $T/ready -g $T/gate -t 0 > /dev/null &
SRV=$!
wait_for_file $T/ready || fail "server did not start"
touch $T/gate
sock_client -p $PORT -n 1 -w $BYTES -H > /dev/null &
CLI=$!
wait_until 5 sh -c "procscope --json sockets $SRV | grep -q '\"state\":\"ESTAB\".*\"unread\":$BYTES'" ||
	fail "no ESTAB socket with $BYTES unread: $(procscope --json sockets $SRV)"

J=$(procscope --json sockets $SRV)
echo "$J"
# The accepted connection is the second socket (fd order: listener first).
ST=$(echo "$J" | json_get sockets.1.state)
UNREAD=$(echo "$J" | json_get sockets.1.unread)
RMEM=$(echo "$J" | json_get sockets.1.rmem)
RCVBUF=$(echo "$J" | json_get sockets.1.rcvbuf)
LOCAL=$(echo "$J" | json_get sockets.1.local)
REMOTE=$(echo "$J" | json_get sockets.1.remote)
assert_eq "$ST" ESTAB "state"
assert_eq "$LOCAL" "127.0.0.1:$PORT" "local address"
RPORT=${REMOTE##*:}
RXQ=$(awk -v l="$(printf '%04X' $PORT)" -v r="$(printf '%04X' "$RPORT")" 'NR > 1 {
	split($2, a, ":"); split($3, b, ":");
	if (a[2] == l && b[2] == r && $4 == "01") { split($5, q, ":"); print q[2]; exit } }' /proc/net/tcp)
[ -n "$RXQ" ] || fail "connection not in /proc/net/tcp"
RXQ=$(printf '%d' "0x$RXQ")
echo "unread=$UNREAD rmem=$RMEM rcvbuf=$RCVBUF /proc/net/tcp rx_queue=$RXQ"
assert_eq "$UNREAD" "$RXQ" "unread vs /proc/net/tcp rx_queue"
assert_eq "$UNREAD" $BYTES "unread bytes"
assert_ge "$RMEM" $BYTES "rmem holds the data (plus skb overhead)"
assert_ge "$RCVBUF" "$RMEM" "rmem within rcvbuf"
procscope sockets $SRV | grep -q " $BYTES " || fail "text table lacks RECV-Q $BYTES"
# The client side: everything was acknowledged.
CJ=$(procscope --json sockets $CLI)
assert_eq "$(echo "$CJ" | json_get sockets.0.unacked)" 0 "client unacked"
kill $CLI $SRV 2>/dev/null
wait
echo "ok"
