// The playground's Live view end to end: the inspector of scripts/serve.mjs on a free port,
// analytics.js (@segment/analytics-next from npm) on a page of another origin sending to it, and
// the playground open in Chromium, which resolves no host name (only 127.0.0.1 is reachable).
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { startServer } from "../../scripts/serve.mjs";
import { launchChromium, watchedPage } from "../edge/chromium.mjs";
import { ROOT } from "../edge/harness.mjs";
import { startPageServer } from "../edge/page-server.mjs";

const shots = path.join(ROOT, "target", "screenshots");
const SHOP = `<!doctype html><meta charset="utf-8"><title>shop</title><link rel="icon" href="data:,">
<script src="/analytics.js"></script>`;

let server;
let plain; // the same files without the inspector, as another static host serves them
let shop;
let browser;

before(async () => {
  await mkdir(shots, { recursive: true });
  [server, plain, shop, browser] = await Promise.all([
    startServer({ port: 0, inspector: { environment: {} } }),
    startServer({ port: 0, inspector: false }),
    startPageServer({ "/": SHOP }),
    launchChromium({ viewport: { width: 1280, height: 900 } }),
  ]);
});

after(async () => {
  await browser?.close();
  await Promise.all([server?.close(), plain?.close(), shop?.close()]);
});

/** The server as the page sees it: 127.0.0.1, since the browser resolves no names. */
const base = (s) => `http://127.0.0.1:${s.port}`;

async function openPlayground(s, { width = 1280, height = 900, colorScheme = "light" } = {}) {
  const page = await watchedPage(browser.context);
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme });
  assert.equal((await page.goto(`${base(s)}/`)).status(), 200);
  await page.waitForSelector("html[data-ready=true]");
  return page;
}

/** Nothing went wrong on the page and nothing left this machine. */
function assertClean(page, expected = []) {
  assert.deepEqual(page.seen.errors.filter((error) => !expected.some((pattern) => pattern.test(error))), [], "console and page errors");
  assert.deepEqual(page.seen.failed.filter((entry) => !/ERR_ABORTED/.test(entry.error ?? "")), [], "failed requests");
  const away = page.seen.requests.filter((entry) => !/^(http:\/\/127\.0\.0\.1:\d+\/|data:|blob:)/.test(entry.url));
  assert.deepEqual(away, [], "requests beyond 127.0.0.1");
}

/** The shop's page with analytics.js pointed at the inspector, as the README tells an app to. */
async function openShop() {
  const page = await watchedPage(browser.context);
  assert.equal((await page.goto(`${shop.origin}/`)).status(), 200);
  await page.evaluate(async (apiHost) => {
    const [analytics] = await window.AnalyticsNext.AnalyticsBrowser.load(
      { writeKey: "wk_shop", cdnSettings: { integrations: { "Segment.io": { apiKey: "wk_shop" } } } },
      { integrations: { "Segment.io": { apiHost, protocol: "http" } } },
    );
    window.sdk = analytics;
  }, `127.0.0.1:${server.port}/v1`);
  return page;
}

const rows = (page) =>
  page.$$eval("#live-rows .live-row", (buttons) =>
    buttons.map((b) => ({ status: b.dataset.status, type: b.querySelector(".live-type").textContent, event: b.querySelector(".live-event").textContent })),
  );

/** Waits until the rows are `expected` ("status type", newest first). */
async function expectRows(page, expected) {
  try {
    await page.waitForFunction(
      (want) => JSON.stringify([...document.querySelectorAll("#live-rows .live-row")].map((b) => `${b.dataset.status} ${b.querySelector(".live-type").textContent}`)) === JSON.stringify(want),
      expected,
      { timeout: 5_000 },
    );
  } catch {
    assert.deepEqual((await rows(page)).map((row) => `${row.status} ${row.type}`), expected);
  }
}

async function waitForRows(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll("#live-rows .live-row").length === n, count, { timeout: 10_000 });
}

