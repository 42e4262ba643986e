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
# edu_assign: find QEMU's edu device and bind it to vfio-pci, for the
# tests that assign it (to a userspace driver or a KVM guest). Sets the
# globals bdf (empty if none), dev and old_driver, which the caller uses
# (and must not reuse); edu_release binds it back. True if edu is now
# bound to vfio-pci.
edu_driver() { basename "$(readlink "$dev/driver")" 2>/dev/null; }
edu_assign() {
	bdf=
	for _edu in /sys/bus/pci/devices/*; do
		if [ "$(cat "$_edu/vendor")" = 0x1234 ] && [ "$(cat "$_edu/device")" = 0x11e8 ]; then
			bdf=${_edu##*/}
			break
		fi
	done
	dev=/sys/bus/pci/devices/$bdf
	old_driver=$(edu_driver)
	[ -n "$bdf" ] || return 1
	[ -e "$dev/driver" ] && echo "$bdf" > "$dev/driver/unbind"
	echo vfio-pci > "$dev/driver_override"
	echo "$bdf" > /sys/bus/pci/drivers_probe
	[ "$(edu_driver)" = vfio-pci ]
}
# edu_release: unbind edu from vfio-pci, give it its old driver back.
# True if vfio-pci no longer holds it.
edu_release() {
	if [ -n "$bdf" ]; then
		[ -e "$dev/driver" ] && echo "$bdf" > "$dev/driver/unbind"
		echo > "$dev/driver_override"
		[ -n "$old_driver" ] && [ "$old_driver" != vfio-pci ] &&
			echo "$bdf" > /sys/bus/pci/drivers_probe
	fi
	[ "$(edu_driver)" != vfio-pci ]
}
# unsafe_interrupts_allow: where MSIs are not isolated (EXPECT without
# "isolated") VFIO's type1 container needs allow_unsafe_interrupts; set
# it there, and keep the old value for unsafe_interrupts_restore.
unsafe=/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts
unsafe_interrupts_allow() {
	old_unsafe=$(cat $unsafe 2>/dev/null)
	expects isolated || echo 1 > $unsafe
}
unsafe_interrupts_restore() {
	[ -z "${old_unsafe:-}" ] || echo "$old_unsafe" > $unsafe
}
