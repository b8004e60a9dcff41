# shellcheck shell=sh
# Helpers for the in-guest VM tests (busybox ash; no bash-isms, no jq).
#
# tests/vm/run.sh sources this file before each t_*.sh test, so tests can call the
# helpers directly.  A test run on its own can source it first:
#     . "$(dirname "$0")/lib.sh"
#
# Failing: every assert_* and fail() print "FAIL: ..." on stderr and exit the test
# (each test runs in its own shell, so `exit` ends only that test).  skip() exits 77.
#
#   fail MSG...                      fail the test
#   skip MSG...                      skip the test (run.sh prints SKIP, counts neither)
#   assert_eq ACTUAL EXPECTED [MSG]  string equality
#   assert_ne ACTUAL UNEXPECTED [MSG]
#   assert_ge A B [MSG]              integers: A >= B   (also assert_le, assert_gt, assert_lt)
#   assert_contains HAYSTACK NEEDLE [MSG]   substring
#   assert_int VALUE [MSG]           VALUE is a (possibly negative) decimal integer
#   json_get KEY [JSON]              print KEY's value from JSON (stdin if no JSON arg)
#   wait_for_file PATH [SECS]        wait until PATH exists (default 10 s); 1 on timeout
#   wait_until SECS CMD [ARG...]     retry CMD every 0.1 s until it succeeds; 1 on timeout
#   wait_lines SECS N FILE PATTERN   wait until N lines of FILE match the grep -E PATTERN
#   scaled SECS                      SECS times VM_WAIT_SCALE (for timeout(1) and -t options)
#   unload_module [SECS]             rmmod procscope, retried (default 10 s, scaled) while
#                                    a netlink dump still holds a module reference;
#                                    UNLOAD_RETRIES says how often; 1 and rmmod's error
#                                    on failure
#   stop_live PID                    end a live reader (procscope faults/accept/show -d)
#                                    as Ctrl-C does; its exit status
#   proc_stat_field PID N            field N (1-based, as in proc(5)) of /proc/PID/stat
#   proc_status_field PID KEY        value of "KEY:" in /proc/PID/status (e.g. VmSwap)
#   netstat_get KEY                  the TcpExt counter KEY of /proc/net/netstat
#                                    (e.g. ListenOverflows)
#   klog_mark                        print a mark for klog_since (kernel log line count)
#   klog_since MARK                  kernel log lines logged after MARK
#   klog_problems [MARK]             kernel log lines (after MARK) that fail a VM run
#                                    (BUG, WARNING, Oops, ...); status 0 if any found
#
# Time: no test may depend on how fast the kernel is (a debug kernel runs several
# times slower, on a busy host slower still). Helpers live until the test stops
# them (gate files, kill), and a capture window ends when the work is done and its
# events arrived (run the reader in the background, wait_lines, stop_live). The
# SECS of wait_for_file, wait_until and wait_lines are only safety nets that fail
# loudly: they are multiplied by VM_WAIT_SCALE (default 6), so write them as what
# the wait takes at most on the normal VM (so is a timeout given with `scaled`).
#
# json_get KEY: KEY is a dotted path into nested objects/arrays ("events.seen",
# "hooks.0.name"); a KEY without dots that is not a top-level key matches the first
# key of that name at any depth ("seen").  Strings are printed unescaped (\uXXXX is
# kept as is), numbers/true/false/null verbatim, objects and arrays as their raw JSON
# text.  Exit status 1 if the key is absent, 2 on malformed JSON.  Only the first JSON
# value of the input is read: for JSON-lines output pick the line first
# (e.g. `sed -n 2p file | json_get pid`).

[ -n "${_PROCSCOPE_VM_LIB:-}" ] && return 0
_PROCSCOPE_VM_LIB=1

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-assert_eq}: got '$1', expected '$2'"
}

assert_ne() {
	[ "$1" != "$2" ] || fail "${3:-assert_ne}: got '$1', expected anything else"
}

_is_int() {
	case $1 in
	'' | - | *[!0-9-]* | ?*-*) return 1 ;;
	esac
	return 0
}

assert_int() {
	_is_int "$1" || fail "${2:-assert_int}: '$1' is not an integer"
}

_assert_cmp() { # OP WORD A B MSG
	_is_int "$3" || fail "${5:-assert_$2}: '$3' is not an integer"
	_is_int "$4" || fail "${5:-assert_$2}: '$4' is not an integer"
	test "$3" "$1" "$4" || fail "${5:-assert_$2}: expected $3 $2 $4"
}

