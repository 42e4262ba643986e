// SPDX-License-Identifier: GPL-2.0-only
/*
 * What translated DMA costs the host's own disks, in the guest: samples
 * for bench/run.sh (booted on the default profile only; the domain type,
 * not the MSI mode, is what changes here).
 *
 * With IOMMU_DMA every device behind a RISC-V IOMMU gets a translated
 * default domain, with strict invalidation (RISC-V has no lazy default):
 * each unmap waits for an IOTINVAL and a fence. For the virtio-blk and the
 * NVMe disk in turn, BLOCKS times: the disk's IOMMU group is switched to
 * each default domain type through sysfs (driver unbound, type written,
 * driver bound again): "DMA" (translated, strict), "DMA-FQ" (translated,
 * lazy: unmaps batched through a flush queue; skipped if the IOMMU driver
 * refuses it) and "identity" (untranslated), and one thread on CPU 0
 * reads 4 KiB at random offsets with O_DIRECT (queue depth 1) for
 * SECONDS: the I/Os per second, and the block's ratios strict/identity
 * and strict/lazy. The group is left as it was found.
 * Each sample is one line "# bench: block=B fig=NAME value=V"; the TAP
 * cases only check that each measurement happened.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <time.h>
#include "tap.h"

#define BLOCKS		3
#define SECONDS		2.0
#define IO_SIZE		4096

static const char *const types[] = { "DMA", "DMA-FQ", "identity" };
static const char *const tnames[] = { "strict", "lazy", "ident" };

struct disk {
	const char *fig;	/* vblk, nvme */
	const char *prefix;	/* block device name prefix */
	char bdf[32];
	char drv[64];
	char group_type[PATH_MAX];
	char orig[32];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The block device of @d's PCI function, e.g. "vda", in @name. */
static int disk_name(struct disk *d, char *name, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX], pat[48];
	struct dirent *de;
	DIR *dir = opendir("/sys/block");
	int ret = -1;

	snprintf(pat, sizeof(pat), "/%s/", d->bdf);
	while (dir && (de = readdir(dir))) {
		if (strncmp(de->d_name, d->prefix, strlen(d->prefix)))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s", de->d_name);
		if (realpath(path, real) && (!d->bdf[0] || strstr(real, pat))) {
			snprintf(name, len, "%s", de->d_name);
			if (!d->bdf[0]) {
				/* The last PCI function on the path is the disk's. */
				char *p, *bdf = NULL;

				for (p = strtok(real, "/"); p; p = strtok(NULL, "/"))
					if (strlen(p) == 12 && p[4] == ':' && p[7] == ':' && p[10] == '.')
						bdf = p;
				if (!bdf)
					continue;
				snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
			}
			ret = 0;
			break;
		}
	}
	if (dir)
		closedir(dir);
	return ret;
}

static int disk_find(struct disk *d)
{
	char path[PATH_MAX], link[PATH_MAX], name[256];
	ssize_t n;

	if (disk_name(d, name, sizeof(name)))
		return -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", d->bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -1;
	link[n] = 0;
	snprintf(d->drv, sizeof(d->drv), "%s", strrchr(link, '/') + 1);
	snprintf(d->group_type, sizeof(d->group_type),
		 "/sys/bus/pci/devices/%s/iommu_group/type", d->bdf);
	return read_file(d->group_type, d->orig, sizeof(d->orig));
}

/* Rebind @d with its group's default domain of type @type. */
static int disk_set_type(struct disk *d, const char *type)
{
	char path[PATH_MAX], cur[32], name[256];
	int i, ret;

	if (!read_file(d->group_type, cur, sizeof(cur)) && !strcmp(cur, type))
		return 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind", d->drv);
	write_file(path, d->bdf);
	ret = write_file(d->group_type, type);
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/bind", d->drv);
	write_file(path, d->bdf);
	/* The disk comes back asynchronously (NVMe probes in a work item). */
	for (i = 0; i < 100 && disk_name(d, name, sizeof(name)); i++)
		usleep(100000);
	if (ret)
		return ret;
	return read_file(d->group_type, cur, sizeof(cur)) || strcmp(cur, type) ? -1 : 0;
}

/* Random 4 KiB O_DIRECT reads at depth 1 for SECONDS: I/Os per second. */
static double disk_iops(struct disk *d)
{
	char name[256], dev[272];
	uint64_t size, x = 88172645463325252ull, n = 0;
	double t0, t = 0;
	void *buf;
	int fd;

	if (disk_name(d, name, sizeof(name)))
		return -1;
	snprintf(dev, sizeof(dev), "/dev/%s", name);
	fd = open(dev, O_RDONLY | O_DIRECT);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size) || size < IO_SIZE ||
	    posix_memalign(&buf, IO_SIZE, IO_SIZE)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	t0 = now_s();
	do {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (pread(fd, buf, IO_SIZE, (x % (size / IO_SIZE)) * IO_SIZE) != IO_SIZE)
			break;
		n++;
		t = now_s();
	} while (t - t0 < SECONDS);
	free(buf);
	close(fd);
	return t - t0 >= SECONDS ? n / (t - t0) : -1;
}

int main(void)
{
	struct disk disks[] = {
		{ .fig = "vblk", .prefix = "vd" },
		{ .fig = "nvme", .prefix = "nvme" },
	};
	unsigned int i, t, b;
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	tap_plan(2 * 3);
	for (i = 0; i < 2; i++) {
		struct disk *d = &disks[i];
		int done[3] = { 0 }, refused[3] = { 0 };
		bool found = !disk_find(d);

		for (b = 0; found && b < BLOCKS; b++) {
			double iops[3] = { 0 };

			for (t = 0; t < 3; t++) {
				char fig[64];

				if (refused[t])
					continue;
				if (disk_set_type(d, types[t])) {
					tap_diag("%s (%s): default domain type %s refused",
						 d->fig, d->bdf, types[t]);
					refused[t] = 1;
					continue;
				}
				iops[t] = disk_iops(d);
				if (iops[t] <= 0)
					continue;
				snprintf(fig, sizeof(fig), "dma_%s_%s_iops", d->fig, tnames[t]);
				printf("# bench: block=%u fig=%s value=%.1f\n", b, fig, iops[t]);
				done[t]++;
			}
			/*
			 * The costs, as ratios of the block's own measurements,
			 * seconds apart: the host's drift between blocks and
			 * boots cancels.
			 */
			if (iops[0] > 0 && iops[2] > 0)
				printf("# bench: block=%u fig=dma_%s_strict_per_ident value=%.4f\n",
				       b, d->fig, iops[0] / iops[2]);
			if (iops[0] > 0 && iops[1] > 0)
				printf("# bench: block=%u fig=dma_%s_strict_per_lazy value=%.4f\n",
				       b, d->fig, iops[0] / iops[1]);
			fflush(stdout);
		}
		if (found)
			disk_set_type(d, d->orig);
		for (t = 0; t < 3; t++) {
			if (refused[t])
				tap_skip("%s: the IOMMU gives no %s default domain", d->fig, types[t]);
			else
				tap_ok(found && done[t] == BLOCKS,
				       "%s (%s): %d of %d blocks of 4 KiB random reads, default domain type %s",
				       d->fig, found ? d->bdf : "not found", done[t], BLOCKS,
				       types[t]);
		}
	}
	return tap_done();
}
