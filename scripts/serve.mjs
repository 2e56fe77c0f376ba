#!/usr/bin/env node
// `make serve`: the playground and the local inspector on one origin. No dependencies.
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1] [--log] [--no-inspector]
// - static: www/ at /, the npm package (pkg/) at /pkg/. GET and HEAD only; .wasm goes out as
//   application/wasm (instantiateStreaming needs it); nothing outside the two folders can be
//   reached (no "..", no symlinks out, no directory listings).
// - the Segment endpoint: every route of the edge worker (/v1/..., /webhook, /health), answered by
//   its own handler (scripts/inspector/endpoint.mjs), each message kept (scripts/inspector/store.mjs);
// - the inspector's query API and event stream under /inspector/ (scripts/inspector/api.mjs).
// Settings from the environment: the worker's (ASTROLABE_ENDPOINT, SEGMENT_WRITE_KEY, ...), and
// INSPECTOR_LIMIT (messages kept, default 10000), INSPECTOR_MAX_BYTES (memory for them, default
// 64M), INSPECTOR_FILE_MAX_BYTES (the file's bound, default 1G), INSPECTOR_FILE (default
// target/inspector/events.jsonl). A body's deadline is the handler's ASTROLABE_BODY_TIMEOUT_MS.
// The quarantine (the records of refused messages, scripts/inspector/quarantine.mjs) is
// quarantine.jsonl beside INSPECTOR_FILE: target/inspector/quarantine.jsonl.
// Imported by the tests, which start it on a free port: startServer({ port: 0 }).
import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import v8 from "node:v8";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isInspectorPath, serveInspector } from "./inspector/api.mjs";
import { createEndpoint, isEndpointPath } from "./inspector/endpoint.mjs";
import { crossSite, hostAllowed } from "./inspector/guard.mjs";
import { Quarantine, quarantineFileBeside } from "./inspector/quarantine.mjs";
import { bytesFrom, DEFAULT_FILE_MAX_BYTES, DEFAULT_MAX_BYTES, limitFrom, Store } from "./inspector/store.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

// The same policy as the page's <meta> tag, plus what only a header can say.
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const HEADERS = {
  "Content-Security-Policy": CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  // A development server: always revalidate, so a rebuilt pkg/ is picked up on reload.
  "Cache-Control": "no-cache",
};

/** The file a URL path names, inside one of the roots, or null. */
async function resolve(roots, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const segments = decoded.split("/").filter((s) => s !== "");
  if (segments.some((s) => s === "." || s === "..")) return null;
  let root = roots.www;
  if (segments[0] === "pkg") {
    root = roots.pkg;
    segments.shift();
  }
  let file = path.join(root, ...segments);
  if (decoded.endsWith("/") || segments.length === 0) file = path.join(file, "index.html");
  try {
    const real = await realpath(file);
    const realRoot = await realpath(root);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
    const info = await stat(real);
    if (!info.isFile()) return null;
    return { file: real, size: info.size, mtime: info.mtime };
  } catch {
    return null;
  }
}

function send(res, status, text, extra = {}) {
  res.writeHead(status, { ...HEADERS, "Content-Type": "text/plain; charset=utf-8", ...extra });
  res.end(text);
}

/** The inspector's parts: the store (its file read back) and the endpoint (the package's edge handler, from pkg/). */
async function startInspector({ limit, maxBytes, fileMaxBytes, file, quarantineFile, bodyTimeoutMs, environment, log }) {
  const store = new Store({ limit, maxBytes, fileMaxBytes, file });
  const quarantine = new Quarantine({ file: quarantineFile ?? (file ? quarantineFileBeside(file) : undefined) });
  await Promise.all([store.ready, quarantine.ready]);
  const endpoint = createEndpoint({ store, quarantine, environment, bodyTimeoutMs, log: log ? (line) => console.log(line) : undefined });
  return { store, quarantine, endpoint };
}

/**
 * Starts the server; resolves to { url, port, close(), store, quarantine } once it listens.
 * `port: 0` picks a free port. `inspector: false` serves the static files alone (store undefined);
 * otherwise `{ limit, maxBytes, fileMaxBytes, file, quarantineFile, bodyTimeoutMs, environment }`
 * (file unset: memory only; quarantineFile: quarantine.jsonl beside file; environment: process.env).
 */