assert_ge() { _assert_cmp -ge ge "$1" "$2" "${3:-}"; }
assert_le() { _assert_cmp -le le "$1" "$2" "${3:-}"; }
assert_gt() { _assert_cmp -gt gt "$1" "$2" "${3:-}"; }
assert_lt() { _assert_cmp -lt lt "$1" "$2" "${3:-}"; }

assert_contains() {
	case $1 in
	*"$2"*) ;;
	*) fail "${3:-assert_contains}: '$2' not found in: $1" ;;
	esac
}

scaled() {
	awk -v s="$1" -v k="${VM_WAIT_SCALE:-6}" 'BEGIN { printf "%d\n", s * k + 0.5 }'
}

_wait_ticks() { # SECS: tenths of a second to wait, scaled
	scaled "$1" | awk '{ print $1 * 10 }'
}

# wait_for_file FILE [SECS [PID]]: wait until FILE exists; with PID, give up
# as soon as that process (the one to create FILE) has gone without doing so.
wait_for_file() {
	_wff_n=$(_wait_ticks "${2:-10}")
	while [ ! -e "$1" ]; do
		[ "$_wff_n" -le 0 ] && return 1
		if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then
			[ -e "$1" ]
			return
		fi
		_wff_n=$((_wff_n - 1))
		sleep 0.1
	done
	return 0
}

wait_until() {
	_wu_n=$(_wait_ticks "$1")
	shift
	until "$@"; do
		[ "$_wu_n" -le 0 ] && return 1
		_wu_n=$((_wu_n - 1))
		sleep 0.1
	done
	return 0
}

unload_module() {
	_um_n=$(_wait_ticks "${1:-10}")
	UNLOAD_RETRIES=0
	# A dump (e.g. a CLI's WATCH_GET) pins the module until it is done:
	# rmmod fails with EAGAIN meanwhile. Anything that is not transient
	# (not loaded at all) fails at once.
	until _um_err=$(rmmod procscope 2>&1); do
		if [ ! -d /sys/module/procscope ] || [ "$_um_n" -le 0 ]; then
			echo "$_um_err" >&2
			return 1
		fi
		_um_n=$((_um_n - 1))
		UNLOAD_RETRIES=$((UNLOAD_RETRIES + 1))
		sleep 0.1
	done
	return 0
}

_lines_match() { # N FILE PATTERN
	_lm=$(grep -c -E -e "$3" "$2" 2>/dev/null)
	[ "${_lm:-0}" -ge "$1" ]
}

wait_lines() {
	_wl_s=$1
	shift
	wait_until "$_wl_s" _lines_match "$@"
}

stop_live() {
	kill -INT "$1" 2>/dev/null
	wait "$1"
}

proc_stat_field() {
	{ _is_int "$2" && [ "$2" -ge 1 ]; } || { echo "proc_stat_field: bad field '$2'" >&2; return 2; }
	_psf=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	case $2 in
	1) echo "${_psf%% *}" ;;
	2)
		_psf=${_psf#*\(}
		echo "${_psf%\)*}"
		;;
	*) echo "${_psf##*\) }" | awk -v n="$(($2 - 2))" '{ print $n }' ;;
	esac
}

proc_status_field() {
	awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print; f = 1; exit } END { exit !f }' \
		"/proc/$1/status"
}

netstat_get() {
	awk -v k="$1" '$1 == "TcpExt:" {
		if (!h) { for (i = 2; i <= NF; i++) n[i] = $i; h = 1 }
		else { for (i = 2; i <= NF; i++) if (n[i] == k) print $i } }' /proc/net/netstat
}

_klog_patterns=/etc/procscope-vm/kernel-log-patterns
_klog_ignore=/etc/procscope-vm/kernel-log-ignore

klog_mark() {
	dmesg | wc -l
}

klog_since() {
	dmesg | tail -n +"$((${1:-0} + 1))"
}

klog_problems() {
	[ -r "$_klog_patterns" ] || return 1 # not in the VM
	klog_since "${1:-0}" | grep -E -f "$_klog_patterns" | grep -v -E -f "$_klog_ignore"
}

