#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Medians and spreads of bench/run.sh's samples, the ratios between
profiles, and whether two runs agree.

  stats.py SAMPLES --tsv OUT.tsv [--prev PREV.tsv]   the table on stdout
  stats.py --compare A.tsv B.tsv                     two runs, figure by figure

samples: TSV lines "profile boot block figure value" (bench-msi's and
bench-dma's "# bench: block=B fig=F value=V" lines, one per block of every
boot). Writes the table to stdout and the figures to --tsv:
  stat    figure profile n boots median q1 q3 min max note
  ratio   figure num/den -   -     ratio  -  -  -   -   note
  paired  figure num/den n n     median -  -  min max note
  info    figure profile n boots median q1 q3 min max
A ratio is the quotient of two medians; when the two interquartile ranges
overlap it is "no measurable difference" and no number is given. A paired
ratio (round trips: block i of one profile's boot over block i of the
other's in the same round; DMA: each block's own strict/identity and
strict/lazy) has one value per round or boot, the median of its pairs
there; it is given as the median of those values and their range
(min-max), "no measurable difference" when the range holds 1.

Two runs agree on a figure when each run's median lies within the other
run's spread: the interquartile range of its blocks, or for a paired ratio
the range of its rounds' (boots') values. Figures that measure the host's speed or the
timing of the emulated devices rather than the series (CONTEXT) and
figures that are constant by construction (CONSTANT) are printed with
their spread but not compared; the output says why.
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
DISKS = [("vblk", "virtio-blk"), ("nvme", "NVMe")]
for disk, dname in DISKS:
    for qd in (1, 32):
        FIGURES += [
            (f"{disk}_qd{qd}_irq_per_io", f"{dname} QD{qd} completion irqs per I/O"),
            (f"{disk}_qd{qd}_notice_per_irq", f"{dname} QD{qd} notices per completion irq"),
            (f"{disk}_qd{qd}_cpu_per_irq", f"{dname} QD{qd} CPU interrupts per completion irq"),
            (f"{disk}_qd{qd}_runs_per_irq", f"{dname} QD{qd} irq handler runs per completion irq"),
            (f"{disk}_qd{qd}_cpu_per_io", f"{dname} QD{qd} CPU interrupts per I/O"),
            (f"{disk}_qd{qd}_runs_per_io", f"{dname} QD{qd} irq handler runs per I/O"),
        ]
# KVM (bench-kvm, flat and default): an assigned device's MSIs to a
# one-vCPU guest, posted (HWACCEL), through the host without bypass
# (EMUL), and the fallback of a vCPU that has no guest interrupt file
# (AUTO, every file of its CPU held by other VMs: through the host to its
# software file). Costs per guest interrupt; the round-trip ratio
# posted/no bypass is each boot's own (the median of its posted blocks
# over the median of its no-bypass blocks, measured seconds apart in the
# same boot).
KVM_MODES = [("hwaccel", "posted"), ("emul", "no bypass"), ("fallback", "fallback")]
for mode, mname in KVM_MODES:
    FIGURES += [
        (f"kvm_{mode}_host_per_intr", f"KVM {mname}: host CPU interrupts per guest interrupt"),
        (f"kvm_{mode}_kexits_per_intr", f"KVM {mname}: csr_exit_kernel exits per guest interrupt"),
        (f"kvm_{mode}_exits_per_intr", f"KVM {mname}: vCPU exits per guest interrupt"),
        (f"kvm_{mode}_rt_us", f"KVM {mname}: round trip to the guest (us)"),
    ]
KVM_RT_RATIO = "kvm_rt_posted_per_nobypass"
KVM_PROFILES = ["flat", "default"]
# Default domain types, on the default profile (bench-dma): 4 KiB random
# O_DIRECT reads per second at depth 1, and the ratios within each block
# (measured seconds apart, so that the host's drift cancels).
DMA_TYPES = [("strict", "DMA (strict)"), ("lazy", "DMA-FQ (lazy)"), ("ident", "identity")]
DMA_RATIOS = [("strict", "ident", "translated/identity"), ("strict", "lazy", "strict/lazy")]
DMA_PROFILE = "default"
DMA_RATIO_FIGS = {f"dma_{d}_{n}_per_{m}" for d in ("vblk", "nvme") for n, m, _ in DMA_RATIOS}
NO_DMA_API = ("VIRTIO_F_ACCESS_PLATFORM not negotiated (QEMU's virtio-blk-pci "
              "without iommu_platform=on): the driver gives the device physical "
              "addresses and QEMU does not translate them, whatever the domain type")

