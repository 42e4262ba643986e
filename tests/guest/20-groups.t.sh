#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every PCI endpoint (not bridges, not the IOMMU itself) is in an IOMMU group
# when the profile has an IOMMU, and none is when it has not.
. /tests/lib.sh
eps=
for d in /sys/bus/pci/devices/*; do
	class=$(cat "$d/class")
	case $class in
	0x0604*|0x0600*) continue ;;	# PCI bridge, host bridge
	0x0806*) continue ;;		# the IOMMU
	esac
	eps="$eps $d"
done
set -- $eps
plan $(($# + 1))
check "PCI endpoints found ($#)" [ $# -ge 1 ]
for d; do
	name="$(basename "$d") [$(cat "$d/vendor"):$(cat "$d/device")]"
	if expects iommu; then
		check "$name is in IOMMU group $(basename "$(readlink "$d/iommu_group")")" \
			[ -L "$d/iommu_group" ]
	else
		check "$name is in no IOMMU group" [ ! -e "$d/iommu_group" ]
	fi
done
done_testing