test("analytics.js on another origin: messages appear as they arrive, filters work, a selected one is checked", async () => {
  await fetch(`${base(server)}/inspector/events`, { method: "DELETE" });
  const live = await openPlayground(server);
  await live.waitForSelector("#live[data-live=on]");
  assert.equal(await live.textContent("#live-state"), "listening");
  assert.equal(await live.textContent("#live-apihost"), `127.0.0.1:${server.port}/v1`, "the settings name this server");
  const shopPage = await openShop();
  await live.bringToFront(); // the page a developer watches; rAF-driven drawing pauses in hidden tabs

  await shopPage.evaluate(() => window.sdk.identify("u_live", { email: "ada@example.com" }));
  await waitForRows(live, 1);
  assert.deepEqual(await rows(live), [{ status: "mapped", type: "identify", event: "" }], "the first appears before the next is sent");
  await shopPage.evaluate(async () => {
    await window.sdk.track("Order Completed", { total: 42 });
    await window.sdk.group("acct_live", { name: "Initech" });
    await window.sdk.page("Pricing");
    await window.sdk.identify("u_live", { email: 42 }); // a warning: email should be a string
  });
  // analytics.js refuses a track without an event name; a page's own fetch does not.
  await shopPage.evaluate((url) => fetch(url, { method: "POST", body: JSON.stringify({ userId: "u_live", properties: { total: 1 } }) }), `${base(server)}/v1/t`);
  await waitForRows(live, 6);
  assert.deepEqual((await rows(live)).map((row) => `${row.status} ${row.type} ${row.event}`), [
    "invalid track ", "mapped identify ", "skipped page ", "mapped group ", "mapped track Order Completed", "mapped identify ",
  ]);
  assert.match(await live.textContent("#live-rows .live-row[data-status=invalid]"), /missing_event/);
  assert.match(await live.textContent("#live-rows li:nth-child(4) .live-row"), /acct_live.*\/v1\/g · HTTP 200/, "ids, route and status");
  // The counts, from the server's summary.
  await live.waitForFunction(() => /6\s*kept\s*4\s*mapped/.test(document.querySelector("#live-counts").textContent));
  const counts = await live.textContent("#live-counts");
  assert.match(counts, /4\s*mapped/);
  assert.match(counts, /1\s*skipped/);
  assert.match(counts, /1\s*invalid/);
  assert.match(counts, /missing_event\s*1/);

  // Filters, one at a time and together (each shows exactly its rows).
  const all = ["invalid track", "mapped identify", "skipped page", "mapped group", "mapped track", "mapped identify"];
  await live.selectOption("#live-status", "invalid");
  await expectRows(live, ["invalid track"]);
  await live.selectOption("#live-status", "");
  await expectRows(live, all);
  await live.selectOption("#live-type", "track");
  await expectRows(live, ["invalid track", "mapped track"]);
  await live.fill("#live-event", "Order Completed");
  await expectRows(live, ["mapped track"]);
  await live.fill("#live-event", "");
  await live.selectOption("#live-type", "");
  await expectRows(live, all);
  await live.selectOption("#live-code", "unsupported_type");
  await expectRows(live, ["skipped page"]);
  await live.selectOption("#live-code", "reserved_trait_type");
  await expectRows(live, ["mapped identify"]);
  await live.selectOption("#live-code", "");
  await live.fill("#live-text", "acct_live");
  await expectRows(live, ["mapped group"]);
  await live.fill("#live-text", "");
  await expectRows(live, all);

  // The user's own message, in the editor before a received one is opened, is kept.
  await live.fill("#payload", '{"type": "identify", "userId": "u_draft"}');
  await live.waitForTimeout(300);
  // Selecting with the keyboard: the message in the editor, its outcome in the result.
  // Arrow keys move between rows; Enter opens the focused one.
  await live.focus("#live-rows li:nth-child(2) .live-row");
  await live.keyboard.press("ArrowUp");
  assert.equal(await live.evaluate(() => document.activeElement.dataset.status), "invalid");
  await live.keyboard.press("End");
  assert.equal(await live.evaluate(() => document.activeElement.closest("li") === document.querySelector("#live-rows li:last-child")), true);
  await live.keyboard.press("Home");
  await live.keyboard.press("Enter");
  await live.waitForFunction(() => !document.querySelector("#received").hidden);
  const text = JSON.parse(await live.inputValue("#payload"));
  assert.equal(text.type, undefined, "sent to /v1/t without a type");
  assert.equal(await live.inputValue("#call-type"), "track", "so the call type comes from the route");
  assert.equal(text.userId, "u_live");
  assert.equal(await live.textContent("#output .status-line .badge"), "✕invalid");
  assert.ok((await live.$$eval("#output .issue", (b) => b.map((x) => x.dataset.code))).includes("missing_event"));
  assert.match(await live.textContent("#received"), /on \/v1\/t; answered HTTP 400; the server's outcome: invalid/);
  // A message analytics.js sent: its library named, its write key (in its body) not kept.
  await live.click("#live-rows .live-row[data-status=skipped]");
  await live.waitForFunction(() => /"type": "page"/.test(document.querySelector("#payload").value));
  assert.equal(JSON.parse(await live.inputValue("#payload")).writeKey, undefined);
  assert.match(await live.textContent("#received"), /on \/v1\/p from analytics\.js/);
  assert.match(await live.textContent("#output"), /unsupported_type/);
  await live.screenshot({ path: path.join(shots, "live-desktop-light.png"), fullPage: true });
  await live.selectOption("#example", "");
  assert.equal(await live.inputValue("#payload"), '{"type": "identify", "userId": "u_draft"}', "the draft is back");
  assert.equal(await live.isVisible("#received"), false, "and the received note is gone with its message");

  // Clear empties the server and every open view.
  await live.click("#live-clear");
  await waitForRows(live, 0);
  assert.equal((await (await fetch(`${base(server)}/inspector/summary`)).json()).total, 0);
  assertClean(live);
  assertClean(shopPage, [/status of 400/]); // the page's own bad call
  await Promise.all([live.close(), shopPage.close()]);
});

test("phone width and dark mode: the Live view fits, rows stay readable", async () => {
  await fetch(`${base(server)}/v1/t`, { method: "POST", body: JSON.stringify({ userId: "u_phone", event: "A rather long event name that must wrap on a phone" }) });
  const page = await openPlayground(server, { width: 375, height: 740, colorScheme: "dark" });
  await page.waitForSelector("#live-rows .live-row");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `horizontal scroll of ${overflow}px`);
  const row = await page.$eval("#live-rows .live-row", (b) => ({ width: b.getBoundingClientRect().width, bg: getComputedStyle(b).backgroundColor }));
  assert.ok(row.width <= 375);
  assert.notEqual(row.bg, "rgb(247, 248, 250)", "dark colours");
  await page.screenshot({ path: path.join(shots, "live-phone-dark.png"), fullPage: true });
  assertClean(page);
  await page.close();
});

