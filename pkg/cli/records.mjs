// The quarantine's records, as `astrolabe-segment replay` reads them: a file (or standard input,
// gzip or not) read a line at a time, each line one record (the contract in docs/quarantine.md:
// {"quarantine": 1, "receivedAt", "route", "requestId", "index", "errors", "message" | "body" |
// "bodyBase64", "envelope"?}), and each record made back into the request that sends its message
// again. The message's text is taken from the line as it stands, never parsed and written again,
// so that big numbers keep their digits and every byte is the one received.
import { findRoute } from "../edge/routes.js";
import { InputError, openSource } from "./source.mjs";

/** Longer lines are reported, never gathered (a record holds at most a 500 KB batch body, escaped). */
export const MAX_LINE_BYTES = 8 << 20;
const CHUNK = 256 * 1024;
const NEWLINE = 0x0a;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The lines of `path` (`-` is standard input; gzip is un-gzipped), a chunk at a time, as
 * `{ number, text }`: `text` null for a line over MAX_LINE_BYTES or not UTF-8 (`problem` says
 * which). A read that fails part-way ends with `{ number, error }` (the line it stopped at).
 */
export async function* linesOf(path, stdin) {
  const source = await openSource(path, stdin);
  const buffer = new Uint8Array(CHUNK);
  let pieces = [];
  let pieceBytes = 0;
  let number = 0;
  const line = (last) => {
    number += 1;
    if (pieceBytes > MAX_LINE_BYTES) return { number, text: null, problem: `longer than ${MAX_LINE_BYTES >> 20} MB` };
    const bytes = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    try {
      return { number, text: utf8.decode(bytes.subarray(0, end)), last };
    } catch {
      return { number, text: null, problem: "not UTF-8" };
    }
  };
  try {
    for (;;) {
      let read;
      try {
        read = await source.readInto(buffer, 0);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        yield { number: number + 1, error: error.problem === "broken_gzip" ? `broken gzip data (${error.message})` : error.message };
        return;
      }
      if (read === 0) break;
      let from = 0;
      for (;;) {
        const newline = buffer.indexOf(NEWLINE, from);
        const end = newline === -1 || newline >= read ? read : newline;
        if (pieceBytes <= MAX_LINE_BYTES && end > from) pieces.push(Buffer.from(buffer.subarray(from, end)));
        pieceBytes += end - from;
        if (end === read) break;
        yield line(false);
        pieces = [];
        pieceBytes = 0;
        from = newline + 1;
      }
    }
    if (pieceBytes > 0) yield line(true);
  } finally {
    await source.close();
  }
}

