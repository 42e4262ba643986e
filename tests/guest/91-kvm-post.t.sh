#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# MSIs of an assigned device delivered to a KVM guest, by the series' KVM
# selftest tools/testing/selftests/kvm/riscv/aia_vfio_post_test: edu bound
# to vfio-pci and opened through a VFIO type1 container, its MSI routed to
# an eventfd that is the irqfd of a GSI routed to the vCPU's IMSIC
# (identity 5); the guest counts what it claims, per identity.
# In EMUL mode (software interrupt file) delivery is software: every MSI
# is a host vfio-msi interrupt that signals the eventfd, KVM injects it,
# and the device keeps its host message. In HWACCEL and AUTO mode (a guest
# interrupt file of the host CPU) the IOMMU posts the MSI straight into
# the vCPU's file where the profile has the G-stage and guest interrupt
# files (EXPECT "gstage" and "guestfiles") and posting is implemented
# (POSTING below): no host interrupt at all, no kernel exit, the vCPU's
# exits within the no-MSI baseline (its CPU's timer ticks over the same
# raises) + N/10, and the device writes a guest-file slot with identity
# 5; EMUL's trapping claims must exceed that bound, which shows it can
# fail. Elsewhere those modes are software too, and without guest
# interrupt files KVM refuses them. Each mode runs
# 100 raises, 20 moves of the vCPU thread between the two CPUs with a
# raise after each (-M, 50 in HWACCEL mode: posted, the vector follows the
# vCPU to a guest file of its new CPU), 20 switches of the route between
# identities 5 and 7 with a raise after each (-R, 500 in HWACCEL mode:
# each raise once on the identity routed then), the host vector moved to
# the other CPU while posted, then routed to no vCPU (declined: host
# message, nothing delivered) and back, moved again (-A: 10 raises before
# and after, posted, on the CPU asked for), in MRIF mode the message
# forged to another VM's guest file and to a host file while posted (-I:
# the first faults in the IOMMU and reaches nothing in the other VM, the
# second reaches no host vector and stays in edu's MRIF; moves and route
# switches fault nothing), routes to identity 0, past the VM's last
# identity and to the big-endian doorbell (-E: never posted, one host
# interrupt each, only the big-endian one delivered; the same eventfd as
# a second irqfd gets EBUSY and the first keeps delivering), and one raise with
# the guest's interrupts off (-P), then 20 raises with the guest waiting
# in WFI (-W); each run ends by deassigning the irqfd: host message back,
# the next raise a host interrupt only.
# With one guest file per hart (EXPECT "oneguest"), AUTO mode also runs
# the fallback (-F): the vCPU on a CPU whose only guest file another VM
# holds gets 20 raises through the host, then, once that VM is gone,
# takes the file and 20 raises are posted again; and the transitions
# (-T): a thread raises edu over and over, each raise waiting for the
# guest to count it, while the vCPU is moved 40 times to that CPU and
# back (an unpost and a post each time): no raise is lost.
. /tests/lib.sh
# Where HWACCEL and AUTO expect posted MSIs, on profiles with the G-stage
# and guest interrupt files: "all" (both remapping chips post), or "flat"
# (only the flat chip: profiles with "isolated" then expect software).
POSTING=all
t=/tests/kvm/aia_vfio_post_test
if ! expects edu; then
	plan 1
	skip "no edu device in this profile: no device to assign"
	done_testing
fi
# Without an IOMMU: vfio-pci in VFIO's no-IOMMU mode (a group noiommu-N
# and the no-IOMMU container backend); nothing can post, every mode must
# deliver by software.
noiommu=/sys/module/vfio/parameters/enable_unsafe_noiommu_mode
old_noiommu=$(cat $noiommu 2>/dev/null)
expects iommu || echo 1 > $noiommu
if expects guestfiles && expects oneguest; then
	n=55
elif expects guestfiles; then
	n=51
else
	n=21
fi
n=$((n + 6))
# -I where HWACCEL and AUTO post in MRIF mode
expects guestfiles && expects gstage && expects isolated && [ "$POSTING" = all ] &&
	n=$((n + 2))
