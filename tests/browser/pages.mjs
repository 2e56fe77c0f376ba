// The playground's page in Chromium for the browser tests: opened with everything it does recorded
// (console errors, page errors, CSP violations, requests), and checked clean before it is closed.
import assert from "node:assert/strict";

/** A new page on the playground, with everything it does recorded. */
export async function openPlayground(context, url, hash = "", { width = 1280, height = 900, colorScheme = "light" } = {}) {
  const page = await context.newPage();
  const log = { errors: [], requests: [], csp: [] };
  page.on("console", (message) => {
    if (message.type() === "error") log.errors.push(`console: ${message.text()}`);
    if (/Content Security Policy/i.test(message.text())) log.csp.push(message.text());
  });
  page.on("pageerror", (error) => log.errors.push(`pageerror: ${error.message}`));
  page.on("request", (request) => log.requests.push(request.url()));
  await page.addInitScript(() => {
    // Each test starts without a kept draft (the browser's storage is shared by the tests), while
    // a reload in the same tab keeps it, as for a person.
    if (!sessionStorage.getItem("astrolabe-test-tab")) {
      localStorage.clear();
      sessionStorage.setItem("astrolabe-test-tab", "1");
    }
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__csp.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme });
  const response = await page.goto(url + hash);
  assert.equal(response.status(), 200);
  await page.waitForSelector("html[data-ready=true]");
  page.log = log;
  return page;
}

/** What must hold on every page: nothing went wrong, nothing left localhost. */
export async function assertClean(page) {
  const violations = await page.evaluate(() => window.__csp);
  assert.deepEqual(violations, [], "CSP violations");
  assert.deepEqual(page.log.csp, [], "CSP console reports");
  assert.deepEqual(page.log.errors, [], "console errors");
  const foreign = page.log.requests.filter((url) => {
    const { protocol, hostname } = new URL(url);
    if (protocol === "data:" || protocol === "blob:") return false;
    return !(protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(hostname));
  });
  assert.deepEqual(foreign, [], "requests beyond localhost");
  await page.close();
}

