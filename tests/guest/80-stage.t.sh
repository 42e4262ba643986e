#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The translation stage chosen at probe, as the debugfs DC view shows it:
# with a G-stage, MSI_FLAT and an IMSIC every device context runs on the
# G-stage (valid, iohgatp set with a GSCID, fsc Bare) with its own MSI page
# table live (msiptp Flat, the IMSIC window) and the window reported as a
# hardware MSI reserved region of its group; otherwise on the first stage
# (iohgatp Bare, msiptp Off), the window still reserved (first-stage
# domains map the CPUs' S-level files there).
. /tests/lib.sh
if ! expects iommu; then
	plan 1; skip "profile has no IOMMU"; exit 0
fi
f=$(ls /sys/kernel/debug/iommu/riscv-iommu@*/dc 2>/dev/null | head -n1)
grep ' did=' "$f" > /tmp/dcs 2>/dev/null
groups=$(ls -d /sys/kernel/iommu_groups/* 2>/dev/null)
ncpu=$(grep -c ^processor /proc/cpuinfo)
n=0; expects gstage && n=1
plan $((6 + n + 2 * $(wc -l < /tmp/dcs) + $(echo $groups | wc -w)))
check "debugfs DC view exists ($f)" [ -r "$f" ]
sed 's/^/# /' "$f"
if expects gstage; then
	check "IOMMU runs every domain on the G-stage" grep -qx 'stage: g-stage' "$f"
else
	check "IOMMU runs domains on the first stage" grep -qx 'stage: first-stage' "$f"
fi
kv() { echo " $2 " | sed -n "s/.* $1=\([^ ]*\) .*/\1/p"; }
# nz VALUE: present and not zero (an absent field is not "not zero")
nz() { [ -n "$1" ] && ! echo "$1" | grep -qE '^(0x)?0+$'; }
gstage_dc() {
	[ "$(kv v "$1")" = 1 ] && nz "$(kv iohgatp.mode "$1")" &&
		nz "$(kv iohgatp.gscid "$1")" && [ "$(kv fsc.mode "$1")" = 0 ]
}
msi_live() {
	[ "$(kv msiptp.mode "$1")" = 1 ] && nz "$(kv msiptp.ppn "$1")" &&
		nz "$(kv msi_addr_pattern "$1")"
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
# Each device has its own GSCID (the MSI table view gives it), none shared,
# none 0, carried by its contexts; but DMA aliases (devices the IOMMU
# cannot tell apart, which share one table, marked shared) have contexts
# they share, which carry the GSCID of one device of their set. And the
# specification's rule: contexts with one GSCID have one G-stage table.
gscids() { sed -n 's/^\([^ ]*\) .* iohgatp.gscid=\([0-9]*\) .*/\1 \2/p' /tmp/dcs | sort -u; }
msi=${f%/dc}/msi
shared() { grep -q "^$1 table=.* shared=1" "$msi" 2>/dev/null; }
own_gscids() {
	awk 'NR == FNR {
		if ($0 !~ / table=/) next
		g = $0; sub(/.* gscid=/, "", g); sub(/ .*/, "", g)
		t = $2; sub(/table=/, "", t)
		own[$1] = g; tbl[$1] = t; sh[$1] = ($0 ~ / shared=1/); n++
		if (g == 0 || (g in used)) bad = 1
		used[g] = 1; set[t " " g] = 1; next
	}
	/ v=1 / && ($1 in own) {
		g = $0; sub(/.* iohgatp.gscid=/, "", g); sub(/ .*/, "", g)
		if (sh[$1] ? !((tbl[$1] " " g) in set) : g != own[$1]) bad = 1
	}
	END { exit !(n > 0 && !bad) }' "$msi" /tmp/dcs
}
# one_table: among valid contexts, each GSCID has one (mode, PPN)
one_table() {
	awk '/ v=1 / {
		g = $0; sub(/.* iohgatp.gscid=/, "", g); sub(/ .*/, "", g)
		m = $0; sub(/.* iohgatp.mode=/, "", m); sub(/ .*/, "", m)
		p = $0; sub(/.* iohgatp.ppn=/, "", p); sub(/ .*/, "", p)
		if ((g in tab) && tab[g] != m " " p) bad = 1
		tab[g] = m " " p; n++
	}
	END { exit !(n > 0 && !bad) }' /tmp/dcs
}
if expects gstage; then
	check "each device has its own GSCID, which its contexts carry ($(gscids | awk '{ printf "%s ", $2 }'))" \
		own_gscids
	check "contexts with one GSCID have one G-stage table" one_table
else
	check "no GSCID in use on the first stage" \
		sh -c '[ -z "$(echo "$1" | awk "\$2 != 0")" ]' - "$(gscids)"
