#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# A clean Debian 12 root for installing rbiblock's packages, made once with
# debootstrap and kept in DIR (under the build directory), with what the
# packages need besides themselves already installed: later runs start
# from it in a moment. A root whose package list differs is made again.
#   sh tests/pkg/root.sh DIR
# Every step is bounded in time; the archive is the host's own.
set -eu
dir=$1
# dkms and the headers of Debian's kernel, what rbiblock links, systemd for
# 'systemd-analyze verify', openssl for the throwaway signing key (and the
# guest's ClientHellos). The kernel itself, of the headers' version, nft
# and iproute2: t_systemd.sh boots this root as a gateway would boot, and
# routes camera traffic through it.
pkgs="dkms linux-headers-amd64 linux-image-amd64 kmod openssl systemd
libyaml-0-2 libnftnl11 libmnl0 libssl3 libpcap0.8 bash-completion procps
nftables iproute2"
stamp="$dir/.rbiblock-root-$(printf '%s\n' "$pkgs" | sha256sum | cut -c1-16)"
[ -f "$stamp" ] && exit 0

mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources \
	2>/dev/null | head -n 1)
new="$dir.new"
rm -rf "$new" "$dir"
mkdir -p "$(dirname "$dir")"
echo "# pkg: making a Debian 12 root in $dir (once; a few minutes)"
timeout 900 debootstrap --variant=minbase bookworm "$new" \
	"${mirror:-http://deb.debian.org/debian}" >"$new.log" 2>&1 || {
	tail -n 20 "$new.log" >&2
	exit 1
}
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	cp /etc/apt/sources.list.d/debian.sources "$new/etc/apt/sources.list.d/"
	rm -f "$new/etc/apt/sources.list"
fi
# No maintainer script may start a service in the root.
printf '#!/bin/sh\nexit 101\n' >"$new/usr/sbin/policy-rc.d"
chmod 0755 "$new/usr/sbin/policy-rc.d"
# A mount namespace of its own: /proc goes away with it.
timeout 1200 unshare -m --propagation private sh -c '
	mount -t proc proc "$1/proc"
	chroot "$1" sh -c "apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $2 && apt-get clean"
' sh "$new" "$(echo $pkgs)" >>"$new.log" 2>&1 || {
	tail -n 20 "$new.log" >&2
	exit 1
}
rm -f "$new.log"
touch "$new/$(basename "$stamp")"
mv "$new" "$dir"
