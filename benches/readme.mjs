// Copies the last benchmark run into the docs, so its figures are regenerated, not retyped
// (`make bench`, then `make bench-readme`):
//  - the summary block of benches/RESULTS.md (between the bench:readme markers, written by
//    benches/run.mjs) over the same block in docs/performance.md;
//  - a short table drawn from it (mapJson against the JS incumbent and actions-core, map(object)
//    against its floor through text, on each corpus, and the cold starts) over the bench:summary block in the README.
//
//   node benches/readme.mjs benches/RESULTS.md docs/performance.md README.md
import { readFileSync, writeFileSync } from "node:fs";

const [from = "benches/RESULTS.md", full = "docs/performance.md", readme = "README.md"] = process.argv.slice(2);

function block(text, name, marker) {
  const START = `<!-- ${marker}:start -->`;
  const END = `<!-- ${marker}:end -->`;
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    console.error(`${name} has no ${START} ... ${END} block`);
    process.exit(1);
  }
  return { start, end: end + END.length, inner: text.slice(start + START.length, end) };
}

function replace(file, marker, content) {
  const text = readFileSync(file, "utf8");
  const { start, end } = block(text, file, marker);
  writeFileSync(file, text.slice(0, start) + `<!-- ${marker}:start -->${content}<!-- ${marker}:end -->` + text.slice(end));
}

const results = block(readFileSync(from, "utf8"), from, "bench:readme").inner;
replace(full, "bench:readme", results);

// The short table: one row per comparison, the single-message column of each corpus.
const [fullContext, small] = ["Full-context messages", "Small messages"].map((heading) => {
  const at = results.indexOf(heading);
  if (at < 0) {
    console.error(`${from}: no "${heading}" table`);
    process.exit(1);
  }
  return results.slice(at);
});
function ratio(section, label) {
  const row = section.split("\n").find((line) => line.startsWith(`| ${label} |`));
  if (!row) {
    console.error(`${from}: no row "${label}"`);
    process.exit(1);
  }
  return row.split("|")[2].trim();
}
const rows = [
  ["ours `mapJson` (text in, text out) / JS incumbent (JSON.parse + ajv + mapping + JSON.stringify)", "`mapJson` / the JS incumbent (JSON.parse + ajv + mapping + JSON.stringify)"],
  ["ours `mapJson`, lite build / JS incumbent", "`mapJson`, lite build / the JS incumbent"],
  ["ours `map` (object in, object out) / its floor through text (`JSON.stringify` + `mapJson` + `JSON.parse`)", "`map(object)` / its floor through text (`JSON.stringify` + `mapJson` + `JSON.parse`; target 0.8x)"],
  ["ours `mapJson` / `@segment/actions-core`", "`mapJson` / Segment's `@segment/actions-core`"],
];
const lastRun = results.split("\n").find((line) => line.startsWith("Last run:")) ?? "";
const coldStart = results.split("\n").find((line) => line.startsWith("Cold start")) ?? "";
const summary = [
  "",
  lastRun,
  "",
  "| events per second, ratio (above 1: ours is faster) | full-context messages | small messages |",
  "| --- | ---: | ---: |",
  ...rows.map(([label, shown]) => `| ${shown} | ${ratio(fullContext, label)} | ${ratio(small, label)} |`),
  "",
  coldStart,
  "",
].join("\n");
replace(readme, "bench:summary", summary);
console.log(`${full} and ${readme}: benchmark figures copied from ${from}`);
