#!/bin/bash
# nginx with `listen 127.0.0.1:8080 backlog=8 reuseport` and 2 workers, loaded by ab
# (keepalive off: one connection per request) hard enough to overflow the accept
# queues.  procscope against the kernel's own counters and ss:
#   - sockets: the reuseport group has one shard per worker, each worker's pid;
#   - accept: per-shard accepts add up to ab's completed requests (keepalive off:
#     every completed request is one accepted connection, and nothing else connects
#     to 8080), overflows == rise of TcpExtListenOverflows (nstat);
#   - queue depths (accept_queue/backlog) == ss -ltne Recv-Q/Send-Q per socket
#     inode, taken while the workers are stopped (SIGSTOP) so the queues hold still;
#   - show of a worker renders every section.
# shellcheck disable=SC2317  # functions called through wait_until
set -u
. "$(dirname "$0")/lib.sh"
T=/tmp/sys-nginx
rm -rf $T
mkdir -p $T
PORT=8080
BACKLOG=8

sed -i 's/^worker_processes .*/worker_processes 2;/' /etc/nginx/nginx.conf
rm -f /etc/nginx/sites-enabled/default
cat >/etc/nginx/sites-enabled/sysvm <<NGX
server {
	listen 127.0.0.1:$PORT backlog=$BACKLOG reuseport;
	access_log off;
	location / { return 200 "ok\n"; }
}
NGX
nginx -t || abort "nginx -t"
systemctl restart nginx || abort "systemctl restart nginx"
wait_until 10 test -s /run/nginx.pid || abort "nginx did not write its pid"
MASTER=$(cat /run/nginx.pid)
wait_until 10 sh -c "[ \$(pgrep -c -P $MASTER) -ge 2 ]" || abort "nginx workers did not start"
WORKERS=$(pgrep -P "$MASTER" | sort -n | tr '\n' ' ')
read -r W1 W2 _ <<<"$WORKERS"
echo "nginx master $MASTER, workers $WORKERS"
ss -ltne "sport = :$PORT"

# ---- sockets: the group
for w in $W1 $W2; do
	J=$(procscope --json sockets "$w") || { fail "procscope sockets $w"; continue; }
	echo "$J" | jq -c '.sockets[] | select(.state == "LISTEN" or .backlog != null) | {fd, inode, local, accept_queue, backlog, reuseport}'
	L=$(echo "$J" | jq -c "[.sockets[] | select(.local == \"127.0.0.1:$PORT\" and .reuseport != null)]")
	n=$(echo "$L" | jq length)
	check_ge "$n" 1 "worker $w holds a reuseport listener on :$PORT"
	check_eq "$(echo "$L" | jq '.[0].reuseport.members')" 2 "worker $w: reuseport group of 2 (one shard per worker)"
	pids=$(echo "$L" | jq -c '[.[0].reuseport.pids[]] | sort')
	for p in $W1 $W2; do
		if echo "$pids" | jq -e "index($p) != null" >/dev/null; then
			pass "worker $w: group pids $pids include worker $p"
		else
			fail "worker $w: group pids $pids lack worker $p"
		fi
	done
	check_eq "$(echo "$L" | jq '.[0].backlog')" $BACKLOG "worker $w: backlog"
done

nstat_ovf() { nstat -az TcpExtListenOverflows | awk '$1 == "TcpExtListenOverflows" { print $2 }'; }

# ---- accept, during load
procscope --json accept -q "$W1" "$W2" >$T/accept.json 2>$T/accept.err &
ACC=$!
watched() {
	local w
	for w in $W1 $W2; do
		procscope --json sockets "$w" | jq -e "[.sockets[] | select(.local == \"127.0.0.1:$PORT\" and .watched == true)] | length >= 1" >/dev/null || return 1
	done
}
wait_until 10 watched || abort "the listeners never became watched: $(cat $T/accept.err)"
OVF0=$(nstat_ovf)
echo "TcpExtListenOverflows before: $OVF0"

ab_complete() { sed -n 's/^Complete requests: *\([0-9]*\).*/\1/p' "$1"; }
ab_failed() { sed -n 's/^Failed requests: *\([0-9]*\).*/\1/p' "$1"; }

# 1: free run.
ab -q -n 2000 -c 64 -s 60 "http://127.0.0.1:$PORT/" >$T/ab1.txt 2>&1
echo "ab run 1: exit $?"
grep -E '^(Concurrency|Complete|Failed|Requests per|Time taken)' $T/ab1.txt

