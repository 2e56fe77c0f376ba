// What each bundled app does with the package it was built with: a few calls whose answers the
// test knows (a mapping, a refusal, a batch), the version and the codes, for full and lite.
export function exercise(api) {
  const destination = new api.Destination({ strict: true });
  const outcome = destination.map({ type: "group", groupId: "g1", userId: "u1", traits: { name: "Initech" } });
  return {
    status: outcome.status,
    operations: outcome.operations,
    invalid: JSON.parse(api.mapJson('{"type": "track",')).errors.map((issue) => issue.code),
    strict: destination.validate({ type: "track", userId: 1, event: "e" }).errors.map((issue) => `${issue.code} ${issue.path}`),
    batch: api.mapBatch([{ type: "identify", userId: "u" }, { type: "page", userId: "u" }]).outcomes.map((item) => item.status),
    version: api.version,
    codes: api.codes.length,
  };
}

/**
 * Hands the results to the test: kept on the global object (a page, an edge runtime), and printed
 * where there is a process to print them (Node, Bun).
 */
export function report(results) {
  globalThis.__results = results;
  if (typeof process !== "undefined" && process.stdout) console.log(JSON.stringify(results));
}
