#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# The packages installed in a clean Debian 12 root (root.sh, kept under
# BUILD/pkg and seen through an overlay, so each run starts clean): DKMS
# builds the module for the installed headers and signs it with the key
# it is given, the unit verifies, rbictl init makes the first policy and
# key, a kernel without the module is reported, purging cleans up. The
# checks run inside the root (in_root.sh); the root's own systemd is not
# running, and no module is loaded: this machine's kernel can't
# (t_systemd.sh boots the root for that).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot, mounts)"
for t in debootstrap unshare chroot timeout; do
	command -v $t >/dev/null || skip "$t is not installed (make deps-pkg)"
done
grep -qw overlay /proc/filesystems || skip "the kernel has no overlayfs"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$BUILD" && pwd)/pkg/root
debs=$(ls "$BUILD"/deb/rbiblock_*.deb "$BUILD"/deb/rbiblock-dkms_*_all.deb 2>/dev/null)
[ -n "$debs" ] || skip "no packages in $BUILD/deb (make deb)"

t0=$(date +%s)
if ! sh "$here/root.sh" "$root"; then
	fail "a clean Debian 12 root with debootstrap"
	done_
fi
echo "# pkg: the Debian 12 root is ready ($(($(date +%s) - t0)) s)"
work=$(mktemp -d "$(dirname "$root")/run.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/upper" "$work/work" "$work/mnt" "$work/in"
cp $debs "$here/lib.sh" "$here/../check.sh" "$here/in_root.sh" "$work/in/"
# A mount namespace of its own: the overlay and /proc go away with it.
unshare -m --propagation private sh -c '
	w=$1
	mount -t overlay overlay -o "lowerdir=$2,upperdir=$w/upper,workdir=$w/work" "$w/mnt" &&
	mount -t proc proc "$w/mnt/proc" &&
	mkdir "$w/mnt/tmp/rbiblock-pkg" &&
	cp "$w"/in/* "$w/mnt/tmp/rbiblock-pkg/" &&
	chroot "$w/mnt" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		sh /tmp/rbiblock-pkg/in_root.sh "$3"
' sh "$work" "$root" "$(sed -n 's/^VERSION := //p' Makefile)"
