// Delivery: one POST of the operations upstream (or of a request's quarantine records to the
// quarantine's sink, by the same code: `post`), bounded retries with jittered exponential backoff,
// a timeout per attempt, redirects refused, and a cap on the requests in flight per isolate.
//
// What the sender is told follows what is known of storage: 2xx only when Astrolabe answered
// 2xx; "nothing was stored" only when every attempt was refused outright (a 4xx that is not a
// timeout or a conflict) or redirected; otherwise "may have been stored", which is safe to retry
// because every operation carries its message's id and the request its Idempotency-Key.
import { idempotencyKey } from "./identity.js";
import { json, positiveNumber, setting } from "./respond.js";

export const DEFAULTS = Object.freeze({
  budgetMs: 10_000,
  maxAttempts: 5,
  baseMs: 250,
  capMs: 4_000,
  maxConcurrent: 64,
});
/** How much of an upstream error body is passed back to the sender. */
const UPSTREAM_BODY_LIMIT = 2_000;
const USER_AGENT = "astrolabe-segment-edge/0.1";
const MAY_BE_STORED =
  "the operations may have been stored; a retry is safe, since Astrolabe drops repeats by messageId and Idempotency-Key";

/**
 * A cap on concurrent upstream requests. A request waits for a free slot in arrival order, up to
 * its deadline; `limit` is read on each call, so a changed setting applies at once.
 */
export function createGate() {
  let active = 0;
  const waiting = [];
  return {
    /** Resolves true with a slot, or false when `deadline` passes first. */
    acquire(limit, deadline, io) {
      if (active < limit) {
        active += 1;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const waiter = { resolve };
        waiter.timer = setTimeout(() => {
          const at = waiting.indexOf(waiter);
          if (at !== -1) waiting.splice(at, 1);
          resolve(false);
        }, Math.max(1, deadline - io.now()));
        waiting.push(waiter);
      });
    },
    release() {
      const next = waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.resolve(true); // the slot passes on; `active` is unchanged
      } else {
        active -= 1;
      }
    },
  };
}

/** The delivery settings, from the environment. */
export function deliverySettings(env) {
  const budgetMs = positiveNumber(env.ASTROLABE_RETRY_BUDGET_MS, DEFAULTS.budgetMs);
  const baseMs = positiveNumber(env.ASTROLABE_RETRY_BASE_MS, DEFAULTS.baseMs);
  return {
    endpoint: setting(env.ASTROLABE_ENDPOINT),
    apiKey: setting(env.ASTROLABE_API_KEY),
    budgetMs,
    attemptMs: Math.min(budgetMs, positiveNumber(env.ASTROLABE_ATTEMPT_TIMEOUT_MS, Math.ceil(budgetMs / 3))),
    maxAttempts: Math.max(1, Math.floor(positiveNumber(env.ASTROLABE_RETRY_MAX_ATTEMPTS, DEFAULTS.maxAttempts))),
    baseMs,
    capMs: Math.max(baseMs, DEFAULTS.capMs),
    maxConcurrent: Math.max(1, Math.floor(positiveNumber(env.ASTROLABE_MAX_CONCURRENT, DEFAULTS.maxConcurrent))),
  };
}

/**
 * POSTs `{"operations": [...]}` upstream. Every operation must carry its `messageId`
 * (identity.js). Resolves `{ ok: true }`, or `{ ok: false, response }` with the sender's answer.
 * `clock` is the request's: its deliveries (the quarantine's, then this one) share one budget.
 */
export async function deliver(operations, env, record, io, gate, clock = {}) {
  const settings = deliverySettings(env);
  if (settings.endpoint === undefined || settings.apiKey === undefined) {
    record.error = "not_configured";
    return {
      ok: false,
      response: json(500, {
        message: "The edge worker is not configured: set ASTROLABE_ENDPOINT and ASTROLABE_API_KEY.",
      }),
    };
  }
  record.operations = operations.length;
  const sent = await post(UPSTREAM, settings, {
    body: JSON.stringify({ operations }),
    contentType: "application/json",
    apiKey: settings.apiKey,
    idempotencyKey: await idempotencyKey(operations),
  }, record, io, gate, clock);
  return sent.ok ? sent : { ok: false, response: upstreamFailure(sent.last, sent.mayBeStored, record) };
}

