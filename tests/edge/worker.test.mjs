// End to end: the Cloudflare Worker example served by workerd (npm), in front of a scripted test
// upstream on loopback. Every status the worker can answer, the upstream request it makes, its
// retries, and its log line.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { answerOf, basic, freePort, rawRequest, startUpstream, startWorkerd } from "./harness.mjs";

const API_KEY = "ak_test_0f3c9d5e7a1b2c4d";
const WRITE_KEY = "wk_test_9a8b7c6d5e4f";
const MARKER = "payload-marker-5c1e77"; // a trait value that must never reach the log
const BUDGET_MS = 3_000;
const ATTEMPT_MS = 800;
const MAX_ATTEMPTS = 4;

let upstream;
let edge; // write key required, upstream = the test upstream
let open; // no write key, upstream down (nothing listens on its port)
let sink; // where the upstream's redirects point: must never receive anything

before(async () => {
  [upstream, sink] = await Promise.all([startUpstream(), startUpstream()]);
  const downPort = await freePort();
  const retry = {
    ASTROLABE_API_KEY: API_KEY,
    ASTROLABE_RETRY_BUDGET_MS: String(BUDGET_MS),
    ASTROLABE_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_MS),
    ASTROLABE_RETRY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    ASTROLABE_RETRY_BASE_MS: "50",
  };
  [edge, open] = await Promise.all([
    startWorkerd({ ...retry, ASTROLABE_ENDPOINT: upstream.url, SEGMENT_WRITE_KEY: WRITE_KEY }),
    startWorkerd({ ...retry, ASTROLABE_ENDPOINT: `http://127.0.0.1:${downPort}/v1/operations` }),
  ]);
});

after(async () => {
  await Promise.all([edge?.stop(), open?.stop()]);
  await Promise.all([upstream?.close(), sink?.close()]);
});

/** POST to the authenticated worker with the right Basic credentials unless told otherwise. */
async function post(path, body, { auth = basic(WRITE_KEY), headers = {}, base = edge.base } = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}), ...headers },
    body: text,
  });
  return answerOf(response);
}

const identify = { userId: "u_1", traits: { email: "ada@example.com", note: MARKER }, messageId: "msg-identify-1" };
const track = { userId: "u_1", event: "Signed Up", properties: { plan: "pro" }, messageId: "msg-track-1" };

