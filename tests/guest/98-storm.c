// SPDX-License-Identifier: GPL-2.0-only
/*
 * A notice storm from an isolated device: edu's MSI data is rewritten
 * (through its config space, behind vfio-pci's back, as in 95-spoof) to an
 * identity it does not own, and edu is rung 5000 times. The host must stay
 * responsive and other devices must keep their MSIs (virtio-rng reads);
 * once edu's message is restored, a raise is delivered exactly once, and
 * the notice handler has cleared the identity edu does not own from its
 * MRIF and counted it (debugfs "junk=").
 *
 * Limit of the emulator: QEMU 10.0 sends a notice only for an enabled
 * identity, so the storm itself raises no notice there; the stray bits are
 * found by the handler of the next real notice. On an IOMMU that follows
 * the specification every write sends a notice, the handler finds nothing
 * to dispatch and returns IRQ_NONE, and the spurious interrupt detector
 * can stop the notice; that part cannot be shown on QEMU.
 */
#include <poll.h>
#include <sys/eventfd.h>
#include <time.h>
#include "irqstat.h"
#include "vfio-edu.h"

#define STORM		5000
#define FOREIGN_ID	62

/* edu's junk count from the IOMMU's debugfs "mrif" view, or -1. */
static long mrif_junk(const char *bdf)
{
	char line[256], fmt[96];
	long junk = -1;
	FILE *f = iommu_view("mrif");

	snprintf(fmt, sizeof(fmt), "%s ids=%%*u vectors=%%*d notice=%%*u junk=%%ld", bdf);
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, fmt, &junk) == 1)
			break;
	if (f)
		fclose(f);
	return junk;
}

/* 64 bytes from /dev/hwrng within 10 s: an MSI of virtio-rng arrived. */
static bool rng_reads(void)
{
	struct pollfd pfd = { .events = POLLIN };
	char buf[64];
	ssize_t n = 0, r;

	pfd.fd = open("/dev/hwrng", O_RDONLY | O_NONBLOCK);
	if (pfd.fd < 0)
		return false;
	while (n < 64 && poll(&pfd, 1, 10000) > 0) {
		r = read(pfd.fd, buf, sizeof(buf) - n);
		if (r > 0)
			n += r;
		else if (r < 0 && errno != EAGAIN)
			break;
	}
	close(pfd.fd);
	return n == 64;
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	unsigned long long pend = 0, en = 0;
	struct edu_msi m = { 0 };
	struct timespec t0, t1;
	long junk0, junk1;
	int efd, ret, i, cpu;
	uint64_t got;
	double secs;
	char name[96];

	if (!rvmsi_expects("isolated")) {
		tap_plan(1);
		tap_skip("MSIs are not isolated on this profile (95-spoof covers it)");
		return tap_done();
	}
	if (edu_test_start(&e, 7))
		return tap_done();
	efd = eventfd(0, EFD_NONBLOCK);
	ret = edu_set_msi(&e, efd);
	ret = ret ? ret : edu_msi_read(&e, &m);
	snprintf(name, sizeof(name), "vfio-msi[0](%s)", e.bdf);
	cpu = irq_effective_cpu(irq_find(name));
	junk0 = mrif_junk(e.bdf);
	tap_ok(!ret && m.data && m.data != FOREIGN_ID && cpu >= 0 && junk0 >= 0,
	       "edu's MSI: address %#llx identity %u on CPU %d, junk count %ld (%d)",
	       (unsigned long long)m.addr, m.data, cpu, junk0, ret);

	ret = edu_msi_write(&e, &m, m.addr, FOREIGN_ID);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < STORM; i++) {
		e.bar0[EDU_RAISE / 4] = 1;
		e.bar0[EDU_ACK / 4] = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	got = edu_collect(efd, 1);
	tap_ok(!ret && got == 0 && secs < 60,
	       "%d MSIs to identity %d (not edu's) in %.1f s: none delivered (%llu) (%d)",
	       STORM, FOREIGN_ID, secs, (unsigned long long)got, ret);
	tap_ok(rng_reads(), "virtio-rng still delivers (host responsive, other devices' MSIs work)");

	ret = edu_msi_write(&e, &m, m.addr, m.data);
	e.bar0[EDU_RAISE / 4] = 1;
	got = edu_collect(efd, 1);
	e.bar0[EDU_ACK / 4] = 1;
	tap_ok(!ret && got == 1, "edu's message restored (%d): one raise, %llu delivered",
	       ret, (unsigned long long)got);

	junk1 = mrif_junk(e.bdf);
	mrif_words(e.bdf, cpu, FOREIGN_ID / 64, &pend, &en);
	tap_ok(!(pend >> (FOREIGN_ID % 64) & 1),
	       "identity %d not left pending in edu's MRIF of CPU %d (pending %#llx)",
	       FOREIGN_ID, cpu, pend);
	tap_ok(junk1 > junk0, "the notice handler counted the foreign identity (junk %ld -> %ld)",
	       junk0, junk1);
	return edu_test_end(&e, efd);
}
