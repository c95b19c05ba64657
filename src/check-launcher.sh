#!/usr/bin/env bash
# Checks the launcher's stderr filter (run by src/test.sh): libtorch's NNPACK / AutoNonVariableTypeMode
# warnings are dropped, even when glued to a progress bar; everything else passes unchanged; and a progress
# bar's redraw, which has no newline, comes out at once rather than at the next full line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
filter=$(sed -n "/^stderr_filter='/,/^print STDERR \$b;'/p" "$here/nextscale" | sed "1s/^stderr_filter='//; \$s/'\$//")
[ -n "$filter" ] || { echo "check-launcher: no stderr_filter found in ./nextscale" >&2; exit 1; }
fail() { echo "check-launcher: $1" >&2; exit 1; }

got=$( { printf '\r[#..] 1/3'; sleep 0.2; printf '\r[##.] 2/3[W1125 10:48:20.35 NNPACK.cpp:57] Could not'; sleep 0.2
         printf ' initialize NNPACK! Reason: Unsupported hardware.\n'
         printf '[W1125 x LegacyTypeDispatch.h:74] Warning: AutoNonVariableTypeMode is deprecated\n\r[###] 3/3\n'
         printf 'nextscale: bad --n\n[Wow] not a warning\n['; sleep 0.2; printf 'x]\n'; } | perl -e "$filter" 2>&1 | od -An -c | tr -s ' \n' ' ')
want=$(printf '\r[#..] 1/3\r[##.] 2/3\r[###] 3/3\nnextscale: bad --n\n[Wow] not a warning\n[x]\n' | od -An -c | tr -s ' \n' ' ')
[ "$got" = "$want" ] || fail "filtered output differs:
 got: $got
want: $want"

# a redraw without newline must arrive while the writer is still running (grep would hold it for 3 s)
early=$( { printf '\r[#..] 1/3'; sleep 3; printf '\n'; } | perl -e "$filter" 2>&1 | timeout 1 cat || true)
[ "$early" = $'\r[#..] 1/3' ] || fail "a progress-bar redraw was held back (got '$early' within 1 s)"
echo "check-launcher: stderr filter ok"

# NEXTSCALE_TORCH (src/torch-env.sh): which libtorch the launcher hands DJL, checked with a dry run (no JVM, no build)
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
dry() { NEXTSCALE_DRY_RUN=1 "$here/nextscale" "$@"; }
out=$(dry info)
case "$out" in *"core/target/lib/*"*) ;; *) fail "default: the class path should hold the CPU natives (lib/*): $out" ;; esac
mk() {   # a pip-like PyTorch: site-packages/torch/{lib/libtorch.so,version.py}, site-packages/nvidia/cuda_runtime/lib
  mkdir -p "$t/$1/torch/lib" "$t/$1/nvidia/cuda_runtime/lib"; : > "$t/$1/torch/lib/libtorch.so"
  printf "__version__ = '%s'\n" "$2" > "$t/$1/torch/version.py"
  mkdir -p "$t/$1/core/target/lib"; printf '%s' "$t/$1/torch/lib"
}
lib=$(mk a 2.7.1+cu128)
out=$(NEXTSCALE_TORCH="$lib" dry info) || fail "a local PyTorch 2.7.1+cu128 folder was refused: $out"
for want in "PYTORCH_VERSION=2.7.1" "PYTORCH_FLAVOR=cu128" "PYTORCH_LIBRARY_PATH=$lib" "nvidia/cuda_runtime/lib" "-Djna.library.path=$lib"; do
  case "$out" in *"$want"*) ;; *) fail "local PyTorch: missing $want in: $out" ;; esac
