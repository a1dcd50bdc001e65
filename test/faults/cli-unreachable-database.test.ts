import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/free-port.ts';

// Found in a walk-through of issue 15: with the database down, `stackable credential verify` exited 1 — its "not
// verified" — with a driver's stack trace, because building the app (and migrating) came before the command's own
// handling of an outage. Every command now says the database did not answer and exits 69 (EX_UNAVAILABLE).
const BIN = fileURLToPath(new URL('../../bin/stackable.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'stackable-cli-outage-'));
after(() => rmSync(folder, { recursive: true, force: true }));

async function runWithNoDatabase(args: string[]) {
  // A port nothing listens on: the connection is refused at once.
  const url = `postgres://postgres@127.0.0.1:${await freePort()}/stackable`;
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: url,
      STACKABLE_SECRET: 'cli-outage-test-secret-long-enough-for-validation',
      STACKABLE_DATA_DIR: folder,
      LOG_LEVEL: 'fatal',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  return { code, output };
}

describe('a command run while the database is unreachable', () => {
  test('`credential verify` is unavailable (69), never "not verified" (1), and says why without a stack trace', async () => {
    const badge = join(folder, 'badge.json');
    writeFileSync(badge, '{}');
    const { code, output } = await runWithNoDatabase(['credential', 'verify', badge]);
    assert.equal(code, 69, output);
    assert.match(output, /The database did not answer .*ECONNREFUSED.*; nothing was done/);
    assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
  });

  test('`migrate` and `lists resume` are unavailable (69) too', async () => {
    for (const args of [['migrate'], ['lists', 'resume', '00000000-0000-4000-8000-000000000000']]) {
      const { code, output } = await runWithNoDatabase(args);
      assert.equal(code, 69, `${args.join(' ')}: ${output}`);
      assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
    }
  });
});