test("the quarantine: its count and records as they arrive (never the message's values), and its export", async () => {
  const page = await openPlayground(server);
  await page.waitForSelector("#live[data-live=on]");
  await page.bringToFront();
  assert.equal(await page.isVisible("#live-quarantine"), true);
  assert.equal(await page.textContent("#live-quarantine-to"), base(server));
  const before = (await (await fetch(`${base(server)}/inspector/quarantine`)).json()).total;
  // Two records as the handler hands them over (deps.quarantine): a batch item and a single message.
  const secret = "grace.secret@example.com";
  const line = (requestId, route, index, errors, message) =>
    `{"quarantine":1,"receivedAt":"2026-12-07T20:00:00.000Z","route":"${route}","requestId":"${requestId}","index":${index},"errors":${JSON.stringify(errors)},"message":${message}}`;
  const lines = [
    line("req-live-1", "/v1/batch", 4, [{ code: "missing_event", path: "/batch/4/event", message: "m" }], `{"type":"track","userId":"u_q","traits":{"email":"${secret}"}}`),
    line("req-live-2", "/v1/t", null, [{ code: "invalid_type", path: "/userId", message: "m" }, { code: "missing_event", path: "/event", message: "m" }], '{"userId":7}'),
  ].join("\n");
  await server.quarantine.append(lines);
  await page.waitForFunction((n) => document.querySelectorAll("#live-quarantine-rows .live-quarantine-row").length === n, Math.min(before + 2, 200));
  assert.equal(await page.textContent("#live-quarantine-count"), `${before + 2} refused messages kept`);
  const rows = await page.$$eval("#live-quarantine-rows .live-quarantine-row", (items) => items.slice(0, 2).map((item) => item.innerText.replace(/\s+/g, " ").trim()));
  assert.match(rows[0], /^\/v1\/t request req-live-2 · \d\d:\d\d:\d\d invalid_type at \/userId, missing_event at \/event$/);
  assert.match(rows[1], /^\/v1\/batch · item 4 request req-live-1 · .* missing_event at \/batch\/4\/event$/);
  assert.ok(!(await page.textContent("#live-quarantine")).includes(secret), "the message's values are not shown");
  // The export: the records as written, a download.
  const href = await page.getAttribute("#live-quarantine-export", "href");
  assert.equal(href, "/inspector/quarantine/export");
  assert.equal(await page.getAttribute("#live-quarantine-export", "download"), "quarantine.jsonl");
  const exported = await page.evaluate(async (url) => (await fetch(url)).text(), href);
  assert.ok(exported.endsWith(`${lines}\n`));
  // Forgotten on the server (after a replay): the view follows.
  await fetch(`${base(server)}/inspector/quarantine`, { method: "DELETE" });
  await page.waitForFunction(() => document.querySelectorAll("#live-quarantine-rows .live-quarantine-row").length === 0);
  assert.equal(await page.textContent("#live-quarantine-count"), "0 refused messages kept");
  await page.screenshot({ path: path.join(shots, "live-quarantine.png"), fullPage: true });
  assertClean(page);
  await page.close();
});

test("served without the inspector, the Live view says it is unavailable, without errors", async () => {
  const page = await openPlayground(plain);
  await page.waitForSelector("#live[data-live=unavailable]");
  assert.equal(await page.isVisible("#live-unavailable"), true);
  assert.equal(await page.isVisible("#live-rows"), false);
  assert.equal(await page.isVisible("#live-clear"), false);
  assert.equal(await page.isVisible("#live-export"), false);
  assert.match(await page.textContent("#live-unavailable"), /unavailable[\s\S]*make serve/);
  assert.ok(!page.seen.requests.some((entry) => entry.url.includes("/inspector/")), "it did not ask");
  assertClean(page);
  await page.close();
});
