#!/bin/sh
# Bad input gives a clear error and a non-zero exit, and nothing in dmesg
# (run.sh checks the kernel log): unknown pid, kernel thread, non-canonical
# address, reversed range, address above the task size, and a process that
# exits while its page tables are being dumped.
expect_err() { # WHAT NEEDLE CMD...
	what=$1 needle=$2
	shift 2
	err=$("$@" 2>&1) && fail "$what: succeeded: $err"
	echo "$what: $err"
	assert_contains "$err" "$needle" "$what"
}
mark=$(klog_mark)
expect_err "unknown pid" "no such process" procscope pt 999999
expect_err "unknown pid (ptes)" "no such process" procscope ptes 999999
expect_err "kernel thread" "kernel thread" procscope pt 2
expect_err "kernel thread (maps)" "kernel thread" procscope maps 2
expect_err "not a pid" "not a process id" procscope pt abc
expect_err "non-canonical" "not a user-space address" procscope translate $$ 0xffff800000001000
expect_err "reversed range" "end must be above" procscope ptes $$ 0x2000-0x1000
expect_err "garbage range" "not an address" procscope ptes $$ 0x2000-zz
expect_err "above task size" "address space" procscope translate $$ 0x00fffffffffff000

# The target exits in the middle of a dump: either the dump finished first
# or it ends with a clear error; never a crash or a kernel warning.
i=0
while [ $i -lt 5 ]; do
	rm -f "$TEST_TMP/ready"
	pt_work "$TEST_TMP/ready" "$TEST_TMP" 64 > /dev/null &
	W=$!
	wait_for_file "$TEST_TMP/ready" 20 || fail "pt_work did not get ready"
	procscope ptes --json "$W" > out.json 2> err.txt &
	D=$!
	kill -9 "$W"
	kill -9 $(pidof pt_work) 2>/dev/null
	wait "$D"
	rc=$?
	echo "exit during dump, round $i: procscope exit $rc $(cat err.txt)"
	if [ "$rc" -ne 0 ]; then
		assert_eq "$rc" 1 "exit status"
		grep -q -E "exited|no such process|exiting" err.txt || fail "unclear error: $(cat err.txt)"
	fi
	i=$((i + 1))
done
p=$(klog_problems "$mark") && fail "kernel log: $p"
exit 0
