#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The IMSIC's guest interrupt files, which the profile sets with
# aia-guests= and declares with the "guestfiles" EXPECT flag: the IMSIC
# reports guest-index-bits > 0 exactly when every hart has VS-level files,
# and KVM (when it is loaded) counts as many guest external interrupts as
# fit (at least one, fewer than 2^guest-index-bits), or none.
. /tests/lib.sh
plan 2
gbits=$(dmesg | sed -n 's/.*riscv-imsic: .*guest-index-bits: *\([0-9]*\).*/\1/p' | head -n1)
ngei=$(dmesg | sed -n 's/.*kvm \[[0-9]*\]: AIA available with \([0-9]*\) guest external interrupts.*/\1/p' | head -n1)
diag "IMSIC guest-index-bits: ${gbits:-?}; KVM guest external interrupts: ${ngei:-? (no KVM message)}"
if expects guestfiles; then
	check "IMSIC has guest files (guest-index-bits ${gbits:-absent} > 0)" \
		sh -c '[ -n "$1" ] && [ "$1" -gt 0 ]' - "$gbits"
	if [ -n "$ngei" ] || [ -d /sys/module/kvm ]; then
		check "KVM uses them: $ngei guest external interrupts, 1 to 2^$gbits - 1" \
			sh -c '[ -n "$1" ] && [ "$1" -ge 1 ] && [ "$1" -lt $((1 << $2)) ]' - "$ngei" "${gbits:-0}"
	else
		check "no KVM in this kernel, no guest external interrupts reported" [ -z "$ngei" ]
	fi
else
	check "IMSIC has no guest files (guest-index-bits ${gbits:-absent} = 0)" [ "$gbits" = 0 ]
	if [ -n "$ngei" ] || [ -d /sys/module/kvm ]; then
		check "KVM finds no guest external interrupt ($ngei)" [ "$ngei" = 0 ]
	else
		check "no KVM in this kernel, no guest external interrupts reported" [ -z "$ngei" ]
	fi
fi
done_testing
