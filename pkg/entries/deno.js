// Deno: the .wasm is imported as a compiled module (a source phase import), so loading the package
// needs no --allow-read and no network; initSync instantiates it, and after a trap the same Module
// is instantiated again (see ../shared/fast.js).
import source wasm from "../dist/{{flavor}}/astrolabe_segment_bg.wasm";
import * as glue from "../dist/{{flavor}}/astrolabe_segment.js";
import { withFastPath } from "../shared/fast.js";
import { limits } from "../shared/limits.js";

glue.initSync({ module: wasm });

// map, validate and mapBatch take the fast path for plain JSON, and every call is guarded against
// a trap (see ../shared/fast.js).
const api = withFastPath(glue);
// The trap-recovery tests reach the module's trap through a registered symbol, not an export.
Object.defineProperty(api.Destination, Symbol.for("astrolabe-segment.test.forceTrap"), { value: api.__forceTrap });
export const { Destination, map, mapBatch, validate, mapJson, transform, validateMapping } = api;
/** The limits of input, as the engine enforces them (frozen). */
export { limits };
/** The package version. */
export const version = glue.__version();
/** Every issue code, in the README's order. */
export const codes = Object.freeze(glue.__codes());
