// POST /webhook: Segment's Webhooks destination delivering to the worker in workerd. Each event
// carries its own `type`; with a shared secret, Segment signs the body: X-Signature is the hex
// HMAC-SHA1 of the body with the secret (Segment's Webhooks docs, "Authentication"). Statuses
// follow Segment's partner-destination convention: 501 for a call type the destination does not take.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { answerOf, basic, startUpstream, startWorkerd } from "./harness.mjs";

const API_KEY = "ak_webhook_4b2e91";
const SECRET = "shared-secret-7f3a";
const WRITE_KEY = "wk_webhook_58c0d2";

let upstream;
let sink; // where the upstream's redirect points: must never receive anything
let signed; // SEGMENT_SHARED_SECRET set (and a write key, which /webhook does not need then)
let keyed; // no shared secret: /webhook takes the write key like every other route

before(async () => {
  [upstream, sink] = await Promise.all([startUpstream(), startUpstream()]);
  const common = {
    ASTROLABE_ENDPOINT: upstream.url,
    ASTROLABE_API_KEY: API_KEY,
    SEGMENT_WRITE_KEY: WRITE_KEY,
    ASTROLABE_RETRY_BUDGET_MS: "2000",
    ASTROLABE_RETRY_MAX_ATTEMPTS: "3",
    ASTROLABE_RETRY_BASE_MS: "20",
  };
  [signed, keyed] = await Promise.all([
    startWorkerd({ ...common, SEGMENT_SHARED_SECRET: SECRET }),
    startWorkerd(common),
  ]);
});

after(async () => {
  await Promise.all([signed?.stop(), keyed?.stop()]);
  await Promise.all([upstream?.close(), sink?.close()]);
});

/** X-Signature as Segment's Webhooks docs compute it. */
function sign(text, secret = SECRET) {
  return createHmac("sha1", secret).update(Buffer.from(text, "utf-8")).digest("hex");
}

/** POSTs `text` as Segment does: JSON, its User-Agent, and X-Signature unless told otherwise. */
async function deliver(text, { signature = sign(text), headers = {}, base = signed.base } = {}) {
  const response = await fetch(`${base}/webhook`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "Segment.io/1.0",
      ...(signature === null ? {} : { "x-signature": signature }),
      ...headers,
    },
    body: text,
  });
  return answerOf(response);
}

// Segment's own examples (Webhooks destination docs), as it sends them: pretty-printed.
const identify = {
  version: 1,
  type: "identify",
  userId: "019mr8mf4r",
  traits: { email: "achilles@segment.com", name: "Achilles", subscriptionPlan: "Premium", friendCount: 29 },
  timestamp: "2012-12-02T00:30:08.276Z",
  messageId: "wh-identify-1",
};
const track = {
  version: 1,
  type: "track",
  userId: "019mr8mf4r",
  event: "Purchased an Item",
  properties: { revenue: "39.95", shippingMethod: "2-day" },
  timestamp: "2012-12-02T00:30:08.276Z",
  messageId: "wh-track-1",
};
const group = {
  version: 1,
  type: "group",
  groupId: "0e8c78ea9d97a7b8185e8632",
  userId: "019mr8mf4r",
  traits: { name: "Initech", industry: "Technology", employees: 329, plan: "Enterprise", "total billed": 830 },
  timestamp: "2012-12-02T00:30:08.276Z",
  messageId: "wh-group-1",
};
const pretty = (value) => JSON.stringify(value, null, 4);

