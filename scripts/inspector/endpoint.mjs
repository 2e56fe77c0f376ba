// The Segment endpoint of `make serve`: the package's edge handler (pkg/edge/, what
// `astrolabe-segment/edge` gives: its routes, CORS, credentials, limits, deadline and answers),
// run in Node, with every message it sees kept in the inspector's store. Nothing here decides an
// answer.
//
// Upstream: with ASTROLABE_ENDPOINT set, mapped operations go there as from the worker. Without it
// they go to LOCAL_SINK, answered in this process (never over the network), so senders get the
// 200 they would get from a working deployment instead of the worker's "not configured" 500, which
// every SDK would retry forever.
import { AsyncLocalStorage } from "node:async_hooks";
import { buildDestination } from "../../pkg/edge/handler.js";
import { createHandler, findRoute, SETTINGS } from "../../pkg/edge/index.js";
import { recordsOf } from "./capture.mjs";

export const LOCAL_SINK = "http://inspector.invalid/local-sink";

/** One message of each kind the engine answers, and a batch. */
const WARM_UP = [
  '{"type":"identify","userId":"u1","traits":{"email":"ada@example.com","n":1.5,"list":[true,null]},"timestamp":"2026-01-01T00:00:00Z"}',
  '{"type":"group","userId":"u1","groupId":"g1","traits":{"name":"Initech"},"context":{"library":{"name":"x"}}}',
  '{"type":"track","anonymousId":"a1","event":"Order Completed","properties":{"total":42,"items":[{"sku":"é"}]},"context":{"groupId":"g1"}}',
  '{"batch":[{"type":"track","userId":42,"event":""},{"type":"page","userId":"u1"},{"type":"alias"}],"writeKey":"k"}',
  '{"type":"track",',
];

/** Routes whose calls are messages to keep (not health checks, not analytics.js's own metrics). */
const KEPT = new Set(["single", "batch", "delivery"]);

/** The handler's settings from an environment, with the local sink when no upstream is set. */
export function settingsFrom(environment) {
  const env = {};
  for (const name of SETTINGS) if (environment[name] !== undefined && environment[name] !== "") env[name] = environment[name];
  if (env.ASTROLABE_ENDPOINT === undefined) {
    env.ASTROLABE_ENDPOINT = LOCAL_SINK;
    env.ASTROLABE_API_KEY = "local";
  }
  return env;
}

/** fetch for the handler: LOCAL_SINK answered here, anything else (a set ASTROLABE_ENDPOINT) for real. */
function upstreamFetch(input, init) {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (url === LOCAL_SINK) {
    return Promise.resolve(new Response('{"ok":true}', { status: 200, headers: { "content-type": "application/json" } }));
  }
  return fetch(input, init);
}

/**
 * The request body as a web stream. Cancelling it (the handler does, for a body over its limit,
 * or one that did not arrive by its deadline) drains the rest instead of cutting the connection,
 * so the sender can still read the answer.
 */
function bodyOf(req) {
  let done = false;
  return new ReadableStream({
    start(controller) {
      req.on("data", (chunk) => {
        if (done) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if (controller.desiredSize <= 0) req.pause();
      });
      req.on("end", () => {
        if (!done) controller.close();
        done = true;
      });
      const fail = () => {
        if (!done) controller.error(new Error("the request was cut short"));
        done = true;
      };
      req.on("error", fail);
      req.on("close", () => {
        if (!req.complete) fail();
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      done = true;
      req.resume();
    },
  }, { highWaterMark: 1 });
}

/** How long the rest of a refused body is read and discarded before the connection is closed. */
const DRAIN_MS = 2_000;

/** Resolves true when `req` has been read to its end, false when cut or after `ms`. */
function finished(req, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    req.once("end", () => {
      clearTimeout(timer);
      resolve(true);
    });
    req.once("close", () => {
      clearTimeout(timer);
      resolve(req.complete);
    });
    req.resume();
  });
}

