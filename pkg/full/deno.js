// Deno: the .wasm is imported as a module (Deno instantiates it and links its imports to the glue),
// so loading the package needs no --allow-read and no network.
import * as wasm from "../dist/full/astrolabe_segment_bg.wasm";
import { __wbg_set_wasm, Destination, map, mapBatch, mapJson, validate, transform, validateMapping, __version, __codes } from "../dist/full/astrolabe_segment_bg.js";

__wbg_set_wasm(wasm);

export { Destination, map, mapBatch, mapJson, validate, transform, validateMapping };
/** The package version. */
export const version = __version();
/** Every issue code, in the README's order. */
export const codes = Object.freeze(__codes());
