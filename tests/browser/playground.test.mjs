// End-to-end tests of the playground (www/) in Debian's Chromium, driven by playwright-core.
// The page is served by scripts/serve.mjs on a free port; pkg/ must be built (make build).
// Every page is watched for console errors, page errors, CSP violations and requests that leave
// localhost; screenshots go to target/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, access } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../edge/chromium.mjs";
import { startServer, CSP } from "../../scripts/serve.mjs";
import { offsetOf } from "../../www/locate.js";
import { assertClean, openPlayground } from "./pages.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const shots = path.join(repo, "target", "screenshots");

let server;
let browser;
let context;

before(async () => {
  await access(path.join(repo, "pkg/dist/full/astrolabe_segment_bg.wasm")).catch(() => {
    throw new Error("pkg/dist/full is not built: run `make build` first");
  });
  await mkdir(shots, { recursive: true });
  server = await startServer({ port: 0 });
  // The page must resolve `localhost` (the server's URL names it).
  browser = await launchChromium({
    resolveHosts: true,
    viewport: { width: 1280, height: 900 },
    colorScheme: "light",
    permissions: ["clipboard-read", "clipboard-write"],
  });
  context = browser.context;
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A new page on the playground (pages.mjs), with everything it does recorded. */
const open = (hash = "", options = {}) => openPlayground(context, server.url, hash, options);

/** Replaces the editor's text by typing it, as a person would. */
async function typeMessage(page, text) {
  const editor = page.locator("#payload");
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await editor.pressSequentially(text, { delay: 0 });
}

const settled = (page) => page.waitForTimeout(400); // the 150 ms debounce, with room to spare

async function issues(page) {
  return page.$$eval("#output .issue", (buttons) =>
    buttons.map((b) => ({
      severity: b.querySelector(".sev").textContent,
      code: b.dataset.code,
      path: b.dataset.path,
      message: b.querySelector(".issue-message").textContent,
    })),
  );
}

const selection = (page) =>
  page.$eval("#payload", (ta) => ({
    text: ta.value.slice(ta.selectionStart, ta.selectionEnd),
    start: ta.selectionStart,
    end: ta.selectionEnd,
    focused: document.activeElement === ta,
  }));

test("opens with the first example and its operations shown", async () => {
  const page = await open();
  assert.equal(await page.inputValue("#example"), "identify");
  assert.match(await page.inputValue("#payload"), /"type": "identify"/);
  assert.equal(await page.textContent("#output .status-line .badge"), "✓mapped");
  assert.deepEqual(await page.$$eval("#output .op-card .op-name", (h) => h.map((x) => x.textContent)), ["upsertUser"]);
  const card = await page.textContent("#output .op-card");
  assert.match(card, /"userId": "97980cfea0067"/);
  assert.match(card, /"messageId": "ajs-next-3b5f1a2e9c7d"/);
  assert.match(card, /"timestamp": "2024-05-12T09:30:00.000Z"/);
  assert.match(await page.textContent("#summary"), /Mapped to 1 operation \(upsertUser\)\. 0 errors, 0 warnings\./);
  assert.match(await page.textContent("#version"), /^v\d+\.\d+\.\d+/);
  // The group example: two cards, in the spec's order.
  await page.selectOption("#example", "group");
  assert.deepEqual(await page.$$eval("#output .op-card .op-name", (h) => h.map((x) => x.textContent)), ["upsertAccount", "associateUser"]);
  assert.match(await page.textContent("#output .op-card:nth-child(2)"), /"groupId": "acct_initech"[\s\S]*"userId": "97980cfea0067"/);
  await page.screenshot({ path: path.join(shots, "desktop-light.png"), fullPage: true });
  await assertClean(page);
});

test("the server sends the CSP, and the page declares it too", async () => {
  const response = await fetch(server.url);
  assert.equal(response.headers.get("content-security-policy"), CSP);
  const html = await response.text();
  const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)[1];
  assert.equal(meta, CSP.replace("; frame-ancestors 'none'", ""));
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, "no inline script");
  assert.doesNotMatch(html, /<style|\sstyle=/, "no inline style");
  const wasm = await fetch(new URL("pkg/dist/full/astrolabe_segment_bg.wasm", server.url));
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  for (const bad of ["../Cargo.toml", "%2e%2e/Cargo.toml", "pkg/%2e%2e/Cargo.toml", "pkg/..%2fCargo.toml", "..%5cCargo.toml", "pkg/"]) {
    assert.equal((await fetch(server.url + bad)).status, 404, bad);
  }
});

