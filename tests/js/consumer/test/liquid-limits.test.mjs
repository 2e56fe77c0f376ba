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

test("arithmetic past i64 is a double, as liquidjs computes, not a wrapped integer or a trap", () => {
  const render = (template) => full.transform({ x: { "@liquid": template } }, { min: -(2 ** 63), max: 2 ** 63 - 1 }).x;
  // -9223372036854775808 / -1 and % -1 trapped the module; + and * wrapped around.
  assert.equal(render("{{ -9223372036854775808 | divided_by: -1 }}"), "9223372036854776000");
  assert.equal(render("{{ -9223372036854775808 | modulo: -1 }}"), "0");
  assert.equal(render("{{ 9223372036854775807 | plus: 1 }}"), "9223372036854776000");
  assert.equal(render("{{ 9223372036854775807 | times: 2 }}"), "18446744073709552000");
  assert.equal(render("{{ -9223372036854775808 | abs }}"), "9223372036854776000");
  assert.equal(render("{{ 7 | divided_by: 2 }} {{ 7 | modulo: 3 }} {{ -7 | abs }}"), "3 1 7");
});

test("a bad template is told in our words: what is wrong, where in the template, and which field", () => {
  const cases = [
    ["{{ a | }}", "expected a name, line:1, col:8"],
    ["Hi\n{{ a b }}", "expected a value, line:2, col:4"],
    ["{% if a %}x", "block not closed: {% endif %} expected, line:1, col:12"],
    ["{% nosuchtag %}", 'tag "nosuchtag" not found here, line:1, col:4'],
    ["{{ a", 'output "{{ a" not closed, line:1, col:1'],
  ];
  for (const [template, words] of cases) {
    const problems = full.validateMapping({ greeting: { "@liquid": template } });
    assert.deepEqual(problems, [`${words} (at /greeting/@liquid)`], template);
    assert.throws(
      () => new full.Destination({ mappings: { upsertUser: { traits: { greeting: { "@liquid": template } } } } }),
      (error) => error.message.includes(words) && /upsertUser/.test(error.message) && !/-->|Literal|Identifier/.test(error.message),
      template,
    );
  }
});
