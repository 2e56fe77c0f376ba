// The routing table and the statuses that depend on the route, apart from the handler so that
// another server can answer the same paths the same way: `make serve` (scripts/serve.mjs and
// scripts/inspector/) runs this handler in Node and uses this table to know its paths.
//
// Two audiences, two conventions for a call Astrolabe does not support (page, screen, alias, delete):
// - senders (server SDKs, the HTTP API, analytics.js in a browser) retry what is not a 2xx (every
//   SDK retries a 5xx; analytics.js more), so a 501 there only brings the same call back: they
//   get a 200 with `skipped`;
// - Segment's own delivery to `/webhook` follows the partner-destination convention, where 501
//   means "this destination does not take that type" and is not retried.
// ../shared/segment-spec.md section 1 records both decisions.

import { limits } from "./engine.js";

/** Segment's limits, as the engine has them: one message 32 KB, one batch request 500 KB. */
export const LIMITS = Object.freeze({ single: limits.messageBytes, batch: limits.batchBytes });

export const AUDIENCE = Object.freeze({ sender: "sender", segment: "segment" });

const single = (type) => Object.freeze({ kind: "single", type, audience: AUDIENCE.sender, limit: LIMITS.single });
const batch = Object.freeze({ kind: "batch", audience: AUDIENCE.sender, limit: LIMITS.batch });

/**
 * Every route. `kind`: `single` (the call type comes from the path), `batch`, `delivery` (one
 * message carrying its own `type`, or a batch), `metrics` (acknowledged, never forwarded),
 * `health`. The one-letter paths are the ones analytics.js posts to (`${apiHost}/${type[0]}`,
 * `/b` for its batching strategy, `/m` for its own metrics).
 */
export const ROUTES = Object.freeze({
  "/v1/identify": single("identify"),
  "/v1/group": single("group"),
  "/v1/track": single("track"),
  "/v1/page": single("page"),
  "/v1/screen": single("screen"),
  "/v1/alias": single("alias"),
  "/v1/i": single("identify"),
  "/v1/g": single("group"),
  "/v1/t": single("track"),
  "/v1/p": single("page"),
  "/v1/s": single("screen"),
  "/v1/a": single("alias"),
  "/v1/batch": batch,
  "/v1/import": batch,
  "/v1/b": batch,
  "/v1/m": Object.freeze({ kind: "metrics", audience: AUDIENCE.sender, limit: LIMITS.single }),
  "/webhook": Object.freeze({ kind: "delivery", audience: AUDIENCE.segment, limit: LIMITS.batch }),
  "/health": Object.freeze({ kind: "health" }),
});

/** The route of a URL path (a trailing slash ignored), with its normalized `path`; or undefined. */
export function findRoute(pathname) {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  return Object.hasOwn(ROUTES, path) ? { path, ...ROUTES[path] } : undefined;
}

/** The methods a route answers, besides OPTIONS (CORS preflights). */
export function methodsOf(route) {
  return route.kind === "health" ? ["GET", "HEAD"] : ["POST"];
}

/** The `Allow` header of a route. */
export function allowOf(route) {
  return [...methodsOf(route), "OPTIONS"].join(", ");
}

/**
 * The status of a message that is valid but not forwarded: 501 only for an unsupported call
 * type delivered by Segment itself; 200 otherwise (integrations.Astrolabe: false, and every
 * unsupported call from a sender).
 */
export function skippedStatus(route, reason) {
  return route.audience === AUDIENCE.segment && reason?.code === "unsupported_type" ? 501 : 200;
}

/** What the 404 answer lists. */
export const ROUTE_SUMMARY =
  "POST /v1/identify, /v1/group, /v1/track, /v1/page, /v1/screen, /v1/alias (or /v1/i, /v1/g, /v1/t, /v1/p, /v1/s, /v1/a), " +
  "/v1/batch, /v1/import or /v1/b (batches), /webhook (Segment's Webhooks destination), GET /health";
