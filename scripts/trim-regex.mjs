// The regex engines of the wasm builds, without what costs size and serves no user: regex-syntax's
// Unicode Age and grapheme/word/sentence-break tables (an ECMA-262 `pattern` cannot reach them) and
// the `perf` features of `regex` and `fancy-regex` (literal-search shortcuts with aho-corasick: speed
// only). `jsonschema` and `liquid` depend on both crates with default features, and Cargo features
// are additive, so Cargo.toml cannot turn these off; scripts/build-wasm.sh builds against copies
// whose manifests differ only in those feature lists (the code is untouched), through `[patch]`.
//
//   node scripts/trim-regex.mjs prepare
//     Copies the crate versions Cargo.lock pins, from the .crate files cargo downloaded (sha256 checked
//     against the lock; `cargo fetch` first when one is missing), into $CARGO_TARGET_DIR/trimmed-crates/
//     NAME/, rewrites their Cargo.toml, and prints the path of a cargo config file with the
//     `[patch.crates-io]` entries (for `cargo build --config FILE`). A copy already up to date is left
//     alone (its files keep their mtimes, so cargo does not rebuild it). Every rewrite must match the
//     published manifest exactly: a new version whose feature lists differ stops the build here.
//   node scripts/trim-regex.mjs check SAVED_LOCK [cargo features...]
//     With the patch applied: the dependency tree for wasm32 has the trimmed copies with none of the
//     cut features and no aho-corasick, and Cargo.lock differs from SAVED_LOCK only in what `[patch]`
//     writes (no `source` and `checksum` for the patched packages), so nothing else was re-resolved.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const targetDir = path.resolve(root, process.env.CARGO_TARGET_DIR || "target");
const cargoHome = process.env.CARGO_HOME || path.join(homedir(), ".cargo");
const trimmedDir = path.join(targetDir, "trimmed-crates");
const CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";

const list = (...items) => `[\n${items.map((item) => `    "${item}",\n`).join("")}]`;
const tables = ["bool", "case", "gencat", "perl", "script"].map((name) => `unicode-${name}`);

// [published text, trimmed text] pairs, each of which must occur exactly once in the manifest.
const rules = {
  "regex-syntax": [
    [`unicode = ${list("unicode-age", ...tables, "unicode-segment")}`, `unicode = ${list(...tables)}`],
  ],
  "regex-automata": [
    [
      `unicode = ${list("unicode-age", ...tables, "unicode-segment", "unicode-word-boundary", "regex-syntax?/unicode")}`,
      `unicode = ${list(...tables, "unicode-word-boundary", "regex-syntax?/unicode")}`,
    ],
  ],
  regex: [
    [`default = ${list("std", "perf", "unicode", "regex-syntax/default")}`, `default = ${list("std", "unicode", "regex-syntax/default")}`],
    [
      `unicode = ${list("unicode-age", ...tables, "unicode-segment", "regex-automata/unicode", "regex-syntax/unicode")}`,
      `unicode = ${list(...tables, "regex-automata/unicode", "regex-syntax/unicode")}`,
    ],
  ],
  "fancy-regex": [
    [`default = ${list("unicode", "perf", "std", "variable-lookbehinds")}`, `default = ${list("unicode", "std", "variable-lookbehinds")}`],
  ],
};
const cut = /^(unicode-age|unicode-segment|perf.*)$/;

