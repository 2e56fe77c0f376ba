// Finds where things are in JSON text, for the editor: the character range of the value an
// RFC 6901 JSON Pointer names, and line/column <-> offset conversions. No dependencies; works in
// the browser and in Node (tests/www/locate.test.mjs).
//
// Offsets are JavaScript string indices (UTF-16 code units), as setSelectionRange wants them.
// Lines and columns are 1-based and count characters (code points), as the library's messages do.

/** Splits a JSON Pointer into its unescaped reference tokens; null when it is not a pointer. */
export function parsePointer(pointer) {
  if (pointer === "") return [];
  if (typeof pointer !== "string" || pointer[0] !== "/") return null;
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

class Scanner {
  constructor(text) {
    this.text = text;
  }

  fail(at) {
    throw new SyntaxError(`unexpected input at offset ${at}`);
  }

  ws(i) {
    const t = this.text;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
    return i;
  }

  expect(i, ch) {
    if (this.text[i] !== ch) this.fail(i);
    return i + 1;
  }

  /** A string starting at i (on its quote): its decoded value and the offset after it. */
  string(i) {
    const t = this.text;
    i = this.expect(i, '"');
    let value = "";
    let run = i;
    for (;;) {
      if (i >= t.length) this.fail(i);
      const ch = t[i];
      if (ch === '"') {
        value += t.slice(run, i);
        return { value, end: i + 1 };
      }
      if (ch !== "\\") {
        i++;
        continue;
      }
      value += t.slice(run, i);
      const esc = t[i + 1];
      if (esc === "u") {
        const hex = t.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(i);
        // Code units one at a time: an escaped surrogate pair joins up by concatenation.
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else {
        const simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" }[esc];
        if (simple === undefined) this.fail(i);
        value += simple;
        i += 2;
      }
      run = i;
    }
  }

  /** The offset just after the value starting at i. Iterative, so deep nesting cannot overflow. */
  skip(i) {
    const t = this.text;
    const first = t[i];
    if (first === '"') return this.string(i).end;
    if (first !== "{" && first !== "[") {
      const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(t.slice(i, i + 400));
      if (!m) this.fail(i);
      return i + m[0].length;
    }
    let depth = 0;
    while (i < t.length) {
      const ch = t[i];
      if (ch === '"') {
        i = this.string(i).end;
        continue;
      }
      if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return this.fail(i);
  }

  /**
   * The value for one reference token inside the container starting at i, as {start, end}, or
   * null when the container has no such member. With duplicate keys the last one wins, as in the
   * library's parser.
   */
  child(i, token) {
    const t = this.text;
    if (t[i] === "{") {
      let found = null;
      i = this.ws(i + 1);
      if (t[i] === "}") return null;
      for (;;) {
        const key = this.string(i);
        i = this.ws(key.end);
        i = this.ws(this.expect(i, ":"));
        const end = this.skip(i);
        if (key.value === token) found = { start: i, end };
        i = this.ws(end);
        if (t[i] === "}") return found;
        i = this.ws(this.expect(i, ","));
      }
    }
    if (t[i] === "[") {
      if (!/^(?:0|[1-9]\d*)$/.test(token)) return null;
      const wanted = Number(token);
      i = this.ws(i + 1);
      if (t[i] === "]") return null;
      for (let index = 0; ; index++) {
        const end = this.skip(i);
        if (index === wanted) return { start: i, end };
        i = this.ws(end);
        if (t[i] === "]") return null;
        i = this.ws(this.expect(i, ","));
      }
    }
    return null; // a scalar has no members
  }
}

/**
 * The range of the value that `pointer` names in the JSON `text`:
 * `{start, end, exact}` with `exact` false when the pointer goes past what the text holds (a
 * missing member): the range is then the deepest value that exists on the way (often the object
 * that lacks the member). Null when the text is not JSON or the pointer is malformed.
 */
export function locate(text, pointer) {
  const tokens = parsePointer(pointer);
  if (tokens === null || typeof text !== "string") return null;
  const scanner = new Scanner(text);
  try {
    let start = scanner.ws(text.charCodeAt(0) === 0xfeff ? 1 : 0);
    let range = { start, end: scanner.skip(start) };
    for (const token of tokens) {
      const next = scanner.child(range.start, token);
      if (next === null) return { ...range, exact: false };
      range = next;
    }
    return { ...range, exact: true };
  } catch {
    return null;
  }
}

/** The offset of a 1-based line and column (column in code points), clamped to the text. */
export function offsetOf(text, line, column) {
  let i = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", i);
    if (nl < 0) return text.length;
    i = nl + 1;
  }
  for (let c = 1; c < column && i < text.length && text[i] !== "\n"; c++) {
    i += text.codePointAt(i) > 0xffff ? 2 : 1;
  }
  return i;
}

/** The 1-based line and column (in code points) of an offset. */
export function lineColumnOf(text, offset) {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; ) {
    if (text[i] === "\n") {
      line++;
      column = 1;
      i++;
    } else {
      column++;
      i += text.codePointAt(i) > 0xffff ? 2 : 1;
    }
  }
  return { line, column };
}

/** "line L, column C" in a message (the library's wording for broken JSON), or null. */
export function lineColumnIn(message) {
  const m = /line (\d+), column (\d+)/.exec(message ?? "");
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}
