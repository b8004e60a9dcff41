#!/bin/sh
# Access rules as /proc/PID/pagemap: an unprivileged user reads its own
# process without PFNs and is refused another user's process.
chmod 0777 "$TEST_TMP"
pt_asuser 1000 pt_work "$TEST_TMP/ready" "$TEST_TMP" > "$TEST_TMP/w.txt" &
W=$!
wait_for_file "$TEST_TMP/ready" 20 || fail "pt_work did not get ready"
T=$(awk '$1 == "touched" { print $2 }' "$TEST_TMP/w.txt")
W=$(pidof pt_work | tr ' ' '\n' | sort -n | head -1)

out=$(pt_asuser 1000 procscope ptes --json "$W" "$T+8K") || fail "own process refused: $out"
echo "$out"
assert_eq "$(json_get pfn_visible "$out")" false "pfn_visible for uid 1000"
assert_eq "$(json_get entries.0.pfn "$out")" null "no PFN for uid 1000"
raw=$(json_get entries.0.raw "$out")
[ $((raw & 0x000ffffffffff000)) -eq 0 ] || fail "raw entry $raw leaks PFN bits"
out=$(pt_asuser 1000 procscope translate --json "$W" "$T") || fail "own translate: $out"
assert_eq "$(json_get pa "$out")" null "no physical address for uid 1000"
assert_eq "$(json_get stop "$out")" mapped "still says mapped"
out=$(pt_asuser 1000 procscope pt --json "$W") || fail "own pt: $out"

# root's process (pid 1) and another uid's process
for P in 1 $W; do
	if [ "$P" = "$W" ]; then u=1001; else u=1000; fi
	for cmd in "pt $P" "maps $P" "ptes $P" "translate $P $T"; do
		# shellcheck disable=SC2086
		err=$(pt_asuser $u procscope $cmd 2>&1) && fail "uid $u: 'procscope $cmd' was allowed: $err"
		assert_contains "$err" "not permitted" "uid $u: procscope $cmd"
	done
done
echo "$err"
# as root, the same process shows PFNs
out=$(procscope ptes --json "$W" "$T+4K")
assert_eq "$(json_get pfn_visible "$out")" true "root sees PFNs"
kill "$W" $(pidof pt_work) 2>/dev/null
exit 0
