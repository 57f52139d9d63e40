#!/usr/bin/env bash
# Single-lookup cost: `smtpcode 550` against a hello-world Rust binary built with the same
# toolchain and profile, side by side in one run. Prints wall time per run (mean over N runs,
# best of 3 rounds), peak memory, and instruction counts when valgrind is present.
#
#   bench/lookup.sh [RUNS]        (default 1000)
set -euo pipefail
runs=${1:-1000}
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'fn main() { println!("hello, world"); }\n' > "$work/hello.rs"
rustc -C opt-level=3 -C codegen-units=1 -o "$work/hello" "$work/hello.rs"
smtpcode=target/release/smtpcode

# Mean microseconds per run over $runs runs, best of three rounds.
per_run_us() {
  local best=""
  for _ in 1 2 3; do
    local start end
    start=$(date +%s%N)
    for ((i = 0; i < runs; i++)); do "$@" > /dev/null; done
    end=$(date +%s%N)
    local us=$(( (end - start) / runs / 1000 ))
    if [ -z "$best" ] || [ "$us" -lt "$best" ]; then best=$us; fi
  done
  echo "$best"
}

peak_kib() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1
  else
    echo "n/a"
  fi
}

instructions() {
  if command -v valgrind > /dev/null; then
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
      sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  else
    echo "n/a"
  fi
}

echo "machine: $(nproc) cores, $(uname -m), $(rustc --version)"
echo "runs per round: $runs (best of 3 rounds)"
printf '%-34s %12s %14s %16s\n' "command" "µs per run" "peak RSS KiB" "instructions"
for cmd in "$work/hello" "$smtpcode 550" "$smtpcode 5.7.26" "$smtpcode --json 550 5.1.1"; do
  # shellcheck disable=SC2086
  printf '%-34s %12s %14s %16s\n' "${cmd/#$work\//}" "$(per_run_us $cmd)" "$(peak_kib $cmd)" "$(instructions $cmd)"
done
