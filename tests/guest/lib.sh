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
# whose name matches PATTERN (extended regex)
irq_total() {
	awk -v pat="$1" -v ncpu="$(grep -c ^processor /proc/cpuinfo)" '
		$NF ~ pat { for (i = 2; i <= ncpu + 1; i++) s += $i } END { print s + 0 }' \
		/proc/interrupts
}
