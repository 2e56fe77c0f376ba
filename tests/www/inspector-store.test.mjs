// The inspector's parts on their own, in Node: the records made of a request
// (scripts/inspector/capture.mjs), the store's bounds and counts (scripts/inspector/store.mjs), its
// file (journal.mjs: read back, compacted, a write that fails) and each message kept once
// (stored.mjs).
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { recordsOf } from "../../scripts/inspector/capture.mjs";
import { lineOf, recordOf, share } from "../../scripts/inspector/stored.mjs";
import { bytesFrom, limitFrom, Store } from "../../scripts/inspector/store.mjs";

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

/** Every kept record, oldest first, as the export gives them. */
async function exported(store) {
  let text = "";
  for await (const chunk of store.jsonLines()) text += chunk;
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

test("the store keeps the newest up to its limit; counts follow what is kept", async () => {
  const store = new Store({ limit: 3 });
  const changes = [];
  store.subscribe((change) => changes.push(change.kind));
  store.add([record("mapped"), record("invalid", ["a"]), record("invalid", ["a", "b"])]);
  store.add([record("skipped"), record("mapped")]);
  assert.equal(store.total, 3);
  assert.equal(store.dropped, 2);
  assert.deepEqual(store.summary(), { total: 3, dropped: 2, inMemory: 3, byStatus: { mapped: 1, skipped: 1, invalid: 1 }, byCode: { a: 1, b: 1 } });
  assert.deepEqual((await store.query({ limit: 2 })).events.map((e) => e.id), [5, 4]);
  assert.deepEqual(store.newest(2).map((e) => e.id), [5, 4]);
  store.clear();
  assert.deepEqual(store.summary(), { total: 0, dropped: 0, inMemory: 0, byStatus: { mapped: 0, skipped: 0, invalid: 0 }, byCode: {} });
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

test("without a file, memory's bytes bound what is kept", () => {
  const store = new Store({ limit: 1000, maxBytes: 10_000 });
  const big = { ...record("mapped"), message: { type: "track", properties: { text: "x".repeat(3_000) } } };
  for (let i = 0; i < 20; i += 1) store.add([structuredClone(big)]);
  assert.equal(store.total, 3, "three of about 3 KB fit 10 KB");
  assert.equal(store.dropped, 17);
  assert.ok(store.memoryBytes <= 10_000);
});

test("each message is kept once: an operation's properties are the message's own, in memory and in the file", () => {
  const properties = { total: 42, items: [{ sku: "a" }], big: 12345678901234567890 };
  const kept = share({
    id: 1,
    message: { type: "track", event: "Paid", properties: structuredClone(properties), context: { traits: { plan: "pro" } } },
    outcome: { status: "mapped", operations: [{ op: "trackEvent", event: "Paid", properties: structuredClone(properties), traits: { plan: "pro" } }, { op: "other", properties: { total: 1 } }] },
  });
  assert.equal(kept.outcome.operations[0].properties, kept.message.properties, "the same object");
  assert.equal(kept.outcome.operations[0].traits, kept.message.context.traits);
  assert.notEqual(kept.outcome.operations[1].properties, kept.message.properties, "not the message's: its own copy");
  const line = lineOf(kept);
  assert.ok(!line.includes("\n"), "one line");
  assert.equal(line.split('"sku"').length, 2, "the properties are written once");
  const back = recordOf(line);
  assert.deepEqual(back, JSON.parse(JSON.stringify(kept)), "read back whole");
  assert.equal(back.outcome.operations[0].properties, back.message.properties, "and shared again");
  assert.equal("shared" in back, false);
  // Broken lines are no records; a reference that points nowhere leaves null.
  assert.equal(recordOf("{half"), undefined);
  assert.equal(recordOf('{"id": "x"}'), undefined);
  const odd = recordOf('{"id":2,"message":{},"outcome":{"operations":[{"properties":null}]},"shared":[[0,"properties","/properties"],[5,"x","/y"],"junk"]}');
  assert.equal(odd.outcome.operations[0].properties, null);
});

test("memory holds the newest up to its bytes; the older are read back from the file, whole", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "astrolabe-store-"));
  try {
    const file = path.join(dir, "events.jsonl");
    const store = new Store({ limit: 100, maxBytes: 12_000, file, warn: () => {} });
    await store.ready;
    const padding = "p".repeat(3_000);
    for (let i = 0; i < 30; i += 1) {
      store.add([{ ...record(i % 3 === 0 ? "invalid" : "mapped", i % 3 === 0 ? ["missing_event"] : []), message: { type: "track", userId: `u${i}`, properties: { padding, i } } }]);
    }
    await store.flushed();
    assert.equal(store.total, 30);
    assert.ok(store.summary().inMemory <= 4 && store.summary().inMemory >= 2, `${store.summary().inMemory} in memory`);
    assert.deepEqual(store.summary().byStatus, { mapped: 20, skipped: 0, invalid: 10 }, "counts cover the file too");
    // Filters reach the file: by the kept fields, by text, by code.
    const old = await store.query({ userId: "u1" });
    assert.equal(old.matched, 1);
    assert.equal(old.events[0].message.properties.i, 1);
    assert.deepEqual((await store.query({ text: '"i":2}' })).events.map((e) => e.message.userId), ["u2"]);
    assert.equal((await store.query({ code: "missing_event", limit: 0 })).matched, 10);
    const all = await exported(store);
    assert.deepEqual(all.map((e) => e.id), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.ok(all.every((e) => e.message.properties.padding === padding));
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the file: appended, read back past a broken line, compacted once half of it is dropped", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "astrolabe-store-"));
  try {
    const file = path.join(dir, "sub", "events.jsonl");
    const lines = async () => (await readFile(file, "utf8")).trim().split("\n").length;
    const store = new Store({ limit: 4, file });
    await store.ready;
    for (let i = 0; i < 7; i += 1) {
      store.add([record("invalid", ["x"])]);
      await store.flushed();
    }
    assert.equal(await lines(), 7);
    store.add([record("invalid", ["x"])]);
    await store.flushed();
    assert.equal(await lines(), 4, "compacted: the four dropped take as much room as the four kept");
    await store.close();
    await writeFile(file, (await readFile(file, "utf8")) + "{half a line");
    const warned = [];
    const again = new Store({ limit: 4, file, warn: (text) => warned.push(text) });
    await again.ready;
    assert.deepEqual((await exported(again)).map((e) => e.id), [5, 6, 7, 8]);
    assert.deepEqual(again.summary().byCode, { x: 4 });
    assert.match(warned.join("\n"), /skipped 1 unreadable line/);
    assert.equal(again.add([record("mapped")])[0].id, 9);
    await again.close();
    const [cut, last] = (await readFile(file, "utf8")).trim().split("\n").slice(-2);
    assert.equal(cut, "{half a line", "the cut line got its newline...");
    assert.equal(JSON.parse(last).id, 9, "...so the next one stands apart");
    const unreadable = new Store({ limit: 4, file: dir, warn: () => {} }); // a folder, not a file
    await unreadable.ready;
    assert.equal(unreadable.total, 0);
    await unreadable.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.equal(limitFrom("250"), 250);
  assert.equal(limitFrom("-1"), 10_000);
  assert.equal(limitFrom(undefined), 10_000);
  assert.equal(bytesFrom("64M", 1), 64 * 1024 * 1024);
  assert.equal(bytesFrom("1.5GB", 1), 1.5 * 1024 ** 3);
  assert.equal(bytesFrom("512k", 1), 512 * 1024);
  assert.equal(bytesFrom("4096", 1), 4096);
  assert.equal(bytesFrom("lots", 7), 7);
  assert.equal(bytesFrom("0", 7), 7);
});

test("a write that fails is reported once, retried with backoff, and nothing kept is lost once it works", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "astrolabe-store-"));
  try {
    // The file's folder is a file: every write fails until it is taken away.
    const blocker = path.join(dir, "blocked");
    await writeFile(blocker, "");
    const file = path.join(blocker, "events.jsonl");
    const warned = [];
    const store = new Store({ limit: 100, file, retryMs: 20, maxRetryMs: 40, warn: (text) => warned.push(text) });
    await store.ready;
    for (let i = 0; i < 50; i += 1) {
      store.add([record("mapped")]);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const failures = warned.filter((text) => /cannot write/.test(text));
    assert.equal(failures.length, 1, warned.join("\n"));
    assert.match(failures[0], /kept in memory only .*free some disk space, make its folder writable, or set INSPECTOR_FILE/);
    assert.match(failures[0], /Trying again in 20 ms, then less and less often \(every 40 ms at most\)/);
    assert.equal(store.total, 50, "kept in memory meanwhile");
    await rm(blocker);
    await mkdir(blocker);
    await store.flushed();
    assert.match(warned.at(-1), /is written again/);
    assert.equal((await readFile(file, "utf8")).trim().split("\n").length, 50);
    assert.equal(warned.filter((text) => /cannot write/.test(text)).length, 1, "once in all");
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("failing long, memory stays bounded: what cannot be written nor held is lost, and counted", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "astrolabe-store-"));
  try {
    const blocker = path.join(dir, "blocked");
    await writeFile(blocker, "");
    const store = new Store({ limit: 100, maxBytes: 3_000, file: path.join(blocker, "e.jsonl"), retryMs: 10_000, warn: () => {} });
    await store.ready;
    store.add([record("mapped")]);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the first write fails
    for (let i = 0; i < 40; i += 1) store.add([{ ...record("mapped"), message: { pad: "x".repeat(500) } }]);
    assert.ok(store.memoryBytes <= 3_000 + 1_000, `${store.memoryBytes} bytes in memory`);
    assert.equal(store.total + store.dropped, 41);
    assert.ok(store.dropped > 30);
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("clearing empties the file after what was asked before, never what comes after", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "astrolabe-store-"));
  try {
    const file = path.join(dir, "events.jsonl");
    const store = new Store({ file });
    await store.ready;
    store.add([record("mapped"), record("mapped")]);
    store.clear();
    store.add([record("invalid")]);
    await store.flushed();
    const lines = (await readFile(file, "utf8")).trim().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(lines.map((e) => e.id), [3]);
    assert.equal((await stat(file)).size > 0, true);
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
