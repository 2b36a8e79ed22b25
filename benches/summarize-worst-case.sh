#!/usr/bin/env bash
# Whole-process timing of `prefixes summarize --max K` on its worst known family (issue 16):
# M blocks, each a /24 holding .0/32, .127/32 and .128/26 (best extra for 1, 2, 3 prefixes:
# 190, 126, 0 — the non-convex node of src/prefix/summarize/fast.rs), one per /20 so blocks
# never merge, and K = 2M or 2M + 1. Every block ties between 1 and 3 prefixes at the price
# the Lagrangian search finds, so each node keeps a window as wide as its blocks and the
# windows are not convex: the restricted program does its quadratic merge all the way up,
# the plain O(n·K) program's cost. Prints time and peak RSS per M, the growth per doubling
# (4x is quadratic), and the optimum checked against the hand-worked value
# 95·M (K = 2M) and 95·M − 64 (K = 2M + 1, M even).
#
#   benches/summarize-worst-case.sh                  # M = 8000 16000 32000 64000
#   SIZES="4000 8000" benches/summarize-worst-case.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/p2s-sim}
SIZES=${SIZES:-8000 16000 32000 64000}
[ -x "$BIN" ] && [ "$BIN" != target/release/p2s-sim ] || cargo build --release --quiet
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%8s %8s %8s %9s %9s %12s\n' M prefixes K seconds "RSS MB" extra
prev_even="" prev_odd=""
for m in $SIZES; do
  python3 - "$m" "$work/in.txt" <<'PY'
import sys
m, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for i in range(m):
        a, b, c = 11 + (i >> 12), (i >> 4) & 255, (i & 15) * 16
        f.write(f"{a}.{b}.{c}.0/32\n{a}.{b}.{c}.127/32\n{a}.{b}.{c}.128/26\n")
PY
  for k in $((2 * m)) $((2 * m + 1)); do
    if [ "$k" -eq $((2 * m)) ]; then want=$((95 * m)); else want=$((95 * m - 64)); fi
    /usr/bin/time -f '%e %M' -o "$work/time" "$BIN" prefixes summarize --max "$k" "$work/in.txt" \
      >/dev/null 2>"$work/err"
    extra=$(sed -n 's/.*adding \([0-9]*\) addresses.*/\1/p' "$work/err")
    [ "$extra" = "$want" ] || { echo "M=$m K=$k: extra $extra, want $want" >&2; exit 1; }
    read -r secs kb <"$work/time"
    printf '%8s %8s %8s %9s %9s %12s\n' "$m" $((3 * m)) "$k" "$secs" $((kb / 1024)) "$extra"
    if [ "$k" -eq $((2 * m)) ]; then prev_even="$prev_even $secs"; else prev_odd="$prev_odd $secs"; fi
  done
done
python3 - "$prev_even" "$prev_odd" <<'PY'
import sys
for name, s in zip(("K = 2M", "K = 2M + 1"), sys.argv[1:]):
    t = [float(x) for x in s.split()]
    growth = [f"{b / a:.1f}x" for a, b in zip(t, t[1:]) if a > 0]
    print(f"{name}: time per doubling of M: {', '.join(growth) or 'n/a'} (2x linear, 4x quadratic)")
PY
