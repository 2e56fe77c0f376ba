// Deno loads the package through its `deno` exports condition (the .wasm imported as a module),
// offline and with no permissions: `deno test --no-remote --no-prompt deno/`.
import * as full from "astrolabe-segment";
import * as lite from "astrolabe-segment/lite";

function assertEquals(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
}

for (const [name, api, specifier] of [["full", full, "astrolabe-segment"], ["lite", lite, "astrolabe-segment/lite"]]) {
  Deno.test(`${name}: resolved through the deno condition`, () => {
    const resolved = import.meta.resolve(specifier);
    if (!resolved.endsWith(`/node_modules/astrolabe-segment/${name}/deno.js`)) throw new Error(`resolved to ${resolved}`);
  });

  Deno.test(`${name}: maps, validates and refuses`, () => {
    const destination = new api.Destination({ strict: true });
    const outcome = destination.map({ type: "group", groupId: "g1", userId: "u1", traits: { name: "Initech" } });
    assertEquals(outcome.operations, [
      { op: "upsertAccount", groupId: "g1", traits: { name: "Initech" } },
      { op: "associateUser", groupId: "g1", userId: "u1" },
    ], "operations");
    assertEquals(destination.validate({ type: "track", userId: 1, event: "e" }).errors.map((e) => e.code), ["id_coerced"], "strict");
    assertEquals(api.map({ type: "track", userId: "u", event: "e", properties: { n: NaN } }).errors.map((e) => `${e.code} ${e.path}`), ["not_json /properties/n"], "not_json");
    assertEquals(JSON.parse(api.mapJson("{")).errors[0].code, "invalid_json", "mapJson");
    assertEquals(api.mapBatch([{ type: "page", userId: "u" }]).outcomes[0].status, "skipped", "mapBatch");
    let threw = false;
    try {
      new api.Destination({ strcit: true });
    } catch (error) {
      threw = /strcit/.test(error.message);
    }
    if (!threw) throw new Error("a bad config must throw naming the key");
    // The fast path (JSON.stringify, then the module's parser) and the walk it falls back to agree.
    const walk = Object.getPrototypeOf(api.Destination.prototype);
    for (const message of [{ type: "identify", userId: "u1", traits: { n: -0, when: new Date(0) } }, { type: "identify", userId: "u1", traits: { n: new Number(1) } }]) {
      assertEquals(destination.map(message), walk.map.call(destination, message), "fast path");
    }
    if (!(destination instanceof walk.constructor)) throw new Error("the Destination must extend wasm-bindgen's class");
    assertEquals(api.transform({ plan: { "@path": "$.traits.plan" } }, { traits: { plan: "pro" } }), { plan: "pro" }, "transform");
    destination.free();
  });

  Deno.test(`${name}: a trap re-instantiates the imported Module; the next call works`, () => {
    const strict = new api.Destination({ strict: true });
    let thrown;
    try {
      api.Destination[Symbol.for("astrolabe-segment.test.forceTrap")]({ properties: [1, { a: "x" }] });
    } catch (error) {
      thrown = error;
    }
    if (!(thrown instanceof Error) || !/internal error/.test(thrown.message)) throw new Error(`trap: ${thrown}`);
    if (!(thrown.cause instanceof WebAssembly.RuntimeError)) throw new Error(`trap cause: ${thrown.cause}`);
    assertEquals(api.map({ type: "identify", userId: "u1" }).status, "mapped", "map after a trap");
    assertEquals(JSON.parse(api.mapJson('{"type":"identify","userId":"u1"}')).status, "mapped", "mapJson after a trap");
    assertEquals(strict.map({ type: "track", userId: 1, event: "e" }).status, "invalid", "a Destination made before");
    strict.free();
  });
}

Deno.test("astrolabe-segment/edge: the handler loads its engine through the deno condition and answers", async () => {
  const edge = await import("astrolabe-segment/edge");
  const sent = [];
  const handle = edge.createHandler({ ASTROLABE_ENDPOINT: "https://astrolabe.invalid/v1/operations", ASTROLABE_API_KEY: "ak" }, {
    fetch: (url, init) => {
      sent.push(JSON.parse(init.body));
      return Promise.resolve(new Response("{}", { status: 200 }));
    },
    log: () => {},
  });
  const ok = await handle(new Request("https://edge.test/v1/identify", { method: "POST", body: '{"userId": "u1", "messageId": "m1"}' }));
  assertEquals(ok.status, 200, "status");
  assertEquals(sent, [{ operations: [{ op: "upsertUser", userId: "u1", traits: {}, messageId: "m1" }] }], "forwarded");
  assertEquals(edge.ROUTES["/v1/batch"].limit, full.limits.batchBytes, "the routes' limits are the engine's");
  const bad = await handle(new Request("https://edge.test/v1/track", { method: "POST", body: '{"userId": "u1"}' }));
  assertEquals((await bad.json()).errors.map((e) => e.path), ["/event"], "invalid");
});
