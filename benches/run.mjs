// `make bench`: the package side by side with the best JavaScript pipelines, in one process,
// interleaved, on two deterministic corpora (benches/corpus.mjs), each timed and reported on its
// own: the large one (messages with a full `context`, 0.9 to 3 KB, and ~500 KB batches) and the
// small one (what the server SDKs and analytics.js send, 300 to 900 bytes, in batches of 20 and of
// ~500 KB). The work an edge worker does: request text in, operations text out.
//
//   node benches/run.mjs [--quick] [--out-dir DIR] [--markdown benches/RESULTS.md]
//
// Contenders, each checked first to give the same verdict and the same operations as ours on
// every message and every batch item of both corpora (so nothing is timed that does less work):
//   ours mapJson   Destination.mapJson(text), text in, text out (full build; the lite build too)
//   ours map       Destination.map(object), object in, object out
//   round trip     JSON.stringify + ours mapJson + JSON.parse: what map(object) does, without
//                  checking that the value is plain JSON (the floor of any way through text)
//   ajv            JSON.parse + ajv (compiled schemas, allErrors) + hand-written mapping + JSON.stringify
//                  (benches/incumbent.mjs); also object in, object out
//   actions-core   @segment/actions-core: transform + removeEmptyValues + validateSchema per action,
//                  JSON.parse and JSON.stringify around (benches/actions.mjs)
//   floor          JSON.parse + JSON.stringify of the same text
// Each set (a corpus's messages, or one of its kinds of batch) is raced on its own: each round runs
// every contender once over the whole set, in a rotating order; the figures are the medians over
// the rounds, after warm-up passes.
// Then cold starts (fresh processes, benches/cold.mjs), gzip sizes, and where ours spends its time.
// Writes DIR/results.json (DIR: $CARGO_TARGET_DIR/bench, else target/bench) and the markdown.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { createActions } from "./actions.mjs";
import { SMALL_SENDERS, readCorpus } from "./corpus.mjs";
import { interleaved } from "./bin.mjs";
import { benchOptions } from "./options.mjs";
import { createIncumbent } from "./incumbent.mjs";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const { option, quick, corpusPath, outDir, markdownPath, rounds: ROUNDS } = benchOptions(args, { rounds: 15, quickRounds: 3 });
const WARMUP = quick ? 1 : 3;
const COLD_RUNS = quick ? 3 : 9;

// ---- The corpora: the file the native bench reads too (made here when missing or stale) --------
const corpus = readCorpus(corpusPath);
const bytes = (list) => list.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
const KINDS = ["track", "identify", "group", "invalid"];

/** A set of inputs: texts, their parsed objects, bytes, events, the size range of one input. */
function inputSet(id, label, texts) {
  const objects = texts.map((text) => JSON.parse(text));
  const sizes = texts.map((text) => Buffer.byteLength(text)).sort((a, b) => a - b);
  const isBatch = id !== "messages";
  return {
    id,
    label,
    texts,
    objects,
    count: texts.length,
    bytes: bytes(texts),
    events: isBatch ? objects.reduce((sum, b) => sum + b.batch.length, 0) : texts.length,
    minBytes: sizes[0],
    maxBytes: sizes.at(-1),
    medianBytes: sizes[sizes.length >> 1],
  };
}

/** One corpus: its messages and its batch sets, each timed apart. */
function makeCorpus({ id, title, source, shapes, batchNote, seed, texts, kinds, senders, batchSets }) {
  const messages = inputSet("messages", "messages", texts);
  const counts = (list, names) => Object.fromEntries(names.map((name) => [name, list.filter((x) => x === name).length]));
  return {
    id,
    title,
    source,
    shapes,
    batchNote,
    seed,
    kinds: counts(kinds, KINDS),
    senders: senders ? counts(senders, SMALL_SENDERS.map(([name]) => name)) : undefined,
    sets: [messages, ...batchSets.map((b) => inputSet(b.id, b.label, b.texts))],
  };
}

