// Browser builds by each bundler, moved away from the project, served from 127.0.0.1 and opened in
// Chromium: the page must map with full and lite, load the .wasm from the build's own output, and
// request nothing else. Vite, webpack and Rollup (with an import-meta-assets plugin) follow the
// default entry's `new URL("…wasm", import.meta.url)`; esbuild does not, so its builds take the
// init entry, with the .wasm from its file loader (ESM) or embedded by its binary loader (iife).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { build as viteBuild } from "vite";
import webpack from "webpack";
import * as esbuild from "esbuild";
import { rollup } from "rollup";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { importMetaAssets } from "@web/rollup-plugin-import-meta-assets";
import { launchChromium, watchedPage } from "../../../edge/chromium.mjs";
import { assertResults, buildDir, moveAway, projectDir, serve, srcDir } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** Opens `dir` (moved away) in Chromium, checks the results, the .wasm requests and that nothing failed. */
async function open(dir, what, { wasmRequests = 2 } = {}) {
  const away = moveAway(dir);
  const server = await serve(away);
  const page = await watchedPage(browser.context);
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.waitForFunction(() => globalThis.__results !== undefined, null, { timeout: 60_000 }).catch(() => {});
    const results = await page.evaluate(() => globalThis.__results);
    assert.deepEqual(page.seen.errors, [], `${what}: errors on the page`);
    assertResults(results, what);
    const bad = page.seen.responses.filter((response) => response.status >= 400);
    assert.deepEqual(bad, [], `${what}: failed requests`);
    assert.ok(page.seen.requests.every((request) => request.url.startsWith(server.origin)), `${what}: requests elsewhere`);
    const wasm = page.seen.responses.filter((response) => response.url.endsWith(".wasm"));
    assert.equal(wasm.length, wasmRequests, `${what}: .wasm requests ${JSON.stringify(wasm)}`);
  } finally {
    await page.close();
    await server.close();
  }
}

const page = (script, module = true) =>
  `<!doctype html>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n<script${module ? ' type="module"' : ""} src="./${script}"></script>\n`;

test("Vite build (default browser entry)", { timeout: 180_000 }, async () => {
  const dir = buildDir("vite");
  await viteBuild({ root: srcDir, configFile: false, logLevel: "error", build: { outDir: dir, emptyOutDir: true } });
  await open(dir, "vite");
});

test("webpack, target web (default browser entry)", { timeout: 180_000 }, async () => {
  const dir = buildDir("webpack-web");
  const stats = await new Promise((resolve, reject) =>
    webpack(
      { mode: "production", target: "web", context: projectDir, entry: path.join(srcDir, "app.js"), output: { path: dir, filename: "app.js" }, performance: { hints: false } },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  writeFileSync(path.join(dir, "index.html"), page("app.js", false));
  await open(dir, "webpack web");
});

test("Rollup with @web/rollup-plugin-import-meta-assets (default browser entry)", { timeout: 180_000 }, async () => {
  const dir = buildDir("rollup-web");
  const bundle = await rollup({
    input: path.join(srcDir, "app.js"),
    plugins: [nodeResolve({ browser: true }), importMetaAssets()],
    onwarn: (warning, warn) => (warning.code === "CIRCULAR_DEPENDENCY" ? undefined : warn(warning)),
  });
  await bundle.write({ dir, format: "es" });
  await bundle.close();
  writeFileSync(path.join(dir, "index.html"), page("app.js"));
  await open(dir, "rollup web");
});

test("esbuild, browser ESM: init entry, .wasm from the file loader", { timeout: 180_000 }, async () => {
  const dir = buildDir("esbuild-esm");
  await esbuild.build({
    entryPoints: [path.join(srcDir, "init-url.js")],
    bundle: true,
    format: "esm",
    platform: "browser",
    outdir: dir,
    loader: { ".wasm": "file" },
    logLevel: "error",
  });
  writeFileSync(path.join(dir, "index.html"), page("init-url.js"));
  await open(dir, "esbuild esm");
});

test("esbuild, browser iife: init entry, .wasm embedded by the binary loader", { timeout: 180_000 }, async () => {
  const dir = buildDir("esbuild-iife");
  await esbuild.build({
    entryPoints: [path.join(srcDir, "init-bytes.js")],
    bundle: true,
    format: "iife",
    platform: "browser",
    outdir: dir,
    loader: { ".wasm": "binary" },
    logLevel: "error",
  });
  writeFileSync(path.join(dir, "index.html"), page("init-bytes.js", false));
  await open(dir, "esbuild iife", { wasmRequests: 0 });
});
