// The inspector's file: JSON Lines appended in arrival order, read back at start, and rewritten
// without the lines nobody keeps any more. Everything here is asynchronous and goes one operation
// at a time (appends, compactions, clearing) in the order asked, so the server answers while the
// file is written.
//
// Offsets are logical: a line keeps its offset for good, and the file in use starts at some
// logical offset (what compactions cut off before it). A compaction copies the kept tail, a chunk
// at a time, to a new file renamed over the old one: readers that began before go on reading the
// old file (their lease keeps it open). Nothing holds, or reads, the whole file as one string.
//
// A write that fails is reported once, with what to do, and tried again after 1 s, 2 s, 4 s, ...
// (at most a minute apart), never once per message; what is not written yet stays in memory.
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { linesOf } from "./lines.mjs";

/** At most this much text is appended at once. */
const WRITE_AT_ONCE = 4 << 20;
const COPY_CHUNK = 1 << 20;

export class Journal {
  /**
   * @param {string} file
   * @param {object} options
   * @param {(text: string) => void} options.warn
   * @param {() => void} [options.written] called after each append (the store evicts then)
   * @param {number} [options.retryMs] the first wait after a failure; doubles each time
   * @param {number} [options.maxRetryMs]
   */
  constructor(file, { warn, written = () => {}, retryMs = 1_000, maxRetryMs = 60_000 }) {
    this.file = file;
    this.warn = warn;
    this.written = written;
    this.retryMs = retryMs;
    this.maxRetryMs = maxRetryMs;
    /** The file in use: `{ handle, start, readers, retired }` (`start`: its first byte's logical offset); null until opened. */
    this.current = null;
    /** The logical offset just past the last line written. */
    this.end = 0;
    /** Items `{ line, size, offset, dropped }` waiting to be appended, oldest first (`size`: the line's bytes with its newline). */
    this.pending = [];
    /** Rewrites waiting their turn: `{ operation, after }`, after `after` more pending items. */
    this.operations = [];
    this.running = false;
    /** The last append may have left part of its text in the file. */
    this.dirty = false;
    /** Set while failing: `{ delay, timer }`. */
    this.failing = null;
    this.closed = false;
    /** close() is writing what waits, once. */
    this.closing = false;
    this.idleWaiters = [];
    this.quietWaiters = [];
    this.compacting = false;
    this.compactFailing = false;
    this.compactDelay = 0;
    /** No compaction before this time (ms since the epoch), after one failed. */
    this.compactAfter = 0;
  }

  /**
   * Opens the file (made if missing) and gives each of its lines to `onLine({ text, offset,
   * length, complete })`, in order. A last line cut short gets its newline, so appends start on
   * a line of their own.
   */
  async load(onLine) {
    try {
      await this.openCurrent();
    } catch (error) {
      this.warn(`inspector: cannot read ${this.file} (${error.message}); starting empty`);
      return;
    }
    const { size } = await this.current.handle.stat();
    this.current.start = 0;
    this.end = size;
    let complete = true;
    try {
      for await (const line of linesOf(this.current.handle, 0, size)) {
        complete = line.complete;
        onLine(line);
      }
    } catch (error) {
      this.warn(`inspector: cannot read all of ${this.file} (${error.message}); what was read is kept`);
    }
    if (!complete) {
      try {
        await this.current.handle.appendFile("\n");
        this.end += 1;
      } catch (error) {
        this.warn(`inspector: cannot write ${this.file} (${error.message})`);
      }
    }
  }

  /** Opens the file at `this.file` for reading and appending; its end is taken as our logical end. */
  async openCurrent() {
    await mkdir(path.dirname(this.file), { recursive: true });
    const handle = await open(this.file, "a+");
    try {
      const { size } = await handle.stat();
      this.current = { handle, start: this.end - size, readers: 0, retired: false };
    } catch (error) {
      await handle.close().catch(() => {});
      throw error;
    }
  }

  /** Appends `item.line` and a newline in its turn; then sets `item.offset`. */
  append(item) {
    this.pending.push(item);
    this.kick();
  }

  /**
   * Copies the lines from logical offset `from` on to a new file, renamed over the old one. One
   * that fails is reported once and tried again later (the file grows meanwhile): appends go on.
   */
  compact(from) {
    if (!this.canCompact) return;
    this.compacting = true;
    this.enqueue(async () => {
      try {
        await this.rewrite(from);
      } catch (error) {
        this.compactDelay = Math.min(Math.max(this.retryMs, this.compactDelay * 2), this.maxRetryMs);
        this.compactAfter = Date.now() + this.compactDelay;
        if (!this.compactFailing) {
          this.compactFailing = true;
          this.warn(
            `inspector: cannot rewrite ${this.file} without the messages no longer kept (${error.message}); it grows ` +
              `meanwhile. Trying again in ${seconds(this.compactDelay)}, then less and less often.`,
          );
        }
        return;
      } finally {
        this.compacting = false;
      }
      this.compactDelay = 0;
      this.compactAfter = 0;
      if (this.compactFailing) {
        this.compactFailing = false;
        this.warn(`inspector: ${this.file} is rewritten again.`);
      }
    });
  }

  /** False while a compaction waits or runs, after one failed (until its wait is over), and while writes fail. */
  get canCompact() {
    return !this.compacting && this.failing === null && Date.now() >= this.compactAfter;
  }

  /** Empties the file (a new empty file renamed over it: readers of the old one are unharmed). */
  clear() {
    this.enqueue(() => this.rewrite(Infinity));
  }

  /** Queues `operation` after the appends asked before it. */
  enqueue(operation) {
    this.operations.push({ operation, after: this.pending.length });
    this.kick();
  }

