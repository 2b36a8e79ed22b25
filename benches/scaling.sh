#!/usr/bin/env bash
# Scaling of the engine as whole processes: topology size vs time, threads vs time.
# Prints a Markdown table (median of 3 runs). Usage: benches/scaling.sh [p2s-sim binary]
# The machines are shared and noisy: read the ratios between rows, not the absolute times.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/p2s-sim}
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }

# analysis time (engine only, from --stats) and whole-process wall time, median of 3
measure() { # threads file
  local analysed=() wall=()
  for _ in 1 2 3; do
    local start end line
    start=$(date +%s.%N)
    line=$(RAYON_NUM_THREADS=$1 "$bin" analyze --stats --format json "$2" 2>&1 >/dev/null | grep analysed)
    end=$(date +%s.%N)
    analysed+=("$(sed -E 's/.*analysed ([0-9.]+) s.*/\1/' <<<"$line")")
    wall+=("$(echo "$end - $start" | bc)")
  done
  printf '%s %s\n' "$(printf '%s\n' "${analysed[@]}" | median)" "$(printf '%s\n' "${wall[@]}" | median)"
}

echo "| topology | VNet prefixes | threads | engine (analyze + findings) | whole process (read JSON, analyze, write JSON) |"
echo "|---|---|---|---|---|"
for size in "10 50 20" "100 50 20" "1000 50 20"; do
  set -- $size
  file="$work/h$1.json"
  "$bin" generate --hubs "$1" --spokes-per-hub "$2" --prefixes-per-vnet "$3" --local-networks 2 --v2v-mesh --bgp --seed 1 --out "$file"
  prefixes=$(( $1 * ($2 + 1) * $3 ))
  for threads in 1 2; do
    read -r engine wall < <(measure "$threads" "$file")
    echo "| $1 hubs × $2 spokes × $3 prefixes | $prefixes | $threads | ${engine} s | ${wall} s |"
  done
done

echo
echo "| batch of 200 topologies (3 hubs each) | --jobs | wall time |"
echo "|---|---|---|"
mkdir -p "$work/batch"
for i in $(seq 1 200); do
  "$bin" generate --hubs 3 --spokes-per-hub 8 --local-networks 2 --v2v-mesh --bgp --seed "$i" --out "$work/batch/t$i.json"
done
for jobs in 1 2; do
  times=()
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$bin" batch --jobs "$jobs" --format jsonl "$work"/batch/*.json >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  echo "| 200 × (3 hubs, 24 spokes) | $jobs | $(printf '%s\n' "${times[@]}" | median) s |"
done
