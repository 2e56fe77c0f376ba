// Personal data detection (`privacy`, docs/privacy.md) through the installed package: the full
// build detects, the lite build refuses the option, and `astrolabe-segment check --config` counts
// what is found without printing it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Destination } from "astrolabe-segment";
import { consumerDir } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const bin = path.join(consumerDir, "node_modules/.bin/astrolabe-segment");
const CARD = "4012 8888 8888 1881";
const EMAIL = "jane.doe@example.com";

test("the full build: every action, through map and mapJson alike", () => {
  const message = { type: "track", userId: "u1", event: "Paid", properties: { note: `card ${CARD}`, email: EMAIL } };
  const redact = new Destination({ privacy: { action: "redact" } });
  const outcome = redact.map(message);
  assert.equal(outcome.status, "mapped");
  assert.equal(outcome.operations[0].properties.note, "card [card]");
  assert.equal(outcome.operations[0].properties.email, "[email]", "properties.email is not a field meant for it");
  assert.deepEqual(JSON.parse(redact.mapJson(JSON.stringify(message))), JSON.parse(JSON.stringify(outcome)));
  const block = new Destination({ privacy: { action: "block", detect: ["card"] } });
  const refused = block.map(message);
  assert.equal(refused.status, "invalid");
  assert.deepEqual(refused.errors.map((issue) => `${issue.code} ${issue.path}`), ["pii_detected /properties/note"]);
  assert.ok(!JSON.stringify(refused).includes("4012"));
  assert.throws(() => new Destination({ privacy: { detect: ["emial"] } }), /option "privacy": unknown kind "emial"/);
  redact.free();
  block.free();
});

test("the lite build refuses privacy rather than ignoring it", () => {
  const lite = require("astrolabe-segment/lite");
  assert.throws(() => new lite.Destination({ privacy: {} }), /"privacy" is not available in this build/);
});

test("check --config with privacy counts pii_detected, exits 1 under block, and never prints the value", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "privacy-check-"));
  try {
    const config = path.join(dir, "config.json");
    writeFileSync(config, JSON.stringify({ privacy: { action: "block" } }));
    const events = path.join(dir, "events.ndjson");
    const lines = [
      { type: "identify", userId: "u1", traits: { email: EMAIL } },
      { type: "track", userId: "u1", event: "Paid", properties: { note: `card ${CARD}` } },
      { type: "track", userId: "u2", event: "Paid", properties: { total: 12.5, id: "550e8400-e29b-41d4-a716-446655440000" } },
    ];
    writeFileSync(events, lines.map((line) => JSON.stringify(line)).join("\n") + "\n");
    const result = spawnSync(bin, ["check", "--config", config, "--format", "json", events], { encoding: "utf8" });
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    const text = result.stdout + result.stderr;
    assert.ok(text.includes("pii_detected"), text);
    assert.ok(!text.includes("4012") && !text.includes("8888"), text);
    assert.equal(JSON.stringify(report).match(/"invalid":(\d+)/)?.[1], "1", result.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
