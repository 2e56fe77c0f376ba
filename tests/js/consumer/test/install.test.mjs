// The README's install instructions, followed word for word in a new project: the tarball
// `make pack` wrote (make test-js has just run it) where the README says, installed by the path
// the README gives, then the README's quick start run there; and the built pkg/ directory too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoDir } from "./helpers.mjs";

const readme = readFileSync(path.join(repoDir, "README.md"), "utf8");
const install = readme.split(/^## Install$/m)[1]?.split(/^## /m)[0] ?? "";
const commands = install.match(/^```sh\n([\s\S]*?)^```$/m)?.[1] ?? "";
const quickStart = readme.split(/^## Quick start \(JavaScript\)$/m)[1].match(/^```js\n([\s\S]*?)^```$/m)[1];

function project(installPath) {
  const dir = mkdtempSync(path.join(tmpdir(), "astrolabe-install-"));
  try {
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "my-project", private: true, type: "module" }));
    const npm = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund", installPath], { cwd: dir, encoding: "utf8" });
    assert.equal(npm.status, 0, npm.stderr);
    writeFileSync(path.join(dir, "quick-start.mjs"), quickStart);
    const run = spawnSync(process.execPath, ["quick-start.mjs"], { cwd: dir, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^mapped\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("make pack writes the tarball where the README says, and npm installs it by that path", () => {
  const version = JSON.parse(readFileSync(path.join(repoDir, "pkg/package.json"), "utf8")).version;
  const packed = commands.match(/make pack\s+# writes (\S+)/)?.[1];
  assert.equal(packed, `target/npm/astrolabe-segment-${version}.tgz`, "the README names the tarball make pack writes");
  const line = commands.split("\n").find((text) => text.startsWith("npm install "));
  assert.equal(line, `npm install /path/to/astrolabe-segment/${packed}`);
  project(path.join(repoDir, packed));
});

test("npm installs the built pkg/ directory, as the README says", () => {
  assert.match(install, /`npm install \/path\/to\/astrolabe-segment\/pkg`/);
  project(path.join(repoDir, "pkg"));
});
