#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The one-command demo: install what is missing, fetch the pinned base,
# apply patches/, build the kernel and the initramfs, boot the default
# profile and show what to look at. Shares out/ci with `make check`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RVMSI_OUT=${RVMSI_CI_OUT:-$(cd "$here/.." && pwd)/out/ci}
RVMSI_TREE=$RVMSI_OUT/tree
export RVMSI_OUT RVMSI_TREE
. "$here/config.sh"
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then
	sudo sh "$here/setup.sh"
else
	sh "$here/setup.sh"
fi
sh "$here/mktree.sh"
echo "demo: building the kernel (a few minutes the first time)"
sh "$here/build-kernel.sh" check base kunit > "$OUT/build-check.log" 2>&1 ||
	{ tail -n 30 "$OUT/build-check.log"; exit 1; }
sh "$here/mkinitramfs.sh"
sh "$TOP/tests/host/boot.sh" default -m demo -a kunit.enable=0 -l "$OUT/logs/demo.log" -T 300
sed -n '/=== Kernel/,$p' "$OUT/logs/demo.log" | tr -d '\r' | grep -v '^\[ *[0-9]*\.[0-9]*\] reboot\|^@@'
