#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# parse.sh RESULTS PARSE-ARGS...: run parse.py, append its results to
# RESULTS and print its failures. parse.py's exit status is a result too:
# if it fails without having written a FAIL line (it crashed, or was called
# wrongly), a FAIL line says so, so a lost profile can never look green.
# Exits with parse.py's status.
set -u
here=$(cd "$(dirname "$0")" && pwd)
R=$1; shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/parse.py" "$@" --results "$tmp/res" > "$tmp/out" 2>&1
rc=$?
grep -v '^ok - ' "$tmp/out"
[ -f "$tmp/res" ] && cat "$tmp/res" >> "$R"
if [ $rc != 0 ] && ! grep -q '^FAIL ' "$tmp/res" 2>/dev/null; then
	echo "FAIL parse.py $*: exit status $rc without a FAIL result" >> "$R"
	echo "not ok - parse.py $*: exit status $rc without a FAIL result"
elif [ ! -s "$tmp/res" ]; then
	echo "FAIL parse.py $*: no result" >> "$R"
	echo "not ok - parse.py $*: no result"
	rc=1
fi
exit $rc
