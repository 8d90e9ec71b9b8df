#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# The packages make deb wrote: lintian finds no error, the version is the
# Makefile's, and each package holds what it is for.
. "$(dirname "$0")/lib.sh"
deb=$BUILD/deb
command -v lintian >/dev/null || skip "lintian is not installed (make deps-pkg)"
main=$(ls "$deb"/rbiblock_*.deb 2>/dev/null)
dkms=$(ls "$deb"/rbiblock-dkms_*_all.deb 2>/dev/null)
[ -n "$main" ] && [ -n "$dkms" ] || skip "no packages in $deb (make deb)"

lintian --fail-on error --tag-display-limit 0 "$main" "$dkms" >"$deb/lintian.txt" 2>&1
check "lintian: no errors (warnings and notes in $deb/lintian.txt)" [ $? = 0 ]
grep -E '^[EW]:' "$deb/lintian.txt" | sed 's/^/# /'

version=$(sed -n 's/^VERSION := //p' Makefile)
check "the packages are at the Makefile's version $version" \
	[ "$(dpkg-deb -f "$main" Version)" = "$version" ]
has() { dpkg-deb -c "$1" | awk '{ print $6 }' | grep -cx "./$2" >/dev/null; }
for f in usr/sbin/rbictl lib/systemd/system/rbiblock.service \
	usr/libexec/rbiblock/rbiblock-module etc/rbiblock/policy.yaml \
	etc/default/rbiblock usr/share/bash-completion/completions/rbictl \
	usr/share/man/man8/rbictl.8.gz usr/share/man/man5/rbiblock-policy.5.gz \
	usr/share/rbiblock/examples/city.yaml; do
	check "rbiblock holds /$f" has "$main" "$f"
done
check "the policy and /etc/default/rbiblock are conffiles" sh -c \
	"dpkg-deb -I '$main' conffiles | grep -cx /etc/rbiblock/policy.yaml >/dev/null &&
	 dpkg-deb -I '$main' conffiles | grep -cx /etc/default/rbiblock >/dev/null"
check "rbiblock-dkms holds the module's sources and dkms.conf" sh -c \
	"dpkg-deb -c '$dkms' | grep -c 'usr/src/rbiblock-$version/dkms.conf' >/dev/null &&
	 dpkg-deb -c '$dkms' | grep -c 'usr/src/rbiblock-$version/Kbuild' >/dev/null"
check "the postinst never starts the daemon" sh -c \
	"! dpkg-deb -I '$main' postinst | grep -E 'deb-systemd-invoke (start|restart)'"
done_
