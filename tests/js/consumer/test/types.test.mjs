// The package's TypeScript types, as a consumer compiles them (tsc --noEmit, module nodenext):
// good files compile (and their @ts-expect-error lines must error), bad.ts must not compile.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { consumerDir, repoDir } from "./helpers.mjs";

const tsc = path.join(repoDir, "node_modules/.bin/tsc");
const run = (project) => spawnSync(tsc, ["-p", project], { cwd: consumerDir, encoding: "utf8" });

test("a consumer's TypeScript compiles against the types (ESM, CJS, lite)", () => {
  const result = run("types/tsconfig.json");
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test("reading a field of the wrong operation does not compile", () => {
  const result = run("types/tsconfig.bad.json");
  assert.notEqual(result.status, 0, "bad.ts compiled: the types are too loose");
  const errors = result.stdout.split("\n").filter((line) => line.includes("error TS"));
  assert.deepEqual(errors.length, 1, result.stdout);
  assert.match(errors[0], /bad\.ts\(\d+,\d+\): error TS2339: Property 'event' does not exist on type 'UpsertUser'/);
});
