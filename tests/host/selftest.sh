#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# selftest.sh RESULTS [boot]: prove the harness can fail.
#  - parse.py (through parse.sh) on canned console logs, selftest/*.log:
#    good*.log must pass, every bad-*.log must fail; each log names the
#    exact result lines it must produce ("#@ expect LINE") and its extra
#    parse.py arguments ("#@ args: ..."), so each failure is proven to come
#    from its own mechanism (lost end marker, garbled rc, 1..0, timeout,
#    KUnit failure, not ok # SKIP, unexpected skip, ...);
#  - a missing log, a missing or failing kunit.py JSON report and a parse.py
#    that exits without results must fail too;
#  - with "boot": a real boot running the always-failing guest test must
#    be reported as failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
R=$1
out=${RVMSI_OUT:-$here/../../out/ci}
kunit=${RVMSI_TREE:-$out/tree}/tools/testing/kunit/kunit.py
skips=$here/selftest/expected-skips
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
res() { if [ "$1" = 0 ]; then echo "PASS harness: $2" >> "$R"; else
	echo "FAIL harness: $2" >> "$R"; echo "not ok - harness: $2"; fi; }
# parse NAME ARGS...: parse.sh into $tmp/NAME.res; status of parse.py
parse() {
	n=$1; shift
	sh "$here/parse.sh" "$tmp/$n.res" --profile selftest --tests demo-a \
		--expected-skips "$skips" "$@" > /dev/null
}
# wants NAME: every "#@ expect LINE" of the log is a line of its results
wants() {
	w=0
	while IFS= read -r line; do
		grep -qxF "$line" "$tmp/$1.res" 2>/dev/null ||
			{ echo "# $1.log: no result line: $line"; w=1; }
	done < "$tmp/$1.want"
	[ -s "$tmp/$1.want" ] && [ $w = 0 ]
}

for log in "$here"/selftest/*.log; do
	n=$(basename "$log" .log)
	sed -n 's/^#@ expect //p' "$log" > "$tmp/$n.want"
	# shellcheck disable=SC2046
	parse "$n" "$log" $(sed -n "/^#@ args: /{s///;s|@KUNIT@|$kunit|g;p;}" "$log")
	rc=$?
	case $n in
	good*) [ $rc = 0 ] && ! grep -q ^FAIL "$tmp/$n.res" && wants "$n"
		res $? "$n.log parses as passing, skips listed as SKIP" ;;
	*) [ $rc != 0 ] && wants "$n"
		res $? "$n.log fails with: $(head -n1 "$tmp/$n.want" | cut -d' ' -f2-)" ;;
	esac
done

# A failing case's diagnostics (the comment lines since the previous
# case) are printed with it, and only those.
sh "$here/parse.sh" "$tmp/diag.res" "$here/selftest/bad-fail.log" --profile selftest \
	--tests demo-a > "$tmp/diag.out"
grep -qxF '# selftest/demo-a: # second: 99 of 100 arrived' "$tmp/diag.out" &&
	! grep -q 'first: fine' "$tmp/diag.out"
res $? "a failing case's diagnostic lines are printed with it"

! parse missing "$tmp/no-such.log" && grep -q "^FAIL selftest/console log missing: $tmp/no-such.log" "$tmp/missing.res"
res $? "a missing console log fails (console log missing)"

! parse kjson "$here/selftest/bad-kunit.json" --kunit-json && grep -qx 'FAIL selftest/demo_suite.demo_fail' "$tmp/kjson.res" &&
	grep -qx 'SKIP selftest/demo_suite.demo_skip' "$tmp/kjson.res"
res $? "a failing case of kunit.py's JSON report fails, its skip is listed"

! parse nojson "$tmp/no-such.json" --kunit-json &&
	grep -qx "FAIL selftest/kunit.py JSON report missing: $tmp/no-such.json" "$tmp/nojson.res"
res $? "a missing kunit.py JSON report fails (kunit.py did not finish)"

# parse.py called wrongly (here without a log): it writes nothing and
# exits 2; parse.sh must turn that status into a FAIL line.
! sh "$here/parse.sh" "$tmp/crash.res" --profile selftest > /dev/null && grep -q '^FAIL parse.py --profile selftest: exit status 2 without a FAIL result$' "$tmp/crash.res"
res $? "a parse.py that exits without results fails (exit status recorded)"

if [ "${2:-}" = boot ]; then
	log=$out/logs/selftest-fail.log
	rm -f "$log"
	sh "$here/boot.sh" default -t selftest/fail -a kunit.enable=0 \
		-l "$log" -T 300 > /dev/null
	sh "$here/parse.sh" "$tmp/boot.res" "$log" --profile selftest \
		--tests selftest/fail > /dev/null
	rc=$?
	[ $rc != 0 ] && grep -q '^FAIL selftest/selftest/fail/2 ' "$tmp/boot.res" &&
		grep -q '^PASS selftest/selftest/fail/1 ' "$tmp/boot.res"
	res $? "a failing in-guest test turns the run red"
fi
exit 0
