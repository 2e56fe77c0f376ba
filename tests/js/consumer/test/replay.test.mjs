// `astrolabe-segment replay` as users run it: the installed package's `bin`, spawned on a quarantine
// file written here as the contract says records are (docs/quarantine.md), against real local
// servers: the package's own edge handler (astrolabe-segment/edge) served by node:http as the gate
// of --to, and, behind it or alone for --astrolabe, the fault upstream of the edge tests, which
// stores operations once per messageId (tests/edge/fault-upstream.mjs). A replay made twice must
// store nothing new; --dry-run must send nothing; a message still invalid comes back refused with
// its codes; a line that is not a record is reported with its file and line.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createHandler } from "astrolabe-segment/edge";
import { startFaultUpstream } from "../../../edge/fault-upstream.mjs";
import { consumerDir } from "./helpers.mjs";

const bin = path.join(consumerDir, "node_modules/.bin/astrolabe-segment");
const API_KEY = "ak_replay";
const WRITE_KEY = "wk_replay";
let dir;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "astrolabe-replay-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the installed bin without blocking this process (the servers it talks to live here):
 * `{ status, stdout, stderr, results }`, `results` the JSON lines of stdout when it has them.
 */
function run(args, { env = {}, stdin } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: dir,
      env: { ...process.env, SEGMENT_WRITE_KEY: "", ASTROLABE_API_KEY: "", ASTROLABE_RETRY_BASE_MS: "20", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      let results;
      try {
        results = stdout.trim() === "" ? [] : stdout.trim().split("\n").map((line) => JSON.parse(line));
      } catch {
        results = undefined;
      }
      resolve({ status, stdout, stderr, results });
    });
    child.stdin.end(stdin);
  });
}

function write(name, data) {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
}

/** A record as the library writes it: keys in the contract's order, the message's text spliced in. */
function record({ route, requestId, index = null, errors = [], message, envelope, body }) {
  const head = `{"quarantine":1,"receivedAt":"2026-12-07T20:00:00.000Z","route":${JSON.stringify(route)},"requestId":${JSON.stringify(requestId)},"index":${JSON.stringify(index)},"errors":${JSON.stringify(errors)}`;
  if (body !== undefined) return `${head},"body":${JSON.stringify(body)}}`;
  return `${head},"message":${message}${envelope === undefined ? "" : `,"envelope":${envelope}`}}`;
}

// The messages' texts as received: a number past 2^53 that JSON.parse would round, and spacing.
const BIG = "12345678901234567890123";
const TRACK = `{"userId": "u_1", "event": "Order Completed", "properties": {"total": ${BIG}}, "messageId": "m-track"}`;
const STILL_INVALID = '{"type":"track","userId":"u_2","properties":{},"messageId":"m-no-event"}';
const IDENTIFY = '{"type":"identify","userId":"u_3","traits":{"email":"ada@example.com"},"messageId":"m-identify"}';
const ENVELOPE = '{"context":{"library":{"name":"analytics-node","version":"2.1.0"}},"sentAt":"2026-12-07T19:59:59.000Z"}';
const WARNED = '{"userId":"u_4","traits":{"email":42},"messageId":"m-warned"}';
const WEBHOOK = '{"type":"group","userId":"u_5","groupId":"g_5","traits":{"name":"Initech"},"messageId":"m-group"}';

const QUARANTINE = [
  record({ route: "/v1/track", requestId: "req-1", errors: [{ code: "plan_violation", path: "/properties/total", message: "then" }], message: TRACK }),
  record({ route: "/v1/batch", requestId: "req-2", index: 3, errors: [{ code: "missing_event", path: "/batch/3/event", message: "then" }], message: STILL_INVALID, envelope: ENVELOPE }),
  record({ route: "/v1/import", requestId: "req-2b", index: 0, message: IDENTIFY, envelope: ENVELOPE }),
  "{ this line is not a record",
  record({ route: "/v1/batch", requestId: "req-3", errors: [{ code: "invalid_json", path: "", message: "then" }], body: '{"batch": [ {"type": "track"' }),
  "",
  record({ route: "/v1/i", requestId: "req-4", message: WARNED }),
  record({ route: "/webhook", requestId: "req-5", message: WEBHOOK }),
].join("\n") + "\n";

