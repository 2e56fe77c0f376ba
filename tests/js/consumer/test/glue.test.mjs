// The JS <-> Rust boundary, on the installed package (full and lite, import and require): plain
// results, keys that look like prototypes, every non-JSON value, toJSON, depth, cycles, mapJson's
// refusals, the errors thrown for a bad config or bad options, and `limits` against the engine.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { deepTrack, loadAll } from "./helpers.mjs";

const loaded = await loadAll();
/** The names of `limits` in the installed types (`interface Limits`). */
const LIMIT_NAMES = [...readFileSync(createRequire(import.meta.url).resolve("astrolabe-segment/package.json").replace(/package\.json$/, "types/core.d.ts"), "utf8")
  .match(/export interface Limits \{([\s\S]*?)\n\}/)[1]
  .matchAll(/^\s*readonly (\w+): number;$/gm)].map((match) => match[1]);
const identify = () => ({ type: "identify", userId: "u1", traits: { email: "ada@example.com", plan: "pro" } });
const track = (properties) => ({ type: "track", userId: "u1", event: "Signed Up", properties });
const issues = (list) => list.map(({ code, path }) => `${code} ${path}`).sort();

for (const { label, api } of loaded) {
  const { Destination, map, mapBatch, mapJson, validate } = api;

  describe(`glue, ${label}`, () => {
    test("results are plain objects and arrays", () => {
      const outcome = map(identify());
      assert.equal(outcome.status, "mapped");
      assert.equal(Object.getPrototypeOf(outcome), Object.prototype);
      assert.ok(Array.isArray(outcome.operations) && Array.isArray(outcome.errors) && Array.isArray(outcome.warnings));
      assert.equal(Object.getPrototypeOf(outcome.operations[0]), Object.prototype);
      assert.equal(Object.getPrototypeOf(outcome.operations[0].traits), Object.prototype);
      assert.deepEqual(outcome.operations, [{ op: "upsertUser", userId: "u1", traits: { email: "ada@example.com", plan: "pro" } }]);
      const validation = validate(identify());
      assert.deepEqual(validation, { valid: true, errors: [], warnings: [] });
      assert.equal(Object.getPrototypeOf(validation), Object.prototype);
      const batch = mapBatch({ batch: [identify(), { type: "page", userId: "u" }] });
      assert.equal(Object.getPrototypeOf(batch), Object.prototype);
      assert.deepEqual(batch.outcomes.map((o) => o.status), ["mapped", "skipped"]);
      assert.equal(Object.getPrototypeOf(batch.outcomes[1].reason), Object.prototype);
      for (const value of [outcome, validation, batch]) assert.ok(!(value instanceof Map));
    });

    test("__proto__ and constructor keys round-trip as own data properties", () => {
      const traits = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "toString": "x"}');
      const outcome = map({ type: "identify", userId: "u1", traits });
      assert.equal(outcome.status, "mapped", JSON.stringify(outcome));
      const out = outcome.operations[0].traits;
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
      assert.deepEqual(Object.keys(out), ["__proto__", "constructor", "toString"]);
      for (const key of ["__proto__", "constructor"]) {
        const descriptor = Object.getOwnPropertyDescriptor(out, key);
        assert.ok(descriptor && "value" in descriptor && descriptor.enumerable, `${key} is an own data property`);
      }
      assert.deepEqual(Object.getOwnPropertyDescriptor(out, "__proto__").value, { polluted: true });
      assert.equal(out.toString, "x");
      assert.equal({}.polluted, undefined);
      assert.equal(Object.prototype.polluted, undefined);
      // The JSON text path keeps them too.
      const text = JSON.parse(mapJson(JSON.stringify({ type: "identify", userId: "u1", traits })));
      assert.deepEqual(Object.keys(text.operations[0].traits), ["__proto__", "constructor", "toString"]);
    });

    test("every value JSON cannot carry is not_json at its path, all of them", () => {
      const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
      const outcome = map(
        track({
          nan: NaN,
          inf: Infinity,
          ninf: -Infinity,
          big: 10n,
          fn() {},
          sym: Symbol("s"),
          list: [1, undefined, 3],
          holes,
          map: new Map([["a", 1]]),
          set: new Set([1]),
          bytes: new Uint8Array(2),
          "a/b~c": NaN,
          lone: "\ud800",
          absent: undefined,
          fine: 1.5,
        }),
      );
      assert.equal(outcome.status, "invalid");
      assert.deepEqual(outcome.operations, []);
      assert.deepEqual(
        issues(outcome.errors),
        [
          "/properties/nan", "/properties/inf", "/properties/ninf", "/properties/big", "/properties/fn",
          "/properties/sym", "/properties/list/1", "/properties/holes/1", "/properties/map", "/properties/set",
          "/properties/bytes", "/properties/a~1b~0c", "/properties/lone",
        ].map((path) => `not_json ${path}`).sort(),
      );
      for (const error of outcome.errors) assert.ok(error.message.length > 10, error.message);
      assert.deepEqual(issues(map(undefined).errors), ["not_json "]);
      assert.deepEqual(issues(map(() => 1).errors), ["not_json "]);
      assert.deepEqual(issues(validate({ type: "track", userId: 1n, event: "e" }).errors), ["not_json /userId"]);
      assert.equal(validate({ type: "track", userId: 1n, event: "e" }).valid, false);
    });

    test("undefined property values are absent keys", () => {
      const outcome = map({ type: "track", userId: "u1", anonymousId: undefined, event: "e", properties: { a: undefined, b: 2 } });
      assert.equal(outcome.status, "mapped", JSON.stringify(outcome));
      assert.deepEqual(outcome.operations, [{ op: "trackEvent", event: "e", userId: "u1", properties: { b: 2 } }]);
    });

    test("objects with toJSON go through it: a Date becomes its ISO string", () => {
      const when = new Date("2024-01-02T03:04:05.678Z");
      const outcome = map({ ...track({ when, custom: { toJSON: () => ({ x: [1, 2] }) } }), timestamp: when });
      assert.equal(outcome.status, "mapped", JSON.stringify(outcome));
      const [operation] = outcome.operations;
      assert.equal(operation.properties.when, "2024-01-02T03:04:05.678Z");
      assert.deepEqual(operation.properties.custom, { x: [1, 2] });
      assert.equal(operation.timestamp, "2024-01-02T03:04:05.678Z");
      const bad = map(track({ broken: { toJSON() { throw new Error("nope"); } }, invalid: new Date(NaN) }));
      // An invalid Date's toJSON gives null, as in JSON.stringify.
      assert.deepEqual(issues(bad.errors), ["not_json /properties/broken"]);
      assert.match(bad.errors[0].message, /nope/);
    });

    test("integers stay integers and big numbers keep their value", () => {
      const outcome = map(track({ one: 1, negative: -7, big: 2 ** 60, float: 0.1, tiny: 5e-324, huge: 1e300 }));
      assert.deepEqual(outcome.operations[0].properties, { one: 1, negative: -7, big: 2 ** 60, float: 0.1, tiny: 5e-324, huge: 1e300 });
    });

    test("nesting past 64 levels is too_deep, at the same place as through mapJson", () => {
      for (let depth = 58; depth <= 70; depth += 1) {
        const message = deepTrack(depth);
        const fromValue = map(message);
        const fromText = JSON.parse(mapJson(JSON.stringify(message)));
        assert.deepEqual(issues(fromValue.errors), issues(fromText.errors), `depth ${depth}`);
        assert.equal(fromValue.status, depth <= 63 ? "mapped" : "invalid", `depth ${depth}`);
      }
      // Only objects and arrays count: a number inside the 64th object is fine both ways.
      for (let depth = 62; depth <= 66; depth += 1) {
        let properties = 1;
        for (let level = 2; level <= depth; level += 1) properties = { a: properties };
        const message = { type: "track", userId: "u", event: "e", properties };
        const fromValue = map(message);
        const fromText = JSON.parse(mapJson(JSON.stringify(message)));
        assert.deepEqual(fromValue, fromText, `scalar leaf, depth ${depth}`);
        assert.equal(fromValue.status, depth <= 64 ? "mapped" : "invalid", `scalar leaf, depth ${depth}`);
      }
      const deep = map(deepTrack(100_000));
      assert.deepEqual(deep.errors.map((e) => e.code), ["too_deep"]);
      // Batch items count their depth from the item, as the core does.
      const item = deepTrack(63);
      const batch = mapBatch({ batch: [item, deepTrack(64)] });
      const batchText = JSON.parse(mapJson(JSON.stringify({ batch: [item, deepTrack(64)] })));
      assert.deepEqual(batch.outcomes.map((o) => o.status), ["mapped", "invalid"]);
      assert.deepEqual(batch.outcomes.map((o) => issues(o.errors)), batchText.outcomes.map((o) => issues(o.errors)));
    });

    test("cycles and shared sub-objects end quickly without a crash", () => {
      const properties = { name: "loop" };
      properties.self = properties;
      const cyclic = map(track(properties));
      assert.deepEqual(issues(cyclic.errors), ["too_deep /properties/self"]);
      const wide = {};
      for (const key of "abcdefghij") wide[key] = wide;
      const started = Date.now();
      assert.deepEqual(map(track(wide)).errors.map((e) => e.code), ["too_deep"]);
      let shared = { leaf: 1 };
      for (let i = 0; i < 40; i += 1) shared = { a: shared, b: shared };
      const blowUp = map(track(shared));
      assert.equal(blowUp.status, "invalid");
      assert.deepEqual(blowUp.errors.map((e) => e.code), ["too_large"]);
      const batch = [];
      batch.push(batch);
      assert.equal(mapBatch(batch).outcomes[0].errors[0].code, "too_deep");
      assert.ok(Date.now() - started < 10_000, "the walk is bounded");
    });

    test("a batch with a non-JSON value in one item maps the others", () => {
      const outcome = mapBatch({ batch: [identify(), track({ n: NaN }), identify()] });
      assert.deepEqual(outcome.errors, []);
      assert.deepEqual(outcome.outcomes.map((o) => o.status), ["mapped", "invalid", "mapped"]);
      assert.deepEqual(issues(outcome.outcomes[1].errors), ["not_json /batch/1/properties/n"]);
      const bare = mapBatch([identify(), { type: "track", userId: 5n }]);
      assert.deepEqual(issues(bare.outcomes[1].errors), ["not_json /1/userId"]);
      const envelope = mapBatch({ batch: [identify()], context: { bad: Infinity } });
      assert.deepEqual(envelope.outcomes, []);
      assert.deepEqual(issues(envelope.errors), ["not_json /context/bad"]);
    });

    test("mapJson refuses broken JSON, invalid UTF-8 and oversize input without throwing", () => {
      const broken = JSON.parse(mapJson('{\n  "type": "track",\n  "event" "x"\n}'));
      assert.equal(broken.status, "invalid");
      assert.deepEqual(issues(broken.errors), ["invalid_json "]);
      assert.match(broken.errors[0].message, /line 3, column \d+/);
      const bytes = JSON.parse(mapJson(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])));
      assert.deepEqual(issues(bytes.errors), ["invalid_json "]);
      assert.match(bytes.errors[0].message, /UTF-8/);
      const huge = JSON.stringify({ type: "identify", userId: "u", traits: { padding: "x".repeat(600 * 1024) } });
      const oversize = JSON.parse(mapJson(huge));
      assert.equal(oversize.status, "invalid");
      assert.deepEqual(issues(oversize.errors), ["too_large "]);
      const hugeBatch = JSON.stringify({ batch: Array.from({ length: 10000 }, () => identify()) });
      assert.ok(hugeBatch.length > 512_000);
      const refused = JSON.parse(mapJson(hugeBatch));
      assert.deepEqual(refused.outcomes, []);
      assert.deepEqual(issues(refused.errors), ["batch_too_large "]);
      assert.deepEqual(issues(JSON.parse(mapJson("")).errors), ["invalid_json "]);
      assert.deepEqual(issues(JSON.parse(mapJson("\"\\ud800\"")).errors).length, 1);
      assert.deepEqual(issues(JSON.parse(mapJson("x\ud800")).errors), ["invalid_json "]);
      const viaBuffer = JSON.parse(mapJson(new TextEncoder().encode(JSON.stringify(identify())).buffer));
      assert.equal(viaBuffer.status, "mapped");
      assert.throws(() => mapJson({ type: "identify" }), TypeError);
    });

    test("mapJson takes a batch, an array or an HTTP body typed by options", () => {
      assert.equal(JSON.parse(mapJson(JSON.stringify([identify()]))).outcomes[0].status, "mapped");
      const body = JSON.parse(mapJson('{"userId": "u1", "event": "Signed Up"}', { type: "track" }));
      assert.equal(body.status, "mapped");
      assert.equal(body.operations[0].op, "trackEvent");
    });

    test("a bad config throws an Error naming the key", () => {
      assert.throws(() => new Destination({ strcit: true }), (error) => error instanceof Error && /strcit/.test(error.message));
      assert.throws(() => new Destination({ strict: "yes" }), (error) => error instanceof Error && /"strict"/.test(error.message));
      assert.throws(() => new Destination({ strict: NaN }), /strict/);
      assert.throws(() => new Destination("strict"), TypeError);
      assert.throws(() => new Destination([]), TypeError);
      new Destination().free();
      new Destination(null).free();
      new Destination({}).free();
    });

    test("bad options throw a TypeError naming them", () => {
      assert.throws(() => map(identify(), { type: "Identify" }), (error) => error instanceof TypeError && /"Identify"/.test(error.message));
      assert.throws(() => map(identify(), { tpye: "identify" }), (error) => error instanceof TypeError && /"tpye"/.test(error.message));
      assert.throws(() => validate(identify(), { type: 1 }), TypeError);
      assert.throws(() => mapJson("{}", "track"), TypeError);
      assert.equal(map(identify(), { type: "identify" }).status, "mapped");
      assert.equal(map(identify(), { type: undefined }).status, "mapped");
      assert.deepEqual(issues(map(identify(), { type: "track" }).errors), issues(JSON.parse(mapJson(JSON.stringify(identify()), { type: "track" })).errors));
    });

    test("a Destination keeps its settings; free() releases it", () => {
      const strict = new Destination({ strict: true });
      const message = { type: "track", userId: 42, event: "e" };
      assert.equal(map(message).status, "mapped");
      assert.deepEqual(map(message).warnings.map((w) => w.code), ["id_coerced"]);
      assert.equal(strict.map(message).status, "invalid");
      assert.deepEqual(strict.validate(message).errors.map((e) => e.code), ["id_coerced"]);
      strict.free();
      assert.throws(() => strict.map(message));
    });

    test("version and codes", () => {
      assert.match(api.version, /^\d+\.\d+\.\d+/);
      assert.ok(Object.isFrozen(api.codes));
      assert.ok(api.codes.includes("not_json") && api.codes.includes("too_deep"));
      assert.equal(new Set(api.codes).size, api.codes.length);
    });

    test("limits: the ones the engine enforces, each at its boundary, with the types' names", () => {
      const { limits } = api;
      assert.ok(Object.isFrozen(limits));
      assert.deepEqual(Object.keys(limits), LIMIT_NAMES);
      const single = (length) => {
        const bare = '{"type":"identify","userId":"u","traits":{"p":""}}';
        return bare.replace('""', `"${"x".repeat(length - bare.length)}"`);
      };
      assert.equal(single(limits.messageBytes).length, limits.messageBytes);
      assert.equal(JSON.parse(mapJson(single(limits.messageBytes))).status, "mapped");
      assert.deepEqual(issues(JSON.parse(mapJson(single(limits.messageBytes + 1))).errors), ["too_large "]);
      const batch = (length) => {
        const text = '{"batch":[{"type":"identify","userId":"u"}]}';
        return text + " ".repeat(length - text.length);
      };
      assert.deepEqual(JSON.parse(mapJson(batch(limits.batchBytes))).errors, []);
      assert.deepEqual(issues(JSON.parse(mapJson(batch(limits.batchBytes + 1))).errors), ["batch_too_large "]);
      const items = (count) => Array.from({ length: count }, () => ({ type: "identify", userId: "u" }));
      assert.deepEqual(mapBatch(items(limits.batchItems)).errors, []);
      assert.deepEqual(issues(mapBatch(items(limits.batchItems + 1)).errors), ["batch_too_many "]);
      const nested = (depth) => {
        let properties = 1;
        for (let level = 2; level <= depth; level += 1) properties = { a: properties };
        return { type: "track", userId: "u", event: "e", properties };
      };
      assert.equal(map(nested(limits.depth)).status, "mapped");
      assert.deepEqual(map(nested(limits.depth + 1)).errors.map((e) => e.code), ["too_deep"]);
      // Values past the walk's budget are too_large for that reason; fewer, for the 32 KB of a message.
      const values = (count) => map(track({ list: new Array(count).fill(0) })).errors.map((e) => `${e.code}: ${e.message}`);
      assert.match(values(limits.jsValues)[0], new RegExp(`^too_large: .*more than ${limits.jsValues} values`));
      assert.doesNotMatch(values(limits.jsValues - 10)[0], /values/);
    });
  });
}
