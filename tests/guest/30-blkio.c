// SPDX-License-Identifier: GPL-2.0-only
/*
 * Block I/O through the IOMMU: for every virtio-blk and NVMe disk, write a
 * pattern with O_DIRECT, read it back with O_DIRECT, compare, and check
 * that the disk's MSI-X vectors fired (per-CPU counts printed). Every
 * vector named after the disk must be on its PCI function's MSI-X chip
 * (PCI-MSIX-<bdf>, under any remapping prefix): a driver that fell back to
 * INTx keeps its vector names (nvme0qN, virtioN-*), so the names alone
 * would not show that MSIs work.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <libgen.h>
#include <limits.h>
#include "irqstat.h"
#include "tap.h"

#define IO_SIZE (4u << 20)

static void fill(uint8_t *buf, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = seed >> 16;
	}
}

/* The /proc/interrupts name prefix of @disk's vectors. */
static int irq_prefix(const char *disk, char *prefix, size_t len)
{
	char path[256], link[256];
	ssize_t n;

	if (!strncmp(disk, "nvme", 4)) {
		/* nvme0n1 -> nvme0q */
		snprintf(prefix, len, "%.*sq", (int)strcspn(disk + 4, "n") + 4, disk);
		return 0;
	}
	/* vda -> /sys/block/vda/device -> .../virtioN */
	snprintf(path, sizeof(path), "/sys/block/%s/device", disk);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	snprintf(prefix, len, "%s-", basename(link));
	return 0;
}

/* The PCI function above /sys/block/@disk into @bdf; 0 or -1. */
static int disk_bdf(const char *disk, char *bdf, size_t len)
{
	char path[128], real[PATH_MAX], *p, *last = NULL;
	unsigned int a, b, c, d;

	snprintf(path, sizeof(path), "/sys/block/%s", disk);
	if (!realpath(path, real))
		return -1;
	for (p = strtok(real, "/"); p; p = strtok(NULL, "/"))
		if (sscanf(p, "%x:%x:%x.%x", &a, &b, &c, &d) == 4 && strlen(p) == 12)
			last = p;
	if (!last)
		return -1;
	snprintf(bdf, len, "%s", last);
	return 0;
}

/*
 * Vectors whose action name starts with @prefix: how many in *@n, how
 * many of them on the MSI-X chip of @bdf in *@msix.
 */
static void msix_vectors(const char *prefix, const char *bdf, int *n, int *msix)
{
	char chip[64];
	struct irqline l;
	int ncpu;
	size_t cl;
	FILE *f = irq_open(&ncpu);

	*n = *msix = 0;
	snprintf(chip, sizeof(chip), "PCI-MSIX-%s", bdf);
	cl = strlen(chip);
	while (f && irq_next(f, ncpu, &l)) {
		if (strncmp(l.action, prefix, strlen(prefix)))
			continue;
		++*n;
		*msix += strlen(l.chip) >= cl && !strcmp(l.chip + strlen(l.chip) - cl, chip);
		tap_diag("irq %d: %s", l.irq, l.desc);
	}
	if (f)
		fclose(f);
}

static void test_disk(const char *disk)
{
	char bdf[32] = "?";
	int nvec, nmsix;
	unsigned long long before[RVMSI_MAX_CPUS], after[RVMSI_MAX_CPUS];
	char dev[64], prefix[64];
	uint8_t *wbuf, *rbuf;
	int fd, ncpu, i;
	bool io_ok;

	snprintf(dev, sizeof(dev), "/dev/%s", disk);
	if (irq_prefix(disk, prefix, sizeof(prefix))) {
		tap_ok(false, "%s: find its interrupts", disk);
		return;
	}
	if (posix_memalign((void **)&wbuf, 4096, IO_SIZE) ||
	    posix_memalign((void **)&rbuf, 4096, IO_SIZE)) {
		tap_ok(false, "%s: allocate buffers", disk);
		return;
	}
	fill(wbuf, IO_SIZE, (uint32_t)getpid() ^ (uint32_t)disk[0]);
	memset(rbuf, 0, IO_SIZE);

	irq_counts(prefix, before);
	fd = open(dev, O_RDWR | O_DIRECT);
	io_ok = fd >= 0 &&
		pwrite(fd, wbuf, IO_SIZE, 0) == IO_SIZE && fsync(fd) == 0 &&
		pread(fd, rbuf, IO_SIZE, 0) == IO_SIZE;
	if (fd >= 0)
		close(fd);
	ncpu = irq_counts(prefix, after);

	tap_ok(io_ok, "%s: 4 MiB O_DIRECT write + read back", disk);
	tap_ok(io_ok && !memcmp(wbuf, rbuf, IO_SIZE), "%s: data read back matches", disk);
	for (i = 0; i < ncpu; i++)
		tap_diag("%s: %s* CPU%d %llu -> %llu", disk, prefix, i, before[i], after[i]);
	tap_ok(irq_sum(after, ncpu) > irq_sum(before, ncpu),
	       "%s: its vectors fired (%llu interrupts)", disk,
	       irq_sum(after, ncpu) - irq_sum(before, ncpu));
	disk_bdf(disk, bdf, sizeof(bdf));
	msix_vectors(prefix, bdf, &nvec, &nmsix);
	tap_ok(nvec > 0 && nmsix == nvec,
	       "%s: its %d vectors (%s*) are all MSI-X vectors of %s (%d on PCI-MSIX-%s)",
	       disk, nvec, prefix, bdf, nmsix, bdf);
	free(wbuf);
	free(rbuf);
}

int main(void)
{
	const char *disks[16];
	struct dirent *de;
	int n = 0, i, nvme = 0, vblk = 0;
	DIR *d = opendir("/sys/block");

	while (d && (de = readdir(d)) && n < 16)
		if (!strncmp(de->d_name, "vd", 2) || !strncmp(de->d_name, "nvme", 4))
			disks[n++] = strdup(de->d_name);
	if (d)
		closedir(d);

	if (!rvmsi_expects("disks")) {
		tap_plan(1);
		tap_skip("profile has no test disks");
		return 0;
	}
	for (i = 0; i < n; i++) {
		nvme += !strncmp(disks[i], "nvme", 4);
		vblk += !strncmp(disks[i], "vd", 2);
	}
	tap_plan(1 + 4 * n);
	tap_ok(nvme >= 1 && vblk >= 1, "found %d virtio-blk and %d NVMe disks (one of each expected)",
	       vblk, nvme);
	for (i = 0; i < n; i++)
		test_disk(disks[i]);
	return tap_done();
}
