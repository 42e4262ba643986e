// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA through a VFIO/iommufd paging domain: the edu DMA engine copies a
 * buffer RAM -> device -> RAM through IOVAs mapped with IOMMU_IOAS_MAP and
 * the data comes back intact; a DMA write to an IOVA that is not mapped is
 * stopped by the IOMMU and reported as a fault, and memory is not touched.
 */
#include "vfio-edu.h"

#define IOVA_IN		0x100000ull
#define IOVA_OUT	0x200000ull
#define IOVA_UNMAPPED	0x300000ull
#define LEN		4096

static int count_faults(void)
{
	char line[512];
	int n = 0;
	FILE *f = popen("dmesg", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "Fault ") && strstr(line, " devid: "))
			n++;
	if (f)
		pclose(f);
	return n;
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	uint8_t *in, *out;
	int ret, i, faults;

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

	faults = count_faults();
	memset(out, 0x5a, LEN);
	ret = edu_dma(&e, IOVA_UNMAPPED, LEN, true);
	usleep(100000);
	tap_ok(count_faults() > faults,
	       "DMA to unmapped IOVA %#llx reported as an IOMMU fault (%d -> %d)",
	       IOVA_UNMAPPED, faults, count_faults());
	for (i = 0; i < LEN && out[i] == 0x5a; i++)
		;
	tap_ok(i == LEN, "the faulting DMA wrote nowhere in the mapped buffers");

	edu_close(&e);
	set_iommufd_unsafe(false);
	edu_unbind_vfio(&e);
	return tap_done();
}
