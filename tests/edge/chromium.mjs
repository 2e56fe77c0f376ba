// Debian's Chromium through playwright-core (never a downloaded browser), headless, with a fresh
// profile, for the edge and playground tests; by default unable to resolve any host name, so pages
// reach 127.0.0.1 by address and nothing else.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/**
 * A browser context of its own; `close()` removes its profile. `options` go to playwright's
 * context (viewport, colorScheme, permissions); `resolveHosts: false` (the default) leaves only
 * 127.0.0.1 reachable by name, so a request that names a host (Segment's CDN or API) fails, and
 * shows.
 */
export async function launchChromium({ resolveHosts = false, ...options } = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), "astrolabe-chromium-"));
  const args = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
  ];
  if (!resolveHosts) args.push("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
  // A persistent context is how playwright takes a --user-data-dir of our own.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args, ...options });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A new page whose console errors, page errors, requests and failed requests are recorded. */
export async function watchedPage(context) {
  const page = await context.newPage();
  const seen = { errors: [], requests: [], failed: [], responses: [] };
  page.on("console", (message) => {
    if (message.type() === "error") seen.errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => seen.errors.push(`pageerror: ${error.message}`));
  page.on("request", (request) =>
    seen.requests.push({ method: request.method(), url: request.url(), headers: request.headers() }),
  );
  page.on("requestfailed", (request) =>
    seen.failed.push({ method: request.method(), url: request.url(), error: request.failure()?.errorText }),
  );
  page.on("response", (response) =>
    seen.responses.push({ method: response.request().method(), url: response.url(), status: response.status() }),
  );
  page.seen = seen;
  return page;
}
