// Micro cases beside the main harness (benches/run.mjs, `make bench`), ratios in one run:
// astrolabe-segment (WebAssembly, full build) against ajv with an equivalent JSON Schema plus a
// hand-written mapping, and Segment's own mapping-kit (`transform` from @segment/actions-core), on
// one fixed message each: custom mappings, tracking plans, compiling a plan, and building a
// Destination again and again (one per request: identical settings share their compiled form).
//
//   node benches/compare.mjs [--quick] [--only TEXT] [--out benches/CASES.md]     (make bench-cases)
//   (--only: the cases whose name contains TEXT, e.g. --only build)
//
// Each case runs every contender on the same inputs, checks first that they agree on the answer
// (so nothing is measured that does less work), then times rounds of calls and reports the median.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import os from "node:os";

const require = createRequire(import.meta.url);
const { Destination } = await import("astrolabe-segment");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");
const { transform } = require("@segment/actions-core");

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const out = args.includes("--out") ? args[args.indexOf("--out") + 1] : null;
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const ROUNDS = quick ? 3 : 9;
const ROUND_MS = quick ? 60 : 250;

// ---- Inputs -------------------------------------------------------------------------------
const track = {
  type: "track",
  userId: "019mr8mf4r",
  anonymousId: "507f191e810c19729de860ea",
  event: "Order Completed",
  messageId: "022bb90c-bbac-11e4-8dfc-aa07a5b093db",
  properties: {
    order_id: "50314b8e9bcf000000000000",
    revenue: 25.0,
    currency: "USD",
    products: [
      { product_id: "507f1f77bcf86cd799439011", sku: "45790-32", name: "Monopoly", price: 19, quantity: 1 },
      { product_id: "505bd76785ebb509fc183733", sku: "46493-32", name: "Uno", price: 3, quantity: 2 },
    ],
  },
  context: { groupId: "acme", ip: "8.8.8.8", library: { name: "analytics.js", version: "2.11.1" }, locale: "nl-NL" },
  timestamp: "2015-12-10T04:08:31.905Z",
  sentAt: "2015-12-10T04:08:31.581Z",
};
const broken = { type: "track", event: "", properties: { revenue: "25" }, timestamp: "2015-2-02T00:30:08.276Z" };
const batch = { batch: Array.from({ length: 100 }, (_, i) => ({ ...track, messageId: `m-${i}` })) };
const trackText = JSON.stringify(track);
const batchText = JSON.stringify(batch);

// ---- ajv: the same core rules as a JSON Schema (all errors, formats), then the same mapping ---
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const nonBlank = { type: "string", pattern: "\\S" };
const validateTrack = ajv.compile({
  type: "object",
  required: ["type", "event"],
  properties: {
    type: { const: "track" },
    event: nonBlank,
    userId: { type: ["string", "number", "null"] },
    anonymousId: { type: ["string", "number", "null"] },
    messageId: { type: ["string", "number", "null"], maxLength: 99 },
    properties: {
      type: ["object", "null"],
      properties: { revenue: { type: "number" }, value: { type: "number" }, currency: { type: "string", pattern: "^[A-Z]{3}$" } },
    },
    context: { type: ["object", "null"], properties: { groupId: { type: ["string", "number", "null"] } } },
    integrations: { type: ["object", "null"] },
    timestamp: { type: "string", format: "date-time" },
    sentAt: { type: "string", format: "date-time" },
  },
  anyOf: [{ required: ["userId"], properties: { userId: nonBlank } }, { required: ["anonymousId"], properties: { anonymousId: nonBlank } }],
});
const id = (value) => (typeof value === "number" ? String(value) : typeof value === "string" && value.trim() ? value : undefined);
function ajvMap(message) {
  if (!validateTrack(message)) return { status: "invalid", errors: validateTrack.errors };
  const op = { op: "trackEvent", event: message.event };
  if (id(message.userId)) op.userId = id(message.userId);
  if (id(message.anonymousId)) op.anonymousId = id(message.anonymousId);
  if (id(message.context?.groupId)) op.groupId = id(message.context.groupId);
  op.properties = message.properties ?? {};
  if (message.timestamp) op.timestamp = new Date(message.timestamp).toISOString();
  if (id(message.messageId)) op.messageId = id(message.messageId);
  return { status: "mapped", operations: [op] };
}
const ajvMapJson = (text) => ajvMap(JSON.parse(text));
const ajvMapBatch = (text) => JSON.parse(text).batch.map(ajvMap);

// ---- The contenders' answers must agree before anything is timed ----------------------------
const destination = new Destination({});
const ours = destination.map(track);
const theirs = ajvMap(track);
assertSame(ours.operations, theirs.operations, "track operations");
if (destination.map(broken).status !== "invalid" || ajvMap(broken).status !== "invalid") throw new Error("broken must be invalid");
assertSame(JSON.parse(destination.mapJson(batchText)).outcomes.length, ajvMapBatch(batchText).length, "batch size");

// ---- Mapping-kit: the same custom mapping in both engines ----------------------------------
const mapping = {
  event: { "@path": "$.event" },
  total: { "@path": "$.properties.revenue" },
  skus: { "@arrayPath": ["$.properties.products", { sku: { "@path": "$.sku" } }] },
  label: { "@template": "{{event}} for {{userId}}" },
  plan: { "@if": { exists: { "@path": "$.properties.plan" }, then: { "@path": "$.properties.plan" }, else: "free" } },
  lower: { "@case": { operator: "lower", value: { "@path": "$.context.locale" } } },
};
const { transform: ourTransform } = await import("astrolabe-segment");
if (typeof ourTransform === "function") assertSame(ourTransform(mapping, track), transform(mapping, track), "transform");
// Compiled once in a Destination: the per-message cost users pay with Config.mappings.
const mapped = new Destination({ mappings: { trackEvent: { properties: mapping } } });
assertSame(mapped.map(track).operations[0].properties, transform(mapping, track), "mapped properties");

