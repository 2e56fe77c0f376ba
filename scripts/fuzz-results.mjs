// Adds one fuzz run to fuzz/RESULTS.md (written by scripts/fuzz.sh after each target): the
// target's cumulative clean executions, the last run's, its coverage and the date. A run that
// crashed adds nothing to the clean count and says so.
//   node scripts/fuzz-results.mjs TARGET EXECUTIONS COV FEATURES SANITIZER ok|crash
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fuzz/RESULTS.md");
const [target, executions, cov, features, sanitizer, verdict] = process.argv.slice(2);
const header = [
  "# Fuzzing results",
  "",
  "Written by `make fuzz` (`scripts/fuzz.sh`, `scripts/fuzz-results.mjs`) after each target's run: clean",
  "executions add up across runs (the corpus in `target/fuzz/corpus/` is kept between them); a crash",
  "adds nothing and is listed. Coverage is libFuzzer's `cov` (edges) and `ft` (features) at the end of",
  "the last run.",
  "",
  "| target | clean executions, in all | last run | cov | ft | sanitizer | date |",
  "| --- | ---: | ---: | ---: | ---: | --- | --- |",
];
const rows = new Map();
const crashes = [];
if (existsSync(file)) {
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    if (cells.length === 7 && cells[0] !== "target" && !cells[0].startsWith("---")) rows.set(cells[0], cells);
    if (line.startsWith("- crash: ")) crashes.push(line);
  }
}
const number = (text) => Number(String(text ?? "0").replace(/,/g, "")) || 0;
const date = new Date().toISOString().slice(0, 10);
const previous = rows.get(target);
const total = number(previous?.[1]) + (verdict === "ok" ? number(executions) : 0);
rows.set(target, [target, total.toLocaleString("en-US"), number(executions).toLocaleString("en-US"), cov || "?", features || "?", sanitizer, date]);
if (verdict !== "ok") crashes.push(`- crash: ${target} on ${date} after ${number(executions).toLocaleString("en-US")} executions (see fuzz/artifacts/${target}/)`);
const table = [...rows.values()].sort((a, b) => a[0].localeCompare(b[0])).map((cells) => `| ${cells.join(" | ")} |`);
writeFileSync(file, [...header, ...table, "", ...(crashes.length ? ["Crashes:", "", ...crashes, ""] : [])].join("\n"));
console.log(`fuzz/RESULTS.md: ${target} ${total.toLocaleString("en-US")} clean executions in all`);
