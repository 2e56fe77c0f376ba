// The fast path of map, validate and mapBatch (pkg/shared/fast.js: JSON.stringify with a checking
// replacer, then the Rust parser) against the exact walk over the JS value (crates/wasm/src/convert.rs),
// which the entries' Destination inherits from its parent class. For the fixture corpus and for
// every kind of value JSON.stringify would rewrite, at several places, the two give the same bytes;
// a spy on the walk checks which way each call went.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { deepTrack, fixtures, input, loadAll } from "./helpers.mjs";

const corpus = fixtures();
const loaded = await loadAll();
/** Calls that reached the walk through an entry (import and require share one glue, one spy). */
let walked = 0;

const identify = () => ({ type: "identify", userId: "u1", traits: { email: "ada@example.com", plan: "pro" } });
const track = (properties) => ({ type: "track", userId: "u1", event: "Signed Up", properties });

/** `levels` objects (or arrays) nested around `leaf`: the leaf stands at level `levels + 1`. */
function nest(levels, leaf, kind = "object") {
  let value = leaf;
  for (let level = 0; level < levels; level += 1) value = kind === "object" ? { a: value } : [value];
  return value;
}

/** What a call gives: its result as JSON text, or the class and message of what it threw. */
function outcomeOf(call) {
  try {
    return { result: JSON.stringify(call()) };
  } catch (error) {
    return { threw: error?.constructor?.name, message: String(error?.message) };
  }
}

/** Values the walk must see: JSON.stringify would rewrite, drop or refuse them. */
function notPlain() {
  const cyclic = { name: "loop" };
  cyclic.self = cyclic;
  const cyclicArray = [1];
  cyclicArray.push(cyclicArray);
  class Point {
    constructor() {
      this.x = 1;
    }
  }
  const values = {
    NaN: NaN,
    Infinity: Infinity,
    "-Infinity": -Infinity,
    "-(2^63)": -(2 ** 63),
    "2^64": 2 ** 64,
    "1e21": 1e21,
    "Number.MAX_VALUE": Number.MAX_VALUE,
    bigint: 10n,
    function: () => 1,
    symbol: Symbol("s"),
    Map: new Map([["a", 1]]),
    Set: new Set([1]),
    WeakMap: new WeakMap(),
    WeakSet: new WeakSet(),
    Uint8Array: new Uint8Array([1, 2]),
    Float64Array: new Float64Array([1.5]),
    ArrayBuffer: new ArrayBuffer(2),
    DataView: new DataView(new ArrayBuffer(2)),
    Promise: Promise.resolve(1),
    "new Number(1)": new Number(1),
    "new String": new String("ab"),
    "new Boolean(false)": new Boolean(false),
    "Object(1n)": Object(1n),
    "class instance": new Point(),
    RegExp: /a+/g,
    Error: new Error("boom"),
    "lone high surrogate": "a\ud800",
    "lone low surrogate": "\udc00b",
    "lone surrogate in a key": { ["k\udbff"]: 1 },
    "lone surrogate in a nested key": { ok: { ["\udc00"]: "v" } },
    "sparse array": [1, , 3], // eslint-disable-line no-sparse-arrays
    "undefined in an array": [1, undefined],
    "function in an array": [() => 1],
    "symbol in an array": [Symbol("s")],
    "NaN in an array": [NaN],
    "toJSON that throws": { toJSON() { throw new Error("nope"); } },
    "toJSON giving a Map": { toJSON: () => new Map() },
    "toJSON giving NaN": { toJSON: () => NaN },
    "toJSON giving a boxed number": { toJSON: () => new Number(3) },
    "toJSON giving itself (a function-valued property)": { a: 1, toJSON() { return this; } },
    "toJSON giving undefined, in an array": [{ toJSON: () => undefined }],
    "toJSON in an array, reading its key": [{ toJSON: (key) => `key ${JSON.stringify(key)}` }],
    "Date in an array": [new Date(0)],
    "function with toJSON": Object.assign(() => 1, { toJSON: () => "f" }),
    "getter that throws": { get x() { throw new Error("getter"); } },
    cycle: cyclic,
    "cycle through an array": cyclicArray,
    "object of another realm": vm.runInNewContext("({ a: 1, b: [2] })"),
    "array of another realm holding a Map": vm.runInNewContext("[new Map()]"),
    "deep non-JSON": nest(20, { n: NaN }),
  };
  if (typeof JSON.rawJSON === "function") values.rawJSON = JSON.rawJSON("12345678901234567890");
  return values;
}