describe("signed deliveries", () => {
  test("200: identify, track and group signed as Segment documents it, each forwarded with its messageId", async () => {
    upstream.reset();
    for (const message of [identify, track, group]) {
      const res = await deliver(pretty(message));
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.json.forwarded, 1);
    }
    assert.deepEqual(
      upstream.requests.map((request) => request.json.operations.map(({ op, messageId }) => [op, messageId])),
      [
        [["upsertUser", "wh-identify-1"]],
        [["trackEvent", "wh-track-1"]],
        [["upsertAccount", "wh-group-1"], ["associateUser", "wh-group-1"]],
      ],
    );
    assert.deepEqual(upstream.requests[1].json.operations[0].properties, track.properties);
    assert.ok(upstream.requests.every((request) => request.headers.authorization === `Bearer ${API_KEY}`));
  });

  test("the signature is read in either case, and the write key is not asked for", async () => {
    upstream.reset();
    const text = pretty(track);
    const res = await deliver(text, { signature: sign(text).toUpperCase() });
    assert.equal(res.status, 200, res.raw);
    assert.equal(upstream.requests.length, 1);
  });

  test("401: missing, forged, or computed over other bytes; nothing forwarded", async () => {
    upstream.reset();
    const text = pretty(track);
    const cases = {
      missing: [text, null],
      empty: [text, ""],
      "another secret": [text, sign(text, "not-the-secret")],
      "the body changed after signing": [text.replace("39.95", "0.01"), sign(text)],
      // What the docs' sample code does: it re-serializes the parsed body, which is not what was sent.
      "a re-serialization of the body": [text, sign(JSON.stringify(JSON.parse(text)))],
      truncated: [text, sign(text).slice(0, 39)],
      "not hex": [text, "z".repeat(40)],
      "sha1= prefixed": [text, `sha1=${sign(text)}`],
    };
    for (const [why, [body, signature]] of Object.entries(cases)) {
      const res = await deliver(body, { signature });
      assert.equal(res.status, 401, `${why}: ${res.raw}`);
      assert.equal(res.json.errors[0].code, "invalid_signature", why);
      assert.match(res.headers.get("www-authenticate") ?? "", /X-Signature/, why);
    }
    // A valid write key is no substitute for the signature.
    const keyOnly = await deliver(text, { signature: null, headers: { authorization: basic(WRITE_KEY) } });
    assert.equal(keyOnly.status, 401);
    assert.equal(upstream.requests.length, 0);
  });
});

describe("what /webhook takes", () => {
  test("a batch, as an envelope or a bare array: valid items in one upstream request, the others listed", async () => {
    upstream.reset();
    const items = [identify, { ...track, event: undefined, messageId: "wh-bad" }, { type: "page", userId: "u", name: "Home" }, group];
    for (const body of [{ batch: items }, items]) {
      const res = await deliver(JSON.stringify(body));
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.json.received, 4);
      assert.equal(res.json.forwarded, 2);
      assert.deepEqual(res.json.rejected.map(({ index, code }) => [index, code]), [[1, "missing_event"]]);
      assert.deepEqual(res.json.skipped.map(({ index, code }) => [index, code]), [[2, "unsupported_type"]]);
    }
    assert.equal(upstream.requests.length, 2);
    assert.deepEqual(
      upstream.requests[0].json.operations.map((operation) => operation.op),
      ["upsertUser", "upsertAccount", "associateUser"],
    );
  });

  test("501: a call type Astrolabe does not take (page, screen, alias, delete), as a partner endpoint answers", async () => {
    upstream.reset();
    for (const type of ["page", "screen", "alias", "delete"]) {
      const res = await deliver(JSON.stringify({ type, userId: "019mr8mf4r", previousId: "anon", name: "Home" }));
      assert.equal(res.status, 501, `${type}: ${res.raw}`);
      assert.equal(typeof res.json.message, "string");
      assert.equal(res.json.reason.code, "unsupported_type");
    }
    // Not a type it lacks: a message turned away by its integrations is acknowledged.
    const off = await deliver(JSON.stringify({ ...track, integrations: { Astrolabe: false } }));
    assert.equal(off.status, 200, off.raw);
    assert.equal(off.json.reason.code, "disabled_by_integrations");
    assert.equal(upstream.requests.length, 0);
  });

  test("400: broken JSON, a message without a type, an invalid message; 413: over 32 KB single, over 500 KB batch", async () => {
    upstream.reset();
    const broken = await deliver('{"type": "track",');
    assert.equal(broken.status, 400);
    assert.equal(broken.json.errors[0].code, "invalid_json");
    const untyped = await deliver(JSON.stringify({ userId: "u", event: "E" }));
    assert.equal(untyped.status, 400);
    assert.equal(untyped.json.errors[0].code, "missing_type");
    const invalid = await deliver(JSON.stringify({ type: "track", userId: "u" }));
    assert.equal(invalid.status, 400);
    assert.equal(invalid.json.errors[0].path, "/event");

    const big = JSON.stringify({ ...track, properties: { pad: "x".repeat(33_000) } });
    const tooBig = await deliver(big);
    assert.equal(tooBig.status, 413, tooBig.raw);
    assert.equal(tooBig.json.errors[0].code, "too_large");
    const hugeBatch = JSON.stringify({ batch: Array.from({ length: 20 }, () => ({ ...track, properties: { pad: "x".repeat(26_000) } })) });
    assert.ok(hugeBatch.length > 512_000);
    const batchTooBig = await deliver(hugeBatch);
    assert.equal(batchTooBig.status, 413);
    assert.equal(batchTooBig.json.errors[0].code, "batch_too_large");
    assert.equal(upstream.requests.length, 0);
  });

  test("405 for other methods; OPTIONS answered", async () => {
    const get = await fetch(`${signed.base}/webhook`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST, OPTIONS");
    await get.body?.cancel();
    const options = await fetch(`${signed.base}/webhook`, { method: "OPTIONS" });
    assert.equal(options.status, 204);
  });
});

