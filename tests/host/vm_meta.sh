#!/bin/bash
# Host-side meta tests of the VM harness (scripts/vm) itself; `make vmtest` runs
# them after the in-guest suite, on each kernel.  Usage:
#   [VM_KERNEL=6.1|6.12] tests/host/vm_meta.sh [FILTER...]
# (FILTER: substrings of test names; VM_KERNEL: the kernel booted, default
# scripts/vm's).  Needs what scripts/vm needs (build/ko/SERIES/procscope.ko and
# userspace/procscope, or PROCSCOPE_KO / PROCSCOPE_BIN) plus cc and that kernel's
# headers (KDIR, default scripts/kernel.sh kdir SERIES) to build test modules.
# Prints PASS/FAIL per test and finally "N passed, N failed"; exit 1 if any failed.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM=$ROOT/scripts/vm
VM_KERNEL=${VM_KERNEL:-$("$ROOT/scripts/kernel.sh" default)}
export VM_KERNEL
ABI=$("$ROOT/scripts/kernel.sh" abi "$VM_KERNEL") || exit 2
KDIR=${KDIR:-$("$ROOT/scripts/kernel.sh" kdir "$VM_KERNEL")}
echo "vm_meta: kernel $VM_KERNEL ($ABI)"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vm_meta.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

npass=0
nfail=0
OUT=$TMP/out
RC=0