describe("single calls", () => {
  test("200: a valid identify is forwarded once, as upsertUser, with the Bearer key", async () => {
    upstream.reset();
    const res = await post("/v1/identify", identify);
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.json.ok, true);
    assert.equal(res.json.forwarded, 1);
    assert.equal(upstream.requests.length, 1);
    const [sent] = upstream.requests;
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, "/v1/operations");
    assert.equal(sent.headers.authorization, `Bearer ${API_KEY}`);
    assert.match(sent.headers["content-type"], /^application\/json/);
    assert.match(sent.headers["idempotency-key"], /^[0-9a-f]{64}$/);
    assert.deepEqual(sent.json, {
      operations: [{ op: "upsertUser", userId: "u_1", traits: identify.traits, messageId: "msg-identify-1" }],
    });
  });

  test("200: the type comes from the path (track, group)", async () => {
    upstream.reset();
    assert.equal((await post("/v1/track", track)).status, 200);
    const group = { userId: "u_1", groupId: "acct_9", traits: { name: "Acme" } };
    assert.equal((await post("/v1/group", group)).status, 200);
    assert.equal(upstream.requests.length, 2);
    assert.deepEqual(upstream.requests[0].json.operations, [
      { op: "trackEvent", event: "Signed Up", userId: "u_1", properties: { plan: "pro" }, messageId: "msg-track-1" },
    ]);
    assert.deepEqual(
      upstream.requests[1].json.operations.map((operation) => operation.op),
      ["upsertAccount", "associateUser"],
    );
  });

  test("200: a skipped message says why, and nothing is forwarded", async () => {
    upstream.reset();
    const res = await post("/v1/track", { ...track, integrations: { Astrolabe: false } });
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.json.skipped, true);
    assert.equal(res.json.reason.code, "disabled_by_integrations");
    assert.equal(res.json.reason.path, "/integrations/Astrolabe");
    assert.equal(upstream.requests.length, 0);
  });

  test("400: broken JSON, with line and column", async () => {
    upstream.reset();
    const res = await post("/v1/track", '{\n  "userId": "u_1",\n  "event": \n}');
    assert.equal(res.status, 400);
    assert.match(res.headers.get("content-type"), /^application\/json/);
    assert.equal(res.json.errors[0].code, "invalid_json");
    assert.equal(res.json.errors[0].path, "");
    assert.match(res.json.errors[0].message, /line 4, column 1/);
    assert.equal(typeof res.json.message, "string");
    assert.equal(upstream.requests.length, 0);
  });

  test("400: an invalid message lists every error with its path", async () => {
    upstream.reset();
    const res = await post("/v1/track", { properties: { plan: "pro" } });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.json.errors.map(({ code, path }) => ({ code, path })),
      [
        { code: "missing_identity", path: "/userId" },
        { code: "missing_event", path: "/event" },
      ],
    );
    assert.ok(res.json.errors.every((error) => typeof error.message === "string" && error.message.length > 0));
    assert.equal(upstream.requests.length, 0);
  });

  test("400: each error carries the package's hint where a fix can be named, single and batched", async () => {
    upstream.reset();
    const res = await post("/v1/track", { userID: "u_1", Event: "Signed Up" });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.json.errors.map(({ code, hint }) => ({ code, hint })),
      [
        { code: "missing_identity", hint: 'rename "userID" to "userId"' },
        { code: "missing_event", hint: 'rename "Event" to "event"' },
      ],
    );
    const batch = await post("/v1/batch", { batch: [{ type: "track", userId: "u_1", event: "ok" }, { type: "Track", userId: "u_1", event: "e" }] });
    assert.equal(batch.status, 200, batch.raw);
    assert.deepEqual(
      batch.json.rejected.map(({ index, code, hint }) => ({ index, code, hint })),
      [{ index: 1, code: "unknown_type", hint: 'did you mean "track"?' }],
    );
    assert.equal(upstream.requests.length, 1);
  });

  test("400: a type that disagrees with the path; a batch sent to a single route", async () => {
    const mismatch = await post("/v1/identify", { ...track, type: "track" });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json.errors[0].code, "type_mismatch");
    const batch = await post("/v1/track", [track]);
    assert.equal(batch.status, 400);
    assert.equal(batch.json.errors[0].code, "invalid_type");
  });

  test("200: a gzip body is read (and limited once decompressed)", async () => {
    upstream.reset();
    const res = await fetch(`${edge.base}/v1/track`, {
      method: "POST",
      headers: { authorization: basic(WRITE_KEY), "content-encoding": "gzip", "content-type": "application/json" },
      body: gzipSync(JSON.stringify(track)),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(upstream.requests.length, 1);
    const bomb = gzipSync(JSON.stringify({ ...track, properties: { pad: " ".repeat(40_000) } }));
    assert.ok(bomb.length < 32_768);
    const big = await fetch(`${edge.base}/v1/track`, {
      method: "POST",
      headers: { authorization: basic(WRITE_KEY), "content-encoding": "gzip" },
      body: bomb,
    });
    assert.equal(big.status, 413);
    assert.equal(upstream.requests.length, 1);
  });
});

