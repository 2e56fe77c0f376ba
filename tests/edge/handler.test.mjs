// The handler's helpers, in Node (the handler module is runtime-neutral).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  basicUser,
  constantTimeEqual,
  createHandler,
  parseRetryAfter,
} from "../../examples/cloudflare-worker/src/handler.js";

test("parseRetryAfter: seconds, HTTP dates, garbage", () => {
  const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
  assert.equal(parseRetryAfter("120", now), 120_000);
  assert.equal(parseRetryAfter(" 0 ", now), 0);
  assert.equal(parseRetryAfter("Wed, 21 Oct 2026 07:28:05 GMT", now), 5_000);
  assert.equal(parseRetryAfter("Wed, 21 Oct 2026 07:27:00 GMT", now), 0);
  assert.equal(parseRetryAfter("soon", now), undefined);
  assert.equal(parseRetryAfter("-3", now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});

test("constantTimeEqual", () => {
  assert.equal(constantTimeEqual("wk_1", "wk_1"), true);
  assert.equal(constantTimeEqual("wk_2", "wk_1"), false);
  assert.equal(constantTimeEqual("wk_1x", "wk_1"), false);
  assert.equal(constantTimeEqual("wk_", "wk_1"), false);
  assert.equal(constantTimeEqual("", "wk_1"), false);
  assert.equal(constantTimeEqual("wk_1wk_1", "wk_1"), false);
  assert.equal(constantTimeEqual("é", "é"), true);
});

test("basicUser: the user name of a Basic header", () => {
  const encode = (text) => `Basic ${Buffer.from(text).toString("base64")}`;
  assert.equal(basicUser(encode("wk:")), "wk");
  assert.equal(basicUser(encode("wk")), "wk");
  assert.equal(basicUser(encode("wk:pass:word")), "wk");
  assert.equal(basicUser(`basic   ${Buffer.from("wk:").toString("base64")}`), "wk");
  assert.equal(basicUser("Bearer abc"), undefined);
  assert.equal(basicUser("Basic !!!"), undefined);
  assert.equal(basicUser(`Basic ${Buffer.from([0xff, 0x3a]).toString("base64")}`), undefined);
});

test("createHandler needs a destination", () => {
  assert.throws(() => createHandler({}), TypeError);
});

test("an exception inside is a 500 and a log line, never a 200", async () => {
  const lines = [];
  const handle = createHandler({
    destination: { mapJson() { throw new Error("boom"); } },
    log: (line) => lines.push(JSON.parse(line)),
  });
  const response = await handle(new Request("http://edge/v1/track", { method: "POST", body: "{}" }), {});
  assert.equal(response.status, 500);
  assert.equal(lines.length, 1);
  assert.equal(lines[0].status, 500);
  assert.equal(lines[0].error, "internal");
});

/** A destination that maps every body to one trackEvent (the gate, not the mapping, is under test). */
const mapsOne = {
  mapJson: () =>
    JSON.stringify({ status: "mapped", operations: [{ op: "trackEvent", event: "E", userId: "u", properties: {}, messageId: "m" }], errors: [], warnings: [] }),
};
const settings = { ASTROLABE_ENDPOINT: "http://upstream.test/v1/operations", ASTROLABE_API_KEY: "ak" };
const track = () => new Request("http://edge/v1/track", { method: "POST", body: "{}" });

test("ASTROLABE_MAX_CONCURRENT caps upstream requests in flight per isolate; the others wait their turn", async () => {
  let inFlight = 0;
  let most = 0;
  const handle = createHandler({
    destination: mapsOne,
    log: () => {},
    fetch: async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return new Response("{}", { status: 200 });
    },
  });
  const env = { ...settings, ASTROLABE_MAX_CONCURRENT: "2" };
  const answers = await Promise.all(Array.from({ length: 8 }, () => handle(track(), env)));
  assert.deepEqual(answers.map((response) => response.status), Array(8).fill(200));
  assert.equal(most, 2);
});

test("a request that cannot get an upstream slot within its budget: 503, nothing was stored", async () => {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  const handle = createHandler({
    destination: mapsOne,
    log: () => {},
    fetch: async () => {
      await held;
      return new Response("{}", { status: 200 });
    },
  });
  const env = { ...settings, ASTROLABE_MAX_CONCURRENT: "1", ASTROLABE_RETRY_BUDGET_MS: "5000", ASTROLABE_ATTEMPT_TIMEOUT_MS: "5000" };
  const first = handle(track(), env);
  const second = await handle(track(), { ...env, ASTROLABE_RETRY_BUDGET_MS: "100" });
  assert.equal(second.status, 503);
  const body = await second.json();
  assert.equal(body.upstream.stored, "no");
  assert.match(body.message, /in flight/);
  release();
  assert.equal((await first).status, 200);
});

test("upstream requests never follow redirects", async () => {
  const seen = [];
  const handle = createHandler({
    destination: mapsOne,
    log: () => {},
    fetch: async (url, init) => {
      seen.push(init.redirect);
      return new Response("", { status: 308, headers: { location: "https://elsewhere.test/" } });
    },
  });
  const response = await handle(track(), settings);
  assert.equal(response.status, 502);
  assert.deepEqual(seen, ["manual"]);
  assert.equal((await response.json()).upstream.location, "https://elsewhere.test/");
});