/** True when the path is one of the worker's routes, or under /v1/ (the worker's 404 lists its routes). */
export const isEndpointPath = (pathname) => findRoute(pathname) !== undefined || pathname.startsWith("/v1/");

/**
 * @param {object} deps
 * @param {import("./store.mjs").Store} deps.store
 * @param {object} deps.environment where the settings are read (process.env)
 * @param {(line: string) => void} [deps.log] the handler's log lines
 * @param {number} [deps.bodyTimeoutMs] how long a body may take to arrive (then: 408, connection closed)
 * @param {import("./quarantine.mjs").Quarantine} [deps.quarantine] where the handler's records of
 *   refused messages go (its `deps.quarantine`: an append that throws makes the answer a 503)
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, extra: object) => Promise<void>}
 */
export function createEndpoint({ store, environment, log = () => {}, bodyTimeoutMs, quarantine }) {
  const seen = new AsyncLocalStorage();
  // The handler's own Destination, as it would build it from its settings (RULES, PRIVACY).
  const built = buildDestination(environment);
  if (built.error !== undefined) throw new TypeError(built.error);
  const real = built.engine;
  // The engine's WebAssembly functions are compiled on their first call: done here, before the
  // server listens, rather than by the first burst of messages (a /health among them waited 285 ms).
  for (const text of WARM_UP) real.mapJson(text);
  // The handler's destination, with each call noted on the request it belongs to.
  const destination = {
    mapJson(input, options) {
      const output = real.mapJson(input, options);
      const request = seen.getStore();
      if (request) {
        request.bytes = input;
        request.output = output;
      }
      return output;
    },
    // The records of the refused messages, as the handler's own Destination writes them.
    quarantine: (...args) => real.quarantine(...args),
  };
  const settings = settingsFrom(environment);
  if (bodyTimeoutMs !== undefined) settings.ASTROLABE_BODY_TIMEOUT_MS = String(bodyTimeoutMs);
  const handle = createHandler(settings, {
    destination,
    fetch: upstreamFetch,
    log: (line) => {
      const request = seen.getStore();
      if (request) request.logLine = line;
      log(line);
    },
    ...(quarantine ? { quarantine: (lines) => quarantine.append(lines) } : {}),
  });

  return async function serve(req, res, extraHeaders) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = findRoute(url.pathname);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      try {
        headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      } catch {
        // A header Node took and fetch does not: the handler never reads such a header anyway.
      }
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(url, {
      method: req.method,
      headers,
      ...(hasBody ? { body: bodyOf(req), duplex: "half" } : {}),
    });
    const context = {};
    const response = await seen.run(context, () => handle(request));
    // The handler's 408: the body did not arrive by its deadline (ASTROLABE_BODY_TIMEOUT_MS).
    const late = response.status === 408;
    const bytes = new Uint8Array(await response.arrayBuffer());
    // An answer given before the body was read (a 413) waits until the sender has finished sending
    // (its rest is discarded), so the sender reads it and the connection can be used again; a
    // sender that goes on too long gets the answer with the connection closed after it.
    const drained = !late && (!hasBody || req.complete || (await finished(req, DRAIN_MS)));
    // Header names as fetch gives them (lower case), so that this `connection` replaces the answer's own.
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...extraHeaders, ...(drained ? {} : { connection: "close" }) });
    res.end(bytes);

    if (!route || !KEPT.has(route.kind) || req.method !== "POST") return;
    // The record is made after the I/O waiting now (a /health among it) has had its turn; still
    // before the next request of this sender is read.
    await new Promise((resolve) => setImmediate(resolve));
    let body;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      body = undefined;
    }
    let error;
    try {
      error = JSON.parse(context.logLine ?? "{}").error;
    } catch {
      error = undefined;
    }
    const result = context.output === undefined || late ? undefined : JSON.parse(context.output);
    store.add(recordsOf({ route, bytes: late ? undefined : context.bytes, result, answer: { status: response.status, body }, error: late ? "body_timeout" : error }));
  };
}
