// pglite-only: the test opens an in-memory PGlite in a child process, whatever the backend of the run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';

// Kysely starts its driver on the first query and stops only a started one: closing a PGlite database that was never
// queried used to leave its PostgreSQL running, and the process could not end.
test('a PGlite database copied from a snapshot and closed before any query lets its process end', async () => {
  const script = `
    const { openMemoryDatabase } = await import(${JSON.stringify(new URL('./database.ts', import.meta.url).href)});
    const first = await openMemoryDatabase();
    const image = await first.snapshot();
    await first.close();
    // A copy of a data folder, as every database test file starts from, closed without one statement.
    const database = await openMemoryDatabase(image);
    await database.close();
    console.log('closed');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  const tooLong = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code, signal] = await exited;
  clearTimeout(tooLong);
  assert.match(output, /closed/);
  assert.equal(signal, null, 'the process was still running 30 s after the database closed');
  assert.equal(code, 0);
});
