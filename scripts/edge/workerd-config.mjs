#!/usr/bin/env node
// Writes a workerd config.capnp that serves the Cloudflare Worker example
// (examples/cloudflare-worker), as `wrangler deploy` would ship it: `main` from wrangler.toml, its
// compatibility_date, and every module it imports, with bare specifiers (`astrolabe-segment/edge`)
// resolved through node_modules and the package's `exports`, and a package's own `#` imports
// through its `imports`, both with the `workerd` condition. `.wasm` files become compiled wasm
// modules.
//
// Settings are NOT written into the config: each binding is `fromEnvironment`, so workerd reads
// ASTROLABE_ENDPOINT, ASTROLABE_API_KEY, SEGMENT_WRITE_KEY, ... from its own environment and the
// file never holds a key.
//
//   node scripts/edge/workerd-config.mjs [--dir examples/cloudflare-worker] [--out DIR/.workerd/config.capnp] [--address 127.0.0.1:8787]
//   node_modules/.bin/workerd serve examples/cloudflare-worker/.workerd/config.capnp
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SETTINGS } from "../../pkg/edge/settings.js";

export const EXAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../examples/cloudflare-worker");

/** The bindings, each read from workerd's environment: the settings the handler reads. */
export { SETTINGS };

/** Conditions, in wrangler's order, for the `exports` of packages. */
const CONDITIONS = ["workerd", "worker", "browser", "import", "default"];

/** `main` and `compatibility_date` of wrangler.toml (the only keys this needs). */
export function readWrangler(dir = EXAMPLE_DIR) {
  const text = readFileSync(path.join(dir, "wrangler.toml"), "utf8");
  const top = text.split(/^\s*\[/m)[0];
  const get = (key) => {
    const match = new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, "m").exec(top);
    if (!match) throw new Error(`wrangler.toml has no ${key}`);
    return match[1];
  };
  return { main: get("main"), compatibilityDate: get("compatibility_date") };
}

/** The modules of the Worker: [{ name, file, kind }], main first, named as workerd resolves them. */
export function collectModules(dir = EXAMPLE_DIR, main = readWrangler(dir).main) {
  const modules = new Map(); // name -> { name, file, kind }
  const queue = [{ name: posix(main), file: path.resolve(dir, main) }];
  while (queue.length > 0) {
    const { name, file } = queue.shift();
    const known = modules.get(name);
    if (known) {
      if (realpathSync(known.file) !== realpathSync(file)) {
        throw new Error(`two files would be module ${name}: ${known.file} and ${file}`);
      }
      continue;
    }
    if (!existsSync(file)) throw new Error(`module ${name}: no file ${file}`);
    const kind = moduleKind(file);
    modules.set(name, { name, file, kind });
    if (kind !== "esModule") continue;
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      // workerd resolves every specifier, bare or relative, against the importer's directory.
      const childName = resolveName(name, specifier);
      const childFile = isRelative(specifier)
        ? path.resolve(path.dirname(file), specifier)
        : specifier.startsWith("#")
          ? resolveImport(specifier, file)
          : resolvePackage(specifier, path.dirname(file));
      queue.push({ name: childName, file: childFile });
    }
  }
  return [...modules.values()];
}

