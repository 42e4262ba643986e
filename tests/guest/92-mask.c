// SPDX-License-Identifier: GPL-2.0-only
/*
 * Masking a remapped vector end to end: edu's MSI (vfio-pci + iommufd,
 * routed to an eventfd) is disabled in the kernel as a host driver or KVM
 * would do it, edu raises it, and nothing may arrive; when it is enabled
 * again the interrupt must arrive exactly once (two raises while masked
 * coalesce into one pending bit), counted once, and delivery must be
 * normal afterwards: several raises, each delivered, counted and (in MRIF
 * mode) noticed once.
 *
 * vfio-pci gives userspace no MSI masking, so the harness's test module
 * (tests/kmod/rvmsi_irqctl.c) does the disable_irq()/enable_irq():
 *  - "mask": IRQ_DISABLE_UNLAZY, the irq_chip masks at once. In MRIF mode
 *    that clears the identity's enable bit: the IOMMU sets the pending bit
 *    in the MRIF and sends no notice; unmask must find the pending bit and
 *    deliver it.
 *  - "lazy": genirq's default; the interrupt reaches the flow handler,
 *    which masks and records it, and enable_irq() resends it through the
 *    chip's retrigger: exactly once.
 * In flat and first-stage modes the mask is the IMSIC's enable bit.
 */
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include "irqstat.h"
#include "vfio-edu.h"
#include "irqctl.h"


static void raise_msi(struct edu *e)
{
	EDU_REG(e->bar0, EDU_RAISE) = 1;
	usleep(100000);
}

#define NORMAL_RAISES	5

/*
 * Normal delivery: @NORMAL_RAISES raises, each waited for, each delivered
 * once, each counted once on @cpu (and, with @nirq, one notice each).
 */
