// `astrolabe-segment merge`: the JSON reports of `check --shard I/N` (or of any runs) added up
// into the report of the whole (src/check/report.rs: counts add, examples are the first of all).
import { readFileSync } from "node:fs";
import { oneOf, parse, UsageError } from "./args.mjs";
import { write } from "./check.mjs";
import { tools } from "./tools.mjs";

export const summary = "add up the JSON reports of check (one per --shard) into one";

export function help() {
  return `Usage: astrolabe-segment merge [--format text|json|github] REPORT.json...

Adds up reports written by \`astrolabe-segment check --format json\`, such as the shards of an
archive checked on several machines (check --shard I/N), into the report of the whole: counts,
codes and events add up, and each code keeps its first examples in (file, line, path) order, as
one run over all the files would. - reads a report from standard input.

Options:
  --format FORMAT   text (the default), json, or github (workflow annotations)
  -h, --help        this help

Exit status: 0 when no message is invalid and nothing is unreadable, 1 when any is, 2 for a
usage error (a file that is not a report).

Examples:
  astrolabe-segment merge shard-1.json shard-2.json shard-3.json shard-4.json
  astrolabe-segment merge --format json reports/*.json > whole.json
`;
}

const options = {
  format: { type: "string" },
  help: { type: "boolean", short: "h" },
};

/** `astrolabe-segment merge ARGS...`: the exit status. */
export async function merge(args, io) {
  const { values, positionals } = parse("merge", args, options);
  if (values.help) {
    io.stdout.write(help());
    return 0;
  }
  const format = oneOf(values.format ?? "text", ["text", "json", "github"], "--format");
  if (positionals.length === 0) throw new UsageError("name the reports to add up (such as: astrolabe-segment merge shard-*.json)");
  const texts = positionals.map((file) => {
    try {
      return readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
    }
  });
  let report;
  try {
    report = tools.mergeReports(texts);
  } catch (error) {
    const at = Number(/^report (\d+): /.exec(error.message)?.[1]);
    const file = positionals[at - 1] ?? "a report";
    throw new UsageError(`${file} is not a report of astrolabe-segment check --format json: ${error.message.replace(/^report \d+: /, "")}`);
  }
  await write(io.stdout, tools.renderReport(report, format));
  return tools.reportPassed(report) ? 0 : 1;
}
