// Resource bounds and trap recovery, on the installed package. WebAssembly.Instance is watched
// (before the package loads) so the tests can read each instance's memory and count instances:
//  - a trap (forceTrap, under a registered symbol on Destination, no export: `unreachable` in the middle of a call, as a bug would trap
//    under panic=abort) throws one clear Error for that call, re-instantiates the module, and the
//    next call works; Destinations made before are rebuilt from their settings on their next call;
//  - wasm memory levels off over 400,000 calls of every kind, valid and hostile.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";

const Instance = WebAssembly.Instance;
/** Every instance made, by compiled Module (one Module per flavor). */
const instances = new Map();
WebAssembly.Instance = function WatchedInstance(module, imports) {
  const instance = new Instance(module, imports);
  if (!instances.has(module)) instances.set(module, []);
  instances.get(module).push(instance);
  return instance;
};
WebAssembly.Instance.prototype = Instance.prototype;

const { loadAll, consumerDir } = await import("./helpers.mjs");
const loaded = await loadAll();
// (The watch stays: re-instantiations after a trap are counted too.)

// full via import and via require share one instance, as lite does: two Modules in all.
assert.equal(instances.size, 2, "one compiled Module per flavor");
const [fullModule, liteModule] = [...instances.keys()];
const moduleOf = (flavor) => (flavor === "full" ? fullModule : liteModule);
const current = (flavor) => instances.get(moduleOf(flavor)).at(-1);
const memoryBytes = (flavor) => current(flavor).exports.memory.buffer.byteLength;

const identify = () => ({ type: "identify", userId: "u1", traits: { email: "ada@example.com" } });
const numericId = () => ({ type: "track", userId: 42, event: "e" });

for (const { label, flavor, api } of loaded) {
  const { Destination, map, mapBatch, mapJson, validate, transform, validateMapping } = api;
  const forceTrap = Destination[Symbol.for("astrolabe-segment.test.forceTrap")];

  describe(`trap recovery, ${label}`, () => {
    test("the trap is test-only: no export, absent from the types and the README", () => {
      assert.equal(typeof forceTrap, "function");
      assert.ok(!("__forceTrap" in api) && !Object.values(api).includes(forceTrap));
      const installed = path.join(consumerDir, "node_modules/astrolabe-segment");
      for (const file of ["types/core.d.ts", "types/index.d.ts", "types/lite.d.ts", "types/core.d.cts", "README.md"]) {
        assert.ok(!/forceTrap/i.test(readFileSync(path.join(installed, file), "utf8")), file);
      }
    });

    test("a trap throws one clear Error, re-instantiates the module, and the next call works", () => {
      const strict = new Destination({ strict: true });
      const plain = new Destination();
      const freed = new Destination();
      freed.free();
      const before = instances.get(moduleOf(flavor)).length;
      assert.throws(
        () => forceTrap({ type: "track", properties: { list: [1, { deep: ["x"] }] } }),
        (error) =>
          error instanceof Error &&
          !(error instanceof WebAssembly.RuntimeError) &&
          /internal error.*instantiated again/.test(error.message) &&
          error.cause instanceof WebAssembly.RuntimeError,
      );
      assert.equal(instances.get(moduleOf(flavor)).length, before + 1, "one new instance of the same Module");
      // Every function works on the new instance.
      assert.equal(map(identify()).status, "mapped");
      assert.equal(validate(identify()).valid, true);
      assert.equal(mapBatch([identify()]).outcomes[0].status, "mapped");
      assert.equal(JSON.parse(mapJson(JSON.stringify(identify()))).status, "mapped");
      assert.equal(transform({ "@path": "$.a" }, { a: 1 }), 1);
      assert.deepEqual(validateMapping({ a: { "@path": "$.a" } }), []);
      // Destinations made before are rebuilt with their settings on their next call.
      assert.equal(strict.map(numericId()).status, "invalid");
      assert.deepEqual(strict.validate(numericId()).errors.map((e) => e.code), ["id_coerced"]);
      assert.equal(plain.map(numericId()).status, "mapped");
      assert.equal(JSON.parse(plain.mapJson(JSON.stringify(numericId()))).status, "mapped");
      assert.equal(plain.mapBatch([numericId()]).outcomes[0].status, "mapped");
      // One freed before stays freed; free() on a rebuilt one releases it.
      assert.throws(() => freed.map(identify()));
      strict.free();
      assert.throws(() => strict.map(identify()));
      plain.free();
      assert.equal(new Destination({ strict: true }).map(numericId()).status, "invalid");
    });

    test("a Destination not used between traps is rebuilt once, then freed once", () => {
      const kept = new Destination({ strict: true });
      for (let round = 0; round < 3; round += 1) assert.throws(() => forceTrap(round), /internal error/);
      assert.equal(kept.map(numericId()).status, "invalid");
      assert.throws(() => forceTrap(null), /internal error/);
      // Freed while stale: nothing of it lives in the new instance; the object is freed.
      kept.free();
      assert.throws(() => kept.map(identify()));
      if (Symbol.dispose) {
        const disposed = new Destination();
        assert.throws(() => forceTrap(1), /internal error/);
        disposed.map(identify());
        disposed[Symbol.dispose]();
        assert.throws(() => disposed.map(identify()));
      }
      assert.equal(map(identify()).status, "mapped");
    });

    test("a trap inside a Destination's call leaves the Destination usable", () => {
      const destination = new Destination({ mappings: { upsertUser: { plan: { "@path": "$.traits.plan" } } } });
      assert.throws(() => forceTrap(destination), /internal error/);
      const outcome = destination.map({ ...identify(), traits: { plan: "pro" } });
      assert.deepEqual(outcome.operations[0].traits, { plan: "pro" });
      destination.free();
    });
  });
}

