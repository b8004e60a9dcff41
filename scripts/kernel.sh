#!/bin/bash
# scripts/kernel.sh: where the pieces of each kernel the VM supports are (one place
# for scripts/vm, the Makefile, dkms-check.sh and the tests).
#
# Usage: scripts/kernel.sh list                 the supported series: "6.1 6.12"
#        scripts/kernel.sh default              the series scripts/vm boots by default
#        scripts/kernel.sh abi|kdir|root|ko SERIES
#   abi   the kernel ABI, e.g. 6.12.95+deb12-amd64
#   kdir  the headers tree modules are built against (make -C KDIR M=...)
#   root  the unpacked kernel: boot/vmlinuz-ABI, lib/modules/ABI
#   ko    where `make vm-build` puts procscope.ko built for that kernel
#
# 6.1 is Debian 12's own kernel (headers installed on the host from
# linux-headers-amd64, image in build/kernel); 6.12 is Debian's 6.12 from
# bookworm-backports, image, headers and kbuild unpacked in build/kernel-6.12.
# Both are fetched by scripts/deps.sh. Exit status: 2 for an unknown series,
# 1 if the kernel has not been fetched yet.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUPPORTED=(6.1 6.12)
DEFAULT=6.1

die() { printf 'kernel.sh: %s\n' "$1" >&2; exit "${2:-1}"; }

case ${1:-} in
list) echo "${SUPPORTED[*]}"; exit 0 ;;
default) echo "$DEFAULT"; exit 0 ;;
abi | kdir | root | ko) [ $# -eq 2 ] || die "usage: scripts/kernel.sh $1 SERIES" 2 ;;
*) die "usage: scripts/kernel.sh list|default|abi|kdir|root|ko [SERIES]" 2 ;;
esac
what=$1
series=$2

case $series in
6.1) dir=$ROOT/build/kernel ;;
6.12) dir=$ROOT/build/kernel-6.12 ;;
*) die "unknown kernel '$series' (supported: ${SUPPORTED[*]})" 2 ;;
esac

if [ "$what" = ko ]; then
	echo "$ROOT/build/ko/$series/procscope.ko"
	exit 0
fi
if [ "$what" = root ]; then
	echo "$dir/root"
	exit 0
fi
abi=$(cat "$dir/ABI" 2>/dev/null) || die "kernel $series not fetched yet: run \`make deps\` (scripts/deps.sh)"
case $what in
abi) echo "$abi" ;;
kdir)
	if [ "$series" = 6.1 ]; then
		echo "/usr/src/linux-headers-$abi"
	else
		echo "$dir/root/usr/src/linux-headers-$abi"
	fi
	;;
esac
