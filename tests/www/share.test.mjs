import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeState, decodeState, shareUrl, normalizeState, toBase64Url, fromBase64Url } from "../../www/share.js";

const state = {
  payload: '{\n  "type": "track",\n  "event": "Café ☕ ordered 😀",\n  "userId": "u1"\n}',
  type: "track",
  strict: true,
  mappings: '{"trackEvent": {}}',
};

test("compressed round trip keeps payload text and settings exactly", async () => {
  const fragment = await encodeState(state);
  assert.match(fragment, /^z=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeState(fragment), state);
  assert.deepEqual(await decodeState("#" + fragment), state);
});

test("plain round trip (no CompressionStream) is base64url of the JSON", async () => {
  const fragment = await encodeState(state, { compress: false });
  assert.match(fragment, /^s=[A-Za-z0-9_-]+$/);
  const json = JSON.parse(new TextDecoder().decode(fromBase64Url(fragment.slice(2))));
  assert.deepEqual(json, { v: 1, ...state });
  assert.deepEqual(await decodeState(fragment), state);
});

test("compression pays off on a typical payload", async () => {
  const big = { payload: JSON.stringify({ batch: Array.from({ length: 20 }, (_, i) => ({ type: "track", userId: `u${i}`, event: "Order Completed" })) }, null, 2), type: "auto", strict: false };
  const z = await encodeState(big);
  const s = await encodeState(big, { compress: false });
  assert.ok(z.length < s.length / 3, `${z.length} vs ${s.length}`);
});

test("broken JSON payloads are shared as typed", async () => {
  const broken = { payload: '{"type": "track",', type: "auto", strict: false };
  assert.deepEqual(await decodeState(await encodeState(broken)), broken);
});

test("the Personal data setting travels when it is not the page's default", async () => {
  const redacting = { ...state, privacy: "redact" };
  assert.deepEqual(await decodeState(await encodeState(redacting)), redacting);
  assert.deepEqual(normalizeState({ ...state, privacy: "warn" }), state);
  assert.deepEqual(normalizeState({ ...state, privacy: "shout" }), state);
});

test("bad fields are defaulted, empty panels dropped", () => {
  assert.deepEqual(normalizeState({ payload: "{}", type: "page", strict: "yes", mappings: "  ", trackingPlan: 3 }), { payload: "{}", type: "auto", strict: false });
  assert.equal(normalizeState({ type: "track" }), null);
  assert.equal(normalizeState([]), null);
  assert.equal(normalizeState(null), null);
});

test("damaged or foreign fragments give null, never throw", async () => {
  for (const fragment of ["", "#", "#foo=bar", "#s=", "#s=***", "#z=AAAA", "#z=not+base64", "#s=" + toBase64Url(new TextEncoder().encode("[1]")), "#s=" + toBase64Url(new Uint8Array([0xff, 0xfe])), undefined, null]) {
    assert.equal(await decodeState(fragment), null, String(fragment));
  }
});

test("a decompression bomb is refused", async () => {
  const huge = new TextEncoder().encode(JSON.stringify({ payload: "x".repeat(2 << 20) }));
  const reader = new Blob([huge]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(reader).arrayBuffer());
  assert.equal(await decodeState("z=" + toBase64Url(bytes)), null);
});

test("base64url round trip over every byte value and large inputs", () => {
  const bytes = new Uint8Array(200000).map((_, i) => (i * 7) % 256);
  assert.deepEqual(fromBase64Url(toBase64Url(bytes)), bytes);
  assert.doesNotMatch(toBase64Url(bytes), /[+/=]/);
});

test("shareUrl replaces the page's fragment and keeps the rest", async () => {
  const url = await shareUrl("http://localhost:8080/?x=1#old", state);
  assert.match(url, /^http:\/\/localhost:8080\/\?x=1#z=/);
  assert.deepEqual(await decodeState(new URL(url).hash), state);
});
