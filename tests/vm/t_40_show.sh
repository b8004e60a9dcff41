#!/bin/sh
# procscope show: the page and its merged JSON against the kernel's own
# accounting - /proc/PID/stat (faults), smaps (Rss, Swap), status (VmPTE),
# /proc/net/tcp (accept queue) - plus no-root use, bad input and a missing
# module.
set -u
. "$(dirname "$0")/lib.sh"

T=/tmp/t40; rm -rf $T; mkdir -p $T; chmod 777 $T
PORT=8140
DATA=/mnt/disk/t40.dat

active_watches() { procscope --json status | json_get watches.active; }
watches_are() { [ "$(active_watches)" = "$1" ]; }
flt() { echo $(( $(proc_stat_field "$1" 10) + $(proc_stat_field "$1" 12) )); }
smaps_kb() { awk -v k="$2:" '$1 == k { s += $2 } END { print s + 0 }' /proc/$1/smaps; }
tcp_rxq() {
	h=$(awk -v p="$(printf '%04X' "$1")" 'NR > 1 {
		split($2, a, ":"); if (a[2] == p && $4 == "0A") { split($5, q, ":"); print q[2]; exit } }' /proc/net/tcp)
	[ -n "$h" ] && printf '%d\n' "0x$h"
}

dd if=/dev/urandom of=$DATA bs=1M count=4 2>/dev/null
sync; echo 3 > /proc/sys/vm/drop_caches
demo_server -p $PORT -b 4 -a 1 -f $DATA -g $T/gate -R $T/ready -D $T/done -t 0 > /dev/null &
SRV=$!
wait_for_file $T/ready || fail "server did not start"

# 1. show -d watches for the whole workload; faults match the kernel's count.
# The window ends when the workload is done (Ctrl-C: "shows now"), however
# long that takes; -d is only a safety net.
F0=$(flt $SRV)
procscope --json show -d "$(scaled 60)" $SRV > $T/show.json 2> $T/show.err &
SHOW=$!
wait_until 5 watches_are 1 || fail "show -d did not watch"
touch $T/gate
sock_client -p $PORT -n 3 -w 500 -H > /dev/null &
CLI=$!
wait_for_file $T/done 20 || fail "workload did not finish"
stop_live $SHOW || fail "show failed: $(cat $T/show.err)"
F1=$(flt $SRV)
J=$(cat $T/show.json)
assert_eq "$(wc -l < $T/show.json)" 1 "one JSON line"
assert_eq "$(active_watches)" 0 "show removed its watch"

assert_eq "$(json_get pid "$J")" $SRV "pid"
assert_eq "$(json_get identity.comm "$J")" "$(cat /proc/$SRV/comm)" "comm"
assert_eq "$(json_get identity.exe "$J")" "$(readlink /proc/$SRV/exe)" "exe"
assert_eq "$(json_get identity.ppid "$J")" "$(proc_stat_field $SRV 4)" "ppid"
assert_eq "$(json_get identity.uid "$J")" 0 "uid"

MIN=$(json_get faults.summary.minor "$J"); MAJ=$(json_get faults.summary.major "$J")
echo "faults: watch $MIN minor + $MAJ major; /proc/$SRV/stat $F0 -> $F1"
assert_eq "$((MIN + MAJ))" "$((F1 - F0))" "minor+major vs /proc/PID/stat rise (idle outside the window)"
ANON=$(json_get faults.summary.by_class.anon "$J")
SWAP=$(json_get faults.summary.by_class.swap "$J")
COW=$(json_get faults.summary.by_class.cow "$J")
FMAJ=$(json_get faults.summary.by_class.file_major "$J")
STACK=$(json_get faults.summary.by_class.stack "$J")
echo "anon $ANON swap $SWAP cow $COW file_major $FMAJ stack $STACK"
assert_ge "$ANON" 4096 "anon faults: 16 MiB touched"
assert_ge "$SWAP" 1 "swap-ins after MADV_PAGEOUT"
assert_ge "$COW" 256 "cow faults after fork"
assert_ge "$FMAJ" 1 "major file faults (cache dropped)"
assert_ge "$STACK" 1 "stack growth"
json_get faults.summary.latency_ns.anon.p99 "$J" > /dev/null || fail "no anon latency"

# 2. the address space and tree against smaps and status (the server is idle now)
J=$(procscope --json show $SRV) || fail "show failed"
RES=0; SW=0
for k in text rodata data bss heap stack anon file shm vdso vvar other; do
	r=$(json_get memory_by_kind.$k.resident "$J") || continue
	s=$(json_get memory_by_kind.$k.swap "$J")
	RES=$((RES + r)); SW=$((SW + s))