const full = loaded.find(({ label }) => label === "full via import").api;

test("wasm memory levels off over 400,000 calls of every kind", () => {
  const strict = new full.Destination({ strict: true });
  const hostile = { type: "track", userId: "u", event: "e", properties: { n: NaN, big: 1n, deep: [[[[[]]]]] } };
  const batch = { batch: [identify(), numericId(), { type: "page" }], context: { groupId: "g" } };
  const calls = [
    () => full.map(identify()),
    () => strict.map(numericId()),
    () => full.validate(hostile),
    () => full.mapJson('{"type":"identify","userId":"u","traits":{"email":"x"}}'),
    () => full.mapJson('{"type":"track",'),
    () => full.mapJson(new Uint8Array([0x7b, 0xff])),
    () => full.mapBatch(batch),
    () => strict.mapBatch([hostile]),
    () => full.transform({ a: { "@template": "{{traits.email}}" } }, identify()),
    () => new full.Destination().free(),
  ];
  const levels = [];
  const total = 400_000;
  for (let at = 0; at < total; at += 1) {
    calls[at % calls.length]();
    if ((at + 1) % 100_000 === 0) levels.push(memoryBytes("full"));
  }
  // Memory grows in 64 KB pages while the allocator warms up, then stays put.
  const [first, ...rest] = levels;
  if (process.env.SHOW_LEVELS) console.log(levels);
  for (const level of rest) assert.ok(level - first <= 64 * 1024, `memory after each 100,000 calls: ${levels.join(", ")} bytes`);
  assert.ok(first < 32 * 1024 * 1024, `memory: ${first} bytes`);
  strict.free();
});

test("mapJson refuses a 50 MB text without copying it into the module's memory", () => {
  const before = memoryBytes("full");
  const padding = "x".repeat(50 * 1024 * 1024);
  for (const input of [`{"type":"identify","userId":"u","traits":{"p":"${padding}"}}`, `[${padding}]`]) {
    const outcome = JSON.parse(full.mapJson(input));
    assert.deepEqual(outcome.errors.map((e) => e.code), [input.startsWith("[") ? "batch_too_large" : "too_large"]);
    const bytes = new TextEncoder().encode(input);
    assert.equal(JSON.parse(full.mapJson(bytes)).errors.length, 1);
    assert.equal(JSON.parse(full.mapJson(bytes.buffer)).errors.length, 1);
  }
  assert.ok(memoryBytes("full") - before < 4 * 1024 * 1024, `memory grew from ${before} to ${memoryBytes("full")} bytes`);
});
