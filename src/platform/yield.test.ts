import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { countRequestInFlight, requestsInFlight, yieldToOtherWork } from './yield.ts';

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

test('background work waits while a request is answered, and goes on as soon as it is done', async () => {
  const response = new EventEmitter();
  countRequestInFlight(response);
  assert.equal(requestsInFlight(), 1);
  let resumed = false;
  const waiting = yieldToOtherWork().then(() => {
    resumed = true;
  });
  await ticks(3);
  assert.equal(resumed, false, 'it went on while the request was still being answered');
  response.emit('close');
  assert.equal(requestsInFlight(), 0);
  await waiting;
  assert.equal(resumed, true);
});

test('a request that never finishes holds background work back only briefly', async () => {
  const response = new EventEmitter();
  countRequestInFlight(response);
  try {
    // Bounded: a stream of visitors slows a list down, it never stops it.
    await Promise.race([
      yieldToOtherWork(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('still waiting after 5 s')), 5000)),
    ]);
  } finally {
    response.emit('close');
  }
  assert.equal(requestsInFlight(), 0);
});

test('with nothing in flight it only lets queued callbacks run', async () => {
  let ran = false;
  setImmediate(() => {
    ran = true;
  });
  await yieldToOtherWork();
  assert.equal(ran, true);
});