/** The results without their sentences: line, requestId, index, status and codes at paths. */
const brief = (results) => results.map((r) => `${r.line} ${r.requestId} ${r.index} ${r.status} ${r.errors.map((e) => `${e.code}@${e.path}`).join(",")}`);

const EXPECTED = (delivered) => [
  `1 req-1 null ${delivered} `,
  "2 req-2 3 refused missing_event@/batch/3/event",
  `3 req-2b 0 ${delivered} `,
  "4 null null failed invalid_record@",
  "5 req-3 null refused invalid_json@",
  `7 req-4 null ${delivered} `,
  `8 req-5 null ${delivered} `,
];

/** The package's edge handler on node:http, as a gate; `script` answers the next requests first. */
async function startGate(settings) {
  const handle = createHandler(settings, { log: () => {} });
  const gate = { requests: [], script: [] };
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    gate.requests.push({ url: req.url, headers: req.headers, body: body.toString("utf8") });
    const step = gate.script.shift();
    if (step !== undefined) {
      res.writeHead(step.status, { "content-type": "application/json", ...(step.headers ?? {}) });
      return res.end(JSON.stringify(step.body ?? {}));
    }
    const response = await handle(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers, body: req.method === "POST" ? body : undefined }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  gate.url = `http://127.0.0.1:${server.address().port}`;
  gate.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return gate;
}

