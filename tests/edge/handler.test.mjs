// The handler and its helpers, in Node (the modules are runtime-neutral): pkg/edge/, the package's
// `astrolabe-segment/edge`.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { originPolicy } from "../../pkg/edge/cors.js";
import { basicUser, bodyWriteKeys, constantTimeEqual, signatureValid } from "../../pkg/edge/credentials.js";
import { parseRetryAfter } from "../../pkg/edge/delivery.js";
import { createHandler, findRoute, signatureOf } from "../../pkg/edge/index.js";
import { skippedStatus } from "../../pkg/edge/routes.js";

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

test("createHandler refuses what it cannot use, naming it", () => {
  assert.throws(() => createHandler("ASTROLABE_ENDPOINT=x"), { name: "TypeError", message: /settings must be an object/ });
  assert.throws(() => createHandler({}, { destination: {} }), { name: "TypeError", message: /deps\.destination .*mapJson/ });
  assert.throws(() => createHandler({}, { destinaton: {} }), { name: "TypeError", message: /unknown dependency "destinaton"; known: destination, fetch/ });
  assert.throws(() => createHandler({}, { fetch: "http://x" }), { name: "TypeError", message: /deps\.fetch must be a function/ });
});

test("RULES sets the level of rules (docs/rules.md): per value of the setting, given at creation or with each request", async () => {
  const upstream = [];
  const fetch = async (url, init) => {
    upstream.push(JSON.parse(init.body));
    return new Response("{}", { status: 200 });
  };
  // A messageId, so that the handler derives none (and says so with a warning of its own).
  const body = JSON.stringify({ userId: 42, messageId: "m-1", traits: { first_name: "Ada" } });
  const identify = () => new Request("http://edge/v1/identify", { method: "POST", body });
  // Default: both warnings, the message forwarded.
  const plain = createHandler(settings, { fetch, log: () => {} });
  let answer = await (await plain(identify(), {})).json();
  assert.deepEqual(answer.warnings.map((issue) => issue.code).sort(), ["id_coerced", "near_miss_reserved"]);
  // One turned off, one made an error: refused with a 400, nothing forwarded.
  const strictIds = createHandler({ ...settings, RULES: '{"near_miss_reserved":"off","id_coerced":"error"}' }, { fetch, log: () => {} });
  const response = await strictIds(identify(), {});
  assert.equal(response.status, 400);
  answer = await response.json();
  assert.deepEqual(answer.errors.map((issue) => issue.code), ["id_coerced"]);
  assert.equal(upstream.length, 1);
  // From a Worker's bindings, per request.
  answer = await (await plain(identify(), { RULES: '{"near_miss_reserved":"off","id_coerced":"off"}' })).json();
  assert.deepEqual(answer.warnings, []);
  // A value that cannot be used: refused at creation, or a 500 saying why with each request.
  assert.throws(() => createHandler({ RULES: '{"invalid_json":"off"}' }), { name: "TypeError", message: /RULES cannot be used: option "rules": "invalid_json" cannot be set/ });
  assert.throws(() => createHandler({ RULES: "{near_miss_reserved: off}" }), { message: /RULES is not JSON/ });
  const refused = await plain(identify(), { RULES: '{"near_miss_reservd":"off"}' });
  assert.equal(refused.status, 500);
  assert.match((await refused.json()).message, /did you mean "near_miss_reserved"\?/);
});