/** The two sinks' names in the log record: where each counts its attempts and its last status. */
const UPSTREAM = Object.freeze({ attempts: "upstreamAttempts", status: "upstreamStatus" });
const QUARANTINE = Object.freeze({ attempts: "quarantineAttempts", status: "quarantineStatus" });

/**
 * Stores a request's quarantine records (JSONL, `lines`) at QUARANTINE_ENDPOINT, with the same
 * delivery as the operations' (retries within the budget, a timeout per attempt, redirects refused,
 * the isolate's cap on requests in flight: `gate`), and `key` as its Idempotency-Key. Resolves
 * `{ ok: true }` once the sink answered 2xx, or `{ ok: false, response }`: a 503 with Retry-After,
 * whatever went wrong, since nothing has been forwarded and the sender's retry is safe.
 */
export async function quarantine(lines, key, env, record, io, gate, clock = {}) {
  const settings = { ...deliverySettings(env), endpoint: setting(env.QUARANTINE_ENDPOINT) };
  const sent = await post(QUARANTINE, settings, {
    body: lines,
    contentType: "application/x-ndjson",
    apiKey: setting(env.QUARANTINE_API_KEY),
    idempotencyKey: key,
  }, record, io, gate, clock);
  return sent.ok ? sent : { ok: false, response: quarantineFailure(sent.last, record) };
}

/**
 * The one delivery of both sinks: POSTs `payload.body` to `settings.endpoint`, retrying within the
 * budget as `judge` says. Resolves `{ ok: true }` on a 2xx, or `{ ok: false, last, mayBeStored }`:
 * what the last attempt gave, and whether any attempt may have stored it. The budget is the
 * request's (`clock.deadline`, set by its first delivery), so that a request with a quarantine
 * answers within it too.
 */
async function post(names, settings, payload, record, io, gate, clock) {
  const headers = {
    "content-type": payload.contentType,
    "user-agent": USER_AGENT,
    "idempotency-key": payload.idempotencyKey,
  };
  if (payload.apiKey !== undefined) headers.authorization = `Bearer ${payload.apiKey}`;

  clock.deadline ??= io.now() + settings.budgetMs;
  const deadline = clock.deadline;
  let last; // what the last attempt gave: see attemptOnce
  let mayBeStored = false;
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt += 1) {
    const remaining = deadline - io.now();
    if (remaining <= 0) {
      last = { kind: "timeout", budgetExceeded: true };
      break;
    }
    if (!(await gate.acquire(settings.maxConcurrent, deadline, io))) {
      last = { kind: "busy" };
      break;
    }
    record[names.attempts] = attempt;
    try {
      last = await attemptOnce(settings.endpoint, headers, payload.body, Math.min(settings.attemptMs, remaining), io);
    } finally {
      gate.release();
    }
    if (last.kind === "status") record[names.status] = last.status;
    const verdict = judge(last);
    if (verdict === "delivered") return { ok: true };
    if (verdict !== "refused" && verdict !== "redirected") mayBeStored = true;
    if (verdict !== "retry" || attempt === settings.maxAttempts) break;
    const backoff = io.random() * Math.min(settings.capMs, settings.baseMs * 2 ** (attempt - 1));
    const wait = Math.max(last.retryAfterMs ?? 0, backoff);
    if (io.now() + wait >= deadline) {
      // Waiting would overrun the budget: give up now and let the sender retry later.
      last = { ...last, budgetExceeded: true };
      break;
    }
    await io.sleep(wait);
  }
  return { ok: false, last, mayBeStored };
}

