// Turns one request the edge handler answered into the inspector's records: one per message (each
// batch item on its own), with the outcome the package gave it and the HTTP answer the sender got.
// Write keys are taken out of what is kept: the body's `writeKey` fields are removed here, and
// headers (Authorization among them) are never kept at all.

import { codesOf } from "../../www/live-filter.js";

/** The most of an unparseable body that is kept, so that the record shows what came in. */
const RAW_LIMIT = 4_096;

/** A copy of `value` without its `writeKey` (messages and batch envelopes carry it at the top). */
function withoutWriteKey(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, "writeKey")) return value;
  const { writeKey: _dropped, ...rest } = value;
  return rest;
}

/** The sender's library as it names itself (`context.library`), or null. */
function libraryOf(message) {
  const library = message?.context?.library;
  if (library === null || typeof library !== "object" || typeof library.name !== "string") return null;
  return { name: library.name.slice(0, 200), ...(typeof library.version === "string" ? { version: library.version.slice(0, 100) } : {}) };
}

function serializable(value) {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

function parse(bytes) {
  if (!bytes) return { ok: false, raw: "" };
  const text = new TextDecoder().decode(bytes);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, raw: text.slice(0, RAW_LIMIT) };
  }
}

/** The outcome of a request refused before any message could be looked at. */
function refused(answer, fallbackCode) {
  const errors = Array.isArray(answer.body?.errors) && answer.body.errors.length > 0
    ? answer.body.errors
    : [{ code: fallbackCode ?? "refused", path: "", message: String(answer.body?.message ?? `HTTP ${answer.status}`) }];
  return { status: "invalid", operations: [], errors, warnings: [] };
}

/**
 * A batch item's outcome with its issues' paths made relative to the item (`/batch/3/userId` is
 * `/userId` of item 3), so they point into the message as it is kept and shown on its own.
 */
function rebased(outcome, prefix) {
  const fix = (issue) => (typeof issue?.path === "string" && (issue.path === prefix || issue.path.startsWith(prefix + "/"))
    ? { ...issue, path: issue.path.slice(prefix.length) }
    : issue);
  const copy = { ...outcome };
  for (const key of ["errors", "warnings"]) if (Array.isArray(outcome[key])) copy[key] = outcome[key].map(fix);
  if (outcome.reason) copy.reason = fix(outcome.reason);
  return copy;
}

/**
 * The records of one request.
 * @param {object} seen
 * @param {{ path: string, kind: string, type?: string }} seen.route the route (routes.js)
 * @param {Uint8Array} [seen.bytes] the body the handler mapped, when it got that far
 * @param {object} [seen.result] what mapJson returned for it, parsed
 * @param {{ status: number, body: object | undefined }} seen.answer the handler's answer
 * @param {string} [seen.error] the handler's log record's error code
 * @returns {object[]} records without id (the store numbers them)
 */
export function recordsOf({ route, bytes, result, answer, error, receivedAt = new Date().toISOString() }) {
  const http = { status: answer.status, ...(answer.status >= 400 && typeof answer.body?.message === "string" ? { message: answer.body.message } : {}) };
  const base = { receivedAt, route: route.path, http };
  let body = parse(bytes);
  const record = (message, outcome) => {
    let kept = withoutWriteKey(message);
    // Nesting too deep to write out again (the package refuses it as too_deep): kept as text. Only
    // such a message can be too deep for JSON.stringify, so only it is tried.
    if (codesOf(outcome).includes("too_deep") && !serializable(kept)) {
      kept = null;
      if (body.ok) body = { ok: false, raw: new TextDecoder().decode(bytes).slice(0, RAW_LIMIT) };
    }
    const type = typeof kept?.type === "string" ? kept.type : (route.type ?? null);
    return {
      ...base,
      type,
      library: libraryOf(kept),
      message: kept && typeof kept === "object" ? kept : null,
      ...(body.ok ? {} : { raw: body.raw }),
      outcome,
    };
  };
  if (result === undefined) return [record(body.ok ? body.value : null, refused(answer, error))];

  const items = Array.isArray(body.value) ? body.value : Array.isArray(body.value?.batch) ? body.value.batch : undefined;
  if (!Array.isArray(result.outcomes)) return [record(body.ok ? body.value : null, answer.status === 400 && result.status !== "invalid" ? refused(answer, error) : result)];
  // A batch on a route for one message, or a batch refused as a whole (too many items, broken JSON).
  if (route.kind === "single" || result.outcomes.length === 0 || items === undefined) {
    return [record(body.ok ? body.value : null, refused(answer, error))];
  }
  const prefix = Array.isArray(body.value) ? "" : "/batch";
  return result.outcomes.map((outcome, index) => {
    const own = rebased(outcome, `${prefix}/${index}`);
    // Errors of the batch as a whole (too many items) belong to every item of it.
    return record(items[index], result.errors.length > 0 ? { ...own, errors: [...result.errors, ...own.errors] } : own);
  });
}
