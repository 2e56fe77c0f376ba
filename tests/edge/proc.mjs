// Process figures from /proc (Linux), for the load test's report. The harness does not expose the
// workerd pid, and node_modules/.bin/workerd may be a wrapper around the real binary, so the
// process is found among this process's descendants by its name.
import { readdirSync, readFileSync } from "node:fs";

/** pid -> parent pid, of every process we may read. */
function parents() {
  const map = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the fields follow its last ")".
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      map.set(Number(name), Number(fields[1]));
    } catch {
      // Gone since the listing.
    }
  }
  return map;
}

/** Pids of the descendants of `root` whose command name is `name`. Empty off Linux. */
export function descendantsNamed(name, root = process.pid) {
  let tree;
  try {
    tree = parents();
  } catch {
    return [];
  }
  const inside = new Set([root]);
  // Parents have lower pids in general, but not always (pid wrap): repeat until nothing changes.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of tree) {
      if (!inside.has(pid) && inside.has(parent)) {
        inside.add(pid);
        grew = true;
      }
    }
  }
  inside.delete(root);
  return [...inside].filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === name;
    } catch {
      return false;
    }
  });
}

/** Resident set size of `pid` in KiB (VmRSS), or undefined when it cannot be read. */
export function rssKiB(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
