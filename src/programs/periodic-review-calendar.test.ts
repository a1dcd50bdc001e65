import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type EstablishedProgram,
  owedReviewPeriod,
  periodicObligations,
  reviewPeriodFrom,
} from './periodic-review-calendar.ts';

describe('reviewPeriodFrom', () => {
  test('a program established on the first day of the academic year is reviewed after N whole years', () => {
    assert.deepEqual(reviewPeriodFrom('2026-09-01', 3, 9), {
      cycle: 1,
      startsOn: '2026-09-01',
      endsOn: '2029-08-31',
      dueOn: '2029-08-31',
    });
    assert.equal(reviewPeriodFrom('2026-09-01', 5, 9).dueOn, '2031-08-31');
  });

  test('one established mid-year is due at the end of the academic year in which N years run out', () => {
    assert.equal(reviewPeriodFrom('2026-06-15', 3, 9).dueOn, '2029-08-31');
    assert.equal(reviewPeriodFrom('2026-10-15', 3, 9).dueOn, '2030-08-31');
  });

  test('the academic year start month moves the due date', () => {
    assert.equal(reviewPeriodFrom('2026-06-15', 3, 1).dueOn, '2029-12-31');
    assert.equal(reviewPeriodFrom('2026-06-15', 3, 7).dueOn, '2029-06-30');
  });

  test('a program established on 29 February', () => {
    assert.equal(reviewPeriodFrom('2024-02-29', 3, 9).dueOn, '2027-08-31');
    assert.equal(reviewPeriodFrom('2024-02-29', 3, 3).dueOn, '2027-02-28');
  });

  test('refuses a rhythm outside 1 to 10 years and a bad date', () => {
    assert.throws(() => reviewPeriodFrom('2026-09-01', 0, 9), RangeError);
    assert.throws(() => reviewPeriodFrom('2026-09-01', 11, 9), RangeError);
    assert.throws(() => reviewPeriodFrom('2026-09-01', 2.5, 9), RangeError);
    assert.throws(() => reviewPeriodFrom('2026-02-30', 3, 9), RangeError);
  });

  test('every period lasts at least N years, less than N + 1, and ends on an academic year end', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2090-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 12 }),
        (moment, years, startMonth) => {
          const start = moment.toISOString().slice(0, 10);
          const period = reviewPeriodFrom(start, years, startMonth);
          const days = (Date.parse(period.endsOn) - Date.parse(start)) / 86_400_000 + 1;
          assert.ok(days >= years * 365, `${start} +${years}: ${period.endsOn}`);
          assert.ok(days <= (years + 1) * 366, `${start} +${years}: ${period.endsOn}`);
          const next = new Date(Date.parse(period.endsOn) + 86_400_000);
          assert.equal(next.getUTCDate(), 1);
          assert.equal(next.getUTCMonth() + 1, startMonth);
        },
      ),
    );
  });
});

describe('owedReviewPeriod', () => {
  test('the first review counts from establishment; later ones from the day after the last one covered', () => {
    assert.equal(owedReviewPeriod('2020-09-01', null, 3, 9).dueOn, '2023-08-31');
    const second = owedReviewPeriod('2020-09-01', { cycle: 1, endsOn: '2023-08-31' }, 3, 9);
    assert.deepEqual(second, { cycle: 2, startsOn: '2023-09-01', endsOn: '2026-08-31', dueOn: '2026-08-31' });
  });

  test('changing the rhythm moves only the review not yet submitted', () => {
    const last = { cycle: 1, endsOn: '2023-08-31' };
    assert.equal(owedReviewPeriod('2020-09-01', last, 5, 9).dueOn, '2028-08-31');
    assert.equal(owedReviewPeriod('2020-09-01', last, 5, 9).startsOn, '2023-09-01');
  });
});

describe('periodicObligations', () => {
  const program = (over: Partial<EstablishedProgram>): EstablishedProgram => ({
    id: 'p1',
    title: 'Data Literacy',
    status: 'established',
    leadUserId: 'u1',
    leadName: 'Lee',
    leadEmail: 'lee@example.test',
    establishedOn: '2020-09-01',
    lastSubmitted: null,
    ...over,
  });

  test('one review per established program, linked to its form; none for other states', () => {
    const owed = periodicObligations(
      [program({}), program({ id: 'p2', status: 'retired' }), program({ id: 'p3', status: 'pilot' })],
      3,
      9,
    );
    assert.equal(owed.length, 1);
    assert.equal(owed[0]!.kind, 'periodic_review');
    assert.equal(owed[0]!.dueOn, '2023-08-31');
    assert.equal(owed[0]!.path, '/programs/p1/periodic-reviews/1');
    assert.equal(owed[0]!.label, 'Periodic review 1 (September 1, 2020 to August 31, 2023)');
    assert.equal(owed[0]!.subjectId, 'p1/periodic-1');
  });
});
