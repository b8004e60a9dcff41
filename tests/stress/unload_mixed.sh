#!/bin/sh
# Not part of the suite: unload the module under a mixed fault load. Each
# cycle runs a shell that forks fault_workload over and over through every
# fault class (anon stack cow swap perm badaddr file), watched with -f so
# that each child is followed, beside a process faulting flat out, watched
# too; after 1-3 s it unloads the module and loads it again. Run:
#   scripts/vm run --copy tests/stress/unload_mixed.sh \
#       --timeout 900 -- sh /unload_mixed.sh [CYCLES]
# A cycle fails if rmmod fails (retried for a while: a reader's netlink dump
# holds a module reference until it is done), a reader does not end by
# itself, or the kernel logs a problem. Ends with "N passed, N failed"; exit
# status 1 if any cycle failed.
. /tests/vm/lib.sh

n=${1:-15}
F=/mnt/disk/unload_mixed.dat
[ -d /mnt/disk ] || F=/tmp/unload_mixed.dat
dd if=/dev/urandom of=$F bs=4096 count=64 2> /dev/null
watches() { [ "$(procscope --json status | json_get watches.active)" -ge "$1" ] 2> /dev/null; }

cycle() { # sets ok=0 on failure
	# Own process group: the loop and the child it runs go in one kill.
	setsid sh -c "while :; do /progs/fault_workload anon stack cow swap perm \
		badaddr file:$F; done > /dev/null 2>&1" & forker=$!
	/progs/fault_workload loop:16:100000000 > /dev/null & flat=$!
	procscope faults -q -f "$forker" > /dev/null 2>&1 & r1=$!
	procscope faults -q "$flat" > /dev/null 2>&1 & r2=$!
	wait_until 10 watches 2 || { echo "cycle $i: the watches were not added"; ok=0; }
	sleep $((1 + i % 3))
	if ! unload_module; then
		echo "cycle $i: rmmod failed"
		ok=0
	elif [ "$UNLOAD_RETRIES" -gt 0 ]; then
		echo "cycle $i: rmmod needed $UNLOAD_RETRIES retries"
	fi
	for r in $r1 $r2; do
		wait_until 10 sh -c "! kill -0 $r 2> /dev/null" ||
			{ echo "cycle $i: reader $r did not end after rmmod"; ok=0; kill -9 "$r"; }
	done
	kill -- -"$forker" 2> /dev/null
	kill "$flat" 2> /dev/null
	wait "$forker" "$flat" "$r1" "$r2" 2> /dev/null
}

stress_cycles "unload mixed" "$n"
