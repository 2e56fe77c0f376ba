// Load and fault test of the edge worker: the example served by real workerd in front of a
// fault-injecting upstream on loopback (fault-upstream.mjs), driven by concurrent SDK-like senders
// for EDGE_LOAD_SECONDS (default 60). First a few faults forced one by one, then the load, then
// the invariants the worker promises, each its own test so that a report names what broke.
// Refused messages go to a second fault upstream, the quarantine's sink (docs/quarantine.md),
// which gets faults too: every message a sender got a 2xx for must be stored upstream or there.
//
//   node --test tests/edge/load.test.mjs                      (after make test-edge has linked the package)
//   EDGE_LOAD_SECONDS=10 node --test tests/edge/load.test.mjs  a quick run
//   EDGE_LOAD_SEED=7 ...                                      other fault and message sequences
import assert from "node:assert/strict";
import { before, after, describe, test } from "node:test";
import { performance } from "node:perf_hooks";
import { parsedOrUndefined, startWorkerd } from "./harness.mjs";
import { prng, startFaultUpstream } from "./fault-upstream.mjs";
import { descendantsNamed, rssKiB } from "./proc.mjs";

const LOAD_SECONDS = positive(process.env.EDGE_LOAD_SECONDS, 60);
const SEED = Math.floor(positive(process.env.EDGE_LOAD_SEED, 20_261_117));
const SENDERS = 12;
const FAULT_RATE = 0.3;
const API_KEY = "ak_load_5e0b7c2d91f4";
const SINK_KEY = "qk_load_0a7d3e91c2b5";
const BUDGET_MS = 3_000;
const ATTEMPT_TIMEOUT_MS = 700;
/** What a sender request may take beyond the worker's budget (backoff, queueing on 2 cores). */
const SLACK_MS = 2_000;
/** A sender sends the same bytes at most this many times, like Segment's SDKs. */
const SENDER_ATTEMPTS = 4;
const HEALTH_EVERY_MS = 500;

function positive(value, fallback) {
  const number = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(number) && number > 0 ? number : fallback;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let upstream;
let quarantine; // the quarantine's sink
let edge;
let workerdPid;

before(async () => {
  upstream = await startFaultUpstream({ apiKey: API_KEY, seed: SEED, faultRate: 0 });
  quarantine = await startFaultUpstream({ apiKey: SINK_KEY, seed: SEED + 1, faultRate: 0, format: "quarantine" });
  edge = await startWorkerd({
    QUARANTINE_ENDPOINT: quarantine.url,
    QUARANTINE_API_KEY: SINK_KEY,
    ASTROLABE_ENDPOINT: upstream.url,
    ASTROLABE_API_KEY: API_KEY,
    ASTROLABE_RETRY_BUDGET_MS: String(BUDGET_MS),
    ASTROLABE_RETRY_BASE_MS: "20",
    ASTROLABE_RETRY_MAX_ATTEMPTS: "5",
    ASTROLABE_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
  });
  [workerdPid] = descendantsNamed("workerd");
});

after(async () => {
  await edge?.stop();
  await Promise.all([upstream?.close(), quarantine?.close()]);
});

// ---------------------------------------------------------------------------------------------
// Messages. Each valid one carries a unique marker (traits.seq / properties.seq) so that its
// operations can be found in the upstream's storage by content; associateUser has no traits, so
// each group call has its own groupId. Invalid and skipped ones carry BAD- and SKIP- markers that
// must never reach the upstream.

/** Where an operation comes from: its op and marker, or op, groupId and userId for associateUser. */
function identityOf(operation) {
  const seq = operation?.traits?.seq ?? operation?.properties?.seq;
  if (typeof seq === "string") return `${operation.op}|${seq}`;
  if (operation?.op === "associateUser") return `${operation.op}|${operation.groupId}|${operation.userId}`;
  return undefined;
}

const FORBIDDEN_MARKER = /"(BAD|SKIP)-[^"]*"/;
/**
 * What the quarantine must never hold: a valid message, or a batch's skipped one (a "skipped" single
 * sent without `type` to /v1/group is a group call without groupId, refused by the route's type).
 */
