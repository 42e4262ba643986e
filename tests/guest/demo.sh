#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What `make demo` shows inside the guest.
. /tests/lib.sh
say() { printf '\n=== %s\n' "$*"; }
dmesg -n 1
say "Kernel"
uname -a
say "RISC-V IOMMU probe (kernel log)"
dmesg | grep -i 'iommu' | head -n 20
say "IOMMU groups"
for g in /sys/kernel/iommu_groups/*; do
	[ -d "$g" ] || continue
	printf '%s type=%s:' "$(basename "$g")" "$(cat "$g/type" 2>/dev/null)"
	for d in "$g"/devices/*; do
		printf ' %s[%s:%s]' "$(basename "$d")" "$(cat "$d/vendor")" "$(cat "$d/device")"
	done
	echo
done
say "Device MSIs per CPU, before and after some disk and rng I/O"
grep -E 'CPU|MSI|mrif' /proc/interrupts
for d in /dev/vda /dev/nvme0n1; do
	[ -b "$d" ] && dd if=/dev/urandom of="$d" bs=64k count=32 conv=fsync 2>/dev/null
	[ -b "$d" ] && dd if="$d" of=/dev/null bs=64k count=32 2>/dev/null
done
dd if=/dev/hwrng of=/dev/null bs=64 count=8 2>/dev/null
echo "--- after (IR-MRIF-*: remapped device vectors; mrif-*: their MRIF notices)"
grep -E 'CPU|MSI|mrif' /proc/interrupts
for d in /sys/kernel/debug/iommu/riscv-iommu@*; do
	[ -d "$d" ] || continue
	say "Device contexts ($d/dc)"
	cat "$d/dc"
	if [ -r "$d/msi" ]; then
		say "MSI page tables: each device's own, live whatever domain is attached ($d/msi)"
		cat "$d/msi"
	fi
	if [ -r "$d/mrif" ]; then
		say "Memory-resident interrupt files and their notices ($d/mrif)"
		cat "$d/mrif"
	fi
done
say "Per-device remapping irq domains: IRQ_DOMAIN_FLAG_ISOLATED_MSI (0x20)"
for f in /sys/kernel/debug/irq/domains/riscv-ir-*; do
	[ -r "$f" ] || { echo "none: MSIs are not remapped on this machine"; break; }
	flags=$(sed -n 's/^ *flags: *//p' "$f" | head -n1)
	if [ $((flags & 0x20)) != 0 ]; then v=isolated; else v="not isolated"; fi
	echo "$(basename "$f"): flags $flags: $v"
done
say "A userspace driver (vfio-pci + iommufd, edu), allow_unsafe_interrupts=$(cat /sys/module/iommufd/parameters/allow_unsafe_interrupts 2>/dev/null)"
/tests/60-vfio-edu.t
echo
