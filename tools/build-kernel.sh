#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# build-kernel.sh NAME FRAGMENT... [-- MAKE-ARGS...]
# Configure tinyconfig + the kconfig/ fragments into out/NAME (out-of-tree,
# ccache) from build/, check every requested option took effect, then build
# Image (or the given make targets). By default (no targets given, and
# RVMSI_KMOD not 0) it also builds the harness's test module, tests/kmod,
# into out/NAME/rvmsi-kmod.cpio.gz, an initramfs part that boot.sh appends.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/config.sh"
name=$1; shift
frags=""
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	frags="$frags $TOP/kconfig/$1.config"; shift
done
[ "${1:-}" = -- ] && shift
kmod=0
[ $# = 0 ] && [ "${RVMSI_KMOD:-1}" != 0 ] && kmod=1
targets=${*:-Image}
[ $kmod = 1 ] && targets="Image modules"
obj="$OUT/$name"
mkdir -p "$obj"
rm -f "$obj/rvmsi-kmod.cpio.gz"
jobs=${JOBS:-$(nproc)}
export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=rvmsi KBUILD_BUILD_HOST=rvmsi
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Relative paths in the ccache hash: hits across clones and trees.
export CCACHE_BASEDIR=$TOP
cc="ccache ${CROSS_COMPILE}gcc"
command -v ccache >/dev/null || cc="${CROSS_COMPILE}gcc"

mk() { make -C "$TREE" O="$obj" CC="$cc" -j"$jobs" "$@"; }

mk tinyconfig >/dev/null
# shellcheck disable=SC2086
KCONFIG_CONFIG="$obj/.config" "$TREE/scripts/kconfig/merge_config.sh" -m \
	-O "$obj" "$obj/.config" $frags >/dev/null
mk olddefconfig >/dev/null
bad=0
# The last fragment that sets an option wins, as in merge_config.sh.
# shellcheck disable=SC2086
for opt in $(grep -h '^CONFIG_' $frags |
	awk -F= '{ v[$1] = $0; if (!($1 in o)) o[$1] = n++ }
		END { for (k in v) print o[k], v[k] }' | sort -n | cut -d' ' -f2); do
	key=${opt%%=*} val=${opt#*=}
	if [ "$val" = n ]; then
		grep -q "^$key=" "$obj/.config" && { echo "config: $key is set, wanted n"; bad=1; }
	else
		grep -qx "$opt" "$obj/.config" || { echo "config: $opt did not take effect"; bad=1; }
	fi
done
[ $bad = 0 ] || [ "${RVMSI_CONFIG_LENIENT:-0}" = 1 ] || exit 1
# shellcheck disable=SC2086
mk $targets
if [ $kmod = 1 ] && grep -q '^CONFIG_MODULES=y' "$obj/.config"; then
	# From scratch: kbuild does not rebuild an external module's
	# .mod.o when the kernel's configuration changes struct module
	# (e.g. tracing), and the kernel then refuses to load it.
	rm -rf "$obj/kmod"
	mk M="$TOP/tests/kmod" MO="$obj/kmod" modules
	rm -rf "$obj/kmod-root"
	mkdir -p "$obj/kmod-root/lib/modules"
	cp "$obj"/kmod/*.ko "$obj/kmod-root/lib/modules/"
	# Kernel parts built as modules (the distro profile) go in too, with
	# modules.dep, for the initramfs to modprobe.
	if grep -q '=m$' "$obj/.config"; then
		mk INSTALL_MOD_PATH="$obj/kmod-root" INSTALL_MOD_STRIP=1 modules_install >/dev/null
		targets="$targets + modules_install"
	fi
	(cd "$obj/kmod-root" && find . | sort | cpio -o -H newc --quiet | gzip -9n) \
		> "$obj/rvmsi-kmod.cpio.gz"
	targets="$targets + tests/kmod"
fi
echo "build-kernel: $name: $targets OK"
