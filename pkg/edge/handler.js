// The edge handler: Segment's HTTP Tracking API in front of Astrolabe (`astrolabe-segment/edge`).
//
// Runtime-neutral: Web APIs only (Request, Response, fetch, ReadableStream, TextEncoder/Decoder,
// crypto.subtle, DecompressionStream), so the same module runs in Cloudflare Workers (workerd),
// Deno, Vercel Edge and Node. The engine comes from this package's entry for the runtime
// (engine.js), and one Destination is built per handler, so once per isolate when the handler is
// made at module scope:
//
//   const handle = createHandler(settings);          // settings: process.env, Deno's, or {}
//   const response = await handle(request, env);     // env: Workers' bindings, over settings
//
// Settings (names as environment variables: SETTINGS, settings.js):
//   ASTROLABE_ENDPOINT            URL the operations are POSTed to (redirects are not followed)
//   ASTROLABE_API_KEY             sent upstream as `Authorization: Bearer <key>`
//   SEGMENT_WRITE_KEY             when set, senders must authenticate with it
//   SEGMENT_SHARED_SECRET         when set, POST /webhook must carry Segment's X-Signature
//   ALLOWED_ORIGINS               origins browsers may send from, comma-separated; unset or * for any
//   ASTROLABE_BODY_TIMEOUT_MS     time a request's body may take to arrive, whole (10000); then 408
//   ASTROLABE_RETRY_BUDGET_MS     time budget of the upstream delivery, retries included (10000)
//   ASTROLABE_ATTEMPT_TIMEOUT_MS  time one upstream attempt may take (a third of the budget)
//   ASTROLABE_RETRY_MAX_ATTEMPTS  upstream attempts at most (5)
//   ASTROLABE_RETRY_BASE_MS       first backoff delay; doubles per attempt, with full jitter (250)
//   ASTROLABE_MAX_CONCURRENT      upstream requests in flight per isolate at most (64)
//   RULES                         the level of each rule, as JSON: {"near_miss_reserved":"off"}
//                                 (docs/rules.md); a Destination is built per distinct value
//   PRIVACY                       personal data detection, as JSON: {"action":"redact"} (docs/privacy.md)
//   PRIVACY_HASH_KEY              privacy's hashKey, as a secret of its own (for "action":"hash")
//   QUARANTINE_ENDPOINT           URL a request's refused messages are POSTed to (JSONL records,
//                                 docs/quarantine.md) before anything is forwarded; unset: not kept
//   QUARANTINE_API_KEY            sent to it as `Authorization: Bearer <key>` (optional)
//
// Every answer carries the request's id in `x-request-id` (also in its log line and its quarantine
// records). With a quarantine (QUARANTINE_ENDPOINT, or deps.quarantine), a request with refused
// messages has them stored first, with the same delivery as the operations' (delivery.js); only
// then are the valid ones forwarded. When they cannot be stored the answer is 503 with Retry-After
// and nothing is forwarded.
import { BODY_TIMEOUT_MS, readBody, tooLarge } from "./body.js";
import { corsFor, originPolicy, preflightHeaders, withHeaders } from "./cors.js";
import { badSignature, basicUser, bodyWriteKeys, constantTimeEqual, signatureValid, unauthorized } from "./credentials.js";
import { createGate, deliver, quarantine, quarantineUnavailable } from "./delivery.js";
import { Destination } from "./engine.js";
import { quarantineKey, withMessageIds } from "./identity.js";
import { issue, json, positiveNumber, setting } from "./respond.js";
import { allowOf, findRoute, LIMITS, methodsOf, ROUTE_SUMMARY, skippedStatus } from "./routes.js";
import { settingsOf } from "./settings.js";

export { SETTINGS } from "./settings.js";

/** What `deps` may hold: each replaces what the runtime provides (tests, and servers like `make serve`). */
const DEPS = Object.freeze(["destination", "fetch", "log", "now", "sleep", "random", "quarantine"]);

/** Parse-level codes: the body as a whole could not be read as JSON. */
const PARSE_CODES = new Set(["invalid_json", "too_large", "too_deep", "batch_too_large"]);

