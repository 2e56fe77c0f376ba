# The edge handler's examples (examples/cloudflare-worker, examples/deno, examples/vercel-edge), each
# importing `astrolabe-segment/edge` (pkg/edge/), included by the Makefile:
#   make edge        build the full wasm if needed and serve the Cloudflare Worker example locally in
#                    workerd at http://$(EDGE_ADDRESS) (default 127.0.0.1:8787), settings from the
#                    environment: ASTROLABE_ENDPOINT, ASTROLABE_API_KEY, SEGMENT_WRITE_KEY,
#                    SEGMENT_SHARED_SECRET, ALLOWED_ORIGINS, ASTROLABE_BODY_TIMEOUT_MS, ASTROLABE_RETRY_*
#   make test-edge   end-to-end tests in workerd, with Segment's SDKs from npm as senders (analytics.js
#                    in Chromium), and the Deno server: node --test tests/edge/
EDGE := examples/cloudflare-worker
EDGE_EXAMPLES := examples/cloudflare-worker examples/deno examples/vercel-edge
EDGE_ADDRESS ?= 127.0.0.1:8787
EDGE_WASM := pkg/dist/full/astrolabe_segment_bg.wasm

.PHONY: edge edge-config edge-link test-edge

# Only the full flavor, and only when the Rust sources changed since it was built (make build
# builds both flavors). The entries (pkg/full/) are written with it: the handler loads the engine
# through them.
$(EDGE_WASM): Cargo.toml Cargo.lock crates/core/Cargo.toml $(shell find src crates -name '*.rs') scripts/build-wasm.sh
	$(MAKE) setup-rust setup-node
	scripts/build-wasm.sh full
	node scripts/write-entries.mjs

# What `npm install` makes of each example's "file:../../pkg" dependency, without the registry
# (npm install in the Worker's example also fetches wrangler, which only deploying needs).
edge-link:
	@for dir in $(EDGE_EXAMPLES); do mkdir -p $$dir/node_modules && ln -sfn ../../../pkg $$dir/node_modules/astrolabe-segment; done

edge-config: setup-node $(EDGE_WASM) edge-link
	node scripts/edge/workerd-config.mjs --address $(EDGE_ADDRESS)

edge: edge-config
	@echo "serving http://$(EDGE_ADDRESS) (Ctrl-C stops)"
	cd $(EDGE) && exec $(BIN)/workerd serve .workerd/config.capnp

test-edge: setup-node setup-chromium $(EDGE_WASM) edge-link
	DENO_DIR=$(CARGO_TARGET_DIR)/deno NO_COLOR=1 node --test tests/edge/
