// The Plan view end to end in Chromium: a real plan (Typewriter's e2e plan, tests/plans/) over
// the history make serve recorded (its own test events, sent to the inspector's endpoint) and over
// a history file; the counts and each message's outcome are checked against the library's own
// answers for the same messages; then a plan inferred from the history, and a diff.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { startServer } from "../../scripts/serve.mjs";
import { launchChromium } from "../edge/chromium.mjs";
import { ROOT } from "../edge/harness.mjs";
import { assertClean, openPlayground } from "./pages.mjs";

const PLAN = path.join(ROOT, "tests/plans/typewriter/e2e-v8-config-api.plan.json");
const CASES = path.join(ROOT, "tests/plans/typewriter/e2e-v8-config-api.cases.json");

let server;
let browser;
let planText;
let messages;
let lib;

before(async () => {
  planText = await readFile(PLAN, "utf8");
  messages = JSON.parse(await readFile(CASES, "utf8")).cases.map((c) => c.message);
  lib = await import(path.join(ROOT, "pkg/full/node.js"));
  server = await startServer({ port: 0, inspector: { environment: {} } });
  for (const message of messages) {
    const response = await fetch(`http://127.0.0.1:${server.port}/v1/track`, { method: "POST", body: JSON.stringify(message) });
    await response.arrayBuffer();
  }
  browser = await launchChromium({ resolveHosts: true, viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** What the library answers for each message under the plan: the counts the view must show. */
function expected(plan) {
  const destination = new lib.Destination(plan ? { trackingPlan: JSON.parse(plan) } : {});
  const outcomes = messages.map((message) => destination.map(message));
  destination.free();
  const count = (status) => outcomes.filter((outcome) => outcome.status === status).length;
  const codes = {};
  for (const outcome of outcomes) for (const issue of [...outcome.errors, ...outcome.warnings]) codes[issue.code] = (codes[issue.code] ?? 0) + 1;
  return { statuses: outcomes.map((outcome) => outcome.status), mapped: count("mapped"), invalid: count("invalid"), skipped: count("skipped"), codes };
}

/** The view's figures: the summary's counts, the codes table, and each listed row's status. */
async function shown(page) {
  return page.evaluate(() => {
    const counts = {};
    for (const count of document.querySelectorAll("#plan-results .live-count")) {
      const label = count.textContent.replace(count.querySelector("strong").textContent, "").trim();
      counts[label] = Number(count.querySelector("strong").textContent);
    }
    const codes = {};
    const table = [...document.querySelectorAll("#plan-results .plan-table")].find((t) => t.caption.textContent === "Issues by code");
    for (const row of table?.tBodies[0].rows ?? []) codes[row.cells[0].textContent] = Number(row.cells[1].textContent);
    const statuses = [...document.querySelectorAll("#plan-results .plan-row")].map((row) => row.dataset.status);
    return { counts, codes, statuses };
  });
}

/** Puts `text` in a textarea at once, as a paste does (page.fill types long text for seconds). */
async function paste(page, selector, text) {
  await page.focus(selector);
  await page.evaluate(([at, value]) => {
    const area = document.querySelector(at);
    area.value = value;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }, [selector, text]);
}

async function replay(page) {
  await page.click("#plan-replay");
  await page.waitForFunction(() => /^Replayed /.test(document.querySelector("#plan-status").textContent));
}

test("the history make serve recorded, replayed through a real plan: the library's answers, message by message", async () => {
  const page = await openPlayground(browser.context, `http://127.0.0.1:${server.port}/`);
  await paste(page, "#plan-text", planText);
  await page.waitForFunction(() => /^Read as /.test(document.querySelector("#plan-format").textContent));
  assert.match(await page.textContent("#plan-view-state"), /config/i);
  await replay(page);
  const want = expected(planText);
  const got = await shown(page);
  assert.equal(got.counts.messages, messages.length);
  assert.deepEqual([got.counts.mapped, got.counts.invalid, got.counts.skipped], [want.mapped, want.invalid, want.skipped]);
  assert.deepEqual(got.codes, want.codes);
  assert.deepEqual(got.statuses, want.statuses);
  // The plan's own violations are there: Typewriter's e2e suite sends two on purpose.
  assert.ok(Object.keys(want.codes).some((code) => code === "plan_violation"), JSON.stringify(want.codes));
  await assertClean(page);
});

test("a history file (JSON Lines of messages) instead of the server's, and a plan that cannot be read", async () => {
  const page = await openPlayground(browser.context, `http://127.0.0.1:${server.port}/`);
  const lines = messages.map((message) => JSON.stringify(message)).join("\n") + "\nnot JSON\n";
  await page.setInputFiles("#history-file", { name: "messages.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(lines) });
  await page.setInputFiles("#plan-file", { name: "plan.json", mimeType: "application/json", buffer: Buffer.from(planText) });
  await page.waitForFunction(() => /^Read as /.test(document.querySelector("#plan-format").textContent));
  await replay(page);
  const want = expected(planText);
  const got = await shown(page);
  assert.equal(got.counts.messages, messages.length);
  assert.equal(got.counts.unreadable, 1);
  assert.deepEqual(got.statuses.slice(0, messages.length), want.statuses);
  assert.equal(got.statuses.at(-1), "invalid", "the line that is not JSON is listed as invalid");
  // A plan that fits no format: the reason, and replaying says the plan cannot be used.
  await page.fill("#plan-text", '{"rulez": []}');
  await page.waitForFunction(() => /rulez/.test(document.querySelector("#plan-format").textContent));
  await page.click("#plan-replay");
  await page.waitForSelector("#plan-results [role=alert]");
  assert.match(await page.textContent("#plan-results [role=alert]"), /cannot be used/);
  await assertClean(page);
});

test("a plan inferred from the history accepts it, can be downloaded and used, and a tighter plan shows as breaking", async () => {
  const page = await openPlayground(browser.context, `http://127.0.0.1:${server.port}/`);
  await page.click("#plan-infer");
  await page.waitForSelector("#plan-download");
  const inferred = await page.textContent("#plan-results .plan-json");
  const rules = JSON.parse(inferred).rules;
  const events = new Set(messages.map((message) => message.event));
  assert.deepEqual(new Set(rules.filter((rule) => rule.type === "TRACK").map((rule) => rule.key)), events);
  // The download is the same text.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#plan-download")]);
  const saved = await readFile(await download.path(), "utf8");
  assert.equal(saved, inferred);
  // Used as the plan, it accepts every message it came from.
  await page.click("#plan-use-inferred");
  await replay(page);
  const got = await shown(page);
  assert.equal(got.codes.plan_violation, undefined, JSON.stringify(got.codes));
  assert.equal(got.counts.messages, messages.length);
  // Compared with a copy that requires a property no message has, and blocks violations: breaking,
  // and the history's messages of that event newly refused.
  const tighter = JSON.parse(inferred);
  const track = tighter.rules.find((rule) => rule.type === "TRACK");
  const properties = track.jsonSchema.properties.properties;
  properties.required = [...(properties.required ?? []), "planTestRequired"];
  tighter.violations = "block";
  await page.click("#plan-compare-panel summary");
  await paste(page, "#plan-new-text", JSON.stringify(tighter, null, 2));
  await page.click("#plan-diff");
  await page.waitForSelector("#plan-results .plan-changes-breaking li");
  const breaking = await page.textContent("#plan-results .plan-changes-breaking");
  assert.ok(breaking.includes(`TRACK ${track.key}`), breaking);
  assert.match(breaking, /planTestRequired/);
  const refused = messages.filter((message) => message.event === track.key).length;
  const figures = await shown(page);
  assert.equal(figures.counts.messages, messages.length);
  assert.equal(figures.counts["newly refused"], refused);
  assert.equal(figures.counts.changed, refused);
  assert.match(await page.textContent("#plan-results .plan-changes-breaking"), /violations/);
  await assertClean(page);
});
