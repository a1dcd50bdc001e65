import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/free-port.ts';
import { openTestDatabase, repeatsThePgliteRun, testBackend } from '../../test/support/test-database.ts';

const BIN = fileURLToPath(new URL('../../bin/stackable.js', import.meta.url));
const SECRET = 'app-processes-test-secret-long-enough-for-validation';

/** `stackable serve` as an operator starts it, with its output collected. */
function startServe(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', STACKABLE_SECRET: SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms = 90_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The app processes the supervisor runs: its children running bin/stackable.js. */
function workersOf(supervisor: ChildProcess): number[] {
  let listing: string;
  try {
    listing = execFileSync('ps', ['--ppid', String(supervisor.pid), '-o', 'pid=,args='], {
      encoding: 'utf8',
    });
  } catch {
    return []; // ps exits with 1 when there are no such processes
  }
  return listing
    .split('\n')
    .filter((line) => line.includes('stackable.js'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

const healthy = async (port: number) => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'close' } })).ok;
  } catch {
    return false;
  }
};

describe(`several app processes on one port, on ${testBackend}`, () => {
  test('the embedded database refuses more than one process, naming the setting', {
    skip: repeatsThePgliteRun,
  }, async () => {
    const { child, output } = startServe({ STACKABLE_PROCESSES: '2', STACKABLE_DATA_DIR: '/nonexistent' });
    const [code] = await once(child, 'exit');
    assert.equal(code, 78);
    assert.match(output(), /STACKABLE_PROCESSES: above 1 needs DATABASE_URL/);
  });

  test('two processes serve, a dead one is replaced, and SIGTERM stops them all', {
    skip: testBackend !== 'postgres' && 'needs the PostgreSQL server of DATABASE_URL',
  }, async () => {
    const { url, drop } = await openTestDatabase();
    const port = await freePort();
    const { child, output } = startServe({
      DATABASE_URL: url!,
      STACKABLE_PROCESSES: '2',
      STACKABLE_SEED_DEMO: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    try {
      await waitFor('the app to start', () => /Stackable is running/.test(output()));
      assert.match(output(), /2 processes/);
      const first = workersOf(child);
      assert.equal(first.length, 2, output());
      for (let i = 0; i < 10; i += 1) assert.ok(await healthy(port), 'every request is answered');

      process.kill(first[0]!, 'SIGKILL');
      await waitFor('a replacement process', () => {
        const now = workersOf(child);
        return now.length === 2 && !now.includes(first[0]!);
      });
      await waitFor('the replacement to answer', () => healthy(port));
      assert.match(output(), /an app process stopped; starting another/);

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, output());
      assert.equal(await healthy(port), false, 'nothing answers once stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await drop();
    }
  });
});
