// `make bench`'s personal-data section: what detection (`privacy`) costs. On both corpora
// (benches/corpus.mjs), each set raced on its own, in interleaved rounds:
//   ajv                 the JS incumbent, without detection (benches/incumbent.mjs)
//   ours                mapJson without privacy
//   ours + every kind   mapJson with privacy: { action: "redact" } (every kind)
//   ours + KIND         mapJson with privacy: { detect: [KIND] }, each kind alone
// The target: mapJson with every kind at least 1.6x the incumbent, on both corpora. Then what
// detection finds in the corpora's ordinary values (ids, timestamps, prices, versions, UUIDs, user
// agents): nothing is the target, every finding is listed. Then hostile strings at three lengths:
// the time per byte stays flat when the detectors are linear.
//
//   node benches/privacy.mjs [--quick] [--corpus FILE] [--markdown benches/RESULTS.md]
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

import { readCorpus } from "./corpus.mjs";
import { interleaved, median, runInfo, runLine } from "./bin.mjs";
import { benchOptions, writeSection } from "./options.mjs";
import { createIncumbent } from "./incumbent.mjs";

const require = createRequire(import.meta.url);
const { quick, corpusPath, markdownPath, rounds: ROUNDS } = benchOptions(process.argv.slice(2), { rounds: 11, quickRounds: 3 });
const WARMUP = quick ? 1 : 2;
const KINDS = ["email", "phone", "card", "iban", "ssn", "ip", "jwt", "secret"];
const TARGET = 1.6;

const full = require("astrolabe-segment");
const corpus = readCorpus(corpusPath);
const incumbent = createIncumbent({ Ajv: require("ajv"), addFormats: require("ajv-formats") });
const plain = new full.Destination({});
const every = new full.Destination({ privacy: { action: "redact" } });
const contenders = [
  { id: "ajv", label: "JS incumbent (no detection)", run: (text) => incumbent.mapText(text) },
  { id: "ours", label: "ours mapJson, no privacy", run: (text) => plain.mapJson(text) },
  { id: "every", label: "ours mapJson, every kind (redact)", run: (text) => every.mapJson(text) },
  ...KINDS.map((kind) => {
    const destination = new full.Destination({ privacy: { detect: [kind] } });
    return { id: kind, label: `ours mapJson, ${kind} alone`, run: (text) => destination.mapJson(text) };
  }),
];

const sets = [
  { corpus: "full-context", id: "messages", texts: corpus.messages },
  { corpus: "full-context", id: "~500 KB batches", texts: corpus.batches },
  { corpus: "small", id: "messages", texts: corpus.small.messages },
  ...corpus.small.batchSets.map((set) => ({ corpus: "small", id: set.label, texts: set.texts })),
];

let sink = 0;
function race(texts) {
  const pass = (c) => {
    const start = performance.now();
    for (const text of texts) sink = (sink + c.run(text).length) | 0;
    return performance.now() - start;
  };
  const samples = interleaved(contenders, pass, { warmup: WARMUP, rounds: ROUNDS });
  return Object.fromEntries(contenders.map((c) => [c.id, median(samples[c.id])]));
}

if (typeof incumbent.mapText !== "function") throw new Error("benches/incumbent.mjs: mapText is missing");
console.log(`privacy: ${ROUNDS} interleaved rounds after ${WARMUP} warm-up passes${quick ? " (quick)" : ""} ...`);
const rows = [];
for (const set of sets) {
  const ms = race(set.texts);
  const row = { corpus: set.corpus, set: set.id, vsAjv: ms.ajv / ms.every, plainVsAjv: ms.ajv / ms.ours, costs: {} };
  row.costs.every = ms.every / ms.ours - 1;
  for (const kind of KINDS) row.costs[kind] = ms[kind] / ms.ours - 1;
  rows.push(row);
  console.log(`${set.corpus}, ${set.id}: every kind ${row.vsAjv.toFixed(2)}x the incumbent (without privacy ${row.plainVsAjv.toFixed(2)}x); cost of every kind ${(row.costs.every * 100).toFixed(1)}%; ${KINDS.map((k) => `${k} ${(row.costs[k] * 100).toFixed(0)}%`).join(", ")}`);
}

