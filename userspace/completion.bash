# SPDX-License-Identifier: GPL-2.0
# bash completion for procscope(8): commands, their options, process ids
# (with the command name shown by bash when several match) and files for
# --svg and load. Installed by `make install` into
# $(PREFIX)/share/bash-completion/completions/procscope.

_procscope_pids()
{
	local p
	# Every numeric /proc entry: the processes procscope can be pointed at.
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[[ $p == "$1"* ]] && COMPREPLY+=("$p")
	done
}

_procscope()
{
	local cur prev cmd i
	local commands="status load unload pt maps ptes translate faults sockets accept show top"
	local common="--json --color= --help"

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	# The command is the first word that is not a global option.
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	# bash splits "--color=WHEN" at the '=' (COMP_WORDBREAKS).
	if [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	case $prev in
	--color | --colour)
		mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur")
		return
		;;
	--svg | -s)
		[[ $cmd == pt || $cmd == maps ]] && { compopt -o filenames; mapfile -t COMPREPLY < <(compgen -f -X '!*.svg' -- "$cur"; compgen -d -- "$cur"); return; }
		;;
	-p | --pid)
		[[ $cmd == top ]] && { _procscope_pids "$cur"; return; }
		;;
	-d | --duration | --delay | -n | --iterations | -o | --options)
		return	# a number or a string of the user's
		;;
	esac
	if [[ $cur == --color=* || $cur == --colour=* ]]; then
		mapfile -t COMPREPLY < <(compgen -P "${cur%%=*}=" -W "auto always never" -- "${cur#*=}")
		return
	fi

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$common --version" -- "$cur")
			[[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace
		else
			mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
		fi
		return
	fi

	local opts=
	case $cmd in
	status | unload) opts= ;;
	load) opts="--options" ;;
	pt | maps) opts="--svg" ;;
	ptes) opts="--count" ;;
	translate | sockets) opts= ;;
	faults) opts="--duration= --follow --quiet" ;;
	accept) opts="--duration= --follow --quiet" ;;
	show) opts="--duration=" ;;
	top) opts="--pid= --delay= --iterations=" ;;
	*) return ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts $common" -- "$cur")
		[[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace
		return
	fi
	case $cmd in
	load)
		compopt -o filenames
		mapfile -t COMPREPLY < <(compgen -f -X '!*.ko' -- "$cur"; compgen -d -- "$cur")
		;;
	status | unload | top) ;;
	faults | accept)
		# After "--" comes a command line of its own.
		for ((i = 2; i < COMP_CWORD; i++)); do
			if [[ ${COMP_WORDS[i]} == -- ]]; then
				mapfile -t COMPREPLY < <(compgen -c -- "$cur")
				return
			fi
		done
		_procscope_pids "$cur"
		;;
	*) _procscope_pids "$cur" ;;
	esac
}

complete -F _procscope procscope
