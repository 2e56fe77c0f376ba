// The inspector of `make serve` (scripts/serve.mjs), over HTTP: the worker's routes answered as the
// worker answers them, every message kept with its outcome, the query API, the bounds, the file
// kept across a restart, hostile bodies, and nothing sent beyond this machine.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { Analytics } from "@segment/analytics-node";
import { startServer } from "../../scripts/serve.mjs";
import { basic, startUpstream } from "../edge/harness.mjs";

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "astrolabe-inspector-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A server with its own file; `environment` stands in for process.env. */
async function serve({ environment = {}, limit, bodyTimeoutMs, file = path.join(dir, `events-${Math.random().toString(36).slice(2)}.jsonl`) } = {}) {
  const server = await startServer({ port: 0, inspector: { environment, limit, file, bodyTimeoutMs } });
  server.base = server.url.replace(/\/$/, "");
  server.file = file;
  return server;
}

async function post(server, route, body, headers = {}) {
  const response = await fetch(server.base + route, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: await response.json().catch(() => undefined) };
}

async function get(server, route) {
  const response = await fetch(server.base + route);
  assert.equal(response.status, 200, route);
  return response.json();
}

const identify = (userId, extra = {}) => ({ type: "identify", userId, traits: { email: `${userId}@example.com` }, messageId: `m-${userId}`, ...extra });
const track = (userId, event, extra = {}) => ({ type: "track", userId, event, properties: {}, messageId: `m-${userId}-${event}`, ...extra });

