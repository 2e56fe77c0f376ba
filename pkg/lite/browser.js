// Browsers and bundlers (Vite, webpack, Rollup, esbuild): the module is fetched next to this file
// and compiled while it streams in, once, when this module is first imported (top-level await).
// Bundlers see `new URL("...wasm", import.meta.url)` and emit the .wasm as an asset. After a trap,
// the same compiled Module is instantiated again (see ../shared/fast.js).
import init, * as glue from "../dist/lite/astrolabe_segment.js";
import { withFastPath } from "../shared/fast.js";

await init({ module_or_path: new URL("../dist/lite/astrolabe_segment_bg.wasm", import.meta.url) });

// map, validate and mapBatch take the fast path for plain JSON, and every call is guarded against
// a trap (see ../shared/fast.js). __forceTrap is test-only (not in the types).
export const { Destination, map, mapBatch, validate, mapJson, transform, validateMapping, __forceTrap } = withFastPath(glue);
/** The package version. */
export const version = glue.__version();
/** Every issue code, in the README's order. */
export const codes = Object.freeze(glue.__codes());
