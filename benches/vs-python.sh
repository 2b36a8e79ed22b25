#!/usr/bin/env bash
# Issue 16 targets, measured as whole processes:
# 1. `analyze --format json` of the 30 MB topology of issue 16 side by side with
#    `python3 -c 'json.load(...)'` of the same file (hyperfine, median of 5), the ratio
#    (< 1.0 = faster than Python reading it), and peak RSS against the file size (/usr/bin/time -v).
# 2. `batch` of N small generated topologies (3 hubs each) with --jobs 1 and --jobs 2, back to back,
#    repeated: topologies per second and the speed-up.
# Usage: benches/vs-python.sh [p2s-sim binary] [batch size, default 10000]
# The machines are shared and noisy: compare runs made side by side, not across days.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/p2s-sim}")
n=${2:-10000}
[ -x "$bin" ] || cargo build --release --quiet
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

big="$work/big.json"
"$bin" generate --hubs 1000 --spokes-per-hub 50 --prefixes-per-vnet 20 --local-networks 1 \
  --v2v-mesh --bgp --seed 1 --out "$big"
size=$(stat -c %s "$big")
hyperfine -N -w 1 -r 5 --export-json "$work/h.json" --output=null \
  -n python "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' $big" \
  -n p2s-sim "$bin analyze --format json $big" >/dev/null
read -r py ours < <(python3 -c '
import json,sys
r={x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(r["python"], r["p2s-sim"])' "$work/h.json")
rss=$( { /usr/bin/time -v "$bin" analyze --format json "$big" >/dev/null; } 2>&1 | awk '/Maximum resident/ {print $NF}')
echo "| analyze --format json, $((size / 1000000)) MB | median | vs python json.load |"
echo "|---|---|---|"
printf '| python3 json.load | %.3f s | 1.00 |\n' "$py"
printf '| p2s-sim analyze | %.3f s | %.2f |\n' "$ours" "$(echo "$ours / $py" | bc -l)"
printf '\npeak RSS %d MB = %.2f x the file (%d MB)\n\n' $((rss / 1024)) "$(echo "$rss * 1024 / $size" | bc -l)" $((size / 1000000))

mkdir -p "$work/batch"
for i in $(seq 1 "$n"); do
  "$bin" generate --hubs 3 --spokes-per-hub 8 --local-networks 2 --v2v-mesh --bgp --seed "$i" \
    --out "$work/batch/t$i.json"
done
run() { # jobs -> seconds
  local start end
  start=$(date +%s.%N)
  "$bin" batch --jobs "$1" --format jsonl "$work"/batch/*.json >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
echo "| batch of $n topologies (3 hubs each) | --jobs 1 | --jobs 2 | speed-up |"
echo "|---|---|---|---|"
for round in 1 2 3; do
  one=$(run 1)
  two=$(run 2)
  printf '| round %d | %.0f /s | %.0f /s | %.2fx |\n' "$round" "$(echo "$n / $one" | bc -l)" \
    "$(echo "$n / $two" | bc -l)" "$(echo "$one / $two" | bc -l)"
done
