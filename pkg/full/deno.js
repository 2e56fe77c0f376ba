// Deno: the .wasm is imported as a module (Deno instantiates it and links its imports to the glue),
// so loading the package needs no --allow-read and no network.
import * as wasm from "../dist/full/astrolabe_segment_bg.wasm";
import * as glue from "../dist/full/astrolabe_segment_bg.js";
import { withFastPath } from "../shared/fast.js";

glue.__wbg_set_wasm(wasm);
// Set up the externref table (the bundler wrapper does the same, when the module exports it).
wasm.__wbindgen_start?.();

// map, validate, mapBatch and mapJson take the fast path for plain JSON (see ../shared/fast.js).
export const { Destination, map, mapBatch, mapJson, validate } = withFastPath(glue);
export const { transform, validateMapping } = glue;
/** The package version. */
export const version = glue.__version();
/** Every issue code, in the README's order. */
export const codes = Object.freeze(glue.__codes());
