// The inspector under heavy use, as a new user would try it: `node scripts/serve.mjs` in its own
// process, sent track messages of about 30 KB, 20 at a time, while /health is asked every 100 ms
// and the server's RSS is read from /proc; then its export read to the end, a real restart
// (SIGTERM, started again on the same file), and the export read again.
//
//   node benches/inspector-stress.mjs [--messages 20500] [--concurrency 20] [--json]
//
// The full run ("heavy use" in docs/inspector.md) uses the default bounds; the test
// (tests/www/inspector-stress.test.mjs) runs the same scenario with the bounds set low, so that
// eviction, compaction, the export and the restart all go past them in seconds. Prints its
// figures (with --json, as JSON); exits 1 when a check fails. Needs Linux for RSS (/proc).
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A track message of about `bytes` bytes of JSON, as a shop's checkout sends them: many small values. */
export function trackMessage(index, bytes = 30_000) {
  const product = (i) => ({
    sku: `sku-${index}-${i}`,
    name: `Product ${i} of order ${index}`,
    price: 10 + (i % 17) * 1.25,
    quantity: 1 + (i % 3),
    category: ["tools", "garden", "kitchen", "books"][i % 4],
    url: `https://shop.example/products/${index}/${i}`,
    description: "A sturdy thing that does what it says and a little more, sold by the unit. ".repeat(2),
  });
  const message = {
    type: "track",
    userId: `u_${index}`,
    event: "Order Completed",
    messageId: `stress-${index}`,
    timestamp: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
    context: { library: { name: "stress", version: "1" }, page: { url: "https://shop.example/checkout" } },
    properties: { orderId: `ord_${index}`, currency: "EUR", total: 0, products: [] },
  };
  const each = JSON.stringify(product(0)).length + 1;
  const count = Math.max(0, Math.round((bytes - JSON.stringify(message).length) / each));
  for (let i = 0; i < count; i += 1) {
    message.properties.products.push(product(i));
    message.properties.total += message.properties.products[i].price;
  }
  return message;
}

/** The server's resident memory in bytes (Linux), or undefined. */
async function rssOf(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Starts the server; resolves `{ base, child, output(), stop() }` once it listens. */
function serve(env) {
  const child = spawn(process.execPath, [path.join(root, "scripts/serve.mjs"), "--port", "0"], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 120 s:\n${output}`)), 120_000);
    const read = (chunk) => {
      output += chunk;
      const port = /playground: http:\/\/localhost:(\d+)\//.exec(output)?.[1];
      if (port && /inspector: /.test(output)) {
        clearTimeout(timer);
        child.off("exit", early);
        resolve({
          base: `http://127.0.0.1:${port}`,
          child,
          startMs: performance.now() - started,
          output: () => output,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once("exit", (code) => done(code));
              child.kill("SIGTERM");
            }),
        });
      }
    };
    const early = (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", early);
  });
}

/**
 * Asks /health every `everyMs` and reads the RSS, from a thread of its own (this one is busy
 * sending): `stop()` gives `{ asked, maxMs, over200, failed, maxRss }`.
 */
async function watch(server, everyMs = 100) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { watch: { base: server.base, pid: server.child.pid, everyMs } } });
  // Its first request loads fetch in that thread (tens of ms): not the server's time.
  await new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    stop: () =>
      new Promise((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.postMessage("stop");
      }),
  };
}

/** The watcher's thread. */
async function watching({ base, pid, everyMs }) {
  const figures = { asked: 0, maxMs: 0, over200: 0, failed: 0, maxRss: 0, slow: [] };
  let running = true;
  parentPort.once("message", () => (running = false));
  await (await fetch(`${base}/health`)).arrayBuffer();
  parentPort.postMessage("ready");
  while (running) {
    const started = performance.now();
    try {
      const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(60_000) });
      await response.arrayBuffer();
      if (response.status !== 200) figures.failed += 1;
    } catch {
      figures.failed += 1;
    }
    const ms = performance.now() - started;
    figures.asked += 1;
    figures.maxMs = Math.max(figures.maxMs, ms);
    if (ms >= 200) figures.over200 += 1;
    // When the slow ones were asked (ms since the epoch), to tell sending from exporting.
    if (ms >= 100) figures.slow.push([Math.round(performance.timeOrigin + started), Math.round(ms)]);
    figures.maxRss = Math.max(figures.maxRss, (await rssOf(pid)) ?? 0);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (performance.now() - started))));
  }
  parentPort.postMessage(figures);
  parentPort.close();
}

