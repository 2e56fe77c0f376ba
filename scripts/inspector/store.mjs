// The inspector's history: the last `limit` received messages, the oldest dropped (and counted).
// The newest are held in memory, at most `maxBytes` of them, as the text the file keeps (one
// string each: a parsed message of many small values takes three or four times its text); the
// older ones only in the file, up to `fileMaxBytes`. Each message is kept once (./stored.mjs): an
// operation's traits or properties are the message's own. Filters and counts read a small head
// of each message; a record is read (parsed, or read from the file) only to be answered, or for a
// `text` filter.
//
// The file (./journal.mjs) is appended to in arrival order, read back at start, so a restart keeps
// the history, and rewritten without what nobody keeps any more once that is as large as what is
// kept. All of it asynchronous and a chunk or a line at a time: the server answers while the file
// is written, and no step holds the file as one string, whatever its size.
import { performance } from "node:perf_hooks";
import { codesOf, matches, STATUSES } from "../../www/live-filter.js";
import { Journal } from "./journal.mjs";
import { lineOf, recordOf, share } from "./stored.mjs";

const MB = 1024 * 1024;
export const DEFAULT_LIMIT = 10_000;
/** Memory for kept messages: with 30 KB messages about 2,000 of them, and the server under 400 MB. */
export const DEFAULT_MAX_BYTES = 64 * MB;
export const DEFAULT_FILE_MAX_BYTES = 1024 * MB;
/** What GET /inspector/events returns when no limit is asked for. */
export const DEFAULT_PAGE = 100;
/** Longer ids and event names are not kept beside a record that is only in the file (filters read it). */
const FIELD_LIMIT = 256;

/** INSPECTOR_LIMIT as a positive integer, or the default. */
export function limitFrom(value) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_LIMIT;
}

/** A size setting (`1048576`, `64M`, `64MB`, `1.5G`, `512k`) in bytes, or `fallback`. */
export function bytesFrom(value, fallback) {
  const found = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmg])i?b?)?\s*$/i.exec(String(value ?? ""));
  if (!found) return fallback;
  const bytes = Math.floor(Number(found[1]) * 1024 ** (found[2] ? "kmg".indexOf(found[2].toLowerCase()) + 1 : 0));
  return bytes > 0 ? bytes : fallback;
}

const isObject = (value) => value !== null && typeof value === "object";

/** Work done at once before the event loop gets a turn (queries and the export read on). */
const SLICE_MS = 10;
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * What the filters and the counts read of a record: matches() gives the same answer on it as on
 * the record for every filter but `text` (and, for a long id or event name, `partial`, those fields).
 */
function headOf(record) {
  const message = isObject(record.message) ? record.message : {};
  const fields = {};
  let partial = false;
  for (const key of ["event", "messageId", "userId"]) {
    const value = message[key];
    if (value === undefined || value === null) continue;
    let text;
    try {
      text = String(value);
    } catch {
      text = undefined;
    }
    if (text === undefined || text.length > FIELD_LIMIT) partial = true;
    else fields[key] = text;
  }
  const outcome = { status: record.outcome?.status, errors: codesOf(record.outcome).map((code) => ({ code })) };
  return { receivedAt: record.receivedAt, route: record.route, type: record.type, message: fields, outcome, partial };
}

export class Store {
  /**
   * @param {object} [options]
   * @param {number} [options.limit] messages kept
   * @param {number} [options.maxBytes] memory for them (the newest); the rest is read from the file
   * @param {number} [options.fileMaxBytes] the file's bound (past it, the oldest are dropped)
   * @param {string} [options.file] unset: memory only (then `maxBytes` bounds what is kept)
   * @param {(text: string) => void} [options.warn]
   * @param {number} [options.retryMs] the first wait after a failed write (doubles, at most `maxRetryMs`)
   */
  constructor({
    limit = DEFAULT_LIMIT,
    maxBytes = DEFAULT_MAX_BYTES,
    fileMaxBytes = DEFAULT_FILE_MAX_BYTES,
    file,
    warn = (text) => console.warn(text),
    retryMs,
    maxRetryMs,
  } = {}) {
    this.limit = limit;
    this.maxBytes = maxBytes;
    this.fileMaxBytes = fileMaxBytes;
    this.file = file;
    this.warn = (text) => warn(text);
    // The history, oldest first: what is only in the file, then what is in memory too.
    this.disk = new Queue();
    this.memory = new Queue();
    this.memoryBytes = 0;
    /** The bytes of every kept message as the file keeps them. */
    this.historyBytes = 0;
    this.dropped = 0;
    this.nextId = 1;
    this.listeners = new Set();
    this.resetCounts();
    this.journal = file
      ? new Journal(file, { warn: (text) => this.warn(text), written: () => this.settle(), retryMs, maxRetryMs })
      : null;
    /** Resolves once the file has been read back. */
    this.ready = this.journal ? this.load() : Promise.resolve();
  }

