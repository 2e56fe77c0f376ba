// One input (a file, or standard input) read as it streams (source.mjs: un-gzipped when it is
// gzip) into the pool's buffers, its framing asked of the rules (detectFraming: lines or a
// pretty-printed document), and sent to the workers. Lines go a buffer at a time, cut after the
// last newline, each piece with the number of its first line, to whichever worker is free: one
// large stream (1 GB on standard input) is checked on every core. A document goes to one worker,
// in order, and so does a line longer than a buffer. Input that breaks off (a truncated gzip, a
// read error) is reported with the line it stopped at; what came before is read. `check` and
// `infer` read alike: `main` is the main thread's Checker or Inferrer.
import { BUFFER_BYTES } from "./pool.mjs";
import { InputError, openSource } from "./source.mjs";
import { tools } from "./tools.mjs";

const NEWLINE = 0x0a;

/**
 * Reads one input into the pool's workers; problems go to `main` (the main thread's Checker).
 * @param {{ path: string, display: string }} input `path` "-" is standard input
 */
export async function readInput(input, { pool, main, stats, stdin }) {
  main.countFile();
  stats.files += 1;
  const sender = new Sender(pool, input.display, stats);
  let source;
  try {
    source = await openSource(input.path, stdin);
    await sender.run(source);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    main.problem(input.display, sender.stop(), error.problem, error.message);
  } finally {
    await source?.close();
  }
}

/**
 * Reads every input `inputs` yields (inputs.mjs), `readers` at once, so that many small files keep
 * every worker busy; `context` is readInput's.
 */
export async function readInputs(inputs, readers, context) {
  await Promise.all(
    Array.from({ length: readers }, async () => {
      for (let next = await inputs.next(); !next.done; next = await inputs.next()) await readInput(next.value, context);
    }),
  );
}

/** Newlines in `bytes`. */
function newlines(bytes) {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count += 1;
  return count;
}

/** Sends one input's bytes to the workers as its framing asks. */
class Sender {
  constructor(pool, file, stats) {
    this.pool = pool;
    this.file = file;
    this.stats = stats;
    this.framing = undefined;
    /** The line of the buffer's first byte. */
    this.line = 1;
    this.buffer = undefined;
    this.filled = 0;
    /** A document, or a line longer than a buffer, being streamed to one worker. */
    this.stream = undefined;
  }

  async run(source) {
    this.buffer = await this.pool.buffer();
    for (;;) {
      const read = await source.readInto(this.buffer, this.filled);
      this.stats.read += read;
      this.filled += read;
      if (this.framing === undefined) {
        this.framing = tools.detectFraming(this.buffer.subarray(0, this.filled), read === 0);
        if (this.framing === "document") this.stream = this.pool.open(this.file, "document", 1);
      }
      if (read === 0) return this.end();
      if (this.filled === this.buffer.length) await this.send();
    }
  }

  /** The buffer is full: sends what it holds. */
  async send() {
    const full = this.buffer;
    if (this.framing === "document" || (this.stream && full.indexOf(NEWLINE) === -1)) {
      this.line += newlines(full);
      this.buffer = await this.pool.buffer();
      this.filled = 0;
      this.pool.feed(this.stream, full);
      return;
    }
    if (this.stream) {
      // The end of a long line: to the worker reading it; the rest stays.
      const end = full.indexOf(NEWLINE) + 1;
      await this.keepFrom(end);
      this.pool.feed(this.stream, full.subarray(0, end));
      this.pool.close(this.stream, false);
      this.stream = undefined;
      this.line += 1;
      return;
    }
    const end = full.lastIndexOf(NEWLINE) + 1;
    if (end === 0) {
      // No line ends in a whole buffer: it is streamed to one worker until it does.
      this.stream = this.pool.open(this.file, "lines", this.line);
      this.buffer = await this.pool.buffer();
      this.filled = 0;
      this.pool.feed(this.stream, full);
      return;
    }
    const line = this.line;
    const lines = full.subarray(0, end);
    this.line += newlines(lines);
    await this.keepFrom(end);
    this.pool.check(this.file, line, lines);
  }

  /** Takes a new buffer, starting with what the current one holds from `start` on. */
  async keepFrom(start) {
    const old = this.buffer;
    this.buffer = await this.pool.buffer();
    this.buffer.set(old.subarray(start, this.filled));
    this.filled -= start;
  }

  /** The input is over: sends what is left. */
  end() {
    const rest = this.buffer.subarray(0, this.filled);
    if (this.filled === 0) this.pool.release(this.buffer);
    else if (this.stream) this.pool.feed(this.stream, rest);
    else this.pool.check(this.file, this.line, rest);
    if (this.stream) this.pool.close(this.stream, false);
    this.buffer = undefined;
    this.stream = undefined;
  }

  /**
   * The input broke off: sends the whole lines (or the document so far), drops the line cut
   * short; gives the line it stopped at (undefined when nothing was read).
   */
  stop() {
    if (!this.buffer) return undefined;
    const held = this.buffer.subarray(0, this.filled);
    this.framing ??= tools.detectFraming(held, true);
    if (this.framing === "document") this.stream ??= this.pool.open(this.file, "document", 1);
    // A document's bytes so far all go (its last value is dropped when the stream closes
    // truncated); of lines, the whole ones (none when a long line was being read).
    const sent = this.framing === "document" ? this.filled : this.stream ? 0 : held.lastIndexOf(NEWLINE) + 1;
    const line = this.line;
    this.line += newlines(held.subarray(0, sent));
    if (sent === 0) this.pool.release(this.buffer);
    else if (this.stream) this.pool.feed(this.stream, held.subarray(0, sent));
    else this.pool.check(this.file, line, held.subarray(0, sent));
    if (this.stream) this.pool.close(this.stream, true);
    this.buffer = undefined;
    this.stream = undefined;
    return this.line;
  }
}
