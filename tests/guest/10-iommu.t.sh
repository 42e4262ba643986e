#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The RISC-V IOMMU probes (or, on profiles without one, is absent), as a
# platform device where the profile declares "sysiommu" (iommu-sys=on),
# else as a PCI function. Driver messages are prefixed by its PCI or
# platform driver name.
. /tests/lib.sh
if expects iommu; then plan 3; else plan 2; fi
drv='(iommu_pci|riscv,iommu) '
n=$(ls /sys/class/iommu 2>/dev/null | wc -l)
diag "iommus: $(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')"
dmesg | grep -E "$drv" | head -n 5 | sed 's/^/# /'
if expects iommu; then
	check "an IOMMU is registered" [ "$n" -ge 1 ]
	check "riscv-iommu probed without errors" \
		sh -c "! dmesg | grep -E '$drv' | grep -qiE 'fail|error'"
	# which bus each registered IOMMU (riscv-iommu@DEVICE) is on
	where=
	for i in /sys/class/iommu/*; do
		[ -e "$i" ] || continue
		d=${i##*/}; d=${d#*@}
		if [ -e "/sys/bus/pci/devices/$d" ]; then where="$where pci"
		elif [ -e "/sys/bus/platform/devices/$d" ]; then where="$where platform"
		else where="$where other:$d"
		fi
	done
	if expects sysiommu; then
		check "the IOMMU is a platform device (${where# })" [ "${where# }" = platform ]
	else
		check "the IOMMU is a PCI function (${where# })" [ "${where# }" = pci ]
	fi
else
	check "no IOMMU is registered" [ "$n" = 0 ]
	check "no RISC-V IOMMU driver messages" sh -c "! dmesg | grep -qE '$drv'"
fi
done_testing
