#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs the Debian packages the tests use (when run as
# root), then builds every module and runs every test (JUnit, parity, ImageJ macros under Xvfb,
# notebooks through nbconvert).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

pkgs=(maven dataset-fashion-mnist xvfb xauth jupyter-nbconvert python3-nbclient jupyter-client libjemalloc2)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test: missing Debian packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

export OMP_WAIT_POLICY=PASSIVE
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nextscale/djl}"
bash src/check-launcher.sh
bash src/check-docs.sh
mvn -B -ntp verify "$@"
