// A fault-injecting stand-in for Astrolabe, on loopback, for the load test of the edge worker.
//
// It keeps the contract Astrolabe's side must keep, so the test can check what the worker relies
// on: operations are stored per operation under `${op}\u0000${messageId}`, and a key that arrives
// again is not stored twice (dedupe). On about `faultRate` of the answers it misbehaves instead,
// the way a real upstream and the network between can, picked by a seeded PRNG so that a run can
// be replayed. A second server, the redirect sink, is where every redirect points: the worker
// must never send anything there.
//
// With `format: "quarantine"` it stands in for the quarantine's sink instead (docs/quarantine.md):
// bodies are JSONL records (`content-type: application/x-ndjson`), stored per request under its
// Idempotency-Key (a key that arrives again is not stored twice), each record under
// `${key}\u0000${line}`; the same faults.
import http from "node:http";
import { performance } from "node:perf_hooks";

/** The kinds of fault, drawn with equal chances (a redirect draws its status in a second step). */
export const FAULT_KINDS = Object.freeze([
  "503",
  "500",
  "429",
  "slow",
  "hang",
  "drop-before-store",
  "drop-after-store",
  "408",
  "409",
  "redirect",
]);
export const REDIRECT_STATUSES = Object.freeze([301, 302, 303, 307, 308]);
export const OPERATION_KINDS = Object.freeze(["upsertUser", "upsertAccount", "associateUser", "trackEvent"]);

