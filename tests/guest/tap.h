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
#include <unistd.h>

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

/*
 * Wait until @cond holds, re-evaluating it every 10 ms for at most @ms
 * milliseconds; true if it held. Tests wait for what they expect with this
 * instead of sleeping a fixed time before they count.
 */
#define poll_until(cond, ms) ({						\
	bool _held = false;						\
	for (int _t = 0; !(_held = (cond)) && _t < (ms); _t += 10)	\
		usleep(10000);						\
	_held;								\
})

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

/*
 * A kernel message at error level (or worse) matching the extended regex
 * @ere is expected by this test: 99-dmesg fails on any other one (as
 * lib.sh's expect_log).
 */
static inline void rvmsi_expect_log(const char *ere)
{
	FILE *f = fopen("/tmp/rvmsi-expected-log", "a");

	if (f) {
		fprintf(f, "%s\n", ere);
		fclose(f);
	}
}

#endif /* RVMSI_TAP_H */
