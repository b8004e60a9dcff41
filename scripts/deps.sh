#!/bin/bash
# Install everything procscope needs on a Debian 12 host, then fetch and unpack what
# the QEMU test VM boots, all under build/: Debian 12's kernel image whose ABI matches
# the installed linux-headers-amd64 (6.1), and from bookworm-backports Debian's 6.12
# kernel (image, headers, kbuild) and QEMU 10.  The backports packages come through a
# private apt configuration (build/apt/apt.conf: its own sources list, lists and
# cache, an empty dpkg status) with `apt-get download` and `dpkg -x`: the system's apt
# sources stay as they are and no second kernel or QEMU is installed on the host.
# Idempotent: apt is only used for what is missing, and `apt-get update` only when
# apt cannot find a package without it.
#
# Results:
#   build/kernel/ABI          e.g. "6.1.0-56-amd64"  (module KDIR: /usr/src/linux-headers-$ABI)
#   build/kernel/root/        the unpacked linux-image-$ABI package (boot/vmlinuz-$ABI, lib/modules/$ABI)
#   build/kernel-6.12/ABI     e.g. "6.12.95+deb12-amd64"
#   build/kernel-6.12/root/   image, headers and kbuild unpacked together (module KDIR:
#                             root/usr/src/linux-headers-$ABI; scripts/kernel.sh kdir 6.12)
#   build/qemu/root/          QEMU 10 (usr/bin/qemu-system-x86_64, firmware in usr/share/qemu)
#   build/apt/                the private apt configuration, lists and downloaded .debs
#
# DEPS_ARCHIVE_URI overrides the Debian archive URI (default: the one the system's apt
# sources use for bookworm).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KDIR_OUT=$ROOT/build/kernel

# dwarves: pahole, which module builds against 6.12's headers (BTF) run; flex and
# bison: debug kernel builds; qemu-system-x86: the libraries QEMU 10 runs on (and
# the `scripts/vm --system-qemu` fallback).
PACKAGES=(
	build-essential pkg-config
	linux-headers-amd64 linux-source-6.1
	libmnl-dev libelf-dev libkmod-dev
	check sparse dkms valgrind shellcheck
	dwarves flex bison debian-archive-keyring
	qemu-system-x86 busybox-static cpio kmod e2fsprogs xz-utils
	util-linux coreutils
	debhelper dh-dkms lintian dpkg-dev mmdebstrap qemu-utils
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
say "kernel 6.1: ABI $ABI (KDIR=/usr/src/linux-headers-$ABI)"

# --- 5. private apt configuration for bookworm-backports ----------------------
APT_DIR=$ROOT/build/apt
BPO_SUITE=bookworm-backports

# The URI of the first enabled "deb" source serving bookworm, from the system's
# one-line (*.list) and deb822 (*.sources) files: the archive (or mirror) this
# host already uses, so no host name is written here.
archive_uri() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
			awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		{
			types = ""; uris = ""; suites = ""; enabled = "yes"
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^[ \t]*#/ || index($i, ":") == 0) continue
				k = tolower(substr($i, 1, index($i, ":") - 1))
				v = substr($i, index($i, ":") + 1)
				gsub(/^[ \t]+|[ \t]+$/, "", v)
				if (k == "types") types = v
				else if (k == "uris") uris = v
				else if (k == "suites") suites = v
				else if (k == "enabled") enabled = tolower(v)
			}
			if (enabled == "no" || (" " types " ") !~ / deb /) next
			n = split(suites, s, /[ \t]+/)
			for (j = 1; j <= n; j++)
				if (s[j] == "bookworm") { split(uris, u, /[ \t]+/); print u[1]; exit }
		}' "$f"
	done
}

URI=${DEPS_ARCHIVE_URI:-$(archive_uri | head -n1)}
[ -n "$URI" ] || die "no apt source for bookworm in /etc/apt/sources.list{,.d/} (set DEPS_ARCHIVE_URI)"
URI=${URI%/}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$KEYRING" ] || die "$KEYRING missing (package debian-archive-keyring)"

# Write FILE from stdin only if it changed (keeps apt's lists valid across runs).
put() {
	if ! cmp -s - "$1" <<<"$2"; then
		printf '%s\n' "$2" >"$1.tmp"
		mv "$1.tmp" "$1"
	fi
}
mkdir -p "$APT_DIR/etc/sources.list.d" "$APT_DIR/etc/preferences.d" "$APT_DIR/lists/partial" \
	"$APT_DIR/cache/archives/partial" "$APT_DIR/state"
