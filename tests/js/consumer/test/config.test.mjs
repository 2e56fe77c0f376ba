// Config errors reach JavaScript in the package's own words, every problem at once (the plan's
// settings and rules are read by the crate's own reader, not serde's derive: no "unknown variant").
import { test } from "node:test";
import assert from "node:assert/strict";
import { Destination } from "astrolabe-segment";

const message = (config) => {
  try {
    new Destination(config);
  } catch (error) {
    return error.message;
  }
  assert.fail(`accepted: ${JSON.stringify(config)}`);
};

test("a misspelled plan setting names the values it may take", () => {
  assert.equal(
    message({ trackingPlan: { rules: [], violations: "blok" } }),
    'invalid Destination config: trackingPlan violations must be one of allow, omitProperties, block; got "blok"',
  );
});

test("every problem of a rule at once, none in serde's words", () => {
  const text = message({ trackingPlan: { rules: [{ type: "ALIAS", schema: {} }] } });
  assert.equal(
    text,
    'invalid Destination config: trackingPlan rules/0 (ALIAS): unknown key "schema" (the keys are type, key, jsonSchema, version, createdAt, updatedAt, deprecatedAt); ' +
      'type must be one of TRACK, IDENTIFY, GROUP, COMMON, PAGE, SCREEN; got "ALIAS"; "jsonSchema" is required',
  );
  assert.doesNotMatch(text, /variant|`/);
});