const corpora = [
  makeCorpus({
    id: "large",
    title: "Full-context messages",
    source: "analytics.js and the mobile SDKs",
    shapes: "each with a full `context` as analytics.js or a mobile SDK sends it",
    seed: corpus.seed,
    texts: corpus.messages,
    kinds: corpus.kinds,
    batchSets: [{ id: "batches", label: "~500 KB batches", texts: corpus.batches }],
  }),
  makeCorpus({
    id: "small",
    title: "Small messages",
    source: "the server SDKs and analytics.js",
    shapes: "in the shapes analytics.js, analytics-node 6, @segment/analytics-node 2 and analytics-python 2 send (analytics-python's as its `json.dumps` writes them)",
    batchNote: "each envelope from one sender",
    seed: corpus.small.seed,
    texts: corpus.small.messages,
    kinds: corpus.small.kinds,
    senders: corpus.small.senders,
    batchSets: corpus.small.batchSets,
  }),
];

// ---- The contenders -----------------------------------------------------------------------------
const full = require("astrolabe-segment");
const lite = require("astrolabe-segment/lite");
const ours = new full.Destination({});
const oursLite = new lite.Destination({});
const incumbent = createIncumbent({ Ajv: require("ajv"), addFormats: require("ajv-formats") });
const actions = createActions();
const floor = (text) => JSON.stringify(JSON.parse(text));
/** An object through text and back, without map(object)'s check that it is plain JSON. */
const roundTrip = (object) => JSON.parse(ours.mapJson(JSON.stringify(object)));
const versions = {
  node: process.version,
  v8: process.versions.v8,
  "astrolabe-segment": full.version,
  ajv: require("ajv/package.json").version,
  "ajv-formats": require("ajv-formats/package.json").version,
  "@segment/actions-core": readJson(resolve(dirname(require.resolve("@segment/actions-core")), "../../package.json")).version,
  liquidjs: require("liquidjs/package.json").version,
};

// id, label, what it reads (the text or the parsed object), what it does per message and per batch.
const contenders = [
  { id: "ours-json", label: "ours: mapJson(text), full build", input: "texts", message: (t) => ours.mapJson(t), batch: (t) => ours.mapJson(t) },
  { id: "ours-json-lite", label: "ours: mapJson(text), lite build", input: "texts", message: (t) => oursLite.mapJson(t), batch: (t) => oursLite.mapJson(t) },
  { id: "ours-object", label: "ours: map(object), full build", input: "objects", message: (o) => ours.map(o), batch: (o) => ours.mapBatch(o) },
  { id: "ours-roundtrip", label: "JSON.stringify + ours mapJson + JSON.parse (map(object) without its check)", input: "objects", message: roundTrip, batch: roundTrip },
  { id: "ajv", label: "JSON.parse + ajv + JS mapping + JSON.stringify", input: "texts", message: (t) => incumbent.mapText(t), batch: (t) => incumbent.mapText(t) },
  { id: "ajv-object", label: "ajv + JS mapping, object in and out", input: "objects", message: (o) => incumbent.mapMessage(o), batch: (o) => incumbent.mapBatch(o) },
  { id: "actions-core", label: "@segment/actions-core (transform + validateSchema)", input: "texts", message: (t) => actions.mapText(t), batch: (t) => actions.mapText(t) },
  { id: "floor", label: "floor: JSON.parse + JSON.stringify", input: "texts", message: (t) => floor(t), batch: (t) => floor(t) },
];

// ---- Equivalence: the same verdicts and the same operations, before anything is timed -----------
const problems = [];
for (const c of corpora) {
  c.equivalence = checkEquivalence(c);
  const [messages, ...batchSets] = c.sets;
  console.log(
    `checked (${c.id}): ${messages.count} messages and ${batchSets.map((b) => `${b.count} ${b.label} (${b.events} items)`).join(" and ")} ` +
      `give the same status and operations in every pipeline; ajv's warnings agree in number on ${c.equivalence.ajvWarningsAgree}/${c.equivalence.compared}`,
  );
}
if (problems.length > 0) {
  console.error(`The pipelines disagree (${problems.length} cases); nothing is timed:\n  ${problems.slice(0, 8).join("\n  ")}`);
  process.exit(1);
}

