// The edge handler: Segment's HTTP Tracking API in front of Astrolabe.
//
// Runtime-neutral: Web APIs only (Request, Response, fetch, ReadableStream, TextEncoder/Decoder,
// crypto.subtle, DecompressionStream), so the same module runs in Cloudflare Workers (workerd),
// Deno and Node. The runtime entries (worker.js, deno.js) build the Destination once per isolate
// and hand it in:
//
//   const handle = createHandler({ destination: new Destination({ strict: false }) });
//   const response = await handle(request, env);
//
// Settings come from `env` (Workers bindings, or the process environment in Deno):
//   ASTROLABE_ENDPOINT            URL the operations are POSTed to (redirects are not followed)
//   ASTROLABE_API_KEY             sent upstream as `Authorization: Bearer <key>`
//   SEGMENT_WRITE_KEY             when set, senders must authenticate with it
//   ASTROLABE_RETRY_BUDGET_MS     time budget of the upstream delivery, retries included (10000)
//   ASTROLABE_ATTEMPT_TIMEOUT_MS  time one upstream attempt may take (a third of the budget)
//   ASTROLABE_RETRY_MAX_ATTEMPTS  upstream attempts at most (5)
//   ASTROLABE_RETRY_BASE_MS       first backoff delay; doubles per attempt, with full jitter (250)
//   ASTROLABE_MAX_CONCURRENT      upstream requests in flight per isolate at most (64)
import { createGate, deliver } from "./delivery.js";
import { withMessageIds } from "./identity.js";
import { issue, json, setting } from "./respond.js";

export { parseRetryAfter } from "./delivery.js";

/** Segment's limits: one message 32 KB, one batch request 500 KB. */
export const LIMITS = Object.freeze({ single: 32_768, batch: 512_000 });

/** The settings the handler reads from its environment (see the list above). */
export const SETTINGS = Object.freeze([
  "ASTROLABE_ENDPOINT",
  "ASTROLABE_API_KEY",
  "SEGMENT_WRITE_KEY",
  "ASTROLABE_RETRY_BUDGET_MS",
  "ASTROLABE_ATTEMPT_TIMEOUT_MS",
  "ASTROLABE_RETRY_MAX_ATTEMPTS",
  "ASTROLABE_RETRY_BASE_MS",
  "ASTROLABE_MAX_CONCURRENT",
]);

/** The routes: call type for single calls, `batch` for batches, `unsupported` for 501. */
export const ROUTES = Object.freeze({
  "/v1/identify": { kind: "single", type: "identify" },
  "/v1/group": { kind: "single", type: "group" },
  "/v1/track": { kind: "single", type: "track" },
  "/v1/batch": { kind: "batch" },
  "/v1/import": { kind: "batch" },
  "/v1/page": { kind: "unsupported", type: "page" },
  "/v1/screen": { kind: "unsupported", type: "screen" },
  "/v1/alias": { kind: "unsupported", type: "alias" },
});

/** Parse-level codes: the body as a whole could not be read as JSON. */
const PARSE_CODES = new Set(["invalid_json", "too_large", "too_deep", "batch_too_large"]);

/**
 * Makes the request handler.
 * @param {object} deps
 * @param {{ mapJson(input: Uint8Array, options?: object): string }} deps.destination
 *   a `Destination` of the `astrolabe-segment` package, built once per isolate
 * @param {typeof fetch} [deps.fetch] used for the upstream requests
 * @param {(line: string) => void} [deps.log] receives one JSON line per request
 * @param {() => number} [deps.now] milliseconds, for durations and budgets
 * @param {(ms: number) => Promise<void>} [deps.sleep]
 * @param {() => number} [deps.random] in [0, 1), for the backoff jitter
 * @returns {(request: Request, env?: object) => Promise<Response>}
 */
export function createHandler(deps) {
  const destination = deps?.destination;
  if (!destination || typeof destination.mapJson !== "function") {
    throw new TypeError("createHandler needs { destination }: a Destination of astrolabe-segment");
  }
  const io = {
    fetch: deps.fetch ?? ((...args) => globalThis.fetch(...args)),
    log: deps.log ?? ((line) => console.log(line)),
    now: deps.now ?? (() => Date.now()),
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: deps.random ?? Math.random,
    // One per isolate: the cap on upstream requests in flight holds across requests.
    gate: createGate(),
  };

  return async function handle(request, env = {}) {
    const started = io.now();
    const url = new URL(request.url);
    const record = {
      method: request.method,
      path: url.pathname,
      status: 0,
      received: 0,
      forwarded: 0,
      rejected: 0,
      skipped: 0,
      operations: 0,
      upstreamAttempts: 0,
    };
    let response;
    try {
      response = await route(request, url, env ?? {}, record, destination, io);
    } catch (error) {
      // A bug, not bad input: answer 500 (Segment retries) and log the kind of error, not the data.
      record.error = "internal";
      record.errorName = error?.name ?? "Error";
      response = json(500, { message: "Internal error in the edge worker; the request was not processed." });
    }
    record.status = response.status;
    record.durationMs = Math.max(0, io.now() - started);
    try {
      io.log(JSON.stringify({ level: response.status >= 500 ? "error" : "info", ...record }));
    } catch {
      // Logging never changes the answer.
    }
    return response;
  };
}

