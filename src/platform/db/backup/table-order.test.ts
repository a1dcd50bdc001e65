import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertionOrder } from './table-order.ts';

test('a table comes after every table it references, ties by name', () => {
  const order = insertionOrder(
    ['credentials', 'learners', 'users', 'audit_log', 'programs'],
    [
      { from: 'credentials', to: 'learners' },
      { from: 'credentials', to: 'programs' },
      { from: 'learners', to: 'users' },
    ],
  );
  assert.deepEqual(order, ['audit_log', 'programs', 'users', 'learners', 'credentials']);
});

test('references to tables outside the list do not hold a table back', () => {
  assert.deepEqual(insertionOrder(['b', 'a'], [{ from: 'a', to: 'elsewhere' }]), ['a', 'b']);
});

test('a table referencing itself is ordered like any other; its rows are ordered by the export', () => {
  assert.deepEqual(
    insertionOrder(
      ['credentials', 'programs'],
      [
        { from: 'credentials', to: 'credentials' },
        { from: 'credentials', to: 'programs' },
      ],
    ),
    ['programs', 'credentials'],
  );
});

test('a cycle between tables is refused, naming the tables', () => {
  assert.throws(
    () =>
      insertionOrder(
        ['a', 'b', 'c'],
        [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'a' },
        ],
      ),
    /cycle: a, b\./,
  );
});
