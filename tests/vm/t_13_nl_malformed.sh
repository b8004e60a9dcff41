#!/bin/sh
# Malformed netlink requests (wrong attribute types and lengths, unknown and
# reply-only attributes, attributes of another command, missing required
# ones, truncated messages, unknown commands and flags, a reversed range,
# 3000 garbage requests) are refused with the right errno and extended ACK;
# the per-test kernel-log check catches anything worse.
. /tests/vm/lib.sh
sleep 1000000 & target=$!
out=$(nl_malformed "$target" 2>&1); rc=$?
kill "$target"
echo "$out"
[ "$rc" -eq 0 ] || fail "nl_malformed reported failures"
n=$(echo "$out" | grep -c '^ok ')
assert_eq "$n" 18 "number of passing cases"
procscope status >/dev/null || fail "the module stopped answering after the garbage"
