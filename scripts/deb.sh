#!/bin/bash
# Build the Debian packages (procscope, procscope-dkms) into build/deb/ from a
# pristine copy of the tracked tree, then check them with lintian. `make deb`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/build/deb
cd "$ROOT"
for t in dpkg-buildpackage dh dh_dkms lintian; do
	command -v "$t" >/dev/null || {
		echo "deb: $t not found: run ./scripts/deps.sh (debhelper, dh-dkms, lintian)" >&2
		exit 1
	}
done
ver=$(dpkg-parsechangelog -l debian/changelog -SVersion)
rm -rf "$OUT"
mkdir -p "$OUT/src/procscope-$ver"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$OUT/src/procscope-$ver"
(cd "$OUT/src/procscope-$ver" && dpkg-buildpackage -b -us -uc) >"$OUT/build.log" 2>&1 || {
	tail -n 40 "$OUT/build.log" >&2
	echo "deb: dpkg-buildpackage failed (whole log: build/deb/build.log)" >&2
	exit 1
}
mv "$OUT"/src/*.deb "$OUT"/src/*.changes "$OUT"/src/*.buildinfo "$OUT"/
rm -rf "$OUT/src"
# Every tag is an error here: what is accepted is overridden, with a reason,
# in debian/*.lintian-overrides.
lintian --fail-on error,warning,info --display-info "$OUT"/*.changes | tee "$OUT/lintian.log"
ls "$OUT"/*.deb
