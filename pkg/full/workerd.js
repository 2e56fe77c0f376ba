// Cloudflare Workers (workerd): Workers cannot compile WebAssembly from bytes, so the .wasm is
// imported as a module (wrangler and workerd configs treat `*.wasm` imports as compiled modules).
import wasm from "../dist/full/astrolabe_segment_bg.wasm";
import * as glue from "../dist/full/astrolabe_segment.js";
import { withFastPath } from "../shared/fast.js";

glue.initSync({ module: wasm });

// map, validate, mapBatch and mapJson take the fast path for plain JSON (see ../shared/fast.js).
export const { Destination, map, mapBatch, mapJson, validate } = withFastPath(glue);
export const { transform, validateMapping } = glue;
/** The package version. */
export const version = glue.__version();
/** Every issue code, in the README's order. */
export const codes = Object.freeze(glue.__codes());
