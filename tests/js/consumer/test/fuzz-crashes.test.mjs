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
