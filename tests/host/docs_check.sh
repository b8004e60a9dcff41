#!/bin/sh
# The man page and the bash completion cover every command of the tool:
# each name in userspace/cmd/main.c's table must appear as a command in
# docs/procscope.8 and in userspace/completion.bash, and the man page must
# format without a single groff warning. Completion is exercised in bash.
set -eu
cd "$(dirname "$0")/../.."
fail() { echo "FAIL: $*" >&2; exit 1; }
cmds=$(sed -n 's/^\t{ "\([a-z]*\)", [a-z_]*_main,.*/\1/p' userspace/cmd/main.c)
[ -n "$cmds" ] || fail "no commands found in userspace/cmd/main.c"
warn=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww docs/procscope.8 2>&1 >/dev/null)
[ -z "$warn" ] || fail "groff warnings: $warn"
for c in $cmds; do
	# a command's entry is a .TP tag: ".B status", ".BR pt ...", ".BI translate ..."
	grep -Eq "^\.B[RI]? $c( |\$)" docs/procscope.8 || fail "man page lacks command '$c'"
	grep -q "commands=\".*\b$c\b" userspace/completion.bash || fail "completion lacks command '$c'"
done
out=$(bash -c '. userspace/completion.bash
	COMP_WORDS=(procscope ""); COMP_CWORD=1; _procscope; echo "${COMPREPLY[*]}"')
for c in $cmds; do
	case " $out " in *" $c "*) ;; *) fail "completion does not offer '$c' ($out)" ;; esac
done
out=$(bash -c '. userspace/completion.bash
	COMP_WORDS=(procscope --color = n); COMP_CWORD=3; _procscope; echo "${COMPREPLY[*]}"')
[ "$out" = never ] || fail "completion of --color=n gave '$out'"
# shellcheck disable=SC2086 # one line, words split on purpose
echo "docs_check: man page and completion cover:" $cmds