# 2: workers stopped: the queues fill to backlog+1 and overflow, and hold still
# for the comparison with ss.
kill -STOP "$W1" "$W2"
ab -q -n 200 -c 64 -s 60 "http://127.0.0.1:$PORT/" >$T/ab2.txt 2>&1 &
AB=$!
full() {
	ss -ltnH "sport = :$PORT" | awk -v b="$BACKLOG" '$2 <= b { bad = 1 } END { exit bad }'
}
wait_until 20 full || fail "accept queues did not fill while the workers were stopped"
sleep 1
ss -ltneH "sport = :$PORT" >$T/ss.txt
for w in $W1 $W2; do procscope --json sockets "$w" >"$T/sockets.$w.json"; done
ss -ltneH "sport = :$PORT" >$T/ss2.txt
echo "ss -ltne while stopped:"
cat $T/ss.txt
if cmp -s $T/ss.txt $T/ss2.txt; then
	# Recv-Q = accept queue length, Send-Q = backlog, per listener inode.
	while read -r _ rq sq _ _ rest; do
		ino=$(echo "$rest" | grep -o 'ino:[0-9]*' | cut -d: -f2)
		got=$(cat $T/sockets.*.json | jq -r "select(.sockets != null) | .sockets[] | select(.inode == $ino) | \"\(.accept_queue) \(.backlog)\"" | sort -u)
		check_eq "$got" "$rq $sq" "listener inode $ino: procscope accept_queue/backlog vs ss Recv-Q/Send-Q"
	done <$T/ss.txt
else
	fail "ss changed while the workers were stopped: $(cat $T/ss2.txt)"
fi
# procscope show of a worker: every section renders (queues are full right now).
# (a stopped worker is a fine target: show reads the kernel's state)
procscope show "$W1" >$T/show.txt 2>&1
show_rc=$?
kill -CONT "$W1" "$W2"
wait $AB
echo "ab run 2: exit $?"
grep -E '^(Concurrency|Complete|Failed|Requests per|Time taken)' $T/ab2.txt
sleep 1
OVF1=$(nstat_ovf)
echo "TcpExtListenOverflows after: $OVF1"
kill -INT $ACC
wait $ACC || fail "procscope accept exited $?: $(cat $T/accept.err)"

SUM=$(tail -n 1 $T/accept.json)
echo "$SUM" | jq -c .
C1=$(ab_complete $T/ab1.txt)
C2=$(ab_complete $T/ab2.txt)
check_eq "$(ab_failed $T/ab1.txt)$(ab_failed $T/ab2.txt)" 00 "ab: no failed requests"
shard_sum=$(echo "$SUM" | jq '[.summary.shards[].accepted] | add')
check_eq "$(echo "$SUM" | jq '.summary.shards | length')" 2 "accept: one shard per worker"
check_eq "$(echo "$SUM" | jq -c '[.summary.shards[].shards] | unique')" "[2]" "accept: every shard is of a group of 2"
check_eq "$shard_sum" "$((C1 + C2))" "accept: per-shard accepts add up to ab's completed requests ($C1 + $C2)"
check_eq "$(echo "$SUM" | jq .summary.accepted)" "$((C1 + C2))" "accept: accepted"
OVF=$(echo "$SUM" | jq .summary.overflows)
check_gt "$OVF" 0 "accept: the load overflowed the accept queues"
check_eq "$OVF" "$((OVF1 - OVF0))" "accept: overflows == rise of TcpExtListenOverflows"
check_eq "$(echo "$SUM" | jq .summary.dropped)" 0 "accept: no events dropped"
for w in $W1 $W2; do
	a=$(echo "$SUM" | jq "[.summary.shards[] | select(.pid == $w) | .accepted] | add // 0")
	check_gt "$a" 0 "worker $w accepted connections itself"
done

# ---- show
cat $T/show.txt
check_eq "$show_rc" 0 "procscope show $W1 exit status"
for s in MEMORY 'PAGE TABLES' 'PAGE FAULTS' SOCKETS; do
	if grep -q "^$s" $T/show.txt; then pass "show renders $s"; else fail "show lacks section $s"; fi
done
if grep -q ":$PORT" $T/show.txt; then pass "show lists the :$PORT listener"; else fail "show does not list :$PORT"; fi
sys_done
