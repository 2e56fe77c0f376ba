// www/live-filter.js, the filter the Live view and GET /inspector/events share, and www/draft.js,
// the kept draft: in Node.
import assert from "node:assert/strict";
import { test } from "node:test";
import { codesOf, firstProblem, issuesOf, matches, parseFilter } from "../../www/live-filter.js";
import { isOwnText, loadDraft, markCurrent, saveDraft } from "../../www/draft.js";

const event = (over = {}) => ({
  id: 1,
  receivedAt: "2026-12-05T10:00:00.000Z",
  route: "/v1/t",
  type: "track",
  message: { userId: "u_1", event: "Order Completed", messageId: "m-1" },
  outcome: {
    status: "invalid",
    errors: [{ code: "missing_event", path: "/event", message: "No event." }],
    warnings: [{ code: "invalid_timestamp", path: "/timestamp", message: "Bad time." }],
  },
  ...over,
});

test("issues come worst first: errors, the skip reason, warnings", () => {
  const outcome = { errors: [{ code: "a" }], reason: { code: "b" }, warnings: [{ code: "c" }, { code: "a" }] };
  assert.deepEqual(issuesOf(outcome).map((i) => `${i.severity} ${i.code}`), ["error a", "skipped b", "warning c", "warning a"]);
  assert.deepEqual(codesOf(outcome), ["a", "b", "c"]);
  assert.equal(firstProblem({ errors: [], warnings: [] }), undefined);
  assert.deepEqual(issuesOf(null), []);
  assert.deepEqual(issuesOf({ errors: "not a list" }), []);
});

test("each filter field selects on its own, and together they all must hold", () => {
  const e = event();
  for (const [filter, expected] of [
    [{}, true],
    [{ status: "invalid" }, true],
    [{ status: "mapped" }, false],
    [{ type: "track" }, true],
    [{ type: "identify" }, false],
    [{ event: "Order Completed" }, true],
    [{ event: "Order" }, false],
    [{ code: "invalid_timestamp" }, true],
    [{ code: "missing_identity" }, false],
    [{ messageId: "m-1" }, true],
    [{ userId: "u_2" }, false],
    [{ text: "ORDER comp" }, true],
    [{ text: "bad time" }, true],
    [{ text: "/v1/t" }, true],
    [{ text: "nowhere" }, false],
    [{ since: Date.parse("2026-12-05T10:00:00.000Z") }, true],
    [{ since: Date.parse("2026-12-05T10:00:00.001Z") }, false],
    [{ status: "invalid", userId: "u_1", code: "missing_event" }, true],
    [{ status: "invalid", userId: "u_2" }, false],
  ]) {
    assert.equal(matches(e, filter), expected, JSON.stringify(filter));
  }
  assert.equal(matches(event({ message: null, raw: "{broken" }), { text: "broken" }), true, "a body kept as text");
  assert.equal(matches(event({ message: null }), { userId: "u_1" }), false);
});

test("query parameters become a filter; bad values select nothing rather than everything", () => {
  assert.deepEqual(parseFilter(new URLSearchParams("status=invalid&type=&limit=5&junk=1")), { status: "invalid", limit: 5 });
  assert.equal(parseFilter(new URLSearchParams("since=yesterday")).since, Infinity);
  assert.equal(parseFilter(new URLSearchParams("since=1700000000000")).since, 1_700_000_000_000);
  assert.equal(parseFilter(new URLSearchParams("since=2026-12-05T10:00:00Z")).since, Date.parse("2026-12-05T10:00:00Z"));
  assert.equal(parseFilter(new URLSearchParams("limit=-3")).limit, 100);
  assert.equal(parseFilter({ limit: "0" }).limit, 0);
});

/** A Storage as browsers give it: strings by key (or a refusal). */
function storage({ refuse = false } = {}) {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => {
      if (refuse) throw new DOMException("full", "QuotaExceededError");
      items.set(key, String(value));
    },
    items,
  };
}

test("drafts: kept, read back, marked current or not; a refusing or absent storage fails nothing", () => {
  const s = storage();
  assert.equal(loadDraft(s), null);
  assert.equal(saveDraft(s, { payload: '{"a": 1}', type: "track", current: true }), true);
  assert.deepEqual(loadDraft(s), { payload: '{"a": 1}', type: "track", current: true });
  markCurrent(s, false);
  assert.equal(loadDraft(s).current, false);
  s.items.set("astrolabe-playground:draft", "{not json");
  assert.equal(loadDraft(s), null);
  s.items.set("astrolabe-playground:draft", '{"payload": 7}');
  assert.equal(loadDraft(s), null);
  assert.equal(saveDraft(storage({ refuse: true }), { payload: "x" }), false);
  assert.equal(saveDraft(null, { payload: "x" }), false);
  assert.equal(loadDraft(null), null);
});

test("the user's own text is neither empty nor an example's", () => {
  const examples = [{ text: '{"type": "identify"}' }];
  assert.equal(isOwnText('{"type": "identify"}', examples), false);
  assert.equal(isOwnText("  \n", examples), false);
  assert.equal(isOwnText('{"type": "identify" }', examples), true);
});