test("the CSP is enforced and a violation would be seen", async () => {
  const page = await open();
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__inline = true";
    document.body.append(script);
  });
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.__inline), undefined);
  assert.ok((await page.evaluate(() => window.__csp)).some((v) => v.startsWith("script-src")));
  await page.close();
});

test("an invalid message typed in shows every issue with its code and path", async () => {
  const page = await open();
  await typeMessage(page, '{"type": "track", "userId": 42, "timestamp": "yesterday"}');
  await settled(page);
  assert.equal(await page.textContent("#output .status-line .badge"), "✕invalid");
  const found = await issues(page);
  assert.deepEqual(
    found.map(({ severity, code, path }) => ({ severity, code, path })),
    [
      { severity: "error", code: "missing_event", path: "/event" },
      { severity: "warning", code: "id_coerced", path: "/userId" },
      { severity: "warning", code: "invalid_timestamp", path: "/timestamp" },
    ],
  );
  assert.match(found[0].message, /needs an "event"/);
  assert.equal(await page.inputValue("#example"), "", "the menu no longer names an example");
  assert.equal(await page.$$eval("#output .issue .issue-path", (p) => p.map((x) => x.textContent).join(" ")), "/event /userId /timestamp");
  assert.equal(await page.$$eval("#output .op-card", (c) => c.length), 0);
  // The gutter flags the lines with issues.
  assert.equal(await page.$$eval(".editor-main .gutter .mark-error", (m) => m.length), 1);
  // Strict turns the warnings into errors.
  await page.check("#strict");
  await settled(page);
  assert.deepEqual((await issues(page)).map((i) => i.severity), ["error", "error", "error"]);
  await assertClean(page);
});

test("Personal data: what privacy would find is shown, then redacted or blocked as chosen", async () => {
  const page = await open();
  await typeMessage(page, '{"type": "track", "userId": "u1", "event": "Note", "properties": {"text": "mail jane@example.com"}}');
  await settled(page);
  // The page looks by default (find: a warning), though the library looks only when configured.
  assert.deepEqual((await issues(page)).map(({ severity, code, path }) => `${severity} ${code} ${path}`), ["warning pii_detected /properties/text"]);
  assert.match((await issues(page))[0].message, /An email address was found in this value\. It is sent as it came\./);
  await page.selectOption("#privacy", "redact");
  await settled(page);
  assert.match(await page.textContent("#output"), /mail \[email\]/);
  assert.ok(!(await page.textContent("#output")).includes("jane@example.com"));
  await page.selectOption("#privacy", "block");
  await settled(page);
  assert.equal(await page.textContent("#output .status-line .badge"), "✕invalid");
  await page.selectOption("#privacy", "off");
  await settled(page);
  assert.deepEqual(await issues(page), []);
  await assertClean(page);
});

test("choosing an issue selects the offending value in the editor (click and Enter)", async () => {
  const page = await open();
  const message = '{"type": "track", "event": "Paid", "userId": 42, "timestamp": "yesterday"}';
  await typeMessage(page, message);
  await settled(page);
  await page.click('#output .issue[data-code="invalid_timestamp"]');
  const start = message.indexOf('"yesterday"');
  assert.deepEqual(await selection(page), { text: '"yesterday"', start, end: start + 11, focused: true });
  // Keyboard: focus the other issue and press Enter.
  await page.focus('#output .issue[data-code="id_coerced"]');
  await page.keyboard.press("Enter");
  const s = await selection(page);
  assert.equal(s.text, "42");
  assert.equal(s.focused, true);

  // Deep in a batch, the key written with a string escape in the text (\u0061 is "a").
  const batch = JSON.stringify(
    { batch: [{ type: "identify", userId: "u1" }, { type: "identify", userId: "u2", traits: { "a/b": 1, email: 5 } }] },
    null,
    2,
  ).replace('"email"', '"em\\u0061il"');
  assert.match(batch, /"em\\u0061il": 5/);
  await page.fill("#payload", batch);
  await settled(page);
  const paths = (await issues(page)).map((i) => i.path);
  assert.ok(paths.includes("/batch/1/traits/email"), paths.join(" "));
  await page.click('#output .issue[data-path="/batch/1/traits/email"]');
  assert.equal((await selection(page)).text, "5");
  await page.screenshot({ path: path.join(shots, "desktop-issue-selected.png") });
  await assertClean(page);
});

