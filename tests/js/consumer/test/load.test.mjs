// The installed package: the fresh build, one instance for import and require, each runtime's
// entry chosen by its exports condition, and types that list the same codes as the module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { consumerDir, repoDir } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const installed = path.join(consumerDir, "node_modules/astrolabe-segment");

test("the installed package is the one just built", () => {
  for (const flavor of ["full", "lite"]) {
    const file = `dist/${flavor}/astrolabe_segment_bg.wasm`;
    assert.ok(readFileSync(path.join(installed, file)).equals(readFileSync(path.join(repoDir, "pkg", file))), `${file} is stale`);
  }
  // node.cjs requires shared/fast.cjs, which make build writes from shared/fast.js.
  const source = readFileSync(path.join(repoDir, "pkg/shared/fast.js"), "utf8");
  const cjs = readFileSync(path.join(installed, "shared/fast.cjs"), "utf8");
  assert.ok(cjs.includes(source.replace(/^export function /m, "function ")), "shared/fast.cjs is stale: run make build");
});

test("import and require share one instance; version and codes", async () => {
  for (const specifier of ["astrolabe-segment", "astrolabe-segment/lite"]) {
    const esm = await import(specifier);
    const cjs = require(specifier);
    assert.equal(esm.Destination, cjs.Destination);
    assert.equal(esm.codes, cjs.codes);
    // __forceTrap is test-only (trap.test.mjs): in no type and in no README.
    assert.deepEqual(Object.keys(esm).sort(), ["Destination", "__forceTrap", "codes", "map", "mapBatch", "mapJson", "transform", "validate", "validateMapping", "version"]);
    assert.equal(esm.version, JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")).version);
    const cargo = readFileSync(path.join(repoDir, "Cargo.toml"), "utf8").match(/^version = "([^"]+)"/m)[1];
    assert.equal(esm.version, cargo, "pkg/package.json and Cargo.toml disagree on the version");
  }
  const full = await import("astrolabe-segment");
  const lite = await import("astrolabe-segment/lite");
  assert.notEqual(full.Destination, lite.Destination);
});

test("the types list exactly the codes the module has", async () => {
  const { codes } = await import("astrolabe-segment");
  const types = readFileSync(path.join(installed, "types/index.d.ts"), "utf8");
  const union = types.match(/export type Code =([^;]+);/)[1].match(/"([a-z_]+)"/g).map((quoted) => quoted.slice(1, -1));
  assert.deepEqual(union, [...codes]);
  assert.equal(readFileSync(path.join(installed, "types/index.d.cts"), "utf8"), types);
});

test("each runtime resolves its own entry", () => {
  const cases = [
    [[], "import", "full/node.js"],
    [[], "require", "full/node.cjs"],
    [["--conditions=browser"], "import", "full/browser.js"],
    [["--conditions=deno"], "import", "full/deno.js"],
    [["--conditions=workerd"], "import", "full/workerd.js"],
    [["--conditions=workerd"], "import", "lite/workerd.js", "astrolabe-segment/lite"],
    [[], "require", "lite/node.cjs", "astrolabe-segment/lite"],
  ];
  for (const [flags, how, expected, specifier = "astrolabe-segment"] of cases) {
    const code = how === "import"
      ? `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`
      : `console.log(require.resolve(${JSON.stringify(specifier)}))`;
    const result = spawnSync(process.execPath, [...flags, ...(how === "import" ? ["--input-type=module"] : []), "-e", code], { cwd: consumerDir, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.trim().endsWith(`node_modules/astrolabe-segment/${expected}`), `${flags} ${how} ${specifier}: ${result.stdout}`);
  }
});

test("the package holds no wasm-bindgen leftovers and nothing unlisted", () => {
  const result = spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: path.join(repoDir, "pkg"), encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  const files = JSON.parse(result.stdout)[0].files.map((file) => file.path).sort();
  const flavor = (name) => [
    `${name}/browser.js`, `${name}/deno.js`, `${name}/node.cjs`, `${name}/node.js`, `${name}/workerd.js`,
    `dist/${name}/astrolabe_segment.cjs`, `dist/${name}/astrolabe_segment.js`, `dist/${name}/astrolabe_segment_bg.wasm`,
  ];
  const expected = ["README.md", "package.json", "shared/fast.cjs", "shared/fast.js", "types/index.d.cts", "types/index.d.ts", ...flavor("full"), ...flavor("lite")].sort();
  assert.deepEqual(files, expected);
});
