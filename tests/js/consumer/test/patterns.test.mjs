// Regular expressions in the full build: a tracking plan's `pattern` (jsonschema: fancy-regex over
// regex-automata) and liquid's regex-based filters. The wasm builds link the regex engines with
// trimmed default features (scripts/trim-regex.mjs: no Unicode Age or segmentation tables, no perf
// features); these cases make sure what ECMA-262 patterns can use still works.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadAll } from "./helpers.mjs";

/** A destination whose plan blocks a track "E" whose `properties.v` does not match `pattern`. */
function planWith(api, pattern) {
  return new api.Destination({
    trackingPlan: {
      rules: [{ type: "TRACK", key: "E", version: 1, jsonSchema: {
        properties: { properties: { type: "object", properties: { v: { type: "string", pattern } } } },
      } }],
      violations: "block",
    },
  });
}

// [pattern, values it must accept, values it must reject]
const cases = [
  ["^\\p{L}+$", ["Zoë", "日本語", "ÄÖÜ", "abc"], ["ab1", "a b", ""]],
  ["^\\p{Lu}\\p{Ll}+$", ["Émile", "Zoë"], ["émile", "ÉMILE"]],
  ["^\\p{Script=Greek}+$", ["αβγ"], ["abc"]],
  ["^\\p{Emoji}$", ["😀"], ["a"]],
  // ECMA-262: \d and \w are ASCII, \s has the Unicode spaces.
  ["^\\d+$", ["123"], ["١٢٣", "12a"]],
  ["^\\w+$", ["abc_1"], ["é", "a-b"]],
  ["^\\s+$", [" \t", "\u00a0"], ["x"]],
  ["(?i)^abc$", ["ABC", "abc", "aBc"], ["abd"]],
  ["(?i)^émile$", ["ÉMILE", "Émile"], ["emile"]],
  ["^(?=.*\\d)\\w+$", ["ab1"], ["ab"]],
];

for (const { label, flavor, api } of await loadAll()) {
  if (flavor !== "full") continue;
  describe(`regular expressions, ${label}`, () => {
    for (const [pattern, accepted, rejected] of cases) {
      test(`pattern ${pattern}`, () => {
        const destination = planWith(api, pattern);
        try {
          const status = (v) => destination.map({ type: "track", userId: "u", event: "E", properties: { v } }).status;
          for (const v of accepted) assert.equal(status(v), "mapped", `${JSON.stringify(v)} must match ${pattern}`);
          for (const v of rejected) assert.equal(status(v), "invalid", `${JSON.stringify(v)} must not match ${pattern}`);
        } finally {
          destination.free();
        }
      });
    }

    test("a pattern ECMA-262 has no property for is refused when the plan is built", () => {
      // Unicode Age is not an ECMA-262 property (nor are the segmentation ones): the build leaves its
      // tables out, so the schema is refused as a bad regex, naming the rule.
      assert.throws(() => planWith(api, "^\\p{Age=3.0}$"), /rules\/0 \(TRACK "E"\).*is not a "regex"/);
    });

    test("liquid filters built on regexes: strip_html ((?is) patterns), downcase", () => {
      const html = "<P>Hi</P><SCRIPT>\nx\n</SCRIPT> <b>é</b><!-- c\n -->!";
      assert.deepEqual(api.transform({ a: { "@liquid": "{{ s | strip_html }}" } }, { s: html }), { a: "Hi é!" });
      assert.deepEqual(api.transform({ a: { "@liquid": "{{ s | downcase }}" } }, { s: "ÉCOLE" }), { a: "école" });
    });
  });
}
