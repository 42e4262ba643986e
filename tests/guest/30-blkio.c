// SPDX-License-Identifier: GPL-2.0-only
/*
 * Block I/O through the IOMMU: for every virtio-blk and NVMe disk, write a
 * pattern with O_DIRECT, read it back with O_DIRECT, compare, and check
 * that the disk's MSI(-X) vectors fired (per-CPU counts printed).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <libgen.h>
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

static void test_disk(const char *disk)
{
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
	       "%s: its MSI vectors fired (%llu interrupts)", disk,
	       irq_sum(after, ncpu) - irq_sum(before, ncpu));
	free(wbuf);
	free(rbuf);
}

int main(void)
{
	const char *disks[16];
	struct dirent *de;
	int n = 0, i;
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
	tap_plan(1 + 3 * n);
	tap_ok(n >= 2, "found %d disks (virtio-blk and NVMe expected)", n);
	for (i = 0; i < n; i++)
		test_disk(disks[i]);
	return tap_done();
}
