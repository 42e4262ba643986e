#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The translation stage chosen at probe, as the debugfs DC view shows it:
# with a G-stage, MSI_FLAT and an IMSIC every device context runs on the
# G-stage (valid, iohgatp set with a GSCID, fsc Bare) with its own MSI page
# table live (msiptp Flat, the IMSIC window) and the window reported as a
# hardware MSI reserved region of its group; otherwise on the first stage
# (iohgatp Bare, msiptp Off) with no MSI region.
. /tests/lib.sh
if ! expects iommu; then
	plan 1; skip "profile has no IOMMU"; exit 0
fi
f=$(ls /sys/kernel/debug/iommu/riscv-iommu@*/dc 2>/dev/null | head -n1)
grep ' did=' "$f" > /tmp/dcs 2>/dev/null
groups=$(ls -d /sys/kernel/iommu_groups/* 2>/dev/null)
ncpu=$(grep -c ^processor /proc/cpuinfo)
plan $((6 + 2 * $(wc -l < /tmp/dcs) + $(echo $groups | wc -w)))
check "debugfs DC view exists ($f)" [ -r "$f" ]
sed 's/^/# /' "$f"
if expects gstage; then
	check "IOMMU runs every domain on the G-stage" grep -qx 'stage: g-stage' "$f"
else
	check "IOMMU runs domains on the first stage" grep -qx 'stage: first-stage' "$f"
fi
kv() { echo " $2 " | sed -n "s/.* $1=\([^ ]*\) .*/\1/p"; }
gstage_dc() {
	[ "$(kv v "$1")" = 1 ] && [ "$(kv iohgatp.mode "$1")" != 0 ] &&
		[ "$(kv iohgatp.gscid "$1")" != 0 ] && [ "$(kv fsc.mode "$1")" = 0 ]
}
msi_live() {
	[ "$(kv msiptp.mode "$1")" = 1 ] && [ "$(kv msiptp.ppn "$1")" != 0x0 ] &&
		[ "$(kv msi_addr_pattern "$1")" != 0x0 ]
}
msi_off() {
	m=$(kv msiptp.mode "$1")
	[ -z "$m" ] || [ "$m" = 0 ]
}
while read -r name rest; do
	if expects gstage; then
		check "$name: valid G-stage context (iohgatp mode $(kv iohgatp.mode "$rest"), GSCID $(kv iohgatp.gscid "$rest"), fsc Bare)" \
			gstage_dc "$rest"
		check "$name: MSI page table live (msiptp $(kv msiptp.ppn "$rest"), window $(kv msi_addr_pattern "$rest")/$(kv msi_addr_mask "$rest"))" \
			msi_live "$rest"
	else
		check "$name: iohgatp Bare" [ "$(kv iohgatp.mode "$rest")" = 0 ]
		check "$name: no MSI page table" msi_off "$rest"
	fi
done < /tmp/dcs
# MSI page tables are per device and the IOMMU tags cached MSI translations
# with the GSCID: no two devices may share one.
gscids() { sed -n 's/^\([^ ]*\) .* iohgatp.gscid=\([0-9]*\) .*/\1 \2/p' /tmp/dcs | sort -u; }
if expects gstage; then
	check "each device has its own GSCID ($(gscids | awk '{ printf "%s ", $2 }'))" \
		sh -c '[ -z "$(echo "$1" | awk "{ print \$2 }" | sort | uniq -d)" ] && [ -n "$1" ]' - "$(gscids)"
else
	check "no GSCID in use on the first stage" \
		sh -c '[ -z "$(echo "$1" | awk "\$2 != 0")" ]' - "$(gscids)"
fi
# The MSI tables: each device is remapped by its own irq domain, and its
# table maps exactly the S-level files that its MSI vectors target, each to
# itself (basic PTEs): one reference per vector on the file of its CPU, plus
# one on the file it left if it moved and has not fired since.
msi=${f%/dc}/msi
if expects gstage; then
	sed 's/^/# /' "$msi"
	bad=0
	: > /tmp/vecs
	for d in /sys/bus/pci/devices/*; do
		[ -d "$d/msi_irqs" ] || continue
		grep -q "^${d##*/} table=" "$msi" || continue
		for irq in $(ls "$d/msi_irqs"); do
			cpu=$(cat "/proc/irq/$irq/effective_affinity_list")
			idx=$(sed -n "s/^cpu$cpu file=.* index=//p" "$msi")
			pte=$(sed -n 's/^ *msi_pte: //p' "/sys/kernel/debug/irq/irqs/$irq")
			prev=$(sed -n 's/^ *msi_pte_prev: //p' "/sys/kernel/debug/irq/irqs/$irq")
			diag "${d##*/} irq $irq: cpu $cpu (file $idx), holds $pte, previous $prev"
			[ "$pte" = "$idx" ] || bad=1
			echo "${d##*/} $pte" >> /tmp/vecs
			[ "${prev:--1}" -lt 0 ] || echo "${d##*/} $prev" >> /tmp/vecs
		done
	done
	sort /tmp/vecs | uniq -c | awk '{ print $2, $3, $1 }' > /tmp/want
	awk '/ table=/ { dev = $1; next } /^cpu/ { next }
		{ split($5, r, "="); print dev, $1, r[2] }' "$msi" | sort > /tmp/have
	check "every active vector holds the entry of its CPU's file ($(wc -l < /tmp/vecs) references)" \
		[ $bad = 0 ] && [ -s /tmp/vecs ]
	check "MSI tables map the files of active vectors, one reference per vector ($(wc -l < /tmp/want) entries)" \
		cmp -s /tmp/want /tmp/have
	check "every valid entry maps an S-level file to itself, every device has an irq domain" \
		awk '/^cpu/ { split($2, f, "="); file[f[2]] = 1; next }
			/ table=/ { if ($4 != "remap=irq-domain") bad = 1; next }
			{ split($2, g, "="); split($4, t, "=");
			  if ($3 != "mode=basic" || g[2] != t[2] || !(t[2] in file)) bad = 1 }
			END { exit bad }' "$msi"
else
	check "no MSI table view without MSI page tables" [ ! -e "$msi" ]
	skip "no MSI page tables"
	skip "no MSI page tables"
fi
for g in $groups; do
	r=$(grep ' msi$' "$g/reserved_regions" 2>/dev/null | head -n1)
	if expects gstage; then
		check "group $(basename "$g"): hardware MSI region ($r)" [ -n "$r" ]
	else
		check "group $(basename "$g"): no hardware MSI region" [ -z "$r" ]
	fi
done
done_testing