put "$APT_DIR/etc/sources.list" "deb [signed-by=$KEYRING] $URI $BPO_SUITE main"
put "$APT_DIR/apt.conf" "// Generated by scripts/deps.sh: bookworm-backports for apt-get download only.
Dir::Etc::SourceList \"$APT_DIR/etc/sources.list\";
Dir::Etc::SourceParts \"$APT_DIR/etc/sources.list.d\";
Dir::Etc::Preferences \"$APT_DIR/etc/preferences\";
Dir::Etc::PreferencesParts \"$APT_DIR/etc/preferences.d\";
Dir::State \"$APT_DIR/state\";
Dir::State::Lists \"$APT_DIR/lists\";
Dir::State::status \"/dev/null\";
Dir::Cache \"$APT_DIR/cache\";
APT::Architecture \"amd64\";
APT::Architectures { \"amd64\"; };
Acquire::Languages \"none\";"

papt() { APT_CONFIG=$APT_DIR/apt.conf "$@"; }

bpo_updated=0
# `apt-get update` of the private lists, once per run; an archive that cannot be
# reached is one clear error.
bpo_update() {
	local log
	[ "$bpo_updated" -eq 0 ] || return 1
	bpo_updated=1
	say "apt-get update ($BPO_SUITE, private lists in build/apt)"
	log=$(papt apt-get update -q 2>&1) || true
	if printf '%s\n' "$log" | grep -qE '^(E|W): (Failed to fetch|Some index files failed)' ||
		[ -z "$(find "$APT_DIR/lists" -maxdepth 1 -name "*_dists_${BPO_SUITE}_main_binary-amd64_Packages*")" ]; then
		printf '%s\n' "$log" | grep -E '^(E|W|Err):' | head -n 5 >&2
		die "cannot fetch the package lists of $BPO_SUITE from $URI (network or archive unreachable?)"
	fi
}
[ -n "$(find "$APT_DIR/lists" -maxdepth 1 -name "*_dists_${BPO_SUITE}_main_binary-amd64_Packages*")" ] ||
	bpo_update

# download DIR PKG...: the .debs of PKG... (backports versions) into DIR; a
# failure updates the lists once and retries.
download() {
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && papt apt-get download -q "$@" >/dev/null 2>"$dir/.err") && return 0
	bpo_update || true
	(cd "$dir" && papt apt-get download -q "$@" >/dev/null 2>"$dir/.err") && return 0
	cat "$dir/.err" >&2
	die "apt-get download $* failed"
}

# newest NAME-REGEX: the newest package of the private lists whose name matches.
newest() {
	local n
	n=$(papt apt-cache search --names-only "$1" | awk '{ print $1 }' | sort -V | tail -n1)
	if [ -z "$n" ] && bpo_update; then
		n=$(papt apt-cache search --names-only "$1" | awk '{ print $1 }' | sort -V | tail -n1)
	fi
	printf '%s\n' "$n"
}

# unpack DIR DEB...: dpkg -x every DEB into DIR (replaced whole).
unpack() {
	local dir=$1 d
	shift
	rm -rf "$dir.tmp" "$dir"
	mkdir -p "$dir.tmp"
	for d; do dpkg-deb -x "$d" "$dir.tmp" || die "dpkg-deb -x $d failed"; done
	mv "$dir.tmp" "$dir"
}


