#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# MSI delivery without an IOMMU (noiommu profile, vfio's no-IOMMU mode),
# through flat MSI page tables (flat profile) and through MRIFs (default
# profile): boot each with the bench-msi program and report the ratios.
# Numbers come from one run on TCG; only ratios mean anything.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${RVMSI_OUT:-$top/out}
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
