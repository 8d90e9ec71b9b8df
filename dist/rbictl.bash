# SPDX-License-Identifier: GPL-2.0 OR MIT
# bash completion for rbictl. The commands, each one's options and the
# values an option takes are read from rbictl itself (rbictl --help, the
# usage line of rbictl help NAME), so they can't drift from the program.

_rbictl_commands()
{
	"${COMP_WORDS[0]}" --help 2>/dev/null |
		sed -n '/^Commands:/,/^$/{s/^  //;s/  .*//p}'
}

_rbictl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmds cmd help values
	COMPREPLY=()
	cmds=$(_rbictl_commands)

	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$(printf '%s\n' "$cmds" |
			cut -d' ' -f1 | sort -u) help --help --version" -- "$cur"))
		return
	fi
	if [ "${COMP_WORDS[1]}" = help ]; then
		COMPREPLY=($(compgen -W "$(printf '%s\n' "$cmds" |
			cut -d' ' -f1 | sort -u)" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}
	if printf '%s\n' "$cmds" | grep -q "^$cmd "; then
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "$(printf '%s\n' "$cmds" |
				sed -n "s/^$cmd //p")" -- "$cur"))
			return
		fi
		cmd="$cmd ${COMP_WORDS[2]}"
	fi
	help=$("${COMP_WORDS[0]}" help $cmd 2>/dev/null) || return

	# "[--backend auto|nft|module]" in the usage: the option's values.
	values=$(printf '%s\n' "$help" | head -n 1 |
		grep -o -- "$prev [a-z0-9]*|[a-z0-9|]*" | cut -d' ' -f2 | tr '|' ' ')
	if [ -n "$values" ]; then
		COMPREPLY=($(compgen -W "$values" -- "$cur"))
		return
	fi
	case $prev in
	-i)
		COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" \
			-- "$cur"))
		return
		;;
	-p|--policy|-o|--output|--pid-file|--pub|--leaf|--example|--key|-c|--catalog)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(printf '%s\n' "$help" |
			grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _rbictl rbictl
