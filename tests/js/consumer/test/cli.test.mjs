// The `astrolabe-segment` command as users run it: the `bin` of the packed tarball installed by
// name (this consumer project, and a scratch project through npx), spawned on files this test
// makes (NDJSON, gzip, a segment-logs/ tree, standard input, a pretty-printed array, the
// inspector's events.jsonl, and broken inputs: a truncated gzip, lines that are not JSON, a file
// that cannot be read). Its counts are checked against the library's own mapJson answers, message
// by message; its exit status, help, stable output over thread counts, shards that add up, and
// its memory on a long stream through standard input.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Destination, codes } from "astrolabe-segment";
import { recordsOf } from "../../../../scripts/inspector/capture.mjs";
import { consumerDir, fixtures, input, repoDir } from "./helpers.mjs";

const bin = path.join(consumerDir, "node_modules/.bin/astrolabe-segment");
let dir;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "astrolabe-cli-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the installed bin: `{ status, stdout, stderr }`. */
function run(args, { stdin, cwd = dir } = {}) {
  const result = spawnSync(bin, args, { cwd, input: stdin, encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(result.error, undefined, String(result.error));
  return result;
}

/** `check --format json ARGS`: the report, and the exit status. */
function check(args, options) {
  const result = run(["check", "--format", "json", ...args], options);
  assert.ok(result.status === 0 || result.status === 1, `exit ${result.status}: ${result.stderr}`);
  return { report: JSON.parse(result.stdout), status: result.status };
}

function write(name, data) {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return file;
}

// ---- The library's answers, counted as the rules say -------------------------------------------

const destination = new Destination();

/** A report counted from mapJson answers: the figures `check` must give. */
class Expected {
  constructor(api = destination) {
    this.api = api;
    this.messages = this.mapped = this.skipped = this.invalid = this.unreadable = 0;
    this.codes = {};
    this.events = {};
  }

  code(issues) {
    for (const issue of issues) this.codes[issue.code] = (this.codes[issue.code] ?? 0) + 1;
  }

  /** One message's outcome, with the message (for its track event name). */
  message(outcome, message, hint) {
    this.messages += 1;
    this[outcome.status] += 1;
    this.code([...outcome.errors, ...outcome.warnings, ...(outcome.reason ? [outcome.reason] : [])]);
    const own = message !== null && typeof message === "object" && !Array.isArray(message);
    const call = own && Object.hasOwn(message, "type") ? message.type : hint;
    if (own && call === "track" && typeof message.event === "string" && message.event !== "") {
      const count = (this.events[message.event] ??= { messages: 0, invalid: 0 });
      count.messages += 1;
      if (outcome.status === "invalid") count.invalid += 1;
    }
  }

  /** A value's text as mapJson answers it: a message, a batch body, or text that is not JSON. */
  value(text, hint) {
    const answer = JSON.parse(this.api.mapJson(text, hint ? { type: hint } : undefined));
    let value;
    try {
      value = JSON.parse(text);
    } catch {}
    if (answer.outcomes === undefined) {
      if (answer.status === "invalid" && answer.errors.some((issue) => issue.code === "invalid_json")) {
        this.unreadable += 1;
        this.code(answer.errors);
      } else {
        this.message(answer, value, hint);
      }
      return;
    }
    if (answer.outcomes.length === 0 && answer.errors.length > 0) {
      this.messages += 1;
      this.invalid += 1;
      this.code(answer.errors);
      return;
    }
    const items = Array.isArray(value) ? value : value.batch;
    answer.outcomes.forEach((outcome, at) => this.message(outcome, items[at]));
    this.code(answer.errors);
  }

  /** A line of NDJSON: a JSON array on it is a list of messages. */
  line(text) {
    if (text.trim() === "") return;
    let value;
    try {
      value = JSON.parse(text);
    } catch {}
    if (Array.isArray(value)) for (const element of value) this.value(JSON.stringify(element));
    else this.value(text);
  }

  lines(text) {
    for (const line of text.split("\n")) this.line(line);
    return this;
  }

  /** The figures a report must have. */
  counts() {
    const { messages, mapped, skipped, invalid, unreadable } = this;
    return { messages, mapped, skipped, invalid, unreadable, codes: sorted(this.codes), events: sorted(this.events) };
  }

  /** Adds another's figures (several files). */
  add(other) {
    for (const key of ["messages", "mapped", "skipped", "invalid", "unreadable"]) this[key] += other[key];
    for (const [code, count] of Object.entries(other.codes)) this.codes[code] = (this.codes[code] ?? 0) + count;
    for (const [name, count] of Object.entries(other.events)) {
      const mine = (this.events[name] ??= { messages: 0, invalid: 0 });
      mine.messages += count.messages;
      mine.invalid += count.invalid;
    }
    return this;
  }
}

function sorted(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `text` as a regular expression that matches only it. */
function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function countsOf(report) {
  const { messages, mapped, skipped, invalid, unreadable, codes, events } = report;
  return { messages, mapped, skipped, invalid, unreadable, codes, events };
}

// ---- The corpus ----------------------------------------------------------------------------------

/** Messages of every kind: each fixture's input, and generated traffic of several senders. */
function corpusLines() {
  const lines = fixtures().filter((fixture) => !fixture.options?.type && !fixture.config).map((fixture) => JSON.stringify(input(fixture)));
  const events = ["Order Completed", "Product Viewed", "Signed Up", "Checkout Started"];
  for (let at = 0; at < 600; at += 1) {
    const base = { messageId: `m-${at}`, timestamp: "2026-12-05T09:30:00.000Z", context: { library: { name: "analytics.js", version: "5.2.0" } } };
    switch (at % 6) {
      case 0:
        lines.push(JSON.stringify({ ...base, type: "identify", userId: `u${at}`, traits: { email: `u${at}@example.com`, plan: "pro" } }));
        break;
      case 1:
        lines.push(JSON.stringify({ ...base, type: "group", userId: `u${at}`, groupId: `g${at % 7}`, traits: { name: "Initech" } }));
        break;
      case 2:
        lines.push(JSON.stringify({ ...base, type: "track", event: events[at % 4] })); // no user: invalid
        break;
      case 3:
        lines.push(JSON.stringify({ ...base, type: "page", userId: `u${at}`, name: "Home" })); // skipped
        break;
      case 4:
        lines.push(JSON.stringify({ batch: [{ ...base, type: "track", userId: at, event: events[at % 4] }, { type: "identify" }] }));
        break;
      default:
        lines.push(JSON.stringify({ ...base, type: "track", userId: `u${at}`, event: events[at % 4], properties: { revenue: at } }));
    }
  }
  return lines;
}

const corpus = corpusLines();
const corpusText = corpus.join("\n") + "\n";

// ---- Tests -----------------------------------------------------------------------------------------

describe("astrolabe-segment (the installed bin)", () => {
  test("--help, on its own and for each command, with examples", () => {
    const top = run(["--help"]);
    assert.equal(top.status, 0, top.stderr);
    assert.match(top.stdout, /^Usage: astrolabe-segment COMMAND/);
    assert.match(top.stdout, /\n  check +check the Segment messages/);
    assert.match(top.stdout, /\n  merge +add up the JSON reports/);
    assert.match(top.stdout, /\n  convert +convert a tracking plan/);
    for (const command of ["check", "merge", "convert", "replay"]) {
      for (const args of [[command, "--help"], [command, "-h"], ["help", command]]) {
        const result = run(args);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, new RegExp(`^Usage: astrolabe-segment ${command} `));
        assert.match(result.stdout, /\nExamples:\n  astrolabe-segment /);
        assert.match(result.stdout, /\nExit status: 0 /);
      }
    }
    const version = JSON.parse(readFileSync(path.join(consumerDir, "node_modules/astrolabe-segment/package.json"), "utf8")).version;
    assert.equal(run(["--version"]).stdout, `${version}\n`);
    const bare = run([]);
    assert.equal(bare.status, 2);
    assert.match(bare.stderr, /^Usage: astrolabe-segment COMMAND/);
  });

  test("npx runs it in a new project that installed the tarball by name", () => {
    const project = mkdtempSync(path.join(tmpdir(), "astrolabe-npx-"));
    try {
      writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "my-project", private: true }));
      const tarball = path.join(consumerDir, ".pack/astrolabe-segment.tgz");
      const install = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], { cwd: project, encoding: "utf8" });
      assert.equal(install.status, 0, install.stderr);
      writeFileSync(path.join(project, "events.ndjson"), corpusText);
      const result = spawnSync("npx", ["--no-install", "astrolabe-segment", "check", "--format", "json", "events.ndjson"], { cwd: project, encoding: "utf8" });
      assert.equal(result.status, 1, result.stderr);
      assert.deepEqual(countsOf(JSON.parse(result.stdout)), new Expected().lines(corpusText).counts());
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test("NDJSON: every count is the library's, message by message", () => {
    const file = write("corpus.ndjson", corpusText);
    const { report, status } = check([file]);
    const expected = new Expected().lines(corpusText);
    assert.deepEqual(countsOf(report), expected.counts());
    assert.ok(expected.invalid > 0 && expected.skipped > 0 && expected.messages > 700, JSON.stringify(expected.counts()));
    assert.equal(report.files, 1);
    assert.equal(status, 1);
    for (const code of Object.keys(report.codes)) assert.ok(codes.includes(code), code);
    // Examples: the first three of each code, in (line, path) order, each where it is.
    const lines = corpusText.split("\n");
    for (const [code, examples] of Object.entries(report.examples)) {
      assert.ok(examples.length >= 1 && examples.length <= 3, code);
      for (const example of examples) {
        assert.equal(example.file, file);
        const answer = destination.mapJson(lines[example.line - 1]);
        assert.ok(answer.includes(`"code":"${code}"`), `${code} at line ${example.line}: ${answer}`);
      }
      const order = examples.map((example) => example.line);
      assert.deepEqual(order, [...order].sort((a, b) => a - b), code);
    }
    const first = lines.findIndex((line) => destination.mapJson(line).includes('"code":"missing_identity"')) + 1;
    assert.equal(report.examples.missing_identity[0].line, first);
  });

  test("a clean file exits 0; text output names the totals", () => {
    const clean = corpus.filter((line) => JSON.parse(destination.mapJson(line)).status === "mapped" && !line.startsWith("["));
    const file = write("clean.ndjson", clean.join("\n"));
    const { report, status } = check([file]);
    assert.equal(status, 0);
    assert.equal(report.mapped, clean.length);
    const text = run(["check", file]);
    assert.equal(text.status, 0);
    assert.match(text.stdout, new RegExp(`^${clean.length.toLocaleString("en-US")} messages in 1 file: `));
    assert.match(text.stdout, /\nok: no invalid message, nothing unreadable\n$/);
  });

  test("gzip, a segment-logs/ tree, standard input: the same counts", () => {
    const expected = new Expected().lines(corpusText).counts();
    const gz = write("corpus.ndjson.gz", gzipSync(corpusText));
    assert.deepEqual(countsOf(check([gz]).report), expected);
    // Segment's S3 archive: segment-logs/<source>/<day>/<hour>/*.gz; other files are left alone.
    const half = Math.floor(corpus.length / 2);
    write("segment-logs/src_1/1764892800000/09/part-a.gz", gzipSync(corpus.slice(0, half).join("\n") + "\n"));
    write("segment-logs/src_1/1764892800000/10/part-b.gz", gzipSync(corpus.slice(half).join("\n")));
    write("segment-logs/src_1/README.md", "not an input\n");
    write("segment-logs/src_1/.part-c.gz.tmp", "not an input either\n");
    const tree = check([path.join(dir, "segment-logs")]).report;
    assert.deepEqual(countsOf(tree), expected);
    assert.equal(tree.files, 2);
    // Standard input: named `-`, and read when no file is named.
    assert.deepEqual(countsOf(check(["-"], { stdin: corpusText }).report), expected);
    const piped = check([], { stdin: gzipSync(corpusText) }).report;
    assert.deepEqual(countsOf(piped), expected);
    assert.ok(Object.values(piped.examples).flat().every((example) => example.file === "-"));
  });

  test("a pretty-printed JSON array, and an array on one line: lists of messages", () => {
    const messages = corpus.filter((line) => !line.startsWith("[")).map((line) => JSON.parse(line)).filter((value) => !Array.isArray(value));
    const expected = new Expected();
    for (const message of messages) expected.value(JSON.stringify(message));
    const pretty = write("messages.json", JSON.stringify(messages, null, 2));
    const { report } = check([pretty]);
    assert.deepEqual(countsOf(report), expected.counts());
    // Each example points at the line its element starts on, and into the array.
    const text = readFileSync(pretty, "utf8").split("\n");
    const example = report.examples.missing_identity[0];
    assert.match(example.path, /^\/\d+(\/batch\/\d+)?\/userId$/);
    assert.equal(text[example.line - 1], "  {");
    const oneLine = write("messages-one-line.json", JSON.stringify(messages));
    assert.deepEqual(countsOf(check([oneLine]).report), expected.counts());
  });

  test("the inspector's events.jsonl: each record checked as its message", () => {
    const bodies = corpus.slice(0, 120);
    const records = [];
    for (const [at, body] of bodies.entries()) {
      const route = body.startsWith('{"batch"') ? { path: "/v1/batch", kind: "batch" } : { path: "/v1/track", kind: "single", type: "track" };
      const result = JSON.parse(destination.mapJson(body, route.type && !JSON.parse(body).type ? { type: route.type } : undefined));
      const answer = { status: 200, body: { success: true } };
      records.push(...recordsOf({ route, bytes: new TextEncoder().encode(body), result, answer, receivedAt: new Date(at).toISOString() }));
    }
    // Records without a type carry the route's: a track body posted to /v1/track with none.
    records.push(...recordsOf({ route: { path: "/v1/track", kind: "single", type: "track" }, bytes: new TextEncoder().encode('{"userId":"u","event":"Typed By Route"}'), result: JSON.parse(destination.mapJson('{"userId":"u","event":"Typed By Route"}', { type: "track" })), answer: { status: 200, body: {} } }));
    const file = write("inspector/events.jsonl", records.map((record, at) => JSON.stringify({ id: at + 1, ...record }) + "\n").join(""));
    const expected = new Expected();
    // The route's type is a hint when it names a call (a record keeps a message's own type as sent).
    const calls = ["identify", "group", "track", "page", "screen", "alias", "delete"];
    for (const record of records) {
      // What a record kept: the message, the start of a body that was not JSON, or neither.
      const text = record.message !== null ? JSON.stringify(record.message) : record.raw;
      if (text !== undefined) expected.value(text, calls.includes(record.type) ? record.type : undefined);
      else expected.add({ messages: 0, mapped: 0, skipped: 0, invalid: 0, unreadable: 1, codes: { invalid_json: 1 }, events: {} });
    }
    const { report } = check([file]);
    assert.deepEqual(countsOf(report), expected.counts());
    assert.equal(report.events["Typed By Route"].messages, 1);
    assert.ok(Object.values(report.examples).flat().every((example) => example.path.startsWith("/message")));
  });

  test("bad input never stops the run: lines that are not JSON, a truncated gzip, a file that cannot be read", () => {
    const good = corpus.slice(0, 50);
    const broken = [...good.slice(0, 20), "this is not JSON", '{"type": "track", "userId": "cut sh', ...good.slice(20)];
    const lines = write("broken/lines.ndjson", broken.join("\n") + "\n");
    const { report } = check([lines]);
    assert.deepEqual(countsOf(report), new Expected().lines(broken.join("\n")).counts());
    assert.equal(report.unreadable, 2);
    assert.deepEqual(report.examples.invalid_json.map((example) => [example.file, example.line]), [[lines, 21], [lines, 22]]);

    // A gzip cut in half: what came out before the break is checked, the break reported at its line.
    const many = Array.from({ length: 40 }, () => corpus).flat();
    const gz = gzipSync(many.join("\n") + "\n");
    const cut = write("broken/cut.ndjson.gz", gz.subarray(0, gz.length >> 1));
    const truncated = check([cut]);
    assert.equal(truncated.status, 1);
    const problem = truncated.report.examples.broken_gzip[0];
    assert.equal(problem.file, cut);
    assert.match(problem.message, /^The gzip data is broken \(unexpected end of file\)/);
    const checkedLines = many.slice(0, problem.line - 1);
    assert.ok(checkedLines.length > 1000, `${problem.line}`);
    assert.deepEqual(countsOf(truncated.report), new Expected().lines(checkedLines.join("\n")).add({ messages: 0, mapped: 0, skipped: 0, invalid: 0, unreadable: 1, codes: { broken_gzip: 1 }, events: {} }).counts());

    // A file that cannot be read, found in a directory: counted, named, and the rest checked.
    symlinkSync(path.join(dir, "nowhere.ndjson"), path.join(dir, "broken/gone.ndjson"));
    let unreadable = ["broken/gone.ndjson"];
    if (process.getuid?.() !== 0) {
      chmodSync(write("broken/secret.ndjson", corpusText), 0);
      unreadable.push("broken/secret.ndjson");
    }
    const whole = check([path.join(dir, "broken")]).report;
    assert.deepEqual(whole.examples.unreadable_file.map((example) => [example.file, example.line]), unreadable.map((name) => [path.join(dir, name), null]));
    assert.match(whole.examples.unreadable_file[0].message, /^The file cannot be read: ENOENT: no such file or directory\.$/);
    assert.equal(whole.unreadable, 2 + 1 + unreadable.length);
    assert.equal(whole.messages, report.messages + truncated.report.messages);
    rmSync(path.join(dir, "broken"), { recursive: true, force: true });
  });

  test("exit status 2 for usage errors, saying what to do", () => {
    const file = write("usage.ndjson", corpus[0]);
    write("not-json.json", "{");
    write("bad-plan.json", JSON.stringify({ rules: 3 }));
    write("shapeless.json", JSON.stringify({ events: "all", owner: "growth" }));
    const cases = [
      [["frob"], /^astrolabe-segment: unknown command "frob": the commands are check, merge, convert, infer, diff, replay\nRun 'astrolabe-segment --help' for usage\.\n$/],
      [["check", "--bogus", file], /^astrolabe-segment check: unknown option --bogus for check/],
      [["check", "nothere.ndjson"], /^astrolabe-segment check: cannot check nothere\.ndjson: no such file or directory\n/],
      [["check", "--config", "nothere.json", file], /cannot read --config nothere\.json: no such file/],
      [["check", "--config", "not-json.json", file], /the --config file is not JSON: .*\(--config not-json\.json\)/],
      [["check", "--plan", "bad-plan.json", file], /trackingPlan the plan's format cannot be told from its shape: it has the keys "rules", while .* \(--plan bad-plan\.json\)\n/],
      [["check", "--format", "xml", file], /--format takes text, json, github \(got "xml"\)/],
      [["check", "--threads", "0", file], /--threads takes a whole number of at least 1/],
      [["check", "--shard", "3/2", file], /--shard takes I\/N with 1 <= I <= N/],
      [["check", "--shard", "1/2", "-"], /standard input \(-\) cannot be split/],
      [["merge"], /name the reports to add up/],
      [["merge", file], /usage\.ndjson is not a report of astrolabe-segment check --format json/],
      [["toString"], /unknown command "toString"/],
      [["convert"], /name the plan to convert/],
      [["convert", "nothere.json"], /^astrolabe-segment convert: cannot read nothere\.json: no such file\n/],
      [["convert", "not-json.json"], /not-json\.json is not JSON: EOF while parsing an object at line 1 column 1\n/],
      [["convert", "bad-plan.json"], /bad-plan\.json is not a tracking plan it can read: the plan's format cannot be told from its shape: it has the keys "rules", while /],
      [["convert", "usage.ndjson"], /usage\.ndjson is not a tracking plan: a plan file holds a JSON object\n/],
      [["convert", "shapeless.json"], /shapeless\.json is not a tracking plan it can read: the plan's format cannot be told from its shape: it has the keys "events", "owner", while a Segment Public API plan has "rules"/],
      [["convert", "--to", "avo", "bad-plan.json"], /--to takes segment \(got "avo"\)/],
      [["convert", "bad-plan.json", "usage.ndjson"], /convert reads one plan \(got 2\)/],
    ];
    for (const [args, message] of cases) {
      const result = run(args, { stdin: "" });
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(" "));
      assert.equal(result.stdout, "", args.join(" "));
    }
    assert.match(run(["check", file]).stderr, /^$/);
  });

  test("--config, --plan and --strict give the library's answers with those settings", () => {
    const plan = {
      rules: [{ type: "TRACK", key: "Order Completed", version: 1, jsonSchema: { properties: { properties: { type: "object", required: ["revenue"] } } } }],
      unplannedEvents: "warn",
      violations: "block",
    };
    const file = write("settings.ndjson", corpusText);
    write("plan.json", JSON.stringify(plan));
    const mappings = {
      upsertUser: { userId: { "@path": "$.traits.email" }, name: { "@path": "$.traits.name" } },
      trackEvent: { event: { "@case": { operator: "lower", value: { "@path": "$.event" } } } },
    };
    write("config.json", JSON.stringify({ strict: false, trackingPlan: { rules: [] }, mappings }));
    const withPlan = check(["--plan", "plan.json", "--strict", file]).report;
    assert.deepEqual(countsOf(withPlan), new Expected(new Destination({ trackingPlan: plan, strict: true })).lines(corpusText).counts());
    assert.ok(withPlan.codes.unplanned_event > 0 && withPlan.codes.plan_violation > 0, JSON.stringify(withPlan.codes));
    const withConfig = check(["--config", "config.json", file]).report;
    const config = JSON.parse(readFileSync(path.join(dir, "config.json"), "utf8"));
    assert.deepEqual(countsOf(withConfig), new Expected(new Destination(config)).lines(corpusText).counts());
    // Events are counted by the name the message sends, not the one a mapping makes of it.
    assert.ok(withConfig.events["Order Completed"].messages > 0 && !withConfig.events["order completed"]);
  });

  test("convert: every real plan in tests/plans as-is; check answers the converted plan as the original, and as the library", () => {
    const plansDir = path.join(repoDir, "tests/plans");
    const cases = readdirSync(plansDir, { recursive: true }).filter((name) => name.endsWith(".cases.json")).sort();
    assert.ok(cases.length >= 15, `${cases.length} plans`);
    for (const name of cases) {
      const { plan: planFile, cases: events } = JSON.parse(readFileSync(path.join(plansDir, name), "utf8"));
      const original = path.join(plansDir, path.dirname(name), planFile);
      const converted = run(["convert", original]);
      assert.equal(converted.status, 0, `${name}: ${converted.stderr}`);
      assert.match(converted.stderr, new RegExp(`^astrolabe-segment convert: read ${escape(original)} as an? [A-Z]`), name);
      const plan = JSON.parse(converted.stdout);
      assert.ok(Array.isArray(plan.rules) && plan.rules.every((rule) => ["TRACK", "IDENTIFY", "GROUP"].includes(rule.type)), name);
      // Converting the converted plan changes nothing; standard input reads as a file does.
      const again = run(["convert", "-"], { stdin: converted.stdout });
      assert.equal(again.stdout, converted.stdout, name);
      assert.match(again.stderr, /^astrolabe-segment convert: read standard input as a Segment Public API plan\n$/, name);

      const convertedFile = write(`converted/${name.replace(/\W/g, "_")}.json`, converted.stdout);
      const traffic = write(`converted/${name.replace(/\W/g, "_")}.ndjson`, events.map((event) => JSON.stringify(event.message)).join("\n") + "\n");
      const asOriginal = check(["--plan", original, traffic]).report;
      const asConverted = check(["--plan", convertedFile, traffic]).report;
      assert.deepEqual(countsOf(asConverted), countsOf(asOriginal), name);
      const text = readFileSync(traffic, "utf8");
      const expected = new Expected(new Destination({ trackingPlan: JSON.parse(readFileSync(original, "utf8")) })).lines(text).counts();
      assert.deepEqual(countsOf(asOriginal), expected, name);
    }
  });

  test("check --plan prints what the plan was read with a warning, once, on standard error", () => {
    const plan = { rules: [{ type: "TRACK", key: "Paid", jsonSchema: { $schema: "https://json-schema.org/2019-09/schema", properties: { properties: { required: ["amount"] } } } }] };
    const planFile = write("near-draft.json", JSON.stringify(plan));
    const traffic = write("paid.ndjson", `${JSON.stringify({ type: "track", userId: "u1", event: "Paid", properties: {} })}\n`);
    const result = run(["check", "--threads", "2", "--plan", planFile, traffic]);
    assert.equal(result.status, 0, result.stderr);
    const warnings = result.stderr.split("\n").filter(Boolean);
    assert.equal(warnings.length, 1, result.stderr);
    assert.match(warnings[0], /^astrolabe-segment check: warning: .*2019-09/);
    const converted = run(["convert", planFile]);
    assert.equal(converted.status, 0, converted.stderr);
    assert.match(converted.stderr, /\nastrolabe-segment convert: warning: .*2019-09/);
    assert.equal(JSON.parse(converted.stdout).rules[0].jsonSchema.$schema, "https://json-schema.org/draft/2019-09/schema");
  });

  test("the output is the same whatever the threads", () => {
    // A stream of several buffers (cut at newlines between workers), and a directory of files.
    const big = Array.from({ length: 30 }, () => corpusText).join("");
    write("threads/big.ndjson", big);
    for (let at = 0; at < 12; at += 1) write(`threads/day-${at}.ndjson.gz`, gzipSync(corpus.slice(at * 50, at * 50 + 80).join("\n")));
    const outputs = {};
    for (const format of ["json", "text", "github"]) {
      for (const threads of ["1", "2", "3"]) {
        const result = run(["check", "--format", format, "--threads", threads, "threads"]);
        assert.equal(result.status, 1, result.stderr);
        outputs[format] ??= result.stdout;
        assert.equal(result.stdout, outputs[format], `--format ${format} --threads ${threads}`);
      }
      const piped = run(["check", "--format", format, "--threads", "3", "-"], { stdin: big });
      const alone = run(["check", "--format", format, "--threads", "1", "-"], { stdin: big });
      assert.equal(piped.stdout, alone.stdout, `${format}, standard input`);
    }
    const expected = new Expected().lines(big);
    for (let at = 0; at < 12; at += 1) expected.lines(corpus.slice(at * 50, at * 50 + 80).join("\n"));
    assert.deepEqual(countsOf(JSON.parse(outputs.json)), expected.counts());
    const github = outputs.github.split("\n").filter((line) => line.startsWith("::"));
    assert.ok(github.length > 3);
    assert.match(github.find((line) => line.startsWith("::error")), /^::error file=threads\/[^,]+,line=\d+,title=astrolabe-segment [a-z_]+::/);
  });

  test("shards split the files and their reports add up to the whole", () => {
    for (let at = 0; at < 20; at += 1) write(`shards/src/${String(at).padStart(2, "0")}.ndjson`, corpus.slice(at * 30, at * 30 + 45).join("\n"));
    const whole = run(["check", "--format", "json", "shards"]).stdout;
    const parts = [];
    for (let shard = 1; shard <= 3; shard += 1) {
      const result = run(["check", "--format", "json", "--shard", `${shard}/3`, "shards"]);
      assert.ok(result.status <= 1, result.stderr);
      parts.push(write(`shard-${shard}.json`, result.stdout));
    }
    const files = parts.map((file) => JSON.parse(readFileSync(file, "utf8")).files);
    assert.equal(files.reduce((a, b) => a + b, 0), 20);
    assert.ok(files.every((count) => count > 0 && count < 20), String(files));
    const merged = run(["merge", "--format", "json", ...parts]);
    assert.equal(merged.status, 1, merged.stderr);
    assert.equal(merged.stdout, whole);
    // The text of the merged report is the text of the whole run.
    assert.equal(run(["merge", ...parts]).stdout, run(["check", "shards"]).stdout);
  });

  test("memory stays flat: 200 MB through standard input", { skip: process.platform !== "linux" && "reads /proc" }, async (t) => {
    const block = Buffer.from(Array.from({ length: 4 }, () => corpusText).join(""));
    const blocks = Math.ceil((200 << 20) / block.length);
    const child = spawn(bin, ["check", "--format", "json", "--threads", "2", "-"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    let peak = 0;
    const sample = setInterval(async () => {
      try {
        const status = await readFile(`/proc/${child.pid}/status`, "utf8");
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024);
      } catch {}
    }, 50);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => (stdout += data));
    child.stderr.on("data", (data) => (stderr += data));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    for (let at = 0; at < blocks; at += 1) {
      if (!child.stdin.write(block)) await new Promise((resolve) => child.stdin.once("drain", resolve));
    }
    child.stdin.end();
    const status = await exited;
    clearInterval(sample);
    assert.equal(status, 1, stderr);
    const report = JSON.parse(stdout);
    const expected = new Expected().lines(corpusText);
    assert.equal(report.messages, expected.messages * 4 * blocks);
    assert.equal(report.invalid, expected.invalid * 4 * blocks);
    const streamed = block.length * blocks;
    t.diagnostic(`check read ${(streamed / 1e6).toFixed(0)} MB through standard input (2 threads): peak RSS ${(peak / 1e6).toFixed(1)} MB`);
    assert.ok(streamed >= 200 << 20);
    assert.ok(peak > 0 && peak < 200e6, `peak RSS ${peak}`);
  });
});
