import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeInOrder } from './close-in-order.ts';

test('every part closes in order, even after one fails, and the first failure is thrown', async () => {
  const closed: string[] = [];
  const first = new Error('the server would not close');
  await assert.rejects(
    closeInOrder([
      () => {
        closed.push('http');
        throw first;
      },
      async () => {
        closed.push('jobs');
        throw new Error('a later failure');
      },
      async () => {
        closed.push('database');
      },
    ]),
    (error) => error === first,
  );
  assert.deepEqual(closed, ['http', 'jobs', 'database']);
});

test('a step waits for the one before it to finish', async () => {
  const closed: string[] = [];
  await closeInOrder([
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      closed.push('slow first');
    },
    () => closed.push('second'),
  ]);
  assert.deepEqual(closed, ['slow first', 'second']);
});