done
echo "resident $RES swap $SW; smaps Rss $(smaps_kb $SRV Rss) kB Swap $(smaps_kb $SRV Swap) kB"
assert_eq "$RES" "$(( $(smaps_kb $SRV Rss) * 1024 ))" "resident vs smaps Rss"
assert_eq "$SW" "$(( $(smaps_kb $SRV Swap) * 1024 ))" "swap vs smaps Swap"
assert_ge "$SW" $((1024 * 4096)) "a quarter of 16 MiB stays swapped out"
VMPTE=$(proc_status_field $SRV VmPTE | awk '{ print $1 * 1024 }')
assert_eq "$(json_get pt.vmpte_bytes "$J")" "$VMPTE" "VmPTE"
assert_eq "$(json_get pt.vmpte_expected "$J")" "$VMPTE" "tree walk vs VmPTE"
assert_eq "$(json_get watched "$J")" false "no watch now"
assert_eq "$(json_get faults "$J")" null "faults null without a watch"
assert_eq "$(json_get live_events "$J")" true "root gets live events"
RXQ=$(tcp_rxq $PORT)
echo "accept queue: /proc/net/tcp $RXQ"
assert_eq "$(json_get sockets.sockets.0.accept_queue "$J")" "$RXQ" "accept queue vs /proc/net/tcp"
assert_eq "$(json_get sockets.sockets.0.backlog "$J")" 4 "backlog"

# 3. the text page
procscope show $SRV > $T/show.txt || fail "show (text) failed"
cat $T/show.txt
for s in "MEMORY" "PAGE TABLES" "PAGE FAULTS" "SOCKETS" "LISTENING TCP SOCKETS" "not watched" "127.0.0.1:$PORT"; do
	grep -q "$s" $T/show.txt || fail "text page lacks '$s'"
done
grep -q "$(printf '\033')" $T/show.txt && fail "escape sequences in non-TTY output"
procscope --color=always show $SRV | grep -q "$(printf '\033')\[1m" || fail "--color=always gives no colour"
NO_COLOR=1 procscope --color=auto show $SRV | grep -q "$(printf '\033')" && fail "NO_COLOR ignored"

# 4. without root: own processes only; no PFNs, no live events, and it says so
pt_asuser 1000 demo_server -p $((PORT + 1)) -a 0 -m 1 -R $T/ready2 -t 0 > /dev/null &
USR=$!
wait_for_file $T/ready2 || fail "user server did not start"
pt_asuser 1000 procscope show $USR > $T/user.txt 2>&1 || fail "show as the owner failed: $(cat $T/user.txt)"
grep -q "not root" $T/user.txt || fail "no not-root note"
JU=$(pt_asuser 1000 procscope --json show $USR) || fail "show --json as the owner failed"
assert_eq "$(json_get pfn_visible "$JU")" false "PFNs hidden"
assert_eq "$(json_get live_events "$JU")" false "no live events"
pt_asuser 1000 procscope show $SRV > $T/eperm.txt 2>&1; R=$?
cat $T/eperm.txt
assert_eq "$R" 1 "someone else's process"
assert_contains "$(cat $T/eperm.txt)" "not permitted"
kill $USR

# 5. bad input
procscope show 999999 > $T/bad.txt 2>&1; R=$?
assert_eq "$R" 1 "unknown pid"; assert_contains "$(cat $T/bad.txt)" "no such process"
procscope show 2 > $T/bad.txt 2>&1; R=$?
assert_eq "$R" 1 "kernel thread"; assert_contains "$(cat $T/bad.txt)" "kernel thread"
procscope show abc > $T/bad.txt 2>&1; R=$?
assert_eq "$R" 2 "not a pid"
procscope show > $T/bad.txt 2>&1; R=$?
assert_eq "$R" 2 "missing pid"
procscope show -d 0 $SRV > $T/bad.txt 2>&1; R=$?
assert_eq "$R" 2 "zero duration"

# 6. the module missing: say so plainly (then load it back)
# (the genl family alias would autoload it: block modprobe meanwhile)
MP=$(cat /proc/sys/kernel/modprobe)
echo /bin/false > /proc/sys/kernel/modprobe
unload_module || fail "rmmod"
procscope show $SRV > $T/nomod.txt 2>&1; R=$?
echo "$MP" > /proc/sys/kernel/modprobe
[ -d /sys/module/procscope ] && fail "the module came back by itself"
insmod "$PROCSCOPE_KO" || fail "insmod $PROCSCOPE_KO"
cat $T/nomod.txt
assert_eq "$R" 1 "module missing"
assert_contains "$(cat $T/nomod.txt)" "module is not loaded"

touch $T/gate.stop
kill $CLI 2>/dev/null
wait $SRV
rm -f $DATA
echo ok
