// CORS at the header level, against workerd: preflights, ALLOWED_ORIGINS as a list, as `*` and
// unset, the header on error answers, and a list with a mistake in it. (browser-sdk.test.mjs
// shows the same answers satisfying a real browser.)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { answerOf, freePort, startUpstream, startWorkerd } from "./harness.mjs";

const SHOP = "https://shop.example";
const ADMIN = "http://127.0.0.1:4173";
const STRANGER = "https://evil.example";
const WRITE_KEY = "wk_cors_0a9e";
const SENDER_HEADERS = ["content-type", "authorization", "x-retry-count", "idempotency-key"];

let upstream;
let listed; // ALLOWED_ORIGINS = SHOP, ADMIN (written loosely: spaces, a trailing slash, upper case)
let star; // ALLOWED_ORIGINS = *, and a write key
let unset; // no ALLOWED_ORIGINS; its upstream is down
let mistaken; // an entry that is not an origin

before(async () => {
  upstream = await startUpstream();
  const settings = { ASTROLABE_ENDPOINT: upstream.url, ASTROLABE_API_KEY: "ak_cors", ASTROLABE_RETRY_BUDGET_MS: "600", ASTROLABE_RETRY_MAX_ATTEMPTS: "2", ASTROLABE_RETRY_BASE_MS: "20" };
  const downPort = await freePort();
  [listed, star, unset, mistaken] = await Promise.all([
    startWorkerd({ ...settings, ALLOWED_ORIGINS: ` HTTPS://Shop.example/ ,${ADMIN}` }),
    startWorkerd({ ...settings, ALLOWED_ORIGINS: "*", SEGMENT_WRITE_KEY: WRITE_KEY }),
    startWorkerd({ ...settings, ASTROLABE_ENDPOINT: `http://127.0.0.1:${downPort}/v1/operations` }),
    startWorkerd({ ...settings, ALLOWED_ORIGINS: `${SHOP}, shop.example` }),
  ]);
});

after(async () => {
  await Promise.all([listed?.stop(), star?.stop(), unset?.stop(), mistaken?.stop()]);
  await upstream?.close();
});