function checkEquivalence(c) {
  let ajvWarningsAgree = 0;
  let compared = 0;
  const statuses = {};
  const compare = (expected, got, who, where) => {
    if (expected.status !== got.status || canonical(expected.operations) !== canonical(got.operations)) {
      problems.push(`${who} differs at ${where}:\n    ours   ${expected.status} ${canonical(expected.operations).slice(0, 400)}\n    theirs ${got.status} ${canonical(got.operations).slice(0, 400)}`);
    }
  };
  const each = (expected, path, results) => {
    compared++;
    statuses[expected.status] = (statuses[expected.status] ?? 0) + 1;
    for (const [who, got] of Object.entries(results)) compare(expected, got, who, path);
    if (results.ajv.warnings.length === expected.warnings.length) ajvWarningsAgree++;
  };
  const [messages, ...batchSets] = c.sets;
  messages.texts.forEach((text, i) => {
    const expected = JSON.parse(ours.mapJson(text));
    const object = ours.map(messages.objects[i]);
    if (canonical(object) !== canonical(expected)) problems.push(`ours map(object) differs from mapJson at ${c.id} message ${i}`);
    const results = {
      "ours-json-lite": JSON.parse(oursLite.mapJson(text)),
      "ours-roundtrip": roundTrip(messages.objects[i]),
      ajv: JSON.parse(incumbent.mapText(text)),
      "ajv-object": incumbent.mapMessage(messages.objects[i]),
      "actions-core": JSON.parse(actions.mapText(text)),
    };
    each(expected, `${c.id} message ${i}`, results);
  });
  for (const set of batchSets) {
    set.texts.forEach((text, b) => {
      const where = `${c.id} ${set.id} ${b}`;
      const expected = JSON.parse(ours.mapJson(text));
      if (expected.errors.length > 0) problems.push(`${where} refused: ${JSON.stringify(expected.errors)}`);
      if (expected.outcomes.length !== set.objects[b].batch.length) problems.push(`${where}: ${expected.outcomes.length} outcomes for ${set.objects[b].batch.length} items`);
      if (canonical(ours.mapBatch(set.objects[b])) !== canonical(expected)) problems.push(`ours mapBatch(object) differs from mapJson at ${where}`);
      const theirs = {
        "ours-json-lite": JSON.parse(oursLite.mapJson(text)),
        "ours-roundtrip": roundTrip(set.objects[b]),
        ajv: JSON.parse(incumbent.mapText(text)),
        "ajv-object": incumbent.mapBatch(set.objects[b]),
        "actions-core": JSON.parse(actions.mapText(text)),
      };
      expected.outcomes.forEach((outcome, i) => {
        each(outcome, `${where} item ${i}`, Object.fromEntries(Object.entries(theirs).map(([who, r]) => [who, r.outcomes[i] ?? { status: "missing" }])));
      });
    });
  }
  return { compared, statuses, ajvWarningsAgree };
}

// ---- Throughput -------------------------------------------------------------------------------
let sink = 0;
function consume(result) {
  sink = (sink + (typeof result === "string" ? result.length : result.status?.length ?? result.outcomes?.length ?? 1)) | 0;
}

/** Medians over interleaved rounds: each round runs every contender once over all of `set`. */
function race(set, kind) {
  const pass = (c) => {
    const run = c[kind];
    const inputs = set[c.input];
    const count = inputs.length;
    const start = performance.now();
    for (let i = 0; i < count; i++) consume(run(inputs[i]));
    return performance.now() - start;
  };
  const samples = interleaved(contenders, pass, { warmup: WARMUP, rounds: ROUNDS });
  const rows = contenders.map((c) => {
    const ms = median(samples[c.id]);
    return {
      id: c.id,
      label: c.label,
      medianMs: round3(ms),
      spread: round3((Math.max(...samples[c.id]) - Math.min(...samples[c.id])) / ms),
      eventsPerSec: Math.round((set.events * 1000) / ms),
      mbPerSec: round3(set.bytes / 1e6 / (ms / 1000)),
      usPerEvent: round3((ms * 1000) / set.events),
      samplesMs: samples[c.id].map(round3),
    };
  });
  const rate = Object.fromEntries(rows.map((r) => [r.id, r.eventsPerSec]));
  for (const r of rows) {
    r.vsAjv = round3(r.eventsPerSec / rate.ajv);
    r.vsFloor = round3(r.eventsPerSec / rate.floor);
  }
  return rows;
}

