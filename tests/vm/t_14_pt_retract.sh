#!/bin/sh
# Page-table walks racing PTE-table retraction: pt_retract collapses a shmem
# range with MADV_COLLAPSE over and over, which frees the PTE tables mapping
# it in the process and in a forked child (since 6.6 without their mmap
# lock, freed after RCU), while this test walks both processes' tables
# (pt_walkloop over netlink, and the tool: pt, ptes, translate). Every walk
# must succeed and be consistent, the kernel log must stay clean (run.sh
# checks it), and the collapses must really have happened during the walks. When tracefs is there, a return
# probe on the module's table map counts the maps that found the table gone
# (the retry path): reported, not required (it is a timing race).
SECS=${PT_RETRACT_SECS:-25}
pt_retract "$TEST_TMP/ready" "$SECS" > "$TEST_TMP/r.txt" &
R=$!
wait_for_file "$TEST_TMP/ready" 20 || {
	wait "$R"
	rc=$?
	cat "$TEST_TMP/r.txt"
	[ "$rc" = 77 ] && skip "MADV_COLLAPSE of shmem not supported"
	fail "pt_retract did not get ready ($rc)"
}
cat "$TEST_TMP/r.txt"
val() { awk -v k="$1" '$1 == k { print $2 }' "$TEST_TMP/r.txt"; }
P=$(val pid)
C=$(val child)
start=$(val range)
end=$(awk '$1 == "range" { print $3 }' "$TEST_TMP/r.txt")
mid=$(printf '0x%x' $((start + 0x201000)))

# Optional: count NULL returns of the table map (the retry path).
T=/sys/kernel/tracing
[ -d "$T/events" ] || mount -t tracefs none "$T" 2>/dev/null
probe=
# shellcheck disable=SC2016 # $retval is the probe's, not the shell's
if [ -w "$T/kprobe_events" ] &&
	echo 'r:procscope_t14/t14_table_gone __procscope_pte_map_lock ret=$retval' >> "$T/kprobe_events" 2>/dev/null; then
	probe=$T/events/procscope_t14/t14_table_gone
	echo 'ret == 0' > "$probe/filter" 2>/dev/null
	echo 1 > "$probe/enable"
	echo > "$T/trace"
fi
cleanup_probe() {
	[ -n "$probe" ] || return 0
	echo 0 > "$probe/enable"
	echo '-:procscope_t14/t14_table_gone' >> "$T/kprobe_events"
	probe=
}

# Walks by the thousand, over netlink, in both processes at once...
pt_walkloop "$P" "$start" "$end" $((SECS - 3)) > wl_p.txt 2>&1 &
WP=$!
pt_walkloop "$C" "$start" "$end" $((SECS - 3)) > wl_c.txt 2>&1 &
WC=$!
# ...and a few through the tool, looking at what they show.
walks=0 pmd_seen=0 pte_seen=0
while kill -0 "$R" 2>/dev/null; do
	for pid in $P $C; do
		out=$(procscope ptes --json "$pid" "$start-$end" 2>&1) || {
			kill -0 "$pid" 2>/dev/null || break 2
			cleanup_probe
			fail "ptes $pid failed: $out"
		}
		case $out in *'"level":"pmd"'*) pmd_seen=$((pmd_seen + 1)) ;; esac
		case $out in *'"level":"pte"'*) pte_seen=$((pte_seen + 1)) ;; esac
		# Never more than the range: 2048 4 KiB leaves or 4 PMD leaves.
		n=$(echo "$out" | grep -o '"level":"pte"' | wc -l)
		assert_le "$n" 2048 "4 KiB leaves in an 8 MiB range"
		out=$(procscope pt --json "$pid" 2>&1) || {
			kill -0 "$pid" 2>/dev/null || break 2
			cleanup_probe
			fail "pt $pid failed: $out"
		}
		out=$(procscope translate --json "$pid" "$mid" 2>&1) || {
			kill -0 "$pid" 2>/dev/null || break 2
			cleanup_probe
			fail "translate $pid failed: $out"
		}
		stop=$(json_get stop "$out")
		case $stop in
		mapped | none) ;;
		*) cleanup_probe; fail "translate $pid $mid stopped at '$stop': $out" ;;
		esac
		walks=$((walks + 1))
	done
done
wait "$R" || fail "pt_retract failed"
wait "$WP" || fail "walks of $P: $(cat wl_p.txt)"
wait "$WC" || fail "walks of $C: $(cat wl_c.txt)"
cat "$TEST_TMP/r.txt"
retries=
if [ -n "$probe" ]; then
	retries=$(grep -c 't14_table_gone:' "$T/trace")
	cleanup_probe
fi
collapses=$(val collapses)
fast=$(($(awk '$1 == "walks" { print $2 }' wl_p.txt) + $(awk '$1 == "walks" { print $2 }' wl_c.txt)))
echo "netlink walk rounds $fast; tool walk rounds $walks;" \
	"PMD-mapped seen $pmd_seen, PTE-mapped seen $pte_seen; collapses $collapses;" \
	"table maps that found the table gone: ${retries:-n/a}"
assert_gt "$collapses" 0 "MADV_COLLAPSE succeeded"
# Thousands on an idle host; a loaded one (the VM is emulated) gets far
# fewer, but they still overlap the collapses.
assert_gt "$fast" 10 "walks ran during the collapses"
if [ "$walks" -ge 3 ]; then
	assert_gt "$pmd_seen" 0 "walks saw the range collapsed (PMD leaves)"
	assert_gt "$pte_seen" 0 "walks saw the range in small pages (PTE leaves)"
else
	echo "NOTE: only $walks tool walks (slow host): what they saw is not checked"
fi
