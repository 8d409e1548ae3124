# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# A private apt state under the cache (NICDRV_CACHE, default
# /var/cache/nicdrv) that lists Debian 13, unstable and experimental, and
# the sources of unstable and Debian 12: the newer kernels
# (qemu-tests/kernel/source), a newer sparse (qemu-tests/kernel/sparse)
# and the QEMU plugin header (bench/plugin/header) come from there.  The host's own
# apt sources and state are never touched.  Sourced, not run:
#   nd_apt ARGS...       apt-get in that state
#   nd_apt_cache ARGS... apt-cache in that state
# The package lists are refreshed when over 6 hours old.  Sourcing takes
# the state's lock (fd 9), held until the caller exits: one user at a time.

cache=${NICDRV_CACHE:-/var/cache/nicdrv}
state=$cache/apt
mkdir -p "$state/lists/partial" "$state/archives/partial"
# One user of the state at a time (CI builds kernels while lint runs)
exec 9>"$state/lock"
flock 9
cat >"$state/suites.sources.new" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie sid experimental
Components: main
Architectures: amd64
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian
Suites: sid bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$state"
	  -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state"
	  -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
	  -o Dir::State::status=/dev/null -o APT::Sandbox::User=root
	  -o Debug::NoLocking=1)
nd_apt() { apt-get "${apt_opts[@]}" "$@"; }
nd_apt_cache() { apt-cache "${apt_opts[@]}" "$@"; }

if ! cmp -s "$state/suites.sources.new" "$state/suites.sources"; then
	mv "$state/suites.sources.new" "$state/suites.sources"
	rm -f "$state/lists/updated"
fi
rm -f "$state/suites.sources.new"
if [ -z "$(find "$state/lists/updated" -mmin -360 2>/dev/null)" ]; then
	echo "apt: update (Debian 13, unstable, experimental; private state)" >&2
	nd_apt update -qq >/dev/null
	touch "$state/lists/updated"
fi
