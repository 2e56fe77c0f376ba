# astrolabe-segment: Rust crate, WebAssembly builds and the npm package in pkg/.
#   make setup   install what is missing (idempotent): wasm32 target, wasm-bindgen-cli 0.2.129,
#                the npm tooling (binaryen, typescript, workerd, deno, playwright-core, and Segment's
#                analytics-next and analytics-node as the edge tests' senders), Chromium
#   make build   pkg/dist/{full,lite,tools}: cargo build --release (wasm32, with the regex crates' unused
#                features cut: scripts/trim-regex.mjs) + wasm-bindgen + wasm-opt; tools is the
#                command line's build (pkg/cli/: astrolabe-segment check), loaded by nothing else
#   make size    raw and gzip -9 size of each .wasm, beside its budget (fails when over; tools has none)
#   make test    everything: cargo test, clippy (both feature sets, host and wasm32), build, JS tests
#   make pack    the npm tarball, target/npm/astrolabe-segment-VERSION.tgz (make build first)
#   make test-js the JS tests alone (package installed by name in tests/js/consumer)
#   make test-bundlers  real builds with Vite, webpack, Rollup, esbuild, Bun and for Vercel Edge
#   make serve   build, then serve the playground (www/, with pkg/ at /pkg/) on http://localhost:8080/,
#                which is also a local Segment endpoint, the inspector (docs/inspector.md)
#   make test-browser  build, then the playground's tests (its modules in Node, the page in Chromium)

#   make edge    serve the Cloudflare Worker example locally in workerd (see scripts/edge/edge.mk)
#   make test-edge  its end-to-end tests in workerd (Segment's SDKs as senders, analytics.js in Chromium) and Deno
#   make fuzz    each cargo-fuzz target for FUZZ_SECONDS (default 60) from the fixtures (nightly; not in make test)

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
export CARGO_TARGET_DIR ?= $(CURDIR)/target
WASM_BINDGEN_VERSION := 0.2.129
BIN := $(CURDIR)/node_modules/.bin

.PHONY: all setup setup-rust setup-node setup-chromium build size test test-rust test-js pack install-consumer test-bundlers
all: build

setup: setup-rust setup-node setup-chromium

setup-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@wasm-bindgen --version 2>/dev/null | grep -qx 'wasm-bindgen $(WASM_BINDGEN_VERSION)' \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked
	@wasm-bindgen --version

setup-node: node_modules/.installed

# npm ci only when package.json or the lock changed since the last install.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

setup-chromium:
	@[ -x /usr/bin/chromium ] || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

build: setup-rust setup-node
	scripts/build-wasm.sh full
	scripts/build-wasm.sh lite
	scripts/build-wasm.sh tools
	node scripts/write-entries.mjs
	@# The require condition's types: the same declarations as CommonJS (.d.cts importing .d.cts).
	for name in core index lite; do sed 's#from "\./\([a-z-]*\)\.js"#from "./\1.cjs"#' pkg/types/$$name.d.ts > pkg/types/$$name.d.cts; done
	@# node.cjs requires the fast path as CommonJS: fast.js with its one export made module.exports,
	@# and its one import (the limits scripts/write-entries.mjs wrote) a require.
	@test "$$(grep -c '^export ' pkg/shared/fast.js)" = 1 && grep -q '^export function withFastPath(' pkg/shared/fast.js \
	  && test "$$(grep -c '^import ' pkg/shared/fast.js)" = 1 && grep -qx 'import { limits } from "./limits.js";' pkg/shared/fast.js \
	  || { echo "pkg/shared/fast.js must have exactly one export, function withFastPath, and one import, of ./limits.js" >&2; exit 1; }
	{ echo '"use strict";'; echo '// Written by make build from fast.js: edit that file.'; \
	  sed -e 's/^export function /function /' -e 's#^import { limits } from "\./limits\.js";$$#const { limits } = require("./limits.cjs");#' pkg/shared/fast.js; \
	  echo 'module.exports = { withFastPath };'; } > pkg/shared/fast.cjs
	cp README.md LICENSE-MIT LICENSE-APACHE pkg/

size:
	@scripts/size.sh

test-rust:
	cargo test --workspace --all-features
	cargo test --workspace --no-default-features
	cargo clippy --workspace --all-targets --all-features -- -D warnings
	cargo clippy --workspace --all-targets --no-default-features -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --workspace --lib --all-features -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --workspace --lib --no-default-features -- -D warnings

