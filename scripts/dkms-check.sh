#!/bin/bash
# Check that DKMS can add and build the module against installed headers,
# from a pristine copy of the tracked tree; cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
abi=$(cat build/kernel/ABI 2>/dev/null || true)
[ -n "$abi" ] || abi=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | sed -n 's/.*linux-headers-\([^ ,]*\).*/\1/p')
src=/usr/src/procscope-$ver

cleanup() {
	dkms remove "procscope/$ver" --all >/dev/null 2>&1 || true
	rm -rf "$src"
}
trap cleanup EXIT
cleanup
mkdir -p "$src"
git ls-files -z | xargs -0 cp --parents -t "$src"
dkms add "procscope/$ver" >/dev/null
if ! dkms build "procscope/$ver" -k "$abi" > build/dkms.log 2>&1; then
	cat build/dkms.log
	find /var/lib/dkms/procscope -name make.log -exec cat {} + 2>/dev/null || true
	echo "dkms: build FAILED for $abi" >&2
	exit 1
fi
echo "dkms: procscope/$ver builds for $abi"
