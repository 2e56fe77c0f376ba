// `astrolabe-segment check` against the floor it must beat: a plain Node loop calling
// `new Destination().mapJson(text)` on the same messages, already in memory, in one thread. The
// command reads, frames, checks and reports too, from a file, on worker threads.
//
//   node benches/check.mjs [--quick] [--corpus FILE] [--markdown benches/RESULTS.md] [--rounds N]
//
// For each corpus of benches/corpus.mjs (the large, full-context one and the small one), an NDJSON
// file of its messages repeated (about 100 MB; 20 MB with --quick) is checked by the package's
// `bin` (pkg/cli/, spawned with `--format json`) with 1 to N worker threads (N: the cores
// available), and once gzipped with N; wall clock from spawn to exit, start-up included. Rounds are
// interleaved (the loop, then each run), figures are medians. Then peak RSS (VmHWM, Linux) of 1 GB
// of NDJSON through standard input (200 MB with --quick). Writes DIR/check.json and, with
// --markdown, the section between the bench:check markers of that file (appended when missing;
// `make bench` runs this after benches/run.mjs has written RESULTS.md).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { readCorpus } from "./corpus.mjs";
import { fmt, median, runBin, runInfo, runLine } from "./bin.mjs";
import { benchOptions, writeSection } from "./options.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const { option, quick, corpusPath, outDir, markdownPath, rounds: ROUNDS } = benchOptions(args, { rounds: 5, quickRounds: 1 });
const FILE_BYTES = (quick ? 20 : 100) * 1e6;
const STDIN_BYTES = (quick ? 200 : 1000) * 1e6;
const CORES = os.availableParallelism();
const { Destination, version } = await import(resolve(here, "../pkg/full/node.js"));

const corpus = readCorpus(corpusPath);
mkdirSync(outDir, { recursive: true });
const empty = resolve(outDir, "check-empty.ndjson");
writeFileSync(empty, "");

/** The check's JSON report, wall time, peak RSS and CPU time of one run of the bin. */
async function runCheck(argv, stdinBytes) {
  const { stdout, seconds, peak, cpu } = await runBin(["check", "--format", "json", ...argv], stdinBytes);
  return { report: JSON.parse(stdout), seconds, peak, cpu };
}

const sets = [
  { id: "large", title: "Full-context messages", texts: corpus.messages },
  { id: "small", title: "Small messages", texts: corpus.small.messages },
];
const threadCounts = Array.from({ length: CORES }, (_, at) => at + 1);
const results = { ...runInfo({ quick, rounds: ROUNDS, version }), corpora: {} };

for (const set of sets) {
  const text = set.texts.join("\n") + "\n";
  const repeat = Math.max(1, Math.round(FILE_BYTES / Buffer.byteLength(text)));
  const file = resolve(outDir, `check-${set.id}.ndjson`);
  const whole = text.repeat(repeat);
  writeFileSync(file, whole);
  const gz = resolve(outDir, `check-${set.id}.ndjson.gz`);
  writeFileSync(gz, gzipSync(whole, { level: 6 }));
  const messages = set.texts.length * repeat;
  const destination = new Destination();
  const loop = [];
  const runs = Object.fromEntries(threadCounts.map((threads) => [threads, []]));
  const cpus = Object.fromEntries(threadCounts.map((threads) => [threads, []]));
  const gzipRuns = [];
  // Warm-up: the loop's JIT, the file in the page cache.
  for (const message of set.texts) destination.mapJson(message);
  await runCheck(["--threads", String(CORES), file]);
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    for (let pass = 0; pass < repeat; pass += 1) for (const message of set.texts) destination.mapJson(message);
    loop.push(messages / ((performance.now() - started) / 1000));
    for (const threads of threadCounts) {
      const { report, seconds, cpu } = await runCheck(["--threads", String(threads), file]);
      if (report.messages + report.unreadable !== messages) throw new Error(`check counted ${report.messages} of ${messages} messages`);
      runs[threads].push(messages / seconds);
      cpus[threads].push(cpu / seconds);
    }
    const { seconds } = await runCheck(["--threads", String(CORES), gz]);
    gzipRuns.push(messages / seconds);
    console.log(`${set.id}: round ${round + 1}/${ROUNDS}`);
  }
  const start = await runCheck(["--threads", String(CORES), empty]);
  results.corpora[set.id] = {
    title: set.title,
    bytes: Buffer.byteLength(whole),
    gzipBytes: readFileSync(gz).length,
    messages,
    loop: median(loop),
    threads: Object.fromEntries(threadCounts.map((threads) => [threads, median(runs[threads])])),
    /** CPU time over wall time: how many cores the run had (a shared machine may give fewer). */
    cores: Object.fromEntries(threadCounts.map((threads) => [threads, median(cpus[threads])])),
    gzip: median(gzipRuns),
    startSeconds: start.seconds,
  };
}

