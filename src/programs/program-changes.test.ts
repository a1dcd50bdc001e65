import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindOfChange, withChanges } from './program-changes.ts';
import type { ProgramFields } from './program-form.ts';

test('only summary and description are wording; anything else on the program is substantive', () => {
  const rows: [string[], string][] = [
    [[], 'none'],
    [['summary'], 'wording'],
    [['summary', 'description'], 'wording'],
    [['feeCents'], 'substantive'],
    [['description', 'courses'], 'substantive'],
    [['title'], 'substantive'],
    [['creditType'], 'substantive'],
    [['outcomes'], 'substantive'],
    [['requirement'], 'substantive'],
    [['creditsMin'], 'substantive'],
  ];
  for (const [changed, kind] of rows) assert.equal(kindOfChange(changed), kind, changed.join(','));
});

test('a published change keeps wording fixed meanwhile and takes only the fields it changed', () => {
  const current = { summary: 'Fixed by the office', feeCents: 1000, title: 'T' } as unknown as ProgramFields;
  const proposed = { summary: 'Old summary', feeCents: 25_000, title: 'T' } as unknown as ProgramFields;
  assert.deepEqual(withChanges(current, proposed, ['feeCents']), {
    summary: 'Fixed by the office',
    feeCents: 25_000,
    title: 'T',
  });
});
