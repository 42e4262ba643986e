#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# MSI delivery through MRIFs (default profile) vs flat MSI page tables
# (flat profile): boot each with the bench-msi program and report the
# ratios. Numbers come from one run on TCG; only ratios mean anything.
# There is no "no IOMMU" column: without an IOMMU vfio-pci offers no
# device, and without MSI remapping a translated domain gets no MSIs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${RVMSI_OUT:-$top/out}
for p in flat default; do
	sh "$top/tests/host/boot.sh" "$p" -t bench-msi -l "$out/logs/bench-$p.log" >/dev/null ||
		{ echo "bench: $p did not finish" >&2; exit 1; }
	grep '^# bench:' "$out/logs/bench-$p.log" | tail -n1 | sed "s/^# bench:/$p:/"
done > "$out/bench.txt"
cat "$out/bench.txt"
awk '
	{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] } }
	END {
		printf "MRIF/flat MSI round trip, vector on the same CPU: %.2f\n", v["default:", "same_cpu_us"] / v["flat:", "same_cpu_us"]
		printf "MRIF/flat MSI round trip, vector on another CPU: %.2f\n", v["default:", "other_cpu_us"] / v["flat:", "other_cpu_us"]
		printf "host interrupts per MSI in a burst: flat %s, MRIF %s (vector + notices)\n",
		       v["flat:", "host_irqs_per_msi"], v["default:", "host_irqs_per_msi"]
		printf "eventfd signals per 200-MSI burst: flat %s, MRIF %s\n",
		       v["flat:", "burst_signals"], v["default:", "burst_signals"]
	}' "$out/bench.txt"
