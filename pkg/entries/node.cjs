"use strict";
// Node.js (and Bun), require() and (through node.js) import: one module instance per process,
// whichever way it is loaded. The .wasm's bytes are embedded in JavaScript (wasm-bytes.cjs), not
// read from a path next to this file: a bundle for Node (esbuild, webpack, Rollup, `bun build`)
// then carries them along, where a path would point into the build machine or nowhere.
const glue = require("../dist/{{flavor}}/astrolabe_segment.cjs");
// map, validate and mapBatch take the fast path for plain JSON, and every call is guarded against
// a trap (see ../shared/fast.js).
const api = require("../shared/fast.cjs").withFastPath(glue);
// The trap-recovery tests reach the module's trap through a registered symbol, not an export.
Object.defineProperty(api.Destination, Symbol.for("astrolabe-segment.test.forceTrap"), { value: api.__forceTrap });

module.exports = {
  Destination: api.Destination,
  map: api.map,
  mapBatch: api.mapBatch,
  mapJson: api.mapJson,
  validate: api.validate,
  transform: api.transform,
  validateMapping: api.validateMapping,
  limits: require("../shared/limits.cjs").limits,
  version: glue.__version(),
  codes: Object.freeze(glue.__codes()),
};