function preflight(base, path, origin, extra = {}) {
  return fetch(`${base}${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type,x-retry-count",
      ...extra,
    },
  });
}

async function post(base, path, body, headers = {}) {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "text/plain", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return answerOf(response);
}

const track = { userId: "u_cors", event: "Signed Up", messageId: "m-cors" };
const listOf = (value) => (value ?? "").split(",").map((item) => item.trim().toLowerCase()).filter(Boolean);

describe("preflights", () => {
  test("allowed: 204 with the methods, the senders' headers and a max age, on every route", async () => {
    for (const path of ["/v1/track", "/v1/t", "/v1/b", "/v1/batch", "/v1/page", "/webhook"]) {
      const res = await preflight(listed.base, path, SHOP);
      assert.equal(res.status, 204, path);
      assert.equal(res.headers.get("access-control-allow-origin"), SHOP, path);
      assert.deepEqual(listOf(res.headers.get("access-control-allow-methods")), ["post", "options"], path);
      for (const header of SENDER_HEADERS) {
        assert.ok(listOf(res.headers.get("access-control-allow-headers")).includes(header), `${path}: ${header}`);
      }
      assert.match(res.headers.get("access-control-max-age"), /^\d+$/);
      assert.match(res.headers.get("vary"), /Origin/);
    }
    const health = await preflight(star.base, "/health", STRANGER, { "access-control-request-method": "GET" });
    assert.equal(health.status, 204);
    assert.deepEqual(listOf(health.headers.get("access-control-allow-methods")), ["get", "head", "options"]);
    assert.equal(health.headers.get("access-control-allow-origin"), "*");
  });

  test("refused: 403 without Access-Control-Allow-Origin for an origin not listed, near misses included", async () => {
    for (const origin of [STRANGER, "http://shop.example", "https://shop.example:8443", "https://www.shop.example", "http://127.0.0.1:4174", "null"]) {
      const res = await preflight(listed.base, "/v1/t", origin);
      assert.equal(res.status, 403, origin);
      assert.equal(res.headers.get("access-control-allow-origin"), null, origin);
      assert.equal((await res.json()).errors[0].code, "origin_not_allowed");
    }
  });

  test("a page on the public web asking to reach a private address is told it may", async () => {
    const res = await preflight(listed.base, "/v1/t", SHOP, { "access-control-request-private-network": "true" });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-private-network"), "true");
    const plain = await preflight(listed.base, "/v1/t", SHOP);
    assert.equal(plain.headers.get("access-control-allow-private-network"), null);
  });

  test("an unknown path is a 404 to a preflight too", async () => {
    const res = await preflight(listed.base, "/v2/track", SHOP);
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("access-control-allow-origin"), SHOP);
  });
});

describe("ALLOWED_ORIGINS", () => {
  test("a list: each origin is allowed and echoed with Vary: Origin; another is refused with 403 and nothing is forwarded", async () => {
    upstream.reset();
    for (const origin of [SHOP, ADMIN]) {
      const res = await post(listed.base, "/v1/t", track, { origin });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get("access-control-allow-origin"), origin);
      assert.equal(res.headers.get("access-control-expose-headers"), "Retry-After, X-Request-Id");
      assert.match(res.headers.get("vary"), /Origin/);
    }
    const refused = await post(listed.base, "/v1/t", track, { origin: STRANGER });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.errors[0].code, "origin_not_allowed");
    assert.match(refused.json.message, /https:\/\/evil\.example/);
    assert.equal(refused.headers.get("access-control-allow-origin"), null);
    const batch = await post(listed.base, "/v1/b", { batch: [{ ...track, type: "track" }] }, { origin: STRANGER });
    assert.equal(batch.status, 403);
    assert.equal(upstream.requests.length, 2, "only the allowed origins' calls were forwarded");
  });

  test("a list: a request without Origin (a server SDK, Segment itself) is not a browser's, and goes through", async () => {
    upstream.reset();
    const res = await post(listed.base, "/v1/track", track);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get("access-control-allow-origin"), null);
    assert.equal(upstream.requests.length, 1);
  });

  test("* and unset: any origin, answered with Access-Control-Allow-Origin: *", async () => {
    upstream.reset();
    for (const origin of [STRANGER, SHOP, "null"]) {
      const res = await post(star.base, "/v1/t", { ...track, writeKey: WRITE_KEY }, { origin });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get("access-control-allow-origin"), "*");
      const pre = await preflight(unset.base, "/v1/i", origin);
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get("access-control-allow-origin"), "*");
    }
    const noOrigin = await post(star.base, "/v1/t", { ...track, writeKey: WRITE_KEY });
    assert.equal(noOrigin.headers.get("access-control-allow-origin"), "*");
    assert.equal(upstream.requests.length, 4);
  });

  test("an entry that is not an origin: a browser's call gets a 500 naming it; server senders are not affected", async () => {
    upstream.reset();
    const res = await post(mistaken.base, "/v1/t", track, { origin: SHOP });
    assert.equal(res.status, 500);
    assert.match(res.json.message, /ALLOWED_ORIGINS.*"shop\.example"/);
    assert.equal(res.headers.get("access-control-allow-origin"), SHOP, "the page can read what to fix");
    const server = await post(mistaken.base, "/v1/t", track);
    assert.equal(server.status, 200, server.text);
    assert.equal(upstream.requests.length, 1);
  });
});

describe("error answers carry the header", () => {
  test("400, 401, 404, 405, 413, 415 and 503 (with Retry-After exposed): all readable by the page", async () => {
    const origin = SHOP;
    const answers = {
      400: await post(listed.base, "/v1/t", "{", { origin }),
      404: await post(listed.base, "/v1/nope", track, { origin }),
      413: await post(listed.base, "/v1/t", { ...track, properties: { pad: "x".repeat(33_000) } }, { origin }),
      415: await post(listed.base, "/v1/t", track, { origin, "content-encoding": "br" }),
    };
    const get = await fetch(`${listed.base}/v1/t`, { headers: { origin } });
    answers[405] = { status: get.status, headers: get.headers };
    await get.body?.cancel();
    const unauthorized = await post(star.base, "/v1/t", { ...track, writeKey: "wk_wrong" }, { origin: STRANGER });
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.headers.get("access-control-allow-origin"), "*");
    const down = await post(unset.base, "/v1/t", track, { origin: STRANGER });
    for (const [status, res] of Object.entries(answers)) {
      assert.equal(res.status, Number(status));
      assert.equal(res.headers.get("access-control-allow-origin"), origin, status);
      assert.equal(res.headers.get("access-control-expose-headers"), "Retry-After, X-Request-Id", status);
    }
    assert.equal(down.status, 503);
    assert.equal(down.headers.get("access-control-allow-origin"), "*");
    assert.equal(down.headers.get("access-control-expose-headers"), "Retry-After, X-Request-Id");
    assert.match(down.headers.get("retry-after"), /^\d+$/);
  });
});
