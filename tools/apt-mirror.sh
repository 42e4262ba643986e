#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Print the Debian archive URI this machine's own apt configuration uses.
# The project never hard-codes a registry host: it is read from here.
set -eu
for f in /etc/apt/sources.list.d/*.sources; do
	[ -r "$f" ] || continue
	# deb822: take a URIs: line of a stanza whose Suites name a Debian release
	awk '
		/^[[:space:]]*$/ { if (uri != "" && deb) { print uri; exit } uri = ""; deb = 0; next }
		/^URIs:/ { uri = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i ~ /^(bookworm|trixie|sid|stable|testing)$/) deb = 1 }
		END { if (uri != "" && deb) print uri }
	' "$f" | head -n1 | grep . && exit 0
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -r "$f" ] || continue
	awk '$1 == "deb" && $3 ~ /^(bookworm|trixie|stable)$/ { print $2; exit }' "$f" | grep . && exit 0
done
echo "apt-mirror: no Debian archive found in the apt configuration" >&2
exit 1
