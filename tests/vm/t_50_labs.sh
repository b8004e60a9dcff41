#!/bin/sh
# The three labs of docs/labs/, command by command: what each lab text tells
# the student to look for must be what procscope shows, and must agree with
# the kernel's own accounting (/proc/PID/status, /proc/net/netstat).
#   Lab 1  tree grows as lab_pt touches memory; 5-level boot: levels 5, a
#          second P4D table for the mapping above 128 TiB; MADV_HUGEPAGE
#          gives 4 PMD leaves; the pictures are complete SVG documents.
#   Lab 2  fault_workload triggers every class, each with a cost; major
#          faults are counted as the kernel's majflt.
#   Lab 3  backlog 4 holds 5, ListenOverflows and procscope's overflow count
#          rise; 4 SO_REUSEPORT shards share the accepts.
set -u
. "$(dirname "$0")/lib.sh"

T=$TEST_TMP
# ------------------------------------------------------------------ lab 1
lab_pt > "$T"/lab_pt.out &
P=$!
waiting() { grep -q "runs stage $1\$" "$T"/lab_pt.out; }
wait_until 10 waiting 0 || fail "lab_pt did not start"
stage() { # N: run stage N and wait until it is done
	kill -USR1 $P
	wait_until 20 waiting $(($1 + 1)) || fail "lab_pt stage $1 did not finish: $(cat "$T"/lab_pt.out)"
	grep "^stage $1:" "$T"/lab_pt.out
}
pt() { procscope pt --json $P || fail "procscope pt $P"; }
j=$(pt)
levels=$(json_get levels "$j")
pte0=$(json_get tables.pte "$j")
leaf0=$(json_get leaves.pte "$j")

stage 0
j=$(pt)
assert_eq "$(json_get tables.pte "$j")" "$pte0" "mapping 64 MiB without touching it adds no table"

stage 1
procscope pt $P
j=$(pt)
pte1=$(json_get tables.pte "$j")
leaf1=$(json_get leaves.pte "$j")
assert_ge $((leaf1 - leaf0)) 256 "writing 1 MiB makes 256 more 4 KiB leaves"
assert_ge $((pte1 - pte0)) 1 "writing 1 MiB needs a PTE table"
assert_le $((pte1 - pte0)) 2 "1 MiB spans at most 2 PTE tables"
# the kernel's VmPTE agrees with the walk (the lab asks to compare)
vmpte=$(proc_status_field $P VmPTE | awk '{ print $1 * 1024 }')
assert_eq "$(json_get vmpte_bytes "$j")" "$vmpte" "VmPTE of /proc/PID/status"

stage 2
j=$(pt)
pte2=$(json_get tables.pte "$j")
leaf2=$(json_get leaves.pte "$j")
echo "PTE tables: start $pte0, after 1 MiB $pte1, after one page per 2 MiB $pte2"
assert_ge $((pte2 - pte1)) 30 "one page in each 2 MiB needs a PTE table each"
assert_ge $((leaf2 - leaf1)) 31 "31 new pages"
assert_le $((leaf2 - leaf1)) 40 "about 31 new pages"

stage 3
j=$(pt)
pmd3=$(json_get leaves.pmd "$j")
thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
case $thp in
*"[never]"*) echo "THP disabled ($thp): no huge pages expected" ;;
*)
	assert_eq "$pmd3" 4 "8 MiB with MADV_HUGEPAGE = 4 huge (PMD) leaves"
	assert_ge "$(json_get leaves.anon_huge_bytes "$j")" $((8 << 20)) "anonymous THP bytes"
	;;
esac
procscope pt $P | grep -E '^(LEVEL|PGD|P4D|PUD|PMD|PTE|  2 MiB)' || fail "pt text"

pgd_used=$(json_get entries_used.pgd "$j")
p4d=$(json_get tables.p4d "$j")
stage 4
j=$(pt)
if [ "$levels" = 5 ]; then
	grep -q '^stage 4:.*(above 128 TiB)' "$T"/lab_pt.out || fail "5-level: the high hint was not granted"
	assert_eq "$p4d" 1 "5-level: one P4D table below 128 TiB"
	assert_eq "$(json_get tables.p4d "$j")" 2 "5-level: the high mapping adds a P4D table"
	assert_eq "$(json_get entries_used.pgd "$j")" $((pgd_used + 1)) "5-level: and a PGD entry"
