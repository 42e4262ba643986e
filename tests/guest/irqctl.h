/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The harness's test module (tests/kmod/rvmsi_irqctl.c): load it, and
 * disable ("mask": unlazy, "lazy") or enable ("unmask") an irq through
 * its debugfs file.
 */
#ifndef RVMSI_IRQCTL_H
#define RVMSI_IRQCTL_H
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "tap.h"

#define CTL		"/sys/kernel/debug/rvmsi_irqctl"
#define MODULE		"/lib/modules/rvmsi_irqctl.ko"

static inline int load_module(void)
{
	int fd = open(MODULE, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret == -EEXIST ? 0 : ret;
}

static inline int ctl(const char *cmd, int irq)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%s %d", cmd, irq);
	return write_file(CTL, buf);
}
#endif /* RVMSI_IRQCTL_H */