static void normal_delivery(struct edu *e, int efd, int irq, int cpu, int nirq,
			    const char *after)
{
	long cnt = irq_count(irq, cpu), notices = nirq > 0 ? irq_count(nirq, cpu) : 0;
	uint64_t got = 0;
	int i;

	for (i = 0; i < NORMAL_RAISES; i++) {
		EDU_REG(e->bar0, EDU_ACK) = 1;
		EDU_REG(e->bar0, EDU_RAISE) = 1;
		got += edu_collect(efd, 1);
	}
	EDU_REG(e->bar0, EDU_ACK) = 1;
	cnt = irq_count(irq, cpu) - cnt;
	notices = nirq > 0 ? irq_count(nirq, cpu) - notices : 0;
	tap_ok(got == NORMAL_RAISES && cnt == NORMAL_RAISES &&
	       (nirq < 0 || notices == NORMAL_RAISES),
	       "after %s, delivery is normal: %d raises -> %llu delivered, %ld counted, %ld notices",
	       after, NORMAL_RAISES, (unsigned long long)got, cnt, notices);
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	bool isolated = rvmsi_expects("isolated");
	unsigned long long pend = 0, en = 0, pend2 = 0, en2 = 0;
	int efd, irq, cpu, ret, nirq = -1;
	long id = -1, cnt, notices = 0;
	char name[96], state[64];
	uint64_t got;

	if (edu_test_start(&e, isolated ? 11 : 10))
		return tap_done();

	ret = load_module();
	efd = eventfd(0, EFD_NONBLOCK);
	ret = ret ? ret : edu_set_msi(&e, efd);
	snprintf(name, sizeof(name), "vfio-msi[0](%s)", e.bdf);
	irq = irq_find(name);
	cpu = irq_effective_cpu(irq);
	if (isolated) {
		id = irq_debug_field(irq, "mrif_id");
		nirq = mrif_notice_irq(e.bdf, cpu);
	}
	tap_ok(!ret && irq > 0 && cpu >= 0 && (!isolated || (id > 0 && nirq > 0)),
	       "test module loaded, edu's MSI is irq %d on CPU %d (identity %ld, notice irq %d) (%d)",
	       irq, cpu, id, nirq, ret);

	/* Masked in the chip right away. */
	ret = ctl("mask", irq);
	read_file(CTL, state, sizeof(state));
	tap_ok(!ret && strstr(state, "masked=1"), "irq %d masked (%d): %s", irq, ret, state);
	cnt = irq_count(irq, cpu);
	if (nirq > 0)
		notices = irq_count(nirq, cpu);
	raise_msi(&e);
	raise_msi(&e);
	got = edu_collect(efd, 1);
	tap_ok(got == 0 && irq_count(irq, cpu) == cnt &&
	       (nirq < 0 || irq_count(nirq, cpu) == notices),
	       "two raises while masked: %llu delivered, irq count %ld -> %ld, notices %ld -> %ld",
	       (unsigned long long)got, cnt, irq_count(irq, cpu), notices,
	       nirq > 0 ? irq_count(nirq, cpu) : 0);
	if (isolated) {
		mrif_words(e.bdf, cpu, id / 64, &pend, &en);
		tap_ok((pend >> (id % 64) & 1) && !(en >> (id % 64) & 1),
		       "identity %ld pending, not enabled, in edu's MRIF of CPU %d (pending %#llx enable %#llx)",
		       id, cpu, pend, en);
	}
	ret = ctl("unmask", irq);
	got = edu_collect(efd, 1);
	if (isolated)
		mrif_words(e.bdf, cpu, id / 64, &pend2, &en2);
	tap_ok(!ret && got == 1 && irq_count(irq, cpu) == cnt + 1 &&
	       (!isolated || (!(pend2 >> (id % 64) & 1) && (en2 >> (id % 64) & 1))),
	       "unmasked (%d): delivered exactly once (%llu, count %ld -> %ld; pending %#llx enable %#llx)",
	       ret, (unsigned long long)got, cnt, irq_count(irq, cpu), pend2, en2);
	normal_delivery(&e, efd, irq, cpu, nirq, "unmask");

	/*
	 * Lazy: the flow handler masks on the first interrupt and holds it.
	 * One raise only: a second one would be latched by the now masked
	 * chip, and whether it then coalesces with the resent one depends on
	 * timing (one or two deliveries, both correct for an edge interrupt
	 * raised twice).
	 */
	ret = ctl("lazy", irq);
	cnt = irq_count(irq, cpu);
	if (nirq > 0)
		notices = irq_count(nirq, cpu);
	EDU_REG(e.bar0, EDU_ACK) = 1;
	EDU_REG(e.bar0, EDU_RAISE) = 1;
	/* The interrupt reaches the flow handler (through a notice in MRIF
	 * mode), which masks it: wait for that, not for a fixed time. */
	poll_until(read_file(CTL, state, sizeof(state)) == 0 && strstr(state, "masked=1"), 2000);
	got = edu_collect(efd, 1);
	read_file(CTL, state, sizeof(state));
	tap_ok(!ret && got == 0 && strstr(state, "masked=1") && irq_count(irq, cpu) == cnt &&
	       (nirq < 0 || irq_count(nirq, cpu) == notices + 1),
	       "lazily disabled (%d): one raise, %llu delivered, count %ld -> %ld, notices %ld -> %ld, masked by the flow handler: %s",
	       ret, (unsigned long long)got, cnt, irq_count(irq, cpu), notices,
	       nirq > 0 ? irq_count(nirq, cpu) : 0, state);
	ret = ctl("unmask", irq);
	got = edu_collect(efd, 1);
	pend2 = en2 = 0;
	if (isolated)
		mrif_words(e.bdf, cpu, id / 64, &pend2, &en2);
	tap_ok(!ret && got == 1 && irq_count(irq, cpu) == cnt + 1 &&
	       (!isolated || (!(pend2 >> (id % 64) & 1) && (en2 >> (id % 64) & 1))),
	       "enabled (%d): the held interrupt resent exactly once (%llu, count %ld -> %ld; pending %#llx enable %#llx)",
	       ret, (unsigned long long)got, cnt, irq_count(irq, cpu), pend2, en2);
	normal_delivery(&e, efd, irq, cpu, nirq, "the lazy enable");

	tap_ok(ctl("unmask", irq) == -EINVAL && ctl("mask", 100000) == -EINVAL,
	       "the test module refuses unbalanced and bad requests");
	return edu_test_end(&e, efd);
}
