// The Node entries' glue with the module's bytes embedded, for scripts/build-wasm.sh:
//   OUT/wasm-bytes.cjs         the .wasm as base64 in JavaScript (`module.exports = Buffer.from(…)`)
//   OUT/astrolabe_segment.cjs  wasm-bindgen's nodejs glue, requiring ./wasm-bytes.cjs where it read
//                              `${__dirname}/astrolabe_segment_bg.wasm`
// A path next to the glue is what breaks a bundle made for Node: esbuild and webpack point
// __dirname at the bundle's directory (ENOENT), `bun build` bakes in the build machine's path. The
// bytes in JavaScript travel with any bundle. Stops if wasm-bindgen ever words the read differently.
// Usage: node scripts/embed-wasm.mjs NODEJS_GLUE WASM OUT
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const [glueFile, wasmFile, out] = process.argv.slice(2);
const read = "const wasmPath = `${__dirname}/astrolabe_segment_bg.wasm`;\nconst wasmBytes = require('fs').readFileSync(wasmPath);\n";
const glue = readFileSync(glueFile, "utf8");
const count = glue.split(read).length - 1;
if (count !== 1) {
  console.error(`embed-wasm: the nodejs glue reads its .wasm ${count} times in the expected words, not once`);
  process.exit(1);
}
writeFileSync(path.join(out, "astrolabe_segment.cjs"), glue.replace(read, 'const wasmBytes = require("./wasm-bytes.cjs");\n'));
const base64 = readFileSync(wasmFile).toString("base64");
writeFileSync(
  path.join(out, "wasm-bytes.cjs"),
  `"use strict";\n// Written by scripts/embed-wasm.mjs: astrolabe_segment_bg.wasm, as base64.\nmodule.exports = Buffer.from("${base64}", "base64");\n`,
);