test("an issue about a missing member points at the object that lacks it", async () => {
  const page = await open();
  await page.selectOption("#example", "missing-user");
  const [issue] = await issues(page);
  assert.deepEqual({ code: issue.code, path: issue.path }, { code: "missing_identity", path: "/userId" });
  await page.click("#output .issue");
  assert.deepEqual(await selection(page), { text: "{", start: 0, end: 1, focused: true });
  await assertClean(page);
});

test("broken JSON is reported with its line and column, and leads there", async () => {
  const page = await open();
  await page.selectOption("#example", "broken-json");
  const [issue] = await issues(page);
  assert.equal(issue.code, "invalid_json");
  assert.equal(issue.path, "");
  assert.match(issue.message, /line 4, column 3/);
  assert.equal(await page.textContent("#output .status-line .badge"), "✕invalid");
  await page.click("#output .issue");
  const text = await page.inputValue("#payload");
  const s = await selection(page);
  assert.equal(s.start, offsetOf(text, 4, 3));
  assert.equal(s.text, '"');
  // Typed broken JSON: an unterminated string on line 2.
  await typeMessage(page, '{"type": "track",');
  await page.keyboard.press("Enter");
  await page.keyboard.type('"event": "Oops');
  await settled(page);
  assert.equal(await page.inputValue("#payload"), '{"type": "track",\n"event": "Oops');
  assert.match((await issues(page))[0].message, /line 2, column \d+/);
  await assertClean(page);
});

test("a share link restores the payload and the settings", async () => {
  const page = await open();
  const payload = '{"event": "Signup Started", "anonymousId": "a-1", "properties": {"plan": "Café ☕"}}';
  await page.fill("#payload", payload);
  await page.selectOption("#call-type", "track");
  await page.check("#strict");
  await page.click("#mappings-panel summary");
  await page.fill("#mappings", '{"trackEvent": {}}');
  await settled(page);
  await page.click("#share");
  await page.waitForFunction(() => document.getElementById("share-url").value !== "");
  const link = await page.inputValue("#share-url");
  assert.match(link, new RegExp(`^${server.url}#z=[A-Za-z0-9_-]+$`));
  assert.equal(page.url(), link, "the address bar holds the link");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  await assertClean(page);

  const restored = await open(new URL(link).hash);
  assert.equal(await restored.inputValue("#payload"), payload);
  assert.equal(await restored.inputValue("#call-type"), "track");
  assert.equal(await restored.isChecked("#strict"), true);
  assert.equal(await restored.inputValue("#mappings"), '{"trackEvent": {}}');
  assert.equal(await restored.inputValue("#example"), "");
  assert.equal(await restored.textContent("#output .status-line .badge"), "✓mapped");
  assert.deepEqual(await restored.$$eval("#output .op-card .op-name", (h) => h.map((x) => x.textContent)), ["trackEvent"]);
  // A damaged link falls back to the first example.
  await restored.goto(server.url + "#z=AAAA");
  await restored.reload();
  await restored.waitForSelector("html[data-ready=true]");
  assert.equal(await restored.inputValue("#example"), "identify");
  await assertClean(restored);
});

