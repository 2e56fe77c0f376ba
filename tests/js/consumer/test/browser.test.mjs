// A real browser (Debian's Chromium, driven by playwright-core) loads the package through its
// `browser` exports condition from a local server: the .wasm is fetched next to the entry and
// compiled with instantiateStreaming, and nothing is requested from anywhere else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { consumerDir, repoDir } from "./helpers.mjs";

const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const { chromium } = createRequire(path.join(repoDir, "package.json"))("playwright-core");

function browserEntry(specifier) {
  const code = `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`;
  const result = spawnSync(process.execPath, ["--conditions=browser", "--input-type=module", "-e", code], { cwd: consumerDir, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return "/" + path.relative(consumerDir, fileURLToPath(result.stdout.trim())).split(path.sep).join("/");
}

const page = (imports) => `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module">
  import * as full from "astrolabe-segment";
  import * as lite from "astrolabe-segment/lite";
  const results = {};
  for (const [name, api] of Object.entries({ full, lite })) {
    const destination = new api.Destination({ strict: false });
    const traits = JSON.parse('{"__proto__": {"x": 1}, "email": "ada@example.com"}');
    const outcome = destination.map({ type: "identify", userId: "u1", traits, timestamp: new Date(Date.UTC(2024, 0, 2)) });
    results[name] = {
      status: outcome.status,
      operations: JSON.stringify(outcome.operations),
      ownProto: Object.hasOwn(outcome.operations[0].traits, "__proto__"),
      plain: Object.getPrototypeOf(outcome) === Object.prototype,
      invalid: destination.map({ type: "track", userId: "u", event: "e", properties: { n: NaN } }).errors.map((e) => e.code + " " + e.path),
      text: JSON.parse(destination.mapJson(new TextEncoder().encode('{"type": "group", "groupId": "g"}'))).operations,
      // A long answer past ASCII: the full build decodes it in pieces, the lite one whole.
      long: destination.mapJson(JSON.stringify({ batch: Array.from({ length: 200 }, (_, i) => ({ type: "track", userId: "u" + i, event: i % 40 === 0 ? "Café 中文 😀 " + i : "Event " + i })) })),
      version: api.version,
    };
    // A trap (the test-only one, under a registered symbol, no export) re-instantiates the streamed-in Module; the next call works.
    const strict = new api.Destination({ strict: true });
    try {
      api.Destination[Symbol.for("astrolabe-segment.test.forceTrap")]({ a: [1] });
    } catch (error) {
      results[name].trap = error instanceof Error && error.cause instanceof WebAssembly.RuntimeError && /internal error/.test(error.message);
    }
    results[name].afterTrap = [api.map({ type: "identify", userId: "u1" }).status, strict.map({ type: "track", userId: 1, event: "e" }).status];
  }
  window.__results = results;
</script>`;

test("Chromium loads the browser entry and maps messages", { timeout: 120_000 }, async () => {
  const imports = { "astrolabe-segment": browserEntry("astrolabe-segment"), "astrolabe-segment/lite": browserEntry("astrolabe-segment/lite") };
  assert.match(imports["astrolabe-segment"], /\/full\/browser\.js$/);
  const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, "http://localhost");
    if (url.pathname === "/") {
      response.writeHead(200, { "content-type": "text/html" }).end(page(imports));
      return;
    }
    const file = path.join(consumerDir, decodeURIComponent(url.pathname));
    if (!file.startsWith(path.join(consumerDir, "node_modules") + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  try {
    const tab = await browser.newPage();
    const requests = [];
    const messages = [];
    tab.on("request", (request) => requests.push(request.url()));
    tab.on("console", (message) => messages.push(`${message.type()}: ${message.text()}`));
    tab.on("pageerror", (error) => messages.push(`pageerror: ${error.message}`));
    await tab.goto(origin + "/");
    await tab.waitForFunction(() => window.__results !== undefined, null, { timeout: 60_000 }).catch(() => {});
    const results = await tab.evaluate(() => window.__results);
    assert.ok(results, `the page did not finish:\n${messages.join("\n")}`);
    for (const name of ["full", "lite"]) {
      const result = results[name];
      assert.equal(result.status, "mapped", JSON.stringify(result));
      assert.equal(
        result.operations,
        '[{"op":"upsertUser","userId":"u1","traits":{"__proto__":{"x":1},"email":"ada@example.com"},"timestamp":"2024-01-02T00:00:00.000Z"}]',
      );
      assert.ok(result.ownProto && result.plain);
      assert.deepEqual(result.invalid, ["not_json /properties/n"]);
      assert.deepEqual(result.text, [{ op: "upsertAccount", groupId: "g", traits: {} }]);
      assert.equal(result.trap, true, "a trap throws one Error caused by the RuntimeError");
      assert.deepEqual(result.afterTrap, ["mapped", "invalid"], "calls after a trap work, old Destinations too");
    }
    assert.equal(results.full.long, results.lite.long, "a long answer past ASCII reads the same from both builds");
    const events = JSON.parse(results.full.long).outcomes.map((outcome) => outcome.operations[0].event);
    assert.deepEqual(events.filter((event) => event.startsWith("Café")), [0, 40, 80, 120, 160].map((i) => `Café 中文 😀 ${i}`));
    assert.ok(results.full.long.length > 4096);
    assert.deepEqual(messages.filter((message) => !message.startsWith("debug")), [], "console output");
    assert.ok(requests.every((url) => url.startsWith(origin)), `requests went elsewhere: ${requests}`);
    for (const flavor of ["full", "lite"]) {
      assert.ok(requests.includes(`${origin}/node_modules/astrolabe-segment/dist/${flavor}/astrolabe_segment_bg.wasm`), `no ${flavor} .wasm request: ${requests}`);
    }
  } finally {
    await browser.close();
    server.close();
  }
});
