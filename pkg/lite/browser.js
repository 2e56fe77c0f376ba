// Browsers and bundlers (Vite, webpack, Rollup, esbuild): the module is fetched next to this file
// and compiled while it streams in, once, when this module is first imported (top-level await).
// Bundlers see `new URL("...wasm", import.meta.url)` and emit the .wasm as an asset.
import init, * as glue from "../dist/lite/astrolabe_segment.js";
import { withFastPath } from "../shared/fast.js";

await init({ module_or_path: new URL("../dist/lite/astrolabe_segment_bg.wasm", import.meta.url) });

// map, validate, mapBatch and mapJson take the fast path for plain JSON (see ../shared/fast.js).
export const { Destination, map, mapBatch, mapJson, validate } = withFastPath(glue);
export const { transform, validateMapping } = glue;
/** The package version. */
export const version = glue.__version();
/** Every issue code, in the README's order. */
export const codes = Object.freeze(glue.__codes());
