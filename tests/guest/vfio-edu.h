/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for in-guest tests that drive the edu device through vfio-pci
 * and iommufd (device cdev), as a userspace driver would.
 */
#ifndef RVMSI_VFIO_EDU_H
#define RVMSI_VFIO_EDU_H

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include "edu.h"
#include "tap.h"

struct edu {
	char bdf[64];
	int devfd;			/* /dev/vfio/devices/vfioN */
	int iommufd;			/* /dev/iommu */
	bool type1;			/* opened through a type1 container: */
	int container, group;		/* its fds (valid only if type1) */
	uint32_t devid, ioas;
	volatile uint32_t *bar0;
	size_t bar0_size;
};

/* Find the edu (1234:11e8) PCI function; 0 on success. */
static inline int edu_find(struct edu *e)
{
	char path[600], buf[64];
	struct dirent *de;
	DIR *d = opendir("/sys/bus/pci/devices");
	int ret = -1;

	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", de->d_name);
		if (read_file(path, buf, sizeof(buf)) || strcmp(buf, EDU_VENDOR))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", de->d_name);
		if (!read_file(path, buf, sizeof(buf)) && !strcmp(buf, EDU_DEVICE)) {
			snprintf(e->bdf, sizeof(e->bdf), "%.63s", de->d_name);
			ret = 0;
		}
	}
	if (d)
		closedir(d);
	return ret;
}

/* The PCI requester ID of @bdf ("SSSS:BB:DD.F"): the IOMMU's device ID. */
static inline unsigned int pci_devid(const char *bdf)
{
	unsigned int seg, bus, dev, fn;

	if (sscanf(bdf, "%x:%x:%x.%x", &seg, &bus, &dev, &fn) != 4)
		return ~0u;
	return bus << 8 | dev << 3 | fn;
}

/* Name of the driver bound to the device, "" if none. */
static inline void edu_driver(struct edu *e, char *buf, size_t len)
{
	char path[128], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", e->bdf);
	n = readlink(path, link, sizeof(link) - 1);
	buf[0] = '\0';
	if (n > 0) {
		link[n] = '\0';
		snprintf(buf, len, "%.63s", strrchr(link, '/') + 1);
	}
}

/* Bind the device to vfio-pci through driver_override; 0 if bound. */
static inline int edu_bind_vfio(struct edu *e)
{
	char path[128], drv[64];

	edu_driver(e, drv, sizeof(drv));
	if (!strcmp(drv, "vfio-pci"))
		return 0;
	if (drv[0]) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", e->bdf);
		write_file(path, e->bdf);
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", e->bdf);
	write_file(path, "vfio-pci");
	write_file("/sys/bus/pci/drivers_probe", e->bdf);
	edu_driver(e, drv, sizeof(drv));
	return strcmp(drv, "vfio-pci") ? -1 : 0;
}

static inline void edu_unbind_vfio(struct edu *e)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", e->bdf);
	write_file(path, e->bdf);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", e->bdf);
	write_file(path, "\n");
}

/*
 * Open the device's VFIO group node, /dev/vfio/<prefix><iommu group>;
 * returns the fd or -errno.
 */
static inline int edu_open_group(struct edu *e, const char *prefix)
{
	char path[128], link[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", e->bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -ENOENT;
	link[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s%s", prefix, strrchr(link, '/') + 1);
	fd = open(path, O_RDWR);
	return fd < 0 ? -errno : fd;
}

/*
 * The legacy container path: the device's group in a /dev/vfio/vfio
 * container with the type1 backend. Fills @container and @group; returns
 * the result of VFIO_SET_IOMMU (0 or -errno), or -ENODEV when the
 * container offers no type1 backend.
 */
static inline int edu_type1_attach(struct edu *e, int *container, int *group)
{
	*group = -1;
	*container = open("/dev/vfio/vfio", O_RDWR);
	if (*container < 0)
		return -errno;
	if (ioctl(*container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1)
		return -ENODEV;
	*group = edu_open_group(e, "");
	if (*group < 0)
		return *group;
	if (ioctl(*group, VFIO_GROUP_SET_CONTAINER, container))
		return -errno;
	return ioctl(*container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) ? -errno : 0;
}

/* Map @len bytes at @va to @iova in a type1 container; 0 or -errno. */
static inline int type1_map(int container, void *va, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = len,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &map) ? -errno : 0;
}

static inline int set_type1_unsafe(bool allow)
{
	return write_file("/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
			  allow ? "1" : "0");
}

/* Open the device's VFIO cdev; returns the fd or -errno. */
static inline int edu_open_cdev(struct edu *e)
{
	char path[300];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", e->bdf);
	d = opendir(path);
	if (!d)
		return -ENOENT;
	e->devfd = -ENOENT;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "vfio", 4)) {
			snprintf(path, sizeof(path), "/dev/vfio/devices/%s", de->d_name);
			e->devfd = open(path, O_RDWR);
			if (e->devfd < 0)
				e->devfd = -errno;
			break;
		}
	closedir(d);
	return e->devfd;
}

