#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# selftest-setup.sh RESULTS: tools/fetch-base.sh and tools/mktree.sh as on
# a fresh machine: an empty cache (RVMSI_CACHE), a HOME and a system with
# no git identity, a project copy that is no git repository, and no
# network: the downloader is a stub (RVMSI_APT_FETCH) serving tiny fake
# packages built here, a linux-source-7.3 .deb holding a 3-file tree and a
# busybox-static .deb, the fake base pinned by RVMSI_TEST_BASE_SHA256.
# mktree.sh must then apply a one-patch series with git am.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
R=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
res() { if [ "$1" = 0 ]; then echo "PASS harness: $2" >> "$R"; else
	echo "FAIL harness: $2" >> "$R"; echo "not ok - harness: $2"; fi; }
cfg() { sed -n "s/^$1=//p" "$top/tools/config.sh"; }

# The project as a fresh clone has it: tools/ and patches/, no identity.
mkdir -p "$tmp/top/tools" "$tmp/top/patches" "$tmp/home" "$tmp/pkg"
cp "$top"/tools/*.sh "$tmp/top/tools/"
cat > "$tmp/top/patches/0001-hello-say-more.patch" <<'EOF'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Self Test <selftest@localhost>
Date: Thu, 1 Jan 2026 00:00:00 +0000
Subject: [PATCH] hello: say more

The harness self-test's one-patch series.

Signed-off-by: Self Test <selftest@localhost>
---
 hello.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/hello.c b/hello.c
--- a/hello.c
+++ b/hello.c
@@ -1 +1,2 @@
 int hello;
+int more;
EOF

# deb NAME VERSION ARCH DIR: build $tmp/pkg/NAME_VERSION_ARCH.deb from DIR
deb() {
	mkdir -p "$4/DEBIAN"
	printf 'Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: %s\nDescription: %s\n' \
		"$1" "$2" "$3" "selftest <selftest@localhost>" "harness self-test fake" \
		> "$4/DEBIAN/control"
	dpkg-deb --root-owner-group --build "$4" "$tmp/pkg/$1_$2_$3.deb" > /dev/null
}
src=$tmp/src/linux-source-7.3
mkdir -p "$src" "$tmp/base/usr/src" "$tmp/bb/usr/bin"
echo 'int hello;' > "$src/hello.c"
echo 'obj-y += hello.o' > "$src/Makefile"
echo 'a fake base tree' > "$src/README"
tar -cJf "$tmp/base/usr/src/linux-source-7.3.tar.xz" -C "$tmp/src" linux-source-7.3
deb linux-source-7.3 "$(cfg BASE_VERSION)" all "$tmp/base"
echo '#!/bin/sh' > "$tmp/bb/usr/bin/busybox"
deb busybox-static 1.0-1 riscv64 "$tmp/bb"
base=$tmp/pkg/$(cfg BASE_DEB)
[ -f "$base" ]
res $? "setup self-test: the fake base is named as tools/config.sh pins it"

# The stub downloader: apt-fetch.sh's arguments, no network.
cat > "$tmp/apt-fetch" <<EOF
#!/bin/sh
echo "\$*" >> "$tmp/fetches"
cp "$tmp/pkg/\${3%%=*}"_*.deb "\$4/"
EOF
chmod 755 "$tmp/apt-fetch"

# run CACHE SHA256 SCRIPT [ARGS]: a tool on a fresh machine
run() {
	c=$1 s=$2 t=$3; shift 3
	env -u GIT_AUTHOR_NAME -u GIT_AUTHOR_EMAIL -u GIT_COMMITTER_NAME \
		-u GIT_COMMITTER_EMAIL -u EMAIL -u GIT_CONFIG_GLOBAL -u RVMSI_OUT \
		HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" \
		GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES="$tmp" \
		RVMSI_CACHE="$c" RVMSI_TREE="$tmp/tree" RVMSI_APT_FETCH="$tmp/apt-fetch" \
		RVMSI_TEST_BASE_SHA256="$s" sh "$tmp/top/tools/$t" "$@" > "$tmp/log" 2>&1
	r=$?
	[ $r = 0 ] || sed 's/^/# /' "$tmp/log" | tail -n 5
	return $r
}
sha=$(sha256sum "$base" | cut -d' ' -f1)

run "$(mktemp -d "$tmp/cache.XXXX")" "$sha" fetch-base.sh &&
	[ "$(wc -l < "$tmp/fetches")" = 2 ]
res $? "setup self-test: fetch-base.sh fills an empty cache (base and busybox-static)"

c=$(mktemp -d "$tmp/cache.XXXX")
: > "$tmp/fetches"
run "$c" "$sha" fetch-base.sh && run "$c" "$sha" fetch-base.sh &&
	[ "$(wc -l < "$tmp/fetches")" = 2 ]
res $? "setup self-test: fetch-base.sh downloads nothing into a filled cache"

c=$(mktemp -d "$tmp/cache.XXXX")
! run "$c" "$(echo x | sha256sum | cut -d' ' -f1)" fetch-base.sh > /dev/null &&
	grep -q 'sha256 mismatch' "$tmp/log" && ! [ -e "$c/$(cfg BASE_DEB)" ]
res $? "setup self-test: fetch-base.sh refuses a base that does not match its pin"

run "$(mktemp -d "$tmp/cache.XXXX")" "$sha" mktree.sh &&
	[ "$(git -C "$tmp/tree" log -1 --format=%s)" = "hello: say more" ] &&
	[ "$(git -C "$tmp/tree" rev-list --count base..)" = 1 ] &&
	grep -qx 'int more;' "$tmp/tree/hello.c"
res $? "setup self-test: mktree.sh applies the series with git am, no git identity anywhere"

# Again on that tree: reset, not cloned, so that a file the series does
# not touch keeps its modification time (incremental builds); leftovers
# of the last run go, and the series is applied once.
c=$(mktemp -d "$tmp/cache.XXXX")
run "$c" "$sha" mktree.sh &&
	t0=$(stat -c %Y "$tmp/tree/README") && sleep 1 &&
	echo junk > "$tmp/tree/junk.c" &&
	run "$c" "$sha" mktree.sh &&
	[ "$(git -C "$tmp/tree" rev-list --count base..)" = 1 ] &&
	grep -qx 'int more;' "$tmp/tree/hello.c" && ! [ -e "$tmp/tree/junk.c" ] &&
	[ "$(stat -c %Y "$tmp/tree/README")" = "$t0" ] &&
	[ -z "$(git -C "$tmp/tree" status --porcelain)" ]
res $? "setup self-test: mktree.sh on its own tree again: untouched files keep their times, nothing left over"
exit 0
