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