# Printed with their spread, not compared between runs; the reason is
# printed with the table and the comparison.
WHY_SPEED = ("absolute TCG speed: it follows the host's load (15-20% from one run "
             "to the next), so the ratios made of it are what is compared")
WHY_QD32 = ("at depth 32 how many completions one interrupt reports depends on "
            "timing (virtio's notification suppression, NVMe completions reaped per "
            "interrupt), so per-I/O counts follow the host's load; the cost is "
            "compared per completion interrupt delivered")
WHY_TICKS = ("a vCPU's exits include the host's timer ticks over the block, so "
             "they follow how long the block takes")
CONTEXT = {"edu_rt_same_us": WHY_SPEED, "edu_rt_other_us": WHY_SPEED}
CONTEXT |= {f"kvm_{m}_rt_us": WHY_SPEED for m, _ in KVM_MODES}
CONTEXT |= {f"kvm_{m}_exits_per_intr": WHY_TICKS for m, _ in KVM_MODES}
CONTEXT |= {f"dma_{d}_{t}_iops": WHY_SPEED for d, _ in DISKS for t, _ in DMA_TYPES}
CONTEXT |= {f"{d}_qd32_{f}": WHY_QD32 for d, _ in DISKS
            for f in ("irq_per_io", "cpu_per_io", "runs_per_io")}
# Without MRIFs the completion vector is itself the CPU interrupt: CPU
# interrupts and handler runs per completion interrupt are 1 by definition.
WHY_CONST = ("without MRIFs the completion vector is the CPU interrupt and the "
             "only handler run: 1 by construction")
CONSTANT = {(f"{d}_qd{q}_{f}", p): WHY_CONST for d, _ in DISKS for q in (1, 32)
            for f in ("cpu_per_irq", "runs_per_irq") for p in ("noiommu", "flat")}
# Not a cost: how many of a burst's raises became interrupts (the
# denominator of edu_*_per_intr); printed below the table, not compared.
INFO = {"edu_intr_per_burst": "interrupts delivered per burst of 200 back-to-back raises"}
# Timings drift with the host's load from one minute to the next: their
# ratios between profiles are paired, block by block within a round, and
# reported per round: the round, not the block, is the independent
# replicate (the blocks of a boot share its host state).
PAIRED = ["edu_rt_same_us", "edu_rt_other_us"]
METHOD = ("Each figure is the median, with its interquartile range, of "
          "per-block values pooled over {blocks} blocks per boot and {boots} "
          "boot(s) per profile, the profiles booted interleaved (none, flat, "
          "MRIF, none, ...); a round-trip block value is the interquartile "
          "mean of 150 timed raise-to-eventfd round trips, a count is normalized by the "
          "interrupts the device really delivered (eventfd signals, completion "
          "vectors run) or by the I/Os completed, and a ratio of medians is given "
          "only when the two interquartile ranges do not overlap; round-trip ratios "
          "are also paired: block i of one profile's boot over block i of the "
          "other's in the same round (booted seconds apart), the median of the "
          "round's pairs, given as median (min-max) over the rounds, no "
          "measurable difference when that range holds 1.")


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
            if not fig.startswith("dma_"):
                blocks.setdefault((prof, boot), set()).add(block)
    return data, boots, blocks, per_boot


def paired(per_boot, fig, num, den):
    """Block i of @num's boot over block i of @den's boot of the same round
    (the boots of one A B C pass, seconds apart), the median of each
    round's pairs: the host's drift between rounds cancels. Returns
    dict(n, median, min, max) over the rounds, or None."""
    rs = []
    for (f, p, boot), v in per_boot.items():
        w = per_boot.get((fig, den, boot)) if f == fig and p == num else None
        pairs = [a / b for a, b in zip(v, w or []) if b > 0]
        if pairs:
            rs.append(statistics.median(pairs))
    if not rs:
        return None
    return dict(n=len(rs), median=statistics.median(rs), min=min(rs), max=max(rs))


def per_boot_ratio(per_boot, fig, prof):
    """A ratio measured within each block (bench-dma's): the median of
    each boot's blocks, as dict(n, median, min, max) over the boots."""
    rs = [statistics.median(v) for (f, p, _), v in per_boot.items() if f == fig and p == prof]
    if not rs:
        return None
    return dict(n=len(rs), median=statistics.median(rs), min=min(rs), max=max(rs))