/* VFIO_DEVICE_BIND_IOMMUFD; returns 0 or -errno. */
static inline int edu_bind_iommufd(struct edu *e)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };

	e->iommufd = open("/dev/iommu", O_RDWR);
	if (e->iommufd < 0)
		return -errno;
	bind.iommufd = e->iommufd;
	if (ioctl(e->devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		return -errno;
	e->devid = bind.out_devid;
	return 0;
}

/* Allocate an IOAS and attach the device to it; returns 0 or -errno. */
static inline int edu_attach_ioas(struct edu *e)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };

	if (ioctl(e->iommufd, IOMMU_IOAS_ALLOC, &alloc))
		return -errno;
	e->ioas = alloc.out_ioas_id;
	attach.pt_id = e->ioas;
	if (ioctl(e->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		return -errno;
	return 0;
}

/* Map BAR0 through the VFIO region; returns 0 or -errno. */
static inline int edu_map_bar0(struct edu *e)
{
	struct vfio_region_info info = {
		.argsz = sizeof(info), .index = VFIO_PCI_BAR0_REGION_INDEX,
	};
	void *p;

	if (ioctl(e->devfd, VFIO_DEVICE_GET_REGION_INFO, &info))
		return -errno;
	if (!(info.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return -EINVAL;
	p = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, e->devfd,
		 info.offset);
	if (p == MAP_FAILED)
		return -errno;
	e->bar0 = p;
	e->bar0_size = info.size;
	return 0;
}

/*
 * Map @len bytes at @va to @iova in the device's IOAS, or its type1
 * container; 0 or -errno.
 */
static inline int edu_map(struct edu *e, void *va, uint64_t iova, uint64_t len)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = e->ioas,
		.user_va = (uintptr_t)va,
		.length = len,
		.iova = iova,
	};

	if (e->type1)
		return type1_map(e->container, va, iova, len);
	return ioctl(e->iommufd, IOMMU_IOAS_MAP, &map) ? -errno : 0;
}

static inline void edu_w64(struct edu *e, unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)((volatile uint8_t *)e->bar0 + off) = v;
}

static inline uint64_t edu_r64(struct edu *e, unsigned int off)
{
	return *(volatile uint64_t *)((volatile uint8_t *)e->bar0 + off);
}

/*
 * Run one edu DMA: @to_ram copies the device buffer to @addr, otherwise
 * @addr to the device buffer. Returns 0 when the engine finished.
 */
static inline int edu_dma(struct edu *e, uint64_t addr, uint32_t len, bool to_ram)
{
	int i;

	edu_w64(e, EDU_DMA_SRC, to_ram ? EDU_DMA_BUF : addr);
	edu_w64(e, EDU_DMA_DST, to_ram ? addr : EDU_DMA_BUF);
	edu_w64(e, EDU_DMA_CNT, len);
	edu_w64(e, EDU_DMA_CMD, EDU_DMA_START | (to_ram ? EDU_DMA_TO_RAM : 0));
	for (i = 0; i < 100000; i++) {
		if (!(edu_r64(e, EDU_DMA_CMD) & EDU_DMA_START))
			return 0;
		usleep(10);
	}
	return -ETIMEDOUT;
}

/* Route the edu's MSI to eventfd @efd; 0 or -errno. */
static inline int edu_set_msi(struct edu *e, int efd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSI_IRQ_INDEX;
	set->start = 0;
	set->count = 1;
	memcpy(set->data, &efd, sizeof(int));
	return ioctl(e->devfd, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
}

static inline void edu_clear_msi(struct edu *e)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_MSI_IRQ_INDEX,
	};

	ioctl(e->devfd, VFIO_DEVICE_SET_IRQS, &set);
}