/** Static `import ... from "x"`, `export ... from "x"` and `import "x"` specifiers. */
function importsOf(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found = new Set();
  const pattern = /(?:^|[;\s])(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([^"']+)["']/g;
  for (const match of code.matchAll(pattern)) found.add(match[1]);
  return [...found];
}

function isRelative(specifier) {
  return specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/");
}

function posix(name) {
  return name.split(path.sep).join("/").replace(/^\.\//, "");
}

function resolveName(importer, specifier) {
  const parts = importer.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) throw new Error(`${specifier} from ${importer} leaves the module root`);
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join("/");
}

/** Node's lookup of a bare specifier through node_modules and `exports` with our conditions. */
function resolvePackage(specifier, fromDir) {
  const parts = specifier.split("/");
  const packageName = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  const subpath = "." + specifier.slice(packageName.length);
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const root = path.join(dir, "node_modules", packageName);
    if (existsSync(path.join(root, "package.json"))) {
      const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
      const target = exportTarget(manifest, subpath);
      if (!target) throw new Error(`${packageName} exports nothing for ${subpath} under ${CONDITIONS}`);
      return realpathSync(path.resolve(root, target));
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`cannot find package ${packageName} from ${fromDir}: run npm install (or make edge)`);
    }
  }
}

/** A package's own `#name` import (its package.json `imports`), from a file inside it. */
function resolveImport(specifier, fromFile) {
  for (let dir = path.dirname(fromFile); ; dir = path.dirname(dir)) {
    const manifestFile = path.join(dir, "package.json");
    if (existsSync(manifestFile)) {
      const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
      const target = pick(manifest.imports?.[specifier]);
      if (!target) throw new Error(`${manifestFile} imports nothing for ${specifier} under ${CONDITIONS}`);
      return realpathSync(path.resolve(dir, target));
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${fromFile} to resolve ${specifier}`);
  }
}

function exportTarget(manifest, subpath) {
  const exports = manifest.exports;
  if (exports === undefined) return subpath === "." ? manifest.module ?? manifest.main ?? "index.js" : subpath;
  const entry =
    typeof exports === "string" || Array.isArray(exports) || !Object.keys(exports).some((k) => k.startsWith("."))
      ? subpath === "." ? exports : undefined
      : exports[subpath];
  return pick(entry);
}

function pick(entry) {
  if (typeof entry === "string") return entry;
  if (Array.isArray(entry)) return entry.map(pick).find(Boolean);
  if (entry && typeof entry === "object") {
    for (const [key, value] of Object.entries(entry)) {
      if (CONDITIONS.includes(key)) {
        const found = pick(value);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function moduleKind(file) {
  if (file.endsWith(".wasm")) return "wasm";
  if (file.endsWith(".json")) return "json";
  if (file.endsWith(".js") || file.endsWith(".mjs")) return "esModule";
  throw new Error(`no module type for ${file}`);
}

function text(value) {
  return JSON.stringify(String(value)); // a capnp text literal: JSON escapes are valid capnp
}

/**
 * The config text. `address` is host:port of the HTTP socket. `configDir` is where the file goes
 * (embed paths are relative to it).
 */
export function renderConfig({ dir = EXAMPLE_DIR, address = "127.0.0.1:8787", configDir }) {
  const { main, compatibilityDate } = readWrangler(dir);
  const modules = collectModules(dir, main);
  const embed = (file) => text(posix(path.relative(configDir, file)) || ".");
  const lines = modules.map(({ name, file, kind }) => `    (name = ${text(name)}, ${kind} = embed ${embed(file)}),`);
  const bindings = SETTINGS.map((name) => `    (name = ${text(name)}, fromEnvironment = ${text(name)}),`);
  return `# Generated by scripts/edge/workerd-config.mjs: do not edit.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "edge", worker = .edge),
    # Upstream requests: public addresses, and private/loopback ones for local endpoints and tests.
    (name = "upstream", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true))),
  ],
  sockets = [(name = "http", address = ${text(address)}, http = (), service = "edge")],
);

const edge :Workerd.Worker = (
  compatibilityDate = ${text(compatibilityDate)},
  modules = [
${lines.join("\n")}
  ],
  bindings = [
${bindings.join("\n")}
  ],
  globalOutbound = "upstream",
);
`;
}

/** Writes the config to `out` and returns its path. */
export function writeConfig({ dir = EXAMPLE_DIR, out = path.join(dir, ".workerd", "config.capnp"), address } = {}) {
  const configDir = path.dirname(path.resolve(out));
  mkdirSync(configDir, { recursive: true });
  writeFileSync(out, renderConfig({ dir, address, configDir }));
  return path.resolve(out);
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(name);
    return index === -1 ? fallback : args[index + 1];
  };
  const dir = path.resolve(option("--dir", EXAMPLE_DIR));
  const out = writeConfig({
    dir,
    out: option("--out", path.join(dir, ".workerd", "config.capnp")),
    address: option("--address", process.env.EDGE_ADDRESS ?? "127.0.0.1:8787"),
  });
  console.log(out);
}
