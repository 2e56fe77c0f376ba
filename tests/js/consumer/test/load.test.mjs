// The installed package: the fresh build, one instance for import and require, each runtime's
// entry chosen by its exports condition, and types that list the same codes as the module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
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
  // node.cjs requires shared/fast.cjs, which make build writes from shared/fast.js (its import of
  // the limits a require), and both read shared/limits.{js,cjs}, which it writes from the Rust.
  const source = readFileSync(path.join(repoDir, "pkg/shared/fast.js"), "utf8");
  const cjs = readFileSync(path.join(installed, "shared/fast.cjs"), "utf8");
  const expected = source.replace(/^export function /m, "function ").replace('import { limits } from "./limits.js";', 'const { limits } = require("./limits.cjs");');
  assert.ok(cjs.includes(expected), "shared/fast.cjs is stale: run make build");
  for (const name of ["shared/limits.js", "shared/limits.cjs"]) {
    assert.equal(readFileSync(path.join(installed, name), "utf8"), readFileSync(path.join(repoDir, "pkg", name), "utf8"), `${name} is stale`);
  }
});

test("import and require share one instance; version and codes", async () => {
  for (const specifier of ["astrolabe-segment", "astrolabe-segment/lite"]) {
    const esm = await import(specifier);
    const cjs = require(specifier);
    assert.equal(esm.Destination, cjs.Destination);
    assert.equal(esm.codes, cjs.codes);
    assert.equal(esm.limits, cjs.limits);
    // The trap the recovery tests force (trap.test.mjs) is no export: the public surface is this.
    assert.deepEqual(Object.keys(esm).sort(), ["Destination", "codes", "limits", "map", "mapBatch", "mapJson", "transform", "validate", "validateMapping", "version"]);
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
  const types = readFileSync(path.join(installed, "types/core.d.ts"), "utf8");
  const union = types.match(/export type Code =([^;]+);/)[1].match(/"([a-z_]+)"/g).map((quoted) => quoted.slice(1, -1));
  assert.deepEqual(union, [...codes]);
  // The require condition's copies differ only in the specifiers they import.
  for (const name of ["core", "index", "lite"]) {
    const esm = readFileSync(path.join(installed, `types/${name}.d.ts`), "utf8");
    const cjs = readFileSync(path.join(installed, `types/${name}.d.cts`), "utf8");
    assert.equal(cjs, esm.replace(/from "\.\/([a-z-]+)\.js"/g, 'from "./$1.cjs"'), name);
  }
});

test("each runtime resolves its own entry", () => {
  const cases = [
    [[], "import", "full/node.js"],
    [[], "require", "full/node.cjs"],
    [["--conditions=browser"], "import", "full/browser.js"],
    [["--conditions=deno"], "import", "full/deno.js"],
    [["--conditions=workerd"], "import", "full/workerd.js"],
    [["--conditions=workerd"], "import", "lite/workerd.js", "astrolabe-segment/lite"],
    // Vercel Edge's conditions.
    [["--conditions=edge-light", "--conditions=worker", "--conditions=browser"], "import", "full/edge-light.js"],
    [["--conditions=edge-light", "--conditions=worker", "--conditions=browser"], "import", "lite/edge-light.js", "astrolabe-segment/lite"],
    [[], "import", "full/init.js", "astrolabe-segment/init"],
    [[], "import", "lite/init.js", "astrolabe-segment/lite/init"],
    [[], "import", "dist/full/astrolabe_segment_bg.wasm", "astrolabe-segment/full.wasm"],
    [[], "import", "dist/lite/astrolabe_segment_bg.wasm", "astrolabe-segment/lite.wasm"],
    [[], "require", "lite/node.cjs", "astrolabe-segment/lite"],
    // The edge handler: one module for every runtime (it picks its engine by the same conditions).
    [[], "import", "edge/index.js", "astrolabe-segment/edge"],
    [["--conditions=workerd"], "import", "edge/index.js", "astrolabe-segment/edge"],
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
    `${name}/browser.js`, `${name}/deno.js`, `${name}/edge-light.js`, `${name}/init.js`, `${name}/node.cjs`, `${name}/node.js`,
    `${name}/workerd.js`, `dist/${name}/astrolabe_segment.cjs`, `dist/${name}/astrolabe_segment.js`,
    `dist/${name}/astrolabe_segment_bg.wasm`, `dist/${name}/wasm-bytes.cjs`,
  ];
  const types = ["core", "index", "lite"].flatMap((name) => [`types/${name}.d.ts`, `types/${name}.d.cts`]);
  types.push("types/init.d.ts", "types/lite-init.d.ts", "types/init-input.d.ts", "types/edge.d.ts");
  const edge = ["body", "cors", "credentials", "delivery", "engine", "handler", "identity", "index", "respond", "routes", "settings"].map((name) => `edge/${name}.js`);
  // The command line: its modules, and of the tools build only the Node glue and bytes it loads.
  const cli = readdirSync(path.join(repoDir, "pkg/cli")).map((name) => `cli/${name}`);
  const tools = ["dist/tools/astrolabe_segment.cjs", "dist/tools/wasm-bytes.cjs"];
  const expected = [
    "README.md", "LICENSE-MIT", "LICENSE-APACHE", "package.json", "shared/fast.cjs", "shared/fast.js", "shared/limits.cjs", "shared/limits.js",
    ...types, ...flavor("full"), ...flavor("lite"), ...edge, ...cli, ...tools,
  ].sort();
  assert.deepEqual(files, expected);
});
