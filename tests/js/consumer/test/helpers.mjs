// Shared by the consumer tests: the package loaded every way users load it, and the fixture corpus.
import { createRequire } from "node:module";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
export const consumerDir = fileURLToPath(new URL("..", import.meta.url));
export const repoDir = path.resolve(consumerDir, "../../..");

/** full and lite, through import and through require: `{ label, flavor, api }`. */
export async function loadAll() {
  const loaded = [];
  for (const [flavor, specifier] of [["full", "astrolabe-segment"], ["lite", "astrolabe-segment/lite"]]) {
    loaded.push({ label: `${flavor} via import`, flavor, api: await import(specifier) });
    loaded.push({ label: `${flavor} via require`, flavor, api: require(specifier) });
  }
  return loaded;
}

/** The fixture corpus (tests/fixtures/*.json), or [] with a notice when there is none yet. */
export function fixtures() {
  const dir = process.env.ASTROLABE_FIXTURES ?? path.join(repoDir, "tests/fixtures");
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".json")).sort() : [];
  if (files.length === 0) console.log(`notice: no fixtures in ${dir}; the corpus tests are skipped`);
  return files.map((name) => ({ name, ...JSON.parse(readFileSync(path.join(dir, name), "utf8")) }));
}

/** The input of a fixture, built as tests/common/mod.rs builds it. */
export function input(fixture) {
  const generator = fixture.inputGenerator;
  if (!generator) return fixture.input;
  if (generator.repeatItems) {
    const { count, item } = generator.repeatItems;
    return { batch: Array.from({ length: count }, () => structuredClone(item)) };
  }
  if (generator.deepProperties !== undefined) return deepTrack(generator.deepProperties);
  if (generator.padTrait !== undefined) {
    return { type: "identify", userId: "u", traits: { padding: "x".repeat(generator.padTrait) } };
  }
  throw new Error(`unknown input generator ${JSON.stringify(generator)}`);
}

/** A valid track whose properties nest `{"a": ...}` `depth` objects deep (the innermost is `{}`). */
export function deepTrack(depth) {
  let properties = {};
  for (let level = 1; level < depth; level += 1) properties = { a: properties };
  return { type: "track", userId: "u", event: "e", properties };
}

function issueKeys(issues, paths) {
  const hint = (issue) => (issue.hint === undefined ? "" : ` (hint: ${issue.hint})`);
  return (issues ?? []).map((issue) => (paths ? `${issue.code} at ${JSON.stringify(issue.path)}${hint(issue)}` : issue.code)).sort();
}

/** Differences between an outcome and an expectation whose issues give `code` and `path` only. */
export function outcomeDifferences(actual, expected, paths) {
  const differences = [];
  if (actual.status !== expected.status) differences.push(`status: got ${actual.status}, expected ${expected.status}`);
  const wantOperations = JSON.stringify(sortKeys(expected.operations ?? []));
  const gotOperations = JSON.stringify(sortKeys(actual.operations));
  if (gotOperations !== wantOperations) differences.push(`operations:\n  got      ${gotOperations}\n  expected ${wantOperations}`);
  for (const list of ["errors", "warnings"]) {
    const got = issueKeys(actual[list], paths);
    const want = issueKeys(expected[list], paths);
    if (JSON.stringify(got) !== JSON.stringify(want)) differences.push(`${list}: got ${got}, expected ${want}`);
  }
  const reason = (outcome) => (outcome.reason ? issueKeys([outcome.reason], paths) : null);
  if (JSON.stringify(reason(actual)) !== JSON.stringify(reason(expected))) {
    differences.push(`reason: got ${reason(actual)}, expected ${reason(expected)}`);
  }
  return differences;
}

/** The same for a batch outcome. */
export function batchDifferences(actual, expected, paths) {
  const differences = [];
  const got = issueKeys(actual.errors, paths);
  const want = issueKeys(expected.errors, paths);
  if (JSON.stringify(got) !== JSON.stringify(want)) differences.push(`batch errors: got ${got}, expected ${want}`);
  const wantOutcomes = expected.outcomes ?? [];
  if (actual.outcomes.length !== wantOutcomes.length) {
    differences.push(`outcomes: got ${actual.outcomes.length}, expected ${wantOutcomes.length}`);
  }
  actual.outcomes.slice(0, wantOutcomes.length).forEach((outcome, at) => {
    for (const difference of outcomeDifferences(outcome, wantOutcomes[at], paths)) differences.push(`item ${at}: ${difference}`);
  });
  return differences;
}

/** A copy with object keys sorted, so that key order does not matter in comparisons. */
export function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const sorted = {};
    for (const key of Object.keys(value).sort()) Object.defineProperty(sorted, key, { value: sortKeys(value[key]), enumerable: true, writable: true, configurable: true });
    return sorted;
  }
  return value;
}
