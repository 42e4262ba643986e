#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# bench-stats.sh RESULTS: bench/stats.py on made-up samples whose answers
# are known, so that make check catches a statistics change that would
# claim a difference the spreads cannot show, hide one they show, or call
# two disagreeing runs consistent. Appends PASS/FAIL lines to RESULTS.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
R=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
res() { if [ "$1" = 0 ]; then echo "PASS bench-stats: $2" >> "$R"; else
	echo "FAIL bench-stats: $2" >> "$R"; echo "not ok - bench-stats: $2"; fi; }
st() { python3 "$top/bench/stats.py" "$@"; }

# samples FILE SCALE: 4 rounds x 3 profiles x 5 blocks.
#  edu_cpu_per_intr: 1 everywhere (no difference);
#  edu_runs_per_intr: 1 without MRIFs, 2 with (a difference);
#  edu_rt_same_us: MRIF 1.5x flat in every block, each round SCALE times
#  the last (host drift the pairing must cancel);
#  edu_rt_other_us: MRIF and flat alike but noisy, MRIF/flat 1.2, 0.91,
#  1.1 and 0.83 in the four rounds (no difference).
samples() {
	awk -v scale="$2" 'BEGIN {
		split("noiommu flat default", prof, " ")
		for (r = 1; r <= 4; r++) for (p = 1; p <= 3; p++) for (b = 0; b < 5; b++) {
			d = (r - 1) * scale + 1
			mrif = prof[p] == "default"
			printf "%s\t%d\t%d\tedu_cpu_per_intr\t1\n", prof[p], r, b
			printf "%s\t%d\t%d\tedu_runs_per_intr\t%d\n", prof[p], r, b, mrif ? 2 : 1
			printf "%s\t%d\t%d\tedu_rt_same_us\t%.3f\n", prof[p], r, b,
				(mrif ? 15 : 10) * d * (1 + b / 100)
			printf "%s\t%d\t%d\tedu_rt_other_us\t%.3f\n", prof[p], r, b,
				50 * d * (1 + ((b + (mrif ? 2 * r : 0)) % 5 - 2) / 10)
		}
	}' > "$1"
}
samples "$tmp/a.samples" 0.2
st "$tmp/a.samples" --tsv "$tmp/a.tsv" > "$tmp/a.txt" 2> "$tmp/a.err"
res $? "stats.py runs on a run's samples"

row() { grep "^$1" "$tmp/a.txt"; }
row "edu irq handler runs per delivered interrupt" | grep -q ' 2\.00  *2\.00$'
res $? "a count that doubles gives MRIF/none and MRIF/flat 2.00"
row "edu CPU interrupts per delivered interrupt" | grep -q 'no diff\.  *no diff\.  *no diff\.$'
res $? "equal counts give no measurable difference"
grep -q 'on this CPU.*paired.*MRIF/flat 1\.50 (1\.50-1\.50)' "$tmp/a.txt"
res $? "a paired round-trip ratio cancels drift between rounds (1.50 in every round)"
grep -q 'on other CPU.*paired.*MRIF/flat no diff\.' "$tmp/a.txt"
res $? "a noisy paired ratio whose range holds 1 is no measurable difference"

samples "$tmp/b.samples" 0.2
st "$tmp/b.samples" --tsv "$tmp/b.tsv" > /dev/null 2>&1
st --compare "$tmp/a.tsv" "$tmp/b.tsv" > "$tmp/ab.txt"
res $? "two runs of the same samples agree (exit 0)"

# A run where MRIF's round trip is twice flat's and its handler runs 3.
sed -e '/^default/s/\tedu_runs_per_intr\t2$/\tedu_runs_per_intr\t3/' \
	"$tmp/a.samples" | awk -F'\t' 'BEGIN { OFS = "\t" }
	$1 == "default" && $4 == "edu_rt_same_us" { $5 = $5 * 4 / 3 } { print }' > "$tmp/c.samples"
st "$tmp/c.samples" --tsv "$tmp/c.tsv" > /dev/null 2>&1
st --compare "$tmp/a.tsv" "$tmp/c.tsv" > "$tmp/ac.txt"
rc=$?
[ $rc = 1 ] && grep -q 'outside: edu_runs_per_intr@default' "$tmp/ac.txt" &&
	grep -q 'outside: edu_rt_same_us@default/flat' "$tmp/ac.txt" &&
	! grep -q 'outside: edu_cpu_per_intr' "$tmp/ac.txt"
res $? "runs that differ are reported outside, figure by figure (exit 1)"

# KVM (bench-kvm): in each of 3 boots of flat and default, the posted
# round trip is 0.05 of the no-bypass one within the boot, while the host
# speeds up 2x from boot to boot: the per-boot ratio must be 0.05 in every
# boot; posted host interrupts 0, no bypass 1.
awk 'BEGIN {
	split("flat default", prof, " ")
	for (r = 1; r <= 3; r++) for (p = 1; p <= 2; p++) for (b = 0; b < 4; b++) {
		d = 2 ^ (r - 1)
		printf "%s\t%d\t%d\tkvm_hwaccel_rt_us\t%.3f\n", prof[p], r, b, 5 / d
		printf "%s\t%d\t%d\tkvm_emul_rt_us\t%.3f\n", prof[p], r, b, 100 / d
		printf "%s\t%d\t%d\tkvm_hwaccel_host_per_intr\t0\n", prof[p], r, b
		printf "%s\t%d\t%d\tkvm_emul_host_per_intr\t1\n", prof[p], r, b
	}
}' > "$tmp/k.samples"
st "$tmp/k.samples" --tsv "$tmp/k.tsv" > "$tmp/k.txt" 2>&1
grep -q 'posted/no bypass.*flat 0\.050 (0\.050-0\.050), MRIF 0\.050 (0\.050-0\.050)' "$tmp/k.txt" &&
	grep -q "^paired	kvm_rt_posted_per_nobypass	default	3	3	0\.0500" "$tmp/k.tsv" &&
	grep -q '^KVM posted: host CPU interrupts per guest interrupt .* 0\.000 \[0\.000-0\.000\]' "$tmp/k.txt"
res $? "the KVM posted/no-bypass round trip is paired within each boot (0.050 in every boot)"
