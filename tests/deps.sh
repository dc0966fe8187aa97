#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - tests/deps.sh: install the Debian packages given, if missing
#
# As root, missing packages are installed with apt-get; otherwise the exact
# command is printed and the script fails.
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "facet: missing packages:$missing" >&2
	echo "facet: install them with: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "facet: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || exit 1
apt-get install -y -qq --no-install-recommends $missing >&2
