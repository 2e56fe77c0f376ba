// A CommonJS consumer: require() by name, full and lite, synchronous from the first line.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");

for (const specifier of ["astrolabe-segment", "astrolabe-segment/lite"]) {
  test(`require("${specifier}") maps synchronously`, () => {
    const { Destination, map, mapBatch, mapJson, validate, codes, version } = require(specifier);
    assert.ok(require.resolve(specifier).endsWith(".cjs"));
    const destination = new Destination({ strict: false });
    const outcome = destination.map({ type: "identify", anonymousId: "a1", traits: { age: "old" } });
    assert.equal(outcome.status, "mapped");
    assert.deepEqual(outcome.operations, [{ op: "upsertUser", anonymousId: "a1", traits: { age: "old" } }]);
    assert.deepEqual(outcome.warnings.map((w) => `${w.code} ${w.path}`), ["reserved_trait_type /traits/age"]);
    assert.equal(validate({ type: "group" }).valid, false);
    assert.equal(map({ userId: "u", event: "e" }, { type: "track" }).operations[0].op, "trackEvent");
    assert.deepEqual(mapBatch({ batch: "no" }).errors.map((e) => e.code), ["invalid_batch"]);
    assert.equal(JSON.parse(mapJson(Buffer.from('{"type":"alias","userId":"u","previousId":"p"}'))).reason.code, "unsupported_type");
    assert.ok(codes.includes("unplanned_property"));
    assert.equal(typeof version, "string");
    destination.free();
  });
}