const notRefused = (record) => /"seq":"L-[^"]*"/.test(record.line) || (record.index !== null && /"seq":"SKIP-[^"]*"/.test(record.line));

/** JSON text, BigInts written with all their digits (a number no double holds, kept as sent). */
function text(value) {
  return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `\u0000big:${v}` : v)).replace(/"\\u0000big:(-?\d+)"/g, "$1");
}

/** The text of a quarantine record's `message` as it stands in its line, or undefined. */
function messageText(line) {
  const end = line.includes(',"envelope":') ? line.lastIndexOf(',"envelope":') : line.length - 1;
  const start = line.lastIndexOf(',"message":', end);
  return start === -1 ? undefined : line.slice(start + ',"message":'.length, end);
}

/** A sender's message factory: deterministic for a given seed and sender. */
function messages(sender, seed) {
  const random = prng(seed * 31 + sender);
  let n = 0;
  const pick = (list) => list[Math.floor(random() * list.length)];
  const user = () => `user-${sender}-${Math.floor(random() * 40)}`;
  const stamp = () => new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 86_400_000)).toISOString();

  function valid(type, typed) {
    n += 1;
    const seq = `L-${sender}-${n}`;
    const userId = user();
    const common = {};
    if (typed) common.type = type;
    // SDKs send both; HTTP API callers often neither. The worker must cope with each.
    if (random() < 0.5) common.messageId = `m-${seed}-${sender}-${n}`;
    if (random() < 0.5) common.timestamp = stamp();
    if (type === "identify") {
      return {
        kind: "valid",
        marker: seq,
        body: { ...common, userId, traits: { seq, plan: pick(["free", "pro", "team"]) } },
        expects: [`upsertUser|${seq}`],
      };
    }
    if (type === "track") {
      return {
        kind: "valid",
        marker: seq,
        body: { ...common, userId, event: pick(["Signed Up", "Order Completed", "Seat Added"]), properties: { seq, n } },
        expects: [`trackEvent|${seq}`],
      };
    }
    const groupId = `G-${sender}-${n}`;
    return {
      kind: "valid",
      marker: seq,
      body: { ...common, userId, groupId, traits: { seq, name: `Acme ${n}` } },
      expects: [`upsertAccount|${seq}`, `associateUser|${groupId}|${userId}`],
    };
  }

  function bad(type, typed) {
    n += 1;
    const seq = `BAD-${sender}-${n}`;
    const typeField = typed ? { type } : {};
    // Some carry a write key, which the quarantine must not keep.
    const writeKey = random() < 0.3 ? { writeKey: `wk-${sender}` } : {};
    const body =
      type === "identify"
        ? { ...writeKey, ...typeField, userId: true, traits: { seq } }
        : type === "track"
          ? { ...typeField, userId: user(), ...writeKey, properties: { seq, big: 12345678901234567890123n } }
          : { ...typeField, userId: user(), traits: { seq }, ...writeKey }; // a group without groupId
    const { writeKey: _, ...kept } = body;
    // The message as the quarantine must store it: its text as sent, the write key aside.
    return { kind: "bad", marker: seq, body, expects: [], quarantined: text(kept) };
  }

  function skipped(typed) {
    n += 1;
    const seq = `SKIP-${sender}-${n}`;
    const body =
      typed && random() < 0.5
        ? { type: "page", userId: user(), name: "Home", properties: { seq } }
        : { ...(typed ? { type: "track" } : {}), userId: user(), event: "Hidden", properties: { seq }, integrations: { Astrolabe: false } };
    return { kind: "skip", marker: seq, body, expects: [] };
  }

  function message(type, typed) {
    const r = random();
    if (r < 0.1) return bad(type, typed);
    if (r < 0.15) return skipped(typed);
    return valid(type, typed);
  }

  /** Bodies no SDK sends, but anyone can: each must get a 400, never a 500. */
  function garbage() {
    n += 1;
    const seq = `BAD-${sender}-${n}`;
    return pick([
      { path: "/v1/track", bytes: `{"userId": "u", "event": "E", "properties": {"seq": "${seq}"`, why: "truncated JSON" },
      { path: "/v1/track", bytes: `{"userId":"u","event":"E","properties":{"seq":"${seq}"}} trailing`, why: "trailing data" },
      { path: "/v1/identify", bytes: "null", why: "null" },
      { path: "/v1/group", bytes: "", why: "empty body" },
      { path: "/v1/identify", bytes: JSON.stringify([{ userId: "u", traits: { seq } }]), why: "a batch to a single route" },
      { path: "/v1/batch", bytes: JSON.stringify({ batch: "nope", seq }), why: "batch not an array" },
      { path: "/v1/batch", bytes: JSON.stringify({ type: "track", userId: "u", event: "E", properties: { seq } }), why: "a message to the batch route" },
      { path: "/v1/track", bytes: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), why: "invalid UTF-8" },
      { path: "/v1/batch", bytes: `{"batch":[${"[".repeat(300)}${"]".repeat(300)}],"seq":"${seq}"}`, why: "deep nesting" },
    ]);
  }

  /** The next call: { path, bytes, items, why? } where items are the messages it carries. */
  return function next() {
    const r = random();
    if (r < 0.05) return { ...garbage(), items: [], garbage: true };
    if (r < 0.65) {
      const items = Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
        message(pick(["identify", "track", "track", "group"]), true),
      );
      return { path: "/v1/batch", bytes: text({ batch: items.map((item) => item.body) }), items };
    }
    const type = pick(["track", "identify", "group"]);
    const item = message(type, false);
    return { path: `/v1/${type}`, bytes: text(item.body), items: [item] };
  };
}

