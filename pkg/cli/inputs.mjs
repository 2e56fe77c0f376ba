// The inputs of a run: the operands in the order given (`-` is standard input), a directory read
// recursively in name order (the files the rules want: wantedInDirectory; hidden entries and
// symbolic links to directories left out), and with --shard only the files whose path hashes to
// this shard. Files are found as they are read, never listed whole, so an archive of any size
// costs no memory to walk.
import { readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./args.mjs";
import { describe } from "./source.mjs";
import { tools } from "./tools.mjs";

/** What each command does with its inputs, in its usage errors: with none, and with one missing. */
const WORDS = {
  check: { none: "check", missing: "check", example: "astrolabe-segment check events.ndjson" },
  infer: { none: "infer a plan from", missing: "read", example: "astrolabe-segment infer events.ndjson" },
  diff: { none: "replay", missing: "read --traffic", example: "astrolabe-segment diff old.json new.json --traffic events.ndjson" },
};

/**
 * The operands, checked: each exists (or is `-`). With none, standard input when it is not a
 * terminal. Repeated operands are read once. `command` (check, infer, diff) words the usage
 * errors (`cannot check x.ndjson: ...`).
 * @returns {Promise<{ path: string, directory: boolean }[]>}
 */
export async function operandsOf(positionals, { stdinIsTTY, shard, command = "check" }) {
  const words = WORDS[command];
  const given = positionals.length > 0 ? [...new Set(positionals)] : stdinIsTTY ? [] : ["-"];
  if (given.length === 0) {
    throw new UsageError(`no input: name files or directories to ${words.none}, or - for standard input (such as: ${words.example})`);
  }
  const operands = [];
  for (const operand of given) {
    if (operand === "-") {
      if (shard) throw new UsageError("--shard splits files between machines; standard input (-) cannot be split: name the files");
      operands.push({ path: "-", directory: false });
      continue;
    }
    let info;
    try {
      info = await stat(operand);
    } catch (error) {
      const why = error.code === "ENOENT" ? "no such file or directory" : describe(error);
      throw new UsageError(`cannot ${words.missing} ${operand}: ${why}`);
    }
    operands.push({ path: operand, directory: info.isDirectory() });
  }
  return operands;
}

/**
 * Every file to read, in order: `{ path, display }` (`display` is the path as the report names it).
 * A directory that cannot be read goes to `problem(path, detail)`.
 */
export async function* inputsOf(operands, { shard, problem }) {
  const takes = (file) => !shard || tools.shardTakes(shard[0], shard[1], file);
  for (const operand of operands) {
    if (!operand.directory) {
      if (operand.path === "-" || takes(operand.path)) yield { path: operand.path, display: operand.path };
      continue;
    }
    for await (const file of walk(path.normalize(operand.path), problem)) {
      if (takes(file)) yield { path: file, display: file };
    }
  }
}

async function* walk(directory, problem) {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    problem(directory, describe(error));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      yield* walk(full, problem);
    } else if (tools.wantedInDirectory(entry.name)) {
      // A symbolic link is followed to a file (a broken one is reported when it is read), never
      // to a directory, which could lead back up the tree.
      const file = entry.isFile() || (entry.isSymbolicLink() && !(await stat(full).catch(() => undefined))?.isDirectory());
      if (file) yield full;
    }
  }
}

/** The whole text of a file operand, such as a plan (`-` is standard input); a usage error says why it cannot be read. */
export async function textOf(file, stdin) {
  try {
    if (file !== "-") return readFileSync(file, "utf8");
    const chunks = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks).toString("utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  }
}
