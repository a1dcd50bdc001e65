import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { digestMail, weekStartOf } from './lead-digest.ts';
import type { DatedObligation } from './pilot-obligations.ts';

describe('the lead digest', () => {
  test('belongs to the Monday of its week, so it goes once from Monday to Sunday', () => {
    assert.equal(weekStartOf('2026-10-05'), '2026-10-05');
    assert.equal(weekStartOf('2026-10-08'), '2026-10-05');
    assert.equal(weekStartOf('2026-10-11'), '2026-10-05');
    assert.equal(weekStartOf('2026-10-12'), '2026-10-12');
  });

  test('lists what is overdue with its days late, then what is due soon, each with its link', () => {
    const item = (over: Partial<DatedObligation>): DatedObligation => ({
      kind: 'pilot_review',
      programId: 'p1',
      title: 'Data Literacy',
      leadUserId: 'u1',
      leadName: 'Lee',
      leadEmail: 'lee@example.test',
      dueOn: '2026-08-31',
      subjectId: 'p1/year-1',
      label: 'Year 1 review (2025-26)',
      path: '/programs/p1/reviews/1',
      days: 1,
      ...over,
    });
    const mail = digestMail(
      [item({})],
      [item({ label: 'Post-pilot decision', dueOn: '2026-09-15', days: 9 })],
      'https://u.example',
    );
    assert.equal(mail.to, 'lee@example.test');
    assert.equal(mail.subject, 'What is due on your programs: 1 overdue');
    assert.match(
      mail.text,
      /Data Literacy: Year 1 review \(2025-26\), due August 31, 2026, 1 day late \(https:\/\/u\.example\/programs\/p1\/reviews\/1\)/,
    );
    assert.match(mail.text, /Due within 30 days \(1\):/);
  });
});
