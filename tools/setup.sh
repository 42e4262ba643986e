#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install what the project needs on a Debian 12 host (idempotent).
# Cross toolchain and build tools come from bookworm, QEMU 10 and OpenSBI
# from bookworm-backports. The archive address is taken from this machine's
# apt configuration (tools/apt-mirror.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)

PKGS="build-essential git bc bison flex libssl-dev libelf-dev cpio xz-utils
rsync ccache python3 perl kmod gcc-riscv64-linux-gnu
libc6-dev-riscv64-cross"
BPO_PKGS="qemu-system-misc opensbi"

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "setup: must run as root to install: $*" >&2
		exit 1
	fi
}

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done

qemu_ok=0
if command -v qemu-system-riscv64 >/dev/null 2>&1; then
	v=$(qemu-system-riscv64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ "${v:-0}" -ge 10 ] && qemu_ok=1
fi
[ -e /usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin ] || qemu_ok=0

if [ -z "$missing" ] && [ $qemu_ok = 1 ]; then
	echo "setup: host packages present"
	exit 0
fi

need_root $missing $BPO_PKGS
export DEBIAN_FRONTEND=noninteractive
mirror=$("$here/apt-mirror.sh")
src=/etc/apt/sources.list.d/rv-iommu-msi-bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	cat > "$src" <<EOS
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
fi
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PKGS
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends -t bookworm-backports $BPO_PKGS
qemu-system-riscv64 --version | head -n1
