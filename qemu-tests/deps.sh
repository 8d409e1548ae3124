#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what nicdrv needs on Debian 12 and fetch the guest kernel.
#
# - Debian packages: installed only when missing (one dpkg-query call).
# - Guest kernel: Debian's linux-image-<abi>-amd64 whose ABI matches the
#   installed linux-headers-amd64, unpacked with dpkg -x under build/kernel/
#   and never installed on the host.  The ABI moves with security updates,
#   so it is read from the headers package each time, never hard-coded.
# - linux-source-6.1 for 6.1 kernels built from source; the newer series
#   come with qemu-tests/kernel/source when a test needs them.
#
# Writes build/kver (the guest kernel release).  A second run installs
# nothing and returns in a few seconds.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
mkdir -p "$build"

pkgs=(qemu-system-x86 linux-headers-amd64 linux-source-6.1 busybox-static
      iproute2 ethtool iperf3 iputils-ping tcpdump socat cpio kmod gcc make
      bc sparse libpcap-dev python3 xz-utils flex bison libelf-dev
      perl git tshark gnuplot-nox util-linux dkms clang libbpf-dev libxdp-dev
      xdp-tools)
				# checkpatch needs perl-modules; lint lists files
				# with git; tshark reads nicdrv-cap's files;
				# gnuplot plots make bench's ratios; util-linux
				# (essential, listed for setpriv in the guest);
				# dkms: the DKMS package's build test;
				# clang and libbpf-dev build the XDP
				# programs, libxdp-dev nicdrv-xsk;
				# xdp-tools runs XDP in the guest

say() { echo "deps: $*" >&2; }

# apt's own progress, one short line per package fetched and set up, so
# that a first run (2-3 minutes on a fresh machine) shows it is going on
apt_install() {
	say "installing $# packages: $*"
	if [ -z "${apt_updated:-}" ]; then
		say "apt-get update"
		apt-get update -qq
		apt_updated=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y \
		-o Dpkg::Use-Pty=0 --no-install-recommends "$@" 2>&1 |
		awk '/^Get:/ { printf "deps: fetched %s %s\n", $5, $7; fflush() }
		     /^Setting up / { printf "deps: set up %s\n", $3; fflush() }
		     /^(E|W): / { print; fflush() }' >&2
	return "${PIPESTATUS[0]}"
}

if [ "$(id -u)" != 0 ]; then
	say "run as root: packages are installed and the tests create network namespaces"
	exit 1
fi

# dpkg-query fails for packages it has never seen: those count as missing
installed=$( (dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${pkgs[@]}" \
	2>/dev/null || true) | awk '$2 ~ /^ii/ { print $1 }')
missing=()
for p in "${pkgs[@]}"; do
	grep -qx "$p" <<<"$installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# The ABI the headers metapackage points at, e.g. 6.1.0-56-amd64
resolve_kver() {
	dpkg-query -W -f='${Depends}' linux-headers-amd64 |
		sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p'
}

fetch_image() {
	local kver=$1 ver dir tmp
	ver=$(dpkg-query -W -f='${Version}' "linux-headers-$kver")
	dir=$build/kernel/$kver
	tmp=$(mktemp -d "$build/dl.XXXXXX")
	say "fetching linux-image-$kver ($ver)"
	if ! (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root \
		"linux-image-$kver=$ver" >/dev/null 2>&1); then
		rm -rf "$tmp"
		return 1
	fi
	# errexit is off inside 'if !': every step checks for itself
	mkdir -p "$build/kernel" && rm -rf "$dir.new" &&
		dpkg -x "$tmp"/linux-image-*.deb "$dir.new" &&
		rm -rf "$tmp" "$dir" && mv "$dir.new" "$dir" ||
		{ say "cannot unpack linux-image-$kver"; exit 1; }
}

kver=$(resolve_kver)
if [ ! -f "$build/kernel/$kver/boot/vmlinuz-$kver" ]; then
	if ! fetch_image "$kver"; then
		# The archive moved to a newer ABI: follow it, headers first
		say "linux-image-$kver is gone from the archive; upgrading headers"
		apt-get update -qq
		apt_updated=1
		apt_install linux-headers-amd64
		kver=$(resolve_kver)
		fetch_image "$kver"
	fi
fi
echo "$kver" >"$build/kver.new"
mv "$build/kver.new" "$build/kver"
