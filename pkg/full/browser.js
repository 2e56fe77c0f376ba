// Browsers and bundlers (Vite, webpack, Rollup, esbuild): the module is fetched next to this file
// and compiled while it streams in, once, when this module is first imported (top-level await).
// Bundlers see `new URL("...wasm", import.meta.url)` and emit the .wasm as an asset.
import init, { Destination, map, mapBatch, mapJson, validate, transform, validateMapping, __version, __codes } from "../dist/full/astrolabe_segment.js";

await init({ module_or_path: new URL("../dist/full/astrolabe_segment_bg.wasm", import.meta.url) });

export { Destination, map, mapBatch, mapJson, validate, transform, validateMapping };
/** The package version. */
export const version = __version();
/** Every issue code, in the README's order. */
export const codes = Object.freeze(__codes());
