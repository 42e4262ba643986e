#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# apt-fetch.sh SUITE ARCH PACKAGE[=VERSION] DESTDIR
# ARCH "all" is for architecture-independent packages.
# Download one .deb from another Debian suite without installing it and
# without touching the system's apt configuration: a private sources list
# and private package lists under DESTDIR/.apt.
set -eu
suite=$1 arch=$2 pkg=$3 dest=$4
name=${pkg%%=*}
ver=
case $pkg in *=*) ver="=${pkg#*=}" ;; esac
if [ "$arch" = all ]; then
	arch=$(dpkg --print-architecture)
	spec="$name$ver"
else
	spec="$name:$arch$ver"
fi
here=$(cd "$(dirname "$0")" && pwd)
mirror=$("$here/apt-mirror.sh")
priv="$dest/.apt/$suite-$arch"
mkdir -p "$priv/lists/partial" "$priv/archives/partial" "$priv/parts"
cat > "$priv/sources.list" <<EOS
deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main
EOS
opts="-o Dir::Etc::sourcelist=$priv/sources.list -o Dir::Etc::sourceparts=$priv/parts
 -o Dir::State::Lists=$priv/lists -o Dir::Cache::archives=$priv/archives
 -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
 -o APT::Architectures::=$arch -o Debug::NoLocking=1 -q"
# shellcheck disable=SC2086
apt-get $opts update >/dev/null
cd "$dest"
# shellcheck disable=SC2086
apt-get $opts download "$spec" >/dev/null
