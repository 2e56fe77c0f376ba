// The fast path of map, validate and mapBatch, shared by every entry (pkg/{full,lite}/*.js; the
// build writes fast.cjs from this file for node.cjs, so it keeps to one `export function`).
//
// The exact way in, wasm-bindgen's `map(value)`, walks the JS value from Rust: one crossing of
// the JS/WebAssembly boundary per value, which costs more than the validation itself. Most values
// are plain JSON, and for those `JSON.stringify` (native) then the Rust parser give the very same
// value to the core. So the value is serialized first, with a replacer that gives up (throws
// NOT_PLAIN) at the first thing the walk would treat differently from JSON.stringify, and the
// walk runs whenever it gave up, JSON.stringify threw (a cycle, a getter or toJSON that throws,
// nesting too deep for the stack) or Rust declined the text (nesting past 64 levels, over 500 KB).
// The walk then reports each `not_json`, `too_deep` or `too_large` issue at its JSON Pointer.
// Outcomes are the same, byte for byte, either way (tests/js/consumer/test/fast.test.mjs).

/** Thrown by the replacer to abandon JSON.stringify. */
const NOT_PLAIN = Symbol("not plain JSON");
/** The walk's budget (MAX_VALUES in src/wasm/convert.rs): past it, the walk reports too_large. */
const MAX_VALUES = 300_000;
/** The parser's limit (MAX_BATCH_BYTES in src/input.rs); UTF-8 takes at least a byte per UTF-16 unit. */
const MAX_TEXT = 512_000;
/** Integers from 2^53 on print as digits that are not their value ("9007199254740993" is 2^53). */
const EXACT_INTEGERS = 2 ** 53;

const isArray = Array.isArray;
const getPrototypeOf = Object.getPrototypeOf;
const objectPrototype = Object.prototype;
const stringify = JSON.stringify;
const parse = JSON.parse;
// Lone surrogates (JSON.stringify escapes them; the walk refuses them). Without isWellFormed
// (before ES2024), any surrogate at all sends the value to the walk.
const wellFormed = typeof String.prototype.isWellFormed === "function"
  ? (text) => text.isWellFormed()
  : (text) => !/[\uD800-\uDFFF]/.test(text);
// JSON.rawJSON objects (null prototype) print as their raw text; the walk sees an object.
const isRawJSON = typeof JSON.isRawJSON === "function" ? JSON.isRawJSON : () => false;

/** Values seen by the replacer in the current serialization (saved and restored around reentry). */
let seen = 0;

/**
 * JSON.stringify's replacer: returns `value` unchanged, or throws NOT_PLAIN. It runs once per
 * value (the root, each array item, each own enumerable property, undefined ones too) as the
 * walk visits them, after JSON.stringify has called any toJSON method, with the holder as `this`.
 */
function replacer(key, value) {
  if (++seen > MAX_VALUES) throw NOT_PLAIN;
  if (!wellFormed(key)) throw NOT_PLAIN;
  const original = this[key];
  // A toJSON replaced the value (or a getter gave another): the walk calls toJSON too, with the
  // same argument, except in an array (it passes "", JSON.stringify the index), and only on
  // objects (JSON.stringify also on functions and BigInts).
  if (original !== value && (isArray(this) || typeof original !== "object" || original === null)) throw NOT_PLAIN;
  switch (typeof value) {
    case "string":
      if (!wellFormed(value)) throw NOT_PLAIN;
      return value;
    case "number":
      // NaN and ±Infinity (JSON.stringify writes null), and integers past 2^53. -0 is 0 both ways.
      if (!(value > -EXACT_INTEGERS && value < EXACT_INTEGERS)) throw NOT_PLAIN;
      return value;
    case "boolean":
      return value;
    case "object":
      // Arrays and plain objects only. Map, Set, typed arrays, boxed primitives (JSON.stringify
      // unboxes them, the walk does not), class instances, RegExp, Error, other realms: the walk.
      if (value !== null && !isArray(value)) {
        const prototype = getPrototypeOf(value);
        if (prototype !== objectPrototype && (prototype !== null || isRawJSON(value))) throw NOT_PLAIN;
      }
      return value;
    case "undefined":
      // An absent property in an object; in an array (a hole too) the walk reports it. At the
      // root, JSON.stringify returns undefined, which sends the value to the walk.
      if (isArray(this)) throw NOT_PLAIN;
      return value;
    default:
      // bigint, symbol, function: JSON.stringify throws or leaves them out; the walk reports them.
      throw NOT_PLAIN;
  }
}

