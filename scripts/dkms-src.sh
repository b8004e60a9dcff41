#!/bin/bash
# Lay out the module's DKMS source tree in DEST (/usr/src/procscope-VERSION):
# Kbuild, module/ and a dkms.conf made from debian/procscope-dkms.dkms, the one
# DKMS configuration (the package's dh_dkms fills in the same version).
# Usage: scripts/dkms-src.sh [DEST]   prints the version; DEST defaults to
#        /usr/src/procscope-VERSION.
set -euo pipefail
cd "$(dirname "$0")/.."
ver=$(sed -n '1s/^procscope (\([^)-]*\).*/\1/p' debian/changelog)
[ -n "$ver" ] || { echo "dkms-src: no version in debian/changelog" >&2; exit 1; }
dest=${1:-/usr/src/procscope-$ver}
rm -rf "$dest"
mkdir -p "$dest"
git ls-files -z Kbuild module | xargs -0 cp --parents -t "$dest"
sed "s/#MODULE_VERSION#/$ver/" debian/procscope-dkms.dkms >"$dest/dkms.conf"
echo "$ver"
