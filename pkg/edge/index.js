// `astrolabe-segment/edge`: the edge handler, Segment's HTTP Tracking API (and its Webhooks
// destination) in front of Astrolabe, for any runtime with Web APIs (Cloudflare Workers, Deno,
// Vercel Edge, Node). A Worker is:
//
//   import { createHandler } from "astrolabe-segment/edge";
//   export default { fetch: createHandler() };
//
// docs/edge.md describes the settings, routes, statuses and the delivery contract.
export { createHandler, SETTINGS } from "./handler.js";
export { findRoute, ROUTES } from "./routes.js";
export { signatureOf } from "./credentials.js";