/** mulberry32: small, fast and good enough to make fault sequences reproducible from a seed. */
export function prng(seed) {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The storage key of an operation: the dedupe unit is one operation, not one request. */
export function storageKey(operation) {
  return `${operation.op}\u0000${operation.messageId}`;
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    // A client that goes away mid-body: whatever arrived is all there is.
    req.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function answer(res, status, body, headers = {}) {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The redirect sink: records everything it receives, headers included, and answers 200. */
async function startSink() {
  const sink = { requests: [] };
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    sink.requests.push({ at: performance.now(), method: req.method, url: req.url, headers: req.headers, body });
    // A 200 here makes a followed redirect look like a delivery: exactly what must not pass.
    answer(res, 200, { ok: true, sink: true });
  });
  const port = await listen(server);
  sink.url = `http://127.0.0.1:${port}/v1/operations`;
  sink.close = () => closeServer(server);
  return sink;
}

function closeServer(server) {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

/**
 * Starts the fault upstream and its redirect sink on free loopback ports.
 * @param {object} options
 * @param {string} options.apiKey the Bearer key requests must carry
 * @param {number} [options.seed] seed of the PRNG that picks faults and slow delays
 * @param {number} [options.faultRate] share of requests answered with a fault (settable later)
 */
export async function startFaultUpstream({ apiKey, seed = 1, faultRate = 0, format = "operations" }) {
  const random = prng(seed);
  const sink = await startSink();
  const open = new Set(); // hanging responses, closed on shutdown

  const upstream = {
    sink,
    faultRate,
    /** Faults to use next, in order, before any random one ("ok" for a plain 200). */
    forced: [],
    /** key -> the stored operation (the first one that was stored under it). */
    storage: new Map(),
    /** One entry per request: { at, fault, status, idempotencyKey, operations }. */
    log: [],
    /** key -> how many times it arrived, in any request, faulted or not. */
    arrivals: new Map(),
    /** key -> JSON of the operation as it first arrived. */
    firstContent: new Map(),
    /** Keys that arrived with another content than the first time (the first few, for messages). */
    conflicts: [],
    counts: {
      requests: 0,
      unauthorized: 0,
      malformed: 0,
      operationsReceived: 0,
      duplicatesReceived: 0,
      conflictingDuplicates: 0,
      dedupedOnStore: 0,
      missingMessageId: 0,
      hangsCutByClient: 0,
      faults: {},
      answered: {},
    },
    force(kinds) {
      this.forced.push(...kinds);
    },
  };
  const counts = upstream.counts;

  function pickFault() {
    if (upstream.forced.length > 0) return upstream.forced.shift();
    if (random() >= upstream.faultRate) return "ok";
    const kind = FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)];
    if (kind !== "redirect") return kind;
    return `redirect-${REDIRECT_STATUSES[Math.floor(random() * REDIRECT_STATUSES.length)]}`;
  }

  /** The storage key of each item of a request: an operation's, or a record's under the request's key. */
  const keyOf = format === "quarantine"
    ? (record, at, requestKey) => `${requestKey}\u0000${at}`
    : (operation) => storageKey(operation);

  function receive(operations, requestKey) {
    for (const [at, operation] of operations.entries()) {
      counts.operationsReceived += 1;
      if (format !== "quarantine" && (typeof operation.messageId !== "string" || operation.messageId === "")) counts.missingMessageId += 1;
      const key = keyOf(operation, at, requestKey);
      const content = JSON.stringify(operation);
      const seen = upstream.arrivals.get(key) ?? 0;
      upstream.arrivals.set(key, seen + 1);
      if (seen === 0) {
        upstream.firstContent.set(key, content);
      } else {
        counts.duplicatesReceived += 1;
        if (upstream.firstContent.get(key) !== content) {
          counts.conflictingDuplicates += 1;
          if (upstream.conflicts.length < 20) {
            upstream.conflicts.push({ key, first: upstream.firstContent.get(key), again: content });
          }
        }
      }
    }
  }

  function store(operations, requestKey) {
    for (const [at, operation] of operations.entries()) {
      const key = keyOf(operation, at, requestKey);
      if (upstream.storage.has(key)) counts.dedupedOnStore += 1;
      else upstream.storage.set(key, operation);
    }
  }

  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    counts.requests += 1;
    const entry = {
      at: performance.now(),
      fault: "none",
      status: 0,
      idempotencyKey: req.headers["idempotency-key"],
      operations: [],
    };
    upstream.log.push(entry);
    const done = (status, payload, headers) => {
      entry.status = status;
      counts.answered[status] = (counts.answered[status] ?? 0) + 1;
      answer(res, status, payload, headers);
    };

    // What Astrolabe itself checks, before anything can go wrong.
    if (req.method !== "POST" || req.headers.authorization !== `Bearer ${apiKey}`) {
      counts.unauthorized += 1;
      return done(401, { error: "unauthorized" });
    }
    let operations;
    try {
      operations = format === "quarantine"
        ? body.split("\n").slice(0, -1).map((line) => ({ ...JSON.parse(line), line }))
        : JSON.parse(body).operations;
    } catch {
      operations = undefined;
    }
    const wellFormed =
      Array.isArray(operations) &&
      typeof req.headers["idempotency-key"] === "string" &&
      (format === "quarantine"
        ? operations.length > 0 && body.endsWith("\n") && req.headers["content-type"] === "application/x-ndjson" &&
          operations.every((record) => record.quarantine === 1)
        : operations.every((op) => op !== null && typeof op === "object" && OPERATION_KINDS.includes(op.op)));
    if (!wellFormed) {
      counts.malformed += 1;
      return done(400, { error: "malformed operations" });
    }
    entry.operations = operations;
    const requestKey = req.headers["idempotency-key"];
    entry.headers = req.headers;
    receive(operations, requestKey);

    const fault = pickFault();
    entry.fault = fault;
    if (fault !== "ok") counts.faults[fault] = (counts.faults[fault] ?? 0) + 1;

    if (fault.startsWith("redirect-")) {
      const status = Number(fault.slice("redirect-".length));
      return done(status, { error: "moved" }, { location: sink.url });
    }
    switch (fault) {
      case "ok":
        store(operations, requestKey);
        return done(200, { ok: true, stored: operations.length });
      case "503":
        return done(503, { error: "unavailable" });
      case "500":
        return done(500, { error: "internal" });
      case "429":
        return done(429, { error: "rate limited" }, { "retry-after": "1" });
      case "408":
        return done(408, { error: "request timeout" });
      case "409":
        // A concurrent write of the same key: retryable, at once.
        return done(409, { error: "conflict, retry" }, { "retry-after": "0" });
      case "slow": {
        // Committed, then slow to say so: the worker's per-attempt timeout may cut it, and then
        // it cannot know the operations were stored.
        store(operations, requestKey);
        const delay = 300 + Math.floor(random() * 500);
        setTimeout(() => done(200, { ok: true, stored: operations.length }), delay).unref();
        return undefined;
      }
      case "hang":
        // Never answers: only the client closing the connection ends it.
        entry.status = "hang";
        open.add(res);
        res.on("close", () => {
          if (open.delete(res)) counts.hangsCutByClient += 1;
        });
        return undefined;
      case "drop-before-store":
        entry.status = "dropped";
        return req.socket.destroy();
      case "drop-after-store":
        // Stored, but the answer is lost: the "may have been stored" case.
        store(operations, requestKey);
        entry.status = "dropped";
        return req.socket.destroy();
      default:
        throw new Error(`unknown fault ${fault}`);
    }
  });
  const port = await listen(server);
  upstream.url = `http://127.0.0.1:${port}/v1/operations`;

  /** The figures, as plain data. */
  upstream.stats = () => ({
    requests: counts.requests,
    faults: { ...counts.faults },
    answered: { ...counts.answered },
    operationsReceived: counts.operationsReceived,
    storedKeys: upstream.storage.size,
    duplicatesReceived: counts.duplicatesReceived,
    duplicateKeys: [...upstream.arrivals.values()].filter((n) => n > 1).length,
    conflictingDuplicates: counts.conflictingDuplicates,
    dedupedOnStore: counts.dedupedOnStore,
    missingMessageId: counts.missingMessageId,
    unauthorized: counts.unauthorized,
    malformed: counts.malformed,
    hangsCutByClient: counts.hangsCutByClient,
    sinkRequests: sink.requests.length,
  });

  upstream.close = async () => {
    open.clear(); // closed by closeAllConnections, not counted as cut by the client
    await Promise.all([closeServer(server), sink.close()]);
  };
  return upstream;
}
