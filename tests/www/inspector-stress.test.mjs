// The inspector under heavy use (benches/inspector-stress.mjs, the scenario of docs/inspector.md's
// "Heavy use"): `node scripts/serve.mjs` in its own process, track messages of 30 KB sent 20 at a
// time, the export read to its end, a real restart. The messages keep their size; the bounds are
// set low instead, so that in seconds memory evicts to the file, the file drops the oldest and is
// compacted, and the export and the restart cover both. No timing is asserted (/health's latency
// and the RSS are the full run's figures): every message answered, every kept record exported
// whole, the history kept across the restart, the bounds held.
import assert from "node:assert/strict";
import { test } from "node:test";
import { report, stress } from "../../benches/inspector-stress.mjs";

const MB = 1024 * 1024;

test("past every bound: memory evicts to the file, the file drops and compacts, export and restart keep it all", async () => {
  const result = await stress({
    messages: 700,
    concurrency: 20,
    env: { INSPECTOR_LIMIT: "500", INSPECTOR_MAX_BYTES: "2M", INSPECTOR_FILE_MAX_BYTES: "9M" },
  });
  const { figures } = result;
  if (process.env.SHOW_STRESS) console.log(report(result));
  assert.deepEqual(result.checks, [], report(result));
  const { total, dropped } = figures.summary;
  // Once the writes under way are done (while sending, the newest wait for theirs in memory).
  const { inMemory } = figures.summaryAfterExport;
  // The file's bound (9 MB of 30 KB records) binds before the limit (500).
  assert.ok(total < 500 && total > 250, `${total} kept`);
  assert.ok(dropped >= 200, `${dropped} dropped`);
  assert.ok(inMemory < total && inMemory >= 40 && inMemory <= 70, `${inMemory} of ${total} in memory (2 MB of 30 KB records)`);
  // Each message kept once: a record takes about its message's bytes, not twice them.
  const perRecord = figures.export.bytes / figures.export.count;
  assert.ok(perRecord < figures.messageBytes * 2.2, `${perRecord} exported bytes a record`);
  const perLine = figures.fileBytesAtStop / figures.fileLinesAtStop;
  assert.ok(perLine < figures.messageBytes * 1.2, `${perLine} bytes a line of the file, for messages of ${figures.messageBytes}`);
  // Compacted: the file holds what is kept and at most as much again, not all that was sent.
  assert.ok(figures.fileBytesAtStop <= 2 * 9 * MB + 64 * 1024, `the file: ${figures.fileBytesAtStop} bytes`);
  assert.ok(figures.restart.summary.inMemory <= 70, "read back, memory holds no more than its bound");
});
