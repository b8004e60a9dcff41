#!/bin/bash
# Check that DKMS can add and build the module, from a pristine copy of the
# tracked tree, against each VM kernel's headers (6.1: the installed
# linux-headers; 6.12: the tree scripts/deps.sh unpacked, through
# --kernelsourcedir); cleans up after itself.
# Usage: scripts/dkms-check.sh [SERIES...]   (default: every supported kernel)
set -euo pipefail
cd "$(dirname "$0")/.."
ver=$(sed -n '1s/^procscope (\([^)-]*\).*/\1/p' debian/changelog)
src=/usr/src/procscope-$ver
if [ $# -gt 0 ]; then kernels=("$@"); else read -ra kernels <<<"$(scripts/kernel.sh list)"; fi

cleanup() {
	dkms remove "procscope/$ver" --all >/dev/null 2>&1 || true
	rm -rf "$src"
}
trap cleanup EXIT
cleanup
mkdir -p build
scripts/dkms-src.sh "$src" >/dev/null
dkms add "procscope/$ver" >/dev/null
failed=0
for k in "${kernels[@]}"; do
	abi=$(scripts/kernel.sh abi "$k")
	kdir=$(scripts/kernel.sh kdir "$k")
	log=build/dkms-$k.log
	if ! dkms build "procscope/$ver" -k "$abi" --kernelsourcedir "$kdir" >"$log" 2>&1; then
		cat "$log"
		find "/var/lib/dkms/procscope/$ver" -name make.log -exec cat {} + 2>/dev/null || true
		echo "dkms: build FAILED for $k ($abi, headers $kdir)" >&2
		failed=1
		continue
	fi
	echo "dkms: procscope/$ver builds for $k ($abi)"
done
exit "$failed"
