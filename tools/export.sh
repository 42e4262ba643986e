#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Export the commits of build/ on top of "base" into patches/ as the series.
# Output is stable: zero commit ids, no version signature, numbered, the
# base-commit recorded. The cover letter's subject and text are kept from
# patches/0000-cover-letter.patch; only its shortlog/diffstat are refreshed.
# Exporting an unchanged tree gives no diff.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/config.sh"
src=${1:-$TREE}
cd "$src"
git diff --quiet HEAD && git diff --cached --quiet ||
	{ echo "export: $src has uncommitted changes" >&2; exit 1; }
n=$(git rev-list --count base..HEAD)
[ "$n" -gt 0 ] || { echo "export: no commits on top of base" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -c core.abbrev=12 format-patch -q --zero-commit --no-signature --numbered \
	--cover-letter --base=base --no-renames -o "$tmp" base..HEAD

cover="$TOP/patches/0000-cover-letter.patch"
gen="$tmp/0000-cover-letter.patch"
if [ -f "$cover" ]; then
	# Keep everything of the existing cover letter up to its shortlog (the
	# first line that starts a "Name (N):" shortlog block); take the rest
	# (shortlog, diffstat, base-commit) from the freshly generated one.
	awk '/^[^ ].* \([0-9]+\):$/ { exit } { print }' "$cover" |
		sed "s/^\(Subject: \[PATCH[^]]*\) [0-9]*\/[0-9]*\]/\1 0\/$n]/" > "$tmp/head"
	awk 'f || /^[^ ].* \([0-9]+\):$/ { f = 1; print }' "$gen" > "$tmp/tail"
	cat "$tmp/head" "$tmp/tail" > "$gen"
fi
# Stable dates: format-patch stamps the cover letter with the current time.
sed -i '1,/^$/ s/^Date: .*/Date: Thu, 1 Jan 2026 00:00:00 +0000/' "$gen"

rm -f "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch
cp "$tmp"/*.patch "$TOP/patches/"
echo "export: $n patches + cover letter in patches/"
git -C "$TOP" status --short -- patches/
