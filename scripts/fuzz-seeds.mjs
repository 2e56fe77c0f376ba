// Writes the seed corpus of each fuzz target (fuzz/fuzz_targets/*.rs) into DIR/<target>/, at run
// time, from tests/fixtures/*.json and, when present, ../shared/conformance/*.jsonl (never copied
// into the repository). Usage: node scripts/fuzz-seeds.mjs DIR
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = process.argv[2] ?? path.join(repo, "target/fuzz-corpus");
const seeds = { map_json: [], map_batch: [], transform: [], tracking_plan: [], liquid: [] };
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
