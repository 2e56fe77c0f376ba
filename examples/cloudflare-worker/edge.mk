# The Cloudflare Worker example (examples/cloudflare-worker), included by the Makefile:
#   make edge        build the full wasm if needed and serve the Worker in workerd at
#                    http://$(EDGE_ADDRESS) (default 127.0.0.1:8787), settings from the environment:
#                    ASTROLABE_ENDPOINT, ASTROLABE_API_KEY, SEGMENT_WRITE_KEY, SEGMENT_SHARED_SECRET,
#                    ALLOWED_ORIGINS, ASTROLABE_RETRY_*
#   make test-edge   end-to-end tests in workerd, with Segment's SDKs from npm as senders (analytics.js
#                    in Chromium), and a Deno smoke test: node --test tests/edge/
EDGE := examples/cloudflare-worker
EDGE_ADDRESS ?= 127.0.0.1:8787
EDGE_WASM := pkg/dist/full/astrolabe_segment_bg.wasm

.PHONY: edge edge-config test-edge

# Only the full flavor, and only when the Rust sources changed since it was built (make build
# builds both flavors).
$(EDGE_WASM): Cargo.toml Cargo.lock crates/core/Cargo.toml $(shell find src crates -name '*.rs') scripts/build-wasm.sh
	$(MAKE) setup-rust setup-node
	scripts/build-wasm.sh full

# What `npm install` makes of the example's "file:../../pkg" dependency, without the registry
# (npm install there also fetches wrangler, which only deploying needs).
$(EDGE)/node_modules/astrolabe-segment:
	mkdir -p $(EDGE)/node_modules
	ln -sfn ../../../pkg $@

edge-config: setup-node $(EDGE_WASM) | $(EDGE)/node_modules/astrolabe-segment
	node $(EDGE)/scripts/workerd-config.mjs --address $(EDGE_ADDRESS)

edge: edge-config
	@echo "serving http://$(EDGE_ADDRESS) (Ctrl-C stops)"
	cd $(EDGE) && exec $(BIN)/workerd serve .workerd/config.capnp

test-edge: setup-node setup-chromium $(EDGE_WASM) | $(EDGE)/node_modules/astrolabe-segment
	DENO_DIR=$(CARGO_TARGET_DIR)/deno NO_COLOR=1 node --test tests/edge/
