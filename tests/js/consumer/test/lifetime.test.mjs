// A Destination's lifetime, on the installed package: building one per call and never freeing it
// (what people do, whatever the README says) costs the same on the millionth call as on the first,
// and holds nothing in the module. Identical settings share one compiled Destination
// (src/destination_cache.rs); free() releases settings no other Destination holds at once.
//
// No timing is asserted: the test compares the CPU time of the last 100,000 calls with the first's
// (a ratio, in one process), each block taken as the median of its ten blocks of 10,000, so that
// another process on the machine, or one collection, cannot make it fail. Before, each Destination
// was a wasm-bindgen object with memory in the module and a finalization registration of its own:
// in a loop that never yields none is finalized, and every full collection (set off by the
// module's memory growing to hold them) walked them all, so the ratio passed 20.
import { describe, test } from "node:test";
import assert from "node:assert/strict";

const Instance = WebAssembly.Instance;
/** The module's instances, newest last, to read their memory. */
const instances = [];
WebAssembly.Instance = function WatchedInstance(module, imports) {
  const instance = new Instance(module, imports);
  instances.push(instance);
  return instance;
};
WebAssembly.Instance.prototype = Instance.prototype;

const flavors = [
  ["full", await import("astrolabe-segment")],
  ["lite", await import("astrolabe-segment/lite")],
];
WebAssembly.Instance = Instance;
const memoryOf = (index) => instances[index].exports.memory.buffer.byteLength;

const message = JSON.stringify({ type: "track", userId: "u_1", event: "Order Completed", properties: { total: 42, currency: "EUR" } });

/** CPU time (user and system, all of this process's threads: collections included) of `run`, in µs. */
function cpuTime(run) {
  const before = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(before);
  return user + system;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const [index, [flavor, { Destination }]] of flavors.entries()) {
  describe(`a Destination's lifetime, ${flavor}`, () => {
    test("new Destination().mapJson(...), never freed: the last 100,000 calls cost what the first did", () => {
      const block = (count) => {
        for (let i = 0; i < count; i += 1) new Destination().mapJson(message);
      };
      block(20_000); // warm up: the JIT's tiers, the module's buffers
      const memoryBefore = memoryOf(index);
      const blocks = [];
      for (let hundred = 0; hundred < 5; hundred += 1) {
        const tens = [];
        for (let ten = 0; ten < 10; ten += 1) tens.push(cpuTime(() => block(10_000)));
        blocks.push(median(tens) * 10);
      }
      const ratio = blocks.at(-1) / blocks[0];
      const shown = blocks.map((us) => `${(us / 1000).toFixed(0)} ms`).join(", ");
      if (process.env.SHOW_LIFETIME) console.log(`${flavor}: per 100,000 calls ${shown}; last/first ${ratio.toFixed(2)}`);
      assert.ok(ratio < 1.5, `the last 100,000 calls took ${ratio.toFixed(2)}x the first's (${shown})`);
      const grown = memoryOf(index) - memoryBefore;
      assert.ok(grown <= 64 * 1024, `the module's memory grew by ${grown} bytes over 500,000 Destinations`);
    });

    test("a Destination per request with a mapping costs the module nothing, and free() releases at once", () => {
      const config = { strict: true, mappings: { trackEvent: { properties: { "@path": "$.properties" } } } };
      new Destination(config).mapJson(message);
      const memoryBefore = memoryOf(index);
      for (let i = 0; i < 50_000; i += 1) new Destination(config).mapJson(message);
      // Settings seen once each, freed at once: each compiled, then dropped or kept idle (a bounded few).
      for (let i = 0; i < 2_000; i += 1) {
        const own = new Destination({ mappings: { trackEvent: { properties: { "@literal": { build: i } } } } });
        assert.equal(JSON.parse(own.mapJson(message)).operations[0].properties.build, i);
        own.free();
      }
      const grown = memoryOf(index) - memoryBefore;
      assert.ok(grown <= 256 * 1024, `the module's memory grew by ${grown} bytes`);
    });

    test("Destinations sharing settings are each their own: free() on one leaves the others working", () => {
      const numeric = JSON.stringify({ type: "track", userId: 42, event: "e" });
      const a = new Destination({ strict: true });
      const b = new Destination({ strict: true });
      a.free();
      assert.throws(() => a.mapJson(numeric), /freed/);
      assert.equal(JSON.parse(b.mapJson(numeric)).status, "invalid", "still strict");
      a.free(); // twice: nothing more happens
      b.free();
      assert.equal(JSON.parse(new Destination({ strict: true }).mapJson(numeric)).status, "invalid");
      if (typeof Symbol.dispose === "symbol") {
        const disposed = new Destination({ strict: true });
        disposed[Symbol.dispose]();
        assert.throws(() => disposed.map({ type: "identify", userId: "u" }), /freed/);
      }
      assert.throws(() => Destination.prototype.mapJson.call({}, numeric), /not a Destination/);
    });

    test("settings the module dropped (freed, past the idle ones it keeps) are compiled again when built again", () => {
      const numeric = JSON.stringify({ type: "track", userId: 42, event: "e" });
      const literal = (n) => ({ mappings: { trackEvent: { properties: { "@literal": { n } } } } });
      new Destination({ strict: true }).free();
      for (let n = 0; n < 40; n += 1) new Destination(literal(n)).free(); // their places in the module are reused
      assert.equal(JSON.parse(new Destination({ strict: true }).mapJson(numeric)).status, "invalid", "strict again");
      for (const n of [3, 39, 0]) {
        const again = new Destination(literal(n));
        assert.equal(JSON.parse(again.mapJson(message)).operations[0].properties.n, n);
        again.free();
      }
    });
  });
}
