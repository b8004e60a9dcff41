#!/bin/sh
# Not part of the suite: the stress loop that tells whether unloading the
# module while a watched process faults flat out is safe on this QEMU. Run:
#   scripts/vm run [--mttcg] --copy tests/stress/unload_under_faults.sh \
#       --timeout 600 -- sh /unload_under_faults.sh [CYCLES]
# With --mttcg the guest crashed (RIP 0 at the page_fault_user tracepoint's
# static call) in 2 runs of 2; with the default thread=single 6 runs of 6 passed
# (165 unloads: 25 with the handle_mm_fault kprobe diverting, 50 with the
# ftrace_ops that replaced it).
n=${1:-25}
i=0
while [ "$i" -lt "$n" ]; do
	/progs/fault_workload loop:16:100000 > /dev/null & wl=$!
	procscope faults -q "$wl" > /dev/null 2>&1 & cli=$!
	sleep 0.5
	rmmod procscope || { echo "rmmod failed in cycle $i"; exit 1; }
	kill "$wl"
	wait "$wl" 2> /dev/null
	wait "$cli" 2> /dev/null
	insmod "$PROCSCOPE_KO" || { echo "insmod failed in cycle $i"; exit 1; }
	i=$((i + 1))
done
echo "unload under faults: $n cycles passed"
