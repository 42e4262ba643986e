// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSIs of a userspace driver: edu bound to vfio-pci, attached to an iommufd
 * IOAS (a paging domain), its MSI routed to an eventfd with
 * VFIO_DEVICE_SET_IRQS; N writes to its raise-interrupt register must give
 * exactly N on the eventfd. On the G-stage the device's MSI page table
 * carries the MSIs whatever domain is attached; without it (first-stage
 * domains) the paging domain maps the CPUs' S-level files itself. Then
 * bind/unbind cycles (identity -> paging domain -> identity) must not
 * disturb MSIs: every cycle delivers all of its raises, and afterwards
 * edu's MSI table (on the G-stage) holds no entry.
 *
 * Moving the vector to another CPU through /proc/irq must move the
 * interrupt counts; on the G-stage the vector also goes through its
 * interrupt remapping domain, which maps only the interrupt file the vector
 * targets, and the MSI table entry must move with it. An affinity mask of
 * every CPU, the vector's own included, leaves it where it is and, on the
 * G-stage, changes no MSI table entry (no PTE write or IOFENCE.C per CPU
 * of the mask in the affinity path).
 */
#include <sys/eventfd.h>
#include "irqstat.h"
#include "vfio-edu.h"

#define RAISES		20
#define CYCLES		50
#define MOVE_RAISES	10

/*
 * Raise the MSI @n times, one at a time, each waited for: MSIs of one
 * vector that arrive before the first was serviced coalesce in the
 * interrupt file's single pending bit, which is not a loss.
 */
static uint64_t raise_and_count(struct edu *e, int efd, int n)
{
	uint64_t got = 0;

	while (n-- > 0) {
		e->bar0[EDU_RAISE / 4] = 1;
		got += edu_collect(efd, 1);
		e->bar0[EDU_ACK / 4] = 1;
	}
	return got;
}

/*
 * Move the vector to @cpu. PCI MSIs are moved when the next one is
 * handled, and the file the vector left stays mapped until it has fired on
 * the new one: after two raises, the device's table must hold exactly the
 * new CPU's file, and every further raise must be counted on that CPU.
 */
