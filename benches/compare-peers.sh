#!/usr/bin/env bash
# Compare `p2s-sim prefixes aggregate` with the prefix aggregators people use today, as
# whole processes on the same inputs. Checks every tool's output is the same set of
# addresses as ours, then prints a markdown table: tool, input, prefixes in/out, median
# wall time of 3 runs (hyperfine), peak RSS (/usr/bin/time -v).
#
# Usage: benches/compare-peers.sh [DATA_DIR]      (default: ../shared/data)
#   BIN=path/to/p2s-sim   use this binary instead of building target/release/p2s-sim
#   SLOW=1                also run the Python tools (netaddr, aggregate6) on the big lists
#   NO_INSTALL=1          do not install peers (they must already be on PATH / in $PEERS)
#   PEERS=dir             where cidr-tools and the helper scripts go (default: a temp dir)
#
# Peers: FireHOL iprange (Debian package, IPv4 only), Node cidr-tools (npm), Python
# aggregate6 and netaddr (pip). Needs root for apt-get, or the tools preinstalled.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$here/../shared/data}"
[ -d "$data" ] || { echo "no data directory $data" >&2; exit 2; }
if [ -z "${PEERS:-}" ]; then
  PEERS="$(mktemp -d)"
  trap 'rm -rf "$PEERS"' EXIT
fi
mkdir -p "$PEERS"

if [ -z "${NO_INSTALL:-}" ]; then
  echo "# installing peers (apt: iprange hyperfine; pip: aggregate6 netaddr; npm: cidr-tools)" >&2
  if command -v apt-get >/dev/null; then
    (apt-get update -qq && apt-get install -y -qq iprange hyperfine) >&2 || echo "apt-get failed; continuing with what is installed" >&2
  fi
  pip install -q aggregate6 netaddr >&2 || echo "pip install failed" >&2
  (cd "$PEERS" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --silent cidr-tools >&2) || echo "npm install failed" >&2
fi

if [ -z "${BIN:-}" ]; then
  (cd "$here" && cargo build --release --quiet)
  BIN="$here/target/release/p2s-sim"
fi

# Helper programs for the library peers: read a file, aggregate, print one prefix per line.
cat > "$PEERS/cidr_tools_agg.mjs" <<'JS'
import { readFileSync } from "node:fs";
import { mergeCidr } from "cidr-tools";
const nets = readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
process.stdout.write(mergeCidr(nets).join("\n") + "\n");
JS
cat > "$PEERS/netaddr_agg.py" <<'PY'
import sys, netaddr
nets = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
sys.stdout.write("".join(f"{n}\n" for n in netaddr.cidr_merge(nets)))
PY
# Canonical set of an output: "version network/len" per line, sorted; bare addresses are /32 or /128.
cat > "$PEERS/canon.py" <<'PY'
import sys, ipaddress
out = set()
for l in open(sys.argv[1]):
    l = l.strip()
    if l:
        n = ipaddress.ip_network(l, strict=True)
        out.add((n.version, int(n.network_address), n.prefixlen))
for v, a, p in sorted(out):
    print(v, a, p)
PY

have() { command -v "$1" >/dev/null 2>&1; }
median3() { # command... -> median seconds of 3 runs
  local json="$PEERS/hf.json"
  hyperfine -N --warmup 1 --runs 3 --export-json "$json" "$*" >/dev/null 2>&1 \
    || hyperfine --warmup 1 --runs 3 --export-json "$json" "$*" >/dev/null 2>&1
  python3 -c "import json,sys; print('%.3f' % json.load(open(sys.argv[1]))['results'][0]['median'])" "$json"
}
peak_kb() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}'; }

inputs=(bgp_v4 synth_v4_1m bgp_v6 synth_v6_200k azure_v4 azure_v6 aws_v4 aws_v6)
echo "| tool | input | prefixes in | out | median wall (3 runs) | peak RSS | same set as p2s-sim |"
echo "|---|---|---:|---:|---:|---:|---|"
for name in "${inputs[@]}"; do
  f="$data/$name.txt"
  [ -f "$f" ] || continue
  n_in=$(grep -cv '^\s*\(#\|$\)' "$f")
  big=0; [ "$n_in" -gt 100000 ] && big=1
  ours="$PEERS/out_p2s_$name.txt"
  "$BIN" prefixes aggregate "$f" > "$ours"
  python3 "$PEERS/canon.py" "$ours" > "$ours.canon"
  tools=("p2s-sim")
  case "$name" in *v4*) have iprange && tools+=("iprange");; esac
  have node && [ -d "$PEERS/node_modules/cidr-tools" ] && tools+=("cidr-tools")
  if [ "$big" = 0 ] || [ -n "${SLOW:-}" ]; then
    python3 -c "import netaddr" 2>/dev/null && tools+=("netaddr")
    have aggregate6 && tools+=("aggregate6")
  fi
  for t in "${tools[@]}"; do
    case "$t" in
      p2s-sim) cmd=("$BIN" prefixes aggregate "$f");;
      iprange) cmd=(iprange "$f");;
      cidr-tools) cmd=(node "$PEERS/cidr_tools_agg.mjs" "$f");;
      netaddr) cmd=(python3 "$PEERS/netaddr_agg.py" "$f");;
      aggregate6) cmd=(aggregate6 "$f");;
    esac
    out="$PEERS/out_${t}_$name.txt"
    (cd "$PEERS" && "${cmd[@]}") > "$out"
    python3 "$PEERS/canon.py" "$out" > "$out.canon"
    if cmp -s "$out.canon" "$ours.canon"; then same=yes; else same="**NO**"; fi
    n_out=$(wc -l < "$out.canon")
    t_med=$(cd "$PEERS" && median3 "${cmd[@]}")
    rss=$(cd "$PEERS" && peak_kb "${cmd[@]}")
    printf '| %s | %s | %s | %s | %s s | %.1f MB | %s |\n' "$t" "$name" "$n_in" "$n_out" "$t_med" "$(echo "$rss / 1024" | bc -l)" "$same"
  done
done
echo
echo "input file sizes:"; for name in "${inputs[@]}"; do [ -f "$data/$name.txt" ] && printf '  %s %.1f MB\n' "$name" "$(echo "$(stat -c %s "$data/$name.txt") / 1048576" | bc -l)"; done
echo "machine: $(nproc) cores, $(uname -sr); p2s-sim $("$BIN" --version 2>/dev/null | awk '{print $2}')"
