#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# MRIF notices are bounded per CPU, not per device: in MRIF mode the IOMMU
# uses at most 8 notice irqs per CPU however many devices it manages, and
# every device behind it still gets its MSIs. Meant for the manydev
# profile (24 endpoints); the bound is asserted on every isolated profile.
. /tests/lib.sh
plan 4
mrif=$(ls /sys/kernel/debug/iommu/riscv-iommu@*/mrif 2>/dev/null | head -n1)
if ! expects isolated || [ -z "$mrif" ]; then
	skip "not in MRIF mode"; skip "devices"; skip "rngs"; skip "MSIs"; exit 0
fi
n=$(sed -n 's/^notices per cpu=\([0-9]*\) .*/\1/p' "$mrif")
devs=$(grep -c '^[0-9a-f][0-9a-f]*:.* ids=' "$mrif")
ncpu=$(grep -c ^processor /proc/cpuinfo)
notices=$(grep -c 'mrif-notice' /proc/interrupts)
diag "$devs devices with MRIFs, $n notice irqs per CPU, $notices notice lines in /proc/interrupts ($(wc -c < /proc/interrupts) bytes, $(wc -l < /proc/interrupts) lines)"
good=0
[ -n "$n" ] && [ "$n" -ge 1 ] && [ "$n" -le 8 ] && [ "$notices" -le $((8 * ncpu)) ] && good=1
check "IMSIC identities used by notices per CPU: $n (at most 8, $devs devices)" [ $good = 1 ]
if ! expects manydev; then
	skip "profile has few devices"; skip "rngs"; skip "MSIs"; done_testing
fi
check "$devs devices have MRIFs (at least 24)" [ "$devs" -ge 24 ]

# Read from every virtio-rng in turn: a read completes only through the
# device's MSI (virtio-rng does not poll). Record which devices fired.
rngs=$(cat /sys/class/misc/hw_random/rng_available)
bound=$(ls /sys/bus/virtio/drivers/virtio_rng | grep -c '^virtio')
: > /tmp/fired
ok_reads=0 total=0
for r in $rngs; do
	case $r in virtio_rng*) ;; *) continue ;; esac
	total=$((total + 1))
	for d in $(ls /sys/bus/virtio/drivers/virtio_rng | grep '^virtio'); do
		echo "$d $(irq_total "^$d-")"
	done > /tmp/before
	echo "$r" > /sys/class/misc/hw_random/rng_current
	bytes=$(timeout 10 dd if=/dev/hwrng bs=64 count=1 2>/dev/null | wc -c)
	[ "$bytes" = 64 ] && ok_reads=$((ok_reads + 1))
	while read -r d c; do
		[ "$(irq_total "^$d-")" -gt "$c" ] && echo "$d" >> /tmp/fired
	done < /tmp/before
done
fired=$(sort -u /tmp/fired | wc -l)
good=0
[ "$total" -ge 21 ] && [ "$ok_reads" = "$total" ] && [ "$total" = "$bound" ] && good=1
check "$ok_reads of $total virtio-rngs ($bound bound) delivered 64 bytes" [ $good = 1 ]
check "$fired of $bound virtio-rng devices raised MSIs" [ "$fired" = "$bound" ]
done_testing