console.log(`timing: ${ROUNDS} interleaved rounds after ${WARMUP} warm-up passes${quick ? " (quick)" : ""} ...`);
for (const c of corpora) {
  c.timings = {};
  for (const set of c.sets) {
    c.timings[set.id] = race(set, set.id === "messages" ? "message" : "batch");
    const what =
      set.id === "messages"
        ? `${set.count} messages of ${fmtBytes(set.minBytes)} to ${fmtBytes(set.maxBytes)} bytes`
        : `${set.count} ${set.label}, ${set.events} events`;
    printTable(`${c.title}: ${what} (${(set.bytes / 1e6).toFixed(2)} MB)`, c.timings[set.id]);
  }
}

// ---- Where ours spends a message: the JS glue around mapJson versus the WebAssembly work --------
for (const c of corpora) {
  const { texts, objects } = c.sets[0];
  c.split = glueSplit(texts, objects);
  const split = c.split;
  console.log(
    `\n${c.title}: ours mapJson per message: ${split.totalUs} µs = string into wasm memory (TextEncoder.encodeInto) ~${split.encodeUs} µs` +
      ` + outcome text out (TextDecoder) ~${split.decodeUs} µs + wasm work ~${split.wasmUs} µs` +
      `\n${c.title}: ours map(object) per message: ${split.objectUs} µs, of which JSON.stringify(message, checking replacer) + encodeInto ~${split.stringifyUs} µs and JSON.parse(outcome) ~${split.parseUs} µs`,
  );
}

function glueSplit(texts, objects) {
  // The package's own fast path (pkg/shared/fast.js) over a stand-in for the wasm module: what
  // map(object) spends in JSON.stringify with its checking replacer (and encodeInto of the text
  // into memory), and nothing else.
  const memory = new WebAssembly.Memory({ initial: 64 });
  // Its answer is always the text "0", one byte at the top of its memory.
  const answerAt = 64 * 65536 - 1;
  new Uint8Array(memory.buffer)[answerAt] = 0x30;
  const fast = require("../pkg/shared/fast.cjs").withFastPath({
    __inputBuffer: () => 0,
    __memory: () => memory,
    __outputAddress: () => answerAt,
    __destinationFromText: () => 0,
    __holdDestination: () => {},
    __answerText: () => 1,
  });
  const replacerOnly = new fast.Destination();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(64 * 1024);
  const outputs = texts.map((text) => encoder.encode(ours.mapJson(text)));
  const outTexts = texts.map((text) => ours.mapJson(text));
  const steps = {
    total: () => { for (const t of texts) consume(ours.mapJson(t)); },
    encode: () => { for (const t of texts) sink = (sink + encoder.encodeInto(t, buffer).written) | 0; },
    decode: () => { for (const o of outputs) consume(decoder.decode(o)); },
    object: () => { for (const o of objects) consume(ours.map(o)); },
    stringify: () => { for (const o of objects) consume(replacerOnly.map(o)); },
    parse: () => { for (const t of outTexts) consume(JSON.parse(t)); },
  };
  const samples = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
  for (let round = 0; round < Math.max(3, ROUNDS); round++) {
    for (const [name, step] of Object.entries(steps)) {
      const start = performance.now();
      step();
      samples[name].push(performance.now() - start);
    }
  }
  const us = (name) => Math.round((median(samples[name]) * 10000) / texts.length) / 10;
  const r = { totalUs: us("total"), encodeUs: us("encode"), decodeUs: us("decode"), objectUs: us("object"), stringifyUs: us("stringify"), parseUs: us("parse") };
  r.wasmUs = Math.round((r.totalUs - r.encodeUs - r.decodeUs) * 10) / 10;
  return r;
}