/** The JSON text of `value` when it is plain JSON and not over the parser's limit, else undefined. */
function plainText(value) {
  const outer = seen;
  seen = 0;
  let text;
  try {
    text = stringify(value, replacer);
  } catch {
    return undefined;
  } finally {
    seen = outer;
  }
  return text !== undefined && text.length <= MAX_TEXT ? text : undefined;
}

/**
 * The public `Destination`, `map`, `validate` and `mapBatch` of one wasm-bindgen module (`glue`),
 * each trying the fast path first. `Destination` extends the wasm-bindgen class, so `free()`,
 * `Symbol.dispose` and `instanceof` are the class's own; its parent's methods are the
 * exact walk (the tests compare the two).
 */
export function withFastPath(glue) {
  const encoder = new TextEncoder();
  let view = null;

  /**
   * Writes `text` into the module's input buffer with TextEncoder.encodeInto (native; the glue's
   * own string passing copies ASCII one character at a time in JS, which cost more than the
   * mapping) and gives its length in bytes.
   */
  function encode(text) {
    const capacity = text.length * 3;
    const address = glue.__inputBuffer(capacity);
    const buffer = glue.__memory().buffer;
    if (view === null || view.buffer !== buffer || view.byteOffset !== address || view.length < capacity) {
      view = new Uint8Array(buffer, address, capacity);
    }
    return encoder.encodeInto(text, view).written;
  }

  /** Strings the input buffer can carry: within the parser's limit and without lone surrogates. */
  function encodable(input) {
    return typeof input === "string" && input.length <= MAX_TEXT && wellFormed(input);
  }

  class Destination extends glue.Destination {
    mapJson(input, options) {
      return encodable(input) ? this.__mapJsonInput(encode(input), options) : super.mapJson(input, options);
    }

    validate(message, options) {
      const text = plainText(message);
      const result = text === undefined ? undefined : this.__validateText(encode(text), options);
      return result === undefined ? super.validate(message, options) : parse(result);
    }

    map(message, options) {
      const text = plainText(message);
      const result = text === undefined ? undefined : this.__mapText(encode(text), options);
      return result === undefined ? super.map(message, options) : parse(result);
    }

    mapBatch(batch) {
      const text = plainText(batch);
      const result = text === undefined ? undefined : this.__mapBatchText(encode(text));
      return result === undefined ? super.mapBatch(batch) : parse(result);
    }
  }

  function mapJson(input, options) {
    return encodable(input) ? glue.__mapJsonInput(encode(input), options) : glue.mapJson(input, options);
  }

  function validate(message, options) {
    const text = plainText(message);
    const result = text === undefined ? undefined : glue.__validateText(encode(text), options);
    return result === undefined ? glue.validate(message, options) : parse(result);
  }

  function map(message, options) {
    const text = plainText(message);
    const result = text === undefined ? undefined : glue.__mapText(encode(text), options);
    return result === undefined ? glue.map(message, options) : parse(result);
  }

  function mapBatch(batch) {
    const text = plainText(batch);
    const result = text === undefined ? undefined : glue.__mapBatchText(encode(text));
    return result === undefined ? glue.mapBatch(batch) : parse(result);
  }

  return { Destination, mapJson, validate, map, mapBatch };
}
