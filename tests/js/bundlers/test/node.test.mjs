// Bundles made for Node and Bun, by each bundler, moved away from the project and run: the `node`
// condition's entry carries the module's bytes in JavaScript, so a bundle needs no file beside it
// (before, esbuild and webpack bundles failed with ENOENT or `__dirname is not defined`, and
// `bun build` baked in the build machine's path).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import * as esbuild from "esbuild";
import webpack from "webpack";
import { rollup } from "rollup";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import commonjs from "@rollup/plugin-commonjs";
import { assertResults, buildDir, moveAway, projectDir, srcDir } from "./helpers.mjs";

const app = path.join(srcDir, "app.js");

/** Runs a moved bundle with `runtime` and returns what it reported. */
function run(runtime, file) {
  const result = spawnSync(runtime, [file], { cwd: path.dirname(file), encoding: "utf8", timeout: 60_000 });
  assert.equal(result.status, 0, `${runtime} ${file}:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1));
}

for (const format of ["cjs", "esm"]) {
  test(`esbuild --platform=node --format=${format}`, async () => {
    const dir = buildDir(`esbuild-node-${format}`);
    const outfile = path.join(dir, format === "cjs" ? "app.cjs" : "app.mjs");
    await esbuild.build({ entryPoints: [app], bundle: true, platform: "node", target: "node20", format, outfile, logLevel: "error" });
    assertResults(run(process.execPath, path.join(moveAway(dir), path.basename(outfile))), `esbuild ${format}`);
  });
}

for (const module of [false, true]) {
  test(`webpack target node20, ${module ? "ESM" : "CommonJS"} output`, async () => {
    const dir = buildDir(`webpack-node-${module ? "esm" : "cjs"}`);
    const filename = module ? "app.mjs" : "app.cjs";
    const stats = await new Promise((resolve, reject) =>
      webpack(
        {
          mode: "production",
          target: "node20",
          context: projectDir,
          entry: app,
          output: { path: dir, filename, ...(module ? { module: true, chunkFormat: "module" } : {}) },
          experiments: module ? { outputModule: true } : {},
          performance: { hints: false },
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      ),
    );
    assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
    assertResults(run(process.execPath, path.join(moveAway(dir), filename)), "webpack node");
  });
}

test("Rollup (node-resolve with the node condition, commonjs), ESM output", async () => {
  const dir = buildDir("rollup-node");
  const bundle = await rollup({
    input: app,
    plugins: [nodeResolve({ exportConditions: ["node"], preferBuiltins: true }), commonjs()],
    onwarn: (warning, warn) => (warning.code === "CIRCULAR_DEPENDENCY" ? undefined : warn(warning)),
  });
  await bundle.write({ file: path.join(dir, "app.mjs"), format: "es" });
  await bundle.close();
  assertResults(run(process.execPath, path.join(moveAway(dir), "app.mjs")), "rollup node");
});

const bun = path.join(projectDir, "node_modules/.bin/bun");
for (const target of ["bun", "node"]) {
  test(`bun build --target=${target}, run with ${target === "bun" ? "Bun" : "Node"}`, () => {
    const dir = buildDir(`bun-${target}`);
    const built = spawnSync(bun, ["build", app, `--target=${target}`, "--outfile", path.join(dir, "app.mjs")], { cwd: projectDir, encoding: "utf8", timeout: 120_000 });
    assert.equal(built.status, 0, built.stderr);
    const file = path.join(moveAway(dir), "app.mjs");
    assertResults(run(target === "bun" ? bun : process.execPath, file), `bun build ${target}`);
  });
}

test("Bun runs the installed package unbundled", () => {
  assertResults(run(bun, app), "bun");
});