function fail(message) {
  console.error(`trim-regex: ${message}`);
  process.exit(1);
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** Cargo.lock's packages: [{ name, version, source, checksum, text }]. */
function lockPackages(text) {
  return text
    .split(/^\[\[package\]\]\n/m)
    .slice(1)
    .map((block) => {
      const field = (key) => block.match(new RegExp(`^${key} = "([^"]*)"$`, "m"))?.[1];
      return { name: field("name"), version: field("version"), source: field("source"), checksum: field("checksum"), text: block };
    });
}

/** The one locked crates.io package of each name we trim. */
function lockedCrates() {
  const packages = lockPackages(readFileSync(path.join(root, "Cargo.lock"), "utf8"));
  return Object.keys(rules).map((name) => {
    const found = packages.filter((p) => p.name === name);
    if (found.length !== 1) fail(`Cargo.lock has ${found.length} versions of ${name}, expected 1: update scripts/trim-regex.mjs`);
    const [p] = found;
    if (p.source !== CRATES_IO || !/^[0-9a-f]{64}$/.test(p.checksum ?? "")) {
      fail(`Cargo.lock's ${name} ${p.version} is not a crates.io package with a checksum (left over from an interrupted ` +
        `trimmed build? \`git checkout Cargo.lock\` restores it)`);
    }
    return p;
  });
}

/** The downloaded .crate of a locked package whose sha256 is the lock's, or undefined. */
function crateFile({ name, version, checksum }) {
  const cache = path.join(cargoHome, "registry", "cache");
  if (!existsSync(cache)) return undefined;
  for (const index of readdirSync(cache)) {
    const file = path.join(cache, index, `${name}-${version}.crate`);
    if (existsSync(file) && sha256(readFileSync(file)) === checksum) return file;
  }
  return undefined;
}

function trimManifest(name, text) {
  for (const [published, trimmed] of rules[name]) {
    const count = text.split(published).length - 1;
    if (count !== 1) {
      fail(`${name}'s Cargo.toml does not read as expected (found ${count} times, expected once):\n${published}\n` +
        "A new version changed its features: check what they enable and update the rules in scripts/trim-regex.mjs.");
    }
    text = text.replace(published, () => trimmed);
  }
  return text;
}

function prepare() {
  const crates = lockedCrates();
  mkdirSync(trimmedDir, { recursive: true });
  const rulesHash = sha256(JSON.stringify(rules));
  const stale = crates.filter((p) => {
    const dir = path.join(trimmedDir, p.name);
    try {
      const stamp = JSON.parse(readFileSync(path.join(dir, ".trim-stamp"), "utf8"));
      return !(stamp.version === p.version && stamp.checksum === p.checksum && stamp.rules === rulesHash &&
        stamp.manifest === sha256(readFileSync(path.join(dir, "Cargo.toml"))));
    } catch {
      return true;
    }
  });
  if (stale.some((p) => !crateFile(p))) {
    execFileSync("cargo", ["fetch", "--locked", "--target", "wasm32-unknown-unknown"], { cwd: root, stdio: "inherit" });
  }
  for (const p of stale) {
    const file = crateFile(p) ?? fail(`no ${p.name}-${p.version}.crate matching Cargo.lock's checksum under ${cargoHome}/registry/cache`);
    const work = path.join(trimmedDir, `.${p.name}.tmp`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work);
    execFileSync("tar", ["-xzf", file, "-C", work]);
    const dir = path.join(work, `${p.name}-${p.version}`);
    const published = readFileSync(path.join(dir, "Cargo.toml"), "utf8");
    const trimmed = trimManifest(p.name, published);
    writeFileSync(path.join(dir, "Cargo.toml.published"), published);
    writeFileSync(path.join(dir, "Cargo.toml"), trimmed);
    const stamp = { version: p.version, checksum: p.checksum, rules: rulesHash, manifest: sha256(trimmed) };
    writeFileSync(path.join(dir, ".trim-stamp"), `${JSON.stringify(stamp, null, 2)}\n`);
    rmSync(path.join(trimmedDir, p.name), { recursive: true, force: true });
    renameSync(dir, path.join(trimmedDir, p.name));
    rmSync(work, { recursive: true, force: true });
    console.error(`trim-regex: ${p.name} ${p.version} copied to ${path.join(trimmedDir, p.name)}, features trimmed`);
  }
  const config = path.join(trimmedDir, "patch.toml");
  const text = "# Written by scripts/trim-regex.mjs: the trimmed regex crates, for the wasm builds only.\n[patch.crates-io]\n" +
    crates.map((p) => `${p.name} = { path = ${JSON.stringify(path.join(trimmedDir, p.name))} }\n`).join("");
  if (!existsSync(config) || readFileSync(config, "utf8") !== text) writeFileSync(config, text);
  console.log(config);
}

function check(savedLock, features) {
  const config = path.join(trimmedDir, "patch.toml");
  const tree = execFileSync("cargo", ["tree", "--config", config, "--target", "wasm32-unknown-unknown", "-e", "normal",
    "--prefix", "none", "--format", "{p} [{f}]", ...features], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const problems = [];
  for (const line of new Set(tree.split("\n"))) {
    const name = line.split(" ")[0];
    if (name === "aho-corasick") problems.push("aho-corasick is still linked");
    if (!(name in rules)) continue;
    if (!line.includes(`(${path.join(trimmedDir, name)})`)) problems.push(`${name} is not the trimmed copy: ${line}`);
    const enabled = line.slice(line.lastIndexOf("[") + 1, -1).split(",");
    for (const feature of enabled.filter((f) => cut.test(f))) problems.push(`${name} has feature ${feature}`);
  }
  // What [patch] may change in the lock: the patched packages lose `source` and `checksum`.
  const before = lockPackages(readFileSync(savedLock, "utf8"));
  const after = lockPackages(readFileSync(path.join(root, "Cargo.lock"), "utf8"));
  const expected = before.map(({ name, text }) =>
    name in rules ? text.replace(/^source = .*\n/m, "").replace(/^checksum = .*\n/m, "") : text);
  const got = after.map(({ text }) => text);
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    problems.push("the patched resolution differs from Cargo.lock beyond the patched packages' source lines");
  }
  if (problems.length > 0) fail(`the trimmed regex crates are not what the wasm build uses:\n  ${[...new Set(problems)].join("\n  ")}`);
  console.error(`trim-regex: patched in ${Object.keys(rules).join(", ")} for wasm32 (checked: no unicode-age, unicode-segment or perf features, no aho-corasick)`);
}

const [command, ...args] = process.argv.slice(2);
if (command === "prepare") prepare();
else if (command === "check" && args.length >= 1) check(args[0], args.slice(1));
else fail("usage: trim-regex.mjs prepare | check SAVED_LOCK [cargo features...]");
