// The playground as a person edits in it: issues marked on their value in the text, the user's
// own message never lost (examples, the menu's keyboard, reloads), an empty editor, the result
// within reach at phone width, and issue hints. In Chromium, served by scripts/serve.mjs.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startServer } from "../../scripts/serve.mjs";
import { launchChromium } from "../edge/chromium.mjs";
import { assertClean, openPlayground } from "./pages.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({ port: 0, inspector: false });
  browser = await launchChromium({ resolveHosts: true, viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const open = (options) => openPlayground(browser.context, server.url, "", options);
const settled = (page) => page.waitForTimeout(400); // the 150 ms debounce, with room to spare
const marks = (page, selector = "#payload") =>
  page.$eval(selector, (ta) => [...ta.closest(".editor").querySelectorAll(".editor-marks mark")].map((m) => `${m.className} ${m.textContent}`));

test("each issue is marked on its value in the text, and the marks follow edits", async () => {
  const page = await open();
  await page.selectOption("#example", "bad-timestamp");
  assert.deepEqual(await marks(page), ['mark-warning "12/05/2024 09:32"']);
  await page.selectOption("#example", "missing-user");
  const [first] = await marks(page);
  assert.match(first, /^mark-error \{/, "a missing member: the object that lacks it, at its brace");
  // The marks' layer lines up with the text: the mark starts where the value starts.
  const aligned = await page.evaluate(() => {
    const ta = document.querySelector("#payload");
    const mark = ta.closest(".editor").querySelector(".editor-marks mark");
    const layer = mark.parentElement.getBoundingClientRect();
    const box = mark.getBoundingClientRect();
    const style = getComputedStyle(ta);
    // The mark's middle is the first line's middle, and it starts where the text starts.
    return {
      middle: box.top + box.height / 2 - layer.top,
      expected: parseFloat(style.paddingTop) + parseFloat(style.lineHeight) / 2,
      left: box.left - layer.left,
      padding: parseFloat(style.paddingLeft),
    };
  });
  assert.ok(Math.abs(aligned.middle - aligned.expected) < 1.5 && Math.abs(aligned.left - aligned.padding) < 1.5, JSON.stringify(aligned));
  // Typing clears the old marks at once; the next check marks again.
  await page.selectOption("#example", "bad-timestamp");
  await page.focus("#payload");
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" ");
  assert.deepEqual(await marks(page), []);
  await settled(page);
  assert.deepEqual(await marks(page), ['mark-warning "12/05/2024 09:32"']);
  // Broken JSON: the place the parser stopped.
  await page.selectOption("#example", "broken-json");
  assert.deepEqual(await marks(page), ['mark-error "']);
  await assertClean(page);
});

test("the user's own message survives an example chosen by keyboard, and comes back from the menu and on reload", async () => {
  const page = await open();
  const mine = '{"type": "track", "userId": "u_mine", "event": "Mine"}';
  await page.fill("#payload", mine);
  await settled(page);
  assert.equal(await page.inputValue("#example"), "");
  // One ArrowDown on the focused menu picks the next example.
  await page.focus("#example");
  await page.keyboard.press("ArrowDown");
  await settled(page);
  assert.notEqual(await page.inputValue("#payload"), mine);
  assert.match(await page.textContent("#toast"), /Your own message/);
  const option = await page.$eval('#example option[value=""]', (o) => ({ disabled: o.disabled, text: o.textContent }));
  assert.deepEqual(option, { disabled: false, text: "Your own message (kept)" });
  assert.equal(await page.evaluate(() => document.activeElement.id), "example", "the focus stays on the menu");
  // Undo in the editor brings it back too.
  await page.focus("#payload");
  await page.keyboard.press("Control+Z");
  assert.equal(await page.inputValue("#payload"), mine);
  await page.selectOption("#example", "group");
  await page.selectOption("#example", "");
  assert.equal(await page.inputValue("#payload"), mine);
  assert.equal(await page.textContent("#output .status-line .badge"), "✓mapped");
  // A reload keeps it.
  await page.fill("#payload", mine.replace("Mine", "Mine, edited"));
  await settled(page);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await page.inputValue("#payload"), mine.replace("Mine", "Mine, edited"));
  // An example on screen at reload: the example, with the draft still in the menu.
  await page.selectOption("#example", "group");
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await page.inputValue("#example"), "identify");
  await page.selectOption("#example", "");
  assert.equal(await page.inputValue("#payload"), mine.replace("Mine", "Mine, edited"));
  await assertClean(page);
});

test("an empty editor is a hint, not an error", async () => {
  const page = await open();
  await page.fill("#payload", "");
  await settled(page);
  assert.match(await page.textContent("#output"), /Nothing to check yet/);
  assert.equal(await page.$("#output .issue"), null);
  assert.equal(await page.$eval("#output .notice", (n) => n.classList.contains("notice-hint")), true, "the quiet notice");
  assert.doesNotMatch(await page.textContent("#summary"), /EOF|column 0|ends too early/);
  assert.deepEqual(await marks(page), []);
  // Columns are 1-based: the end of "{" is column 2.
  await page.fill("#payload", "{");
  await settled(page);
  assert.match(await page.textContent("#output .issue-message"), /line 1, column 2/);
  await assertClean(page);
});

