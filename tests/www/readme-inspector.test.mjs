// The README's example of an app's test against the inspector runs as written: against a server on
// a free port (INSPECTOR_URL), it passes when the app sends valid messages and fails when it does not.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { startServer } from "../../scripts/serve.mjs";
import { ROOT } from "../edge/harness.mjs";

/** The README's js block of its "Local inspector" section that uses analytics-node. */
function snippet() {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split("\n## Local inspector\n")[1]?.split("\n## ")[0];
  assert.ok(section, "the README has a Local inspector section");
  const block = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).find((code) => code.includes("@segment/analytics-node"));
  assert.ok(block, "with a js block using analytics-node");
  return block;
}

let server;
// Inside the repository, so that the snippet's imports resolve from its node_modules.
const dir = path.join(ROOT, "target", "readme-inspector");
before(async () => {
  server = await startServer({ port: 0, inspector: { environment: {} } });
  mkdirSync(dir, { recursive: true });
});
after(() => server?.close());

/** Runs `code` as a test file in its own node (not in-process: the server here must keep answering). */
function runTest(code, name) {
  const file = path.join(dir, name);
  writeFileSync(file, code);
  const env = { ...process.env, INSPECTOR_URL: `http://127.0.0.1:${server.port}` };
  delete env.NODE_TEST_CONTEXT; // its own report, not this runner's
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--test", "--test-reporter=tap", file], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

test("the README's app test passes against make serve when the app sends valid messages", async () => {
  const run = await runTest(snippet(), "valid.test.mjs");
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /# pass 1/);
  assert.equal(server.store.total, 2, "its messages reached this server");
});

test("and fails when one of them is invalid", async () => {
  const code = snippet().replace('event: "Order Completed"', 'event: ""'); // the SDK takes it; the spec does not
  assert.notEqual(code, snippet(), "the snippet's track call was found");
  const run = await runTest(code, "invalid.test.mjs");
  assert.notEqual(run.status, 0, run.stdout);
  assert.match(run.stdout, /missing_event/);
});
