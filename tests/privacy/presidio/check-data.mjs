#!/usr/bin/env node
// Checks the Presidio-derived case files in this directory: each parses, has
// its source block, and every expected span lies within its text, counted in
// Unicode code points (Python str indexes), not UTF-16 units.
// Usage: node tests/privacy/presidio/check-data.mjs [--show]
//   --show  also print each expected span's substring, for review by eye.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const kinds = ["card", "email", "iban", "phone", "ssn", "ip", "phone-tr", "phone-ph"];
const show = process.argv.includes("--show");
const errors = [];
let total = 0;
let totalMatching = 0;

const isNum = (x) => typeof x === "number" && Number.isFinite(x);

for (const kind of kinds) {
  const file = `${kind}.json`;
  let doc;
  try {
    doc = JSON.parse(readFileSync(join(here, file), "utf8"));
  } catch (e) {
    errors.push(`${file}: does not parse: ${e.message}`);
    continue;
  }
  const src = doc.source ?? {};
  for (const key of ["repository", "commit", "path", "licence", "copyright"]) {
    if (typeof src[key] !== "string" || src[key] === "") {
      errors.push(`${file}: source.${key} missing`);
    }
  }
  if (!/^[0-9a-f]{40}$/.test(src.commit ?? "")) errors.push(`${file}: source.commit is not a full hash`);
  if (!Array.isArray(doc.cases)) {
    errors.push(`${file}: cases is not an array`);
    continue;
  }
  let matching = 0;
  let spans = 0;
  let unplaced = 0;
  doc.cases.forEach((c, i) => {
    const where = `${file} case ${i}`;
    if (typeof c.text !== "string") return errors.push(`${where}: text is not a string`);
    if (typeof c.note !== "string") errors.push(`${where}: note is not a string`);
    if (!Array.isArray(c.expected)) return errors.push(`${where}: expected is not an array`);
    const cps = Array.from(c.text); // code points
    if (c.expected.length > 0) matching++;
    for (const [j, e] of c.expected.entries()) {
      const at = `${where} expected[${j}]`;
      if (e.start === null && e.end === null) {
        // The test gives a match count but no position (see README).
        unplaced++;
        continue;
      }
      if (!Number.isInteger(e.start) || !Number.isInteger(e.end)) {
        errors.push(`${at}: start/end not integers`);
        continue;
      }
      if (!(0 <= e.start && e.start < e.end && e.end <= cps.length)) {
        errors.push(`${at}: span ${e.start}..${e.end} not within text of ${cps.length} code points`);
        continue;
      }
      if (!(e.score === null || isNum(e.score))) errors.push(`${at}: score neither number nor null`);
      if ("score_min" in e || "score_max" in e) {
        if (!isNum(e.score_min) || !isNum(e.score_max) || e.score_min > e.score_max) {
          errors.push(`${at}: bad score range`);
        }
      }
      spans++;
      if (show) {
        const sc = e.score ?? `${e.score_min}..${e.score_max}`;
        console.log(`${kind}\t${i}\t${e.start}..${e.end}\t${sc}\t${JSON.stringify(cps.slice(e.start, e.end).join(""))}`);
      }
    }
  });
  total += doc.cases.length;
  totalMatching += matching;
  console.log(
    `${kind.padEnd(6)} ${String(doc.cases.length).padStart(4)} cases, ${String(matching).padStart(4)} expect a match, ` +
      `${String(doc.cases.length - matching).padStart(4)} expect none; ${spans} spans checked` +
      (unplaced ? `, ${unplaced} match(es) without a position` : ""),
  );
}
console.log(`total  ${String(total).padStart(4)} cases, ${String(totalMatching).padStart(4)} expect a match`);
if (errors.length) {
  for (const e of errors) console.error(`error: ${e}`);
  process.exit(1);
}
console.log("ok");