// ---------------------------------------------------------------------------------------------
// Sending, as an SDK does: the same bytes again on 5xx (but 501) and 429, after a short backoff
// that honours Retry-After up to a second.

async function send(path, bytes) {
  const started = performance.now();
  try {
    const response = await fetch(`${edge.base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: bytes,
      signal: AbortSignal.timeout(BUDGET_MS + SLACK_MS + 10_000),
    });
    const text = await response.text();
    const json = parsedOrUndefined(text);
    return { status: response.status, retryAfter: response.headers.get("retry-after"), text, json, started, ended: performance.now() };
  } catch (error) {
    return { status: 0, error: `${error?.name}: ${error?.cause?.code ?? error?.message}`, started, ended: performance.now() };
  }
}

const retryable = (status) => status === 0 || status === 429 || (status >= 500 && status !== 501);

async function sender(index, deadline, results) {
  const next = messages(index, SEED);
  const random = prng(SEED ^ (index * 7919));
  while (performance.now() < deadline) {
    const call = next();
    results.calls.push(call);
    for (let attempt = 1; attempt <= SENDER_ATTEMPTS; attempt += 1) {
      const outcome = await send(call.path, call.bytes);
      results.requests.push({ call, attempt, ...outcome });
      if (!retryable(outcome.status) || attempt === SENDER_ATTEMPTS || performance.now() >= deadline) break;
      const told = Number(outcome.retryAfter);
      const backoff = 50 * 2 ** (attempt - 1) * (0.5 + random() / 2);
      await sleep(Math.min(1_000, Number.isFinite(told) && outcome.retryAfter !== null ? told * 1_000 : backoff));
    }
  }
}

/** GET /health every HEALTH_EVERY_MS until `stop()`, sampling workerd's RSS on the way. */
function watch(results) {
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${edge.base}/health`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        results.health.push({ status: response.status, ms: performance.now() - started });
      } catch (error) {
        results.health.push({ status: 0, error: error?.name, ms: performance.now() - started });
      }
      const rss = workerdPid === undefined ? undefined : rssKiB(workerdPid);
      if (rss !== undefined) {
        results.rssPeakKiB = Math.max(results.rssPeakKiB ?? 0, rss);
        results.rss.push({ at: performance.now(), kib: rss });
      }
      await sleep(HEALTH_EVERY_MS);
    }
  })();
  return async () => {
    running = false;
    await done;
  };
}

