#!/bin/bash
# Install everything procscope needs on a Debian 12 host, then fetch and unpack the
# Debian kernel image whose ABI matches the installed linux-headers-amd64 (for the
# QEMU test VM).  Idempotent: apt is only used for what is missing, and
# `apt-get update` only when apt cannot find a package without it.
#
# Results:
#   build/kernel/ABI    e.g. "6.1.0-56-amd64"  (module KDIR: /usr/src/linux-headers-$ABI)
#   build/kernel/root/  the unpacked linux-image-$ABI package (boot/vmlinuz-$ABI, lib/modules/$ABI)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KDIR_OUT=$ROOT/build/kernel

PACKAGES=(
	build-essential pkg-config
	linux-headers-amd64 linux-source-6.1
	libmnl-dev libelf-dev libkmod-dev
	check sparse dkms valgrind shellcheck
	qemu-system-x86 busybox-static cpio kmod e2fsprogs xz-utils
	util-linux coreutils
	libxml2-utils groff-base man-db
)

say() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || die "not root and sudo is not available"
	SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

apt_updated=0
apt_update() {
	[ "$apt_updated" -eq 1 ] && return 1
	say "apt-get update"
	"${SUDO[@]}" apt-get update -qq >/dev/null || die "apt-get update failed"
	apt_updated=1
}

# Run an apt command quietly; on failure run `apt-get update` once and retry.
# Shows apt's output only if the retry fails too.
apt_retry() {
	local log
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then rm -f "$log"; return 0; fi
	if apt_update && "$@" >"$log" 2>&1; then rm -f "$log"; return 0; fi
	cat "$log" >&2
	rm -f "$log"
	return 1
}

# --- 1. Debian packages ------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	say "all ${#PACKAGES[@]} packages present"
else
	say "installing: ${missing[*]}"
	apt_retry "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		|| die "apt-get install failed"
fi

# --- 2. kernel ABI -------------------------------------------------------------
depends=$(dpkg-query -W -f='${Depends}' linux-headers-amd64)
ABI=$(printf '%s\n' "$depends" | tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n1)
[ -n "$ABI" ] || die "cannot derive kernel ABI from linux-headers-amd64 Depends: '$depends'"
[ -d "/usr/src/linux-headers-$ABI" ] || die "/usr/src/linux-headers-$ABI missing"

# --- 3. matching linux-image, unpacked ------------------------------------------
mkdir -p "$KDIR_OUT"
# modules.order and one module we load: a tree something pruned is unpacked again
if [ -f "$KDIR_OUT/root/boot/vmlinuz-$ABI" ] && [ -f "$KDIR_OUT/root/lib/modules/$ABI/modules.order" ] &&
	[ -n "$(find "$KDIR_OUT/root/lib/modules/$ABI/kernel/mm" -name 'zsmalloc.ko*' 2>/dev/null)" ]; then
	say "kernel $ABI already unpacked in build/kernel/root"
else
	pkg=linux-image-$ABI
	deb=$(find "$KDIR_OUT" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
	if [ -z "$deb" ] || ! dpkg-deb --info "$deb" >/dev/null 2>&1; then
		say "downloading $pkg"
		rm -f "$KDIR_OUT/${pkg}"_*.deb
		(cd "$KDIR_OUT" && apt_retry apt-get download -q "$pkg") || die "apt-get download $pkg failed"
		deb=$(find "$KDIR_OUT" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
		[ -n "$deb" ] || die "apt-get download left no ${pkg}_*.deb"
	fi
	say "unpacking $(basename "$deb")"
	rm -rf "$KDIR_OUT/root.tmp" "$KDIR_OUT/root"
	dpkg-deb -x "$deb" "$KDIR_OUT/root.tmp"
	[ -f "$KDIR_OUT/root.tmp/boot/vmlinuz-$ABI" ] || die "$deb has no boot/vmlinuz-$ABI"
	mv "$KDIR_OUT/root.tmp" "$KDIR_OUT/root"
fi
# --- 4. checkpatch.pl (make lint) from Debian's linux-source tarball ----------
CP_OUT=$ROOT/build/linux-source
if [ -f "$CP_OUT/scripts/checkpatch.pl" ]; then
	say "checkpatch.pl already in build/linux-source"
else
	src_tar=$(find /usr/src -maxdepth 1 -name 'linux-source-*.tar.xz' | sort | tail -n1)
	[ -n "$src_tar" ] || die "no /usr/src/linux-source-*.tar.xz (package linux-source-6.1)"
	top=$(basename "$src_tar" .tar.xz)
	say "extracting checkpatch.pl from $(basename "$src_tar")"
	rm -rf "$CP_OUT.tmp" && mkdir -p "$CP_OUT.tmp"
	tar -xJf "$src_tar" -C "$CP_OUT.tmp" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" ||
		die "cannot extract checkpatch.pl from $src_tar"
	rm -rf "$CP_OUT" && mv "$CP_OUT.tmp" "$CP_OUT"
fi

printf '%s\n' "$ABI" >"$KDIR_OUT/ABI.tmp"
mv "$KDIR_OUT/ABI.tmp" "$KDIR_OUT/ABI"
say "kernel ABI $ABI (KDIR=/usr/src/linux-headers-$ABI)"
