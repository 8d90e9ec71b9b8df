#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# /init of the qemu guest: mounts what the suite needs, loads the modules,
# runs the suite named in /suite/mode, writes "success" to the second
# serial port only when it passed, and powers off on every path.
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/netns /var/run
ln -s /run/netns /var/run/netns
echo 1 >/proc/sys/kernel/panic_on_oops
ip link set lo up

cd /suite
while read -r ko; do
	insmod "$ko" || echo "init: insmod $ko failed"
done <mods.list

mode=$(cat mode)
status=1
if [ -f "$mode.sh" ]; then
	sh "./$mode.sh"
	status=$?
fi
echo "init: $mode finished with status $status"
if [ "$status" = 0 ]; then
	echo success >/dev/ttyS1
fi
sync
poweroff -f
