#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# MSIs routed through KVM_IRQFD into a KVM guest's IMSIC interrupt file,
# by the series' KVM selftest tools/testing/selftests/kvm/riscv/
# aia_irqfd_test (a guest counting the interrupts it claims, per
# identity): 100 irqfd signals must become exactly 100 interrupts on the
# routed identity and none on any other, in EMUL mode (software interrupt
# file) everywhere, and in HWACCEL and AUTO mode (a guest interrupt file of
# the host CPU) exactly where the profile has guest interrupt files
# (EXPECT "guestfiles"); without them KVM must refuse those two modes.
# This is the software path an assigned device's MSIs take to a guest.
# Then 2000 raises at random times (-j 300: each up to 300 us after the
# previous one was counted), which also land while the vCPU is on its way
# into WFI, in each mode the profile gives, with a busy loop on every CPU
# (QEMU's threads then compete for the host's cores, as on a loaded host):
# exactly 2000 again. Without kvm_riscv_aia_hgeie_sync() (patch "Work
# around QEMU losing SGEIP"), QEMU 10.0.2 lost a raise in 9 of 16 such
# runs in HWACCEL and AUTO mode; with it, in none of 16.
. /tests/lib.sh
t=/tests/kvm/aia_irqfd_test
jmodes=emul
expects guestfiles && jmodes="emul hwaccel auto"
set -- $jmodes
plan $((4 + $#))
check "KVM is available (/dev/kvm) and the selftest is in the initramfs" \
	sh -c "[ -c /dev/kvm ] && [ -x $t ]"
for m in emul hwaccel auto; do
	$t -m $m -n 100 > /tmp/kvm-$m.out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/kvm-$m.out
	if [ $m = emul ] || expects guestfiles; then
		check "$m: 100 irqfd signals -> 100 guest interrupts on the routed identity, none elsewhere (rc $rc)" \
			sh -c "[ $rc = 0 ] && grep -q '^ok 1 mode .*: 100 irqfd signals -> 100 interrupts on identity 5, 0 on others' /tmp/kvm-$m.out"
	else
		check "$m: refused without guest interrupt files (selftest skip, rc $rc)" \
			sh -c "[ $rc = 4 ] && grep -q 'AIA mode .* refused' /tmp/kvm-$m.out"
	fi
done
hogs=
for c in $(seq "$(nproc)"); do
	sh -c 'while :; do :; done' &
	hogs="$hogs $!"
done
for m in $jmodes; do
	$t -m $m -n 2000 -j 300 > /tmp/kvm-j-$m.out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/kvm-j-$m.out
	check "$m: 2000 irqfd signals at random times -> 2000 guest interrupts on the routed identity, none elsewhere (rc $rc)" \
		sh -c "[ $rc = 0 ] && grep -q '^ok 1 mode .*: 2000 irqfd signals -> 2000 interrupts on identity 5, 0 on others' /tmp/kvm-j-$m.out"
done
kill $hogs
done_testing
