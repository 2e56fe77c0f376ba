// The init entries (`astrolabe-segment/init`, `astrolabe-segment/lite/init`) in Node: every export
// throws a clear Error until init or initSync has run; then they are the API, from bytes, a
// compiled Module or a URL's Response alike, and later calls of init keep the first instance.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import "./helpers.mjs";

const require = createRequire(import.meta.url);
const wasmFile = (flavor) => require.resolve(`astrolabe-segment/${flavor}.wasm`);

test("before init, every export throws an Error that says what to do", async () => {
  const api = await import("astrolabe-segment/init"); // (the tests below run after this one)
  assert.throws(() => new api.Destination(), /call init\(\) or initSync\(\)/);
  assert.throws(() => api.map({ type: "identify", userId: "u" }), /call init\(\) or initSync\(\)/);
  assert.equal(api.version, undefined);
});

test("initSync with a compiled Module (full), as a platform that compiles ahead of time gives it", async () => {
  const api = await import("astrolabe-segment/init");
  api.initSync(new WebAssembly.Module(readFileSync(wasmFile("full"))));
  assert.equal(new api.Destination({ trackingPlan: { rules: [] } }).map({ type: "identify", userId: "u" }).status, "mapped");
  assert.equal(api.version, JSON.parse(readFileSync(require.resolve("astrolabe-segment/package.json"), "utf8")).version);
  assert.equal(api.codes.length, (await import("astrolabe-segment")).codes.length);
  const before = api.Destination;
  api.initSync(readFileSync(wasmFile("full")));
  assert.equal(api.Destination, before, "a second initSync keeps the first instance");
});

test("init with a Response (lite), and the lite build refuses a tracking plan", async () => {
  const api = await import("astrolabe-segment/lite/init");
  const bytes = readFileSync(wasmFile("lite"));
  await api.default(new Response(bytes, { headers: { "content-type": "application/wasm" } }));
  assert.deepEqual(api.map({ type: "track", userId: 1, event: "e" }).warnings.map((issue) => issue.code), ["id_coerced"]);
  assert.throws(() => new api.Destination({ trackingPlan: { rules: [] } }), /trackingPlan/);
  assert.ok(fileURLToPath(import.meta.resolve("astrolabe-segment/lite/init")).endsWith("lite/init.js"));
});
