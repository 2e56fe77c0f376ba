// `astrolabe-segment diff` as users run it: the `bin` of the packed tarball installed by name,
// spawned on real plans from tests/plans (against themselves, their converted form and tightened
// copies), in text and JSON, with every exit status; and --traffic, whose counts are checked
// against the library's own mapJson answers under each plan, message by message.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Destination } from "astrolabe-segment";
import { consumerDir, repoDir } from "./helpers.mjs";

const bin = path.join(consumerDir, "node_modules/.bin/astrolabe-segment");
let dir;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "astrolabe-diff-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the installed bin: `{ status, stdout, stderr }`. */
function run(args, { stdin } = {}) {
  const result = spawnSync(bin, args, { cwd: dir, input: stdin, encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(result.error, undefined, String(result.error));
  return result;
}

/** `diff --format json ARGS`: the answer, and the exit status. */
function diff(args) {
  const result = run(["diff", "--format", "json", ...args]);
  assert.ok(result.status === 0 || result.status === 1, `exit ${result.status}: ${result.stderr}`);
  return { answer: JSON.parse(result.stdout), status: result.status };
}

function write(name, data) {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof data === "string" || Buffer.isBuffer(data) ? data : JSON.stringify(data, null, 2));
  return file;
}

const planFile = path.join(repoDir, "tests/plans/typewriter/e2e-v8.plan.json");
const plan = JSON.parse(readFileSync(planFile, "utf8"));

/** The Typewriter v8 plan, tightened: a property required, an enum value gone, violations blocked. */
function tightened() {
  const copy = structuredClone(plan);
  const rule = (key) => copy.rules.find((candidate) => candidate.key === key);
  rule("Every Optional Type").jsonSchema.required = ["optional string"];
  const enums = rule("Enum Types").jsonSchema.properties["string enum"];
  enums.enum = enums.enum.slice(1);
  copy.violations = "block";
  return copy;
}

const nothing = { breaking: [], additive: [], neutral: [] };

describe("astrolabe-segment diff (the installed bin)", () => {
  test("--help says what each kind means, with examples; the overview lists it", () => {
    for (const args of [["diff", "--help"], ["diff", "-h"], ["help", "diff"]]) {
      const result = run(args);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^Usage: astrolabe-segment diff /);
      assert.match(result.stdout, /\n  breaking  /);
      assert.match(result.stdout, /\nExamples:\n  astrolabe-segment diff /);
      assert.match(result.stdout, /\nExit status: 0 when nothing is breaking, 1 when anything is/);
    }
    assert.match(run(["--help"]).stdout, /\n  diff +compare two tracking plans/);
  });

  test("a real plan against itself, and against its converted form: nothing, exit 0", () => {
    assert.deepEqual(diff([planFile, planFile]), { answer: nothing, status: 0 });
    const converted = run(["convert", planFile]);
    assert.equal(converted.status, 0, converted.stderr);
    const convertedFile = write("converted.json", converted.stdout);
    assert.deepEqual(diff([planFile, convertedFile]), { answer: nothing, status: 0 });
    const text = run(["diff", planFile, convertedFile]);
    assert.equal(text.status, 0);
    assert.equal(text.stdout, "changes: 0 breaking, 0 additive, 0 neutral\n\nok: no breaking change\n");
  });

  test("a tightened copy: breaking, exit 1, in JSON and text; the other way round: additive, exit 0", () => {
    const tight = write("tight.json", tightened());
    const { answer, status } = diff([planFile, tight]);
    assert.equal(status, 1);
    assert.deepEqual(Object.keys(answer), ["breaking", "additive", "neutral"]);
    const found = answer.breaking.map(({ rule, path, change }) => ({ rule, path, change }));
    assert.deepEqual(found, [
      { rule: "plan", path: "/violations", change: 'violations: "allow" → "block"' },
      { rule: "TRACK Enum Types", path: "/properties/properties/properties/string enum", change: 'enum: "Evil Morty" removed' },
      // A Typewriter v8 rule describes properties only: one that requires a key requires
      // `properties` of the message too, as the engine reads it.
      { rule: "TRACK Every Optional Type", path: "", change: 'required: "properties" added' },
      { rule: "TRACK Every Optional Type", path: "/properties/properties", change: 'required: "optional string" added' },
    ]);
    for (const change of answer.breaking) assert.ok(change.reason.length > 10, JSON.stringify(change));
    assert.deepEqual(answer.additive, []);
    const text = run(["diff", planFile, tight]);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /^changes: 4 breaking, 0 additive, 0 neutral\n\nBreaking: /);
    assert.match(text.stdout, /\n  TRACK Every Optional Type\n    required: "properties" added\n      a message without it was accepted and is now refused\n    \/properties\/properties: required: "optional string" added\n      a message without it was accepted and is now refused\n/);
    assert.match(text.stdout, /\nfailed: 4 breaking changes\n$/);
    const back = diff([tight, planFile]);
    assert.equal(back.status, 0);
    assert.equal(back.answer.breaking.length, 0);
    assert.equal(back.answer.additive.length, 4);
  });

  test("plans in other formats: an Avo export against a RudderStack plan reads both", () => {
    const avo = path.join(repoDir, "tests/plans/avo/webhook-example.plan.json");
    const rudder = path.join(repoDir, "tests/plans/rudderstack/demo.plan.json");
    const { answer, status } = diff([avo, rudder]);
    assert.equal(status, 1);
    assert.ok(answer.breaking.some((change) => change.change === "rule added"), JSON.stringify(answer.breaking));
    assert.ok(answer.additive.some((change) => change.change === "rule removed"), JSON.stringify(answer.additive));
  });

  test("exit status 2 for usage errors, naming the file and the plan reader's reason", () => {
    const cases = [
      [["diff", planFile], /name the old plan and the new one/],
      [["diff", planFile, "missing.json"], /cannot read missing\.json: no such file/],
      [["diff", write("broken.json", "{\"rules\": ["), planFile], /broken\.json is not JSON: /],
      [["diff", planFile, write("bad.json", { rules: [{ type: "TRAK", key: "x", jsonSchema: {} }] })], /bad\.json is not a tracking plan it can read: .*type must be one of TRACK/],
      [["diff", "--format", "xml", planFile, planFile], /--format takes text, json \(got "xml"\)/],
      [["diff", "--bogus", planFile, planFile], /unknown option --bogus for diff/],
      [["diff", planFile, planFile, planFile], /recorded messages go after --traffic/],
      [["diff", planFile, planFile, "--traffic", "nowhere/"], /cannot read --traffic nowhere\/: no such file or directory/],
    ];
    for (const [args, message] of cases) {
      const result = run(args);
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stdout}`);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /Run 'astrolabe-segment diff --help' for usage\./);
      assert.equal(result.stdout, "");
    }
  });

  test("--traffic: the counts are the library's answers under each plan, message by message", () => {
    const tight = tightened();
    const tightFile = write("tight-traffic.json", tight);
    const cases = JSON.parse(readFileSync(path.join(repoDir, "tests/plans/typewriter/e2e-v8.cases.json"), "utf8")).cases;
    const messages = cases.map((entry) => entry.message);
    // Variants the tightened plan answers otherwise.
    for (const [at, properties] of [{ "optional string": "x" }, {}, { "optional int": 3 }].entries()) {
      messages.push({ type: "track", event: "Every Optional Type", userId: `u${at}`, properties });
    }
    for (const value of ["Evil Morty", "Lawyer Morty", "Morty"]) {
      messages.push({ type: "track", event: "Enum Types", userId: "u", properties: { "string enum": value, "string const": "Rick Sanchez" } });
    }
    // Refused by both plans (no user), with one issue more under the new one: changed, not newly refused.
    messages.push({ type: "track", event: "Enum Types", properties: { "string enum": "Evil Morty" } });
    messages.push({ type: "identify", userId: "u", traits: { email: "a@b.c" } }, { type: "page", userId: "u" });
    const lines = messages.map((message) => JSON.stringify(message));
    const half = Math.floor(lines.length / 2);
    write("traffic/a.ndjson", lines.slice(0, half).join("\n") + "\nnot JSON\n");
    write("traffic/b.ndjson.gz", gzipSync(JSON.stringify({ batch: messages.slice(half) }) + "\n"));

    // What the library answers, counted as docs/cli.md defines it.
    const expected = { messages: 0, changed: 0, newlyRefused: 0, newlyAccepted: 0, byEvent: {} };
    const old = new Destination({ trackingPlan: plan });
    const now = new Destination({ trackingPlan: tight });
    const issues = (outcome) =>
      JSON.stringify([...outcome.errors.map((issue) => ["e", issue.code, issue.path]), ...outcome.warnings.map((issue) => ["w", issue.code, issue.path]), ...(outcome.reason ? [["s", outcome.reason.code, outcome.reason.path]] : [])]);
    const count = (message, before, after) => {
      const refused = (outcome) => outcome.status === "invalid";
      const figures = {
        messages: 1,
        changed: Number(before.status !== after.status || issues(before) !== issues(after)),
        newlyRefused: Number(!refused(before) && refused(after)),
        newlyAccepted: Number(refused(before) && !refused(after)),
      };
      const key = message.type === "track" ? `TRACK ${message.event}` : message.type.toUpperCase();
      const mine = (expected.byEvent[key] ??= { messages: 0, changed: 0, newlyRefused: 0, newlyAccepted: 0 });
      for (const [name, value] of Object.entries(figures)) {
        expected[name] += value;
        mine[name] += value;
      }
    };
    for (const message of messages.slice(0, half)) count(message, JSON.parse(old.mapJson(JSON.stringify(message))), JSON.parse(now.mapJson(JSON.stringify(message))));
    const batch = JSON.stringify({ batch: messages.slice(half) });
    const [before, after] = [JSON.parse(old.mapJson(batch)), JSON.parse(now.mapJson(batch))];
    messages.slice(half).forEach((message, at) => count(message, before.outcomes[at], after.outcomes[at]));

    for (const threads of ["1", "3"]) {
      const { answer, status } = diff(["--threads", threads, planFile, tightFile, "--traffic", path.join(dir, "traffic")]);
      assert.equal(status, 1);
      const { traffic } = answer;
      assert.deepEqual(
        { messages: traffic.messages, changed: traffic.changed, newlyRefused: traffic.newlyRefused, newlyAccepted: traffic.newlyAccepted },
        { messages: expected.messages, changed: expected.changed, newlyRefused: expected.newlyRefused, newlyAccepted: expected.newlyAccepted },
      );
      assert.deepEqual(traffic.byEvent, Object.fromEntries(Object.entries(expected.byEvent).sort(([a], [b]) => (a < b ? -1 : 1))));
      assert.equal(traffic.files, 2);
      assert.equal(traffic.unreadable, 1);
      assert.ok(expected.newlyRefused >= 3 && expected.changed > expected.newlyRefused, JSON.stringify(expected));
      const first = traffic.examples[0];
      assert.equal(first.new.status, "invalid");
      assert.notEqual(first.old.status, "invalid");
      assert.match(first.file, /traffic\/a\.ndjson$/);
      assert.equal(typeof first.line, "number");
    }
    // Text: the same figures for a person; standard input and repeated --traffic read as check reads them.
    const text = run(["diff", planFile, tightFile, "--traffic", "-", "--traffic", path.join(dir, "traffic/b.ndjson.gz")], { stdin: lines.slice(0, half).join("\n") + "\n" });
    assert.equal(text.status, 1, text.stderr);
    assert.match(text.stdout, new RegExp(`\\nTraffic: ${expected.messages} messages in 2 files replayed through both plans; 0 unreadable\\n  ${expected.changed} changed, ${expected.newlyRefused} newly refused, ${expected.newlyAccepted} newly accepted\\n`));
    assert.match(text.stdout, /\n  Examples:\n  - ?:\d+ /);
    // Without a breaking change the exit status is 0, traffic or not.
    const same = diff([planFile, planFile, "--traffic", path.join(dir, "traffic")]);
    assert.equal(same.status, 0);
    assert.equal(same.answer.traffic.changed, 0);
    assert.equal(same.answer.traffic.messages, expected.messages);
  });
});
