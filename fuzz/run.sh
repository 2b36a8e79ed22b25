#!/usr/bin/env bash
# Runs one fuzz target for SECONDS with its seed corpus and dictionary, single job, built with
# debug assertions (so an integer overflow is a crash, as in `cargo test`).
#   fuzz/run.sh TARGET SECONDS      e.g. fuzz/run.sh arm_expr 600
# Targets: read_topology arm_expr prefixes scenario fleet profile review.
# Seeds (in git) are fuzz/seeds/TARGET; new inputs go to fuzz/corpus/TARGET (not in git);
# crashes, timeouts and OOMs go to fuzz/artifacts/TARGET. Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
target=${1:?usage: fuzz/run.sh TARGET SECONDS}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
case $target in
  read_topology) dict=topology ;;
  arm_expr) dict=arm ;;
  *) dict=$target ;;
esac
mkdir -p "corpus/$target" "artifacts/$target"
# -rss_limit_mb: an input that needs more memory is an OOM finding; -timeout: one slow input
# (seconds) is a timeout finding; -max_len large enough for depth and size.
exec cargo +nightly fuzz run --debug-assertions "$target" "corpus/$target" "seeds/$target" -- \
  -max_total_time="$seconds" \
  -dict="dict/$dict.dict" -max_len=262144 -len_control=20 \
  -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="artifacts/$target/"
