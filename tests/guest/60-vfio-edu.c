// SPDX-License-Identifier: GPL-2.0-only
/*
 * A userspace driver for edu through vfio-pci and iommufd: the device binds
 * to vfio-pci, its cdev binds to an iommufd (without allow_unsafe_interrupts
 * exactly when MSIs are isolated, i.e. MRIF mode), attaches to an IOAS,
 * and BAR0 answers through the VFIO region mmap. The same device through a
 * type1 container (the path of a distribution kernel without iommufd):
 * VFIO_SET_IOMMU without allow_unsafe_interrupts exactly when MSIs are
 * isolated, then DMA through VFIO_IOMMU_MAP_DMA and MSIs to an eventfd.
 * Without an IOMMU, vfio-pci is offered the device and must refuse it.
 */
#include <sys/eventfd.h>
#include "irqstat.h"
#include "vfio-edu.h"

#define T1_IOVA_IN	0x100000ull
#define T1_IOVA_OUT	0x200000ull
#define T1_LEN		4096
#define T1_RAISES	10

/*
 * edu's DMA engine through the type1 container: RAM -> device -> RAM,
 * and its MSI routed to an eventfd, raised @T1_RAISES times, each waited
 * for. Two cases.
 */
static void type1_dma_msi(struct edu *e, int container)
{
	uint8_t *in, *out;
	uint64_t got = 0;
	int ret, i, efd;

	ret = edu_map_bar0(e) ?: edu_bus_master(e);
	in = mmap(NULL, T1_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	out = mmap(NULL, T1_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (i = 0; i < T1_LEN; i++) {
		in[i] = (uint8_t)(i * 13 + 1);
		out[i] = 0xee;
	}
	ret = ret ?: type1_map(container, in, T1_IOVA_IN, T1_LEN);
	ret = ret ?: type1_map(container, out, T1_IOVA_OUT, T1_LEN);
	ret = ret ?: edu_dma(e, T1_IOVA_IN, T1_LEN, false);
	ret = ret ?: edu_dma(e, T1_IOVA_OUT, T1_LEN, true);
	tap_ok(!ret && !memcmp(in, out, T1_LEN),
	       "type1 container: BAR0 mapped, buffers mapped with VFIO_IOMMU_MAP_DMA, DMA RAM -> device -> RAM intact (%d)",
	       ret);
	efd = eventfd(0, EFD_NONBLOCK);
	ret = e->bar0 ? edu_set_msi(e, efd) : -ENODEV;
	for (i = 0; !ret && i < T1_RAISES; i++) {
		EDU_REG(e->bar0, EDU_RAISE) = 1;
		got += edu_collect(efd, 1);
		EDU_REG(e->bar0, EDU_ACK) = 1;
	}
	tap_ok(!ret && got == T1_RAISES,
	       "type1 container: MSI to an eventfd, %d raises -> %llu signals (%d)", T1_RAISES,
	       (unsigned long long)got, ret);
	if (!ret)
		edu_clear_msi(e);
	close(efd);
	if (e->bar0)
		munmap((void *)e->bar0, e->bar0_size);
	e->bar0 = NULL;
	munmap(in, T1_LEN);
	munmap(out, T1_LEN);
}

/* Does the kernel log hold a line containing @s? */
static bool klog_has(const char *s)
{
	char line[512];
	bool ret = false;
	FILE *f = popen("dmesg", "r");

	while (f && fgets(line, sizeof(line), f))
		ret |= strstr(line, s) != NULL;
	if (f)
		pclose(f);
	return ret;
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	bool isolated = rvmsi_expects("isolated"), type1 = rvmsi_expects("type1");
	int ret, i, good = 0;
	long flags;
	uint32_t v;

	if (!rvmsi_expects("edu")) {
		tap_plan(1);
		tap_skip("profile has no edu device");
		return 0;
	}
	if (!rvmsi_expects("iommu")) {
		char path[128], ovr[64] = "", drv[64], refusal[128];

		tap_plan(3);
		tap_ok(!edu_find(&e), "edu found (%s)", e.bdf);
		/* The refusal below means something only if vfio-pci was there
		 * and was offered the device. */
		snprintf(refusal, sizeof(refusal), "vfio-pci %s: probe with driver vfio-pci failed",
			 e.bdf);
		rvmsi_expect_log(refusal);
		ret = edu_bind_vfio(&e);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", e.bdf);
		read_file(path, ovr, sizeof(ovr));
		edu_driver(&e, drv, sizeof(drv));
		tap_ok(!access("/sys/bus/pci/drivers/vfio-pci", F_OK) && !strcmp(ovr, "vfio-pci") &&
		       klog_has(refusal),
		       "vfio-pci registered, offered %s (driver_override \"%s\") and probed it: the kernel logs \"%s\"",
		       e.bdf, ovr, refusal);
		tap_ok(ret && !drv[0] && edu_open_cdev(&e) < 0 && edu_open_group(&e, "") < 0 &&
		       access("/dev/vfio/devices", F_OK),
		       "without an IOMMU vfio-pci refuses %s: bound to \"%s\", no device cdev, no group node",
		       e.bdf, drv);
		edu_unbind_vfio(&e);
		return tap_done();
	}
	tap_plan(13);
	tap_ok(!edu_find(&e), "edu found (%s)", e.bdf);
	tap_ok(!edu_bind_vfio(&e), "edu binds to vfio-pci");
	ret = edu_open_cdev(&e);
	if (type1)
		tap_ok(ret < 0 && vfio_type1_only() &&
		       !access("/sys/module/vfio_pci/coresize", F_OK) &&
		       !access("/sys/module/kvm/coresize", F_OK),
		       "Debian's shape: no /dev/iommu, no VFIO device cdev (%d); vfio_pci and kvm are loaded modules",
		       ret);
	else
		tap_ok(ret >= 0, "VFIO device cdev opens (%d)", ret);

	/*
	 * With MRIF isolation the device's remapping domain carries the
	 * isolation flag and binding needs no permission; otherwise there is
	 * no flag and binding is refused unless allowed.
	 */
	flags = irq_domain_flags(e.bdf);
	if (isolated)
		tap_ok(flags >= 0 && (flags & IRQ_DOMAIN_FLAG_ISOLATED_MSI),
		       "%s's MSI domain is isolated (flags %#lx)", e.bdf, flags);
	else if (rvmsi_expects("gstage"))
		tap_ok(flags >= 0 && !(flags & IRQ_DOMAIN_FLAG_ISOLATED_MSI),
		       "%s's MSI domain remaps, is not isolated (flags %#lx)", e.bdf, flags);
	else
		tap_ok(flags < 0, "%s has no remapping MSI domain (%ld)", e.bdf, flags);
	if (type1) {
		for (i = 0; i < 5; i++)
			tap_skip("no iommufd: the type1 container below is the path");
		goto container;
	}
	set_iommufd_unsafe(false);
	ret = edu_bind_iommufd(&e);
	if (!isolated) {
		tap_ok(ret == -EPERM,
		       "iommufd bind refused without allow_unsafe_interrupts (%d)", ret);
		if (e.iommufd >= 0)
			close(e.iommufd);
		set_iommufd_unsafe(true);
		ret = edu_bind_iommufd(&e);
	} else {
		tap_ok(!ret, "iommufd bind with allow_unsafe_interrupts=0 (%d)", ret);
	}
	tap_ok(!ret, "iommufd bound, allow_unsafe_interrupts=%d (%d)", !isolated, ret);
	ret = ret ? ret : edu_attach_ioas(&e);
	tap_ok(!ret, "attached to an IOAS (%d)", ret);
	ret = ret ? ret : edu_map_bar0(&e);
	tap_ok(!ret && EDU_REG(e.bar0, EDU_ID) == EDU_ID_VALUE,
	       "BAR0 mapped through VFIO, id register %#x (%d)",
	       e.bar0 ? EDU_REG(e.bar0, EDU_ID) : 0, ret);
	for (i = 0; e.bar0 && i < 8; i++) {
		v = 0xa5a50000u | i;
		EDU_REG(e.bar0, EDU_LIVENESS) = v;
		good += EDU_REG(e.bar0, EDU_LIVENESS) == ~v;
	}
	tap_ok(good == 8, "liveness register through VFIO: %d/8", good);
	edu_close(&e);
	set_iommufd_unsafe(false);

container:
	/*
	 * The same through a type1 container: VFIO_SET_IOMMU succeeds without
	 * allow_unsafe_interrupts exactly when MSIs are isolated.
	 */
	{
		int container, group, dfd;

		set_type1_unsafe(false);
		ret = edu_type1_attach(&e, &container, &group);
		if (isolated) {
			tap_ok(!ret, "type1 container: VFIO_SET_IOMMU with allow_unsafe_interrupts=0 (%d)",
			       ret);
		} else {
			tap_ok(ret == -EPERM,
			       "type1 container: VFIO_SET_IOMMU refused without allow_unsafe_interrupts (%d)",
			       ret);
			if (group >= 0)
				close(group);
			if (container >= 0)
				close(container);
			set_type1_unsafe(true);
			ret = edu_type1_attach(&e, &container, &group);
		}
		dfd = ret ? -1 : ioctl(group, VFIO_GROUP_GET_DEVICE_FD, e.bdf);
		tap_ok(dfd >= 0, "type1 container: device fd through the group (%d, %d)", ret, dfd);
		e.devfd = dfd;
		if (dfd >= 0) {
			type1_dma_msi(&e, container);
		} else {
			tap_ok(false, "type1 container: DMA (no device fd)");
			tap_ok(false, "type1 container: MSI (no device fd)");
		}
		if (dfd >= 0)
			close(dfd);
		e.devfd = -1;
		if (group >= 0)
			close(group);
		if (container >= 0)
			close(container);
		set_type1_unsafe(false);
	}
	edu_unbind_vfio(&e);
	return tap_done();
}