test("a batch shows one row per item, with batch-level errors apart", async () => {
  const page = await open();
  await page.selectOption("#example", "batch");
  const rows = await page.$$eval("#output .batch-row", (rows) =>
    rows.map((row) => ({
      index: row.querySelector(".row-index").textContent,
      status: row.dataset.status,
      ops: [...row.querySelectorAll(".row-head .op-chip")].map((c) => c.textContent),
      issues: [...row.querySelectorAll(".issue")].map((i) => `${i.dataset.code} ${i.dataset.path}`),
    })),
  );
  assert.deepEqual(rows, [
    { index: "#0", status: "mapped", ops: ["upsertUser"], issues: [] },
    { index: "#1", status: "mapped", ops: ["upsertAccount", "associateUser"], issues: [] },
    { index: "#2", status: "mapped", ops: ["trackEvent"], issues: [] },
    { index: "#3", status: "skipped", ops: [], issues: ["unsupported_type /batch/3/type"] },
    { index: "#4", status: "invalid", ops: [], issues: ["missing_event /batch/4/event"] },
  ]);
  assert.match(await page.textContent("#output .status-line"), /5 items: 3 mapped · 1 skipped · 1 invalid/);
  // The last item's issue is below the editor's fold: choosing it scrolls there, gutter included.
  assert.equal(await page.$eval("#payload", (ta) => ta.scrollTop), 0);
  await page.click('#output .issue[data-path="/batch/3/type"]');
  assert.equal((await selection(page)).text, '"page"');
  const scroll = await page.$eval(".editor-main", (e) => ({ text: e.querySelector("textarea").scrollTop, gutter: e.querySelector(".gutter").scrollTop }));
  assert.ok(scroll.text > 0, "the editor scrolled");
  assert.equal(scroll.gutter, scroll.text, "the line numbers follow");
  const line = await page.$eval("#payload", (ta) => ta.value.slice(0, ta.selectionStart).split("\n").length);
  const numberShown = await page.$eval(".editor-main", (e, line) => {
    const box = e.querySelector("textarea").getBoundingClientRect();
    const number = e.querySelector(".gutter").children[line - 1].getBoundingClientRect();
    return number.top >= box.top && number.bottom <= box.bottom;
  }, line);
  assert.ok(numberShown, `line ${line}'s number is in view beside it`);
  // Copy operations gives the batch's operations, flattened in order.
  await page.click("#copy-ops");
  await page.waitForFunction(() => document.getElementById("toast").textContent.includes("operations"));
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  assert.deepEqual(copied.map((o) => o.op), ["upsertUser", "upsertAccount", "associateUser", "trackEvent"]);
  // A refused batch: its errors are shown as batch errors.
  await page.fill("#payload", '{"batch": {"type": "track"}}');
  await settled(page);
  assert.equal(await page.$$eval("#output .batch-row", (r) => r.length), 0);
  assert.match(await page.textContent("#output"), /Batch errors/);
  await assertClean(page);
});

test("examples: an HTTP body sets the call type; skipped messages say why", async () => {
  const page = await open();
  await page.selectOption("#example", "http-body");
  assert.equal(await page.inputValue("#call-type"), "track");
  assert.deepEqual(await page.$$eval("#output .op-card .op-name", (h) => h.map((x) => x.textContent)), ["trackEvent"]);
  await page.selectOption("#call-type", "auto");
  await settled(page);
  assert.equal((await issues(page))[0].code, "missing_type");
  await page.selectOption("#example", "integrations-off");
  assert.equal(await page.textContent("#output .status-line .badge"), "⤼skipped");
  assert.deepEqual((await issues(page)).map((i) => `${i.severity} ${i.code} ${i.path}`), ["skipped disabled_by_integrations /integrations/Astrolabe"]);
  await page.selectOption("#example", "page");
  assert.match(await page.textContent("#summary"), /^Skipped: Astrolabe does not support page calls/);
  await page.click("#copy-outcome");
  await page.waitForFunction(() => document.getElementById("toast").textContent.includes("outcome"));
  assert.equal(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())).reason.code, "unsupported_type");
  await assertClean(page);
});

test("settings the Destination refuses are shown, not thrown", async () => {
  const page = await open();
  await page.click("#plan-panel summary");
  await page.fill("#tracking-plan", "{not json");
  await settled(page);
  assert.equal(await page.isVisible("#config-error"), true);
  // Said once, with where: the line and column, marked in the panel's editor too.
  const said = await page.textContent("#config-error");
  assert.match(said, /^Tracking plan: not valid JSON: .*line 1, column 2/);
  assert.doesNotMatch(said, /\.;|\.\./);
  assert.doesNotMatch(await page.textContent("#output"), /not valid JSON/, "not repeated in the result");
  assert.equal(await page.textContent("#plan-panel .gutter .mark-error"), "1");
  assert.equal(await page.textContent("#plan-panel .editor-marks .mark-error"), "n");
  await page.fill("#tracking-plan", "");
  await settled(page);
  assert.equal(await page.isVisible("#config-error"), false);
  assert.equal(await page.textContent("#output .status-line .badge"), "✓mapped");
  // A mapping the Destination refuses: the constructor's Error is shown as it is.
  await page.click("#mappings-panel summary");
  await page.fill("#mappings", '{"trackEvent": {"event": {"@oops": 1}}}');
  await settled(page);
  assert.match(await page.textContent("#config-error"), /^The settings were refused: .*mappings\.trackEvent\.event.*@oops/);
  assert.match(await page.textContent("#output"), /settings have an error/);
  assert.equal(await page.$("#mappings-panel .editor-marks .mark-error"), null, "valid JSON: nothing to mark");
  await assertClean(page);
});

