#!/bin/sh
# procscope is loaded at boot; `procscope status` (text and --json) must report it.
[ -d /sys/module/procscope ] || fail "/sys/module/procscope missing: module not loaded"
command -v procscope >/dev/null || fail "procscope CLI not on PATH"

text=$(procscope status) || fail "procscope status exited $?: $text"
echo "$text"
json=$(procscope status --json) || fail "procscope status --json exited $?: $json"
echo "$json"

ver=$(json_get module_version "$json") || fail "no module_version in: $json"
[ -n "$ver" ] || fail "empty module_version"
if [ -r /sys/module/procscope/version ]; then
	assert_eq "$ver" "$(cat /sys/module/procscope/version)" "module_version vs /sys/module/procscope/version"
fi
assert_contains "$text" "$ver" "module version in 'procscope status' output"

abi=$(json_get abi_version "$json") || fail "no abi_version"
assert_int "$abi" "abi_version"
json_get hooks "$json" >/dev/null || fail "no hooks"

seen=$(json_get events.seen "$json") || fail "no events.seen"
delivered=$(json_get events.delivered "$json") || fail "no events.delivered"
dropped=$(json_get events.dropped "$json") || fail "no events.dropped"
assert_ge "$seen" 0 "events.seen"
assert_ge "$delivered" 0 "events.delivered"
assert_ge "$dropped" 0 "events.dropped"
assert_le "$delivered" "$seen" "events.delivered <= events.seen"
assert_le "$dropped" "$seen" "events.dropped <= events.seen"
missed=$(json_get events.probes_missed "$json") || fail "no events.probes_missed"
assert_eq "$missed" 0 "return probes missed on a fresh module"