export async function startServer({
  port = 8080,
  host = "127.0.0.1",
  www = path.join(repo, "www"),
  pkg = path.join(repo, "pkg"),
  log = false,
  inspector = {},
} = {}) {
  const roots = { www, pkg };
  const parts = inspector === false
    ? undefined
    : await startInspector({
        limit: inspector.limit ?? limitFrom(undefined),
        maxBytes: inspector.maxBytes ?? DEFAULT_MAX_BYTES,
        fileMaxBytes: inspector.fileMaxBytes ?? DEFAULT_FILE_MAX_BYTES,
        file: inspector.file,
        quarantineFile: inspector.quarantineFile,
        bodyTimeoutMs: inspector.bodyTimeoutMs,
        environment: inspector.environment ?? process.env,
        log,
      });
  const server = createServer(async (req, res) => {
    const started = Date.now();
    res.on("finish", () => {
      if (log) console.log(`${res.statusCode} ${req.method} ${req.url} ${Date.now() - started}ms`);
    });
    res.on("error", () => {}); // a sender gone before its answer: nothing to do
    let pathname;
    let url;
    try {
      url = new URL(req.url, "http://localhost");
      pathname = url.pathname;
    } catch {
      return send(res, 400, "Bad Request\n");
    }
    if (parts && (isEndpointPath(pathname) || isInspectorPath(pathname))) {
      try {
        if (isEndpointPath(pathname)) {
          await parts.endpoint(req, res, { "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" });
        } else if (!hostAllowed(req, host)) {
          send(res, 403, "The inspector answers only to localhost.\n");
        } else if (crossSite(req) !== undefined) {
          req.resume();
          send(res, 403, `The inspector changes nothing for a page of another site (${crossSite(req)}): use it from this server's own pages, or without a browser (curl, tests).\n`);
        } else {
          await serveInspector(parts.store, req, res, url, { ...HEADERS }, parts.quarantine);
        }
      } catch (error) {
        // Hostile input must never stop the server: the request fails, the server goes on.
        if (log) console.error(`${req.method} ${pathname}: ${error?.name}: ${error?.message}`);
        if (!res.headersSent) send(res, 400, "Bad Request\n");
        else if (!res.writableEnded) res.destroy();
      }
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return send(res, 405, "Method Not Allowed\n", { Allow: "GET, HEAD" });
    }
    if (pathname === "/pkg") {
      return send(res, 301, "", { Location: "/pkg/" });
    }
    const found = await resolve(roots, pathname);
    if (!found) return send(res, 404, "Not Found\n");
    const type = TYPES[path.extname(found.file).toLowerCase()] ?? "application/octet-stream";
    res.writeHead(200, {
      ...HEADERS,
      // How the page knows that the Live view has an inspector to talk to (www/live.js).
      ...(parts ? { "Server-Timing": "inspector" } : {}),
      "Content-Type": type,
      "Content-Length": found.size,
      "Last-Modified": found.mtime.toUTCString(),
    });
    if (req.method === "HEAD") return res.end();
    createReadStream(found.file)
      .on("error", () => res.destroy())
      .pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      const shown = host === "127.0.0.1" || host === "::1" ? "localhost" : host;
      resolvePromise({
        store: parts?.store,
        quarantine: parts?.quarantine,
        port: actual,
        url: `http://${shown}:${actual}/`,
        close: async () => {
          await new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          await Promise.all([parts?.store.close(), parts?.quarantine.close()]);
        },
      });
    });
  });
}

function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // The server turns over much short-lived memory (each message is parsed, mapped and written) and
  // keeps up to INSPECTOR_MAX_BYTES. Left to its defaults on a machine with much memory, V8 lets
  // the heap grow to several times what is live before it collects: 490 MB of RSS for 80 MB live
  // after 20,500 messages of 30 KB (benches/inspector-stress.mjs). Growing it by 30% at a time
  // instead (V8 picks up to 4x) collects more often, for a little speed.
  v8.setFlagsFromString("--heap-growing-percent=30");
  const args = process.argv.slice(2);
  const port = Number(option(args, "--port", process.env.PORT ?? 8080));
  const host = option(args, "--host", "127.0.0.1");
  const inspector = args.includes("--no-inspector")
    ? false
    : {
        limit: limitFrom(process.env.INSPECTOR_LIMIT),
        maxBytes: bytesFrom(process.env.INSPECTOR_MAX_BYTES, DEFAULT_MAX_BYTES),
        fileMaxBytes: bytesFrom(process.env.INSPECTOR_FILE_MAX_BYTES, DEFAULT_FILE_MAX_BYTES),
        file: process.env.INSPECTOR_FILE || path.join(repo, "target", "inspector", "events.jsonl"),
      };
  try {
    const { url, close, store, quarantine } = await startServer({ port, host, log: args.includes("--log"), inspector });
    console.log(`astrolabe-segment playground: ${url}  (Ctrl-C to stop)`);
    if (store) {
      const upstream = process.env.ASTROLABE_ENDPOINT ? `forwarded to ${process.env.ASTROLABE_ENDPOINT}` : "kept here, forwarded nowhere";
      console.log(`Segment endpoint: ${url}v1/... (analytics.js apiHost "${url.slice(7)}v1", analytics-node host "${url.slice(0, -1)}"): ${upstream}`);
      const mb = (bytes) => (bytes >= 1024 * 1024 ? `${Number((bytes / 1024 / 1024).toFixed(1))} MB` : `${Math.round(bytes / 1024)} KB`);
      console.log(
        `inspector: ${store.total} messages kept (limit ${store.limit}; the newest ${store.memory.length} in memory, ` +
          `at most ${mb(store.maxBytes)}; the file at most ${mb(store.fileMaxBytes)}) in ${inspector.file}; ${url}inspector/events`,
      );
      console.log(
        `quarantine: ${quarantine.total} refused message${quarantine.total === 1 ? "" : "s"} in ${quarantine.file}; ${url}inspector/quarantine ` +
          "(replay them: npx astrolabe-segment replay FILE --to " + url.slice(0, -1) + ")",
      );
    }
    const stop = async () => {
      await close();
      process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (error) {
    console.error(`cannot serve on ${host}:${port}: ${error.message}`);
    process.exit(1);
  }
}