# The package as users get it: `make pack` writes the npm tarball to target/npm/ (what the README's
# install instructions use). The JS tests install it by name in the consumer project, afresh on
# every run, so they never see a stale copy (a test compares the bytes too).
PACK_DIR := $(CURDIR)/target/npm
CONSUMER := tests/js/consumer
pack:
	@test -f pkg/dist/full/astrolabe_segment_bg.wasm -a -f pkg/dist/lite/astrolabe_segment_bg.wasm -a -f pkg/dist/tools/astrolabe_segment.cjs -a -f pkg/shared/fast.cjs -a -f pkg/shared/limits.cjs -a -f pkg/full/node.cjs \
	  || { echo "pkg/ is not built: run make build" >&2; exit 1; }
	mkdir -p $(PACK_DIR)
	rm -f $(PACK_DIR)/astrolabe-segment-*.tgz
	cd pkg && npm pack --silent --pack-destination $(PACK_DIR) >/dev/null
	@echo "wrote $$(ls $(PACK_DIR)/astrolabe-segment-*.tgz)"

install-consumer: pack
	rm -rf $(CONSUMER)/.pack $(CONSUMER)/node_modules/astrolabe-segment
	mkdir -p $(CONSUMER)/.pack
	cp $(PACK_DIR)/astrolabe-segment-*.tgz $(CONSUMER)/.pack/astrolabe-segment.tgz
	cd $(CONSUMER) && npm install --no-audit --no-fund --no-package-lock --offline --silent

