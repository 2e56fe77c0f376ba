import { test } from "node:test";
import assert from "node:assert/strict";
import { locate, parsePointer, offsetOf, lineColumnOf, lineColumnIn } from "../../www/locate.js";

// The text of the value the pointer names (null when locate finds nothing).
function at(text, pointer) {
  const range = locate(text, pointer);
  return range && { text: text.slice(range.start, range.end), exact: range.exact };
}

test("parsePointer unescapes ~1 then ~0 and refuses non-pointers", () => {
  assert.deepEqual(parsePointer(""), []);
  assert.deepEqual(parsePointer("/"), [""]);
  assert.deepEqual(parsePointer("/a~1b/m~0n/~01"), ["a/b", "m~n", "~1"]);
  assert.equal(parsePointer("a"), null);
  assert.equal(parsePointer(null), null);
});

test("the empty pointer is the whole value, without surrounding whitespace", () => {
  assert.deepEqual(at('  \n {"a": 1}  \n', ""), { text: '{"a": 1}', exact: true });
  assert.deepEqual(at("\ufeff[1]", ""), { text: "[1]", exact: true });
});

test("object members, nested, with whitespace everywhere", () => {
  const text = '{\n  "type" : "identify",\n  "traits"\t:\r\n {  "email" :   "a@b" , "n": -1.5e3 }\n}';
  assert.deepEqual(at(text, "/type"), { text: '"identify"', exact: true });
  assert.deepEqual(at(text, "/traits"), { text: '{  "email" :   "a@b" , "n": -1.5e3 }', exact: true });
  assert.deepEqual(at(text, "/traits/email"), { text: '"a@b"', exact: true });
  assert.deepEqual(at(text, "/traits/n"), { text: "-1.5e3", exact: true });
});

test("array indices, in batches", () => {
  const text = '{"batch": [ {"userId": 1}, {"userId": [true, null, false]} ]}';
  assert.deepEqual(at(text, "/batch/0/userId"), { text: "1", exact: true });
  assert.deepEqual(at(text, "/batch/1/userId/2"), { text: "false", exact: true });
  assert.deepEqual(at("[[], [[]], 3]", "/2"), { text: "3", exact: true });
  assert.deepEqual(at("[[], [[]], 3]", "/1/0"), { text: "[]", exact: true });
});

test("indices must be canonical: leading zeros and '-' name nothing", () => {
  assert.deepEqual(at("[1, 2]", "/01"), { text: "[1, 2]", exact: false });
  assert.deepEqual(at("[1, 2]", "/-"), { text: "[1, 2]", exact: false });
  assert.deepEqual(at("[1, 2]", "/2"), { text: "[1, 2]", exact: false });
});

test("~0 and ~1 in tokens match ~ and / in keys", () => {
  const text = '{"a/b": 1, "m~n": 2, "~1": 3}';
  assert.equal(at(text, "/a~1b").text, "1");
  assert.equal(at(text, "/m~0n").text, "2");
  assert.equal(at(text, "/~01").text, "3");
});

test("keys are compared decoded: string escapes, unicode escapes and surrogate pairs", () => {
  const text = '{"a\\"b": 1, "\\u00e9t\\u00E9": 2, "\\ud83d\\ude00": 3, "tab\\t": 4, "s\\/l": 5, "plain é": 6}';
  assert.equal(at(text, '/a"b').text, "1");
  assert.equal(at(text, "/été").text, "2");
  assert.equal(at(text, "/😀").text, "3");
  assert.equal(at(text, "/tab\t").text, "4");
  assert.equal(at(text, "/s~1l").text, "5");
  assert.equal(at(text, "/plain é").text, "6");
});

test("strings holding brackets, quotes and backslashes are skipped whole", () => {
  const text = '{"x": "}]\\"{[\\\\", "y": {"z": "]"}, "w": true}';
  assert.equal(at(text, "/y/z").text, '"]"');
  assert.equal(at(text, "/w").text, "true");
});

test("a missing member gives the deepest existing value, not exact", () => {
  const text = '{"type": "identify", "traits": {"name": "Ada"}}';
  assert.deepEqual(at(text, "/userId"), { text, exact: false });
  assert.deepEqual(at(text, "/traits/email"), { text: '{"name": "Ada"}', exact: false });
  assert.deepEqual(at(text, "/type/0"), { text: '"identify"', exact: false });
  assert.deepEqual(at("{}", "/a"), { text: "{}", exact: false });
  assert.deepEqual(at("[]", "/0"), { text: "[]", exact: false });
});

test("duplicate keys: the last one wins, as in the library's parser", () => {
  assert.equal(at('{"a": 1, "a": 2}', "/a").text, "2");
});

test("the offsets are UTF-16 indices, as setSelectionRange wants", () => {
  const text = '{"emoji": "😀😀", "after": 42}';
  const range = locate(text, "/after");
  assert.equal(text.slice(range.start, range.end), "42");
  assert.equal(range.start, text.indexOf("42"));
});

test("broken JSON and bad pointers give null", () => {
  assert.equal(locate('{"a": ', "/a"), null);
  assert.equal(locate('{"a" 1}', "/a"), null);
  assert.equal(locate('{"a": 1,}', "/b"), null);
  assert.equal(locate('{"a": 1}', "a"), null);
  assert.equal(locate("", ""), null);
});

test("deep nesting does not overflow the stack", () => {
  const depth = 20000;
  const text = '{"deep": ' + "[".repeat(depth) + "]".repeat(depth) + ', "b": 1}';
  assert.equal(at(text, "/b").text, "1");
});

test("line and column, both ways, in code points", () => {
  const text = 'ab\n😀c\n\nxyz';
  assert.equal(offsetOf(text, 1, 1), 0);
  assert.equal(offsetOf(text, 2, 2), 5); // after the emoji (2 code units)
  assert.equal(text[offsetOf(text, 2, 2)], "c");
  assert.equal(offsetOf(text, 4, 3), text.length - 1);
  assert.equal(offsetOf(text, 9, 1), text.length); // clamped
  assert.equal(offsetOf(text, 1, 99), 2); // clamped to the end of the line
  assert.deepEqual(lineColumnOf(text, 5), { line: 2, column: 2 });
  assert.deepEqual(lineColumnOf(text, 0), { line: 1, column: 1 });
  for (let i = 0; i <= text.length; i++) {
    if (text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) < 0xdc00) continue; // inside a pair
    const { line, column } = lineColumnOf(text, i);
    assert.equal(offsetOf(text, line, column), i, `offset ${i}`);
  }
});

test("lineColumnIn reads the library's wording", () => {
  assert.deepEqual(lineColumnIn("The input is not valid JSON: expected `:` at line 3, column 12."), { line: 3, column: 12 });
  assert.equal(lineColumnIn("no position"), null);
  assert.equal(lineColumnIn(undefined), null);
});