/*
 * Sum the eventfd until @want arrived (2 s at most), then whatever else
 * comes within 20 ms: a duplicate would show up as an excess.
 */
static inline uint64_t edu_collect(int efd, uint64_t want)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	uint64_t total = 0, v;

	while (total < want && poll(&pfd, 1, 2000) > 0)
		if (read(efd, &v, sizeof(v)) == sizeof(v))
			total += v;
	while (poll(&pfd, 1, 20) > 0 && read(efd, &v, sizeof(v)) == sizeof(v))
		total += v;
	return total;
}

/* Set Bus Master Enable in the command register: vfio-pci leaves it off. */
static inline int edu_bus_master(struct edu *e)
{
	struct vfio_region_info info = {
		.argsz = sizeof(info), .index = VFIO_PCI_CONFIG_REGION_INDEX,
	};
	uint16_t cmd;

	if (ioctl(e->devfd, VFIO_DEVICE_GET_REGION_INFO, &info))
		return -errno;
	if (pread(e->devfd, &cmd, 2, info.offset + 4) != 2)
		return -EIO;
	cmd |= 0x4;
	if (pwrite(e->devfd, &cmd, 2, info.offset + 4) != 2)
		return -EIO;
	return 0;
}

/*
 * The edu's MSI capability as the device sees it, through the function's
 * sysfs config file (not vfio-pci's virtualised view). Writing it is how
 * the spoof test makes the device itself emit a chosen address and data
 * with its own requester ID, as a malicious device could by DMA.
 */
struct edu_msi {
	int cap;			/* capability offset, 0 if none */
	int data_off;			/* 0x8 or 0xc (64-bit capable) */
	uint64_t addr;
	uint32_t data;
};

static inline int edu_cfg_fd(struct edu *e, int flags)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", e->bdf);
	return open(path, flags);
}

/* Read the MSI capability's message; 0 or -errno. */
static inline int edu_msi_read(struct edu *e, struct edu_msi *m)
{
	uint8_t cfg[256];
	uint32_t lo, hi = 0;
	int fd = edu_cfg_fd(e, O_RDONLY), pos, n = 0;

	if (fd < 0)
		return -errno;
	if (pread(fd, cfg, sizeof(cfg), 0) != sizeof(cfg)) {
		close(fd);
		return -EIO;
	}
	close(fd);
	m->cap = 0;
	for (pos = cfg[0x34] & ~3; pos && n++ < 48; pos = cfg[pos + 1] & ~3)
		if (cfg[pos] == 0x05) {
			m->cap = pos;
			break;
		}
	if (!m->cap)
		return -ENOENT;
	m->data_off = (cfg[m->cap + 2] & 0x80) ? 0xc : 0x8;
	memcpy(&lo, cfg + m->cap + 4, 4);
	if (m->data_off == 0xc)
		memcpy(&hi, cfg + m->cap + 8, 4);
	m->addr = (uint64_t)hi << 32 | lo;
	m->data = cfg[m->cap + m->data_off] | cfg[m->cap + m->data_off + 1] << 8;
	return 0;
}

