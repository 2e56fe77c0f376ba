// One run over the inputs, as check, infer and diff --traffic make it: worker threads (pool.mjs),
// each a reader of the command's (a Checker, an Inferrer, a Replayer), fed by a few files read at
// once (read.mjs), a progress line on standard error, and the workers' reports at the end.
import { inputsOf } from "./inputs.mjs";
import { Pool } from "./pool.mjs";
import { bytes, Progress } from "./progress.mjs";
import { readInputs } from "./read.mjs";

/** Whether to show the progress line: --progress, --no-progress, else when standard error is a terminal. */
export function progressWanted(values, io) {
  return values["no-progress"] ? false : (values.progress ?? Boolean(io.stderr.isTTY));
}

/**
 * Reads every operand with `threads` workers, each made from `settings` (pool.mjs): the workers'
 * reports, in a stable order. `main`, the command's reader in this thread, counts the files and
 * what cannot be read. `what` names the messages in the progress line ("messages replayed").
 */
export async function readAll(operands, { command, settings, threads, main, io, shard, showProgress, what = "messages" }) {
  // A few files read at once, so that many small files keep every worker busy.
  const readers = Math.max(2, threads);
  const pool = new Pool(threads, readers, settings);
  const stats = { files: 0, read: 0, started: Date.now() };
  const progress = new Progress(io.stderr, showProgress, () => {
    const seconds = (Date.now() - stats.started) / 1000;
    const seen = pool.seen();
    return `astrolabe-segment ${command}: ${stats.files} file${stats.files === 1 ? "" : "s"}, ${bytes(stats.read)} read, ${seen.toLocaleString("en-US")} ${what} (${Math.round(seen / Math.max(seconds, 0.001)).toLocaleString("en-US")}/s)`;
  });
  try {
    const inputs = inputsOf(operands, { shard, problem: (directory, detail) => main.problem(directory, undefined, "unreadable_file", detail) });
    await readInputs(inputs, readers, { pool, main, stats, stdin: io.stdin });
    return await pool.finish();
  } finally {
    progress.stop();
    await pool.stop();
  }
}
