#!/usr/bin/env node
// The playground's static server: www/ at /, the npm package (pkg/) at /pkg/. No dependencies.
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1]
// GET and HEAD only; .wasm goes out as application/wasm (instantiateStreaming needs it); nothing
// outside the two folders can be reached (no "..", no symlinks out, no directory listings).
// Imported by the browser tests, which start it on a free port: startServer({ port: 0 }).
import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

/**
 * Starts the server; resolves to { url, port, close() } once it listens.
 * `port: 0` picks a free port.
 */
export function startServer({ port = 8080, host = "127.0.0.1", www = path.join(repo, "www"), pkg = path.join(repo, "pkg"), log = false } = {}) {
  const roots = { www, pkg };
  const server = createServer(async (req, res) => {
    const started = Date.now();
    res.on("finish", () => {
      if (log) console.log(`${res.statusCode} ${req.method} ${req.url} ${Date.now() - started}ms`);
    });
    if (req.method !== "GET" && req.method !== "HEAD") {
      return send(res, 405, "Method Not Allowed\n", { Allow: "GET, HEAD" });
    }
    let pathname;
    try {
      pathname = new URL(req.url, "http://localhost").pathname;
    } catch {
      return send(res, 400, "Bad Request\n");
    }
    if (pathname === "/pkg") {
      return send(res, 301, "", { Location: "/pkg/" });
    }
    const found = await resolve(roots, pathname);
    if (!found) return send(res, 404, "Not Found\n");
    const type = TYPES[path.extname(found.file).toLowerCase()] ?? "application/octet-stream";
    res.writeHead(200, {
      ...HEADERS,
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
        port: actual,
        url: `http://${shown}:${actual}/`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const port = Number(option(args, "--port", process.env.PORT ?? 8080));
  const host = option(args, "--host", "127.0.0.1");
  try {
    const { url, close } = await startServer({ port, host, log: args.includes("--log") });
    console.log(`astrolabe-segment playground: ${url}  (Ctrl-C to stop)`);
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