  /** Messages kept. */
  get total() {
    return this.disk.length + this.memory.length;
  }

  async load() {
    let unreadable = 0;
    await this.journal.load(({ text, offset, length }) => {
      const record = text === null ? undefined : recordOf(text);
      if (record === undefined) {
        if (text === null || text.trim() !== "") unreadable += 1;
        return;
      }
      // A line of the history: written, so it can leave memory at once.
      const entry = { id: record.id, size: length, offset, line: text, head: headOf(record), dropped: false };
      this.keep(entry);
      this.nextId = Math.max(this.nextId, record.id + 1);
      this.trim();
      this.evict();
    });
    if (unreadable > 0) this.warn(`inspector: skipped ${unreadable} unreadable line${unreadable === 1 ? "" : "s"} of ${this.file} (cut short by a crash?)`);
    this.compactIfDue();
  }

  keep(entry) {
    this.memory.push(entry);
    this.memoryBytes += entry.size;
    this.historyBytes += entry.size;
    this.count(entry.head, 1);
  }

  /** Drops the oldest beyond the limit (or past the file's bound), counting them. */
  trim() {
    while (this.total > this.limit || (this.journal !== null && this.historyBytes > this.fileMaxBytes && this.total > 1)) {
      const entry = this.disk.length > 0 ? this.disk.shift() : this.memory.shift();
      this.forget(entry);
    }
  }

  forget(entry) {
    if (entry.line !== undefined) this.memoryBytes -= entry.size;
    entry.line = undefined;
    entry.dropped = true;
    this.historyBytes -= entry.size;
    this.count(entry.head, -1);
    this.dropped += 1;
  }

  /**
   * Leaves in memory what fits `maxBytes`, the newest: the older are in the file only. One not
   * written yet waits for its write, or, while the file cannot be written, is lost (and counted).
   */
  evict() {
    while (this.memoryBytes > this.maxBytes && this.memory.length > 1) {
      const entry = this.memory.first;
      if (this.journal !== null && entry.offset < 0 && !this.journal.failing) break;
      this.memory.shift();
      if (this.journal === null || entry.offset < 0) {
        this.forget(entry);
        continue;
      }
      entry.line = undefined;
      this.memoryBytes -= entry.size;
      this.disk.push(entry);
    }
  }

  /** After each write: what waited for it leaves memory, and the file is compacted when due. */
  settle() {
    this.evict();
    this.compactIfDue();
  }

  /** Compacts once what is dropped takes as much of the file as what is kept. */
  compactIfDue() {
    const journal = this.journal;
    if (journal === null || journal.current === null || !journal.canCompact) return;
    let first = this.disk.first;
    if (first === undefined) {
      for (const entry of this.memory) {
        if (entry.offset >= 0) first = entry;
        break; // written in order: if the oldest in memory is not written, none is
      }
    }
    const from = first?.offset ?? journal.end;
    const dead = from - journal.current.start;
    if (dead > 0 && dead >= journal.end - from) journal.compact(from);
  }