test("--help says how, with examples; the overview lists replay", async () => {
  const help = await run(["replay", "--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: astrolabe-segment replay QUARANTINE\.jsonl/);
  for (const option of ["--to URL", "--astrolabe URL", "--dry-run", "--config FILE", "--write-key KEY", "--format FORMAT", "ASTROLABE_API_KEY", "Exit status:", "Examples:"]) {
    assert.ok(help.stdout.includes(option), option);
  }
  assert.equal(help.stderr, "");
  const overview = await run(["--help"]);
  assert.match(overview.stdout, /\n {2}replay +send the quarantine's refused messages again/);
});

test("usage errors exit 2 and say what to do: a missing file, no destination, no API key, two destinations", async () => {
  const file = write("usage.jsonl", QUARANTINE);
  const cases = [
    [["replay", path.join(dir, "missing.jsonl"), "--dry-run"], /cannot read .*missing\.jsonl: no such file/],
    [["replay", file], /say where to: --to URL/],
    [["replay", file, "--astrolabe", "http://127.0.0.1:9/v1/operations"], /needs ASTROLABE_API_KEY in the environment/],
    [["replay", file, "--to", "http://127.0.0.1:9", "--astrolabe", "http://127.0.0.1:9"], /give one of them/],
    [["replay", file, "--to", "ftp://example.com"], /--to takes an http or https URL/],
    [["replay", "--dry-run"], /name the quarantine file/],
    [["replay", file, "--dry-run", "--config", write("bad-config.json", "{ nope")], /--config .* is not JSON/],
    [["replay", file, "--dry-run", "--format", "yaml"], /--format takes json, text/],
    [["replay", file, "--dry-run", "--api-key", "k"], /unknown option --api-key/],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(" "));
    assert.match(result.stderr, /Run 'astrolabe-segment replay --help' for usage\./);
    assert.equal(result.stdout, "", "nothing on stdout");
  }
});

describe("against a gate (--to) and straight to Astrolabe (--astrolabe)", () => {
  let upstream;
  let gate;
  let file;
  before(async () => {
    upstream = await startFaultUpstream({ apiKey: API_KEY });
    gate = await startGate({ ASTROLABE_ENDPOINT: upstream.url, ASTROLABE_API_KEY: API_KEY, SEGMENT_WRITE_KEY: WRITE_KEY, ASTROLABE_RETRY_BASE_MS: "20" });
    file = write("quarantine.jsonl", QUARANTINE);
  });
  after(async () => {
    await gate?.close();
    await upstream?.close();
  });

  test("--dry-run sends nothing, and says what would be delivered and what is still refused (--config's settings)", async () => {
    const before = { gate: gate.requests.length, upstream: upstream.stats().requests };
    const result = await run(["replay", file, "--to", gate.url, "--dry-run"]);
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(brief(result.results), EXPECTED("would-deliver"));
    assert.deepEqual(Object.keys(result.results[0]), ["line", "requestId", "route", "index", "status", "errors"], "stable keys");
    assert.match(result.results[1].errors[0].message, /event/);
    assert.match(result.stderr, /quarantine\.jsonl:4: not JSON/, "the bad line with its file and line");
    assert.match(result.stderr, /7 records of .*quarantine\.jsonl \(dry run: nothing sent\): 4 would-deliver, 2 refused, 1 failed/);
    // --config: strict makes the warned message (email: 42) refused.
    const strict = await run(["replay", file, "--dry-run", "--config", write("strict.json", '{"strict": true}')]);
    assert.equal(strict.status, 1);
    assert.equal(brief(strict.results)[5], "7 req-4 null refused reserved_trait_type@/traits/email");
    assert.deepEqual({ gate: gate.requests.length, upstream: upstream.stats().requests }, before, "nothing was sent");
  });

  test("--to: delivered, still refused with its codes, the bad line failed; a second replay stores nothing new", async () => {
    const first = await run(["replay", file, "--to", gate.url, "--write-key", WRITE_KEY]);
    assert.equal(first.status, 1, first.stderr);
    assert.deepEqual(brief(first.results), EXPECTED("delivered"));
    assert.match(first.stderr, /7 records of .* to http:\/\/127\.0\.0\.1:\d+\/: 4 delivered, 2 refused, 1 failed/);
    const stored = upstream.stats().storedKeys;
    assert.ok(stored >= 4, `stored ${stored}`);
    for (const id of ["m-track", "m-identify", "m-warned", "m-group"]) {
      assert.ok([...upstream.storage.keys()].some((key) => key.endsWith(`\u0000${id}`)), `${id} stored under its messageId`);
    }
    // What the gate received: each message's text as it stands, routed as the contract says.
    const sent = gate.requests.slice(-6);
    assert.deepEqual(sent.map((r) => r.url), ["/v1/track", "/v1/batch", "/v1/batch", "/v1/batch", "/v1/i", "/v1/batch"]);
    assert.equal(sent[0].body, TRACK, "the single message, byte for byte (the big number's digits kept)");
    assert.ok(sent[0].body.includes(BIG));
    assert.equal(sent[1].body, `{"batch":[${STILL_INVALID}],"context":{"library":{"name":"analytics-node","version":"2.1.0"}},"sentAt":"2026-12-07T19:59:59.000Z"}`);
    assert.equal(sent[3].body, '{"batch": [ {"type": "track"', "a body refused as a whole goes again as it was");
    assert.equal(sent[5].body, `{"batch":[${WEBHOOK}]}`, "a /webhook message, which carries its type, as a batch of one");
    for (const request of sent) assert.equal(request.headers.authorization, `Basic ${Buffer.from(`${WRITE_KEY}:`).toString("base64")}`);

    const again = await run(["replay", file, "--to", gate.url], { env: { SEGMENT_WRITE_KEY: WRITE_KEY } });
    assert.equal(again.status, 1);
    assert.deepEqual(brief(again.results), EXPECTED("delivered"), "the same answers");
    assert.equal(upstream.stats().storedKeys, stored, "nothing new stored");
    assert.ok(upstream.stats().dedupedOnStore >= 4, "the repeats reached Astrolabe and were dropped there by messageId");
  });

  test("--astrolabe: checked here, delivered with messageIds and an Idempotency-Key; a second replay stores nothing new", async () => {
    const alone = await startFaultUpstream({ apiKey: API_KEY });
    try {
      const env = { ASTROLABE_API_KEY: API_KEY };
      const first = await run(["replay", file, "--astrolabe", alone.url], { env });
      assert.equal(first.status, 1, first.stderr);
      assert.deepEqual(brief(first.results), EXPECTED("delivered"));
      const stored = alone.stats().storedKeys;
      assert.equal(alone.stats().requests, 4, "one request per delivered message");
      assert.ok(alone.log.every((entry) => /^[0-9a-f]{64}$/.test(entry.idempotencyKey)), "each with an Idempotency-Key");
      const track = alone.log[0].operations.find((operation) => operation.op === "trackEvent");
      assert.equal(track.messageId, "m-track");
      assert.equal(alone.stats().missingMessageId, 0);

      const again = await run(["replay", file, "--astrolabe", alone.url, "--format", "text"], { env });
      assert.equal(again.status, 1);
      assert.equal(alone.stats().storedKeys, stored, "nothing new stored");
      assert.equal(alone.log[4].idempotencyKey, alone.log[0].idempotencyKey, "the same key for the same message");
      // The table: a header, then a row per record.
      const rows = again.stdout.trimEnd().split("\n");
      assert.match(rows[0], /^ +LINE +STATUS +INDEX +ROUTE +REQUEST +ERRORS$/);
      assert.match(rows[2], /^ +2 +refused +3 +\/v1\/batch +req-2 +missing_event at \/batch\/3\/event$/);
      assert.match(rows[4], /^ +4 +failed +- +- +- +invalid_record: not JSON/);
      assert.equal(rows.length, 8);
    } finally {
      await alone.close();
    }
  });

  test("--astrolabe retries what a retry can mend, and never follows a redirect", async () => {
    const alone = await startFaultUpstream({ apiKey: API_KEY });
    try {
      const one = write("one.jsonl", `${record({ route: "/v1/track", requestId: "req-one", message: TRACK })}\n`);
      alone.force(["503", "500", "ok"]);
      const retried = await run(["replay", one, "--astrolabe", alone.url], { env: { ASTROLABE_API_KEY: API_KEY } });
      assert.equal(retried.status, 0, retried.stderr);
      assert.equal(retried.results[0].status, "delivered");
      assert.equal(alone.stats().requests, 3);
      alone.force(["redirect-307"]);
      const moved = await run(["replay", one, "--astrolabe", alone.url], { env: { ASTROLABE_API_KEY: API_KEY } });
      assert.equal(moved.status, 1);
      assert.equal(moved.results[0].status, "failed");
      assert.equal(moved.results[0].errors[0].code, "upstream_redirect");
      assert.equal(alone.stats().sinkRequests, 0, "the redirect was not followed");
    } finally {
      await alone.close();
    }
  });

  test("--to: 5xx retried, a redirect not followed, a wrong write key failed; gzip on standard input", async () => {
    const one = `${record({ route: "/v1/track", requestId: "req-one", message: TRACK })}\n`;
    const gz = write("one.jsonl.gz", gzipSync(one));
    const count = gate.requests.length;
    gate.script.push({ status: 503, headers: { "retry-after": "0" }, body: { message: "busy" } }, { status: 502, body: { message: "upstream" } });
    const retried = await run(["replay", gz, "--to", gate.url, "--write-key", WRITE_KEY]);
    assert.equal(retried.status, 0, retried.stderr);
    assert.equal(retried.results[0].status, "delivered");
    assert.equal(gate.requests.length - count, 3, "two failed attempts, then the delivery");

    gate.script.push({ status: 307, headers: { location: "http://127.0.0.1:9/elsewhere" } });
    const moved = await run(["replay", "-", "--to", gate.url, "--write-key", WRITE_KEY], { stdin: gzipSync(one) });
    assert.equal(moved.status, 1);
    assert.equal(moved.results[0].errors[0].code, "gate_redirect");
    assert.match(moved.results[0].errors[0].message, /never followed/);

    const wrong = await run(["replay", gz, "--to", gate.url, "--write-key", "not-the-key"]);
    assert.equal(wrong.status, 1);
    assert.deepEqual(brief(wrong.results), ["1 req-one null failed unauthorized@"]);
    assert.match(wrong.results[0].errors[0].message, /HTTP 401/);

    // A gate that is not there: failed after the retries, not a crash.
    const gone = await run(["replay", gz, "--to", "http://127.0.0.1:9"], { env: { ASTROLABE_RETRY_MAX_ATTEMPTS: "2" } });
    assert.equal(gone.status, 1);
    assert.equal(gone.results[0].errors[0].code, "gate_unreachable");
  });
});