static void move_to(struct edu *e, int efd, int irq, int cpu)
{
	int old = irq_effective_cpu(irq), ret = irq_set_cpu(irq, cpu);
	long on_new, on_old;
	char ent[256], want[32];
	uint64_t got;

	got = raise_and_count(e, efd, 2);
	on_new = irq_count(irq, cpu);
	on_old = irq_count(irq, old);
	got += raise_and_count(e, efd, MOVE_RAISES);
	on_new = irq_count(irq, cpu) - on_new;
	on_old = irq_count(irq, old) - on_old;
	tap_ok(!ret && got == MOVE_RAISES + 2 && irq_effective_cpu(irq) == cpu &&
	       on_new == MOVE_RAISES && on_old == 0,
	       "irq %d moved from CPU %d to CPU %d (%d): %llu/%d delivered, %ld counted there, %ld on CPU %d",
	       irq, old, cpu, ret, (unsigned long long)got, MOVE_RAISES + 2,
	       on_new, on_old, old);
	if (!rvmsi_expects("gstage")) {
		tap_ok(msi_entries(e->bdf, ent, sizeof(ent)) < 0,
		       "first stage: %s has no MSI table", e->bdf);
		return;
	}
	snprintf(want, sizeof(want), "%d:%s:1", msi_file_index(cpu),
		 rvmsi_expects("isolated") ? "mrif" : "basic");
	msi_entries(e->bdf, ent, sizeof(ent));
	tap_ok(!strcmp(ent, want), "%s's MSI table follows the vector: \"%s\" (want \"%s\")",
	       e->bdf, ent, want);
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	int ret, efd, i, raises, ncpu, nirq;
	char notice[96];
	uint64_t got;
	long notices;

	if (edu_test_start(&e, 11))
		return tap_done();

	efd = eventfd(0, EFD_NONBLOCK);
	ret = edu_set_msi(&e, efd);
	tap_ok(!ret, "MSI routed to an eventfd (%d)", ret);

	raises = RAISES;
	{
		char name[96];

		snprintf(name, sizeof(name), "vfio-msi[0](%s)", e.bdf);
		ncpu = irq_effective_cpu(irq_find(name));
		snprintf(notice, sizeof(notice), "notice of %s on CPU %d", e.bdf, ncpu);
		nirq = mrif_notice_irq(e.bdf, ncpu);
		notices = irq_count(nirq, ncpu);
	}
	got = raise_and_count(&e, efd, raises);
	notices = irq_count(nirq, ncpu) - notices;
	tap_ok(got == (uint64_t)raises, "%d raises -> %llu eventfd signals",
	       raises, (unsigned long long)got);
	if (rvmsi_expects("isolated"))
		tap_ok(nirq >= 0 && notices == raises,
		       "MRIF mode: %ld notices on CPU %d (irq %d, %s) for %d MSIs",
		       notices, ncpu, nirq, notice, raises);
	else
		tap_ok(nirq < 0, "no MRIF notice irq outside MRIF mode (%s: %d)", notice, nirq);

	if (ncpus() > 1) {
		char name[96];
		int irq, cpu;

		snprintf(name, sizeof(name), "vfio-msi[0](%s)", e.bdf);
		irq = irq_find(name);
		cpu = irq_effective_cpu(irq);
		tap_diag("%s is irq %d on CPU %d", name, irq, cpu);
		move_to(&e, efd, irq, (cpu + 1) % ncpus());
		move_to(&e, efd, irq, cpu);
		{
			char all[16];
			long w0 = msi_writes(e.bdf), w1;

			snprintf(all, sizeof(all), "0-%d", ncpus() - 1);
			ret = irq_set_list(irq, all);
			got = raise_and_count(&e, efd, 2);
			w1 = msi_writes(e.bdf);
			tap_ok(!ret && got == 2 && irq_effective_cpu(irq) == cpu &&
			       (rvmsi_expects("gstage") ? w0 >= 0 && w1 == w0 : w0 < 0),
			       "affinity %s (%d) keeps irq %d on CPU %d (now %d), 2/%llu delivered, MSI table writes %ld -> %ld",
			       all, ret, irq, cpu, irq_effective_cpu(irq),
			       (unsigned long long)got, w0, w1);
		}
	} else {
		for (i = 0; i < 5; i++)
			tap_skip("affinity moves: need 2 CPUs");
	}

	edu_clear_msi(&e);
	close(efd);
	edu_close(&e);
	edu_unbind_vfio(&e);

	for (ret = 0, i = 0; i < CYCLES; i++) {
		struct edu c = { .devfd = -1, .iommufd = -1 };

		if (edu_open_all(&c))
			continue;
		efd = eventfd(0, EFD_NONBLOCK);
		ret += !edu_set_msi(&c, efd) && raise_and_count(&c, efd, 3) == 3;
		edu_clear_msi(&c);
		close(efd);
		edu_close(&c);
		edu_unbind_vfio(&c);
	}
	tap_ok(ret == CYCLES, "%d/%d vfio bind/unbind cycles delivered all their MSIs",
	       ret, CYCLES);
	/* Every cycle released what it mapped: nothing left in the table. */
	{
		char ent[256];
		int n = msi_entries(e.bdf, ent, sizeof(ent));

		if (rvmsi_expects("gstage"))
			tap_ok(n == 0, "after the cycles %s's MSI table is empty (%d entries: \"%s\")",
			       e.bdf, n, ent);
		else
			tap_ok(n < 0, "first stage: %s has no MSI table after the cycles (%d)", e.bdf, n);
	}
	set_iommufd_unsafe(false);
	return tap_done();
}
