// Smoke test of the Deno entry: the same handler behind Deno.serve (npm `deno`, offline: no
// remote imports; `astrolabe-segment` through its `deno` export condition), mapping one message.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startDeno, startUpstream } from "./harness.mjs";

let upstream;
let server;

before(async () => {
  upstream = await startUpstream();
  server = await startDeno({ ASTROLABE_ENDPOINT: upstream.url, ASTROLABE_API_KEY: "ak_deno_test" });
});

after(async () => {
  await server?.stop();
  await upstream?.close();
});

test("Deno.serve maps an identify and forwards it", async () => {
  const response = await fetch(`${server.base}/v1/identify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId: "u_deno", traits: { plan: "pro" }, messageId: "m-deno-1" }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal((await response.json()).ok, true);
  assert.equal(upstream.requests.length, 1);
  assert.equal(upstream.requests[0].headers.authorization, "Bearer ak_deno_test");
  assert.deepEqual(upstream.requests[0].json, {
    operations: [{ op: "upsertUser", userId: "u_deno", traits: { plan: "pro" }, messageId: "m-deno-1" }],
  });
});

test("Deno.serve answers 400 with paths for an invalid message", async () => {
  const response = await fetch(`${server.base}/v1/track`, { method: "POST", body: '{"userId": "u"}' });
  assert.equal(response.status, 400);
  assert.deepEqual((await response.json()).errors.map((error) => error.path), ["/event"]);
});
