// The customer's site in the browser tests: another origin than the worker's (its own port on
// 127.0.0.1) that self-hosts analytics.js from the npm package, so nothing comes from Segment:
//   /analytics.js                                   the UMD build (window.AnalyticsNext), for npm-style use
//   /cdn/analytics.js/v1/<writeKey>/analytics.min.js the standalone build, what Segment's snippet loads
//   /cdn/analytics-next/bundles/<chunk>.js           the bundles either loads lazily (`analytics._cdn` = /cdn)
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { ROOT } from "./harness.mjs";

export const ANALYTICS_UMD = path.join(ROOT, "node_modules/@segment/analytics-next/dist/umd");

function builtIn(pathname) {
  if (pathname === "/analytics.js") return "index.js";
  if (/^\/cdn\/analytics\.js\/v1\/[\w-]+\/analytics\.min\.js$/.test(pathname)) return "standalone.js";
  return /^\/cdn\/analytics-next\/bundles\/([\w.-]+\.js)$/.exec(pathname)?.[1];
}

/**
 * Serves `pages` ({ "/path": html, or { type, body } }) and analytics.js. Returns { origin, close() }.
 */
export async function startPageServer(pages) {
  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, "http://page");
    try {
      if (Object.hasOwn(pages, pathname)) {
        const page = pages[pathname];
        const { type, body } = typeof page === "string" ? { type: "text/html; charset=utf-8", body: page } : page;
        res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
        res.end(body);
        return;
      }
      const file = builtIn(pathname);
      if (file) {
        const text = await readFile(path.join(ANALYTICS_UMD, file));
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
        res.end(text);
        return;
      }
    } catch {
      // A missing bundle is a 404 like any unknown path.
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
