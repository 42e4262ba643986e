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
 * refuses it) and "identity" (untranslated), in the order strict, lazy,
 * identity, identity, lazy, strict, and for each one thread on CPU 0
 * reads 4 KiB at random offsets with O_DIRECT (queue depth 1) for
 * WARMUP seconds untimed and then SECONDS: the block's I/Os per second of
 * each type (the mean of its two windows) and its ratios strict/identity
 * and strict/lazy. A virtio disk whose driver does not use the DMA API
 * (VIRTIO_F_ACCESS_PLATFORM not negotiated) is not measured: the domain
 * type cannot change its DMA. The group is left as it was found.
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
#define SECONDS		0.5
#define WARMUP		0.1
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

/*
 * Whether @d's driver maps its DMA through the DMA API (and so through the
 * domain): always for NVMe; for virtio only with VIRTIO_F_ACCESS_PLATFORM
 * (feature bit 33) negotiated, which QEMU offers with iommu_platform=on.
 * Without it the virtio core hands the device physical addresses and QEMU
 * does not translate them.
 */
static bool uses_dma_api(struct disk *d)
{
	char path[PATH_MAX], name[256], feat[128];

	if (strcmp(d->fig, "vblk"))
		return true;
	if (disk_name(d, name, sizeof(name)))
		return true;
	snprintf(path, sizeof(path), "/sys/block/%s/device/features", name);
	if (read_file(path, feat, sizeof(feat)))
		return true;	/* unknown: measure */
	return strlen(feat) > 33 && feat[33] == '1';
}

/*
 * Random 4 KiB O_DIRECT reads at depth 1 for SECONDS, after WARMUP seconds
 * of the same reads untimed (the first I/Os after a rebind fill the IOVA
 * caches and the queues): I/Os per second.
 */
static double disk_iops(struct disk *d)
{
	char name[256], dev[272];
	uint64_t size, x = 88172645463325252ull, n = 0;
	double t0, t = 0;
	bool warm = false;
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
		if (!warm && t - t0 >= WARMUP) {
			warm = true;
			n = 0;
			t0 = t;
		}
	} while (!warm || t - t0 < SECONDS);
	free(buf);
	close(fd);
	return warm && t - t0 >= SECONDS ? n / (t - t0) : -1;
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

		if (found && !uses_dma_api(d)) {
			/*
			 * Nothing to measure: the driver hands the device
			 * physical addresses whatever the domain type.
			 */
			tap_diag("%s (%s): VIRTIO_F_ACCESS_PLATFORM not negotiated: the driver "
				 "does not use the DMA API and the device is not translated, "
				 "whatever the domain type; not measured", d->fig, d->bdf);
			printf("# bench: block=0 fig=dma_%s_dma_api value=0\n", d->fig);
			for (t = 0; t < 3; t++)
				tap_skip("%s: no DMA API use to measure (domain type %s)",
					 d->fig, types[t]);
			continue;
		}
		for (b = 0; found && b < BLOCKS; b++) {
			double iops[3] = { 0 };
			int n[3] = { 0 };
			unsigned int k;

			/*
			 * strict, lazy, identity, identity, lazy, strict: a
			 * drift of the host's speed that is linear over the
			 * block weighs on every type alike, so it cancels in
			 * the block's ratios.
			 */
			for (k = 0; k < 6; k++) {
				double v;

				t = k < 3 ? k : 5 - k;
				if (refused[t])
					continue;
				if (disk_set_type(d, types[t])) {
					tap_diag("%s (%s): default domain type %s refused",
						 d->fig, d->bdf, types[t]);
					refused[t] = 1;
					continue;
				}
				v = disk_iops(d);
				if (v <= 0)
					continue;
				iops[t] += v;
				n[t]++;
			}
			for (t = 0; t < 3; t++) {
				if (n[t] != 2) {
					iops[t] = 0;
					continue;
				}
				iops[t] /= 2;
				printf("# bench: block=%u fig=dma_%s_%s_iops value=%.1f\n", b, d->fig,
				       tnames[t], iops[t]);
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