test("an exception inside is a 500 and a log line, never a 200", async () => {
  const lines = [];
  const handle = createHandler({}, {
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
  const handle = createHandler({}, {
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
  let inFlight;
  const holding = new Promise((resolve) => (inFlight = resolve));
  const handle = createHandler({}, {
    destination: mapsOne,
    log: () => {},
    fetch: async () => {
      inFlight();
      await held;
      return new Response("{}", { status: 200 });
    },
  });
  const env = { ...settings, ASTROLABE_MAX_CONCURRENT: "1", ASTROLABE_RETRY_BUDGET_MS: "5000", ASTROLABE_ATTEMPT_TIMEOUT_MS: "5000" };
  const first = handle(track(), env);
  // The first holds the only slot before the second asks for one (reading each body is async, so
  // on a loaded machine the second could otherwise reach the gate first).
  await holding;
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
  const handle = createHandler({}, {
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

test("settings given to createHandler apply to every request; a request's env (Workers' bindings) comes over them", async () => {
  const seen = [];
  const handle = createHandler({ ...settings, PATH: "/usr/bin", ASTROLABE_RETRY_MAX_ATTEMPTS: "1" }, {
    destination: mapsOne,
    log: () => {},
    fetch: async (url, init) => {
      seen.push([url, init.headers.authorization]);
      return new Response("{}", { status: 200 });
    },
  });
  assert.equal((await handle(track())).status, 200);
  assert.equal((await handle(track(), { ASTROLABE_ENDPOINT: "http://other.test/ops", unrelated: {} })).status, 200);
  assert.deepEqual(seen, [
    ["http://upstream.test/v1/operations", "Bearer ak"],
    ["http://other.test/ops", "Bearer ak"],
  ]);
  const unset = await handle(track(), { ASTROLABE_API_KEY: "" });
  assert.equal(unset.status, 500);
  assert.match((await unset.json()).message, /not configured/);
});

test("without a destination, the handler maps with the package's own engine", async () => {
  const sent = [];
  const handle = createHandler(settings, {
    log: () => {},
    fetch: async (url, init) => {
      sent.push(JSON.parse(init.body));
      return new Response("{}", { status: 200 });
    },
  });
  const response = await handle(new Request("http://edge/v1/identify", { method: "POST", body: '{"userId": 7, "messageId": "m1"}' }));
  assert.equal(response.status, 200);
  assert.deepEqual((await response.json()).warnings.map((warning) => warning.code), ["id_coerced"]);
  assert.deepEqual(sent, [{ operations: [{ op: "upsertUser", userId: "7", traits: {}, messageId: "m1" }] }]);
});

/** A request whose body sends `first` and then nothing, never ending: a sender that stalled. */
function stalled(first, path = "/v1/track") {
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
    },
  });
  return new Request(`http://edge${path}`, { method: "POST", body, duplex: "half" });
}

test("a body that stalls gets a 408 (body_timeout) at ASTROLABE_BODY_TIMEOUT_MS, asking for the connection to close", async () => {
  const lines = [];
  let upstream = 0;
  const handle = createHandler({ ...settings, ASTROLABE_BODY_TIMEOUT_MS: "50" }, {
    destination: mapsOne,
    log: (line) => lines.push(JSON.parse(line)),
    fetch: async () => {
      upstream += 1;
      return new Response("{}", { status: 200 });
    },
  });
  for (const path of ["/v1/track", "/v1/batch", "/webhook"]) {
    const started = Date.now();
    const response = await handle(stalled('{"userId": "u", "event": "E"', path));
    assert.ok(Date.now() - started >= 45, "answered at the deadline, not before");
    assert.equal(response.status, 408, path);
    assert.equal(response.headers.get("connection"), "close");
    const body = await response.json();
    assert.deepEqual(body.errors.map((error) => [error.code, error.path]), [["body_timeout", ""]]);
    assert.match(body.message, /within 50 ms \(ASTROLABE_BODY_TIMEOUT_MS\); nothing was forwarded/);
  }
  assert.deepEqual(lines.map((line) => [line.status, line.error]), Array(3).fill([408, "body_timeout"]));
  assert.equal(upstream, 0);
});

test("the deadline counts the whole body: a gzip body that stalls too, and a slow one that arrives in time is read", async () => {
  const handle = createHandler({ ...settings, ASTROLABE_BODY_TIMEOUT_MS: "400" }, {
    destination: mapsOne,
    log: () => {},
    fetch: async () => new Response("{}", { status: 200 }),
  });
  const gzip = new Request("http://edge/v1/track", {
    method: "POST",
    headers: { "content-encoding": "gzip" },
    body: new ReadableStream({ start: (controller) => controller.enqueue(new Uint8Array([0x1f, 0x8b, 0x08, 0])) }),
    duplex: "half",
  });
  assert.equal((await handle(gzip)).status, 408);
  const parts = ['{"userId": "u", ', '"event": ', '"E"}'];
  const slow = new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (parts.length === 0) controller.close();
      else controller.enqueue(new TextEncoder().encode(parts.shift()));
    },
  });
  const response = await handle(new Request("http://edge/v1/track", { method: "POST", body: slow, duplex: "half" }));
  assert.equal(response.status, 200, await response.clone().text());
});

test("findRoute: long and one-letter paths, a trailing slash, nothing inherited", () => {
  assert.equal(findRoute("/v1/t").type, "track");
  assert.equal(findRoute("/v1/track/").path, "/v1/track");
  assert.equal(findRoute("/v1/b").kind, "batch");
  assert.equal(findRoute("/webhook").kind, "delivery");
  assert.equal(findRoute("/v1/x"), undefined);
  assert.equal(findRoute("/toString"), undefined);
  assert.equal(findRoute("/__proto__"), undefined);
});

test("skippedStatus: 501 only for an unsupported type delivered by Segment to /webhook", () => {
  const unsupported = { code: "unsupported_type" };
  assert.equal(skippedStatus(findRoute("/webhook"), unsupported), 501);
  assert.equal(skippedStatus(findRoute("/webhook"), { code: "disabled_by_integrations" }), 200);
  for (const path of ["/v1/page", "/v1/p", "/v1/track", "/v1/batch", "/v1/b"]) {
    assert.equal(skippedStatus(findRoute(path), unsupported), 200, path);
  }
});

test("originPolicy: unset, *, lists written loosely, mistakes named", () => {
  assert.deepEqual(originPolicy(undefined), { any: true });
  assert.deepEqual(originPolicy(" * "), { any: true });
  assert.deepEqual(originPolicy("https://a.example, *"), { any: true });
  assert.deepEqual([...originPolicy(" HTTPS://A.example/ ,http://127.0.0.1:8080,,null").origins], ["https://a.example", "http://127.0.0.1:8080", "null"]);
  assert.deepEqual([...originPolicy("https://a.example:443").origins], ["https://a.example"]);
  for (const entry of ["a.example", "https://a.example/app", "ftp://a.example", "https://*.a.example", "https://a.example?x"]) {
    assert.deepEqual(originPolicy(`https://ok.example, ${entry}`), { invalid: entry }, entry);
  }
});

test("bodyWriteKeys: the envelope's, else every item's", () => {
  const keys = (value) => bodyWriteKeys(new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value)));
  assert.deepEqual(keys({ writeKey: "a", batch: [{ writeKey: "b" }] }), ["a"]);
  assert.deepEqual(keys({ batch: [{ writeKey: "a" }, { writeKey: "b" }] }), ["a", "b"]);
  assert.deepEqual(keys([{ writeKey: "a" }]), ["a"]);
  assert.equal(keys({ batch: [{ writeKey: "a" }, {}] }), undefined);
  assert.equal(keys({ batch: [{ writeKey: "a" }, null] }), undefined);
  assert.equal(keys({ batch: [] }), undefined);
  assert.equal(keys({ writeKey: 7 }), undefined);
  assert.equal(keys("not json"), undefined);
  assert.equal(keys(new Uint8Array([0xff])), undefined);
});

