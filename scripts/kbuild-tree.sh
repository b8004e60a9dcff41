#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the module against a kernel build tree other than the VM's, out of the
# source tree: module/ and the top Kbuild are copied to OUT/procscope, so
# module/'s own objects stay those of the VM kernels.  With PROCSCOPE_KUNIT=1
# in MAKE-ARGS, procscope_kunit.ko too when the kernel has KUnit (module/Kbuild).
# Used by scripts/test-debug.sh and scripts/kunit.sh.
#
# Usage: scripts/kbuild-tree.sh KDIR OUT [MAKE-ARGS...]
# Prints nothing on success; the modules are in OUT/procscope/module/.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: scripts/kbuild-tree.sh KDIR OUT [MAKE-ARGS...]" >&2; exit 2; }
KDIR=$1
SRC=$2/procscope
shift 2
cd "$(dirname "$0")/.."
rm -rf "$SRC"
mkdir -p "$SRC"
cp Kbuild "$SRC/"
(find module -name '*.[ch]' ! -name '*.mod.c' -o -name Kbuild -o -name Makefile) |
	cpio --quiet -pdm "$SRC"
nice -n 10 make -s -C "$KDIR" M="$SRC" "$@" modules
