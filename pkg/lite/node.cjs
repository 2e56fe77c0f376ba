"use strict";
// Node.js, require() and (through node.js) import: one module instance per process, whichever way
// it is loaded. wasm-bindgen's nodejs glue reads the .wasm next to it and compiles it synchronously.
const glue = require("../dist/lite/astrolabe_segment.cjs");
// map, validate and mapBatch take the fast path for plain JSON, and every call is guarded against
// a trap (see ../shared/fast.js).
const api = require("../shared/fast.cjs").withFastPath(glue);

module.exports = {
  Destination: api.Destination,
  map: api.map,
  mapBatch: api.mapBatch,
  mapJson: api.mapJson,
  validate: api.validate,
  transform: api.transform,
  validateMapping: api.validateMapping,
  version: glue.__version(),
  codes: Object.freeze(glue.__codes()),
  // Test-only (not in the types): makes the module trap, to check the recovery.
  __forceTrap: api.__forceTrap,
};
