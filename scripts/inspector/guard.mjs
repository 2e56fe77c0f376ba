// Who may use the inspector's own routes (/inspector/...). Senders of messages may be anywhere,
// as for Segment; what the inspector keeps is read and changed only from this machine:
//  - the Host must name this machine, so that a page from another site that rebinds its own host
//    name to 127.0.0.1 cannot read the inspector (DNS rebinding);
//  - a request that changes something (DELETE, or any method but GET and HEAD) must not come from
//    a page of another site: a browser says where a request comes from (Sec-Fetch-Site, Origin),
//    and a form or fetch from another site reaches localhost as well as any page of this one.

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** True when the Host header names this machine, or the server listens beyond loopback by request. */
export function hostAllowed(req, listening) {
  if (!LOOPBACK.has(listening)) return true; // listening beyond loopback was asked for explicitly
  const name = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(req.headers.host ?? "")?.[1]?.toLowerCase();
  return name !== undefined && LOOPBACK.has(name);
}

/**
 * Why a request that changes something must be refused as coming from another site, or
 * undefined. Its `Sec-Fetch-Site` must be `same-origin` or `none` (another port of localhost is
 * `same-site`: another app, refused too), and its `Origin`, when sent, this server's own. Requests
 * with neither (curl, tests, scripts) come from no page.
 */
export function crossSite(req) {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const site = header(req, "sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site: ${site}`;
  const origin = header(req, "origin");
  if (origin !== undefined && origin.toLowerCase() !== `http://${header(req, "host") ?? ""}`.toLowerCase()) return `Origin: ${origin}`;
  return undefined;
}

function header(req, name) {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
