// The package in a Vercel Edge Function, built the way Vercel's bundler builds one: esbuild with
// the edge conditions (`edge-light`, `worker`, `browser`) and Vercel's rule for WebAssembly, which
// takes only `import x from "./x.wasm?module"`, compiles the file at deploy time and hands it to
// the function as a global named after its hash (the plugin below does the same). The bundle is
// moved away and run in workerd, which, like Vercel's edge runtime, refuses to compile WebAssembly
// from bytes at run time: the global's compiled Module is the only way in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";
import { assertResults, buildDir, moveAway, projectDir, repoDir, srcDir } from "./helpers.mjs";

/** Vercel's edge WebAssembly rule: `*.wasm?module` becomes `globalThis["wasm_<sha1>"]`, a Module made at deploy time. */
function edgeWasm(assets) {
  return {
    name: "edge-wasm",
    setup(build) {
      build.onResolve({ filter: /\.wasm\?module$/i }, async (args) => {
        const resolved = await build.resolve(args.path.replace(/\?module$/i, ""), { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        const name = `wasm_${createHash("sha1").update(readFileSync(resolved.path)).digest("hex")}`;
        assets.set(name, resolved.path);
        return { path: name, namespace: "edge-wasm" };
      });
      build.onLoad({ filter: /.*/, namespace: "edge-wasm" }, (args) => ({
        loader: "js",
        contents: `export default globalThis[${JSON.stringify(args.path)}];`,
      }));
    },
  };
}

/**
 * Builds `entry` as Vercel builds an Edge Function, into build directory `name`, each deploy-time
 * Module copied beside it: { dir, inputs (the bundled files), modules (the Modules' global names) }.
 */
async function buildEdgeFunction(entry, name) {
  const dir = buildDir(name);
  const assets = new Map();
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["edge-light", "worker", "browser"],
    outfile: path.join(dir, "function.mjs"),
    plugins: [edgeWasm(assets)],
    metafile: true,
    logLevel: "error",
  });
  const modules = [...assets].map(([global, file]) => {
    copyFileSync(file, path.join(dir, `${global}.wasm`));
    return global;
  });
  return { dir, inputs: Object.keys(result.metafile.inputs), modules };
}

/** What the platform provides, as platform.js: each Module, compiled before the function runs, as its global. */
const platformGlobals = (modules) => modules.map((global) => `import ${global} from "${global}.wasm";\nglobalThis.${global} = ${global};\n`).join("");

/**
 * Moves the build away, runs its test.js (which imports platform.js and function.mjs) with
 * `workerd test`, and returns what it printed after "RESULTS ". `outbound`: the worker's
 * globalOutbound, another worker whose module is `outbound.file` in the build.
 */