/**
 * Makes the request handler.
 * @param {object} [settings] the settings by name (SETTINGS), such as `process.env`; other names
 *   are ignored. Read once, here: `env` given to the handler (Workers' bindings) comes over them.
 * @param {object} [deps]
 * @param {{ mapJson(input: Uint8Array, options?: object): string }} [deps.destination] what maps
 *   the bodies; by default `new Destination({ strict: false, rules })` of this package, `rules`
 *   from the RULES setting, built once per distinct RULES
 * @param {typeof fetch} [deps.fetch] used for the upstream requests
 * @param {(line: string) => void} [deps.log] receives one JSON line per request (console.log)
 * @param {() => number} [deps.now] milliseconds, for durations and budgets (Date.now)
 * @param {(ms: number) => Promise<void>} [deps.sleep] the wait between upstream attempts
 * @param {() => number} [deps.random] in [0, 1), for the backoff jitter (Math.random)
 * @param {(lines: string) => Promise<void>} [deps.quarantine] stores a request's quarantine records
 *   (JSONL), instead of QUARANTINE_ENDPOINT; throws (or rejects) when they were not stored
 * @returns {(request: Request, env?: object) => Promise<Response>}
 */
export function createHandler(settings = {}, deps = {}) {
  if (settings === null || typeof settings !== "object") {
    throw new TypeError("createHandler(settings, deps): settings must be an object, such as process.env or { ASTROLABE_ENDPOINT: \"https://...\" }");
  }
  if (deps === null || typeof deps !== "object") {
    throw new TypeError("createHandler(settings, deps): deps must be an object, such as { fetch }");
  }
  const unknown = Object.keys(deps).filter((name) => !DEPS.includes(name));
  if (unknown.length > 0) {
    throw new TypeError(`createHandler: unknown dependency ${unknown.map((name) => JSON.stringify(name)).join(", ")}; known: ${DEPS.join(", ")}`);
  }
  for (const name of DEPS.slice(1)) {
    if (deps[name] !== undefined && typeof deps[name] !== "function") {
      throw new TypeError(`createHandler: deps.${name} must be a function`);
    }
  }
  const given = deps.destination;
  if (given !== undefined && (given === null || typeof given !== "object" || typeof given.mapJson !== "function")) {
    throw new TypeError("createHandler: deps.destination must be a Destination of astrolabe-segment (it needs mapJson)");
  }
  if (deps.quarantine !== undefined && given !== undefined && typeof given.quarantine !== "function") {
    throw new TypeError("createHandler: with deps.quarantine, deps.destination must be a Destination of astrolabe-segment (it needs quarantine)");
  }
  const configured = settingsOf(settings);
  const destinations = destinationsFor(given);
  // Settings given here are checked now, so that a bad RULES stops the server at its start.
  const first = destinations(configured);
  if (first.error !== undefined) throw new TypeError(`createHandler: ${first.error}`);
  const io = {
    fetch: deps.fetch ?? ((...args) => globalThis.fetch(...args)),
    log: deps.log ?? ((line) => console.log(line)),
    now: deps.now ?? (() => Date.now()),
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: deps.random ?? Math.random,
    quarantine: deps.quarantine,
    // One per isolate and sink: the cap on requests in flight holds across requests.
    gate: createGate(),
    quarantineGate: createGate(),
  };

  return async function handle(request, env) {
    // Workers hand their bindings to each request; elsewhere the settings given above are all.
    const current = env !== null && typeof env === "object" ? { ...configured, ...settingsOf(env) } : configured;
    const started = io.now();
    const receivedAt = new Date().toISOString();
    const requestId = crypto.randomUUID();
    const url = new URL(request.url);
    const record = {
      requestId,
      method: request.method,
      path: url.pathname,
      status: 0,
      received: 0,
      forwarded: 0,
      rejected: 0,
      skipped: 0,
      quarantined: 0,
      operations: 0,
      upstreamAttempts: 0,
    };
    const retryCount = request.headers.get("x-retry-count");
    // analytics.js and analytics-node number their retries: logged, so that answers which make
    // senders come back show up as such.
    if (retryCount !== null && /^\d{1,6}$/.test(retryCount.trim())) record.senderRetry = Number(retryCount);
    const cors = crossOrigin(request, current);
    let response;
    try {
      const destination = destinations(current);
      response = destination.error !== undefined
        ? notConfigured(record, destination.error)
        : await route(request, url, current, record, destination.engine, io, cors, receivedAt);
    } catch (error) {
      // A bug, not bad input: answer 500 (Segment retries) and log the kind of error, not the data.
      record.error = "internal";
      record.errorName = error?.name ?? "Error";
      response = json(500, { message: "Internal error in the edge worker; the request was not processed." });
    }
    // Errors too: a page reads why its call failed only from an answer it is allowed to read.
    response = withHeaders(response, { ...cors.headers, "x-request-id": requestId });
    record.status = response.status;
    record.durationMs = Math.max(0, io.now() - started);
    try {
      // A 501 is the answer to a call type Astrolabe does not take, not a failure of the worker.
      const failed = response.status >= 500 && response.status !== 501;
      io.log(JSON.stringify({ level: failed ? "error" : "info", ...record }));
    } catch {
      // Logging never changes the answer.
    }
    return response;
  };
}

