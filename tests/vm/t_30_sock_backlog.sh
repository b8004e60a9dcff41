#!/bin/sh
# Listener with backlog 4 that does not accept; 10 clients connect.
# Truth: /proc/net/tcp rx_queue (a listener's accept-queue length) and
# ListenOverflows in /proc/net/netstat.
set -u
. "$(dirname "$0")/lib.sh"

T=/tmp/t30; rm -rf $T; mkdir -p $T
PORT=8130

# rx_queue of the socket on local PORT in state ST (hex, as in the file), decimal.
tcp_rxq() {
	h=$(awk -v p="$(printf '%04X' "$1")" -v st="$2" 'NR > 1 {
		split($2, a, ":"); if (a[2] == p && $4 == st) { split($5, q, ":"); print q[2]; exit } }' /proc/net/tcp)
	[ -n "$h" ] && printf '%d\n' "0x$h"
}

sock_server -p $PORT -b 4 -g $T/gate -R $T/ready -t 0 -o $T/accepted &
SRV=$!
wait_for_file $T/ready || fail "server did not start"

procscope --json accept $SRV > $T/events.json 2> $T/accept.err &
ACC=$!
# The watch is in place once the listener shows as watched.
wait_until 5 sh -c "procscope --json sockets $SRV | grep -q '\"watched\":true'" ||
	fail "listener never became watched: $(cat $T/accept.err)"

OVF0=$(netstat_get ListenOverflows)
COOK0=$(netstat_get SyncookiesSent)
# The client holds its connections until the checks are done.
sock_client -p $PORT -n 10 -H -o $T/issued > $T/client.out &
CLI=$!
wait_for_file $T/issued || fail "client did not connect"
# Wait for the burst to land: the queue full, or SYN cookies taking over.
burst_landed() {
	[ "$(tcp_rxq $PORT 0A)" -ge 5 ] 2>/dev/null || [ "$(netstat_get SyncookiesSent)" != "$COOK0" ]
}
wait_until 10 burst_landed || echo "NOTE: the accept queue did not fill"

J=$(procscope --json sockets $SRV) || fail "procscope sockets failed"
AQ=$(echo "$J" | json_get sockets.0.accept_queue)
BL=$(echo "$J" | json_get sockets.0.backlog)
RXQ=$(tcp_rxq $PORT 0A)
echo "accept_queue=$AQ backlog=$BL /proc/net/tcp rx_queue=$RXQ"
assert_eq "$BL" 4 "effective backlog"
assert_eq "$AQ" "$RXQ" "accept_queue vs /proc/net/tcp rx_queue"
# The queue holds backlog+1 (the full check is '>'), unless SYN cookies
# took over the burst; both are the kernel's normal behaviour. The check
# and the queueing are not one atomic step: ACKs (SYN-ACK retransmission
# timers) handled on two CPUs at once can both pass it, so up to
# backlog+CPUs (seen: 6 with 2 vCPUs, /proc/net/tcp agreeing).
COOK1=$(netstat_get SyncookiesSent)
NCPU=$(grep -c '^processor' /proc/cpuinfo)
if [ "$COOK1" = "$COOK0" ]; then
	assert_ge "$AQ" 5 "accept queue holds at least backlog+1"
	assert_le "$AQ" $((4 + NCPU)) "accept queue holds at most backlog+CPUs"
else
	echo "SYN cookies were sent ($COOK0 -> $COOK1): accepting either outcome"
	assert_ge "$AQ" 1 "accept queue"
fi
assert_contains "$(procscope sockets $SRV)" "FULL" "text output flags the full queue"

kill $CLI
wait $CLI
# Accept everything, then the queue drains.
touch $T/gate
aq_is_zero() {
	[ "$(procscope --json sockets $SRV | json_get sockets.0.accept_queue)" = 0 ]
}
wait_until 10 aq_is_zero || fail "accept queue did not drain"
RXQ=$(tcp_rxq $PORT 0A)
assert_eq "$RXQ" 0 "/proc/net/tcp rx_queue after accepting"
touch $T/gate.stop
wait $SRV
wait $ACC || fail "procscope accept failed: $(cat $T/accept.err)"
OVF1=$(netstat_get ListenOverflows)

SUM=$(tail -n 1 $T/events.json)
echo "$SUM"
OVF=$(echo "$SUM" | json_get summary.overflows)
ACCEPTED=$(echo "$SUM" | json_get summary.accepted)
DROPPED=$(echo "$SUM" | json_get summary.dropped)
echo "overflows: procscope $OVF, ListenOverflows $OVF0 -> $OVF1; accepted $ACCEPTED (server: $(cat $T/accepted))"
assert_eq "$OVF" "$((OVF1 - OVF0))" "overflow events vs ListenOverflows rise"
assert_gt "$OVF" 0 "some connections overflowed"
assert_eq "$ACCEPTED" "$(cat $T/accepted)" "accept events vs the server's own count"
assert_eq "$DROPPED" 0 "events lost"
# Every event line has the required keys.
N=$(grep -c '"event":"overflow"' $T/events.json)
assert_eq "$N" "$OVF" "overflow event lines"
grep '"event":"accept"' $T/events.json | grep -v '"queue_wait_ns":' && fail "accept event without queue_wait_ns"
head -n 1 $T/events.json | grep -q '"ts_ns":.*"local":"127.0.0.1:8130".*"remote":"127.0.0.1:' ||
	fail "event line lacks ts_ns/local/remote: $(head -n 1 $T/events.json)"
echo "ok"
