#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The translation stage chosen at probe, as the debugfs DC view shows it:
# with a G-stage, MSI_FLAT and an IMSIC every device context runs on the
# G-stage (valid, iohgatp set with a GSCID, fsc Bare); otherwise on the
# first stage (iohgatp Bare).
. /tests/lib.sh
if ! expects iommu; then
	plan 1; skip "profile has no IOMMU"; exit 0
fi
f=$(ls /sys/kernel/debug/iommu/riscv-iommu@*/dc 2>/dev/null | head -n1)
grep ' did=' "$f" > /tmp/dcs 2>/dev/null
plan $((2 + $(wc -l < /tmp/dcs)))
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
while read -r name rest; do
	if expects gstage; then
		check "$name: valid G-stage context (iohgatp mode $(kv iohgatp.mode "$rest"), GSCID $(kv iohgatp.gscid "$rest"), fsc Bare)" \
			gstage_dc "$rest"
	else
		check "$name: iohgatp Bare" [ "$(kv iohgatp.mode "$rest")" = 0 ]
	fi
done < /tmp/dcs
done_testing
