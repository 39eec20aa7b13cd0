#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages Rampart needs to build, test and run, when they are missing.
# Idempotent: with everything present it only checks (dpkg-query) and prints nothing else.
# Works as root with nothing else set up; as another user it uses sudo if there is one, and
# otherwise prints the apt-get command to run. Network: Debian's package mirror only.
set -eu

# Build toolchain and libraries (DESIGN.md §12). Keep sorted; one package per line.
PKGS="
awscli
ca-certificates
clang-format
cmake
g++
gcc
jq
libarchive-dev
libcmocka-dev
libcurl4-openssl-dev
libdeflate-dev
libedit-dev
libpcre2-dev
libpoppler-glib-dev
libpq-dev
librpm-dev
libsimdjson-dev
libsqlite3-dev
libxml2-dev
libssl-dev
libxxhash-dev
libyaml-dev
libzstd-dev
make
openssl
pkg-config
postgresql
ripgrep
sqlite3
zip
zlib1g-dev
"

# Hyperscan exists for x86-64 only; elsewhere rp_re runs PCRE2 alone.
if [ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ]; then
    PKGS="$PKGS libhyperscan-dev"
fi

missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in
        "install ok installed") ;;
        *) missing="$missing $p" ;;
    esac
done

[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: not root and no sudo; run as root: apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
echo "install-deps: done"