expects tracing && n=$((n + 2))
# -X cpuoff where CPUs can go offline
expects hotplug && n=$((n + 1))
plan $n
check "KVM is available (/dev/kvm) and the selftest is in the initramfs" \
	sh -c "[ -c /dev/kvm ] && [ -x $t ]"

edu_assign
check "edu ($bdf) bound to vfio-pci (was \"$old_driver\")" [ "$(edu_driver)" = vfio-pci ]

# MSIs not isolated (no MRIF mode): the type1 container needs the permission.
unsafe_interrupts_allow
diag "isolated: $(expects isolated && echo yes || echo no), allow_unsafe_interrupts=$(cat $unsafe 2>/dev/null) (was $old_unsafe)"

# ok PATTERN: the last run's output has a passed case matching PATTERN
ok_line() { grep -q "^ok [0-9]* $1" "$out"; }
# either NAME-POSTED PATTERN-POSTED NAME-SOFTWARE PATTERN-SOFTWARE, by $e
either() {
	if [ $e = posted ]; then
		check "$m, posted: $1" ok_line "$2"
	else
		check "$m, software: $3" ok_line "$4"
	fi
}
vfio="vfio-msi\[0\]($bdf)"

for m in emul hwaccel auto; do
	e=software
	if [ $m != emul ] && expects gstage && expects guestfiles &&
		{ [ "$POSTING" = all ] || ! expects isolated; }; then
		e=posted
	fi
	if [ $m != emul ] && ! expects guestfiles; then
		out=/tmp/kvm-post-$m.out
		$t -d "$bdf" -m $m -e $e > $out 2>&1
		rc=$?
		sed 's/^/# /' $out
		check "$m: refused without guest interrupt files (selftest skip, rc $rc)" \
			sh -c "[ $rc = 4 ] && grep -q 'AIA mode .* refused' $out"
		continue
	fi

	out=/tmp/kvm-post-$m-P.out
	iso=
	[ $e = posted ] && expects isolated && iso=-I
	# HWACCEL: 50 ping-pong moves and 500 route switches; 20 elsewhere
	mv=20 sw=20
	[ $m = hwaccel ] && mv=50 sw=500
	$t -d "$bdf" -m $m -e $e -n 100 -M $mv -R $sw -A 10 $iso -E -P > $out 2>&1
	rc=$?
	sed 's/^/# /' $out
	check "$m: 100 edu raises -> 100 guest interrupts on identity 5, none elsewhere" \
		ok_line "$m: 100 edu raises -> 100 guest interrupts on identity 5, 0 on others"
	if [ $e = posted ]; then
		check "$m, posted: no host interrupt (vfio-msi, edu's MRIF notices), no kernel exit, vCPU exits within the no-MSI baseline + 10 for the 100 MSIs" \
			ok_line "posted: no host interrupt: $vfio +0, its MRIF notices +0 for 100 raises; vCPU csr_exit_kernel +0, exits -\{0,1\}[0-9]* beyond the baseline (at most 10)\$"
		check "$m, posted: the device writes a guest interrupt file slot, data 5" \
			ok_line "posted: device message 0x[0-9a-f]*/0x5 is a guest-file slot (guest index [1-9][0-9]*, in the IMSIC window: yes)"
		check "$m, posted: an MSI with the guest's interrupts off is pending in its file, no host interrupt" \
			ok_line "masked: 1 raise .* identity 5 pending in the vCPU's file (EIP0 0x[0-9a-f]*, seen by the guest: yes), $vfio +0 (want 0)"
	else
		if [ $m = emul ]; then
			# The posted bound, seen to fail where claims trap
			check "$m, software: one vfio-msi interrupt per MSI; the guest's claims trap: exits beyond the no-MSI baseline + 10" \
				ok_line "software: $vfio +100 for 100 raises (its MRIF notices +[0-9]*); emulated file: exits [0-9]* beyond the baseline (more than 10)\$"
		else
			check "$m, software: one vfio-msi interrupt per MSI" \
				ok_line "software: $vfio +100 for 100 raises"
		fi
		check "$m, software: the device keeps its host message" \
			ok_line "software: device message 0x[0-9a-f]*/0x[0-9a-f]* is the host message "
		check "$m, software: an MSI with the guest's interrupts off is pending in its file, one host interrupt" \
			ok_line "masked: 1 raise .* identity 5 pending in the vCPU's file (EIP0 0x[0-9a-f]*, seen by the guest: yes), $vfio +1 (want 1)"
	fi
	either "$mv moves of the vCPU between CPUs, each raise delivered, no host interrupt, posted to a guest file of the vCPU's CPU each time, no IOMMU fault" \
		"migrate: $mv moves between CPUs .* -> $mv interrupts, $vfio +0, posted to a guest file of the vCPU's CPU after $mv moves (.*), IOMMU faults +0\$" \
		"$mv moves of the vCPU between CPUs, each raise delivered through the host, no IOMMU fault" \
		"migrate: $mv moves between CPUs .* -> $mv interrupts, $vfio +$mv, IOMMU faults +0\$"
	either "$sw route switches between identities, each raise once on its identity, no host interrupt, no IOMMU fault" \
		"routing: $sw switches between identities 5 and 7 -> each raise on its identity: $sw, $sw interrupts in all, $vfio +0, IOMMU faults +0\$" \
		"$sw route switches between identities, each raise once on its identity through the host, no IOMMU fault" \
		"routing: $sw switches between identities 5 and 7 -> each raise on its identity: $sw, $sw interrupts in all, $vfio +$sw, IOMMU faults +0\$"
	either "host vector moved to the other CPU while posted, 10 raises delivered, no host interrupt, still posted" \
		"affinity: irq [0-9]* moved from CPU [0-9]* to CPU [0-9]* .* -> 10 raises, 10 interrupts, $vfio +0, notices +0, posted\$" \
		"host vector moved to the other CPU, 10 raises delivered through it" \
		"affinity: irq [0-9]* moved from CPU [0-9]* to CPU [0-9]* .* -> 10 raises, 10 interrupts, $vfio +10, notices +[0-9]*, not posted\$"
	check "$m: routed to an address of no vCPU: host message, a raise reaches no guest" \
		ok_line "no vCPU: routed to 0x1000 -> device message 0x[0-9a-f]*/0x[0-9a-f]* (host), 1 raise -> $vfio +[1-9][0-9]*, guest +0\$"
	either "moved back, posted again: on the CPU asked for, 10 raises delivered, no host interrupt" \
		"re-posted: irq [0-9]* on CPU [0-9]* (want [0-9]*) -> 10 raises, 10 interrupts, $vfio +0, notices +0, posted\$" \
		"moved back: on the CPU asked for, 10 raises delivered through it" \
		"re-posted: irq [0-9]* on CPU [0-9]* (want [0-9]*) -> 10 raises, 10 interrupts, $vfio +10, notices +[0-9]*, not posted\$"
	[ -z "$iso" ] ||
		check "$m, posted: isolation holds while posted: a message forged to another VM's guest file faults and reaches nothing there, one forged to a host file stays pending in edu's MRIF" \
			ok_line "isolated while posted: forged to the other VM's file 0x[0-9a-f]* -> it counts 0, IOMMU faults +[1-9][0-9]*; to the host file 0x[0-9a-f]*, identity [0-9]* -> $vfio +0, pending in the device's MRIF of CPU [0-9]*: yes (before: no), IOMMU faults +0; "
	check "$m: bad routes (identity 0, past the last, big-endian doorbell): never posted, one host interrupt each, only the big-endian one delivered; the eventfd as a second irqfd: EBUSY, the first kept" \
		ok_line "bad routes: identity 0, identity 64, big-endian doorbell -> never posted, one host interrupt each, only the big-endian one delivered; a second irqfd of the eventfd -> EBUSY, the first kept: 0 bad\$"
	check "$m: irqfd deassigned: host message back, 1 raise -> 1 vfio-msi interrupt, none in the guest" \
		ok_line "deassigned: device message .* is the host message again, 1 raise -> $vfio +1, guest +0"
	check "$m -P: selftest passed (rc $rc), guest finished" \
		sh -c "[ $rc = 0 ] && grep -q '^ok [0-9]* guest finished\$' $out"

	out=/tmp/kvm-post-$m-W.out
	$t -d "$bdf" -m $m -e $e -n 20 -W > $out 2>&1
	rc=$?
	sed 's/^/# /' $out
	check "$m, guest in WFI: 20 edu raises -> 20 guest interrupts on identity 5, none elsewhere" \
		ok_line "$m: 20 edu raises -> 20 guest interrupts on identity 5, 0 on others"
	if [ $e = posted ]; then
		check "$m, guest in WFI, posted: no host interrupt, no kernel exit, vCPU exits within WFIs + the no-MSI baseline + 2 for the 20 MSIs" \
			ok_line "posted: no host interrupt: $vfio +0, its MRIF notices +0 for 20 raises; vCPU csr_exit_kernel +0, exits -\{0,1\}[0-9]* beyond the baseline (at most 2)\$"
	else
		check "$m, guest in WFI, software: one vfio-msi interrupt per MSI" \
			ok_line "software: $vfio +20 for 20 raises"
	fi
	check "$m: the guest waited in WFI and every MSI woke it" \
		ok_line "wfi: the guest waited in WFI (+[1-9][0-9]* WFI exits) and took all 20 raises"
	check "$m -W: selftest passed (rc $rc), guest finished" \
		sh -c "[ $rc = 0 ] && grep -q '^ok [0-9]* guest finished\$' $out"

	[ $m = auto ] && expects oneguest || continue
	out=/tmp/kvm-post-$m-F.out
	$t -d "$bdf" -m $m -e $e -n 10 -F 20 -T 40 > $out 2>&1
	rc=$?
	sed 's/^/# /' $out
	check "$m, no guest file (another VM holds the CPU's only one): host message, 20 raises through the host" \
		ok_line "no guest file: vCPU on CPU [0-9]*, whose file another VM holds -> device message 0x[0-9a-f]*/0x[0-9a-f]* (host), 20 raises, 20 interrupts, $vfio +20\$"
	either "the file free again: posting resumes, 20 raises, no host interrupt" \
		"file again: the other VM gone -> 20 raises, 20 interrupts, $vfio +0, posted to 0x[0-9a-f]* (a guest file of CPU [0-9]*: yes)\$" \
		"the file free again: 20 raises through the host" \
		"file again: the other VM gone -> 20 raises, 20 interrupts, $vfio +20, "
	check "$m -T: 40 unposts and posts while a thread raises: no raise lost" \
		ok_line "transitions: 40 unposts and posts ([0-9]* unposted, [0-9]* posted again) under [1-9][0-9]* raises -> 0 lost, "
	check "$m -F -T: selftest passed (rc $rc), guest finished" \
		sh -c "[ $rc = 0 ] && grep -q '^ok [0-9]* guest finished\$' $out"
