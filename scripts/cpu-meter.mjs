// Counts the CPU time a process and everything it starts use, by reading Linux's /proc every half second.
//
// Why not the kernel's children's times (what `time` reports): a process's CPU reaches its parent's count only
// when the parent waits for it, and Chromium's zygote does not wait for the renderers it forks, so most of a
// browser test's CPU never shows up there. Sampling every process of the tree while it lives counts it; what a
// process uses in the last half second before it ends is lost, which is little next to a test file.
// Wall time on a machine shared with others says little; this is what a change to the tests really saves.
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ, the unit of /proc's times on every Linux architecture Node runs on

/** Every process's parent and own CPU ticks (user + system), or undefined where there is no /proc. */
function readProcesses() {
  let names;
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const processes = [];
  for (const name of names) {
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces; the fields after it are fixed.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      processes.push({
        pid: Number(name),
        parent: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // gone since the folder was read
    }
  }
  return processes;
}

/**
 * Starts sampling the tree under `root`. `secondsOf(pid)` is the CPU used so far by `pid`'s subtree, for a
 * direct child of `root` (a test shard) or `root` itself (only its own time); `totalSeconds()` the whole tree's.
 * `sample()` takes a sample now, e.g. when a shard finishes a file. Undefined results: no /proc here.
 */
export function startCpuMeter(root, intervalMs = 500) {
  const lastTicks = new Map();
  const ticksByTop = new Map();
  let total = 0;
  let available = true;
  function sample() {
    const processes = readProcesses();
    if (!processes) {
      available = false;
      return;
    }
    const parentOf = new Map(processes.map((p) => [p.pid, p.parent]));
    for (const process of processes) {
      // The process's ancestor just below `root` (or `root` itself), if it is in the tree at all.
      let top = process.pid;
      while (top !== root && parentOf.get(top) !== root && parentOf.has(top)) top = parentOf.get(top);
      if (top !== root && parentOf.get(top) !== root) continue;
      // A smaller count than last time is a new process under a reused id.
      const before = lastTicks.get(process.pid) ?? 0;
      const used = process.ticks >= before ? process.ticks - before : process.ticks;
      lastTicks.set(process.pid, process.ticks);
      ticksByTop.set(top, (ticksByTop.get(top) ?? 0) + used);
      total += used;
    }
  }
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    sample,
    secondsOf: (pid) => (available ? (ticksByTop.get(pid) ?? 0) / CLOCK_TICKS : undefined),
    totalSeconds: () => (available ? total / CLOCK_TICKS : undefined),
    stop: () => clearInterval(timer),
  };
}