/**
 * The answer when the quarantine could not store a request's refused messages: 503, Retry-After,
 * nothing forwarded (the valid messages wait for the sender's retry, so that none is answered 2xx
 * while its refused neighbours are lost).
 */
function quarantineFailure(last, record) {
  const verdict = last === undefined ? "retry" : judge(last);
  const attempts = record.quarantineAttempts ?? 0;
  let why;
  if (verdict === "redirected") {
    record.error = "quarantine_redirect";
    const to = last.location === undefined ? "" : ` to ${last.location}`;
    why = `the quarantine's endpoint answered HTTP ${last.status || "3xx"} (a redirect${to}), which is never followed`;
  } else if (last?.kind === "status") {
    record.error = verdict === "refused" ? "quarantine_refused" : "quarantine_unavailable";
    why = `the quarantine answered HTTP ${last.status} after ${attempts} attempt(s)`;
  } else if (last?.kind === "timeout") {
    record.error = "quarantine_unavailable";
    why = `the quarantine did not answer within the time budget (${attempts} attempt(s))`;
  } else if (last?.kind === "busy") {
    record.error = "quarantine_busy";
    why = "too many quarantine requests are in flight in this worker";
  } else {
    record.error = "quarantine_unreachable";
    why = `the quarantine could not be reached after ${attempts} attempt(s)`;
  }
  return quarantineUnavailable(`The refused messages could not be stored: ${why}.`, last?.retryAfterMs);
}

/** 503 with Retry-After: the request's refused messages were not stored, so nothing was forwarded. */
export function quarantineUnavailable(message, retryAfterMs) {
  return json(503, { message: `${message} Nothing was forwarded; retry later.` }, {
    "retry-after": String(Math.max(1, Math.ceil((retryAfterMs ?? 5_000) / 1000))),
  });
}

/**
 * What one attempt's result means: `delivered`, `retry`, `redirected` (not followed, not
 * retried), `refused` (a 4xx: retrying the same request cannot help), or `conflict` (a 409 not
 * marked retryable: another request with the same key may be storing it).
 */
export function judge(result) {
  if (result.kind !== "status") return "retry"; // a timeout, a dropped connection, no answer
  const { status } = result;
  if (status >= 200 && status < 300) return "delivered";
  if (status === 0 || (status >= 300 && status < 400)) return "redirected";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  if (status === 409) return result.retryable ? "retry" : "conflict";
  return "refused";
}

async function attemptOnce(endpoint, headers, payload, timeoutMs, io) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(1, timeoutMs));
  try {
    // A redirect is never followed: a 301/302/303 would turn the POST into a bodiless GET, and any
    // of them would send the operations (or the Idempotency-Key) somewhere not configured.
    const response = await io.fetch(endpoint, {
      method: "POST",
      headers,
      body: payload,
      redirect: "manual",
      signal: controller.signal,
    });
    // "opaqueredirect" (status 0) is what a browser-like fetch gives for a manual redirect.
    const status = response.type === "opaqueredirect" ? 0 : response.status;
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), io.now());
    let body = "";
    if (status >= 300 || status === 0) {
      body = await response.text().catch(() => "");
    } else {
      await response.body?.cancel().catch(() => {});
    }
    return {
      kind: "status",
      status,
      retryAfterMs,
      body,
      location: response.headers.get("location") ?? undefined,
      retryable: status === 409 && (retryAfterMs !== undefined || markedRetryable(body)),
    };
  } catch (error) {
    return controller.signal.aborted ? { kind: "timeout" } : { kind: "network", name: error?.name ?? "Error" };
  } finally {
    clearTimeout(timer);
  }
}

/** A 409 whose JSON body says `"retryable": true`. */
function markedRetryable(body) {
  try {
    return JSON.parse(body)?.retryable === true;
  } catch {
    return false;
  }
}

