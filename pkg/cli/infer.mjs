// `astrolabe-segment infer`: reads the inputs as `check` does (inputs.mjs, read.mjs) into worker
// threads (pool.mjs), each an Inferrer of the tools build; merges their inferences and prints the
// draft plan. What counts, what each rule says and how the plan is written are the rules'
// (src/check/infer/); this file parses options, wires the parts and picks the exit status.
import { availableParallelism } from "node:os";
import { parse, positiveInteger } from "./args.mjs";
import { write } from "./check.mjs";
import { operandsOf } from "./inputs.mjs";
import { progressWanted, readAll } from "./run.mjs";
import { tools } from "./tools.mjs";

export const summary = "draft a tracking plan from the Segment messages of files, directories or standard input";

export function help() {
  return `Usage: astrolabe-segment infer [--min-count N] [--enum-max K] [options] [PATH|-]...

Reads Segment messages from the same inputs as check, and prints a draft tracking plan that
describes them, in Segment's Public API rules form (the form convert prints): {"rules": [...]},
one TRACK rule per event, and IDENTIFY and GROUP rules for traits. Each rule's jsonSchema
describes the whole message, as Segment's do: the JSON types seen at each place of its
properties (track) or traits (identify, group), unions such as ["null", "string"], nested
objects and arrays' items to the depth seen, "required" for what every message had, a format
(date-time, email, uri) where every string matched it, and a description with the number of
messages the rule came from. The plan accepts every message it was inferred from: use it as
check --plan, or new Destination({ trackingPlan }), and tighten it by hand.

What counts: every identify, group and track message that can be read, valid or not (a plan
describes what is sent; check says whether it is sent well). Other calls (page, screen, alias,
delete), messages without a usable type and track calls without an event name are skipped;
values that are not JSON are left out. Both are counted on standard error, with the file and
line of the first few, and never stop the run.

The same input gives the same bytes, whatever the threads or the order of the files.

Inputs: as for check (astrolabe-segment check --help): NDJSON, batch bodies, JSON arrays and
documents, .gz, directories, the inspector's events.jsonl, and - for standard input.

Options:
  --min-count N     a rule only for an event (or call type) seen in at least N messages, and an
                    enum only over at least N strings (default 1)
  --enum-max K      an "enum" for a place that held only strings (and null), at most K distinct
                    ones (default: no enums)
  --threads N       worker threads (default: the cores available, ${availableParallelism()} here)
  --progress, --no-progress
                    a progress line on standard error (default: when it is a terminal)
  -h, --help        this help

Exit status: 0 when the plan has a rule, 1 when it has none (no identify, group or track
message, or none seen --min-count times), 2 for a usage error.

Examples:
  astrolabe-segment infer events.ndjson > tracking-plan.json
  astrolabe-segment infer --min-count 20 --enum-max 8 segment-logs/ > tracking-plan.json
  astrolabe-segment check --plan tracking-plan.json segment-logs/
  gunzip -c export.ndjson.gz | astrolabe-segment infer - > tracking-plan.json
`;
}

const options = {
  "min-count": { type: "string" },
  "enum-max": { type: "string" },
  threads: { type: "string" },
  progress: { type: "boolean" },
  "no-progress": { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** `astrolabe-segment infer ARGS...`: the exit status. */
export async function infer(args, io) {
  const { values, positionals } = parse("infer", args, options);
  if (values.help) {
    io.stdout.write(help());
    return 0;
  }
  const minCount = positiveInteger(values["min-count"] ?? "1", "--min-count");
  const enumMax = values["enum-max"] === undefined ? undefined : positiveInteger(values["enum-max"], "--enum-max");
  const threads = values.threads === undefined ? availableParallelism() : positiveInteger(values.threads, "--threads");
  const operands = await operandsOf(positionals, { stdinIsTTY: io.stdin.isTTY, command: "infer" });

  const main = new tools.Inferrer(enumMax);
  const settings = { command: "infer", enumMax };
  const inferences = await readAll(operands, { command: "infer", settings, threads, main, io, showProgress: progressWanted(values, io) });
  const plan = tools.inferPlan([main.takeInference(), ...inferences], minCount);
  for (const note of plan.notes) io.stderr.write(`astrolabe-segment infer: ${note}\n`);
  await write(io.stdout, plan.text);
  return plan.passed ? 0 : 1;
}
