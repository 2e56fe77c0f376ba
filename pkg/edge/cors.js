// Cross-origin requests: analytics.js posts from the customer's site to the worker's origin, with
// `Authorization` (its write key) and, on a retry, `X-Retry-Count`. Those headers make every call
// a non-simple request, so the browser sends a preflight first and then reads the answer only if
// it carries Access-Control-Allow-Origin: without these headers no browser call is delivered.
//
// ALLOWED_ORIGINS: unset (or `*`) allows every origin, as Segment's own API does; otherwise a
// comma-separated list of origins (`https://app.example.com, https://example.com`).
// A request without an Origin header (server SDKs, Segment's deliveries) is never refused here.

/** What a sender may put on a cross-origin request: what SDKs send, and what this worker reads. */
export const ALLOWED_HEADERS = ["Content-Type", "Authorization", "X-Retry-Count", "Idempotency-Key", "Content-Encoding"];
/** What a page may read of an answer besides the safelisted headers: when to retry, and the request's id. */
export const EXPOSED_HEADERS = ["Retry-After", "X-Request-Id"];
/** How long a browser may reuse a preflight (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7_200;

/**
 * The policy of ALLOWED_ORIGINS: `{ any: true }`, `{ origins: Set }`, or `{ invalid: entry }`
 * when an entry is not an origin (so the mistake is named instead of refusing every page).
 */
export function originPolicy(setting) {
  const text = setting === undefined || setting === null ? "" : String(setting).trim();
  if (text === "" || text === "*") return { any: true };
  const origins = new Set();
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    if (entry === "*") return { any: true };
    const origin = originOf(entry);
    if (origin === undefined) return { invalid: entry };
    origins.add(origin);
  }
  return origins.size === 0 ? { any: true } : { origins };
}

/** `scheme://host[:port]` of an entry, lower-cased as browsers send it, or undefined. */
function originOf(entry) {
  if (entry === "null") return "null"; // sandboxed frames and file: pages send this
  // URL takes "https://*.example.com" as a host name that no browser sends: name it instead.
  if (entry.includes("*")) return undefined;
  let url;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  const bare = url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
  if (!bare || (url.protocol !== "http:" && url.protocol !== "https:")) return undefined;
  return url.origin;
}

/**
 * What to do with a request's Origin: `{ allowed: true, headers }` with the headers every answer
 * gets, or `{ allowed: false, headers }` (a refused origin gets no Access-Control-Allow-Origin, so
 * its page cannot read anything back).
 */
export function corsFor(request, policy) {
  const origin = request.headers.get("origin");
  if (policy.any) {
    return {
      allowed: true,
      origin,
      headers: { "access-control-allow-origin": "*", "access-control-expose-headers": EXPOSED_HEADERS.join(", ") },
    };
  }
  // The answer depends on Origin: caches must keep one per origin.
  const vary = { vary: "Origin" };
  if (origin === null) return { allowed: true, origin, headers: vary };
  if (!policy.origins.has(origin)) return { allowed: false, origin, headers: vary };
  return {
    allowed: true,
    origin,
    headers: {
      ...vary,
      "access-control-allow-origin": origin,
      "access-control-expose-headers": EXPOSED_HEADERS.join(", "),
    },
  };
}

/** The headers of a preflight's answer, for a route answering `allow` (e.g. "POST, OPTIONS"). */
export function preflightHeaders(request, allow) {
  const headers = {
    allow,
    "access-control-allow-methods": allow,
    "access-control-allow-headers": ALLOWED_HEADERS.join(", "),
    "access-control-max-age": String(PREFLIGHT_MAX_AGE_SECONDS),
  };
  // A public page posting to a worker on a private address (`make edge` on a laptop): Chromium's
  // Private Network Access asks first.
  if (request.headers.get("access-control-request-private-network") === "true") {
    headers["access-control-allow-private-network"] = "true";
  }
  return headers;
}

/** The answer with `headers` added; a copy, so that an answer with immutable headers works too. */
export function withHeaders(response, headers) {
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) {
    if (name === "vary" && merged.has("vary")) merged.set("vary", `${merged.get("vary")}, ${value}`);
    else merged.set(name, value);
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: merged });
}
