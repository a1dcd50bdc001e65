import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startSmtp } from '../../test/support/backpack.ts';
import { anAccount } from '../../test/support/builders.ts';
import { freePort } from '../../test/support/free-port.ts';
import type { TestApp } from '../../test/support/test-app.ts';
import { openTestDatabase, testBackend } from '../../test/support/test-database.ts';
import { testAppEnv } from '../../test/support/test-snapshots.ts';
import { TEST_PASSWORD_COST } from '../accounts/password.ts';
import { createApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';

const BIN = fileURLToPath(new URL('../../bin/stackable.js', import.meta.url));

async function waitFor(what: string, condition: () => boolean, ms = 90_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The niceness of each of a process's threads, by thread id (field 19 of /proc/<pid>/task/<tid>/stat). */
function nicenessOfThreads(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    threads.set(Number(tid), Number(fields[16]));
  }
  return threads;
}

describe('the job workers of `stackable serve` on PostgreSQL', () => {
  test('work the queues on a thread of lower priority than the one answering pages, and stop with it', {
    skip: testBackend !== 'postgres' && 'the embedded database keeps jobs on the thread answering pages',
  }, async () => {
    const { url, drop } = await openTestDatabase({ start: 'started' });
    const dataDir = mkdtempSync(join(tmpdir(), 'stackable-job-thread-'));
    const smtp = await startSmtp();
    // This test's own app, on the same database, makes the account and asks for the reset as the form does; it
    // works no jobs, so only the serve process can send the mail.
    const app = await createApp(loadConfig({ ...testAppEnv(dataDir), DATABASE_URL: url! }), {
      runJobs: false,
      passwordCost: TEST_PASSWORD_COST,
    });
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        ...testAppEnv(dataDir),
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: url!,
        SMTP_URL: smtp.url,
        STACKABLE_SEED_DEMO: 'false',
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      await waitFor('the app to start', () => /Stackable is running/.test(output));
      const threads = nicenessOfThreads(child.pid!);
      assert.equal(threads.get(child.pid!), 0, 'the thread answering pages keeps its priority');
      assert.ok([...threads.values()].includes(5), `a thread at niceness 5: ${[...threads.entries()]}`);

      const person = await anAccount(app as unknown as TestApp);
      await app.services.accounts.requestPasswordReset(person.email, null);
      await waitFor(
        'the reset mail',
        () => smtp.received.some((mail) => mail.to.includes(person.email)),
        30_000,
      );

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, output);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await app.close();
      await smtp.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
