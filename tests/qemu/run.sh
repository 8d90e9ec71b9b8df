#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Boots Debian's packaged kernel under qemu (TCG) with rbiblock.ko and the
# test tools in an initramfs, and runs the end-to-end suite (MODE check) or
# the forwarding benchmark (MODE bench) inside. The guest writes "success"
# to its second serial port only when every case passed; that file is the
# verdict, whatever the console says.
#
#   tests/qemu/run.sh MODE BUILD KVER
#
# QEMU_ACCEL=kvm uses KVM where /dev/kvm allows it (default: tcg).
# QEMU_TIMEOUT bounds the whole run in seconds (default: 900).
set -eu

mode=$1
build=$2
kver=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$top/$build/qemu/$mode
root=$work/root
kernel=/boot/vmlinuz-$kver
accel=${QEMU_ACCEL:-tcg}
# Two CPUs let the suite race packets against each other; the benchmark
# wants one, so that the module's cost shows as CPU time rather than hiding
# in the noise of two emulated CPUs on a shared host.
# With -icount, time in the guest counts instructions executed, so that
# throughput measures the CPU work per byte and not the host's load.
smp=2
icount=
if [ "$mode" = bench ]; then
	smp=1
	icount="-icount shift=1,sleep=off"
fi
timeout=${QEMU_TIMEOUT:-900}

die() {
	echo "FAIL: qemu-$mode: $*" >&2
	exit 1
}

[ -r "$kernel" ] || die "no $kernel: install linux-image-amd64 matching the headers ($kver)"
module=$top/$build/module/rbiblock.ko
[ -f "$module" ] || die "no $module: make module"
for tool in qemu-system-x86_64 busybox cpio modprobe; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (make deps)"
done

rm -rf "$work"
mkdir -p "$root/bin" "$root/usr/sbin" "$root/lib/modules/$kver" "$root/suite" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/run" "$root/etc"

# Binaries in /usr/sbin, called by full path (busybox sh prefers its own
# applets), with every shared library ldd names.
add_bin() {
	cp "$1" "$root/usr/sbin/"
	ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

cp "$(command -v busybox)" "$root/bin/busybox"
for b in ip tc nft iperf3; do
	add_bin "$(command -v $b)"
done
add_bin "$top/$build/rbictl"
for t in "$top/$build"/qemu/tools/*; do
	add_bin "$t"
done

# Modules and what they need, loaded in order by the guest from mods.list.
mods="crc32c_generic veth nf_conntrack nf_tables nft_ct nft_limit nft_log
	nft_objref nfnetlink_log sch_netem nft_chain_nat nft_nat nf_flow_table
	nf_flow_table_inet nft_flow_offload"
for m in $mods; do
	modprobe -S "$kver" --show-depends "$m"
done | awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++' |
	grep -v crc32c-intel >"$work/mods"	# TCG has no SSE4.2 for it
: >"$root/suite/mods.list"
while read -r ko; do
	cp "$ko" "$root/lib/modules/$kver/"
	echo "/lib/modules/$kver/$(basename "$ko")" >>"$root/suite/mods.list"
done <"$work/mods"
cp "$module" "$root/lib/modules/$kver/"

cp "$here"/*.sh "$here"/*.yaml "$here"/*.nft "$root/suite/" 2>/dev/null || true
mv "$root/suite/init.sh" "$root/init"
chmod 0755 "$root/init"
echo "$mode" >"$root/suite/mode"
echo "$kver" >"$root/suite/kver"

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$work/initrd.gz"

# The native reference for the guest's figures: the core code the module
# runs for a new flow, timed and counted in instructions on the host.
if [ "$mode" = bench ]; then
	cost=$top/$build/qemu/tools/classcost
	"$cost" yaml "$here/policy.yaml" >"$work/big.yaml"
	"$cost" run "$work/big.yaml" | sed 's/^classcost:/bench: on the host:/'
	if command -v valgrind >/dev/null 2>&1; then
		for m in run:flows before:before engine:engine; do
			valgrind --tool=callgrind \
				--callgrind-out-file="$work/callgrind" \
				"--toggle-collect=classcost_${m#*:}*" \
				"$cost" "${m%:*}" "$work/big.yaml" 2000 \
				>/dev/null 2>&1
			callgrind_annotate "$work/callgrind" 2>/dev/null |
				awk -v m="${m%:*}" '/PROGRAM TOTALS/ {
				gsub(",", "", $1); printf "bench: callgrind: " \
				"%d instructions per flow (%s, 100,000 " \
				"names)\n", $1 / 2000, m == "run" ? "parse + " \
				"classify" : m == "before" ? "rbiblock.ko " \
				"before the engine: SYN, hello" : "the engine: " \
				"SYN, hello, ACK" }'
		done
		# A hello in 1-byte records, a byte per segment: the engine's
		# cost per byte stays flat, the old reparse's grows with it.
		for size in 256 512 1024 2048 2700; do
			for how in engine reparse; do
				valgrind --tool=callgrind \
					--callgrind-out-file="$work/callgrind" \
					'--toggle-collect=classcost_records*' \
					"$cost" records $size \
					$([ $how = reparse ] && echo reparse) \
					>"$work/records" 2>/dev/null
				bytes=$(sed -n 's/^classcost: \([0-9]*\) stream.*/\1/p' \
					"$work/records")
				callgrind_annotate "$work/callgrind" 2>/dev/null |
					awk -v b="$bytes" -v h=$how '
					/PROGRAM TOTALS/ { gsub(",", "", $1)
					printf "bench: callgrind: 1-byte records, " \
					"%5d stream bytes, %-7s %5d instructions " \
					"per byte\n", b, h, $1 / b }'
			done
		done
	fi
fi

result=$work/result
: >"$result"
echo "qemu-$mode: booting $kernel ($accel), console in $work/console.log"
set +e
timeout --foreground "$timeout" qemu-system-x86_64 \
	-accel "$accel" -m 1536 -smp $smp $icount -nodefaults -no-user-config \
	-display none -no-reboot \
	-kernel "$kernel" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 oops=panic panic_on_warn=1 loglevel=4" \
	-serial stdio -serial "file:$result" </dev/null | tee "$work/console.log"
status=$?
set -e
[ "$status" = 0 ] || echo "qemu-$mode: qemu exited with status $status"
if grep -q '^success' "$result"; then
	echo "PASS: qemu-$mode"
	exit 0
fi
grep -E '^(FAIL|Kernel panic|.*(BUG|WARNING|Oops))' "$work/console.log" | head -20 >&2 || true
die "the guest did not report success (see $work/console.log)"