done

# Teardown from every direction, 20 times each, with the vector posted
# where HWACCEL posts (else EMUL, delivered by software): the irqfd
# deassigned, VFIO's MSI set to none, the VFIO device closed, vfio-pci
# unbound while the device is open (the test closes it when VFIO asks),
# the VM closed. Each time the device's message is the host one (MSI off when
# VFIO freed the vector) and no posting slot is left in its MSI page
# table; then a raise reaches the guest again. Where CPUs can go offline
# (EXPECT "hotplug"), also the vCPU's host CPU offlined with the vCPU out
# of KVM_RUN: KVM releases its guest file there, the device has its host
# message back and no posting slot, a raise is one host interrupt, and
# the vCPU takes it once resumed. Leaks: the debug kernel's
# kmemleak scan after all tests.
m=emul e=software
if expects gstage && expects guestfiles; then
	m=hwaccel e=posted
elif expects guestfiles; then
	m=hwaccel
fi
out=/tmp/kvm-post-X.out
orders=deassign,setirqs,vfioclose,unbind,vmclose
expects hotplug && orders=$orders,cpuoff
$t -d "$bdf" -m $m -e $e -X $orders -r 20 > $out 2>&1
rc=$?
sed 's/^/# /' $out
for o in $(echo $orders | tr , ' '); do
	case $o in
	setirqs|vfioclose) w="MSI off" ;;
	unbind) w="unbound after VFIO's request, MSI off" ;;
	cpuoff) w="guest file released, host message, raise kept" ;;
	*) w="host message back" ;;
	esac
	check "$m, $e: torn down by $o 20 times: $w, no posting slot left, delivering again after" \
		ok_line "teardown $o x20: $w each time: 0 bad, no posting slot left: 0 bad, .* 0 times; then a raise reaches the guest: yes\$"
