// The inspector's own routes, for the playground's Live view and for tests and CI:
//   GET    /inspector/events    { total, dropped, matched, events }, newest first, filtered by
//                               status, type, event, code, messageId, userId, since, text, limit
//   DELETE /inspector/events    forgets every message (memory and file)
//   GET    /inspector/summary   { total, dropped, byStatus, byCode }
//   GET    /inspector/export    every kept message as JSON Lines, oldest first (a download,
//                               streamed: memory and file, whatever their size)
//   GET    /inspector/stream    Server-Sent Events: `snapshot` (the newest messages and the
//                               summary), then `added` per arriving request, and `cleared`
// No CORS on purpose: other sites may send messages here, but never read or delete them (and
// serve.mjs refuses a request that changes something when it comes from another site).
import { parseFilter } from "../../www/live-filter.js";

/** How many messages the stream's first `snapshot` carries. */
const SNAPSHOT = 200;
/** A Live view that reads slower than this many bytes behind is cut off (it reconnects). */
const STREAM_BACKLOG = 16 * 1024 * 1024;

function json(res, status, body, headers) {
  res.writeHead(status, { ...headers, "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/** True when the path is the inspector's. */
export const isInspectorPath = (pathname) => pathname === "/inspector" || pathname.startsWith("/inspector/");

/**
 * Answers one request under /inspector/.
 * @param {import("./store.mjs").Store} store
 * @param {object} headers what every answer carries (the server's security headers)
 */
export async function serveInspector(store, req, res, url, headers) {
  const { pathname } = url;
  const methods = { "/inspector/events": ["GET", "HEAD", "DELETE"], "/inspector/summary": ["GET", "HEAD"], "/inspector/export": ["GET", "HEAD"], "/inspector/stream": ["GET"] };
  if (!Object.hasOwn(methods, pathname)) {
    return json(res, 404, { message: `No inspector route ${pathname}: use /inspector/events, /inspector/summary, /inspector/export or /inspector/stream.` }, headers);
  }
  if (!methods[pathname].includes(req.method)) {
    return json(res, 405, { message: `Use ${methods[pathname].join(" or ")} ${pathname}.` }, { ...headers, Allow: methods[pathname].join(", ") });
  }
  const noStore = { ...headers, "Cache-Control": "no-store" };
  if (pathname === "/inspector/summary") return json(res, 200, store.summary(), noStore);
  if (pathname === "/inspector/events") {
    if (req.method === "DELETE") {
      store.clear();
      return json(res, 200, { ok: true, total: 0 }, noStore);
    }
    return json(res, 200, await store.query(parseFilter(url.searchParams)), noStore);
  }
  if (pathname === "/inspector/export") return exportLines(store, req, res, noStore);
  return stream(store, req, res, noStore);
}

/** Every kept message, streamed as it is read, as fast as the client takes it. */
async function exportLines(store, req, res, headers) {
  res.writeHead(200, {
    ...headers,
    "Content-Type": "application/x-ndjson; charset=utf-8",
    "Content-Disposition": 'attachment; filename="inspector-events.jsonl"',
  });
  if (req.method === "HEAD") return res.end();
  let gone = false;
  res.once("close", () => {
    gone = true;
  });
  for await (const chunk of store.jsonLines()) {
    if (gone) return;
    if (!res.write(chunk)) await drained(res);
  }
  res.end();
}

/** Resolves when `res` can take more, or is gone. */
function drained(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

function stream(store, req, res, headers) {
  res.writeHead(200, { ...headers, "Content-Type": "text/event-stream; charset=utf-8", Connection: "keep-alive" });
  const send = (kind, data) => {
    res.write(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
    if (res.writableLength > STREAM_BACKLOG) res.destroy();
  };
  send("snapshot", { ...store.summary(), events: store.newest(SNAPSHOT) });
  const unsubscribe = store.subscribe((change) => {
    if (change.kind === "cleared") send("cleared", store.summary());
    else send("added", { ...store.summary(), events: change.events });
  });
  // A comment now and then keeps proxies and idle timeouts from closing a quiet stream.
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  const stop = () => {
    clearInterval(keepAlive);
    unsubscribe();
  };
  req.on("close", stop);
  res.on("error", stop);
}
