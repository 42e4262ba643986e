// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spoof test: can a device forge someone else's interrupt?
 *
 * edu, driven through vfio-pci + iommufd with its MSI enabled, is made to
 * send a chosen 32-bit value to the S-level interrupt file of every CPU:
 * the identity of a host interrupt of another device that targets that
 * CPU, as read from genirq's debugfs. This is what a malicious device, or
 * a device under a malicious userspace driver, can do with any DMA write.
 *
 * The victims are made, not found: virtio-rng's request vector is moved
 * to each CPU in turn (/proc/irq/N/smp_affinity_list) and made to fire by
 * reading /dev/hwrng. The hwrng core's fill thread also reads it, once a
 * reseed interval whatever the rng's quality: around each forgery no rng
 * is current (rng_current "none" stops the thread), so that the victim
 * cannot fire on its own then. Without MRIFs the victim is that vector;
 * in MRIF mode it is the notice that virtio-rng's MRIF of that CPU sends
 * (the vector itself is in the MRIF, out of reach of an S-level file
 * write). edu's own vector is moved to the same CPU, so that its MSI
 * capability holds that CPU's file.
 *
 * How the write is made: the test rewrites the address and data of edu's
 * MSI capability through the function's sysfs config file (root, behind
 * vfio-pci's back) and rings edu's doorbell. The device then emits that
 * write itself, with its own requester ID, through the IOMMU: to the IOMMU
 * it is indistinguishable from a DMA write of the same value. (edu's DMA
 * engine cannot be used on QEMU 10.0: its IOMMU drops DMA writes into the
 * MSI window that carry no requester ID, and edu's DMA sends none.)
 *
 * Isolated (MRIF mode), on every CPU: the forged identity, which edu does
 * not own, ends up pending, not enabled, in edu's own MRIF of that CPU
 * (the forgery reached the IOMMU and was contained), and the victim's
 * count has not moved. Flat mode: the file of the CPU edu's vector
 * targets is mapped, so the forged interrupt must reach the victim there,
 * exactly once, on every CPU: the test asserts the breach, which shows it
 * can see one. Without MSI page tables (noremap, nogstage) edu's paging
 * domain maps every CPU's file: the breach must show the same way.
 */
#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <sys/eventfd.h>
#include "irqstat.h"
#include "vfio-edu.h"

#define HWRNG_CURRENT	"/sys/class/misc/hw_random/rng_current"

/* 64 bytes from /dev/hwrng within 10 s: a request of virtio-rng completed. */
static bool rng_read(void)
{
	struct pollfd pfd = { .events = POLLIN };
	char buf[64];
	int n = 0, r;

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

#define MAX_RNGS	32

struct rng {
	char vdev[32];			/* virtioN */
	int irq;			/* of its request queue, "virtioN-input" */
	unsigned long long total;
};

/* Find the rngs' vectors and their counts summed over the CPUs. */
static void rng_totals(struct rng *r, int n)
{
	char input[48];
	struct irqline l;
	int ncpu, i, c;
	FILE *f = irq_open(&ncpu);

	for (i = 0; i < n; i++) {
		r[i].irq = -1;
		r[i].total = 0;
	}
	while (f && irq_next(f, ncpu, &l))
		for (i = 0; i < n; i++) {
			snprintf(input, sizeof(input), "%s-input", r[i].vdev);
			if (strcmp(l.action, input))
				continue;
			r[i].irq = l.irq;
			for (c = 0; c < ncpu; c++)
				r[i].total += l.cnt[c];
		}
	if (f)
		fclose(f);
}

/* Index of the first rng whose count grew from @was to @now, or -1. */
static int rng_fired(const struct rng *was, struct rng *now, int n)
{
	int i;

	rng_totals(now, n);
	for (i = 0; i < n; i++)
		if (now[i].total > was[i].total)
			return i;
	return -1;
}

/*
 * The virtio-rng that /dev/hwrng reads (with several, only the current
 * one): read it until one of their vectors fires. "virtioN" in @vdev, its
 * PCI function in @bdf; returns the irq of its request queue, or -1.
 */
static int rng_find(char *vdev, size_t vlen, char *bdf, size_t blen)
{
	char path[300], real[PATH_MAX], *p;
	struct rng was[MAX_RNGS], now[MAX_RNGS];
	struct dirent *de;
	DIR *d = opendir("/sys/bus/virtio/drivers/virtio_rng");
	int n = 0, k, i = -1;

	*vdev = *bdf = 0;
	while (d && (de = readdir(d)) && n < MAX_RNGS)
		if (!strncmp(de->d_name, "virtio", 6))
			snprintf(was[n++].vdev, sizeof(was[0].vdev), "%.31s", de->d_name);
	if (d)
		closedir(d);
	rng_totals(was, n);
	memcpy(now, was, sizeof(was));
	for (k = 0; i < 0 && k < 8 && rng_read(); k++)
		poll_until((i = rng_fired(was, now, n)) >= 0, 1000);
	if (i < 0)
		return -1;
	snprintf(vdev, vlen, "%s", now[i].vdev);
	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s", vdev);
	if (realpath(path, real) && (p = strrchr(real, '/'))) {
		*p = 0;
		p = strrchr(real, '/');
		snprintf(bdf, blen, "%.31s", p ? p + 1 : "");
	}
	return now[i].irq;
}

/*
 * Wait until @irq's count on @cpu has not moved for 1 s (10 s at most):
 * virtio-rng may complete a request it queued after a read later, which
 * must not be taken for the forged interrupt.
 */
static void wait_quiet(int irq, int cpu)
{
	long c = irq_count(irq, cpu), d;
	int still = 0, i;

	for (i = 0; i < 50 && still < 5; i++) {
		usleep(200000);
		d = irq_count(irq, cpu);
		still = d == c ? still + 1 : 0;
		c = d;
	}
}

/*
 * No current rng ("none"), or @name again: the fill thread stops or
 * starts with it. Then wait until the victim has not fired for 1 s: a
 * read the thread made just before may still complete.
 */
static int rng_current(const char *name, int irq, int victim, int cpu)
{
	char line[72];
	int ret;

	snprintf(line, sizeof(line), "%s\n", name);
	ret = write_file(HWRNG_CURRENT, line);
	wait_quiet(irq, cpu);
	wait_quiet(victim, cpu);
	return ret;
}

/* Raise edu's MSI and wait for it on @efd (2 s at most): its count. */
static uint64_t edu_raise_wait(struct edu *e, int efd)
{
	uint64_t got;

	EDU_REG(e->bar0, EDU_RAISE) = 1;
	got = edu_collect(efd, 1);
	EDU_REG(e->bar0, EDU_ACK) = 1;
	return got;
}

/* S-level file address of @cpu, from the IOMMU's msi view; 0 if unknown. */
static uint64_t file_of(int cpu)
{
	unsigned long long pa = 0;

	msi_file(cpu, &pa);
	return pa;
}

/* Is @id pending and not enabled in @bdf's MRIF of @cpu? */
static bool mrif_junk_pending(const char *bdf, int cpu, unsigned int id)
{
	unsigned long long p, en;

	return !mrif_words(bdf, cpu, id / 64, &p, &en) && (p >> (id % 64) & 1) &&
	       !(en >> (id % 64) & 1);
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	bool isolated = rvmsi_expects("isolated");
	int n = ncpus(), cpu, efd, irq, rirq, ecpu, rcpu, ret, i, hits;
	char name[96], ent[512], vdev[32], rbdf[32], current[64] = "", saved[72] = "";
	long before, after, rb, ra, nb, na, vcpu, id, own_id;
	int victim;
	struct edu_msi msi = { };
	uint64_t v = 0, addr, got;
	unsigned long long p, en;
	bool stale;

	if (edu_test_start(&e, 4 + n * (isolated ? 5 : 3)))
		return tap_done();

	efd = eventfd(0, EFD_NONBLOCK);
	ret = edu_set_msi(&e, efd);
	snprintf(name, sizeof(name), "vfio-msi[0](%s)", e.bdf);
	irq = irq_find(name);
	ecpu = irq_effective_cpu(irq);
	own_id = isolated ? irq_debug_field(irq, "mrif_id") : -1;
	ret = ret ? ret : edu_msi_read(&e, &msi);
	/*
	 * The best rng is the victim, whatever an earlier test made current
	 * (94-alias reads the rngs behind a bridge, which have no MRIFs):
	 * an empty rng_current picks it, as at boot. The rng that was
	 * current is put back at the end.
	 */
	read_file(HWRNG_CURRENT, saved, sizeof(saved) - 1);
	write_file(HWRNG_CURRENT, "\n");
	read_file(HWRNG_CURRENT, current, sizeof(current));
	rirq = rng_find(vdev, sizeof(vdev), rbdf, sizeof(rbdf));
	rcpu = irq_effective_cpu(rirq);
	tap_ok(!ret && msi.addr && irq > 0 && rirq > 0 && (!isolated || own_id > 0),
	       "edu's MSI enabled (irq %d on CPU %d, identity %ld): address %#llx data %u, capability at %#x; victim device %s (%s) irq %d (%d)",
	       irq, ecpu, own_id, (unsigned long long)msi.addr, msi.data, msi.cap, vdev, rbdf,
	       rirq, ret);

	for (cpu = 0; cpu < n; cpu++) {
		/* The victim: virtio-rng's vector on @cpu, made to fire. */
		ret = irq_set_cpu(rirq, cpu);
		rb = irq_count(rirq, cpu);
		victim = isolated ? mrif_notice_irq(rbdf, cpu) : rirq;
		nb = irq_count(victim, cpu);
		/*
		 * Read until it fires there: a moved (not remapped) vector
		 * fires once more where it was before the move takes effect,
		 * and a read may be served from data the driver already has.
		 */
		for (i = 0; !ret && i < 8 &&
		     !(irq_count(rirq, cpu) > rb && irq_count(victim, cpu) > nb); i++) {
			ret = rng_read() ? 0 : -EIO;
			poll_until(irq_count(rirq, cpu) > rb && irq_count(victim, cpu) > nb, 1000);
		}
		wait_quiet(rirq, cpu);
		wait_quiet(victim, cpu);
		ra = irq_count(rirq, cpu);
		na = irq_count(victim, cpu);
		id = irq_debug_field(victim, "target_local_id");
		vcpu = irq_debug_field(victim, "target_cpu");
		tap_ok(!ret && irq_effective_cpu(rirq) == cpu && ra > rb && na > nb && vcpu == cpu &&
		       id > 1 && id != own_id,
		       "CPU %d: victim made: %s's irq %d moved there and fired (%ld -> %ld, %d reads); victim irq %d%s, identity %ld on CPU %ld, fired (%ld -> %ld) (%d)",
		       cpu, vdev, rirq, rb, ra, i, victim, isolated ? " (its MRIF notice)" : "", id,
		       vcpu, nb, na, ret);

		/* edu's vector to @cpu: its MSI address is then @cpu's file. */
		ret = irq_set_cpu(irq, cpu);
		got = edu_raise_wait(&e, efd);
		got += edu_raise_wait(&e, efd);
		ret = ret ? ret : edu_msi_read(&e, &msi);
		addr = msi.addr;
		tap_ok(!ret && got == 2 && irq_effective_cpu(irq) == cpu && addr &&
		       (!rvmsi_expects("gstage") || addr == file_of(cpu)),
		       "CPU %d: edu's vector moved there (%llu/2 delivered): MSI address %#llx (CPU %d's file per the IOMMU: %#llx) (%d)",
		       cpu, (unsigned long long)got, (unsigned long long)addr, cpu,
		       (unsigned long long)file_of(cpu), ret);

		/* The forgery: the victim's identity to @cpu's file. */
		ret = rng_current("none", rirq, victim, cpu);
		before = irq_count(victim, cpu);
		stale = isolated && mrif_junk_pending(e.bdf, cpu, id);
		ret = ret ?: edu_msi_write(&e, &msi, addr, (uint32_t)id);
		if (!ret)
			EDU_REG(e.bar0, EDU_RAISE) = 1;
		if (isolated) {
			bool held = poll_until(mrif_junk_pending(e.bdf, cpu, id), 2000);

			mrif_words(e.bdf, cpu, id / 64, &p, &en);
			after = irq_count(victim, cpu);
			tap_ok(!ret && !stale && held,
			       "CPU %d: identity %ld sent by edu is pending (%s before), not enabled, in edu's own MRIF of CPU %d (pending %#llx enable %#llx) (%d)",
			       cpu, id, stale ? "already" : "not", cpu, p, en, ret);
			tap_ok(after == before,
			       "CPU %d: isolated: the forged interrupt did not reach irq %d (%ld -> %ld)",
			       cpu, victim, before, after);
		} else {
			poll_until(irq_count(victim, cpu) != before, 2000);
		}
		EDU_REG(e.bar0, EDU_ACK) = 1;
		/* Its own message back; its next MSI comes after the forged write. */
		ret = edu_msi_write(&e, &msi, addr, msi.data) ?: ret;
		while (read(efd, &v, sizeof(v)) == sizeof(v))
			;
		got = edu_raise_wait(&e, efd);
		if (!isolated) {
			after = irq_count(victim, cpu);
			tap_ok(!ret && got == 1 && after == before + 1,
			       "CPU %d: not isolated: the forged interrupt reached irq %d exactly once (%ld -> %ld), edu's own still delivered (%llu) (%d)",
			       cpu, victim, before, after, (unsigned long long)got, ret);
		} else {
			/*
			 * edu's notice ran after the forged write: it must not
			 * have passed the forged identity on either. (Notices are
			 * shared: if edu's is the victim, it counts edu's MSI.)
			 */
			int shared = mrif_notice_irq(e.bdf, cpu) == victim;

			after = irq_count(victim, cpu);
			tap_ok(!ret && got == 1 && after == before + (shared ? 1 : 0),
			       "CPU %d: edu's own MSI delivered after it (%llu), irq %d moved only by it (%ld -> %ld, %s edu's notice) (%d)",
			       cpu, (unsigned long long)got, victim, before, after,
			       shared ? "is" : "not", ret);
		}
		rng_current(current, rirq, victim, cpu);
	}
	irq_set_cpu(rirq, rcpu < 0 ? 0 : rcpu);
	irq_set_cpu(irq, ecpu < 0 ? 0 : ecpu);
	if (*saved && strcmp(saved, current)) {
		strcat(saved, "\n");
		write_file(HWRNG_CURRENT, saved);
	}

	msi_entries(e.bdf, ent, sizeof(ent));
	if (isolated)
		tap_ok(strstr(ent, ":mrif:") && !strstr(ent, ":basic:"),
		       "the writes could only land in edu's own MRIFs (entries \"%s\")", ent);
	else if (rvmsi_expects("gstage"))
		tap_ok(strstr(ent, ":basic:") != NULL,
		       "flat: edu's entry maps the file itself (entries \"%s\")", ent);
	else
		tap_ok(msi_entries(e.bdf, ent, sizeof(ent)) < 0,
		       "first stage: no MSI table, edu's domain maps the files themselves");

	/* edu's own MSI, raised once, is delivered once. */
	for (i = 0; i < 100 && read(efd, &v, sizeof(v)) == sizeof(v); i++)
		;
	got = edu_raise_wait(&e, efd);
	hits = (int)got;
	tap_ok(hits == 1, "edu's own MSI still delivered, once (%d)", hits);
	return edu_test_end(&e, efd);
}