/** The CORS verdict on a request; `invalid` names an ALLOWED_ORIGINS entry that is not an origin. */
function crossOrigin(request, env) {
  const policy = originPolicy(setting(env.ALLOWED_ORIGINS));
  if (policy.invalid === undefined) return corsFor(request, policy);
  const origin = request.headers.get("origin");
  if (origin === null) return { allowed: true, origin, headers: {} };
  // The page may read this answer: it says what to fix, and nothing was forwarded.
  return {
    allowed: false,
    invalid: policy.invalid,
    origin,
    headers: { "access-control-allow-origin": origin, vary: "Origin" },
  };
}

/** The settings a Destination is built from. */
const DESTINATION_SETTINGS = ["RULES", "PRIVACY", "PRIVACY_HASH_KEY"];

/**
 * The Destination for each value of its settings (the same one while they stay the same: Workers'
 * bindings come with each request), or the error they give; `given` (deps.destination) for all.
 */
function destinationsFor(given) {
  const built = new Map();
  return (settings) => {
    if (given !== undefined) return { engine: given };
    const key = JSON.stringify(DESTINATION_SETTINGS.map((name) => settings[name] ?? ""));
    let found = built.get(key);
    if (found === undefined) {
      found = buildDestination(settings);
      // A few distinct values at most in one deployment; more would be a bug in its settings.
      if (built.size >= 8) built.clear();
      built.set(key, found);
    }
    return found;
  };
}

/**
 * The Destination its settings give (RULES, PRIVACY, PRIVACY_HASH_KEY; a string is RULES alone),
 * as `{ engine }`, or `{ error }` saying which setting cannot be used and why. Exported for servers
 * that build the handler's Destination themselves (`make serve`'s inspector, which watches each call).
 */
export function buildDestination(settings) {
  const given = typeof settings === "string" ? { RULES: settings } : (settings ?? {});
  const config = { strict: false };
  const rules = jsonSetting(given.RULES, "RULES", '{"near_miss_reserved":"off"}');
  if (rules.error !== undefined) return rules;
  config.rules = rules.value;
  const privacy = jsonSetting(given.PRIVACY, "PRIVACY", '{"action":"redact"}');
  if (privacy.error !== undefined) return privacy;
  // The hash key is a secret: a setting of its own, so that it can be one (wrangler secret put).
  const hashKey = setting(given.PRIVACY_HASH_KEY);
  if (privacy.value !== undefined || hashKey !== undefined) {
    config.privacy = hashKey === undefined ? privacy.value : { ...(privacy.value ?? {}), hashKey };
  }
  try {
    return { engine: new Destination(config) };
  } catch (error) {
    const names = DESTINATION_SETTINGS.filter((name) => setting(given[name]) !== undefined).join(" or ") || "the settings";
    return { error: `${names} cannot be used: ${error.message.replace(/^invalid Destination config: /, "")}.` };
  }
}

/** A setting holding JSON: `{ value }` (undefined when unset), or `{ error }` naming it. */
function jsonSetting(text, name, example) {
  if (setting(text) === undefined) return { value: undefined };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `${name} is not JSON (${error.message}); give an object such as ${example}.` };
  }
}

function notConfigured(record, message) {
  record.error = "not_configured";
  return json(500, { message: `The edge worker is not configured: ${message}` });
}

