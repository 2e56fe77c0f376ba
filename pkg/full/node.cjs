"use strict";
// Node.js, require() and (through node.js) import: one module instance per process, whichever way
// it is loaded. wasm-bindgen's nodejs glue reads the .wasm next to it and compiles it synchronously.
const glue = require("../dist/full/astrolabe_segment.cjs");
// map, validate, mapBatch and mapJson take the fast path for plain JSON (see ../shared/fast.js).
const fast = require("../shared/fast.cjs").withFastPath(glue);

module.exports = {
  Destination: fast.Destination,
  map: fast.map,
  mapBatch: fast.mapBatch,
  mapJson: fast.mapJson,
  validate: fast.validate,
  transform: glue.transform,
  validateMapping: glue.validateMapping,
  version: glue.__version(),
  codes: Object.freeze(glue.__codes()),
};
