// A record as the inspector keeps it: each message once. An operation's traits or properties
// that are the message's own (identify's traits, track's properties: most of a message's bytes)
// are not a second copy. In memory the operation holds the message's very object; in the file it
// holds null, and the record's `shared` list says where to find it:
//   "shared": [[operation index, field, JSON Pointer into the message], ...]
// Whoever reads a record (the query API, the export, the Live view) gets it whole, as before.

/** Where an operation's field may come from in the message: `/traits`, `/context/traits`. */
const places = (field) => [[field], ["context", field]];

/** The value at `path` (keys) in `message`, or undefined. */
function at(message, path) {
  let value = message;
  for (const key of path) {
    if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

const isObject = (value) => value !== null && typeof value === "object";
const pointerOf = (path) => path.map((key) => `/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
const pathOf = (pointer) => pointer.split("/").slice(1).map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"));

/** True when two JSON values are the same JSON text, keys in the same order (no text is made). */
function same(a, b) {
  if (a === b) return true;
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!same(a[i], b[i])) return false;
    return true;
  }
  const keys = Object.keys(a);
  const others = Object.keys(b);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i += 1) if (keys[i] !== others[i] || !same(a[keys[i]], b[keys[i]])) return false;
  return true;
}

/**
 * Makes each operation field that equals the message's own (the same JSON) hold the message's
 * object, so that memory and the file keep one copy. Returns the record.
 */
export function share(record) {
  const operations = record.outcome?.operations;
  if (!Array.isArray(operations) || !isObject(record.message)) return record;
  for (const operation of operations) {
    if (!isObject(operation)) continue;
    for (const [field, value] of Object.entries(operation)) {
      if (!isObject(value)) continue;
      for (const path of places(field)) {
        const own = at(record.message, path);
        if (same(own, value)) {
          operation[field] = own;
          break;
        }
      }
    }
  }
  return record;
}

/** The record as one line of the file (without its newline): shared fields as references. */
export function lineOf(record) {
  const operations = record.outcome?.operations;
  const shared = [];
  let kept = operations;
  if (Array.isArray(operations) && isObject(record.message)) {
    kept = operations.map((operation, index) => {
      if (!isObject(operation)) return operation;
      let copy = operation;
      for (const [field, value] of Object.entries(operation)) {
        if (!isObject(value)) continue;
        const path = places(field).find((candidate) => at(record.message, candidate) === value);
        if (path === undefined) continue;
        if (copy === operation) copy = { ...operation };
        copy[field] = null;
        shared.push([index, field, pointerOf(path)]);
      }
      return copy;
    });
  }
  return shared.length === 0 ? JSON.stringify(record) : JSON.stringify({ ...record, outcome: { ...record.outcome, operations: kept }, shared });
}

/** The record of a line of the file, whole (shared fields hold the message's objects), or undefined. */
export function recordOf(text) {
  let record;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined; // a line cut short by a crash
  }
  if (!isObject(record) || !Number.isInteger(record.id)) return undefined;
  if (Array.isArray(record.shared)) {
    const operations = record.outcome?.operations;
    for (const reference of record.shared) {
      if (!Array.isArray(reference) || reference.length !== 3) continue;
      const [index, field, pointer] = reference;
      const operation = Array.isArray(operations) ? operations[index] : undefined;
      if (!isObject(operation) || typeof field !== "string" || operation[field] !== null || typeof pointer !== "string") continue;
      const value = at(record.message, pathOf(pointer));
      if (value !== undefined) operation[field] = value;
    }
    delete record.shared;
  }
  return record;
}
