import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { addCalendarMonths, formatCalendarDay, parseCalendarDay } from './calendar-day.ts';

const day = (iso: string): number => {
  const parsed = parseCalendarDay(iso);
  assert.notEqual(parsed, null, iso);
  return parsed!;
};

describe('parseCalendarDay', () => {
  test('reads ISO dates as days since 1970-01-01', () => {
    assert.equal(parseCalendarDay('1970-01-01'), 0);
    assert.equal(parseCalendarDay('1970-01-02'), 1);
    assert.equal(parseCalendarDay('2000-03-01'), Date.parse('2000-03-01T00:00:00Z') / 86_400_000);
  });

  test('ignores a time part and keeps the written date', () => {
    assert.equal(parseCalendarDay('2024-05-01T23:30:00-05:00'), parseCalendarDay('2024-05-01'));
    assert.equal(parseCalendarDay('2024-05-01T00:00:00Z'), parseCalendarDay('2024-05-01'));
  });

  test('rejects impossible and malformed dates', () => {
    for (const bad of [
      '2025-02-29',
      '2025-13-01',
      '2025-00-10',
      '2025-04-31',
      '2025-9-01',
      'soon',
      '',
      '20250101',
    ]) {
      assert.equal(parseCalendarDay(bad), null, bad);
    }
    assert.equal(parseCalendarDay(undefined), null);
    assert.equal(parseCalendarDay(20250101), null);
    assert.notEqual(parseCalendarDay('2024-02-29'), null);
  });

  test('years below 100 are not shifted into the 1900s', () => {
    assert.equal(formatCalendarDay(day('0050-06-01')), '0050-06-01');
  });

  test('property: agrees with Date for every day from 1600 to 2400', () => {
    fc.assert(
      fc.property(fc.integer({ min: -135_000, max: 157_000 }), (n) => {
        const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
        assert.equal(parseCalendarDay(iso), n);
        assert.equal(formatCalendarDay(n), iso);
      }),
    );
  });

  test('property: format and parse round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        assert.equal(parseCalendarDay(formatCalendarDay(n)), n);
      }),
    );
  });
});

describe('addCalendarMonths', () => {
  test('moves by calendar months and years', () => {
    assert.equal(formatCalendarDay(addCalendarMonths(day('2025-06-15'), -48)), '2021-06-15');
    assert.equal(formatCalendarDay(addCalendarMonths(day('2024-11-30'), 3)), '2025-02-28');
    assert.equal(formatCalendarDay(addCalendarMonths(day('2024-12-31'), 1)), '2025-01-31');
  });

  test('clamps to the end of shorter months (February 29 minus a year is February 28)', () => {
    assert.equal(formatCalendarDay(addCalendarMonths(day('2024-02-29'), -12)), '2023-02-28');
    assert.equal(formatCalendarDay(addCalendarMonths(day('2024-02-29'), 48)), '2028-02-29');
    assert.equal(formatCalendarDay(addCalendarMonths(day('2025-01-31'), 1)), '2025-02-28');
  });
});
