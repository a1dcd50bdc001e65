import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  classifyObligations,
  type PilotProgram,
  pilotObligations,
  reminderStage,
} from './pilot-obligations.ts';

const pilot = (overrides: Partial<PilotProgram> = {}): PilotProgram => ({
  id: 'p1',
  title: 'Program One',
  status: 'pilot',
  leadUserId: 'u1',
  leadName: 'Lead',
  leadEmail: 'lead@example.edu',
  startedOn: '2025-10-06',
  startYear: 2025,
  submittedYears: [],
  ...overrides,
});

describe('pilot obligations', () => {
  test('a pilot owes three yearly reviews and a decision at the start of its third year', () => {
    const owed = pilotObligations([pilot()], 9);
    assert.deepEqual(
      owed.map((o) => [o.kind, o.year ?? null, o.dueOn]),
      [
        ['pilot_review', 1, '2026-08-31'],
        ['pilot_review', 2, '2027-08-31'],
        ['pilot_decision', null, '2027-09-01'],
        ['pilot_review', 3, '2028-08-31'],
      ],
    );
  });

  test('submitted reviews are no longer owed, and a full proposal settles the decision', () => {
    const owed = pilotObligations([pilot({ status: 'full_proposal_review', submittedYears: [1, 2] })], 9);
    assert.deepEqual(
      owed.map((o) => o.subjectId),
      ['p1/year-3'],
    );
  });

  test('programs known only by their starting academic year start on its first day', () => {
    const owed = pilotObligations([pilot({ startedOn: null, startYear: 2024 })], 9);
    assert.equal(owed[0]?.dueOn, '2025-08-31');
    assert.equal(owed[0]?.academicYear, '2024-25');
  });

  test('established, retired and never-piloted programs owe nothing', () => {
    const owed = pilotObligations(
      [
        pilot({ status: 'established' }),
        pilot({ status: 'retired' }),
        pilot({ startedOn: null, startYear: null }),
      ],
      9,
    );
    assert.deepEqual(owed, []);
  });

  test('overdue starts the day after the due date; the window counts days left', () => {
    const owed = pilotObligations([pilot()], 9);
    const onDueDay = classifyObligations(owed, '2026-08-31');
    assert.deepEqual(onDueDay.overdue, []);
    assert.deepEqual(
      onDueDay.dueSoon.map((o) => [o.subjectId, o.days]),
      [['p1/year-1', 0]],
    );
    const dayAfter = classifyObligations(owed, '2026-09-01');
    assert.deepEqual(
      dayAfter.overdue.map((o) => [o.subjectId, o.days]),
      [['p1/year-1', 1]],
    );
    assert.deepEqual(classifyObligations(owed, '2026-07-31').dueSoon, []);
    assert.deepEqual(
      classifyObligations(owed, '2026-08-01').dueSoon.map((o) => o.days),
      [30],
    );
  });

  test('the reminder of the day is the latest one reached, then one overdue notice', () => {
    const due = '2026-08-31';
    assert.equal(reminderStage(due, '2026-07-31'), undefined);
    assert.equal(reminderStage(due, '2026-08-01'), 'in_30_days');
    assert.equal(reminderStage(due, '2026-08-23'), 'in_30_days');
    assert.equal(reminderStage(due, '2026-08-24'), 'in_7_days');
    assert.equal(reminderStage(due, '2026-08-30'), 'in_1_day');
    assert.equal(reminderStage(due, '2026-08-31'), 'in_1_day');
    assert.equal(reminderStage(due, '2026-09-01'), 'overdue');
  });
});
