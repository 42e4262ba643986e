#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# DMA aliases. Requests from behind a conventional PCI bridge carry the
# bridge's requester ID, so the IOMMU cannot tell the bridge and the
# devices behind it apart: they must share one GSCID and one MSI page
# table, which every device context of theirs points to (not each device
# its own, the last one written winning), and their MSIs are remapped but
# not isolated. Each device's MSIs work from either CPU; removing one
# leaves the shared contexts valid and the other device working; a rescan
# brings it back into the same set. Meant for the manydev profile (a
# pci-bridge with two virtio-rng behind it).
. /tests/lib.sh
if ! expects alias; then
	plan 1; skip "profile has no devices behind a conventional PCI bridge"; exit 0
fi
plan 7
f=$(ls /sys/kernel/debug/iommu/riscv-iommu@*/dc 2>/dev/null | head -n1)
msi=${f%/dc}/msi
mrif=${f%/dc}/mrif
ncpu=$(grep -c ^processor /proc/cpuinfo)
br=
for d in /sys/bus/pci/devices/*; do
	# QEMU's pci-bridge: conventional, its own ID is the alias
	[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1b36:0x0001 ] && br=${d##*/}
done
set -- $(cd "/sys/bus/pci/devices/$br" 2>/dev/null && ls -d 0000:* 2>/dev/null)
a=${1:-none} b=${2:-none}
check "bridge ${br:-none} with two devices behind it ($*)" \
	sh -c '[ -n "$1" ] && [ "$2" = 2 ]' - "$br" "$#"

# sets NAMES...: "contexts valid gscids tables" over the device contexts
# of those devices, as the debugfs DC view lists them (one line per ID).
sets() {
	pat=$(echo "$*" | sed 's/ /|/g')
	grep -E "^($pat) did=" "$f" > /tmp/alias-dcs
	echo "$(wc -l < /tmp/alias-dcs) $(grep -c ' v=1 ' /tmp/alias-dcs)" \
		"$(sed -n 's/.* iohgatp.gscid=\([0-9]*\) .*/\1/p' /tmp/alias-dcs | sort -u | wc -l)" \
		"$(sed -n 's/.* msiptp.ppn=\(0x[0-9a-f]*\) .*/\1/p' /tmp/alias-dcs | sort -u | wc -l)"
}
# one_set MIN: at least MIN contexts, all valid, one GSCID, one table
one_set() { [ "$2" -ge "$1" ] && [ "$2" = "$3" ] && [ "$4" = 1 ] && [ "$5" = 1 ]; }
gscid_of() { sed -n "s/^$1 did=.* iohgatp.gscid=\([0-9]*\) .*/\1/p" "$f" | head -n1; }
sed 's/^/# /' "$f" | grep -E "^# ($br|$a|$b) "
s=$(sets "$br" "$a" "$b")
# bridge [own], each device [own, bridge]: five contexts
check "one GSCID and one MSI table for the bridge and both devices (contexts, valid, GSCIDs, tables: $s)" \
	one_set 5 $s
g=$(gscid_of "$br")

# Flat entries in a table they share: not isolated, no MRIFs.
bad=0
for d in $br $a $b; do
	grep -q "^$d table=.* shared=1" "$msi" || bad=1
	grep -q "^$d " "$mrif" 2>/dev/null && bad=1
done
check "their MSI table is marked shared, none of them has MRIFs" [ $bad = 0 ]

# count DEV: MSIs the device's vectors took, on every CPU
count() {
	n=0
	for i in $(ls "/sys/bus/pci/devices/$1/msi_irqs" 2>/dev/null); do
		for c in $(tr ',' ' ' < "/sys/kernel/irq/$i/per_cpu_count"); do n=$((n + c)); done
	done
	echo $n
}
# pin DEV CPU: every vector of the device to CPU
pin() {
	for i in $(ls "/sys/bus/pci/devices/$1/msi_irqs" 2>/dev/null); do
		echo "$2" > "/proc/irq/$i/smp_affinity_list" 2>/dev/null
	done
}
# read_all: 64 bytes from every virtio-rng (each read completes through its
# device's MSI); prints "reads-ok DEV-fired..." for the devices given
read_all() {
	for d; do echo "$d $(count "$d")"; done > /tmp/alias-before
	good=1
	for r in $(cat /sys/class/misc/hw_random/rng_available); do
		case $r in virtio_rng*) ;; *) continue ;; esac
		echo "$r" > /sys/class/misc/hw_random/rng_current
		[ "$(timeout 10 dd if=/dev/hwrng bs=64 count=1 2>/dev/null | wc -c)" = 64 ] || good=0
	done
	out=$good
	while read -r d c; do
		if [ "$(count "$d")" -gt "$c" ]; then out="$out 1"; else out="$out 0"; fi
	done < /tmp/alias-before
	echo "$out"
}
last=$((ncpu - 1))
r1=$(pin "$a" "$last"; pin "$b" 0; read_all "$a" "$b")
r2=$(pin "$a" 0; pin "$b" "$last"; read_all "$a" "$b")
check "both devices deliver MSIs on CPU 0 and CPU $last (reads ok, $a, $b fired: $r1 / $r2)" \
	[ "$r1 / $r2" = "1 1 1 / 1 1 1" ]

# Remove one: the contexts the other uses stay valid, in the same set.
echo 1 > "/sys/bus/pci/devices/$b/remove"
s=$(sets "$br" "$a")
check "after removing $b: $br and $a keep one valid set, GSCID $(gscid_of "$a") (was $g) ($s)" \
	sh -c '[ "$1" = "$2" ] && shift 2 && [ "$1" -ge 3 ] && [ "$1" = "$2" ] && [ "$3" = 1 ] && [ "$4" = 1 ]' \
	- "$(gscid_of "$a")" "$g" $s
r3=$(pin "$a" "$last"; read_all "$a")
check "$a still delivers MSIs (reads ok, fired: $r3)" [ "$r3" = "1 1" ]

# Rescan: the removed device joins the set again.
echo 1 > /sys/bus/pci/rescan
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -d "/sys/bus/pci/devices/$b/virtio"* ] 2>/dev/null && break
	sleep 1
done
s=$(sets "$br" "$a" "$b")
r4=$(pin "$b" "$last"; read_all "$a" "$b")
check "after rescan: $b back in the set, GSCID $(gscid_of "$b") ($s), both deliver ($r4)" \
	sh -c '[ "$1" = "$2" ] && [ "$7 $8 $9" = "1 1 1" ] && shift 2 && [ "$1" -ge 5 ] && [ "$1" = "$2" ] && [ "$3" = 1 ] && [ "$4" = 1 ]' \
	- "$(gscid_of "$b")" "$(gscid_of "$a")" $s $r4
done_testing
