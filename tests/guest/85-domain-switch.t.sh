#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Host default domains and switching them through sysfs. Devices behind
# the IOMMU get translated DMA domains by default, with or without MSI
# page tables, and a group switched to identity and back (driver unbound,
# type written, driver bound again) keeps its MSIs: virtio-rng delivers
# entropy and its vector fires after every switch.
. /tests/lib.sh
plan 5
if ! expects iommu || ! expects rng; then
	for i in 1 2 3 4 5; do skip "profile has no IOMMU or no virtio-rng"; done
	exit 0
fi
dev=$(ls /sys/bus/virtio/drivers/virtio_rng 2>/dev/null | grep '^virtio' | head -n1)
pci=$(basename "$(readlink -f "/sys/bus/virtio/devices/$dev/..")")
# the virtio device of PCI function $pci (renumbered by every bind)
rngdev() { basename "$(ls -d "/sys/bus/pci/devices/$pci"/virtio* 2>/dev/null | head -n1)"; }
grp=/sys/bus/pci/devices/$pci/iommu_group
hwrng=/sys/class/misc/hw_random
# switch TYPE: unbind, write the group type, bind; the write's status.
# /dev/hwrng then reads from the rebound device (with several virtio-rngs
# the core would keep another one current).
switch() {
	echo "$pci" > /sys/bus/pci/drivers/virtio-pci/unbind
	echo "$1" > "$grp/type" 2>/dev/null
	rc=$?
	others=$(cat "$hwrng/rng_available")
	echo "$pci" > /sys/bus/pci/drivers/virtio-pci/bind
	dev=$(rngdev)
	for r in $(cat "$hwrng/rng_available"); do
		case " $others " in *" $r "*) ;; *) echo "$r" > "$hwrng/rng_current" ;; esac
	done
	return $rc
}
rng_works() {
	before=$(irq_total "^$dev-")
	bytes=$(dd if=/dev/hwrng bs=64 count=16 2>/dev/null | wc -c)
	after=$(irq_total "^$dev-")
	diag "$pci ($dev, $(cat "$grp/type")): $bytes bytes, interrupts $before -> $after"
	[ "$bytes" = 1024 ] && [ "$after" -gt "$before" ]
}
type=$(cat "$grp/type")
# Translated by default everywhere: on the G-stage the MSI page table
# carries the MSIs, on the first stage the domain maps the interrupt files.
check "$pci: default domain is translated ($type)" \
	sh -c 'case $1 in DMA|DMA-FQ) true ;; *) false ;; esac' - "$type"
switch identity
check "switched to identity (now $(cat "$grp/type"))" [ "$(cat "$grp/type")" = identity ]
check "virtio-rng works, its MSIs arrive (identity)" rng_works
switch DMA
check "switched back to DMA (now $(cat "$grp/type"))" [ "$(cat "$grp/type")" = DMA ]
check "virtio-rng works, its MSIs arrive (DMA)" rng_works
done_testing