def kvm_rt_ratio(per_boot, prof):
    """Posted over no-bypass round trip, within each boot of @prof: the
    median of its posted blocks over the median of its no-bypass blocks,
    as dict(n, median, min, max) over the boots, or None."""
    rs = []
    for (f, p, boot), v in per_boot.items():
        w = per_boot.get(("kvm_emul_rt_us", p, boot))
        if f == "kvm_hwaccel_rt_us" and p == prof and w and statistics.median(w) > 0:
            rs.append(statistics.median(v) / statistics.median(w))
    if not rs:
        return None
    return dict(n=len(rs), median=statistics.median(rs), min=min(rs), max=max(rs))


def holds_one(pr):
    return pr["min"] <= 1 <= pr["max"]


def summarize(data, per_boot):
    stats = {}
    for (fig, prof), v in data.items():
        q1, med, q3 = quartiles(v)
        nb = sum(1 for (f, p, _) in per_boot if f == fig and p == prof)
        stats[fig, prof] = dict(n=len(v), boots=nb, median=med,
                                q1=q1, q3=q3, min=min(v), max=max(v))
    return stats


def ratio(stats, fig, num, den):
    a, b = stats.get((fig, num)), stats.get((fig, den))
    if not a or not b or b["median"] <= 0:
        return None, "-"
    if a["q1"] <= b["q3"] and b["q1"] <= a["q3"]:
        return None, "no measurable difference"
    return a["median"] / b["median"], ""


def not_compared(fig, prof):
    """Why a figure is not compared between runs, or None. A ratio paired
    per round (prof "num/den") is compared even where the figure it is
    made of is context: the host's speed cancels in it."""
    if fig in INFO:
        return "not a cost"
    if "/" in prof or fig in DMA_RATIO_FIGS or fig == KVM_RT_RATIO:
        return None
    return CONTEXT.get(fig) or CONSTANT.get((fig, prof))


def read_tsv(path):
    """The compared kinds of a TSV: (figure, profile or num/den) ->
    dict(kind, median, lo, hi), lo-hi the spread the comparison uses."""
    stats = {}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            try:
                if p[0] == "stat":
                    stats[p[1], p[2]] = dict(kind="iqr", median=float(p[5]), lo=float(p[6]),
                                             hi=float(p[7]))
                elif p[0] == "paired":
                    stats[p[1], p[2]] = dict(kind="min-max", median=float(p[5]),
                                             lo=float(p[8]), hi=float(p[9]))
            except (IndexError, ValueError):
                print(f"bench: {path}: cannot read {line.strip()!r}", file=sys.stderr)
    return stats


def compare(a, b):
    """Figures of runs a and b (read_tsv): (compared, skipped), compared a
    list of (key, agree, line), skipped a dict reason -> [keys]."""
    compared, skipped = [], {}
    for key in sorted(set(a) & set(b)):
        why = not_compared(*key)
        if why:
            skipped.setdefault(why, []).append(key)
            continue
        x, y = a[key], b[key]
        ok = x["lo"] <= y["median"] <= x["hi"] and y["lo"] <= x["median"] <= y["hi"]
        compared.append((key, ok, f"{key[0]}@{key[1]}: {fmt(x['median'])} "
                         f"[{fmt(x['lo'])}-{fmt(x['hi'])}] vs {fmt(y['median'])} "
                         f"[{fmt(y['lo'])}-{fmt(y['hi'])}] ({x['kind']})"))
    return compared, skipped


def print_compare(a, b, what, verbose):
    compared, skipped = compare(a, b)
    bad = [c for c in compared if not c[1]]
    print(f"{what}: {len(compared) - len(bad)} of {len(compared)} compared figures "
          "have each run's median within the other's spread (interquartile range; "
          "min-max over rounds or boots for paired ratios)"
          + (":" if bad or verbose else "."))
    for key, ok, line in compared:
        if verbose or not ok:
            print(("  agree:   " if ok else "  outside: ") + line)
    for why, keys in skipped.items():
        if why == "not a cost":
            continue
        figs = [f"{k[0]}@{k[1]}" for k in keys] if verbose else sorted({k[0] for k in keys})
        print(f"  not compared ({len(keys)}), {why}: " + ", ".join(figs))
    return 0 if compared and not bad else 1