// ---- Cold start, in fresh processes --------------------------------------------------------------
const cold = {};
for (const which of ["ours-full", "ours-lite", "ajv", "actions-core"]) {
  const runs = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    runs.push(JSON.parse(execFileSync(process.execPath, [resolve(here, "cold.mjs"), which], { encoding: "utf8", cwd: here })));
  }
  const med = (key) => (runs[0][key] === undefined ? undefined : round3(median(runs.map((r) => r[key]))));
  cold[which] = { runs: runs.length, load: med("load"), compile: med("compile"), instantiate: med("instantiate"), setup: med("setup"), first: med("first"), total: med("total"), files: runs[0].files };
}
console.log("\nCold start (median of fresh processes, ms): load = require (ours: incl. wasm compile + instantiate), setup = new Destination / new Ajv + compile, first = one message of each kind");
for (const [which, c] of Object.entries(cold)) {
  const wasm = c.compile === undefined ? "" : ` (wasm compile ${c.compile}, instantiate ${c.instantiate})`;
  console.log(`  ${which.padEnd(13)} load ${fmt(c.load)}${wasm}, setup ${fmt(c.setup)}, first ${fmt(c.first)}, total ${fmt(c.total)}`);
}

// ---- Sizes: what each loads, raw and gzip -9 ------------------------------------------------------
const sizes = {};
for (const [which, c] of Object.entries(cold)) {
  const files = c.files.filter((f) => existsSync(f));
  const js = files.filter((f) => !f.endsWith(".wasm"));
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  const concat = (list) => Buffer.concat(list.map((f) => readFileSync(f)));
  const jsBytes = concat(js);
  const wasmBytes = concat(wasm);
  sizes[which] = {
    jsFiles: js.length,
    jsRaw: jsBytes.length,
    jsGzip: gzipSize(jsBytes),
    wasmRaw: wasmBytes.length,
    wasmGzip: wasm.length ? gzipSize(wasmBytes) : 0,
  };
  sizes[which].totalGzip = sizes[which].jsGzip + sizes[which].wasmGzip;
  delete c.files;
}
console.log("\nSizes (what a cold start loads; JS files concatenated; gzip -9):");
for (const [which, s] of Object.entries(sizes)) {
  console.log(`  ${which.padEnd(13)} ${kb(s.totalGzip)} gzip = JS ${s.jsFiles} files ${kb(s.jsRaw)} raw / ${kb(s.jsGzip)} gzip` + (s.wasmRaw ? ` + wasm ${kb(s.wasmRaw)} raw / ${kb(s.wasmGzip)} gzip` : ""));
}

// ---- Native: the last Criterion run (make bench-native), when there is one -------------------
const native = readNative();
if (native) {
  console.log(`\nNative (Criterion, last make bench-native, ${native.date}; µs per event, median):`);
  for (const [id, n] of Object.entries(native.benches)) console.log(`  ${id.padEnd(22)} ${n.usPerEvent}`);
}

function readNative() {
  const root = resolve(dirname(corpusPath), "..", "criterion");
  const ids = ["messages/map_json", "messages/parse", "messages/map_value", "messages/to_json", "messages/serde_floor", "batches/map_json", "batches/serde_floor"];
  const benches = {};
  let newest = 0;
  for (const id of ids) {
    const dir = resolve(root, id, "new");
    if (!existsSync(resolve(dir, "estimates.json"))) continue;
    const estimates = readJson(resolve(dir, "estimates.json"));
    const elements = readJson(resolve(dir, "benchmark.json")).throughput?.Elements;
    if (!elements) continue;
    newest = Math.max(newest, statSync(resolve(dir, "estimates.json")).mtimeMs);
    const us = estimates.median.point_estimate / 1000 / elements;
    benches[id] = { usPerEvent: Math.round(us * 10) / 10, eventsPerSec: Math.round(1e6 / us) };
  }
  return Object.keys(benches).length ? { date: new Date(newest).toISOString(), benches } : null;
}

