// A test process that runs many test files, one after another, each inside a suite named for its file. It asks the
// runner (scripts/run-tests.mjs) for its next file over IPC until none are left, so the files spread over the shards
// by how long they really take.
//
// Why: starting Node, tsx and the application's module graph costs about three seconds, and most test files take
// less than that themselves; paying it once per shard instead of once per file is most of what makes `npm test`
// fast. A file's hooks (`before`, `after`) stay inside its own suite, so files still cannot see each other's set-up,
// and each file still builds its own database. The one thing files share is what test/support/shard-lifetime.ts
// keeps: a browser started once per shard, each file in contexts of its own.

import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { endShard, startShard } from '../test/support/shard-lifetime.ts';
import { openTimers } from './timer-census.mjs';

// A file that has not finished after this long is cancelled and reported, rather than holding its shard forever.
const FILE_TIMEOUT_MS = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 10 * 60_000);

/** The runner's next file for this shard, or undefined when there are none left. */
function nextFile() {
  return new Promise((resolve) => {
    process.once('message', (message) => {
      // Where the run's database snapshots are, once the runner has built them (pure files come before).
      Object.assign(process.env, message.env);
      resolve(message.file ?? undefined);
    });
    process.send({ type: 'next' });
  });
}

/** Runs one file's tests as a suite and resolves when the suite (its `after` hooks included) has ended. */
function runFile(file) {
  return new Promise((ended) => {
    describe(file, { timeout: FILE_TIMEOUT_MS }, async () => {
      after(() => ended());
      try {
        await import(pathToFileURL(file).href);
      } catch (error) {
        // A file that cannot even load is a failure of its own, named for the file, not a crash of the shard.
        test('loads', () => {
          throw error;
        });
      }
    });
  });
}

startShard();
for (let file = await nextFile(); file !== undefined; file = await nextFile()) {
  await runFile(file);
}
// What the files shared (the browser) ends with the shard, after the last of them.
await endShard();
process.disconnect();

// A shard whose files all passed but left something open (a server, a database, a browser pipe) would never exit,
// and the whole run would hang with nothing said. After a grace period it names what is still open and fails.
const LINGER_MS = Number(process.env.TEST_SHARD_LINGER_MS ?? 20_000);
setTimeout(() => {
  // A timer left running counts too ('Timeout': a deadline a test set and never cleared); this one is unref'd, so
  // it is not listed. The shard's own output pipes are listed as PipeWrap whatever holds it open.
  const open = process.getActiveResourcesInfo();
  console.error(
    `This shard's files ended ${LINGER_MS / 1000} s ago, but it is still held open by: ${open.join(', ')}.`,
  );
  for (const timer of openTimers()) console.error(`  still due: ${timer}`);
  console.error('A test file left it open: close what it started in its after() hook.');
  process.exit(1);
}, LINGER_MS).unref();
