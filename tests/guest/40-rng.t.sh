#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# virtio-rng delivers entropy, and its MSI-X vector fires.
. /tests/lib.sh
plan 3
if ! expects rng; then
	skip "profile has no virtio-rng"; skip "read"; skip "irq"; exit 0
fi
dev=$(ls /sys/bus/virtio/drivers/virtio_rng 2>/dev/null | grep '^virtio' | head -n1)
check "virtio-rng bound ($dev)" [ -n "$dev" ]
before=$(irq_total "^$dev-")
bytes=$(dd if=/dev/hwrng bs=64 count=16 2>/dev/null | wc -c)
after=$(irq_total "^$dev-")
check "read $bytes bytes from /dev/hwrng" [ "$bytes" = 1024 ]
check "$dev interrupts: $before -> $after" [ "$after" -gt "$before" ]
done_testing
