#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# distro-config.sh: Debian's riscv64 kernel configuration, the one a distro
# kernel builder starts from. It is taken from the linux-image package the
# suite's linux-image-riscv64 meta-package depends on (downloaded, unpacked
# with dpkg-deb, never installed) and cached as
# $RVMSI_CACHE/debian-riscv64-<package version>.config; prints that path.
# Like busybox-static it is whatever the suite serves on the first run: a
# cached configuration is kept until the cache is emptied.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/config.sh"
fetcher=${RVMSI_APT_FETCH:-$here/apt-fetch.sh}
suite=${RVMSI_DISTRO_SUITE:-sid}
mkdir -p "$CACHE"
for c in "$CACHE"/debian-riscv64-*.config; do
	[ -s "$c" ] && { echo "$c"; exit 0; }
done

tmp=$(mktemp -d "$CACHE/distro.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "distro-config: linux-image-riscv64 from $suite" >&2
"$fetcher" "$suite" riscv64 linux-image-riscv64 "$tmp"
meta=
for f in "$tmp"/linux-image-riscv64_*.deb; do [ -f "$f" ] && meta=$f; done
[ -n "$meta" ] || { echo "distro-config: meta-package not downloaded" >&2; exit 1; }
# "linux-base-riscv64 (= V), linux-image-7.2.13+deb14-riscv64 (= V)"
img=$(dpkg-deb -f "$meta" Depends | tr ',' '\n' |
	sed -n 's/^ *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1)
[ -n "$img" ] || { echo "distro-config: no linux-image dependency in $meta" >&2; exit 1; }
# The config file is in the image package (older packaging, as
# /boot/config-<version>) or, since the image was split, in one of the
# packages it depends on with the same version suffix (linux-base-<version>
# ships usr/lib/modules/<version>/config): try them, smallest first.
abi=${img#linux-image-}
found=
try() { # package -> 0 if it held the configuration, now in $tmp/config
	echo "distro-config: $1 from $suite" >&2
	"$fetcher" "$suite" riscv64 "$1" "$tmp"
	deb=
	for f in "$tmp/$1"_*.deb; do [ -f "$f" ] && deb=$f; done
	[ -n "$deb" ] || { echo "distro-config: $1 not downloaded" >&2; exit 1; }
	dpkg-deb --fsys-tarfile "$deb" > "$tmp/data.tar"
	member=$(tar -tf "$tmp/data.tar" |
		grep -E '^\./(boot/config-[^/]+|usr/lib/modules/[^/]+/config)$' | head -n 1)
	rm -f "$tmp/config"
	[ -n "$member" ] && tar -xOf "$tmp/data.tar" "$member" > "$tmp/config"
	rm -f "$tmp/data.tar"
	[ -s "$tmp/config" ]
}
if try "$img"; then
	found=$img
else
	deps=$(dpkg-deb -f "$deb" Depends | tr ',|' '\n\n')
	for p in linux-base-$abi linux-binary-$abi linux-modules-$abi; do
		echo "$deps" | grep -q "^ *$p " || continue
		try "$p" && { found=$p; break; }
	done
fi
[ -n "$found" ] || { echo "distro-config: no kernel config in $img or its packages" >&2; exit 1; }
grep -q '^CONFIG_RISCV=y' "$tmp/config" ||
	{ echo "distro-config: $member is not a riscv configuration" >&2; exit 1; }
out="$CACHE/debian-riscv64-$abi.config"
mv "$tmp/config" "$out"
echo "$out"
