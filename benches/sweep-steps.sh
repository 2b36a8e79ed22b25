#!/usr/bin/env bash
# Whole-process timing of a 2,001-step sweep (issue 16): each step from the previous one's
# state (the default) against every step analysed in full (--from-scratch), side by side in
# one run, with byte-identical output checked first. Medians of hyperfine runs.
#
#   benches/sweep-steps.sh                 # release build (built if missing)
#   RANGE=0..996:1 BEFORE=/path/to/old/p2s-sim benches/sweep-steps.sh   # also an older binary
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/p2s-sim}
RANGE=${RANGE:-0..2000:1}
RUNS=${RUNS:-5}
[ -x "$BIN" ] && [ "$BIN" != target/release/p2s-sim ] || cargo build --release --quiet
command -v hyperfine >/dev/null || { echo "needs hyperfine (Debian package hyperfine)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(sweep datasets/scenarios/hub-spoke.yaml --add-spokes "$RANGE" --prefixes-per-spoke 2 --format csv)
"$BIN" "${args[@]}" >"$work/incremental.csv"
"$BIN" "${args[@]}" --from-scratch >"$work/full.csv"
cmp "$work/incremental.csv" "$work/full.csv" || { echo "outputs differ" >&2; exit 1; }
cmds=("$BIN ${args[*]}" "$BIN ${args[*]} --from-scratch")
if [ -n "${BEFORE:-}" ]; then
  "$BEFORE" "${args[@]}" >"$work/before.csv"
  cmp "$work/incremental.csv" "$work/before.csv" || { echo "output differs from $BEFORE" >&2; exit 1; }
  cmds+=("$BEFORE ${args[*]}")
fi
hyperfine -N -w 1 -r "$RUNS" --export-json "$work/t.json" "${cmds[@]}" >/dev/null
python3 - "$work/t.json" "$RANGE" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["median"]
print(f"sweep --add-spokes {sys.argv[2]} on hub-spoke.yaml, median of {len(r[0]['times'])} runs")
for name, x in zip(["incremental (default)", "--from-scratch", "before (BEFORE=)"], r):
    print(f"  {name:24} {x['median']*1000:9.1f} ms   {x['median']/base:6.1f}x the incremental time")
PY