  // Counts per status and code, kept up to date as messages come and go, so that a summary costs
  // nothing however many messages are kept (the Live view gets one with every arrival).
  resetCounts() {
    this.byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0]));
    this.byCode = new Map();
  }

  count(head, delta) {
    const status = head.outcome.status;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + delta;
    for (const code of codesOf(head.outcome)) {
      const n = (this.byCode.get(code) ?? 0) + delta;
      if (n === 0) this.byCode.delete(code);
      else this.byCode.set(code, n);
    }
  }

  /** Numbers and keeps `records`; returns them as stored. */
  add(records) {
    if (records.length === 0) return [];
    const added = records.map((record) => share({ id: this.nextId++, ...record }));
    for (const record of added) {
      const line = lineOf(record);
      const entry = { id: record.id, size: Buffer.byteLength(line) + 1, offset: -1, line, head: headOf(record), dropped: false };
      this.keep(entry);
      if (this.journal !== null) this.journal.append(entry);
    }
    this.trim();
    this.evict();
    this.notify({ kind: "added", events: added });
    return added;
  }

  /** Every kept message, oldest first, each with its line when in memory, and a lease to read the others. */
  snapshot() {
    const entries = [];
    for (const entry of this.disk) entries.push([entry, undefined]);
    for (const entry of this.memory) entries.push([entry, entry.line]);
    const lease = this.disk.length > 0 ? this.journal.lease() : null;
    return { entries, lease };
  }

  /** The record of a snapshot's entry: its line parsed, or read from the file. */
  async recordOf(lease, entry, line) {
    if (line !== undefined) return recordOf(line);
    try {
      return recordOf(await lease.read(entry.offset, entry.size));
    } catch (error) {
      this.warn(`inspector: cannot read message ${entry.id} from ${this.file} (${error.message})`);
      return undefined;
    }
  }

  /** `{ total, dropped, matched, events }`, newest first; `filter` from parseFilter. */
  async query(filter = {}) {
    const limit = filter.limit ?? DEFAULT_PAGE;
    const { text, ...byHead } = filter;
    const { event, messageId, userId, ...byShortHead } = byHead;
    const needsLong = event !== undefined || messageId !== undefined || userId !== undefined;
    const { entries, lease } = this.snapshot();
    const events = [];
    let matched = 0;
    let slice = performance.now();
    try {
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [entry, line] = entries[i];
        if (!matches(entry.head, entry.head.partial ? byShortHead : byHead)) continue;
        const needsRecord = text !== undefined || (entry.head.partial && needsLong);
        if (needsRecord || events.length < limit) {
          if (performance.now() - slice > SLICE_MS) {
            await turn();
            slice = performance.now();
          }
          const record = await this.recordOf(lease, entry, line);
          if (record === undefined || (needsRecord && !matches(record, filter))) continue;
          if (events.length < limit) events.push(record);
        }
        matched += 1;
      }
    } finally {
      lease?.release();
    }
    return { total: entries.length, dropped: this.dropped, matched, events };
  }

  /** The newest `count` messages in memory, newest first. */
  newest(count) {
    const events = [];
    for (let i = this.memory.length - 1; i >= 0 && events.length < count; i -= 1) {
      const record = recordOf(this.memory.at(i).line);
      if (record !== undefined) events.push(record);
    }
    return events;
  }

  summary() {
    return {
      total: this.total,
      dropped: this.dropped,
      inMemory: this.memory.length,
      byStatus: { ...this.byStatus },
      byCode: Object.fromEntries(this.byCode),
    };
  }

  /**
   * Every kept message, oldest first, as JSON Lines: chunks of text of about 256 KB, with a turn of
   * the event loop now and then, so the server answers meanwhile.
   */
  async *jsonLines() {
    const { entries, lease } = this.snapshot();
    let slice = performance.now();
    try {
      let chunk = "";
      for (const [entry, line] of entries) {
        const record = await this.recordOf(lease, entry, line);
        if (record === undefined) continue;
        chunk += JSON.stringify(record) + "\n";
        if (chunk.length >= 256 * 1024) {
          yield chunk;
          chunk = "";
        }
        if (performance.now() - slice > SLICE_MS) {
          await turn();
          slice = performance.now();
        }
      }
      if (chunk !== "") yield chunk;
    } finally {
      lease?.release();
    }
  }

  clear() {
    for (const entry of this.memory) entry.dropped = true;
    this.disk = new Queue();
    this.memory = new Queue();
    this.memoryBytes = 0;
    this.historyBytes = 0;
    this.dropped = 0;
    this.resetCounts();
    this.journal?.clear();
    this.notify({ kind: "cleared" });
  }

  /** Resolves once everything received so far is in the file. */
  flushed() {
    return this.journal?.idle() ?? Promise.resolve();
  }

  /** Writes what waits, then closes the file. */
  async close() {
    await this.journal?.close();
  }

  /** A listener that fails (a stream gone) never keeps the others or the sender from their due. */
  notify(change) {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.warn(`inspector: a listener failed (${error.message})`);
      }
    }
  }

  /** Calls `listener({ kind: "added", events } | { kind: "cleared" })`; returns the unsubscribe. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** A first-in first-out list whose shift() costs the same however long it is. */
class Queue {
  constructor() {
    this.items = [];
    this.head = 0;
  }

  get length() {
    return this.items.length - this.head;
  }

  get first() {
    return this.items[this.head];
  }

  at(index) {
    return this.items[this.head + index];
  }

  push(item) {
    this.items.push(item);
  }

  shift() {
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  *[Symbol.iterator]() {
    for (let i = this.head; i < this.items.length; i += 1) yield this.items[i];
  }
}
