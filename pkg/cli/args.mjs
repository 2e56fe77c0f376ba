// The command line's options, read with node:util's parseArgs; every mistake is a UsageError
// (exit status 2) that says what to do.
import { parseArgs } from "node:util";

/** A mistake in how the command was run: printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {}

/**
 * The options and operands of `args` for a command whose options are `options` (parseArgs'
 * shape). Unknown options, missing values and values given to flags are usage errors.
 */
export function parse(command, args, options) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const option = /'([^']+)'/.exec(error.message)?.[1];
    switch (error.code) {
      case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
        throw new UsageError(`unknown option ${option ?? ""} for ${command}`.trim() + (option?.startsWith("-") ? " (a file whose name starts with - goes after --)" : ""));
      case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
        throw new UsageError(error.message.replace(/^Option /, "option "));
      default:
        throw new UsageError(error.message);
    }
  }
}

/** A whole number of at least 1 from an option's text. */
export function positiveInteger(text, name) {
  if (!/^[1-9][0-9]*$/.test(text)) throw new UsageError(`${name} takes a whole number of at least 1 (got ${JSON.stringify(text)})`);
  return Number(text);
}

/** One of `choices`. */
export function oneOf(text, choices, name) {
  if (!choices.includes(text)) throw new UsageError(`${name} takes ${choices.join(", ")} (got ${JSON.stringify(text)})`);
  return text;
}
