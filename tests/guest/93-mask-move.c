// SPDX-License-Identifier: GPL-2.0-only
/*
 * Affinity moves and masking of one vector in a tight loop while another
 * vector on the same CPUs takes a burst: nothing may be lost.
 *
 * edu's MSI (vfio-pci, eventfd) is moved to the other CPU, masked (test
 * module, IRQ_DISABLE_UNLAZY), raised, unmasked, 200 times; each round
 * must deliver (a duplicate is allowed and counted; more duplicates than
 * rounds is a failure). Meanwhile a child pinned to each CPU in turn does
 * O_DIRECT reads on NVMe (whose per-CPU queue vectors share the CPUs and,
 * in MRIF mode, the notice path), and every read must complete with the
 * data written before.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "irqstat.h"
#include "vfio-edu.h"
#include "irqctl.h"

#define ROUNDS		200
#define BLK		4096

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Reads from the NVMe namespace, alternating CPUs; exit status: errors. */
static int reader(int wfd)
{
	char path[300], *buf, *ref;
	unsigned long n = 0;
	struct dirent *de;
	int fd = -1, i, bad = 0;
	cpu_set_t set;
	DIR *d = opendir("/sys/block");

	signal(SIGTERM, on_term);
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "nvme", 4)) {
			snprintf(path, sizeof(path), "/dev/%s", de->d_name);
			fd = open(path, O_RDWR | O_DIRECT);
			break;
		}
	if (d)
		closedir(d);
	if (fd < 0 || posix_memalign((void **)&buf, 4096, BLK) ||
	    posix_memalign((void **)&ref, 4096, 16 * BLK))
		return 2;
	for (i = 0; i < 16; i++)
		memset(ref + i * BLK, 0x5a ^ i, BLK);
	if (pwrite(fd, ref, 16 * BLK, 0) != 16 * BLK)
		return 2;
	while (!stop) {
		CPU_ZERO(&set);
		CPU_SET((n / 64) % 2, &set);
		sched_setaffinity(0, sizeof(set), &set);
		i = n % 16;
		if (pread(fd, buf, BLK, (off_t)i * BLK) != BLK ||
		    memcmp(buf, ref + i * BLK, BLK))
			bad++;
		n++;
		if (!(n % 16) && write(wfd, &n, sizeof(n)) != sizeof(n))
			break;
	}
	return bad ? 1 : 0;
}

int main(void)
{
	struct edu e = { .devfd = -1, .iommufd = -1 };
	int efd, irq, ret, i, lost = 0, pipefd[2], status = 0, errs = 0;
	unsigned long reads = 0, v;
	uint64_t got, total = 0;
	char name[96];
	pid_t pid;

	if (ncpus() < 2 || !rvmsi_expects("disks")) {
		tap_plan(1);
		tap_skip("needs 2 CPUs and the NVMe disk");
		return tap_done();
	}
	if (edu_test_start(&e, 5))
		return tap_done();
	ret = load_module();
	efd = eventfd(0, EFD_NONBLOCK);
	ret = ret ? ret : edu_set_msi(&e, efd);
	snprintf(name, sizeof(name), "vfio-msi[0](%s)", e.bdf);
	irq = irq_find(name);
	tap_ok(!ret && irq > 0, "test module loaded, edu's MSI is irq %d (%d)", irq, ret);

	if (pipe2(pipefd, O_NONBLOCK))
		return tap_done();
	pid = fork();
	if (!pid) {
		close(pipefd[0]);
		_exit(reader(pipefd[1]));
	}
	close(pipefd[1]);
	for (i = 0; i < ROUNDS; i++) {
		errs += irq_set_cpu(irq, (i + 1) % 2) != 0;
		errs += ctl("mask", irq) != 0;
		e.bar0[EDU_RAISE / 4] = 1;
		errs += ctl("unmask", irq) != 0;
		got = edu_collect(efd, 1);
		e.bar0[EDU_ACK / 4] = 1;
		lost += got == 0;
		total += got;
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	while (read(pipefd[0], &v, sizeof(v)) == sizeof(v))
		reads = v;
	close(pipefd[0]);

	tap_ok(!errs && !lost, "%d rounds of move, mask, raise, unmask: %d lost (%d errors)",
	       ROUNDS, lost, errs);
	tap_ok(total >= ROUNDS && total - ROUNDS <= ROUNDS,
	       "%llu delivered for %d raises: %llu duplicates (at most one per round)",
	       (unsigned long long)total, ROUNDS, (unsigned long long)(total - ROUNDS));
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && reads > 0,
	       "NVMe O_DIRECT reads on the same CPUs meanwhile: %lu done, exit %d",
	       reads, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return edu_test_end(&e, efd);
}
