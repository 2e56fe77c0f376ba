// The worker threads of `check` and `infer` (worker.mjs), each with its own Checker or Inferrer,
// and the buffers the input is read into. A fixed set of buffers goes round: filled by a reader,
// given to a worker (transferred, not copied), given back when it is read. A reader that finds
// none free waits, so memory stays flat, and nothing is left for the collector however long the
// run. Pieces of lines go to the worker with the fewest waiting; a stream that must be read in
// order (a pretty-printed document, a very long line) goes to one worker. Each worker's report
// comes back once, at the end; reports add up whatever the split (src/check/report.rs; an
// inference, src/check/infer/inference.rs).
import { Worker } from "node:worker_threads";

const WORKER = new URL("./worker.mjs", import.meta.url);

/** The size of a buffer: how many bytes of lines go to a worker at once. */
export const BUFFER_BYTES = 1 << 20;

export class Pool {
  /**
   * @param {number} count worker threads
   * @param {number} readers inputs read at once (each holds a buffer while it fills it)
   * @param {{ command?: "check", config?: string, plan?: string, strict: boolean } | { command: "infer", enumMax?: number } | { command: "diff", replay: { old: string, new: string } }} settings
   *   each worker's (its workerData): what it reads with (a Checker, an Inferrer, or the two plans' texts of a Replayer)
   */
  constructor(count, readers, settings) {
    this.failure = undefined;
    this.waiting = [];
    this.streams = 0;
    this.free = Array.from({ length: 2 * count + readers + 1 }, () => new Uint8Array(BUFFER_BYTES));
    this.workers = [];
    for (let at = 0; at < count; at += 1) this.workers.push(this.spawn(settings));
  }

  spawn(settings) {
    const entry = { worker: new Worker(WORKER, { workerData: settings }), waiting: 0, seen: 0, report: undefined };
    entry.worker.on("message", (message) => {
      if (message.kind === "done") {
        entry.waiting -= 1;
        entry.seen = message.seen;
        this.free.push(new Uint8Array(message.buffer));
        this.wake();
      } else if (message.kind === "report") {
        entry.report?.resolve(message.report);
      }
    });
    entry.worker.on("error", (error) => this.fail(error));
    entry.worker.on("exit", (code) => {
      if (!this.stopped) this.fail(new Error(`a worker thread stopped (exit code ${code})`));
    });
    return entry;
  }

  fail(error) {
    this.failure ??= error;
    for (const entry of this.workers) entry.report?.reject(this.failure);
    this.wake();
  }

  wake() {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resume of waiting) resume();
  }

  /** A free buffer (BUFFER_BYTES long), once one is. */
  async buffer() {
    for (;;) {
      if (this.failure) throw this.failure;
      const buffer = this.free.pop();
      if (buffer) return buffer;
      await new Promise((resume) => this.waiting.push(resume));
    }
  }

  /** Gives back a buffer that was not sent. */
  release(buffer) {
    this.free.push(buffer);
    this.wake();
  }

  idlest() {
    return this.workers.reduce((a, b) => (b.waiting < a.waiting ? b : a));
  }

  /** Sends `bytes` (a view from the start of a pool buffer, which goes with it) to `entry`. */
  send(entry, message, bytes) {
    if (this.failure) throw this.failure;
    entry.waiting += 1;
    entry.worker.postMessage({ ...message, bytes }, [bytes.buffer]);
  }

  /** Whole lines of `file` from `line` on, to the worker with the fewest waiting. */
  check(file, line, bytes) {
    this.send(this.idlest(), { kind: "check", file, framing: "lines", line }, bytes);
  }

  /** A stream of `file` read in order by one worker, from `line` on: `feed` it, then `close` it. */
  open(file, framing, line) {
    const entry = this.idlest();
    const stream = (this.streams += 1);
    entry.worker.postMessage({ kind: "open", stream, file, framing, line });
    return { entry, stream };
  }

  /** The stream's next piece (a view from the start of a pool buffer, which goes with it). */
  feed(handle, bytes) {
    this.send(handle.entry, { kind: "feed", stream: handle.stream }, bytes);
  }

  /** The stream is over (`truncated`: cut short, its last value dropped). */
  close(handle, truncated) {
    handle.entry.worker.postMessage({ kind: "close", stream: handle.stream, truncated });
  }

  /** Messages (and unreadable values) checked so far. */
  seen() {
    return this.workers.reduce((sum, entry) => sum + entry.seen, 0);
  }

  /** Every worker's report (JSON texts: a check's report, or an inference), once all is read. */
  finish() {
    return Promise.all(
      this.workers.map((entry) => new Promise((resolve, reject) => {
        if (this.failure) return reject(this.failure);
        entry.report = { resolve, reject };
        entry.worker.postMessage({ kind: "finish" });
      })),
    );
  }

  /** Stops every worker. */
  async stop() {
    this.stopped = true;
    await Promise.all(this.workers.map((entry) => entry.worker.terminate()));
  }
}
