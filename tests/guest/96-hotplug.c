// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remapped MSIs across CPU hotplug.
 *
 * Part 1, every profile with edu behind an IOMMU and two CPUs: edu's MSI
 * (vfio-pci, routed to an eventfd) is moved to CPU 1 and masked (the test
 * module, IRQ_DISABLE_UNLAZY), then raised once: it is held pending (in
 * MRIF mode, in edu's MRIF of CPU 1; QEMU sends no notice for a masked
 * identity). CPU 1 goes offline: the vector moves to CPU 0, and enabling
 * it must deliver the held interrupt exactly once. Without carrying the
 * pending state of a dead CPU's MRIF over, nothing arrives. Outside MRIF
 * mode the interrupt is held in the IMSIC file of CPU 1, and every vector
 * of CPU 1 moves to CPU 0 at once: when another one takes edu's local ID
 * as its new ID, the IMSIC driver without its fix for masked temporary
 * IDs drops the held interrupt (seen on flat, noremap and nogstage with
 * the full test list).
 *
 * Part 2, profiles with "hotplug" (4 harts, one offline at boot): that CPU
 * is brought online, then every secondary CPU is offlined and onlined in
 * turn, three rounds, while a child process writes, reads back and
 * compares O_DIRECT blocks on virtio-blk and NVMe. After every step each
 * valid MSI table entry must be a live translation of its own CPU's file:
 * in MRIF mode its notice goes to that same file with a non-zero identity,
 * in flat mode it targets that file. At the end the I/O loop saw no error
 * and made progress at every step, the kernel logged no I/O timeout, and
 * edu's MSIs are exact again (20 raises, 20 signals).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "irqstat.h"
#include "vfio-edu.h"
#include "irqctl.h"

#define ROUNDS		3
#define BLK		(64 * 1024)

static int cpu_set_online(int cpu, bool on)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	return write_file(path, on ? "1" : "0");
}

static bool cpu_is_online(int cpu)
{
	char path[64], buf[8] = "";

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	return read_file(path, buf, sizeof(buf)) >= 0 && buf[0] == '1';
}

static int cpus_present(void)
{
	return (int)sysconf(_SC_NPROCESSORS_CONF);
}

/* Sum of @irq's counts over the online CPUs (columns follow them). */
static long irq_total(int irq)
{
	long sum = 0, v;
	int i;

	for (i = 0; i < ncpus(); i++) {
		v = irq_count(irq, i);
		if (v < 0)
			return -1;
		sum += v;
	}
	return sum;
}

/*
 * Valid MSI table entries that are not a live translation of their own
 * CPU's file: *@total gets the number of valid entries seen.
 */
static int bad_entries(int *total, char *why, size_t len)
{
	unsigned long long gpa, a, b, nid;
	char line[256], mode[16];
	unsigned int idx;
	int bad = 0;
	FILE *f = msi_view();

	*total = 0;
	why[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "  %u gpa=%llx mode=%15s", &idx, &gpa, mode) != 3)
			continue;
		(*total)++;
		if (sscanf(line, "  %*u gpa=%*x mode=mrif mrif=%llx notice=%llx nid=%llu",
			   &a, &b, &nid) == 3) {
			if (b == gpa && nid)
				continue;
		} else if (sscanf(line, "  %*u gpa=%*x mode=basic target=%llx", &a) == 1) {
			if (a == gpa)
				continue;
		}
		if (!bad++)
			snprintf(why, len, "%s", line);
	}
	if (f)
		fclose(f);
	return bad;
}

