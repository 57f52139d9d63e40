#!/usr/bin/env bash
# Every benchmark in one run, one table after the other on the same machine:
#   1. a single lookup against a hello-world Rust binary (bench/lookup.sh)
#   2. stream throughput in MB/s and lines/s against grep -c and wc -l, with peak memory
#      (bench/stream.sh)
#   3. bad input: time, peak memory and line accounting (bench/bad-input.sh)
#
#   bench/run.sh [SIZE_MB] [RUNS]     (defaults 200 and 1000)
set -euo pipefail
size=${1:-200}
runs=${2:-1000}
here="$(dirname "$0")"
echo "== single lookup ($runs runs)"
"$here/lookup.sh" "$runs"
echo
echo "== streams ($size MB logs)"
"$here/stream.sh" "$size"
echo
echo "== bad input ($((size / 2)) MB inputs)"
"$here/bad-input.sh" "$((size / 2))"
