#!/usr/bin/env bash
# `make fuzz`: runs each fuzz target (fuzz/fuzz_targets/) for FUZZ_SECONDS (default 60) with a seed
# corpus written at run time from tests/fixtures/ and ../shared/conformance/, then prints each
# target's executions. Needs nightly and cargo-fuzz (installed when missing). Not part of CI.
#   FUZZ_SECONDS=300 make fuzz            every target, 5 minutes each
#   FUZZ_TARGETS="map_json transform" make fuzz
#   FUZZ_RUNS=2000000 make fuzz           stop each target after that many executions (or the time)
#   FUZZ_SANITIZER=address make fuzz      with AddressSanitizer (default none: the crates forbid
#                                         `unsafe`, and without it libFuzzer runs several times faster)
#   FUZZ_BUILD=-O make fuzz               built as shipped, without overflow checks (by default they are
#                                         on, so an integer overflow anywhere, dependencies included,
#                                         is a crash even where the release build wraps silently)
# A crash leaves its input in fuzz/artifacts/<target>/ (reproduce: cargo +nightly fuzz run <target> <file>).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:--1}
sanitizer=${FUZZ_SANITIZER:-none}
build=${FUZZ_BUILD:-}
targets=${FUZZ_TARGETS:-map_json map_batch transform tracking_plan liquid json_schema regex_pattern}
# The fuzz build (sanitizers, nightly) gets its own target directory, away from the crate's.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}/fuzz

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

corpus=$CARGO_TARGET_DIR/corpus
seeds=$CARGO_TARGET_DIR/seeds
rm -rf "$seeds"
node scripts/fuzz-seeds.mjs "$seeds"

summary=()
for target in $targets; do
  mkdir -p "$corpus/$target"
  log=$CARGO_TARGET_DIR/$target.log
  echo "=== fuzz $target for ${seconds}s (log: $log)"
  status=0
  # -max_len: a message is at most 32 KB; 64 KB leaves room for batches and plan + message pairs.
  cargo +nightly fuzz run $build --sanitizer "$sanitizer" --fuzz-dir fuzz "$target" "$corpus/$target" "$seeds/$target" -- \
    -max_total_time="$seconds" -runs="$runs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  executed=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  # A run stopped from outside (SIGINT to the fuzzer: libFuzzer says "run interrupted") found
  # nothing: its executions are clean, not a crash.
  if [ "$status" -ne 0 ] && grep -q 'libFuzzer: run interrupted' "$log"; then
    status=0
    done_line="interrupted"
  fi
  node scripts/fuzz-results.mjs "$target" "${executed:-0}" "${cov:-}" "${ft:-}" "$sanitizer${build:+ $build}" "$([ "$status" -eq 0 ] && echo ok || echo crash)"
  if [ "$status" -eq 0 ]; then
    summary+=("ok       $target: ${executed:-?} executions in ${seconds}s ${done_line:+($done_line)}")
  else
    tail -40 "$log"
    summary+=("CRASH    $target: status $status after ${executed:-?} executions; see $log and fuzz/artifacts/$target/")
  fi
done

echo
echo "=== make fuzz summary"
printf '%s\n' "${summary[@]}"
! printf '%s\n' "${summary[@]}" | grep -q '^CRASH'
