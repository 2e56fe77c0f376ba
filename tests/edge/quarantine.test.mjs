// End to end: the quarantine (docs/quarantine.md) in real workerd, the Cloudflare Worker example
// with QUARANTINE_ENDPOINT and QUARANTINE_API_KEY as bindings, in front of two real sinks on
// loopback: the fault upstream as Astrolabe, and a second one as the quarantine's sink
// (fault-upstream.mjs, format "quarantine", which stores the JSONL records it is sent).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { basic, startWorkerd } from "./harness.mjs";
import { startFaultUpstream } from "./fault-upstream.mjs";

const API_KEY = "ak_quarantine_e2e_71c0";
const SINK_KEY = "qk_quarantine_e2e_93ab";
const WRITE_KEY = "wk_quarantine_e2e_55d2";

let upstream;
let sink;
let edge;

before(async () => {
  [upstream, sink] = await Promise.all([
    startFaultUpstream({ apiKey: API_KEY, seed: 3 }),
    startFaultUpstream({ apiKey: SINK_KEY, seed: 4, format: "quarantine" }),
  ]);
  edge = await startWorkerd({
    ASTROLABE_ENDPOINT: upstream.url,
    ASTROLABE_API_KEY: API_KEY,
    QUARANTINE_ENDPOINT: sink.url,
    QUARANTINE_API_KEY: SINK_KEY,
    SEGMENT_WRITE_KEY: WRITE_KEY,
    ASTROLABE_RETRY_BUDGET_MS: "2000",
    ASTROLABE_ATTEMPT_TIMEOUT_MS: "400",
    ASTROLABE_RETRY_MAX_ATTEMPTS: "3",
    ASTROLABE_RETRY_BASE_MS: "20",
  });
});

after(async () => {
  await edge?.stop();
  await Promise.all([upstream?.close(), sink?.close()]);
});

async function post(path, text, headers = {}) {
  const response = await fetch(`${edge.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: text,
  });
  return { status: response.status, headers: response.headers, json: await response.json().catch(() => undefined) };
}

/** The records the sink stored, in arrival order: { key, line, record }. */
function storedRecords() {
  return [...sink.storage.entries()].map(([key, record]) => ({ key, line: record.line, record }));
}

const item = (seq) => `{"type": "track", "userId": "u_q", "messageId": "q-${seq}", "properties": {"big": 98765432109876543210987, "s": "caf\\u00e9"}}`;

describe("the quarantine in workerd", () => {
  test("a batch's refused item is stored as sent, then the valid ones are forwarded; the ids agree", async () => {
    const text = `{"writeKey": "${WRITE_KEY}", "context": {"library": {"name": "e2e"}},\n "batch": [\n  {"type": "identify", "userId": "u_q", "messageId": "q-ok-1"},\n  ${item(1)}\n ]}`;
    const res = await post("/v1/batch", text);
    assert.equal(res.status, 200);
    assert.deepEqual([res.json.forwarded, res.json.rejected.length], [1, 1]);
    const id = res.headers.get("x-request-id");
    const stored = storedRecords().filter(({ record }) => record.requestId === id);
    assert.equal(stored.length, 1);
    const [{ line, record }] = stored;
    assert.equal(record.index, 1);
    assert.equal(record.route, "/v1/batch");
    assert.equal(record.errors[0].code, "missing_event");
    assert.ok(line.includes(`"message":${item(1)}`), line);
    assert.ok(line.includes('"envelope":{"context":{"library": {"name": "e2e"}}}'), line);
    assert.ok(!line.includes(WRITE_KEY));
    assert.ok(upstream.storage.has("upsertUser\u0000q-ok-1"));
    const request = sink.log.find((entry) => entry.operations.some((r) => r.requestId === id));
    assert.equal(request.headers.authorization, `Bearer ${SINK_KEY}`);
    assert.equal(request.headers["content-type"], "application/x-ndjson");
    assert.match(request.headers["idempotency-key"], /^[0-9a-f]{64}$/);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let stdout arrive
    const logged = edge.stdout().split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.requestId === id);
    assert.equal(logged.quarantined, 1);
    assert.equal(logged.quarantineAttempts, 1);
  });

  test("a sink that keeps failing: 503 with Retry-After, nothing forwarded; the sender's retry stores once, with the same key", async () => {
    const text = `{"batch": [{"type": "identify", "userId": "u_q", "messageId": "q-ok-2"}, ${item(2)}]}`;
    const auth = { authorization: basic(WRITE_KEY) };
    const sinkRequests = sink.log.length;
    sink.force(["503", "hang", "500"]);
    const first = await post("/v1/batch", text, auth);
    assert.equal(first.status, 503);
    assert.ok(Number(first.headers.get("retry-after")) >= 1);
    assert.ok(!upstream.storage.has("upsertUser\u0000q-ok-2"));
    // A redirect is never followed, nor retried.
    sink.force(["redirect-307"]);
    assert.equal((await post("/v1/batch", text, auth)).status, 503);
    assert.equal(sink.sink.requests.length, 0);
    // A timeout answered (408) is retried, within the same request.
    sink.force(["408", "ok"]);
    const again = await post("/v1/batch", text, { ...auth, "x-retry-count": "1" });
    assert.equal(again.status, 200);
    assert.ok(upstream.storage.has("upsertUser\u0000q-ok-2"));
    const attempts = sink.log.slice(sinkRequests);
    assert.equal(attempts.length, 3 + 1 + 2);
    assert.equal(new Set(attempts.map((entry) => entry.idempotencyKey)).size, 1);
    // Stored once, though sent six times.
    const stored = storedRecords().filter(({ line }) => line.includes('"messageId": "q-2"'));
    assert.equal(stored.length, 1);
    // The sender's retry sends the same bytes, so the sink holds the first record kept.
    assert.equal(stored[0].record.errors[0].code, "missing_event");
  });

  test("a refused single message is stored and still answered 400; broken JSON is stored as body", async () => {
    const auth = { authorization: basic(WRITE_KEY) };
    const single = await post("/v1/identify", '{"traits": {"n": 1.50}}', auth);
    assert.equal(single.status, 400);
    const id = single.headers.get("x-request-id");
    const [stored] = storedRecords().filter(({ record }) => record.requestId === id);
    assert.equal(stored.record.index, null);
    assert.ok(stored.line.includes('"message":{"traits": {"n": 1.50}}'), stored.line);
    const broken = await post("/v1/batch", '{"batch": [{"type": ', auth);
    assert.equal(broken.status, 400);
    const [body] = storedRecords().filter(({ record }) => record.requestId === broken.headers.get("x-request-id"));
    assert.equal(body.record.body, '{"batch": [{"type": ');
    // Not authenticated: not stored.
    const before = sink.storage.size;
    assert.equal((await post("/v1/identify", '{"traits": {}}')).status, 401);
    assert.equal(sink.storage.size, before);
  });
});