// Peak RSS of a long stream through standard input.
const block = Buffer.from(corpus.messages.join("\n") + "\n");
const stdinRun = await runCheck(["-"], { block, total: STDIN_BYTES });
const streamed = Math.ceil(STDIN_BYTES / block.length) * block.length;
results.stdin = { bytes: streamed, threads: CORES, seconds: stdinRun.seconds, peakRss: stdinRun.peak, messages: stdinRun.report.messages };

writeFileSync(resolve(outDir, "check.json"), `${JSON.stringify(results, null, 2)}\n`);
const section = markdown(results);
console.log(section);
if (markdownPath) writeSection(markdownPath, "check", section);

function markdown(r) {
  const lines = [
    "## `astrolabe-segment check` (benches/check.mjs)",
    "",
    runLine(r),
    "The command is the package's `bin` spawned on an NDJSON file of the corpus's messages repeated, `--format json`, wall clock from spawn to exit with its start-up" +
      " (loading the tools build in the main thread and in each worker); the floor is a plain Node loop calling `new Destination().mapJson(text)` on the same messages already in memory, in one thread.",
    "",
    `| corpus | file | plain \`mapJson\` loop, messages/s | ${threadCounts.map((t) => `check, ${t} thread${t === 1 ? "" : "s"}`).join(" | ")} | check, gzip, ${r.cores} threads |`,
    `| --- | --- | ---: |${threadCounts.map(() => " ---: |").join("")} ---: |`,
  ];
  for (const k of Object.values(r.corpora)) {
    const cell = (rate) => `${fmt(rate)} (${(rate / k.loop).toFixed(2)}x)`;
    lines.push(
      `| ${k.title} | ${(k.bytes / 1e6).toFixed(0)} MB, ${fmt(k.messages)} messages (gzip ${(k.gzipBytes / 1e6).toFixed(0)} MB) | ${fmt(k.loop)} | ${threadCounts.map((t) => cell(k.threads[t])).join(" | ")} | ${cell(k.gzip)} |`,
    );
  }
  lines.push("");
  const scaling = Object.values(r.corpora)
    .map((k) => `${k.title.toLowerCase()} ${threadCounts.map((t) => `${(k.threads[t] / k.threads[1]).toFixed(2)}x`).join(", ")}`)
    .join("; ");
  const used = Object.values(r.corpora)
    .map((k) => `${k.title.toLowerCase()} ${threadCounts.map((t) => k.cores[t].toFixed(2)).join(", ")}`)
    .join("; ");
  lines.push(`Scaling from 1 to ${r.cores} threads (over 1 thread): ${scaling}. Cores the runs had (CPU time over wall time, 1 to ${r.cores} threads): ${used}. Start-up on an empty file: ${(Object.values(r.corpora)[0].startSeconds * 1000).toFixed(0)} ms.`);
  lines.push("");
  lines.push(
    `Memory: ${(r.stdin.bytes / 1e9).toFixed(2)} GB of NDJSON (${fmt(r.stdin.messages)} messages) through standard input, ${r.stdin.threads} threads: peak RSS ${(r.stdin.peakRss / 1e6).toFixed(1)} MB (target: under 200 MB), ` +
      `${fmt(r.stdin.messages / r.stdin.seconds)} messages/s.`,
  );
  lines.push("");
  return lines.join("\n") + "\n";
}
