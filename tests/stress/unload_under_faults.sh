#!/bin/sh
# Not part of the suite: the stress loop that tells whether unloading the
# module while a watched process faults flat out is safe on this QEMU. Run:
#   scripts/vm run [--mttcg] --copy tests/stress/unload_under_faults.sh \
#       --timeout 600 -- sh /unload_under_faults.sh [CYCLES]
# With --mttcg the guest crashed (RIP 0 at the page_fault_user tracepoint's
# static call) in 2 runs of 2; with the default thread=single 6 runs of 6 passed
# (165 unloads: 25 with the handle_mm_fault kprobe diverting, 50 with the
# ftrace_ops that replaced it).
# A cycle fails if rmmod fails (retried for a while: the reader's netlink
# dump holds a module reference until it is done), the reader does not end
# by itself, or the kernel logs a problem. Ends with "N passed, N failed";
# exit status 1 if any cycle failed.
. /tests/vm/lib.sh

n=${1:-25}
watching() { procscope status --json | grep -q '"active":1'; }

cycle() { # sets ok=0 on failure
	/progs/fault_workload loop:16:100000 > /dev/null & wl=$!
	procscope faults -q "$wl" > /dev/null 2>&1 & cli=$!
	wait_until 10 watching || { echo "cycle $i: the watch was not added"; ok=0; }
	sleep 0.5
	if ! unload_module; then
		echo "cycle $i: rmmod failed"
		ok=0
	elif [ "$UNLOAD_RETRIES" -gt 0 ]; then
		echo "cycle $i: rmmod needed $UNLOAD_RETRIES retries"
	fi
	wait_until 10 sh -c "! kill -0 $cli 2> /dev/null" ||
		{ echo "cycle $i: the reader did not end after rmmod"; ok=0; kill -9 "$cli"; }
	kill "$wl"
	wait "$wl" 2> /dev/null
	wait "$cli" 2> /dev/null
}

stress_cycles "unload under faults" "$n"
