// `astrolabe-segment diff`: two tracking plans compared (src/plan/diff/ decides what each change
// is), and, with --traffic, recorded messages replayed through both: read as check reads them
// (inputs.mjs, read.mjs, source.mjs) into worker threads (pool.mjs), each a Replayer of the tools
// build that answers every message with a Destination of each plan (src/check/replay.rs). This
// file parses options, wires the parts and picks the exit status the rules give.
import { availableParallelism } from "node:os";
import { oneOf, parse, positiveInteger, UsageError } from "./args.mjs";
import { write } from "./check.mjs";
import { operandsOf, textOf } from "./inputs.mjs";
import { progressWanted, readAll } from "./run.mjs";
import { tools } from "./tools.mjs";

export const summary = "compare two tracking plans: what breaks, what loosens, and what recorded traffic would see";

export function help() {
  return `Usage: astrolabe-segment diff [options] OLD NEW [--traffic PATH...]

Compares two tracking plans, each in any format the library reads (Segment's Public API and
Config API, Typewriter, RudderStack, Avo: see astrolabe-segment convert --help), rule by rule
(matched by call type, event name and event version) and keyword by keyword, and sorts each change:

  breaking  a message may get a worse answer from NEW than from OLD: a property becomes required,
            a type narrows, an enum value goes, a pattern, format, minimum, maximum, length or
            additionalProperties: false is added or tightened, an event's rule goes while
            unplanned events are blocked or warned about, a setting tightens. A change that
            cannot be told for certain (two different patterns, a changed $ref, oneOf or if, a
            keyword it does not know) is breaking too, and says why.
  additive  no message gets a worse answer; some may get a better one.
  neutral   no message's answer changes: descriptions, titles, $comment, examples, ids, labels.

With --traffic, recorded messages are replayed through both plans with the library's engine (a
Destination of each plan: the answers of check --plan), and the report adds what that does to
them: messages, changed, newly refused, newly accepted, by event, and examples with file and
line. The inputs are check's: NDJSON, JSON arrays, .gz, directories, the inspector's
events.jsonl, and - for standard input.

Options:
  --traffic PATH...  replay these files, directories or - (standard input); every operand after
                     OLD and NEW is one too
  --format FORMAT    text (the default) or json: {"breaking": [...], "additive": [...],
                     "neutral": [...], "traffic": {...}}, each change {"rule", "path", "change",
                     "reason"}
  --threads N        worker threads for --traffic (default: the cores available, ${availableParallelism()} here)
  --progress, --no-progress
                     a progress line on standard error (default: when it is a terminal)
  -h, --help         this help

Exit status: 0 when nothing is breaking, 1 when anything is (so CI can gate on it), 2 for a
usage error (a file that cannot be read, a plan it cannot read, with the reason; a bad option).

Examples:
  astrolabe-segment diff tracking-plan.json new-plan.json
  astrolabe-segment diff --format json tracking-plan.json typewriter/plan.json > plan-diff.json
  astrolabe-segment diff tracking-plan.json new-plan.json --traffic segment-logs/ events.jsonl
  git show origin/main:tracking-plan.json > /tmp/main-plan.json
  astrolabe-segment diff /tmp/main-plan.json tracking-plan.json --traffic samples/ || exit 1
`;
}

const options = {
  traffic: { type: "string", multiple: true },
  format: { type: "string" },
  threads: { type: "string" },
  progress: { type: "boolean" },
  "no-progress": { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** `astrolabe-segment diff ARGS...`: the exit status. */
export async function diff(args, io) {
  const { values, positionals } = parse("diff", args, options);
  if (values.help) {
    io.stdout.write(help());
    return 0;
  }
  const format = oneOf(values.format ?? "text", ["text", "json"], "--format");
  const threads = values.threads === undefined ? availableParallelism() : positiveInteger(values.threads, "--threads");
  if (positionals.length < 2) {
    throw new UsageError("name the old plan and the new one (such as: astrolabe-segment diff tracking-plan.json new-plan.json)");
  }
  const [oldFile, newFile, ...rest] = positionals;
  if (rest.length > 0 && values.traffic === undefined) {
    throw new UsageError(`diff compares two plans (got ${positionals.length} operands); recorded messages go after --traffic`);
  }
  const traffic = [...(values.traffic ?? []), ...rest];
  const stdinUsers = [oldFile, newFile, ...traffic].filter((operand) => operand === "-").length;
  if (stdinUsers > 1) throw new UsageError("standard input (-) can be read once: give the other plans and traffic as files");

  const oldText = await textOf(oldFile, io.stdin);
  const newText = await textOf(newFile, io.stdin);
  let plans;
  try {
    plans = tools.diffPlans(oldText, newText);
  } catch (error) {
    if (error.side === undefined) throw error;
    const file = error.side === "old" ? oldFile : newFile;
    throw new UsageError(`${file === "-" ? "standard input" : file} is ${error.message}`);
  }
  const replayed = traffic.length > 0 ? await replay(traffic, { oldText, newText, threads, values, io }) : undefined;
  await write(io.stdout, tools.renderDiff(plans, replayed, format));
  return tools.diffPassed(plans) ? 0 : 1;
}

/** Replays the traffic through both plans: the merged traffic report's JSON. */
async function replay(paths, { oldText, newText, threads, values, io }) {
  const operands = await operandsOf(paths, { stdinIsTTY: io.stdin.isTTY, command: "diff" });
  const replayer = new tools.Replayer(oldText, newText);
  // What cannot be read is counted (unreadable) and said once, here.
  const main = {
    countFile: () => replayer.countFile(),
    problem: (file, line, code, detail) => {
      io.stderr.write(`astrolabe-segment diff: warning: ${file}${line === undefined ? "" : `:${line}`}: ${detail} (counted as unreadable)\n`);
      replayer.problem(file, line, code, detail);
    },
  };
  const settings = { command: "diff", replay: { old: oldText, new: newText } };
  const reports = await readAll(operands, { command: "diff", settings, threads, main, io, showProgress: progressWanted(values, io), what: "messages replayed" });
  return tools.mergeTraffic([replayer.takeReport(), ...reports]);
}
