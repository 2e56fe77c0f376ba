// `astrolabe-segment/edge` as installed from the tarball, in Node: the handler's modules are in the
// package, its engine is the package's own `node` entry (the same instance as the app's
// `import "astrolabe-segment"`), and a request is answered end to end with the default Destination.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import "./helpers.mjs";

test("the edge handler is in the package, and maps with the package's own engine", async () => {
  const edge = await import("astrolabe-segment/edge");
  assert.deepEqual(Object.keys(edge).sort(), ["ROUTES", "SETTINGS", "createHandler", "findRoute", "signatureOf"]);
  assert.ok(fileURLToPath(import.meta.resolve("astrolabe-segment/edge")).endsWith("/node_modules/astrolabe-segment/edge/index.js"));
  const { limits } = await import("astrolabe-segment");
  assert.equal(edge.ROUTES["/v1/batch"].limit, limits.batchBytes, "the routes' limits are the engine's");
  assert.equal(edge.ROUTES["/v1/track"].limit, limits.messageBytes);

  const sent = [];
  const lines = [];
  const handle = edge.createHandler(
    { ASTROLABE_ENDPOINT: "https://astrolabe.invalid/v1/operations", ASTROLABE_API_KEY: "ak", SEGMENT_WRITE_KEY: "wk" },
    {
      fetch: async (url, init) => {
        sent.push({ url, body: JSON.parse(init.body) });
        return new Response("{}", { status: 200 });
      },
      log: (line) => lines.push(JSON.parse(line)),
    },
  );
  const auth = { authorization: `Basic ${btoa("wk:")}` };
  const ok = await handle(new Request("https://edge.test/v1/g", {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ groupId: "g1", userId: "u1", traits: { name: "Initech" }, messageId: "m1" }),
  }));
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.deepEqual(sent, [{
    url: "https://astrolabe.invalid/v1/operations",
    body: { operations: [
      { op: "upsertAccount", groupId: "g1", traits: { name: "Initech" }, messageId: "m1" },
      { op: "associateUser", groupId: "g1", userId: "u1", messageId: "m1" },
    ] },
  }]);
  const refused = await handle(new Request("https://edge.test/v1/track", { method: "POST", body: "{}" }));
  assert.equal(refused.status, 401);
  assert.deepEqual((await refused.json()).errors.map((error) => error.code), ["unauthorized"]);
  assert.deepEqual(lines.map((line) => line.status), [200, 401]);
});

test("every code the handler answers with is one of the package's codes", async () => {
  const { codes } = await import("astrolabe-segment");
  for (const code of ["unauthorized", "invalid_signature", "origin_not_allowed", "body_timeout", "not_forwarded", "message_id_derived"]) {
    assert.ok(codes.includes(code), code);
  }
});

test("a plan enforced at the edge, as docs/plans-from-traffic.md deploys it: a violation refused, a planned message forwarded", async () => {
  const edge = await import("astrolabe-segment/edge");
  const { Destination } = await import("astrolabe-segment");
  const trackingPlan = {
    rules: [{ type: "TRACK", key: "Order Completed", version: 1, jsonSchema: { properties: { properties: { type: "object", required: ["total"], properties: { total: { type: "number" } } } } } }],
    violations: "block",
    unplannedEvents: "block",
  };
  const sent = [];
  const handle = edge.createHandler(
    { ASTROLABE_ENDPOINT: "https://astrolabe.invalid/v1/operations", ASTROLABE_API_KEY: "ak" },
    {
      destination: new Destination({ strict: false, trackingPlan }),
      fetch: async (url, init) => {
        sent.push(JSON.parse(init.body));
        return new Response("{}", { status: 200 });
      },
      log: () => {},
    },
  );
  const post = (body) => handle(new Request("https://edge.test/v1/track", { method: "POST", body: JSON.stringify(body) }));
  const planned = await post({ userId: "u1", event: "Order Completed", properties: { total: 42 }, messageId: "m1" });
  assert.equal(planned.status, 200, await planned.clone().text());
  const violation = await post({ userId: "u1", event: "Order Completed", properties: { total: "42" }, messageId: "m2" });
  assert.equal(violation.status, 400);
  assert.deepEqual((await violation.json()).errors.map((error) => error.code), ["plan_violation"]);
  const unplanned = await post({ userId: "u1", event: "Signed Up", messageId: "m3" });
  assert.equal(unplanned.status, 400);
  assert.deepEqual((await unplanned.json()).errors.map((error) => error.code), ["unplanned_event"]);
  assert.deepEqual(sent.map((body) => body.operations.map((operation) => operation.messageId)), [["m1"]]);
});
