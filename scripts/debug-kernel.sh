#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) a debug kernel from Debian's kernel source package and print
# the path of its cache entry.  See docs/debug-kernel.md.
set -Eeuo pipefail

usage() {
	cat <<'EOF'
Usage: scripts/debug-kernel.sh [--series 6.1|6.12] [--path-only | --config-only]

Builds a kernel with KASAN, lockdep/PROVE_RCU, DEBUG_OBJECTS, kmemleak, UBSAN,
DEBUG_VM, ... from Debian's linux-source-SERIES package (6.1: the installed
/usr/src/linux-source-6.1.tar.xz, else fetched; 6.12: fetched from
bookworm-backports through the private apt configuration), configured as
x86_64_defconfig + kvm_guest.config + scripts/debug-kernel/debug.config
(+ debug-SERIES.config, if there is one).

The result is cached outside the clone, in
  ${PROCSCOPE_CACHE:-/var/cache/procscope}/debug-kernel/SERIES-SRCVERSION-FRAGHASH/
    boot/vmlinuz-REL     the kernel (VM_KERNEL_ROOT=<entry> for scripts/vm)
    lib/modules/REL/     modules_install (base modules are built in)
    build/               the kernel build tree: KDIR for external modules
                         (Module.symvers, .config, vmlinux, scripts/faddr2line)
    kernel.config        the final .config;  build.log
    build-seconds, build-cpu-seconds, build-objects: what the build cost
and reused while the source version and the fragment are unchanged.  The
entry appears only when the build has finished (it is built under a
temporary name and renamed), so an interrupted build leaves no entry that
looks complete.  Prints the entry's path on stdout (all else goes to stderr).

  --series S   6.1 (default) or 6.12
  --path-only  print the entry's path without building (exit 1 if absent)
  --config-only  fetch and configure only, check the fragment, print where
               the resulting .config is (for editing the fragment); no entry

Environment: PROCSCOPE_CACHE, PROCSCOPE_APT_CONFIG (private apt configuration;
default build/apt/apt.conf), DEBUG_KERNEL_JOBS (default 2),
DEBUG_KERNEL_NICE (default 19; beside other jobs at nice 10 a build at 19
gets a small fraction of the CPU).
EOF
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FRAGDIR=$ROOT/scripts/debug-kernel
SERIES=6.1
PATH_ONLY=0
CONFIG_ONLY=0
while [ $# -gt 0 ]; do
	case $1 in
	--series) SERIES=${2:?--series needs a value}; shift 2 ;;
	--series=*) SERIES=${1#*=}; shift ;;
	--path-only) PATH_ONLY=1; shift ;;
	--config-only) CONFIG_ONLY=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
case $SERIES in
6.1|6.12) ;;
*) echo "debug-kernel: unknown series '$SERIES' (6.1 or 6.12)" >&2; exit 2 ;;
esac

CACHE=${PROCSCOPE_CACHE:-/var/cache/procscope}/debug-kernel
JOBS=${DEBUG_KERNEL_JOBS:-2}
NICE=${DEBUG_KERNEL_NICE:-19}
PKG=linux-source-$SERIES
# The common fragment, then what only this series needs or cannot do.
FRAGMENTS=("$FRAGDIR/debug.config")
[ ! -e "$FRAGDIR/debug-$SERIES.config" ] || FRAGMENTS+=("$FRAGDIR/debug-$SERIES.config")

