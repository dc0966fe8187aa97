#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - tests/demo.sh: the main job on a built-in example (make demo)
set -e
: "${FACET:=build/bin/facet}"
: "${FACET_BUILD:=build}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "a-hostname-only-this-command-sees" > "$tmp/hostname"

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say "cat /etc/hostname                       # the host's view"
cat /etc/hostname
say "facet run -m testmod.so:rewrite=/etc/hostname>$tmp/hostname -- cat /etc/hostname"
"$FACET" run -m "$FACET_BUILD/tests/modules/testmod.so:rewrite=/etc/hostname>$tmp/hostname" -- cat /etc/hostname
say "facet run -m testmod.so:nodename=in-a-view -- uname -n"
"$FACET" run -m "$FACET_BUILD/tests/modules/testmod.so:nodename=in-a-view" -- uname -n
say "facet run -m testmod.so:deny=mkdir -- mkdir $tmp/d     # denied in the view"
"$FACET" run -m "$FACET_BUILD/tests/modules/testmod.so:deny=mkdir" -- mkdir "$tmp/d" || true
say "facet run --time '@2038-01-19 03:14:00' -- date     # another clock"
"$FACET" run --time '@2038-01-19 03:14:00' -- date
say "facet run --net private -- ip -brief addr      # a private network stack"
"$FACET" run --net private -- ip -brief addr
say "facet modules"
"$FACET" modules
