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