/** Plain JSON values, including the ones that look unusual but mean the same both ways. */
function plain() {
  const shared = { leaf: [1, 2] };
  const withProto = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}');
  let calls = 0;
  return {
    "-0": -0,
    zero: 0,
    "1.5": 1.5,
    "0.1": 0.1,
    "5e-324": 5e-324,
    "1e-7": 1e-7,
    "2^53 - 1": 2 ** 53 - 1,
    // Past 2^53 JSON.stringify's digits are not the value's; the walk writes the same digits.
    "2^53": 2 ** 53,
    "-(2^53)": -(2 ** 53),
    "2^53 + 2": 2 ** 53 + 2,
    "157963456373623802 (an id)": 157963456373623802,
    "2^63": 2 ** 63,
    "-(2^63) + 2^11": -(2 ** 63) + 2 ** 11,
    "just below 2^64": 18446744073709549568,
    "-(2^53 - 1)": -(2 ** 53 - 1),
    "1e15 + 0.5": 1e15 + 0.5,
    string: "plain",
    "empty string": "",
    "surrogate pair": "emoji \ud83d\ude00",
    "line separators": "a\u2028b\u2029c\u0000d\"e\\f",
    null: null,
    true: true,
    false: false,
    "empty object": {},
    "empty array": [],
    "nested arrays": [[1, [2, [3, "x"]]], { a: [null, true] }],
    "null prototype": Object.assign(Object.create(null), { a: 1, b: { c: "d" } }),
    "__proto__ and constructor keys": withProto,
    "numeric-looking keys": { 10: "a", 2: "b", x: "c", "-1": "d", "01": "e" },
    "undefined property": { a: undefined, b: 2 },
    "symbol key": { [Symbol("s")]: 1, visible: 2 },
    "shared sub-objects": { one: shared, two: shared, list: [shared, shared] },
    Date: new Date("2024-01-02T03:04:05.678Z"),
    "invalid Date": new Date(NaN),
    "toJSON giving an object": { toJSON: () => ({ x: [1, 2] }) },
    "toJSON giving undefined": { toJSON: () => undefined },
    "toJSON reading its key": { toJSON: (key) => `key ${JSON.stringify(key)}` },
    "toJSON counting its calls": { toJSON: () => { calls += 1; return "called"; } },
    "non-function toJSON": { toJSON: 5, b: 1 },
    getter: { get x() { return { y: 1 }; } },
    "50 nested objects": nest(50, 1),
    "a property called toString": { toString: "x", valueOf: 1 },
  };
}

/** Where each value goes; `fast` says whether the fast path applies there (for a plain value). */
const places = [
  { name: "a property", call: "map", args: (value) => [track({ x: value })] },
  { name: "a deep property", call: "map", args: (value) => [track({ a: { b: [{ c: value }] } })] },
  { name: "an array item", call: "map", args: (value) => [track({ list: [0, value] })], arrayItem: true },
  { name: "a trait, typed by options", call: "map", args: (value) => [{ userId: "u1", traits: { x: value } }, { type: "identify" }] },
  { name: "the root", call: "map", args: (value) => [value], root: true },
  { name: "validate, a property", call: "validate", args: (value) => [track({ x: value })] },
  { name: "validate, the userId", call: "validate", args: (value) => [{ type: "track", userId: value, event: "e" }] },
  { name: "a batch item", call: "mapBatch", args: (value) => [{ batch: [identify(), track({ x: value })] }] },
  { name: "a bare batch item", call: "mapBatch", args: (value) => [[track({ x: value }), identify()]] },
  { name: "the batch envelope", call: "mapBatch", args: (value) => [{ batch: [identify()], context: { x: value } }] },
  { name: "the batch root", call: "mapBatch", args: (value) => [value], root: true },
];

/** Plain values whose toJSON gives another value: in an array, the walk's (see below). */
const toJsonKinds = new Set(["Date", "invalid Date", "toJSON giving an object", "toJSON giving undefined", "toJSON reading its key",
  "toJSON counting its calls"]);

