// Liquid integer literals past i64 once made the `liquid` parser panic, trapping the module: the
// caller got "internal error" for a plain bad template. Each entry that compiles a template now
// refuses it in words, with its position, and the module keeps working.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as full from "astrolabe-segment";

const big = "7".repeat(30);
const templates = [
  `{{ ${big} }}`,
  `{{ -${big} | plus: 1 }}`,
  `{{ "a" | plus: ${big} }}`,
  `{% if ${big} %}x{% endif %}`,
];

test("an integer past i64 in a template is refused in words, not a trap", () => {
  for (const template of templates) {
    const mapping = { x: { "@liquid": template } };
    const problems = full.validateMapping(mapping);
    assert.ok(problems.some((problem) => /out of range.*line:1, col:\d+/.test(problem)), `${template}: ${problems}`);
    assert.throws(() => full.transform(mapping, {}), (error) => /out of range/.test(error.message) && !/internal error/i.test(error.message), template);
    assert.throws(
      () => new full.Destination({ mappings: { trackEvent: { event: { "@liquid": template } } } }),
      (error) => /out of range/.test(error.message) && !/internal error/i.test(error.message),
      template,
    );
  }
  // The module was never re-instantiated: it still answers.
  assert.equal(full.transform({ x: { "@liquid": "{{ 9223372036854775807 }}" } }, {}).x, "9223372036854775807");
});
