// Runs test-worker.js in workerd (npm `workerd`, `workerd test`) against the installed package.
// workerd resolves no package names, so this does what wrangler's bundler does: it resolves
// `astrolabe-segment` and `astrolabe-segment/lite` with the `workerd` condition (Node's resolver,
// --conditions=workerd), follows the entries' relative imports, and lists every file as a module
// in config.capnp (`.wasm` files as Wasm modules, which the entry imports as compiled modules).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const consumer = path.resolve(here, "../consumer");
const generated = path.join(here, "generated");
const repo = path.resolve(here, "../../..");

function resolve(specifier) {
  const code = `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`;
  const result = spawnSync(process.execPath, ["--conditions=workerd", "--input-type=module", "-e", code], { cwd: consumer, encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return fileURLToPath(result.stdout.trim());
}

const modules = new Map(); // module name -> { file, kind }
const nameOf = (file) => path.relative(consumer, file).split(path.sep).join("/");
function add(file) {
  const name = nameOf(file);
  if (modules.has(name)) return;
  if (file.endsWith(".wasm")) {
    modules.set(name, { file, kind: "wasm" });
    return;
  }
  modules.set(name, { file, kind: "esModule" });
  const source = readFileSync(file, "utf8");
  for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?\bfrom\s*["'](\.[^"']+)["']|(?:^|\n)\s*import\s*["'](\.[^"']+)["']/g)) {
    add(path.resolve(path.dirname(file), match[1] ?? match[2]));
  }
}

mkdirSync(generated, { recursive: true });
const aliases = [];
for (const specifier of ["astrolabe-segment", "astrolabe-segment/lite"]) {
  const entry = resolve(specifier);
  if (!entry.endsWith("/workerd.js")) throw new Error(`${specifier} resolved to ${entry}, not a workerd entry`);
  add(entry);
  const alias = path.join(generated, `${specifier.replace("/", "-")}.alias.js`);
  writeFileSync(alias, `export * from ${JSON.stringify(`/${nameOf(entry)}`)};\n`);
  aliases.push({ name: specifier, file: alias });
}

const embed = (file) => JSON.stringify(path.relative(generated, file));
const lines = [
  `(name = "test-worker.js", esModule = embed ${embed(path.join(here, "test-worker.js"))})`,
  ...aliases.map(({ name, file }) => `(name = ${JSON.stringify(name)}, esModule = embed ${embed(file)})`),
  ...[...modules].map(([name, { file, kind }]) => `(name = ${JSON.stringify(name)}, ${kind} = embed ${embed(file)})`),
];
writeFileSync(
  path.join(generated, "config.capnp"),
  `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "astrolabe-segment", worker = .worker) ],
);
const worker :Workerd.Worker = (
  compatibilityDate = "2024-09-23",
  modules = [
    ${lines.join(",\n    ")}
  ],
);
`,
);

const workerd = path.join(repo, "node_modules/.bin/workerd");
const result = spawnSync(workerd, ["test", path.join(generated, "config.capnp")], { encoding: "utf8", timeout: 120_000 });
const output = `${result.stdout}${result.stderr}`;
process.stdout.write(output);
const passed = (output.match(/\[ PASS \]/g) ?? []).length;
const failed = (output.match(/\[ FAIL \]/g) ?? []).length + (result.status === 0 ? 0 : passed === 0 ? 1 : 0);
console.log(`workerd: ${passed} passed, ${failed} failed`);
process.exit(result.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
