#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Everything `make check` runs. Each step appends "PASS name" / "FAIL name"
# lines to out/results.txt; the last line printed is "N passed, N failed".
# The series under test is patches/, applied to a fresh tree in out/tree
# (build/, the developer's tree, is never touched).
set -u
here=$(cd "$(dirname "$0")" && pwd)
RVMSI_OUT=${RVMSI_CI_OUT:-$(cd "$here/.." && pwd)/out/ci}
RVMSI_TREE=$RVMSI_OUT/tree
export RVMSI_OUT RVMSI_TREE
. "$here/config.sh"
PROFILES=${PROFILES:-"default flat noremap nogstage noiommu noguestfiles oneguest iommusys hotplug manydev distro"}
# RVMSI_DEBUG=1 (make check-debug): the debug kernel (lockdep,
# DEBUG_ATOMIC_SLEEP, KASAN, kmemleak) on every profile, nothing else.
DEBUG=${RVMSI_DEBUG:-0}
KNAME=check KFRAGS="base kunit"
[ "$DEBUG" = 1 ] && KNAME=debug KFRAGS="base kunit debug"
R=$OUT/results.txt
SKIPS=$TOP/tests/host/expected-skips
mkdir -p "$OUT/logs"
: > "$R"
t0=$(date +%s)

pass() { echo "PASS $*" >> "$R"; echo "ok - $*"; }
fail() { echo "FAIL $*" >> "$R"; echo "not ok - $*"; }
result() { if [ "$1" = 0 ]; then shift; pass "$@"; else shift; fail "$@"; fi; }
step() { echo "### $* ($(( $(date +%s) - t0 ))s)"; }
summary() {
	np=$(grep -c '^PASS' "$R"); nf=$(grep -c '^FAIL' "$R")
	echo "### done in $(( $(date +%s) - t0 ))s; $(grep -c '^SKIP' "$R") skipped (not counted); failures:"
	grep '^FAIL' "$R" | sed 's/^/#   /'
	echo "$np passed, $nf failed"
	[ "$nf" = 0 ]
	exit $?
}

step "host tools and base"
sh "$here/setup.sh" || { fail "host setup"; summary; }
step "harness self-test: fetch and tree on a fresh machine"
sh "$TOP/tests/host/selftest-setup.sh" "$R"
step "bench statistics on made-up samples"
sh "$TOP/tests/host/bench-stats.sh" "$R"
sh "$here/fetch-base.sh" || { fail "fetch base"; summary; }

step "series applies"
sh "$here/mktree.sh" > "$OUT/logs/mktree.log" 2>&1
result $? "series: patches/ apply with git am on the base" ||
	{ cat "$OUT/logs/mktree.log"; summary; }

build() { # name fragments...
	name=$1; shift
	sh "$here/build-kernel.sh" "$name" "$@" > "$OUT/logs/build-$name.log" 2>&1
	rc=$?
	[ $rc = 0 ] || grep -E 'error|warning|config:' "$OUT/logs/build-$name.log" | head -n 40
	result $rc "build: $name ($*)"
	return $rc
}

# Objects built with W=1: the directories and files the series touches.
W1_TARGETS="drivers/iommu/riscv/ drivers/iommu/generic_pt/fmt/ arch/riscv/kvm/"
W1_TARGETS="$W1_TARGETS drivers/irqchip/irq-msi-lib.o drivers/irqchip/irq-riscv-imsic-state.o"
W1_TARGETS="$W1_TARGETS drivers/irqchip/irq-riscv-imsic-early.o"
kcc="ccache ${CROSS_COMPILE}gcc"
command -v ccache >/dev/null || kcc="${CROSS_COMPILE}gcc"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache} CCACHE_BASEDIR=$TOP

