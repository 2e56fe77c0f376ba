// The README's JavaScript example runs against the installed package and prints what its
// `// → ...` comments say.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { consumerDir, repoDir } from "./helpers.mjs";

test("the README's JavaScript API example runs and prints what it says", () => {
  const readme = readFileSync(path.join(repoDir, "README.md"), "utf8");
  const section = readme.split(/^## JavaScript API$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, "README.md has no '## JavaScript API' section");
  const blocks = [...section.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  assert.ok(blocks.length >= 1, "the section has no ```js block");
  for (const code of blocks) {
    const expected = code.split("\n").flatMap((line) => {
      const match = line.match(/^\s*console\.log\(.*\/\/ → (.*)$/);
      return match ? [match[1]] : [];
    });
    assert.ok(expected.length > 0, "the example shows no output");
    const file = path.join(consumerDir, ".readme-example.mjs");
    writeFileSync(file, code);
    const result = spawnSync(process.execPath, [file], { cwd: consumerDir, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trimEnd().split("\n"), expected);
  }
});
