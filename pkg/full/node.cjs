"use strict";
// Node.js, require() and (through node.js) import: one module instance per process, whichever way
// it is loaded. wasm-bindgen's nodejs glue reads the .wasm next to it and compiles it synchronously.
const glue = require("../dist/full/astrolabe_segment.cjs");

module.exports = {
  Destination: glue.Destination,
  map: glue.map,
  mapBatch: glue.mapBatch,
  mapJson: glue.mapJson,
  validate: glue.validate,
  transform: glue.transform,
  validateMapping: glue.validateMapping,
  version: glue.__version(),
  codes: Object.freeze(glue.__codes()),
};
