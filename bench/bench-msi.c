// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI delivery cost, in the guest: edu bound to vfio-pci + iommufd, its
 * MSI routed to an eventfd. Serial: raise, wait for the eventfd, repeat;
 * the mean round trip. Burst: raise back to back without waiting; how many
 * eventfd signals (MSIs of one vector coalesce while pending), and how
 * many host interrupts (the vector's, plus MRIF notices) per MSI. Prints
 * one "# bench:" line for bench/run.sh, which compares profiles. On a
 * machine without an IOMMU it uses vfio's no-IOMMU mode: the baseline.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <time.h>
#include "irqstat.h"
#include "vfio-edu.h"

#define SERIAL	400
#define BURST	200

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static uint64_t drain(int efd, int wait_ms)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	uint64_t v, total = 0;

	while (poll(&pfd, 1, wait_ms) > 0 && read(efd, &v, sizeof(v)) == sizeof(v))
		total += v;
	return total;
}

static long host_irqs(int irq, int nirq)
{
	long s = 0;
	int c;

	for (c = 0; c < ncpus(); c++) {
		s += irq_count(irq, c);
		if (nirq >= 0)
			s += irq_count(nirq, c);
	}
	return s;
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	char name[96], notice[96];
	int efd, irq, nirq, cpu, i, got = 0;
	double t0, serial_us[2];
	uint64_t v;
	int j;
	long h0, h1;
	uint64_t burst;
	bool noiommu = !rvmsi_expects("iommu");
	int container = -1, group = -1;

	if (noiommu) {
		/* The baseline: no IOMMU, vfio's unsafe no-IOMMU mode. */
		tap_plan(3);
		i = edu_open_noiommu(&e, &container, &group);
		tap_ok(!i, "edu opened through vfio-pci in no-IOMMU mode (%d)", i);
		if (i)
			return tap_done();
	} else if (edu_test_start(&e, 3)) {
		return tap_done();
	}
	efd = eventfd(0, 0);
	tap_ok(!edu_set_msi(&e, efd), "edu MSI routed to an eventfd");
	snprintf(name, sizeof(name), "vfio-msi[0](%s)", e.bdf);
	irq = irq_find(name);
	cpu = irq_effective_cpu(irq);
	snprintf(notice, sizeof(notice), "mrif-%s-cpu%d", e.bdf, cpu);
	nirq = irq_find(notice);

	/* This program on CPU 0; the vector on CPU 0, then on the last CPU. */
	{
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(0, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	for (j = 0; j < 2; j++) {
		irq_set_cpu(irq, j ? ncpus() - 1 : 0);
		e.bar0[0x60 / 4] = 1;	/* the move happens on the next MSI */
		read(efd, &v, sizeof(v));
		e.bar0[0x64 / 4] = 1;
		t0 = now_us();
		for (i = 0; i < SERIAL; i++) {
			e.bar0[0x60 / 4] = 1;
			got += read(efd, &v, sizeof(v)) == sizeof(v);
			e.bar0[0x64 / 4] = 1;
		}
		serial_us[j] = (now_us() - t0) / SERIAL;
	}
	cpu = irq_effective_cpu(irq);
	snprintf(notice, sizeof(notice), "mrif-%s-cpu%d", e.bdf, cpu);
	nirq = irq_find(notice);

	h0 = host_irqs(irq, nirq);
	for (i = 0; i < BURST; i++)
		e.bar0[0x60 / 4] = 1;
	burst = drain(efd, 200);
	h1 = host_irqs(irq, nirq);

	printf("# bench: mode=%s same_cpu_us=%.1f other_cpu_us=%.1f serial_ok=%d/%d burst_signals=%llu/%d host_irqs_per_msi=%.3f notice_irq=%d\n",
	       noiommu ? "none" : rvmsi_expects("isolated") ? "mrif" : "flat",
	       serial_us[0], serial_us[1],
	       got, 2 * SERIAL,
	       (unsigned long long)burst, BURST, (double)(h1 - h0) / BURST, nirq);
	tap_ok(got == 2 * SERIAL && burst >= 1, "serial %d/%d delivered, burst gave %llu signals",
	       got, 2 * SERIAL, (unsigned long long)burst);
	if (noiommu) {
		edu_clear_msi(&e);
		close(efd);
		edu_close(&e);
		close(group);
		close(container);
		edu_unbind_vfio(&e);
		write_file("/sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "0");
		return tap_done();
	}
	return edu_test_end(&e, efd);
}
