// The `astrolabe-segment` command line: its commands, their help, and the exit status of a usage
// error (2). Each command lives in its own module.
import * as checkCommand from "./check.mjs";
import * as convertCommand from "./convert.mjs";
import * as inferCommand from "./infer.mjs";
import * as diffCommand from "./diff.mjs";
import * as mergeCommand from "./merge.mjs";
import * as replayCommand from "./replay.mjs";
import { UsageError } from "./args.mjs";
import { tools } from "./tools.mjs";

/** The commands, in the order the help lists them. */
const commands = {
  check: { summary: checkCommand.summary, help: checkCommand.help, run: checkCommand.check },
  merge: { summary: mergeCommand.summary, help: mergeCommand.help, run: mergeCommand.merge },
  convert: { summary: convertCommand.summary, help: convertCommand.help, run: convertCommand.convert },
  infer: { summary: inferCommand.summary, help: inferCommand.help, run: inferCommand.infer },
  diff: { summary: diffCommand.summary, help: diffCommand.help, run: diffCommand.diff },
  replay: { summary: replayCommand.summary, help: replayCommand.help, run: replayCommand.replay },
};

/** The command called `name`, if there is one (`toString` is not a command). */
function commandNamed(name) {
  return Object.hasOwn(commands, name) ? commands[name] : undefined;
}

function overview() {
  const listed = Object.entries(commands);
  const width = Math.max(...listed.map(([name]) => name.length));
  return `Usage: astrolabe-segment COMMAND [options]

Validates Segment identify, group and track messages and maps them to Astrolabe operations, with
the engine of the astrolabe-segment package (WebAssembly).

Commands:
${listed.map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`).join("\n")}

Options:
  -h, --help        this help (astrolabe-segment COMMAND --help: the command's)
  -v, --version     the package's version

Examples:
  astrolabe-segment check events.ndjson
  astrolabe-segment check --plan plan.json --format github segment-logs/
  astrolabe-segment convert typewriter/plan.json > tracking-plan.json
  astrolabe-segment infer --enum-max 8 segment-logs/ > tracking-plan.json
  astrolabe-segment diff tracking-plan.json new-plan.json --traffic segment-logs/
  astrolabe-segment replay quarantine.jsonl --to http://localhost:8080
  astrolabe-segment check --help
`;
}

/**
 * Runs the command line `args` (without node and the script); gives the exit status.
 * @param {string[]} args
 * @param {{ stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, stdin: NodeJS.ReadableStream & { isTTY?: boolean } }} [io]
 */
export async function main(args, io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }) {
  // A reader that stops early (`| head`) is not an error.
  io.stdout.on?.("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  });
  const [name, ...rest] = args;
  if (name === undefined) {
    io.stderr.write(overview());
    return 2;
  }
  if (name === "-h" || name === "--help" || name === "help") {
    const command = commandNamed(rest[0]);
    io.stdout.write(command ? command.help() : overview());
    return 0;
  }
  if (name === "-v" || name === "--version") {
    io.stdout.write(`${tools.__version()}\n`);
    return 0;
  }
  const command = commandNamed(name);
  try {
    if (!command) {
      const known = Object.keys(commands).join(", ");
      throw new UsageError(`unknown command ${JSON.stringify(name)}: the commands are ${known}`);
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const where = command ? ` ${name}` : "";
      io.stderr.write(`astrolabe-segment${where}: ${error.message}\nRun 'astrolabe-segment${where} --help' for usage.\n`);
      return 2;
    }
    io.stderr.write(`astrolabe-segment${command ? ` ${name}` : ""}: internal error (please report it): ${error?.stack ?? error}\n`);
    return 2;
  }
}
