#!/bin/sh
# Not part of the suite: unload the module while watched listeners take
# connections. Each cycle starts an IPv4 and an IPv6 listener (accepting and
# closing), a client stream against both, and a `procscope accept` reader
# for each; after 1-2 s it unloads the module and loads it again. Run:
#   scripts/vm run --copy tests/stress/unload_under_sockets.sh \
#       --timeout 900 -- sh /unload_under_sockets.sh [CYCLES]
# A cycle fails if rmmod fails (retried for a while: a reader's netlink dump
# holds a module reference until it is done), a reader does not end by
# itself, or the kernel logs a problem. Ends with "N passed, N failed"; exit
# status 1 if any cycle failed.
. /tests/vm/lib.sh

n=${1:-12}
T=/tmp/unload_sockets
P4=8410
P6=8411
watched() { procscope --json sockets "$1" 2> /dev/null | grep -q '"watched":true'; }

cycle() { # sets ok=0 on failure
	rm -rf $T
	mkdir -p $T
	sock_server -p $P4 -c -t 0 -R $T/r4 > /dev/null & s4=$!
	sock_server -6 -p $P6 -c -t 0 -R $T/r6 > /dev/null & s6=$!
	wait_for_file $T/r4 && wait_for_file $T/r6 || { echo "cycle $i: listeners did not start"; ok=0; }
	# Own process group: the stream and the clients it runs go in one kill.
	setsid sh -c "while :; do sock_client -p $P4 -n 16 > /dev/null
		sock_client -6 -p $P6 -n 16 > /dev/null; done" & stream=$!
	procscope accept -q "$s4" > $T/a4 2>&1 & a4=$!
	procscope accept -q "$s6" > $T/a6 2>&1 & a6=$!
	wait_until 10 watched "$s4" && wait_until 10 watched "$s6" ||
		{ echo "cycle $i: the listeners were not watched"; ok=0; }
	sleep $((1 + i % 2))
	if ! unload_module; then
		echo "cycle $i: rmmod failed"
		ok=0
	elif [ "$UNLOAD_RETRIES" -gt 0 ]; then
		echo "cycle $i: rmmod needed $UNLOAD_RETRIES retries"
	fi
	for r in $a4 $a6; do
		wait_until 10 sh -c "! kill -0 $r 2> /dev/null" ||
			{ echo "cycle $i: reader $r did not end after rmmod"; ok=0; kill -9 "$r"; }
	done
	kill -- -"$stream" 2> /dev/null
	kill "$s4" "$s6" 2> /dev/null
	wait "$stream" "$s4" "$s6" "$a4" "$a6" 2> /dev/null
}

stress_cycles "unload under sockets" "$n"
