// Every input a fuzzer crashed on (tests/fuzz-crashes/, shared with the Rust test
// tests/fuzz_crashes.rs), through the package: each gets an answer, never a trap, and the module
// is never re-instantiated on the way (a trap would say "internal error").
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as full from "astrolabe-segment";
import * as lite from "astrolabe-segment/lite";

const dir = fileURLToPath(new URL("../../../fuzz-crashes/liquid/", import.meta.url));
const templates = readdirSync(dir).sort().map((name) => [name, readFileSync(dir + name, "utf8")]);

test("the liquid crashes are answered in words by every entry that compiles a template", () => {
  assert.ok(templates.length >= 4);
  const payload = { type: "track", event: "e", userId: "u", properties: { count: 3, tags: ["a"] } };
  for (const [name, template] of templates) {
    const mapping = { x: { "@liquid": template } };
    const problems = full.validateMapping(mapping);
    for (const call of [() => full.transform(mapping, payload), () => new full.Destination({ mappings: { trackEvent: { event: { "@liquid": template } } } }).map(payload)]) {
      try {
        call();
      } catch (error) {
        assert.doesNotMatch(error.message, /internal error|unreachable|RuntimeError/i, name);
      }
    }
    if (problems.length === 0) assert.doesNotThrow(() => full.transform(mapping, payload), name);
    assert.ok(lite.validateMapping(mapping).length > 0, `${name}: lite refuses @liquid`);
  }
  assert.equal(full.map(payload).status, "mapped");
});

const patternsDir = fileURLToPath(new URL("../../../fuzz-crashes/regex_pattern/", import.meta.url));
const patterns = readdirSync(patternsDir).sort().map((name) => {
  const bytes = readFileSync(patternsDir + name);
  const cut = bytes.indexOf(0);
  return [name, bytes.subarray(0, cut < 0 ? bytes.length : cut).toString("utf8")];
});

test("the patterns that ran out of memory are refused in words by a plan, not a trap", () => {
  assert.ok(patterns.length >= 3);
  for (const [name, pattern] of patterns) {
    const schema = { type: "object", properties: { p: { type: "string", pattern } }, patternProperties: { [pattern]: { type: "number" } } };
    const trackingPlan = { rules: [{ type: "TRACK", key: "e", jsonSchema: { properties: { properties: schema } } }] };
    assert.throws(() => new full.Destination({ trackingPlan }), (error) => {
      assert.doesNotMatch(error.message, /internal error|unreachable|RuntimeError/i, name);
      assert.match(error.message, /pattern/, name);
      return true;
    }, name);
  }
  assert.equal(full.map({ type: "track", event: "e", userId: "u" }).status, "mapped");
});

const messagesDir = fileURLToPath(new URL("../../../fuzz-crashes/map_json/", import.meta.url));
const messages = readdirSync(messagesDir).sort().map((name) => [name, readFileSync(messagesDir + name, "utf8")]);

test("a message whose object trait a @liquid template renders gets one answer, from text or object, every time", () => {
  assert.ok(messages.length >= 1);
  const mappings = { upsertUser: { userId: { "@path": "$.traits.email" }, x: { "@template": "{{traits.name}}" }, l: { "@liquid": "{{ traits.name | upcase }}" } } };
  const destination = new full.Destination({ mappings });
  for (const [name, text] of messages) {
    const first = destination.mapJson(text, { type: "identify" });
    for (let round = 0; round < 20; round += 1) assert.equal(destination.mapJson(text, { type: "identify" }), first, name);
    assert.deepEqual(destination.map(JSON.parse(text), { type: "identify" }), JSON.parse(first), name);
    const { traits } = JSON.parse(first).operations[0];
    assert.equal(traits.l, "[OBJECT OBJECT]", name);
    assert.equal(traits.x, "[object Object]", name);
  }
});
