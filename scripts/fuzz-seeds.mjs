// Writes the seed corpus of each fuzz target (fuzz/fuzz_targets/*.rs) into DIR/<target>/, at run
// time, from tests/fixtures/*.json and, when present, ../shared/conformance/*.jsonl (never copied
// into the repository). Usage: node scripts/fuzz-seeds.mjs DIR
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = process.argv[2] ?? path.join(repo, "target/fuzz-corpus");
const seeds = { map_json: [], map_batch: [], transform: [], tracking_plan: [], liquid: [], json_schema: [], regex_pattern: [] };
const text = (value) => JSON.stringify(value, null, 1);
const pair = (first, second) => `${JSON.stringify(first)}\0${JSON.stringify(second)}`;

const fixtures = path.join(repo, "tests/fixtures");
const inputs = [];
for (const name of readdirSync(fixtures).filter((file) => file.endsWith(".json")).sort()) {
  const fixture = JSON.parse(readFileSync(path.join(fixtures, name), "utf8"));
  if (fixture.input === undefined) continue; // generated inputs are too large to be useful seeds
  inputs.push(fixture.input);
  seeds.map_json.push(text(fixture.input));
  seeds.map_batch.push(JSON.stringify(Array.isArray(fixture.input) || fixture.input?.batch ? fixture.input : [fixture.input]));
  for (const mapping of Object.values(fixture.config?.mappings ?? {})) seeds.transform.push(pair(mapping, fixture.input));
}

const plan = {
  rules: [
    { type: "COMMON", key: "", jsonSchema: { properties: { context: { type: "object" } } } },
    { type: "IDENTIFY", key: "", jsonSchema: { properties: { traits: { type: "object", properties: { email: { type: "string", format: "email" } }, required: ["email"] } } } },
    {
      type: "TRACK",
      key: "Order Completed",
      version: 1,
      jsonSchema: {
        $schema: "http://json-schema.org/draft-07/schema#",
        properties: { properties: { type: "object", properties: { revenue: { type: "number" }, currency: { type: "string", pattern: "^[A-Z]{3}$" } }, required: ["revenue"], additionalProperties: false } },
      },
    },
  ],
  violations: "block",
  unplannedEvents: "warn",
  unplannedProperties: "omit",
};
for (const input of inputs.slice(0, 60)) seeds.tracking_plan.push(pair(plan, input));

// Schemas: every sub-schema of the plan above and the keywords it lacks, each with properties
// it passes and properties it fails.
const schemas = [
  ...plan.rules.map((rule) => rule.jsonSchema),
  ...plan.rules.map((rule) => rule.jsonSchema.properties?.properties ?? rule.jsonSchema.properties?.traits).filter(Boolean),
  { anyOf: [{ type: "string" }, { type: "object", required: ["a"] }], not: { const: "x" } },
  { oneOf: [{ minimum: 1 }, { multipleOf: 0.5 }], if: { type: "number" }, then: { maximum: 10 }, else: { maxLength: 3 } },
  { $defs: { n: { type: "integer" } }, properties: { n: { $ref: "#/$defs/n" } }, dependentRequired: { a: ["b"] } },
  { type: "array", items: { enum: [1, "a", null] }, minItems: 1, uniqueItems: true, contains: { const: 1 } },
  { propertyNames: { pattern: "^[a-z]+$" }, additionalProperties: { format: "date-time" }, maxProperties: 3 },
  { properties: { e: { format: "email" }, u: { format: "uri" }, i: { format: "ipv4" }, d: { format: "date" } } },
];
const samples = [{ revenue: 1, currency: "USD" }, { revenue: "x" }, { a: 1, b: 2, n: 1.5 }, [1, "a"], "x", 7, null, { e: "a@b.co", u: "https://x", i: "1.2.3.4", d: "2026-12-05" }];
for (const schema of schemas) for (const sample of samples) seeds.json_schema.push(pair(schema, sample));
// Patterns: what plans use, and the constructs that are hard for a regex engine.
for (const [pattern, text] of [
  ["^[A-Z]{3}$", "USD"], ["^\\d+(\\.\\d{1,2})?$", "12.50"], ["(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaa!"],
  ["(?<=a)b", "ab"], ["(\\w)\\1", "aa"], ["\\p{L}+", "héllo"], ["[\\u0000-\\uFFFF]*", "x"],
  ["a{1,1000}", "aaa"], ["(?i)order", "ORDER"], ["^(?!test).*", "prod"], ["[", "["], ["\\", "x"],
]) seeds.regex_pattern.push(`${pattern}\0${text}`);

const conformance = path.resolve(repo, "../shared/conformance");
for (const file of ["mapping-kit-cases.jsonl", "mapping-kit-validate-cases.jsonl"]) {
  const source = path.join(conformance, file);
  if (!existsSync(source)) {
    console.log(`notice: ${source} is absent; the transform corpus has the fixtures' mappings only`);
    continue;
  }
  for (const line of readFileSync(source, "utf8").split("\n").filter(Boolean)) {
    const testCase = JSON.parse(line);
    if (testCase.mapping !== undefined) seeds.transform.push(pair(testCase.mapping, testCase.payload ?? {}));
    for (const template of liquidTemplates(testCase.mapping)) seeds.liquid.push(template);
  }
}

/** Every `@liquid` template in a mapping, at any depth. */
function liquidTemplates(value, found = []) {
  if (value === null || typeof value !== "object") return found;
  for (const [key, inner] of Object.entries(value)) {
    if (key === "@liquid" && typeof inner === "string") found.push(inner);
    else liquidTemplates(inner, found);
  }
  return found;
}
// Templates the conformance cases may lack: literals at the edges, every enabled tag.
seeds.liquid.push("{{ 9223372036854775807 | plus: 1 }}", "{% if properties.total > 10 %}big{% else %}small{% endif %}",
  "{{ properties.tags | join: ',' }}{% assign n = properties.count | times: 2 %}{{ n }}", "{{ (1..3) | join }}",
  "{{ properties.name | upcase | append: '!' }}{% capture c %}{{ event }}{% endcapture %}{{ c | size }}");

for (const [target, list] of Object.entries(seeds)) {
  const dir = path.join(out, target);
  mkdirSync(dir, { recursive: true });
  list.forEach((seed, at) => writeFileSync(path.join(dir, `seed-${String(at).padStart(4, "0")}`), seed));
  console.log(`${target}: ${list.length} seeds in ${dir}`);
}