describe("batches", () => {
  const items = [
    { type: "identify", userId: "u_1", traits: { email: "ada@example.com" }, messageId: "b-0" },
    { type: "track", userId: "u_2" }, // no event
    { type: "page", userId: "u_3", name: "Home" }, // unsupported: skipped
    { type: "track", userId: "u_4", event: "Order Completed", properties: { total: 42 }, messageId: "b-3" },
    { type: "track", userId: "u_5", event: "Hidden", integrations: { Astrolabe: false } }, // skipped
    { type: "identify", traits: { name: "nobody" } }, // no identity
    { type: "group", userId: "u_1", groupId: "acct_1", traits: { name: "Acme" } },
  ];

  test("200: partial acceptance, valid items in ONE upstream request, every other item listed", async () => {
    upstream.reset();
    const res = await post("/v1/batch", { batch: items });
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.json.ok, true);
    assert.equal(res.json.received, 7);
    assert.equal(res.json.forwarded, 3);
    assert.equal(res.json.operations, 4);
    assert.deepEqual(
      res.json.rejected.map(({ index, code, path }) => ({ index, code, path })),
      [
        { index: 1, code: "missing_event", path: "/batch/1/event" },
        { index: 5, code: "missing_identity", path: "/batch/5/userId" },
      ],
    );
    assert.deepEqual(
      res.json.skipped.map(({ index, code, path }) => ({ index, code, path })),
      [
        { index: 2, code: "unsupported_type", path: "/batch/2/type" },
        { index: 4, code: "disabled_by_integrations", path: "/batch/4/integrations/Astrolabe" },
      ],
    );
    assert.equal(upstream.requests.length, 1, "exactly one upstream request");
    const [sent] = upstream.requests;
    assert.equal(sent.headers.authorization, `Bearer ${API_KEY}`);
    // The group item has no messageId: both of its operations carry one derived id.
    const derived = sent.json.operations[2].messageId;
    assert.match(derived, /^edge-[0-9a-f]{32}$/);
    assert.deepEqual(sent.json.operations, [
      { op: "upsertUser", userId: "u_1", traits: { email: "ada@example.com" }, messageId: "b-0" },
      { op: "trackEvent", event: "Order Completed", userId: "u_4", properties: { total: 42 }, messageId: "b-3" },
      { op: "upsertAccount", groupId: "acct_1", traits: { name: "Acme" }, messageId: derived },
      { op: "associateUser", groupId: "acct_1", userId: "u_1", messageId: derived },
    ]);
  });

  test("200: /v1/import is a batch too; a batch of only invalid items forwards nothing", async () => {
    upstream.reset();
    const res = await post("/v1/import", { batch: [items[1], items[5]] });
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.json.forwarded, 0);
    assert.deepEqual(res.json.rejected.map((item) => item.index), [0, 1]);
    assert.equal(upstream.requests.length, 0);
  });

  test("400: a refused envelope, too many items, broken JSON, a single message", async () => {
    upstream.reset();
    const envelope = await post("/v1/batch", { batch: "nope" });
    assert.equal(envelope.status, 400);
    assert.equal(envelope.json.errors[0].code, "invalid_batch");
    const many = await post("/v1/batch", { batch: Array.from({ length: 2_501 }, () => ({ type: "track" })) });
    assert.equal(many.status, 400);
    assert.equal(many.json.errors[0].code, "batch_too_many");
    assert.equal(many.json.errors[0].path, "/batch");
    const broken = await post("/v1/batch", '{"batch": [\n  {"type": "track",}\n]}');
    assert.equal(broken.status, 400);
    assert.equal(broken.json.errors[0].code, "invalid_json");
    assert.match(broken.json.errors[0].message, /line 2, column \d+/);
    const single = await post("/v1/batch", { ...track, type: "track" });
    assert.equal(single.status, 400);
    assert.equal(single.json.errors[0].code, "invalid_batch");
    assert.equal(upstream.requests.length, 0);
  });
});

