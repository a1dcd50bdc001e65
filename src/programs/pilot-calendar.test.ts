import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  academicYearOf,
  calendarDateIn,
  computePilotCalendar,
  isOverdue,
  reminderDates,
} from './pilot-calendar.ts';

// Test-side date arithmetic, kept separate from the module under test.
const shift = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string): number =>
  (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

const isoArb = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2150-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const monthArb = fc.integer({ min: 1, max: 12 });

describe('academicYearOf', () => {
  test('September start: the boundary falls between August 31 and September 1', () => {
    assert.equal(academicYearOf('2025-08-31'), '2024-25');
    assert.equal(academicYearOf('2025-09-01'), '2025-26');
    assert.equal(academicYearOf('2025-12-31'), '2025-26');
    assert.equal(academicYearOf('2026-01-01'), '2025-26');
  });

  test('other start months', () => {
    assert.equal(academicYearOf('2025-07-15', 7), '2025-26');
    assert.equal(academicYearOf('2025-06-30', 7), '2024-25');
    assert.equal(academicYearOf('2025-06-30', 1), '2025');
    assert.equal(academicYearOf('2099-12-31', 12), '2099-00');
  });

  test('rejects malformed and impossible dates and months', () => {
    for (const bad of ['2025-02-30', '2025-13-01', '2025-9-01', '25-09-01', '2025-09-01T00:00:00Z', '']) {
      assert.throws(() => academicYearOf(bad), RangeError, bad);
    }
    for (const month of [0, 13, 2.5]) assert.throws(() => academicYearOf('2025-09-01', month), RangeError);
  });

  test('accepts February 29 only in leap years', () => {
    assert.equal(academicYearOf('2024-02-29'), '2023-24');
    assert.throws(() => academicYearOf('2023-02-29'), RangeError);
    assert.throws(() => academicYearOf('2100-02-29'), RangeError);
    assert.equal(academicYearOf('2000-02-29'), '1999-00');
  });
});

describe('computePilotCalendar: examples', () => {
  test('a pilot starting mid-year counts that year as its first', () => {
    const cal = computePilotCalendar('2025-10-15');
    assert.deepEqual(cal, {
      startsOn: '2025-10-15',
      years: [
        {
          number: 1,
          academicYear: '2025-26',
          startsOn: '2025-10-15',
          endsOn: '2026-08-31',
          reviewDueOn: '2026-08-31',
        },
        {
          number: 2,
          academicYear: '2026-27',
          startsOn: '2026-09-01',
          endsOn: '2027-08-31',
          reviewDueOn: '2027-08-31',
        },
        {
          number: 3,
          academicYear: '2027-28',
          startsOn: '2027-09-01',
          endsOn: '2028-08-31',
          reviewDueOn: '2028-08-31',
        },
      ],
      decisionDueOn: '2027-09-01',
      endsOn: '2028-08-31',
    });
  });

  test('starting on the first day of the academic year gives three full years', () => {
    const cal = computePilotCalendar('2025-09-01');
    assert.equal(cal.years[0]?.startsOn, '2025-09-01');
    assert.equal(cal.years[0]?.academicYear, '2025-26');
    assert.equal(cal.endsOn, '2028-08-31');
    assert.equal(computePilotCalendar('2025-09-01', { partialFirstYear: 'skips' }).endsOn, '2028-08-31');
  });

  test('starting on the last day of the academic year: counted as a one-day year, or skipped', () => {
    const counted = computePilotCalendar('2025-08-31');
    assert.equal(counted.years[0]?.academicYear, '2024-25');
    assert.equal(counted.years[0]?.reviewDueOn, '2025-08-31');
    assert.equal(counted.decisionDueOn, '2026-09-01');

    const skipped = computePilotCalendar('2025-08-31', { partialFirstYear: 'skips' });
    assert.equal(skipped.startsOn, '2025-08-31');
    assert.equal(skipped.years[0]?.academicYear, '2025-26');
    assert.equal(skipped.years[0]?.startsOn, '2025-09-01');
    assert.equal(skipped.decisionDueOn, '2027-09-01');
    assert.equal(skipped.endsOn, '2028-08-31');
  });

  test('leap years: an academic year starting in March ends on February 29 when there is one', () => {
    const cal = computePilotCalendar('2023-03-01', { academicYearStartMonth: 3 });
    assert.deepEqual(
      cal.years.map((y) => y.reviewDueOn),
      ['2024-02-29', '2025-02-28', '2026-02-28'],
    );
    assert.deepEqual(
      cal.years.map((y) => y.academicYear),
      ['2023-24', '2024-25', '2025-26'],
    );
    assert.equal(cal.decisionDueOn, '2025-03-01');
  });

  test('a pilot starting on February 29 is placed in the right year', () => {
    const cal = computePilotCalendar('2024-02-29');
    assert.equal(cal.years[0]?.academicYear, '2023-24');
    assert.equal(cal.years[0]?.reviewDueOn, '2024-08-31');
  });

  test('a January academic year uses calendar years', () => {
    const cal = computePilotCalendar('2025-05-05', { academicYearStartMonth: 1 });
    assert.deepEqual(
      cal.years.map((y) => [y.academicYear, y.reviewDueOn]),
      [
        ['2025', '2025-12-31'],
        ['2026', '2026-12-31'],
        ['2027', '2027-12-31'],
      ],
    );
    assert.equal(cal.decisionDueOn, '2027-01-01');
  });

  test('rejects a bad start date or month', () => {
    assert.throws(() => computePilotCalendar('2025-02-29'), RangeError);
    assert.throws(() => computePilotCalendar('2025-09-01', { academicYearStartMonth: 0 }), RangeError);
  });
});

describe('computePilotCalendar: properties', () => {
  const optionsArb = fc.record({
    academicYearStartMonth: monthArb,
    partialFirstYear: fc.constantFrom('counts' as const, 'skips' as const),
  });

  test('three consecutive academic years with strictly increasing review dates', () => {
    fc.assert(
      fc.property(isoArb, optionsArb, (start, options) => {
        const cal = computePilotCalendar(start, options);
        assert.equal(cal.years.length, 3);
        cal.years.forEach((year, i) => {
          assert.equal(year.number, i + 1);
          assert.ok(year.startsOn <= year.endsOn);
          assert.equal(year.reviewDueOn, year.endsOn);
          assert.equal(academicYearOf(year.startsOn, options.academicYearStartMonth), year.academicYear);
          assert.equal(academicYearOf(year.endsOn, options.academicYearStartMonth), year.academicYear);
          // The review falls on the academic year's last day: the next day belongs to another year.
          assert.notEqual(
            academicYearOf(shift(year.endsOn, 1), options.academicYearStartMonth),
            year.academicYear,
          );
          const previous = cal.years[i - 1];
          if (previous !== undefined) {
            assert.ok(previous.reviewDueOn < year.reviewDueOn);
            assert.equal(year.startsOn, shift(previous.endsOn, 1));
          }
        });
        assert.equal(cal.endsOn, cal.years[2]?.endsOn);
      }),
    );
  });

  test('the decision is due when year three begins: after the second review, before the third', () => {
    fc.assert(
      fc.property(isoArb, optionsArb, (start, options) => {
        const cal = computePilotCalendar(start, options);
        const [, second, third] = cal.years;
        assert.ok(second && third);
        assert.equal(cal.decisionDueOn, third.startsOn);
        assert.equal(cal.decisionDueOn, shift(second.reviewDueOn, 1));
        assert.ok(cal.decisionDueOn < third.reviewDueOn);
      }),
    );
  });

  test('the pilot never starts before its start date and lasts at most three academic years', () => {
    fc.assert(
      fc.property(isoArb, optionsArb, (start, options) => {
        const cal = computePilotCalendar(start, options);
        assert.equal(cal.startsOn, start);
        assert.ok(cal.years[0]!.startsOn >= start);
        if (options.partialFirstYear === 'counts') {
          assert.equal(cal.years[0]!.startsOn, start);
          assert.ok(daysBetween(start, cal.endsOn) < 3 * 366);
        } else {
          // Skipping a partial year may add up to one more year of preparation before the pilot proper.
          assert.ok(daysBetween(cal.years[0]!.startsOn, cal.endsOn) < 3 * 366);
          assert.ok(daysBetween(start, cal.years[0]!.startsOn) < 366);
        }
      }),
    );
  });
});

describe('reminderDates', () => {
  test('defaults to 30, 7 and 1 days before, earliest first', () => {
    assert.deepEqual(reminderDates('2026-08-31'), ['2026-08-01', '2026-08-24', '2026-08-30']);
  });

  test('crosses month, year and leap-day boundaries', () => {
    assert.deepEqual(reminderDates('2024-03-01', [1, 2]), ['2024-02-28', '2024-02-29']);
    assert.deepEqual(reminderDates('2023-03-01', [1]), ['2023-02-28']);
    assert.deepEqual(reminderDates('2026-01-05', [7]), ['2025-12-29']);
  });

  test('sorts, removes duplicates and allows a reminder on the day', () => {
    assert.deepEqual(reminderDates('2026-08-31', [0, 7, 7, 30]), ['2026-08-01', '2026-08-24', '2026-08-31']);
    assert.deepEqual(reminderDates('2026-08-31', []), []);
  });

  test('rejects negative or fractional offsets and bad dates', () => {
    assert.throws(() => reminderDates('2026-08-31', [-1]), RangeError);
    assert.throws(() => reminderDates('2026-08-31', [1.5]), RangeError);
    assert.throws(() => reminderDates('2026-02-30'), RangeError);
  });

  test('property: each reminder is exactly its offset before the due date', () => {
    fc.assert(
      fc.property(isoArb, fc.uniqueArray(fc.nat({ max: 400 }), { maxLength: 6 }), (due, offsets) => {
        const dates = reminderDates(due, offsets);
        assert.equal(dates.length, offsets.length);
        const sortedOffsets = [...offsets].sort((a, b) => b - a);
        dates.forEach((date, i) => {
          assert.equal(daysBetween(date, due), sortedOffsets[i]);
          if (i > 0) assert.ok(dates[i - 1]! < date);
        });
      }),
    );
  });
});

describe('isOverdue', () => {
  test('not overdue before or on the due date, overdue from the next day', () => {
    assert.equal(isOverdue('2026-08-31', '2026-08-30'), false);
    assert.equal(isOverdue('2026-08-31', '2026-08-31'), false);
    assert.equal(isOverdue('2026-08-31', '2026-09-01'), true);
    assert.equal(isOverdue('2026-08-31', '2027-01-01'), true);
  });

  test('rejects malformed input rather than comparing strings blindly', () => {
    assert.throws(() => isOverdue('2026-8-31', '2026-09-01'), RangeError);
    assert.throws(() => isOverdue('2026-08-31', 'tomorrow'), RangeError);
  });

  test('property: overdue exactly when today is later than the due date', () => {
    fc.assert(
      fc.property(isoArb, fc.integer({ min: -800, max: 800 }), (due, delta) => {
        assert.equal(isOverdue(due, shift(due, delta)), delta > 0);
      }),
    );
  });
});

describe('calendarDateIn', () => {
  test('the date is the one where the institution is, not in UTC', () => {
    const moment = new Date('2026-03-10T06:30:00Z');
    assert.equal(calendarDateIn(moment, 'UTC'), '2026-03-10');
    assert.equal(calendarDateIn(moment, 'America/Vancouver'), '2026-03-09');
    assert.equal(calendarDateIn(moment, 'Pacific/Auckland'), '2026-03-10');
    assert.equal(calendarDateIn(new Date('2026-03-10T12:00:00Z'), 'Pacific/Kiritimati'), '2026-03-11');
  });

  test('in UTC it agrees with the ISO date of every moment', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1990-01-01T00:00:00Z'),
          max: new Date('2150-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (moment) => calendarDateIn(moment, 'UTC') === moment.toISOString().slice(0, 10),
      ),
    );
  });
});
