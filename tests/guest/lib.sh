# SPDX-License-Identifier: GPL-2.0-only
# TAP helpers for the in-guest shell tests (sourced).
# shellcheck shell=sh
_n=0
_fail=0
plan() { echo "1..$1"; }
ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _fail=1; echo "not ok $_n - $*"; }
skip() { _n=$((_n + 1)); echo "ok $_n - $* # SKIP"; }
diag() { echo "# $*"; }
# check DESCRIPTION COMMAND...: ok if the command succeeds
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
done_testing() { exit $_fail; }
# expects FEATURE: true if the profile declares FEATURE (rvmsi.expect=)
expects() {
	for o in $(cat /proc/cmdline); do
		case $o in
		rvmsi.expect=*)
			case ",${o#*=}," in *",$1,"*) return 0 ;; esac ;;
		esac
	done
	return 1
}
# irq_total PATTERN: sum of all CPUs' counts of /proc/interrupts lines
# whose action name (the last field) matches PATTERN (extended regex). The
# shell's only reader of /proc/interrupts; it reads the format as
# irqstat.h's irq_next() does: one count column per CPU of the header,
# after "N:", and the action name last.
irq_total() {
	awk -v pat="$1" -v ncpu="$(grep -c ^processor /proc/cpuinfo)" '
		$NF ~ pat { for (i = 2; i <= ncpu + 1; i++) s += $i } END { print s + 0 }' \
		/proc/interrupts
}
# expect_log ERE: a kernel message at error level (or worse) matching ERE
# is expected by the calling test; 99-dmesg fails on any other one.
RVMSI_EXPECTED_LOG=/tmp/rvmsi-expected-log
expect_log() { echo "$1" >> "$RVMSI_EXPECTED_LOG"; }
# irq_field IRQ KEY: field KEY of genirq's debugfs view of IRQ (the last
# "KEY: value" line; irqstat.h's irq_debug_field reads it the same way)
irq_field() {
	sed -n "s/^[[:space:]]*$2[[:space:]]*:[[:space:]]*//p" "/sys/kernel/debug/irq/irqs/$1" |
		tail -n1
}
