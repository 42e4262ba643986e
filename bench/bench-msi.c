// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI delivery cost, in the guest: samples for bench/run.sh, which boots
 * every profile several times, interleaved, and reports medians and
 * spreads. Nothing is judged here: the TAP cases only check that each
 * measurement happened (its counts arrived).
 *
 * BLOCKS blocks, each:
 *  - edu bound to vfio-pci (iommufd; without an IOMMU vfio's no-IOMMU
 *    mode, the baseline), its MSI routed to an eventfd, this program on
 *    CPU 0. Round trips (raise, eventfd wakeup, each one timed) with the
 *    vector on CPU 0 and on the last CPU: the block's interquartile mean
 *    of each.
 *  - Bursts of back-to-back raises with the vector on the last CPU. The
 *    device's MSIs of one vector coalesce while pending, so the unit is
 *    the interrupt actually delivered (eventfd signals, which the vector's
 *    count equals): MRIF notices, CPU interrupts (interrupt identities
 *    the CPU takes from its IMSIC file: the vector's, or in MRIF mode the
 *    notices, whose handler runs the vector from its scan of the MRIF; the
 *    vector has no identity in the CPU's file) and irq handler runs (the
 *    vector's count plus MRIF notices) per delivered interrupt.
 *  - 4 KiB O_DIRECT reads at random offsets of each virtio-blk and NVMe
 *    disk at queue depth 1 (one thread on CPU 0) and 32 (32 threads, each
 *    doing synchronous reads, on any CPU): completion interrupts (the
 *    disk's queue vectors) per I/O, MRIF notices, CPU interrupts and irq
 *    handler runs (vectors + notices) per completion interrupt and per
 *    I/O.
 * Each sample is one line "# bench: block=B fig=NAME value=V".
 */
#define _GNU_SOURCE
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include "irqstat.h"
#include "vfio-edu.h"

#define BLOCKS		5
#define SERIAL		150		/* timed round trips per block and CPU */
#define BURSTS		3		/* bursts per block */
#define BURST		200		/* raises per burst */
#define QD_DEEP		32
#define IO_QD1		200		/* reads per block at depth 1 */
#define IO_DEEP		(QD_DEEP * 12)	/* reads per block at depth 32 */
#define IO_SIZE		4096

static int mrif;			/* MRIF mode: notices are counted */

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void sample(int block, const char *fig, double v)
{
	printf("# bench: block=%d fig=%s value=%.4f\n", block, fig, v);
	fflush(stdout);
}

static void pin(int cpu)
{
	cpu_set_t set;
	int c;

	CPU_ZERO(&set);
	for (c = 0; c < ncpus(); c++)
		if (cpu < 0 || c == cpu)
			CPU_SET(c, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The mean of the middle half of @v: robust to the odd preempted round
 * trip like a median, but finer than the guest clock's 0.1 us tick.
 */
static double iq_mean(double *v, int n)
{
	double s = 0;
	int i;

	qsort(v, n, sizeof(*v), cmp_double);
	for (i = n / 4; i < n - n / 4; i++)
		s += v[i];
	return s / (n - 2 * (n / 4));
}

/*
 * Total count (all CPUs) of every interrupt whose (last) action name
 * starts with @prefix and is not @except; or, with @prefix NULL, of @irq.
 */
static unsigned long long irq_total(const char *prefix, const char *except, int irq)
{
	unsigned long long sum = 0;
	struct irqline l;
	int ncpu, c;
	FILE *f = irq_open(&ncpu);

	while (f && irq_next(f, ncpu, &l)) {
		if (l.irq < 0 || (!prefix && l.irq != irq))
			continue;
		if (prefix && (strncmp(l.action, prefix, strlen(prefix)) ||
			       (except && !strcmp(l.action, except))))
			continue;
		for (c = 0; c < l.ncpu; c++)
			sum += l.cnt[c];
	}
	if (f)
		fclose(f);
	return sum;
}

/* Sum of the MRIF notices that the entries of @bdf send (0 unless MRIF). */
static unsigned long long notices(const char *bdf)
{
	int seen[RVMSI_MAX_CPUS], n = 0, c, i, irq;
	unsigned long long sum = 0;

	if (!mrif)
		return 0;
	for (c = 0; c < ncpus() && c < RVMSI_MAX_CPUS; c++) {
		irq = mrif_notice_irq(bdf, c);
		for (i = 0; i < n && seen[i] != irq; i++)
			;
		if (irq < 0 || i < n)
			continue;	/* shared notice: count it once */
		seen[n++] = irq;
		sum += irq_total(NULL, NULL, irq);
	}
	return sum;
}

/*
 * Whether the CPU takes @irq from its IMSIC file: genirq's debugfs view of
 * the irq's hierarchy has a level whose chip is the IMSIC's. 1, 0, or -1
 * if the view cannot be read.
 */
static int imsic_backed(int irq)
{
	char path[64], line[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/irq/irqs/%d", irq);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "chip:") && strstr(line, "IMSIC"))
			found = 1;
	fclose(f);
	return found;
}

/* Sum the eventfd until it stays quiet for 30 ms (1 s for the first). */
static uint64_t drain(int efd)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	uint64_t v, total = 0;

	while (poll(&pfd, 1, total ? 30 : 1000) > 0 && read(efd, &v, sizeof(v)) == sizeof(v))
		total += v;
	return total;
}

/* --- edu --- */

struct edu_bench {
	struct edu e;
	int efd, irq;
	bool rt_ok, burst_ok;
};

static void edu_block(struct edu_bench *b, int block)
{
	static const char *const fig[2] = { "edu_rt_same_us", "edu_rt_other_us" };
	double t[SERIAL], t0;
	unsigned long long v0, n0, v1, n1;
	uint64_t v, sig = 0;
	int i, j, last = ncpus() - 1;

	for (j = 0; j < 2; j++) {
		irq_set_cpu(b->irq, j ? last : 0);
		EDU_REG(b->e.bar0, EDU_RAISE) = 1;	/* the move happens on the next MSI */
		if (drain(b->efd) < 1)
			b->rt_ok = false;
		EDU_REG(b->e.bar0, EDU_ACK) = 1;
		for (i = 0; i < SERIAL; i++) {
			t0 = now_us();
			EDU_REG(b->e.bar0, EDU_RAISE) = 1;
			if (read(b->efd, &v, sizeof(v)) != sizeof(v))
				b->rt_ok = false;
			t[i] = now_us() - t0;
			EDU_REG(b->e.bar0, EDU_ACK) = 1;
		}
		sample(block, fig[j], iq_mean(t, SERIAL));
	}
	/* The vector stays on the last CPU for the bursts. */
	v0 = irq_total(NULL, NULL, b->irq);
	n0 = notices(b->e.bdf);
	for (j = 0; j < BURSTS; j++) {
		for (i = 0; i < BURST; i++)
			EDU_REG(b->e.bar0, EDU_RAISE) = 1;
		v = drain(b->efd);
		EDU_REG(b->e.bar0, EDU_ACK) = 1;
		sig += v;
		if (!v)
			b->burst_ok = false;
	}
	v1 = irq_total(NULL, NULL, b->irq);
	n1 = notices(b->e.bdf);
	if (v1 == v0 || (mrif && n1 == n0))
		b->burst_ok = false;
	sample(block, "edu_intr_per_burst", (double)sig / BURSTS);
	if (!sig)
		return;
	if (mrif)
		sample(block, "edu_notice_per_intr", (double)(n1 - n0) / sig);
	/* What the CPUs took: in MRIF mode the notices, which run the vector. */
	sample(block, "edu_cpu_per_intr", (double)(mrif ? n1 - n0 : v1 - v0) / sig);
	sample(block, "edu_runs_per_intr", (double)(v1 - v0 + n1 - n0) / sig);
}

/* --- disks --- */

struct disk {
	const char *kind;		/* "vblk" or "nvme" */
	char dev[64];			/* /dev/vda */
	char bdf[64];			/* its PCI function */
	char prefix[32], except[32];	/* its completion vectors' action names */
	int fd;
	unsigned long long sectors;
	bool ok;
};

struct reader {
	struct disk *d;
	int ios, done;
	unsigned int seed;
};

static void *reader_run(void *arg)
{
	struct reader *r = arg;
	unsigned long long blocks = r->d->sectors * 512 / IO_SIZE;
	void *buf = aligned_alloc(IO_SIZE, IO_SIZE);
	int i;

	for (i = 0; buf && i < r->ios; i++) {
		r->seed = r->seed * 1103515245u + 12345u;
		if (pread(r->d->fd, buf, IO_SIZE, (off_t)((r->seed >> 4) % blocks) * IO_SIZE) ==
		    IO_SIZE)
			r->done++;
	}
	free(buf);
	return NULL;
}

/* The PCI function in the sysfs path of @sys (the last "SSSS:BB:DD.F"). */
static int pci_of(const char *sys, char *bdf, size_t len)
{
	char real[PATH_MAX], *p, *tok;
	unsigned int a, b, c, d;
	int ret = -1;

	if (!realpath(sys, real))
		return -1;
	for (tok = strtok_r(real, "/", &p); tok; tok = strtok_r(NULL, "/", &p))
		if (sscanf(tok, "%x:%x:%x.%x", &a, &b, &c, &d) == 4) {
			snprintf(bdf, len, "%s", tok);
			ret = 0;
		}
	return ret;
}

/* The first disk whose name starts with @pfx ("vd", "nvme"); 0 if found. */
static int disk_find(struct disk *d, const char *kind, const char *pfx)
{
	char path[PATH_MAX], real[PATH_MAX], buf[64], *base;
	struct dirent *de;
	DIR *dir = opendir("/sys/block");
	int ret = -1;

	d->kind = kind;
	d->fd = -1;
	while (dir && ret && (de = readdir(dir))) {
		if (strncmp(de->d_name, pfx, strlen(pfx)))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s", de->d_name);
		if (pci_of(path, d->bdf, sizeof(d->bdf)))
			continue;
		snprintf(d->dev, sizeof(d->dev), "/dev/%.58s", de->d_name);
		snprintf(path, sizeof(path), "/sys/block/%s/size", de->d_name);
		if (read_file(path, buf, sizeof(buf)))
			continue;
		d->sectors = strtoull(buf, NULL, 10);
		/* Completion vectors: virtioN-* but -config; nvmeNq* but q0. */
		snprintf(path, sizeof(path), "/sys/block/%s/device", de->d_name);
		if (!realpath(path, real))
			continue;
		base = strrchr(real, '/') + 1;
		snprintf(d->prefix, sizeof(d->prefix), "%.20s%s", base,
			 !strcmp(kind, "vblk") ? "-" : "q");
		snprintf(d->except, sizeof(d->except), "%.20s%s", base,
			 !strcmp(kind, "vblk") ? "-config" : "q0");
		ret = 0;
	}
	if (dir)
		closedir(dir);
	if (!ret) {
		d->fd = open(d->dev, O_RDONLY | O_DIRECT);
		ret = d->fd < 0 || d->sectors * 512 < 16 * IO_SIZE ? -1 : 0;
	}
	d->ok = !ret;
	return ret;
}

static void disk_block(struct disk *d, int block, int qd)
{
	struct reader r[QD_DEEP];
	pthread_t th[QD_DEEP];
	unsigned long long v0, n0, v1, n1;
	int i, done = 0, ios = qd == 1 ? IO_QD1 : IO_DEEP;
	char fig[64];

	pin(qd == 1 ? 0 : -1);
	v0 = irq_total(d->prefix, d->except, -1);
	n0 = notices(d->bdf);
	for (i = 0; i < qd; i++) {
		r[i] = (struct reader){ .d = d, .ios = ios / qd,
					.seed = 2654435761u * (block * QD_DEEP + i + 1) };
		if (qd == 1)
			reader_run(&r[i]);
		else if (pthread_create(&th[i], NULL, reader_run, &r[i]))
			r[i].ios = -1;
	}
	for (i = 0; i < qd; i++) {
		if (qd > 1 && r[i].ios >= 0)
			pthread_join(th[i], NULL);
		done += r[i].done;
	}
	v1 = irq_total(d->prefix, d->except, -1);
	n1 = notices(d->bdf);
	pin(0);
	if (done != ios || v1 == v0 || (mrif && n1 == n0)) {
		tap_diag("%s qd%d: %d/%d reads, %llu completion interrupts, %llu notices",
			 d->dev, qd, done, ios, v1 - v0, n1 - n0);
		d->ok = false;
		return;
	}
	snprintf(fig, sizeof(fig), "%s_qd%d_irq_per_io", d->kind, qd);
	sample(block, fig, (double)(v1 - v0) / done);
	if (mrif) {
		snprintf(fig, sizeof(fig), "%s_qd%d_notice_per_irq", d->kind, qd);
		sample(block, fig, (double)(n1 - n0) / (v1 - v0));
	}
	/*
	 * Per completion interrupt delivered (the disk's vectors ran): what
	 * each one cost the CPUs. At depth 32 how many completions share an
	 * interrupt depends on timing (virtio's notification suppression,
	 * NVMe completions reaped per interrupt), so the per-I/O figures
	 * below vary with the host's load; these do not.
	 */
	snprintf(fig, sizeof(fig), "%s_qd%d_cpu_per_irq", d->kind, qd);
	sample(block, fig, (double)(mrif ? n1 - n0 : v1 - v0) / (v1 - v0));
	snprintf(fig, sizeof(fig), "%s_qd%d_runs_per_irq", d->kind, qd);
	sample(block, fig, (double)(v1 - v0 + n1 - n0) / (v1 - v0));
	snprintf(fig, sizeof(fig), "%s_qd%d_cpu_per_io", d->kind, qd);
	sample(block, fig, (double)(mrif ? n1 - n0 : v1 - v0) / done);
	snprintf(fig, sizeof(fig), "%s_qd%d_runs_per_io", d->kind, qd);
	sample(block, fig, (double)(v1 - v0 + n1 - n0) / done);
}

int main(void)
{
	struct edu_bench b = { .e = { .devfd = -1, .iommufd = -1 }, .rt_ok = true,
			       .burst_ok = true };
	struct disk disks[2];
	char name[96];
	bool noiommu = !rvmsi_expects("iommu");
	int container = -1, group = -1, i, k;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (noiommu) {
		/* The baseline: no IOMMU, vfio's unsafe no-IOMMU mode. */
		tap_plan(7);
		i = edu_open_noiommu(&b.e, &container, &group);
		tap_ok(!i, "edu opened through vfio-pci in no-IOMMU mode (%d)", i);
		if (i)
			return tap_done();
	} else if (edu_test_start(&b.e, 7)) {
		return tap_done();
	}
	mrif = rvmsi_expects("isolated");
	printf("# bench: mode=%s cpus=%d blocks=%d\n",
	       noiommu ? "none" : mrif ? "mrif" : "flat", ncpus(), BLOCKS);
	b.efd = eventfd(0, 0);
	tap_ok(!edu_set_msi(&b.e, b.efd), "edu MSI routed to an eventfd");
	snprintf(name, sizeof(name), "vfio-msi[0](%s)", b.e.bdf);
	b.irq = irq_find(name);
	/* What "CPU interrupts" counts: the vector, or in MRIF mode the notices. */
	i = b.irq >= 0 ? imsic_backed(b.irq) : -1;
	tap_ok(i == !mrif, "edu vector %d %s an IMSIC identity (%d)", b.irq,
	       mrif ? "has no" : "has", i);
	disk_find(&disks[0], "vblk", "vd");
	disk_find(&disks[1], "nvme", "nvme");
	for (k = 0; k < 2; k++)
		tap_diag("%s: %s at %s, vectors %s* but %s", disks[k].kind, disks[k].dev,
			 disks[k].bdf, disks[k].prefix, disks[k].except);

	pin(0);
	for (i = 0; i < BLOCKS; i++) {
		edu_block(&b, i);
		for (k = 0; k < 2; k++)
			if (disks[k].ok) {
				disk_block(&disks[k], i, 1);
				disk_block(&disks[k], i, QD_DEEP);
			}
	}
	tap_ok(b.irq >= 0 && b.rt_ok, "edu round trips: every raise delivered (%d blocks x 2 x %d)",
	       BLOCKS, SERIAL);
	tap_ok(b.irq >= 0 && b.burst_ok,
	       "edu bursts: each delivered interrupts, counted by its vector%s", mrif ?
	       " and notices" : "");
	for (k = 0; k < 2; k++) {
		tap_ok(disks[k].ok, "%s (%s): every read completed, completion interrupts%s counted",
		       disks[k].kind, disks[k].dev[0] ? disks[k].dev : "not found",
		       mrif ? " and notices" : "");
		if (disks[k].fd >= 0)
			close(disks[k].fd);
	}
	if (noiommu) {
		edu_clear_msi(&b.e);
		close(b.efd);
		edu_close(&b.e);
		close(group);
		close(container);
		edu_unbind_vfio(&b.e);
		write_file("/sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "0");
		return tap_done();
	}
	return edu_test_end(&b.e, b.efd);
}
