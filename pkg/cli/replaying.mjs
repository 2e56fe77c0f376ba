// `astrolabe-segment replay`, once its options are read (replay.mjs): each record of the quarantine
// read (records.mjs), answered or sent as the mode says, and its result printed as it comes.
import { readFileSync } from "node:fs";
import { UsageError } from "./args.mjs";
import { write } from "./check.mjs";
import { linesOf, recordOf, RecordError } from "./records.mjs";
import { createGate, deliver, deliverySettings, judge, parseRetryAfter } from "../edge/delivery.js";
import { Destination } from "../edge/engine.js";
import { withMessageIds } from "../edge/identity.js";
import { SETTINGS } from "../edge/settings.js";

const USER_AGENT = "astrolabe-segment-replay/0.1";

/** The Destination of --config (a gate's defaults without it). */
function destinationOf(file) {
  if (file === undefined) return new Destination({ strict: false });
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --config ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  }
  let config;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${file} is not JSON (${error.message})`);
  }
  try {
    return new Destination(config);
  } catch (error) {
    throw new UsageError(`${error.message} (--config ${file})`);
  }
}

/**
 * Replays the records of `file`: the exit status (0 when every record is delivered, would be, or
 * is skipped; 1 otherwise). `gate` and `astrolabe` are URLs (one of them, or neither with `dryRun`).
 */
export async function run({ file, format, dryRun, gate, astrolabe, apiKey, config, writeKey, env, io }) {
  const destination = dryRun || astrolabe !== undefined ? destinationOf(config) : undefined;
  const delivery = { io: { fetch: (...a) => globalThis.fetch(...a), now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random }, gate: createGate() };
  const retry = {};
  for (const name of SETTINGS) if (name.startsWith("ASTROLABE_") && env[name] !== undefined) retry[name] = env[name];
  let send;
  if (dryRun) send = (request) => check(destination, request);
  else if (astrolabe !== undefined) send = (request) => straight(destination, request, { ...retry, ASTROLABE_ENDPOINT: astrolabe.href, ASTROLABE_API_KEY: apiKey }, delivery);
  else send = (request) => toGate(gate, request, { writeKey, settings: deliverySettings(retry), io: delivery.io });

  const shown = file === "-" ? "standard input" : file;
  const counts = { records: 0, delivered: 0, "would-deliver": 0, skipped: 0, refused: 0, failed: 0, bad: 0 };
  const out = format === "text" ? new Table(io.stdout) : { header() {}, row: (result) => write(io.stdout, `${JSON.stringify(result)}\n`) };
  await out.header();
  const started = Date.now();
  for await (const line of linesOf(file, io.stdin)) {
    if (line.error !== undefined) {
      io.stderr.write(`astrolabe-segment replay: ${shown}:${line.number}: ${line.error}; the records before it were replayed\n`);
      counts.bad += 1;
      counts.failed += 1;
      counts.records += 1;
      await out.row(result(line.number, undefined, "failed", [problem("unreadable_file", line.error)]));
      break;
    }
    if (line.text !== null && line.text.trim() === "") continue;
    counts.records += 1;
    let record;
    try {
      if (line.text === null) throw new RecordError("invalid_record", line.problem);
      record = recordOf(line.text);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      io.stderr.write(`astrolabe-segment replay: ${shown}:${line.number}: ${error.message}\n`);
      counts.bad += 1;
      counts.failed += 1;
      await out.row(result(line.number, undefined, "failed", [problem(error.code, error.message)]));
      continue;
    }
    const answer = await send(record.request);
    const errors = answer.errors.map((issue) => ({ ...issue, path: pathIn(record, issue.path) }));
    counts[answer.status] += 1;
    await out.row(result(line.number, record, answer.status, errors));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const parts = (dryRun ? ["would-deliver", "skipped", "refused", "failed"] : ["delivered", "skipped", "refused", "failed"])
    .filter((status) => counts[status] > 0 || status === (dryRun ? "would-deliver" : "delivered"))
    .map((status) => `${counts[status]} ${status}`);
  const where = dryRun ? " (dry run: nothing sent)" : gate !== undefined ? ` to ${gate.href}` : ` to ${astrolabe.href}`;
  const bad = counts.bad > 0 ? `; ${counts.bad} line${counts.bad === 1 ? "" : "s"} not replayable (counted as failed)` : "";
  io.stderr.write(`astrolabe-segment replay: ${counts.records} record${counts.records === 1 ? "" : "s"} of ${shown}${where}: ${parts.join(", ")}${bad} in ${seconds} s\n`);
  return counts.refused + counts.failed === 0 ? 0 : 1;
}

/** One line of the output; keys in this order, always. */
function result(line, record, status, errors) {
  return { line, requestId: record?.requestId ?? null, route: record?.route ?? null, index: record?.index ?? null, status, errors };
}

const problem = (code, message) => ({ code, path: "", message });

/**
 * An error's path as the original request had it: a batch item is sent alone, as item 0, so
 * `/batch/0/...` becomes `/batch/<index>/...` (and, for a message that came alone, `/...`).
 */
function pathIn(record, path) {
  if (!record.request.batchItem || typeof path !== "string") return path;
  const found = /^\/batch\/0(?=\/|$)/.exec(path);
  if (!found) return path;
  return (record.index === null ? "" : `/batch/${record.index}`) + path.slice(found[0].length);
}

// ---- What each mode does with one record's request: { status, errors } -------------------------

/** The engine's answer for the request: one message's outcome, or the request's errors. */
function answerOf(destination, request) {
  const input = request.text ?? request.bytes;
  const single = request.kind === "single";
  const answer = JSON.parse(destination.mapJson(input, single ? { type: request.type } : undefined));
  // One message's answer (a single route's, or a body refused as a whole that held one message).
  if (!Array.isArray(answer.outcomes)) return answer;
  if (answer.errors.length > 0 || answer.outcomes.length !== 1) {
    return { status: "invalid", errors: answer.errors.length > 0 ? answer.errors : [problem("invalid_batch", `Expected one message in the batch, got ${answer.outcomes.length}.`)] };
  }
  return answer.outcomes[0];
}

/** --dry-run: what the Destination says. */
function check(destination, request) {
  const outcome = answerOf(destination, request);
  if (outcome.status === "mapped") return { status: "would-deliver", errors: [] };
  if (outcome.status === "skipped") return { status: "skipped", errors: [] };
  return { status: "refused", errors: outcome.errors ?? [] };
}

/** --astrolabe: checked here, then the operations delivered as the edge handler delivers them. */
async function straight(destination, request, env, delivery) {
  const outcome = answerOf(destination, request);
  if (outcome.status === "skipped") return { status: "skipped", errors: [] };
  if (outcome.status !== "mapped") return { status: "refused", errors: outcome.errors ?? [] };
  const { operations } = await withMessageIds([outcome.operations]);
  const record = {};
  const delivered = await deliver(operations, env, record, delivery.io, delivery.gate);
  if (delivered.ok) return { status: "delivered", errors: [] };
  const body = await delivered.response.json().catch(() => ({}));
  return { status: "failed", errors: [problem(record.error ?? "upstream_error", body.message ?? `HTTP ${delivered.response.status}`)] };
}

/** --to: POSTed to the gate, with retries for what a retry can mend; the gate's answer read. */
async function toGate(base, request, { writeKey, settings, io }) {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${request.path}`;
  const headers = { "content-type": "application/json", "user-agent": USER_AGENT };
  if (writeKey !== undefined) headers.authorization = `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
  const body = request.text ?? request.bytes;
  const deadline = io.now() + settings.budgetMs;
  let last;
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt += 1) {
    last = await attemptOnce(url, headers, body, Math.max(1, Math.min(settings.attemptMs, deadline - io.now())), io);
    const verdict = judge(last);
    if (verdict !== "retry" || attempt === settings.maxAttempts) break;
    const backoff = io.random() * Math.min(settings.capMs, settings.baseMs * 2 ** (attempt - 1));
    const wait = Math.max(last.retryAfterMs ?? 0, backoff);
    if (io.now() + wait >= deadline) break;
    await io.sleep(wait);
  }
  return gateAnswer(last, url);
}

async function attemptOnce(url, headers, body, timeoutMs, io) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // A redirect is never followed: it would send the message, and the write key, elsewhere.
    const response = await io.fetch(url, { method: "POST", headers, body, redirect: "manual", signal: controller.signal });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { kind: "status", status: response.type === "opaqueredirect" ? 0 : response.status, retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), io.now()), json, location: response.headers.get("location") ?? undefined };
  } catch (error) {
    return controller.signal.aborted ? { kind: "timeout" } : { kind: "network", message: error?.cause?.code ?? error?.message ?? "Error" };
  } finally {
    clearTimeout(timer);
  }
}

/** What the gate's (last) answer says of the message. */
function gateAnswer(last, url) {
  if (last.kind === "timeout") return { status: "failed", errors: [problem("gate_timeout", `${url.origin} did not answer in time, after retries.`)] };
  if (last.kind === "network") return { status: "failed", errors: [problem("gate_unreachable", `${url.origin} could not be reached (${last.message}), after retries.`)] };
  const { status, json = {} } = last;
  const said = typeof json.message === "string" ? json.message : `HTTP ${status}`;
  if (status >= 200 && status < 300) {
    if (json.skipped === true) return { status: "skipped", errors: [] };
    if (Array.isArray(json.rejected) && json.rejected.length > 0) {
      const [item] = json.rejected;
      const errors = Array.isArray(item.errors) ? item.errors : [{ code: item.code, path: item.path, message: item.message }];
      return { status: "refused", errors };
    }
    if (typeof json.forwarded === "number" && json.forwarded > 0) return { status: "delivered", errors: [] };
    if (Array.isArray(json.skipped) && json.skipped.length > 0) return { status: "skipped", errors: [] };
    return { status: "failed", errors: [problem("gate_unexpected_answer", `HTTP ${status}, but the answer says nothing was forwarded: ${said}`)] };
  }
  if (status === 0 || (status >= 300 && status < 400)) {
    const to = last.location === undefined ? "" : ` to ${last.location}`;
    return { status: "failed", errors: [problem("gate_redirect", `HTTP ${status || "3xx"} (a redirect${to}), never followed: give --to the final URL.`)] };
  }
  // The engine's answer on the message (400), or its size (413): refused again, with its errors.
  if ((status === 400 || status === 413) && Array.isArray(json.errors) && json.errors.length > 0) return { status: "refused", errors: json.errors };
  const code = Array.isArray(json.errors) && typeof json.errors[0]?.code === "string" ? json.errors[0].code : `gate_http_${status}`;
  return { status: "failed", errors: [problem(code, `HTTP ${status}: ${said}`)] };
}

// ---- --format text ------------------------------------------------------------------------------

/** A readable table, a row per record as it is replayed. */
class Table {
  constructor(stream) {
    this.stream = stream;
  }

  header() {
    return write(this.stream, `${"LINE".padStart(6)}  ${"STATUS".padEnd(13)}  ${"INDEX".padStart(5)}  ${"ROUTE".padEnd(12)}  ${"REQUEST".padEnd(24)}  ERRORS\n`);
  }

  row(result) {
    const errors = result.status === "failed"
      ? result.errors.map((issue) => `${issue.code}: ${issue.message}`).join("; ")
      : result.errors.map((issue) => (issue.path ? `${issue.code} at ${issue.path}` : issue.code)).join(", ");
    const index = result.index === null ? "-" : String(result.index);
    const line = `${String(result.line).padStart(6)}  ${result.status.padEnd(13)}  ${index.padStart(5)}  ${(result.route ?? "-").padEnd(12)}  ${(result.requestId ?? "-").padEnd(24)}  ${errors}`.trimEnd();
    return write(this.stream, `${line}\n`);
  }
}
