// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detach and unbind while slab allocations fail. The IOMMU core expects
 * attaching the blocking (release) domain and the default domain back to
 * succeed; an IOMMU driver that allocates there leaves the device on a
 * domain about to be freed, or with an invalid device context, and WARNs.
 *
 * Each round opens edu through vfio-pci (iommufd, or the type1 container
 * where there is no iommufd) with its MSI routed to an eventfd, then,
 * with failslab failing every slab allocation of this task only
 * (task-filter, /proc/self/make-it-fail), closes the device, the iommufd
 * or container and the group (iommufd/type1 detach, MSIs freed), and
 * unbinds edu from vfio-pci (the default domain is attached back).
 * Afterwards: allocations did fail (else nothing was tested), edu's
 * device context is still valid, and the next round's MSIs arrive. The
 * kernel log must stay free of WARNs and the kmemleak scan after the
 * tests clean (both checked by the host).
 *
 * failslab exists in the debug kernel (make check-debug, booted with
 * iommu.debug_pagealloc=1, where its absence fails); elsewhere the test
 * skips as a whole.
 */
#include <sys/eventfd.h>
#include "vfio-edu.h"

#define ROUNDS		10
#define FAILSLAB	"/sys/kernel/debug/failslab/"
#define FAIL_TIMES	100000

static int mif_fd = -1;

/*
 * Fail every slab allocation of this task from now on, after the first
 * @space bytes (failslab's "space"), or stop failing them.
 */
static int failslab(bool on, unsigned int space)
{
	char buf[32];

	if (on) {
		if (write_file(FAILSLAB "probability", "100") ||
		    write_file(FAILSLAB "interval", "1") ||
		    write_file(FAILSLAB "verbose", "0") ||
		    write_file(FAILSLAB "task-filter", "Y") ||
		    write_file(FAILSLAB "ignore-gfp-wait", "N"))
			return -1;
		snprintf(buf, sizeof(buf), "%u", space);
		if (write_file(FAILSLAB "space", buf))
			return -1;
		snprintf(buf, sizeof(buf), "%d", FAIL_TIMES);
		if (write_file(FAILSLAB "times", buf))
			return -1;
	}
	/*
	 * Through an fd opened beforehand: opening a file allocates, so
	 * failslab could not be switched off by opening it again.
	 */
	return pwrite(mif_fd, on ? "1" : "0", 1, 0) == 1 ? 0 : -1;
}

/* Allocations failed since failslab(true): the budget used up. */
static long failslab_injected(void)
{
	char buf[32];

	if (read_file(FAILSLAB "times", buf, sizeof(buf)))
		return -1;
	return FAIL_TIMES - atol(buf);
}

/* Is edu's device context valid, as the IOMMU's debugfs view shows it? */
static bool dc_valid(const struct edu *e)
{
	char path[512], line[1024], *p;
	bool found = false, valid = false;
	DIR *d = opendir("/sys/kernel/debug/iommu");
	struct dirent *de;
	FILE *f;

	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "riscv-iommu@", 12))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/debug/iommu/%s/dc", de->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f)) {
			if (strncmp(line, e->bdf, strlen(e->bdf)) || line[strlen(e->bdf)] != ' ')
				continue;
			found = true;
			p = strstr(line, " v=");
			valid = p && p[3] == '1';
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return found && valid;
}

/* Open edu with its MSI on @efd and check that @n raises arrive. */
static int open_and_raise(struct edu *e, int efd, int n)
{
	uint64_t got = 0;
	int i;

	int ret = edu_open_all(e);

	if (ret) {
		tap_diag("open: %d (%s)", ret, strerror(ret < 0 ? -ret : ret));
		return -1;
	}
	ret = edu_set_msi(e, efd);
	if (ret) {
		tap_diag("MSI to eventfd: %d (%s)", ret, strerror(-ret));
		return -1;
	}
	for (i = 0; i < n; i++) {
		EDU_REG(e->bar0, EDU_ACK) = 1;
		EDU_REG(e->bar0, EDU_RAISE) = 1;
		got += edu_collect(efd, 1);
	}
	EDU_REG(e->bar0, EDU_ACK) = 1;
	return got == (uint64_t)n ? 0 : -1;
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1, .group = -1, .container = -1 };
	int round, opened = 0, valid = 0, efd, fd;
	long injected = 0, inj;
	char drv[64], path[128];

	if (access(FAILSLAB "probability", W_OK)) {
		char cmdline[4096] = "";

		/* make-check-debug's kernel must have it: no quiet skip there. */
		read_file("/proc/cmdline", cmdline, sizeof(cmdline));
		if (strstr(cmdline, "iommu.debug_pagealloc=1")) {
			tap_plan(1);
			tap_ok(false, "the debug kernel has failslab (%s)", FAILSLAB);
			return tap_done();
		}
		printf("1..0 # SKIP no failslab in this kernel (make check-debug has it)\n");
		return 0;
	}
	if (!rvmsi_expects("edu") || !rvmsi_expects("iommu")) {
		tap_plan(1);
		tap_skip("profile has no edu device or no IOMMU");
		return tap_done();
	}
	tap_plan(5);
	mif_fd = open("/proc/self/make-it-fail", O_WRONLY);
	set_iommufd_unsafe(!rvmsi_expects("isolated"));
	efd = eventfd(0, EFD_NONBLOCK);

	for (round = 0; round < ROUNDS; round++) {
		if (!open_and_raise(&e, efd, 3))
			opened++;
		/* Opened first: the open itself allocates. */
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", e.bdf);
		fd = open(path, O_WRONLY);
		/*
		 * BAR0 unmapped first: an munmap that fails for want of memory
		 * (maple tree nodes) would keep the device file, and so the
		 * device, open for good.
		 */
		if (e.bar0)
			munmap((void *)e.bar0, e.bar0_size);
		e.bar0 = NULL;
		if (fd < 0 || mif_fd < 0 || failslab(true, 0)) {
			tap_diag("cannot set up failslab");
			break;
		}
		/* iommufd/type1 detach, MSIs freed (the final fputs run here). */
		edu_close(&e);
		failslab(false, 0);
		inj = failslab_injected();
		/* Unbind: the sysfs write's own buffers may still succeed. */
		failslab(true, 4096);
		if (write(fd, e.bdf, strlen(e.bdf)) < 0)
			tap_diag("unbind: %s", strerror(errno));
		failslab(false, 0);
		close(fd);
		inj += failslab_injected();
		if (inj > 0)
			injected += inj;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", e.bdf);
		write_file(path, "\n");
		if (dc_valid(&e))
			valid++;
	}
	tap_ok(round == ROUNDS, "failslab set up for this task in each of %d rounds", round);
	tap_ok(injected > 0,
	       "slab allocations failed during detach and unbind: %ld in %d rounds",
	       injected, round);
	edu_driver(&e, drv, sizeof(drv));
	tap_ok(strcmp(drv, "vfio-pci"),
	       "edu is no longer bound to vfio-pci (driver: %s)", drv[0] ? drv : "none");
	tap_ok(valid == ROUNDS,
	       "edu's device context valid after each detach and unbind: %d of %d", valid,
	       ROUNDS);
	/* The next open after the last failing round must work too. */
	if (!open_and_raise(&e, efd, 3))
		opened++;
	tap_ok(opened == ROUNDS + 1,
	       "every open after a failing detach delivers its MSIs: %d of %d", opened,
	       ROUNDS + 1);
	edu_clear_msi(&e);
	edu_close(&e);
	edu_unbind_vfio(&e);
	close(efd);
	set_iommufd_unsafe(false);
	return tap_done();
}
