// `astrolabe-segment diff --traffic` against its target: no more than two `check` runs over the
// same traffic (one with each plan), since it answers every message with both plans.
//
//   node benches/diff.mjs [--quick] [--corpus FILE] [--markdown benches/RESULTS.md] [--rounds N]
//
// For each corpus of benches/corpus.mjs (the large, full-context one and the small one), an NDJSON
// file of its messages repeated (about 100 MB; 20 MB with --quick) is replayed by the package's
// `bin` (pkg/cli/, spawned with `--format json`) through two plans made from the corpus: OLD names
// every track event and the identify call with the types their values have (so it accepts the
// corpus), NEW requires a property of each event, makes numbers integers and blocks violations (so
// many answers change). Each round runs `check --plan OLD`, `check --plan NEW` and
// `diff OLD NEW --traffic`, each with 1 and N worker threads (N: the cores available), wall clock
// from spawn to exit, start-up included; figures are medians of interleaved rounds. Writes
// DIR/diff.json and, with --markdown, the section between the bench:diff markers of that file
// (appended when missing; `make bench` runs this after benches/check.mjs).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { readCorpus } from "./corpus.mjs";
import { fmt, median, runBin, runInfo, runLine } from "./bin.mjs";
import { benchOptions, writeSection } from "./options.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const { option, quick, corpusPath, outDir, markdownPath, rounds: ROUNDS } = benchOptions(args, { rounds: 5, quickRounds: 1 });
const FILE_BYTES = (quick ? 20 : 100) * 1e6;
const CORES = os.availableParallelism();
const { version } = await import(resolve(here, "../pkg/full/node.js"));

const corpus = readCorpus(corpusPath);
mkdirSync(outDir, { recursive: true });

/** The JSON answer and wall time of one run of the bin. */
async function runJson(argv) {
  const { stdout, seconds } = await runBin(argv);
  return { answer: JSON.parse(stdout), seconds };
}

/** The JSON Schema type of a value. */
function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** OLD: every event and identify's traits with the types seen; NEW: tightened. */
function plans(texts) {
  const events = new Map();
  const traits = new Map();
  const note = (map, key, value) => {
    const types = map.get(key) ?? new Set();
    types.add(typeOf(value));
    map.set(key, types);
  };
  for (const text of texts) {
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    for (const message of Array.isArray(value?.batch) ? value.batch : [value]) {
      if (message?.type === "track" && typeof message.event === "string" && message.event.trim() !== "") {
        const properties = events.get(message.event) ?? new Map();
        events.set(message.event, properties);
        for (const [key, item] of Object.entries(message.properties ?? {})) note(properties, key, item);
      } else if (message?.type === "identify") {
        for (const [key, item] of Object.entries(message.traits ?? {})) note(traits, key, item);
      }
    }
  }
  const schema = (map, tighten) => {
    const properties = {};
    for (const [key, types] of map) {
      let list = [...types].map((type) => (type === "integer" && types.has("number") ? "number" : type));
      if (tighten) list = list.map((type) => (type === "number" ? "integer" : type));
      properties[key] = { type: [...new Set(list)] };
    }
    const required = tighten ? [...map.keys()].slice(0, 1) : [];
    return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
  };
  const make = (tighten) => ({
    rules: [
      ...[...events].map(([event, properties]) => ({ type: "TRACK", key: event, jsonSchema: { properties: { properties: schema(properties, tighten) } } })),
      { type: "IDENTIFY", key: "", jsonSchema: { properties: { traits: schema(traits, tighten) } } },
    ],
    ...(tighten ? { violations: "block", unplannedEvents: "warn" } : {}),
  });
  return { old: make(false), new: make(true), events: events.size };
}

const sets = [
  { id: "large", title: "Full-context messages", texts: corpus.messages },
  { id: "small", title: "Small messages", texts: corpus.small.messages },
];
const threadCounts = [...new Set([1, CORES])];
const results = { ...runInfo({ quick, rounds: ROUNDS, version }), corpora: {} };

