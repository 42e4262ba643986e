#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the console log of one QEMU boot into test results.

Every in-guest TAP case, the boot itself, the kernel log's cleanliness and
(with --kunit) every KUnit case found by the kernel's own kunit.py parser
become lines "PASS name" / "FAIL name" appended to the results file.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# Kernel log lines that fail a boot whatever the tests said.
SPLATS = re.compile(
    r"(------------\[ cut here \]------------|WARNING: CPU: \d+|"
    r"BUG: |Oops|Kernel panic|Unable to handle kernel|"
    r"possible (recursive|circular) locking|inconsistent lock state|"
    r"INFO: task .* blocked for more than|"
    r"sleeping function called from invalid context|"
    r"KASAN: |UBSAN: |kmemleak: \d+ new suspected|unreferenced object 0x|"
    r"rcu: INFO: rcu_.* detected stalls|watchdog: BUG: soft lockup|"
    r"Call Trace:)")
TAP = re.compile(r"^(not ok|ok) (\d+)\s*-?\s*(.*?)\s*$")
PLAN = re.compile(r"^1\.\.(\d+)")


def clean(line):
    """Drop the carriage return and a printk time stamp prefix."""
    line = line.rstrip("\r\n")
    return re.sub(r"^\[\s*\d+\.\d+\]\s?", "", line)


def kunit_json_cases(path):
    """Yield (name, status) of every case in a kunit.py JSON report."""
    try:
        with open(path) as f:
            root = json.load(f)
    except (OSError, ValueError):
        return

    def walk(group, prefix):
        for case in group.get("test_cases", []):
            yield prefix + case["name"], case["status"]
        for sub in group.get("sub_groups", []):
            yield from walk(sub, prefix + sub["name"] + ".")

    yield from walk(root, "")


def kunit_cases(kunit_py, dmesg_lines):
    """Run kunit.py parse on the kernel log; yield (name, status)."""
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "log")
        out = os.path.join(tmp, "kunit.json")
        with open(log, "w") as f:
            f.write("\n".join(dmesg_lines) + "\n")
        subprocess.run([sys.executable, kunit_py, "parse", "--json=" + out, log],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        yield from list(kunit_json_cases(out))


def kunit_results(cases, prefix, res):
    """Record every non-skipped case; fail if there was none."""
    n = 0
    for name, status in cases:
        if status == "SKIP":
            continue
        res(status == "PASS", f"{prefix}/{name}")
        n += 1
    res(n > 0, f"{prefix}: {n} KUnit cases reported")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log", help="console log, or a kunit.py JSON report with --kunit-json")
    ap.add_argument("--profile", required=True)
    ap.add_argument("--tests", default="", help="comma-separated tests that must run")
    ap.add_argument("--results", required=True)
    ap.add_argument("--kunit", help="path of kunit.py: collect KUnit results")
    ap.add_argument("--kunit-json", action="store_true",
                    help="the input is the JSON report of kunit.py run")
    ap.add_argument("--timed-out", action="store_true")
    a = ap.parse_args()

    if a.kunit_json:
        results = []
        kunit_results(kunit_json_cases(a.log), a.profile,
                      lambda ok, name: results.append(("PASS" if ok else "FAIL", name)))
        return report(a.results, results)

    with open(a.log, errors="replace") as f:
        lines = [clean(l) for l in f]

    results = []

    def res(ok, name, skipped=False):
        status = "SKIP" if skipped and ok else ("PASS" if ok else "FAIL")
        results.append((status, f"{a.profile}/{name}"))

    seen, cur, cases, plan, dmesg = [], None, [], None, None
    started = done = False
    for line in lines:
        m = re.search(r"@@rvmsi (\S+)\s*(.*)$", line)
        if m:
            what, rest = m.groups()
            if what == "start":
                started = True
            elif what == "begin":
                cur, cases, plan = rest.strip(), [], None
            elif what == "end" and cur:
                rc = int(re.search(r"rc=(\d+)", rest).group(1))
                # A skipped case is neither passed nor failed: it is
                # listed as SKIP and not counted in the summary.
                for ok, num, desc, skipped in cases:
                    res(ok, f"{cur}/{num} {desc}", skipped)
                if plan is None or plan != len(cases):
                    res(False, f"{cur}/plan: {len(cases)} results, plan {plan}")
                if rc != 0 and all(c[0] for c in cases):
                    res(False, f"{cur}/exit status {rc}")
                seen.append(cur)
                cur = None
            elif what == "dmesg-begin":
                dmesg = []
            elif what == "dmesg-end":
                pass
            elif what == "done":
                done = True
            continue
        if dmesg is not None and not done and "@@rvmsi dmesg-end" not in line:
            dmesg.append(line)
        if cur:
            t = TAP.match(line)
            if t:
                skip = "# SKIP" in t.group(3)
                cases.append((t.group(1) == "ok" or skip, t.group(2), t.group(3), skip))
            p = PLAN.match(line)
            if p:
                plan = int(p.group(1))
    if cur:
        res(False, f"{cur}/completed (no end marker: hang or crash)")
        seen.append(cur)

    for t in filter(None, a.tests.split(",")):
        if t not in seen:
            res(False, f"{t}/ran")

    why = "timed out" if a.timed_out else ("no start marker" if not started else "no done marker")
    res(started and done and not a.timed_out, "boot reached init and finished" +
        ("" if started and done and not a.timed_out else f" ({why})"))
    splats = [l for l in lines if SPLATS.search(l)]
    for l in splats[:5]:
        print(f"# {a.profile}: kernel log: {l}")
    res(not splats, "kernel log has no warning, BUG, lockdep or panic")

    if a.kunit:
        kunit_results(kunit_cases(a.kunit, dmesg if dmesg is not None else lines),
                      "kunit", res)
    return report(a.results, results)


def report(path, results):
    """Append results to the results file, print them, return exit code."""
    with open(path, "a") as f:
        for status, name in results:
            f.write(f"{status} {name}\n")
    for status, name in results:
        print(f"{'not ok' if status == 'FAIL' else 'ok'} - {name}")
    return 0 if all(s != "FAIL" for s, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