# fetch_debs DIR VERSION-GLOB PKG...: the .deb of each PKG in DIR
# (PKG_VERSION-GLOB.deb), downloaded when missing or unreadable; their paths
# in the array debs.
fetch_debs() {
	local dir=$1 ver=$2 p d
	shift 2
	debs=()
	mkdir -p "$dir"
	for p in "$@"; do
		d=$(find "$dir" -maxdepth 1 -name "${p}_${ver}.deb" | head -n1)
		if [ -z "$d" ] || ! dpkg-deb --info "$d" >/dev/null 2>&1; then
			say "downloading $p"
			rm -f "$dir/${p}"_*.deb
			download "$dir" "$p"
			d=$(find "$dir" -maxdepth 1 -name "${p}_*.deb" | head -n1)
			[ -n "$d" ] || die "apt-get download left no ${p}_*.deb"
		fi
		debs+=("$d")
	done
}
# --- 6. Debian's 6.12 kernel (bookworm-backports) -------------------------------
K12=$ROOT/build/kernel-6.12
k12_ok() { # ABI: is the unpacked tree complete?
	local r=$K12/root
	[ -f "$r/boot/vmlinuz-$1" ] && [ -f "$r/lib/modules/$1/modules.order" ] &&
		[ -f "$r/usr/src/linux-headers-$1/Module.symvers" ] &&
		[ -f "$r/usr/src/linux-headers-${1%-amd64}-common/Makefile" ] &&
		[ -e "$r/usr/src/linux-headers-$1/scripts/mod/modpost" ]
}
ABI12=$(cat "$K12/ABI" 2>/dev/null || true)
if [ -n "$ABI12" ] && k12_ok "$ABI12"; then
	say "kernel 6.12 $ABI12 already unpacked in build/kernel-6.12/root"
else
	img=$(newest '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$')
	[ -n "$img" ] || die "no linux-image-6.12.*+deb12-amd64-unsigned in $BPO_SUITE"
	ABI12=${img#linux-image-}
	ABI12=${ABI12%-unsigned}
	kv=${ABI12%-amd64}
	pkgs=("$img" "linux-headers-$ABI12" "linux-headers-$kv-common" "linux-kbuild-$kv")
	fetch_debs "$K12/debs" '*' "${pkgs[@]}"
	say "unpacking ${pkgs[*]}"
	unpack "$K12/root" "${debs[@]}"
	k12_ok "$ABI12" || die "the unpacked 6.12 packages lack files (build/kernel-6.12/root)"
	printf '%s\n' "$ABI12" >"$K12/ABI"
fi
# The headers' Makefile is one line including the common directory by its
# installed path; point it at the unpacked copy (again, if the clone moved).
H12=$K12/root/usr/src/linux-headers-$ABI12
put "$H12/Makefile" "include $K12/root/usr/src/linux-headers-${ABI12%-amd64}-common/Makefile"
say "kernel 6.12: ABI $ABI12 (KDIR=build/kernel-6.12/root/usr/src/linux-headers-$ABI12)"

# --- 7. QEMU 10 (bookworm-backports) --------------------------------------------
# Multi-threaded TCG of Debian 12's QEMU 7.2 runs stale translations of kernel
# text the guest patches; QEMU 10 does not (docs/design.md, "Build and test").
QD=$ROOT/build/qemu
QEMU_PKGS=(qemu-system-x86 qemu-system-common qemu-system-data seabios)
QBIN=$QD/root/usr/bin/qemu-system-x86_64
if [ -x "$QBIN" ] && [ -f "$QD/VERSION" ]; then
	say "QEMU $(cat "$QD/VERSION") already unpacked in build/qemu/root"
else
	fetch_debs "$QD/debs" '*~bpo12*' "${QEMU_PKGS[@]}"
	say "unpacking ${QEMU_PKGS[*]}"
	unpack "$QD/root" "${debs[@]}"
	[ -x "$QBIN" ] || die "no usr/bin/qemu-system-x86_64 in the unpacked QEMU packages"
	# Firmware links point at the installed paths (/usr/share/seabios/...):
	# re-point absolute links into the unpacked tree, so -L finds this seabios.
	while IFS= read -r l; do
		t=$(readlink "$l")
		case $t in /*) ln -sfn "$QD/root$t" "$l" ;; esac
	done < <(find "$QD/root/usr/share" -type l)
	nolibs=$(ldd "$QBIN" 2>/dev/null | sed -n 's/^[[:space:]]*\([^ ]*\) => not found.*/\1/p' | tr '\n' ' ')
	[ -z "$nolibs" ] || die "QEMU 10 needs libraries this host lacks: $nolibs"
	v=$("$QBIN" --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
	[ -n "$v" ] || die "the unpacked qemu-system-x86_64 does not run"
	printf '%s\n' "$v" >"$QD/VERSION"
fi
say "QEMU $(cat "$QD/VERSION"): build/qemu/root/usr/bin/qemu-system-x86_64 (-L build/qemu/root/usr/share/qemu)"