json_get() {
	if [ $# -ge 2 ]; then
		printf '%s\n' "$2" | _json_get_awk "$1"
	else
		_json_get_awk "$1"
	fi
}

_json_get_awk() {
	awk -v want="$1" '
	function perr(m) { printf "json_get: %s at offset %d\n", m, pos > "/dev/stderr"; bad = 1; exit 2 }
	function ws(   c) {
		while (pos <= n) {
			c = substr(s, pos, 1)
			if (c == " " || c == "\t" || c == "\n" || c == "\r") pos++
			else break
		}
	}
	function emit(path, v) {
		if (path == want) { print v; found = 1; exit 0 }
		if (!suffix_set && plain && length(path) > length(want) &&
		    substr(path, length(path) - length(want)) == "." want) {
			suffix = v; suffix_set = 1
		}
	}
	function str(   out, c, e) {
		pos++
		out = ""
		while (pos <= n) {
			c = substr(s, pos, 1)
			if (c == "\\") {
				e = substr(s, pos + 1, 1)
				if (e == "n") out = out "\n"
				else if (e == "t") out = out "\t"
				else if (e == "r") out = out "\r"
				else if (e == "b" || e == "f") out = out
				else if (e == "u") { out = out "\\u" substr(s, pos + 2, 4); pos += 4 }
				else out = out e
				pos += 2
				continue
			}
			if (c == "\"") { pos++; return out }
			out = out c
			pos++
		}
		perr("unterminated string")
	}
	function val(path,   c, start, v) {
		ws()
		if (pos > n) perr("unexpected end of input")
		c = substr(s, pos, 1)
		start = pos
		if (c == "{") { obj(path); emit(path, substr(s, start, pos - start)); return }
		if (c == "[") { arr(path); emit(path, substr(s, start, pos - start)); return }
		if (c == "\"") { v = str(); emit(path, v); return }
		v = ""
		while (pos <= n) {
			c = substr(s, pos, 1)
			if (index(",}] \t\r\n", c)) break
			v = v c
			pos++
		}
		if (v == "") perr("unexpected character")
		emit(path, v)
	}
	function obj(path,   k, c) {
		pos++
		ws()
		if (substr(s, pos, 1) == "}") { pos++; return }
		while (1) {
			ws()
			if (substr(s, pos, 1) != "\"") perr("expected a key")
			k = str()
			ws()
			if (substr(s, pos, 1) != ":") perr("expected :")
			pos++
			val(path == "" ? k : path "." k)
			ws()
			c = substr(s, pos, 1)
			pos++
			if (c == ",") continue
			if (c == "}") return
			perr("expected , or }")
		}
	}
	function arr(path,   i, c) {
		pos++
		ws()
		if (substr(s, pos, 1) == "]") { pos++; return }
		for (i = 0; ; i++) {
			val(path == "" ? i : path "." i)
			ws()
			c = substr(s, pos, 1)
			pos++
			if (c == ",") continue
			if (c == "]") return
			perr("expected , or ]")
		}
	}
	{ s = s $0 "\n" }
	END {
		if (bad || found) exit
		n = length(s)
		pos = 1
		plain = (index(want, ".") == 0)
		val("")
		if (suffix_set) { print suffix; exit 0 }
		exit 1
	}'
}

# drop_file_cache FILE: write FILE back and drop its pages from the page cache,
# checked with mincore (cached_pages), so that the next access really reads
# the disk. drop_caches leaves pages it cannot free right now (dirty, or
# still held): try a few times, then fail saying how many stayed.
drop_file_cache() {
	_i=0
	while :; do
		sync
		echo 3 > /proc/sys/vm/drop_caches
		_n=$(cached_pages "$1") || return 1
		[ "$_n" = 0 ] && return 0
		_i=$((_i + 1))
		if [ $_i -ge 10 ]; then
			echo "drop_file_cache: $_n pages of $1 stay cached" >&2
			return 1
		fi
		echo "drop_file_cache: $_n pages of $1 still cached, again" >&2
		sleep 1
	done
}

# stress_cycles NAME N: run the caller's `cycle` function N times (it sets
# ok=0 on a failure); after each, the kernel log since the cycle began must be
# clean and procscope is loaded again if the cycle left it unloaded. Ends with
# "N passed, N failed"; fails if any cycle did.
stress_cycles() {
	_sc_pass=0
	_sc_failed=0
	i=0
	while [ "$i" -lt "$2" ]; do
		_sc_mark=$(klog_mark)
		ok=1
		cycle
		if _sc_p=$(klog_problems "$_sc_mark"); then
			echo "cycle $i: kernel log problems:"
			echo "$_sc_p"
			ok=0
		fi
		if [ ! -d /sys/module/procscope ] && ! insmod "$PROCSCOPE_KO"; then
			echo "cycle $i: insmod failed; giving up"
			_sc_failed=$((_sc_failed + $2 - i))
			break
		fi
		if [ "$ok" = 1 ]; then _sc_pass=$((_sc_pass + 1)); else _sc_failed=$((_sc_failed + 1)); fi
		i=$((i + 1))
	done
	echo "$1: $2 cycles"
	echo "$_sc_pass passed, $_sc_failed failed"
	[ "$_sc_failed" -eq 0 ]
}
