#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# rbiblock.service under systemd as PID 1, as a gateway runs it: a qemu
# guest (TCG) boots the Debian kernel of the Debian 12 root (root.sh) from
# an ext4 image of that root with the packages installed, DKMS having
# built the module for the root's kernel headers. rbiblock-test.service
# runs in_guest.sh after the boot's own start of rbiblock.service and
# writes its PASS:/FAIL: lines, then "success" only when all passed, to
# the second serial port; that file is the verdict. The console is kept
# in BUILD/pkg/systemd/console.log.
#   QEMU_ACCEL=kvm where /dev/kvm allows it (default tcg); QEMU_TIMEOUT
#   bounds the boot and the test in seconds (default 600).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot, mounts)"
for t in debootstrap unshare chroot timeout mkfs.ext4 qemu-system-x86_64; do
	command -v $t >/dev/null || skip "$t is not installed (make deps-pkg)"
done
grep -qw overlay /proc/filesystems || skip "the kernel has no overlayfs"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$BUILD" && pwd)/pkg/root
work=$(dirname "$root")/systemd
debs=$(ls "$BUILD"/deb/rbiblock_*.deb "$BUILD"/deb/rbiblock-dkms_*_all.deb 2>/dev/null)
[ -n "$debs" ] || skip "no packages in $BUILD/deb (make deb)"

if ! sh "$here/root.sh" "$root"; then
	fail "a clean Debian 12 root with debootstrap"
	done_
fi
# The kernel DKMS builds for: the root's newest headers, as the Makefile
# takes them, and the image of that version beside them.
kver=$(ls -d "$root"/lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)
kver=$(basename "$(dirname "$kver")")
kernel=$root/boot/vmlinuz-$kver
initrd=$root/boot/initrd.img-$kver
if [ ! -r "$kernel" ] || [ ! -r "$initrd" ]; then
	fail "the root has no kernel and initrd for its headers '$kver'"
	done_
fi

rm -rf "$work"
mkdir -p "$work/upper" "$work/work" "$work/mnt" "$work/in"
trap 'rm -rf "$work/upper" "$work/work" "$work/mnt" "$work/in" "$work/disk.img"' EXIT
cp $debs "$here/lib.sh" "$here/../check.sh" "$here/in_guest.sh" "$work/in/"
echo "$kver" >"$work/in/kver"
cat >"$work/in/rbiblock-test.service" <<-EOF
	[Unit]
	Description=rbiblock under systemd (tests/pkg/t_systemd.sh)
	After=rbiblock.service
	SuccessAction=poweroff-force
	FailureAction=poweroff-force

	[Service]
	Type=oneshot
	ExecStart=/bin/sh /root/rbiblock-test/in_guest.sh
	StandardOutput=file:/dev/ttyS1
	StandardError=journal+console
	TimeoutStartSec=480

	[Install]
	WantedBy=multi-user.target
EOF

# The root with the packages installed, as an ext4 image: made in a mount
# namespace of its own, so the overlay and /proc go away with it.
t0=$(date +%s)
unshare -m --propagation private sh -c '
	w=$1
	mount -t overlay overlay -o "lowerdir=$2,upperdir=$w/upper,workdir=$w/work" "$w/mnt" &&
	mount -t proc proc "$w/mnt/proc" &&
	mkdir "$w/mnt/root/rbiblock-test" &&
	cp "$w"/in/* "$w/mnt/root/rbiblock-test/" || exit 1
	chroot "$w/mnt" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c "
		cd /root/rbiblock-test &&
		DEBIAN_FRONTEND=noninteractive dpkg -i ./*.deb >dpkg.log 2>&1 &&
		[ -f /lib/modules/$3/updates/dkms/rbiblock.ko ] &&
		mv rbiblock-test.service /etc/systemd/system/ &&
		systemctl enable rbiblock-test.service 2>/dev/null &&
		rm ./*.deb"
	rc=$?
	umount "$w/mnt/proc"
	[ $rc = 0 ] || exit 2
	size=$(du -sm "$w/mnt" | cut -f 1)
	mkfs.ext4 -q -F -L rbiguest -d "$w/mnt" "$w/disk.img" \
		"$((size + size / 4 + 256))M" >/dev/null
' sh "$work" "$root" "$kver"
rc=$?
check "the root with rbiblock and rbiblock-dkms installed (DKMS built rbiblock.ko for $kver), as an ext4 image" \
	[ $rc = 0 ]
if [ $rc != 0 ]; then
	tail -n 20 "$work/upper/root/rbiblock-test/dpkg.log" 2>/dev/null | sed 's/^/# dpkg: /'
	done_
fi
echo "# systemd: the image made in $(($(date +%s) - t0)) s ($(du -m --apparent-size "$work/disk.img" | cut -f 1) MB)"

t0=$(date +%s)
: >"$work/result"
timeout "${QEMU_TIMEOUT:-600}" qemu-system-x86_64 \
	-accel "${QEMU_ACCEL:-tcg}" -m 1024 -smp 2 -nodefaults -no-user-config \
	-display none -no-reboot -kernel "$kernel" -initrd "$initrd" \
	-drive "file=$work/disk.img,if=virtio,format=raw" \
	-append "root=/dev/vda rw init=/lib/systemd/systemd console=ttyS0 panic=-1 loglevel=4" \
	-serial "file:$work/console.log" -serial "file:$work/result" </dev/null
rc=$?
tr -d '\r' <"$work/result" | grep -E '^(PASS|FAIL|#)'
echo "# systemd: boot, test and poweroff took $(($(date +%s) - t0)) s (qemu ${QEMU_ACCEL:-tcg}, exit $rc)"
if tr -d '\r' <"$work/result" | grep -qx success; then
	pass "the guest under systemd reported success"
else
	fail "the guest under systemd did not report success (console: $work/console.log)"
	tail -n 30 "$work/console.log" | sed 's/^/# console: /'
fi
done_
