// Bodies that stall: a sender declares a body and stops sending it, or trickles it. Over raw TCP
// (what fetch cannot do), against the Worker in workerd and the Deno server, with
// ASTROLABE_BODY_TIMEOUT_MS short: a 408 with `body_timeout` at the deadline, nothing forwarded,
// and `Connection: close`, since the rest of the body is still owed on the connection. workerd
// closes it after the answer; Deno.serve sends the header but keeps the connection open (and,
// once the rest arrives, reuses it), and gives a handler no way to close it: docs/edge.md says
// so, and the test holds both, so that a change in either runtime shows.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { startDeno, startUpstream, startWorkerd } from "./harness.mjs";

const DEADLINE_MS = 400;

let upstream;
const servers = {};

before(async () => {
  upstream = await startUpstream();
  const settings = { ASTROLABE_ENDPOINT: upstream.url, ASTROLABE_API_KEY: "ak_deadline", ASTROLABE_BODY_TIMEOUT_MS: String(DEADLINE_MS) };
  [servers.workerd, servers.deno] = await Promise.all([startWorkerd(settings), startDeno(settings)]);
});

after(async () => {
  await Promise.all(Object.values(servers).map((server) => server?.stop()));
  await upstream?.close();
});

/**
 * Sends `head` (request line and headers) and then `parts` of the body, `gapMs` apart, over one
 * TCP connection, never more. Resolves when the server has closed the connection, or `waitMs`
 * after the answer began: { status, headers, json, answeredMs, closedMs } (closedMs undefined
 * when it stayed open).
 */
function rawExchange(base, head, parts, { gapMs = 0, waitMs = 3_000 } = {}) {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    const started = Date.now();
    let text = "";
    let answeredMs;
    let closedMs;
    let timer;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const [top, body = ""] = text.split("\r\n\r\n");
      const [statusLine, ...lines] = top.split("\r\n");
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
      let json;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, json, answeredMs, closedMs });
    };
    socket.on("error", (error) => (answeredMs === undefined ? reject(error) : finish()));
    socket.on("data", (chunk) => {
      text += chunk;
      if (answeredMs === undefined) {
        answeredMs = Date.now() - started;
        timer = setTimeout(finish, waitMs);
      }
    });
    socket.on("end", () => {
      closedMs = Date.now() - started;
      finish();
    });
    socket.on("connect", async () => {
      socket.write(head);
      for (const part of parts) {
        if (answeredMs !== undefined || socket.destroyed) return;
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        if (answeredMs === undefined && !socket.destroyed) socket.write(part);
      }
    });
  });
}

const head = (path, length) =>
  `POST ${path} HTTP/1.1\r\nHost: edge.test\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
const track = '{"userId": "u_slow", "event": "Stalled", "messageId": "m-slow-1"}';

/** Whether the runtime closes the connection after the 408 (see the top of this file). */
const CLOSES = { workerd: true, deno: false };

/** The connection after a 408, as the runtime leaves it. */
function assertConnection(runtime, answer, what) {
  if (CLOSES[runtime]) assert.notEqual(answer.closedMs, undefined, `${what}: the connection stayed open after the 408`);
  else assert.equal(answer.closedMs, undefined, `${what}: ${runtime} closed the connection after the 408 now: update docs/edge.md`);
}

for (const runtime of ["workerd", "deno"]) {
  describe(runtime, () => {
    test("a body that stops half-way: 408 body_timeout at the deadline, nothing forwarded, the connection closed", async () => {
      upstream.reset();
      for (const path of ["/v1/track", "/v1/batch", "/webhook"]) {
        const answer = await rawExchange(servers[runtime].base, head(path, track.length + 100), [track], { waitMs: 1_000 });
        assert.equal(answer.status, 408, `${path}: ${JSON.stringify(answer)}`);
        assert.deepEqual(answer.json.errors.map((error) => error.code), ["body_timeout"]);
        assert.match(answer.json.message, new RegExp(`within ${DEADLINE_MS} ms`));
        assert.ok(answer.answeredMs >= DEADLINE_MS - 50, `${path}: answered after ${answer.answeredMs} ms, before the deadline`);
        assert.equal(answer.headers.connection, "close", path);
        assertConnection(runtime, answer, path);
      }
      assert.equal(upstream.requests.length, 0);
    });

    test("a body trickled a few bytes at a time past the deadline: 408, though bytes kept coming", async () => {
      const parts = track.match(/.{1,4}/g);
      const answer = await rawExchange(servers[runtime].base, head("/v1/track", track.length), parts, { gapMs: 60, waitMs: 1_000 });
      assert.ok(parts.length * 60 > DEADLINE_MS * 2);
      assert.equal(answer.status, 408, JSON.stringify(answer));
      assertConnection(runtime, answer, "trickled");
    });

    test("a slow body that arrives within the deadline is read and forwarded", async () => {
      upstream.reset();
      const parts = [track.slice(0, 20), track.slice(20, 40), track.slice(40)];
      const answer = await rawExchange(servers[runtime].base, head("/v1/track", track.length), parts, { gapMs: 50, waitMs: 200 });
      assert.equal(answer.status, 200, JSON.stringify(answer));
      assert.equal(answer.json.forwarded, 1);
      assert.equal(upstream.requests.length, 1);
    });
  });
}

test("workerd logs the 408 as body_timeout", () => {
  const lines = servers.workerd.stdout().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
  assert.ok(lines.some((line) => line.status === 408 && line.error === "body_timeout"), servers.workerd.stdout());
});