/** Sends `count` messages, `concurrency` at a time; `{ ok, statuses, seconds }`. */
async function send(server, count, concurrency, bytes) {
  let next = 0;
  let ok = 0;
  const statuses = {};
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const response = await fetch(`${server.base}/v1/track`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(trackMessage(index, bytes)),
      });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status === 200) ok += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ok, statuses, seconds: (performance.now() - started) / 1000 };
}

/**
 * Reads the export to its end, a line at a time: `{ count, bytes, seconds, ids, whole }` (`whole`:
 * every record has its operation's properties, the message's own).
 */
async function readExport(server) {
  const started = performance.now();
  const response = await fetch(`${server.base}/inspector/export`);
  const decoder = new TextDecoder();
  let rest = "";
  let count = 0;
  let bytes = 0;
  let whole = true;
  let ascending = true;
  let first;
  let last;
  const take = (line) => {
    if (line === "") return;
    const record = JSON.parse(line);
    count += 1;
    first ??= record.id;
    if (last !== undefined && record.id <= last) ascending = false;
    last = record.id;
    const operation = record.outcome?.operations?.[0];
    if (record.message?.properties?.orderId === undefined || operation?.properties?.orderId !== record.message.properties.orderId) whole = false;
  };
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
    rest = lines.pop();
    for (const line of lines) take(line);
  }
  take(rest + decoder.decode());
  return { status: response.status, count, bytes, seconds: (performance.now() - started) / 1000, first, last, ascending, whole };
}

const getJson = async (server, route) => (await fetch(server.base + route)).json();

/** The lines of a file, counted a chunk at a time. */
async function linesIn(file) {
  let lines = 0;
  for await (const chunk of createReadStream(file)) for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
  return lines;
}

/**
 * The whole scenario. `env` holds the INSPECTOR_* bounds (INSPECTOR_FILE is set here, in a
 * temporary folder). Resolves the figures; `checks` lists what failed (empty when all held).
 */
