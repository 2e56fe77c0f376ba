// Writes the package's entry files, pkg/full/* and pkg/lite/*, from the one template of each in
// pkg/entries/ (`{{flavor}}` becomes full or lite): the two builds' entries differ only by that
// path, so they have one source. The written files are build output (git-ignored).
// Usage: node scripts/write-entries.mjs
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const pkg = path.join(path.dirname(fileURLToPath(import.meta.url)), "../pkg");
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
console.log(`wrote pkg/full and pkg/lite: ${templates.join(", ")}`);
