#!/bin/sh
# The security review's attacks on access control (docs/security.md), each
# played by /progs/sec_demo as the unprivileged user would, each expected
# to fail. Helpers live until this test releases them through gate files.
chmod 0777 "$TEST_TMP"
G=$TEST_TMP/gate
PIDS=''
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	touch "$G.all" "$G.fill" "$G.tie" "$G.admin" "$G.exec"
	# shellcheck disable=SC2086
	[ -n "$PIDS" ] && kill $PIDS 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT
bg_pid() { PIDS="$PIDS $1"; }
# Wait for a helper's output line (the helper is alive until released).
wait_line() { # FILE PATTERN
	wait_until 60 grep -q "$2" "$1" || fail "no '$2' in $1: $(cat "$1" 2>/dev/null)"
}
field() { sed -n "s/.*$2=\([-0-9]*\).*/\1/p" "$1" | head -n1; }
# A helper started by pt_asuser is the user's process only once it has
# dropped its ids: until then it is root's, and the user may not watch it.
ran_as() { awk -v u="$2" '/^Uid:/ { exit ($2 == u) ? 0 : 1 }' "/proc/$1/status" 2>/dev/null; }
wait_user() { wait_until 60 ran_as "$1" "$2" || fail "pid $1 never ran as uid $2"; }

# --- H1: a dump is authorized against who asked, not who reads -------------
sec_demo exec_gate "$G.all" /bin/true &
R=$!
bg_pid $R
out=$(sec_demo deputy "$R") || fail "sec_demo deputy failed: $out"
echo "$out"
assert_contains "$out" "reader: dump_msgs=0 pfn_visible=0" \
	"root reading uid 1000's queued dump of a root process got its entries"
assert_contains "$out" "requester: dump_msgs=0 pfn_visible=0" \
	"uid 1000 got entries of a root process"
echo "$out" | grep -q 'done_err=-1 ' || echo "$out" | grep -q 'done_err=-1$' ||
	fail "the dump did not end with EPERM: $out"
