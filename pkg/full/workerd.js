// Cloudflare Workers (workerd): Workers cannot compile WebAssembly from bytes, so the .wasm is
// imported as a module (wrangler and workerd configs treat `*.wasm` imports as compiled modules).
import wasm from "../dist/full/astrolabe_segment_bg.wasm";
import { initSync, Destination, map, mapBatch, mapJson, validate, transform, validateMapping, __version, __codes } from "../dist/full/astrolabe_segment.js";

initSync({ module: wasm });

export { Destination, map, mapBatch, mapJson, validate, transform, validateMapping };
/** The package version. */
export const version = __version();
/** Every issue code, in the README's order. */
export const codes = Object.freeze(__codes());
