#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# (Re)create build/: the base tree as a git repository (tag "base") with the
# series in patches/ applied on top by git am. Commits in the tree that are
# not in patches/ are lost (export them first: make export).
#   mktree.sh          recreate build/ and apply the series
#   mktree.sh --base   recreate build/ at the base only
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/config.sh"
sh "$here/fetch-base.sh"

basegit="$CACHE/base-$BASE_VERSION.git"
if [ ! -f "$basegit/.done" ]; then
	echo "mktree: importing the base tree into git (once)"
	rm -rf "$basegit" "$CACHE/unpack"
	mkdir -p "$CACHE/unpack"
	dpkg-deb --fsys-tarfile "$CACHE/$BASE_DEB" |
		tar -x -C "$CACHE/unpack" ./usr/src/linux-source-7.3.tar.xz
	mkdir -p "$basegit"
	tar -xJf "$CACHE/unpack/usr/src/linux-source-7.3.tar.xz" -C "$basegit" \
		--strip-components=1
	nfiles=$(cd "$basegit" && find . -type f -o -type l | wc -l)
	(
		cd "$basegit"
		git init -q -b master .
		git config core.autocrlf false
		# Debian's .gitignore ignores the top level: force-add every file.
		git add -A -f
		env $BASE_GIT_ENV git commit -q -m "Linux 7.3.4 (Debian linux-source-7.3 $BASE_VERSION)"
		git tag base
		nidx=$(git ls-files | wc -l)
		[ "$nidx" = "$nfiles" ] || {
			echo "mktree: imported $nidx of $nfiles files" >&2; exit 1; }
		git gc -q --auto
	)
	rm -rf "$CACHE/unpack"
	touch "$basegit/.done"
fi

# A tree already cloned from this base is reset instead of cloned again:
# only the files the series touches (and those it touched last time) get
# new modification times, so the object directories built from the tree
# stay incremental across runs. Anything else is cloned afresh.
if [ -d "$TREE/.git" ] &&
   [ "$(git -C "$TREE" rev-parse -q --verify 'base^{commit}' 2>/dev/null)" = \
     "$(git -C "$basegit" rev-parse 'base^{commit}')" ]; then
	cd "$TREE"
	git am --abort >/dev/null 2>&1 || true
	git checkout -q -f -B work base
	git clean -q -f -d -x
else
	rm -rf "$TREE"
	git clone -q --no-checkout "$basegit" "$TREE"
	cd "$TREE"
	git checkout -q -B work base
fi
git tag base base 2>/dev/null || true
# Commits made in build/ carry the project's identity; a machine without
# one (fresh CI, a new user) gets a fixed one so that git am works.
name=$(git -C "$TOP" config user.name || true)
email=$(git -C "$TOP" config user.email || true)
git config user.name "${name:-rv-iommu-msi}"
git config user.email "${email:-rv-iommu-msi@localhost}"
[ "${1:-}" = --base ] && exit 0
set -- "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch
if [ -e "$1" ]; then
	for p; do
		case $p in */0000-cover-letter.patch) continue ;; esac
		git am -q --keep-cr "$p" || {
			echo "mktree: $(basename "$p") does not apply" >&2
			git am --abort
			exit 1
		}
	done
fi
echo "mktree: $TREE at $(git describe --always --tags) ($(git rev-list --count base..) patches)"
