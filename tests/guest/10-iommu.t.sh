#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The RISC-V IOMMU probes (or, on profiles without one, is absent).
. /tests/lib.sh
plan 2
n=$(ls /sys/class/iommu 2>/dev/null | wc -l)
diag "iommus: $(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')"
dmesg | grep -i 'riscv-iommu\|riscv,iommu' | head -n 5 | sed 's/^/# /'
if expects iommu; then
	check "an IOMMU is registered" [ "$n" -ge 1 ]
	check "riscv-iommu probed without errors" \
		sh -c '! dmesg | grep -i "riscv-iommu" | grep -qi "fail\|error"'
else
	check "no IOMMU is registered" [ "$n" = 0 ]
	check "no riscv-iommu in the log" sh -c '! dmesg | grep -qi "riscv-iommu"'
fi
done_testing
