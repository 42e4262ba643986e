// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edu test device answers through its BAR0, mapped from sysfs
 * (resource0): identification register and the liveness register, which
 * reads back the complement of what was written.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "edu.h"
#include "tap.h"

int main(void)
{
	char path[600], buf[64], dev[300] = "";
	struct dirent *de;
	volatile uint32_t *bar;
	uint32_t id, v;
	int fd, ok_cnt = 0, i;
	DIR *d;

	if (!rvmsi_expects("edu")) {
		tap_plan(1);
		tap_skip("profile has no edu device");
		return 0;
	}
	tap_plan(4);
	d = opendir("/sys/bus/pci/devices");
	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", de->d_name);
		if (read_file(path, buf, sizeof(buf)) || strcmp(buf, EDU_VENDOR))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", de->d_name);
		if (!read_file(path, buf, sizeof(buf)) && !strcmp(buf, EDU_DEVICE))
			snprintf(dev, sizeof(dev), "/sys/bus/pci/devices/%s", de->d_name);
	}
	if (d)
		closedir(d);
	tap_ok(dev[0], "edu device found (%s)", dev);
	if (!dev[0])
		return tap_done();

	snprintf(path, sizeof(path), "%s/enable", dev);
	write_file(path, "1");
	snprintf(path, sizeof(path), "%s/resource0", dev);
	fd = open(path, O_RDWR | O_SYNC);
	bar = fd < 0 ? MAP_FAILED :
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	tap_ok(bar != MAP_FAILED, "BAR0 mapped through %s", path);
	if (bar == MAP_FAILED)
		return tap_done();

	id = bar[EDU_ID / 4];
	tap_ok(id == EDU_ID_VALUE, "identification register reads %#x", id);
	for (i = 0; i < 8; i++) {
		v = 0x5a5a0000u | (i * 0x1111u);
		bar[EDU_LIVENESS / 4] = v;
		if (bar[EDU_LIVENESS / 4] == ~v)
			ok_cnt++;
	}
	tap_ok(ok_cnt == 8, "liveness register complements %d/8 values", ok_cnt);
	munmap((void *)bar, 4096);
	close(fd);
	return tap_done();
}
