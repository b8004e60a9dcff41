#!/bin/sh
# Socket side of the security review, played by an unprivileged user (uid 1000).
#
# H3: raw sockets of protocol IPPROTO_UDP (opened in a user+network namespace
# of its own, where any user has CAP_NET_RAW) were dumped as UDP sockets: the
# 'unread' field was read from past the end of the raw socket object. They must
# carry no UDP fields at all, while genuine UDP sockets still report 'unread'
# equal to /proc/net/udp's rx_queue. (Without the fix every raw socket had an
# 'unread' field, mostly 0, sometimes adjacent kernel memory.)
#
# M5: a user watching its own process that opens many listeners must not get
# more of them registered than listeners_per_watch (nor than listeners_max in
# all); the refusals are counted in `procscope status`, and the watch still
# reports connections on the listeners it did register.
#
# L8: fault events of faults taken in kernel mode (a syscall copying to or from
# user memory) must not carry the kernel's instruction pointer.
#
# T16_PARTS (default "h3 m5 l8") selects sections, to check each one fails
# against a module without its fix.
set -u
. "$(dirname "$0")/lib.sh"

part() {
	case " ${T16_PARTS:-h3 m5 l8} " in *" $1 "*) return 0 ;; esac
	echo "($1 skipped)"
	return 1
}

T=/tmp/t16; rm -rf $T; mkdir -p $T
chmod 777 $T
PARAMS=/sys/module/procscope/parameters

# One socket object per line of a `procscope --json sockets` reply.
split_socks() {
	sed 's/},{"fd"/}\
{"fd"/g'
}

# --- H3 -------------------------------------------------------------------
if part h3; then
N=200
pt_asuser 1000 sec_sock raw $N $T/raw.ready > $T/raw.out 2>&1 &
RAW=$!
h3=1
if ! wait_for_file $T/raw.ready 30 $RAW; then
	wait $RAW
	rc=$?
	cat $T/raw.out
	[ $rc -eq 3 ] || fail "sec_sock raw did not start (exit $rc)"
	# A kernel without user namespaces (the debug kernel's) gives no
	# unprivileged user CAP_NET_RAW anywhere: nothing to attack.
	echo "(h3 skipped: unprivileged user namespaces are not available)"
	h3=0
fi
if [ $h3 = 1 ]; then
# The attacker reads its own process, as it may.
pt_asuser 1000 procscope --json sockets $RAW > $T/raw.json ||
	fail "procscope sockets as uid 1000 failed: $(cat $T/raw.json)"
split_socks < $T/raw.json > $T/raw.lines
nraw=$(grep -c '"type":"raw"' $T/raw.lines)
echo "raw sockets dumped: $nraw"
assert_eq "$nraw" $((2 * N)) "raw sockets in the dump"
bad=$(grep '"type":"raw"' $T/raw.lines | grep -c '"unread"')
[ "$bad" -eq 0 ] || {
	grep '"type":"raw"' $T/raw.lines | grep '"unread"' | grep -v '"unread":0,' | head -n 3
	fail "$bad raw IPPROTO_UDP sockets carry a UDP 'unread' field (read from a raw_sock as a udp_sock)"
}
bad=$(grep '"type":"raw"' $T/raw.lines | grep -vc '"drops":null')
assert_eq "$bad" 0 "raw sockets with UDP drops"

# The genuine UDP sockets (init netns): unread == /proc/net/udp{,6} rx_queue.
nudp=0
for f in /proc/net/udp /proc/net/udp6; do
	[ -r $f ] || continue
	grep '"type":"dgram"' $T/raw.lines > $T/udp.lines || true
	while read -r line; do
		ino=$(echo "$line" | sed -n 's/.*"inode":\([0-9]*\).*/\1/p')
		unread=$(echo "$line" | sed -n 's/.*"unread":\([0-9]*\).*/\1/p')
		[ -n "$unread" ] || fail "UDP socket without 'unread': $line"
		rxq=$(awk -v i="$ino" 'NR > 1 && $10 == i { split($5, q, ":"); print q[2] }' $f)
		[ -n "$rxq" ] || continue
		rxq=$(printf '%d' "0x$rxq")
		echo "UDP inode $ino: unread=$unread $f rx_queue=$rxq"
		assert_eq "$unread" "$rxq" "UDP unread vs $f rx_queue"
		assert_gt "$unread" 0 "the queued datagram"
		nudp=$((nudp + 1))
	done < $T/udp.lines
done
assert_ge "$nudp" 1 "UDP sockets checked against /proc/net/udp"
kill $RAW
wait $RAW 2>/dev/null
fi
fi

# --- M5 -------------------------------------------------------------------
if part m5; then
status_get() { # KEY
	procscope status --json | json_get "$1"
}
status_ge() { # KEY N
	_v=$(status_get "$1") && [ "$_v" -ge "$2" ]
}
# uid 1000 watches its own PID with the socket flag; the watch lives as long
# as the helper (and its netlink socket) does. Prints the helper's pid.
watch_as_user() { # PID READY
	pt_asuser 1000 sec_sock watch "$1" 2 "$2" > "$2.out" 2>&1 &
	echo $!
}

PER=$(cat $PARAMS/listeners_per_watch) || fail "no listeners_per_watch parameter"
GMAX=$(cat $PARAMS/listeners_max) || fail "no listeners_max parameter"
trap 'echo $GMAX > $PARAMS/listeners_max' EXIT
base=$(status_get listeners.refused) || fail "status lacks listeners.refused"
assert_eq "$(status_get listeners.watched)" 0 "no listener watched before"
NL=$((PER + 40))
EARLY=10

