#!/bin/sh
# /init (PID 1) of the procscope test VM; installed into the initramfs by scripts/vm.
# Runs under busybox ash.  Sets the guest up, loads procscope.ko, runs the requested
# command (or an interactive shell), unloads the module, checks the kernel log, then
# reports the result on the status port /dev/ttyS1 and powers off.
#
# Status protocol (ttyS1, read by scripts/vm on the host; never shown on the console):
#   @@PROCSCOPE-VM-PROBLEM=<what>@@   zero or more: setup | unload | kernel-log
#   @@PROCSCOPE-VM-RC=<n>@@           last line: the command's exit status
#                                     (125 if a problem was reported)

PATH=/usr/local/sbin:/usr/local/bin:/progs:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/root
export PATH HOME

CFG=/etc/procscope-vm
STATUS=/dev/ttyS1
PROBLEMS=""

msg() { echo "vm-init: $*"; }
# boot-phase timing, enabled by VM_TRACE=1 on the host
trace() { [ "${VM_TRACE:-0}" = 1 ] && echo "vm-init: [$(cut -d' ' -f1 /proc/uptime)] $*"; }

# Make sure everything written to the console has left the UART: TCSADRAIN in
# busybox stty's tcsetattr waits for the output queue to drain.
drain_console() {
	stty -F /dev/console -ixon 2>/dev/null
}

finish() {
	rc=$1
	[ -n "$PROBLEMS" ] && rc=125
	{
		for p in $PROBLEMS; do echo "@@PROCSCOPE-VM-PROBLEM=$p@@"; done
		echo "@@PROCSCOPE-VM-RC=$rc@@"
	} >"$STATUS" 2>/dev/null || echo "@@PROCSCOPE-VM-RC=$rc@@"
	drain_console
	sync
	echo 0 >/proc/sys/kernel/printk # no "reboot: Power down" on the console
	poweroff -f
	# not reached; keep PID 1 alive in case poweroff fails
	while :; do sleep 3600; done
}

problem() { PROBLEMS="$PROBLEMS $1"; }

fatal() {
	msg "FATAL: $*"
	problem setup
	finish 125
}

# ---------------------------------------------------------------- filesystems
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
hostname procscope-vm
ip link set lo up || fatal "ip link set lo up failed"

# shellcheck source=/dev/null
. "$CFG/base.conf" || fatal "missing $CFG/base.conf"
# shellcheck source=/dev/null
. /vm/run.conf || fatal "missing /vm/run.conf"

trace "config read"

# ---------------------------------------------------------------- paging mode
# cpuinfo's la57 flag is the paging mode in use: the kernel clears it when it
# runs 4-level (scripts/vm's 4-level CPU lacks LA57 altogether).
if grep -qw la57 /proc/cpuinfo; then have_la57=1; else have_la57=0; fi
[ "$have_la57" = "$VM_LA57" ] ||
	fatal "paging: expected la57=$VM_LA57 (1: 5-level, 0: 4-level), cpuinfo says la57=$have_la57"

# ---------------------------------------------------------------- kernel modules
# modules.list: "<path relative to /lib/modules/ABI> [params...]" in load order
while read -r mod params; do
	[ -n "$mod" ] || continue
	# shellcheck disable=SC2086 # params are deliberately word-split
	insmod "/lib/modules/$ABI/$mod" $params || fatal "insmod $mod failed"
done <"$CFG/modules.list"

trace "modules loaded"

# ---------------------------------------------------------------- zram swap + ext4 disk
echo "${VM_SWAP_MB}M" >/sys/block/zram0/disksize || fatal "zram0 disksize"
mkswap /dev/zram0 >/dev/null || fatal "mkswap /dev/zram0"
swapon /dev/zram0 || fatal "swapon /dev/zram0"
grep -q '^/dev/zram0 ' /proc/swaps || fatal "zram0 swap not active"
trace "swap on"

echo "${VM_DISK_MB}M" >/sys/block/zram1/disksize || fatal "zram1 disksize"
/sbin/mke2fs -q -F -t ext4 -b 4096 -m 0 -L vmdisk /dev/zram1 >/tmp/mke2fs.log 2>&1 ||
	{ cat /tmp/mke2fs.log; fatal "mke2fs /dev/zram1"; }
mkdir -p /mnt/disk
mount -t ext4 -o noinit_itable /dev/zram1 /mnt/disk || fatal "mount -t ext4 /dev/zram1 /mnt/disk"
grep -q '^/dev/zram1 /mnt/disk ext4 ' /proc/mounts || fatal "/mnt/disk is not an ext4 mount"

trace "disk mounted"

