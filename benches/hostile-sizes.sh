#!/usr/bin/env bash
# Peak memory (RSS) of p2s-sim on the hostile inputs of issue 15 — a check, not a test
# assertion: every case must exit 2 with a message, and its peak RSS is printed so a change
# that lets one grow shows up. The same cases, with their messages, are tests in
# tests/it/hostile_inputs.rs.
#
#   benches/hostile-sizes.sh                    # release build (built if missing)
#   BIN=target/debug/p2s-sim benches/hostile-sizes.sh
#   LIMIT_MB=1024 benches/hostile-sizes.sh      # flag a case above this peak (default 1024)
#   STREAM_LIMIT_MB=160 benches/hostile-sizes.sh # the 20M-line prefix list's bound (default 160)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/p2s-sim}
LIMIT_MB=${LIMIT_MB:-1024}
if [ ! -x "$BIN" ] || [ "${BIN}" = target/release/p2s-sim ]; then cargo build --release --quiet; fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import json, sys, os
d = sys.argv[1]
S = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
def vnet(prefix, extra=None):
    p = {"addressSpace": {"addressPrefixes": [prefix]}}
    p.update(extra or {})
    return {"type": "Microsoft.Network/virtualNetworks", "name": "hub", "location": "x", "properties": p}
def tmpl(name, variables, resources):
    open(os.path.join(d, name), "w").write(json.dumps({"$schema": S, "variables": variables, "resources": resources}))
deep = "[" + "concat(" * 13000 + "'a'" + ")" * 13000 + "]"
tmpl("deep-13000-calls.json", {"v0": deep}, [vnet("[variables('v0')]")])
chain = {f"v{i}": f"[variables('v{i+1}')]" for i in range(5000)}; chain["v5000"] = "10.0.0.0/16"
tmpl("chain-5000-variables.json", chain, [vnet("[variables('v0')]")])
grow = {"v0": "a" * 16}
for i in range(1, 61): grow[f"v{i}"] = f"[concat(variables('v{i-1}'), variables('v{i-1}'))]"
tmpl("concat-doubling-60.json", grow, [vnet("[variables('v60')]")])
big = "a" * 10000
tmpl("replace-amplified.json", {}, [vnet(f"[replace(padLeft('', 10000, 'a'), 'a', '{big}')]")])
tmpl("property-copy-1e9.json", {}, [vnet("10.0.0.0/16", {"copy": [{"name": "subnets", "count": 10**9, "input": {"name": "s"}}]})])
inner = {"x": "abcdefgh"}
for k in range(4): inner = {"copy": [{"name": f"l{k}", "count": 800, "input": inner}]}
tmpl("property-copy-800x4.json", {}, [vnet("10.0.0.0/16", {"tags": inner})])
child = {"type": "things", "name": "[concat('c', copyIndex())]", "copy": {"name": "c1", "count": 800}}
parent = {"type": "Microsoft.Storage/storageAccounts", "name": "[concat('p', copyIndex())]",
          "copy": {"name": "c0", "count": 800}, "resources": [dict(child, resources=[dict(child)])]}
tmpl("resource-copy-800x3.json", {}, [vnet("10.0.0.0/16"), parent])
tmpl("variable-copy-big.json", {"big": f"[replace(padLeft('', 10000, 'a'), 'a', '{'a'*100}')]",
     "copy": [{"name": "many", "count": 800, "input": "[concat(variables('big'), copyIndex('many'))]"}]},
     [vnet("10.0.0.0/16", {"tags": {"a": "[length(variables('many'))]"}})])
open(os.path.join(d, "yaml-250k-nodes.yaml"), "w").write("vnets:\n" + "  - {name: a, address_space: [10.0.0.0/16]}\n" * 60000)
open(os.path.join(d, "yaml-deep.yaml"), "w").write("vnets: " + "[" * 20000 + "]" * 20000 + "\n")
for name, change in [("spokes-2^62", "{hub: hub-weu, count: 4611686018427387904, prefixes_per_spoke: 4}"),
                     ("spokes-1e9-base", "{hub: hub-weu, count: 1000000000, prefixes_per_spoke: 2, base: 10.100.0.0}"),
                     ("prefixes-per-spoke-1e9", "{hub: hub-weu, count: 1, prefixes_per_spoke: 1000000000, prefix_length: 30, base: 0.0.0.0}")]:
    open(os.path.join(d, f"scenario-{name}.yaml"), "w").write(f"changes:\n  - add_spokes: {change}\n")
PY

printf '%-40s %5s %12s  %s\n' case exit peak_rss_MB message
status=0
for f in "$work"/*; do
  case=$(basename "$f")
  if [[ $case == scenario-* ]]; then
    cmd=("$BIN" whatif --scenario "$f" datasets/scenarios/hub-spoke.yaml)
  else
    cmd=("$BIN" analyze "$f")
  fi
  set +e
  /usr/bin/time -v -o "$work/.time" "${cmd[@]}" >/dev/null 2>"$work/.err"
  code=$?
  set -e
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/.time")
  rss_mb=$((rss_kb / 1024))
  msg=$(head -c 100 "$work/.err" | tr '\n' ' ' | sed "s|$work/||g")
  flag=""
  if [ "$code" != 2 ] || [ "$rss_mb" -gt "$LIMIT_MB" ]; then flag=" <-- CHECK"; status=1; fi
  printf '%-40s %5s %12s  %s%s\n' "$case" "$code" "$rss_mb" "$msg" "$flag"
  rm -f "$work/.time" "$work/.err"
done
# A prefix list of tens of millions of lines (20M, ~300 MB of text, duplicates and overlaps
# as in merged feeds) is read as a stream and merged while reading: its peak RSS stays near
# the size of the set plus a fixed buffer, far below the text (exit 0 expected here).
python3 - "$work/prefixes-20M.txt" <<'PY'
import random, sys
r = random.Random(7)
with open(sys.argv[1], "w") as f:
    for _ in range(20):
        f.write("".join("10.%d.%d.0/24\n" % (r.randrange(256), r.randrange(256)) if k % 3
                        else "172.%d.%d.%d\n" % (16 + r.randrange(16), r.randrange(256), r.randrange(256))
                        for k in range(1000000)))
PY
STREAM_LIMIT_MB=${STREAM_LIMIT_MB:-160}
f="$work/prefixes-20M.txt"
set +e
/usr/bin/time -v -o "$work/.time" "$BIN" prefixes aggregate "$f" >"$work/.out" 2>"$work/.err"
code=$?
set -e
rss_mb=$(( $(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/.time") / 1024 ))
text_mb=$(( $(stat -c %s "$f") / 1048576 ))
flag=""
if [ "$code" != 0 ] || [ "$rss_mb" -gt "$STREAM_LIMIT_MB" ]; then flag=" <-- CHECK"; status=1; fi
printf '%-40s %5s %12s  %s%s\n' "prefixes-20M.txt (aggregate)" "$code" "$rss_mb" \
  "${text_mb} MB of text -> $(wc -l <"$work/.out") prefixes; limit ${STREAM_LIMIT_MB} MB" "$flag"
exit $status
