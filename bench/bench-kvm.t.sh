#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What a guest interrupt of an assigned device costs in KVM: samples for
# bench/run.sh. edu, bound to vfio-pci, is assigned to a one-vCPU guest by
# the series' KVM selftest aia_vfio_post_test in its bench mode (-B): in
# HWACCEL mode, where its MSIs are posted into the vCPU's guest interrupt
# file; in EMUL mode, where each goes through the host (vfio's interrupt,
# the irqfd, software injection): no bypass; and in AUTO mode with every
# guest interrupt file of the vCPU's CPU held by other VMs (-F): the
# fallback of a vCPU without a file, through the host to its software
# file. The three alternate, RUNS times each, BLOCKS blocks of RAISES
# raises a run. Per
# block, the round trip (raise to the guest's count moving) and, per guest
# interrupt, host interrupts, vCPU exits and csr_exit_kernel exits.
# Nothing is judged here: the TAP cases only check that each run
# delivered every raise. Each sample is one line
# "# bench: block=B fig=NAME value=V".
. /tests/lib.sh
t=/tests/kvm/aia_vfio_post_test
RUNS=3 BLOCKS=2 RAISES=100
if ! expects iommu || ! expects edu || ! expects guestfiles || ! expects gstage; then
	plan 1
	skip "no IOMMU with the G-stage, edu or guest interrupt files: nothing to post"
	done_testing
fi
plan $((3 * RUNS + 2))
edu_assign
check "edu ($bdf) bound to vfio-pci (was \"$old_driver\")" [ "$(edu_driver)" = vfio-pci ]
# MSIs not isolated (flat): the type1 container needs the permission.
unsafe_interrupts_allow

k=0
while [ $k -lt $RUNS ]; do
	for m in hwaccel emul fallback; do
		case $m in
		hwaccel) args="-m hwaccel -e posted" ;;
		emul) args="-m emul -e software" ;;
		fallback) args="-m auto -e software -F 1" ;;
		esac
		out=/tmp/bench-kvm-$m.out
		# shellcheck disable=SC2086
		$t -d "$bdf" $args -n $RAISES -B $BLOCKS > $out 2>&1
		rc=$?
		# the samples as they are, block numbers made unique per run
		sed -n 's/^# bench: block=\([0-9]*\) /\1 /p' $out | while read -r b rest; do
			echo "# bench: block=$((k * BLOCKS + b)) $rest"
		done
		grep -v '^# bench: ' $out | sed 's/^/# /'
		check "run $k, $m: $BLOCKS blocks of $RAISES raises, every raise delivered (rc $rc)" \
			sh -c "[ $rc = 0 ] && grep -q '^ok 1 costs $m: $BLOCKS blocks of $RAISES raises, 0 bad ' $out"
	done
	k=$((k + 1))
done

edu_release
unsafe_interrupts_restore
check "edu released (driver now \"$(edu_driver)\", was \"$old_driver\")" \
	[ "$(edu_driver)" != vfio-pci ]
done_testing
