/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt bookkeeping for the in-guest C tests, the only place they read
 * it from: /proc/interrupts counts per CPU, affinity, genirq's debugfs
 * view of an irq, and the RISC-V IOMMU's debugfs views of MSI tables and
 * MRIFs.
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

#define RVMSI_MAX_CPUS 64

/*
 * The one parser of /proc/interrupts (lib.sh's irq_total reads the same
 * format the same way): a header naming one column per CPU, then one line
 * per interrupt, "N:" (or "IPI0:" ...), one count per CPU, then the chip,
 * hwirq, trigger type and the action names; the last field is the
 * (last) action name.
 */
struct irqline {
	int irq;			/* -1 for lines that are not "N:" */
	int ncpu;			/* count columns */
	unsigned long long cnt[RVMSI_MAX_CPUS];
	char desc[400];			/* what follows the counts */
	const char *action;		/* last field of desc, "" if none */
	const char *chip;		/* first field of desc, in chipbuf */
	char chipbuf[96];
};

/* Open /proc/interrupts and read its header; NULL on error. */
static inline FILE *irq_open(int *ncpu)
{
	char line[1024], *p;
	FILE *f = fopen("/proc/interrupts", "r");

	*ncpu = 0;
	if (f && fgets(line, sizeof(line), f))
		for (p = strtok(line, " \n"); p; p = strtok(NULL, " \n"))
			++*ncpu;
	if (*ncpu > RVMSI_MAX_CPUS)
		*ncpu = RVMSI_MAX_CPUS;
	return f;
}

/* Next line of @f into @l; false at the end. */
static inline bool irq_next(FILE *f, int ncpu, struct irqline *l)
{
	char line[1024], *p, *end;
	int i;

	while (fgets(line, sizeof(line), f)) {
		p = strchr(line, ':');
		if (!p)
			continue;
		l->irq = sscanf(line, " %d:", &i) == 1 ? i : -1;
		l->ncpu = ncpu;
		p++;
		for (i = 0; i < ncpu; i++)
			l->cnt[i] = strtoull(p, &p, 10);
		p += strspn(p, " ");
		snprintf(l->desc, sizeof(l->desc), "%s", p);
		end = l->desc + strlen(l->desc);
		while (end > l->desc && (end[-1] == '\n' || end[-1] == ' '))
			*--end = '\0';
		l->action = strrchr(l->desc, ' ');
		l->action = l->action ? l->action + 1 : l->desc;
		snprintf(l->chipbuf, sizeof(l->chipbuf), "%.*s", (int)strcspn(l->desc, " "),
			 l->desc);
		l->chip = l->chipbuf;
		return true;
	}
	return false;
}

/* The line of @irq into @l; 0, or -1 if @irq is not listed. */
static inline int irq_line(int irq, struct irqline *l)
{
	int ncpu, ret = -1;
	FILE *f = irq_open(&ncpu);

	while (f && ret && irq_next(f, ncpu, l))
		if (l->irq == irq)
			ret = 0;
	if (f)
		fclose(f);
	return ret;
}

/* Number of the first interrupt whose description contains @name, or -1. */
static inline int irq_find(const char *name)
{
	struct irqline l;
	int ncpu, irq = -1;
	FILE *f = irq_open(&ncpu);

	while (f && irq < 0 && irq_next(f, ncpu, &l))
		if (l.irq >= 0 && strstr(l.desc, name))
			irq = l.irq;
	if (f)
		fclose(f);
	return irq;
}

/* Does the description of @irq contain @s? */
static inline bool irq_name_has(int irq, const char *s)
{
	struct irqline l;

	return !irq_line(irq, &l) && strstr(l.desc, s);
}

/* Is @name the (last) action name of @irq? */
static inline bool irq_action_is(int irq, const char *name)
{
	struct irqline l;

	return !irq_line(irq, &l) && !strcmp(l.action, name);
}

/* Count of @irq on @cpu, or -1. */
static inline long irq_count(int irq, int cpu)
{
	struct irqline l;

	if (irq_line(irq, &l) || cpu < 0 || cpu >= l.ncpu)
		return -1;
	return (long)l.cnt[cpu];
}

/*
 * Sum the counts, per CPU, of every interrupt whose action name starts
 * with @prefix. Returns the number of CPU columns, or -1.
 */
static inline int irq_counts(const char *prefix, unsigned long long *percpu)
{
	struct irqline l;
	int ncpu, i;
	FILE *f = irq_open(&ncpu);

	if (!f)
		return -1;
	memset(percpu, 0, sizeof(*percpu) * RVMSI_MAX_CPUS);
	while (irq_next(f, ncpu, &l))
		if (!strncmp(l.action, prefix, strlen(prefix)))
			for (i = 0; i < ncpu; i++)
				percpu[i] += l.cnt[i];
	fclose(f);
	return ncpu;
}

static inline unsigned long long irq_sum(const unsigned long long *c, int n)
{
	unsigned long long s = 0;

	while (n-- > 0)
		s += c[n];
	return s;
}

/*
 * Field @key of genirq's debugfs view of @irq (/sys/kernel/debug/irq/irqs/N,
 * "key: value" lines, one block per domain level): the value of the last
 * line with that key, parsed as a number (decimal or 0x), or -1 if absent.
 */
static inline long irq_debug_field(int irq, const char *key)
{
	char path[64], line[256], *p, *k;
	size_t n = strlen(key);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/irq/irqs/%d", irq);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		k = line + strspn(line, " \t");
		if (strncmp(k, key, n))
			continue;
		p = k + n + strspn(k + n, " \t");
		if (*p == ':')
			v = strtol(p + 1, NULL, 0);
	}
	if (f)
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

/* Write @list ("0-3", "1") to /proc/irq/@irq/smp_affinity_list. */
static inline int irq_set_list(int irq, const char *list)
{
	char path[64];
	int ret;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity_list", irq);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	ret = fprintf(f, "%s\n", list) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

static inline int irq_set_cpu(int irq, int cpu)
{
	char list[16];

	snprintf(list, sizeof(list), "%d", cpu);
	return irq_set_list(irq, list);
}

/* The RISC-V IOMMU's debugfs view @name ("dc", "msi", "mrif"), or NULL. */
static inline FILE *iommu_view(const char *name)
{
	char pat[96];
	glob_t g;
	FILE *f = NULL;

	snprintf(pat, sizeof(pat), "/sys/kernel/debug/iommu/riscv-iommu@*/%s", name);
	if (!glob(pat, 0, NULL, &g)) {
		f = fopen(g.gl_pathv[0], "r");
		globfree(&g);
	}
	return f;
}

static inline FILE *msi_view(void)
{
	return iommu_view("msi");
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
 * How many times the IOMMU driver changed an entry of @bdf's MSI table
 * (the "writes=" count of its debugfs "msi" view); -1 if not listed.
 */
static inline long msi_writes(const char *bdf)
{
	char line[256], *w;
	long n = -1;
	FILE *f = msi_view();

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " table=") && !strncmp(line, bdf, strlen(bdf)) &&
		    line[strlen(bdf)] == ' ' && (w = strstr(line, " writes=")))
			n = atol(w + 8);
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
	FILE *f = iommu_view("mrif");

	*pend = *en = 0;
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
	FILE *f = iommu_view("mrif");
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
