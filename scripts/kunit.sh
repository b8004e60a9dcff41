#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make kunit: the KUnit tests of procscope's pure helpers (module/tests/),
# in the VM.  Debian's kernels have no CONFIG_KUNIT, so they run on a cached
# debug kernel that has it (scripts/debug-kernel.sh; KUNIT_KERNEL=ENTRY picks
# one); without such a kernel this says so, and how to build one, and exits 0.
set -euo pipefail

usage() {
	cat <<'EOF2'
Usage: scripts/kunit.sh [--series 6.1|6.12] [--timeout SEC]

1. finds a debug kernel with CONFIG_KUNIT: $KUNIT_KERNEL, else the entry
   scripts/debug-kernel.sh --path-only names, else the newest cached entry of
   the series that has it (${PROCSCOPE_CACHE:-/var/cache/procscope}/debug-kernel/);
   none: "kunit: SKIP ..." and exit status 0;
2. builds procscope.ko and procscope_kunit.ko against its build tree, in
   build/kunit-SERIES/;
3. boots it (scripts/vm) and runs tests/kunit/run.sh: one line per test
   case and "kunit: N passed, N failed"; exit status 0 iff none failed.
EOF2
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SERIES=${DEBUG_SERIES:-6.1}
TIMEOUT=1800
while [ $# -gt 0 ]; do
	case $1 in
	--series) SERIES=${2:?}; shift 2 ;;
	--timeout) TIMEOUT=${2:?}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

say() { printf 'kunit: %s\n' "$*" >&2; }
has_kunit() { grep -qE '^CONFIG_KUNIT=(y|m)$' "$1/build/.config" 2>/dev/null; }

# ---- 1. a kernel with KUnit
ENTRY=${KUNIT_KERNEL:-}
if [ -z "$ENTRY" ]; then
	e=$(scripts/debug-kernel.sh --series "$SERIES" --path-only 2>/dev/null) &&
		has_kunit "$e" && ENTRY=$e
fi
if [ -z "$ENTRY" ]; then
	for e in "${PROCSCOPE_CACHE:-/var/cache/procscope}/debug-kernel/$SERIES"-*/; do
		e=${e%/}
		if ! has_kunit "$e" || [ ! -f "$e/kernelrelease" ]; then
			continue
		fi
		[ -n "$ENTRY" ] && [ ! "$e" -nt "$ENTRY" ] && continue
		ENTRY=$e
	done
fi
if [ -z "$ENTRY" ]; then
	echo "kunit: SKIP: no cached $SERIES debug kernel with CONFIG_KUNIT; build one with" \
		"\`make debug-kernel DEBUG_SERIES=$SERIES\` (hours), then run \`make kunit\`"
	exit 0
fi
has_kunit "$ENTRY" || { say "$ENTRY has no CONFIG_KUNIT"; exit 1; }
say "kernel $(cat "$ENTRY/kernelrelease") from $ENTRY"

# ---- 2. the modules, out of the source tree
OUT=$ROOT/build/kunit-$SERIES
SRC=$OUT/procscope
scripts/kbuild-tree.sh "$ENTRY/build" "$OUT" PROCSCOPE_KUNIT=1
KO=$SRC/module/procscope.ko
KUNIT_KO=$SRC/module/procscope_kunit.ko
[ -f "$KUNIT_KO" ] || { say "procscope_kunit.ko was not built (module/Kbuild)"; exit 1; }
nice -n 10 make -s userspace

# ---- 3. the run
LOG=$OUT/console.log
set +e
VM_KERNEL_ROOT=$ENTRY PROCSCOPE_KO=$KO \
	scripts/vm run --timeout "$TIMEOUT" --mem 2048 \
	--copy tests/kunit:/tests/kunit --copy "$KUNIT_KO:/procscope_kunit.ko" \
	-- sh /tests/kunit/run.sh /procscope_kunit.ko 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -eq 0 ] && ! grep -q '^kunit: [0-9]* passed, 0 failed$' "$LOG"; then
	rc=1
fi
exit "$rc"
