// `astrolabe-segment convert`: a tracking plan in any format the library reads, written in
// Segment's Public API rules form (src/check/convert.rs decides; this reads, prints and exits).
import { oneOf, parse, UsageError } from "./args.mjs";
import { write } from "./check.mjs";
import { textOf } from "./inputs.mjs";
import { tools } from "./tools.mjs";

export const summary = "convert a tracking plan from any format to Segment's Public API rules form";

export function help() {
  return `Usage: astrolabe-segment convert [--to segment] PLAN

Reads a tracking plan in any format the library reads, told from its shape: Segment's Public API
(a rules list, or the answer of its list call), Segment's Config API and Typewriter's local files
(v3 to v8), RudderStack's tracking plans (legacy and Data Catalog) and Avo's JSON Schema export.
Prints it in Segment's Public API rules form, {"name", "rules": [{"type", "key", "version",
"jsonSchema"}]}, which new Destination({ trackingPlan }) and --plan read, and which diffs well in
git. The converted plan gives every message the same answer as the original. Settings beside the
rules (violations, unplannedEvents, unplannedProperties) are kept. - reads standard input.

The format it was read as, and anything read with a warning (a $schema read as the draft it
nearly names), go to standard error.

Options:
  --to FORMAT   segment (the default; the only one)
  -h, --help    this help

Exit status: 0 when the plan was converted, 2 for a usage error (no such file, not JSON, not a
plan it reads, with what is wrong).

Examples:
  astrolabe-segment convert plan.json > tracking-plan.json
  astrolabe-segment convert typewriter/plan.json | diff tracking-plan.json -
  curl -s "$RUDDERSTACK_API/tracking-plans/$ID" | astrolabe-segment convert - > tracking-plan.json
`;
}

const options = {
  to: { type: "string" },
  help: { type: "boolean", short: "h" },
};

/** `astrolabe-segment convert ARGS...`: the exit status. */
export async function convert(args, io) {
  const { values, positionals } = parse("convert", args, options);
  if (values.help) {
    io.stdout.write(help());
    return 0;
  }
  oneOf(values.to ?? "segment", ["segment"], "--to");
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? "name the plan to convert (such as: astrolabe-segment convert plan.json)" : `convert reads one plan (got ${positionals.length})`);
  }
  const [file] = positionals;
  const text = await textOf(file, io.stdin);
  let converted;
  try {
    converted = tools.convertPlan(text);
  } catch (error) {
    throw new UsageError(`${file === "-" ? "standard input" : file} is ${error.message}`);
  }
  const where = file === "-" ? "standard input" : file;
  io.stderr.write(`astrolabe-segment convert: read ${where} as ${converted.format}\n`);
  for (const warning of converted.warnings) io.stderr.write(`astrolabe-segment convert: warning: ${warning}\n`);
  await write(io.stdout, converted.text);
  return 0;
}
