// `node scripts/serve.mjs` as `make serve` runs it, in its own process: the settings from the
// environment (INSPECTOR_LIMIT, INSPECTOR_FILE), the history kept across a real restart, and a
// stop on SIGTERM.
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

test("INSPECTOR_LIMIT and INSPECTOR_FILE are read; a restarted server has the history", async () => {
  const file = path.join(dir, "events.jsonl");
  const env = { INSPECTOR_LIMIT: "3", INSPECTOR_FILE: file };
  const first = await serve(env);
  assert.match(first.output(), /kept here, forwarded nowhere/);
  for (let i = 1; i <= 5; i += 1) assert.equal((await post(first.base, { userId: `u_${i}`, event: "Clicked" })).status, 200);
  assert.deepEqual(await (await fetch(`${first.base}/inspector/summary`)).json(), {
    total: 3, dropped: 2, byStatus: { mapped: 3, skipped: 0, invalid: 0 }, byCode: {},
  });
  assert.equal((await first.stop()).code, 0, "SIGTERM stops it cleanly");
  assert.equal((await readFile(file, "utf8")).trim().split("\n").length, 5);

  const second = await serve(env);
  try {
    assert.match(second.output(), /inspector: 3 messages kept \(limit 3\)/);
    const { events } = await (await fetch(`${second.base}/inspector/events`)).json();
    assert.deepEqual(events.map((event) => event.message.userId), ["u_5", "u_4", "u_3"]);
  } finally {
    await second.stop();
  }
});