done
check "$m -X: selftest passed (rc $rc)" sh -c "[ $rc = 0 ]"

# The trace events, where the kernel has tracing: a short posted run in
# HWACCEL mode with 2 moves of the vCPU. KVM's event shows the vector
# posted to identity 5, re-pointed, and given back at deassign; the
# IOMMU's shows the posting slot written, re-pointed and cleared, each
# change fenced.
if expects tracing; then
	tr=/sys/kernel/tracing
	[ -d $tr/events ] || mount -t tracefs nodev $tr
	ev="$tr/events/kvm/kvm_riscv_aia_post $tr/events/riscv_iommu/riscv_iommu_msi_pte"
	echo 0 > $tr/tracing_on
	echo > $tr/trace
	for e in $ev; do echo 1 > $e/enable; done
	echo 1 > $tr/tracing_on
	out=/tmp/kvm-post-trace.out
	$t -d "$bdf" -m hwaccel -e posted -n 5 -M 2 > $out 2>&1
	rc=$?
	echo 0 > $tr/tracing_on
	for e in $ev; do echo 0 > $e/enable; done
	trace=/tmp/kvm-post.trace
	cat $tr/trace > $trace
	grep -E 'kvm_riscv_aia_post|riscv_iommu_msi_pte: dev='"$bdf" $trace | sed 's/^/# /' | head -n 40
	posts=$(grep -c 'kvm_riscv_aia_post: post irq [0-9]* gsi 0 vcpu 0 eiid 5 vsfile_pa 0x[0-9a-f]* msi_addr 0x[0-9a-f]* ret 0$' $trace)
	check "trace: kvm_riscv_aia_post: posted to identity 5 and re-pointed twice (3 posts: $posts), then unposted (selftest rc $rc)" \
		sh -c "[ $rc = 0 ] && [ $posts -ge 3 ] && grep -q 'kvm_riscv_aia_post: unpost irq [0-9]* gsi 0 vcpu -1 ' $trace"
	slot=$(sed -n 's/.*kvm_riscv_aia_post: post .* msi_addr \(0x[0-9a-f]*\) ret 0$/\1/p' $trace | head -n 1)
	grep "riscv_iommu_msi_pte: dev=$bdf .* addr=$slot " $trace > $trace.slot
	check "trace: riscv_iommu_msi_pte: slot $slot written, re-pointed twice and cleared ($(wc -l < $trace.slot) changes), all fenced" \
		sh -c "[ -n '$slot' ] && [ \$(wc -l < $trace.slot) -ge 4 ] &&
			tail -n 1 $trace.slot | grep -q ' pte=0\(x0\)\? mrif_info=0\(x0\)\? ret=0\$' &&
			! grep -qv ' ret=0\$' $trace.slot"
fi

# Leave edu and the permission as they were.
edu_release
unsafe_interrupts_restore
[ -n "$old_noiommu" ] && echo "$old_noiommu" > $noiommu
check "edu released (driver now \"$(edu_driver)\", was \"$old_driver\"), allow_unsafe_interrupts restored ($old_unsafe), no-IOMMU mode restored ($old_noiommu)" \
	sh -c "[ \"$(edu_driver)\" != vfio-pci ] && [ \"$(cat $unsafe 2>/dev/null)\" = \"$old_unsafe\" ] &&
		[ \"$(cat $noiommu 2>/dev/null)\" = \"$old_noiommu\" ]"
done_testing