for (const set of sets) {
  const text = set.texts.join("\n") + "\n";
  const repeat = Math.max(1, Math.round(FILE_BYTES / Buffer.byteLength(text)));
  const file = resolve(outDir, `diff-${set.id}.ndjson`);
  writeFileSync(file, text.repeat(repeat));
  const made = plans(set.texts);
  const oldPlan = resolve(outDir, `diff-${set.id}-old.json`);
  const newPlan = resolve(outDir, `diff-${set.id}-new.json`);
  writeFileSync(oldPlan, JSON.stringify(made.old));
  writeFileSync(newPlan, JSON.stringify(made.new));
  const runs = Object.fromEntries(threadCounts.map((threads) => [threads, { checkOld: [], checkNew: [], diff: [] }]));
  let traffic;
  // Warm-up: the file in the page cache.
  await runJson(["check", "--format", "json", "--plan", oldPlan, file]);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const threads of threadCounts) {
      const t = ["--threads", String(threads)];
      const before = await runJson(["check", "--format", "json", ...t, "--plan", oldPlan, file]);
      const after = await runJson(["check", "--format", "json", ...t, "--plan", newPlan, file]);
      const diff = await runJson(["diff", "--format", "json", ...t, oldPlan, newPlan, "--traffic", file]);
      traffic = diff.answer.traffic;
      if (traffic.messages !== before.answer.messages || traffic.messages !== after.answer.messages) {
        throw new Error(`diff replayed ${traffic.messages} messages, check counted ${before.answer.messages} and ${after.answer.messages}`);
      }
      // Newly refused can be no more than the new plan's invalid minus the old plan's.
      if (traffic.newlyRefused - traffic.newlyAccepted !== after.answer.invalid - before.answer.invalid) {
        throw new Error(`diff's newly refused (${traffic.newlyRefused}) and accepted (${traffic.newlyAccepted}) do not add up to check's invalid counts (${before.answer.invalid}, ${after.answer.invalid})`);
      }
      runs[threads].checkOld.push(before.seconds);
      runs[threads].checkNew.push(after.seconds);
      runs[threads].diff.push(diff.seconds);
    }
    console.log(`${set.id}: round ${round + 1}/${ROUNDS}`);
  }
  results.corpora[set.id] = {
    title: set.title,
    bytes: Buffer.byteLength(text) * repeat,
    messages: traffic.messages,
    events: made.events,
    changed: traffic.changed,
    newlyRefused: traffic.newlyRefused,
    threads: Object.fromEntries(
      threadCounts.map((threads) => [
        threads,
        { checkOld: median(runs[threads].checkOld), checkNew: median(runs[threads].checkNew), diff: median(runs[threads].diff) },
      ]),
    ),
  };
}

writeFileSync(resolve(outDir, "diff.json"), `${JSON.stringify(results, null, 2)}\n`);
const section = markdown(results);
console.log(section);
if (markdownPath) writeSection(markdownPath, "diff", section);

function markdown(r) {
  const lines = [
    "## `astrolabe-segment diff --traffic` (benches/diff.mjs)",
    "",
    runLine(r),
    "The package's `bin` spawned on an NDJSON file of the corpus's messages repeated, `--format json`, wall clock from spawn to exit with its start-up. OLD names every track event and identify's traits with the types the corpus has; NEW requires a property of each event, makes numbers integers and blocks violations. " +
      "Target: `diff OLD NEW --traffic` takes no longer than `check --plan OLD` and `check --plan NEW` together.",
    "",
    "| corpus | file | threads | `check --plan OLD`, s | `check --plan NEW`, s | `diff --traffic`, s | diff / (both checks) | diff / one check |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const k of Object.values(r.corpora)) {
    for (const [threads, t] of Object.entries(k.threads)) {
      const both = t.checkOld + t.checkNew;
      lines.push(
        `| ${k.title} | ${(k.bytes / 1e6).toFixed(0)} MB, ${fmt(k.messages)} messages, ${k.events} events; ${fmt(k.changed)} answers changed, ${fmt(k.newlyRefused)} newly refused | ${threads} | ${t.checkOld.toFixed(2)} | ${t.checkNew.toFixed(2)} | ${t.diff.toFixed(2)} | ${(t.diff / both).toFixed(2)} | ${(t.diff / t.checkOld).toFixed(2)} |`,
      );
    }
  }
  lines.push("");
  return lines.join("\n") + "\n";
}
