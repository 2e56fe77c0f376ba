// The README's JavaScript examples run against the installed package and print what their
// `// → ...` comments say: each ```js block, as an ES module, or as CommonJS when it requires.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { consumerDir, repoDir } from "./helpers.mjs";

/** The ```js blocks of the README's section `title`. */
function blocksOf(title) {
  const readme = readFileSync(path.join(repoDir, "README.md"), "utf8");
  const section = readme.split(new RegExp(`^## ${title.replace(/[()]/g, "\\$&")}$`, "m"))[1]?.split(/^## /m)[0];
  assert.ok(section, `README.md has no '## ${title}' section`);
  return [...section.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}

/** Runs each block against the installed package and compares what it prints with its `// → ...` comments. */
function runPrinting(blocks) {
  for (const code of blocks) {
    const expected = code.split("\n").flatMap((line) => {
      const match = line.match(/^\s*console\.log\(.*\/\/ → (.*)$/);
      return match ? [match[1]] : [];
    });
    assert.ok(expected.length > 0, "the example shows no output");
    const file = path.join(consumerDir, code.includes("require(") ? ".readme-example.cjs" : ".readme-example.mjs");
    writeFileSync(file, code);
    const result = spawnSync(process.execPath, [file], { cwd: consumerDir, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trimEnd().split("\n"), expected);
  }
}

test("the README's quick start examples run and print what they say", () => {
  const blocks = blocksOf("Quick start (JavaScript)");
  assert.ok(blocks.some((code) => code.includes("require(")) && blocks.some((code) => code.includes("import ")), "the section needs an ESM and a CommonJS block");
  runPrinting(blocks);
});

test("the README's tracking plan, personal data and rules examples run and print what they say", () => {
  for (const title of ["Tracking plans", "Personal data", "Rules and codes"]) {
    const blocks = blocksOf(title);
    assert.equal(blocks.length, 1, title);
    runPrinting(blocks);
  }
});

test("the README's edge handler: each example it shows is that file's code, and the one to run prints what it says", () => {
  const readme = readFileSync(path.join(repoDir, "README.md"), "utf8");
  const section = readme.split(/^## Edge handler$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, "README.md has no '## Edge handler' section");
  const blocks = [...section.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  const code = (text) => text.split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("//"));
  const shown = blocks.filter((block) => /^\/\/ examples\//.test(block));
  assert.deepEqual(shown.map((block) => block.match(/^\/\/ (examples\/\S+?):?\s/)[1]), [
    "examples/cloudflare-worker/worker.js",
    "examples/deno/server.js",
    "examples/vercel-edge/api/segment.js",
  ]);
  for (const block of shown) {
    const file = block.match(/^\/\/ (examples\/\S+?):?\s/)[1];
    assert.deepEqual(code(block), code(readFileSync(path.join(repoDir, file), "utf8")), `the README's ${file} is not the file's code`);
  }
  const runnable = blocks.filter((block) => block.includes('from "astrolabe-segment/edge"') && !/^\/\/ examples\//.test(block));
  assert.equal(runnable.length, 1, "one example to run");
  const expected = runnable[0].split("\n").flatMap((line) => {
    const match = line.match(/^\s*console\.log\(.*\/\/ → (.*)$/);
    return match ? [match[1]] : [];
  });
  const file = path.join(consumerDir, ".readme-edge-example.mjs");
  writeFileSync(file, runnable[0]);
  const result = spawnSync(process.execPath, [file], { cwd: consumerDir, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.trimEnd().split("\n"), expected);
});
