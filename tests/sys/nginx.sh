#!/bin/bash
# nginx with `listen 127.0.0.1:8080 backlog=8 reuseport` and 2 workers, loaded by ab
# (keepalive off: one connection per request) hard enough to overflow the accept
# queues.  procscope against the kernel's own counters and ss:
#   - sockets: each worker's :8080 listener is one member of a reuseport group of 2,
#     held by this nginx;
#   - accept, per ab run: per-shard accepts add up to the rise of TcpPassiveOpens
#     (handshakes completed), lie between ab's Complete requests and its connect()s
#     (rise of TcpActiveOpens; ab is the only client): ab opens connections
#     beyond -n (it counts replies) and closes the ones still connecting when done;
#     overflows == rise of TcpExtListenOverflows (nstat);
#   - queue depths (accept_queue/backlog) == ss -ltne Recv-Q/Send-Q per socket
#     inode, taken while the workers are stopped (SIGSTOP) so the queues hold still;
#   - show of a worker renders every section.
# Then the walk-through of docs/nginx-overflow.md in text output.
# shellcheck disable=SC2317  # functions called through wait_until
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
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
	# Which process the group lists for a member is the first holder found;
	# nginx's master holds every listener too (and bookworm's 1.22 workers hold
	# both), so the check is: every holder listed is this nginx.
	pids=$(echo "$L" | jq -r '[.[].reuseport.pids[]] | unique | .[]' | tr '\n' ' ')
	for p in $pids; do
		case " $MASTER $W1 $W2 " in
		*" $p "*) pass "worker $w: group member held by nginx pid $p" ;;
		*) fail "worker $w: group member held by pid $p, not nginx ($MASTER $W1 $W2)" ;;
		esac
	done
	check_eq "$(echo "$L" | jq '.[0].backlog')" $BACKLOG "worker $w: backlog"
done

nstat_get() { nstat -asz "$1" | awk -v k="$1" '$1 == k { print $2 }'; }

ab_complete() { sed -n 's/^Complete requests: *\([0-9]*\).*/\1/p' "$1"; }
ab_failed() { sed -n 's/^Failed requests: *\([0-9]*\).*/\1/p' "$1"; }
watched() {
	local w
	for w in $W1 $W2; do
		procscope --json sockets "$w" | jq -e "[.sockets[] | select(.local == \"127.0.0.1:$PORT\" and .watched == true)] | length >= 1" >/dev/null || return 1
	done
}
INODES=$(ss -ltneH "sport = :$PORT" | grep -o 'ino:[0-9]*' | cut -d: -f2 | sort -n | tr '\n' ' ')

