// `astrolabe-segment infer` beside `astrolabe-segment check` on the same files: the issue's target
// is infer at 0.5x check's messages per second or better.
//
//   node benches/infer.mjs [--quick] [--corpus FILE] [--markdown benches/RESULTS.md] [--rounds N]
//
// For each corpus of benches/corpus.mjs (the large, full-context one and the small one), an NDJSON
// file of its messages repeated (about 100 MB; 20 MB with --quick) is read by the package's `bin`
// (pkg/cli/) as `check --format json` and as `infer --enum-max 10` (enums on: the costlier
// inference), with 1 to N worker threads (N: the cores available); wall clock from spawn to exit,
// start-up included, as benches/check.mjs measures check. Rounds are interleaved (check, then
// infer, for each thread count), figures are medians. Then peak RSS (VmHWM, Linux) of infer, and
// of check, over 1 GB of NDJSON through standard input (200 MB with --quick). Writes DIR/infer.json and, with
// --markdown, the section between the bench:infer markers of that file (appended when missing;
// `make bench` runs this after benches/check.mjs).
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
const STDIN_BYTES = (quick ? 200 : 1000) * 1e6;
const CORES = os.availableParallelism();
const ENUM_MAX = "10";
const { version } = JSON.parse(readFileSync(resolve(here, "../pkg/package.json"), "utf8"));

const corpus = readCorpus(corpusPath);
mkdirSync(outDir, { recursive: true });

/** `check`: the messages it counted (with the unreadable), its wall time and peak RSS. */
async function runCheck(threads, file, stdin) {
  const { stdout, seconds, peak } = await runBin(["check", "--format", "json", "--threads", String(threads), file], stdin);
  const report = JSON.parse(stdout);
  return { counted: report.messages + report.unreadable, seconds, peak };
}

/** `infer`: the messages it read, skipped and could not read (from its notes), the rules, wall time. */
async function runInfer(threads, file, stdin) {
  const { stdout, stderr, seconds, peak } = await runBin(["infer", "--enum-max", ENUM_MAX, "--threads", String(threads), file], stdin);
  const number = (pattern) => Number(pattern.exec(stderr)?.[1] ?? 0);
  const counted = number(/: read (\d+) messages? from/) + number(/: skipped (\d+) messages?/) + number(/: (\d+) values? or files? could not be read/);
  return { counted, rules: JSON.parse(stdout).rules.length, seconds, peak };
}


const sets = [
  { id: "large", title: "Full-context messages", texts: corpus.messages },
  { id: "small", title: "Small messages", texts: corpus.small.messages },
];
const threadCounts = Array.from({ length: CORES }, (_, at) => at + 1);
const results = { ...runInfo({ quick, rounds: ROUNDS, version }), enumMax: Number(ENUM_MAX), corpora: {} };

for (const set of sets) {
  const text = set.texts.join("\n") + "\n";
  const repeat = Math.max(1, Math.round(FILE_BYTES / Buffer.byteLength(text)));
  const file = resolve(outDir, `infer-${set.id}.ndjson`);
  const whole = text.repeat(repeat);
  writeFileSync(file, whole);
  const messages = set.texts.length * repeat;
  const check = Object.fromEntries(threadCounts.map((threads) => [threads, []]));
  const infer = Object.fromEntries(threadCounts.map((threads) => [threads, []]));
  let rules = 0;
  // Warm-up: the file in the page cache.
  await runCheck(CORES, file);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const threads of threadCounts) {
      const checked = await runCheck(threads, file);
      if (checked.counted !== messages) throw new Error(`check counted ${checked.counted} of ${messages} messages`);
      check[threads].push(messages / checked.seconds);
      const inferred = await runInfer(threads, file);
      if (inferred.counted !== messages) throw new Error(`infer counted ${inferred.counted} of ${messages} messages`);
      infer[threads].push(messages / inferred.seconds);
      rules = inferred.rules;
    }
    console.log(`${set.id}: round ${round + 1}/${ROUNDS}`);
  }
  results.corpora[set.id] = {
    title: set.title,
    bytes: Buffer.byteLength(whole),
    messages,
    rules,
    check: Object.fromEntries(threadCounts.map((threads) => [threads, median(check[threads])])),
    infer: Object.fromEntries(threadCounts.map((threads) => [threads, median(infer[threads])])),
  };
}

// Peak RSS of infer over a long stream through standard input, and of check over the same.
const block = Buffer.from(corpus.messages.join("\n") + "\n");
const stdinRun = await runInfer(CORES, "-", { block, total: STDIN_BYTES });
const checkRun = await runCheck(CORES, "-", { block, total: STDIN_BYTES });
const streamed = Math.ceil(STDIN_BYTES / block.length) * block.length;
results.stdin = { bytes: streamed, threads: CORES, seconds: stdinRun.seconds, peakRss: stdinRun.peak, checkPeakRss: checkRun.peak, messages: stdinRun.counted };

writeFileSync(resolve(outDir, "infer.json"), `${JSON.stringify(results, null, 2)}\n`);
const section = markdown(results);
console.log(section);
if (markdownPath) writeSection(markdownPath, "infer", section);

function markdown(r) {
  const lines = [
    "## `astrolabe-segment infer` (benches/infer.mjs)",
    "",
    runLine(r),
    `Both commands are the package's \`bin\` spawned on the same NDJSON file of the corpus's messages repeated, wall clock from spawn to exit with start-up: \`check --format json\`, and \`infer --enum-max ${r.enumMax}\`. The target is infer at 0.5x check or better.`,
    "",
    `| corpus | file | ${threadCounts.map((t) => `check, ${t} thread${t === 1 ? "" : "s"} | infer, ${t} thread${t === 1 ? "" : "s"}`).join(" | ")} |`,
    `| --- | --- |${threadCounts.map(() => " ---: | ---: |").join("")}`,
  ];
  for (const k of Object.values(r.corpora)) {
    const cells = threadCounts.map((t) => `${fmt(k.check[t])} | ${fmt(k.infer[t])} (${(k.infer[t] / k.check[t]).toFixed(2)}x)`);
    lines.push(`| ${k.title} | ${(k.bytes / 1e6).toFixed(0)} MB, ${fmt(k.messages)} messages, ${k.rules} rules | ${cells.join(" | ")} |`);
  }
  lines.push("");
  lines.push(
    `Memory: ${(r.stdin.bytes / 1e9).toFixed(2)} GB of NDJSON (${fmt(r.stdin.messages)} messages) through standard input, ${r.stdin.threads} threads: infer's peak RSS ${(r.stdin.peakRss / 1e6).toFixed(1)} MB ` +
      `(check's over the same: ${(r.stdin.checkPeakRss / 1e6).toFixed(1)} MB), ${fmt(r.stdin.messages / r.stdin.seconds)} messages/s.`,
  );
  lines.push("");
  return lines.join("\n") + "\n";
}