export async function stress({ messages = 20_500, concurrency = 20, bytes = 30_000, env = {}, progress = () => {} } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "astrolabe-stress-"));
  const file = path.join(dir, "events.jsonl");
  const settings = { ...env, INSPECTOR_FILE: file };
  const figures = { messages, concurrency, messageBytes: Buffer.byteLength(JSON.stringify(trackMessage(0, bytes))), settings: env };
  const checks = [];
  const check = (ok, what) => {
    if (!ok) checks.push(what);
  };
  let server;
  try {
    server = await serve(settings);
    figures.rssAtStart = await rssOf(server.child.pid);
    const watcher = await watch(server);
    progress(`sending ${messages} messages of ${figures.messageBytes} bytes, ${concurrency} at a time`);
    figures.sendStarted = Date.now();
    figures.send = await send(server, messages, concurrency, bytes);
    figures.sendEnded = Date.now();
    figures.summary = await getJson(server, "/inspector/summary");
    progress(`sent in ${figures.send.seconds.toFixed(1)} s; exporting`);
    figures.export = await readExport(server);
    figures.summaryAfterExport = await getJson(server, "/inspector/summary");
    figures.health = await watcher.stop();
    figures.fileBytes = (await stat(file)).size;
    figures.rssAfterExport = await rssOf(server.child.pid);

    progress("restarting");
    figures.stopCode = await server.stop();
    figures.fileBytesAtStop = (await stat(file)).size;
    figures.fileLinesAtStop = await linesIn(file);
    server = await serve(settings);
    figures.restart = { startMs: server.startMs, rss: await rssOf(server.child.pid), summary: await getJson(server, "/inspector/summary") };
    const watcher2 = await watch(server);
    figures.restart.export = await readExport(server);
    figures.restart.health = await watcher2.stop();
    const more = await send(server, 1, 1, bytes);
    const newest = (await getJson(server, "/inspector/events?limit=1")).events[0];
    figures.restart.nextId = newest?.id;
    check(more.ok === 1, "a message after the restart got a 200");

    const kept = figures.summary.total;
    const output = server.output();
    figures.warnings = output.split("\n").filter((line) => /^inspector: (cannot|skipped)/.test(line));
    check(figures.send.ok === messages, `every message got a 200 (${JSON.stringify(figures.send.statuses)})`);
    check(kept + figures.summary.dropped === messages, `kept + dropped = sent (${kept} + ${figures.summary.dropped})`);
    check(figures.export.status === 200 && figures.export.count === kept, `the export gives every kept record (${figures.export.count} of ${kept})`);
    check(figures.export.ascending && figures.export.last === messages && figures.export.first === messages - kept + 1, "the export is the newest, oldest first");
    check(figures.export.whole, "every exported record has its operations whole");
    check(figures.stopCode === 0, "SIGTERM stops the server cleanly");
    check(figures.restart.summary.total === kept, `the restart keeps the history (${figures.restart.summary.total} of ${kept})`);
    check(figures.restart.export.count === kept && figures.restart.export.first === figures.export.first, "the export after the restart is the same");
    check(figures.restart.nextId === messages + 1, "ids go on after the restart");
    check(figures.health.failed === 0 && figures.restart.health.failed === 0, "/health always answered");
    check(figures.warnings.length === 0, `no warnings (${figures.warnings.join(" | ")})`);
    return { figures, checks };
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const mb = (value) => (value === undefined ? "?" : `${(value / 1024 / 1024).toFixed(0)} MB`);

/** The figures as a few lines of text. */
export function report({ figures: f, checks }) {
  return [
    `${f.messages} track messages of ${f.messageBytes} bytes, ${f.concurrency} at a time (${JSON.stringify(f.settings)}):`,
    `  sent in ${f.send.seconds.toFixed(1)} s (${(f.messages / f.send.seconds).toFixed(0)} a second), ${f.send.ok} answered 200`,
    `  kept ${f.summary.total} (${f.summary.inMemory} in memory), dropped ${f.summary.dropped}; the file ${mb(f.fileBytes)} ` +
      `(${mb(f.fileBytesAtStop)} at the stop: ${f.fileLinesAtStop} lines, ${(f.fileBytesAtStop / f.fileLinesAtStop / 1024).toFixed(1)} KB each)`,
    `  RSS ${mb(f.rssAtStart)} at start, at most ${mb(f.health.maxRss)} while sending and exporting, ${mb(f.rssAfterExport)} after`,
    `  /health asked ${f.health.asked} times: at most ${f.health.maxMs.toFixed(0)} ms, ${f.health.over200} at 200 ms or more, ${f.health.failed} failed`,
    `  export: ${f.export.count} records, ${mb(f.export.bytes)} in ${f.export.seconds.toFixed(1)} s`,
    `  restart: ready in ${(f.restart.startMs / 1000).toFixed(1)} s, RSS ${mb(f.restart.rss)}, ${f.restart.summary.total} kept; export ${f.restart.export.count} records in ` +
      `${f.restart.export.seconds.toFixed(1)} s (RSS at most ${mb(f.restart.health.maxRss)}, /health at most ${f.restart.health.maxMs.toFixed(0)} ms)`,
    checks.length === 0 ? "  every check held" : `  FAILED: ${checks.join("; ")}`,
  ].join("\n");
}

if (!isMainThread && workerData?.watch) {
  await watching(workerData.watch);
} else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const result = await stress({
    messages: option("--messages", 20_500),
    concurrency: option("--concurrency", 20),
    progress: (line) => console.error(line),
  });
  console.log(args.includes("--json") ? JSON.stringify(result, null, 2) : report(result));
  process.exit(result.checks.length === 0 ? 0 : 1);
}
