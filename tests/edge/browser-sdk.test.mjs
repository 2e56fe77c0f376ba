// The browser SDK as customers run it: @segment/analytics-next (npm, its UMD build) in Debian's
// Chromium, on a page of another origin, its Segment.io integration pointed at the worker in
// workerd. Settings are given (cdnSettings) and the browser resolves no host name, so nothing
// reaches Segment. ALLOWED_ORIGINS lists the shop's origin; a second site is not listed.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchChromium, watchedPage } from "./chromium.mjs";
import { startUpstream, startWorkerd } from "./harness.mjs";
import { startPageServer } from "./page-server.mjs";

const API_KEY = "ak_browser_6d1f0e";
const WRITE_KEY = "wk_browser_3c9a7b";
const PAGE = `<!doctype html><meta charset="utf-8"><title>shop</title><link rel="icon" href="data:,">
<script>window.analytics = { _cdn: location.origin + "/cdn" }; // self-hosted: bundles come from this site</script>
<script src="/analytics.js"></script>`;

/**
 * Segment's snippet, shortened to what analytics.js reads: calls queued as [method, ...args] until
 * it loads, `_writeKey`, `_loadOptions` (analytics.load's second argument) and `_cdn`, here this
 * site, which serves the script, its bundles and the source's settings object.
 */
function snippetPage(apiHost) {
  return `<!doctype html><meta charset="utf-8"><title>shop</title><link rel="icon" href="data:,">
<script>
  !function () {
    var analytics = (window.analytics = window.analytics || []);
    analytics._cdn = location.origin + "/cdn";
    ["identify", "group", "track", "page", "screen", "alias"].forEach(function (method) {
      analytics[method] = function () {
        var args = Array.prototype.slice.call(arguments);
        args.unshift(method);
        analytics.push(args);
        return analytics;
      };
    });
    analytics.load = function (writeKey, options) {
      var script = document.createElement("script");
      script.async = true;
      script.src = analytics._cdn + "/analytics.js/v1/" + writeKey + "/analytics.min.js";
      document.head.appendChild(script);
      analytics._writeKey = writeKey;
      analytics._loadOptions = options;
    };
    analytics.load(${JSON.stringify(WRITE_KEY)}, {
      integrations: { "Segment.io": { apiHost: ${JSON.stringify(apiHost)}, protocol: "http" } },
    });
    analytics.identify("u_snippet", { plan: "team" });
    analytics.track("Snippet Loaded", { queued: true });
  }();
</script>`;
}

let upstream;
let shopPages; // its pages: the snippet page needs the worker's address, known last
let shop; // the customer's site, in ALLOWED_ORIGINS
let stranger; // another site, not in it
let edge;
let browser;

before(async () => {
  shopPages = { "/": PAGE };
  [upstream, shop, stranger] = await Promise.all([startUpstream(), startPageServer(shopPages), startPageServer({ "/": PAGE })]);
  [edge, browser] = await Promise.all([
    startWorkerd({
      ASTROLABE_ENDPOINT: upstream.url,
      ASTROLABE_API_KEY: API_KEY,
      SEGMENT_WRITE_KEY: WRITE_KEY,
      ALLOWED_ORIGINS: `https://shop.example, ${shop.origin}`,
      ASTROLABE_RETRY_BUDGET_MS: "1500",
      ASTROLABE_RETRY_MAX_ATTEMPTS: "2",
      ASTROLABE_RETRY_BASE_MS: "20",
    }),
    launchChromium(),
  ]);
  shopPages["/snippet"] = snippetPage(apiHost());
  // The source's settings object, self-hosted where the snippet's `_cdn` points.
  shopPages[`/cdn/v1/projects/${WRITE_KEY}/settings`] = {
    type: "application/json",
    body: JSON.stringify({ integrations: { "Segment.io": { apiKey: WRITE_KEY } } }),
  };
});

after(async () => {
  await browser?.close();
  await edge?.stop();
  await Promise.all([upstream?.close(), shop?.close(), stranger?.close()]);
});

/** The worker as analytics.js's `apiHost`: host, port and path, no scheme. */
const apiHost = () => `${edge.base.slice("http://".length)}/v1`;

/** Runs `use` on a page of `site`, closed after even when `use` fails (its SDK would keep retrying). */
async function onPage(site, use, path = "/") {
  const page = await watchedPage(browser.context);
  try {
    const response = await page.goto(`${site.origin}${path}`);
    assert.equal(response.status(), 200);
    return await use(page);
  } finally {
    await page.close();
  }
}

