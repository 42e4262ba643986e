#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# boot.sh PROFILE [options] -- boot the test kernel on a QEMU profile.
#   -m MODE     check (default), demo or shell (interactive)
#   -t TESTS    comma-separated in-guest tests (default: all)
#   -k IMAGE    kernel (default: out/check/arch/riscv/boot/Image)
#   -i INITRD   initramfs (default: out/initramfs.cpio.gz)
#   -l LOG      console log file (default: out/logs/PROFILE.log)
#   -a ARGS     extra kernel command line
#   -T SECS     timeout (default 600); exit 124 on timeout
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${RVMSI_OUT:-$top/out}
profile=$1; shift
mode=check tests= kernel=
initrd=$out/initramfs.cpio.gz log= extra= tmo=600
while getopts m:t:k:i:l:a:T: o; do
	case $o in
	m) mode=$OPTARG ;; t) tests=$OPTARG ;; k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;; l) log=$OPTARG ;; a) extra=$OPTARG ;; T) tmo=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -f "$top/profiles/$profile" ] || { echo "boot: no profile $profile" >&2; exit 2; }
MACHINE= IOMMU= DEVICES= EXPECT= SMP=2 MEM=1G QEMU_EXTRA= KARGS= KERNEL=check
. "$top/profiles/$profile"
# The profile's kernel (KERNEL=name: out/name), unless -k gave one.
kernel=${kernel:-$out/$KERNEL/arch/riscv/boot/Image}
mkdir -p "$out/logs" "$out/disks"
log=${log:-$out/logs/$profile.log}

devs=
if [ "$DEVICES" = std ]; then
	for d in vblk nvme; do
		img=$out/disks/$profile-$d.img
		rm -f "$img"
		truncate -s 64M "$img"
	done
	devs="-device edu,bus=pcie.0,dma_mask=0xffffffffffffffff
	-drive if=none,format=raw,file=$out/disks/$profile-vblk.img,id=vblk
	-device virtio-blk-pci,bus=pcie.0,drive=vblk
	-drive if=none,format=raw,file=$out/disks/$profile-nvme.img,id=nvm
	-device nvme,bus=pcie.0,drive=nvm,serial=rvmsi0
	-device virtio-rng-pci,bus=pcie.0"
fi
# The harness's test module, built with the kernel, goes in as a second
# initramfs archive (the kernel unpacks concatenated archives in order).
kmod=${kernel%/arch/riscv/boot/Image}/rvmsi-kmod.cpio.gz
if [ -f "$kmod" ] && [ "$kmod" != "$kernel" ]; then
	cat "$initrd" "$kmod" > "$log.initrd"
	initrd=$log.initrd
fi
cmdline="console=ttyS0 earlycon log_buf_len=4M panic=-1 rvmsi.mode=$mode"
cmdline="$cmdline rvmsi.expect=$EXPECT${tests:+ rvmsi.tests=$tests} $KARGS $extra"

set -- qemu-system-riscv64 -M "$MACHINE" -cpu rv64 -smp "$SMP" -m "$MEM" \
	-nographic -bios default -no-reboot -nic none \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline"
# shellcheck disable=SC2086
set -- "$@" $IOMMU $devs $QEMU_EXTRA
if [ "$mode" = shell ]; then
	exec "$@"
fi
echo "boot: $profile ($mode${tests:+: $tests}) -> $log"
rc=0
timeout -k 10 "$tmo" "$@" </dev/null >"$log" 2>&1 || rc=$?
exit $rc
