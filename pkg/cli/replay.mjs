// `astrolabe-segment replay`: the quarantine's records (the messages a gate refused, one JSON line
// each: records.mjs) sent again, one at a time, in the file's order:
// - --to URL: to a gate speaking Segment's HTTP Tracking API (the edge handler, `make serve`),
//   which answers for each message: delivered, still refused (its errors), or failed;
// - --astrolabe URL: straight to Astrolabe's endpoint: each message answered here by a Destination
//   of --config, its operations POSTed by the edge handler's own delivery (pkg/edge/delivery.js:
//   retries, no redirects, Idempotency-Key) with their messages' ids (pkg/edge/identity.js);
// - --dry-run: only answered here, with the settings of --config; nothing is sent.
// Messages keep their messageId, so a second replay stores nothing new upstream.
// This file reads the options; replaying.mjs (loaded only then, since it loads the engine) replays.
import { stat } from "node:fs/promises";
import { oneOf, parse, UsageError } from "./args.mjs";

export const summary = "send the quarantine's refused messages again: to a gate, straight to Astrolabe, or only check them";

export function help() {
  return `Usage: astrolabe-segment replay QUARANTINE.jsonl (--to URL | --astrolabe URL | --dry-run) [options]

Sends the messages of a quarantine (the JSON Lines file of the messages a gate refused, one
record a line: the edge handler's QUARANTINE_ENDPOINT, make serve's target/inspector/quarantine.jsonl)
again, one record at a time, in the file's order, once the cause is fixed (a plan or a rule's level
changed, a sender mended). Each message keeps its messageId, so a replay made twice stores
nothing new upstream. A batch item is sent as {"batch": [message], ...its envelope} to /v1/batch;
a single message to its own route (/v1/track: the route gives its type); a request refused as a
whole, its body to its route. The file may be gzip; - reads standard input.

Where to:
  --to URL          a gate speaking Segment's HTTP Tracking API (the edge worker, make serve's
                    http://localhost:8080), authenticated with --write-key or SEGMENT_WRITE_KEY
                    (HTTP Basic); the gate answers for each message, under its own settings
  --astrolabe URL   straight to Astrolabe's endpoint: each message is checked here with a
                    Destination of --config and its operations POSTed with their messageIds and an
                    Idempotency-Key, with ASTROLABE_API_KEY from the environment (never an option)
  --dry-run         send nothing: check each message here with --config's settings and say what
                    would be delivered and what is still refused (with --to or --astrolabe, or alone)

Options:
  --config FILE     the settings of new Destination(...) as JSON ({"strict", "rules", "mappings",
                    "trackingPlan", "privacy"}), for --astrolabe and --dry-run (default: a gate's
                    defaults)
  --write-key KEY   the write key sent to --to (default: SEGMENT_WRITE_KEY from the environment)
  --format FORMAT   json (the default: one line per record: line, requestId, route, index,
                    status, errors) or text (a table)
  -h, --help        this help

Each record's status: delivered (the gate or Astrolabe took it), would-deliver (--dry-run),
skipped (valid, and not forwarded by design: a page call, integrations.Astrolabe false), refused
(still invalid: its errors, with codes and paths as in the original request), failed (not
delivered: the gate or Astrolabe unreachable, 5xx after retries, a redirect, which is never
followed, a bad write key, or a line that is not a record, reported with FILE:LINE). Attempts
that fail with 5xx, 408, 429, a timeout or no answer are retried with backoff, as the edge
handler retries (ASTROLABE_RETRY_BUDGET_MS, ASTROLABE_ATTEMPT_TIMEOUT_MS,
ASTROLABE_RETRY_MAX_ATTEMPTS, ASTROLABE_RETRY_BASE_MS). A summary goes to standard error.

Exit status: 0 when every record was delivered (or would be, or is skipped), 1 when any is still
refused or failed, 2 for a usage error (a file that cannot be read, a bad option).

Examples:
  astrolabe-segment replay quarantine.jsonl --dry-run --config destination.json
  astrolabe-segment replay quarantine.jsonl --to https://segment-gate.example.com --write-key "$WRITE_KEY"
  ASTROLABE_API_KEY=... astrolabe-segment replay quarantine.jsonl --astrolabe https://api.astrolabe.example/v1/operations --config destination.json
  astrolabe-segment replay target/inspector/quarantine.jsonl --to http://localhost:8080 --format text
  curl -s localhost:8080/inspector/quarantine/export | astrolabe-segment replay - --dry-run
`;
}

const options = {
  to: { type: "string" },
  astrolabe: { type: "string" },
  config: { type: "string" },
  "dry-run": { type: "boolean" },
  "write-key": { type: "string" },
  format: { type: "string" },
  help: { type: "boolean", short: "h" },
};

/** An http(s) URL from an option's text. */
function urlOf(text, option) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${option} takes a URL, such as http://localhost:8080 (got ${JSON.stringify(text)})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`${option} takes an http or https URL (got ${JSON.stringify(text)})`);
  return url;
}

/** `astrolabe-segment replay ARGS...`: the exit status. */
export async function replay(args, io, env = process.env) {
  const { values, positionals } = parse("replay", args, options);
  if (values.help) {
    io.stdout.write(help());
    return 0;
  }
  const format = oneOf(values.format ?? "json", ["json", "text"], "--format");
  const dryRun = values["dry-run"] ?? false;
  if (values.to !== undefined && values.astrolabe !== undefined) {
    throw new UsageError("--to sends to a gate and --astrolabe straight to Astrolabe: give one of them");
  }
  if (values.to === undefined && values.astrolabe === undefined && !dryRun) {
    throw new UsageError("say where to: --to URL (a gate), --astrolabe URL (Astrolabe's endpoint), or --dry-run to send nothing");
  }
  const gate = values.to === undefined ? undefined : urlOf(values.to, "--to");
  const astrolabe = values.astrolabe === undefined ? undefined : urlOf(values.astrolabe, "--astrolabe");
  if (values["write-key"] !== undefined && gate === undefined) throw new UsageError("--write-key is sent to the gate of --to; give --to URL");
  if (values.config !== undefined && gate !== undefined && !dryRun) {
    throw new UsageError("with --to the gate answers under its own settings: --config is for --astrolabe and --dry-run");
  }
  const apiKey = env.ASTROLABE_API_KEY === "" ? undefined : env.ASTROLABE_API_KEY;
  if (astrolabe !== undefined && !dryRun && apiKey === undefined) {
    throw new UsageError("--astrolabe needs ASTROLABE_API_KEY in the environment (the key is never an option, so that it stays out of shell history and process lists)");
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0
      ? "name the quarantine file (such as: astrolabe-segment replay quarantine.jsonl --dry-run), or - for standard input"
      : `replay reads one quarantine file (got ${positionals.length}); concatenate them, or replay each`);
  }
  const [file] = positionals;
  if (file !== "-") {
    let info;
    try {
      info = await stat(file);
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
    }
    if (info.isDirectory()) throw new UsageError(`cannot read ${file}: a directory (name the quarantine's .jsonl file)`);
  } else if (io.stdin.isTTY) {
    throw new UsageError("- reads the quarantine from standard input, which is a terminal: pipe a file in, or name it");
  }

  const { run } = await import("./replaying.mjs");
  return run({ file, format, dryRun, gate, astrolabe, apiKey, config: values.config, writeKey: values["write-key"] ?? (env.SEGMENT_WRITE_KEY || undefined), env, io });
}
