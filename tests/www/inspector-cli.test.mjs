// `node scripts/serve.mjs` as `make serve` runs it, in its own process: the settings from the
// environment (INSPECTOR_LIMIT, INSPECTOR_MAX_BYTES, INSPECTOR_FILE), the history kept across a
// real restart, and a stop on SIGTERM.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT } from "../edge/harness.mjs";

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "astrolabe-serve-cli-"));
});
after(() => rm(dir, { recursive: true, force: true }));

/** Starts the server on a free port; resolves { base, stop() } once it says where it listens. */
function serve(env) {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/serve.mjs"), "--port", "0"], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address in 20 s:\n${output}`)), 20_000);
    const read = (chunk) => {
      output += chunk;
      const port = /playground: http:\/\/localhost:(\d+)\//.exec(output)?.[1];
      if (port && /inspector: /.test(output)) {
        clearTimeout(timer);
        resolve({
          base: `http://127.0.0.1:${port}`,
          output: () => output,
          stop: () =>
            new Promise((done) => {
              child.once("exit", (code, signal) => done({ code, signal }));
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

const post = (base, body) => fetch(`${base}/v1/track`, { method: "POST", body: JSON.stringify(body) });

test("INSPECTOR_LIMIT, INSPECTOR_MAX_BYTES and INSPECTOR_FILE are read; a restarted server has the history", async () => {
  const file = path.join(dir, "events.jsonl");
  // Room in memory for about two of these messages: the third newest is read from the file.
  const env = { INSPECTOR_LIMIT: "3", INSPECTOR_MAX_BYTES: "5k", INSPECTOR_FILE: file };
  const padding = "p".repeat(2_000);
  const first = await serve(env);
  try {
    assert.match(first.output(), /kept here, forwarded nowhere/);
    assert.match(first.output(), /at most 5 KB; the file at most 1024 MB\)/, "the settings, as read");
    for (let i = 1; i <= 5; i += 1) assert.equal((await post(first.base, { userId: `u_${i}`, event: "Clicked", properties: { padding } })).status, 200);
    const summary = await (await fetch(`${first.base}/inspector/summary`)).json();
    assert.deepEqual({ ...summary, inMemory: undefined }, { total: 3, dropped: 2, inMemory: undefined, byStatus: { mapped: 3, skipped: 0, invalid: 0 }, byCode: {} });
    assert.ok(summary.inMemory >= 1 && summary.inMemory < 3, `${summary.inMemory} in memory`);
  } finally {
    assert.equal((await first.stop()).code, 0, "SIGTERM stops it cleanly");
  }
  assert.equal((await readFile(file, "utf8")).trim().split("\n").length, 5, "every message written before the stop");

  const second = await serve(env);
  try {
    assert.match(second.output(), /inspector: 3 messages kept \(limit 3; the newest [12] in memory/);
    const { events } = await (await fetch(`${second.base}/inspector/events`)).json();
    assert.deepEqual(events.map((event) => event.message.userId), ["u_5", "u_4", "u_3"]);
    assert.equal(events[2].outcome.operations[0].properties.padding, padding, "read back whole from the file");
  } finally {
    await second.stop();
  }
});
