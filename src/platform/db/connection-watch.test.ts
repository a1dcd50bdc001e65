import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ConnectionChange, ConnectionWatch } from './connection-watch.ts';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A watch, the changes it told, and `tick`, which waits until the clock has moved and says when that is. */
function aWatch() {
  const watch = new ConnectionWatch();
  const told: string[] = [];
  watch.onChange((change: ConnectionChange) => told.push(change.kind));
  const tick = async () => {
    // performance.now() is monotonic; waiting a little makes the next reading strictly later.
    const before = ConnectionWatch.now();
    while (ConnectionWatch.now() <= before) await new Promise((resolve) => setTimeout(resolve, 1));
    return ConnectionWatch.now();
  };
  return { watch, told, tick };
}

describe('ConnectionWatch', () => {
  test('tells one loss and one return for an outage, however many failures it holds', async () => {
    const { watch, told, tick } = aWatch();
    watch.noteFailure(refused);
    watch.noteFailure(refused, await tick());
    watch.noteFailure(refused);
    assert.equal(watch.isDown, true);
    watch.noteSuccess(await tick());
    watch.noteSuccess(await tick());
    assert.deepEqual(told, ['lost', 'regained']);
    assert.equal(watch.isDown, false);
  });

  test('an answer to an attempt begun before the loss was noted is not a return', async () => {
    const { watch, told, tick } = aWatch();
    const begun = await tick();
    await tick();
    watch.noteFailure(refused);
    watch.noteSuccess(begun);
    assert.deepEqual(told, ['lost']);
    assert.equal(watch.isDown, true);
    watch.noteSuccess(await tick());
    assert.deepEqual(told, ['lost', 'regained']);
  });

  test('a failure of an attempt begun before the return is not a new loss; an event with no attempt is', async () => {
    const { watch, told, tick } = aWatch();
    watch.noteFailure(refused);
    const begunDuringOutage = await tick();
    watch.noteSuccess(await tick());
    await tick();
    assert.equal(
      watch.noteFailure(refused, begunDuringOutage),
      true,
      'still a connection failure to its caller',
    );
    assert.deepEqual(told, ['lost', 'regained']);
    assert.equal(watch.isDown, false);
    watch.noteFailure(refused);
    assert.deepEqual(told, ['lost', 'regained', 'lost']);
  });

  test('an error that is not about the connection changes nothing and is the caller’s to report', () => {
    const { watch, told } = aWatch();
    assert.equal(watch.noteFailure(new Error('duplicate key value')), false);
    assert.deepEqual(told, []);
    assert.equal(watch.isDown, false);
  });
});
