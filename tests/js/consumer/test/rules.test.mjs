// Per-rule levels (docs/rules.md) through the installed package: every way into a Destination, in
// both builds, and refused settings in the package's own words.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as full from "astrolabe-segment";
import * as lite from "astrolabe-segment/lite";

const message = { type: "identify", userId: 42, traits: { first_name: "Ada" }, properties: { plan: "pro" } };
const codes = (issues) => issues.map((issue) => issue.code).sort();

for (const [name, api] of [["full", full], ["lite", lite]]) {
  test(`${name}: levels apply to map, validate, mapJson and mapBatch alike`, () => {
    const plain = new api.Destination();
    assert.deepEqual(codes(plain.map(message).warnings), ["id_coerced", "misplaced_field", "near_miss_reserved"]);
    const tuned = new api.Destination({ rules: { near_miss_reserved: "off", id_coerced: "error" } });
    const outcome = tuned.map(message);
    assert.equal(outcome.status, "invalid");
    assert.deepEqual(codes(outcome.errors), ["id_coerced"]);
    assert.deepEqual(codes(outcome.warnings), ["misplaced_field"]);
    // A warning made an error says nothing of what would have been sent: nothing is.
    assert.doesNotMatch(outcome.errors[0].message, /sent as/);
    assert.deepEqual(tuned.validate(message), { valid: false, errors: outcome.errors, warnings: outcome.warnings });
    assert.deepEqual(JSON.parse(tuned.mapJson(JSON.stringify(message))), outcome);
    const batch = tuned.mapBatch({ batch: [message] });
    assert.deepEqual(codes(batch.outcomes[0].errors), ["id_coerced"]);
    assert.equal(batch.outcomes[0].errors[0].path, "/batch/0/userId");
    // A value the walk reads (1e21 is past what the fast path copies) goes through the same rules.
    const walked = tuned.map({ ...message, traits: { first_name: "Ada", big: 1e21 } });
    assert.deepEqual([codes(walked.errors), codes(walked.warnings)], [["id_coerced"], ["misplaced_field"]]);
  });

  test(`${name}: strict mode applies after the levels`, () => {
    const strict = new api.Destination({ strict: true, rules: { near_miss_reserved: "off", misplaced_field: "off" } });
    const outcome = strict.map(message);
    assert.deepEqual(codes(outcome.errors), ["id_coerced"]);
    assert.deepEqual(outcome.warnings, []);
  });

  test(`${name}: a setting that cannot be used is refused naming it`, () => {
    assert.throws(() => new api.Destination({ rules: { near_miss_reservd: "off" } }), {
      message: 'invalid Destination config: option "rules": unknown rule "near_miss_reservd" (did you mean "near_miss_reserved"?)',
    });
    assert.throws(() => new api.Destination({ rules: { too_deep: "warning", id_coerced: "warn" } }), {
      message:
        'invalid Destination config: option "rules": "too_deep" cannot be set: it decides whether the input can be read at all; ' +
        'option "rules": "id_coerced" must be "off", "warning" or "error", not "warn" (did you mean "warning"?)',
    });
    assert.throws(() => new api.Destination({ rules: ["near_miss_reserved"] }), { message: /option "rules" must be an object, not an array/ });
  });

  test(`${name}: the new rule's code is among the codes`, () => {
    assert.ok(api.codes.includes("context_field_type"));
    const outcome = new api.Destination().map({ type: "track", userId: "u", event: "E", context: { library: "x" } });
    assert.deepEqual(outcome.warnings.map((issue) => [issue.code, issue.path]), [["context_field_type", "/context/library"]]);
  });
}
