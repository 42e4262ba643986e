// SPDX-License-Identifier: GPL-2.0-only
/*
 * A userspace driver for edu through vfio-pci and iommufd: the device binds
 * to vfio-pci, its cdev binds to an iommufd (without allow_unsafe_interrupts
 * exactly when MSIs are isolated, i.e. MRIF mode), attaches to an IOAS,
 * and BAR0 answers through the VFIO region mmap. Without an IOMMU, vfio-pci
 * must not offer the device at all.
 */
#include "irqstat.h"
#include "vfio-edu.h"

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	bool isolated = rvmsi_expects("isolated");
	int ret, i, good = 0;
	long flags;
	uint32_t v;

	if (!rvmsi_expects("edu")) {
		tap_plan(1);
		tap_skip("profile has no edu device");
		return 0;
	}
	if (!rvmsi_expects("iommu")) {
		tap_plan(2);
		tap_ok(!edu_find(&e), "edu found (%s)", e.bdf);
		edu_bind_vfio(&e);
		tap_ok(edu_open_cdev(&e) < 0, "without an IOMMU vfio-pci offers no device cdev");
		edu_unbind_vfio(&e);
		return tap_done();
	}
	tap_plan(11);
	tap_ok(!edu_find(&e), "edu found (%s)", e.bdf);
	tap_ok(!edu_bind_vfio(&e), "edu binds to vfio-pci");
	ret = edu_open_cdev(&e);
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
	tap_ok(!ret && e.bar0[EDU_ID / 4] == EDU_ID_VALUE,
	       "BAR0 mapped through VFIO, id register %#x (%d)",
	       e.bar0 ? e.bar0[EDU_ID / 4] : 0, ret);
	for (i = 0; e.bar0 && i < 8; i++) {
		v = 0xa5a50000u | i;
		e.bar0[EDU_LIVENESS / 4] = v;
		good += e.bar0[EDU_LIVENESS / 4] == ~v;
	}
	tap_ok(good == 8, "liveness register through VFIO: %d/8", good);
	edu_close(&e);
	set_iommufd_unsafe(false);

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
		if (dfd >= 0)
			close(dfd);
		if (group >= 0)
			close(group);
		if (container >= 0)
			close(container);
		set_type1_unsafe(false);
	}
	edu_unbind_vfio(&e);
	return tap_done();
}