test-js: install-consumer
	cd $(CONSUMER) && node --test test/*.test.mjs test/*.test.cjs
	cd $(CONSUMER) && DENO_DIR=$(CARGO_TARGET_DIR)/deno DENO_NO_UPDATE_CHECK=1 NO_COLOR=1 $(BIN)/deno test --no-remote --no-prompt deno/
	node tests/js/workerd/run.mjs

# Real builds of a small app (tests/js/bundlers/src) by Vite, webpack, Rollup, esbuild and Bun, for
# browsers (opened in Chromium), Node and Bun (run), and a Vercel Edge Function (run in workerd),
# each output moved away from the project first. The bundlers are that project's own dev
# dependencies (package.json and lock); the package is the packed tarball, unpacked into its
# node_modules after npm ci (which would remove it).
BUNDLERS := tests/js/bundlers
$(BUNDLERS)/node_modules/.installed: $(BUNDLERS)/package.json $(BUNDLERS)/package-lock.json
	cd $(BUNDLERS) && npm ci --no-audit --no-fund
	@touch $@

test-bundlers: pack $(BUNDLERS)/node_modules/.installed setup-chromium
	rm -rf $(BUNDLERS)/node_modules/astrolabe-segment $(BUNDLERS)/.out
	mkdir -p $(BUNDLERS)/node_modules/astrolabe-segment
	tar xzf $(PACK_DIR)/astrolabe-segment-*.tgz -C $(BUNDLERS)/node_modules/astrolabe-segment --strip-components=1
	cd $(BUNDLERS) && node --test test/*.test.mjs

# Every step runs even when one fails; a summary closes the output (scripts/test-all.sh).
test: setup
	@scripts/test-all.sh

# ---- The playground (www/) ----------------------------------------------------------------------
# test-www runs its tests against the pkg/ already built (make test has built it just before);
# test-browser builds first. PORT=8081 make serve picks another port.
PORT ?= 8080
.PHONY: serve test-www test-browser
serve: build
	node scripts/serve.mjs --port $(PORT)

test-www: setup-node setup-chromium
	node --test tests/www/ tests/browser/

test-browser: build
	$(MAKE) test-www

include scripts/edge/edge.mk

# ---- Benchmarks ----------------------------------------------------------------------------------
# Not part of make test (benchmarks are not tests: nothing asserts a timing).
#   make bench         the package side by side with the JS incumbent (JSON.parse + ajv + mapping +
#                      JSON.stringify), @segment/actions-core and the JSON.parse + JSON.stringify floor,
#                      interleaved in one process on two seeded corpora, reported apart (0.9-3 KB
#                      full-context messages; 300-900 B server SDK and analytics.js ones; each with
#                      batches): benches/run.mjs writes $(CARGO_TARGET_DIR)/bench/results.json and
#                      benches/RESULTS.md
#                      then `astrolabe-segment check` against a plain mapJson loop on the same
#                      messages, 1 to N threads, and its peak RSS on 1 GB through stdin
#                      (benches/check.mjs: the bench:check section of RESULTS.md)
#                      then `astrolabe-segment infer` beside `check` on the same files, 1 to N
#                      threads, and infer's peak RSS on 1 GB through stdin (benches/infer.mjs:
#                      the bench:infer section)
#                      then `astrolabe-segment diff --traffic` against two check runs over the same
#                      traffic (benches/diff.mjs: the bench:diff section)
#                      then personal data detection: mapJson with every kind against the incumbent,
#                      each kind's cost, findings in the corpora, hostile strings (benches/privacy.mjs:
#                      the bench:privacy section)
#   make bench-quick   the same as a smoke run (a few rounds; RESULTS.md left alone)
#   make bench-check   benches/check.mjs alone (RESULTS.md left alone; QUICK=1 for a smoke run)
#   make bench-infer   benches/infer.mjs alone (RESULTS.md left alone; QUICK=1 for a smoke run)
#   make bench-diff    benches/diff.mjs alone (RESULTS.md left alone; QUICK=1 for a smoke run)
#   make bench-privacy benches/privacy.mjs alone (RESULTS.md left alone; QUICK=1 for a smoke run)
#   make bench-native  Criterion benchmarks of the native crate on the same (large) corpus (cargo bench)
#   make bench-readme  copy the last run of benches/RESULTS.md into docs/performance.md, and a
#                      short table of it into the README's "Size and speed"
#   make bench-cases   the older micro cases (custom mapping, tracking plan, plan compile): benches/CASES.md
BENCH_DIR := $(CARGO_TARGET_DIR)/bench
.PHONY: bench bench-quick bench-check bench-infer bench-diff bench-privacy bench-native bench-readme bench-cases bench-setup bench-corpus
bench-setup: build benches/node_modules/.installed

benches/node_modules/.installed: benches/package.json benches/package-lock.json
	cd benches && npm ci --no-audit --no-fund
	@touch $@

bench-corpus:
	node benches/corpus.mjs --out $(BENCH_DIR)/corpus.json

bench: bench-setup bench-corpus
	node benches/run.mjs --corpus $(BENCH_DIR)/corpus.json --markdown benches/RESULTS.md
	node benches/check.mjs --corpus $(BENCH_DIR)/corpus.json --markdown benches/RESULTS.md
	node benches/infer.mjs --corpus $(BENCH_DIR)/corpus.json --markdown benches/RESULTS.md
	node benches/diff.mjs --corpus $(BENCH_DIR)/corpus.json --markdown benches/RESULTS.md
	node benches/privacy.mjs --corpus $(BENCH_DIR)/corpus.json --markdown benches/RESULTS.md

bench-quick: bench-setup bench-corpus
	node benches/run.mjs --quick --corpus $(BENCH_DIR)/corpus.json --markdown $(BENCH_DIR)/RESULTS.md
	node benches/check.mjs --quick --corpus $(BENCH_DIR)/corpus.json --markdown $(BENCH_DIR)/RESULTS.md
	node benches/infer.mjs --quick --corpus $(BENCH_DIR)/corpus.json --markdown $(BENCH_DIR)/RESULTS.md
	node benches/diff.mjs --quick --corpus $(BENCH_DIR)/corpus.json --markdown $(BENCH_DIR)/RESULTS.md
	node benches/privacy.mjs --quick --corpus $(BENCH_DIR)/corpus.json --markdown $(BENCH_DIR)/RESULTS.md

bench-check: build bench-corpus
	node benches/check.mjs $(if $(QUICK),--quick) --corpus $(BENCH_DIR)/corpus.json

bench-infer: build bench-corpus
	node benches/infer.mjs $(if $(QUICK),--quick) --corpus $(BENCH_DIR)/corpus.json
bench-diff: build bench-corpus
	node benches/diff.mjs $(if $(QUICK),--quick) --corpus $(BENCH_DIR)/corpus.json

bench-privacy: build bench-corpus
	node benches/privacy.mjs $(if $(QUICK),--quick) --corpus $(BENCH_DIR)/corpus.json

bench-native: bench-corpus
	ASTROLABE_BENCH_CORPUS=$(BENCH_DIR)/corpus.json cargo bench --bench native -- $(CRITERION_ARGS)

bench-readme:
	node benches/readme.mjs benches/RESULTS.md docs/performance.md README.md

bench-cases: bench-setup
	node benches/compare.mjs --out benches/CASES.md

# ---- Fuzzing ---------------------------------------------------------------------------------------
# cargo-fuzz (libFuzzer, nightly) on map_json, map_batch, the directive engine and tracking plans,
# FUZZ_SECONDS each (default 60), seeded from tests/fixtures/ and ../shared/conformance/ at run
# time (scripts/fuzz.sh). Not part of make test.
.PHONY: fuzz
fuzz:
	scripts/fuzz.sh
