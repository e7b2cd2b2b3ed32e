#!/usr/bin/env bash
# Regenerates the committed Python Thrift code (elves_thrift/) from protocol/src/main/thrift/elves.thrift.
# Needs Debian's thrift-compiler 0.17 (apt-get install thrift-compiler); the code is committed so a
# processor needs only python3-thrift, and ProcessorSdkCodeMatchesIdlTest checks it is current.
# The IDL names no Python namespace: the package thrift calls "elves" is renamed elves_thrift
# (its modules import each other relatively). The *-remote command-line clients are left out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
idl=$here/../../../../protocol/src/main/thrift/elves.thrift
out=${1:-$here}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
thrift --gen py -out "$tmp" "$idl"
rm -f "$tmp"/elves/*-remote
rm -rf "$out/elves_thrift"
mkdir -p "$out"
cp -r "$tmp/elves" "$out/elves_thrift"
