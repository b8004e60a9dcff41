#!/bin/bash
# scripts/kbuild.sh: build procscope.ko for one supported VM kernel, out of the
# source tree.  Kbuild writes its objects beside the sources, so two kernels built
# in module/ would overwrite each other's: each kernel ABI gets its own copy of
# module/ in build/kbuild/ABI/ (only changed files are copied, with their times, so
# rebuilds stay incremental), and the module lands in build/ko/SERIES/procscope.ko.
#
# Usage: scripts/kbuild.sh SERIES          build; prints the .ko path last
#        scripts/kbuild.sh --lint SERIES   a from-scratch W=1 C=1 (sparse) build in
#                                          build/kbuild/ABI.lint; kbuild's output only
# SERIES: see scripts/kernel.sh list.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lint=0
if [ "${1:-}" = --lint ]; then
	lint=1
	shift
fi
[ $# -eq 1 ] || { echo "usage: scripts/kbuild.sh [--lint] SERIES" >&2; exit 2; }
series=$1
abi=$("$ROOT/scripts/kernel.sh" abi "$series")
kdir=$("$ROOT/scripts/kernel.sh" kdir "$series")
[ -f "$kdir/Makefile" ] || { echo "kbuild.sh: no headers at $kdir: run \`make deps\`" >&2; exit 1; }

dst=$ROOT/build/kbuild/$abi
[ "$lint" -eq 0 ] || dst=$dst.lint
src=$ROOT/module
mkdir -p "$dst"
[ "$lint" -eq 0 ] || find "$dst" -mindepth 1 -delete

# Sources: C files and headers (not kbuild's generated *.mod.c), Kbuild, Makefile.
sources() {
	find . -type f \( \( -name '*.[ch]' ! -name '*.mod.c' \) -o -name Kbuild -o -name Makefile \) \
		-printf '%P\n' | LC_ALL=C sort
}
# A file module/ no longer has must not linger in the copy.
while IFS= read -r f; do
	[ -e "$src/$f" ] || rm -f "$dst/$f"
done < <(cd "$dst" && sources)
while IFS= read -r f; do
	if [ ! "$dst/$f" -nt "$src/$f" ] && [ ! "$dst/$f" -ot "$src/$f" ] && cmp -s "$src/$f" "$dst/$f"; then
		continue
	fi
	mkdir -p "$dst/$(dirname "$f")"
	cp -p "$src/$f" "$dst/$f"
done < <(cd "$src" && sources)

if [ "$lint" -eq 1 ]; then
	exec make -C "$kdir" M="$dst" W=1 C=1 modules
fi
make -s -C "$kdir" M="$dst" modules
out=$("$ROOT/scripts/kernel.sh" ko "$series")
mkdir -p "$(dirname "$out")"
if ! cmp -s "$dst/procscope.ko" "$out"; then
	cp "$dst/procscope.ko" "$out.tmp"
	mv "$out.tmp" "$out"
fi
echo "$out"