async function route(request, url, env, record, destination, io, cors, receivedAt) {
  if (cors.invalid !== undefined) {
    record.error = "not_configured";
    return json(500, {
      message: `ALLOWED_ORIGINS has an entry that is not an origin: ${JSON.stringify(cors.invalid)}. ` +
        "Give origins as scheme://host[:port], comma-separated, or * for any.",
    });
  }
  if (!cors.allowed) {
    const origin = cors.origin.slice(0, 200);
    record.error = "origin_not_allowed";
    record.origin = origin; // what to add to ALLOWED_ORIGINS, if it belongs there
    return json(403, {
      message: `Origin ${origin} may not send here (ALLOWED_ORIGINS); nothing was forwarded.`,
      errors: [issue("origin_not_allowed", "", `The origin ${origin} is not in ALLOWED_ORIGINS.`)],
    });
  }
  const target = findRoute(url.pathname);
  if (!target) {
    return json(404, { message: `No route ${url.pathname}: use ${ROUTE_SUMMARY}.` });
  }
  if (request.method === "OPTIONS") {
    return new Response(null, { status: 204, headers: preflightHeaders(request, allowOf(target)) });
  }
  if (!methodsOf(target).includes(request.method)) {
    const methods = methodsOf(target).join(" or ");
    return json(405, { message: `Use ${methods} ${target.path}.` }, { allow: allowOf(target) });
  }
  if (target.kind === "health") return json(200, { ok: true });
  if (target.kind === "metrics") {
    // analytics.js reports its own counters here: not Segment calls, and nothing to store.
    return json(200, {
      ok: true,
      skipped: true,
      reason: issue("not_forwarded", "", "analytics.js's own metrics are acknowledged and not forwarded."),
    });
  }

  // Segment's deliveries prove themselves with X-Signature when a shared secret is set; every
  // other sender, and /webhook without one, with the write key.
  const secret = target.kind === "delivery" ? setting(env.SEGMENT_SHARED_SECRET) : undefined;
  const writeKey = secret === undefined ? setting(env.SEGMENT_WRITE_KEY) : undefined;
  if (secret !== undefined && request.headers.get("x-signature") === null) {
    record.error = "invalid_signature";
    return badSignature("SEGMENT_SHARED_SECRET is set: sign the body with it (X-Signature: hex HMAC-SHA1), as Segment's Webhooks destination does.");
  }
  // Credentials in the header are checked before the body is read.
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

  const body = await readBody(request, target.limit, positiveNumber(env.ASTROLABE_BODY_TIMEOUT_MS, BODY_TIMEOUT_MS));
  if (body.error) {
    record.error = body.error.code;
    return json(
      body.error.status,
      { message: body.error.message, errors: [body.error.issue] },
      body.error.close ? { connection: "close" } : {},
    );
  }
  const bytes = body.bytes;

  if (secret !== undefined && !(await signatureValid(bytes, request.headers.get("x-signature"), secret))) {
    record.error = "invalid_signature";
    return badSignature("X-Signature is not the HMAC-SHA1 of this body with SEGMENT_SHARED_SECRET; nothing was forwarded.");
  }
  if (!authenticated) {
    const given = bodyWriteKeys(bytes);
    if (given === undefined || !given.every((key) => constantTimeEqual(key, writeKey))) {
      record.error = "unauthorized";
      return unauthorized(
        "Authenticate with HTTP Basic (the write key as user name) or a writeKey field in the body (or in every item of a batch).",
      );
    }
  }

  // The refused messages are kept first (when a quarantine is set): only then is anything forwarded.
  // The request's deliveries (the quarantine's, then the operations') share one time budget.
  io = { ...io, clock: {} };
  const keep = async (result, options) => {
    if (!refusesAny(result, options.takes ?? (options.type === undefined ? "any" : "message"))) return undefined;
    const kept = await keepRefused(bytes, target, options, env, record, destination, io, receivedAt);
    return kept.ok ? undefined : kept.response;
  };
  if (target.kind === "single") {
    const options = { type: target.type };
    const result = JSON.parse(destination.mapJson(bytes, options));
    return (await keep(result, options)) ?? handleSingle(result, target, env, record, io);
  }
  const result = JSON.parse(destination.mapJson(bytes));
  if (target.kind === "batch" || Array.isArray(result.outcomes)) {
    return (await keep(result, target.kind === "batch" ? { takes: "batch" } : {})) ?? handleBatch(result, env, record, io);
  }
  // A delivery of one message: the same 32 KB as the single routes, as a 413.
  if (bytes.length > LIMITS.single) {
    const { error } = tooLarge(LIMITS.single);
    record.error = error.code;
    return json(error.status, { message: error.message, errors: [error.issue] });
  }
  return (await keep(result, {})) ?? handleSingle(result, target, env, record, io);
}

