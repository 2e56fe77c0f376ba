#!/usr/bin/env bash
# `make test`: every step runs even when an earlier one fails (the JS tests only need the build),
# then a summary with each step's time; exits non-zero when any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}

steps=(
  "rustfmt|cargo fmt --all --check"
  "cargo test, all features|cargo test --workspace --all-features"
  "cargo test, no default features (lite)|cargo test --workspace --no-default-features"
  "clippy, all features|cargo clippy --workspace --all-targets --all-features -- -D warnings"
  "clippy, no default features|cargo clippy --workspace --all-targets --no-default-features -- -D warnings"
  "clippy, wasm32 glue, all features|cargo clippy --target wasm32-unknown-unknown --workspace --lib --all-features -- -D warnings"
  "clippy, wasm32 glue, no default features|cargo clippy --target wasm32-unknown-unknown --workspace --lib --no-default-features -- -D warnings"
  "rustdoc (links and public docs)|RUSTDOCFLAGS='-D warnings' cargo doc --no-deps -p astrolabe-segment -p astrolabe-segment-core --all-features"
  "wasm build (full, lite and tools)|make --no-print-directory build"
  "JS tests (node, Chromium, Deno, workerd)|make --no-print-directory test-js"
  "JS bundler builds (Vite, webpack, Rollup, esbuild, Bun, Vercel Edge)|make --no-print-directory test-bundlers"
  "JS playground tests (modules, Chromium end to end)|make --no-print-directory test-www"
  "JS edge worker tests (workerd, Chromium, Deno)|make --no-print-directory test-edge"
  "wasm size budgets|make --no-print-directory size"
)

summary=()
failed=0
build_ok=1
for step in "${steps[@]}"; do
  name=${step%%|*}
  command=${step#*|}
  if [[ $name == JS* && $build_ok == 0 ]]; then
    summary+=("SKIPPED  $name (the wasm build failed)")
    failed=$((failed + 1))
    continue
  fi
  echo
  echo "=== $name: $command"
  started=$SECONDS
  if bash -c "$command"; then
    summary+=("ok       $name ($((SECONDS - started))s)")
  else
    summary+=("FAILED   $name ($((SECONDS - started))s)")
    failed=$((failed + 1))
    [[ $name == wasm\ build* ]] && build_ok=0
  fi
done

echo
echo "=== make test summary"
printf '%s\n' "${summary[@]}"
echo "make test: $((${#steps[@]} - failed)) steps passed, $failed failed (${SECONDS}s)"
[ "$failed" -eq 0 ]
