import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { periodParts } from './figure-periods.ts';

/** Every day of the period, as the parts cover it: each day exactly once, nothing outside. */
function daysCovered(from: string, to: string): string[] {
  const parts = periodParts(from, to);
  const covered: string[] = [];
  const walk = (a: string, bExcluded: string) => {
    for (
      let d = new Date(`${a}T00:00:00Z`);
      d.toISOString().slice(0, 10) < bExcluded;
      d.setUTCDate(d.getUTCDate() + 1)
    )
      covered.push(d.toISOString().slice(0, 10));
  };
  if (parts.months) walk(parts.months.from, parts.months.until);
  for (const range of parts.days) {
    const end = new Date(`${range.to}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    walk(range.from, end.toISOString().slice(0, 10));
  }
  for (const m of parts.months ? [parts.months.from, parts.months.until] : []) assert.match(m, /-01$/);
  return covered.sort();
}

describe('periodParts', () => {
  it('reads the last twelve months as eleven whole months and the days of this one', () => {
    assert.deepEqual(periodParts('2025-12-01', '2026-11-17'), {
      months: { from: '2025-12-01', until: '2026-11-01' },
      days: [{ from: '2026-11-01', to: '2026-11-17' }],
    });
  });

  it('reads a term ending on a month’s last day with no days after its months', () => {
    assert.deepEqual(periodParts('2026-01-12', '2026-04-30'), {
      months: { from: '2026-02-01', until: '2026-05-01' },
      days: [{ from: '2026-01-12', to: '2026-01-31' }],
    });
  });

  it('reads a period inside one month, or across two with no whole month, from days alone', () => {
    assert.deepEqual(periodParts('2026-03-05', '2026-03-20'), {
      months: null,
      days: [{ from: '2026-03-05', to: '2026-03-20' }],
    });
    assert.deepEqual(periodParts('2026-03-05', '2026-04-20').months, null);
  });

  it('covers every day of any period exactly once, leap days and year ends included', () => {
    const starts = ['2023-12-31', '2024-01-01', '2024-02-28', '2024-02-29', '2024-03-01', '2024-12-15'];
    const lengths = [0, 1, 27, 28, 29, 30, 31, 59, 60, 365, 400];
    for (const start of starts) {
      for (const length of lengths) {
        const end = new Date(`${start}T00:00:00Z`);
        end.setUTCDate(end.getUTCDate() + length);
        const to = end.toISOString().slice(0, 10);
        const covered = daysCovered(start, to);
        assert.equal(covered.length, length + 1, `${start}..${to}`);
        assert.equal(new Set(covered).size, covered.length, `${start}..${to} counts a day twice`);
        assert.equal(covered[0], start);
        assert.equal(covered.at(-1), to);
      }
    }
  });
});