pt_asuser 1000 sec_sock listen $NL $EARLY $T/l.ready $T/l.gate > $T/l.out 2>&1 &
LP=$!
# The first EARLY listeners exist before the watch (its start scan finds
# them); the rest are opened while it is active (the listen() hook adds them).
early_open() { [ "$(ls /proc/$LP/fd | wc -l)" -ge $((EARLY + 3)) ]; }
wait_until 10 early_open || fail "early listeners not opened: $(cat $T/l.out)"
W1=$(watch_as_user $LP $T/w1.ready)
wait_for_file $T/w1.ready 10 $W1 || fail "WATCH_ADD did not answer: $(cat $T/w1.ready.out)"
assert_eq "$(cat $T/w1.ready)" 0 "uid 1000 WATCH_ADD of its own process"
assert_eq "$(status_get listeners.watched)" $EARLY "listeners found by the start scan"
touch $T/l.gate
wait_for_file $T/l.ready 30 $LP || fail "listeners not opened: $(cat $T/l.out)"
PORT=$(cat $T/l.ready)

ST=$(procscope status --json)
echo "$ST"
watched=$(json_get listeners.watched "$ST")
refused=$(json_get listeners.refused "$ST")
echo "listeners opened $NL, per-watch cap $PER: watched $watched, refused $((refused - base))"
assert_eq "$watched" "$PER" "listeners registered for one watch"
assert_eq "$((refused - base))" $((NL - PER)) "listeners refused at the cap"
procscope status | grep -q "left unwatched" || fail "text status does not say listeners were left unwatched"
procscope --json sockets $LP | split_socks > $T/l.lines
assert_eq "$(grep -c '"watched":true' $T/l.lines)" "$PER" "listeners shown as watched by SOCK_DUMP"

# The watch still works: the first listener (backlog 8, never accepting)
# overflows, and its watched drop counters count it.
sock_client -p "$PORT" -n 20 -h 30 > /dev/null 2>&1 &
CL=$!
first_drops() {
	procscope --json sockets $LP | split_socks | grep "\"local\":\"127.0.0.1:$PORT\"" |
		grep -q '"drop_causes":{[^}]*:[1-9]'
}
wait_until 30 first_drops ||
	fail "no watched drops on the first listener: $(procscope --json sockets $LP | split_socks | grep ":$PORT\"")"
kill $CL 2>/dev/null

# The global cap: lowered to just above what is registered, a second
# process's watch gets only what is left.
echo $((PER + 2)) > $PARAMS/listeners_max
pt_asuser 1000 sec_sock listen 6 1 $T/l2.ready $T/l2.gate > $T/l2.out 2>&1 &
LP2=$!
# Its early listener open means it runs as uid 1000 (pt_asuser has dropped
# root): before that, uid 1000 may not watch it.
early2_open() { [ "$(ls /proc/$LP2/fd | wc -l)" -ge 4 ]; }
wait_until 10 early2_open || fail "second process's listener not opened: $(cat $T/l2.out)"
W2=$(watch_as_user $LP2 $T/w2.ready)
wait_for_file $T/w2.ready 10 $W2 || fail "second WATCH_ADD did not answer"
assert_eq "$(cat $T/w2.ready)" 0 "second WATCH_ADD"
touch $T/l2.gate
wait_for_file $T/l2.ready 30 $LP2 || fail "second listeners not opened: $(cat $T/l2.out)"
ST=$(procscope status --json)
echo $GMAX > $PARAMS/listeners_max
assert_eq "$(json_get listeners.watched "$ST")" $((PER + 2)) "listeners registered in all (listeners_max)"
assert_eq "$(json_get listeners.max "$ST")" $((PER + 2)) "listeners_max reported"
assert_eq "$(json_get listeners.refused "$ST")" $((refused + 4)) "refusals at the global cap"


# `procscope accept` tells its user when listeners were left unwatched.
touch $T/l3.gate
sec_sock listen $((PER + 5)) $((PER + 5)) $T/l3.ready $T/l3.gate > $T/l3.out 2>&1 &
LP3=$!
wait_for_file $T/l3.ready 30 $LP3 || fail "third listeners not opened: $(cat $T/l3.out)"
procscope accept -q -d 0.2 $LP3 > $T/acc3.out 2> $T/acc3.err || fail "procscope accept: $(cat $T/acc3.err)"
cat $T/acc3.err
assert_contains "$(cat $T/acc3.err)" "5 listeners were not watched" "accept's warning"

kill $W1 $W2 $LP $LP2 $LP3 2>/dev/null
wait
none_left() { [ "$(status_get listeners.watched)" -eq 0 ]; }
wait_until 10 none_left || fail "listeners still registered after the processes exited"
fi

# --- L8 -------------------------------------------------------------------
if part l8; then
procscope faults --json -- sec_sock kfault > $T/kf.json 2> $T/kf.err ||
	fail "procscope faults -- sec_sock kfault: $(cat $T/kf.err)"
nk=$(grep '"user":false' $T/kf.json | grep -c '"gup":false')
echo "kernel-mode fault events: $nk"
assert_ge "$nk" 2 "kernel-mode faults seen (read into untouched pages, EFAULT write)"
grep -q '"outcome":"kernel_fixup"' $T/kf.json || fail "no kernel_fixup event for the EFAULT write"
leak=$(grep '"user":false' $T/kf.json | grep -v '"ip":"0x0"' | head -n 3)
[ -z "$leak" ] || fail "kernel-mode fault events carry a kernel IP: $leak"
grep '"user":false' $T/kf.json | grep -q '"site":"\[kernel\]"' || fail "kernel-mode faults not labelled [kernel]"
fi
echo "ok"
