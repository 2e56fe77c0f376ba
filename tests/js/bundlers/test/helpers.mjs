// Shared by the bundler tests: where builds go, moving an output away from the project before it
// runs (so nothing can reach back into node_modules or the build machine's paths), what every
// bundled app must report, and a static server for the browser builds.
import { createServer } from "node:http";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

export const projectDir = fileURLToPath(new URL("..", import.meta.url));
export const srcDir = path.join(projectDir, "src");
export const repoDir = path.resolve(projectDir, "../../..");
const require = createRequire(path.join(projectDir, "package.json"));

/** A fresh build directory inside the project, where the bundler writes. */
export function buildDir(name) {
  const dir = path.join(projectDir, ".out", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Directories moveAway made, removed when the test process ends. */
const moved = [];
process.on("exit", () => {
  for (const dir of moved) rmSync(dir, { recursive: true, force: true });
});

/** Moves a build's output into a new directory outside the project (the build directory is removed) and returns it. */
export function moveAway(dir) {
  const away = mkdtempSync(path.join(tmpdir(), `astrolabe-bundled-${path.basename(dir)}-`));
  cpSync(dir, away, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  moved.push(away);
  return away;
}

const installed = JSON.parse(readFileSync(require.resolve("astrolabe-segment/package.json"), "utf8"));

/** What exercise() must report for one build (full or lite), whatever bundled it. */
export function expectedResults() {
  const codes = (readFileSync(path.join(path.dirname(require.resolve("astrolabe-segment/package.json")), "types/core.d.ts"), "utf8")
    .match(/export type Code =([^;]+);/)[1].match(/"[a-z_]+"/g) ?? []).length;
  const one = {
    status: "mapped",
    operations: [
      { op: "upsertAccount", groupId: "g1", traits: { name: "Initech" } },
      { op: "associateUser", groupId: "g1", userId: "u1" },
    ],
    invalid: ["invalid_json"],
    strict: ["id_coerced /userId"],
    batch: ["mapped", "skipped"],
    version: installed.version,
    codes,
  };
  return { full: one, lite: one };
}

/** Checks a build's report. */
export function assertResults(actual, what) {
  assert.ok(actual, `${what}: no results`);
  assert.deepEqual(actual, expectedResults(), what);
}

const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };

/** Serves `dir` on 127.0.0.1 (404 for anything outside it); resolves to { origin, close }. */
export async function serve(dir) {
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    const file = path.join(dir, pathname === "/" ? "index.html" : pathname);
    if (!file.startsWith(dir + path.sep)) return response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => {
    // Chromium keeps its connections open; the server would wait for them.
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  } };
}