for (const { label, flavor, api } of loaded) {
  describe(`fast path, ${label}`, () => {
    // The walk: the methods of the class the entries' Destination extends (the module's walk over
    // the JS value). The spy counts the calls that reach it through the entry (super.map and the like).
    const walk = Object.getPrototypeOf(api.Destination.prototype);
    walk.__exact ??= { map: walk.map, validate: walk.validate, mapBatch: walk.mapBatch };
    const exact = walk.__exact;
    for (const method of Object.keys(exact)) {
      walk[method] = function spy(...args) {
        walked += 1;
        return exact[method].apply(this, args);
      };
    }
    const destination = new api.Destination();

    /**
     * `destination[method](...args)` and the default-instance function against the walk, byte for
     * byte; `way` ("fast" or "walk") is the path the Destination call must take, if given.
     */
    function same(method, args, way, what) {
      const before = walked;
      const viaEntry = outcomeOf(() => destination[method](...args));
      const took = walked - before;
      const viaWalk = outcomeOf(() => exact[method].apply(destination, args));
      assert.deepEqual(viaEntry, viaWalk, `${what}: ${method} differs from the walk`);
      assert.deepEqual(outcomeOf(() => api[method](...args)), viaWalk, `${what}: the default ${method} differs from the walk`);
      if (way) assert.equal(took === 0 ? "fast" : "walk", way, `${what}: ${method} took the wrong path`);
      return JSON.parse(viaWalk.result ?? "null");
    }

    test("the Destination extends the exact walk's class: instanceof, free, Symbol.dispose", () => {
      assert.ok(destination instanceof api.Destination);
      assert.ok(destination instanceof walk.constructor);
      assert.equal(api.Destination.name, "Destination");
      const made = new api.Destination({ strict: true });
      assert.equal(typeof made.free, "function");
      // mapJson, free and Symbol.dispose are the class's, under the trap guard (see trap.test.mjs);
      // mapJson writes strings into wasm memory itself (encodeInto) and gives the parent's text.
      assert.equal(made.mapJson, api.Destination.prototype.mapJson);
      assert.notEqual(made.mapJson, walk.mapJson);
      for (const text of [JSON.stringify(identify()), '{"type":"track","userId":"é","event":"Ünïcode ✓ 😀"}', "[1,", "\ud800", JSON.stringify({ batch: [identify()] })]) {
        assert.equal(made.mapJson(text), walk.mapJson.call(made, text), text);
        assert.equal(made.mapJson(text, { type: "identify" }), walk.mapJson.call(made, text, { type: "identify" }), text);
      }
      if (Symbol.dispose) assert.equal(typeof made[Symbol.dispose], "function");
      made.free();
      assert.throws(() => made.map(identify()));
    });

    test("the benchmark's plain messages take the fast path", () => {
      same("map", [identify()], "fast", "identify");
      same("validate", [track({ revenue: 25, products: [{ price: 19.99, quantity: 1 }] })], "fast", "track");
      same("mapBatch", [{ batch: [identify(), track({ a: 1 })] }], "fast", "batch");
      same("mapBatch", [[identify()]], "fast", "bare batch");
    });

    describe("values JSON.stringify would rewrite go to the walk, with the same outcome", () => {
      for (const place of places) {
        test(place.name, () => {
          for (const [name, value] of Object.entries(notPlain())) {
            // At the root, the batch root or an array item, some of these are still the walk's;
            // elsewhere every one of them must be.
            const way = place.root ? undefined : "walk";
            same(place.call, place.args(value), way, `${name} in ${place.name}`);
          }
        });
      }
    });

    describe("plain values take the fast path, with the same outcome", () => {
      for (const place of places) {
        test(place.name, () => {
          for (const [name, value] of Object.entries(plain())) {
            // The walk passes "" to toJSON in an array, JSON.stringify the index: the walk.
            const way = place.root ? undefined : place.arrayItem && toJsonKinds.has(name) ? "walk" : "fast";
            same(place.call, place.args(value), way, `${name} in ${place.name}`);
          }
        });
      }
    });

    test("the same message with and without { type }, and bad options throw the same errors", () => {
      for (const message of [identify(), track({ n: NaN }), { userId: "u1", event: "e" }, nest(70, 1)]) {
        for (const options of [undefined, null, {}, { type: "track" }, { type: undefined }, { type: "Track" }, { tpye: "track" }, "track", [], { type: 5 }]) {
          same("map", [message, options], undefined, `options ${JSON.stringify(options)}`);
          same("validate", [message, options], undefined, `options ${JSON.stringify(options)}`);
        }
      }
    });

    test("nesting: 63, 64, 65 and 200 levels, objects and arrays, scalar and empty leaves", () => {
      for (const depth of [62, 63, 64, 65, 66, 200]) {
        // deepTrack(depth): properties is at level 2, its innermost object at level depth + 1.
        same("map", [deepTrack(depth)], depth <= 63 ? "fast" : undefined, `deepTrack(${depth})`);
        same("validate", [deepTrack(depth)], undefined, `deepTrack(${depth})`);
        for (const kind of ["object", "array"]) {
          for (const leaf of [1, "s", null, {}, []]) {
            const what = `${depth} levels of ${kind}s around ${JSON.stringify(leaf)}`;
            // properties is level 2, the innermost nested container level depth + 1, and a leaf
            // that is itself an object or array one more. Only containers count, in the core and
            // in the walk: past 64 levels Rust declines the text and the walk answers.
            const deepest = typeof leaf === "object" && leaf !== null ? depth + 2 : depth + 1;
            const message = track({ deep: nest(depth - 1, leaf, kind) });
            same("map", [message], deepest <= 64 ? "fast" : "walk", what);
            same("map", [nest(depth, leaf, kind)], undefined, `${what}, at the root`);
            same("mapBatch", [{ batch: [identify(), message] }], undefined, `${what}, in a batch item`);
            same("mapBatch", [[message]], undefined, `${what}, in a bare batch item`);
          }
        }
      }
      for (const depth of [61, 62, 63, 64, 65]) {
        // Batch items count their depth from 1 again.
        same("mapBatch", [{ batch: [deepTrack(depth), identify()] }], undefined, `a batch item of depth ${depth}`);
        same("mapBatch", [[deepTrack(depth)]], undefined, `a bare batch item of depth ${depth}`);
        same("mapBatch", [{ batch: [identify()], context: { deep: nest(depth, 1) } }], undefined, `an envelope of depth ${depth}`);
      }
      same("map", [deepTrack(5_000)], "walk", "5000 levels (JSON.stringify copes, Rust declines)");
      same("map", [deepTrack(100_000)], "walk", "100000 levels (JSON.stringify overflows its stack)");
    });

    test("size: huge arrays and objects, over the value budget and over the parser's limit", () => {
      same("map", [track({ list: new Array(20_000).fill(1) })], "fast", "20000 items: too_large from the core");
      same("map", [track({ list: new Array(300_001).fill(0) })], "walk", "300001 items: too_large from the walk");
      same("map", [track({ list: new Array(299_990).fill(0) })], "walk", "299990 items: over 500 KB of text");
      const absent = {};
      for (let i = 0; i < 300_001; i += 1) absent[`k${i}`] = undefined;
      same("map", [track(absent)], "walk", "300001 undefined properties: too_large from the walk");
      same("map", [track({ pad: "x".repeat(600 * 1024) })], "walk", "a 600 KB string");
      same("map", [track({ pad: "x".repeat(200 * 1024) })], "fast", "a 200 KB string");
      same("mapBatch", [{ batch: Array.from({ length: 10_000 }, identify) }], "walk", "a batch over 500 KB");
      same("mapBatch", [{ batch: Array.from({ length: 2_501 }, () => ({ type: "page" })) }], "fast", "a batch of 2501 items");
      same("mapBatch", [Array.from({ length: 300 }, identify)], "fast", "300 items");
      let shared = { leaf: 1 };
      for (let i = 0; i < 40; i += 1) shared = { a: shared, b: shared };
      same("map", [track(shared)], "walk", "2^40 values through shared objects");
    });

    test("BigInt.prototype.toJSON (a common polyfill) does not make a BigInt JSON", () => {
      // eslint-disable-next-line no-extend-native
      Object.defineProperty(BigInt.prototype, "toJSON", { value() { return this.toString(); }, configurable: true, writable: true });
      try {
        assert.equal(JSON.stringify({ n: 1n }), '{"n":"1"}');
        same("map", [track({ n: 1n })], "walk", "a BigInt with toJSON");
        same("validate", [{ type: "track", userId: 7n, event: "e" }], "walk", "a BigInt userId with toJSON");
      } finally {
        delete BigInt.prototype.toJSON;
      }
    });

    test("reentrant: a toJSON that maps another message on the way", () => {
      const inner = [];
      // The inner calls' own ways (the default map's walk for NaN) are not the outer call's.
      const value = {
        toJSON: () => {
          const outer = walked;
          inner.push(api.map(track({ n: NaN })), destination.map(identify()));
          walked = outer;
          return "outer";
        },
      };
      const result = same("map", [track({ x: value, list: new Array(10).fill(1) })], "fast", "reentrant");
      assert.equal(result.status, "mapped");
      // toJSON ran once per call: the Destination's, the walk's and the default map's.
      assert.equal(inner.length, 6);
      assert.equal(inner[0].status, "invalid");
    });

    test("the fixture corpus gives the same bytes both ways", { skip: corpus.length === 0 && "no fixtures" }, () => {
      let fast = 0;
      let checked = 0;
      for (const fixture of corpus) {
        if (flavor === "lite" && (fixture.config?.trackingPlan !== undefined || JSON.stringify(fixture.config?.mappings ?? {}).includes("@liquid"))) continue;
        const configured = new api.Destination(fixture.config);
        try {
          const value = input(fixture);
          const calls = fixture.kind === "batch" ? [["mapBatch", [value]]] : [["map", [value, fixture.options ?? {}]], ["validate", [value, fixture.options ?? {}]]];
          for (const [method, args] of calls) {
            const before = walked;
            const viaEntry = outcomeOf(() => configured[method](...args));
            if (walked === before) fast += 1;
            assert.deepEqual(viaEntry, outcomeOf(() => exact[method].apply(configured, args)), `${fixture.name}: ${method}`);
            checked += 1;
          }
        } finally {
          configured.free();
        }
      }
      assert.ok(fast > checked * 0.8, `only ${fast} of ${checked} fixture calls took the fast path`);
    });
  });
}
