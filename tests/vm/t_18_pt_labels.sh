#!/bin/sh
# One entry, one set of labels: /progs/pt_labels makes entries of many
# kinds (present RW and RO, PROT_NONE, NX and exec, huge PMD, huge and 4 KiB
# zero page, swap, uffd-wp, file) under `procscope faults`, each faulted on
# last of all. For every one, `procscope ptes` and `procscope translate`
# (its leaf step) must give the same flag labels, the last fault event at
# its address (flags_after) the same too, but for accessed and dirty, which
# the MMU may set after the fault returned; and they must agree with
# /proc/PID/pagemap where it has the bit (present, swap, soft-dirty,
# uffd-wp, file page). Mismatches are listed (MISMATCH lines), then fail.
F=$TEST_TMP/mapped
dd if=/dev/urandom of="$F" bs=4096 count=1 2>/dev/null || fail "cannot write $F"
procscope faults --json -- /progs/pt_labels info stop "$F" > faults.txt 2> ferr.txt &
FP=$!
wait_for_file info 60 || {
	touch stop
	wait "$FP"
	fail "pt_labels did not get ready: $(cat ferr.txt faults.txt | tail -5)"
}
cat info
P=$(awk '$1 == "pid" { print $2 }' info)

# The labels of bit i of enum procscope_pte_flag (userspace/pt_fmt.c).
NAMES="present write user accessed dirty huge global nx soft_dirty special protnone swap migration zero_page shared anon uffd_wp devmap pwt pcd"

# Every disagreement is listed, then the test fails.
bad=0
mismatch() { # WHAT GOT WANT
	echo "MISMATCH $1: got [$2], want [$3]"
	bad=$((bad + 1))
}
same() { [ "$2" = "$3" ] || mismatch "$@"; }

norm() { tr ',' ' ' | tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' '; }
json_flags() { sed 's/.*"flags":\[//; s/\].*//; s/"//g'; }
drop_ad() { echo "$1" | tr ' ' '\n' | grep -v -x -e accessed -e dirty | norm; }
has() { case " $1 " in *" $2 "*) echo 1 ;; *) echo 0 ;; esac; }

# pagemap bits 63 present, 62 swap, 61 file/shared-anon, 57 uffd-wp,
# 55 soft-dirty, from the 16 hex digits of the entry (awk has only doubles).
pagemap_bits() {
	dd if="/proc/$P/pagemap" bs=8 skip=$(($1 / 4096)) count=1 2>/dev/null |
		od -An -tx8 | awk '{ v = $1
		d0 = index("0123456789abcdef", substr(v, 1, 1)) - 1
		d1 = index("0123456789abcdef", substr(v, 2, 1)) - 1
		d2 = index("0123456789abcdef", substr(v, 3, 1)) - 1
		printf "present=%d swap=%d file=%d uffd_wp=%d soft_dirty=%d\n",
			int(d0 / 8) % 2, int(d0 / 4) % 2, int(d0 / 2) % 2,
			int(d1 / 2) % 2, int(d2 / 8) % 2 }'
}

while read -r name addr; do
	[ "$name" = pid ] && continue
	ptes=$(procscope ptes --json "$P" "$addr+4K" 2>&1) || fail "ptes $name: $ptes"
	pl=$(echo "$ptes" | grep -o '"flags":\[[^]]*\]' | head -1 | json_flags | norm)
	xl=$(procscope translate --json "$P" "$addr" 2>&1) || fail "translate $name: $xl"
	tl=$(echo "$xl" | grep -o '"leaf":true,"flags":\[[^]]*\]' | json_flags | norm)
	echo "$name $addr: ptes [$pl] translate [$tl]"
	[ -n "$pl" ] || fail "$name: ptes lists no entry: $ptes"
	same "$name: translate against ptes" "$tl" "$pl"
	pm=$(pagemap_bits "$addr")
	echo "$name: pagemap $pm"
	for b in present swap uffd_wp soft_dirty; do
		want=$(has "$pl" "$b")
		[ "$b" = swap ] && [ "$(has "$pl" migration)" = 1 ] && want=1
		got=$(echo "$pm" | tr ' ' '\n' | awk -F= -v b="$b" '$1 == b { print $2 }')
		# pagemap's soft-dirty is the entry's or the VMA's (VM_SOFTDIRTY,
		# set on every new VMA): only the entry's bit must show there.
		[ "$b" = soft_dirty ] && [ "$want" = 0 ] && continue
		same "$name: pagemap $b against ptes [$pl]" "$got" "$want"
	done
	# PM_FILE: a page that is not anonymous (not the zero pages: kernels
	# differ on the huge one).
	if [ "$(has "$pl" zero_page)" = 0 ] && [ "$(has "$pl" swap)" = 0 ]; then
		want=0
		[ "$(has "$pl" present)" = 1 ] && [ "$(has "$pl" anon)" = 0 ] && want=1
		same "$name: pagemap file bit against ptes [$pl]" \
			"$(echo "$pm" | sed 's/.*file=\([01]\).*/\1/')" "$want"
	fi
	echo "$name $addr $pl" >> labels.txt
done < info

touch stop
wait "$FP" || fail "procscope faults failed: $(cat ferr.txt)"

# The last event on each entry's page: flags_after, as labels.
while read -r name addr pl; do
	fl=$(awk -v a="$addr" -v names="$NAMES" '
	function hex(s,  i, c, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
		return v }
	BEGIN { page = int(hex(a) / 4096); n = split(names, nm, " ") }
	/^\{"ts_ns"/ {
		match($0, /"addr":"0x[0-9a-f]*"/)
		if (int(hex(substr($0, RSTART + 8, RLENGTH - 9)) / 4096) != page) next
		match($0, /"flags_after":"0x[0-9a-f]*"/)
		last = hex(substr($0, RSTART + 15, RLENGTH - 16)); seen = 1 }
	END { if (!seen) { print "NONE"; exit }
		for (i = 1; i <= n; i++) { if (last % 2) printf "%s ", nm[i]; last = int(last / 2) } }' faults.txt)
	[ "$fl" = NONE ] && fail "$name: no fault event at $addr"
	fl=$(echo "$fl" | norm)
	echo "$name: faults [$fl]"
	same "$name: the last fault event against ptes (accessed/dirty aside)" \
		"$(drop_ad "$fl")" "$(drop_ad "$pl")"
done < labels.txt
grep -q '^swap ' info || echo "note: no swap entry (MADV_PAGEOUT without swap?)"
grep -q '^uffdwp ' info || echo "note: no uffd-wp entry (no userfaultfd)"
[ "$bad" -eq 0 ] || fail "$bad disagreements (MISMATCH lines above)"
echo "labels agree ($(wc -l < labels.txt) entries)"
