#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build out/initramfs.cpio.gz: busybox (riscv64, from Debian), /init, the
# in-guest tests (shell scripts and static C programs built against the
# UAPI headers of build/) and the demo.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/config.sh"
sh "$here/fetch-base.sh"
root=$OUT/initramfs
rm -rf "$root"
mkdir -p "$root/bin" "$root/sbin" "$root/proc" "$root/sys" "$root/dev" \
	"$root/tmp" "$root/tests/selftest" "$root/usr/bin" "$root/usr/sbin"
deb=$(ls "$CACHE"/busybox-static_*_riscv64.deb | tail -n1)
dpkg-deb --fsys-tarfile "$deb" | tar -x -O ./usr/bin/busybox > "$root/bin/busybox"
chmod 755 "$root/bin/busybox"

# UAPI headers of the patched tree (linux/vfio.h, linux/iommufd.h, ...)
hdr=$OUT/headers
make -s -C "$TREE" O="$OUT/headers-build" INSTALL_HDR_PATH="$hdr" headers_install

# The series' KVM selftests (static), as /tests/kvm/NAME: the in-guest
# tests that wrap them run them. Only the ones named here are built (some
# others of the suite do not build for riscv64 with Debian's gcc 12).
kst=$TREE/tools/testing/selftests/kvm
mkdir -p "$root/tests/kvm"
for t in riscv/aia_irqfd_test riscv/aia_vfio_post_test; do
	[ -f "$kst/$t.c" ] || continue
	make -s -C "$kst" OUTPUT="$OUT/kvm-selftests" KHDR_INCLUDES="-isystem $hdr/include" \
		EXTRA_CFLAGS=-static LDFLAGS=-static "$OUT/kvm-selftests/$t"
	install -m 755 "$OUT/kvm-selftests/$t" "$root/tests/kvm/${t##*/}"
done

g=$TOP/tests/guest
install -m 755 "$g/init" "$root/init"
install -m 755 "$g/run-all" "$root/tests/run-all"
install -m 644 "$g/lib.sh" "$root/tests/lib.sh"
install -m 755 "$g/demo.sh" "$root/demo.sh"
for s in "$g"/*.t.sh "$g"/selftest/*.t.sh; do
	rel=${s#"$g"/}
	install -m 755 "$s" "$root/tests/${rel%.sh}"
done
for s in "$TOP"/bench/*.t.sh; do
	n=$(basename "$s" .sh)
	install -m 755 "$s" "$root/tests/$n"
done
for c in "$g"/*.c "$TOP"/bench/*.c; do
	n=$(basename "$c" .c)
	${CROSS_COMPILE}gcc -static -O2 -Wall -Wextra -Werror -I"$hdr/include" -I"$g" \
		-o "$root/tests/$n.t" "$c"
done
(cd "$root" && find . | sort | cpio -o -H newc --quiet | gzip -9n) > "$OUT/initramfs.cpio.gz.tmp"
mv "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
echo "mkinitramfs: $OUT/initramfs.cpio.gz ($(ls "$root/tests" | grep -c '\.t$') tests)"
