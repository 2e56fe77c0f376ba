// `astrolabe-segment infer` as users run it: the `bin` of the packed tarball installed by name,
// spawned on files this test makes (NDJSON, gzip, a segment-logs/ tree, standard input, a
// pretty-printed array, broken inputs) and on the bench corpora (benches/corpus.mjs). The plan it
// prints is read back as users read it: `check --plan` over the same inputs reports no plan
// violation (nor unplanned events or properties when those are blocked), and
// `new Destination({ trackingPlan })` maps every message without one. The plan is the same bytes
// whatever the threads and the order of the files; bad input never stops it; usage errors exit 2.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Destination } from "astrolabe-segment";
import { generate } from "../../../../benches/corpus.mjs";
import { consumerDir, fixtures, input } from "./helpers.mjs";

const bin = path.join(consumerDir, "node_modules/.bin/astrolabe-segment");
let dir;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "astrolabe-infer-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the installed bin: `{ status, stdout, stderr }`. */
function run(args, { stdin, cwd = dir } = {}) {
  const result = spawnSync(bin, args, { cwd, input: stdin, encoding: "utf8", maxBuffer: 256 << 20 });
  assert.equal(result.error, undefined, String(result.error));
  return result;
}

/** `infer ARGS`: the plan's text (exit 0 asserted) and what it said on standard error. */
function infer(args, options) {
  const result = run(["infer", ...args], options);
  assert.equal(result.status, 0, result.stderr);
  JSON.parse(result.stdout);
  return { text: result.stdout, notes: result.stderr };
}

function write(name, data) {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return file;
}

/** The codes that say a plan refused something. */
const PLAN_CODES = ["plan_violation", "unplanned_event", "unplanned_property"];

/** `check --plan PLAN ARGS`, with the plan's settings at their strictest when `strict`: its report. */
function checkWith(planText, args, { strict = false, stdin } = {}) {
  const plan = JSON.parse(planText);
  if (strict) Object.assign(plan, { violations: "block", unplannedEvents: "block", unplannedProperties: "omit" });
  const file = write(`plans/${strict ? "strict" : "as-is"}.json`, JSON.stringify(plan));
  const result = run(["check", "--format", "json", "--plan", file, ...args], { stdin });
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  return JSON.parse(result.stdout);
}

/** Asserts a check report names no plan code, with an example when it does. */
function assertNoPlanIssues(report, label) {
  for (const code of PLAN_CODES) {
    assert.equal(report.codes[code], undefined, `${label}: ${code} ${JSON.stringify(report.examples[code], null, 2)}`);
  }
}

// ---- The corpus ----------------------------------------------------------------------------------

/** Each fixture's input: messages and batch bodies of every kind, broken ones too. */
function fixtureLines() {
  return fixtures().filter((fixture) => !fixture.options?.type && !fixture.config).map((fixture) => JSON.stringify(input(fixture)));
}

/** Traffic of a few calls with nested properties, arrays of objects, formats, nulls, numbers with
 * and without fractions, and few distinct values (event names the fixtures do not use). */
function trafficLines() {
  const lines = [];
  const events = ["Cart Paid", "Item Viewed", "Joined"];
  for (let at = 0; at < 400; at += 1) {
    const base = { messageId: `m-${at}`, timestamp: "2026-12-05T09:30:00.000Z", context: { library: { name: "analytics.js", version: "5.2.0" } } };
    const properties = {
      revenue: at % 4 < 2 ? at : at + 0.25,
      currency: ["USD", "EUR"][at % 2],
      placed_at: `2026-12-0${(at % 9) + 1}T09:30:00Z`,
      products: at % 4 === 0 ? [] : [{ sku: `s${at}`, url: "https://shop.example.com/p" }, { sku: "gift", quantity: at % 5 }],
      ...(at % 7 === 0 ? { coupon: null } : at % 7 === 1 ? { coupon: "SPRING" } : {}),
    };
    switch (at % 5) {
      case 0:
        lines.push(JSON.stringify({ ...base, type: "identify", userId: `u${at}`, traits: { email: `u${at}@example.com`, plan: ["free", "pro"][at % 2], address: { city: "Paris" } } }));
        break;
      case 1:
        lines.push(JSON.stringify({ ...base, type: "group", userId: `u${at}`, groupId: `g${at % 7}`, traits: { name: "Initech", employees: at } }));
        break;
      case 2:
        lines.push(JSON.stringify({ batch: [{ ...base, type: "track", userId: `u${at}`, event: events[at % 3], properties }, { type: "page", userId: "u" }] }));
        break;
      default:
        lines.push(JSON.stringify({ ...base, type: "track", userId: `u${at}`, event: events[at % 3], properties }));
    }
  }
  return lines;
}