out=$(sec_demo deputy self) || fail "sec_demo deputy self failed: $out"
echo "$out"
case $out in *pfn_visible=1*) fail "PFNs of uid 1000's own process reached a reader: $out" ;; esac
total=$(echo "$out" | sed -n 's/.*dump_msgs=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
assert_gt "$total" 0 "uid 1000's dump of its own process produced nothing"

# --- M2: per-user quota, admin reserve -------------------------------------
for u in 1000 1001 1002 1003; do
	pt_asuser $u sec_demo watchfill 20 "$G.fill" > "$TEST_TMP/fill$u.txt" &
	FILLS="${FILLS:-} $!"
	wait_line "$TEST_TMP/fill$u.txt" '^added='
	cat "$TEST_TMP/fill$u.txt" | head -1
done
for u in 1000 1001 1002; do
	assert_eq "$(field "$TEST_TMP/fill$u.txt" added)" 16 "uid $u: watches held (watch_user_max)"
	assert_eq "$(field "$TEST_TMP/fill$u.txt" first_err)" -122 "uid $u: refusal is EDQUOT"
done
# 64 slots, 8 kept for administrators: the fourth user gets what is left.
assert_eq "$(field "$TEST_TMP/fill1003.txt" added)" 8 "uid 1003: slots left for users"
assert_eq "$(field "$TEST_TMP/fill1003.txt" first_err)" -28 "uid 1003: refusal is ENOSPC"
sec_demo exec_gate "$G.all" /bin/true &
A=$!
bg_pid $A
out=$(sec_demo watchadd "$A") || fail "root watchadd: $out"
assert_eq "$out" "err=0" "root could not watch with the table full of users' watches"
sec_demo watchdel "$A" > /dev/null
touch "$G.fill"
# shellcheck disable=SC2086
wait $FILLS

# --- M2: a closed socket's quota is back at once ----------------------------
# Its slots wait a grace period before they are free; a user who closes a
# socket full of watches and opens another must not get EDQUOT meanwhile.
out=$(pt_asuser 1000 sec_demo watchrefill 16)
echo "$out"
assert_eq "$out" "first=16 second=16 err=0" "uid 1000's quota after closing its socket"

# --- M2: a user's watches end with the socket that made them ---------------
pt_asuser 1000 sec_demo exec_gate "$G.all" /bin/true &
U=$!
bg_pid $U
wait_user "$U" 1000
pt_asuser 1000 sec_demo watchadd "$U" "$G.tie" > "$TEST_TMP/tie.txt" &
T=$!
wait_line "$TEST_TMP/tie.txt" '^err='
assert_eq "$(cat "$TEST_TMP/tie.txt")" "err=0" "uid 1000 watches its own process"
assert_eq "$(sec_demo watchget "$U")" "found=1" "the watch exists"
touch "$G.tie"
wait "$T"
assert_eq "$(sec_demo watchget "$U")" "found=0" "uid 1000's watch outlived its socket"

# --- L4: a user may not end an administrator's watch -----------------------
sec_demo watchadd "$U" "$G.admin" > "$TEST_TMP/admin.txt" &
T=$!
wait_line "$TEST_TMP/admin.txt" '^err='
assert_eq "$(cat "$TEST_TMP/admin.txt")" "err=0" "root watches uid 1000's process"
assert_eq "$(pt_asuser 1000 sec_demo watchdel "$U")" "err=-1" \
	"uid 1000 ended root's watch of its process"
assert_eq "$(sec_demo watchget "$U")" "found=1" "root's watch is still there"
touch "$G.admin"
wait "$T"
# root's watch is not tied to its socket: root ends it.
assert_eq "$(sec_demo watchdel "$U")" "err=0" "root ends its own watch"

# --- L3: a user's watch ends when its process execs setuid -----------------
cp /progs/sec_demo "$TEST_TMP/suid_demo"
chown 0:0 "$TEST_TMP/suid_demo"
chmod 4755 "$TEST_TMP/suid_demo"
pt_asuser 1000 sec_demo exec_gate "$G.exec" "$TEST_TMP/suid_demo" exec_gate "$G.all" /bin/true &
S=$!
bg_pid $S
wait_user "$S" 1000
pt_asuser 1000 sec_demo watchadd "$S" "$G.all" > "$TEST_TMP/exec.txt" &
bg_pid $!
wait_line "$TEST_TMP/exec.txt" '^err='
assert_eq "$(cat "$TEST_TMP/exec.txt")" "err=0" "uid 1000 watches its process"
assert_eq "$(sec_demo watchget "$S")" "found=1" "watched before the exec"
touch "$G.exec"
euid0() { awk '/^Uid:/ { exit ($3 == 0) ? 0 : 1 }' "/proc/$S/status"; }
wait_until 60 euid0 || fail "the process never became setuid root"
assert_eq "$(sec_demo watchget "$S")" "found=0" "uid 1000's watch survived a setuid exec"

# --- L1: an idle dump does not pin a killed process's memory ---------------
mem_avail() { awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo; }
before=$(mem_avail)
pt_asuser 1000 sec_demo hog 256 "$G.all" > "$TEST_TMP/hog.txt" &
H=$!
wait_line "$TEST_TMP/hog.txt" '^ready'
HP=$H	# pt_asuser execs it: same pid
pt_asuser 1000 sec_demo pin "$HP" "$G.all" > "$TEST_TMP/pin.txt" &
bg_pid $!
wait_line "$TEST_TMP/pin.txt" '^pinned'
during=$(mem_avail)
kill -9 "$HP"
wait "$H" 2>/dev/null
wait_until 60 sh -c "! kill -0 $HP 2>/dev/null" || fail "hog $HP did not go away"
after=$(mem_avail)
echo "MemAvailable MB: before $before, hog $during, killed (dump still open) $after"
assert_lt "$during" $((before - 200)) "the hog did not take its memory"
assert_gt "$after" $((before - 64)) "the killed process's memory stayed pinned by an idle dump"

# --- L6: a record too big for the reader's message is an error, not the end
pt_asuser 1000 sec_demo maplong "$TEST_TMP" "$G.all" > "$TEST_TMP/long.txt" &
M=$!
bg_pid $M
wait_line "$TEST_TMP/long.txt" '^ready'
out=$(pt_asuser 1000 sec_demo vmadump "$M")
echo "$out"
assert_eq "$(echo "$out" | sed -n 's/.*done_err=\(-*[0-9]*\).*/\1/p')" -90 \
	"a VMA dump ended as if complete at a VMA too big for the reader's message"

# --- H2: faults taken with page faults disabled are not the process's ------
procscope faults --json -- sec_demo futexfault > "$TEST_TMP/futex.txt" 2>&1 ||
	fail "procscope faults -- sec_demo futexfault: $(cat "$TEST_TMP/futex.txt")"
grep -q '^futex=-1 errno=14' "$TEST_TMP/futex.txt" ||
	fail "the futex did not fail with EFAULT: $(cat "$TEST_TMP/futex.txt")"
n=$(grep -c '"class":"badaddr"' "$TEST_TMP/futex.txt")
assert_eq "$n" 0 "a pagefault_disable()d kernel access was reported as the process's fault"

# --- M4: no lockless walk of a foreign mm after the fault ------------------
procscope faults --json -- sec_demo vmread > "$TEST_TMP/vmread.txt" 2>&1 ||
	fail "procscope faults -- sec_demo vmread: $(tail -3 "$TEST_TMP/vmread.txt")"
gup=$(grep '"gup":true' "$TEST_TMP/vmread.txt" | grep -c '"counted":true')
assert_gt "$gup" 0 "no GUP fault of the remote read was seen"
leaked=$(grep '"gup":true' "$TEST_TMP/vmread.txt" | grep '"counted":true' | grep -vc '"pte_after":"0x0"')
assert_eq "$leaked" 0 "the entry after a fault in another process's mm was read without its lock"
exit 0
