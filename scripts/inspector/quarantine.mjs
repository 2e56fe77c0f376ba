// The quarantine of `make serve`: the records of the messages the handler refused (the contract's
// JSON Lines, written by the library: docs/quarantine.md), appended to a file beside the history
// (target/inspector/quarantine.jsonl) through the handler's `deps.quarantine(lines)`. An append
// resolves only once the lines are in the file (written and flushed to the disk), and rejects when
// they are not, so that the handler answers 503 and the sender retries: nothing refused is lost
// without the sender knowing. Without a file (tests, `startServer` with no INSPECTOR_FILE) the
// lines are held in memory, up to `maxBytes`; past it an append fails the same way.
//
// What the Live view and GET /inspector/quarantine show of a record is its head: when, which
// route, request and index, and each error's code and path. Never the message: its values stay in
// the file, for `astrolabe-segment replay` and the export.
import { createReadStream } from "node:fs";
import { mkdir, open, truncate } from "node:fs/promises";
import path from "node:path";
import { linesOf } from "./lines.mjs";

/** Heads held for the Live view and the API (the file keeps every record). */
export const HEADS = 1_000;
const MB = 1024 * 1024;

/** What may be shown of a record: never its message, body or envelope. */
export function headOf(line, sequence) {
  let record;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (record === null || typeof record !== "object" || record.quarantine === undefined) return undefined;
  const text = (value) => (typeof value === "string" ? value.slice(0, 256) : null);
  return {
    n: sequence,
    receivedAt: text(record.receivedAt),
    route: text(record.route),
    requestId: text(record.requestId),
    index: Number.isInteger(record.index) ? record.index : null,
    errors: (Array.isArray(record.errors) ? record.errors : []).slice(0, 50).map((issue) => ({ code: text(issue?.code) ?? "?", path: text(issue?.path) ?? "" })),
    whole: record.message === undefined,
  };
}

export class Quarantine {
  /**
   * @param {object} [options]
   * @param {string} [options.file] unset: memory only
   * @param {number} [options.maxBytes] memory for the lines when there is no file
   * @param {(text: string) => void} [options.warn]
   */
  constructor({ file, maxBytes = 64 * MB, warn = (text) => console.warn(text) } = {}) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.warn = warn;
    /** Records kept (lines of the file). */
    this.total = 0;
    /** The bytes of the file known to be whole lines. */
    this.bytes = 0;
    /** The newest heads, oldest first. */
    this.heads = [];
    /** Without a file: the lines themselves. */
    this.lines = file === undefined ? [] : undefined;
    this.listeners = new Set();
    /** Appends and clears, one at a time, in the order asked. */
    this.tail = Promise.resolve();
    this.ready = file === undefined ? Promise.resolve() : this.load();
  }

  /** Reads the file back (made if missing): counts its records and keeps the newest heads. */
  async load() {
    await mkdir(path.dirname(this.file), { recursive: true });
    const handle = await open(this.file, "a+");
    try {
      const { size } = await handle.stat();
      let complete = true;
      for await (const line of linesOf(handle, 0, size)) {
        complete = line.complete;
        if (line.text === null || line.text.trim() === "") continue;
        this.total += 1;
        const head = headOf(line.text, this.total);
        if (head !== undefined) this.hold([head]);
      }
      this.bytes = size;
      if (!complete) {
        // A last line cut short (a crash): the next record starts on a line of its own.
        await handle.appendFile("\n");
        this.bytes += 1;
      }
    } finally {
      await handle.close();
    }
  }

  hold(heads) {
    this.heads.push(...heads);
    if (this.heads.length > HEADS) this.heads.splice(0, this.heads.length - HEADS);
  }

  /**
   * `deps.quarantine` of the handler: appends the records' lines; resolves once they are on the
   * disk, rejects (and leaves the file as it was) when they cannot be.
   * @param {string} lines one record a line
   */
  append(lines) {
    if (typeof lines !== "string") return Promise.reject(new TypeError("quarantine: the records come as one string of JSON Lines"));
    const records = lines.split("\n").filter((line) => line.trim() !== "");
    if (records.length === 0) return Promise.resolve();
    const text = `${records.join("\n")}\n`;
    const done = this.tail.then(() => this.write(text, records));
    this.tail = done.catch(() => {});
    return done;
  }

  async write(text, records) {
    const size = Buffer.byteLength(text);
    if (this.file === undefined) {
      if (this.bytes + size > this.maxBytes) {
        throw new Error(`the quarantine held in memory is full (${Math.round(this.maxBytes / MB)} MB); export it and clear it`);
      }
      this.lines.push(...records);
    } else {
      const handle = await open(this.file, "a");
      try {
        try {
          await handle.appendFile(text);
          await handle.datasync();
        } catch (error) {
          // What went in before the failure goes: the file holds whole records only.
          await handle.truncate(this.bytes).catch(() => {});
          throw error;
        }
      } finally {
        await handle.close().catch(() => {});
      }
    }
    this.bytes += size;
    const heads = [];
    for (const line of records) {
      this.total += 1;
      const head = headOf(line, this.total);
      if (head !== undefined) heads.push(head);
    }
    this.hold(heads);
    this.notify({ kind: "added", heads });
  }

  /** `{ total, records }`: the newest `limit` heads, newest first. */
  summary(limit = 100) {
    return { total: this.total, records: this.heads.slice(-Math.max(0, limit)).reverse() };
  }

  /** The records as written, oldest first, in chunks (the file streamed as it is now). */
  async *jsonLines() {
    if (this.file === undefined) {
      let chunk = "";
      for (const line of this.lines.slice()) {
        chunk += `${line}\n`;
        if (chunk.length >= 256 * 1024) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk !== "") yield chunk;
      return;
    }
    await this.tail;
    if (this.bytes === 0) return;
    // Up to what is known to be whole lines: an append under way is not half-read.
    yield* createReadStream(this.file, { start: 0, end: this.bytes - 1 });
  }

  /** Forgets every record (after a replay). */
  clear() {
    const done = this.tail.then(async () => {
      if (this.file !== undefined) await truncate(this.file, 0);
      else this.lines = [];
      this.total = 0;
      this.bytes = 0;
      this.heads = [];
      this.notify({ kind: "cleared" });
    });
    this.tail = done.catch(() => {});
    return done;
  }

  /** Resolves once every append asked so far is done. */
  async close() {
    await this.tail;
  }

  notify(change) {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.warn(`inspector: a quarantine listener failed (${error.message})`);
      }
    }
  }

  /** Calls `listener({ kind: "added", heads } | { kind: "cleared" })`; returns the unsubscribe. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The quarantine's file beside the history's: `dir/quarantine.jsonl`. */
export function quarantineFileBeside(historyFile) {
  return path.join(path.dirname(historyFile), "quarantine.jsonl");
}