test("phone width: the result's summary stays in sight under the editor while typing", async () => {
  const page = await open({ width: 375, height: 740 });
  await page.focus("#payload");
  await page.evaluate(() => document.querySelector("#payload").scrollIntoView({ block: "center" }));
  const peek = await page.$eval("#peek", (a) => {
    const box = a.getBoundingClientRect();
    return { visible: box.top >= 0 && box.bottom <= innerHeight, text: a.textContent };
  });
  assert.ok(peek.visible, "in the viewport");
  assert.match(peek.text, /mapped.*Mapped to 1 operation/);
  await page.keyboard.press("Control+End");
  await page.keyboard.type("x");
  await settled(page);
  assert.match(await page.textContent("#peek"), /invalid/);
  await page.click("#peek");
  await page.waitForFunction(() => Math.abs(document.querySelector("#result").getBoundingClientRect().top) < 5);
  // On a wide screen the result is beside the editor: no such line.
  const wide = await open();
  assert.equal(await wide.isVisible("#peek"), false);
  await assertClean(wide);
  await assertClean(page);
});

test("an issue's hint is shown under its message when present", async () => {
  const page = await open();
  const shown = await page.evaluate(async () => {
    const { renderResult } = await import("/render.js");
    const box = document.createElement("div");
    renderResult(box, {
      status: "invalid",
      operations: [],
      errors: [
        { code: "missing_event", path: "/event", message: "A track call needs an event.", severity: "error", hint: 'Add "event": "Order Completed".' },
        { code: "missing_identity", path: "/userId", message: "No user." },
      ],
      warnings: [],
    }, () => {});
    return [...box.querySelectorAll(".issue")].map((b) => b.querySelector(".issue-hint")?.textContent ?? null);
  });
  assert.deepEqual(shown, ['Add "event": "Order Completed".', null]);
  // And under the first problem of a Live view row.
  const row = await page.evaluate(async () => {
    const { liveRow } = await import("/live.js");
    const outcome = (hint) => ({ status: "invalid", errors: [{ code: "missing_event", path: "/event", message: "No event.", ...(hint ? { hint } : {}) }], warnings: [] });
    const at = { id: 1, receivedAt: new Date().toISOString(), route: "/v1/t", type: "track", http: { status: 400 }, message: { userId: "u" } };
    return [liveRow({ ...at, outcome: outcome("Name the event.") }), liveRow({ ...at, outcome: outcome() })].map((li) => li.querySelector(".issue-hint")?.textContent ?? null);
  });
  assert.deepEqual(row, ["Name the event.", null]);
  await assertClean(page);
});

test("a message typed with userID shows the package's own hint: rename it to userId", async () => {
  const page = await open();
  await page.fill("#payload", JSON.stringify({ type: "identify", userID: "u_42", traits: { firstname: "Ada" } }, null, 2));
  await settled(page);
  const hints = await page.$$eval("#output .issue", (boxes) =>
    boxes.map((box) => [box.dataset.code, box.querySelector(".issue-hint")?.textContent ?? null]),
  );
  assert.deepEqual(
    hints.filter(([, hint]) => hint !== null),
    [
      ["missing_identity", 'rename "userID" to "userId"'],
      ["near_miss_reserved", 'rename "firstname" to "firstName"'],
    ],
    JSON.stringify(hints),
  );
  await assertClean(page);
});

test("the Build menu switches to the lite build, which says what it leaves out", async () => {
  const page = await open();
  assert.match(await page.textContent("#build-help"), /lite.*leaves out tracking plans and the @liquid/);
  await page.selectOption("#build", "lite");
  await page.waitForSelector("html[data-build=lite]");
  assert.match(await page.textContent("#version"), /· lite$/);
  assert.ok(page.log.requests.some((url) => url.endsWith("/pkg/dist/lite/astrolabe_segment_bg.wasm")), "the lite module was loaded");
  assert.equal(await page.textContent("#output .status-line .badge"), "✓mapped", "a message maps the same");
  assert.equal(await page.isDisabled("#privacy"), true, "the lite build has no personal data detection");
  await page.selectOption("#example", "tracking-plan");
  await settled(page);
  assert.match(await page.textContent("#config-error"), /trackingPlan is not available in this build/);
  await page.selectOption("#example", "custom-mapping");
  await settled(page);
  assert.equal(await page.isVisible("#config-error"), false, "@path mappings work in lite");
  await page.selectOption("#build", "full");
  await page.waitForSelector("html[data-build=full]");
  await page.selectOption("#example", "tracking-plan");
  await settled(page);
  assert.equal(await page.isVisible("#config-error"), false);
  await assertClean(page);
});