else
	grep -q '^stage 4:.*(below 128 TiB)' "$T"/lab_pt.out || fail "4-level: mapping should land below 128 TiB"
	assert_eq "$(json_get tables.p4d "$j")" 0 "4-level: the P4D is folded"
	assert_eq "$(json_get levels "$j")" 4 "4-level paging"
fi
# the promised translate of an address in the huge region: stops at a PMD leaf
huge=$(awk '/^stage 3:/ { sub(/-.*/, "", $NF); print $NF }' "$T"/lab_pt.out)
if [ -n "$huge" ] && [ "$pmd3" = 4 ]; then
	procscope translate $P "$huge" || fail "translate $huge"
	assert_contains "$(procscope translate --json $P "$huge")" '"level":"pmd"' "walk ends at the PMD"
fi

# pictures: complete documents with what the lab says to look for
procscope pt $P --svg "$T"/pt.svg > /dev/null || fail "pt --svg"
procscope maps $P --svg "$T"/maps.svg > /dev/null || fail "maps --svg"
for f in pt maps; do
	tail -1 "$T"/$f.svg | grep -q '^</svg>$' || fail "$f.svg is incomplete"
	echo "$f.svg: $(wc -c < "$T"/$f.svg) bytes"
done
ntbl=$(grep -c 'class="tbl"' "$T"/pt.svg)
all=$(($(json_get tables.pgd "$j") + $(json_get tables.p4d "$j") + $(json_get tables.pud "$j") + \
	$(json_get tables.pmd "$j") + $(json_get tables.pte "$j")))
assert_le "$ntbl" "$all" "the picture draws no table the kernel does not have"
assert_ge "$ntbl" $((all - 2)) "the picture draws the tables of the tree"
[ "$levels" = 5 ] && { grep -q '>P4D (2)<' "$T"/pt.svg || fail "pt.svg: no P4D column with 2 tables"; }
assert_ge "$(grep -c 'class="huge"' "$T"/maps.svg)" 2 "maps.svg shows the huge pages"
grep -q "Address space of pid $P" "$T"/maps.svg || fail "maps.svg title"
kill $P
wait $P 2>/dev/null

# ------------------------------------------------------------------ lab 2
F=/mnt/disk/lab2.dat
[ -d /mnt/disk ] || F="$T"/lab2.dat
dd if=/dev/urandom of="$F" bs=4096 count=64 2>/dev/null || fail "cannot write $F"
drop_file_cache "$F" || fail "cannot get $F out of the page cache"
procscope faults -q -- fault_workload anon stack cow swap perm badaddr \
	"file:$F" "file:$F" "shared:$F" > "$T"/faults.txt 2>&1 || fail "faults: $(cat "$T"/faults.txt)"
grep -v '^phase' "$T"/faults.txt
# shared:F dirtied the file: drop_file_cache writes it back first, or its
# dirty pages may stay cached (they do on 6.12) and the next run has no
# cold file faults.
drop_file_cache "$F" || fail "cannot get $F out of the page cache"
procscope faults -q --json -- fault_workload anon stack cow swap perm badaddr \
	"file:$F" "file:$F" "shared:$F" > "$T"/faults.json || fail "faults --json"
sum=$(tail -1 "$T"/faults.json)
echo "$sum"
for c in anon stack cow swap file file_major shared_write perm badaddr; do
	n=$(json_get "summary.by_class.$c" "$sum")
	assert_gt "$n" 0 "class $c appears"
	# Latencies come from the delivered events, counts from the module's
	# counters; seen once (issue 4 code): a class counted but without an
	# event. Reported, not failed, until that is fixed.
	if ! json_get "summary.latency_ns.$c.max" "$sum" > /dev/null; then
		echo "NOTE: class $c counted ($n) but no event carried its cost"
		nocost=$((${nocost:-0} + 1))
	fi
done
assert_le "${nocost:-0}" 1 "classes without a cost"
# major faults are the kernel's majflt: file_major (and swap-ins that read)
assert_gt "$(json_get summary.major "$sum")" 0 "major faults counted"
echo "file_major p50 $(json_get summary.latency_ns.file_major.p50 "$sum") ns," \
	"file p50 $(json_get summary.latency_ns.file.p50 "$sum") ns"
assert_eq "$(json_get summary.dropped "$sum")" 0 "no events lost"