/** analytics.load() in the page, as the docs tell a customer to: the worker as apiHost. */
function loadAnalytics(page, deliveryStrategy) {
  return page.evaluate(
    async ({ writeKey, apiHost, deliveryStrategy }) => {
      const [analytics] = await window.AnalyticsNext.AnalyticsBrowser.load(
        {
          writeKey,
          cdnSettings: {
            integrations: { "Segment.io": { apiKey: writeKey } },
            // Its own counters go to `${apiHost}/m`, soon: the worker must acknowledge them too.
            metrics: { sampleRate: 1, flushTimer: 200 },
          },
        },
        { integrations: { "Segment.io": { apiHost, protocol: "http", ...(deliveryStrategy ? { deliveryStrategy } : {}) } } },
      );
      window.sdkErrors = [];
      analytics.on("error", (error) => window.sdkErrors.push(`${error.code}: ${error.reason}`));
      window.sdk = analytics;
    },
    { writeKey: WRITE_KEY, apiHost: apiHost(), deliveryStrategy },
  );
}

/** The calls of a customer's page: what Astrolabe takes, and what it does not. */
function sendCalls(page) {
  return page.evaluate(async () => {
    const sdk = window.sdk;
    const contexts = [
      await sdk.identify("u_42", { email: "ada@example.com", plan: "pro" }),
      await sdk.group("acct_7", { name: "Initech", employees: 329 }),
      await sdk.track("Signed Up", { plan: "pro" }),
      await sdk.page("Pricing"),
      await sdk.screen("Checkout"),
      await sdk.alias("u_42_new"),
    ];
    return contexts.map((ctx) => ({
      type: ctx.event.type,
      messageId: ctx.event.messageId,
      failed: ctx.failedDelivery() ? String(ctx.failedDelivery().reason) : null,
    }));
  });
}

