#!/bin/bash
# In the Debian system VM (scripts/sysvm): install the .debs (DKMS builds the
# module here), then the checks against real services.  Prints each script's
# `N passed, N failed`, then the total, and exits non-zero if anything failed.
# Usage: bash run.sh [SCRIPT...]   (default: install nginx faults)
set -u
DIR=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- install nginx faults
passed=0
failed=0
for t in "$@"; do
	echo "==== $t"
	t0=$SECONDS
	bash "$DIR/$t.sh" 2>&1 | tee "/tmp/sys-$t.log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E "^$t: [0-9]+ passed, [0-9]+ failed$" "/tmp/sys-$t.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$t: no result line (exit $rc)"
		failed=$((failed + 1))
	else
		p=$(echo "$line" | awk '{ print $2 }')
		f=$(echo "$line" | awk '{ print $4 }')
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || failed=$((failed + 1))
	fi
	echo "==== $t: $((SECONDS - t0)) s"
	# Without the module nothing after install can pass.
	[ "$t" != install ] || [ "$rc" -eq 0 ] || break
done
. /etc/os-release
echo "$PRETTY_NAME ($(uname -r)): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
