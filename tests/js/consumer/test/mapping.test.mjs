// transform and validateMapping on the installed package, against mapping-kit's own test cases
// (../shared/conformance/, read at run time; skipped with a notice where the folder is absent).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadAll, repoDir } from "./helpers.mjs";

const conformance = path.resolve(repoDir, "../shared/conformance");
const read = (name) => {
  const file = path.join(conformance, name);
  if (!existsSync(file)) {
    console.log(`notice: ${file} is absent; mapping-kit conformance cases skipped`);
    return [];
  }
  return readFileSync(file, "utf8").split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
};
const transformCases = read("mapping-kit-cases.jsonl");
const validateCases = read("mapping-kit-validate-cases.jsonl");
const usesLiquid = (mapping) => JSON.stringify(mapping).includes('"@liquid"');

for (const { label, flavor, api } of await loadAll()) {
  describe(`mapping, ${label}`, () => {
    test("transform applies directives and returns plain values", () => {
      const out = api.transform({ email: { "@path": "$.traits.email" }, plan: "pro", nothing: { "@path": "$.missing" } }, { traits: { email: "a@b.c" } });
      assert.deepEqual(out, { email: "a@b.c", plan: "pro" });
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
      assert.deepEqual(api.transform({ a: 1 }), { a: 1 });
      assert.throws(() => api.transform({ a: 1 }, 123), /data must be an object, got number/);
      assert.throws(() => api.transform({ a: { "@path": 5 } }, {}), Error);
      assert.throws(() => api.transform({ a: NaN }, {}), (error) => error instanceof TypeError && /not_json at \/a/.test(error.message));
      assert.deepEqual(api.validateMapping({ a: { "@path": "$.b" } }), []);
      assert.ok(api.validateMapping({ a: { "@path": 5 } }).length > 0);
      if (flavor === "lite") assert.throws(() => api.transform({ a: { "@liquid": "{{ b }}" } }, { b: 1 }));
      else assert.deepEqual(api.transform({ a: { "@liquid": "{{ b }}" } }, { b: 1 }), { a: "1" });
    });

    test(`mapping-kit transform cases (${transformCases.length})`, { skip: transformCases.length === 0 && "no cases" }, () => {
      const failures = [];
      for (const testCase of transformCases) {
        if (flavor === "lite" && usesLiquid(testCase.mapping)) continue;
        let result;
        let error;
        try {
          result = api.transform(testCase.mapping, testCase.payload);
        } catch (caught) {
          error = caught;
        }
        if (testCase.error) {
          if (!error) failures.push(`${testCase.name}: expected an error, got ${JSON.stringify(result)}`);
          else for (const observed of testCase.observed_errors ?? []) if (!error.message.includes(observed)) failures.push(`${testCase.name}: ${error.message} lacks ${observed}`);
        } else if (error) {
          failures.push(`${testCase.name}: ${error.message}`);
        } else {
          try {
            assert.deepEqual(result, testCase.expected);
          } catch {
            failures.push(`${testCase.name}: got ${JSON.stringify(result)}, expected ${JSON.stringify(testCase.expected)}`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });

    test(`mapping-kit validation cases (${validateCases.length})`, { skip: validateCases.length === 0 && "no cases" }, () => {
      const failures = [];
      for (const testCase of validateCases) {
        if (flavor === "lite" && usesLiquid(testCase.mapping)) continue;
        const problems = api.validateMapping(testCase.mapping);
        if (testCase.valid !== (problems.length === 0)) failures.push(`${testCase.name}: ${JSON.stringify(problems)}`);
      }
      assert.deepEqual(failures, []);
    });
  });
}