// ---- Results ------------------------------------------------------------------------------------
const machine = {
  cpu: os.cpus()[0]?.model?.trim() ?? "unknown CPU",
  cores: os.cpus().length,
  memoryGB: round3(os.totalmem() / 2 ** 30),
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  loadAverage: os.loadavg().map(round3),
};
const results = {
  date: new Date().toISOString(),
  machine,
  versions,
  settings: { quick, rounds: ROUNDS, warmupPasses: WARMUP, coldRuns: COLD_RUNS },
  corpusFile: { path: corpusPath, generator: corpus.generator },
  // Per corpus: what it holds, the check, and the timings of each of its sets (messages, batches).
  corpora: Object.fromEntries(
    corpora.map((c) => [
      c.id,
      {
        title: c.title,
        source: c.source,
        shapes: c.shapes,
        ...(c.batchNote ? { batchNote: c.batchNote } : {}),
        seed: c.seed,
        kinds: c.kinds,
        ...(c.senders ? { senders: c.senders } : {}),
        sets: c.sets.map(({ texts, objects, ...set }) => set),
        equivalence: c.equivalence,
        ...c.timings,
        split: c.split,
      },
    ]),
  ),
  native,
  coldStart: cold,
  sizes,
  sink,
};
mkdirSync(outDir, { recursive: true });
writeFileSync(resolve(outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${relative(process.cwd(), resolve(outDir, "results.json"))}`);
if (markdownPath) {
  writeFileSync(markdownPath, markdown(results));
  console.log(`wrote ${relative(process.cwd(), resolve(markdownPath))}`);
}

// ---- Markdown ------------------------------------------------------------------------------------
/** RESULTS.md; the part between the bench:readme markers is what the README quotes (make bench-readme). */
function markdown(r) {
  const when = r.date.slice(0, 10);
  const m = r.machine;
  const row = (x) => `| ${x.label} | ${fmt(x.eventsPerSec)} | ${x.mbPerSec.toFixed(1)} | ${x.usPerEvent.toFixed(1)} | ${x.vsAjv.toFixed(2)}x | ${x.vsFloor.toFixed(2)}x |`;
  const head = ["| pipeline | events/s | MB/s | µs/event | vs ajv | vs floor |", "| --- | ---: | ---: | ---: | ---: | ---: |"];
  const get = (rows, id) => rows.find((x) => x.id === id);
  const c = r.coldStart;
  const s = r.sizes;
  const coldRow = (which, label) =>
    `| ${label} | ${fmt(c[which].total)} | ${fmt(c[which].load)} | ${c[which].compile === undefined ? "-" : `${fmt(c[which].compile)} + ${fmt(c[which].instantiate)}`} | ${fmt(c[which].setup)} | ${fmt(c[which].first)} | ${kb(s[which].totalGzip)} |`;
  const machineLine = `${m.cpu}, ${m.cores} cores (shared: load average ${m.loadAverage[0]} at the end), Node ${r.versions.node}, ${when}`;
  const corpora = Object.values(r.corpora);
  const messagesOf = (k) => k.sets.find((set) => set.id === "messages");
  const range = (set) => `${fmtBytes(set.minBytes)} to ${fmtBytes(set.maxBytes)} bytes`;
  const kindsOf = (k) => `${k.kinds.track} track, ${k.kinds.identify} identify, ${k.kinds.group} group, ${k.kinds.invalid} invalid`;
  const sendersOf = (k) => (k.senders ? `; from ${Object.entries(k.senders).map(([name, n]) => `${name} ${n}`).join(", ")}` : "");
  const batchesOf = (k) =>
    k.sets
      .filter((set) => set.id !== "messages")
      .map((set) => `${set.count} ${set.label} (${set.events} events, ${range(set)} each)`)
      .join(" and ");
  const corpusLine = (k) => {
    const messages = messagesOf(k);
    return (
      `- **${k.title}** (seed ${k.seed}): ${messages.count} messages of ${range(messages)} each (median ${fmtBytes(messages.medianBytes)}; ` +
      `${kindsOf(k)}${sendersOf(k)}; ${(messages.bytes / 1e6).toFixed(2)} MB), ${k.shapes}; and ${batchesOf(k)}${k.batchNote ? `, ${k.batchNote}` : ""}.`
    );
  };
  const RATIOS = [
    ["ours `mapJson` (text in, text out) / JS incumbent (JSON.parse + ajv + mapping + JSON.stringify)", "ours-json", "ajv"],
    ["ours `mapJson`, lite build / JS incumbent", "ours-json-lite", "ajv"],
    ["ours `map` (object in, object out) / JS incumbent, object in and out", "ours-object", "ajv-object"],
    ["ours `map` (object in, object out) / JS incumbent (text)", "ours-object", "ajv"],
    ["`JSON.stringify` + ours `mapJson` + `JSON.parse` (`map(object)` without its check) / JS incumbent (text)", "ours-roundtrip", "ajv"],
    // map(object)'s own target (issue 27): at least 0.8x of its floor through text, the same engine.
    ["ours `map` (object in, object out) / its floor through text (`JSON.stringify` + `mapJson` + `JSON.parse`)", "ours-object", "ours-roundtrip"],
    ["`@segment/actions-core` / JS incumbent", "actions-core", "ajv"],
    ["ours `mapJson` / `@segment/actions-core`", "ours-json", "actions-core"],
    ["ours `mapJson` / floor (JSON.parse + JSON.stringify)", "ours-json", "floor"],
    ["JS incumbent / floor", "ajv", "floor"],
  ];
  /** One corpus's ratios: a column for its messages and one for each of its batch sets. */
  const ratioTable = (k) => [
    `${k.title} (${k.source}), ${range(messagesOf(k))} each:`,
    "",
    `| ratio (events/s over events/s) | ${k.sets.map((set) => set.label).join(" | ")} |`,
    `| --- |${k.sets.map(() => " ---: |").join("")}`,
    ...RATIOS.map(([label, a, b]) => {
      const ratio = (rows) => (get(rows, a).eventsPerSec / get(rows, b).eventsPerSec).toFixed(2);
      return `| ${label} | ${k.sets.map((set) => `${ratio(k[set.id])}x`).join(" | ")} |`;
    }),
    "",
  ];
  const timingSections = corpora.flatMap((k) =>
    k.sets.flatMap((set) => [
      set.id === "messages"
        ? `## ${k.title} (${range(set)}), one at a time`
        : `## ${k.title}: ${set.label} (${set.events} events, ${range(set)} each)`,
      "",
      ...head,
      ...k[set.id].map(row),
      "",
    ]),
  );
  const splitLine = (k) =>
    `${k.title}: \`mapJson\` ${k.split.totalUs} µs per message: copying the text into WebAssembly memory (\`TextEncoder.encodeInto\`, as the glue does) ~${k.split.encodeUs} µs, ` +
    `the outcome text back (\`TextDecoder\`) ~${k.split.decodeUs} µs, leaving ~${k.split.wasmUs} µs of WebAssembly work (parse, checks, mapping, serialization). ` +
    `\`map(object)\`: ${k.split.objectUs} µs, of which \`JSON.stringify\` of the message with the fast path's checking replacer ~${k.split.stringifyUs} µs and \`JSON.parse\` of the outcome ~${k.split.parseUs} µs (measured apart, same corpus).`;
  return [
    "# Benchmarks",
    "",
    `Generated by \`${r.settings.quick ? "make bench-quick" : "make bench"}\` (\`benches/run.mjs\`): ${machineLine};` +
      ` median of ${r.settings.rounds} interleaved rounds${r.settings.quick ? " (quick mode: a smoke run, not figures to quote)" : ""}.`,
    `Two corpora (\`${r.corpusFile.generator}\`), each timed and reported on its own; every pipeline is checked first to give the same status and operations as ours on every message and batch item of both:`,
    "",
    ...corpora.map(corpusLine),
    "",
    `Versions: astrolabe-segment ${r.versions["astrolabe-segment"]}, ajv ${r.versions.ajv} + ajv-formats ${r.versions["ajv-formats"]}, @segment/actions-core ${r.versions["@segment/actions-core"]}. ` +
      "Absolute figures vary between machines (and on a shared one, between runs); the ratios are the result. Ratio: events per second over events per second, above 1 is faster.",
    "",
    "<!-- bench:readme:start -->",
    `Last run: ${machineLine}${r.settings.quick ? " (quick mode)" : ""}.`,
    "",
    ...corpora.flatMap(ratioTable),
    `Cold start (fresh Node process; ms): ours full ${fmt(c["ours-full"].total)}, lite ${fmt(c["ours-lite"].total)}, ajv ${fmt(c.ajv.total)}, actions-core ${fmt(c["actions-core"].total)}` +
      ` (load, build, first message of each kind). Gzip: ours full ${kb(s["ours-full"].totalGzip)}, lite ${kb(s["ours-lite"].totalGzip)}, ajv + ajv-formats ${kb(s.ajv.totalGzip)}, actions-core ${kb(s["actions-core"].totalGzip)}.`,
    "<!-- bench:readme:end -->",
    "",
    ...timingSections,
    "MB/s counts input bytes (10^6). \"vs ajv\" is the ratio to the JS incumbent with text in and out. A batch's events/s counts its items.",
    "",
    "## Cold start and size",
    "",
    "Median of fresh Node processes (`benches/cold.mjs`). Load: `require` of the package (for ours, that reads, compiles and instantiates the `.wasm`); setup: `new Destination()`, or `new Ajv()` + formats + compiling the six schemas, or `fieldsToJsonSchema` of the four actions; first: one identify, group and track each (V8 compiles WebAssembly functions lazily, and actions-core compiles its ajv schemas on first use). Gzip: the JS files the process loaded, concatenated, plus the `.wasm`, each `gzip -9` (as `make size`).",
    "",
    "| contender | total ms | load ms | wasm compile + instantiate ms | setup ms | first ms | gzip |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    coldRow("ours-full", "ours, full build"),
    coldRow("ours-lite", "ours, lite build"),
    coldRow("ajv", "ajv + ajv-formats (the incumbent)"),
    coldRow("actions-core", "@segment/actions-core"),
    "",
    "## Where ours spends a message",
    "",
    ...corpora.flatMap((k) => [splitLine(k), ""]),
    ...(r.native
      ? [
          `Natively (\`make bench-native\`, Criterion, on the full-context corpus, run ${r.native.date.slice(0, 16).replace("T", " ")} UTC; the release profile, built for size), µs per message: ` +
            [
              ["messages/map_json", "`map_json` + `to_json`"],
              ["messages/parse", "of which the parse"],
              ["messages/map_value", "the core on a parsed value"],
              ["messages/to_json", "the outcome's text"],
              ["messages/serde_floor", "serde_json parse + serialize (the floor)"],
              ["batches/map_json", "batches, per event"],
            ]
              .filter(([id]) => r.native.benches[id])
              .map(([id, label]) => `${label} ${r.native.benches[id].usPerEvent}`)
              .join("; ") +
            ".",
          "",
        ]
      : []),
  ].join("\n");
}

