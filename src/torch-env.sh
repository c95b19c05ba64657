# NEXTSCALE_TORCH: which libtorch DJL runs on. Sourced by ./nextscale and by the GPU kit's check.sh (docs/gpu.md).
#   cpu (or unset)  the CPU build packaged in pytorch-native-cpu, offline (the default)
#   download        DJL fetches its CUDA 12.8 libtorch for PyTorch 2.7.1 into $DJL_CACHE_DIR on first use (needs a
#                   network; the pytorch-jni jar already holds the cu128 JNI)
#   DIR             a local libtorch folder, e.g. a pip PyTorch's site-packages/torch/lib: nothing is downloaded or
#                   compiled for PyTorch 2.7.1; another version needs DJL's JNI built for it in DIR/0.36.0-libdjl_torch.so
# nextscale_torch_env sets torch_drop_cpu_jar (1: leave pytorch-native-cpu off the class path) and torch_jvm (JVM
# options), exports PYTORCH_VERSION, PYTORCH_FLAVOR, PYTORCH_LIBRARY_PATH and LD_LIBRARY_PATH, and returns 1 with one
# line on stderr when the setting cannot work.
NEXTSCALE_DJL_VERSION=0.36.0
NEXTSCALE_TORCH_VERSION=2.7.1

nextscale_torch_env() {
  torch_drop_cpu_jar=0
  torch_jvm=()
  case "${NEXTSCALE_TORCH:-cpu}" in
    cpu|"") return 0 ;;
    download)
      export PYTORCH_VERSION="$NEXTSCALE_TORCH_VERSION" PYTORCH_FLAVOR=cu128
      torch_drop_cpu_jar=1
      torch_jvm=(-Dai.djl.offline=false)
      return 0 ;;
  esac
  local dir="$NEXTSCALE_TORCH"
  if [ ! -f "$dir/libtorch.so" ]; then
    echo "nextscale: NEXTSCALE_TORCH=$dir holds no libtorch.so: give a PyTorch's torch/lib folder, 'download' or 'cpu' (docs/gpu.md)" >&2
    return 1
  fi
  dir="$(cd "$dir" && pwd)"
  local ver
  ver=$(sed -n "s/^__version__ *= *['\"]\([^'\"]*\)['\"].*/\1/p" "$dir/../version.py" 2>/dev/null | head -n 1)
  [ -n "$ver" ] || ver="${PYTORCH_VERSION:-}"
  if [ -z "$ver" ]; then
    echo "nextscale: cannot tell which PyTorch $dir is (no ../version.py): set PYTORCH_VERSION, e.g. PYTORCH_VERSION=2.7.1+cu128" >&2
    return 1
  fi
  local base="${ver%%+*}" flavor="${ver#*+}"
  [ "$flavor" = "$ver" ] && flavor=cpu
  if [ "$base" != "$NEXTSCALE_TORCH_VERSION" ]; then
    local jni="$dir/$NEXTSCALE_DJL_VERSION-libdjl_torch.so"
    local cached="${DJL_CACHE_DIR:-$HOME/.djl.ai}/pytorch/$base-$flavor-linux-x86_64/$NEXTSCALE_DJL_VERSION-libdjl_torch.so"
    if [ ! -f "$jni" ] && [ ! -f "$cached" ]; then
      echo "nextscale: $dir is PyTorch $ver, and DJL $NEXTSCALE_DJL_VERSION ships its JNI only for $NEXTSCALE_TORCH_VERSION: build DJL's JNI (libdjl_torch.so) for $base and put it at $jni (docs/gpu.md), or use PyTorch $NEXTSCALE_TORCH_VERSION" >&2
      return 1
    fi
  fi
  local libs="$dir" d
  for d in "$dir"/../../nvidia/*/lib; do [ -d "$d" ] && libs="$libs:$(cd "$d" && pwd)"; done
  export PYTORCH_LIBRARY_PATH="$dir" PYTORCH_VERSION="$base" PYTORCH_FLAVOR="$flavor"
  export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  torch_drop_cpu_jar=1
  torch_jvm=(-Djna.library.path="$libs")
}

# The class path of a jar and its lib/ folder, without the CPU natives when torch_drop_cpu_jar is 1.
nextscale_class_path() {
  local jar="$1" lib="$2" cp="$1" f
  if [ "${torch_drop_cpu_jar:-0}" = 1 ]; then
    for f in "$lib"/*.jar; do
      [ -e "$f" ] || continue                                   # an unbuilt folder: no jars to list
      case "$(basename "$f")" in pytorch-native-cpu-*) ;; *) cp="$cp:$f" ;; esac
    done
  else
    cp="$cp:$lib/*"
  fi
  printf '%s' "$cp"
}