selected() {
	local f
	[ ${#FILTERS[@]} -eq 0 ] && return 0
	for f in "${FILTERS[@]}"; do [[ $1 == *"$f"* ]] && return 0; done
	return 1
}
FILTERS=("$@")

# vm ARGS...: run scripts/vm, output to $OUT, status to $RC, duration to $SECS
vm() {
	local t0=$SECONDS
	"$VM" "$@" >"$OUT" 2>&1 </dev/null
	RC=$?
	SECS=$((SECONDS - t0))
}

pass() {
	echo "PASS $1"
	npass=$((npass + 1))
}

failt() { # NAME REASON
	echo "FAIL $1: $2"
	[ -s "$OUT" ] && tail -n 60 "$OUT" | sed 's/^/    | /'
	nfail=$((nfail + 1))
}

kmod_build() { # DIR: out-of-tree build against the VM kernel's headers
	make -s -C "$KDIR" M="$1" modules >"$1/build.log" 2>&1 || { cat "$1/build.log" >"$OUT"; return 1; }
}

: >"$OUT"

# 1. the command's exit status comes back
if selected exit_status; then
	printf 'int main(void) { return 7; }\n' >"$TMP/exit7.c"
	if ! cc -static -O2 -o "$TMP/exit7" "$TMP/exit7.c" >"$OUT" 2>&1; then
		failt exit_status "cc -static failed"
	else
		vm run --copy "$TMP/exit7:/x" -- /x
		if [ "$RC" -eq 7 ]; then pass exit_status; else failt exit_status "expected exit 7, got $RC"; fi
	fi
fi

# 2. a WARN_ON in the kernel log fails the run with 125 and shows the WARNING
if selected kernel_warning; then
	mkdir -p "$TMP/warnmod"
	cp "$ROOT/tests/warnmod/warnmod.c" "$ROOT/tests/warnmod/Kbuild" "$TMP/warnmod/"
	if ! kmod_build "$TMP/warnmod"; then
		failt kernel_warning "building tests/warnmod failed (KDIR=$KDIR)"
	else
		vm run --copy "$TMP/warnmod/warnmod.ko:/warnmod.ko" -- insmod /warnmod.ko
		if [ "$RC" -ne 125 ]; then
			failt kernel_warning "expected exit 125, got $RC"
		elif ! grep -q 'WARNING:.*warnmod' "$OUT"; then
			failt kernel_warning "exit 125 but no 'WARNING: ... warnmod' line in the output"
		else
			pass kernel_warning
		fi
	fi
fi

# 3. a hung guest is killed: exit 124, well before 60 s
if selected timeout; then
	vm run --timeout 20 -- sleep 1000
	if [ "$RC" -ne 124 ]; then
		failt timeout "expected exit 124, got $RC (after ${SECS}s)"
	elif [ "$SECS" -ge 60 ]; then
		failt timeout "exit 124 but took ${SECS}s"
	else
		pass timeout
	fi
fi

# 4. a module that cannot be unloaded fails the run (stand-in procscope.ko, no exit)
if selected unload_failure; then
	mkdir -p "$TMP/stuck"
	cat >"$TMP/stuck/procscope.c" <<'EOF'
#include <linux/module.h>
static int __init stuck_init(void) { return 0; }
module_init(stuck_init);	/* no module_exit: rmmod must fail */
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vm_meta.sh stand-in: an unremovable procscope.ko");
EOF
	echo 'obj-m := procscope.o' >"$TMP/stuck/Kbuild"
	if ! kmod_build "$TMP/stuck"; then
		failt unload_failure "building the stand-in module failed (KDIR=$KDIR)"
	else
		PROCSCOPE_KO=$TMP/stuck/procscope.ko vm run -- true
		if [ "$RC" -ne 125 ]; then
			failt unload_failure "expected exit 125, got $RC"
		elif ! grep -q 'module did not unload cleanly' "$OUT"; then
			failt unload_failure "exit 125 but no 'module did not unload cleanly' message"
		else
			pass unload_failure
		fi
	fi
fi

# 5. default guest: 5-level paging, disks, PATH, --copy of a directory, exact argv
if selected guest_layout; then
	mkdir -p "$TMP/d/sub"
	echo payload >"$TMP/d/sub/f"
	# shellcheck disable=SC2016 # expanded in the guest
	vm run --copy "$TMP/d" --copy "$TMP/d/sub/f:opt/g" -- sh -c '
		set -e
		grep -qw la57 /proc/cpuinfo || { echo "no la57"; exit 1; }
		procscope status | grep -q "^paging: *5 levels" || { echo "not 5-level"; exit 1; }
		grep -q "^/dev/zram0 " /proc/swaps || { echo "no zram swap"; exit 1; }
		grep -q "^/dev/zram1 /mnt/disk ext4 " /proc/mounts || { echo "no ext4 /mnt/disk"; exit 1; }
		test -d /sys/module/procscope || { echo "procscope not loaded"; exit 1; }
		command -v procscope >/dev/null || { echo "procscope not on PATH"; exit 1; }
		test -d /tests/vm && test -x /tests/vm/run.sh || { echo "no /tests/vm"; exit 1; }
		test "$(cat /d/sub/f)" = payload && test "$(cat /opt/g)" = payload || { echo "copies"; exit 1; }
		test "$1" = "a b'"'"'c" && test "$2" = "" && test $# = 2 || { echo "argv: $*"; exit 1; }
		echo layout-ok' arg0 "a b'c" ""
	if [ "$RC" -eq 0 ] && grep -q layout-ok "$OUT"; then pass guest_layout; else failt guest_layout "exit $RC"; fi
fi

# 6. --no-la57: 4-level paging
if selected no_la57; then
	vm run --no-la57 -- sh -c '! grep -qw la57 /proc/cpuinfo && procscope status | grep -q "^paging: *4 levels"'
	if [ "$RC" -eq 0 ]; then pass no_la57; else failt no_la57 "exit $RC"; fi
fi

# 7. TCG threading: a bad VM_TCG_THREAD is a usage error; the default is
#    multi-threaded TCG, --no-mttcg is single, and the guest runs on its TSC
#    clocksource (tsc=reliable) either way
if selected tcg_modes; then
	# shellcheck disable=SC2016 # expanded in the guest
	tsc_and='grep -qw tsc=reliable /proc/cmdline &&
		[ "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)" = tsc ] &&
		[ "$VM_TCG_THREAD" = '
	VM_TCG_THREAD=bogus vm run -- true
	if [ "$RC" -ne 2 ] || ! grep -q "VM_TCG_THREAD: single or multi" "$OUT"; then
		failt tcg_modes "bad VM_TCG_THREAD: exit $RC"
	else
		vm run -- sh -c "$tsc_and multi ]"
		if [ "$RC" -ne 0 ]; then
			failt tcg_modes "default (multi): exit $RC"
		else
			vm run --no-mttcg -- sh -c "$tsc_and single ]"
			if [ "$RC" -eq 0 ]; then pass tcg_modes; else failt tcg_modes "--no-mttcg: exit $RC"; fi
		fi
	fi
fi

# 8. --kernel: an unknown series is a usage error; the guest runs the kernel
#    asked for (VM_KERNEL) and knows it; a missing QEMU is a usage error
if selected kernel_select; then
	vm run --kernel 5.4 -- true
	if [ "$RC" -ne 2 ] || ! grep -q -- "--kernel: 6.1 or 6.12, not '5.4'" "$OUT"; then
		failt kernel_select "--kernel 5.4: exit $RC"
	else
		VM_QEMU=/nonexistent/qemu vm run -- true
		if [ "$RC" -ne 2 ] || ! grep -q "VM_QEMU: /nonexistent/qemu is not an executable" "$OUT"; then
			failt kernel_select "VM_QEMU=/nonexistent/qemu: exit $RC"
		else
			# shellcheck disable=SC2016 # expanded in the guest
			vm run --kernel "$VM_KERNEL" -- sh -c 'echo "guest: $VM_KERNEL $(uname -r)"'
			if [ "$RC" -eq 0 ] && grep -qx "guest: $VM_KERNEL $ABI" "$OUT"; then
				pass kernel_select
			else
				failt kernel_select "--kernel $VM_KERNEL: exit $RC, expected 'guest: $VM_KERNEL $ABI'"
			fi
		fi
	fi
fi

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
