#!/bin/sh
# Install the Debian packages gkrcnn needs, only those that are missing.
# Usage: scripts/deps.sh PACKAGE...   (called by the Makefile)
set -e
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "gkrcnn: installing missing packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "gkrcnn: need root (or sudo) to install:$missing" >&2; exit 2
    fi
fi
export DEBIAN_FRONTEND=noninteractive
${SUDO:-} apt-get update -qq || true
${SUDO:-} apt-get install -y -qq --no-install-recommends $missing