  /** True when nothing waits to be written. */
  get settled() {
    return !this.running && this.pending.length === 0 && this.operations.length === 0;
  }

  /** Resolves once everything asked so far is written (after any failure has been overcome). */
  idle() {
    if (this.settled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  kick() {
    if (this.running || this.failing || this.closed) return;
    this.running = true;
    setImmediate(() => this.run());
  }

  async run() {
    for (;;) {
      const next = this.operations[0];
      try {
        if (next !== undefined && next.after === 0) {
          await next.operation();
          this.operations.shift();
        } else if (this.pending.length > 0) {
          await this.writePending(next?.after ?? this.pending.length);
        } else {
          break;
        }
      } catch (error) {
        this.fail(error);
        break;
      }
      if (this.failing) this.recovered();
    }
    this.running = false;
    for (const resolve of this.quietWaiters.splice(0)) resolve();
    if (this.settled) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Appends up to `most` of the pending lines (fewer past WRITE_AT_ONCE bytes). */
  async writePending(most) {
    let count = 0;
    let bytes = 0;
    while (count < most && (count === 0 || bytes < WRITE_AT_ONCE)) bytes += this.pending[count++].size;
    const batch = this.pending.slice(0, count).filter((item) => !item.dropped);
    if (batch.length > 0) {
      if (this.current === null) await this.openCurrent();
      const { handle, start } = this.current;
      // An append that failed half-way may have left its first part: it goes.
      if (this.dirty) await handle.truncate(this.end - start);
      this.dirty = true;
      await handle.appendFile(batch.map((item) => item.line).join("\n") + "\n");
      this.dirty = false;
      for (const item of batch) {
        item.offset = this.end;
        this.end += item.size;
      }
    }
    this.pending.splice(0, count);
    for (const queued of this.operations) queued.after = Math.max(0, queued.after - count);
    if (batch.length > 0) this.written();
  }

  /** The rewrite of a compaction (`from` a logical offset) or a clear (`from` Infinity). */
  async rewrite(from) {
    if (this.current === null) await this.openCurrent();
    const old = this.current;
    const first = Math.min(Math.max(from, old.start), this.end);
    if (first === old.start && from !== Infinity) return; // nothing to cut
    const temporary = `${this.file}.${process.pid}.tmp`;
    await rm(temporary, { force: true });
    const fresh = await open(temporary, "a+");
    try {
      const buffer = Buffer.allocUnsafe(COPY_CHUNK);
      for (let at = first - old.start; at < this.end - old.start; ) {
        const { bytesRead } = await old.handle.read(buffer, 0, Math.min(COPY_CHUNK, this.end - old.start - at), at);
        if (bytesRead === 0) throw new Error("the file is shorter than what was written to it");
        await fresh.write(buffer, 0, bytesRead);
        at += bytesRead;
      }
      await rename(temporary, this.file);
    } catch (error) {
      await fresh.close().catch(() => {});
      await rm(temporary, { force: true }).catch(() => {});
      throw error;
    }
    this.current = { handle: fresh, start: first, readers: 0, retired: false };
    this.dirty = false;
    this.retire(old);
  }

  retire(file) {
    file.retired = true;
    if (file.readers === 0) file.handle.close().catch(() => {});
  }

  /**
   * A way to read lines by their logical offsets, valid for every line written so far whatever
   * compactions happen meanwhile: `read(offset, size)` gives the line's text. `release()` when done.
   */
  lease() {
    const file = this.current;
    if (file === null) return { read: () => Promise.reject(new Error(`${this.file} is not open`)), release() {} };
    file.readers += 1;
    let released = false;
    return {
      read: async (offset, size) => {
        const buffer = Buffer.allocUnsafe(size);
        const { bytesRead } = await file.handle.read(buffer, 0, size, offset - file.start);
        return buffer.toString("utf8", 0, Math.max(0, bytesRead - 1));
      },
      release: () => {
        if (released) return;
        released = true;
        file.readers -= 1;
        if (file.retired && file.readers === 0) file.handle.close().catch(() => {});
      },
    };
  }

  fail(error) {
    if (this.failing === null) {
      this.failing = { delay: this.retryMs, timer: null };
      this.warn(
        `inspector: cannot write ${this.file} (${error.message}). New messages are kept in memory only until it can ` +
          "be written, and past INSPECTOR_MAX_BYTES the oldest of those are lost: free some disk space, make its folder " +
          `writable, or set INSPECTOR_FILE to another file. Trying again in ${seconds(this.retryMs)}, then less and less ` +
          `often (every ${seconds(this.maxRetryMs)} at most).`,
      );
    } else {
      this.failing.delay = Math.min(this.failing.delay * 2, this.maxRetryMs);
    }
    if (this.closing) return;
    this.failing.timer = setTimeout(() => {
      this.failing.timer = null;
      if (this.closed || this.running) return;
      this.running = true;
      this.run();
    }, this.failing.delay);
  }

  recovered() {
    if (this.failing.timer) clearTimeout(this.failing.timer);
    this.failing = null;
    this.warn(`inspector: ${this.file} is written again.`);
  }

  /** Writes what waits (one more try when failing), then closes the file. */
  async close() {
    if (this.closed || this.closing) return;
    this.closing = true;
    if (this.failing?.timer) clearTimeout(this.failing.timer);
    if (!this.running && (this.pending.length > 0 || this.operations.length > 0)) {
      this.running = true;
      setImmediate(() => this.run());
    }
    if (this.running) await new Promise((resolve) => this.quietWaiters.push(resolve));
    this.closed = true;
    if (this.current) {
      const file = this.current;
      this.current = null;
      this.retire(file);
    }
  }
}

function seconds(ms) {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