test("the settings examples fill the Mappings and Tracking plan panels, and take them away", async () => {
  const page = await open();
  await page.selectOption("#example", "custom-mapping");
  assert.equal(await page.isVisible("#mappings"), true);
  assert.match(await page.inputValue("#mappings"), /"@case"/);
  assert.equal(await page.textContent("#mappings-state"), "custom");
  const card = await page.textContent("#output .op-card");
  assert.match(card, /"event": "order completed"/);
  assert.match(card, /"page_path": "\/checkout"/);

  await page.selectOption("#example", "tracking-plan");
  assert.equal(await page.inputValue("#mappings"), "", "the previous example's mapping is gone");
  assert.match(await page.inputValue("#tracking-plan"), /"Order Completed"/);
  assert.equal(await page.textContent("#output .status-line .badge"), "✕invalid");
  const found = await issues(page);
  assert.deepEqual(found.filter((i) => i.severity === "error").map((i) => `${i.code} ${i.path}`), ["plan_violation /properties/revenue"]);
  await page.click('#output .issue[data-code="plan_violation"]');
  assert.equal((await selection(page)).text, '"25.00"');

  // What the user wrote in a panel stays when another example is chosen.
  await page.fill("#tracking-plan", '{"rules": [], "unplannedEvents": "warn"}');
  await page.selectOption("#example", "track");
  assert.equal(await page.inputValue("#tracking-plan"), '{"rules": [], "unplannedEvents": "warn"}');
  assert.deepEqual((await issues(page)).map((i) => i.code), ["unplanned_event"]);
  await assertClean(page);
});

test("works offline once loaded", async () => {
  const page = await open();
  await context.setOffline(true);
  try {
    await typeMessage(page, '{"type": "group", "groupId": "g1", "anonymousId": "a1"}');
    await settled(page);
    assert.deepEqual(await page.$$eval("#output .op-card .op-name", (h) => h.map((x) => x.textContent)), ["upsertAccount", "associateUser"]);
  } finally {
    await context.setOffline(false);
  }
  await assertClean(page);
});

test("phone width: one column, no horizontal scroll", async () => {
  const page = await open("", { width: 375, height: 812 });
  const columns = await page.$eval(".layout", (l) => getComputedStyle(l).gridTemplateColumns.split(" ").length);
  assert.equal(columns, 1);
  for (const example of ["identify", "batch", "bad-timestamp"]) {
    await page.selectOption("#example", example);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(scroll <= client, `${example}: scrollWidth ${scroll} > ${client}`);
  }
  await page.selectOption("#example", "bad-timestamp");
  await page.screenshot({ path: path.join(shots, "phone.png"), fullPage: true });
  await assertClean(page);
});

test("dark mode follows the system", async () => {
  const page = await open("", { colorScheme: "dark" });
  const background = await page.$eval("body", (b) => getComputedStyle(b).backgroundColor);
  const [r, g, b] = background.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 120, `dark background expected, got ${background}`);
  const text = await page.$eval("body", (b) => getComputedStyle(b).color);
  assert.ok(text.match(/\d+/g).map(Number).slice(0, 3).reduce((a, c) => a + c) > 600, `light text expected, got ${text}`);
  await page.selectOption("#example", "batch");
  await page.screenshot({ path: path.join(shots, "desktop-dark.png"), fullPage: true });
  await assertClean(page);
});

test("keyboard: every control is reachable and labelled", async () => {
  const page = await open();
  const unlabelled = await page.$$eval("button, select, input, textarea", (controls) =>
    controls.filter((c) => !(c.labels?.length || c.getAttribute("aria-label") || c.textContent.trim())).map((c) => c.outerHTML),
  );
  assert.deepEqual(unlabelled, []);
  assert.equal(await page.$$eval("div[onclick], span[onclick]", (d) => d.length), 0);
  const reached = [];
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press("Tab");
    reached.push(await page.evaluate(() => document.activeElement.id || document.activeElement.className));
  }
  for (const id of ["format", "example", "call-type", "strict", "payload"]) assert.ok(reached.includes(id), `${id} not reached: ${reached}`);
  assert.equal(await page.getAttribute("#summary", "aria-live"), "polite");
  await assertClean(page);
});
