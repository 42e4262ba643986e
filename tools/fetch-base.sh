#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Download (once) the pinned base: Debian's linux-source-7.3 7.3.4-1~bpo13+1,
# and the riscv64 busybox-static used for the initramfs. Files are cached in
# $RVMSI_CACHE (default ~/.cache/rv-iommu-msi) and verified by sha256.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/config.sh"
mkdir -p "$CACHE"
# The harness self-test (tests/host/selftest-setup.sh) replaces the
# downloader by a stub serving fake packages (RVMSI_APT_FETCH) and pins the
# fake base's hash (RVMSI_TEST_BASE_SHA256). The test pin is refused
# without both the stub and an explicit RVMSI_CACHE: a real run always
# verifies the base against BASE_SHA256.
fetcher=${RVMSI_APT_FETCH:-$here/apt-fetch.sh}
base_sha=$BASE_SHA256
if [ -n "${RVMSI_TEST_BASE_SHA256:-}" ]; then
	[ -n "${RVMSI_APT_FETCH:-}" ] && [ -n "${RVMSI_CACHE:-}" ] || {
		echo "fetch: RVMSI_TEST_BASE_SHA256 needs RVMSI_APT_FETCH and RVMSI_CACHE" >&2
		exit 1
	}
	base_sha=$RVMSI_TEST_BASE_SHA256
fi

# fetch SUITE ARCH PKG[=VER] FILE SHA256
# FILE may be a glob (busybox-static_*_riscv64.deb) when SHA256 is empty:
# the package is then whatever the suite serves, and any cached copy does.
cached() { # glob -> first matching file, or nothing
	for f in "$CACHE"/$1; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

fetch() {
	if [ -n "$5" ]; then
		if [ -f "$CACHE/$4" ] && echo "$5  $CACHE/$4" | sha256sum -c --status; then
			return 0
		fi
		rm -f "$CACHE/$4"
	elif cached "$4" >/dev/null; then
		return 0
	fi
	echo "fetch: $3 from $1"
	"$fetcher" "$1" "$2" "$3" "$CACHE"
	f=$(cached "$4") || { echo "fetch: $4 not downloaded" >&2; exit 1; }
	if [ -n "$5" ] && ! echo "$5  $f" | sha256sum -c --status; then
		echo "fetch: sha256 mismatch for $4" >&2
		mv "$f" "$f.bad"
		exit 1
	fi
}

fetch trixie-backports all "linux-source-7.3=$BASE_VERSION" "$BASE_DEB" "$base_sha"
# busybox-static is whatever trixie serves today: it is only the shell of the
# test initramfs, so it is not pinned by hash (trixie updates replace it).
fetch trixie riscv64 busybox-static "busybox-static_*_riscv64.deb" ""
