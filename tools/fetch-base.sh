#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Download (once) the pinned base: Debian's linux-source-7.3 7.3.4-1~bpo13+1,
# and the riscv64 busybox-static used for the initramfs. Files are cached in
# $RVMSI_CACHE (default ~/.cache/rv-iommu-msi) and verified by sha256.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/config.sh"
mkdir -p "$CACHE"

fetch() { # suite arch pkg file sha
	if [ -f "$CACHE/$4" ] && echo "$5  $CACHE/$4" | sha256sum -c --status; then
		return 0
	fi
	rm -f "$CACHE/$4"
	echo "fetch: $3 from $1"
	"$here/apt-fetch.sh" "$1" "$2" "$3" "$CACHE"
	[ -f "$CACHE/$4" ] || { echo "fetch: $4 not downloaded" >&2; exit 1; }
	if [ -n "$5" ] && ! echo "$5  $CACHE/$4" | sha256sum -c --status; then
		echo "fetch: sha256 mismatch for $4" >&2
		mv "$CACHE/$4" "$CACHE/$4.bad"
		exit 1
	fi
}

fetch trixie-backports all "linux-source-7.3=$BASE_VERSION" "$BASE_DEB" "$BASE_SHA256"
# busybox-static is whatever trixie serves today: it is only the shell of the
# test initramfs, so it is not pinned by hash (trixie updates replace it).
if ! ls "$CACHE"/busybox-static_*_riscv64.deb >/dev/null 2>&1; then
	fetch trixie riscv64 busybox-static "" ""
fi