fi
# The MSI tables: each device is remapped by its own irq domain, and its
# table maps exactly the S-level files that its MSI vectors target: one
# reference per vector on the file of its CPU, plus one on the file it left
# if it moved and has not fired since. Flat mode maps each such file to
# itself (basic entries); isolated mode to the device's MRIF for that CPU,
# with the notice sent to that CPU's file (MRIF entries). Shared tables
# (DMA aliases, flat entries whatever the mode) are 94-alias's.
if expects gstage; then
	sed 's/^/# /' "$msi"
	if expects isolated; then
		mode=mrif cur=mrif_cpu prev=mrif_prev_cpu
	else
		mode=basic cur=msi_pte prev=msi_pte_prev
	fi
	index_of_cpu() { sed -n "s/^cpu$1 file=.* index=//p" "$msi"; }
	bad=0
	: > /tmp/vecs
	for d in /sys/bus/pci/devices/*; do
		[ -d "$d/msi_irqs" ] || continue
		# Behind the IOMMU (it has a group): it must have a table.
		# Only the IOMMU's own function has MSIs and no group.
		if ! grep -q "^${d##*/} table=" "$msi"; then
			if [ -e "$d/iommu_group" ]; then
				bad=1
				diag "${d##*/}: MSIs ($(ls "$d/msi_irqs" | tr '\n' ' ')) but no MSI table"
			fi
			continue
		fi
		shared "${d##*/}" && continue
		for irq in $(ls "$d/msi_irqs"); do
			cpu=$(cat "/proc/irq/$irq/effective_affinity_list")
			idx=$(index_of_cpu "$cpu")
			c=$(irq_field "$irq" "$cur")
			p=$(irq_field "$irq" "$prev")
			# Inactive (a managed vector of an offline CPU): holds nothing
			if [ -z "$cpu" ]; then
				[ "$c" = -1 ] && [ "${p:--1}" = -1 ] || bad=1
				diag "${d##*/} irq $irq: inactive, holds $c, previous $p"
				continue
			fi
			# MRIF vectors say which CPU, flat ones which entry
			if expects isolated; then
				[ "$c" = "$cpu" ] || bad=1
				c=$idx
				[ "${p:--1}" -lt 0 ] || p=$(index_of_cpu "$p")
			else
				[ "$c" = "$idx" ] || bad=1
			fi
			diag "${d##*/} irq $irq: cpu $cpu (file $idx), holds $c, previous $p"
			echo "${d##*/} $c" >> /tmp/vecs
			[ "${p:--1}" -lt 0 ] || echo "${d##*/} $p" >> /tmp/vecs
		done
	done
	sort /tmp/vecs | uniq -c | awk '{ print $2, $3, $1 }' > /tmp/want
	awk '/ table=/ { dev = $1; sh = / shared=1/; next } /^cpu/ || sh { next }
		{ for (i = 2; i <= NF; i++) if ($i ~ /^refs=/) r = substr($i, 6);
		  print dev, $1, r }' "$msi" | sort > /tmp/have
	# Both conditions inside check: "check ... [ ] && [ ]" would assert
	# only the first and leave the "at least one vector" guard dead.
	check "every active vector holds the entry of its CPU's file ($(wc -l < /tmp/vecs) references, at least one)" \
		sh -c '[ "$1" = 0 ] && [ -s /tmp/vecs ]' - "$bad"
	check "MSI tables map the files of active vectors, one reference per vector ($(wc -l < /tmp/want) entries)" \
		cmp -s /tmp/want /tmp/have
	check "every valid entry is a $mode entry for an S-level file, every device has an irq domain" \
		awk -v mode="$mode" '
			/^cpu/ { split($2, f, "="); file[f[2]] = 1; next }
			/ table=/ { sh = / shared=1/; if (!sh && $4 != "remap=irq-domain") bad = 1; next }
			sh { next }
			{ split($2, g, "=");
			  if ($3 != "mode=" mode || !(g[2] in file)) bad = 1
			  if (mode == "basic") { split($4, t, "="); if (g[2] != t[2]) bad = 1 }
			  if (mode == "mrif") {
				split($4, a, "="); split($5, n, "=");
				if (n[2] != g[2] || a[2] !~ /[02468ace]00$/) bad = 1 } }
			END { exit bad }' "$msi"
else
	check "no MSI table view without MSI page tables" [ ! -e "$msi" ]
	skip "no MSI page tables"
	skip "no MSI page tables"
fi
# The IMSIC's S-level window, from its probe messages: every hart's
# interrupt files, 2^(hart-index-bits + guest-index-bits) pages from the
# base (one group).
dmesg | grep 'riscv-imsic: ' > /tmp/imsic
ibase=$(sed -n 's/.* at base address \(0x[0-9a-f]*\).*/\1/p' /tmp/imsic | head -n1)
hbits=$(sed -n 's/.*hart-index-bits: *\([0-9]*\).*/\1/p' /tmp/imsic | head -n1)
gbits=$(sed -n 's/.*guest-index-bits: *\([0-9]*\).*/\1/p' /tmp/imsic | head -n1)
window=
if [ -n "$ibase" ] && [ -n "$hbits" ] && [ -n "$gbits" ]; then
	window=$(printf '0x%016x 0x%016x' $((ibase)) $((ibase + (1 << (hbits + gbits + 12)) - 1)))
fi
diag "IMSIC S-level window: ${window:-unknown} (base $ibase, hart-index-bits $hbits, guest-index-bits $gbits)"
for g in $groups; do
	# A software MSI region prints "msi" too: the hardware one is the
	# IMSIC's window itself. G-stage: the MSI table takes the window;
	# first stage: every paging domain maps the S-level files there.
	r=$(grep ' msi$' "$g/reserved_regions" 2>/dev/null | tr '\n' ';')
	check "group $(basename "$g"): hardware MSI region at the IMSIC window ($r)" \
		grep -qx "${window:-none} msi" "$g/reserved_regions"
done
done_testing
