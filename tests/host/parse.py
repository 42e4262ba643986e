#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the console log of one QEMU boot into test results.

Every in-guest TAP case, the boot itself, the kernel log's cleanliness and
(with --kunit) every KUnit case found by the kernel's own kunit.py parser
become lines "PASS name" / "FAIL name" / "SKIP name" appended to the
results file. Whatever goes wrong (a missing log, a garbled or lost marker,
a test that never ran, a parser crash) becomes a FAIL line, never silence;
with --expected-skips a skip the file does not list is a FAIL too.
"""
import argparse
import collections
import fnmatch
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
DIAG_LINES = 15


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


def kunit_results(cases, prefix, add):
    """Record every case (skips as SKIP); fail if none passed or failed."""
    n = 0
    for name, status in cases:
        status = status if status in ("PASS", "SKIP") else "FAIL"
        add(status, f"{prefix}/{name}" if prefix else name)
        n += status != "SKIP"
    add("PASS" if n > 0 else "FAIL",
        f"{prefix or 'kunit'}: {n} KUnit cases reported")


def load_skips(path):
    """Lines "PROFILE PATTERN" (globs; '#' starts a comment line)."""
    pats = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                prof, _, pat = line.partition(" ")
                pats.append((prof, pat.strip()))
    return pats


def expected(pats, profile, name):
    """A pattern matches a name, or its part before the description."""
    return any(fnmatch.fnmatchcase(profile, prof) and
               (fnmatch.fnmatchcase(name, pat) or
                fnmatch.fnmatchcase(name, pat + " *"))
               for prof, pat in pats)


def check_skips(results, profile, path):
    """A skip that tests/host/expected-skips does not list is a failure."""
    try:
        pats = load_skips(path)
    except OSError as e:
        return results + [("FAIL", f"{profile}/expected skips: {path}: {e.strerror}")]
    out = []
    for status, name in results:
        rel = name[len(profile) + 1:] if name.startswith(profile + "/") else name
        if status == "SKIP" and not expected(pats, profile, rel):
            status, name = "FAIL", f"{name} (unexpected skip: not in expected-skips)"
        out.append((status, name))
    return out


def parse_log(a, add):
    """Turn one console log into results through add(status, name)."""
    try:
        with open(a.log, errors="replace") as f:
            lines = [clean(l) for l in f]
    except OSError as e:
        add("FAIL", f"console log missing: {a.log} ({e.strerror})")
        return

    seen, cur, cases, plan, dmesg = [], None, [], None, None
    started = done = False
    # A failing case's diagnostics: the test's comment lines just before
    # it, printed with it, so that a CI run that keeps only this output
    # still says why.
    diag = collections.deque(maxlen=DIAG_LINES)

    def show_diag():
        for d in diag:
            print(f"# {a.profile}/{cur}: {d}")

    def close(rc, why=None):
        """The open test ended (rc) or was cut short (why)."""
        if why:
            show_diag()
        # A skipped case is neither passed nor failed: it is listed as
        # SKIP and not counted in the summary.
        for status, num, desc in cases:
            add(status, f"{cur}/{num} {desc}")
        if why:
            add("FAIL", f"{cur}/completed ({why})")
        elif plan is None:
            add("FAIL", f"{cur}/plan: {len(cases)} results, no plan")
        elif plan[0] == 0 and not cases:
            # 1..0 plans nothing: a skip only if it says so.
            if re.search(r"#\s*skip", plan[1], re.I):
                add("SKIP", f"{cur}/0 {plan[1]}")
            else:
                add("FAIL", f"{cur}/plan: 1..0 without # SKIP (no test ran)")
        elif plan[0] != len(cases):
            add("FAIL", f"{cur}/plan: {len(cases)} results, plan {plan[0]}")
        if rc is not None and rc != 0 and all(c[0] != "FAIL" for c in cases):
            add("FAIL", f"{cur}/exit status {rc}")
        seen.append(cur)

    for line in lines:
        m = re.search(r"@@rvmsi (\S+)\s*(.*)$", line)
        if m:
            what, rest = m.groups()
            if what == "start":
                started = True
            elif what == "begin":
                if cur:
                    close(None, f"no end marker: {rest.strip()} began")
                cur, cases, plan = rest.strip(), [], None
                diag.clear()
            elif what == "end":
                name = rest.split()[0] if rest.split() else ""
                r = re.fullmatch(r"\S+ rc=(\d+)", rest.strip())
                if not cur:
                    add("FAIL", f"{name or '?'}/end marker without a begin")
                elif name != cur or not r:
                    close(None, f"garbled end marker: {rest.strip()!r}")
                else:
                    close(int(r.group(1)))
                cur = None
            elif what == "dmesg-begin":
                dmesg = []
            elif what in ("dmesg-end", "done"):
                done = done or what == "done"
            else:
                add("FAIL", f"console log: unknown marker {what!r}")
            continue
        if dmesg is not None and not done:
            dmesg.append(line)
        if cur:
            t = TAP.match(line)
            if t:
                desc = t.group(3)
                skip = re.search(r"#\s*skip", desc, re.I)
                if t.group(1) == "not ok":
                    # a failing case cannot be a skip
                    status = "FAIL"
                    show_diag()
                    desc += " (not ok)" if skip else ""
                else:
                    status = "SKIP" if skip else "PASS"
                diag.clear()
                cases.append((status, t.group(2), desc))
            elif line.startswith("#"):
                diag.append(line)
            p = PLAN.match(line)
            if p:
                plan = (int(p.group(1)), line)
    if cur:
        close(None, "no end marker: hang or crash")

    for t in filter(None, a.tests.split(",")):
        if t not in seen:
            add("FAIL", f"{t}/ran")

    why = "timed out" if a.timed_out else ("no start marker" if not started else "no done marker")
    good = started and done and not a.timed_out
    add("PASS" if good else "FAIL",
        "boot reached init and finished" + ("" if good else f" ({why})"))
    splats = [l for l in lines if SPLATS.search(l)]
    for l in splats[:5]:
        print(f"# {a.profile}: kernel log: {l}")
    add("FAIL" if splats else "PASS", "kernel log has no warning, BUG, lockdep or panic")

    if a.kunit:
        kunit_results(kunit_cases(a.kunit, dmesg if dmesg is not None else lines),
                      "kunit", add)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log", help="console log, or a kunit.py JSON report with --kunit-json")
    ap.add_argument("--profile", required=True)
    ap.add_argument("--tests", default="", help="comma-separated tests that must run")
    ap.add_argument("--results", required=True)
    ap.add_argument("--kunit", help="path of kunit.py: collect KUnit results")
    ap.add_argument("--kunit-json", action="store_true",
                    help="the input is the JSON report of kunit.py run")
    ap.add_argument("--expected-skips", help="file of the skips allowed (PROFILE PATTERN lines)")
    ap.add_argument("--timed-out", action="store_true")
    a = ap.parse_args()

    results = []

    def add(status, name):
        results.append((status, f"{a.profile}/{name}"))

    try:
        if a.kunit_json:
            if not os.path.exists(a.log):
                add("FAIL", f"kunit.py JSON report missing: {a.log}")
            kunit_results(kunit_json_cases(a.log), "", add)
        else:
            parse_log(a, add)
    except Exception as e:  # pylint: disable=broad-except
        # A parser crash must never drop a profile's results silently.
        add("FAIL", f"parse.py crashed: {type(e).__name__}: {e}")
    if a.expected_skips:
        results = check_skips(results, a.profile, a.expected_skips)
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
