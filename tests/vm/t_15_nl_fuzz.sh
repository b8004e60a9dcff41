#!/bin/sh
# Netlink fuzzing (progs/nl_fuzz.c): random and mutated requests for every
# command and attribute of module/uapi/linux/procscope.h, with dumps left half-read
# and sockets closed mid-dump; first as root, then as uid 1000, whose replies
# must never show a PFN or data of root's processes. Each run takes
# FUZZ_SECONDS (default 20; keep 2 x FUZZ_SECONDS under run.sh's -t);
# FUZZ_SEED and FUZZ_COUNT (the seed and message count a run printed) replay
# it exactly. Afterwards the module still answers and no watch is left; the
# per-test kernel-log check catches the rest.
secs=${FUZZ_SECONDS:-20}
seed="${FUZZ_SEED:+-s $FUZZ_SEED} ${FUZZ_COUNT:+-n $FUZZ_COUNT}"
chmod 0777 "$TEST_TMP"
sleep 1000000 &
ROOTP=$!
pt_asuser 1000 sleep 1000000 &
USERP=$!

ran() { # LOG: messages sent, from the closing line
	sed -n 's/.*: \([0-9]*\) messages .*/\1/p' "$1"
}
show() { # LOG: the seed, the first failures, the totals
	grep -v '^FAIL' "$1"
	grep '^FAIL' "$1" | head -n 20
}

# shellcheck disable=SC2086 # $seed: empty, or options and their values
nl_fuzz $seed -t "$secs" -p $ROOTP -p $USERP > root.out 2>&1
rc=$?
show root.out
assert_eq "$rc" 0 "nl_fuzz as root (replay with the seed above)"
assert_gt "$(ran root.out)" 100 "messages sent as root"

# shellcheck disable=SC2086
pt_asuser 1000 nl_fuzz $seed -t "$secs" -F $ROOTP -p $USERP > user.out 2>&1
rc=$?
show user.out
assert_eq "$rc" 0 "nl_fuzz as uid 1000 (replay with the seed above)"
assert_gt "$(ran user.out)" 100 "messages sent as uid 1000"

kill $ROOTP $USERP
procscope status > /dev/null || fail "the module stopped answering after the fuzzing"
assert_eq "$(procscope --json status | json_get watches.active)" 0 "watches left behind"
