// The `astrolabe-segment` command line: its commands, their help, and the exit status of a usage
// error (2). Each command lives in its own module.
import * as checkCommand from "./check.mjs";
import * as mergeCommand from "./merge.mjs";
import { UsageError } from "./args.mjs";
import { tools } from "./tools.mjs";

/** The commands, in the order the help lists them. */
const commands = {
  check: { summary: checkCommand.summary, help: checkCommand.help, run: checkCommand.check },
  merge: { summary: mergeCommand.summary, help: mergeCommand.help, run: mergeCommand.merge },
  // `astrolabe-segment convert PLAN [--to segment]`: a tracking plan from any format the reader
  // takes (Segment, Typewriter, RudderStack, Avo) to another. Its place is kept here for the plan
  // formats' work (src/plan/); it is not listed until it runs.
  convert: { summary: "convert a tracking plan between formats", hidden: true },
};

function overview() {
  const listed = Object.entries(commands).filter(([, command]) => !command.hidden);
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
    const command = commands[rest[0]];
    io.stdout.write(command?.run ? command.help() : overview());
    return 0;
  }
  if (name === "-v" || name === "--version") {
    io.stdout.write(`${tools.__version()}\n`);
    return 0;
  }
  const command = commands[name];
  try {
    if (!command) {
      const known = Object.keys(commands).filter((key) => !commands[key].hidden).join(", ");
      throw new UsageError(`unknown command ${JSON.stringify(name)}: the commands are ${known}`);
    }
    if (!command.run) throw new UsageError(`${name} is not in this version of astrolabe-segment yet`);
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const where = command?.run ? ` ${name}` : "";
      io.stderr.write(`astrolabe-segment${where}: ${error.message}\nRun 'astrolabe-segment${where} --help' for usage.\n`);
      return 2;
    }
    io.stderr.write(`astrolabe-segment${command ? ` ${name}` : ""}: internal error (please report it): ${error?.stack ?? error}\n`);
    return 2;
  }
}
