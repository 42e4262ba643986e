#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The RISC-V IOMMU probes (or, on profiles without one, is absent).
# Driver messages are prefixed by its PCI or platform driver name.
. /tests/lib.sh
plan 2
drv='(iommu_pci|riscv,iommu) '
n=$(ls /sys/class/iommu 2>/dev/null | wc -l)
diag "iommus: $(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')"
dmesg | grep -E "$drv" | head -n 5 | sed 's/^/# /'
if expects iommu; then
	check "an IOMMU is registered" [ "$n" -ge 1 ]
	check "riscv-iommu probed without errors" \
		sh -c "! dmesg | grep -E '$drv' | grep -qiE 'fail|error'"
else
	check "no IOMMU is registered" [ "$n" = 0 ]
	check "no RISC-V IOMMU driver messages" sh -c "! dmesg | grep -qE '$drv'"
fi
done_testing
