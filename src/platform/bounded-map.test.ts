import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BoundedMap } from './bounded-map.ts';

describe('BoundedMap', () => {
  test('drops the key added longest ago when a new one comes to a full map', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    map.get('a');
    map.set('c', 3);
    assert.deepEqual(
      [...map],
      [
        ['b', 2],
        ['c', 3],
      ],
    );
  });

  test('replaces the value of a key it holds without dropping another', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 10);
    assert.deepEqual(
      [...map],
      [
        ['a', 10],
        ['b', 2],
      ],
    );
  });

  test('keeps the most recently used when a hit is deleted and set again', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    const hit = map.get('a')!;
    map.delete('a');
    map.set('a', hit);
    map.set('c', 3);
    assert.deepEqual([...map.keys()], ['a', 'c']);
  });

  test('tells onDrop of each entry dropped for room, and not of those deleted or replaced', () => {
    const dropped: [string, number][] = [];
    const map = new BoundedMap<string, number>(2, (key, value) => dropped.push([key, value]));
    map.set('a', 1).set('b', 2).set('b', 20);
    map.delete('a');
    map.set('c', 3).set('d', 4);
    assert.deepEqual(dropped, [['b', 20]]);
    assert.deepEqual([...map.keys()], ['c', 'd']);
  });

  test('refuses a limit below one', () => {
    assert.throws(() => new BoundedMap(0), RangeError);
    assert.throws(() => new BoundedMap(1.5), RangeError);
  });

  test('holds what a plain map holds of the last keys, never more than its limit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer()), { maxLength: 60 }),
        (limit, writes) => {
          const bounded = new BoundedMap<number, number>(limit);
          // The model: a list of entries in insertion order, the oldest dropped past the limit.
          let model: [number, number][] = [];
          for (const [key, value] of writes) {
            bounded.set(key, value);
            const at = model.findIndex(([k]) => k === key);
            if (at >= 0) model[at] = [key, value];
            else model = [...model, [key, value] as [number, number]].slice(-limit);
            assert.ok(bounded.size <= limit);
          }
          assert.deepEqual([...bounded], model);
        },
      ),
    );
  });
});
