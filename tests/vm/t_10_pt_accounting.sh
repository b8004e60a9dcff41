#!/bin/sh
# Page tables against the kernel's own accounting: every page's state and PFN
# (/proc/PID/pagemap), per-VMA Rss/Swap/AnonHugePages (smaps), VmPTE (status),
# translate vs pagemap, for untouched/touched/zero/THP/file/swapped/forked/high
# mappings (pt_work), in the parent and in the forked child.
dir=/mnt/disk
mountpoint -q "$dir" 2>/dev/null || grep -q " $dir " /proc/mounts || dir=$TEST_TMP
pt_work "$TEST_TMP/ready" "$dir" > "$TEST_TMP/w.txt" &
W=$!
wait_for_file "$TEST_TMP/ready" 20 || fail "pt_work did not get ready"
cat "$TEST_TMP/w.txt"
addr() { awk -v k="$1" '$1 == k { print $2 }' "$TEST_TMP/w.txt"; }
addr_end() { awk -v k="$1" '$1 == k { print $3 }' "$TEST_TMP/w.txt"; }
C=$(addr child)

for P in $W $C; do
	procscope pt --json "$P" > pt.json || fail "pt $P: $(cat pt.json)"
	pt_check vmpte "$P" < pt.json || fail "pid $P: VmPTE differs from the walk"
	procscope maps --json "$P" > maps.json || fail "maps $P"
	pt_check smaps "$P" < maps.json || fail "pid $P: smaps differ"
	procscope ptes --json "$P" > ptes.json || fail "ptes $P"
	pt_check pagemap "$P" < ptes.json || fail "pid $P: pagemap differs"
done
procscope pt "$W" || fail "pt text"
procscope maps "$W" || fail "maps text"

levels=$(json_get levels "$(procscope pt --json "$W")")
# untouched: no entries at all
n=$(json_get entries "$(procscope ptes --json --count "$W" "$(addr untouched)-$(addr_end untouched)")")
assert_eq "$n" 0 "untouched mapping has no entries"
# touched: 256 present 4 KiB leaves
n=$(json_get entries "$(procscope ptes --json --count "$W" "$(addr touched)-$(addr_end touched)")")
assert_eq "$n" 256 "touched 1 MiB = 256 leaves"
# zero: read-only touches map the shared zero page
procscope ptes --json "$W" "$(addr zero)+4K" > z.json
assert_contains "$(cat z.json)" '"zero_page"' "read-touched page maps the zero page"
# thp: two PMD leaves
procscope ptes --json "$W" "$(addr thp)-$(addr_end thp)" > thp.json
n=$(grep -o '"level":"pmd"' thp.json | wc -l)
[ "$n" -ge 1 ] || skip "no THP formed (THP disabled?)"
assert_eq "$n" 2 "4 MiB MADV_HUGEPAGE region = 2 PMD leaves"
# swapped: 256 swap entries
n=$(grep -o '"swap":true' "$(procscope ptes --json "$W" "$(addr swapped)-$(addr_end swapped)" > s.json; echo s.json)" | wc -l)
assert_eq "$n" 256 "MADV_PAGEOUT'd 1 MiB = 256 swap entries"
# forked: shared with the child (mapcount 2)
procscope ptes --json "$W" "$(addr forked)+4K" > f.json
assert_contains "$(cat f.json)" '"mapcount":2' "page shared with the forked child"
assert_contains "$(cat f.json)" '"shared"' "shared flag"

# translate == pagemap PFN + offset, for a 4K page, inside a THP, a file page
for va in "$(addr touched)" "$(addr thp)" $(printf '0x%x' $(($(addr thp) + 0x123456))) \
	"$(addr file)" $(printf '0x%x' $(($(addr forked) + 0x10abc))); do
	procscope translate --json "$W" "$va" > t.json || fail "translate $va"
	pt_check translate "$W" "$va" < t.json || fail "translate $va differs from pagemap: $(cat t.json)"
done
procscope translate "$W" "$(addr thp)" || fail "translate text"
stop=$(json_get stop "$(procscope translate --json "$W" "$(addr swapped)")")
assert_eq "$stop" swap "swapped page stops at a swap entry"
stop=$(json_get stop "$(procscope translate --json "$W" "$(addr untouched)")")
assert_eq "$stop" none "untouched page stops at an empty entry"

# above 128 TiB with 5-level paging
high=$(addr high)
if [ "$levels" = 5 ]; then
	[ $((high >> 47)) -gt 0 ] || fail "5-level boot but the high mapping is at $high"
	procscope translate --json "$W" "$high" > h.json
	pt_check translate "$W" "$high" < h.json || fail "high translate"
	assert_contains "$(cat h.json)" '"level":"p4d"' "5-level walk has a P4D step"
else
	echo "4-level paging: high mapping at $high (below 128 TiB, as expected)"
fi
kill "$W" "$C"
