#!/usr/bin/env bash
# Assembles the GPU check kit in DIR (at most 60 MiB): a Java runtime made with jlink (gzipped), the project's jars
# without the CPU natives, the shipped model, the parity sets and check.sh. On a machine with an NVIDIA GPU, a CUDA
# libtorch folder and a DJL JNI library built for it, `DIR/check.sh` runs the GPU checks and writes one JSON report
# (docs/gpu.md). Needs the project built (any ./nextscale command, or mvn package).
# Usage: src/gpu/kit.sh DIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ $# -eq 1 ] || { echo "usage: src/gpu/kit.sh DIR" >&2; exit 2; }
out="$1"
core="$here/core/target/nextscale-core.jar"
[ -f "$core" ] || { echo "kit: $core is missing: build first (./nextscale help, or mvn -q -DskipTests package)" >&2; exit 1; }
parity="$here/parity"
[ -d "$parity" ] || { echo "kit: the parity sets are missing: $parity (part of the repository)" >&2; exit 1; }
[ ! -e "$out" ] || [ -z "$(ls -A "$out")" ] || { echo "kit: $out exists and is not empty: give a new folder" >&2; exit 1; }
mkdir -p "$out/jars" "$out/models"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# the runtime: the modules the tool, DJL and JNA use; JNI headers kept (include/) for building DJL's JNI there
jlink --add-modules java.base,java.desktop,java.logging,java.management,jdk.unsupported,java.sql,java.compiler \
  --strip-debug --no-man-pages --compress=0 --output "$work/runtime"   # uncompressed inside: gzip of the whole packs it smaller
tar -C "$work" -czf "$out/runtime.tar.gz" runtime

cp "$core" "$out/jars/"
for f in "$here/core/target/lib"/*.jar; do
  case "$(basename "$f")" in pytorch-native-cpu-*) ;; *) cp "$f" "$out/jars/" ;; esac
done
cp "$here/models/fashion-mnist.zip" "$out/models/"
tar -C "$parity/.." --exclude="*.pth" -czf "$out/parity.tar.gz" parity   # verify reads the safetensors; the .pth copies are for the reader's own tests
cp "$here/src/torch-env.sh" "$here/src/gpu/check.sh" "$here/src/gpu/reference.py" "$out/"
chmod +x "$out/check.sh"
size=$(du -sb "$out" | cut -f1)
limit=$((60 * 1024 * 1024))
printf 'kit: %s holds %.1f MiB (limit 60 MiB): runtime.tar.gz, %d jars, models/fashion-mnist.zip, parity.tar.gz, check.sh\n' \
  "$out" "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')" "$(ls "$out/jars" | wc -l)"
[ "$size" -le "$limit" ] || { echo "kit: over the 60 MiB limit" >&2; exit 1; }
