import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { readTogether } from './read-together.ts';

interface Row {
  id: string;
  value: number;
}

/** A reader over `table` that records the keys of every read it is asked for. */
function aReader(table: Row[]) {
  const reads: string[][] = [];
  const read = readTogether(
    async (keys) => {
      reads.push([...keys]);
      return table.filter((row) => keys.includes(row.id));
    },
    (row) => row.id,
  );
  return { read, reads };
}

describe('readTogether', () => {
  test('keys asked for in the same turn are read with one query, each answered with its own row', async () => {
    const { read, reads } = aReader([
      { id: 'a', value: 1 },
      { id: 'b', value: 2 },
    ]);
    const answers = await Promise.all([read('b'), read('a'), read('missing')]);
    assert.deepEqual(answers, [{ id: 'b', value: 2 }, { id: 'a', value: 1 }, undefined]);
    assert.deepEqual(reads, [['b', 'a', 'missing']]);
  });

  test('a key asked for twice in one turn is read once, and both askers get its row', async () => {
    const { read, reads } = aReader([{ id: 'a', value: 1 }]);
    const [first, second] = await Promise.all([read('a'), read('a')]);
    assert.deepEqual(first, { id: 'a', value: 1 });
    assert.equal(second, first);
    assert.deepEqual(reads, [['a']]);
  });

  test('a key asked for again in a later turn is read again: nothing is kept', async () => {
    const table = [{ id: 'a', value: 1 }];
    const { read, reads } = aReader(table);
    assert.equal((await read('a'))?.value, 1);
    table[0] = { id: 'a', value: 2 };
    assert.equal((await read('a'))?.value, 2);
    assert.deepEqual(reads, [['a'], ['a']]);
  });

  test('a failed query fails every asker of its turn, and the next turn queries again', async () => {
    let fail = true;
    const read = readTogether(
      async (keys) => {
        if (fail) throw new Error('Connection terminated unexpectedly');
        return keys.map((id) => ({ id }));
      },
      (row) => row.id,
    );
    const answers = await Promise.allSettled([read('a'), read('b')]);
    assert.deepEqual(
      answers.map((answer) => answer.status === 'rejected' && (answer.reason as Error).message),
      ['Connection terminated unexpectedly', 'Connection terminated unexpectedly'],
    );
    fail = false;
    assert.deepEqual(await read('a'), { id: 'a' });
  });

  test('a query that throws before it starts fails its askers instead of escaping', async () => {
    const read = readTogether<{ id: string }>(
      () => {
        throw new Error('no query');
      },
      (row) => row.id,
    );
    await assert.rejects(read('a'), /no query/);
  });

  test('more keys than one query takes are read in several, every key once', async () => {
    const table = Array.from({ length: 1201 }, (_, n) => ({ id: `k${n}`, value: n }));
    const { read, reads } = aReader(table);
    const answers = await Promise.all(table.map((row) => read(row.id)));
    assert.deepEqual(
      answers.map((row) => row?.value),
      table.map((row) => row.value),
    );
    assert.deepEqual(
      reads.map((keys) => keys.length),
      [500, 500, 201],
    );
  });

  test('keys asked for in different turns are read apart', async () => {
    const { read, reads } = aReader([
      { id: 'a', value: 1 },
      { id: 'b', value: 2 },
    ]);
    const first = read('a');
    await nextTurn();
    const second = read('b');
    await Promise.all([first, second]);
    assert.deepEqual(reads, [['a'], ['b']]);
  });
});
