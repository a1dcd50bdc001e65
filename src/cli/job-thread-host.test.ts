import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createLogger } from '../platform/logger.ts';
import { startJobThread } from './job-thread-host.ts';

const folder = mkdtempSync(join(tmpdir(), 'stackable-job-thread-host-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/**
 * A stand-in for job-thread.ts that speaks its messages and counts its starts in a file: on the starts listed in
 * `crashOn` it says it started and then throws from a timer (an uncaught error, as a job's bug would be); on those
 * in `failOn` it throws before saying anything.
 */
function aThread(name: string, { crashOn = [] as number[], failOn = [] as number[] }) {
  const counter = join(folder, `${name}.count`);
  writeFileSync(counter, '0');
  const script = join(folder, `${name}.mjs`);
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
const start = Number(readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1;
writeFileSync(${JSON.stringify(counter)}, String(start));
if (${JSON.stringify(failOn)}.includes(start)) throw new Error('cannot start ' + start);
parentPort.on('message', (message) => { if (message.kind === 'stop') parentPort.close(); });
parentPort.postMessage({ kind: 'started' });
if (${JSON.stringify(crashOn)}.includes(start)) setTimeout(() => { throw new Error('crash ' + start); }, 50);
`,
  );
  return { entry: pathToFileURL(script), starts: () => Number(readFileSync(counter, 'utf8')) };
}

function aLog() {
  const lines: { msg: string; err?: { message: string } }[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, messages: () => lines.map((line) => line.msg) };
}

async function until(what: string, condition: () => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the job thread of a serve process', () => {
  test('is started again after it dies of an uncaught error, and stops when asked', async () => {
    const thread = aThread('crashes-once', { crashOn: [1] });
    const log = aLog();
    const jobs = await startJobThread(log.logger, thread.entry);
    await until('a second start', () => thread.starts() === 2);
    assert.ok(log.messages().includes('the job workers stopped on an error'), log.messages().join('\n'));
    assert.ok(log.messages().includes('the job workers stopped; starting them again'));
    await jobs.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(thread.starts(), 2, 'nothing is started after a stop');
  });

  test('keeps trying while a new start fails, then runs again', async () => {
    const thread = aThread('fails-twice', { crashOn: [1], failOn: [2, 3] });
    const log = aLog();
    const jobs = await startJobThread(log.logger, thread.entry);
    // 1 s, then 2 s after the first failed start, then 4 s after the second.
    await until('a fourth start', () => thread.starts() === 4);
    await jobs.stop();
    assert.equal(
      log.messages().filter((m) => m === 'the job workers stopped; starting them again').length,
      3,
    );
  });

  test('a first start that fails is an error for the caller, and is not tried again', async () => {
    const thread = aThread('never-starts', { failOn: [1] });
    const log = aLog();
    await assert.rejects(startJobThread(log.logger, thread.entry), /the job workers could not start/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(thread.starts(), 1);
  });
});
