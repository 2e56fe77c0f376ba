// The quarantine of `make serve` (scripts/inspector/quarantine.mjs): the handler's
// `deps.quarantine(lines)` appends the records of refused messages to quarantine.jsonl beside the
// history, resolving once they are on the disk and throwing when they cannot be (so that the
// handler answers 503); GET /inspector/quarantine shows their heads (never the messages),
// /inspector/quarantine/export gives the file as written, the stream tells the Live view, a
// restart keeps them, DELETE forgets them.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startServer } from "../../scripts/serve.mjs";
import { Quarantine } from "../../scripts/inspector/quarantine.mjs";

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "astrolabe-quarantine-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A record as the library writes it (docs/quarantine.md), one line. */
function record({ requestId, route = "/v1/batch", index = null, errors, message }) {
  return `{"quarantine":1,"receivedAt":"2026-12-07T20:00:00.000Z","route":${JSON.stringify(route)},"requestId":${JSON.stringify(requestId)},"index":${JSON.stringify(index)},"errors":${JSON.stringify(errors)},"message":${message}}`;
}

const SECRET = "ada.secret@example.com";
const FIRST = [
  record({ requestId: "req-a", index: 2, errors: [{ code: "missing_event", path: "/batch/2/event", message: "A track call needs an event." }], message: `{"type":"track","userId":"u1","properties":{"email":"${SECRET}","n":12345678901234567890}}` }),
  record({ requestId: "req-a", index: 5, errors: [{ code: "invalid_type", path: "/batch/5/userId", message: "x" }, { code: "missing_user_id", path: "/batch/5", message: "y" }], message: '{"type":"identify","userId":42}' }),
].join("\n") + "\n";
const SECOND = record({ requestId: "req-b", route: "/v1/track", errors: [{ code: "missing_event", path: "/event", message: "z" }], message: '{"userId":"u2"}' });

async function serve(file = path.join(dir, `events-${Math.random().toString(36).slice(2)}.jsonl`)) {
  const server = await startServer({ port: 0, inspector: { environment: {}, file } });
  server.base = server.url.replace(/\/$/, "");
  server.quarantineFile = path.join(path.dirname(file), "quarantine.jsonl");
  return server;
}

async function get(server, route) {
  const response = await fetch(server.base + route);
  assert.equal(response.status, 200, route);
  return response.json();
}

/** The first `count` events of the inspector's stream, parsed. */
async function streamEvents(server, count, during) {
  const controller = new AbortController();
  const response = await fetch(`${server.base}/inspector/stream`, { signal: controller.signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const events = [];
  let text = "";
  let started = false;
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    for (let end = text.indexOf("\n\n"); end !== -1; end = text.indexOf("\n\n")) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const kind = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (kind) events.push({ kind, data: JSON.parse(data) });
    }
    if (!started && events.length > 0) {
      started = true;
      await during();
    }
  }
  controller.abort();
  return events;
}

describe("the quarantine beside the history", () => {
  let dirOf;
  let server;
  before(async () => {
    dirOf = path.join(dir, "beside");
    await mkdir(dirOf);
    server = await serve(path.join(dirOf, "events.jsonl"));
  });
  after(() => server?.close());

  test("the handler takes deps.quarantine, and appends go to quarantine.jsonl beside the history, as written", async () => {
    assert.equal(server.quarantine.file, path.join(dirOf, "quarantine.jsonl"));
    // What the handler calls (its deps.quarantine): resolves once the lines are in the file.
    await server.quarantine.append(FIRST);
    await server.quarantine.append(SECOND); // without its newline: the file still has one record a line
    assert.equal(await readFile(server.quarantine.file, "utf8"), `${FIRST}${SECOND}\n`, "the records byte for byte (the big number's digits kept)");
    const exported = await fetch(`${server.base}/inspector/quarantine/export`);
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get("content-type"), /application\/x-ndjson/);
    assert.match(exported.headers.get("content-disposition"), /attachment; filename="quarantine\.jsonl"/);
    assert.equal(await exported.text(), `${FIRST}${SECOND}\n`);
  });

  test("GET /inspector/quarantine: the count and each record's head, newest first, never the message", async () => {
    const body = await get(server, "/inspector/quarantine");
    assert.equal(body.total, 3);
    assert.deepEqual(body.records.map((r) => [r.n, r.requestId, r.route, r.index, r.errors.map((e) => `${e.code}@${e.path}`).join(",")]), [
      [3, "req-b", "/v1/track", null, "missing_event@/event"],
      [2, "req-a", "/v1/batch", 5, "invalid_type@/batch/5/userId,missing_user_id@/batch/5"],
      [1, "req-a", "/v1/batch", 2, "missing_event@/batch/2/event"],
    ]);
    assert.deepEqual(Object.keys(body.records[0]), ["n", "receivedAt", "route", "requestId", "index", "errors", "whole"]);
    const text = JSON.stringify(body);
    assert.ok(!text.includes(SECRET) && !text.includes("u1") && !text.includes("A track call"), "no message values, no sentences");
    assert.equal((await get(server, "/inspector/quarantine?limit=1")).records.length, 1);
    // The stream's snapshot carries it too; an append arrives as `quarantined`.
    const events = await streamEvents(server, 2, () => server.quarantine.append(record({ requestId: "req-c", route: "/v1/i", errors: [{ code: "missing_user_id", path: "", message: "m" }], message: "{}" })));
    assert.equal(events[0].kind, "snapshot");
    assert.equal(events[0].data.quarantine.total, 3);
    assert.equal(events[1].kind, "quarantined");
    assert.deepEqual(events[1].data, { total: 4, records: [{ n: 4, receivedAt: "2026-12-07T20:00:00.000Z", route: "/v1/i", requestId: "req-c", index: null, errors: [{ code: "missing_user_id", path: "" }], whole: false }] });
  });

  test("a restart keeps the quarantine; DELETE forgets it", async () => {
    await server.close();
    server = await serve(path.join(dirOf, "events.jsonl"));
    const body = await get(server, "/inspector/quarantine");
    assert.equal(body.total, 4);
    assert.equal(body.records[0].requestId, "req-c");
    assert.equal((await fetch(`${server.base}/inspector/quarantine`, { method: "DELETE" })).status, 200);
    assert.equal((await get(server, "/inspector/quarantine")).total, 0);
    assert.equal(await readFile(server.quarantine.file, "utf8"), "");
    // Like every change, not from a page of another site.
    const cross = await fetch(`${server.base}/inspector/quarantine`, { method: "DELETE", headers: { "sec-fetch-site": "cross-site", origin: "https://evil.example" } });
    assert.equal(cross.status, 403);
  });
});