log() { printf 'debug-kernel: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The private apt configuration that reaches bookworm-backports without
# touching the system's sources (scripts/deps.sh writes build/apt/apt.conf).
apt_config() {
	local c
	for c in "${PROCSCOPE_APT_CONFIG:-}" "$ROOT/build/apt/apt.conf" \
		 /work/main/build/apt/apt.conf; do
		if [ -n "$c" ] && [ -e "$c" ]; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

# Which version of the source package we would build, and from where.
# 6.1: the installed package if there is one; 6.12: bookworm-backports.
source_version() {
	local conf
	if [ "$SERIES" = 6.1 ] &&
	   dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed' &&
	   [ -e "/usr/src/$PKG.tar.xz" ]; then
		dpkg-query -W -f='${Version}' "$PKG"
		return 0
	fi
	if [ "$SERIES" = 6.1 ]; then
		# bookworm's own package: the system's apt sources have it
		apt-cache madison "$PKG" 2>/dev/null | awk -F' *\\| *' '{ print $2; exit }'
		return 0
	fi
	conf=$(apt_config) || die "no private apt configuration (run scripts/deps.sh)"
	APT_CONFIG=$conf apt-cache madison "$PKG" 2>/dev/null |
		awk -F' *\\| *' -v s="$SERIES" '
			s == "6.12" && $3 ~ /bookworm-backports/ { print $2; exit }
			s != "6.12" && $3 ~ /bookworm/ { print $2; exit }'
}

# Put the source tarball at $2 (the .deb is fetched into $1 and unpacked there).
fetch_source_tarball() {
	local dir=$1 out=$2 conf deb
	if [ "$SERIES" = 6.1 ] && [ -e "/usr/src/$PKG.tar.xz" ] &&
	   [ "$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null)" = "$SRCVER" ]; then
		ln -sf "/usr/src/$PKG.tar.xz" "$out"
		return 0
	fi
	if [ "$SERIES" = 6.1 ]; then
		conf=/dev/null # the system's own configuration
	else
		conf=$(apt_config) || die "no private apt configuration (run scripts/deps.sh)"
	fi
	mkdir -p "$dir"
	log "fetching $PKG=$SRCVER"
	(cd "$dir" && if [ "$conf" = /dev/null ]; then apt-get download -q "$PKG=$SRCVER"
		else APT_CONFIG=$conf apt-get download -q "$PKG=$SRCVER"; fi >&2) ||
		die "apt-get download $PKG=$SRCVER failed"
	deb=$(find "$dir" -maxdepth 1 -name "${PKG}_*.deb" | head -n1)
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$PKG.tar.xz" >"$out"
	rm -f "$deb"
}

need_tools() {
	local missing=() t
	for t in flex bison bc make gcc perl; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	[ -e /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
	[ -e /usr/include/libelf.h ] || missing+=(libelf-dev)
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
			die "could not install ${missing[*]}"
	fi
}

# Every line of the fragments must be in the final .config: an option that
# olddefconfig drops (a missing dependency, a renamed symbol) is an error,
# not a silently weaker kernel.
verify_config() {
	local config=$1 line sym bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$config" && continue
			sym=${line%%=*}
			log "config: wanted $line, got: $(grep -E "^(# )?${sym}[= ]" "$config" || echo 'absent')"
			bad=1 ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			grep -q "^$sym=" "$config" || continue
			log "config: wanted $sym off, got: $(grep "^$sym=" "$config")"
			bad=1 ;;
		esac
	done < <(cat "${FRAGMENTS[@]}")
	return $bad
}

# The key: the source package's version and everything that decides the
# config (the fragment and the base configs named here).
SRCVER=$(source_version) || true
[ -n "$SRCVER" ] || die "no version of $PKG found"
HASH=$( { echo "x86_64_defconfig kvm_guest.config"; cat "${FRAGMENTS[@]}"; } |
	sha256sum | cut -c1-12)
KEY=$SERIES-$(echo "$SRCVER" | tr -c 'A-Za-z0-9.+~\n-' '_')-$HASH
ENTRY=$CACHE/$KEY

if [ -e "$ENTRY/boot" ] && [ $CONFIG_ONLY = 0 ]; then
	echo "$ENTRY"
	exit 0
fi
if [ $PATH_ONLY = 1 ]; then
	log "no cache entry $ENTRY (build it: scripts/debug-kernel.sh --series $SERIES)"
	exit 1
fi

mkdir -p "$CACHE"
# One build per key at a time; a second caller waits and then reuses it.
exec 9>"$CACHE/.lock-$KEY"
if ! flock -n 9; then
	log "another build of $KEY is running; waiting for it"
	flock 9
fi
if [ -e "$ENTRY/boot" ] && [ $CONFIG_ONLY = 0 ]; then
	echo "$ENTRY"
	exit 0
fi
# Leftovers of interrupted builds of this key (we hold its lock).
rm -rf "$CACHE/.tmp-$KEY".*

need_tools
TMP=$CACHE/.tmp-$KEY.$$
mkdir -p "$TMP"
BLOG=$TMP/build.log
log "building $KEY in $TMP (log: $BLOG)"
start=$(date +%s)

fetch_source_tarball "$TMP/src" "$TMP/source.tar.xz"
tar -xJf "$TMP/source.tar.xz" -C "$TMP"
rm -f "$TMP/source.tar.xz"
rm -rf "$TMP/src"
mv "$TMP/$PKG" "$TMP/build"
B=$TMP/build

kmake() { nice -n "$NICE" make -C "$B" "$@" >>"$BLOG" 2>&1; }
on_fail() { log "failed; last lines of $BLOG:"; tail -n 40 "$BLOG" >&2 || true; }
trap on_fail ERR

kmake x86_64_defconfig
kmake kvm_guest.config
(cd "$B" && ./scripts/kconfig/merge_config.sh -m .config "${FRAGMENTS[@]}") >>"$BLOG" 2>&1
kmake olddefconfig
verify_config "$B/.config" || die "the fragment did not survive olddefconfig (see above)"
cp "$B/.config" "$TMP/kernel.config"
if [ $CONFIG_ONLY = 1 ]; then
	trap - ERR
	mkdir -p "$CACHE/config-only"
	cp "$B/.config" "$CACHE/config-only/$KEY.config"
	rm -rf "$TMP"
	log "config ok: every fragment line is set"
	echo "$CACHE/config-only/$KEY.config"
	exit 0
fi
log "config ok; compiling (nice -n $NICE make -j$JOBS)"

kmake -j"$JOBS" bzImage modules
REL=$(make -s -C "$B" kernelrelease)
mkdir -p "$TMP/boot"
cp "$B/arch/x86/boot/bzImage" "$TMP/boot/vmlinuz-$REL"
kmake modules_install INSTALL_MOD_PATH="$TMP" DEPMOD=/sbin/depmod
# modules_install links build/source to where the tree was built; point them
# at where it will be.
rm -f "$TMP/lib/modules/$REL/build" "$TMP/lib/modules/$REL/source"
ln -s ../../../build "$TMP/lib/modules/$REL/build"
echo "$REL" >"$TMP/kernelrelease"
echo "$SRCVER" >"$TMP/source-version"
cat "${FRAGMENTS[@]}" >"$TMP/debug.config"
trap - ERR
end=$(date +%s)
# The wall-clock time depends on what else the machine runs; the CPU time
# of the compilers (user + sys of every child, all waited for by now) does
# not, so it is what compares two configs. On N idle cores (-jN) the build
# takes a little more than cpu / N (the links are serial).
times >"$TMP/times" # not in a pipe: a subshell has no children of its own
cpu=$(awk 'NR == 2 {
	n = 0
	for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] }
	printf "%.0f", n }' "$TMP/times")
rm -f "$TMP/times"
log "built $REL in $((end - start)) s ($cpu s of CPU)"
echo "$((end - start))" >"$TMP/build-seconds"
echo "$cpu" >"$TMP/build-cpu-seconds"
grep -c '^  CC ' "$BLOG" >"$TMP/build-objects" || true
mv -T "$TMP" "$ENTRY"
echo "$ENTRY"