describe("the Segment endpoint", () => {
  let server;
  before(async () => {
    server = await serve();
  });
  after(() => server.close());

  test("every route of the worker answers; unsupported calls are acknowledged and kept as skipped", async () => {
    const singles = { "/v1/identify": identify("u_r1"), "/v1/i": identify("u_r2"), "/v1/track": track("u_r3", "A"), "/v1/t": track("u_r4", "B"),
      "/v1/group": { userId: "u_r5", groupId: "g1" }, "/v1/g": { userId: "u_r6", groupId: "g2" },
      "/v1/page": { userId: "u_r7", name: "Home" }, "/v1/p": { userId: "u_r7" }, "/v1/screen": { userId: "u_r7" }, "/v1/s": { userId: "u_r7" },
      "/v1/alias": { userId: "u_r7", previousId: "a" }, "/v1/a": { userId: "u_r7", previousId: "b" } };
    for (const [route, body] of Object.entries(singles)) {
      const answer = await post(server, route, body);
      assert.equal(answer.status, 200, `${route}: ${JSON.stringify(answer.json)}`);
    }
    for (const route of ["/v1/batch", "/v1/import", "/v1/b", "/webhook"]) {
      const answer = await post(server, route, { batch: [identify(`u_${route.slice(1).replace("/", "_")}`)] });
      assert.equal(answer.status, 200, route);
    }
    const { events } = await get(server, "/inspector/events?limit=1000");
    const routes = new Set(events.map((event) => event.route));
    for (const route of [...Object.keys(singles), "/v1/batch", "/v1/import", "/v1/b", "/webhook"]) assert.ok(routes.has(route), route);
    const page = events.find((event) => event.route === "/v1/p");
    assert.equal(page.type, "page", "the type comes from the route when the body has none");
    assert.equal(page.outcome.status, "skipped");
    assert.equal(page.outcome.reason.code, "unsupported_type");
    // Not messages: not kept.
    assert.equal((await fetch(server.base + "/health")).status, 200);
    assert.equal((await post(server, "/v1/m", { series: [] })).status, 200);
    assert.equal((await get(server, "/inspector/events?limit=1000")).total, events.length);
  });

  test("the same answers as the worker: statuses, CORS for any origin, 404 and 405", async () => {
    const preflight = await fetch(server.base + "/v1/t", {
      method: "OPTIONS",
      headers: { origin: "http://shop.test", "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*", "ALLOWED_ORIGINS unset: any origin, as the worker");
    const invalid = await post(server, "/v1/track", { userId: "u" }, { origin: "http://elsewhere.test" });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.headers.get("access-control-allow-origin"), "*");
    assert.equal(invalid.json.errors[0].code, "missing_event");
    assert.equal((await fetch(server.base + "/v1/track")).status, 405);
    const missing = await post(server, "/v1/v1/t", {});
    assert.equal(missing.status, 404);
    assert.match(missing.json.message, /No route \/v1\/v1\/t: use POST \/v1\/identify/, "the worker's 404, naming its routes");
  });

  test("a batch is kept item by item, with paths into the item, its route and library", async () => {
    await fetch(server.base + "/inspector/events", { method: "DELETE" });
    const library = { name: "analytics-python", version: "2.3.0" };
    const answer = await post(server, "/v1/batch", {
      batch: [identify("u_b1", { context: { library } }), track("u_b2", "", { context: { library } }), { type: "screen", userId: "u_b3" }],
    });
    assert.equal(answer.status, 200);
    const { total, events } = await get(server, "/inspector/events");
    assert.equal(total, 3);
    assert.deepEqual(events.map((event) => event.outcome.status), ["skipped", "invalid", "mapped"], "newest first: the last item first");
    assert.deepEqual(events[1].library, library);
    assert.equal(events[1].route, "/v1/batch");
    assert.equal(events[1].outcome.errors[0].path, "/event", "the path points into the item as kept");
    assert.ok(Date.parse(events[0].receivedAt) <= Date.now());
    assert.ok(events[0].id > events[1].id);
  });

  test("write keys and Authorization are never kept or shown", async () => {
    const keyed = await serve({ environment: { SEGMENT_WRITE_KEY: "wk_secret_4b1e" } });
    try {
      assert.equal((await post(keyed, "/v1/track", track("u_k", "Paid"))).status, 401, "the key is required when set");
      assert.equal((await post(keyed, "/v1/track", track("u_k", "Paid"), { authorization: basic("wk_secret_4b1e") })).status, 200);
      assert.equal((await post(keyed, "/v1/track", { ...track("u_k2", "Paid"), writeKey: "wk_secret_4b1e" })).status, 200);
      assert.equal((await post(keyed, "/v1/batch", { writeKey: "wk_secret_4b1e", batch: [{ ...identify("u_k3"), writeKey: "wk_secret_4b1e" }] })).status, 200);
      const listed = await (await fetch(keyed.base + "/inspector/events?limit=100")).text();
      const exported = await (await fetch(keyed.base + "/inspector/export")).text();
      await keyed.store.flushed();
      const file = await readFile(keyed.file, "utf8");
      for (const text of [listed, exported, file]) {
        assert.doesNotMatch(text, /wk_secret_4b1e/);
        assert.doesNotMatch(text, /d2tfc2VjcmV0XzRiMWU6/, "nor its Basic encoding");
        assert.doesNotMatch(text, /authorization/i);
      }
      const events = JSON.parse(listed).events;
      assert.equal(events.length, 4, "the refused call is kept too, with why");
      assert.equal(events.at(-1).outcome.errors[0].code, "unauthorized");
      assert.equal(events.at(-1).http.status, 401);
    } finally {
      await keyed.close();
    }
  });

  test("hostile bodies get an answer and the server goes on", async () => {
    const nested = "[".repeat(100_000) + "]".repeat(100_000);
    const bodies = [
      "", "{", "null", "[]", "\u0000\uffff", '{"batch": 7}', '{"batch": [1, null, "x", []]}', nested,
      JSON.stringify({ userId: "u", event: "e", properties: { a: "x".repeat(40_000) } }),
      Buffer.from([0xff, 0xfe, 0x00, 0xc3]), '{"__proto__": {"polluted": 1}, "userId": "u", "event": "e"}',
    ];
    for (const route of ["/v1/track", "/v1/batch", "/webhook"]) {
      for (const body of bodies) {
        const answer = await post(server, route, body);
        assert.ok(answer.status >= 200 && answer.status < 500, `${route} ${String(body).slice(0, 20)}: ${answer.status}`);
      }
    }
    // A body over the batch limit, a gzip bomb, a lying content-length and a cut connection.
    assert.equal((await post(server, "/v1/batch", "x".repeat(600_000))).status, 413);
    const bomb = gzipSync(Buffer.alloc(5_000_000, 0x20));
    assert.equal((await post(server, "/v1/batch", bomb, { "content-encoding": "gzip" })).status, 413);
    await new Promise((resolve) => {
      const cut = httpRequest(server.base + "/v1/track", { method: "POST", headers: { "content-length": "1000" } });
      cut.on("error", () => resolve());
      cut.write('{"userId": "u", ');
      setTimeout(() => {
        cut.destroy();
        resolve();
      }, 100);
    });
    // Methods fetch's Request refuses to carry (TRACE) and ones no route takes.
    for (const method of ["TRACE", "PROPFIND", "PUT"]) {
      const status = await new Promise((resolve, reject) => {
        const req = httpRequest(server.base + "/v1/track", { method }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on("error", reject);
        req.end();
      });
      assert.ok(status === 400 || status === 405, `${method}: ${status}`);
    }
    assert.equal(({}).polluted, undefined);
    const after = await post(server, "/v1/track", track("u_after", "Still Here"));
    assert.equal(after.status, 200);
    const { events } = await get(server, "/inspector/events?messageId=m-u_after-Still%20Here");
    assert.equal(events.length, 1);
    const broken = await get(server, "/inspector/events?code=invalid_json&limit=1");
    assert.equal(typeof broken.events[0].raw, "string", "an unreadable body is kept as text, cut short");
  });

  test("the inspector answers only to localhost (no DNS rebinding)", async () => {
    const status = await new Promise((resolve, reject) => {
      const req = httpRequest(server.base + "/inspector/events", { headers: { host: "attacker.example:8080" } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 403);
    const pageFromElsewhere = await fetch(server.base + "/inspector/events", { headers: { origin: "http://attacker.example" } }).catch((e) => { throw e.cause ?? e; });
    assert.equal(pageFromElsewhere.headers.get("access-control-allow-origin"), null, "no CORS: other sites cannot read");
  });
});

describe("the level of each rule (RULES)", () => {
  test("the inspector's answers and records follow RULES, as the edge handler's do; a value that cannot be used stops the server", async () => {
    const plain = await serve();
    const tuned = await serve({ environment: { RULES: '{"near_miss_reserved":"off","id_coerced":"error"}' } });
    try {
      const message = { userId: 42, traits: { first_name: "Ada" }, messageId: "m-rules" };
      const before = await post(plain, "/v1/identify", message);
      assert.equal(before.status, 200);
      assert.deepEqual(before.json.warnings.map((issue) => issue.code).sort(), ["id_coerced", "near_miss_reserved"]);
      const after = await post(tuned, "/v1/identify", message);
      assert.equal(after.status, 400);
      assert.deepEqual(after.json.errors.map((issue) => issue.code), ["id_coerced"]);
      const { events } = await get(tuned, "/inspector/events?limit=1");
      assert.deepEqual(events[0].outcome.errors.map((issue) => issue.code), ["id_coerced"]);
      assert.deepEqual(events[0].outcome.warnings, []);
    } finally {
      plain.close();
      tuned.close();
    }
    await assert.rejects(serve({ environment: { RULES: '{"too_deep":"off"}' } }), /RULES cannot be used: option "rules": "too_deep" cannot be set/);
  });
});

describe("requests from elsewhere, and ones that never end", () => {
  let server;
  before(async () => {
    server = await serve({ bodyTimeoutMs: 300 });
  });
  after(() => server.close());

  /** The status of `method` on `route` with exactly `headers` (fetch would add its own). */
  const statusOf = (method, route, headers) =>
    new Promise((resolve, reject) => {
      const req = httpRequest(server.base + route, { method, headers }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end();
    });

  test("a page of another site cannot clear the inspector: Origin and Sec-Fetch-Site are checked", async () => {
    assert.equal((await post(server, "/v1/track", track("u_cs", "Kept"))).status, 200);
    const total = (await get(server, "/inspector/summary")).total;
    assert.ok(total > 0);
    const own = new URL(server.base).host;
    for (const headers of [
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: `http://${own.replace(/\d+$/, "1")}` },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: `http://${own}` },
      { "sec-fetch-site": "same-origin", origin: "https://evil.example" },
    ]) {
      assert.equal(await statusOf("DELETE", "/inspector/events", headers), 403, JSON.stringify(headers));
      assert.equal(await statusOf("POST", "/inspector/events", headers), 403, `POST ${JSON.stringify(headers)}`);
    }
    assert.equal((await get(server, "/inspector/summary")).total, total, "nothing was erased");
    // Reading is not changing (and no CORS header lets another site read the answer).
    assert.equal(await statusOf("GET", "/inspector/summary", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }), 200);
    // The playground's own page, and tools without a browser, may clear it.
    assert.equal(await statusOf("DELETE", "/inspector/events", { origin: `http://${own}`, "sec-fetch-site": "same-origin" }), 200);
    assert.equal((await get(server, "/inspector/summary")).total, 0);
    assert.equal(await statusOf("DELETE", "/inspector/events", {}), 200);
  });

  test("a body shorter than its Content-Length gets a 408 after the deadline, and the connection is closed", async () => {
    const answer = await new Promise((resolve, reject) => {
      const req = httpRequest(server.base + "/v1/track", { method: "POST", headers: { "content-type": "application/json", "content-length": "500" } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          const closed = new Promise((done) => (res.socket.destroyed ? done(true) : res.socket.once("close", () => done(true))));
          resolve({ status: res.statusCode, connection: res.headers.connection, body: JSON.parse(text), closed });
        });
      });
      req.on("error", reject);
      req.write('{"userId": "u_"'); // 15 bytes of the 500 promised
    });
    assert.equal(answer.status, 408);
    assert.equal(answer.connection, "close");
    // The edge handler's answer (its deadline, ASTROLABE_BODY_TIMEOUT_MS): the inspector adds none of its own.
    assert.match(answer.body.message, /did not arrive within 300 ms/);
    assert.equal(answer.body.errors[0].code, "body_timeout");
    assert.equal(await Promise.race([answer.closed, new Promise((done) => setTimeout(() => done(false), 2_000))]), true, "the connection is closed");
    // Kept as refused, with the answer the sender got; the server goes on.
    const { events } = await get(server, "/inspector/events?limit=1");
    assert.equal(events[0].http.status, 408);
    assert.equal(events[0].outcome.status, "invalid");
    assert.equal((await post(server, "/v1/track", track("u_after_slow", "Fine"))).status, 200);
  });

  test("a body that trickles in past the deadline gets a 408 too", async () => {
    const status = await new Promise((resolve, reject) => {
      const req = httpRequest(server.base + "/v1/track", { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", () => {});
      const body = JSON.stringify(track("u_trickle", "Slow"));
      let at = 0;
      const timer = setInterval(() => {
        if (at >= body.length || req.destroyed) {
          clearInterval(timer);
          if (!req.destroyed) req.end();
          return;
        }
        req.write(body[at]);
        at += 1;
      }, 50);
      req.on("close", () => clearInterval(timer));
      setTimeout(() => reject(new Error("no answer")), 5_000).unref();
    });
    assert.equal(status, 408);
  });
});

describe("the query API", () => {
  let server;
  before(async () => {
    server = await serve();
    await post(server, "/v1/batch", {
      batch: [
        identify("u_q1", { context: { library: { name: "analytics-node", version: "3.1.0" } } }),
        track("u_q1", "Order Completed"),
        track("u_q2", "Order Completed"),
        track("u_q2", "Cart Viewed"),
        { type: "track", userId: "u_q3", messageId: "m-bad" },
        { type: "group", userId: "u_q1", groupId: "acct_1", messageId: "m-group" },
        { type: "page", userId: "u_q4", messageId: "m-page" },
      ],
    });
    await post(server, "/v1/t", "{not json");
  });
  after(() => server.close());

  const ids = (answer) => answer.events.map((event) => event.message?.messageId ?? null);

  test("each filter selects exactly its messages, newest first", async () => {
    assert.deepEqual(ids(await get(server, "/inspector/events?status=invalid")), [null, "m-bad"]);
    assert.deepEqual(ids(await get(server, "/inspector/events?status=skipped")), ["m-page"]);
    assert.deepEqual(ids(await get(server, "/inspector/events?type=group")), ["m-group"]);
    assert.deepEqual(ids(await get(server, "/inspector/events?event=Order%20Completed")), ["m-u_q2-Order Completed", "m-u_q1-Order Completed"]);
    assert.deepEqual(ids(await get(server, "/inspector/events?code=missing_event")), ["m-bad"]);
    assert.deepEqual(ids(await get(server, "/inspector/events?messageId=m-group")), ["m-group"]);
    assert.deepEqual(ids(await get(server, "/inspector/events?userId=u_q2")), ["m-u_q2-Cart Viewed", "m-u_q2-Order Completed"]);
    assert.deepEqual(ids(await get(server, "/inspector/events?userId=u_q2&event=Cart%20Viewed")), ["m-u_q2-Cart Viewed"]);
    assert.deepEqual(ids(await get(server, "/inspector/events?text=acct_1")), ["m-group"]);
    const limited = await get(server, "/inspector/events?limit=2");
    assert.equal(limited.events.length, 2);
    assert.equal(limited.total, 8);
    assert.equal(limited.matched, 8);
    assert.deepEqual(ids(await get(server, "/inspector/events?messageId=none")), []);
  });

  test("since: what arrived at or after a time", async () => {
    const all = (await get(server, "/inspector/events?limit=100")).events;
    const later = new Date(Date.now() + 60_000).toISOString();
    assert.equal((await get(server, `/inspector/events?since=${later}`)).events.length, 0);
    const since = all.at(-1).receivedAt;
    assert.equal((await get(server, `/inspector/events?since=${encodeURIComponent(since)}`)).events.length, all.length);
    assert.equal((await get(server, "/inspector/events?since=not-a-time")).events.length, 0, "a bad time selects nothing, not everything");
  });

  test("the summary adds up: statuses to the total, codes to the messages that have them", async () => {
    const summary = await get(server, "/inspector/summary");
    assert.equal(summary.total, 8);
    assert.equal(summary.dropped, 0);
    assert.equal(Object.values(summary.byStatus).reduce((a, b) => a + b, 0), summary.total);
    assert.deepEqual(summary.byStatus, { mapped: 5, skipped: 1, invalid: 2 });
    for (const [code, count] of Object.entries(summary.byCode)) {
      assert.equal((await get(server, `/inspector/events?code=${code}&limit=0`)).matched, count, code);
    }
    assert.equal(summary.byCode.invalid_json, 1);
  });

  test("export gives every message as JSON Lines; DELETE clears", async () => {
    const response = await fetch(server.base + "/inspector/export");
    assert.match(response.headers.get("content-type"), /ndjson/);
    const lines = (await response.text()).trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(lines.length, 8);
    assert.ok(lines[0].id < lines.at(-1).id, "oldest first, as the file");
    assert.equal((await fetch(server.base + "/inspector/events", { method: "DELETE" })).status, 200);
    assert.deepEqual(await get(server, "/inspector/summary"), { total: 0, dropped: 0, inMemory: 0, byStatus: { mapped: 0, skipped: 0, invalid: 0 }, byCode: {} });
    await server.store.flushed();
    assert.equal((await readFile(server.file, "utf8")).length, 0);
  });
});

describe("bounds and restarts", () => {
  test("20,000 messages: 10,000 kept (the default limit), 10,000 counted as dropped, the file bounded", async () => {
    const server = await serve();
    try {
      for (let request = 0; request < 40; request += 1) {
        const batch = Array.from({ length: 500 }, (_, i) => track(`u_${request}_${i}`, "Bulk Sent"));
        assert.equal((await post(server, "/v1/batch", { batch })).status, 200);
      }
      const summary = await get(server, "/inspector/summary");
      assert.equal(summary.total, 10_000);
      assert.equal(summary.dropped, 10_000);
      assert.equal(server.store.total, 10_000);
      const newest = await get(server, "/inspector/events?limit=1");
      assert.equal(newest.events[0].message.userId, "u_39_499");
      const all = await get(server, "/inspector/events?limit=10000");
      assert.equal(all.events.at(-1).message.userId, "u_20_0", "the oldest kept is the 10,001st sent");
      await server.store.flushed();
      const lines = (await readFile(server.file, "utf8")).split("\n").filter(Boolean).length;
      assert.ok(lines <= 20_000 && lines >= 10_000, `${lines} lines in the file`);
    } finally {
      await server.close();
    }
  });

  test("a restart keeps the history (and a cut last line does not lose it)", async () => {
    const file = path.join(dir, "restart.jsonl");
    const first = await serve({ file, limit: 5 });
    for (let i = 0; i < 7; i += 1) await post(first, "/v1/track", track(`u_r${i}`, "Clicked"));
    await first.close();
    await writeFile(file, (await readFile(file, "utf8")) + '{"id": 99, "receivedAt": "cut sho');
    const second = await serve({ file, limit: 5 });
    try {
      const kept = await get(second, "/inspector/events");
      assert.equal(kept.total, 5);
      assert.deepEqual(kept.events.map((event) => event.message.userId), ["u_r6", "u_r5", "u_r4", "u_r3", "u_r2"]);
      await post(second, "/v1/track", track("u_r7", "Clicked"));
      const after = await get(second, "/inspector/events?limit=1");
      assert.ok(after.events[0].id > kept.events[0].id, "ids go on from the history");
      await second.store.flushed();
      const lines = (await readFile(file, "utf8")).split("\n").filter(Boolean).length;
      assert.ok(lines <= 10, `the file is compacted: ${lines} lines`);
    } finally {
      await second.close();
    }
  });
});

describe("upstream", () => {
  test("nothing is forwarded without ASTROLABE_ENDPOINT; with it, mapped operations go there", async () => {
    const calls = [];
    const realFetch = globalThis.fetch;
    // Watches the process's own outgoing fetches (the handler's upstream calls use it).
    globalThis.fetch = (input, init) => {
      calls.push(String(input?.url ?? input));
      return realFetch(input, init);
    };
    const upstream = await startUpstream();
    const local = await serve();
    const forwarding = await serve({ environment: { ASTROLABE_ENDPOINT: upstream.url, ASTROLABE_API_KEY: "ak_test" } });
    try {
      assert.equal((await post(local, "/v1/track", track("u_up", "Local"))).status, 200);
      assert.deepEqual(calls.filter((url) => !url.startsWith(local.base)), [], "no request left the inspector");
      assert.equal(upstream.requests.length, 0);
      assert.equal((await post(forwarding, "/v1/track", track("u_up", "Forwarded"))).status, 200);
      assert.equal(upstream.requests.length, 1);
      assert.equal(upstream.requests[0].json.operations[0].event, "Forwarded");
    } finally {
      globalThis.fetch = realFetch;
      await Promise.all([local.close(), forwarding.close(), upstream.close()]);
    }
  });
});

describe("analytics-node", () => {
  test("sends to the inspector as an app would (host only), and every message is kept as sent", async () => {
    const server = await serve();
    try {
      const analytics = new Analytics({ writeKey: "wk_node", host: server.base, flushAt: 3 });
      analytics.identify({ userId: "u_node", traits: { email: "grace@example.com" } });
      analytics.group({ userId: "u_node", groupId: "acct_node" });
      analytics.track({ userId: "u_node", event: "Order Completed", properties: { total: 42 } });
      analytics.track({ anonymousId: "anon", event: "" });
      await analytics.closeAndFlush({ timeout: 5_000 });
      const { events } = await get(server, "/inspector/events");
      assert.equal(events.length, 4);
      assert.ok(events.every((event) => event.route === "/v1/batch"));
      assert.ok(events.every((event) => event.library?.name === "@segment/analytics-node"));
      // Its batches may arrive in either order: compare by type, not by position.
      const byType = Object.fromEntries(events.map((event) => [`${event.type} ${event.message.event ?? ""}`, event.outcome]));
      assert.deepEqual(Object.keys(byType).sort(), ["group ", "identify ", "track ", "track Order Completed"]);
      assert.equal(byType["track "].errors[0].code, "missing_event");
      for (const key of ["group ", "identify ", "track Order Completed"]) assert.equal(byType[key].status, "mapped", key);
    } finally {
      await server.close();
    }
  });
});