def write_stat(out, kind, fig, prof, s):
    out.write("%s\t%s\t%s\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%s\n" % (
        kind, fig, prof, s["n"], s["boots"], s["median"], s["q1"], s["q3"],
        s["min"], s["max"], (not_compared(fig, prof) or "") and "not compared"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("samples", nargs="?")
    ap.add_argument("--tsv")
    ap.add_argument("--prev", help="the previous run's TSV, to compare with")
    ap.add_argument("--compare", nargs=2, metavar=("A.tsv", "B.tsv"),
                    help="compare two runs' TSVs figure by figure; exit 0 if all agree")
    a = ap.parse_args()
    if a.compare:
        return print_compare(read_tsv(a.compare[0]), read_tsv(a.compare[1]),
                             f"{a.compare[0]} against {a.compare[1]}", True)
    if not a.samples or not a.tsv:
        ap.error("SAMPLES and --tsv are needed (or --compare A B)")
    data, boots, blocks, per_boot = read_samples(a.samples)
    if not data:
        print("bench: no samples", file=sys.stderr)
        return 1
    stats = summarize(data, per_boot)
    nboots = max(len(b) for b in boots.values())
    nblocks = max(len(b) for b in blocks.values())
    method = METHOD.format(blocks=nblocks, boots=nboots)
    dma_boots = {b for (f, p, b) in per_boot if f.startswith("dma_") and p == DMA_PROFILE}
    dma_blocks = max((len(v) for (f, p, b), v in per_boot.items()
                      if f.endswith("_strict_per_ident") and p == DMA_PROFILE), default=0)
    dma = {f"dma_{d}_{t}_iops" for d, _ in DISKS for t, _ in DMA_TYPES}
    dma |= {f"dma_{d}_{n}_per_{m}" for d, _ in DISKS for n, m, _ in DMA_RATIOS}
    dma |= {f"dma_{d}_dma_api" for d, _ in DISKS}
    known = [f for f, _ in FIGURES if any((f, p) in stats for p, _ in PROFILES)]
    known += sorted({f for f, _ in data} - {f for f, _ in FIGURES} - set(INFO) - dma)
    names = dict(FIGURES)

    with open(a.tsv, "w") as out:
        out.write(f"# method: {method}\n")
        out.write("kind\tfigure\tprofile\tn\tboots\tmedian\tq1\tq3\tmin\tmax\tnote\n")
        for fig in known:
            for prof, _ in PROFILES:
                s = stats.get((fig, prof))
                if s:
                    write_stat(out, "stat", fig, prof, s)
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
                        fig, num, den, pr["n"], pr["n"], pr["median"], pr["min"], pr["max"],
                        "no measurable difference" if holds_one(pr) else ""))
        for d, _ in DISKS:
            for fig in [f"dma_{d}_{t}_iops" for t, _ in DMA_TYPES]:
                s = stats.get((fig, DMA_PROFILE))
                if s:
                    write_stat(out, "stat", fig, DMA_PROFILE, s)
            for fig in [f"dma_{d}_{n}_per_{m}" for n, m, _ in DMA_RATIOS]:
                pr = per_boot_ratio(per_boot, fig, DMA_PROFILE)
                if pr:
                    out.write("paired\t%s\t%s\t%d\t%d\t%.4f\t\t\t%.4f\t%.4f\t%s\n" % (
                        fig, DMA_PROFILE, pr["n"], pr["n"], pr["median"], pr["min"], pr["max"],
                        "no measurable difference" if holds_one(pr) else ""))
        for prof in KVM_PROFILES:
            pr = kvm_rt_ratio(per_boot, prof)
            if pr:
                out.write("paired\t%s\t%s\t%d\t%d\t%.4f\t\t\t%.4f\t%.4f\t%s\n" % (
                    KVM_RT_RATIO, prof, pr["n"], pr["n"], pr["median"], pr["min"], pr["max"],
                    "no measurable difference" if holds_one(pr) else ""))
        for fig in INFO:
            for prof, _ in PROFILES:
                s = stats.get((fig, prof))
                if s:
                    write_stat(out, "info", fig, prof, s)

    # The table: median [q1-q3] per profile, then the ratios. "*": context,
    # "=": constant by construction; neither is compared between runs.
    def mark(fig, prof):
        return "*" if fig in CONTEXT else "=" if (fig, prof) in CONSTANT else " "

    w = max(len(names.get(f, f)) for f in known)
    head = f"{'':{w}}" + "".join(f"  {lab:>21}" for _, lab in PROFILES)
    head += "".join(f"  {n:>9}" for n in ("flat/none", "MRIF/none", "MRIF/flat"))
    print(head)
    for fig in known:
        row = f"{names.get(fig, fig):{w}}"
        for prof, _ in PROFILES:
            s = stats.get((fig, prof))
            cell = (f"{fmt(s['median'])} [{fmt(s['q1'])}-{fmt(s['q3'])}]{mark(fig, prof)}"
                    if s else "- ")
            row += f"  {cell:>21}"
        for num, den in RATIOS:
            r, note = ratio(stats, fig, num, den)
            cell = f"{r:.2f}" if r is not None else "no diff." if note != "-" else "-"
            row += f"  {cell:>9}"
        print(row)
    print("median [interquartile range]; no diff.: no measurable difference (the "
          "interquartile ranges overlap). CPU interrupts: the identities the CPUs "
          "take from their IMSIC files, the vector's or, in MRIF mode, the notices "
          "(the vector has none there: the notice handler runs it); irq handler "
          "runs: vector + notices. A completion irq is a run of the disk's queue "
          "vector: an interrupt the device delivered.")
    print(f"* context, printed but not compared between runs: round trips (us), "
          f"{WHY_SPEED} (paired below); QD32 per-I/O counts, {WHY_QD32}; KVM "
          f"exits, {WHY_TICKS}.")
    print(f"= not compared between runs: {WHY_CONST}.")
    if any((f"dma_{d}_{t}_iops", DMA_PROFILE) in stats for d, _ in DISKS
           for t, _ in DMA_TYPES):
        print()
        head = f"{'4 KiB random reads/s, depth 1':30}" + "".join(
            f"  {lab:>20}" for _, lab in DMA_TYPES)
        head += "".join(f"  {lab:>22}" for _, _, lab in DMA_RATIOS)
        print(head)
        for d, dname in DISKS:
            row = f"{dname:30}"
            if (f"dma_{d}_dma_api", DMA_PROFILE) in stats and not any(
                    (f"dma_{d}_{t}_iops", DMA_PROFILE) in stats for t, _ in DMA_TYPES):
                print(row + "  not measured: " + NO_DMA_API)
                continue
            for t, _ in DMA_TYPES:
                s = stats.get((f"dma_{d}_{t}_iops", DMA_PROFILE))
                cell = f"{fmt(s['median'])} [{fmt(s['q1'])}-{fmt(s['q3'])}]" if s else "-"
                row += f"  {cell:>20}"
            for num, den, _ in DMA_RATIOS:
                pr = per_boot_ratio(per_boot, f"dma_{d}_{num}_per_{den}", DMA_PROFILE)
                cell = "-"
                if pr:
                    v = "no diff." if holds_one(pr) else fmt(pr["median"])
                    cell = f"{v} ({fmt(pr['min'])}-{fmt(pr['max'])})"
                row += f"  {cell:>22}"
            print(row)
        print(f"Default domain types on the default profile (bench-dma, {dma_blocks} "
              f"blocks in each of {len(dma_boots)} of its boots; MRIF MSIs): a block reads with strict, lazy, identity, identity, lazy, strict "
              "domains in turn, so that a drift of the host's speed cancels in its "
              "ratios; reads/s (the mean of a type's two windows) are context (TCG "
              "speed); a ratio is each block's own, the median of a boot's blocks, "
              "given as median (min-max) over the boots, no diff. when that range "
              "holds 1; a ratio below 1 is what translation or strict invalidation "
              "costs.")
    labels = dict(PROFILES)
    for fig in PAIRED:
        cells = []
        for num, den in RATIOS:
            pr = paired(per_boot, fig, num, den)
            if pr:
                v = "no diff." if holds_one(pr) else f"{pr['median']:.2f}"
                cells.append(f"{labels[num]}/{labels[den]} {v} "
                             f"({pr['min']:.2f}-{pr['max']:.2f})")
        if cells:
            print(f"{names[fig]}, paired block by block within each round, median "
                  "(min-max) over the rounds: " + ", ".join(cells) + ".")
    cells = []
    for prof in KVM_PROFILES:
        pr = kvm_rt_ratio(per_boot, prof)
        if pr:
            v = "no diff." if holds_one(pr) else fmt(pr["median"])
            cells.append(f"{labels[prof]} {v} ({fmt(pr['min'])}-{fmt(pr['max'])})")
    if cells:
        print("KVM round trip of an assigned device's MSI to the guest, posted/no bypass, "
              "within each boot, median (min-max) over the boots: " + ", ".join(cells) +
              ". KVM figures: bench-kvm, a one-vCPU guest in HWACCEL mode (posted: the "
              "IOMMU writes the vCPU's guest interrupt file), in EMUL mode (no bypass: "
              "vfio's host interrupt, the irqfd, software injection) and in AUTO mode "
              "with every guest interrupt file of the vCPU's CPU held by other VMs "
              "(fallback: the vCPU has none, its MSIs go through the host to its "
              "software file), alternated in each boot; host CPU interrupts are "
              "vfio-msi's, or with MRIFs the device's notices.")
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
            print_compare(prev, read_tsv(a.tsv), "Against the previous run", False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
