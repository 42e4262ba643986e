#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# DMA aliases. Requests from behind a conventional PCI bridge carry the
# bridge's requester ID, so the IOMMU cannot tell the bridge and the
# devices behind it apart: they must share one MSI page table, which every
# device context of theirs points to (not each device its own, the last
# one written winning), and their MSIs are remapped but not isolated. Each
# device keeps its own GSCID, which its own context carries; the shared
# ID's context carries the GSCID of the device whose domain it follows,
# and never that of a device that is gone. Each device's MSIs work from
# either CPU; removing one leaves the shared contexts valid and the other
# device working; a rescan brings it back into the same set. Meant for the
# manydev profile (a pci-bridge with two virtio-rng behind it).
. /tests/lib.sh
if ! expects alias; then
	plan 1; skip "profile has no devices behind a conventional PCI bridge"; exit 0
fi
plan 11
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

# sets NAMES...: "contexts valid tables" over the device contexts of those
# devices, as the debugfs DC view lists them (one line per ID).
sets() {
	pat=$(echo "$*" | sed 's/ /|/g')
	grep -E "^($pat) did=" "$f" > /tmp/alias-dcs
	echo "$(wc -l < /tmp/alias-dcs) $(grep -c ' v=1 ' /tmp/alias-dcs)" \
		"$(sed -n 's/.* msiptp.ppn=\(0x[0-9a-f]*\) .*/\1/p' /tmp/alias-dcs | sort -u | wc -l)"
}
# one_set CONTEXTS VALID TABLES MIN: at least MIN contexts, all valid, one
# table
one_set() { [ "$1" -ge "$4" ] && [ "$1" = "$2" ] && [ "$3" = 1 ]; }
# did NAME: the device's own requester ID, as the DC view prints it
did() {
	_r=${1#*:}; _fn=${_r#*.}; _dv=${_r%.*}; _dv=${_dv#*:}; _r=${_r%%:*}
	printf '%#x' $(((0x$_r << 8) | (0x$_dv << 3) | _fn))
}
# own NAME: the device's GSCID; dcg NAME DID: the GSCID of that context
own() { sed -n "s/^$1 table=.* gscid=\([0-9]*\) .*/\1/p" "$msi"; }
dcg() { sed -n "s/^$1 did=$2 .* iohgatp.gscid=\([0-9]*\) .*/\1/p" "$f" | head -n1; }
# gscids BRIDGE DEVS...: "OK own:GSCIDS shared:GSCID": OK is 1 if all of
# them have their own GSCIDs, distinct and not 0, each device's own context
# carries its own, and the bridge ID's context (the shared one) carries
# one of them.
gscids() {
	_all=" " _ok=1 _sh=$(dcg "$1" "$(did "$1")")
	for _d; do
		_g=$(own "$_d")
		[ -n "$_g" ] && [ "$_g" != 0 ] || _ok=0
		case "$_all" in *" $_g "*) _ok=0 ;; esac
		_all="$_all$_g "
		[ "$_d" = "$1" ] || [ "$(dcg "$_d" "$(did "$_d")")" = "$_g" ] || _ok=0
	done
	case "$_all" in *" $_sh "*) ;; *) _ok=0 ;; esac
	echo "$_ok own:$(echo $_all | tr ' ' ,) shared:$_sh"
}
# one_table: among all valid contexts, each GSCID has one G-stage table
one_table() {
	grep ' did=' "$f" | awk '/ v=1 / {
		g = $0; sub(/.* iohgatp.gscid=/, "", g); sub(/ .*/, "", g)
		p = $0; sub(/.* iohgatp.mode=/, "", p); sub(/ fsc.*/, "", p)
		sub(/iohgatp.gscid=[0-9]* /, "", p)
		if ((g in tab) && tab[g] != p) bad = 1
		tab[g] = p; n++
	}
	END { exit !(n > 0 && !bad) }'
}
sed 's/^/# /' "$f" | grep -E "^# ($br|$a|$b) "
s=$(sets "$br" "$a" "$b")
# bridge [own], each device [own, bridge]: five contexts
check "one MSI table for the bridge and both devices, every context valid (contexts, valid, tables: $s)" \
	one_set $s 5
gs=$(gscids "$br" "$a" "$b")
check "each has its own GSCID in its own context, the bridge ID one of theirs ($gs)" \
	[ "${gs%% *}" = 1 ]

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

# The group to identity and back to DMA, with the drivers unbound: the
# core attaches one device at a time; after each switch every device's own
# context carries its GSCID, the shared one one of theirs, and no GSCID
# has two G-stage tables.
grp=$(basename "$(readlink "/sys/bus/pci/devices/$a/iommu_group")")
for d in $a $b; do echo "$d" > "/sys/bus/pci/devices/$d/driver/unbind"; done
sw=
for t in identity DMA; do
	r=refused
	echo "$t" > "/sys/kernel/iommu_groups/$grp/type" 2>/dev/null &&
		[ "$(cat "/sys/kernel/iommu_groups/$grp/type")" = "$t" ] && r=ok
	o=0; one_table && o=1
	gs=$(gscids "$br" "$a" "$b")
	sw="$sw $t:$r:$o:${gs%% *}"
	diag "$t: $gs"
done
for d in $a $b; do echo "$d" > /sys/bus/pci/drivers/virtio-pci/bind; done
check "group $grp to identity and back to DMA (type switched, one table per GSCID, own GSCIDs:$sw)" \
	[ "$sw" = " identity:ok:1:1 DMA:ok:1:1" ]
r5=$(pin "$a" "$last"; pin "$b" 0; read_all "$a" "$b")
check "after rebinding both devices deliver MSIs ($r5)" [ "$r5" = "1 1 1" ]

# Remove the device whose GSCID the shared context carries (the core
# attached it last): the contexts the other one uses stay valid, in the
# same set, and the shared one no longer carries the removed one's GSCID.
sg=$(dcg "$br" "$(did "$br")")
if [ "$(own "$a")" = "$sg" ]; then t=$a; a=$b; b=$t; fi
gb=$(own "$b")
check "the shared context carries the GSCID of $b ($sg) before it goes" [ "$gb" = "$sg" ]
echo 1 > "/sys/bus/pci/devices/$b/remove"
s=$(sets "$br" "$a")
gs=$(gscids "$br" "$a")
check "after removing $b (GSCID $gb): $br and $a keep one valid set ($s; $gs)" \
	sh -c '[ "$1" -ge 3 ] && [ "$1" = "$2" ] && [ "$3" = 1 ] && [ "$4" = 1 ]' \
	- $s "${gs%% *}"
r3=$(pin "$a" "$last"; read_all "$a")
check "$a still delivers MSIs (reads ok, fired: $r3)" [ "$r3" = "1 1" ]

# Rescan: the removed device joins the set again.
echo 1 > /sys/bus/pci/rescan
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -d "/sys/bus/pci/devices/$b/virtio"* ] 2>/dev/null && break
	sleep 1
done
s=$(sets "$br" "$a" "$b")
gs=$(gscids "$br" "$a" "$b")
r4=$(pin "$b" "$last"; read_all "$a" "$b")
check "after rescan: $b back in the set ($s; $gs), both deliver ($r4)" \
	sh -c '[ "$4" = 1 ] && [ "$5 $6 $7" = "1 1 1" ] && [ "$1" -ge 5 ] && [ "$1" = "$2" ] && [ "$3" = 1 ]' \
	- $s "${gs%% *}" $r4
done_testing
