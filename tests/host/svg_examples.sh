#!/bin/sh
# Draw both pictures of a real process in the test VM, stream them out over
# the VM's stdout and check them on the host with a real XML parser
# (xmllint --noout, package libxml2-utils). With --update, also store them
# as the examples docs/ shows (docs/img/pt-tree.svg, docs/img/maps.svg).
#
#   tests/host/svg_examples.sh [--update] [--no-la57]
#
# The process is lab 1's lab_pt after all its stages: 4 KiB pages, huge
# pages and (5-level paging) a mapping above 128 TiB. Needs `make vm-build`.
set -eu
cd "$(dirname "$0")/../.."
update=0
vmopt=--la57
for a; do
	case $a in
	--update) update=1 ;;
	--no-la57) vmopt=--no-la57 ;;
	*) echo "usage: $0 [--update] [--no-la57]" >&2; exit 2 ;;
	esac
done
command -v xmllint > /dev/null || { echo "xmllint missing: apt-get install libxml2-utils" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# In the guest: run lab_pt through its stages, then print both pictures
# between marker lines (nothing else goes to stdout).
# shellcheck disable=SC2016
./scripts/vm run $vmopt --timeout 300 -- sh -c '
	lab_pt > /tmp/lab.out &
	P=$!
	for s in 0 1 2 3 4; do
		until grep -q "runs stage $s\$" /tmp/lab.out; do sleep 0.1; done
		kill -USR1 $P
	done
	until grep -q "runs stage 5\$" /tmp/lab.out; do sleep 0.1; done
	echo "=== pt.svg"
	procscope pt $P --svg - 2>/dev/null || exit 1
	echo "=== maps.svg"
	procscope maps $P --svg - 2>/dev/null || exit 1
	echo "=== end"
	kill $P' > "$out/vm.out"

awk -v d="$out" '/^=== / { f = ($2 == "end") ? "" : d "/" $2; next } f { print > f }' "$out/vm.out"
for f in pt.svg maps.svg; do
	[ -s "$out/$f" ] || { echo "FAIL: $f missing from the VM output" >&2; exit 1; }
	xmllint --noout "$out/$f" || { echo "FAIL: $f is not well-formed XML" >&2; exit 1; }
	echo "ok: $f ($(wc -c < "$out/$f") bytes) is well-formed XML"
done
if [ $update = 1 ]; then
	mkdir -p docs/img
	cp "$out/pt.svg" docs/img/pt-tree.svg
	cp "$out/maps.svg" docs/img/maps.svg
	echo "updated docs/img/pt-tree.svg docs/img/maps.svg"
fi
