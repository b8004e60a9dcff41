#!/bin/bash
# Install the two .debs the way a user does (apt, offline: the image holds dkms,
# the headers of its own kernel and the compiler they need); DKMS builds
# procscope.ko here, against this release's headers with its gcc.  Then
# modprobe and `procscope status`.  A failed DKMS build shows make.log.
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
DEBS=${SYS_DEBS:-/root/deb}
KVER=$(uname -r)

echo "kernel $KVER; $(grep -m1 -o 'gcc[^,]*' /proc/version) built it"
t0=$SECONDS
cd "$DEBS" || abort "no $DEBS"
if DEBIAN_FRONTEND=noninteractive apt-get install -y -o Dpkg::Use-Pty=0 --no-install-recommends ./procscope-dkms_*.deb ./procscope_*.deb; then
	pass "apt install ./procscope-dkms_*.deb ./procscope_*.deb ($((SECONDS - t0)) s, DKMS build included)"
else
	fail "apt install of the .debs"
	for l in /var/lib/dkms/procscope/*/build/make.log /var/lib/dkms/procscope/*/log/make.log; do
		[ -f "$l" ] && { echo "---- $l"; cat "$l"; }
	done
	sys_done
fi
dkms status
if dkms status procscope | grep -q "$KVER.*installed"; then
	pass "dkms status: procscope installed for $KVER"
else
	fail "dkms status: procscope not installed for $KVER"
	cat /var/lib/dkms/procscope/*/build/make.log 2>/dev/null
fi
KO=$(modinfo -n procscope 2>/dev/null)
echo "module file: $KO"
case $KO in
/lib/modules/"$KVER"/updates/dkms/* | /usr/lib/modules/"$KVER"/updates/dkms/*) pass "modinfo: the module is DKMS's ($KO)" ;;
*) fail "modinfo -n procscope: '$KO' is not under /lib/modules/$KVER/updates/dkms" ;;
esac
check_eq "$(modinfo -F vermagic procscope | cut -d' ' -f1)" "$KVER" "vermagic of the DKMS-built module"
# The compiler DKMS used is this release's (trixie: gcc-14, as for its kernel).
grep -h -m1 -o 'CC=[^ ]*\|gcc-[0-9][0-9]*' /var/lib/dkms/procscope/*/build/make.log 2>/dev/null | head -n1 | sed 's/^/make.log compiler: /'
if modprobe procscope; then pass "modprobe procscope"; else fail "modprobe procscope"; dmesg | tail -n 20; sys_done; fi
if procscope status; then pass "procscope status"; else fail "procscope status exited $?"; fi
check_eq "$(procscope --json status | jq -r .abi_version)" "$(procscope --json status | jq -r .tool_abi_version)" "module ABI == tool ABI"
sys_done