// ---------------------------------------------------------------------------------------------

/** Upstream requests, by the identity of each operation they carried. */
function indexLog(log) {
  const byIdentity = new Map();
  for (const entry of log) {
    for (const operation of entry.operations) {
      const identity = identityOf(operation);
      if (identity === undefined) continue;
      if (!byIdentity.has(identity)) byIdentity.set(identity, []);
      byIdentity.get(identity).push(entry);
    }
  }
  return byIdentity;
}

/** The upstream requests the worker made while answering one sender request. */
function linked(request, byIdentity) {
  const probe = request.call.items.find((item) => item.kind === "valid")?.expects[0];
  if (probe === undefined) return [];
  // A sender's attempts are sequential, so the time window tells its attempts apart.
  return (byIdentity.get(probe) ?? []).filter((entry) => entry.at >= request.started && entry.at <= request.ended);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const is2xx = (status) => status >= 200 && status < 300;

/** A few examples for an assertion message, not thousands. */
function sample(list, count = 5) {
  const shown = list.slice(0, count).map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
  return `${list.length} case(s)${list.length > count ? `, first ${count}` : ""}:\n  ${shown.join("\n  ")}`;
}

/** Fails with every non-empty list at once, so one run shows each way an invariant broke. */
function expectNone(checks) {
  const broken = Object.entries(checks).filter(([, list]) => list.length > 0);
  assert.equal(broken.length, 0, broken.map(([what, list]) => `${what}: ${sample(list)}`).join("\n"));
}

function requestSummary(request) {
  return {
    path: request.call.path,
    attempt: request.attempt,
    status: request.status,
    ms: Math.round(request.ended - request.started),
    markers: request.call.items.map((item) => item.marker).slice(0, 4),
    answer: request.text?.slice(0, 240) ?? request.error,
  };
}

// ---------------------------------------------------------------------------------------------

describe("forced faults, one at a time", () => {
  let n = 0;
  /** A single track with its own marker, and the upstream requests it made. */
  async function track() {
    n += 1;
    const seq = `D-${n}`;
    const response = await send("/v1/track", JSON.stringify({ userId: "user-d", event: "Forced", properties: { seq } }));
    const requests = upstream.log.filter((entry) => entry.operations.some((operation) => identityOf(operation) === `trackEvent|${seq}`));
    return { response, requests, ms: response.ended - response.started };
  }
  const forcing = (kinds) => {
    upstream.forced.length = 0; // what an earlier failed test left over must not leak into this one
    upstream.force(kinds);
  };

  test("a 301 is not a delivery: 502 naming the status and Location, and the sink gets nothing", async () => {
    const sinkBefore = upstream.sink.requests.length;
    forcing(["redirect-301"]);
    const { response, requests } = await track();
    const sunk = upstream.sink.requests.slice(sinkBefore).map(({ method, url, headers }) => ({ method, url, headers }));
    assert.deepEqual(sunk, [], "the worker followed the redirect to the sink");
    assert.equal(response.status, 502, `worker answered ${response.status}: ${response.text}`);
    assert.equal(response.json?.upstream?.status, 301, `upstream.status in ${response.text}`);
    assert.equal(response.json?.upstream?.location, upstream.sink.url, `upstream.location in ${response.text}`);
    assert.equal(requests.length, 1, "a redirect must not be retried");
  });

  test("a hang then 200: the per-attempt timeout cuts the hang, 200 within the budget, 2 upstream requests", async () => {
    const cutBefore = upstream.counts.hangsCutByClient;
    forcing(["hang", "ok"]);
    const { response, requests, ms } = await track();
    assert.equal(response.status, 200, `worker answered ${response.status} after ${Math.round(ms)} ms: ${response.text}`);
    assert.ok(ms < BUDGET_MS, `answered after ${Math.round(ms)} ms, over the ${BUDGET_MS} ms budget`);
    assert.deepEqual(requests.map((entry) => entry.fault), ["hang", "ok"]);
    // The hung connection is closed by the worker, not left open until the upstream gives up.
    for (let i = 0; i < 20 && upstream.counts.hangsCutByClient === cutBefore; i += 1) await sleep(50);
    assert.equal(upstream.counts.hangsCutByClient, cutBefore + 1, "the worker left the hung connection open");
  });

  test("a 408 then 200: 408 is retried", async () => {
    forcing(["408", "ok"]);
    const { response, requests } = await track();
    assert.equal(response.status, 200, `worker answered ${response.status}: ${response.text}`);
    assert.deepEqual(requests.map((entry) => entry.fault), ["408", "ok"]);
  });

  test("a 409 with Retry-After: 0 then 200: retried", async () => {
    forcing(["409", "ok"]);
    const { response, requests } = await track();
    assert.equal(response.status, 200, `worker answered ${response.status}: ${response.text}`);
    assert.deepEqual(requests.map((entry) => entry.fault), ["409", "ok"]);
  });
});

describe(`load: ${SENDERS} senders for ${LOAD_SECONDS} s, ${FAULT_RATE * 100}% upstream and quarantine faults`, () => {
  const results = { calls: [], requests: [], health: [], rss: [], rssPeakKiB: undefined };
  let figures; // computed once the load is over
  let sinkBefore;
  let elapsedMs;

  before(async () => {
    upstream.forced.length = 0;
    upstream.faultRate = FAULT_RATE;
    quarantine.faultRate = FAULT_RATE;
    sinkBefore = upstream.sink.requests.length;
    const rssStartKiB = workerdPid === undefined ? undefined : rssKiB(workerdPid);
    const started = performance.now();
    const stopWatching = watch(results);
    await Promise.all(Array.from({ length: SENDERS }, (_, index) => sender(index, started + LOAD_SECONDS * 1_000, results)));
    elapsedMs = performance.now() - started;
    await stopWatching();
    upstream.faultRate = 0;
    quarantine.faultRate = 0;
    figures = analyse({ rssStartKiB, rssEndKiB: workerdPid === undefined ? undefined : rssKiB(workerdPid) });
    figures.started = started;
    console.log(report(figures));
  });

  function analyse(rss) {
    const byIdentity = indexLog(upstream.log);
    const stored = new Set([...upstream.storage.values()].map(identityOf));
    const latencies = results.requests.map((request) => request.ended - request.started).sort((a, b) => a - b);
    const statuses = {};
    for (const request of results.requests) statuses[request.status] = (statuses[request.status] ?? 0) + 1;
    let deliveredAfterHang = 0;
    for (const request of results.requests) {
      if (is2xx(request.status) && linked(request, byIdentity).some((entry) => entry.fault === "hang")) deliveredAfterHang += 1;
    }
    const items = results.calls.flatMap((call) => call.items);
    return {
      byIdentity,
      stored,
      latencies,
      statuses,
      deliveredAfterHang,
      rss,
      messages: items.length,
      valid: items.filter((item) => item.kind === "valid").length,
      upstream: upstream.stats(),
      quarantine: quarantine.stats(),
    };
  }

  function report(f) {
    const u = f.upstream;
    const seconds = elapsedMs / 1_000;
    const kib = (value) => (value === undefined ? "n/a" : `${(value / 1024).toFixed(1)} MiB`);
    return [
      `edge load: ${SENDERS} senders, ${seconds.toFixed(1)} s, seed ${SEED}, fault rate ${FAULT_RATE}`,
      `  sender requests   ${results.requests.length} (${(results.requests.length / seconds).toFixed(1)}/s), ${results.calls.length} calls`,
      `  latency           p50 ${Math.round(percentile(f.latencies, 50))} ms, p99 ${Math.round(percentile(f.latencies, 99))} ms, max ${Math.round(f.latencies.at(-1) ?? NaN)} ms`,
      `  worker statuses   ${JSON.stringify(f.statuses)}`,
      `  messages sent     ${f.messages} (${f.valid} valid)`,
      `  upstream          ${u.requests} requests, ${u.operationsReceived} operations received, ${u.storedKeys} stored`,
      `  faults injected   ${JSON.stringify(u.faults)}`,
      `  duplicates        ${u.duplicatesReceived} received (${u.duplicateKeys} keys), ${u.dedupedOnStore} deduped on store, ${u.conflictingDuplicates} conflicting`,
      `  hangs             ${u.hangsCutByClient} cut by the worker, ${f.deliveredAfterHang} sender requests delivered after a hang`,
      `  redirect sink     ${u.sinkRequests} requests`,
      `  quarantine        ${f.quarantine.requests} requests, ${f.quarantine.operationsReceived} records received, ${f.quarantine.storedKeys} stored, faults ${JSON.stringify(f.quarantine.faults)}`,
      `  health            ${results.health.length} polls, ${results.health.filter((poll) => poll.status === 200).length} answered 200`,
      `  workerd RSS       start ${kib(f.rss.rssStartKiB)}, peak ${kib(results.rssPeakKiB)}, end ${kib(f.rss.rssEndKiB)} (pid ${workerdPid ?? "not found"})`,
      `  RSS by 10 s       ${rssTimeline(f.started).map(kib).join(", ") || "n/a"}`,
    ].join("\n");
  }

  /** The RSS sample closest after each 10 s mark: whether memory levels off or keeps growing. */
  function rssTimeline(started) {
    const marks = [];
    for (let mark = 10_000; mark <= elapsedMs + 1_000; mark += 10_000) {
      const sample = results.rss.find((entry) => entry.at - started >= mark) ?? results.rss.at(-1);
      if (sample) marks.push(sample.kib);
    }
    return marks;
  }

  test("the load ran: calls made, and upstream faults of every kind injected", () => {
    assert.ok(results.calls.length > SENDERS, `only ${results.calls.length} calls`);
    assert.ok(figures.upstream.requests > 0, "the worker made no upstream request");
  });

  test("1. no 2xx without storage: every valid message of a 2xx answer is stored", () => {
    const missing = [];
    for (const request of results.requests) {
      if (!is2xx(request.status)) continue;
      for (const item of request.call.items) {
        if (item.kind !== "valid") continue;
        for (const identity of item.expects) {
          if (figures.stored.has(identity)) continue;
          // Received but not stored points at the key (dedupe); never received, at delivery.
          missing.push({ missing: identity, receivedUpstream: figures.byIdentity.has(identity), ...requestSummary(request) });
        }
      }
    }
    assert.equal(missing.length, 0, `answered 2xx but not stored upstream: ${sample(missing)}`);
  });

  test("1q. no 2xx without storage, refused ones included: each message stored upstream or in the quarantine, as sent", () => {
    const quarantined = new Map(); // message text -> its records
    for (const record of quarantine.storage.values()) {
      const message = messageText(record.line);
      if (message === undefined) continue;
      if (!quarantined.has(message)) quarantined.set(message, []);
      quarantined.get(message).push(record);
    }
    const missing = [];
    const leaked = [];
    for (const request of results.requests) {
      if (!is2xx(request.status)) continue;
      for (const [index, item] of request.call.items.entries()) {
        if (item.kind === "valid") {
          for (const identity of item.expects) if (!figures.stored.has(identity)) missing.push({ upstream: identity, ...requestSummary(request) });
        } else if (item.kind === "bad") {
          const records = quarantined.get(item.quarantined) ?? [];
          const batch = request.call.path === "/v1/batch";
          const found = records.find((record) => record.route === request.call.path && record.index === (batch ? index : null));
          if (found === undefined) missing.push({ quarantine: item.quarantined, records: records.length, ...requestSummary(request) });
        }
      }
    }
    for (const record of quarantine.storage.values()) {
      if (/"writeKey"|wk-\d/.test(record.line)) leaked.push(record.line);
    }
    const refusedSent = results.calls.flatMap((call) => call.items).filter((item) => item.kind === "bad").length;
    assert.ok(refusedSent > 0 && quarantine.storage.size > 0, `${refusedSent} refused messages sent, ${quarantine.storage.size} records stored`);
    expectNone({
      "answered 2xx but not stored upstream nor in the quarantine (exactly as sent)": missing,
      "a write key stored in the quarantine": leaked,
    });
  });

  test("the quarantine's sink saw only well-formed requests with its Bearer key, and got faults too", () => {
    assert.equal(figures.quarantine.unauthorized, 0, "quarantine requests without the right Bearer key");
    assert.equal(figures.quarantine.malformed, 0, "malformed quarantine requests (not JSONL records, or no Idempotency-Key)");
    assert.ok(Object.keys(figures.quarantine.faults).length > 0, "no fault injected at the quarantine: run longer (EDGE_LOAD_SECONDS)");
  });

  test("2. invalid and skipped messages are never forwarded", () => {
    const received = [];
    for (const entry of upstream.log) {
      for (const operation of entry.operations) {
        const text = JSON.stringify(operation);
        if (FORBIDDEN_MARKER.test(text)) received.push(text);
      }
    }
    const sunk = upstream.sink.requests.filter((request) => FORBIDDEN_MARKER.test(request.body)).map((request) => request.body);
    const kept = [...quarantine.storage.values()].filter(notRefused).map((record) => record.line);
    expectNone({
      "the upstream received invalid or skipped messages": received,
      "the sink received invalid or skipped messages": sunk,
      "the quarantine holds valid or skipped messages": kept,
    });
  });

  test("3. duplicates are dedupable: one messageId per operation, one content per key", () => {
    const withoutId = [];
    for (const entry of upstream.log) {
      for (const operation of entry.operations) {
        if (typeof operation.messageId !== "string" || operation.messageId === "") withoutId.push(JSON.stringify(operation));
      }
    }
    const storedWithoutId = [...upstream.storage.values()].filter(
      (operation) => typeof operation.messageId !== "string" || operation.messageId === "",
    );
    const drifting = [];
    for (const [identity, entries] of figures.byIdentity) {
      const ids = new Set(entries.flatMap((entry) => entry.operations.filter((op) => identityOf(op) === identity).map((op) => op.messageId)));
      if (ids.size > 1) drifting.push(`${identity}: messageIds ${[...ids].join(", ")}`);
    }
    expectNone({
      "operations received without a messageId": withoutId,
      "operations stored without a messageId": storedWithoutId.map((operation) => JSON.stringify(operation)),
      "the same operation received again under another messageId (not dedupable)": drifting,
      // upstream.conflicts keeps the first 20; the count is in the figures.
      [`keys received again with other contents (${figures.upstream.conflictingDuplicates} times; dedupe would drop real data)`]:
        upstream.conflicts,
    });
  });

  test("4. no 500, for any input: 2xx, 4xx (400 for bad input), 502 or 503 only", () => {
    const allowed = (status) => is2xx(status) || (status >= 400 && status < 500) || status === 502 || status === 503;
    const unexpected = results.requests.filter((request) => !allowed(request.status)).map(requestSummary);
    assert.equal(unexpected.length, 0, `unexpected worker statuses ${JSON.stringify(figures.statuses)}: ${sample(unexpected)}`);
    // A 503 too when the quarantine could not store it (the sender retries; the same bytes then get their 400).
    const quarantineDown = (request) => request.status === 503 && /refused messages could not be stored/.test(request.text ?? "");
    const badSingles = results.requests.filter(
      (request) => (request.call.garbage || (request.call.path !== "/v1/batch" && request.call.items[0]?.kind === "bad")) &&
        request.status !== 400 && !quarantineDown(request),
    );
    assert.equal(badSingles.length, 0, `bad input not answered 400: ${sample(badSingles.map(requestSummary))}`);
  });

  test("the worker classified each message as the senders meant it (checks the generator)", () => {
    const wrong = [];
    for (const request of results.requests) {
      if (request.call.path !== "/v1/batch" || !is2xx(request.status) || request.call.garbage) continue;
      const expected = (kind) => request.call.items.flatMap((item, index) => (item.kind === kind ? [index] : []));
      const rejected = (request.json?.rejected ?? []).map((entry) => entry.index);
      const skipped = (request.json?.skipped ?? []).map((entry) => entry.index);
      if (JSON.stringify(rejected) !== JSON.stringify(expected("bad")) || JSON.stringify(skipped) !== JSON.stringify(expected("skip"))) {
        wrong.push({ rejected, skipped, expected: { rejected: expected("bad"), skipped: expected("skip") } });
      }
    }
    assert.equal(wrong.length, 0, `batches classified otherwise: ${sample(wrong)}`);
  });

  test("5. redirects are not followed, and a redirect alone is never a 2xx", () => {
    const sunk = upstream.sink.requests.slice(sinkBefore).map(({ method, headers }) => ({
      method,
      authorization: headers.authorization !== undefined,
      idempotencyKey: headers["idempotency-key"] !== undefined,
    }));
    const redirectOnly = results.requests
      .filter((request) => is2xx(request.status))
      .filter((request) => {
        const entries = linked(request, figures.byIdentity);
        return entries.length > 0 && entries.every((entry) => entry.fault.startsWith("redirect-"));
      })
      .map(requestSummary);
    expectNone({
      "the redirect sink received requests (headers sent there)": sunk,
      "the quarantine's redirect sink received requests": quarantine.sink.requests.map(({ method, url }) => ({ method, url })),
      "2xx although the upstream answered only redirects": redirectOnly,
    });
  });

  test("6. the worker is up throughout: every GET /health answers 200", () => {
    const failed = results.health.filter((poll) => poll.status !== 200);
    const expected = Math.floor((LOAD_SECONDS * 1_000) / (HEALTH_EVERY_MS + 2_000));
    assert.ok(results.health.length >= expected, `only ${results.health.length} health polls`);
    assert.equal(failed.length, 0, `health polls that did not answer 200: ${sample(failed)}`);
  });

  test("7. hangs are cut: deliveries after a hang, and no sender request over budget + 2 s", () => {
    const slow = results.requests.filter((request) => request.ended - request.started > BUDGET_MS + SLACK_MS).map(requestSummary);
    assert.equal(slow.length, 0, `sender requests over ${BUDGET_MS + SLACK_MS} ms: ${sample(slow)}`);
    assert.ok(
      figures.upstream.faults.hang > 0,
      `no hang was injected in ${figures.upstream.requests} upstream requests: run longer (EDGE_LOAD_SECONDS)`,
    );
    assert.ok(
      figures.deliveredAfterHang > 0,
      `${figures.upstream.faults.hang} hangs injected, yet no sender request got a 2xx after its first upstream attempt hung`,
    );
  });

  test("the upstream saw only well-formed requests with the Bearer key", () => {
    assert.equal(figures.upstream.unauthorized, 0, "upstream requests without the right Bearer key");
    assert.equal(figures.upstream.malformed, 0, "malformed upstream requests (no operations array, unknown op, or no Idempotency-Key)");
  });
});
