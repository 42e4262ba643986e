// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spoof test: can a device forge someone else's interrupt?
 *
 * edu, driven through vfio-pci + iommufd with its MSI enabled, is made to
 * send a chosen 32-bit value to the S-level interrupt file of every CPU:
 * the identity of a host interrupt (an IMSIC vector of another device or
 * of the IOMMU) that targets that CPU, as read from genirq's debugfs. This
 * is what a malicious device, or a device under a malicious userspace
 * driver, can do with any DMA write.
 *
 * How the write is made: the test rewrites the address and data of edu's
 * MSI capability through the function's sysfs config file (root, behind
 * vfio-pci's back) and rings edu's doorbell. The device then emits that
 * write itself, with its own requester ID, through the IOMMU: to the IOMMU
 * it is indistinguishable from a DMA write of the same value. (edu's DMA
 * engine cannot be used on QEMU 10.0: its IOMMU drops DMA writes into the
 * MSI window that carry no requester ID, and edu's DMA sends none.)
 *
 * Isolated (MRIF mode): the victims' counts must not move, on any CPU,
 * and an identity edu does not own must end up pending, not enabled, in
 * edu's own MRIF: the forgery did reach the IOMMU and was contained.
 * Flat mode: the file of the CPU edu's vector targets is mapped, so the
 * forged interrupt must reach the victim there: the test asserts the
 * breach, which shows it can see one. Without MSI page tables (noremap,
 * nogstage) edu's paging domain maps every CPU's file: the breach must
 * show there too.
 */
#include <glob.h>
#include <sys/eventfd.h>
#include "irqstat.h"
#include "vfio-edu.h"

#define MAX_CPUS	8

struct victim {
	int irq;
	unsigned int id;
};

static bool quiet(int irq, int cpu)
{
	long c = irq_count(irq, cpu);

	usleep(200000);
	return c > 0 && irq_count(irq, cpu) == c;
}

/*
 * The IOMMU's device name ("" if unknown): its own queue interrupts are no
 * victims, since a forged write that faults legitimately raises its fault
 * queue interrupt.
 */
static const char *iommu_name(void)
{
	static char name[64];
	glob_t g;

	if (!*name && !glob("/sys/kernel/debug/iommu/riscv-iommu@*", 0, NULL, &g)) {
		snprintf(name, sizeof(name), "%s", strchr(g.gl_pathv[0], '@') + 1);
		globfree(&g);
	}
	return name;
}

/*
 * A host IMSIC vector on @cpu that belongs to another PCI device (or is
 * another device's MRIF notice), not @skip's, not the IOMMU's, not an
 * IPI, that has fired (so it is enabled) but is quiet now (so a forged
 * interrupt cannot coalesce with a real one): of those, the one that
 * fired most.
 */
static int find_victim(int cpu, const char *skip, struct victim *v)
{
	const char *iommu = iommu_name();
	unsigned int tcpu, id;
	char line[256];
	int irq, found = -1;
	long best = -1, cnt;
	glob_t g;
	size_t i;
	FILE *f;

	if (glob("/sys/kernel/debug/irq/irqs/*", 0, NULL, &g))
		return -1;
	for (i = 0; i < g.gl_pathc; i++) {
		irq = atoi(strrchr(g.gl_pathv[i], '/') + 1);
		f = fopen(g.gl_pathv[i], "r");
		tcpu = ~0u;
		id = 0;
		while (f && fgets(line, sizeof(line), f)) {
			sscanf(line, " target_cpu : %u", &tcpu);
			sscanf(line, " target_local_id : %u", &id);
		}
		if (f)
			fclose(f);
		/* identity 1 is the IPI; the irq must be in /proc/interrupts */
		cnt = irq_count(irq, cpu);
		if (tcpu == (unsigned int)cpu && id > 1 && !irq_name_has(irq, skip) &&
		    !(*iommu && irq_action_is(irq, iommu)) &&
		    (irq_name_has(irq, "PCI-MSI") || irq_name_has(irq, "mrif-")) &&
		    cnt > best && quiet(irq, cpu)) {
			best = cnt;
			v->irq = irq;
			v->id = id;
			found = 0;
		}
	}
	globfree(&g);
	return found;
}

/* The identity forged into edu's MRIF to show containment: edu owns 1.. */
#define UNOWNED_ID	63

/* Make edu emit @data to @addr, as a DMA write would; 0 or -errno. */
static int forge(struct edu *e, const struct edu_msi *m, uint64_t addr, uint32_t data)
{
	int ret = edu_msi_write(e, m, addr, data);

	if (ret)
		return ret;
	e->bar0[EDU_RAISE / 4] = 1;
	usleep(50000);
	return 0;
}

/* S-level file address of @cpu, from the IOMMU's msi view; 0 if unknown. */
static uint64_t file_of(int cpu)
{
	unsigned long long pa = 0;

	msi_file(cpu, &pa);
	return pa;
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	bool isolated = rvmsi_expects("isolated");
	long before[MAX_CPUS] = { }, after[MAX_CPUS] = { };
	struct victim vic[MAX_CPUS] = { };
	int n = ncpus(), cpu, efd, irq, ecpu, ret, forged = 0, tries = 0;
	unsigned long long p0, e0, p1, e1;
	struct edu_msi msi = { };
	char name[96], ent[512];
	uint64_t v = 0;
	int i;

	if (edu_test_start(&e, isolated ? 8 : 7))
		return tap_done();
	if (n > MAX_CPUS)
		n = MAX_CPUS;

	efd = eventfd(0, EFD_NONBLOCK);
	ret = edu_set_msi(&e, efd);
	snprintf(name, sizeof(name), "vfio-msi[0](%s)", e.bdf);
	irq = irq_find(name);
	ecpu = irq_effective_cpu(irq);
	if (ecpu < 0 || ecpu >= n)
		ecpu = 0;
	ret = ret ? ret : edu_msi_read(&e, &msi);
	tap_ok(!ret && msi.addr, "edu's MSI enabled (irq %d on CPU %d): address %#llx data %u, capability at %#x (%d)",
	       irq, ecpu, (unsigned long long)msi.addr, msi.data, msi.cap, ret);

	for (cpu = 0; cpu < n; cpu++) {
		vic[cpu].irq = -1;
		if (find_victim(cpu, e.bdf, &vic[cpu]))
			continue;
		tap_diag("CPU %d: victim irq %d, identity %u, count %ld", cpu, vic[cpu].irq,
			 vic[cpu].id, irq_count(vic[cpu].irq, cpu));
	}
	tap_ok(vic[ecpu].irq >= 0, "a host interrupt to forge on CPU %d: irq %d", ecpu,
	       vic[ecpu].irq);

	/* Forge each victim's MSI: its identity to its CPU's S-level file. */
	for (cpu = 0; cpu < n; cpu++) {
		uint64_t file = cpu == ecpu ? msi.addr : file_of(cpu);

		if (vic[cpu].irq < 0 || !file)
			continue;
		before[cpu] = irq_count(vic[cpu].irq, cpu);
		ret = forge(&e, &msi, file, vic[cpu].id);
		after[cpu] = irq_count(vic[cpu].irq, cpu);
		tap_diag("CPU %d: edu sent %u to %#llx (%d): irq %d count %ld -> %ld", cpu,
			 vic[cpu].id, (unsigned long long)file, ret, vic[cpu].irq,
			 before[cpu], after[cpu]);
		forged += after[cpu] != before[cpu];
		tries += !ret;
	}
	tap_ok(tries > 0, "edu sent forged MSIs to %d CPUs' files", tries);

	if (isolated) {
		tap_ok(forged == 0, "isolated: no forged interrupt reached any CPU (%d victims hit)",
		       forged);
		/* An identity edu does not own, sent to its own CPU's file. */
		mrif_words(e.bdf, ecpu, 0, &p0, &e0);
		ret = forge(&e, &msi, msi.addr, UNOWNED_ID);
		mrif_words(e.bdf, ecpu, 0, &p1, &e1);
		tap_ok(!ret && !(p0 & 1ull << UNOWNED_ID) && (p1 & 1ull << UNOWNED_ID) &&
		       !(e1 & 1ull << UNOWNED_ID),
		       "isolated: identity %d sent by edu is pending, not enabled, in edu's own MRIF of CPU %d (pending %#llx -> %#llx, enable %#llx)",
		       UNOWNED_ID, ecpu, p0, p1, e1);
	} else {
		tap_ok(after[ecpu] == before[ecpu] + 1,
		       "not isolated: the forged interrupt reached irq %d on CPU %d (%ld -> %ld): not isolated",
		       vic[ecpu].irq, ecpu, before[ecpu], after[ecpu]);
	}
	msi_entries(e.bdf, ent, sizeof(ent));
	if (isolated)
		tap_ok(strstr(ent, ":mrif:") && !strstr(ent, ":basic:"),
		       "the writes could only land in edu's own MRIFs (entries \"%s\")", ent);
	else if (rvmsi_expects("gstage"))
		tap_ok(strstr(ent, ":basic:") != NULL,
		       "flat: edu's entry maps the file itself (entries \"%s\")", ent);
	else
		tap_ok(msi_entries(e.bdf, ent, sizeof(ent)) < 0,
		       "first stage: no MSI table, edu's domain maps the files themselves");

	/* Put the real message back: edu's own MSI is still delivered once. */
	ret = edu_msi_write(&e, &msi, msi.addr, msi.data);
	for (i = 0; i < 100 && read(efd, &v, sizeof(v)) != sizeof(v); i++)
		;
	v = 0;
	e.bar0[EDU_RAISE / 4] = 1;
	for (i = 0; i < 200 && read(efd, &v, sizeof(v)) != sizeof(v); i++)
		usleep(10000);
	tap_ok(!ret && v == 1, "edu's own MSI still delivered, once (%llu, %d)",
	       (unsigned long long)v, ret);
	return edu_test_end(&e, efd);
}
