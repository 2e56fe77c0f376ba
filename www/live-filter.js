// What the inspector's query API and the playground's Live view both need to know about a received
// message: its problems, its codes, and whether it passes a filter. One module for both, so that a
// filter in the page and `GET /inspector/events?...` in a test always select the same messages.
// No dependencies; loaded by the browser and by Node (scripts/inspector/).

export const STATUSES = Object.freeze(["mapped", "skipped", "invalid"]);

/** The problems of an outcome, worst first: errors, then the skip reason, then warnings. */
export function issuesOf(outcome) {
  if (!outcome || typeof outcome !== "object") return [];
  const list = [];
  for (const issue of Array.isArray(outcome.errors) ? outcome.errors : []) list.push({ severity: "error", ...issue });
  if (outcome.reason && typeof outcome.reason === "object") list.push({ severity: "skipped", ...outcome.reason });
  for (const issue of Array.isArray(outcome.warnings) ? outcome.warnings : []) list.push({ severity: "warning", ...issue });
  return list;
}

/** The distinct issue codes of an outcome. */
export function codesOf(outcome) {
  return [...new Set(issuesOf(outcome).map((issue) => issue.code).filter((code) => typeof code === "string"))];
}

/** The first problem of an outcome, or undefined when it has none. */
export function firstProblem(outcome) {
  return issuesOf(outcome)[0];
}

const text = (value) => (typeof value === "string" ? value : value === undefined || value === null ? "" : String(value));

/** A filter from query parameters (URLSearchParams or a plain object); unknown keys are ignored. */
export function parseFilter(params) {
  const get = (key) => {
    const value = typeof params?.get === "function" ? params.get(key) : params?.[key];
    return value === null || value === undefined || value === "" ? undefined : String(value);
  };
  const filter = {};
  for (const key of ["status", "type", "event", "code", "messageId", "userId", "text"]) {
    const value = get(key);
    if (value !== undefined) filter[key] = value;
  }
  const since = get("since");
  if (since !== undefined) {
    // An ISO time or milliseconds since the epoch; anything else selects nothing rather than all.
    const ms = /^\d+$/.test(since) ? Number(since) : Date.parse(since);
    filter.since = Number.isFinite(ms) ? ms : Infinity;
  }
  const limit = get("limit");
  if (limit !== undefined) {
    const n = Number(limit);
    filter.limit = Number.isInteger(n) && n >= 0 ? n : 100;
  }
  return filter;
}

/** True when the stored `event` ({ receivedAt, type, message, outcome, ... }) passes `filter`. */
export function matches(event, filter) {
  const message = event.message && typeof event.message === "object" ? event.message : {};
  if (filter.status !== undefined && event.outcome?.status !== filter.status) return false;
  if (filter.type !== undefined && event.type !== filter.type) return false;
  if (filter.event !== undefined && text(message.event) !== filter.event) return false;
  if (filter.messageId !== undefined && text(message.messageId) !== filter.messageId) return false;
  if (filter.userId !== undefined && text(message.userId) !== filter.userId) return false;
  if (filter.code !== undefined && !codesOf(event.outcome).includes(filter.code)) return false;
  if (filter.since !== undefined && !(Date.parse(event.receivedAt) >= filter.since)) return false;
  if (filter.text !== undefined) {
    const needle = filter.text.toLowerCase();
    const haystack = `${event.route ?? ""} ${JSON.stringify(event.message ?? event.raw ?? "")} ${issuesOf(event.outcome)
      .map((issue) => `${issue.code} ${issue.message}`)
      .join(" ")}`.toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}
