// The inspector's own routes, for the playground's Live view and for tests and CI:
//   GET    /inspector/events    { total, dropped, matched, events }, newest first, filtered by
//                               status, type, event, code, messageId, userId, since, text, limit
//   DELETE /inspector/events    forgets every message (memory and file)
//   GET    /inspector/summary   { total, dropped, byStatus, byCode }
//   GET    /inspector/export    every kept message as JSON Lines, oldest first (a download,
//                               streamed: memory and file, whatever their size)
//   GET    /inspector/stream    Server-Sent Events: `snapshot` (the newest messages and the
//                               summary, and the quarantine's `{ total, records }`), then `added`
//                               per arriving request, `cleared`, and `quarantined` (the
//                               quarantine's total and its new records) or `quarantine-cleared`
//   GET    /inspector/quarantine         { total, records }: the refused messages' records, newest
//                                        first (limit, default 100, at most 1000), each its head
//                                        only: n, receivedAt, route, requestId, index, errors
//                                        ({ code, path }), whole (a request refused as a whole);
//                                        never the message
//   DELETE /inspector/quarantine         forgets them (after a replay)
//   GET    /inspector/quarantine/export  the quarantine's JSON Lines as written (a download, for
//                                        astrolabe-segment replay)
// No CORS on purpose: other sites may send messages here, but never read or delete them (and
// serve.mjs refuses a request that changes something when it comes from another site).
import { parseFilter } from "../../www/live-filter.js";
import { HEADS } from "./quarantine.mjs";

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
 * @param {import("./quarantine.mjs").Quarantine} [quarantine] the refused messages' records
 */
export async function serveInspector(store, req, res, url, headers, quarantine) {
  const { pathname } = url;
  const methods = { "/inspector/events": ["GET", "HEAD", "DELETE"], "/inspector/summary": ["GET", "HEAD"], "/inspector/export": ["GET", "HEAD"], "/inspector/stream": ["GET"] };
  if (quarantine) {
    methods["/inspector/quarantine"] = ["GET", "HEAD", "DELETE"];
    methods["/inspector/quarantine/export"] = ["GET", "HEAD"];
  }
  if (!Object.hasOwn(methods, pathname)) {
    const routes = Object.keys(methods);
    return json(res, 404, { message: `No inspector route ${pathname}: use ${routes.slice(0, -1).join(", ")} or ${routes.at(-1)}.` }, headers);
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
  if (pathname === "/inspector/export") return exportLines(store.jsonLines(), "inspector-events.jsonl", req, res, noStore);
  if (pathname === "/inspector/quarantine") {
    if (req.method === "DELETE") {
      await quarantine.clear();
      return json(res, 200, { ok: true, total: 0 }, noStore);
    }
    const asked = Number(url.searchParams.get("limit") ?? 100);
    const limit = Number.isInteger(asked) && asked >= 0 ? Math.min(asked, HEADS) : 100;
    return json(res, 200, quarantine.summary(limit), noStore);
  }
  if (pathname === "/inspector/quarantine/export") return exportLines(quarantine.jsonLines(), "quarantine.jsonl", req, res, noStore);
  return stream(store, req, res, noStore, quarantine);
}

/** Every line of `lines` (kept messages, or the quarantine), streamed as it is read, as fast as the client takes it. */
async function exportLines(lines, filename, req, res, headers) {
  res.writeHead(200, {
    ...headers,
    "Content-Type": "application/x-ndjson; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename}"`,
  });
  if (req.method === "HEAD") return res.end();
  let gone = false;
  res.once("close", () => {
    gone = true;
  });
  for await (const chunk of lines) {
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

function stream(store, req, res, headers, quarantine) {
  res.writeHead(200, { ...headers, "Content-Type": "text/event-stream; charset=utf-8", Connection: "keep-alive" });
  const send = (kind, data) => {
    res.write(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
    if (res.writableLength > STREAM_BACKLOG) res.destroy();
  };
  send("snapshot", { ...store.summary(), events: store.newest(SNAPSHOT), ...(quarantine ? { quarantine: quarantine.summary(SNAPSHOT) } : {}) });
  const unsubscribeStore = store.subscribe((change) => {
    if (change.kind === "cleared") send("cleared", store.summary());
    else send("added", { ...store.summary(), events: change.events });
  });
  const unsubscribeQuarantine = quarantine?.subscribe((change) => {
    if (change.kind === "cleared") send("quarantine-cleared", { total: 0 });
    else send("quarantined", { total: quarantine.total, records: change.heads });
  });
  const unsubscribe = () => {
    unsubscribeStore();
    unsubscribeQuarantine?.();
  };
  // A comment now and then keeps proxies and idle timeouts from closing a quiet stream.
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  const stop = () => {
    clearInterval(keepAlive);
    unsubscribe();
  };
  req.on("close", stop);
  res.on("error", stop);
}
