// The package's `bin` run as the CLI benches run it (check.mjs, infer.mjs, diff.mjs): spawned,
// timed from spawn to exit, its peak RSS and CPU time read from /proc while it runs, standard input
// fed from a repeated block when asked; and the small helpers they share.
import { spawn } from "node:child_process";
import os from "node:os";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const bin = resolve(dirname(fileURLToPath(import.meta.url)), "../pkg/cli/astrolabe-segment.mjs");

/**
 * One run of the bin with `argv`: `{ stdout, stderr, seconds, peak, cpu }` (peak RSS in bytes,
 * CPU time in seconds). `stdinBytes`, `{ block, total }`, writes `block` again and again until
 * `total` bytes went to its standard input. Exit 0 and 1 (findings) are answers; others throw.
 */
export function runBin(argv, stdinBytes) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...argv], { stdio: [stdinBytes ? "pipe" : "ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let peak = 0;
    let cpu = 0;
    const sample = setInterval(async () => {
      try {
        const status = await readFile(`/proc/${child.pid}/status`, "utf8");
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024);
        // utime + stime (fields 14 and 15, in clock ticks of 1/100 s): the CPU time so far.
        const fields = (await readFile(`/proc/${child.pid}/stat`, "utf8")).split(") ")[1].split(" ");
        cpu = Math.max(cpu, (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {}
    }, 50);
    child.stdout.on("data", (data) => (stdout += data));
    child.stderr.on("data", (data) => (stderr += data));
    child.on("exit", (code) => {
      clearInterval(sample);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0 && code !== 1) return reject(new Error(`${argv[0]} exited ${code}: ${stderr}`));
      resolvePromise({ stdout, stderr, seconds, peak, cpu });
    });
    if (stdinBytes) {
      (async () => {
        const block = stdinBytes.block;
        for (let sent = 0; sent < stdinBytes.total; sent += block.length) {
          if (!child.stdin.write(block)) await new Promise((resume) => child.stdin.once("drain", resume));
        }
        child.stdin.end();
      })();
    }
  });
}

/** The middle value (the upper one of an even count). */
export function median(list) {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A count for a table: rounded, with thousands separators. */
export const fmt = (n) => Math.round(n).toLocaleString("en-US");

/** What a run was made on, kept with its figures: the machine, Node, the package, the rounds. */
export function runInfo({ quick, rounds, version }) {
  return { date: new Date().toISOString(), quick, rounds, cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? "unknown", node: process.version, version };
}

/** The line under a section's title that says what the run was made on (from `runInfo`). */
export function runLine(r) {
  const load = os.loadavg()[0].toFixed(2);
  return `${r.cpu}, ${r.cores} cores (shared: load average ${load} at the end), Node ${r.node}, ${r.date.slice(0, 10)}; astrolabe-segment ${r.version}; median of ${r.rounds} interleaved rounds${r.quick ? " (quick mode: a smoke run, not figures to quote)" : ""}.`;
}

/**
 * Times each contender over the same work in interleaved rounds, after warm-up passes: each round
 * runs every contender once, in an order that rotates, so that no contender always runs first or
 * after the same one. `pass(contender)` runs it once and gives its time; the answer is each
 * contender's times, by id.
 */
export function interleaved(contenders, pass, { warmup, rounds }) {
  const samples = Object.fromEntries(contenders.map((c) => [c.id, []]));
  for (let w = 0; w < warmup; w++) for (const c of contenders) pass(c);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length];
      samples[c.id].push(pass(c));
    }
  }
  return samples;
}