done
case "$out" in *pytorch-native-cpu*|*"lib/*"*) fail "local PyTorch: the CPU natives are still on the class path: $out" ;; esac
lib=$(mk b 2.6.0+cu124)
if err=$(NEXTSCALE_TORCH="$lib" dry info 2>&1); then fail "PyTorch 2.6.0 without DJL's JNI for it was accepted"; fi
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "PyTorch 2.6.0: not one line: $err"
case "$err" in *"ships its JNI only for 2.7.1"*"0.36.0-libdjl_torch.so"*) ;; *) fail "PyTorch 2.6.0: unclear message: $err" ;; esac
: > "$lib/0.36.0-libdjl_torch.so"
out=$(NEXTSCALE_TORCH="$lib" dry info) || fail "PyTorch 2.6.0 with its JNI in place was refused: $out"
case "$out" in *"PYTORCH_VERSION=2.6.0"*"PYTORCH_FLAVOR=cu124"*) ;; *) fail "PyTorch 2.6.0: $out" ;; esac
out=$(NEXTSCALE_TORCH=download dry info)
case "$out" in *"PYTORCH_FLAVOR=cu128"*"-Dai.djl.offline=false"*) ;; *) fail "download: $out" ;; esac
case "$out" in *pytorch-native-cpu*|*"lib/*"*) fail "download: the CPU natives are still on the class path: $out" ;; esac
if err=$(NEXTSCALE_TORCH="$t/nowhere" dry info 2>&1); then fail "a folder without libtorch.so was accepted"; fi
case "$err" in *"holds no libtorch.so"*) ;; *) fail "bad folder: $err" ;; esac
echo "check-launcher: NEXTSCALE_TORCH settings ok"
# jemalloc only for training work: inference keeps glibc's lower peak (src/test.sh installs libjemalloc2)
jl=""
for f in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 /usr/lib64/libjemalloc.so.2; do
  [ -f "$f" ] && { jl="$f"; break; }
done
for c in "generate --n 1" "inpaint a.png --box 0,0,0.5,0.5 --out b.png" "bench --config d16" "bench --tiled 1024" "spark tokenize"; do
  out=$(dry $c)
  case "$out" in *"LD_PRELOAD="$'\n'*) ;; *) fail "inference ($c) should not preload jemalloc: $out" ;; esac
done
if [ -n "$jl" ]; then
  for c in "train" "train-tokenizer" "train-classifier" "bench" "bench --soak 20" "jupyter"; do
    out=$(dry $c)
    case "$out" in *"LD_PRELOAD=$jl"*) ;; *) fail "training work ($c) should preload jemalloc: $out" ;; esac
  done
  out=$(NEXTSCALE_JEMALLOC=0 dry train)
  case "$out" in *"LD_PRELOAD="$'\n'*) ;; *) fail "NEXTSCALE_JEMALLOC=0 should turn it off: $out" ;; esac
  echo "check-launcher: jemalloc for training work only ok"
else
  echo "check-launcher: libjemalloc2 is not installed here: only inference's glibc malloc was checked"
fi
# the Java heap: inference gets the serial collector with a small young generation (a lower, steadier peak);
# training, the kernel and Spark keep the default collector; a collector in NEXTSCALE_JAVA_OPTS wins
for c in "generate --n 1" "reconstruct a.png --out b.png" "bench --config d16"; do
  case "$(dry $c)" in *"-XX:+UseSerialGC"$'\n'"-Xmn16m"*) ;; *) fail "inference ($c) should run with -XX:+UseSerialGC -Xmn16m" ;; esac
done
for c in "train" "bench" "jupyter" "spark tokenize"; do
  case "$(dry $c)" in *UseSerialGC*|*-Xmn16m*) fail "$c should keep the JVM's default collector" ;; esac
done
out=$(NEXTSCALE_JAVA_OPTS="-XX:+UseG1GC" dry generate)
case "$out" in *UseSerialGC*) fail "a collector in NEXTSCALE_JAVA_OPTS should win: $out" ;; *"-XX:+UseG1GC"*) ;; *) fail "NEXTSCALE_JAVA_OPTS lost: $out" ;; esac
echo "check-launcher: inference heap settings ok"
