import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type AwardFact,
  type EnrolmentFact,
  factsWithin,
  median,
  programFigures,
  termFinder,
} from './program-figures.ts';

const terms = [
  { code: '202609', name: 'Fall 2026', startsOn: '2026-09-01', endsOn: '2026-12-15' },
  { code: '202601', name: 'Spring 2026', startsOn: '2026-01-10', endsOn: '2026-05-10' },
];

const enrolment = (
  learnerId: string,
  enrolledOn: string,
  over: Partial<EnrolmentFact> = {},
): EnrolmentFact => ({
  learnerId,
  path: 'current',
  enrolledOn,
  status: 'active',
  ...over,
});

const award = (learnerId: string, completedOn: string, over: Partial<AwardFact> = {}): AwardFact => ({
  learnerId,
  creditMode: 'credit',
  completedOn,
  credentialStatus: 'active',
  claimed: false,
  shared: false,
  fee: { status: 'posted', cents: 2500 },
  ...over,
});

test('a day counts toward the term that covers it, or the last that ended before it', () => {
  const of = termFinder(terms, 8);
  assert.equal(of('2026-02-01').name, 'Spring 2026');
  assert.equal(of('2026-07-01').name, 'Spring 2026', 'summer weeks after spring count toward spring');
  assert.equal(of('2026-09-01').name, 'Fall 2026');
  assert.equal(of('2027-03-01').name, 'Fall 2026', 'nothing later on the list');
});

test('before the first term on the list, or with none, a day counts toward its academic year', () => {
  assert.equal(termFinder(terms, 8)('2025-10-01').name, '2025–26');
  assert.equal(termFinder([], 8)('2025-07-31').name, '2024–25');
  assert.equal(termFinder([], 1)('2025-07-31').name, '2025', 'a calendar-year institution');
});

test('terms come out in time order with enrolments and completions counted where they happened', () => {
  const figures = programFigures({
    progress: [],
    terms,
    academicYearStartMonth: 8,
    enrolments: [enrolment('a', '2026-09-03'), enrolment('b', '2026-01-20'), enrolment('c', '2025-10-01')],
    awards: [award('b', '2026-05-01'), award('c', '2026-09-20')],
  });
  assert.deepEqual(figures.byTerm, [
    { term: '2025–26', enrolled: 1, completed: 0 },
    { term: 'Spring 2026', enrolled: 1, completed: 1 },
    { term: 'Fall 2026', enrolled: 1, completed: 1 },
  ]);
  assert.equal(figures.completionRate, 2 / 3);
  assert.equal(figures.inProgress, 1, 'a learner with a badge is no longer working toward it');
  assert.equal(figures.medianDaysToComplete, (101 + 354) / 2);
});

test('a revoked badge is not a completion, but it was issued and its fee is told as it stands', () => {
  const figures = programFigures({
    progress: [],
    terms: [],
    academicYearStartMonth: 8,
    enrolments: [
      enrolment('a', '2026-01-01'),
      enrolment('b', '2026-01-01', { status: 'withdrawn', path: 'new' }),
    ],
    awards: [
      award('a', '2026-03-01', { credentialStatus: 'revoked', fee: { status: 'reversed', cents: 2500 } }),
      award('x', '2026-03-01', {
        claimed: true,
        shared: true,
        creditMode: 'non_credit',
        fee: { status: 'waived', cents: 2500 },
      }),
    ],
  });
  assert.equal(figures.completed, 1);
  assert.deepEqual(figures.badges, { issued: 2, claimed: 1, shared: 1, suspended: 0, revoked: 1 });
  assert.deepEqual(figures.cohorts, { credit: 0, nonCredit: 1 });
  assert.deepEqual(figures.fees, {
    postedCents: 0,
    waived: 1,
    waivedCents: 2500,
    reversed: 1,
    reversedCents: 2500,
  });
  assert.equal(figures.withdrawn, 1);
  assert.deepEqual(
    figures.paths.map((p) => [p.path, p.count]),
    [
      ['new', 1],
      ['non_degree', 0],
      ['current', 1],
      ['returning', 0],
    ],
  );
  assert.equal(figures.medianDaysToComplete, null, 'the only standing award has no enrolment here');
});

test('no enrolments: no rate rather than a division by zero', () => {
  const figures = programFigures({
    terms,
    academicYearStartMonth: 8,
    enrolments: [],
    awards: [],
    progress: [],
  });
  assert.equal(figures.completionRate, null);
  assert.deepEqual(figures.byTerm, []);
});

test('median of odd and even counts', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), null);
});

test('where learners stall: what those still working toward the badge need, most needed first', () => {
  const figures = programFigures({
    terms,
    academicYearStartMonth: 8,
    enrolments: [
      enrolment('a', '2026-01-20'),
      enrolment('b', '2026-01-20'),
      enrolment('c', '2026-01-20'),
      enrolment('gone', '2026-01-20', { status: 'withdrawn' }),
      enrolment('done', '2026-01-20'),
    ],
    awards: [award('done', '2026-05-01')],
    progress: [
      { learnerId: 'a', state: 'stalled', missing: ['COMM 330', '4 more credits'] },
      { learnerId: 'b', state: 'in_progress', missing: ['COMM 330'] },
      { learnerId: 'c', state: 'stalled', missing: ['MATH 344', 'COMM 330', 'COMM 330'] },
      { learnerId: 'gone', state: 'stalled', missing: ['MATH 344'] },
      { learnerId: 'done', state: 'complete', missing: [] },
    ],
  });
  assert.deepEqual(figures.needs, [
    { requirement: 'COMM 330', learners: 3 },
    { requirement: '4 more credits', learners: 1 },
    { requirement: 'MATH 344', learners: 1 },
  ]);
  assert.deepEqual(figures.states, [
    { state: 'in_progress', count: 1 },
    { state: 'stalled', count: 2 },
  ]);
});

test('a period counts the enrolments made and the badges completed within it, both ends included', () => {
  const facts = {
    progress: [],
    terms,
    academicYearStartMonth: 8,
    enrolments: [enrolment('a', '2025-07-31'), enrolment('b', '2025-08-01'), enrolment('c', '2026-07-31')],
    awards: [award('a', '2025-08-01'), award('b', '2026-08-01')],
  };
  const within = factsWithin(facts, { from: '2025-08-01', to: '2026-07-31' });
  assert.deepEqual(
    within.enrolments.map((e) => e.learnerId),
    ['b', 'c'],
  );
  assert.deepEqual(
    within.awards.map((a) => a.learnerId),
    ['a'],
  );
  const figures = programFigures(within);
  assert.equal(figures.enrolled, 2);
  assert.equal(figures.badges.issued, 1);
});
