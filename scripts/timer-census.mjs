// Remembers the timers this process sets until they fire or are cleared, so that a test shard held open by one can
// say which it is: Node names an open timer only as 'Timeout'. Loaded first by scripts/test-shard.mjs, before any
// test file or library has taken its own reference to the timer functions.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const live = new Set();
let sincePruned = 0;

function remember(timer) {
  live.add(timer);
  // Fired and cleared timers go in batches, so the census holds no callback alive for long.
  if (++sincePruned >= 5_000) {
    sincePruned = 0;
    for (const t of live) if (t._destroyed) live.delete(t);
  }
  return timer;
}

const timers = createRequire(import.meta.url)('node:timers');
for (const name of ['setTimeout', 'setInterval']) {
  const original = timers[name];
  const counted = function (...args) {
    return remember(original.apply(this, args));
  };
  timers[name] = counted;
  globalThis[name] = counted;
}
syncBuiltinESMExports();

/** The timers still due that keep the process alive: each one's kind, delay and the start of its callback. */
export function openTimers() {
  return [...live]
    .filter((t) => !t._destroyed && t.hasRef())
    .map((t) => {
      const callback = t._onTimeout;
      const source =
        typeof callback === 'function' ? callback.toString().replace(/\s+/g, ' ').slice(0, 160) : '?';
      return `${t._repeat ? 'an interval' : 'a timeout'} of ${t._idleTimeout} ms: ${source}`;
    });
}
