import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRule } from '../requirements/index.ts';
import {
  completionOf,
  experiencesInRule,
  LearnerEvidence,
  measureProgress,
  readProgramRule,
} from './enrolment-progress.ts';

const asOf = '2026-11-25';
const twoCourses = parseRule({
  type: 'all',
  rules: [
    { type: 'course', code: 'COMM 101' },
    { type: 'course', code: 'COMM 102' },
    { type: 'experience', key: 'internship', name: 'Internship' },
  ],
});

function completion(learnerId: string, course: string, completedOn: string) {
  return { learnerId, course, credits: 3, level: 'undergraduate' as const, grade: 'B', completedOn };
}

describe('enrolment progress', () => {
  test('a stored rule that no longer parses is shown as unreadable, not thrown', () => {
    const rule = readProgramRule({ type: 'all', rules: [] });
    assert.equal(rule, null);
    const progress = measureProgress(
      rule,
      { completions: [], experiences: [], substitutions: [] },
      asOf,
      asOf,
    );
    assert.equal(progress.status, 'unreadable');
    assert.equal(progress.met, false);
  });

  test('sign-offs and substitutions count only in the program they were granted for', () => {
    const evidence = new LearnerEvidence({
      completions: [completion('l1', 'COMM 101', '2026-03-01'), completion('l1', 'COMM 900', '2026-03-01')],
      experiences: [
        {
          learnerId: 'l1',
          programId: 'other',
          key: 'internship',
          signedOffOn: '2026-04-01',
          signedOffBy: 'Ana',
        },
      ],
      substitutions: [
        {
          learnerId: 'l1',
          programId: 'this',
          required: 'COMM 102',
          substitute: 'COMM 900',
          approvedBy: 'Ana',
        },
      ],
    });
    const here = measureProgress(twoCourses, evidence.recordFor('l1', 'this'), '2026-01-05', asOf);
    assert.deepEqual(here.missing, ['Internship (faculty sign-off)']);
    const there = measureProgress(twoCourses, evidence.recordFor('l1', 'other'), '2026-01-05', asOf);
    assert.deepEqual(there.missing, ['COMM 102']);
    assert.deepEqual(evidence.recordFor('l2', 'this').completions, []);
  });

  test('only work that bears on the program keeps a learner from counting as stalled', () => {
    const old = [completion('l1', 'COMM 101', '2024-06-01')];
    const recentElsewhere = [...old, completion('l1', 'HIST 200', '2026-10-01')];
    const named = measureProgress(
      twoCourses,
      { completions: recentElsewhere, experiences: [], substitutions: [] },
      '2024-01-08',
      asOf,
    );
    assert.equal(named.status, 'stalled');
    assert.equal(named.lastActivityOn, '2024-06-01');

    const anyCredits = parseRule({ type: 'all', rules: [{ type: 'credits', min: 12 }] });
    const open = measureProgress(
      anyCredits,
      { completions: recentElsewhere, experiences: [], substitutions: [] },
      '2024-01-08',
      asOf,
    );
    assert.equal(open.status, 'in_progress');
    assert.equal(open.lastActivityOn, '2026-10-01');
  });

  test('a recent enrolment is activity too, so old credit that counts does not make it stalled', () => {
    const progress = measureProgress(
      twoCourses,
      { completions: [completion('l1', 'COMM 101', '2023-06-01')], experiences: [], substitutions: [] },
      '2026-09-28',
      asOf,
    );
    assert.equal(progress.status, 'in_progress');
  });

  test('experience requirements are listed once each, from anywhere in the rule', () => {
    const rule = parseRule({
      type: 'within',
      years: 5,
      rule: {
        type: 'choose',
        count: 1,
        rules: [
          { type: 'experience', key: 'internship', name: 'Internship' },
          { type: 'all', rules: [{ type: 'experience', key: 'practicum', name: 'Practicum' }] },
          { type: 'experience', key: 'internship', name: 'Internship' },
        ],
      },
    });
    assert.deepEqual(experiencesInRule(rule), [
      { key: 'internship', name: 'Internship' },
      { key: 'practicum', name: 'Practicum' },
    ]);
  });

  test('a grade for a term that ends after the evaluation day is pending, named, and left out until then', () => {
    const record = {
      completions: [
        { ...completion('l', 'COMM 101', '2026-06-12'), term: '2026 Spring' },
        { ...completion('l', 'COMM 102', '2026-12-12'), term: '2026 Fall' },
        { ...completion('l', 'ARTS 900', '2026-12-12'), term: '2026 Fall' },
      ],
      experiences: [{ key: 'internship', signedOffOn: '2026-05-01', signedOffBy: 'Dr. Lee' }],
      substitutions: [],
    };
    const now = measureProgress(twoCourses, record, '2026-01-01', asOf);
    assert.equal(now.met, false);
    assert.deepEqual(now.pendingGrades, [
      { course: 'COMM 102', term: '2026 Fall', countsFrom: '2026-12-12' },
    ]);
    const later = measureProgress(twoCourses, record, '2026-01-01', '2026-12-12');
    assert.equal(later.met, true);
    assert.deepEqual(later.pendingGrades, []);
  });

  test("a program is finished on the day its last requirement was met, in that day's term", () => {
    const record = {
      completions: [
        { ...completion('l', 'COMM 101', '2025-12-12'), term: '2025 Fall' },
        { ...completion('l', 'COMM 102', '2026-03-20'), term: '2026 Winter' },
      ],
      experiences: [{ key: 'internship', signedOffOn: '2026-02-01', signedOffBy: 'Dr. Lee' }],
      substitutions: [],
    };
    assert.deepEqual(completionOf(twoCourses, record, asOf), {
      completedOn: '2026-03-20',
      term: '2026 Winter',
    });
    assert.equal(completionOf(twoCourses, record, '2026-03-19'), null, 'not met yet on the day before');
  });
});
