// Accessibility: axe-core (npm) in Chromium finds no violation of WCAG 2 A/AA (2.0 and 2.1) nor of
// its best practices, in the light and the dark theme, on the playground with a result, issues,
// both settings panels open, the Live view holding messages of every status, and the Plan view
// with a replay, an inferred plan and a diff.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { startServer } from "../../scripts/serve.mjs";
import { launchChromium } from "../edge/chromium.mjs";
import { ROOT } from "../edge/harness.mjs";
import { assertClean, openPlayground } from "./pages.mjs";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

let server;
let browser;
let axeSource;

before(async () => {
  axeSource = await readFile(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
  server = await startServer({ port: 0, inspector: { environment: {} } });
  const post = (route, body) => fetch(`http://127.0.0.1:${server.port}${route}`, { method: "POST", body: JSON.stringify(body) });
  await post("/v1/batch", {
    batch: [
      { type: "identify", userId: "u_a11y", traits: { email: 42 } },
      { type: "track", userId: "u_a11y" },
      { type: "page", userId: "u_a11y" },
      { type: "track", userId: "u_a11y", event: "Order Completed" },
    ],
  });
  await post("/v1/t", "{broken");
  browser = await launchChromium({ resolveHosts: true, viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** axe's violations on the page as it is, one line each (rule, impact, where). */
async function violations(page) {
  // Through the devtools protocol, not a <script>: the page's CSP allows no inline script.
  await page.evaluate(axeSource);
  const found = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} ${n.any.map((a) => a.message).join("; ")}`));
  }, TAGS);
  return found;
}

for (const colorScheme of ["light", "dark"]) {
  test(`axe-core: no violations in the ${colorScheme} theme, Live view included`, async () => {
    const page = await openPlayground(browser.context, `http://127.0.0.1:${server.port}/`, "", { colorScheme });
    await page.waitForSelector("#live-rows .live-row");
    await page.selectOption("#example", "bad-timestamp");
    await page.click("#mappings-panel summary");
    await page.click("#plan-panel summary");
    await page.waitForTimeout(300);
    assert.deepEqual(await violations(page), []);
    // A message opened from the Live view, and an invalid one in the result.
    await page.click("#live-rows .live-row[data-status=invalid]");
    await page.waitForFunction(() => !document.querySelector("#received").hidden);
    assert.deepEqual(await violations(page), []);
    // A batch: rows of every status, with their details.
    await page.selectOption("#example", "batch");
    await page.waitForTimeout(300);
    assert.deepEqual(await violations(page), []);
    // An empty editor, and a settings error.
    await page.fill("#payload", "");
    await page.fill("#tracking-plan", "{oops");
    await page.waitForTimeout(300);
    assert.deepEqual(await violations(page), []);
    // The Plan view: a plan read, the history replayed through it (tables, rows), the compare
    // panel open, then an inferred plan and a diff of it against the plan.
    await page.evaluate(() => {
      const area = document.querySelector("#plan-text");
      area.value = JSON.stringify({ rules: [{ key: "Order Completed", type: "TRACK", version: 1, jsonSchema: { properties: { properties: { required: ["total"] } } } }] });
      area.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await page.click("#plan-replay");
    await page.waitForFunction(() => /^Replayed /.test(document.querySelector("#plan-status").textContent));
    await page.click("#plan-compare-panel summary");
    assert.deepEqual(await violations(page), []);
    await page.click("#plan-infer");
    await page.waitForSelector("#plan-download");
    assert.deepEqual(await violations(page), []);
    await page.click("#plan-compare-inferred");
    await page.click("#plan-diff");
    await page.waitForSelector("#plan-results .plan-changes-breaking");
    assert.deepEqual(await violations(page), []);
    // Phone width.
    await page.setViewportSize({ width: 375, height: 740 });
    assert.deepEqual(await violations(page), []);
    await assertClean(page);
  });
}
