#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Medians and spreads of bench/run.sh's samples, the ratios between
profiles, and (with --prev) whether this run agrees with the previous one.

samples: TSV lines "profile boot block figure value" (bench-msi's
"# bench: block=B fig=F value=V" lines, one per block of every boot).
Writes the table to stdout and the figures to --tsv:
  stat   figure profile n boots median q1 q3 min max
  ratio  figure num/den -   -     ratio  -  -  -   -    note
A ratio is the quotient of two medians; when the two interquartile ranges
overlap it is "no measurable difference" and no number is given.
"""
import argparse
import statistics
import sys

PROFILES = [("noiommu", "none"), ("flat", "flat"), ("default", "MRIF")]
RATIOS = [("flat", "noiommu"), ("default", "noiommu"), ("default", "flat")]
FIGURES = [
    ("edu_rt_same_us", "edu round trip, vector on this CPU (us)"),
    ("edu_rt_other_us", "edu round trip, vector on other CPU (us)"),
    ("edu_notice_per_intr", "edu notices per delivered interrupt"),
    ("edu_cpu_per_intr", "edu CPU interrupts per delivered interrupt"),
    ("edu_runs_per_intr", "edu irq handler runs per delivered interrupt"),
]
for disk, dname in (("vblk", "virtio-blk"), ("nvme", "NVMe")):
    for qd in (1, 32):
        FIGURES += [
            (f"{disk}_qd{qd}_irq_per_io", f"{dname} QD{qd} completion irqs per I/O"),
            (f"{disk}_qd{qd}_notice_per_irq", f"{dname} QD{qd} notices per completion irq"),
            (f"{disk}_qd{qd}_cpu_per_io", f"{dname} QD{qd} CPU interrupts per I/O"),
            (f"{disk}_qd{qd}_runs_per_io", f"{dname} QD{qd} irq handler runs per I/O"),
        ]
# Default domain types, on the default profile (bench-dma): 4 KiB random
# O_DIRECT reads per second at depth 1, and the ratios within each block
# (measured seconds apart, so that the host's drift cancels).
DMA_TYPES = [("strict", "DMA (strict)"), ("lazy", "DMA-FQ (lazy)"), ("ident", "identity")]
DMA_DISKS = [("vblk", "virtio-blk"), ("nvme", "NVMe")]
DMA_RATIOS = [("strict", "ident", "translated/identity"), ("strict", "lazy", "strict/lazy")]
# Absolute TCG speeds: they measure the host as much as the series and
# drift by 15-20% from one run to the next. Printed as context; what is
# compared between runs are the counts and the paired ratios made of them.
CONTEXT = {"edu_rt_same_us", "edu_rt_other_us"} | {
    f"dma_{d}_{t}_iops" for d, _ in DMA_DISKS for t, _ in DMA_TYPES}
DMA_PROFILE = "default"
# Not a cost: how many of a burst's raises became interrupts (the
# denominator of edu_*_per_intr); printed below the table, not compared.
INFO = {"edu_intr_per_burst": "interrupts delivered per burst of 200 back-to-back raises"}
# Timings drift with the host's load from one minute to the next: for them
# the ratios are also given paired, round by round.
PAIRED = ["edu_rt_same_us", "edu_rt_other_us"]
METHOD = ("Each figure is the median, with its interquartile range, of "
          "per-block values pooled over {blocks} blocks per boot and {boots} "
          "boot(s) per profile, the profiles booted interleaved (none, flat, "
          "MRIF, none, ...); a round-trip block value is the interquartile "
          "mean of 150 timed raise-to-eventfd round trips, a count is normalized by the "
          "interrupts the device really delivered (eventfd signals) or by the "
          "I/Os completed, and a ratio of medians is given only when the two "
          "interquartile ranges do not overlap; for round trips also paired, the "
          "quotient of the two boots' medians in each round, as median (min-max) "
          "over the rounds.")


def quartiles(v):
    v = sorted(v)
    if len(v) == 1:
        return v[0], v[0], v[0]
    q1, q2, q3 = statistics.quantiles(v, n=4, method="inclusive")
    return q1, q2, q3


def fmt(x):
    if x is None:
        return "-"
    a = abs(x)
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def read_samples(path):
    data, boots, blocks = {}, {}, {}
    per_boot = {}
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) != 5:
                continue
            prof, boot, block, fig, val = p
            data.setdefault((fig, prof), []).append(float(val))
            per_boot.setdefault((fig, prof, boot), []).append(float(val))
            boots.setdefault(prof, set()).add(boot)
            blocks.setdefault((prof, boot), set()).add(block)
    return data, boots, blocks, per_boot


def paired(per_boot, fig, num, den):
    """Per round (the boots of one A B C pass, next to each other in time),
    the quotient of the two boots' medians: machine drift between rounds
    cancels. Returns (median, min, max, n) over the rounds, or None."""
    rs = []
    for (f, p, boot), v in per_boot.items():
        if f == fig and p == num and (fig, den, boot) in per_boot:
            d = statistics.median(per_boot[fig, den, boot])
            if d > 0:
                rs.append(statistics.median(v) / d)
    if not rs:
        return None
    return statistics.median(rs), min(rs), max(rs), len(rs)


def summarize(data, boots):
    stats = {}
    for (fig, prof), v in data.items():
        q1, med, q3 = quartiles(v)
        stats[fig, prof] = dict(n=len(v), boots=len(boots.get(prof, ())), median=med,
                                q1=q1, q3=q3, min=min(v), max=max(v))
    return stats


def ratio(stats, fig, num, den):
    a, b = stats.get((fig, num)), stats.get((fig, den))
    if not a or not b or b["median"] <= 0:
        return None, "-"
    if a["q1"] <= b["q3"] and b["q1"] <= a["q3"]:
        return None, "no measurable difference"
    return a["median"] / b["median"], ""


def dma_ratio(stats, disk, num, den):
    """A ratio of two default domain types' IOPS on one disk: the median
    of the blocks' own ratios, with its interquartile range."""
    s = stats.get((f"dma_{disk}_{num}_per_{den}", DMA_PROFILE))
    if not s:
        return None, "-"
    if s["q1"] <= 1 <= s["q3"]:
        return s, "no measurable difference"
    return s, ""