[ "$DEBUG" = 1 ] || {
step "checkpatch"
for p in "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch; do
	n=$(basename "$p")
	[ "$n" = 0000-cover-letter.patch ] && continue
	log=$OUT/logs/checkpatch-$n.log
	# New files are checked against MAINTAINERS below, with the tree.
	# The base is a source tarball without history: the commit ids of
	# Fixes: tags cannot be looked up (they are upstream ones).
	perl "$TREE/scripts/checkpatch.pl" --strict --no-tree -q --root="$TREE" \
		--ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID "$p" > "$log" 2>&1
	rc=$?
	[ $rc = 0 ] || cat "$log"
	result $rc "checkpatch --strict $n"
	for f in $(awk '/^--- \/dev\/null/ { n = 1; next }
			n && /^\+\+\+ b\// { print substr($0, 7) } { n = 0 }' "$p"); do
		(cd "$TREE" && perl scripts/get_maintainer.pl --no-git --no-rolestats \
			--no-l --no-git-fallback -f "$f" 2>/dev/null) |
			grep -v 'Linus Torvalds' | grep -q .
		result $? "MAINTAINERS covers new file $f ($n)"
	done
	grep -q '^Signed-off-by: ' "$p"
	result $? "Signed-off-by in $n"
done

}

step "builds"
# shellcheck disable=SC2086
build $KNAME $KFRAGS; built=$?
[ "$DEBUG" = 1 ] || {
build fpu-off base fpu-off
# The distro profile's kernel: Debian's shape (modules, type1, no iommufd).
case " $PROFILES " in *" distro "*) build distro base distro ;; esac

step "W=1: no warnings in the directories the series touches"
if [ "$built" = 0 ]; then
	for d in $W1_TARGETS; do
		make -s -C "$TREE" O="$OUT/check" W=1 "$d" > "$OUT/logs/w1.log" 2>&1
		rc=$?
		grep -q 'warning:' "$OUT/logs/w1.log" && rc=1
		[ $rc = 0 ] || grep -A3 'warning:\|error:' "$OUT/logs/w1.log" | head -n 20
		result $rc "W=1 clean: $d"
	done
fi

step "Debian's riscv64 configuration: olddefconfig, W=1"
# What a distribution kernel builder does: Debian's configuration (KVM,
# VFIO, VFIO_PCI and IRQ_BYPASS_MANAGER as modules, the type1 container,
# no iommufd, strict DMA), olddefconfig on the series, then every object
# the series touches or newly enables on RISC-V built with W=1.
dcfg=$(sh "$here/distro-config.sh" 2> "$OUT/logs/distro-config.log")
result $? "debian config: fetched from the archive (${dcfg##*/})" ||
	grep -v '^W:' "$OUT/logs/distro-config.log" | tail -n 5
if [ -s "$dcfg" ]; then
	dobj=$OUT/debian
	mkdir -p "$dobj"
	cp "$dcfg" "$dobj/.config"
	dmk() { make -C "$TREE" O="$dobj" CC="$kcc" -j"$(nproc)" "$@"; }
	dmk olddefconfig > "$OUT/logs/debian-config.log" 2>&1
	rc=$?
	for opt in CONFIG_RISCV_IOMMU=y CONFIG_IOMMU_DMA=y CONFIG_KVM=m CONFIG_VFIO=m \
		   CONFIG_VFIO_PCI=m CONFIG_VFIO_IOMMU_TYPE1=m CONFIG_IRQ_BYPASS_MANAGER=m; do
		grep -qx "$opt" "$dobj/.config" || { echo "debian config: no $opt"; rc=1; }
	done
	grep -q '^CONFIG_IOMMUFD=' "$dobj/.config" && { echo "debian config: IOMMUFD set"; rc=1; }
	result $rc "debian config: olddefconfig keeps the series' options and Debian's shape"
	# shellcheck disable=SC2086
	dmk W=1 $W1_TARGETS drivers/vfio/ drivers/iommu/dma-iommu.o \
		> "$OUT/logs/debian-w1.log" 2>&1
	rc=$?
	grep -q 'warning:' "$OUT/logs/debian-w1.log" && rc=1
	[ $rc = 0 ] || grep -A3 'warning:\|error:' "$OUT/logs/debian-w1.log" | head -n 20
	result $rc "debian config: W=1 clean: the objects above, drivers/vfio/, drivers/iommu/dma-iommu.o"
fi

step "bisectability: every patch builds"
# Incremental builds in the test kernel's object directory, patch by
# patch, then back to the tip (already built above). Each patch builds
# Image, linked: a symbol used before the patch that defines it fails
# there. The configuration is the tip's, run through olddefconfig only
# at patches that change a Kconfig file (options a later patch adds
# cannot take effect yet, and come back at the patch that adds them);
# configuring from scratch at every patch took half of the step.
n=$(git -C "$TREE" rev-list --count base..HEAD)
if [ "$built" = 0 ] && [ "$n" -gt 1 ]; then
	tip=$(git -C "$TREE" rev-parse HEAD)
	kobj=$OUT/check
	cp "$kobj/.config" "$OUT/tip.config"
	bmk() { make -C "$TREE" O="$kobj" CC="$kcc" -j"$(nproc)" "$@"; }
	prev=$tip
	for k in $(seq 1 $((n - 1))); do
		c=$(git -C "$TREE" rev-list --reverse "base..$tip" | sed -n "${k}p")
		git -C "$TREE" checkout -q "$c" || { fail "bisect: checkout patch $k"; continue; }
		(
			rc=0
			if git -C "$TREE" diff --name-only "$prev" "$c" | grep -q 'Kconfig'; then
				cp "$OUT/tip.config" "$kobj/.config"
				bmk olddefconfig || rc=1
			fi
			[ $rc = 0 ] && { bmk Image || rc=1; }
			exit $rc
		) > "$OUT/logs/bisect-$k.log" 2>&1
		rc=$?
		prev=$c
		[ $rc = 0 ] || grep -E 'error|warning' "$OUT/logs/bisect-$k.log" | head -n 20
		result $rc "bisect: builds at patch $k/$n ($(git -C "$TREE" log -1 --format=%s "$c"))"
	done
	git -C "$TREE" checkout -q "$tip"
	sh "$here/build-kernel.sh" check base kunit > "$OUT/logs/build-check-tip.log" 2>&1 ||
		{ fail "build: back at the tip"; built=1; }
fi

step "KUnit on UML: generic_pt page-table formats"
# kunit.py's own build of UML; not the riscv cross environment.
uml_cc=gcc
command -v ccache >/dev/null && uml_cc="ccache gcc"
rm -f "$OUT/kunit-uml.json"	# never parse an earlier run's report
(cd "$TREE" && env -u ARCH -u CROSS_COMPILE CCACHE_BASEDIR="$TOP" \
	python3 tools/testing/kunit/kunit.py run \
	--kunitconfig=drivers/iommu/generic_pt --build_dir="$OUT/uml" \
	--make_options "CC=$uml_cc" --jobs="$(nproc)" --json="$OUT/kunit-uml.json") \
	> "$OUT/logs/kunit-uml.log" 2>&1
result $? "kunit.py run --kunitconfig=drivers/iommu/generic_pt: exit status" ||
	tail -n 20 "$OUT/logs/kunit-uml.log"
grep -E '^\[[0-9:]+\] (Testing complete|=+ \[FAILED\])' "$OUT/logs/kunit-uml.log"
sh "$TOP/tests/host/parse.sh" "$R" "$OUT/kunit-uml.json" --kunit-json \
	--profile uml-generic_pt --expected-skips "$SKIPS"

}