describe("delivery upstream, as on every route", () => {
  test("a 500 then a 200: retried with the same Idempotency-Key, then 200", async () => {
    upstream.reset([{ status: 500, body: { error: "boom" } }]);
    const res = await deliver(pretty(track));
    assert.equal(res.status, 200, res.raw);
    assert.equal(upstream.requests.length, 2);
    assert.equal(upstream.requests[0].headers["idempotency-key"], upstream.requests[1].headers["idempotency-key"]);
    assert.equal(upstream.requests[0].body, upstream.requests[1].body);
  });

  test("a redirect is not followed: 502, stored no, nothing sent to the Location", async () => {
    upstream.reset([{ status: 307, headers: { location: sink.url }, body: "" }]);
    sink.reset();
    const res = await deliver(pretty(identify));
    assert.equal(res.status, 502, res.raw);
    assert.equal(res.json.upstream.status, 307);
    assert.equal(res.json.upstream.stored, "no");
    assert.equal(sink.requests.length, 0);
  });

  test("upstream down on every attempt: 503 with Retry-After, so Segment retries", async () => {
    upstream.reset();
    upstream.fallback = { status: 503, body: { error: "maintenance" } };
    try {
      const res = await deliver(pretty(track));
      assert.equal(res.status, 503, res.raw);
      assert.match(res.headers.get("retry-after"), /^\d+$/);
      assert.equal(res.json.upstream.stored, "unknown");
    } finally {
      upstream.fallback = { status: 200, body: { ok: true } };
    }
  });
});

describe("without SEGMENT_SHARED_SECRET", () => {
  test("/webhook takes the write key like every other route (a Webhooks destination can send it as a header)", async () => {
    upstream.reset();
    const text = pretty(track);
    const none = await deliver(text, { base: keyed.base, signature: null });
    assert.equal(none.status, 401);
    assert.equal(none.json.errors[0].code, "unauthorized");
    const withKey = await deliver(text, { base: keyed.base, signature: null, headers: { authorization: basic(WRITE_KEY) } });
    assert.equal(withKey.status, 200, withKey.raw);
    assert.equal(upstream.requests.length, 1);
  });
});