// ---- A tracking plan: ajv compiles to JS (new Function; not allowed in Workers), we compile to Rust
const planSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    properties: {
      type: "object",
      required: ["order_id", "revenue"],
      properties: {
        order_id: { type: "string" },
        revenue: { type: "number", minimum: 0 },
        currency: { type: "string", enum: ["USD", "EUR"] },
        products: { type: "array", items: { type: "object", required: ["sku"], properties: { sku: { type: "string" }, price: { type: "number" } } } },
      },
    },
    context: { type: "object", properties: { ip: { type: "string", format: "ipv4" } } },
  },
};
const planned = new Destination({ trackingPlan: { rules: [{ type: "TRACK", key: "Order Completed", version: 1, jsonSchema: planSchema }], violations: "block" } });
const ajvPlan = ajv.compile(planSchema);
assertSame(planned.map(track).status, "mapped", "plan status");
assertSame(ajvPlan(track), true, "ajv plan");

// ---- A Destination built per request and never freed (what people do), against the same one
// built once: identical settings share their compiled form, so building is a lookup after the
// first. A new plan each time is compiled (and freed, as a server would).
const planConfig = { trackingPlan: { rules: [{ type: "TRACK", key: "Order Completed", version: 1, jsonSchema: planSchema }], violations: "block" } };
const strictOnce = new Destination({ strict: true });
const plannedOnce = new Destination(planConfig);
assertSame(new Destination(planConfig).mapJson(trackText), plannedOnce.mapJson(trackText), "plan outcome, built again");
assertSame(new Destination({ strict: true }).mapJson(trackText), strictOnce.mapJson(trackText), "strict outcome, built again");
let planNumber = 0;

// ---- Cases ---------------------------------------------------------------------------------
const cases = [
  { name: "validate + map one track (JS object)", ours: () => destination.map(track), theirs: () => ajvMap(track), them: "ajv + JS mapping" },
  { name: "validate + map one track (JSON text)", ours: () => destination.mapJson(trackText), theirs: () => ajvMapJson(trackText), them: "JSON.parse + ajv + JS mapping" },
  { name: "validate + map an invalid track (all errors)", ours: () => destination.map(broken), theirs: () => ajvMap(broken), them: "ajv (allErrors)" },
  { name: "batch of 100 tracks (JSON text)", ours: () => destination.mapJson(batchText), theirs: () => ajvMapBatch(batchText), them: "JSON.parse + ajv + JS mapping" },
  { name: "custom mapping (mapping-kit directives)", ours: () => mapped.map(track), theirs: () => transform(mapping, track), them: "actions-core transform" },
  { name: "tracking plan check (JSON Schema)", ours: () => planned.map(track), theirs: () => ajvPlan(track), them: "ajv compiled schema" },
  { name: "compile a tracking plan (a new plan each time)", ours: () => new Destination({ trackingPlan: { rules: [{ type: "TRACK", key: `E${planNumber++}`, jsonSchema: planSchema }] } }).free(), theirs: () => addFormats(new Ajv({ allErrors: true, strict: false })).compile(planSchema), them: "new Ajv() + formats, compile" },
  { name: "build a Destination per request + map a track, no plan", ours: () => new Destination({ strict: true }).mapJson(trackText), theirs: () => strictOnce.mapJson(trackText), them: "ours, built once" },
  { name: "build a Destination per request + map a track, with a plan", ours: () => new Destination(planConfig).mapJson(trackText), theirs: () => plannedOnce.mapJson(trackText), them: "ours, built once" },
].filter((c) => only === null || c.name.includes(only));

const rows = [];
for (const c of cases) {
  const ours = measure(c.ours);
  const theirs = measure(c.theirs);
  rows.push({ ...c, oursOps: ours, theirsOps: theirs, ratio: ours / theirs });
  console.log(`${c.name.padEnd(46)} ours ${fmt(ours).padStart(10)}/s   ${c.them.padEnd(30)} ${fmt(theirs).padStart(10)}/s   ratio ${(ours / theirs).toFixed(2)}x`);
}

if (out) {
  const lines = [
    "# Benchmarks: micro cases",
    "",
    `Generated by \`make bench-cases\` (\`node benches/compare.mjs --out benches/CASES.md\`) on ${new Date().toISOString().slice(0, 10)}:`,
    `Node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores; median of ${ROUNDS} rounds of ${ROUND_MS} ms.`,
    "Ratio = our calls per second / theirs (above 1: we are faster). Every pair is checked to give the same answer first.",
    "",
    "| case | astrolabe-segment | calls/s | other | calls/s | ratio |",
    "| --- | --- | ---: | --- | ---: | ---: |",
    ...rows.map((r) => `| ${r.name} | full build | ${fmt(r.oursOps)} | ${r.them} | ${fmt(r.theirsOps)} | ${r.ratio.toFixed(2)}x |`),
    "",
  ];
  writeFileSync(out, lines.join("\n"));
  console.log(`wrote ${out}`);
}

function measure(fn) {
  for (let i = 0; i < 200; i++) fn(); // warm up the JIT and the allocator
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ROUND_MS) {
      for (let i = 0; i < 20; i++) fn();
      calls += 20;
      now = performance.now();
    }
    samples.push((calls * 1000) / (now - start));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function fmt(n) {
  return n >= 1000 ? `${Math.round(n).toLocaleString("en-US")}` : n.toFixed(1);
}

function assertSame(a, b, what) {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what} differ:\n  ours   ${JSON.stringify(a)}\n  theirs ${JSON.stringify(b)}`);
}