# ---------------------------------------------------------------- procscope
insmod "$PROCSCOPE_KO" || fatal "insmod $PROCSCOPE_KO failed (see messages above)"
[ -d /sys/module/procscope ] || fatal "procscope.ko loaded but /sys/module/procscope is missing"

trace "procscope loaded"

export PROCSCOPE_VM=1 PROCSCOPE_KO VM_MEM_MB VM_LA57 VM_SWAP_MB VM_DISK_MB VM_KERNEL VM_TCG_THREAD
export TERM="${VM_TERM:-vt100}"

# ---------------------------------------------------------------- post-run checks
# Kernel stacks of processes stuck in D state (or of the PIDs given).
dump_stuck() {
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		[ "$p" = 1 ] && continue
		st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "$d/status" 2>/dev/null)
		[ "$st" = D ] || case " $* " in *" $p "*) ;; *) continue ;; esac
		echo "--- pid $p ($(cat "$d/comm" 2>/dev/null)) state $st, kernel stack:"
		cat "$d/stack" 2>/dev/null
	done
}

# rmmod procscope; retried while the module is busy (leftover processes exiting),
# given up after 2 s of failures or a 30 s hang.
unload_module() {
	tries=0
	while :; do
		rm -f /tmp/rmmod.rc
		(
			rmmod procscope 2>/tmp/rmmod.err
			echo $? >/tmp/rmmod.rc.t && mv /tmp/rmmod.rc.t /tmp/rmmod.rc
		) &
		n=0
		while [ ! -e /tmp/rmmod.rc ] && [ $n -lt 600 ]; do
			n=$((n + 1))
			sleep 0.05
		done
		if [ ! -e /tmp/rmmod.rc ]; then
			msg "FAIL: module did not unload cleanly: rmmod procscope hangs (30 s)"
			dump_stuck "$(pidof rmmod)"
			problem unload
			return
		fi
		[ "$(cat /tmp/rmmod.rc)" = 0 ] && return
		tries=$((tries + 1))
		if [ $tries -ge 20 ]; then
			cat /tmp/rmmod.err
			msg "FAIL: module did not unload cleanly (rmmod procscope failed;" \
				"refcnt $(cat /sys/module/procscope/refcnt 2>/dev/null))"
			dump_stuck
			problem unload
			return
		fi
		sleep 0.1
	done
}

# Kill whatever the command left behind (kill -1 spares PID 1 = us), unload the
# module, then scan the kernel log.
post_checks() {
	kill -KILL -1 2>/dev/null && sleep 0.1
	[ -d /sys/module/procscope ] && unload_module
	dmesg >/tmp/dmesg.txt
	# print each offending line with what follows it, up to the end of its trace
	if awk -v pf="$CFG/kernel-log-patterns" -v igf="$CFG/kernel-log-ignore" '
		BEGIN {
			while ((getline l < pf) > 0) if (l != "") P[np++] = l
			while ((getline l < igf) > 0) if (l != "") I[ni++] = l
		}
		function bad(s,   i) {
			for (i = 0; i < ni; i++) if (s ~ I[i]) return 0
			for (i = 0; i < np; i++) if (s ~ P[i]) return 1
			return 0
		}
		{
			if (bad($0)) { if (!found++) print "vm-init: FAIL: the kernel log shows problems:"; ctx = 60 }
			if (ctx > 0 && printed < 400) {
				print; printed++; ctx--
				if ($0 ~ /---\[ end trace/) ctx = 0
			}
		}
		END { exit found ? 0 : 1 }' /tmp/dmesg.txt; then
		msg "(end of kernel log problems)"
		problem kernel-log
	fi
}

cd / || fatal "cd /"
if [ "$VM_MODE" = shell ]; then
	[ -n "$VM_ROWS" ] && stty -F /dev/console rows "$VM_ROWS" cols "$VM_COLS" 2>/dev/null
	cat <<EOF

  procscope test VM: kernel $(uname -r), procscope.ko loaded, $(nproc) CPUs, ${VM_MEM_MB} MB, la57=$VM_LA57, tcg=$VM_TCG_THREAD
  tool: $(command -v procscope)   module: $PROCSCOPE_KO
  /progs: test programs   /tests/vm: VM test suite (sh /tests/vm/run.sh)
  /mnt/disk: ext4 on zram1   swap: zram0
  'exit' (or Ctrl-D): unload procscope, check the kernel log, power off
  'poweroff -f' or Ctrl-A X: quit at once (no checks)

EOF
	setsid cttyhack sh -l
	rc=$?
else
	# shellcheck source=/dev/null
	. /vm/cmd # sets the positional parameters to the command
	"$@" </dev/null
	rc=$?
fi
trace "command done"
post_checks
trace "checks done"
finish "$rc"