/**
 * Whether the handler refuses any of a body's messages (then they are kept first), given its
 * answer and what the route takes: the mirror of the library's quarantine (src/quarantine.rs),
 * which says which exactly, and of handleSingle and handleBatch, which answer them.
 */
function refusesAny(result, takes) {
  if (Array.isArray(result.outcomes)) {
    return takes === "message" || result.errors.length > 0 || result.outcomes.some((outcome) => outcome.status === "invalid");
  }
  return takes === "batch" || result.status === "invalid";
}

/**
 * Stores the quarantine records of a body with refused messages: through deps.quarantine, or at
 * QUARANTINE_ENDPOINT; nothing when neither is set. Resolves `{ ok: true }`, or `{ ok: false,
 * response }`, the 503 the sender gets instead.
 */
async function keepRefused(bytes, target, options, env, record, destination, io, receivedAt) {
  const endpoint = setting(env.QUARANTINE_ENDPOINT);
  if (io.quarantine === undefined && endpoint === undefined) return { ok: true };
  if (typeof destination.quarantine !== "function") {
    record.error = "not_configured";
    return { ok: false, response: json(500, { message: "The edge worker is not configured: the quarantine needs a Destination of astrolabe-segment (deps.destination has no quarantine)." }) };
  }
  const lines = destination.quarantine(bytes, { receivedAt, route: target.path, requestId: record.requestId }, options);
  if (lines === "") return { ok: true };
  const count = lines.split("\n").length - 1;
  if (io.quarantine !== undefined) {
    try {
      await io.quarantine(lines);
    } catch (error) {
      record.error = "quarantine_failed";
      record.errorName = error?.name ?? "Error";
      return { ok: false, response: quarantineUnavailable("The refused messages could not be stored.") };
    }
  } else {
    const kept = await quarantine(lines, await quarantineKey(target.path, bytes), env, record, io, io.quarantineGate, io.clock);
    if (!kept.ok) return kept;
  }
  record.quarantined = count;
  return { ok: true };
}

async function handleSingle(result, target, env, record, io) {
  record.received = 1;
  if (Array.isArray(result.outcomes)) {
    // The body was an array or a batch envelope.
    record.rejected = 1;
    record.error = "invalid_type";
    return json(400, {
      message: `POST ${target.path} takes one message, a JSON object; send batches to /v1/batch.`,
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
    const status = skippedStatus(target, result.reason);
    const message = `Not forwarded: ${result.reason?.message ?? "skipped"}`;
    if (status !== 200) {
      record.error = result.reason.code;
      return json(status, { message, skipped: true, reason: result.reason, errors: [result.reason] });
    }
    return json(200, { ok: true, skipped: true, reason: result.reason, message, warnings: result.warnings });
  }
  const { operations, derived } = await withMessageIds([result.operations]);
  const delivery = await deliver(operations, env, record, io, io.gate, io.clock);
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
      skipped.push({ index, ...reason });
    } else {
      const [first = issue("invalid_type", `/batch/${index}`, "Invalid message.")] = outcome.errors;
      // The first error as the package wrote it (code, path, message and, when one is named, hint).
      rejected.push({ index, ...first, errors: outcome.errors });
    }
  });
  record.received = result.outcomes.length;
  record.rejected = rejected.length;
  record.skipped = skipped.length;
  const { operations, derived } = await withMessageIds(messages);
  if (operations.length > 0) {
    const delivery = await deliver(operations, env, record, io, io.gate, io.clock);
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
// Helpers.

function describeInvalid(errors) {
  const first = errors[0];
  if (!first) return "The request is invalid.";
  const text = first.message.replace(/\.$/, "");
  const where = first.path === "" ? "" : ` (at ${first.path})`;
  const more = errors.length > 1 ? ` And ${errors.length - 1} more error(s), listed in errors.` : "";
  return `${text}${where}.${more}`;
}