const traffic = trafficLines();
const corpus = [...fixtureLines(), ...traffic];
const corpusText = corpus.join("\n") + "\n";

// ---- Tests -----------------------------------------------------------------------------------------

describe("astrolabe-segment infer (the installed bin)", () => {
  test("--help, on its own and in the command list, with examples", () => {
    assert.match(run(["--help"]).stdout, /\n  infer +draft a tracking plan from the Segment messages/);
    for (const args of [["infer", "--help"], ["infer", "-h"], ["help", "infer"]]) {
      const result = run(args);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^Usage: astrolabe-segment infer \[--min-count N\] \[--enum-max K\]/);
      assert.match(result.stdout, /\n  --min-count N /);
      assert.match(result.stdout, /\n  --enum-max K /);
      assert.match(result.stdout, /\nExamples:\n  astrolabe-segment infer /);
      assert.match(result.stdout, /\nExit status: 0 /);
    }
  });

  test("a file: the plan in the Public API rules form, which check --plan and new Destination read as-is and which refuses none of its messages", () => {
    const { text, notes } = infer([write("traffic.ndjson", traffic.join("\n") + "\n")]);
    const plan = JSON.parse(text);
    assert.deepEqual(plan.rules.map((rule) => `${rule.type} ${rule.key}`), ["GROUP ", "IDENTIFY ", "TRACK Cart Paid", "TRACK Item Viewed", "TRACK Joined"]);
    assert.deepEqual(Object.keys(plan), ["rules"]);
    for (const rule of plan.rules) {
      assert.deepEqual(Object.keys(rule), ["type", "key", "version", "jsonSchema"]);
      assert.match(rule.jsonSchema.description, /^Inferred by astrolabe-segment infer from \d+ messages?\.$/);
    }
    const paid = plan.rules.find((rule) => rule.key === "Cart Paid").jsonSchema;
    const properties = paid.properties.properties;
    assert.deepEqual(paid.required, ["properties"]);
    assert.deepEqual(properties.required, ["currency", "placed_at", "products", "revenue"]);
    assert.deepEqual(properties.properties.revenue, { type: "number" });
    assert.deepEqual(properties.properties.coupon, { type: ["null", "string"] });
    assert.deepEqual(properties.properties.placed_at, { format: "date-time", type: "string" });
    assert.deepEqual(properties.properties.products.items.properties.url, { format: "uri", type: "string" });
    assert.deepEqual(properties.properties.products.items.required, ["sku"]);
    const identify = plan.rules.find((rule) => rule.type === "IDENTIFY").jsonSchema.properties.traits;
    assert.deepEqual(identify.properties.email, { format: "email", type: "string" });
    assert.deepEqual(identify.required, ["address", "email", "plan"]);
    assert.match(notes, /^astrolabe-segment infer: read 400 messages from 1 file: 240 track \(3 events\), 80 identify, 80 group\n/);
    assert.match(notes, /\nastrolabe-segment infer: skipped 80 messages that no rule describes: 80 page\n/);
    assert.match(notes, /\nastrolabe-segment infer: wrote 5 rules\n$/);

    // The whole corpus (the fixtures too): check --plan over the same file finds no violation, as
    // the plan is and with everything blocked, and neither does the library with it as trackingPlan.
    const file = write("corpus.ndjson", corpusText);
    const whole = infer([file]).text;
    assertNoPlanIssues(checkWith(whole, [file]), "check --plan");
    const strict = checkWith(whole, [file], { strict: true });
    assertNoPlanIssues(strict, "check --plan, blocking");
    assert.ok(strict.messages > corpus.length, `${strict.messages}`);
    const destination = new Destination({ trackingPlan: JSON.parse(whole) });
    for (const line of corpus) {
      const issues = mapAll(destination, line);
      assert.deepEqual(issues.filter((issue) => PLAN_CODES.includes(issue.code)), [], line);
    }
    // convert reads it as a Segment plan and writes it back byte for byte.
    const converted = run(["convert", write("plans/inferred.json", whole)]);
    assert.equal(converted.status, 0, converted.stderr);
    assert.equal(converted.stdout, whole);
    assert.match(converted.stderr, /read .* as a Segment Public API plan/);
  });

  test("gzip, a segment-logs/ tree, a pretty-printed array, standard input: the same plan", () => {
    const expected = infer([write("same/corpus.ndjson", corpusText)]).text;
    assert.equal(infer([write("same/corpus.ndjson.gz", gzipSync(corpusText))]).text, expected);
    const half = Math.floor(corpus.length / 2);
    write("same/segment-logs/src_1/1764892800000/09/part-a.gz", gzipSync(corpus.slice(0, half).join("\n") + "\n"));
    write("same/segment-logs/src_1/1764892800000/10/part-b.gz", gzipSync(corpus.slice(half).join("\n")));
    write("same/segment-logs/src_1/README.md", "not an input\n");
    const tree = infer([path.join(dir, "same/segment-logs")]);
    assert.equal(tree.text, expected);
    assert.match(tree.notes, / from 2 files:/);
    const pretty = write("same/pretty.json", JSON.stringify(corpus.map((line) => JSON.parse(line)), null, 2));
    assert.equal(infer([pretty]).text, expected);
    assert.equal(infer(["-"], { stdin: corpusText }).text, expected);
    assert.equal(infer([], { stdin: gzipSync(corpusText) }).text, expected);
  });

  test("the same bytes whatever the threads and the order of the files", () => {
    const big = Array.from({ length: 20 }, () => corpusText).join("");
    write("threads/big.ndjson", big);
    const names = [];
    for (let at = 0; at < 8; at += 1) names.push(write(`threads/day-${at}.ndjson.gz`, gzipSync(corpus.slice(at * 60, at * 60 + 90).join("\n"))));
    for (const extra of [[], ["--enum-max", "3"], ["--min-count", "50", "--enum-max", "2"]]) {
      const outputs = new Set();
      for (const threads of ["1", "2", "3"]) outputs.add(infer(["--threads", threads, ...extra, "threads"]).text);
      outputs.add(infer(["--threads", "2", ...extra, ...names, path.join(dir, "threads/big.ndjson")]).text);
      outputs.add(infer(["--threads", "3", ...extra, path.join(dir, "threads/big.ndjson"), ...[...names].reverse()]).text);
      assert.equal(outputs.size, 1, extra.join(" "));
      const piped = infer(["--threads", "3", ...extra, "-"], { stdin: big }).text;
      assert.equal(piped, infer(["--threads", "1", ...extra, "-"], { stdin: big }).text, `${extra.join(" ")}, standard input`);
    }
  });

  test("--min-count and --enum-max", () => {
    const lines = [
      ...Array.from({ length: 3 }, (_, at) => JSON.stringify({ type: "track", userId: "u", event: "Often", properties: { plan: ["free", "pro"][at % 2], id: `id-${at}` } })),
      JSON.stringify({ type: "track", userId: "u", event: "Rare", properties: { plan: "free" } }),
    ];
    const file = write("counts.ndjson", lines.join("\n"));
    const keys = (text) => JSON.parse(text).rules.map((rule) => rule.key);
    assert.deepEqual(keys(infer([file]).text), ["Often", "Rare"]);
    const frequent = infer(["--min-count", "2", file]);
    assert.deepEqual(keys(frequent.text), ["Often"]);
    assert.match(frequent.notes, /left out 1 rule seen in fewer than 2 messages \(--min-count\)/);
    const often = (text) => JSON.parse(text).rules[0].jsonSchema.properties.properties.properties;
    assert.equal(often(infer([file]).text).plan.enum, undefined);
    assert.deepEqual(often(infer(["--enum-max", "2", file]).text).plan.enum, ["free", "pro"]);
    assert.equal(often(infer(["--enum-max", "2", file]).text).id.enum, undefined);
    assert.equal(often(infer(["--enum-max", "2", "--min-count", "3", file]).text).plan.enum.length, 2);
    assert.equal(often(infer(["--enum-max", "1", file]).text).plan.enum, undefined);
    // A new value is refused by the plan with enums, not by the one without.
    const changed = write("counts-new-value.ndjson", JSON.stringify({ type: "track", userId: "u", event: "Often", properties: { plan: "team", id: "id-9" } }));
    assert.equal(checkWith(infer(["--enum-max", "2", file]).text, [changed]).codes.plan_violation, 1);
    assertNoPlanIssues(checkWith(infer([file]).text, [changed]), "no enums");
  });

  test("the bench corpora: check --plan finds no violation in the messages the plan came from", () => {
    const corpora = generate({ messages: 600, batches: 1, small: { messages: 800, batchesOf20: 10 } });
    const sets = {
      large: [...corpora.messages, ...corpora.batches],
      small: [...corpora.small.messages, ...corpora.small.batchSets.flatMap((set) => set.texts)],
    };
    for (const [name, texts] of Object.entries(sets)) {
      const file = write(`bench-${name}.ndjson`, texts.join("\n") + "\n");
      const { text } = infer(["--enum-max", "5", file]);
      assert.ok(JSON.parse(text).rules.length > 5, name);
      assertNoPlanIssues(checkWith(text, [file], { strict: true }), name);
    }
  });

  test("bad input never stops the run: lines that are not JSON, a truncated gzip, a file that cannot be read", () => {
    const good = corpus.slice(0, 80);
    const broken = [...good.slice(0, 20), "this is not JSON", '{"type": "track", "userId": "cut sh', ...good.slice(20)];
    const lines = write("broken/lines.ndjson", broken.join("\n") + "\n");
    const many = Array.from({ length: 40 }, () => corpus).flat();
    const gz = gzipSync(many.join("\n") + "\n");
    write("broken/cut.ndjson.gz", gz.subarray(0, gz.length >> 1));
    symlinkSync(path.join(dir, "nowhere.ndjson"), path.join(dir, "broken/gone.ndjson"));
    // Lines that are not JSON: named with their file and line, in check's words; the rest read.
    const alone = run(["infer", lines]);
    assert.equal(alone.status, 0, alone.stderr);
    // Three: those two, and the fixture of a batch over 512,000 bytes, which is not read either.
    assert.match(alone.stderr, /\nastrolabe-segment infer: 3 values or files could not be read \(each is left out; the first 3 of each kind follow\)\n/);
    assert.match(alone.stderr, /:13: The value is longer than 512000 bytes, the most a batch may be: it is not read\.\n/);
    assert.ok(alone.stderr.includes(`\nastrolabe-segment infer:   ${lines}:21: The input is not valid JSON`), alone.stderr);
    assert.ok(alone.stderr.includes(`\nastrolabe-segment infer:   ${lines}:22: `), alone.stderr);
    assert.equal(alone.stdout, infer([write("good.ndjson", good.join("\n"))]).text);
    // A directory with those lines, a gzip cut short and a link to nowhere: each named, the rest read.
    const result = run(["infer", path.join(dir, "broken")]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(JSON.parse(result.stdout).rules.length > 3);
    assert.match(result.stderr, /cut\.ndjson\.gz:\d+: The gzip data is broken \(unexpected end of file\)/);
    assert.match(result.stderr, /gone\.ndjson: The file cannot be read: ENOENT: no such file or directory\./);
    assertNoPlanIssues(checkWith(result.stdout, [path.join(dir, "broken")], { strict: true }), "broken inputs");
  });

  test("no message to infer from: an empty plan and exit status 1", () => {
    for (const [name, text] of [["empty.ndjson", ""], ["pages.ndjson", '{"type": "page", "userId": "u"}\nnot JSON\n']]) {
      const result = run(["infer", write(name, text)]);
      assert.equal(result.status, 1, result.stderr);
      assert.equal(result.stdout, '{\n  "rules": []\n}\n');
      assert.match(result.stderr, /no rule inferred: no identify, group or track message was read often enough\n$/);
    }
    const rare = run(["infer", "--min-count", "5", write("one.ndjson", corpus.at(-1))]);
    assert.equal(rare.status, 1, rare.stderr);
  });

  test("exit status 2 for usage errors, saying what to do", () => {
    const file = write("usage.ndjson", corpus.at(-1));
    const cases = [
      [["infer", "--bogus", file], /^astrolabe-segment infer: unknown option --bogus for infer/],
      [["infer", "nothere.ndjson"], /^astrolabe-segment infer: cannot read nothere\.ndjson: no such file or directory\n/],
      [["infer", "--min-count", "0", file], /--min-count takes a whole number of at least 1 \(got "0"\)/],
      [["infer", "--min-count", "many", file], /--min-count takes a whole number of at least 1/],
      [["infer", "--enum-max=-1", file], /--enum-max takes a whole number of at least 1 \(got "-1"\)/],
      [["infer", "--enum-max", "2.5", file], /--enum-max takes a whole number of at least 1/],
      [["infer", "--threads", "0", file], /--threads takes a whole number of at least 1/],
      [["infer", "--enum-max"], /--enum-max/],
    ];
    for (const [args, message] of cases) {
      const result = run(args, { stdin: "" });
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(" "));
      assert.match(result.stderr, /\nRun 'astrolabe-segment infer --help' for usage\.\n$/, args.join(" "));
      assert.equal(result.stdout, "", args.join(" "));
    }
  });
});

/** Every issue of a value's mapJson answer (a message's, or a batch's items'). */
function mapAll(destination, text) {
  const answer = JSON.parse(destination.mapJson(text));
  const outcomes = answer.outcomes ?? [answer];
  return [...outcomes.flatMap((outcome) => [...(outcome.errors ?? []), ...(outcome.warnings ?? [])]), ...(answer.outcomes ? answer.errors : [])];
}
