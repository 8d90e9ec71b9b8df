#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Manual pages render without a warning, every command documents its exit
# statuses, the section 5 pages describe every key the loader knows, and
# bash completion offers the commands and their options.
. "$(dirname "$0")/lib.sh"
man_dir=$BUILD/man
command -v man >/dev/null || skip "man is not installed (make deps-pkg)"
[ -d "$man_dir" ] || skip "no manual pages in $man_dir (make man)"

for f in "$man_dir"/*.[58]; do
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$f" 2>&1 >/dev/null)
	check "man -l $(basename "$f"): no warnings" [ -z "$out" ]
	[ -z "$out" ] || printf '%s\n' "$out" | head -n 3 | sed 's/^/# /'
done

cmds=$("$RBICTL" --help | sed -n '/^Commands:/,/^$/{s/^  //;s/  .*//p}')
missing=
for c in $(printf '%s\n' "$cmds" | tr ' ' '+'); do
	c=$(echo "$c" | tr '+' ' ')
	"$RBICTL" help $c | grep -q '^Exit status: ' || missing="$missing '$c'"
	page=$man_dir/rbictl-${c%% *}.8
	grep -q "^\.SH EXIT STATUS" "$page" 2>/dev/null || missing="$missing $page"
done
check "every command documents its exit statuses, in help and page" [ -z "$missing" ]
[ -z "$missing" ] || echo "# missing:$missing"

# The keys the policy loader knows, from its key tables.
keys=$(awk '/^static const char \*const rbi_[a-z_]*keys\[\]/, /NULL/' \
	userspace/policy/policy.c userspace/policy/catalog.c |
	grep -o '"[a-z-]*"' | tr -d '"' | sort -u)
missing=
for k in $keys; do
	grep -q -- "$(echo "$k" | sed 's/-/\\\\-/g')" \
		"$man_dir/rbiblock-policy.5" "$man_dir/rbiblock-catalog.5" ||
		missing="$missing $k"
done
check "rbiblock-policy(5) and rbiblock-catalog(5) describe every key ($(echo $keys | wc -w))" [ -z "$missing" ]
[ -z "$missing" ] || echo "# undescribed:$missing"

complete() {
	bash -c '. dist/rbictl.bash
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _rbictl
		echo "${COMPREPLY[*]}"' rbictl "$@"
}
rbictl_dir=$(cd "$(dirname "$RBICTL")" && pwd)
export PATH="$rbictl_dir:$PATH"
want=$(printf '%s\n' "$cmds" | cut -d' ' -f1 | sort -u | tr '\n' ' ')
got=$(complete rbictl "")
missing=
for w in $want; do
	case " $got " in *" $w "*) ;; *) missing="$missing $w" ;; esac
done
check "completion offers every command" [ -z "$missing" ]
check "completion offers a group's subcommands" \
	[ "$(complete rbictl policy "")" = "check show explain" ]
check "completion offers a command's options" sh -c \
	"echo '$(complete rbictl init --)' | grep -q -- '--private-zone'"
backends=$("$RBICTL" help apply |
	sed -n 's/.*--backend \([a-z|]*\).*/\1/p' | head -n 1 | tr '|' ' ')
check "the usage names --backend's values" [ -n "$backends" ]
check "completion offers an option's values from the usage" \
	[ "$(complete rbictl apply --backend "")" = "$backends" ]
done_