test("signatureValid: Segment's hex HMAC-SHA1 of the exact bytes, either case; nothing else", async () => {
  const bytes = new TextEncoder().encode('{"type": "track", "event": "É"}');
  const good = createHmac("sha1", "s3cret").update(bytes).digest("hex");
  assert.equal(await signatureOf(bytes, "s3cret"), good);
  assert.equal(await signatureValid(bytes, good, "s3cret"), true);
  assert.equal(await signatureValid(bytes, ` ${good.toUpperCase()} `, "s3cret"), true);
  assert.equal(await signatureValid(bytes, good, "other"), false);
  assert.equal(await signatureValid(bytes.slice(1), good, "s3cret"), false);
  assert.equal(await signatureValid(bytes, good.slice(2), "s3cret"), false);
  assert.equal(await signatureValid(bytes, `${good}00`, "s3cret"), false);
  assert.equal(await signatureValid(bytes, null, "s3cret"), false);
});

// ---- The quarantine (docs/quarantine.md) ------------------------------------------------------

const WRITE_KEY = "wk_secret_1";
const auth = { authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString("base64")}` };
const quarantined = { ...settings, SEGMENT_WRITE_KEY: WRITE_KEY, QUARANTINE_ENDPOINT: "http://quarantine.test/v1/records", QUARANTINE_API_KEY: "qk", ASTROLABE_RETRY_BASE_MS: "1" };
/** A batch with a valid identify, a track without event (index 1) and a big number kept as sent. */
const mixedBatch = `{"writeKey": "${WRITE_KEY}", "sentAt": "2026-12-07T19:59:59.000Z",
  "batch": [
    {"type": "identify", "userId": "u1", "messageId": "m-1"},
    {"type": "track", "userId": "u1", "messageId": "m-2", "writeKey": "${WRITE_KEY}", "properties": {"n": 12345678901234567890123}}
  ]}`;
const post = (path, body, headers = {}) => new Request(`http://edge${path}`, { method: "POST", body, headers });

