import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LedProgramRow, sortLedPrograms } from './led-programs.ts';

const row = (title: string, fields: Partial<LedProgramRow> = {}): LedProgramRow => ({
  id: title,
  slug: title,
  title,
  status: 'established',
  enrolled: 0,
  completing: 0,
  completed: 0,
  badges: 0,
  nextDue: null,
  ...fields,
});

const rows = [
  row('Cartography', { status: 'pilot', enrolled: 5, nextDue: '2027-03-01' }),
  row('Apiculture', { enrolled: 5, badges: 2 }),
  row('Botany', { status: 'draft', enrolled: 9, nextDue: '2026-12-20' }),
];
const titles = (sorted: LedProgramRow[]) => sorted.map((r) => r.title);

test('counts sort either way, equal counts by title', () => {
  assert.deepEqual(titles(sortLedPrograms(rows, { key: 'enrolled', order: 'desc' })), [
    'Botany',
    'Apiculture',
    'Cartography',
  ]);
  assert.deepEqual(titles(sortLedPrograms(rows, { key: 'enrolled', order: 'asc' })), [
    'Apiculture',
    'Cartography',
    'Botany',
  ]);
});

test('states sort in the order of the lifecycle, not alphabetically', () => {
  assert.deepEqual(titles(sortLedPrograms(rows, { key: 'state', order: 'asc' })), [
    'Botany',
    'Cartography',
    'Apiculture',
  ]);
});

test('a program with nothing due comes last whichever way due dates sort', () => {
  assert.deepEqual(titles(sortLedPrograms(rows, { key: 'due', order: 'asc' })), [
    'Botany',
    'Cartography',
    'Apiculture',
  ]);
  assert.deepEqual(titles(sortLedPrograms(rows, { key: 'due', order: 'desc' })), [
    'Cartography',
    'Botany',
    'Apiculture',
  ]);
});
