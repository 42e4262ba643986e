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
plan $((4 + 2 * $(wc -l < /tmp/dcs) + $(echo $groups | wc -w)))
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
# The MSI tables: every device maps exactly the S-level file of each hart
# to itself (basic PTEs), and nothing else.
msi=${f%/dc}/msi
if expects gstage; then
	sed 's/^/# /' "$msi"
	check "MSI tables map each of the $ncpu S-level files to itself, nothing else" \
		awk -v ncpu="$ncpu" '
			!/^ / { if (dev != "" && n != ncpu) bad = 1; dev = $1; n = 0; devs++; next }
			{ split($2, g, "="); split($4, t, "=");
			  if ($3 != "mode=basic" || g[2] != t[2]) bad = 1; n++ }
			END { if (dev != "" && n != ncpu) bad = 1; exit bad || !devs }' "$msi"
else
	check "no MSI table view without MSI page tables" [ ! -e "$msi" ]
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
