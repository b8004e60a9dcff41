#!/bin/sh
# Page tables: procscope's in-kernel walk vs reading /proc/PID/pagemap, for a
# process with 1 GiB resident (4 KiB pages) in a 4 GiB mapping.
N=5
tmp=$(mktemp -d)
pt_work "$tmp/ready" "$tmp" 1024 > "$tmp/w.txt" &
W=$!
i=0
while [ ! -e "$tmp/ready" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
[ -e "$tmp/ready" ] || { echo "b_10_pt: workload not ready" >&2; kill $W; exit 1; }
lo=$(awk '$1 == "big" { print $2 }' "$tmp/w.txt")
hi=$(awk '$1 == "big" { print $3 }' "$tmp/w.txt")
rss=$(awk '/VmRSS/ { print $2 }' /proc/$W/status)
vmpte=$(awk '/VmPTE/ { print $2 }' /proc/$W/status)
n=$(procscope ptes --count "$W" "$lo-$hi" | awk '{ print $1 }')

# The mechanisms side by side in one process, alternating, N rounds each.
pt_bench $N "$W" "$lo" "$hi" > "$tmp/b.txt" || { echo "b_10_pt: pt_bench failed" >&2; kill $W; exit 1; }
get() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/b.txt"; }
m_sum=$(get summary); m_pm_all=$(get pagemap_all); m_dump=$(get dump); m_pm=$(get pagemap_range)
# pagemap needs no tool: its reads above are its end-to-end cost too.
pm_all=$m_pm_all; pm_big=$m_pm
# The whole tool, end to end, as a user runs it.
base=$(pt_timeit run $N procscope status --json)
sum=$(pt_timeit run $N procscope pt --json "$W")
cnt=$(pt_timeit run $N procscope ptes --count "$W" "$lo-$hi")
js=$(pt_timeit run 3 procscope ptes --json "$W" "$lo-$hi")
kill $W $(pidof pt_work) 2>/dev/null
rm -rf "$tmp"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
net() { awk -v a="$1" -v s="$base" -v b="$2" 'BEGIN { printf "%.2f", (a - s) / b }'; }
cat <<EOT
### Page tables: procscope walk vs /proc/PID/pagemap

Workload: \`pt_work READY DIR 1024\` - $((rss / 1024)) MiB resident (VmRSS), a 4 GiB
anonymous mapping with its first 1 GiB written (THP off: $n 4 KiB PTEs), VmPTE $vmpte kB.
Median of $N runs, wall-clock ms, all measured in the same VM run.

**The mechanisms** (\`pt_bench $N PID START END\`: one process, the module's netlink
requests and pread() of /proc/PID/pagemap alternating; replies fully parsed):

| what | procscope ms | pagemap ms | ratio | target |
|---|---:|---:|---:|---:|
| summary of the whole mm vs pagemap over every VMA | $m_sum | $m_pm_all | $(ratio "$m_sum" "$m_pm_all") | <= 0.5 |
| full dump of the 4 GiB mapping vs pagemap over it | $m_dump | $m_pm | $(ratio "$m_dump" "$m_pm") | <= 1.5 |

**The tool end to end** (\`pt_timeit run\`: fork + exec of the CLI; 3 runs for the JSON dump):

| what | command | ms | ratio to pagemap | ratio without tool start-up |
|---|---|---:|---:|---:|
| tool start-up | \`procscope status --json\` (exec, dynamic linking, family lookup) | $base | | |
| pagemap, every VMA | (from \`pt_bench\`: pread 512 KiB at a time) | $pm_all | 1.00 | |
| summary | \`procscope pt --json PID\` | $sum | $(ratio "$sum" "$pm_all") | $(net "$sum" "$pm_all") |
| pagemap, the 4 GiB mapping | (from \`pt_bench\`) | $pm_big | 1.00 | |
| full dump, parsed | \`procscope ptes --count PID START-END\` | $cnt | $(ratio "$cnt" "$pm_big") | $(net "$cnt" "$pm_big") |
| full dump, as JSON | \`procscope ptes --json PID START-END > /dev/null\` | $js | $(ratio "$js" "$pm_big") | $(net "$js" "$pm_big") |

The targets apply to the mechanisms (first table). End to end, the tool also
pays its start-up (exec, dynamic linking of libelf/libkmod/libmnl, family
lookup: first row of the second table) and, for --json, formatting $n objects.
Dense dumps travel as A_PTE_RUN arrays written by the walker straight into the
message: 8 bytes an entry when a run's flags and mapcounts are uniform (sent
once), as pagemap's 8, up to 16 otherwise.
EOT
