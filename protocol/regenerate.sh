#!/usr/bin/env bash
# Regenerates the committed Thrift Java code in src/generated/java from src/main/thrift/elves.thrift and center.thrift.
# Needs Debian's thrift-compiler 0.17 (apt-get install thrift-compiler); the generated code is
# committed so that a build needs no compiler, and ThriftCodeMatchesIdlTest checks it is current.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/src/generated/java}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for idl in elves center; do
  thrift --gen java:generated_annotations=suppress -out "$tmp" "$here/src/main/thrift/$idl.thrift"
done
rm -rf "$out/org/elves/protocol/thrift"
mkdir -p "$out/org/elves/protocol"
cp -r "$tmp/org/elves/protocol/thrift" "$out/org/elves/protocol/"