def read_tsv(path):
    stats = {}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "stat":
                stats[p[1], p[2]] = dict(n=int(p[3]), median=float(p[5]), q1=float(p[6]),
                                         q3=float(p[7]), min=float(p[8]), max=float(p[9]))
            elif p[0] == "paired":
                stats[p[1], p[2]] = dict(median=float(p[5]), q1=float(p[8]), q3=float(p[9]))
    return stats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("samples")
    ap.add_argument("--tsv", required=True)
    ap.add_argument("--prev", help="the previous run's TSV, to compare with")
    a = ap.parse_args()
    data, boots, blocks, per_boot = read_samples(a.samples)
    if not data:
        print("bench: no samples", file=sys.stderr)
        return 1
    stats = summarize(data, boots)
    nboots = max(len(b) for b in boots.values())
    nblocks = max(len(b) for b in blocks.values())
    method = METHOD.format(blocks=nblocks, boots=nboots)
    dma = {f"dma_{d}_{t}_iops" for d, _ in DMA_DISKS for t, _ in DMA_TYPES}
    dma |= {f"dma_{d}_{n}_per_{m}" for d, _ in DMA_DISKS for n, m, _ in DMA_RATIOS}
    known = [f for f, _ in FIGURES] + sorted({f for f, _ in data} - {f for f, _ in FIGURES}
                                            - set(INFO) - dma)
    names = dict(FIGURES)

    with open(a.tsv, "w") as out:
        out.write(f"# method: {method}\n")
        out.write("kind\tfigure\tprofile\tn\tboots\tmedian\tq1\tq3\tmin\tmax\tnote\n")
        for fig in known:
            for prof, _ in PROFILES:
                s = stats.get((fig, prof))
                if s:
                    out.write("stat\t%s\t%s\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t\n" % (
                        fig, prof, s["n"], s["boots"], s["median"], s["q1"], s["q3"],
                        s["min"], s["max"]))
            for num, den in RATIOS:
                r, note = ratio(stats, fig, num, den)
                if note != "-":
                    out.write("ratio\t%s\t%s/%s\t\t\t%s\t\t\t\t\t%s\n" % (
                        fig, num, den, "" if r is None else "%.3f" % r, note))

        for fig in PAIRED:
            for num, den in RATIOS:
                pr = paired(per_boot, fig, num, den)
                if pr:
                    out.write("paired\t%s\t%s/%s\t%d\t%d\t%.4f\t\t\t%.4f\t%.4f\t%s\n" % (
                        fig, num, den, pr[3], pr[3], pr[0], pr[1], pr[2],
                        "no measurable difference" if pr[1] <= 1 <= pr[2] else ""))
        for d, _ in DMA_DISKS:
            for fig in [f"dma_{d}_{t}_iops" for t, _ in DMA_TYPES] + [
                    f"dma_{d}_{n}_per_{m}" for n, m, _ in DMA_RATIOS]:
                s = stats.get((fig, DMA_PROFILE))
                if s:
                    out.write("stat\t%s\t%s\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t\n" % (
                        fig, DMA_PROFILE, s["n"], s["boots"], s["median"], s["q1"], s["q3"],
                        s["min"], s["max"]))
        for fig in INFO:
            for prof, _ in PROFILES:
                s = stats.get((fig, prof))
                if s:
                    out.write("info\t%s\t%s\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t\n" % (
                        fig, prof, s["n"], s["boots"], s["median"], s["q1"], s["q3"],
                        s["min"], s["max"]))

    # The table: median [q1-q3] per profile, then the ratios.
    w = max(len(names.get(f, f)) for f in known)
    head = f"{'':{w}}" + "".join(f"  {lab:>20}" for _, lab in PROFILES)
    head += "".join(f"  {n:>9}" for n in ("flat/none", "MRIF/none", "MRIF/flat"))
    print(head)
    for fig in known:
        row = f"{names.get(fig, fig):{w}}"
        for prof, _ in PROFILES:
            s = stats.get((fig, prof))
            cell = f"{fmt(s['median'])} [{fmt(s['q1'])}-{fmt(s['q3'])}]" if s else "-"
            row += f"  {cell:>20}"
        for num, den in RATIOS:
            r, note = ratio(stats, fig, num, den)
            cell = f"{r:.2f}" if r is not None else "no diff." if note != "-" else "-"
            row += f"  {cell:>9}"
        print(row)
    print("median [interquartile range]; no diff.: no measurable difference (the "
          "interquartile ranges overlap). CPU interrupts: the identities the CPUs "
          "take from their IMSIC files, the vector's or, in MRIF mode, the notices "
          "(the vector has none there: the notice handler runs it); irq handler "
          "runs: vector + notices. Round-trip times are context (TCG speed): "
          "compare their paired ratios below.")
    if any((f"dma_{d}_{t}_iops", DMA_PROFILE) in stats for d, _ in DMA_DISKS
           for t, _ in DMA_TYPES):
        print()
        head = f"{'4 KiB random reads/s, depth 1':30}" + "".join(
            f"  {lab:>20}" for _, lab in DMA_TYPES)
        head += "".join(f"  {lab:>22}" for _, _, lab in DMA_RATIOS)
        print(head)
        for d, dname in DMA_DISKS:
            row = f"{dname:30}"
            for t, _ in DMA_TYPES:
                s = stats.get((f"dma_{d}_{t}_iops", DMA_PROFILE))
                cell = f"{fmt(s['median'])} [{fmt(s['q1'])}-{fmt(s['q3'])}]" if s else "-"
                row += f"  {cell:>20}"
            for num, den, _ in DMA_RATIOS:
                r, note = dma_ratio(stats, d, num, den)
                cell = "-"
                if r is not None:
                    v = "no diff." if note else fmt(r["median"])
                    cell = f"{v} [{fmt(r['q1'])}-{fmt(r['q3'])}]"
                row += f"  {cell:>22}"
            print(row)
        print("Default domain types on the default profile (bench-dma; MRIF MSIs): "
              "reads/s are context (TCG speed); the ratios are medians [interquartile "
              "range] of each block's own ratio, no diff. when the range holds 1; "
              "a ratio below 1 is what translation or strict invalidation costs.")
    labels = dict(PROFILES)
    for fig in PAIRED:
        cells = []
        for num, den in RATIOS:
            pr = paired(per_boot, fig, num, den)
            if pr:
                v = "no diff." if pr[1] <= 1 <= pr[2] else f"{pr[0]:.2f}"
                cells.append(f"{labels[num]}/{labels[den]} {v} ({pr[1]:.2f}-{pr[2]:.2f})")
        if cells:
            print(f"{names[fig]}, paired per round, median (min-max): " + ", ".join(cells) + ".")
    for fig, what in INFO.items():
        cells = [f"{lab} {fmt(stats[fig, p]['median'])} ({fmt(stats[fig, p]['min'])}-"
                 f"{fmt(stats[fig, p]['max'])})" for p, lab in PROFILES if (fig, p) in stats]
        if cells:
            print(f"edu {what}, median (min-max): " + ", ".join(cells) + ".")
    print(f"Method: {method}")

    if a.prev:
        try:
            prev = read_tsv(a.prev)
        except OSError:
            prev = {}
        if prev:
            for fig in PAIRED:
                for num, den in RATIOS:
                    pr = paired(per_boot, fig, num, den)
                    if pr:
                        stats[fig, f"{num}/{den}"] = dict(median=pr[0], q1=pr[1], q3=pr[2])
            outside = []
            for key, s in stats.items():
                p = prev.get(key) if key[0] not in INFO and key[0] not in CONTEXT else None
                if not p:
                    continue
                if not (p["q1"] <= s["median"] <= p["q3"] and s["q1"] <= p["median"] <= s["q3"]):
                    outside.append(f"{key[0]}@{key[1]}: now {fmt(s['median'])} "
                                   f"[{fmt(s['q1'])}-{fmt(s['q3'])}], before "
                                   f"{fmt(p['median'])} [{fmt(p['q1'])}-{fmt(p['q3'])}]")
            common = sum(1 for k in stats if k in prev and k[0] not in INFO
                         and k[0] not in CONTEXT)
            print(f"Against the previous run: {common - len(outside)} of {common} figures "
                  "have each run's median within the other's spread (interquartile range; "
                  "min-max for round trips paired per round; absolute times and reads/s "
                  "are context, not compared)"
                  + (":" if outside else "."))
            for o in outside:
                print("  outside: " + o)
    return 0


if __name__ == "__main__":
    sys.exit(main())
