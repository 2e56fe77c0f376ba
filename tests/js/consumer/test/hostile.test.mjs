// Hostile input through the installed package (full and lite, import and require): whatever a
// client sends, every call answers with errors as data, never a crash, a stack overflow, a leak or
// prototype pollution. Limits at their edges, deep nesting far past them, oversize input refused
// before it is parsed, bytes that are not UTF-8, strings that are not UTF-16, numbers JSON text can
// hold and doubles cannot, every JS value JSON cannot carry, and nothing ever logged.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadAll } from "./helpers.mjs";

const loaded = await loadAll();
const issues = (list) => list.map(({ code, path }) => `${code} ${path}`).sort();
const track = (properties) => ({ type: "track", userId: "u1", event: "Signed Up", properties });
const item = () => ({ type: "track", userId: "u", event: "e" });

/** `levels` objects (or arrays) nested around `leaf`, built without recursion. */
function nest(levels, leaf, kind = "object") {
  let value = leaf;
  for (let level = 0; level < levels; level += 1) value = kind === "object" ? { a: value } : [value];
  return value;
}

/** An outcome is well formed: a known status, issues with codes, pointer paths and sentences. */
function wellFormed(outcome, what) {
  assert.ok(["mapped", "skipped", "invalid"].includes(outcome.status), `${what}: ${JSON.stringify(outcome).slice(0, 300)}`);
  for (const issue of [...outcome.errors, ...outcome.warnings]) {
    assert.equal(typeof issue.code, "string", what);
    assert.ok(issue.path === "" || issue.path.startsWith("/"), `${what}: ${issue.path}`);
    assert.ok(issue.message.length > 0 && issue.message.length < 500, `${what}: ${issue.message.slice(0, 600)}`);
  }
  if (outcome.status === "invalid") assert.ok(outcome.errors.length > 0 && outcome.operations.length === 0, what);
  return outcome;
}

