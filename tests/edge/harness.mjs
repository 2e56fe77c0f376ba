// Test harness of the edge handler (astrolabe-segment/edge): a scripted upstream on loopback,
// workerd serving the Cloudflare Worker example and Deno its server example, and small HTTP helpers. Everything listens on 127.0.0.1, on free ports.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SETTINGS } from "../../pkg/edge/settings.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const EXAMPLE = path.join(ROOT, "examples/cloudflare-worker");
export const DENO_EXAMPLE = path.join(ROOT, "examples/deno");
export const BIN = path.join(ROOT, "node_modules/.bin");

/** A port nothing listens on (just released by the OS). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The test upstream: records every request ({ at, method, url, headers, body, json }) and answers
 * from `script` (one entry per request, then `fallback`). An entry is { status, headers, body,
 * delayMs? }, or "destroy" to drop the connection without an answer.
 */
export async function startUpstream() {
  const upstream = {
    requests: [],
    script: [],
    fallback: { status: 200, body: { ok: true } },
    reset(script = []) {
      this.requests = [];
      this.script = [...script];
    },
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let parsed;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      upstream.requests.push({ at: Date.now(), method: req.method, url: req.url, headers: req.headers, body, json: parsed });
      const step = upstream.script.length > 0 ? upstream.script.shift() : upstream.fallback;
      if (step === "destroy") {
        req.socket.destroy();
        return;
      }
      const text = typeof step.body === "string" ? step.body : JSON.stringify(step.body ?? {});
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(step.status, { "content-type": "application/json", ...(step.headers ?? {}) });
        res.end(text);
      };
      if (step.delayMs) setTimeout(answer, step.delayMs).unref();
      else answer();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  upstream.url = `http://127.0.0.1:${server.address().port}/v1/operations`;
  upstream.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return upstream;
}

/** Polls GET /health until it answers 200, or fails after `timeoutMs`. */
export async function waitForHealth(base, child, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${child.output()}`);
    try {
      const response = await fetch(`${base}/health`);
      if (response.status === 200) return;
      lastError = new Error(`health answered ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not answer within ${timeoutMs} ms (${lastError?.message}):\n${child.output()}`);
}

function spawnServer(command, args, { cwd, env }) {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdout.setEncoding?.("utf8");
  child.stdout_text = () => stdout;
  child.output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  child.stderr_text = () => stderr;
  return child;
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** The process environment without the worker's settings, plus `settings`. */
function environment(settings) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("ASTROLABE_") || SETTINGS.includes(name)) delete env[name];
  }
  return { ...env, ...settings };
}

/**
 * Serves the example in workerd with a config generated for a free port; `settings` is its
 * environment (ASTROLABE_ENDPOINT, ...). Returns { base, logs(), stop() }.
 */
export async function startWorkerd(settings) {
  const { writeConfig } = await import(path.join(ROOT, "scripts/edge/workerd-config.mjs"));
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "astrolabe-edge-"));
  const config = writeConfig({ out: path.join(dir, "config.capnp"), address: `127.0.0.1:${port}` });
  const child = spawnServer(path.join(BIN, "workerd"), ["serve", config], { cwd: dir, env: environment(settings) });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, child);
  } catch (error) {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    base,
    stdout: () => child.stdout_text(),
    stderr: () => child.stderr_text(),
    async stop() {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Serves the Deno example (examples/deno/server.js) on a free port, offline. */
export async function startDeno(settings) {
  const port = await freePort();
  const env = environment({
    ...settings,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    NO_COLOR: "1",
    DENO_NO_UPDATE_CHECK: "1",
    DENO_DIR: process.env.DENO_DIR ?? path.join(ROOT, "target/deno"),
  });
  const child = spawnServer(
    path.join(BIN, "deno"),
    ["run", "--no-remote", "--no-prompt", "--no-lock", "--allow-net=127.0.0.1", "--allow-env", "server.js"],
    { cwd: DENO_EXAMPLE, env },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, child, 30_000);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { base, stdout: () => child.stdout_text(), stop: () => stop(child) };
}

/** The JSON value of `text`, or undefined when it is not JSON. */
export function parsedOrUndefined(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A worker's answer, read whole: `{ status, headers, text, raw, json }` (`raw` is `text`). */
export async function answerOf(response) {
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, raw: text, json: parsedOrUndefined(text) };
}

/** `Authorization: Basic` with the write key as user name and no password, as Segment sends it. */
export function basic(user, password = "") {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/**
 * A raw HTTP request (node:http), for what fetch cannot do: a chunked body of unknown length,
 * sent slowly in `chunks`. Resolves { status, headers, json } even if the server answers early.
 */
export async function rawRequest(url, options = {}) {
  // A server that answers before reading the whole body (413) may close the connection while the
  // client is still writing: the write fails (EPIPE, ECONNRESET) and, when that happens before the
  // response is read, the response is lost with it. That is the transport, not the worker: send
  // again, a few times, and fail only if it keeps happening.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await rawRequestOnce(url, options);
    } catch (error) {
      const cut = error && (error.code === "EPIPE" || error.code === "ECONNRESET");
      if (!cut || attempt >= 5) throw error;
    }
  }
}

function rawRequestOnce(url, { method = "POST", headers = {}, chunks = [] } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers });
    let responded = false;
    let settled = false;
    req.on("error", (error) => {
      // Once the response has begun, a failed write of the rest of the body does not matter.
      if (!responded && !settled) reject(error);
    });
    req.on("response", (res) => {
      responded = true;
      const parts = [];
      res.on("data", (part) => parts.push(part));
      res.on("end", () => {
        settled = true;
        const text = Buffer.concat(parts).toString("utf8");
        resolve({ status: res.statusCode, headers: res.headers, text, json: parsedOrUndefined(text) });
        req.destroy();
      });
      res.on("error", (error) => {
        if (!settled) reject(error);
      });
    });
    (async () => {
      for (const chunk of chunks) {
        if (responded || req.destroyed) return;
        const ok = req.write(chunk);
        if (!ok) await new Promise((r) => req.once("drain", r).once("close", r));
        await new Promise((r) => setImmediate(r));
      }
      if (!responded && !req.destroyed) req.end();
    })().catch(() => {});
  });
}