/** A record that cannot be replayed: its line is reported with `code` and why. */
export class RecordError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A line's record, checked against the contract: `{ requestId, route, index, receivedAt, errors,
 * request }`, where `request` is `{ path, kind, type?, text | bytes, batchItem }` (what to POST
 * where: see requestOf). Throws a RecordError when the line is not a record.
 */
export function recordOf(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RecordError("invalid_record", `not JSON (${error.message})`);
  }
  if (!isObject(parsed)) throw new RecordError("invalid_record", "not a quarantine record (a JSON object with \"quarantine\": 1)");
  if (parsed.quarantine !== 1) {
    throw new RecordError(
      "invalid_record",
      parsed.quarantine === undefined
        ? 'not a quarantine record (no "quarantine": 1; replay reads the quarantine\'s JSONL, not messages: check them with astrolabe-segment check)'
        : `a quarantine record of format ${JSON.stringify(parsed.quarantine)}; this version reads format 1`,
    );
  }
  const { route, index } = parsed;
  if (typeof route !== "string") throw new RecordError("invalid_record", 'the record has no "route"');
  if (!(index === null || index === undefined || (Number.isInteger(index) && index >= 0))) {
    throw new RecordError("invalid_record", '"index" is neither null nor a whole number');
  }
  const record = {
    requestId: typeof parsed.requestId === "string" ? parsed.requestId : null,
    route,
    index: index ?? null,
    receivedAt: typeof parsed.receivedAt === "string" ? parsed.receivedAt : null,
    errors: Array.isArray(parsed.errors) ? parsed.errors : [],
  };
  const raw = membersOf(text);
  record.request = requestOf(record, parsed, raw, text);
  return record;
}

/**
 * What to send for a record:
 * - a batch item (index not null): `{"batch":[message], ...envelope}` to /v1/batch;
 * - a single message: to its own route (`/v1/track`, `/v1/t`: the route gives its type), and a
 *   message delivered to /webhook (which carries its own type) as a batch of one to /v1/batch;
 * - a request refused as a whole (`body` or `bodyBase64`): that body, to its own route.
 */
function requestOf(record, parsed, raw, text) {
  const target = findRoute(record.route);
  if (target === undefined || !["single", "batch", "delivery"].includes(target.kind)) {
    throw new RecordError("unknown_route", `the route ${JSON.stringify(record.route)} is not one that takes messages`);
  }
  const hasMessage = raw.has("message");
  if (!hasMessage) {
    if (typeof parsed.body === "string") return { path: target.path, kind: target.kind, type: target.type, text: parsed.body, whole: true };
    if (typeof parsed.bodyBase64 === "string") {
      return { path: target.path, kind: target.kind, type: target.type, bytes: new Uint8Array(Buffer.from(parsed.bodyBase64, "base64")), whole: true };
    }
    throw new RecordError("invalid_record", 'the record has no "message", "body" or "bodyBase64"');
  }
  const message = slice(text, raw.get("message"));
  if (!isObject(parsed.message)) throw new RecordError("invalid_record", '"message" is not a JSON object');
  if (record.index === null && target.kind === "single") {
    return { path: target.path, kind: "single", type: target.type, text: message, batchItem: false };
  }
  let envelope = "";
  if (raw.has("envelope")) {
    if (!isObject(parsed.envelope)) throw new RecordError("invalid_record", '"envelope" is not a JSON object');
    // The envelope's members as their text stands, after the batch.
    const inner = slice(text, raw.get("envelope")).trim().slice(1, -1).trim();
    if (inner !== "") envelope = `,${inner}`;
  }
  return { path: "/v1/batch", kind: "batch", text: `{"batch":[${message}]${envelope}}`, batchItem: true };
}

const slice = (text, [start, end]) => text.slice(start, end);

/**
 * The top-level members of a JSON object's text (valid JSON: JSON.parse read it first), each key to
 * the `[start, end)` of its value's text. A key given twice keeps its last value, as JSON.parse does.
 */
export function membersOf(text) {
  const members = new Map();
  let at = skipSpace(text, 0);
  if (text[at] !== "{") return members;
  at = skipSpace(text, at + 1);
  if (text[at] === "}") return members;
  for (;;) {
    const keyEnd = endOfString(text, at);
    const key = JSON.parse(text.slice(at, keyEnd));
    at = skipSpace(text, keyEnd);
    at = skipSpace(text, at + 1); // past ':'
    const end = endOfValue(text, at);
    members.set(key, [at, end]);
    at = skipSpace(text, end);
    if (text[at] !== ",") return members;
    at = skipSpace(text, at + 1);
  }
}

function skipSpace(text, at) {
  while (at < text.length && (text[at] === " " || text[at] === "\t" || text[at] === "\n" || text[at] === "\r")) at += 1;
  return at;
}

/** Just past the string that starts (with its quote) at `at`. */
function endOfString(text, at) {
  for (let i = at + 1; i < text.length; i += 1) {
    if (text[i] === "\\") i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** Just past the value that starts at `at`. */
function endOfValue(text, at) {
  const first = text[at];
  if (first === '"') return endOfString(text, at);
  if (first === "{" || first === "[") {
    let depth = 0;
    for (let i = at; i < text.length; i += 1) {
      const c = text[i];
      if (c === '"') i = endOfString(text, i) - 1;
      else if (c === "{" || c === "[") depth += 1;
      else if (c === "}" || c === "]") {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
    }
    return text.length;
  }
  let i = at;
  while (i < text.length && !",}] \t\n\r".includes(text[i])) i += 1;
  return i;
}