async function route(request, url, env, record, destination, io) {
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
  if (path === "/health") {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return json(405, { message: "Use GET /health." }, { allow: "GET, HEAD" });
    }
    return json(200, { ok: true });
  }
  const target = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (!target) {
    return json(404, {
      message: `No route ${path}: use POST /v1/identify, /v1/group, /v1/track, /v1/batch or /v1/import.`,
    });
  }
  if (request.method !== "POST") {
    return json(405, { message: `Use POST ${path}.` }, { allow: "POST" });
  }
  if (target.kind === "unsupported") {
    record.received = 1;
    record.skipped = 1;
    return json(501, {
      message: `Astrolabe does not support ${target.type} calls; send identify, group or track.`,
      errors: [issue("unsupported_type", "", `${target.type} calls are not supported by this destination.`)],
    });
  }

  // Credentials in the header are checked before the body is read.
  const writeKey = setting(env.SEGMENT_WRITE_KEY);
  let authenticated = writeKey === undefined;
  if (!authenticated) {
    const header = request.headers.get("authorization");
    if (header !== null) {
      const user = basicUser(header);
      if (user === undefined || !constantTimeEqual(user, writeKey)) {
        record.error = "unauthorized";
        return unauthorized("The Authorization header does not carry a valid write key.");
      }
      authenticated = true;
    }
  }

  const limit = target.kind === "batch" ? LIMITS.batch : LIMITS.single;
  const body = await readBody(request, limit);
  if (body.error) {
    record.error = body.error.code;
    return json(body.error.status, { message: body.error.message, errors: [body.error.issue] });
  }
  const bytes = body.bytes;

  if (!authenticated) {
    const given = bodyWriteKey(bytes);
    if (given === undefined || !constantTimeEqual(given, writeKey)) {
      record.error = "unauthorized";
      return unauthorized(
        "Authenticate with HTTP Basic (the write key as user name) or a writeKey field in the body.",
      );
    }
  }

  const result = JSON.parse(
    target.kind === "batch" ? destination.mapJson(bytes) : destination.mapJson(bytes, { type: target.type }),
  );
  return target.kind === "batch"
    ? handleBatch(result, env, record, io)
    : handleSingle(result, target, env, record, io);
}

async function handleSingle(result, target, env, record, io) {
  record.received = 1;
  if (Array.isArray(result.outcomes)) {
    // The body was an array or a batch envelope.
    record.rejected = 1;
    record.error = "invalid_type";
    return json(400, {
      message: `POST /v1/${target.type} takes one message, a JSON object; send batches to /v1/batch.`,
      errors: [issue("invalid_type", "", "Expected one message (a JSON object), got a batch.")],
    });
  }
  if (result.status === "invalid") {
    record.rejected = 1;
    record.error = result.errors[0]?.code ?? "invalid";
    return json(400, {
      message: describeInvalid(result.errors),
      errors: result.errors,
      warnings: result.warnings,
    });
  }
  if (result.status === "skipped") {
    record.skipped = 1;
    return json(200, {
      ok: true,
      skipped: true,
      reason: result.reason,
      message: `Not forwarded: ${result.reason?.message ?? "skipped"}`,
      warnings: result.warnings,
    });
  }
  const { operations, derived } = await withMessageIds([result.operations]);
  const delivery = await deliver(operations, env, record, io, io.gate);
  if (!delivery.ok) return delivery.response;
  record.forwarded = 1;
  return json(200, {
    ok: true,
    forwarded: 1,
    operations: operations.length,
    warnings: [...result.warnings, ...undated(derived, [result.operations]).map(() => derivedId(""))],
  });
}

