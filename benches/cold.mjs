// One cold start, in a fresh process (the harness runs it several times): load a contender,
// build what it needs and map one message of each kind. Prints one line of JSON: milliseconds of
// each step, and the files it loaded (for their gzip size).
//
//   node benches/cold.mjs ours-full|ours-lite|ajv|actions-core
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const which = process.argv[2];
const samples = [
  '{"type":"identify","userId":"u1","traits":{"email":"ada@example.com"},"timestamp":"2024-01-02T03:04:05.678Z"}',
  '{"type":"group","groupId":"g1","userId":"u1","traits":{"name":"Initech"}}',
  '{"type":"track","anonymousId":"a1","event":"Order Completed","properties":{"revenue":25,"currency":"USD"}}',
];

// WebAssembly compile and instantiate, timed where the glue calls them (synchronously, in Node).
let compile = 0;
let instantiate = 0;
let wasmFile;
const { Module, Instance } = WebAssembly;
WebAssembly.Module = function (bytes) {
  const start = performance.now();
  const module = new Module(bytes);
  compile += performance.now() - start;
  return module;
};
WebAssembly.Instance = function (module, imports) {
  const start = performance.now();
  const instance = new Instance(module, imports);
  instantiate += performance.now() - start;
  return instance;
};

// The benches' own modules (they load nothing by themselves) are imported before the clock starts.
const { createIncumbent } = await import(join(here, "incumbent.mjs"));
const { createActions } = await import(join(here, "actions.mjs"));

const t0 = performance.now();
let t1;
let t2;
const result = {};
if (which === "ours-full" || which === "ours-lite") {
  const entry = which === "ours-full" ? "astrolabe-segment" : "astrolabe-segment/lite";
  const { Destination } = require(entry);
  t1 = performance.now();
  const destination = new Destination({});
  t2 = performance.now();
  for (const text of samples) destination.mapJson(text);
  result.compile = compile;
  result.instantiate = instantiate;
  wasmFile = join(dirname(require.resolve(entry)), "..", "dist", which === "ours-full" ? "full" : "lite", "astrolabe_segment_bg.wasm");
} else if (which === "ajv") {
  const Ajv = require("ajv");
  const addFormats = require("ajv-formats");
  t1 = performance.now();
  const incumbent = createIncumbent({ Ajv, addFormats }); // new Ajv, formats, 6 schemas compiled
  t2 = performance.now();
  for (const text of samples) incumbent.mapText(text);
} else if (which === "actions-core") {
  require("@segment/actions-core");
  t1 = performance.now();
  const actions = createActions(); // fieldsToJsonSchema for 4 actions
  t2 = performance.now();
  for (const text of samples) actions.mapText(text); // validateSchema compiles each schema on first use
} else {
  console.error("usage: node benches/cold.mjs ours-full|ours-lite|ajv|actions-core");
  process.exit(2);
}
const t3 = performance.now();
result.load = t1 - t0; // require: read, parse and run the JS (and, for ours, compile + instantiate the .wasm)
result.setup = t2 - t1; // new Destination / new Ajv + compile / fieldsToJsonSchema
result.first = t3 - t2; // the first message of each kind
result.total = t3 - t0;
// The files as loaded: JS from require's cache (the benches' own files excluded), plus the .wasm.
result.files = Object.keys(require.cache).filter((file) => !file.startsWith(here + "/") || file.includes("node_modules"));
if (wasmFile) result.files.push(wasmFile);
console.log(JSON.stringify(result));