# ------------------------------------------------------------------ lab 3
watched() { procscope --json sockets "$1" | grep -q '"watched":true'; }

lab_accept 8350 4 1 hold > "$T"/a.out &
S=$!
wait_until 10 grep -q '^ready' "$T"/a.out || fail "lab_accept did not start"
# The reader and the client run until the checks are done (not for a fixed
# time: a slow kernel must not close the window early).
procscope accept --json $S > "$T"/acc.json 2> "$T"/acc.err &
A=$!
wait_until 5 watched $S || fail "listener never watched: $(cat "$T"/acc.err)"
ovf0=$(netstat_get ListenOverflows)
cook0=$(netstat_get SyncookiesSent)
sock_client -p 8350 -n 20 -H -o "$T"/issued > /dev/null &
C=$!
wait_for_file "$T"/issued || fail "client did not connect"
full() {
	[ "$(json_get sockets.0.accept_queue "$(procscope --json sockets $S)")" -ge 5 ] ||
		[ "$(netstat_get SyncookiesSent)" != "$cook0" ]
}
wait_until 10 full || echo "NOTE: the accept queue did not fill"
rose() { [ "$(netstat_get ListenOverflows)" -gt "$ovf0" ]; }
wait_until 10 rose || echo "NOTE: ListenOverflows did not rise"
procscope sockets $S
j=$(procscope --json sockets $S)
assert_eq "$(json_get sockets.0.backlog "$j")" 4 "backlog"
if [ "$(netstat_get SyncookiesSent)" = 0 ]; then
	assert_eq "$(json_get sockets.0.accept_queue "$j")" 5 "the accept queue holds backlog+1"
fi
ovf1=$(netstat_get ListenOverflows)
echo "ListenOverflows $ovf0 -> $ovf1"
assert_gt "$ovf1" "$ovf0" "ListenOverflows rose"
wait_lines 10 1 "$T"/acc.json '"event":"overflow"' || echo "NOTE: no overflow event arrived"
kill $C
wait $C
stop_live $A || fail "procscope accept failed: $(cat "$T"/acc.err)"
tail -1 "$T"/acc.json
assert_gt "$(json_get summary.overflows "$(tail -1 "$T"/acc.json)")" 0 "procscope counted overflows"
kill $S

lab_accept 8351 128 4 accept > "$T"/r.out &
S=$!
wait_until 10 grep -q '^ready' "$T"/r.out || fail "lab_accept (4 shards) did not start"
cat "$T"/r.out
PIDS=$(awk '/^shard/ { print $4 }' "$T"/r.out | tr '\n' ' ')
j=$(procscope --json sockets $S)
assert_eq "$(json_get sockets.0.reuseport.members "$j")" 4 "4 reuseport members"
# The lab's `accept -q -d 6` window, ended instead when the work is done: all
# 200 accepted (no listener holds a connection any more), then Ctrl-C.
queues_empty() {
	awk -v p="$(printf '%04X' 8351)" 'NR > 1 { split($2, a, ":"); split($5, q, ":")
		if (a[2] == p && $4 == "0A" && q[2] != "00000000") busy = 1 } END { exit busy }' /proc/net/tcp
}
# shellcheck disable=SC2086
procscope accept -q $PIDS > "$T"/shards.txt 2>&1 &
A=$!
for p in $PIDS; do wait_until 5 watched "$p" || fail "shard $p never watched"; done
sock_client -p 8351 -n 200 > /dev/null
wait_until 10 queues_empty || fail "the shards did not accept everything"
stop_live $A
cat "$T"/shards.txt
# The same with --json: the window ends once the 200 accept events arrived.
# shellcheck disable=SC2086
procscope accept --json $PIDS > "$T"/shards.json 2>&1 &
A=$!
for p in $PIDS; do wait_until 5 watched "$p" || fail "shard $p never watched"; done
sock_client -p 8351 -n 200 > /dev/null
wait_lines 10 200 "$T"/shards.json '"event":"accept"' || echo "NOTE: not all 200 accept events arrived"
stop_live $A
s=$(tail -1 "$T"/shards.json)
assert_eq "$(json_get summary.accepted "$s")" 200 "200 accepted"
n=$(echo "$s" | grep -o '"shards":4,"accepted":[1-9][0-9]*' | wc -l)
assert_eq "$n" 4 "every one of the 4 shards accepted some"
kill $S
echo "labs OK"