/** A fetch double that answers the quarantine's sink with `sink(attempt)` and Astrolabe with 200, recording both. */
function sinkAnd(sink) {
  const calls = { sink: [], upstream: [] };
  const fetch = async (url, init) => {
    if (String(url).startsWith("http://quarantine.test/")) {
      calls.sink.push({ url: String(url), ...init });
      return sink(calls.sink.length, init);
    }
    calls.upstream.push(JSON.parse(init.body));
    return new Response("{}", { status: 200 });
  };
  return { calls, fetch };
}

test("refused messages go to the quarantine's endpoint first, then the valid ones upstream", async () => {
  const { calls, fetch } = sinkAnd(async () => new Response("{}", { status: 201 }));
  const lines = [];
  const handle = createHandler(quarantined, { fetch, log: (line) => lines.push(JSON.parse(line)), sleep: async () => {} });
  const response = await handle(post("/v1/batch", mixedBatch), {});
  assert.equal(response.status, 200);
  const answer = await response.json();
  assert.deepEqual([answer.forwarded, answer.rejected.length], [1, 1]);
  const id = response.headers.get("x-request-id");
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.equal(calls.sink.length, 1);
  assert.equal(calls.upstream.length, 1);
  const [sent] = calls.sink;
  assert.equal(sent.method, "POST");
  assert.equal(sent.redirect, "manual");
  assert.equal(sent.headers["content-type"], "application/x-ndjson");
  assert.equal(sent.headers.authorization, "Bearer qk");
  assert.match(sent.headers["idempotency-key"], /^[0-9a-f]{64}$/);
  assert.ok(sent.body.endsWith("\n"));
  const records = sent.body.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.equal(records.length, 1);
  assert.deepEqual(Object.keys(records[0]), ["quarantine", "receivedAt", "route", "requestId", "index", "errors", "message", "envelope"]);
  assert.equal(records[0].route, "/v1/batch");
  assert.equal(records[0].requestId, id);
  assert.equal(records[0].index, 1);
  assert.equal(records[0].errors[0].code, "missing_event");
  assert.match(records[0].receivedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  // The message's text as sent, big number and all, without its write key; the envelope's sentAt.
  assert.ok(sent.body.includes('"message":{"type": "track", "userId": "u1", "messageId": "m-2", "properties": {"n": 12345678901234567890123}}'), sent.body);
  assert.ok(sent.body.includes('"envelope":{"sentAt":"2026-12-07T19:59:59.000Z"}'), sent.body);
  // No write key, no Authorization header, anywhere in what was stored.
  assert.ok(!sent.body.includes(WRITE_KEY) && !sent.body.includes("writeKey") && !sent.body.includes("Basic"));
  assert.equal(lines.length, 1);
  assert.equal(lines[0].quarantined, 1);
  assert.equal(lines[0].requestId, id);
  assert.equal(lines[0].quarantineAttempts, 1);
});

test("a refused single message is stored, then still gets its 400; a sender's retry gets the same Idempotency-Key", async () => {
  const { calls, fetch } = sinkAnd(async () => new Response("{}", { status: 200 }));
  const handle = createHandler(quarantined, { fetch, log: () => {} });
  const body = '{"userId": "u1",\n "writeKey": "' + WRITE_KEY + '"}';
  const first = await handle(post("/v1/track", body), {});
  const again = await handle(post("/v1/track", body, { "x-retry-count": "1" }), {});
  assert.deepEqual([first.status, again.status], [400, 400]);
  assert.equal((await first.json()).errors[0].code, "missing_event");
  assert.equal(calls.sink.length, 2);
  assert.equal(calls.upstream.length, 0);
  assert.equal(calls.sink[0].headers["idempotency-key"], calls.sink[1].headers["idempotency-key"]);
  assert.notEqual(first.headers.get("x-request-id"), again.headers.get("x-request-id"));
  const record = JSON.parse(calls.sink[0].body);
  assert.equal(record.index, null);
  assert.deepEqual(record.message, { userId: "u1" });
  assert.ok(calls.sink[0].body.includes('"message":{"userId": "u1"}'), calls.sink[0].body);
  // Another body, another key.
  await handle(post("/v1/track", '{"userId": "u2"}', auth), {});
  assert.notEqual(calls.sink[2].headers["idempotency-key"], calls.sink[0].headers["idempotency-key"]);
});

test("bodies refused as a whole are stored as body; requests refused before the body is read are not", async () => {
  const { calls, fetch } = sinkAnd(async () => new Response("{}", { status: 200 }));
  const handle = createHandler(quarantined, { fetch, log: () => {} });
  assert.equal((await handle(post("/v1/batch", "{\"batch\": [", auth), {})).status, 400);
  assert.equal(JSON.parse(calls.sink[0].body).body, "{\"batch\": [");
  assert.equal(JSON.parse(calls.sink[0].body).errors[0].code, "invalid_json");
  // A batch to a single route, a message to a batch route: refused as a whole, as answered.
  assert.equal((await handle(post("/v1/identify", '{"batch": [{"userId": "u1"}]}', auth), {})).status, 400);
  assert.equal(JSON.parse(calls.sink[1].body).errors[0].code, "invalid_type");
  assert.equal((await handle(post("/v1/batch", '{"type": "identify", "userId": "u1"}', auth), {})).status, 400);
  assert.equal(JSON.parse(calls.sink[2].body).errors[0].code, "invalid_batch");
  // Not authenticated, too large: nothing kept.
  assert.equal((await handle(post("/v1/track", '{"userId": "u1"}'), {})).status, 401);
  assert.equal((await handle(post("/v1/track", `{"userId": "${"x".repeat(40_000)}"}`, auth), {})).status, 413);
  assert.equal(calls.sink.length, 3);
  // Valid and skipped messages: nothing to keep, no request to the sink.
  assert.equal((await handle(post("/v1/page", '{"userId": "u1"}', auth), {})).status, 200);
  assert.equal((await handle(post("/v1/identify", '{"userId": "u1"}', auth), {})).status, 200);
  assert.equal(calls.sink.length, 3);
});

test("deps.quarantine takes the records instead of an endpoint; when it throws, 503 and nothing forwarded", async () => {
  const stored = [];
  let fail = false;
  const upstream = [];
  const fetch = async (url, init) => {
    upstream.push(String(url));
    return new Response("{}", { status: 200 });
  };
  const lines = [];
  const handle = createHandler(settings, {
    fetch,
    log: (line) => lines.push(JSON.parse(line)),
    quarantine: async (text) => {
      if (fail) throw new Error("disk full");
      stored.push(text);
    },
  });
  const body = '[{"type": "identify", "userId": "u1"}, {"type": "group", "userId": "u1"}]';
  let response = await handle(post("/v1/batch", body), {});
  assert.equal(response.status, 200);
  assert.equal(stored.length, 1);
  assert.equal(JSON.parse(stored[0]).index, 1);
  assert.equal(JSON.parse(stored[0]).errors[0].code, "missing_group_id");
  assert.deepEqual(upstream, [settings.ASTROLABE_ENDPOINT]);
  fail = true;
  response = await handle(post("/v1/batch", body), {});
  assert.equal(response.status, 503);
  assert.ok(Number(response.headers.get("retry-after")) >= 1);
  assert.match((await response.json()).message, /could not be stored.*Nothing was forwarded/);
  assert.equal(upstream.length, 1);
  assert.equal(lines.at(-1).error, "quarantine_failed");
  assert.equal(lines.at(-1).quarantined, 0);
  // deps.quarantine needs a Destination that writes the records.
  assert.throws(() => createHandler({}, { destination: mapsOne, quarantine: async () => {} }), { name: "TypeError", message: /needs quarantine/ });
});

test("sink faults (5xx, a hang past the timeout, a redirect, a 4xx refusal) each end in a 503 with nothing forwarded", async () => {
  const faults = {
    "5xx": async () => new Response("down", { status: 500 }),
    hang: (_, init) => new Promise((_resolve, reject) => init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))),
    redirect: async () => new Response(null, { status: 307, headers: { location: "http://elsewhere.test/" } }),
    "4xx": async () => new Response("bad key", { status: 401 }),
  };
  for (const [name, sink] of Object.entries(faults)) {
    const { calls, fetch } = sinkAnd(sink);
    const lines = [];
    const handle = createHandler({ ...quarantined, ASTROLABE_RETRY_BUDGET_MS: "400", ASTROLABE_ATTEMPT_TIMEOUT_MS: "60" }, {
      fetch,
      log: (line) => lines.push(JSON.parse(line)),
      sleep: async () => {},
    });
    const response = await handle(post("/v1/batch", mixedBatch), {});
    assert.equal(response.status, 503, name);
    assert.ok(Number(response.headers.get("retry-after")) >= 1, name);
    assert.ok(response.headers.get("x-request-id"), name);
    assert.equal(calls.upstream.length, 0, name);
    assert.ok(calls.sink.length >= 1, name);
    assert.match(lines[0].error, /^quarantine_/, name);
    assert.equal(lines[0].quarantined, 0, name);
    // Retried while retrying can help; a redirect or a refusal once.
    assert.equal(calls.sink.length > 1, name === "5xx" || name === "hang", name);
    // Every attempt the same key, and never to a redirect's target.
    assert.equal(new Set(calls.sink.map((call) => call.headers["idempotency-key"])).size, 1, name);
    assert.ok(calls.sink.every((call) => call.url === quarantined.QUARANTINE_ENDPOINT), name);
  }
});

