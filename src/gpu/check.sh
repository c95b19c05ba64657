#!/usr/bin/env bash
# The GPU check of the kit (src/gpu/kit.sh, docs/gpu.md): on a bare machine with an NVIDIA GPU, a CUDA libtorch folder
# and a DJL JNI library built for that PyTorch, prints the versions and the GPU, then runs each check under a timeout
# and writes one JSON report: parity on the GPU, generate, 50 steps of tokenizer and transformer training at config-B
# size, bench config B and bench --config d16, and, given the reference code, the reference on the same card.
#
# Usage: ./check.sh [--torch DIR] [--jni FILE] [--reference DIR] [--device gpu|gpu:N|cpu] [--out FILE]
#   --torch DIR      the libtorch folder (default: $PYTORCH_LIBRARY_PATH, else python3's torch/lib)
#   --jni FILE       DJL 0.36.0's libdjl_torch.so built for that PyTorch (default: as DJL finds it: DIR/0.36.0-libdjl_torch.so,
#                    then $DJL_CACHE_DIR/pytorch/VERSION-FLAVOR-linux-x86_64/; for PyTorch 2.7.1 the kit's jar has it)
#   --reference DIR  a checkout of FoundationVision/VAR: also time it with this machine's PyTorch (python3) on the same card
#   --device         where the checks run (default gpu; cpu checks the kit itself on any machine)
#   --out FILE       the JSON report (default: ./gpu-report.json)
#   --quick          only versions, parity and generate (what the project's own test runs on the CPU)
# Parity runs with NVIDIA_TF32_OVERRIDE=0: with TF32 (10-bit mantissa) convolutions and products differ from float32
# by ~1e-3 relative, ten times the parity tolerance (1e-4 * max(1, max|reference|)), and a flipped near-tie token then
# changes every later scale; in float32 the CPU's tolerances hold. The speed runs keep the engine's defaults.
set -uo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
torch="${PYTORCH_LIBRARY_PATH:-}" jni="" reference="" device=gpu report="$PWD/gpu-report.json" quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --torch) torch="$2"; shift 2 ;;
    --jni) jni="$2"; shift 2 ;;
    --reference) reference="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --out) report="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "check: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
work="$kit/work"
mkdir -p "$work"
[ -x "$work/runtime/bin/java" ] || tar -C "$work" -xzf "$kit/runtime.tar.gz"
[ -d "$work/parity" ] || tar -C "$work" -xzf "$kit/parity.tar.gz"
export DJL_CACHE_DIR="$work/djl" OMP_WAIT_POLICY=PASSIVE
mkdir -p "$DJL_CACHE_DIR"
if [ -z "$torch" ] && command -v python3 >/dev/null; then
  torch=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null || true)
fi
[ -n "$torch" ] || { echo "check: no libtorch folder: give --torch DIR (a PyTorch's torch/lib)" >&2; exit 1; }
if [ -n "$jni" ]; then                                 # where DJL looks for a JNI of another PyTorch version
  ver=$(sed -n "s/^__version__ *= *['\"]\([^'\"]*\)['\"].*/\1/p" "$torch/../version.py" 2>/dev/null | head -n 1)
  ver="${ver:-${PYTORCH_VERSION:-}}"
  base="${ver%%+*}" flavor="${ver#*+}"; [ "$flavor" = "$ver" ] && flavor=cpu
  mkdir -p "$DJL_CACHE_DIR/pytorch/$base-$flavor-linux-x86_64"
  cp "$jni" "$DJL_CACHE_DIR/pytorch/$base-$flavor-linux-x86_64/0.36.0-libdjl_torch.so"
fi
. "$kit/torch-env.sh"
NEXTSCALE_TORCH="$torch" nextscale_torch_env || exit 1
java="$work/runtime/bin/java"
ns=("$java" -Dai.djl.offline=true -Djava.awt.headless=true -Dai.djl.pytorch.num_interop_threads=1 "${torch_jvm[@]}"
    -Dnextscale.home="$kit" -cp "$kit/jars/*" org.nextscale.core.cli.Main)

json() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/\r//g' | awk 'BEGIN { ORS = "" } { if (NR > 1) print "\\n"; print }'; }
steps=()
step() {   # NAME SECONDS COMMAND...: runs it under a timeout, prints its output, records rc, time and output's tail
  local name="$1" limit="$2"; shift 2
  echo "== $name"
  local t0=$(date +%s.%N) rc
  timeout "$limit" "$@" > "$work/$name.out" 2>&1; rc=$?
  local secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  grep -v 'NNPACK\|AutoNonVariableTypeMode' "$work/$name.out" | tail -n 40 | tee "$work/$name.tail"
  echo "   -> exit $rc in $secs s"
  steps+=("{\"step\": \"$name\", \"exit\": $rc, \"seconds\": $secs, \"timed_out\": $([ $rc = 124 ] && echo true || echo false), \"output\": \"$(json < "$work/$name.tail")\"}")
}

step versions 60 bash -c '"$0" -version 2>&1; command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; "$0" "$@" info' "$java" "${ns[@]:1}"
for set in "$work"/parity/*/; do
  step "verify-$(basename "$set")" 120 env NVIDIA_TF32_OVERRIDE=0 "${ns[@]}" verify "$set" --device "$device"
done
step generate 60 "${ns[@]}" generate --device "$device" --class 7 --n 8 --out "$work/generated"
data="$work/data"
[ "$quick" = 1 ] && reference="" && data=""
[ -n "$data" ] && rm -rf "$data"
if [ -n "$data" ]; then
for c in 0 1 2 3 4 5 6 7 8 9; do              # training images, made by the shipped model (the kit has no data set)
  "${ns[@]}" generate --device "$device" --class "$c" --n 32 --out "$data/class-$c" > /dev/null 2>&1
done
step train-tokenizer 120 "${ns[@]}" train-tokenizer --device "$device" --data "$data" --steps 50 --batch 64 --ch 64 --checkpoint-every 0 --out "$work/tokenizer.zip"
step train-transformer 120 "${ns[@]}" train --device "$device" --data "$data" --tokenizer "$work/tokenizer.zip" --steps 50 --batch 64 --depth 6 --width 384 --heads 6 --checkpoint-every 0 --out "$work/var.zip"
step bench-config-b 240 "${ns[@]}" bench --device "$device" --json --reps 3 --warmup 1 --no-compare
step bench-d16 300 "${ns[@]}" bench --config d16 --device "$device" --json --no-raster --reps 2 --warmup 1
fi
if [ -n "$reference" ]; then
  step reference 300 python3 "$kit/reference.py" --var "$reference" --device "$([ "$device" = cpu ] && echo cpu || echo cuda)"
fi
{
  printf '{\n  "kit": "nextscale GPU check", "date": "%s", "device": "%s", "torch": "%s",\n  "steps": [\n' "$(date -u +%FT%TZ)" "$device" "$torch"
  for i in "${!steps[@]}"; do printf '    %s%s\n' "${steps[$i]}" "$([ "$i" -lt $((${#steps[@]} - 1)) ] && echo ,)"; done
  printf '  ]\n}\n'
} > "$report"
echo "check: wrote $report"