step "initramfs"
rm -f "$OUT/initramfs.cpio.gz"	# never boot a stale one
sh "$here/mkinitramfs.sh" > "$OUT/logs/initramfs.log" 2>&1
result $? "initramfs: busybox + in-guest tests build" || cat "$OUT/logs/initramfs.log"

if [ "$built" = 0 ] && [ -f "$OUT/initramfs.cpio.gz" ]; then
	step "harness self-tests"
	# The canned logs always; the failing boot with the test kernel only.
	sh "$TOP/tests/host/selftest.sh" "$R" "$([ "$DEBUG" = 1 ] || echo boot)"
	# The tests the initramfs holds, named as run-all names them: each
	# must run on every profile.
	tests=
	for t in "$OUT/initramfs/tests"/*.t; do
		n=${t##*/} n=${n%.t}
		case $n in bench-*|"*") continue ;; esac
		tests="$tests${tests:+,}$n"
	done
	# Built-in KUnit suites (kconfig/kunit.config) run at boot on one
	# profile only (noiommu, else the first); they are pure and need no
	# particular machine.
	kdef=noiommu
	case " $PROFILES " in
	*" noiommu "*) ;;
	*) for kdef in $PROFILES; do break; done ;;
	esac
	for p in $PROFILES; do
		step "profile $p"
		kopt="kunit.enable=0" kunit=
		if [ "$p" = "${KUNIT_PROFILE:-$kdef}" ] &&
		   grep -q '^CONFIG_.*TEST=y' "$TOP/kconfig/kunit.config"; then
			kopt= kunit="--kunit $TREE/tools/testing/kunit/kunit.py"
		fi
		trc=0 tmo=1200
		# KASAN and lockdep under TCG: each test gets 20 minutes. The
		# IOMMU core checks every DMA mapping against page allocations.
		[ "$DEBUG" = 1 ] && kopt="$kopt rvmsi.timeout=1200 iommu.debug_pagealloc=1" tmo=5400
		rm -f "$OUT/logs/$p.log"	# a failed boot leaves no stale log
		# A profile may name its own kernel (KERNEL=); the debug run
		# boots the debug kernel everywhere.
		pk=$(sed -n 's/^KERNEL=//p' "$TOP/profiles/$p" 2>/dev/null)
		[ -n "$pk" ] && [ "$DEBUG" = 0 ] || pk=$KNAME
		sh "$TOP/tests/host/boot.sh" "$p" -a "$kopt" -T $tmo \
			-k "$OUT/$pk/arch/riscv/boot/Image" || trc=$?
		# shellcheck disable=SC2086
		sh "$TOP/tests/host/parse.sh" "$R" "$OUT/logs/$p.log" --profile "$p" \
			--tests "$tests" --expected-skips "$SKIPS" $kunit \
			$( [ $trc = 124 ] && echo --timed-out)
	done
else
	sh "$TOP/tests/host/selftest.sh" "$R"
	fail "boot: no kernel or initramfs to boot"
fi
summary
