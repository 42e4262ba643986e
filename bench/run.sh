#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# MSI delivery without an IOMMU (noiommu profile, vfio's no-IOMMU mode),
# through flat MSI page tables (flat profile) and through MRIFs (default
# profile), KVM guest interrupts of an assigned device (flat and default);
# and, on the default profile, disk I/O with translated strict,
# translated lazy and identity default domains (bench/bench-dma). Each
# profile is booted RVMSI_BENCH_BOOTS times (default 10), interleaved
# (noiommu flat default noiommu ...), with bench/bench-msi, which measures
# in several blocks per boot; the flat and default boots also run
# bench/bench-kvm (an assigned device's MSIs to a KVM guest: posted, and
# through the host without bypass), the default boots bench/bench-dma
# (RVMSI_BENCH_DMA_BOOTS of them, spread over the run: default all, for
# its ratios, like the round trips', vary from boot to boot).
# bench/stats.py reports every figure as a median with its interquartile
# range, ratios of medians only where the ranges do not overlap, and
# paired ratios (round trips block by block within a round, DMA types
# within a block) as median (min-max) over the rounds or boots. TCG
# timings mean nothing in absolute terms: compare profiles, and trust only
# what survives a rerun.
# Writes out/ci/bench.txt (the table), out/ci/bench.tsv (the figures),
# out/ci/bench-samples.tsv (every sample), keeps the three in
# out/ci/bench-runs/DATE-TIME/, and compares with the previous run's
# bench.tsv (python3 bench/stats.py --compare A.tsv B.tsv compares any
# two, figure by figure). It boots what make demo and make check leave in
# out/ci (the series in patches/, applied in out/ci/tree), builds only
# what is missing there, and always builds bench/*.c into an archive of
# its own that is appended to that initramfs. RVMSI_CI_OUT=DIR works in
# DIR instead (RVMSI_TREE=out/ci/tree to build from that tree), e.g. to
# run beside a make check that owns out/ci.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
RVMSI_OUT=${RVMSI_CI_OUT:-$top/out/ci}
RVMSI_TREE=${RVMSI_TREE:-$RVMSI_OUT/tree}
export RVMSI_OUT RVMSI_TREE
out=$RVMSI_OUT
boots=${RVMSI_BENCH_BOOTS:-10}
dboots=${RVMSI_BENCH_DMA_BOOTS:-$boots}
[ "$dboots" -le "$boots" ] || dboots=$boots
profiles="noiommu flat default"
start=$(date +%s)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
[ -d "$RVMSI_TREE/.git" ] || sh "$top/tools/mktree.sh"
if [ ! -f "$out/check/arch/riscv/boot/Image" ]; then
	echo "bench: building the kernel"
	sh "$top/tools/build-kernel.sh" check base kunit > "$out/build-check.log" 2>&1 ||
		{ tail -n 30 "$out/build-check.log"; exit 1; }
fi
if [ ! -f "$out/initramfs.cpio.gz" ] || [ ! -f "$out/headers/include/linux/vfio.h" ]; then
	sh "$top/tools/mkinitramfs.sh"
fi

# The benchmark programs, from bench/ as it is now, in their own archive.
b=$out/bench
rm -rf "$b/root"
mkdir -p "$b/root/tests" "$out/logs"
for c in "$top"/bench/*.c; do
	riscv64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -pthread \
		-I"$out/headers/include" -I"$top/tests/guest" \
		-o "$b/root/tests/$(basename "$c" .c).t" "$c"
done
for s in "$top"/bench/*.t.sh; do
	install -m 755 "$s" "$b/root/tests/$(basename "$s" .sh)"
done
(cd "$b/root" && find . | sort | cpio -o -H newc --quiet | gzip -9n) > "$b/bench.cpio.gz"
cat "$out/initramfs.cpio.gz" "$b/bench.cpio.gz" > "$b/initrd.cpio.gz"

samples=$out/bench-samples.tsv
: > "$samples.tmp"
r=1
while [ "$r" -le "$boots" ]; do
	for p in $profiles; do
		log=$out/logs/bench-$p-$r.log
		# Translated vs identity DMA: the default profile only, in
		# dboots of the rounds spread over the run (bench-dma takes
		# about 13 s, a boot with bench-msi alone 4 s).
		# KVM (bench-kvm): posted vs no bypass, where posting exists.
		t=bench-msi
		[ "$p" = noiommu ] || t=$t,bench-kvm
		[ "$p" = default ] && [ $((r * dboots / boots)) -gt $(((r - 1) * dboots / boots)) ] &&
			t=$t,bench-dma
		sh "$top/tests/host/boot.sh" "$p" -i "$b/initrd.cpio.gz" -t "$t" \
			-l "$log" >/dev/null || { echo "bench: $p did not finish ($log)" >&2; exit 1; }
		tr -d '\r' < "$log" > "$log.txt"
		for n in $(echo "$t" | tr , ' '); do
			grep -q "^@@rvmsi end $n rc=0\$" "$log.txt" && continue
			grep -E '^(not ok|# )' "$log.txt" | grep -v '^# bench:' >&2 || :
			echo "bench: $p: a measurement of $n did not happen ($log)" >&2
			exit 1
		done
		sed -n 's/^# bench: block=\([0-9]*\) fig=\([a-z0-9_]*\) value=\([0-9.]*\)$/\1 \2 \3/p' \
			"$log.txt" | while read -r blk fig val; do
			printf '%s\t%s\t%s\t%s\t%s\n' "$p" "$r" "$blk" "$fig" "$val"
		done >> "$samples.tmp"
		rm -f "$log.txt"
		echo "bench: boot $r of $boots, $p: $(grep -c "^$p	$r	" "$samples.tmp") samples" >&2
	done
	r=$((r + 1))
done
mv "$samples.tmp" "$samples"
[ -f "$out/bench.tsv" ] && mv "$out/bench.tsv" "$out/bench.prev.tsv"
prev=
[ -f "$out/bench.prev.tsv" ] && prev="--prev $out/bench.prev.tsv"
# shellcheck disable=SC2086
python3 "$top/bench/stats.py" "$samples" --tsv "$out/bench.tsv" $prev > "$out/bench.txt"
echo "bench: $((3 * boots)) boots in $(( $(date +%s) - start )) s; host load average" \
	"$load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end ($(nproc) CPUs)" \
	>> "$out/bench.txt"
# Every run kept: python3 bench/stats.py --compare A/bench.tsv B/bench.tsv
# lists, figure by figure, whether two runs agree.
keep=$out/bench-runs/$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$keep"
cp "$out/bench.txt" "$out/bench.tsv" "$samples" "$keep/"
echo "bench: kept in $keep" >> "$out/bench.txt"
cat "$out/bench.txt"