function runInWorkerd({ dir, modules }, outbound) {
  const away = moveAway(dir);
  const config = path.join(away, "config.capnp");
  const upstream = outbound
    ? `, (name = "upstream", worker = .upstream) ] );
const upstream :Workerd.Worker = (
  compatibilityDate = "2024-09-23",
  modules = [ (name = "${outbound.file}", esModule = embed "${outbound.file}") ],
);`
    : " ] );";
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [ (name = "vercel-edge", worker = .worker)${upstream}
const worker :Workerd.Worker = (
  compatibilityDate = "2024-09-23",
  modules = [
    (name = "test.js", esModule = embed "test.js"),
    (name = "platform.js", esModule = embed "platform.js"),
    (name = "function.mjs", esModule = embed "function.mjs"),
    ${modules.map((global) => `(name = "${global}.wasm", wasm = embed "${global}.wasm")`).join(",\n    ")}
  ],${outbound ? '\n  globalOutbound = "upstream",' : ""}
);
`,
  );
  const run = spawnSync(path.join(repoDir, "node_modules/.bin/workerd"), ["test", config], { encoding: "utf8", timeout: 120_000 });
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.status, 0, output);
  const line = output.split("\n").find((text) => text.includes("RESULTS "));
  assert.ok(line, output);
  return JSON.parse(line.slice(line.indexOf("RESULTS ") + 8).replace(/\\n$/, ""));
}

test("Vercel Edge: the edge-light entry with a Module compiled at deploy time, in a runtime that compiles none", { timeout: 180_000 }, async () => {
  const build = await buildEdgeFunction(path.join(srcDir, "app.js"), "vercel-edge");
  assert.ok(build.inputs.some((input) => input.endsWith("full/edge-light.js")) && build.inputs.some((input) => input.endsWith("lite/edge-light.js")), build.inputs.join("\n"));
  assert.equal(build.modules.length, 2, "one deploy-time Module per build (full, lite)");
  writeFileSync(path.join(build.dir, "platform.js"), platformGlobals(build.modules));
  writeFileSync(
    path.join(build.dir, "test.js"),
    `import "platform.js";
import "function.mjs";
export default {
  async test() {
    let compiles = true;
    try {
      new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    } catch {
      compiles = false;
    }
    console.log("RESULTS " + JSON.stringify({ compiles, results: globalThis.__results }));
  },
};
`,
  );
  const { compiles, results } = runInWorkerd(build);
  assert.equal(compiles, false, "the runtime must refuse to compile WebAssembly from bytes, as Vercel's does");
  assertResults(results, "vercel edge");
});

// The Vercel Edge example (examples/vercel-edge: `astrolabe-segment/edge` in a few lines), built the
// same way from a copy inside this project, so that it takes the packed package from node_modules.
// In workerd: the platform's globals (each Module, and `process.env` as Vercel provides it), an
// upstream that checks what it is sent, and requests the function answers, a stalled body among them.
test("Vercel Edge: the edge handler example, built as Vercel builds it, answers in a runtime that compiles no WebAssembly", { timeout: 180_000 }, async () => {
  const source = path.join(projectDir, ".out", "vercel-edge-example-src");
  cpSync(path.join(repoDir, "examples/vercel-edge/api"), path.join(source, "api"), { recursive: true });
  const build = await buildEdgeFunction(path.join(source, "api/segment.js"), "vercel-edge-example");
  assert.ok(build.inputs.some((input) => input.endsWith("node_modules/astrolabe-segment/edge/handler.js")), build.inputs.join("\n"));
  assert.ok(build.inputs.some((input) => input.endsWith("node_modules/astrolabe-segment/full/edge-light.js")), "the engine through #engine's edge-light condition");
  assert.equal(build.modules.length, 1, "one deploy-time Module: the full build");
  writeFileSync(
    path.join(build.dir, "platform.js"),
    `${platformGlobals(build.modules)}globalThis.process = { env: { ASTROLABE_ENDPOINT: "http://upstream.test/v1/operations", ASTROLABE_API_KEY: "ak_vercel", SEGMENT_WRITE_KEY: "wk_vercel", ASTROLABE_BODY_TIMEOUT_MS: "300" } };
`,
  );
  writeFileSync(
    path.join(build.dir, "upstream.js"),
    `// Answers 200 only to the request the function must make for the identify below.
export default {
  async fetch(request) {
    const body = await request.json();
    const expected = JSON.stringify({ operations: [{ op: "upsertUser", userId: "u_vercel", traits: { plan: "pro" }, messageId: "m-vercel-1" }] });
    const right = request.headers.get("authorization") === "Bearer ak_vercel" && JSON.stringify(body) === expected;
    return new Response(right ? "{}" : JSON.stringify({ got: body }), { status: right ? 200 : 400 });
  },
};
`,
  );
  writeFileSync(
    path.join(build.dir, "test.js"),
    `import "platform.js";
import segment, { config } from "function.mjs";
const post = (path, body, headers = {}) => new Request("https://edge.vercel.test" + path, { method: "POST", headers: { authorization: "Basic " + btoa("wk_vercel:"), ...headers }, body });
async function answer(response) {
  return { status: response.status, body: await response.json() };
}
export default {
  async test() {
    const stalled = new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('{"userId":')); } });
    const results = {
      config,
      health: await answer(await segment(new Request("https://edge.vercel.test/health"))),
      identify: await answer(await segment(post("/v1/identify", JSON.stringify({ userId: "u_vercel", traits: { plan: "pro" }, messageId: "m-vercel-1" })))),
      invalid: await answer(await segment(post("/v1/track", JSON.stringify({ userId: "u_vercel" })))),
      unauthorized: await answer(await segment(post("/v1/track", "{}", { authorization: "Basic " + btoa("wrong:") }))),
      stalled: await answer(await segment(post("/v1/track", stalled))),
    };
    console.log("RESULTS " + JSON.stringify(results));
  },
};
`,
  );
  const results = runInWorkerd(build, { file: "upstream.js" });
  assert.deepEqual(results.config, { runtime: "edge" });
  assert.deepEqual(results.health, { status: 200, body: { ok: true } });
  assert.equal(results.identify.status, 200, JSON.stringify(results.identify));
  assert.equal(results.identify.body.forwarded, 1);
  assert.equal(results.invalid.status, 400);
  assert.deepEqual(results.invalid.body.errors.map((error) => error.path), ["/event"]);
  assert.equal(results.unauthorized.status, 401);
  assert.equal(results.stalled.status, 408);
  assert.deepEqual(results.stalled.body.errors.map((error) => error.code), ["body_timeout"]);
});
