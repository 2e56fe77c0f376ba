// The module from the caller (`astrolabe-segment/init`, `astrolabe-segment/lite/init`), in
// wasm-bindgen's style: `await init(source)` with a URL, a fetch Response, bytes or a compiled
// WebAssembly.Module (nothing: the .wasm next to the glue), or `initSync(moduleOrBytes)`. For
// bundlers and platforms where no other entry fits: esbuild's file or binary loader, an iife
// (no top-level await), a platform that compiles the .wasm ahead of time
// (`import wasm from "astrolabe-segment/full.wasm?module"`). Until then every export throws.
import initGlue, * as glue from "../dist/{{flavor}}/astrolabe_segment.js";
import { withFastPath } from "../shared/fast.js";
import { limits } from "../shared/limits.js";

function notReady() {
  return new Error('astrolabe-segment: call init() or initSync() from "astrolabe-segment/init" before using it');
}
const fail = () => {
  throw notReady();
};

// Live bindings: importers see the real API once init has run.
export let Destination = class Destination {
  constructor() {
    throw notReady();
  }
};
export let map = fail;
export let mapBatch = fail;
export let mapJson = fail;
export let validate = fail;
export let transform = fail;
export let validateMapping = fail;
export let version = undefined;
export let codes = undefined;
/** The limits of input (frozen): known before init. */
export { limits };

let ready = false;
function publish() {
  if (ready) return;
  ready = true;
  // map, validate and mapBatch take the fast path for plain JSON, and every call is guarded
  // against a trap (see ../shared/fast.js).
  const api = withFastPath(glue);
  // The trap-recovery tests reach the module's trap through a registered symbol, not an export.
  Object.defineProperty(api.Destination, Symbol.for("astrolabe-segment.test.forceTrap"), { value: api.__forceTrap });
  ({ Destination, map, mapBatch, mapJson, validate, transform, validateMapping } = api);
  version = glue.__version();
  codes = Object.freeze(glue.__codes());
}

/** A plain object is wasm-bindgen's own `{ module_or_path }` / `{ module }` form, passed as is. */
const isOptions = (value) => value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;

/** Instantiates the module from a URL, a Response, bytes or a WebAssembly.Module (or a promise of one). */
export default async function init(source) {
  await initGlue(source === undefined || isOptions(source) ? source : { module_or_path: source });
  publish();
}

/** Instantiates the module from bytes or a compiled WebAssembly.Module, synchronously. */
export function initSync(source) {
  glue.initSync(isOptions(source) ? source : { module: source });
  publish();
}