# One phase: procscope accept on both workers around one ab run (keepalive off:
# one connection per request), against the kernel's counters read before and
# after: TcpActiveOpens (connect()s: ab is the only client), TcpPassiveOpens
# (handshakes completed on a listener), TcpExtListenOverflows.
# phase NAME STOP(0|1) AB-ARGS...
phase() {
	local name=$1 stop=$2 ovf0 act0 pas0 ovf1 act1 pas1 acc ab sum c shard_sum n
	shift 2
	procscope --json accept -q "$W1" "$W2" >"$T/accept.$name.json" 2>"$T/accept.$name.err" &
	acc=$!
	wait_until 10 watched || { fail "$name: the listeners never became watched: $(cat "$T/accept.$name.err")"; return; }
	ovf0=$(nstat_get TcpExtListenOverflows)
	act0=$(nstat_get TcpActiveOpens)
	pas0=$(nstat_get TcpPassiveOpens)
	ab -q "$@" "http://127.0.0.1:$PORT/" >"$T/ab.$name.txt" 2>&1 &
	ab=$!
	if [ "$stop" = 1 ]; then
		# Stop the workers once ab's load is in full flow: ab opens its -c
		# connections only after its first reply, so stopping them before ab
		# starts would leave one connection queued.
		wait_until 30 flowing "$pas0" || fail "$name: ab's connections did not flow"
		kill -STOP "$W1" "$W2"
		top_up
		stopped_checks
		kill -CONT "$W1" "$W2"
		# shellcheck disable=SC2086  # a list of pids
		kill $HOLDERS 2>/dev/null
	fi
	wait $ab
	echo "$name: ab $* exit $?"
	grep -E '^(Concurrency|Complete|Failed|Requests per|Time taken)' "$T/ab.$name.txt"
	sleep 1
	ovf1=$(nstat_get TcpExtListenOverflows)
	act1=$(nstat_get TcpActiveOpens)
	pas1=$(nstat_get TcpPassiveOpens)
	kill -INT $acc
	wait $acc || fail "$name: procscope accept exited $?: $(cat "$T/accept.$name.err")"
	sum=$(tail -n 1 "$T/accept.$name.json")
	echo "$sum" | jq -c .
	echo "$name: nstat TcpActiveOpens +$((act1 - act0)) TcpPassiveOpens +$((pas1 - pas0)) TcpExtListenOverflows +$((ovf1 - ovf0))"
	c=$(ab_complete "$T/ab.$name.txt")
	check_eq "$(ab_failed "$T/ab.$name.txt")" 0 "$name: ab reports no failed requests"
	# Only the :PORT listeners (a worker may hold others).
	shard_sum=0
	for i in $INODES; do
		n=$(echo "$sum" | jq "[.summary.shards[] | select(.listener_inode == $i) | .accepted] | add // 0")
		echo "$name: listener inode $i accepted $n"
		check_gt "$n" 0 "$name: shard (listener inode $i) accepted connections"
		shard_sum=$((shard_sum + n))
	done
	check_eq "$(echo "$sum" | jq '[.summary.shards[] | select(.shards == 2)] | length')" 2 "$name: two shards, each of a group of 2"
	check_eq "$shard_sum" "$((pas1 - pas0))" "$name: per-shard accepts add up to the rise of TcpPassiveOpens"
	# ab is the only client, but not every connect() of it reaches the
	# handshake: when its -n replies are in, it closes the connections still
	# connecting (SYN dropped by a full queue, retransmission pending).
	echo "$name: ab's connect()s (TcpActiveOpens) $((act1 - act0)), of them accepted $shard_sum"
	check_ge "$((act1 - act0))" "$shard_sum" "$name: ab's connect()s (rise of TcpActiveOpens) >= per-shard accepts"
	if [ "$shard_sum" = "$c" ]; then
		pass "$name: per-shard accepts ($shard_sum) == ab's Complete requests ($c)"
	elif [ "$shard_sum" -gt "$c" ] 2>/dev/null; then
		echo "$name: ab completed $c requests over $shard_sum connections ($((shard_sum - c)) opened beyond -n)"
		check_ge "$shard_sum" "$c" "$name: per-shard accepts >= ab's Complete requests"
	else
		fail "$name: per-shard accepts $shard_sum < ab's Complete requests $c"
	fi
	check_eq "$(echo "$sum" | jq .summary.overflows)" "$((ovf1 - ovf0))" "$name: overflows == rise of TcpExtListenOverflows"
	check_eq "$(echo "$sum" | jq .summary.dropped)" 0 "$name: no events dropped"
	OVF_TOTAL=$((OVF_TOTAL + ovf1 - ovf0))
}

flowing() { [ $(($(nstat_get TcpPassiveOpens) - $1)) -ge 300 ]; }

# ab alone need not fill the queues: stopped workers keep the connections
# they had accepted and not yet served (from 20 to 57 of ab's 64 seen), and
# ab opens no more than 64. Connections opened now can only queue or be
# dropped; reuseport hashes each to one of the two listeners, so 48 fill both
# (2 x (backlog+1) = 18) beyond doubt. Each is held by a subshell until the
# workers run again (a dropped SYN leaves its connect() retrying meanwhile).
HOLDERS=""
top_up() {
	local i
	HOLDERS=""
	for i in $(seq 1 48); do
		(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && exec sleep 600) 2>/dev/null &
		HOLDERS="$HOLDERS $!"
	done
}