/* Write @addr/@data into the MSI capability found by edu_msi_read(). */
static inline int edu_msi_write(struct edu *e, const struct edu_msi *m, uint64_t addr,
				uint32_t data)
{
	uint32_t lo = (uint32_t)addr, hi = addr >> 32;
	uint16_t d = data;
	int fd = edu_cfg_fd(e, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (pwrite(fd, &lo, 4, m->cap + 4) != 4 ||
	    (m->data_off == 0xc && pwrite(fd, &hi, 4, m->cap + 8) != 4) ||
	    pwrite(fd, &d, 2, m->cap + m->data_off) != 2)
		ret = -EIO;
	close(fd);
	return ret;
}

/*
 * Without an IOMMU: vfio's no-IOMMU mode (unsafe, taints the kernel), the
 * device's noiommu-N group in a container with VFIO_NOIOMMU_IOMMU, BAR0
 * mapped, bus mastering on. For comparisons only (the benchmark).
 */
static inline int edu_open_noiommu(struct edu *e, int *container, int *group)
{
	*container = *group = -1;
	if (write_file("/sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "1") ||
	    edu_find(e) || edu_bind_vfio(e))
		return -ENODEV;
	*container = open("/dev/vfio/vfio", O_RDWR);
	if (*container < 0)
		return -errno;
	*group = edu_open_group(e, "noiommu-");
	if (*group < 0)
		return *group;
	if (ioctl(*group, VFIO_GROUP_SET_CONTAINER, container) ||
	    ioctl(*container, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU))
		return -errno;
	e->devfd = ioctl(*group, VFIO_GROUP_GET_DEVICE_FD, e->bdf);
	if (e->devfd < 0)
		return -errno;
	return edu_map_bar0(e) ?: edu_bus_master(e);
}

/* A kernel without iommufd (the distro profile): VFIO's type1 container. */
static inline bool vfio_type1_only(void)
{
	return access("/dev/iommu", F_OK) != 0;
}

/*
 * Bind to vfio-pci, open, bind to iommufd and attach an IOAS (or, without
 * iommufd, put the group in a type1 container), map BAR0.
 */
static inline int edu_open_all(struct edu *e)
{
	int ret;

	if (edu_find(e) || edu_bind_vfio(e))
		return -ENODEV;
	if (vfio_type1_only()) {
		e->type1 = true;
		ret = edu_type1_attach(e, &e->container, &e->group);
		if (ret)
			return ret;
		e->devfd = ioctl(e->group, VFIO_GROUP_GET_DEVICE_FD, e->bdf);
		if (e->devfd < 0)
			return -errno;
		return edu_map_bar0(e) ?: edu_bus_master(e);
	}
	ret = edu_open_cdev(e);
	if (ret < 0)
		return ret;
	ret = edu_bind_iommufd(e);
	if (!ret)
		ret = edu_attach_ioas(e);
	if (!ret)
		ret = edu_map_bar0(e);
	if (!ret)
		ret = edu_bus_master(e);
	return ret;
}

static inline void edu_close(struct edu *e)
{
	if (e->bar0)
		munmap((void *)e->bar0, e->bar0_size);
	if (e->devfd >= 0)
		close(e->devfd);
	if (e->iommufd >= 0)
		close(e->iommufd);
	if (e->type1) {
		if (e->group >= 0)
			close(e->group);
		if (e->container >= 0)
			close(e->container);
		e->type1 = false;
	}
	e->bar0 = NULL;
	e->devfd = e->iommufd = -1;
}

/* allow_unsafe_interrupts of iommufd or, without it, of type1. */
static inline int set_iommufd_unsafe(bool allow)
{
	if (vfio_type1_only())
		return set_type1_unsafe(allow);
	return write_file("/sys/module/iommufd/parameters/allow_unsafe_interrupts",
			  allow ? "1" : "0");
}

/*
 * Start a test that needs edu behind an IOMMU: skip on other profiles
 * (returns 1), else print the plan, open edu as a userspace driver
 * (allow_unsafe_interrupts set unless MSIs are isolated) and report it as
 * the first case.
 * Returns 0 to go on, 1 when the test is over.
 */
static inline int edu_test_start(struct edu *e, int plan)
{
	int ret;

	if (!rvmsi_expects("edu") || !rvmsi_expects("iommu")) {
		tap_plan(1);
		tap_skip("profile has no edu device or no IOMMU");
		return 1;
	}
	tap_plan(plan);
	/* Isolated MSIs need no permission: run without it there. */
	set_iommufd_unsafe(!rvmsi_expects("isolated"));
	ret = edu_open_all(e);
	tap_ok(!ret, "edu opened through vfio-pci + %s (%d)",
	       e->type1 ? "a type1 container" : "iommufd, IOAS attached", ret);
	return ret ? 1 : 0;
}

/*
 * End a test started with edu_test_start() whose MSI went to @efd: route
 * it back, close everything, unbind from vfio-pci, clear the permission.
 */
static inline int edu_test_end(struct edu *e, int efd)
{
	edu_clear_msi(e);
	close(efd);
	edu_close(e);
	edu_unbind_vfio(e);
	set_iommufd_unsafe(false);
	return tap_done();
}

#endif /* RVMSI_VFIO_EDU_H */