test("without a quarantine, refused messages are not kept and nothing changes", async () => {
  const { calls, fetch } = sinkAnd(async () => new Response("{}", { status: 200 }));
  const { QUARANTINE_ENDPOINT, ...plain } = quarantined;
  const handle = createHandler(plain, { fetch, log: () => {} });
  const response = await handle(post("/v1/batch", mixedBatch), {});
  assert.equal(response.status, 200);
  assert.equal(calls.sink.length, 0);
  assert.equal(calls.upstream.length, 1);
  assert.ok(response.headers.get("x-request-id"));
});

test("PRIVACY (docs/privacy.md): redact forwards the found part replaced; block quarantines the message; no answer or log line repeats the value", async () => {
  const email = "jane.doe@example.com";
  const upstream = [];
  const fetch = async (url, init) => {
    upstream.push(String(init.body));
    return new Response("{}", { status: 200 });
  };
  const lines = [];
  const message = JSON.stringify({ userId: "u1", event: "Commented", messageId: "m-p", properties: { comment: `write to ${email}` } });
  const redacting = createHandler({ ...settings, PRIVACY: '{"action":"redact"}' }, { fetch, log: (line) => lines.push(line) });
  let response = await redacting(post("/v1/track", message), {});
  let answer = await response.text();
  assert.equal(response.status, 200, answer);
  assert.match(answer, /pii_detected/);
  assert.equal(JSON.parse(upstream[0]).operations[0].properties.comment, "write to [email]");

  const stored = [];
  const blocking = createHandler({ ...settings, PRIVACY: '{"action":"block","detect":["email"]}' }, {
    fetch,
    log: (line) => lines.push(line),
    quarantine: async (text) => stored.push(text),
  });
  response = await blocking(post("/v1/track", message), {});
  answer = await response.text();
  assert.equal(response.status, 400, answer);
  assert.deepEqual(JSON.parse(answer).errors.map((error) => [error.code, error.path]), [["pii_detected", "/properties/comment"]]);
  assert.equal(upstream.length, 1, "nothing more forwarded");
  const record = JSON.parse(stored[0]);
  assert.deepEqual(record.errors.map((error) => error.code), ["pii_detected"]);
  // The quarantine keeps the message as received (to replay it); its errors never quote it.
  assert.equal(record.message.properties.comment, `write to ${email}`);
  assert.ok(!JSON.stringify(record.errors).includes(email));
  for (const text of [answer, ...lines]) assert.ok(!text.includes(email), text);

  // A hash needs its key, which may come as a setting of its own; a bad PRIVACY is named.
  const hashing = createHandler({ ...settings, PRIVACY: '{"action":"hash"}', PRIVACY_HASH_KEY: "k".repeat(32) }, { fetch, log: () => {} });
  response = await hashing(post("/v1/track", message), {});
  assert.equal(response.status, 200);
  assert.match(JSON.parse(upstream.at(-1)).operations[0].properties.comment, /^write to [0-9a-f]{64}$/);
  assert.throws(() => createHandler({ PRIVACY: '{"action":"hash"}' }), { name: "TypeError", message: /PRIVACY cannot be used: option "privacy": "action": "hash" needs "hashKey"/ });
  assert.throws(() => createHandler({ PRIVACY: "{action" }), { name: "TypeError", message: /PRIVACY is not JSON/ });
});
