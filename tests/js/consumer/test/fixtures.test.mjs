// The Rust fixture corpus through the installed package: full and lite, import and require, each
// fixture through map/mapBatch (JS values) and through mapJson (text), which must agree.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { batchDifferences, fixtures, input, loadAll, outcomeDifferences, sortKeys } from "./helpers.mjs";

const corpus = fixtures();
const loaded = await loadAll();

/** An outcome with the `message` of each issue left out. */
function withoutMessages(outcome) {
  const issue = ({ code, path }) => ({ code, path });
  if (outcome.outcomes) return { outcomes: outcome.outcomes.map(withoutMessages), errors: outcome.errors.map(issue) };
  const { reason, ...rest } = outcome;
  const copy = { ...rest, errors: outcome.errors.map(issue), warnings: outcome.warnings.map(issue) };
  if (reason) copy.reason = issue(reason);
  return copy;
}

/** Features the lite build leaves out: a config that needs them cannot be built there. */
function needsFullBuild(config) {
  return config && (config.trackingPlan !== undefined || JSON.stringify(config.mappings ?? {}).includes("@liquid"));
}

for (const { label, flavor, api } of loaded) {
  describe(`fixtures, ${label}`, () => {
    if (corpus.length === 0) {
      test("no fixtures yet", { skip: "tests/fixtures has no *.json" }, () => {});
      return;
    }
    for (const fixture of corpus) {
      const skip = flavor === "lite" && needsFullBuild(fixture.config) ? "needs the full build" : false;
      test(fixture.name, { skip }, () => {
        const destination = new api.Destination(fixture.config);
        try {
          const options = fixture.options ?? {};
          const value = input(fixture);
          const paths = fixture.pathsExact !== false;
          const fromValue = fixture.kind === "batch" ? destination.mapBatch(value) : destination.map(value, options);
          const differences = (fixture.kind === "batch" ? batchDifferences : outcomeDifferences)(fromValue, fixture.expected, paths);
          assert.deepEqual(differences, [], `${fixture.description}\n${differences.join("\n")}`);
          const fromText = JSON.parse(destination.mapJson(JSON.stringify(value), options));
          if (paths) {
            // Messages may word the same issue differently (the text's byte count is known up front).
            assert.deepEqual(sortKeys(withoutMessages(fromText)), sortKeys(withoutMessages(fromValue)), "mapJson disagrees with the value API");
          } else {
            const again = (fixture.kind === "batch" ? batchDifferences : outcomeDifferences)(fromText, fixture.expected, false);
            assert.deepEqual(again, [], `mapJson: ${again.join("\n")}`);
          }
          const bytes = new TextEncoder().encode(JSON.stringify(value));
          assert.equal(destination.mapJson(bytes, options), destination.mapJson(JSON.stringify(value), options), "bytes and string disagree");
        } finally {
          destination.free();
        }
      });
    }
  });
}
