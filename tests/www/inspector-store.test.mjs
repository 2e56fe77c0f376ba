// The inspector's parts on their own, in Node: the records made of a request
// (scripts/inspector/capture.mjs) and the store's bounds and counts (scripts/inspector/store.mjs).
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { recordsOf } from "../../scripts/inspector/capture.mjs";
import { limitFrom, Store } from "../../scripts/inspector/store.mjs";

const bytes = (value) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const single = { path: "/v1/t", kind: "single", type: "track" };
const batch = { path: "/v1/batch", kind: "batch" };
const ok = { status: 200, body: { ok: true } };

test("a batch becomes one record per item; paths point into the item; write keys are dropped", () => {
  const body = { writeKey: "wk", batch: [{ type: "identify", userId: "u", writeKey: "wk", context: { library: { name: "lib", version: "1" } } }, { type: "track" }] };
  const result = {
    outcomes: [
      { status: "mapped", operations: [{ op: "upsertUser" }], errors: [], warnings: [] },
      { status: "invalid", operations: [], errors: [{ code: "missing_event", path: "/batch/1/event", message: "m" }], warnings: [] },
    ],
    errors: [],
  };
  const records = recordsOf({ route: batch, bytes: bytes(body), result, answer: ok, receivedAt: "t" });
  assert.equal(records.length, 2);
  assert.deepEqual(records[0].message, { type: "identify", userId: "u", context: { library: { name: "lib", version: "1" } } });
  assert.deepEqual(records[0].library, { name: "lib", version: "1" });
  assert.equal(records[1].outcome.errors[0].path, "/event");
  assert.doesNotMatch(JSON.stringify(records), /"wk"/);
  // A bare array: paths start at the index.
  const array = recordsOf({ route: batch, bytes: bytes([{ type: "track" }]), result: { outcomes: [{ ...result.outcomes[1], errors: [{ code: "x", path: "/0/event" }] }], errors: [] }, answer: ok });
  assert.equal(array[0].outcome.errors[0].path, "/event");
});

test("what was refused before any message was read is one invalid record saying why", () => {
  const [unauthorized] = recordsOf({ route: single, answer: { status: 401, body: { message: "No key.", errors: [{ code: "unauthorized", path: "", message: "Missing or invalid write key." }] } } });
  assert.equal(unauthorized.message, null);
  assert.equal(unauthorized.outcome.status, "invalid");
  assert.equal(unauthorized.outcome.errors[0].code, "unauthorized");
  assert.deepEqual(unauthorized.http, { status: 401, message: "No key." });
  assert.equal(unauthorized.type, "track", "from the route");
  const [broken] = recordsOf({ route: single, bytes: bytes("{oops"), result: { status: "invalid", operations: [], errors: [{ code: "invalid_json", path: "", message: "m" }], warnings: [] }, answer: { status: 400, body: {} } });
  assert.equal(broken.raw, "{oops");
  // A batch sent where one message is expected.
  const [misrouted] = recordsOf({ route: single, bytes: bytes([{}]), result: { outcomes: [{ status: "invalid", errors: [] }], errors: [] }, answer: { status: 400, body: { errors: [{ code: "invalid_type", path: "", message: "Expected one message" }] } } });
  assert.equal(misrouted.outcome.errors[0].code, "invalid_type");
});

test("a message nested too deep to write out again is kept as text", () => {
  const deep = "[".repeat(20_000) + "]".repeat(20_000);
  const [record] = recordsOf({ route: single, bytes: bytes(deep), result: { status: "invalid", operations: [], errors: [{ code: "too_deep", path: "", message: "m" }], warnings: [] }, answer: { status: 400, body: {} } });
  assert.equal(record.message, null);
  assert.equal(record.raw.length, 4096);
  assert.doesNotThrow(() => JSON.stringify(record));
});

const record = (status, codes = []) => ({ receivedAt: new Date().toISOString(), route: "/v1/t", type: "track", message: {}, outcome: { status, errors: codes.map((code) => ({ code, path: "" })), warnings: [] } });

test("the store keeps the newest up to its limit; counts follow what is kept", () => {
  const store = new Store({ limit: 3 });
  const changes = [];
  store.subscribe((change) => changes.push(change.kind));
  store.add([record("mapped"), record("invalid", ["a"]), record("invalid", ["a", "b"])]);
  store.add([record("skipped"), record("mapped")]);
  assert.equal(store.events.length, 3);
  assert.equal(store.dropped, 2);
  assert.deepEqual(store.summary(), { total: 3, dropped: 2, byStatus: { mapped: 1, skipped: 1, invalid: 1 }, byCode: { a: 1, b: 1 } });
  assert.deepEqual(store.query({ limit: 2 }).events.map((e) => e.id), [5, 4]);
  store.clear();
  assert.deepEqual(store.summary(), { total: 0, dropped: 0, byStatus: { mapped: 0, skipped: 0, invalid: 0 }, byCode: {} });
  assert.deepEqual(changes, ["added", "added", "cleared"]);
  // A listener that throws harms no one.
  store.subscribe(() => {
    throw new Error("gone");
  });
  const warned = [];
  store.warn = (text) => warned.push(text);
  assert.equal(store.add([record("mapped")]).length, 1);
  assert.equal(warned.length, 1);
});

test("the file: appended, read back past a broken line, compacted at twice the limit", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "astrolabe-store-"));
  try {
    const file = path.join(dir, "sub", "events.jsonl");
    const store = new Store({ limit: 4, file });
    for (let i = 0; i < 7; i += 1) store.add([record("mapped")]);
    assert.equal((await readFile(file, "utf8")).trim().split("\n").length, 7);
    store.add([record("invalid", ["x"])]);
    assert.equal((await readFile(file, "utf8")).trim().split("\n").length, 4, "compacted");
    await writeFile(file, (await readFile(file, "utf8")) + "{half a line\n");
    const again = new Store({ limit: 4, file, warn: () => {} });
    assert.deepEqual(again.events.map((e) => e.id), [5, 6, 7, 8]);
    assert.deepEqual(again.summary().byCode, { x: 1 });
    assert.equal(again.add([record("mapped")])[0].id, 9);
    const unreadable = new Store({ limit: 4, file: dir, warn: () => {} }); // a folder, not a file
    assert.equal(unreadable.events.length, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.equal(limitFrom("250"), 250);
  assert.equal(limitFrom("-1"), 10_000);
  assert.equal(limitFrom(undefined), 10_000);
});