for (const { label, flavor, api } of loaded) {
  const { Destination, map, mapBatch, mapJson, validate } = api;
  const text = (input, options) => JSON.parse(mapJson(input, options));

  describe(`hostile input, ${label}`, () => {
    test("JSON text nested 200,000 deep is too_deep, as text, bytes and parsed values", () => {
      // 200,000 arrays (400 KB) and 100,000 objects (500 KB): within the size limit, so the depth
      // is what refuses them. (Deeper objects are over 500 KB: too_large, refused unparsed.)
      for (const [open, close, depth] of [["[", "]", 200_000], ['{"":', "}", 100_000]]) {
        const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
        const message = `{"type":"track","userId":"u","event":"e","properties":${deep}}`;
        for (const input of [deep, message, new TextEncoder().encode(message)]) {
          const outcome = wellFormed(text(input), "deep text");
          assert.deepEqual(outcome.errors.map((e) => e.code), ["too_deep"]);
        }
        // Unclosed too: the parser stops at the depth limit, not at the end of the text.
        assert.deepEqual(text(open.repeat(depth)).errors.map((e) => e.code), ["too_deep"]);
        assert.deepEqual(text(`{"":${deep}}`.repeat(2)).errors.map((e) => e.code), ["too_large"], "over 500 KB");
        const batch = text(`{"batch":[${deep}]}`);
        assert.deepEqual([...batch.errors, ...(batch.outcomes ?? []).flatMap((o) => o.errors)].map((e) => e.code), ["too_deep"]);
      }
      // JSON.parse makes the value; the module sees it through map (JSON.stringify overflows
      // its stack first, and the walk stops at level 65).
      const parsed = JSON.parse(`{"type":"track","userId":"u","event":"e","properties":${"[".repeat(200_000)}${"]".repeat(200_000)}}`);
      assert.deepEqual(issues(map(parsed).errors), [`too_deep /properties${"/0".repeat(63)}`]);
    });

    test("JS objects and arrays nested 20,000 deep are too_deep everywhere, with no stack overflow", () => {
      for (const kind of ["object", "array"]) {
        const deep = nest(20_000, 1, kind);
        const step = kind === "object" ? "/a" : "/0";
        const expected = [`too_deep /properties${step.repeat(63)}`];
        assert.deepEqual(issues(map(track(deep)).errors), expected);
        assert.deepEqual(issues(validate(track(deep)).errors), expected);
        assert.deepEqual(issues(new Destination({ strict: true }).map(track(deep)).errors), expected);
        assert.deepEqual(issues(map(deep).errors), [`too_deep ${step.repeat(64)}`]);
        const batch = mapBatch({ batch: [item(), track(deep)] });
        assert.deepEqual(batch.outcomes.map((o) => o.status), ["mapped", "invalid"]);
        assert.deepEqual(issues(batch.outcomes[1].errors), [`too_deep /batch/1/properties${step.repeat(63)}`]);
        assert.deepEqual(issues(mapBatch({ batch: [item()], context: deep }).errors), [`too_deep /context${step.repeat(63)}`]);
        assert.equal(api.transform({ "@path": "$.a" }, { a: 1 }), 1);
        assert.throws(() => api.transform(deep), (error) => error instanceof Error && !(error instanceof RangeError));
      }
    });

    test("a 10 MB message is too_large, refused before it is parsed in full", () => {
      const padding = "x".repeat(10 * 1024 * 1024);
      const message = `{"type":"identify","userId":"u","traits":{"padding":"${padding}"}}`;
      for (const input of [message, new TextEncoder().encode(message)]) {
        assert.deepEqual(issues(text(input).errors), ["too_large "]);
      }
      // Broken at its very end: still too_large, so the text was never parsed to the end.
      assert.deepEqual(issues(text(message.slice(0, -1)).errors), ["too_large "]);
      assert.deepEqual(issues(text(`[${message}`).errors), ["batch_too_large "]);
      // As a value, the message is measured (not serialized) and refused too.
      const value = { type: "identify", userId: "u", traits: { padding } };
      assert.deepEqual(issues(map(value).errors), ["too_large "]);
      assert.deepEqual(issues(new Destination().validate(value).errors), ["too_large "]);
    });

    test("bytes that are not UTF-8 are invalid_json with their place", () => {
      const cases = [
        [0xff],
        [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d], // a cut two-byte sequence
        [0x22, 0xe0, 0x80, 0xaf, 0x22], // an overlong encoding
        [0x22, 0xed, 0xa0, 0x80, 0x22], // a UTF-16 surrogate, UTF-8 encoded (CESU-8)
        [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], // past U+10FFFF
        [0x22, 0xf0, 0x9f, 0x98, 0x22], // a cut four-byte sequence
      ];
      for (const bytes of cases) {
        const outcome = text(new Uint8Array(bytes));
        assert.deepEqual(issues(outcome.errors), ["invalid_json "], bytes.join(" "));
        assert.match(outcome.errors[0].message, /UTF-8.*line 1, column \d+/);
        assert.deepEqual(issues(text(new Uint8Array(bytes).buffer).errors), ["invalid_json "]);
      }
    });

    test("lone surrogates are refused: in text, in escapes, in values and in keys", () => {
      for (const lone of ["\ud800", "\udfff", "a\ud83d", "\ude00b"]) {
        assert.deepEqual(issues(text(`{"type":"identify","userId":"${lone}"}`).errors), ["invalid_json "]);
        assert.deepEqual(issues(map({ type: "identify", userId: lone }).errors), ["not_json /userId"]);
        // The key cannot be written exactly in the path either: U+FFFD stands for the surrogate.
        assert.deepEqual(issues(map(track({ [`k${lone}`]: 1 })).errors), [`not_json /properties/${`k${lone}`.toWellFormed()}`]);
        assert.deepEqual(issues(mapBatch([item(), { ...item(), event: lone }]).outcomes[1].errors), ["not_json /1/event"]);
      }
      // Escaped in JSON text: the parser refuses an unpaired \ud800; a pair is one character.
      assert.deepEqual(issues(text('{"type":"identify","userId":"\\ud800"}').errors), ["invalid_json "]);
      assert.deepEqual(issues(text('{"type":"identify","userId":"\\udc00\\ud800"}').errors), ["invalid_json "]);
      assert.equal(text('{"type":"identify","userId":"\\ud83d\\ude00"}').operations[0].userId, "😀");
    });

    test("numbers beyond 2^53 pass through the text API digit for digit", () => {
      // (The JS value API gets doubles: 2 ** 60 is exact, 2 ** 53 + 1 is not a double at all.)
      const digits = ["9007199254740993", "-9007199254740993", "18446744073709551616", "-92233720368547758090", "123456789012345678901234567890"];
      for (const number of digits) {
        const message = `{"type":"track","userId":"u","event":"e","properties":{"n":${number}}}`;
        const out = mapJson(message);
        assert.equal(JSON.parse(out).status, "mapped", out);
        assert.ok(out.includes(`"n":${number}`), `${number} came back as ${out.match(/"n":([^,}]*)/)?.[1]}`);
      }
    });

    test("NaN, Infinity, BigInt, functions and symbols are not_json at their path, everywhere", () => {
      const bad = { nan: NaN, inf: Infinity, ninf: -Infinity, big: 2n ** 64n, fn: () => 1, sym: Symbol("s") };
      for (const [key, value] of Object.entries(bad)) {
        assert.deepEqual(issues(map({ type: "identify", userId: value }).errors), ["not_json /userId"], key);
        assert.deepEqual(issues(map({ ...track({}), context: { list: [1, [2, value]] } }).errors), ["not_json /context/list/1/1"], key);
        assert.deepEqual(issues(validate(track({ [key]: value })).errors), [`not_json /properties/${key}`], key);
        assert.deepEqual(issues(mapBatch({ batch: [item(), track({ x: value })] }).outcomes[1].errors), ["not_json /batch/1/properties/x"], key);
        assert.deepEqual(issues(mapBatch({ batch: [item()], integrations: { x: value } }).errors), ["not_json /integrations/x"], key);
        if (typeof value !== "symbol") assert.throws(() => mapJson(value), TypeError, key);
      }
      // A symbol-keyed property is not a JSON key: it is ignored, as JSON.stringify ignores it.
      assert.equal(map({ ...item(), [Symbol("k")]: 1 }).status, "mapped");
      // A getter that throws and a toJSON that throws are not_json at their path, quoted short.
      const getter = Object.defineProperty(track({}), "userId", { enumerable: true, get() { throw new Error("s3cret".repeat(100)); } });
      const outcome = map(getter);
      assert.deepEqual(issues(outcome.errors), ["not_json /userId"]);
      assert.ok(outcome.errors[0].message.length < 120, outcome.errors[0].message);
    });

    test("Proxies whose traps throw, or revoked ones, are not_json at their path; no exception unwinds through the module", () => {
      const { proxy: revoked, revoke } = Proxy.revocable({}, {});
      revoke();
      const fail = () => {
        throw new Error("trap");
      };
      const proxies = {
        revoked,
        ownKeys: new Proxy({}, { ownKeys: fail }),
        prototype: new Proxy({}, { getPrototypeOf: fail }),
        arrayItem: new Proxy([1, 2], { get: (target, key) => (key === "length" ? 2 : fail()) }),
        arrayLength: new Proxy([1], { get: fail }),
      };
      for (const [name, value] of Object.entries(proxies)) {
        const at = name === "arrayItem" ? ["/properties/x/0", "/properties/x/1"] : ["/properties/x"];
        assert.deepEqual(issues(map(track({ x: value })).errors), at.map((path) => `not_json ${path}`), name);
        assert.deepEqual(issues(validate(track({ x: value })).errors), at.map((path) => `not_json ${path}`), name);
        const batch = mapBatch([item(), track({ x: value })]);
        assert.deepEqual(batch.outcomes.map((o) => o.status), ["mapped", "invalid"], name);
      }
      assert.deepEqual(issues(mapBatch(revoked).errors).length, 1);
      // Many in a row leave the instance as it was.
      for (let round = 0; round < 20_000; round += 1) map(track({ x: proxies.ownKeys }));
      assert.equal(map(item()).status, "mapped");
      assert.equal(JSON.parse(mapJson(JSON.stringify(item()))).status, "mapped");
    });

    test("2,500 batch items pass and 2,501 are batch_too_many, as values and as text", () => {
      for (const [count, refused] of [[2_500, false], [2_501, true]]) {
        const items = Array.from({ length: count }, item);
        for (const [input, path] of [[{ batch: items }, "/batch"], [items, ""]]) {
          for (const outcome of [mapBatch(input), text(JSON.stringify(input)), new Destination().mapBatch(input)]) {
            if (refused) {
              assert.deepEqual(issues(outcome.errors), [`batch_too_many ${path}`]);
              assert.equal(outcome.outcomes.length, 0);
            } else {
              assert.deepEqual(outcome.errors, []);
              assert.equal(outcome.outcomes.length, count);
              assert.ok(outcome.outcomes.every((o) => o.status === "mapped"));
            }
          }
        }
      }
    });

    test("a 600 KB batch is batch_too_large, as a value and as text", () => {
      const items = Array.from({ length: 120 }, () => ({ ...item(), properties: { pad: "x".repeat(5_000) } }));
      const batch = { batch: items };
      assert.ok(JSON.stringify(batch).length > 600_000);
      for (const outcome of [mapBatch(batch), mapBatch(items), text(JSON.stringify(batch)), text(JSON.stringify(items))]) {
        assert.deepEqual(issues(outcome.errors), ["batch_too_large "]);
        assert.deepEqual(outcome.outcomes, []);
      }
    });

    test("null, numbers, strings, booleans and arrays as messages are invalid outcomes, not exceptions", () => {
      for (const value of [null, 0, -1.5, "", "identify", true, false, [], [1], {}]) {
        const outcome = wellFormed(map(value), JSON.stringify(value));
        assert.equal(outcome.status, "invalid", JSON.stringify(value));
        assert.equal(validate(value).valid, false);
        const options = { type: "track" };
        assert.equal(wellFormed(map(value, options), JSON.stringify(value)).status, "invalid");
      }
      for (const body of ["null", "0", "-1.5", '""', "true", "1e999", '"\\u0000"']) {
        assert.equal(wellFormed(text(body), body).status, "invalid", body);
      }
      for (const batch of [null, 0, "x", true, {}, { batch: null }, { batch: {} }, { batch: "x" }, { batch: [], context: [] }]) {
        const outcome = mapBatch(batch);
        assert.deepEqual(outcome.outcomes, [], JSON.stringify(batch));
        assert.ok(outcome.errors.length > 0, JSON.stringify(batch));
      }
      for (const value of [null, 1, "x", [], [[]], [null]]) {
        const outcome = mapBatch([value]);
        assert.equal(outcome.outcomes[0].status, "invalid", JSON.stringify(value));
      }
    });

    test("__proto__, constructor and prototype keys are kept as data; nothing is polluted", () => {
      const hostile = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}}';
      const message = `{"type":"identify","userId":"u","traits":${hostile},"context":${hostile},"integrations":${hostile}}`;
      const value = JSON.parse(message);
      const outcomes = [map(value), text(message), validate(value), mapBatch([value]).outcomes[0], text(`[${message}]`).outcomes[0]];
      outcomes.push(mapBatch({ batch: [value], context: JSON.parse(hostile) }).outcomes[0]);
      for (const outcome of outcomes) {
        if ("valid" in outcome) {
          assert.equal(outcome.valid, true);
          continue;
        }
        assert.equal(outcome.status, "mapped", JSON.stringify(outcome));
        const traits = outcome.operations[0].traits;
        assert.deepEqual(Object.keys(traits), ["__proto__", "constructor", "prototype"]);
        assert.equal(Object.getPrototypeOf(traits), Object.prototype);
        assert.deepEqual(Object.getOwnPropertyDescriptor(traits, "__proto__").value, { polluted: "yes" });
        assert.equal(traits.constructor.prototype.polluted, "yes");
      }
      const transformed = api.transform({ "@path": "$.traits" }, value);
      assert.deepEqual(Object.keys(transformed), ["__proto__", "constructor", "prototype"]);
      assert.equal(({}).polluted, undefined);
      assert.equal(Object.prototype.polluted, undefined);
      assert.equal(Object.polluted, undefined);
      assert.equal(Array.prototype.polluted, undefined);
    });

    test("nothing is logged, whatever the input", () => {
      const logged = [];
      const saved = {};
      for (const method of ["log", "info", "warn", "error", "debug", "trace"]) {
        saved[method] = console[method];
        console[method] = (...args) => logged.push([method, ...args]);
      }
      try {
        map(track({ secret: "sk_live_123", n: NaN }));
        mapJson('{"type":"identify","userId":"sk_live_123",');
        mapJson(new Uint8Array([0xff, 0xfe]));
        mapBatch({ batch: [track({ secret: "sk_live_123" })], context: [] });
        validate({ type: "nope", secret: "sk_live_123" });
        api.validateMapping({ a: { "@path": 1 } });
        assert.throws(() => api.transform({ "@nope": "sk_live_123" }));
        assert.throws(() => new Destination({ secret: "sk_live_123" }));
      } finally {
        Object.assign(console, saved);
      }
      assert.deepEqual(logged, []);
    });

    if (flavor === "full") {
      test("no input makes a call take more than linear time in its size", () => {
        /** The fastest of a few runs of `call`, in milliseconds (the fastest: pauses add, never subtract). */
        const time = (call) => {
          let best = Infinity;
          for (let run = 0; run < 7; run += 1) {
            const started = process.hrtime.bigint();
            call();
            best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
          }
          return best;
        };
        const plan = new Destination({
          trackingPlan: {
            rules: [{ type: "TRACK", key: "e", jsonSchema: { properties: { properties: { type: "object", properties: { a: { type: "string" } } } } } }],
            unplannedProperties: "omit",
            violations: "omitProperties",
          },
        });
        const strict = new Destination({ strict: true });
        const keys = (n) => Object.fromEntries(Array.from({ length: n }, (_, at) => [`k${at}~/"\\${at}`, at]));
        const nan = (n) => Object.fromEntries(Array.from({ length: n }, (_, at) => [`k${at}`, NaN]));
        // Each case: an input of size n (built before the clock starts), and the call.
        const cases = {
          // many keys in one message (a message is at most 32 KB: sizes below and above it)
          "many keys": [(n) => track(keys(n)), (input) => map(input)],
          "many keys, unplanned and omitted": [(n) => ({ ...track(keys(n)), event: "e" }), (input) => plan.map(input)],
          "many keys, text": [(n) => JSON.stringify(track(keys(n))), (input) => mapJson(input)],
          "many bad keys, strict": [(n) => track(nan(n)), (input) => strict.map(input)],
          // long strings in every checked field
          "long strings": [
            (n) => ({ type: "identify", userId: "u".repeat(n), timestamp: "9".repeat(n), traits: { email: "@".repeat(n), createdAt: "x".repeat(n) } }),
            (input) => map(input),
          ],
          // arrays nested to the limit, many of them
          "deep arrays at the limit": [(n) => ({ batch: Array.from({ length: Math.ceil(n / 250) }, () => track({ a: nest(62, 1, "array") })) }), (input) => mapBatch(input)],
          "batch items, each with issues": [(n) => ({ batch: Array.from({ length: Math.ceil(n / 50) }, () => track(nan(20))) }), (input) => mapBatch(input)],
          "duplicate keys in text": [(n) => `{"type":"track","userId":"u","event":"e","properties":{${'"a":1,'.repeat(n)}"b":2}}`, (input) => mapJson(input)],
        };
        for (const [name, [make, call]] of Object.entries(cases)) {
          const [smallInput, largeInput] = [make(750), make(12_000)];
          const small = time(() => call(smallInput));
          const large = time(() => call(largeInput));
          // 16 times the input: linear is 16 times the time, quadratic 256 times.
          assert.ok(large < Math.max(small * 80, 50), `${name}: ${small.toFixed(2)} ms for 750, ${large.toFixed(2)} ms for 12,000`);
        }
      });
    }
  });
}
