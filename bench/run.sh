#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# MSI delivery without an IOMMU (noiommu profile, vfio's no-IOMMU mode),
# through flat MSI page tables (flat profile) and through MRIFs (default
# profile): boot each with the bench-msi program and report the ratios.
# Numbers come from one run on TCG; only ratios mean anything.
# It boots what make demo and make check leave in out/ci (the series in
# patches/, applied in out/ci/tree) and builds only what is missing there.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
RVMSI_OUT=${RVMSI_CI_OUT:-$top/out/ci}
RVMSI_TREE=$RVMSI_OUT/tree
export RVMSI_OUT RVMSI_TREE
out=$RVMSI_OUT
[ -d "$RVMSI_TREE/.git" ] || sh "$top/tools/mktree.sh"
if [ ! -f "$out/check/arch/riscv/boot/Image" ]; then
	echo "bench: building the kernel"
	sh "$top/tools/build-kernel.sh" check base kunit > "$out/build-check.log" 2>&1 ||
		{ tail -n 30 "$out/build-check.log"; exit 1; }
fi
[ -f "$out/initramfs/tests/bench-msi.t" ] && [ -f "$out/initramfs.cpio.gz" ] ||
	sh "$top/tools/mkinitramfs.sh"
for p in noiommu flat default; do
	sh "$top/tests/host/boot.sh" "$p" -t bench-msi -l "$out/logs/bench-$p.log" >/dev/null ||
		{ echo "bench: $p did not finish" >&2; exit 1; }
	grep '^# bench:' "$out/logs/bench-$p.log" | tail -n1 | sed "s/^# bench:/$p:/"
done > "$out/bench.txt"
cat "$out/bench.txt"
awk '
	{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] } }
	END {
		for (k = 0; k < 2; k++) {
			c = k ? "other_cpu_us" : "same_cpu_us"
			printf "MSI round trip, vector on %s CPU, relative to no IOMMU: flat %.2f, MRIF %.2f; MRIF/flat %.2f\n",
			       k ? "another" : "the same",
			       v["flat:", c] / v["noiommu:", c], v["default:", c] / v["noiommu:", c],
			       v["default:", c] / v["flat:", c]
		}
		printf "host interrupts per MSI in a burst: no IOMMU %s, flat %s, MRIF %s (vector + notices)\n",
		       v["noiommu:", "host_irqs_per_msi"], v["flat:", "host_irqs_per_msi"],
		       v["default:", "host_irqs_per_msi"]
		printf "eventfd signals per 200-MSI burst: no IOMMU %s, flat %s, MRIF %s\n",
		       v["noiommu:", "burst_signals"], v["flat:", "burst_signals"],
		       v["default:", "burst_signals"]
	}' "$out/bench.txt"