/* A list file of /proc/irq/@irq ("smp_affinity_list", ...) as a string. */
static void irq_list(int irq, const char *file, char *buf, size_t len)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/irq/%d/%s", irq, file);
	if (read_file(path, buf, len) < 0)
		buf[0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/*
 * A PCI MSI vector managed on @cpu alone (affinity list "@cpu") that is
 * not on @cpu after it came online; its number, or 0.
 */
static int managed_elsewhere(int cpu)
{
	char aff[64], eff[64], want[16], path[512];
	struct dirent *d, *i;
	int ret = 0, irq;
	DIR *dd = opendir("/sys/bus/pci/devices"), *di;

	snprintf(want, sizeof(want), "%d", cpu);
	while (!ret && dd && (d = readdir(dd))) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/msi_irqs", d->d_name);
		di = opendir(path);
		while (!ret && di && (i = readdir(di))) {
			irq = atoi(i->d_name);
			if (irq <= 0)
				continue;
			irq_list(irq, "smp_affinity_list", aff, sizeof(aff));
			irq_list(irq, "effective_affinity_list", eff, sizeof(eff));
			if (!strcmp(aff, want) && eff[0] && strcmp(eff, want))
				ret = irq;
		}
		if (di)
			closedir(di);
	}
	if (dd)
		closedir(dd);
	return ret;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* The I/O child: write, read back, compare; progress goes to @wfd. */
static int io_loop(int wfd)
{
	char path[300], *wbuf, *rbuf;
	int fds[2], nfd = 0, i, errors = 0;
	unsigned long n = 0;
	struct dirent *de;
	DIR *d = opendir("/sys/block");

	signal(SIGTERM, on_term);
	while (d && (de = readdir(d)) && nfd < 2) {
		if (strncmp(de->d_name, "vd", 2) && strncmp(de->d_name, "nvme", 4))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		fds[nfd] = open(path, O_RDWR | O_DIRECT);
		if (fds[nfd] >= 0)
			nfd++;
	}
	if (d)
		closedir(d);
	if (nfd < 2 || posix_memalign((void **)&wbuf, 4096, BLK) ||
	    posix_memalign((void **)&rbuf, 4096, BLK))
		return 2;
	while (!stop) {
		for (i = 0; i < nfd; i++) {
			off_t off = (off_t)(n % 64) * BLK;

			memset(wbuf, (int)(n * 7 + i), BLK);
			snprintf(wbuf, 32, "blk %lu dev %d", n, i);
			if (pwrite(fds[i], wbuf, BLK, off) != BLK ||
			    pread(fds[i], rbuf, BLK, off) != BLK ||
			    memcmp(wbuf, rbuf, BLK))
				errors++;
		}
		n++;
		if (write(wfd, &n, sizeof(n)) != sizeof(n))
			break;
	}
	return errors ? 1 : 0;
}

/* Iterations the I/O child reported so far (non-blocking). */
static unsigned long io_progress(int rfd, unsigned long last)
{
	unsigned long v;

	while (read(rfd, &v, sizeof(v)) == sizeof(v))
		last = v;
	return last;
}

/* The first kernel log line reporting an I/O timeout or a hung task. */
static bool io_timeout(char *klog, char *why, size_t len)
{
	char *line, *save = NULL;

	why[0] = 0;
	for (line = strtok_r(klog, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		bool dev = strstr(line, "nvme") || strstr(line, "virtio") || strstr(line, "vda");
		bool tmo = strstr(line, "timeout") || strstr(line, "timed out");

		if ((dev && tmo) || strstr(line, "blocked for more than") ||
		    strstr(line, "hung_task")) {
			snprintf(why, len, "%s", line);
			return true;
		}
	}
	return false;
}

static uint64_t raise_n(struct edu *e, int efd, int n)
{
	uint64_t got = 0;
	int i;

	for (i = 0; i < n; i++) {
		e->bar0[EDU_RAISE / 4] = 1;
		got += edu_collect(efd, 1);
		e->bar0[EDU_ACK / 4] = 1;
	}
	return got;
}

static void part2(struct edu *e, int efd)
{
	int pipefd[2], status = 0, cpu, r, total, bad = 0, steps = 0, stalled = 0;
	int strays = 0, stray = 0;
	char why[256] = "", firstbad[512] = "";
	static char klog[64 * 1024];
	unsigned long prog = 0, p;
	int last = cpus_present() - 1;
	pid_t pid;
	uint64_t got;
	long len;

	r = cpu_is_online(last) ? -EALREADY : cpu_set_online(last, true);
	tap_ok(!r && cpu_is_online(last) && ncpus() == cpus_present(),
	       "CPU %d, offline since boot, comes online (%d): %d of %d CPUs online",
	       last, r, ncpus(), cpus_present());

	if (pipe2(pipefd, O_NONBLOCK)) {
		tap_ok(0, "pipe");
		return;
	}
	pid = fork();
	if (!pid) {
		close(pipefd[0]);
		_exit(io_loop(pipefd[1]));
	}
	close(pipefd[1]);
	for (int round = 0; round < ROUNDS; round++) {
		for (cpu = 1; cpu <= last; cpu++) {
			bool on;

			for (on = false; ; on = true) {
				if (cpu_set_online(cpu, on) || cpu_is_online(cpu) != on)
					bad++;
				usleep(200000);
				p = io_progress(pipefd[0], prog);
				if (p == prog)
					stalled++;
				prog = p;
				steps++;
				if (bad_entries(&total, why, sizeof(why)) && !firstbad[0])
					snprintf(firstbad, sizeof(firstbad), "cpu%d %s: %s",
						 cpu, on ? "online" : "offline", why);
				if (why[0] || !total)
					bad++;
				if (on && (r = managed_elsewhere(cpu)) > 0) {
					strays++;
					stray = r;
				}
				if (on)
					break;
			}
		}
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	prog = io_progress(pipefd[0], prog);
	close(pipefd[0]);
	tap_ok(!bad && !firstbad[0],
	       "%d offline/online steps: every valid MSI entry translates its own CPU's file live (%s)",
	       steps, firstbad[0] ? firstbad : "all good");
	tap_ok(!strays, "vectors managed on a CPU are back on it once it is online (%d misplaced, e.g. irq %d)",
	       strays, stray);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && !stalled && prog > 0,
	       "O_DIRECT write/read/compare on virtio-blk and NVMe throughout: %lu rounds, exit %d, %d steps without progress",
	       prog, WIFEXITED(status) ? WEXITSTATUS(status) : -1, stalled);
	len = syscall(SYS_syslog, 3, klog, sizeof(klog) - 1);
	klog[len > 0 ? len : 0] = 0;
	tap_ok(len > 0 && !io_timeout(klog, why, sizeof(why)),
	       "no I/O timeout or hung task in the kernel log%s%s", why[0] ? ": " : "", why);
	got = raise_n(e, efd, 20);
	tap_ok(got == 20, "after the hotplug rounds: 20 raises -> %llu signals",
	       (unsigned long long)got);
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	bool isolated = rvmsi_expects("isolated"), hotplug = rvmsi_expects("hotplug");
	unsigned long long pend = 0, en = 0;
	int plan = 7 + (isolated ? 2 : 0) + (hotplug ? 6 : 0);
	int efd, irq, cpu, ret, id = -1;
	char name[96];
	long before;
	uint64_t got;

	if (ncpus() < 2 || access("/sys/devices/system/cpu/cpu1/online", W_OK)) {
		tap_plan(1);
		tap_skip("needs 2 CPUs and CPU hotplug");
		return tap_done();
	}
	if (edu_test_start(&e, plan))
		return tap_done();

	ret = load_module();
	efd = eventfd(0, EFD_NONBLOCK);
	ret = ret ? ret : edu_set_msi(&e, efd);
	snprintf(name, sizeof(name), "vfio-msi[0](%s)", e.bdf);
	irq = irq_find(name);
	ret = ret ? ret : irq_set_cpu(irq, 1);
	/*
	 * Without MRIFs the IMSIC moves a vector that cannot be masked
	 * (edu's plain MSI) when it next fires: make it fire once.
	 */
	if (!ret && raise_n(&e, efd, 1) != 1)
		ret = -EIO;
	cpu = irq_effective_cpu(irq);
	tap_ok(!ret && irq > 0 && cpu == 1,
	       "edu's MSI is irq %d, moved to CPU %d (%d)", irq, cpu, ret);

	if (isolated)
		id = (int)irq_debug_field(irq, "mrif_id");
	ret = ctl("mask", irq);
	before = irq_total(irq);
	e.bar0[EDU_RAISE / 4] = 1;
	got = edu_collect(efd, 1);
	tap_ok(!ret && got == 0 && irq_total(irq) == before,
	       "masked (%d), raised once: held (%llu delivered)", ret,
	       (unsigned long long)got);
	if (isolated) {
		mrif_words(e.bdf, 1, id / 64, &pend, &en);
		tap_ok(id > 0 && (pend >> (id % 64) & 1),
		       "identity %d pending in edu's MRIF of CPU 1 (pending %#llx enable %#llx)",
		       id, pend, en);
	}

	ret = cpu_set_online(1, false);
	cpu = irq_effective_cpu(irq);
	tap_ok(!ret && !cpu_is_online(1) && cpu >= 0 && cpu != 1,
	       "CPU 1 offline (%d): the vector moved to CPU %d", ret, cpu);
	if (isolated) {
		mrif_words(e.bdf, 1, id / 64, &pend, &en);
		tap_ok(!(pend >> (id % 64) & 1) && !(en >> (id % 64) & 1),
		       "nothing of identity %d left in the MRIF of dead CPU 1 (pending %#llx enable %#llx)",
		       id, pend, en);
	}
	ret = ctl("unmask", irq);
	got = edu_collect(efd, 1);
	tap_ok(!ret && got == 1,
	       "enabled on CPU %d (%d): the interrupt held on dead CPU 1 delivered exactly once (%llu)",
	       cpu, ret, (unsigned long long)got);

	ret = cpu_set_online(1, true);
	tap_ok(!ret && cpu_is_online(1), "CPU 1 online again (%d)", ret);
	e.bar0[EDU_ACK / 4] = 1;
	ret = irq_set_cpu(irq, 1);
	got = raise_n(&e, efd, 5);
	tap_ok(!ret && irq_effective_cpu(irq) == 1 && got == 5,
	       "edu's MSI back on CPU 1 (%d): 5 raises -> %llu signals", ret,
	       (unsigned long long)got);

	if (hotplug)
		part2(&e, efd);
	return edu_test_end(&e, efd);
}
