#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# selftest.sh RESULTS [boot]: prove the harness can fail.
#  - parse.py on canned console logs: good.log must pass, every bad-*.log
#    (failed case, kernel WARN, hang, plan mismatch, crash exit, panic)
#    must fail;
#  - with "boot": a real boot running the always-failing guest test must
#    be reported as failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
R=$1
out=${RVMSI_OUT:-$here/../../out}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
res() { if [ "$1" = 0 ]; then echo "PASS harness: $2" >> "$R"; else
	echo "FAIL harness: $2" >> "$R"; echo "not ok - harness: $2"; fi; }

for log in "$here"/selftest/*.log; do
	n=$(basename "$log" .log)
	python3 "$here/parse.py" "$log" --profile selftest --tests demo-a \
		--results "$tmp/$n.res" > /dev/null
	rc=$?
	case $n in
	good) [ $rc = 0 ] && ! grep -q ^FAIL "$tmp/$n.res"; res $? "$n.log parses as passing"
		# a skipped case is listed, not counted as passed
		grep -q '^SKIP selftest/demo-a/2 ' "$tmp/$n.res" &&
			! grep -q '^PASS selftest/demo-a/2 ' "$tmp/$n.res"
		res $? "$n.log: a skipped case is not counted as passed" ;;
	*) [ $rc != 0 ] && grep -q ^FAIL "$tmp/$n.res"; res $? "$n.log parses as failing" ;;
	esac
done

if [ "${2:-}" = boot ]; then
	sh "$here/boot.sh" default -t selftest/fail -a kunit.enable=0 \
		-l "$out/logs/selftest-fail.log" -T 300 > /dev/null
	python3 "$here/parse.py" "$out/logs/selftest-fail.log" --profile selftest \
		--tests selftest/fail --results "$tmp/boot.res" > /dev/null
	rc=$?
	[ $rc != 0 ] && grep -q '^FAIL selftest/selftest/fail/2 ' "$tmp/boot.res" &&
		grep -q '^PASS selftest/selftest/fail/1 ' "$tmp/boot.res"
	res $? "a failing in-guest test turns the run red"
fi
exit 0
