// Copies the summary block of benches/RESULTS.md (between the bench:readme markers, written by
// benches/run.mjs) over the same block in the README, so the README's table is regenerated, not
// retyped: `make bench`, then `make bench-readme`.
//
//   node benches/readme.mjs benches/RESULTS.md README.md
import { readFileSync, writeFileSync } from "node:fs";

const [from = "benches/RESULTS.md", to = "README.md"] = process.argv.slice(2);
const START = "<!-- bench:readme:start -->";
const END = "<!-- bench:readme:end -->";

function block(text, name) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    console.error(`${name} has no ${START} ... ${END} block`);
    process.exit(1);
  }
  return { start, end: end + END.length };
}

const source = readFileSync(from, "utf8");
const target = readFileSync(to, "utf8");
const s = block(source, from);
const t = block(target, to);
writeFileSync(to, target.slice(0, t.start) + source.slice(s.start, s.end) + target.slice(t.end));
console.log(`${to}: benchmark summary copied from ${from}`);
