// What senders other than the browser SDK send, against workerd: @segment/analytics-node (npm) on
// /v1/batch, bodies in any content type, the write key in the body (of a call, an envelope, or
// every item of a batch), and the one-letter routes under the same limits and delivery contract.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Analytics } from "@segment/analytics-node";
import { answerOf, basic, startUpstream, startWorkerd } from "./harness.mjs";

const API_KEY = "ak_senders_2d7c41";
const WRITE_KEY = "wk_senders_e05b93";

let upstream;
let sink; // where the upstream's redirect points: must never receive anything
let edge;

before(async () => {
  [upstream, sink] = await Promise.all([startUpstream(), startUpstream()]);
  edge = await startWorkerd({
    ASTROLABE_ENDPOINT: upstream.url,
    ASTROLABE_API_KEY: API_KEY,
    SEGMENT_WRITE_KEY: WRITE_KEY,
    ASTROLABE_RETRY_BUDGET_MS: "2000",
    ASTROLABE_RETRY_MAX_ATTEMPTS: "3",
    ASTROLABE_RETRY_BASE_MS: "20",
  });
});

after(async () => {
  await edge?.stop();
  await Promise.all([upstream?.close(), sink?.close()]);
});

async function post(path, body, headers = {}) {
  const response = await fetch(`${edge.base}${path}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return answerOf(response);
}

const auth = { authorization: basic(WRITE_KEY) };
const track = { userId: "u_s", event: "Signed Up", properties: { plan: "pro" }, messageId: "m-senders-track" };

describe("analytics-node", () => {
  test("identify, group, track and page through /v1/batch: every callback succeeds, one upstream request per batch", async () => {
    upstream.reset();
    const analytics = new Analytics({ writeKey: WRITE_KEY, host: edge.base, path: "/v1/batch", flushAt: 4, maxRetries: 2 });
    const statuses = [];
    analytics.on("http_response", (response) => statuses.push(response.status));
    const delivered = (call) => new Promise((resolve) => call((error, ctx) => resolve(error ? String(error) : ctx.event.messageId)));
    const results = await Promise.all([
      delivered((done) => analytics.identify({ userId: "u_node", traits: { email: "grace@example.com" } }, done)),
      delivered((done) => analytics.group({ userId: "u_node", groupId: "acct_node", traits: { name: "Hooli" } }, done)),
      delivered((done) => analytics.track({ userId: "u_node", event: "Order Completed", properties: { total: 42 } }, done)),
      delivered((done) => analytics.page({ userId: "u_node", name: "Checkout" }, done)),
    ]);
    await analytics.closeAndFlush({ timeout: 5_000 });
    assert.ok(results.every((result) => !/error/i.test(result)), results.join("\n"));
    assert.deepEqual(statuses, [200]);
    assert.equal(upstream.requests.length, 1);
    const operations = upstream.requests[0].json.operations;
    assert.deepEqual(operations.map((operation) => operation.op), ["upsertUser", "upsertAccount", "associateUser", "trackEvent"]);
    // Its own messageIds, each on every operation of its message.
    assert.deepEqual(operations.map((operation) => operation.messageId), [results[0], results[1], results[1], results[2]]);
    assert.equal(operations[3].properties.total, 42);
  });
});

describe("what a body may look like", () => {
  test("any content type whose body is JSON: text/plain, text/plain;charset=UTF-8, form, none", async () => {
    upstream.reset();
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", undefined]) {
      const headers = { ...auth, ...(type === undefined ? {} : { "content-type": type }) };
      const res = await post("/v1/t", track, headers);
      assert.equal(res.status, 200, `${type}: ${res.text}`);
      const batch = await post("/v1/b", { batch: [{ ...track, type: "track" }] }, headers);
      assert.equal(batch.status, 200, `${type}: ${batch.text}`);
    }
    assert.equal(upstream.requests.length, 8);
  });

  test("the write key in the body: a single call, a batch envelope, or every item of a batch", async () => {
    upstream.reset();
    const item = { ...track, type: "track" };
    const accepted = {
      "a single call": ["/v1/t", { ...track, writeKey: WRITE_KEY }],
      "a batch envelope": ["/v1/b", { writeKey: WRITE_KEY, batch: [item] }],
      "every item": ["/v1/b", { batch: [{ ...item, writeKey: WRITE_KEY }, { ...item, messageId: "m-2", writeKey: WRITE_KEY }] }],
      "every item of a bare array": ["/v1/batch", [{ ...item, writeKey: WRITE_KEY }]],
    };
    for (const [why, [path, body]] of Object.entries(accepted)) {
      const res = await post(path, body, { "content-type": "text/plain" });
      assert.equal(res.status, 200, `${why}: ${res.text}`);
    }
    assert.equal(upstream.requests.length, 4);
    const refused = {
      "an item without one": { batch: [{ ...item, writeKey: WRITE_KEY }, item] },
      "an item with a wrong one": { batch: [{ ...item, writeKey: WRITE_KEY }, { ...item, writeKey: "wk_wrong" }] },
      "a wrong envelope, right items": { writeKey: "wk_wrong", batch: [{ ...item, writeKey: WRITE_KEY }] },
      "an empty batch": { batch: [] },
    };
    for (const [why, body] of Object.entries(refused)) {
      const res = await post("/v1/b", body, { "content-type": "text/plain" });
      assert.equal(res.status, 401, `${why}: ${res.text}`);
      assert.equal(res.json.errors[0].code, "unauthorized");
    }
    assert.equal(upstream.requests.length, 4);
  });
});

describe("the one-letter routes", () => {
  test("each maps to its call type; the type in a body must agree with the path", async () => {
    upstream.reset();
    assert.equal((await post("/v1/i", { userId: "u_s", traits: { plan: "pro" } }, auth)).status, 200);
    assert.equal((await post("/v1/g", { userId: "u_s", groupId: "acct_s" }, auth)).status, 200);
    assert.equal((await post("/v1/t", track, auth)).status, 200);
    assert.deepEqual(
      upstream.requests.map((request) => request.json.operations.map((operation) => operation.op).join("+")),
      ["upsertUser", "upsertAccount+associateUser", "trackEvent"],
    );
    const mismatch = await post("/v1/i", { ...track, type: "track" }, auth);
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json.errors[0].code, "type_mismatch");
    const batchToSingle = await post("/v1/t", [track], auth);
    assert.equal(batchToSingle.status, 400);
    assert.match(batchToSingle.json.message, /POST \/v1\/t takes one message/);
  });

  test("413: over 32 KB on /v1/t, over 500 KB on /v1/b; the limits themselves pass", async () => {
    upstream.reset();
    const padded = (size, value) => {
      const text = JSON.stringify(value);
      return text.slice(0, -1) + " ".repeat(size - text.length) + "}";
    };
    assert.equal((await post("/v1/t", padded(32_769, track), auth)).status, 413);
    assert.equal((await post("/v1/t", padded(32_768, track), auth)).status, 200);
    const batch = { batch: [{ ...track, type: "track" }] };
    const over = await post("/v1/b", padded(512_001, batch), auth);
    assert.equal(over.status, 413);
    assert.equal(over.json.errors[0].code, "batch_too_large");
    assert.equal((await post("/v1/b", padded(512_000, batch), auth)).status, 200);
    assert.equal(upstream.requests.length, 2);
  });

  test("the delivery contract: a 503 then a 200 is retried under one Idempotency-Key; a redirect is not followed", async () => {
    upstream.reset([{ status: 503 }]);
    const res = await post("/v1/b", { batch: [{ ...track, type: "track" }] }, auth);
    assert.equal(res.status, 200, res.text);
    assert.equal(upstream.requests.length, 2);
    assert.equal(upstream.requests[0].headers["idempotency-key"], upstream.requests[1].headers["idempotency-key"]);
    assert.equal(upstream.requests[1].json.operations[0].messageId, track.messageId);

    upstream.reset([{ status: 308, headers: { location: sink.url }, body: "" }]);
    sink.reset();
    const moved = await post("/v1/t", track, auth);
    assert.equal(moved.status, 502, moved.text);
    assert.equal(moved.json.upstream.stored, "no");
    assert.equal(sink.requests.length, 0);
  });

  test("/v1/m, analytics.js's own metrics: acknowledged, never forwarded", async () => {
    upstream.reset();
    const res = await post("/v1/m", { series: [{ type: "Counter", metric: "analytics_js.invoke", value: 1, tags: { type: "track" } }] }, { "content-type": "text/plain" });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.skipped, true);
    assert.equal(upstream.requests.length, 0);
  });
});
