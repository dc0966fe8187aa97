#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - tests/demo.sh: the main jobs on a built-in example (make demo)
#
# Each step is one user job of README.md, run on files made here: a fake
# /etc, a hidden file, a copy-on-write tree, a chroot-style root of busybox,
# another clock, a private network stack, a trace.  Any step that fails
# stops the demo with its status (set -e).
set -e
: "${FACET:=build/bin/facet}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
facet() { "$FACET" "$@"; }

# a test suite's own /etc: the host's, with one more host name
mkdir "$tmp/etc"
for f in hosts passwd group nsswitch.conf; do
	[ -r "/etc/$f" ] && cp "/etc/$f" "$tmp/etc/"
done
echo "10.0.0.7 db.test" >> "$tmp/etc/hosts"
echo "demo-host" > "$tmp/etc/hostname"
echo "a secret" > "$tmp/secret"
mkdir "$tmp/proj"
echo "original" > "$tmp/proj/file"
mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/etc"
cp /bin/busybox "$tmp/rootfs/bin/busybox"
ln -s busybox "$tmp/rootfs/bin/sh"
echo 'PRETTY_NAME="a busybox root made by make demo"' > "$tmp/rootfs/etc/os-release"
cd "$tmp"

say "getent hosts db.test; cat /etc/hostname          # the host's view"
getent hosts db.test || echo "(no db.test)"
cat /etc/hostname
say "facet run --bind ./etc:/etc -- sh -c 'getent hosts db.test; cat /etc/hostname'"
facet run --bind ./etc:/etc -- sh -c 'getent hosts db.test; cat /etc/hostname'

say "facet run --hide ./secret -- cat ./secret"
facet run --hide ./secret -- cat ./secret || true

say "facet run --cow ./proj -- sh -c 'echo changed > proj/file; cat proj/file'"
facet run --cow ./proj -- sh -c 'echo changed > proj/file; cat proj/file'
say "cat proj/file                                     # the host's tree is unchanged"
cat proj/file

say "facet run --root ./rootfs -- /bin/sh -c '. /etc/os-release; echo \$PRETTY_NAME; ls /'"
facet run --root ./rootfs -- /bin/sh -c '. /etc/os-release; echo $PRETTY_NAME; ls /'

say "facet run --time '@2038-01-19 03:14:00' -- date     # another clock"
facet run --time '@2038-01-19 03:14:00' -- date

say "facet run --net private -- ip -brief addr         # a private network stack"
facet run --net private -- ip -brief addr

say "LC_ALL=C facet trace -e trace=%file -- cat /etc/hostname  # the calls it made, as strace"
LC_ALL=C facet trace -e trace=%file -- cat /etc/hostname

say "facet modules"
facet modules | grep -v '^ '