// What detection finds in the corpora: every finding is a false positive (they hold no personal
// data outside the allowed fields).
const findings = new Map();
const warn = new full.Destination({ privacy: {} });
const allTexts = [...corpus.messages, ...corpus.batches, ...corpus.small.messages];
for (const text of allTexts) {
  const answer = JSON.parse(warn.mapJson(text));
  const outcomes = Array.isArray(answer.outcomes) ? answer.outcomes : [answer];
  for (const outcome of outcomes) {
    for (const issue of [...(outcome.warnings ?? []), ...(outcome.errors ?? [])]) {
      if (issue.code !== "pii_detected") continue;
      const key = `${issue.path.replace(/^\/batch\/\d+/, "")}: ${issue.message}`;
      findings.set(key, (findings.get(key) ?? 0) + 1);
    }
  }
}
const scanned = allTexts.length;
console.log(`findings in the corpora (${scanned} inputs): ${findings.size === 0 ? "none" : [...findings].map(([k, n]) => `${n}x ${k}`).join("; ")}`);

// Hostile strings: the time per byte at 1, 8 and 30 KB.
const hostile = {
  "digits": (n) => "4".repeat(n),
  "digits and spaces": (n) => "4 ".repeat(n / 2),
  "dotted digits": (n) => "1.".repeat(n / 2),
  "at signs": (n) => "a@".repeat(n / 2),
  "colons": (n) => ":".repeat(n),
  "JWT starts": (n) => "eyJ.".repeat(n / 4),
  "Unicode digits": (n) => "٣۳३৩੩૩୩௩౩೩൩๓໓༣၃３".repeat(Math.ceil(n / 48)).slice(0, n / 3),
};
const hostileRows = [];
for (const [name, make] of Object.entries(hostile)) {
  const perByte = [1_000, 8_000, 30_000].map((length) => {
    const text = JSON.stringify({ type: "track", userId: "u1", event: "E", properties: { text: make(length) } });
    const times = [];
    for (let round = 0; round < (quick ? 5 : 21); round++) {
      const start = performance.now();
      for (let i = 0; i < 20; i++) sink = (sink + every.mapJson(text).length) | 0;
      times.push((performance.now() - start) / 20);
    }
    return (median(times) * 1e6) / Buffer.byteLength(text);
  });
  hostileRows.push({ name, perByte });
  console.log(`hostile ${name}: ${perByte.map((ns) => `${ns.toFixed(1)} ns/byte`).join(", ")}`);
}

const info = runInfo({ quick, rounds: ROUNDS, version: full.version });
const pct = (x) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
let section = "## Personal data detection (`privacy`)\n\n";
section += `${runLine(info)}\n\n`;
section += `\`mapJson\` with \`privacy: { action: "redact" }\` (every kind) against the JS incumbent without detection (target ${TARGET}x), and what each kind costs alone (\`privacy: { detect: [kind] }\`), over \`mapJson\` without privacy:\n\n`;
section += `| corpus | set | every kind / incumbent | without privacy / incumbent | every kind | ${KINDS.join(" | ")} |\n`;
section += `| --- | --- | ---: | ---: | ---: | ${KINDS.map(() => "---:").join(" | ")} |\n`;
for (const row of rows) {
  const met = row.vsAjv >= TARGET ? "" : " (under target)";
  section += `| ${row.corpus} | ${row.set} | ${row.vsAjv.toFixed(2)}x${met} | ${row.plainVsAjv.toFixed(2)}x | ${pct(row.costs.every)} | ${KINDS.map((k) => pct(row.costs[k])).join(" | ")} |\n`;
}
section += `\nFindings in the corpora's ${scanned} inputs (ids, timestamps, prices, versions, UUIDs, user agents; \`traits.email\`, \`traits.phone\` and \`context.ip\` allowed): `;
section += findings.size === 0 ? "none.\n" : `${[...findings].map(([k, n]) => `${n}x ${k}`).join("; ")}.\n`;
section += "\nHostile strings (one property of 1, 8 and 30 KB, every kind on): time per byte of the message, which stays flat when detection is linear:\n\n";
section += "| string | 1 KB | 8 KB | 30 KB |\n| --- | ---: | ---: | ---: |\n";
for (const row of hostileRows) section += `| ${row.name} | ${row.perByte.map((ns) => `${ns.toFixed(1)} ns`).join(" | ")} |\n`;
if (markdownPath) writeSection(markdownPath, "privacy", section);
if (findings.size > 0) process.exitCode = 1;
