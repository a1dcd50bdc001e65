import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBatch } from './run-batch.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('no more than `parallel` jobs run at once, and every job runs', async () => {
  let running = 0;
  let most = 0;
  const done: number[] = [];
  await runBatch([1, 2, 3, 4, 5, 6, 7], 3, async (job) => {
    running++;
    most = Math.max(most, running);
    await tick();
    running--;
    done.push(job);
  });
  assert.equal(most, 3);
  assert.deepEqual(
    done.sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6, 7],
  );
});

test('a failing job does not stop the others, and its error is thrown at the end', async () => {
  const done: number[] = [];
  await assert.rejects(
    runBatch([1, 2, 3, 4], 2, async (job) => {
      await tick();
      if (job === 2) throw new Error('job 2 failed');
      done.push(job);
    }),
    /job 2 failed/,
  );
  assert.deepEqual(
    done.sort((a, b) => a - b),
    [1, 3, 4],
  );
});

test('an empty batch does nothing', async () => {
  await runBatch([], 4, async () => assert.fail('no job to run'));
});
