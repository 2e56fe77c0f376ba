// Writes the package's entry files, pkg/full/* and pkg/lite/*, from the one template of each in
// pkg/entries/ (`{{flavor}}` becomes full or lite): the two builds' entries differ only by that
// path, so they have one source. Also pkg/shared/limits.js and limits.cjs: the limits of input,
// read from the Rust constants that enforce them (LIMITS below), so that they are written once,
// in Rust, and the entries (`limits`), the fast path and the edge handler take them from there.
// The written files are build output (git-ignored).
// Usage: node scripts/write-entries.mjs
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = path.join(root, "pkg");

/** Each JS name of `limits`, and the Rust constant it is: [file, name]. */
const LIMITS = [
  ["messageBytes", "crates/core/src/input.rs", "MAX_MESSAGE_BYTES"],
  ["batchBytes", "crates/core/src/input.rs", "MAX_BATCH_BYTES"],
  ["batchItems", "crates/core/src/input.rs", "MAX_BATCH_ITEMS"],
  ["depth", "crates/core/src/input.rs", "MAX_DEPTH"],
  ["jsValues", "crates/wasm/src/convert.rs", "MAX_VALUES"],
];

/** The value of `pub const NAME: usize = 1_234;` in a Rust file; stops the build when it is not there. */
function rustConstant(file, name) {
  const source = readFileSync(path.join(root, file), "utf8");
  const found = [...source.matchAll(new RegExp(`^pub const ${name}: usize = ([0-9_]+);$`, "gm"))];
  if (found.length !== 1) {
    throw new Error(`${file}: expected one \`pub const ${name}: usize = <integer>;\`, found ${found.length} (scripts/write-entries.mjs reads it)`);
  }
  return Number(found[0][1].replaceAll("_", ""));
}

const limits = Object.fromEntries(LIMITS.map(([key, file, name]) => [key, rustConstant(file, name)]));
const origin = LIMITS.map(([key, file, name]) => `//   ${key}: ${name} in ${file}`).join("\n");
const body = `Object.freeze(${JSON.stringify(limits)})`;
writeFileSync(
  path.join(pkg, "shared", "limits.js"),
  `// Written by make build (scripts/write-entries.mjs) from the Rust constants:\n${origin}\n/** The limits of input, as the engine enforces them. */\nexport const limits = ${body};\n`,
);
writeFileSync(
  path.join(pkg, "shared", "limits.cjs"),
  `"use strict";\n// Written by make build (scripts/write-entries.mjs) from the Rust constants:\n${origin}\n/** The limits of input, as the engine enforces them. */\nexports.limits = ${body};\n`,
);

const templates = readdirSync(path.join(pkg, "entries")).filter((name) => /\.c?js$/.test(name)).sort();
for (const flavor of ["full", "lite"]) {
  const out = path.join(pkg, flavor);
  // Written afresh, so that an entry whose template is gone does not linger in the package.
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  for (const name of templates) {
    const template = readFileSync(path.join(pkg, "entries", name), "utf8");
    const header = `// Written by make build from pkg/entries/${name} (the ${flavor} build): edit that file.\n`;
    // "use strict" must stay the first statement of a CommonJS entry; a comment may come before it.
    writeFileSync(path.join(out, name), header + template.replaceAll("{{flavor}}", flavor));
  }
}
console.log(`wrote pkg/full and pkg/lite: ${templates.join(", ")}; pkg/shared/limits.js and limits.cjs: ${JSON.stringify(limits)}`);
