// The package's TypeScript types, as a consumer compiles them (tsc --noEmit against the installed
// package): the good files compile (module nodenext: ESM, CJS, lite, init, edge; and TypeScript 5
// with moduleResolution node10, which reads no `exports`), with their @ts-expect-error lines erroring;
// each file in types/bad/ fails with exactly the one error its first line names, in its place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { consumerDir, repoDir } from "./helpers.mjs";

const tsc = path.join(repoDir, "node_modules/.bin/tsc");
const tsc5 = path.join(repoDir, "node_modules/typescript5/bin/tsc");
const run = (compiler, project) => spawnSync(compiler, ["-p", project], { cwd: consumerDir, encoding: "utf8" });

test("a consumer's TypeScript compiles against the types (ESM, CJS, lite, init)", () => {
  const result = run(tsc, "types/tsconfig.json");
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test("TypeScript 5 with moduleResolution node10 resolves every entry to its own types", () => {
  const version = spawnSync(tsc5, ["--version"], { encoding: "utf8" }).stdout;
  assert.match(version, /^Version 5\./);
  const result = run(tsc5, "types/node10/tsconfig.json");
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test("the edge handler's types compile with the runtime's Request and Response (DOM), also through node10's typesVersions", () => {
  const result = run(tsc, "types/edge/tsconfig.json");
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const node10 = run(tsc5, "types/edge/tsconfig.node10.json");
  assert.equal(node10.status, 0, node10.stdout + node10.stderr);
});

/** A message with its unions' members sorted: TypeScript 7 checks in parallel, and prints a union in either order. */
const unionsSorted = (message) =>
  message.replace(/'((?:"[^"]*"|null|undefined)(?: \| (?:"[^"]*"|null|undefined))+)'/g, (_, union) => `'${union.split(" | ").sort().join(" | ")}'`);

test("each mistake in types/bad/ is refused, for the reason it names", () => {
  const result = run(tsc, "types/tsconfig.bad.json");
  const errors = result.stdout.split("\n").filter((line) => line.includes("error TS"));
  const files = readdirSync(path.join(consumerDir, "types/bad")).filter((name) => name.endsWith(".ts")).sort();
  assert.ok(files.length >= 8, files.join(", "));
  for (const name of files) {
    const expected = readFileSync(path.join(consumerDir, "types/bad", name), "utf8").split("\n")[0].replace(/^\/\/ /, "");
    const mine = errors.filter((line) => line.startsWith(`types/bad/${name}(`));
    assert.equal(mine.length, 1, `${name}: expected exactly one error, got:\n${mine.join("\n") || result.stdout}`);
    assert.equal(unionsSorted(mine[0].replace(/^[^:]+: /, "")), unionsSorted(expected), name);
  }
  assert.equal(errors.length, files.length, result.stdout);
});

test("the TypeScript examples of the README and docs/javascript.md compile", () => {
  const docs = ["README.md", "docs/javascript.md"].map((file) => readFileSync(path.join(repoDir, file), "utf8")).join("\n");
  const blocks = [...docs.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  assert.ok(blocks.length >= 1, "docs/javascript.md has no ```ts block");
  blocks.forEach((code, index) => writeFileSync(path.join(consumerDir, `types/readme-example-${index}.ts`), code));
  const result = run(tsc, "types/tsconfig.readme.json");
  assert.equal(result.status, 0, result.stdout + result.stderr);
});