async function until(what, check, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const toWorker = (entry) => entry.url.startsWith(edge.base);
const forwardedOps = () => upstream.requests.flatMap((request) => request.json.operations.map((operation) => operation.op));

describe("analytics.js (analytics-next) on another origin", () => {
  test("one request per call: /v1/i, /v1/g, /v1/t forwarded, /v1/p, /v1/s, /v1/a acknowledged; the SDK sees every delivery succeed", async () => {
    upstream.reset();
    await onPage(shop, async (page) => {
      await loadAnalytics(page);
      const sent = await sendCalls(page);
      await until("analytics.js's metrics post", () => page.seen.responses.some((entry) => entry.url.endsWith("/v1/m")));

      assert.deepEqual(sent.map((call) => call.failed), [null, null, null, null, null, null]);
      assert.deepEqual(await page.evaluate(() => window.sdkErrors), []);
      const posts = page.seen.responses.filter((entry) => toWorker(entry) && entry.method === "POST");
      assert.deepEqual(
        posts.filter((entry) => !entry.url.endsWith("/v1/m")).map((entry) => [new URL(entry.url).pathname, entry.status]),
        [["/v1/i", 200], ["/v1/g", 200], ["/v1/t", 200], ["/v1/p", 200], ["/v1/s", 200], ["/v1/a", 200]],
      );
      assert.ok(posts.filter((entry) => entry.url.endsWith("/v1/m")).every((entry) => entry.status === 200));
      // What makes every call cross-origin and not simple: its write key in Authorization.
      const request = page.seen.requests.find((entry) => entry.url.endsWith("/v1/t"));
      assert.ok(request, "no POST /v1/t");
      assert.equal(request.headers.authorization, `Basic ${Buffer.from(`${WRITE_KEY}:`).toString("base64")}`);
      assert.equal(request.headers["content-type"], "text/plain");
      assert.deepEqual(page.seen.failed, []);
      assert.deepEqual(page.seen.errors, []);
      assert.ok(page.seen.requests.every((entry) => entry.url.startsWith("http://127.0.0.1:")), "a request left loopback");

      assert.deepEqual(forwardedOps(), ["upsertUser", "upsertAccount", "associateUser", "trackEvent"]);
      const [identify, group, track] = upstream.requests.map((entry) => entry.json.operations);
      assert.equal(identify[0].userId, "u_42");
      assert.deepEqual(identify[0].traits, { email: "ada@example.com", plan: "pro" });
      assert.equal(identify[0].messageId, sent[0].messageId);
      assert.deepEqual(group.map((operation) => operation.messageId), [sent[1].messageId, sent[1].messageId]);
      assert.equal(group[1].userId, "u_42");
      assert.equal(track[0].event, "Signed Up");
      assert.equal(track[0].messageId, sent[2].messageId);
      assert.ok(upstream.requests.every((entry) => entry.headers.authorization === `Bearer ${API_KEY}`));

      // The browser asked first (a preflight per path), and was answered.
      const logs = edge.stdout().split("\n").filter(Boolean).map((line) => JSON.parse(line));
      const preflights = logs.filter((line) => line.method === "OPTIONS" && line.path === "/v1/t");
      assert.ok(preflights.length >= 1 && preflights.every((line) => line.status === 204));
    });
  });

  test("the batching strategy: one POST /v1/b, its valid items in one upstream request", async () => {
    upstream.reset();
    await onPage(shop, async (page) => {
      await loadAnalytics(page, { strategy: "batching", config: { size: 6, timeout: 200 } });
      const sent = await sendCalls(page);
      await until("the batch upstream", () => upstream.requests.length > 0);

      const posts = page.seen.responses.filter((entry) => toWorker(entry) && entry.method === "POST" && !entry.url.endsWith("/v1/m"));
      assert.deepEqual(posts.map((entry) => [new URL(entry.url).pathname, entry.status]), [["/v1/b", 200]]);
      assert.deepEqual(page.seen.failed, []);
      assert.deepEqual(page.seen.errors, []);
      assert.deepEqual(await page.evaluate(() => window.sdkErrors), []);
      assert.equal(upstream.requests.length, 1, "one upstream request for the batch");
      assert.deepEqual(forwardedOps(), ["upsertUser", "upsertAccount", "associateUser", "trackEvent"]);
      assert.deepEqual(
        upstream.requests[0].json.operations.map((operation) => operation.messageId),
        [sent[0].messageId, sent[1].messageId, sent[1].messageId, sent[2].messageId],
      );
    });
  });
});

describe("analytics.js from Segment's snippet", () => {
  test("the snippet with analytics.load's Segment.io options, a self-hosted settings object: queued and later calls delivered", async () => {
    upstream.reset();
    await onPage(
      shop,
      async (page) => {
        await page.waitForFunction(() => window.analytics?.initialized === true);
        await page.evaluate(async () => {
          await window.analytics.group("acct_snippet", { name: "Umbrella" });
          await window.analytics.page("Pricing");
        });
        await until("four operations upstream", () => forwardedOps().length === 4);
        assert.deepEqual(forwardedOps().sort(), ["associateUser", "trackEvent", "upsertAccount", "upsertUser"]);
        const posts = page.seen.responses.filter((entry) => toWorker(entry) && entry.method === "POST" && !entry.url.endsWith("/v1/m"));
        assert.deepEqual(posts.map((entry) => [new URL(entry.url).pathname, entry.status]).sort(), [
          ["/v1/g", 200],
          ["/v1/i", 200],
          ["/v1/p", 200],
          ["/v1/t", 200],
        ]);
        assert.ok(page.seen.requests.some((entry) => entry.url.endsWith(`/cdn/v1/projects/${WRITE_KEY}/settings`)));
        assert.deepEqual(page.seen.failed, []);
        assert.deepEqual(page.seen.errors, []);
      },
      "/snippet",
    );
  });
});

describe("bodies sent as a page leaves", () => {
  test("navigator.sendBeacon (a 60 KB batch, the write key in each item) and fetch with keepalive are delivered", async () => {
    upstream.reset();
    await onPage(shop, async (page) => {
      const result = await page.evaluate(
        async ({ worker, writeKey }) => {
          const item = (n) => ({
            type: "track",
            userId: "u_beacon",
            event: "Page Left",
            messageId: `beacon-${n}`,
            properties: { n, filler: "x".repeat(1_900) },
            writeKey,
          });
          const beacon = JSON.stringify({ batch: Array.from({ length: 30 }, (_, n) => item(n)) });
          const queued = navigator.sendBeacon(`${worker}/v1/b`, beacon);
          const response = await fetch(`${worker}/v1/t`, {
            method: "POST",
            keepalive: true,
            headers: { "content-type": "text/plain", authorization: `Basic ${btoa(`${writeKey}:`)}` },
            body: JSON.stringify({ userId: "u_beacon", event: "Tab Hidden", messageId: "keepalive-1" }),
          });
          return { beaconBytes: beacon.length, queued, keepalive: { status: response.status, body: await response.json() } };
        },
        { worker: edge.base, writeKey: WRITE_KEY },
      );
      assert.ok(result.beaconBytes > 58_000 && result.beaconBytes < 65_536, `${result.beaconBytes} bytes`);
      assert.equal(result.queued, true);
      assert.equal(result.keepalive.status, 200);
      assert.equal(result.keepalive.body.forwarded, 1);
      await until("both deliveries upstream", () => upstream.requests.length === 2);
      const ids = upstream.requests.flatMap((entry) => entry.json.operations.map((operation) => operation.messageId)).sort();
      assert.equal(ids.length, 31);
      assert.ok(ids.includes("keepalive-1") && ids.includes("beacon-29"));
    });
  });
});

describe("CORS in a real browser", () => {
  test("error answers are readable by the page: 401, 400, 413, and a 503 with its Retry-After", async () => {
    await onPage(shop, async (page) => {
      upstream.reset();
      upstream.fallback = { status: 503, headers: { "retry-after": "7" }, body: { error: "maintenance" } };
      try {
        const answers = await page.evaluate(async ({ worker, writeKey }) => {
          const auth = { authorization: `Basic ${btoa(`${writeKey}:`)}`, "content-type": "text/plain" };
          const send = async (path, body, headers = auth) => {
            const response = await fetch(`${worker}${path}`, { method: "POST", headers, body });
            return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
          };
          return [
            await send("/v1/t", JSON.stringify({ userId: "u", event: "E" }), { authorization: `Basic ${btoa("wk_wrong:")}` }),
            await send("/v1/t", '{"userId": "u", "event": '),
            await send("/v1/t", JSON.stringify({ userId: "u", event: "E", properties: { pad: "x".repeat(40_000) } })),
            await send("/v1/t", JSON.stringify({ userId: "u", event: "E", messageId: "m-503" })),
          ];
        }, { worker: edge.base, writeKey: WRITE_KEY });
        assert.deepEqual(answers.map((answer) => answer.status), [401, 400, 413, 503]);
        assert.equal(answers[0].body.errors[0].code, "unauthorized");
        assert.equal(answers[1].body.errors[0].code, "invalid_json");
        assert.equal(answers[2].body.errors[0].code, "too_large");
        assert.equal(answers[3].retryAfter, "7", "Retry-After is exposed to the page");
        assert.equal(answers[3].body.upstream.stored, "unknown");
      } finally {
        upstream.fallback = { status: 200, body: { ok: true } };
      }
      assert.deepEqual(page.seen.failed, []);
    });
  });

  test("a site not in ALLOWED_ORIGINS: its preflight is refused, its simple POST gets a 403, nothing is forwarded", async () => {
    upstream.reset();
    const before = edge.stdout().length;
    await onPage(stranger, async (page) => {
      const outcome = await page.evaluate(async ({ worker, writeKey }) => {
        const attempt = async (headers) => {
          try {
            const response = await fetch(`${worker}/v1/t`, {
              method: "POST",
              headers,
              body: JSON.stringify({ userId: "u_stranger", event: "Stolen", writeKey }),
            });
            return `answered ${response.status}`;
          } catch (error) {
            return error.name;
          }
        };
        return {
          preflighted: await attempt({ "content-type": "text/plain", authorization: `Basic ${btoa(`${writeKey}:`)}` }),
          simple: await attempt({ "content-type": "text/plain" }),
        };
      }, { worker: edge.base, writeKey: WRITE_KEY });
      assert.deepEqual(outcome, { preflighted: "TypeError", simple: "TypeError" });
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the log lines arrive
      const logs = edge.stdout().slice(before).split("\n").filter(Boolean).map((line) => JSON.parse(line));
      const refused = logs.filter((line) => line.path === "/v1/t").map((line) => [line.method, line.status, line.error]);
      assert.deepEqual(refused, [["OPTIONS", 403, "origin_not_allowed"], ["POST", 403, "origin_not_allowed"]]);
      assert.ok(logs.every((line) => line.path !== "/v1/t" || line.origin === stranger.origin));
      assert.equal(upstream.requests.length, 0);
    });
  });
});