function upstreamFailure(last, mayBeStored, record) {
  const seconds = (ms) => String(Math.max(1, Math.ceil((ms ?? 0) / 1000)));
  const attempts = record.upstreamAttempts;
  const stored = mayBeStored ? "unknown" : "no";
  const details = (extra = {}) => ({ attempts, stored, ...extra });
  const verdict = last === undefined ? "retry" : judge(last);

  if (verdict === "redirected") {
    record.error = "upstream_redirect";
    const to = last.location === undefined ? "" : ` to ${last.location}`;
    return json(502, {
      message:
        `Astrolabe's endpoint answered HTTP ${last.status || "3xx"} (a redirect${to}), which is never followed: ` +
        `${mayBeStored ? MAY_BE_STORED : "the operations were not stored"}. Set ASTROLABE_ENDPOINT to the final URL.`,
      upstream: details({ status: last.status, location: last.location }),
    });
  }
  if (verdict === "refused") {
    // Refused by Astrolabe (bad key, bad request): retrying the same request cannot help.
    record.error = "upstream_refused";
    const outcome = mayBeStored ? `an earlier attempt got no answer, so ${MAY_BE_STORED}` : "nothing was stored";
    return json(502, {
      message: `Astrolabe refused the operations with HTTP ${last.status}; ${outcome}.`,
      upstream: details({ status: last.status, body: truncate(last.body) }),
    });
  }
  if (verdict === "conflict") {
    record.error = "upstream_conflict";
    return json(
      502,
      {
        message: `Astrolabe answered HTTP 409 (a request with the same key is in progress); ${MAY_BE_STORED}.`,
        upstream: details({ status: 409, body: truncate(last.body) }),
      },
      { "retry-after": seconds(last.retryAfterMs ?? 5_000) },
    );
  }
  if (last?.kind === "status" && last.status >= 500 && last.status !== 503 && !last.budgetExceeded) {
    record.error = "upstream_error";
    return json(
      502,
      {
        message: `Astrolabe answered HTTP ${last.status} after ${attempts} attempt(s); ${MAY_BE_STORED}.`,
        upstream: details({ status: last.status, body: truncate(last.body) }),
      },
      { "retry-after": seconds(last.retryAfterMs ?? 5_000) },
    );
  }
  let why;
  if (last?.kind === "status" && last.status === 429) {
    record.error = "upstream_rate_limited";
    why = `Astrolabe is rate limiting (HTTP 429) after ${attempts} attempt(s)`;
  } else if (last?.kind === "status") {
    record.error = last.budgetExceeded ? "upstream_budget_exceeded" : "upstream_unavailable";
    why = `Astrolabe answered HTTP ${last.status} after ${attempts} attempt(s)`;
  } else if (last?.kind === "timeout") {
    record.error = "upstream_budget_exceeded";
    why = `Astrolabe did not answer within the time budget (${attempts} attempt(s))`;
  } else if (last?.kind === "busy") {
    record.error = "upstream_busy";
    why = "Too many upstream requests are in flight in this worker";
  } else {
    record.error = "upstream_unreachable";
    why = `Astrolabe could not be reached after ${attempts} attempt(s)`;
  }
  const outcome = mayBeStored ? MAY_BE_STORED : "nothing was stored";
  const upstream = details();
  if (last?.kind === "status") upstream.status = last.status;
  return json(503, { message: `${why}; ${outcome}. Retry later.`, upstream }, {
    "retry-after": seconds(last?.retryAfterMs ?? 5_000),
  });
}

/** `Retry-After`: delay-seconds or an HTTP date, in milliseconds from now; undefined if absent or bad. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month ("Wed, 21 Oct 2026 07:28:00 GMT").
  if (!/^[A-Za-z]{3},? /.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function truncate(text) {
  if (typeof text !== "string") return "";
  return text.length > UPSTREAM_BODY_LIMIT ? `${text.slice(0, UPSTREAM_BODY_LIMIT)}…` : text;
}
