/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt bookkeeping for the in-guest C tests: /proc/interrupts counts
 * per CPU, affinity, and the RISC-V IOMMU's debugfs view of MSI tables.
 */
#ifndef RVMSI_IRQSTAT_H
#define RVMSI_IRQSTAT_H

#include <errno.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline int ncpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/* Number of the first /proc/interrupts line whose name contains @name. */
static inline int irq_find(const char *name)
{
	char line[512];
	int irq = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -1;
	while (irq < 0 && fgets(line, sizeof(line), f))
		if (strstr(line, name) && sscanf(line, " %d:", &irq) != 1)
			irq = -1;
	fclose(f);
	return irq;
}

/* Is @irq in /proc/interrupts with @s in its line? */
static inline bool irq_name_has(int irq, const char *s)
{
	char line[512];
	bool ret = false;
	int n;
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, " %d:", &n) == 1 && n == irq)
			ret = strstr(line, s) != NULL;
	if (f)
		fclose(f);
	return ret;
}

/* Count of @irq on @cpu, or -1. */
static inline long irq_count(int irq, int cpu)
{
	char line[512], *p;
	long v = -1;
	int n, i;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %d:", &n) != 1 || n != irq)
			continue;
		p = strchr(line, ':') + 1;
		for (i = 0; i <= cpu; i++)
			v = strtol(p, &p, 10);
		break;
	}
	fclose(f);
	return v;
}

static inline int irq_effective_cpu(int irq)
{
	char path[64];
	int cpu = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/irq/%d/effective_affinity_list", irq);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &cpu) != 1)
		cpu = -1;
	fclose(f);
	return cpu;
}

static inline int irq_set_cpu(int irq, int cpu)
{
	char path[64];
	int ret;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity_list", irq);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	ret = fprintf(f, "%d\n", cpu) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

static inline FILE *msi_view(void)
{
	glob_t g;
	FILE *f = NULL;

	if (!glob("/sys/kernel/debug/iommu/riscv-iommu@*/msi", 0, NULL, &g)) {
		f = fopen(g.gl_pathv[0], "r");
		globfree(&g);
	}
	return f;
}

/*
 * @cpu's S-level file as the IOMMU's debugfs view lists it: its address in
 * *@pa (if not NULL) and its MSI table index; -1 if not listed.
 */
static inline int msi_file(int cpu, unsigned long long *pa)
{
	unsigned long long addr;
	char line[256];
	int c, idx, ret = -1;
	FILE *f = msi_view();

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "cpu%d file=%llx index=%d", &c, &addr, &idx) == 3 &&
		    c == cpu) {
			ret = idx;
			if (pa)
				*pa = addr;
		}
	if (f)
		fclose(f);
	return ret;
}

/* MSI table index of @cpu's S-level file, from the IOMMU's debugfs view. */
static inline int msi_file_index(int cpu)
{
	return msi_file(cpu, NULL);
}

/*
 * The valid entries of @bdf's MSI table as "index:mode:refs ...", e.g.
 * "8:basic:1"; empty if none. Returns the number of entries, -1 if the
 * device has no table.
 */
static inline int msi_entries(const char *bdf, char *out, size_t len)
{
	char line[256], mode[16], *refs;
	int idx, n = -1;
	bool mine = false;
	FILE *f = msi_view();

	*out = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (strstr(line, " table=")) {
			mine = !strncmp(line, bdf, strlen(bdf)) && line[strlen(bdf)] == ' ';
			if (mine)
				n = 0;
			continue;
		}
		if (!mine || sscanf(line, " %d gpa=%*s mode=%15s", &idx, mode) != 2)
			continue;
		refs = strstr(line, "refs=");
		snprintf(out + strlen(out), len - strlen(out), "%s%d:%s:%d",
			 n ? " " : "", idx, mode, refs ? atoi(refs + 5) : -1);
		n++;
	}
	if (f)
		fclose(f);
	return n;
}

/*
 * Pending and enable words of identities 64*@pair..64*@pair+63 in the MRIF
 * of @bdf for @cpu, from the IOMMU's debugfs "mrif" view (zero words are
 * not listed there). Returns 0, or -1 if the device has no such MRIF.
 */
static inline int mrif_words(const char *bdf, int cpu, int pair,
			     unsigned long long *pend, unsigned long long *en)
{
	char line[256];
	unsigned int lo, hi;
	int c, dev = 0, cur = -1, ret = -1;
	glob_t g;
	FILE *f = NULL;

	*pend = *en = 0;
	if (!glob("/sys/kernel/debug/iommu/riscv-iommu@*/mrif", 0, NULL, &g)) {
		f = fopen(g.gl_pathv[0], "r");
		globfree(&g);
	}
	while (f && fgets(line, sizeof(line), f)) {
		if (line[0] != ' ') {
			dev = !strncmp(line, bdf, strlen(bdf)) && line[strlen(bdf)] == ' ';
			cur = -1;
		} else if (sscanf(line, "  cpu%d mrif=", &c) == 1) {
			cur = dev ? c : -1;
			if (cur == cpu)
				ret = 0;
		} else if (cur == cpu &&
			   sscanf(line, "    ids %u-%u pending=%llx enable=%llx", &lo, &hi,
				  pend, en) == 4 && lo == 64u * pair) {
			break;
		} else if (cur == cpu) {
			*pend = *en = 0;
		}
	}
	if (f)
		fclose(f);
	return ret;
}

/*
 * The notice irq that the MRIF entry of @bdf for @cpu sends, from the
 * IOMMU's debugfs "mrif" view (notices are shared by devices), or -1.
 */
static inline int mrif_notice_irq(const char *bdf, int cpu)
{
	char line[256];
	int c, irq, dev = 0, ret = -1;
	glob_t g;
	FILE *f = NULL;

	if (!glob("/sys/kernel/debug/iommu/riscv-iommu@*/mrif", 0, NULL, &g)) {
		f = fopen(g.gl_pathv[0], "r");
		globfree(&g);
	}
	while (f && fgets(line, sizeof(line), f)) {
		if (line[0] != ' ')
			dev = !strncmp(line, bdf, strlen(bdf)) && line[strlen(bdf)] == ' ';
		else if (dev && sscanf(line, "  cpu%d mrif=%*x notice_irq=%d", &c, &irq) == 2 &&
			 c == cpu)
			ret = irq;
	}
	if (f)
		fclose(f);
	return ret;
}

/* IRQ_DOMAIN_FLAG_ISOLATED_MSI, include/linux/irqdomain.h */
#define IRQ_DOMAIN_FLAG_ISOLATED_MSI	(1 << 5)

/*
 * Flags of the RISC-V IOMMU's remapping domain of device @bdf (genirq
 * debugfs: riscv-ir-<bdf>-<bus token>), or -1 if it has none.
 */
static inline long irq_domain_flags(const char *bdf)
{
	char path[256], line[256];
	long flags = -1;
	FILE *f = NULL;
	glob_t g;

	snprintf(path, sizeof(path), "/sys/kernel/debug/irq/domains/riscv-ir-%s-*", bdf);
	if (!glob(path, 0, NULL, &g)) {
		f = fopen(g.gl_pathv[0], "r");
		globfree(&g);
	}
	while (f && flags < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, " flags: %li", &flags) != 1)
			flags = -1;
	if (f)
		fclose(f);
	return flags;
}

#endif /* RVMSI_IRQSTAT_H */