describe("when the quarantine cannot be written", () => {
  test("an append throws (so the handler answers 503) and leaves the file with whole records only", async () => {
    const file = path.join(dir, "failing", "quarantine.jsonl");
    const quarantine = new Quarantine({ file, warn: () => {} });
    await quarantine.ready;
    await quarantine.append(SECOND);
    // The file's place taken by a directory: every write fails.
    await rm(file);
    await mkdir(file);
    await assert.rejects(quarantine.append(FIRST), /EISDIR|illegal operation/);
    assert.equal(quarantine.total, 1, "nothing counted that was not written");
    await rm(file, { recursive: true });
    await quarantine.append(FIRST);
    assert.equal(await readFile(file, "utf8"), FIRST, "writes again once it can");
    assert.equal(quarantine.total, 3);
  });

  test("a last line cut short by a crash is closed at start, so the next record stands on its own line", async () => {
    const file = path.join(dir, "cut", "quarantine.jsonl");
    await mkdir(path.dirname(file));
    await writeFile(file, `${SECOND}\n{"quarantine":1,"rou`);
    const quarantine = new Quarantine({ file, warn: () => {} });
    await quarantine.ready;
    assert.equal(quarantine.total, 2);
    assert.equal(quarantine.summary().records.length, 1, "the cut line has no head to show");
    await quarantine.append(SECOND);
    assert.equal((await readFile(file, "utf8")).split("\n").at(-2), SECOND);
  });

  test("without a file (no INSPECTOR_FILE): held in memory, exported, and refused past its bound", async () => {
    const quarantine = new Quarantine({ maxBytes: FIRST.length + 10 });
    await quarantine.append(FIRST);
    let exported = "";
    for await (const chunk of quarantine.jsonLines()) exported += chunk;
    assert.equal(exported, FIRST);
    await assert.rejects(quarantine.append(SECOND), /full/);
    assert.equal(quarantine.total, 2);
    assert.ok(!existsSync(path.join(dir, "quarantine.jsonl")));
  });
});

test(
  "end to end: a message the endpoint refuses is in the quarantine, and a failing quarantine makes the answer a 503",
  async () => {
    const server = await serve();
    try {
      const answer = await fetch(`${server.base}/v1/track`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"userId":"u_q","messageId":"m-q"}' });
      assert.equal(answer.status, 400);
      const body = await get(server, "/inspector/quarantine");
      assert.equal(body.total, 1);
      assert.equal(body.records[0].route, "/v1/track");
      assert.equal(body.records[0].requestId, answer.headers.get("x-request-id"));
      assert.deepEqual(body.records[0].errors.map((e) => e.code), ["missing_event"]);
      await rm(server.quarantine.file);
      await mkdir(server.quarantine.file);
      const failed = await fetch(`${server.base}/v1/track`, { method: "POST", body: '{"userId":"u_q2"}' });
      assert.equal(failed.status, 503);
    } finally {
      await server.close();
    }
  },
);
