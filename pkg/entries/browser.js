// Browsers and the bundlers that follow `new URL("…wasm", import.meta.url)` (Vite, webpack; Rollup
// with an import-meta-assets plugin): the module is fetched next to this file and compiled while it
// streams in, once, when this module is first imported (top-level await). After a trap, the same
// compiled Module is instantiated again (see ../shared/fast.js). Bundlers that emit no asset for
// that URL (esbuild) or no top-level await (an iife) take ./init.js instead.
import init, * as glue from "../dist/{{flavor}}/astrolabe_segment.js";
import { withFastPath } from "../shared/fast.js";
import { limits } from "../shared/limits.js";

await init({ module_or_path: new URL("../dist/{{flavor}}/astrolabe_segment_bg.wasm", import.meta.url) });

// map, validate and mapBatch take the fast path for plain JSON, and every call is guarded against
// a trap (see ../shared/fast.js).
const api = withFastPath(glue);
// The trap-recovery tests reach the module's trap through a registered symbol, not an export, so
// it stays out of the public surface (the types, the README, `import *`).
Object.defineProperty(api.Destination, Symbol.for("astrolabe-segment.test.forceTrap"), { value: api.__forceTrap });
export const { Destination, map, mapBatch, validate, mapJson, transform, validateMapping } = api;
/** The limits of input, as the engine enforces them (frozen). */
export { limits };
/** The package version. */
export const version = glue.__version();
/** Every issue code, in the README's order. */
export const codes = Object.freeze(glue.__codes());