describe("credentials", () => {
  test("401: missing, wrong Basic, wrong scheme, wrong body writeKey", async () => {
    upstream.reset();
    for (const [auth, body] of [
      [null, track],
      [basic("wk_wrong"), track],
      [basic(`${WRITE_KEY}x`), track],
      [basic(""), track],
      [`Bearer ${WRITE_KEY}`, track],
      [null, { ...track, writeKey: "wk_wrong" }],
      [null, { ...track, writeKey: WRITE_KEY.slice(0, -1) }],
      [basic("wk_wrong"), { ...track, writeKey: WRITE_KEY }], // the header decides when given
    ]) {
      const res = await post("/v1/track", body, { auth });
      assert.equal(res.status, 401, `${auth} ${JSON.stringify(body.writeKey)}`);
      assert.match(res.headers.get("www-authenticate"), /^Basic/);
      assert.equal(res.json.errors[0].code, "unauthorized");
    }
    const batch = await post("/v1/batch", { writeKey: "wk_wrong", batch: [track] }, { auth: null });
    assert.equal(batch.status, 401);
    assert.equal(upstream.requests.length, 0);
  });

  test("200: the right Basic user (with or without a password), or writeKey in the body", async () => {
    upstream.reset();
    assert.equal((await post("/v1/track", track, { auth: basic(WRITE_KEY) })).status, 200);
    assert.equal((await post("/v1/track", track, { auth: basic(WRITE_KEY, "ignored") })).status, 200);
    assert.equal((await post("/v1/track", { ...track, writeKey: WRITE_KEY }, { auth: null })).status, 200);
    const batch = await post("/v1/batch", { writeKey: WRITE_KEY, batch: [{ ...track, type: "track" }] }, { auth: null });
    assert.equal(batch.status, 200, batch.raw);
    assert.equal(upstream.requests.length, 4);
  });

  test("no write key configured: no credentials needed", async () => {
    const res = await post("/v1/track", { properties: {} }, { auth: null, base: open.base });
    assert.equal(res.status, 400); // validated, not refused
  });
});