async function handleBatch(result, env, record, io) {
  if (!Array.isArray(result.outcomes)) {
    // Not a batch: broken JSON, or one message where a batch was expected.
    const parseLevel = result.errors.filter((error) => PARSE_CODES.has(error.code) && error.path === "");
    const errors = parseLevel.length > 0
      ? parseLevel
      : [issue("invalid_batch", "", 'Expected a batch: {"batch": [message, ...]}.')];
    record.error = errors[0].code;
    return json(400, { message: describeInvalid(errors), errors });
  }
  if (result.errors.length > 0) {
    record.error = result.errors[0].code;
    return json(400, { message: describeInvalid(result.errors), errors: result.errors });
  }
  const messages = []; // the operations of each mapped item
  const indexes = []; // and the item's index in the batch
  const rejected = [];
  const skipped = [];
  const warnings = [];
  result.outcomes.forEach((outcome, index) => {
    for (const warning of outcome.warnings ?? []) warnings.push({ index, ...warning });
    if (outcome.status === "mapped") {
      messages.push(outcome.operations);
      indexes.push(index);
    } else if (outcome.status === "skipped") {
      const reason = outcome.reason ?? issue("unsupported_type", `/batch/${index}`, "Skipped.");
      skipped.push({ index, code: reason.code, path: reason.path, message: reason.message });
    } else {
      const [first = issue("invalid_type", `/batch/${index}`, "Invalid message.")] = outcome.errors;
      rejected.push({ index, code: first.code, path: first.path, message: first.message, errors: outcome.errors });
    }
  });
  record.received = result.outcomes.length;
  record.rejected = rejected.length;
  record.skipped = skipped.length;
  const { operations, derived } = await withMessageIds(messages);
  if (operations.length > 0) {
    const delivery = await deliver(operations, env, record, io, io.gate);
    if (!delivery.ok) return delivery.response;
  }
  record.forwarded = messages.length;
  for (const at of undated(derived, messages)) {
    warnings.push({ index: indexes[at], ...derivedId(`/batch/${indexes[at]}`) });
  }
  return json(200, {
    ok: true,
    received: result.outcomes.length,
    forwarded: messages.length,
    operations: operations.length,
    rejected,
    skipped,
    warnings,
  });
}

/** Of the messages whose id was derived, those without a timestamp either. */
function undated(derived, messages) {
  return derived.filter((at) => !messages[at].some((operation) => typeof operation.timestamp === "string"));
}

/** The warning for such a message: an identical one sent again counts as a retry (identity.js). */
function derivedId(path) {
  return issue(
    "message_id_derived",
    path,
    "The message has neither messageId nor timestamp, so its id was derived from its content: an identical message sent again counts as a retry of this one. Send a messageId to tell them apart.",
  );
}

// ---------------------------------------------------------------------------------------------
// The body: limited before it is parsed, whether or not its length is declared.

async function readBody(request, limit) {
  const tooLarge = () => ({
    error: {
      status: 413,
      code: "too_large",
      message: `The body is over ${limit} bytes, the limit of this endpoint.`,
      issue: issue(
        limit === LIMITS.batch ? "batch_too_large" : "too_large",
        "",
        limit === LIMITS.batch
          ? `A batch may have at most ${limit} bytes (500 KB).`
          : `A message may have at most ${limit} bytes (32 KB).`,
      ),
    },
  });
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) {
    await request.body?.cancel().catch(() => {});
    return tooLarge();
  }
  if (request.body === null) return { bytes: new Uint8Array(0) };

  let stream = request.body;
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "gzip" || encoding === "deflate") {
    // The limit applies to the decompressed bytes, so a small bomb cannot get past it.
    stream = stream.pipeThrough(new DecompressionStream(encoding));
  } else if (encoding !== "identity" && encoding !== "") {
    await request.body.cancel().catch(() => {});
    return {
      error: {
        status: 415,
        code: "unsupported_encoding",
        message: `Content-Encoding ${encoding} is not supported; send identity or gzip.`,
        issue: issue("invalid_json", "", `The body is encoded with ${encoding}.`),
      },
    };
  }
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return tooLarge();
      }
      chunks.push(value);
    }
  } catch {
    return {
      error: {
        status: 400,
        code: "unreadable_body",
        message: "The body could not be read (a broken stream or compressed data).",
        issue: issue("invalid_json", "", "The body could not be read."),
      },
    };
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes };
}

// ---------------------------------------------------------------------------------------------
// Credentials.

/** The user name of an HTTP Basic header (Segment sends the write key as user, no password). */
export function basicUser(header) {
  const match = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return undefined;
  let decoded;
  try {
    const binary = atob(match[1].replace(/-/g, "+").replace(/_/g, "/"));
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  return colon === -1 ? decoded : decoded.slice(0, colon);
}

/** `writeKey` at the top of a JSON body (a message or a batch envelope). */
function bodyWriteKey(bytes) {
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return value !== null && typeof value === "object" && typeof value.writeKey === "string"
      ? value.writeKey
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compares two strings in time that depends only on the length of `expected`, not on where they
 * differ (their UTF-8 bytes; a length mismatch is folded into the result).
 */
export function constantTimeEqual(given, expected) {
  const a = new TextEncoder().encode(String(given));
  const b = new TextEncoder().encode(String(expected));
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i += 1) {
    diff |= (a.length > 0 ? a[i % a.length] : 0) ^ b[i];
  }
  return diff === 0;
}

function unauthorized(message) {
  return json(
    401,
    { message, errors: [issue("unauthorized", "", "Missing or invalid write key.")] },
    { "www-authenticate": 'Basic realm="Segment", charset="UTF-8"' },
  );
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function describeInvalid(errors) {
  const first = errors[0];
  if (!first) return "The request is invalid.";
  const text = first.message.replace(/\.$/, "");
  const where = first.path === "" ? "" : ` (at ${first.path})`;
  const more = errors.length > 1 ? ` And ${errors.length - 1} more error(s), listed in errors.` : "";
  return `${text}${where}.${more}`;
}