// ---- Helpers ------------------------------------------------------------------------------------
function printTable(title, rows) {
  console.log(`\n${title}`);
  console.log(`  ${"pipeline".padEnd(52)} ${"events/s".padStart(10)} ${"MB/s".padStart(8)} ${"µs/event".padStart(9)} ${"vs ajv".padStart(8)} ${"vs floor".padStart(9)}  spread`);
  for (const r of rows) {
    console.log(
      `  ${r.label.padEnd(52)} ${fmt(r.eventsPerSec).padStart(10)} ${r.mbPerSec.toFixed(1).padStart(8)} ${r.usPerEvent.toFixed(1).padStart(9)} ${`${r.vsAjv.toFixed(2)}x`.padStart(8)} ${`${r.vsFloor.toFixed(2)}x`.padStart(9)}  ±${Math.round(r.spread * 50)}%`,
    );
  }
}

function canonical(value) {
  return JSON.stringify(value, (key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => [k, v[k]])) : v,
  );
}

function median(list) {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round3(n) {
  return Math.round(n * 1000) / 1000;
}

function fmt(n) {
  if (n === undefined) return "-";
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1);
}

function fmtBytes(n) {
  return n.toLocaleString("en-US");
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KB`;
}

/** Bytes after `gzip -9` (as `make size` counts them), or node's zlib at level 9 without gzip. */
function gzipSize(buffer) {
  try {
    return execFileSync("gzip", ["-9c"], { input: buffer, maxBuffer: 64 * 2 ** 20 }).length;
  } catch {
    return gzipSync(buffer, { level: 9 }).length;
  }
}

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