# While the workers are stopped: the queues fill to backlog+1 and hold still,
# so procscope and ss can be compared; show renders a worker with full queues.
stopped_checks() {
	local i full=0
	for i in $(seq 1 40); do
		sleep 0.5
		ss -ltnH "sport = :$PORT" | awk '{ printf "%s/%s ", $2, $3 } END { print "" }' >$T/q
		echo "t+${i}/2 s: Recv-Q/Send-Q $(cat $T/q)overflows $(nstat_get TcpExtListenOverflows)"
		if ! grep -q -E "(^| )[0-$BACKLOG]/" $T/q; then full=1; break; fi
	done
	[ $full = 1 ] || fail "accept queues did not fill while the workers were stopped"
	# Where ab's connections are: per state, the client ends (dport) and
	# the server ends (sport), and how many server ends nginx holds.
	{
		echo "client ends by state:"
		ss -tanH "dport = :$PORT" | awk '{ print $1 }' | sort | uniq -c
		echo "server ends by state:"
		ss -tanH "sport = :$PORT" | awk '{ print $1 }' | sort | uniq -c
		echo "server ends held by a process: $(ss -tanpH "sport = :$PORT" | grep -c 'users:')"
		echo "ab: $(grep -E '^State' /proc/"$(pgrep -x ab)"/status 2>/dev/null)"
	} | sed 's/^/  /'
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
			got=$(cat $T/sockets.*.json | jq -r ".sockets[] | select(.inode == $ino) | \"\(.accept_queue) \(.backlog)\"" | sort -u)
			check_eq "$got" "$rq $sq" "listener inode $ino: procscope accept_queue/backlog vs ss Recv-Q/Send-Q"
		done <$T/ss.txt
	else
		fail "ss changed while the workers were stopped: $(cat $T/ss2.txt)"
	fi
	procscope show "$W1" >$T/show.txt 2>&1
	SHOW_RC=$?
}

OVF_TOTAL=0
phase run1 0 -n 2000 -c 64 -s 60
phase run2 1 -n 3000 -c 64 -s 60
check_gt "$OVF_TOTAL" 0 "the load overflowed the accept queues"

# ---- the walk-through of docs/nginx-overflow.md: the same story in text output
# (no checks here beyond exit statuses; the numbers are checked above).
echo "==== demo: text output"
procscope accept -q "$W1" "$W2" >$T/demo-accept.txt 2>&1 &
DACC=$!
wait_until 10 watched || true
nstat -n
pas0=$(nstat_get TcpPassiveOpens)
ab -n 3000 -c 64 -s 60 "http://127.0.0.1:$PORT/" >$T/demo-ab.txt 2>&1 &
DAB=$!
wait_until 30 flowing "$pas0" || true
kill -STOP "$W1" "$W2"
sleep 3
echo "\$ ss -ltn 'sport = :$PORT'"
ss -ltn "sport = :$PORT"
echo "\$ procscope sockets $W1"
procscope sockets "$W1"
kill -CONT "$W1" "$W2"
wait $DAB
echo "\$ ab -n 3000 -c 64 http://127.0.0.1:$PORT/"
sed -n '/^Concurrency Level/,/^Transfer rate/p' $T/demo-ab.txt
sleep 1
kill -INT $DACC
wait $DACC
echo "\$ procscope accept -q $W1 $W2"
cat $T/demo-accept.txt
echo "\$ nstat TcpExtListenOverflows TcpExtListenDrops TcpActiveOpens TcpPassiveOpens"
nstat TcpExtListenOverflows TcpExtListenDrops TcpActiveOpens TcpPassiveOpens
echo "==== demo end"

# ---- show
cat $T/show.txt
check_eq "${SHOW_RC:-none}" 0 "procscope show $W1 exit status"
for s in MEMORY 'PAGE TABLES' 'PAGE FAULTS' SOCKETS; do
	if grep -q "^$s" $T/show.txt; then pass "show renders $s"; else fail "show lacks section $s"; fi
done
if grep -q ":$PORT" $T/show.txt; then pass "show lists the :$PORT listener"; else fail "show does not list :$PORT"; fi
sys_done
