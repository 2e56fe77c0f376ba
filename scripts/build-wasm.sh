#!/usr/bin/env bash
# Builds one flavor of the WebAssembly module into pkg/dist/FLAVOR/:
#   astrolabe_segment.js       wasm-bindgen --target web     (ESM; browser, bundlers, workerd, Deno)
#   astrolabe_segment.cjs      wasm-bindgen --target nodejs  (CommonJS; Node's require and import),
#                              with the module's bytes from wasm-bytes.cjs (scripts/embed-wasm.mjs)
#   wasm-bytes.cjs             the .wasm's bytes as base64 in JavaScript, so that a bundle made for
#                              Node (esbuild, webpack, Rollup, bun build) carries them along
#   astrolabe_segment_bg.wasm  one module for both (wasm-bindgen writes the same bytes for each
#                              target), optimized with wasm-opt (-O2 full and tools, -Oz lite) from npm's binaryen.
# Flavors: full and lite are the package's runtime builds; tools is full with the command line's
# engine (`--features tools`: src/check/), loaded only by pkg/cli/, so the runtime builds do not
# carry it (it has no size budget).
# Both glues get wasm-bindgen's `__wbg_reset_state` (--experimental-reset-state-function): after a
# trap, pkg/shared/fast.js re-instantiates the module with it (a new instance of the same compiled
# Module, so it works in workerd too) instead of leaving a poisoned instance behind.
# Usage: scripts/build-wasm.sh full|lite|tools
set -euo pipefail
flavor=${1:?usage: build-wasm.sh full|lite|tools}
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}

# The lite build optimizes its hot path for size and speed ("s"; see the profile in Cargo.toml).
# The module is the bindings crate (crates/wasm), with the library's features as its own.
case $flavor in
  full) features=(-p astrolabe-segment-wasm); profile=() ;;
  lite) features=(-p astrolabe-segment-wasm --no-default-features); profile=(--config 'profile.release.package.astrolabe-segment-core.opt-level="s"') ;;
  tools) features=(-p astrolabe-segment-wasm --features tools); profile=() ;;
  *) echo "unknown flavor: $flavor" >&2; exit 2 ;;
esac

wasm_opt=$root/node_modules/.bin/wasm-opt
[ -x "$wasm_opt" ] || { echo "missing $wasm_opt: run 'make setup' (npm ci)" >&2; exit 1; }

# The regex engines without the features that cost size and serve no user (scripts/trim-regex.mjs):
# copies of the locked versions with trimmed feature lists, patched in for this build only. A path
# [patch] makes cargo rewrite Cargo.lock (the patched packages lose `source` and `checksum`), so the
# lock is saved first and put back afterwards, also when the build fails or is interrupted; the
# check in between proves the patch applies and that nothing else in the resolution moved.
# First the lock as any cargo command leaves it (a current one byte for byte; a stale one brought up
# to date, as the build did before) and the wasm32 dependencies downloaded.
cargo fetch --target wasm32-unknown-unknown
trim_config=$(node scripts/trim-regex.mjs prepare)
saved_lock=$CARGO_TARGET_DIR/trimmed-crates/Cargo.lock.saved
cp -p Cargo.lock "$saved_lock"
restore_lock() { { cmp -s "$saved_lock" Cargo.lock || cp -p "$saved_lock" Cargo.lock; } && rm -f "$saved_lock"; }
trap restore_lock EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
node scripts/trim-regex.mjs check "$saved_lock" "${features[@]}"
# WebAssembly SIMD (simd128) on: every runtime the package serves runs it (browsers since 2021-23,
# Node 16.4+, Deno, workerd), and LLVM's code with it is smaller (full 898.2 -> 894.4 KB of gzip)
# at the same speed (docs/performance.md).
# Paths in panic locations written short and the same on every machine (the registry's, the
# trimmed crates', the checkout's), so the module's size does not depend on where it is built.
remaps=""
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do remaps+=", \"--remap-path-prefix=${dir%/}=crates\""; done
remaps+=", \"--remap-path-prefix=$CARGO_TARGET_DIR/trimmed-crates=trimmed\", \"--remap-path-prefix=$root=.\""
simd="target.wasm32-unknown-unknown.rustflags=[\"-C\", \"target-feature=+simd128\"$remaps]"
cargo build --release --target wasm32-unknown-unknown --lib "${features[@]}" "${profile[@]}" --config "$trim_config" --config "$simd"
restore_lock
trap - EXIT INT TERM
input=$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/astrolabe_segment_wasm.wasm

work=$CARGO_TARGET_DIR/wasm-bindgen/$flavor
rm -rf "$work"
mkdir -p "$work"
for target in web nodejs; do
  wasm-bindgen --target "$target" --experimental-reset-state-function --out-name astrolabe_segment --out-dir "$work/$target" "$input"
  grep -q '^export function __wbg_reset_state\|^exports.__wbg_reset_state = \|function __wbg_reset_state' \
    "$work/$target/astrolabe_segment.js" || {
    echo "wasm-bindgen --target $target wrote no __wbg_reset_state: pkg/shared/fast.js needs it" >&2; exit 1; }
done

# The targets must share one module; stop if a wasm-bindgen version ever changes that.
cmp -s "$work/web/astrolabe_segment_bg.wasm" "$work/nodejs/astrolabe_segment_bg.wasm" || {
  echo "wasm-bindgen wrote a different .wasm for --target nodejs than for web" >&2; exit 1; }

out=$root/pkg/dist/$flavor
rm -rf "$out"
mkdir -p "$out"
cp "$work/web/astrolabe_segment.js" "$out/astrolabe_segment.js"
# rustc's default wasm32 features, and SIMD (jsonschema's dependencies compile simd128 functions);
# wasm-opt must accept what the module uses and adds nothing new. --low-memory-unused lets it fold
# `load(p + C)` into `load offset=C (p)` (about 4 KB of gzip on the full build): it assumes no
# access below address 1024, which Rust's wasm32 layout only reaches at the bottom of a full
# 1 MiB stack (the stack comes first and grows down to 0; data starts at 1 MiB).
# The full build runs -O2: as small as -Oz within 0.3 KB of gzip, quicker to run, and its module
# 1-3% faster (-O3 is 4 KB larger, past the budget). The lite build runs the -Oz pipeline three
# times: about 1.4 KB of gzip for a few seconds, which its budget needs. The producers section
# (which compilers made the module) is left out of both.
passes=(-O2 -Os)
[ "$flavor" = lite ] && passes=(-Oz -Oz -Oz)
"$wasm_opt" "${passes[@]}" --low-memory-unused --strip-producers \
  --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
  "$work/web/astrolabe_segment_bg.wasm" -o "$out/astrolabe_segment_bg.wasm"
node scripts/embed-wasm.mjs "$work/nodejs/astrolabe_segment.js" "$out/astrolabe_segment_bg.wasm" "$out"
echo "built pkg/dist/$flavor ($(wc -c < "$out/astrolabe_segment_bg.wasm") bytes of wasm)"
