// `astrolabe-segment check`: reads the inputs (inputs.mjs, read.mjs) into worker threads
// (pool.mjs), each a Checker of the tools build; merges their reports and prints one. What counts
// as what, the framing of the bytes, the examples kept, the merging and the printing are the
// rules' (src/check/); this file parses options, wires the parts and picks the exit status.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { oneOf, parse, positiveInteger, UsageError } from "./args.mjs";
import { operandsOf } from "./inputs.mjs";
import { progressWanted, readAll } from "./run.mjs";
import { tools } from "./tools.mjs";

export const summary = "check the Segment messages of files, directories or standard input";

export function help() {
  return `Usage: astrolabe-segment check [options] [PATH|-]...

Checks every Segment message in files, directories and standard input with the engine of the
library (new Destination(...).mapJson), and counts what it finds: mapped, skipped, invalid, and
unreadable (lines or files that are not JSON, broken gzip, files that cannot be read).

Inputs:
  NDJSON (a message or a batch body {"batch": [...]} a line: a batch's items count as messages),
  a JSON array of messages or a single JSON document (on one line or pretty-printed),
  .gz of any of these, the inspector's events.jsonl, and - for standard input (read when no
  PATH is given and it is not a terminal). A directory is read recursively, in name order: its
  *.json, *.jsonl, *.ndjson and *.gz files, such as Segment's S3 archive
  segment-logs/<source>/<day>/<hour>/*.gz.

Options:
  --config FILE     the settings of new Destination(...) as JSON: {"strict", "mappings", "trackingPlan",
                    "rules", "privacy"} (privacy: personal data found is counted as pii_detected)
  --plan FILE       a tracking plan in any format (Segment, Typewriter, RudderStack, Avo; see
                    astrolabe-segment convert --help), used as trackingPlan (instead of the config's)
  --strict          every warning is an error
  --format FORMAT   text (the default), json (one object: messages, mapped, invalid, skipped,
                    unreadable, codes, events, examples), or github (workflow annotations)
  --threads N       worker threads (default: the cores available, ${availableParallelism()} here)
  --shard I/N       only the files whose path hashes to shard I of N (1 <= I <= N), to split an
                    archive across machines; \`astrolabe-segment merge\` adds up their JSON reports
  --progress, --no-progress
                    a progress line on standard error (default: when it is a terminal)
  -h, --help        this help

Exit status: 0 when no message is invalid and nothing is unreadable, 1 when any is, 2 for a
usage error.

Examples:
  astrolabe-segment check events.ndjson
  astrolabe-segment check --plan tracking-plan.json --format github segment-logs/
  gunzip -c export.ndjson.gz | astrolabe-segment check --strict -
  astrolabe-segment check --shard 2/4 --format json segment-logs/ > shard-2.json
  astrolabe-segment merge shard-*.json
`;
}

const options = {
  config: { type: "string" },
  plan: { type: "string" },
  strict: { type: "boolean" },
  format: { type: "string" },
  threads: { type: "string" },
  shard: { type: "string" },
  progress: { type: "boolean" },
  "no-progress": { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** A settings file's text. */
function readSetting(file, option) {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${option} ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  }
}

/** `astrolabe-segment check ARGS...`: the exit status. */
export async function check(args, io) {
  const { values, positionals } = parse("check", args, options);
  if (values.help) {
    io.stdout.write(help());
    return 0;
  }
  const format = oneOf(values.format ?? "text", ["text", "json", "github"], "--format");
  const threads = values.threads === undefined ? availableParallelism() : positiveInteger(values.threads, "--threads");
  let shard;
  try {
    shard = values.shard === undefined ? undefined : tools.parseShard(values.shard);
  } catch (error) {
    throw new UsageError(error.message);
  }
  const settings = { config: readSetting(values.config, "--config"), plan: readSetting(values.plan, "--plan"), strict: values.strict ?? false };
  let main;
  try {
    main = new tools.Checker(settings.config, settings.plan, settings.strict);
  } catch (error) {
    const files = [values.config && `--config ${values.config}`, values.plan && `--plan ${values.plan}`].filter(Boolean).join(", ");
    throw new UsageError(`${error.message} (${files})`);
  }
  for (const warning of main.warnings()) io.stderr.write(`astrolabe-segment check: warning: ${warning}\n`);
  const operands = await operandsOf(positionals, { stdinIsTTY: io.stdin.isTTY, shard });

  const reports = await readAll(operands, { command: "check", settings, threads, main, io, shard, showProgress: progressWanted(values, io) });
  const report = tools.mergeReports([main.takeReport(), ...reports]);
  await write(io.stdout, tools.renderReport(report, format));
  return tools.reportPassed(report) ? 0 : 1;
}

/** Writes `text` and waits until it is handed over (a report may be long, stdout a pipe). */
export function write(stream, text) {
  return new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once("drain", resolve);
  });
}
