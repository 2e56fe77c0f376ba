// Long answers past ASCII, decoded in pieces (pkg/shared/fast.js `decodePieces`, src/spans.rs):
// the same text as a whole decode, for every arrangement of characters, on the installed package;
// and the pieces' way itself, over a stand-in module whose answers and spans the test writes.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { createRequire } from "node:module";
import { loadAll } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const loaded = await loadAll();
const installed = path.dirname(require.resolve("astrolabe-segment/package.json"));
const { withFastPath } = await import(path.join(installed, "shared/fast.js"));

/** A batch of `count` track messages; `name(i)` is the i-th message's event and a property. */
function batch(count, name) {
  const items = Array.from({ length: count }, (_, i) => ({
    type: "track",
    userId: `user-${i}`,
    event: name(i),
    properties: { label: name(i), plain: "x".repeat(40), index: i },
  }));
  return JSON.stringify({ batch: items });
}

const characters = ["é", "ß", "\u0080", "\u07ff", "\u0800", "中文", "\uffff", "😀", "\u{10000}", "e\u0301", "👩‍💻", "Ünïcødé ✓"];
/** Long answers, each over 16 KB: ASCII only, a few far apart, close ones, dense ones. */
const texts = {
  ascii: batch(200, (i) => `Event ${i}`),
  "one far from the start": batch(200, (i) => (i === 150 ? "Café" : `Event ${i}`)),
  "one in the first item": batch(200, (i) => (i === 0 ? "中" : `Event ${i}`)),
  "one in the last item": batch(200, (i) => (i === 199 ? "😀" : `Event ${i}`)),
  "every kind, far apart": batch(240, (i) => (i % 20 === 0 ? `Event ${characters[(i / 20) % characters.length]}` : `Event ${i}`)),
  "every kind, in every item": batch(240, (i) => `${characters[i % characters.length]} ${i}`),
  "two in one item": batch(200, (i) => (i % 50 === 7 ? "é-x-é" : `Event ${i}`)),
  "all another script": batch(200, () => "Оформление заказа завершено"),
};

for (const { label, api } of loaded) {
  describe(`long answers past ASCII, ${label}`, () => {
    const walk = Object.getPrototypeOf(api.Destination.prototype);
    const destination = new api.Destination();
    for (const [name, text] of Object.entries(texts)) {
      test(name, () => {
        const answer = destination.mapJson(text);
        assert.ok(Buffer.byteLength(answer) >= 4096, "the answer is long enough to be cut");
        // The walk's mapJson (a string returned the wasm-bindgen way) decodes the answer whole.
        assert.equal(answer, walk.mapJson.call(destination, text));
        assert.equal(api.mapJson(text), answer);
        const outcomes = JSON.parse(answer).outcomes;
        const sent = JSON.parse(text).batch;
        assert.deepEqual(outcomes.map((outcome) => outcome.operations[0].event), sent.map((item) => item.event));
      });
    }
  });
}

describe("decodePieces over a stand-in module", () => {
  const encoder = new TextEncoder();
  const memory = new WebAssembly.Memory({ initial: 16 });
  const OUTPUT = 65_536;
  const SPANS = 8;
  let answer = new Uint8Array();
  /** What the stand-in's __outputSpans gives, and how often it was asked. */
  let spans = [];
  let asked = 0;
  const glue = {
    __inputBuffer: () => 4096,
    __memory: () => memory,
    __outputAddress: () => OUTPUT,
    __outputSpans() {
      asked += 1;
      if (!Array.isArray(spans)) return spans;
      new Uint32Array(memory.buffer, SPANS, spans.length).set(spans);
      return spans.length / 2;
    },
    __spansAddress: () => SPANS,
    __destinationFromText: () => 0,
    __holdDestination: () => {},
    __answerText() {
      new Uint8Array(memory.buffer, OUTPUT, answer.length).set(answer);
      return answer.length;
    },
  };
  const fast = withFastPath(glue);
  const destination = new fast.Destination();

  /** The text the stand-in answers, with the spans it reports for it, to `input`. */
  function answers(text, reported, input = '{"name":"Zoë"}') {
    answer = encoder.encode(text);
    spans = reported;
    asked = 0;
    return destination.mapJson(input);
  }

  const long = `${"a".repeat(10_000)}é${"b".repeat(10_000)}中😀${"c".repeat(100)}`;
  const at = (needle) => encoder.encode(long.slice(0, long.indexOf(needle))).length;

  test("an answer cut at its spans is the whole text again", () => {
    assert.equal(answers(long, [at("é"), at("é") + 2, at("中"), at("中") + 7]), long);
    assert.equal(asked, 1);
  });

  test("spans at the very start and end, and one covering everything", () => {
    const text = `é${"a".repeat(20_000)}ü`;
    const size = encoder.encode(text).length;
    assert.equal(answers(text, [0, 2, size - 2, size]), text);
    assert.equal(answers(text, [0, size]), text);
  });

  test("no spans (ASCII) and -1 (too many) decode whole", () => {
    const ascii = "z".repeat(20_000);
    assert.equal(answers(ascii, []), ascii);
    assert.equal(asked, 1);
    assert.equal(answers(long, -1), long);
    assert.equal(asked, 1);
  });

  test("short answers are decoded whole, without asking for spans", () => {
    const short = `${"a".repeat(100)}é`;
    assert.equal(answers(short, [100, 102]), short);
    assert.equal(asked, 0);
    // 4095 bytes, then 4096.
    const justShort = `${"é".repeat(2047)}a`;
    assert.equal(answers(justShort, [0, 4094]), justShort);
    assert.equal(asked, 0);
    const justLong = "é".repeat(2048);
    assert.equal(answers(justLong, [0, 4096]), justLong);
    assert.equal(asked, 1);
  });

  test("answers to ASCII input are decoded whole, without asking for spans", () => {
    assert.equal(answers(long, [at("é"), at("é") + 2], '{"name":"Zoe"}'), long);
    assert.equal(asked, 0);
    // An ASCII answer to ASCII input, and one with an ellipsis (a long value quoted, cut).
    const cut = `${"a".repeat(5000)}…`;
    assert.equal(answers(cut, [5000, 5003], "{}"), cut);
    assert.equal(asked, 0);
  });
});
