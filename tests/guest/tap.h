/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal TAP output and helpers for the in-guest C tests.
 */
#ifndef RVMSI_TAP_H
#define RVMSI_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static inline void tap_plan(int n)
{
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline void __attribute__((format(printf, 2, 3)))
tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		tap_failed = 1;
}

static inline void __attribute__((format(printf, 1, 2)))
tap_skip(const char *fmt, ...)
{
	va_list ap;

	printf("ok %d - ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP\n");
	fflush(stdout);
}

#define tap_diag(...) do { printf("# " __VA_ARGS__); printf("\n"); fflush(stdout); } while (0)

static inline int tap_done(void)
{
	return tap_failed;
}

/* Does the profile declare @feature in rvmsi.expect= on the command line? */
static inline bool rvmsi_expects(const char *feature)
{
	char buf[4096], *p, *tok;
	FILE *f = fopen("/proc/cmdline", "r");
	size_t flen = strlen(feature);

	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return false;
	}
	fclose(f);
	p = strstr(buf, "rvmsi.expect=");
	if (!p)
		return false;
	p += strlen("rvmsi.expect=");
	p[strcspn(p, " \n")] = '\0';
	for (tok = strtok(p, ","); tok; tok = strtok(NULL, ","))
		if (strlen(tok) == flen && !strcmp(tok, feature))
			return true;
	return false;
}

#define RVMSI_MAX_CPUS 64

/*
 * Sum the /proc/interrupts counts, per CPU, of every line whose name (last
 * field) starts with @prefix. Returns the number of CPUs seen, or -1.
 */
static inline int irq_counts(const char *prefix, unsigned long long *percpu)
{
	char line[1024], *p, *name, *end;
	int ncpu = 0, i;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		return -1;
	memset(percpu, 0, sizeof(*percpu) * RVMSI_MAX_CPUS);
	if (fgets(line, sizeof(line), f))
		for (p = strtok(line, " \n"); p; p = strtok(NULL, " \n"))
			ncpu++;
	if (ncpu > RVMSI_MAX_CPUS)
		ncpu = RVMSI_MAX_CPUS;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		end = line + strlen(line);
		while (end > line && end[-1] == ' ')
			*--end = '\0';
		name = strrchr(line, ' ');
		if (!name || strncmp(name + 1, prefix, strlen(prefix)))
			continue;
		p = strchr(line, ':');
		if (!p)
			continue;
		p++;
		for (i = 0; i < ncpu; i++)
			percpu[i] += strtoull(p, &p, 10);
	}
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

/* Read a small sysfs/proc file into @buf (NUL-terminated, newline cut). */
static inline int read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return 0;
}

static inline int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(s, f) < 0)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

#endif /* RVMSI_TAP_H */
