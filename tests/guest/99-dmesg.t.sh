#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Last test: the kernel log of the whole boot, after every other test.
# Nothing may have logged at error level or worse unless a test declared
# that message expected (lib.sh: expect_log), and the IOMMU may have
# reported faults and MSIs to identities not owned only for edu, the
# device the spoof, DMA-fault and storm tests make misbehave on purpose:
# any other device's fault is a bug that no single test would notice.
# (WARN, BUG, lockdep, KASAN and kmemleak reports are the host parser's.)
. /tests/lib.sh
plan 5
# Boot KUnit (one profile) runs riscv-iommu-alias, whose fake devices (no
# struct device) the driver refuses on purpose; a real device is named.
if ! grep -q 'kunit.enable=0' /proc/cmdline; then
	expect_log '\(NULL device \*\): device IDs (shared with another device, whose MSIs go through MRIFs|of two sets of DMA aliases): not attached to the IOMMU$'
fi
dmesg -r > /tmp/klog
check "kernel log read with levels ($(wc -l < /tmp/klog) lines)" grep -q '^<[0-9]*>' /tmp/klog
# Level is the low 3 bits of <N>: 0 emerg .. 3 err.
sed -n 's/^<\([0-9]*\)>\(.*\)/\1 \2/p' /tmp/klog |
	awk '($1 % 8) <= 3 { $1 = ""; print substr($0, 2) }' > /tmp/klog.err
if [ -s "$RVMSI_EXPECTED_LOG" ]; then
	sed 's/^/# expected: /' "$RVMSI_EXPECTED_LOG"
	grep -vE -f "$RVMSI_EXPECTED_LOG" /tmp/klog.err > /tmp/klog.bad
else
	cp /tmp/klog.err /tmp/klog.bad
fi
sed 's/^/# error: /' /tmp/klog.bad
check "no error-level kernel message that no test expected ($(wc -l < /tmp/klog.err) at error level, $(wc -l < /tmp/klog.bad) unexpected)" \
	[ ! -s /tmp/klog.bad ]
# edu's device ID (requester ID) as the IOMMU prints it
edu=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] && edu=${d##*/}
done
eduid=none
if [ -n "$edu" ]; then
	b=${edu#*:}
	eduid=$(printf '0x%x' $(((0x${b%%:*} << 8) | (0x$(echo "$b" | cut -d: -f2 | cut -d. -f1) << 3) | ${b##*.})))
fi
grep 'Fault [0-9]* devid: ' /tmp/klog | grep -v "devid: $eduid " > /tmp/klog.faults
sed 's/^/# fault: /' /tmp/klog.faults
check "IOMMU faults only from edu ($edu, device ID $eduid): $(grep -c 'Fault [0-9]* devid: ' /tmp/klog) faults, $(wc -l < /tmp/klog.faults) from other devices" \
	[ ! -s /tmp/klog.faults ]
grep 'MSIs to identities it does not own' /tmp/klog | grep -v " ${edu:-none}: " > /tmp/klog.junk
sed 's/^/# junk: /' /tmp/klog.junk
check "MSIs to identities not owned only from edu ($(wc -l < /tmp/klog.junk) from other devices)" \
	[ ! -s /tmp/klog.junk ]
# make check-debug boots with iommu.debug_pagealloc=1 (issue: the
# identity map must not be built through iommu_map()): the core's page
# tracking must then really be on, so that its WARNs would show.
if grep -q 'iommu.debug_pagealloc=1' /proc/cmdline; then
	check "iommu.debug_pagealloc=1: the IOMMU core tracks page allocations" \
		grep -q 'iommu: Debugging page allocations' /tmp/klog
else
	check "no iommu.debug_pagealloc: the IOMMU core does not track page allocations" \
		sh -c '! grep -q "iommu: Debugging page allocations" /tmp/klog'
fi
done_testing
