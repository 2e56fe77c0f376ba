// The fast path of map, validate and mapBatch, and the trap guard of every call, shared by every
// entry (pkg/{full,lite}/*.js; the build writes fast.cjs from this file for node.cjs, so it keeps
// to one `export function`).
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
// The limits are the engine's, written by the build from the Rust constants (limits.js).
import { limits } from "./limits.js";

/** Answers this long or longer to input past ASCII are decoded in pieces where they leave it (decodePieces). */
const PIECES_FROM = 4096;
/** Thrown by the replacer to abandon JSON.stringify. */
const NOT_PLAIN = Symbol("not plain JSON");
/** The walk's budget (MAX_VALUES in crates/wasm/src/convert.rs): past it, the walk reports too_large. */
const MAX_VALUES = limits.jsValues;
/** The parser's limit (MAX_BATCH_BYTES in crates/core/src/input.rs); UTF-8 takes at least a byte per UTF-16 unit. */
const MAX_TEXT = limits.batchBytes;
// Integers from 2^53 on print as digits that are not their value (9007199254740993 prints as
// "9007199254740992"): the walk writes the same digits (js_number::json_number), and the core keeps
// them as an integer while they fit 64 bits. Past that, JSON.stringify's digits ("1e+21",
// "18446744073709552000") are spelled differently by the engine, which copies them, and the walk, so
// the walk answers there.
const INTEGERS_FROM = -(2 ** 63);
const INTEGERS_TO = 2 ** 64;

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
  const original = this[key];
  // A toJSON replaced the value (or a getter gave another): the walk calls toJSON too, with the
  // same argument, except in an array (it passes "", JSON.stringify the index), and only on
  // objects (JSON.stringify also on functions and BigInts).
  if (original !== value && (isArray(this) || typeof original !== "object" || original === null)) throw NOT_PLAIN;
  switch (typeof value) {
    case "string":
      // A lone surrogate, in a key or a value, is written as an escape (\ud800), which the engine
      // refuses as text: the walk then answers, with the path. No check per string here.
      return value;
    case "number":
      // NaN and ±Infinity (JSON.stringify writes null), and numbers past 64-bit integers. -0 is 0
      // both ways.
      if (!(value > INTEGERS_FROM && value < INTEGERS_TO)) throw NOT_PLAIN;
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

/**
 * mapJson's input, cut to what the module needs to refuse it: text over MAX_TEXT bytes is refused
 * on its length alone (too_large or batch_too_large, from its first bytes), so a huge input is not
 * copied into the module's memory in full. A string keeps more than MAX_TEXT UTF-16 units (so more
 * than MAX_TEXT bytes of UTF-8), cut between two characters; one that is not well formed goes in
 * whole, to be refused for its lone surrogate as before.
 */
function bounded(input) {
  if (typeof input === "string") {
    if (input.length <= MAX_TEXT || !wellFormed(input)) return input;
    const end = MAX_TEXT + 8;
    const last = input.charCodeAt(end - 1);
    return input.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
  }
  if (input instanceof Uint8Array) return input.length > MAX_TEXT ? input.subarray(0, MAX_TEXT + 8) : input;
  if (input instanceof ArrayBuffer) return input.byteLength > MAX_TEXT ? new Uint8Array(input, 0, MAX_TEXT + 8) : input;
  return input;
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

// The trap guard. A trap (a WebAssembly.RuntimeError: `unreachable` from a bug under
// panic=abort, an out-of-bounds access, memory that cannot grow) or a stack overflow (RangeError)
// leaves the instance's memory half-way through a call: reusing it would poison every later call,
// for every request an edge isolate serves. So when a call throws one, the module is re-instantiated
// at once (wasm-bindgen's __wbg_reset_state: a new Instance of the same compiled Module, which works
// where bytes cannot be compiled, as in workerd) and that call throws one Error saying so, with the
// trap as its `cause`. Later calls run on the new instance. A Destination made before is compiled
// again from its settings (their JSON text, kept) on its next call, so a Destination kept in a
// global goes on working.
//
// Destinations. A Destination owns nothing in the module: identical settings share one compiled
// Destination there (src/destination_cache.rs), reached by a handle. Every Destination with the
// same settings holds the same token ({ handle, generation, text }); the token is registered for
// finalization once, and when the last Destination holding it has been collected, the module is
// told (__releaseDestination) and keeps the compiled settings among a bounded few for reuse. So
// building a Destination per request costs a lookup (a compile the first time), a Destination
// never freed holds only a small JS object, and how many exist costs nothing per call. (Before,
// each was a wasm-bindgen object with its own memory in the module and its own finalization
// registration; in a loop that never yields, none was finalized, and each full garbage collection,
// set off by the module's memory growing to hold them, walked them all.)

/** A thrown value that means the instance can no longer be trusted. */
function isTrap(error) {
  return error instanceof WebAssembly.RuntimeError || error instanceof RangeError;
}

/**
 * What an answer is asked for as (crates/wasm/src/lib.rs, `shape_of`): `mapJson`'s text (a message or a
 * batch), a message (`map`), a batch (`mapBatch`) or a message's validation (`validate`).
 */
const SHAPE = Object.freeze({ any: 0, message: 1, batch: 2, validation: 3 });

/** A Destination's token (see above); undefined once freed. */
const TOKEN = Symbol("compiled settings");

/**
 * The public API of one wasm-bindgen module (`glue`): `Destination`, `map`, `validate` and
 * `mapBatch` with the fast path, and every call (those and `mapJson`, `transform`,
 * `validateMapping`) under the trap guard. `Destination`'s parent's methods are the exact walk
 * (the tests compare the two). `__forceTrap` is for the tests only (the entries put it on `Destination` under a
 * registered symbol, no export, outside the types and the README's API): it makes the module trap
 * in the middle of a call.
 */
export function withFastPath(glue) {
  /** Incremented each time the module is re-instantiated. */
  let generation = 0;
  const encoder = new TextEncoder();
  let view = null;

  /**
   * Writes `text` into the module's input buffer with TextEncoder.encodeInto (native; the glue's
   * own string passing copies ASCII one character at a time in JS, which cost more than the
   * mapping) and gives its length in bytes. The buffer's address and size are kept between calls:
   * the module moves the buffer only when asked for a larger one, which happens here, and a new
   * instance (after a trap) has its own, so both are asked for again when the generation changes.
   * The views are made again when the memory has grown: growing detaches the buffer they were
   * made on, and a detached view is empty, which is cheaper to ask than the memory's buffer.
   */
  let memory = null;
  let address = 0;
  let capacity = 0;
  let bufferGeneration = -1;
  /** All of the module's memory, for reading answers. */
  let bytes = null;
  /** The last input written was ASCII. */
  let asciiInput = true;
  function encode(text) {
    const needed = text.length * 3;
    if (bufferGeneration !== generation || needed > capacity) {
      // At least 64 KB, so most messages never ask again; a new instance starts small again.
      const grown = bufferGeneration === generation ? capacity * 2 : 0;
      capacity = Math.max(needed, grown, 65536);
      address = glue.__inputBuffer(capacity);
      memory = glue.__memory();
      bufferGeneration = generation;
      view = null;
      bytes = null;
    }
    if (view === null || view.length === 0) {
      view = new Uint8Array(memory.buffer, address, capacity);
    }
    const written = encoder.encodeInto(text, view).written;
    // As many bytes as UTF-16 units: the text is ASCII, and so nearly always is its answer. One
    // that is not (a cut quote's `…`, a sentence's `±`, a custom mapping's text) is decoded whole,
    // as every answer was before pieces.
    asciiInput = written === text.length;
    return written;
  }

  /**
   * What an internal entry answered (crates/wasm/src/lib.rs, `OUTPUT`): the text of `length` bytes the
   * module left at `__outputAddress()`, or `undefined` (-1: the walk answers). An entry that fails
   * throws, as every entry of the module does.
   */
  const decoder = new TextDecoder();
  /** The module finds an answer's spans past ASCII (not the lite build: src/spans.rs). */
  const pieces = typeof glue.__outputSpans === "function";
  function answer(length) {
    if (length >= 0) {
      const start = glue.__outputAddress();
      return length < PIECES_FROM || asciiInput || !pieces ? decode(start, length) : decodePieces(start, length);
    }
    return undefined;
  }

  /** The text of `length` bytes of the module's memory at `start`. */
  function decode(start, length) {
    if (bytes === null || bytes.length === 0) bytes = new Uint8Array(memory.buffer);
    return decoder.decode(bytes.subarray(start, start + length));
  }

  /**
   * A long answer, decoded as pieces when it leaves ASCII (src/spans.rs says why and where): the
   * ASCII runs apart from the spans that hold other characters, joined. Reading a character of
   * the joined string makes it one flat string, as a whole decode gives, before it is returned.
   */
  function decodePieces(start, length) {
    // Finding the spans may grow the memory: views are made after.
    const count = glue.__outputSpans();
    if (count <= 0) return decode(start, length);
    const spans = new Uint32Array(memory.buffer, glue.__spansAddress(), count * 2);
    let text = "";
    let at = 0;
    for (let i = 0; i < spans.length; i += 2) {
      const from = spans[i];
      const to = spans[i + 1];
      if (from > at) text += decode(start + at, from - at);
      text += decode(start + from, to - from);
      at = to;
    }
    if (at < length) text += decode(start + at, length - at);
    text.charCodeAt(0);
    return text;
  }

  /** Strings the input buffer can carry: within the parser's limit and without lone surrogates. */
  function encodable(input) {
    return typeof input === "string" && input.length <= MAX_TEXT && wellFormed(input);
  }

  /** The error a call throws: a trap re-instantiates the module first and is wrapped. */
  function after(error) {
    if (!isTrap(error)) return error;
    try {
      glue.__wbg_reset_state();
      generation += 1;
      tokens = new Map();
    } catch (failure) {
      return new Error(
        `astrolabe-segment: the WebAssembly module failed (${error}) and could not be instantiated again (${failure})`,
        { cause: error },
      );
    }
    return new Error(
      `astrolabe-segment: internal error: the WebAssembly module failed during this call (${error}). ` +
        "It has been instantiated again and later calls work; please report the input that caused it.",
      { cause: error },
    );
  }

  /** Tokens by handle, of this instance: every Destination with the same settings holds one. */
  let tokens = new Map();
  // Without WeakRef and FinalizationRegistry (older runtimes) tokens are kept for good: the
  // module then keeps each distinct settings' compiled Destination, as many as were built.
  const weak = typeof WeakRef === "function" && typeof FinalizationRegistry === "function";
  const collected = weak
    ? new FinalizationRegistry((state) => {
        if (state.generation !== generation) return; // of an instance that is gone (a trap)
        if (tokens.get(state.handle)?.deref() === undefined) tokens.delete(state.handle);
        if (state.released) return; // free() released it already
        state.released = true;
        try {
          glue.__releaseDestination(state.handle);
        } catch {
          // Nothing to report here: a broken instance is found, and replaced, by the next call.
        }
      })
    : undefined;

  /**
   * The token of `handle`, compiled from `text`: the live one, or a new holder of it. It counts
   * the Destinations holding it: free() on the last one releases it at once (and a Destination
   * built again with the same settings holds it again); Destinations dropped without free() are
   * released when the token is collected. A token released and still alive whose handle now names
   * other settings (dropped by the module, its place reused) is replaced.
   */
  function tokenOf(handle, text) {
    const known = tokens.get(handle)?.deref();
    if (known !== undefined && known.text === text) {
      if (known.state.released) {
        glue.__holdDestination(handle);
        known.state.released = false;
      }
      return known;
    }
    const state = { handle, generation, released: false };
    const token = { handle, generation, text, destinations: 0, state };
    glue.__holdDestination(handle);
    if (weak) {
      tokens.set(handle, new WeakRef(token));
      collected.register(token, state);
    } else {
      tokens.set(handle, { deref: () => token });
    }
    return token;
  }

  /** A Destination holding `token` lets go of it (free()); the last one releases it now. */
  function letGo(token) {
    token.destinations -= 1;
    if (token.destinations > 0 || token.generation !== generation || token.state.released) return;
    token.state.released = true;
    glue.__releaseDestination(token.handle);
  }

  /**
   * The token of the settings `text` (JSON), compiled now or shared; `config` is read by the walk
   * when the module cannot read the text as the walk would (a lone surrogate JSON.stringify escaped).
   */
  function tokenFor(text, config) {
    let handle = text === undefined ? -1 : glue.__destinationFromText(encode(text));
    if (handle === -1) {
      text = glue.__configText(config);
      handle = glue.__destinationFromText(encode(text));
    }
    return tokenOf(handle, text);
  }

  /** The settings as JSON text when JSON.stringify writes them as the walk reads them. */
  function settingsText(config) {
    if (config === undefined || config === null) return "null";
    const text = plainText(config);
    return text !== undefined && wellFormed(text) ? text : undefined;
  }

  /**
   * The module's handle of `destination`'s compiled settings. One made before the module was
   * instantiated again (after a trap) has its settings compiled in the new instance first.
   */
  function handleOf(destination) {
    const token = destination[TOKEN];
    if (token === undefined) {
      throw new Error(
        Object.hasOwn(destination, TOKEN)
          ? "astrolabe-segment: this Destination was freed (free() or using): build another with new Destination(config)"
          : "astrolabe-segment: not a Destination (build one with new Destination(config))",
      );
    }
    if (token.generation === generation) return token.handle;
    const fresh = tokenFor(token.text);
    fresh.destinations += 1;
    destination[TOKEN] = fresh;
    return fresh.handle;
  }

  /**
   * The exact way in: the walk over the JS value (crates/wasm/src/convert.rs), which Destination's fast
   * path falls back to when only the walk can answer exactly. Tests compare the two.
   */
  class ExactDestination {
    validate(message, options) {
      return glue.__answerValue(handleOf(this), message, SHAPE.validation, options);
    }

    map(message, options) {
      return glue.__answerValue(handleOf(this), message, SHAPE.message, options);
    }

    mapBatch(batch) {
      return glue.__answerValue(handleOf(this), batch, SHAPE.batch, undefined);
    }

    mapJson(input, options) {
      return glue.__answerValue(handleOf(this), input, SHAPE.any, options);
    }
  }

  class Destination extends ExactDestination {
    constructor(config) {
      super();
      try {
        const token = tokenFor(settingsText(config), config);
        token.destinations += 1;
        this[TOKEN] = token;
      } catch (error) {
        throw after(error);
      }
    }

    validate(message, options) {
      try {
        const handle = handleOf(this);
        const text = plainText(message);
        const result = text === undefined ? undefined : answer(glue.__answerText(handle, encode(text), SHAPE.validation, options));
        return result === undefined ? super.validate(message, options) : parse(result);
      } catch (error) {
        throw after(error);
      }
    }

    map(message, options) {
      try {
        const handle = handleOf(this);
        const text = plainText(message);
        const result = text === undefined ? undefined : answer(glue.__answerText(handle, encode(text), SHAPE.message, options));
        return result === undefined ? super.map(message, options) : parse(result);
      } catch (error) {
        throw after(error);
      }
    }

    mapBatch(batch) {
      try {
        const handle = handleOf(this);
        const text = plainText(batch);
        const result = text === undefined ? undefined : answer(glue.__answerText(handle, encode(text), SHAPE.batch, undefined));
        return result === undefined ? super.mapBatch(batch) : parse(result);
      } catch (error) {
        throw after(error);
      }
    }

    mapJson(input, options) {
      try {
        const handle = handleOf(this);
        return encodable(input) ? answer(glue.__answerText(handle, encode(input), SHAPE.any, options)) : super.mapJson(bounded(input), options);
      } catch (error) {
        throw after(error);
      }
    }

    /**
     * The quarantine records (JSONL, one line per refused message; "" when none is refused) of a
     * request's body, as received: `meta` is `{ receivedAt, route, requestId }`, `options`
     * `{ type?, takes? }` (crates/wasm/src/lib.rs, `quarantine`; docs/quarantine.md).
     */
    quarantine(input, meta, options) {
      try {
        return glue.__quarantine(handleOf(this), input, meta, options);
      } catch (error) {
        throw after(error);
      }
    }

    /** What the settings were read with a warning (the full build's plans only; none in lite). */
    get warnings() {
      if (glue.__destinationWarnings === undefined) return [];
      try {
        return glue.__destinationWarnings(handleOf(this));
      } catch (error) {
        throw after(error);
      }
    }

    /**
     * Lets go of the compiled settings (released now when no other Destination holds them); later
     * calls throw. Optional: a Destination holds no memory of its own in the module, and settings
     * no Destination holds any more are released at garbage collection.
     */
    free() {
      const token = this[TOKEN];
      if (token === undefined) return;
      this[TOKEN] = undefined;
      try {
        letGo(token);
      } catch (error) {
        throw after(error);
      }
    }
  }
  if (typeof Symbol.dispose === "symbol") {
    Object.defineProperty(Destination.prototype, Symbol.dispose, {
      value() {
        this.free();
      },
      writable: true,
      configurable: true,
    });
  }

  /** The Destination of map, validate, mapBatch and mapJson: the default settings, made on first use. */
  let byDefault;
  const defaults = () => (byDefault ??= new Destination());

  function validate(message, options) {
    return defaults().validate(message, options);
  }

  function map(message, options) {
    return defaults().map(message, options);
  }

  function mapBatch(batch) {
    return defaults().mapBatch(batch);
  }

  function mapJson(input, options) {
    return defaults().mapJson(input, options);
  }

  function transform(mapping, payload) {
    try {
      return glue.transform(mapping, payload);
    } catch (error) {
      throw after(error);
    }
  }

  function validateMapping(mapping) {
    try {
      return glue.validateMapping(mapping);
    } catch (error) {
      throw after(error);
    }
  }

  /** Test-only: a trap in the middle of a call, to check the recovery. */
  function __forceTrap(value) {
    try {
      glue.__forceTrap(value);
    } catch (error) {
      throw after(error);
    }
  }

  return { Destination, validate, map, mapBatch, mapJson, transform, validateMapping, __forceTrap };
}
