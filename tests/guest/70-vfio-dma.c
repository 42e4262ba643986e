// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA through a VFIO/iommufd paging domain: the edu DMA engine copies a
 * buffer RAM -> device -> RAM through IOVAs mapped with IOMMU_IOAS_MAP and
 * the data comes back intact; a DMA write to an IOVA that is not mapped is
 * stopped by the IOMMU and reported as a fault of edu (its device ID) at
 * that IOVA, and neither buffer is touched.
 */
#include "vfio-edu.h"

#define IOVA_IN		0x100000ull
#define IOVA_OUT	0x200000ull
#define IOVA_UNMAPPED	0x300000ull
#define LEN		4096

/*
 * IOMMU fault reports in the kernel log ("Fault CAUSE devid: 0xID iotval:
 * ADDR ...") of device ID @devid at an address in [@lo, @hi).
 */
static int count_faults(unsigned int devid, uint64_t lo, uint64_t hi)
{
	unsigned long long addr;
	unsigned int id;
	char line[512], *p;
	int n = 0, cause;
	FILE *f = popen("dmesg", "r");

	while (f && fgets(line, sizeof(line), f))
		if ((p = strstr(line, "Fault ")) &&
		    sscanf(p, "Fault %d devid: %x iotval: %llx", &cause, &id, &addr) == 3 &&
		    id == devid && addr >= lo && addr < hi)
			n++;
	if (f)
		pclose(f);
	return n;
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	uint8_t *in, *out;
	int ret, i, j, faults, now = 0;
	unsigned int devid;

	if (edu_test_start(&e, 6))
		return tap_done();

	in = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	out = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (i = 0; i < LEN; i++) {
		in[i] = (uint8_t)(i * 7 + 3);
		out[i] = 0xee;
	}
	ret = edu_map(&e, in, IOVA_IN, LEN);
	ret = ret ? ret : edu_map(&e, out, IOVA_OUT, LEN);
	tap_ok(!ret, "buffers mapped at IOVA %#llx and %#llx (%d)", IOVA_IN, IOVA_OUT, ret);

	ret = edu_dma(&e, IOVA_IN, LEN, false);
	ret = ret ? ret : edu_dma(&e, IOVA_OUT, LEN, true);
	tap_ok(!ret, "DMA RAM -> device -> RAM completed (%d)", ret);
	tap_ok(!memcmp(in, out, LEN), "data copied by the device is intact");

	devid = pci_devid(e.bdf);
	faults = count_faults(devid, IOVA_UNMAPPED, IOVA_UNMAPPED + LEN);
	memset(out, 0x5a, LEN);
	ret = edu_dma(&e, IOVA_UNMAPPED, LEN, true);
	/* The fault queue is drained by a threaded handler: wait for it. */
	poll_until((now = count_faults(devid, IOVA_UNMAPPED, IOVA_UNMAPPED + LEN)) > faults, 5000);
	tap_ok(!ret && now > faults,
	       "DMA to unmapped IOVA %#llx reported as an IOMMU fault of edu (device ID %#x) there (%d -> %d) (%d)",
	       IOVA_UNMAPPED, devid, faults, now, ret);
	for (i = 0; i < LEN && out[i] == 0x5a; i++)
		;
	for (j = 0; j < LEN && in[j] == (uint8_t)(j * 7 + 3); j++)
		;
	tap_ok(i == LEN && j == LEN,
	       "the faulting DMA wrote nowhere in the mapped buffers (out intact to byte %d, in to byte %d of %d)",
	       i, j, LEN);

	edu_close(&e);
	set_iommufd_unsafe(false);
	edu_unbind_vfio(&e);
	return tap_done();
}
