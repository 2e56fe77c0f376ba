// The inspector's memory: the last `limit` received messages, oldest dropped (and counted), each
// appended to a JSON Lines file that is read back at start, so a restart keeps the history. The
// file is rewritten with only what is kept once it holds twice the limit, so it stays bounded too.
// Synchronous file calls on purpose: one local developer's traffic, written in arrival order, and
// nothing half-written survives a crash except at most one line, which the reader skips.
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { codesOf, matches, STATUSES } from "../../www/live-filter.js";

export const DEFAULT_LIMIT = 10_000;
/** What GET /inspector/events returns when no limit is asked for. */
export const DEFAULT_PAGE = 100;

/** INSPECTOR_LIMIT as a positive integer, or the default. */
export function limitFrom(value) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_LIMIT;
}

export class Store {
  /** @param {{ limit?: number, file?: string, warn?: (text: string) => void }} options */
  constructor({ limit = DEFAULT_LIMIT, file, warn = (text) => console.warn(text) } = {}) {
    this.limit = limit;
    this.file = file;
    this.warn = warn;
    this.events = []; // oldest first
    this.dropped = 0;
    this.nextId = 1;
    this.fileLines = 0;
    this.listeners = new Set();
    this.resetCounts();
    if (file) this.load();
  }

  load() {
    let text;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (error) {
      if (error.code !== "ENOENT") this.warn(`inspector: cannot read ${this.file} (${error.message}); starting empty`);
      return;
    }
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    for (const line of lines) {
      try {
        const event = JSON.parse(line);
        if (event && typeof event === "object" && Number.isInteger(event.id)) {
          this.events.push(event);
          this.count(event, 1);
          this.nextId = Math.max(this.nextId, event.id + 1);
        }
      } catch {
        // A line cut short by a crash: the rest of the history still counts.
      }
    }
    this.fileLines = lines.length;
    this.trim();
    if (this.fileLines > this.limit) this.compact();
  }

  /** Drops the oldest beyond the limit, counting them. */
  trim() {
    const over = this.events.length - this.limit;
    if (over > 0) {
      for (const event of this.events.splice(0, over)) this.count(event, -1);
      this.dropped += over;
    }
  }

  // Counts per status and code, kept up to date as messages come and go, so that a summary costs
  // nothing however many messages are kept (the Live view gets one with every arrival).
  resetCounts() {
    this.byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0]));
    this.byCode = new Map();
  }

  count(event, delta) {
    const status = event.outcome?.status;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + delta;
    for (const code of codesOf(event.outcome)) {
      const n = (this.byCode.get(code) ?? 0) + delta;
      if (n === 0) this.byCode.delete(code);
      else this.byCode.set(code, n);
    }
  }

  /** Rewrites the file with what is kept (a temporary file renamed over it: never half a file). */
  compact() {
    if (!this.file) return;
    try {
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, this.events.map((event) => JSON.stringify(event) + "\n").join(""));
      renameSync(temporary, this.file);
      this.fileLines = this.events.length;
    } catch (error) {
      this.warn(`inspector: cannot rewrite ${this.file} (${error.message})`);
    }
  }

  /** Numbers and keeps `records`; returns them as stored. */
  add(records) {
    if (records.length === 0) return [];
    const added = records.map((record) => ({ id: this.nextId++, ...record }));
    for (const event of added) {
      this.events.push(event);
      this.count(event, 1);
    }
    this.trim();
    if (this.file) {
      try {
        mkdirSync(path.dirname(this.file), { recursive: true });
        appendFileSync(this.file, added.map((event) => JSON.stringify(event) + "\n").join(""));
        this.fileLines += added.length;
        if (this.fileLines >= 2 * this.limit) this.compact();
      } catch (error) {
        this.warn(`inspector: cannot write ${this.file} (${error.message}); kept in memory only`);
      }
    }
    this.notify({ kind: "added", events: added });
    return added;
  }

  /** `{ total, dropped, matched, events }`, newest first; `filter` from parseFilter. */
  query(filter = {}) {
    const limit = filter.limit ?? DEFAULT_PAGE;
    const events = [];
    let matched = 0;
    for (let i = this.events.length - 1; i >= 0; i -= 1) {
      if (!matches(this.events[i], filter)) continue;
      matched += 1;
      if (events.length < limit) events.push(this.events[i]);
    }
    return { total: this.events.length, dropped: this.dropped, matched, events };
  }

  summary() {
    return { total: this.events.length, dropped: this.dropped, byStatus: { ...this.byStatus }, byCode: Object.fromEntries(this.byCode) };
  }

  /** Every kept message, oldest first, as JSON Lines. */
  jsonLines() {
    return this.events.map((event) => JSON.stringify(event) + "\n").join("");
  }

  clear() {
    this.events = [];
    this.dropped = 0;
    this.resetCounts();
    if (this.file) {
      try {
        mkdirSync(path.dirname(this.file), { recursive: true });
        writeFileSync(this.file, "");
        this.fileLines = 0;
      } catch (error) {
        this.warn(`inspector: cannot empty ${this.file} (${error.message})`);
      }
    }
    this.notify({ kind: "cleared" });
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