describe("routes and limits", () => {
  test("404 unknown paths, 405 other methods with Allow: POST, GET /health", async () => {
    for (const path of ["/", "/v1", "/v1/nope", "/v2/track"]) {
      const res = await fetch(`${edge.base}${path}`, { method: "POST", body: "{}" });
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
      const res = await fetch(`${edge.base}/v1/track`, { method });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get("allow"), "POST, OPTIONS");
      await res.body?.cancel();
    }
    const health = await fetch(`${edge.base}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true });
  });

  test("200 skipped, never 501: page, screen, alias, on the long and the one-letter paths", async () => {
    upstream.reset();
    for (const path of ["/v1/page", "/v1/screen", "/v1/alias", "/v1/p", "/v1/s", "/v1/a"]) {
      const res = await post(path, { userId: "u_1", name: "Home", previousId: "anon_1" });
      assert.equal(res.status, 200, `${path}: ${res.raw}`);
      assert.equal(res.json.ok, true);
      assert.equal(res.json.skipped, true);
      assert.equal(res.json.reason.code, "unsupported_type");
      assert.equal(res.json.reason.path, "/type");
    }
    // Still a sender's mistake when it is one: a wrong key, broken JSON.
    assert.equal((await post("/v1/page", { userId: "u_1" }, { auth: basic("wk_wrong") })).status, 401);
    assert.equal((await post("/v1/p", "{")).status, 400);
    assert.equal(upstream.requests.length, 0);
  });

  test("413 with Content-Length: over 32 KB single, over 500 KB batch; the limits themselves pass", async () => {
    upstream.reset();
    const padded = (size, value) => {
      const text = JSON.stringify(value);
      return text.slice(0, -1) + " ".repeat(size - text.length) + "}";
    };
    const single = padded(32_769, track);
    assert.equal(Buffer.byteLength(single), 32_769);
    const tooBig = await post("/v1/track", single);
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.json.errors[0].code, "too_large");
    assert.equal((await post("/v1/track", padded(32_768, track))).status, 200);

    const batch = padded(512_001, { batch: [{ ...track, type: "track" }] });
    const batchTooBig = await post("/v1/batch", batch);
    assert.equal(batchTooBig.status, 413);
    assert.equal(batchTooBig.json.errors[0].code, "batch_too_large");
    assert.equal((await post("/v1/batch", padded(512_000, { batch: [{ ...track, type: "track" }] }))).status, 200);
    assert.equal(upstream.requests.length, 2);
  });

  test("413 without a declared length: a chunked body is cut at the limit", async () => {
    upstream.reset();
    const chunk = Buffer.from(" ".repeat(4_096));
    const headers = { authorization: basic(WRITE_KEY), "content-type": "application/json", "transfer-encoding": "chunked" };
    const single = await rawRequest(`${edge.base}/v1/track`, {
      headers,
      chunks: [Buffer.from('{"userId":"u_1","event":"E","p":"'), ...Array(10).fill(chunk), Buffer.from('"}')],
    });
    assert.equal(single.status, 413);
    assert.equal(single.json.errors[0].code, "too_large");
    const batch = await rawRequest(`${edge.base}/v1/batch`, {
      headers,
      chunks: [Buffer.from('{"batch":[],"p":"'), ...Array(130).fill(chunk), Buffer.from('"}')],
    });
    assert.equal(batch.status, 413);
    assert.equal(batch.json.errors[0].code, "batch_too_large");
    // A small chunked body is fine.
    const small = await rawRequest(`${edge.base}/v1/track`, {
      headers,
      chunks: [Buffer.from('{"userId":"u_1",'), Buffer.from('"event":"E"}')],
    });
    assert.equal(small.status, 200, small.text);
    assert.equal(upstream.requests.length, 1);
  });
});

describe("upstream failures", () => {
  test("500 then success: retried, exactly 2 upstream requests with the same idempotency key", async () => {
    upstream.reset([{ status: 500, body: { error: "boom" } }]);
    const res = await post("/v1/track", track);
    assert.equal(res.status, 200, res.raw);
    assert.equal(upstream.requests.length, 2);
    const [first, second] = upstream.requests;
    assert.equal(first.body, second.body);
    assert.equal(first.headers["idempotency-key"], second.headers["idempotency-key"]);
  });

  test("a dropped connection then success: retried", async () => {
    upstream.reset(["destroy"]);
    const res = await post("/v1/track", track);
    assert.equal(res.status, 200, res.raw);
    assert.equal(upstream.requests.length, 2);
  });

  test("429 with Retry-After: 1 is honoured before the retry", async () => {
    upstream.reset([{ status: 429, headers: { "retry-after": "1" }, body: { error: "slow down" } }]);
    const res = await post("/v1/track", track);
    assert.equal(res.status, 200, res.raw);
    assert.equal(upstream.requests.length, 2);
    const gap = upstream.requests[1].at - upstream.requests[0].at;
    assert.ok(gap >= 900 && gap < BUDGET_MS, `waited ${gap} ms`);
  });

  test("Retry-After as an HTTP date is honoured too", async () => {
    const date = new Date(Math.ceil((Date.now() + 1_000) / 1000) * 1000).toUTCString();
    upstream.reset([{ status: 503, headers: { "retry-after": date } }]);
    const res = await post("/v1/track", track);
    assert.equal(res.status, 200, res.raw);
    assert.equal(upstream.requests.length, 2);
    const waitedUntil = upstream.requests[1].at;
    assert.ok(waitedUntil >= Date.parse(date) - 150, `retried ${Date.parse(date) - waitedUntil} ms early`);
  });

  test("429 with a Retry-After past the budget: 503 at once, passing Retry-After on", async () => {
    upstream.reset([{ status: 429, headers: { "retry-after": "60" } }]);
    const started = Date.now();
    const res = await post("/v1/track", track);
    assert.equal(res.status, 503, res.raw);
    assert.equal(res.headers.get("retry-after"), "60");
    assert.equal(upstream.requests.length, 1);
    assert.ok(Date.now() - started < BUDGET_MS);
  });

  test("an upstream that never answers in time: each attempt cut, 503 with Retry-After within the budget", async () => {
    upstream.reset();
    upstream.fallback = { status: 200, delayMs: BUDGET_MS + 2_000 };
    try {
      const started = Date.now();
      const res = await post("/v1/track", track);
      const took = Date.now() - started;
      assert.equal(res.status, 503, res.raw);
      assert.match(res.headers.get("retry-after"), /^\d+$/);
      assert.equal(res.json.upstream.stored, "unknown");
      assert.match(res.json.message, /may have been stored/);
      assert.ok(upstream.requests.length >= 2, `${upstream.requests.length} attempt(s): a hang must not take the whole budget`);
      assert.ok(took >= BUDGET_MS - 200 && took < BUDGET_MS + 1_500, `answered after ${took} ms`);
    } finally {
      upstream.fallback = { status: 200, body: { ok: true } };
    }
  });

  test("a hung first attempt is cut by the attempt timeout and retried: 200 within the budget", async () => {
    upstream.reset([{ status: 200, delayMs: BUDGET_MS + 2_000 }]);
    const started = Date.now();
    const res = await post("/v1/track", track);
    const took = Date.now() - started;
    assert.equal(res.status, 200, res.raw);
    assert.equal(upstream.requests.length, 2);
    assert.equal(upstream.requests[0].headers["idempotency-key"], upstream.requests[1].headers["idempotency-key"]);
    assert.ok(took >= ATTEMPT_MS - 100 && took < BUDGET_MS, `answered after ${took} ms`);
  });

  test("408 is retried: 200", async () => {
    upstream.reset([{ status: 408, body: { error: "request timeout" } }]);
    const res = await post("/v1/track", track);
    assert.equal(res.status, 200, res.raw);
    assert.equal(upstream.requests.length, 2);
  });

  test("409 marked retryable (Retry-After, or retryable: true) is retried: 200", async () => {
    upstream.reset([
      { status: 409, headers: { "retry-after": "0" }, body: { error: "in flight" } },
      { status: 409, body: { error: "in flight", retryable: true } },
    ]);
    const res = await post("/v1/track", track);
    assert.equal(res.status, 200, res.raw);
    assert.equal(upstream.requests.length, 3);
  });

  test("409 not marked retryable: 502 that says the operations may have been stored", async () => {
    upstream.reset([{ status: 409, body: { error: "duplicate in flight" } }]);
    const res = await post("/v1/track", track);
    assert.equal(res.status, 502, res.raw);
    assert.equal(upstream.requests.length, 1);
    assert.equal(res.json.upstream.stored, "unknown");
    assert.match(res.json.message, /may have been stored/);
    assert.doesNotMatch(res.json.message, /nothing was stored/);
    assert.match(res.headers.get("retry-after"), /^\d+$/);
  });

  test("408 on every attempt: 503, may have been stored, never 'nothing was stored'", async () => {
    upstream.reset();
    upstream.fallback = { status: 408 };
    try {
      const res = await post("/v1/track", track);
      assert.equal(res.status, 503, res.raw);
      assert.equal(upstream.requests.length, MAX_ATTEMPTS);
      assert.equal(res.json.upstream.stored, "unknown");
      assert.doesNotMatch(res.json.message, /nothing was stored/);
    } finally {
      upstream.fallback = { status: 200, body: { ok: true } };
    }
  });

  test("always 503: bounded retries, then 503 with Retry-After", async () => {
    upstream.reset();
    upstream.fallback = { status: 503, body: { error: "maintenance" } };
    try {
      const started = Date.now();
      const res = await post("/v1/track", track);
      assert.equal(res.status, 503, res.raw);
      assert.match(res.headers.get("retry-after"), /^\d+$/);
      assert.equal(upstream.requests.length, MAX_ATTEMPTS);
      assert.ok(Date.now() - started < BUDGET_MS + 1_000);
    } finally {
      upstream.fallback = { status: 200, body: { ok: true } };
    }
  });

  test("always 500: 502 after bounded retries", async () => {
    upstream.reset();
    upstream.fallback = { status: 500, body: { error: "boom" } };
    try {
      const res = await post("/v1/batch", { batch: [{ ...track, type: "track" }] });
      assert.equal(res.status, 502, res.raw);
      assert.equal(res.json.upstream.status, 500);
      assert.equal(res.json.upstream.stored, "unknown");
      assert.match(res.json.message, /may have been stored/);
      assert.equal(upstream.requests.length, MAX_ATTEMPTS);
    } finally {
      upstream.fallback = { status: 200, body: { ok: true } };
    }
  });

  test("a 4xx from upstream is not retried: 502 with its details", async () => {
    upstream.reset([{ status: 422, body: { error: "unknown operation" } }]);
    const res = await post("/v1/track", track);
    assert.equal(res.status, 502, res.raw);
    assert.equal(res.json.upstream.status, 422);
    assert.equal(res.json.upstream.stored, "no");
    assert.match(res.json.message, /nothing was stored/);
    assert.match(res.json.upstream.body, /unknown operation/);
    assert.equal(upstream.requests.length, 1);
  });

  test("a 4xx after an attempt that got no answer: 502 that says the operations may have been stored", async () => {
    upstream.reset(["destroy", { status: 422, body: { error: "unknown operation" } }]);
    const res = await post("/v1/track", track);
    assert.equal(res.status, 502, res.raw);
    assert.equal(res.json.upstream.stored, "unknown");
    assert.doesNotMatch(res.json.message, /nothing was stored/);
  });

  test("upstream down (connection refused): 503 with Retry-After, never 200", async () => {
    const res = await post("/v1/track", track, { auth: null, base: open.base });
    assert.equal(res.status, 503, res.raw);
    assert.match(res.headers.get("retry-after"), /^\d+$/);
    assert.equal(res.json.upstream.attempts, MAX_ATTEMPTS);
  });
});

describe("redirects are never followed", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    test(`${status}: 502 naming the status and Location; nothing sent to the Location`, async () => {
      upstream.reset([{ status, headers: { location: sink.url }, body: "" }]);
      sink.reset();
      const res = await post("/v1/track", track);
      assert.equal(res.status, 502, res.raw);
      assert.equal(res.json.upstream.status, status);
      assert.equal(res.json.upstream.location, sink.url);
      assert.equal(res.json.upstream.stored, "no");
      assert.match(res.json.message, new RegExp(`HTTP ${status} \\(a redirect to ${sink.url.replace(/[/.]/g, "\\$&")}\\)`));
      assert.equal(upstream.requests.length, 1, "a redirect is not retried");
      assert.equal(sink.requests.length, 0, "the redirect was followed");
    });
  }

  test("a same-origin redirect is not followed either", async () => {
    upstream.reset([{ status: 302, headers: { location: "/v1/elsewhere" }, body: "" }]);
    const res = await post("/v1/batch", { batch: [{ ...track, type: "track" }] });
    assert.equal(res.status, 502, res.raw);
    assert.equal(res.json.upstream.location, "/v1/elsewhere");
    assert.deepEqual(upstream.requests.map((request) => request.url), ["/v1/operations"]);
  });
});

describe("identity per message", () => {
  const group = { type: "group", userId: "u_7", groupId: "acct_7", traits: { name: "Initech" }, messageId: "m-group-7" };
  const click = { type: "track", userId: "u_7", event: "Clicked", properties: { button: "buy" } };

  test("every operation carries its message's messageId, associateUser included", async () => {
    upstream.reset();
    const res = await post("/v1/batch", { batch: [group] });
    assert.equal(res.status, 200, res.raw);
    assert.deepEqual(
      upstream.requests[0].json.operations.map(({ op, messageId }) => [op, messageId]),
      [["upsertAccount", "m-group-7"], ["associateUser", "m-group-7"]],
    );
  });

  test("a message re-sent inside a different batch keeps its identity", async () => {
    upstream.reset();
    const other = { type: "identify", userId: "u_8", messageId: "m-8" };
    assert.equal((await post("/v1/batch", { batch: [group, click] })).status, 200);
    assert.equal((await post("/v1/batch", { batch: [other, click, group] })).status, 200);
    const ids = (request) => new Map(request.json.operations.map((operation) => [`${operation.op} ${operation.event ?? operation.groupId ?? ""}`, operation.messageId]));
    const [first, second] = upstream.requests.map(ids);
    assert.equal(first.size, 3);
    for (const [key, id] of first) {
      assert.match(id ?? "", /./, `${key} has no messageId`);
      assert.equal(second.get(key), id, key);
    }
  });

  test("no messageId: a retry of the same body gets the same ids; identical clicks in one batch do not collide", async () => {
    upstream.reset();
    const body = { batch: [click, click, { ...click, properties: { button: "sell" } }] };
    const res = await post("/v1/batch", body);
    assert.equal(res.status, 200, res.raw);
    assert.equal((await post("/v1/batch", body)).status, 200);
    const [first, again] = upstream.requests.map((request) => request.json.operations.map((operation) => operation.messageId));
    assert.equal(new Set(first).size, 3, `distinct events share an id: ${first}`);
    assert.deepEqual(again, first);
    assert.notEqual(upstream.requests[0].headers["idempotency-key"], undefined);
    assert.equal(upstream.requests[0].headers["idempotency-key"], upstream.requests[1].headers["idempotency-key"]);
    // Without a timestamp either, the sender is told an identical message counts as a retry.
    assert.deepEqual(
      res.json.warnings.filter((warning) => warning.code === "message_id_derived").map((warning) => [warning.index, warning.path]),
      [[0, "/batch/0"], [1, "/batch/1"], [2, "/batch/2"]],
    );
  });

  test("no messageId but a timestamp: a derived id and no warning", async () => {
    upstream.reset();
    const res = await post("/v1/track", { ...click, type: undefined, timestamp: "2026-12-04T10:00:00.000Z" });
    assert.equal(res.status, 200, res.raw);
    assert.match(upstream.requests[0].json.operations[0].messageId, /^edge-[0-9a-f]{32}$/);
    assert.deepEqual(res.json.warnings, []);
  });
});

describe("logs", () => {
  test("one JSON line per request, with counts and timings, and no payload or key", async () => {
    upstream.reset();
    const before = edge.stdout().length;
    const res = await post("/v1/batch", {
      batch: [
        { type: "identify", userId: "u_log", traits: { note: MARKER } },
        { type: "track", userId: "u_log" },
        { type: "page", userId: "u_log" },
      ],
    });
    assert.equal(res.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let stdout arrive
    const lines = edge.stdout().slice(before).split("\n").filter(Boolean);
    assert.equal(lines.length, 1, lines.join("\n"));
    const line = JSON.parse(lines[0]);
    assert.equal(line.method, "POST");
    assert.equal(line.path, "/v1/batch");
    assert.equal(line.status, 200);
    assert.equal(line.received, 3);
    assert.equal(line.forwarded, 1);
    assert.equal(line.rejected, 1);
    assert.equal(line.skipped, 1);
    assert.equal(line.upstreamAttempts, 1);
    assert.equal(typeof line.durationMs, "number");

    const all = edge.stdout() + edge.stderr() + open.stdout() + open.stderr();
    const parsed = edge.stdout().split("\n").filter(Boolean).map((text) => JSON.parse(text));
    assert.ok(parsed.length >= 30, `${parsed.length} log lines`);
    assert.ok(parsed.every((entry) => typeof entry.status === "number" && typeof entry.path === "string"));
    for (const secret of [API_KEY, WRITE_KEY, MARKER, "ada@example.com", "Signed Up"]) {
      assert.ok(!all.includes(secret), `the logs contain ${secret}`);
    }
  });
});
