import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { showingAs } from '../display.ts';
import { formatDate, formatDay, formatMoment } from './moment.ts';

// Issue 17, point 15: pages write dates one way, in the institution's time zone, never as ISO strings.
describe('how pages write moments', () => {
  const moment = new Date('2026-11-25T06:30:00Z');
  // Any moment of years 1 to 9999; the oracle below is Intl's own parts, not the formatters under test.
  const anyMoment = fc.date({
    min: new Date('0001-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true,
  });
  const partsOf = (at: Date, options: Intl.DateTimeFormatOptions): Record<string, string> =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-US', options).formatToParts(at).map((p) => [p.type, p.value]),
    );

  test('a moment is the day as formatDay writes it, then the time and the zone', () => {
    assert.equal(formatMoment(moment, 'UTC'), 'November 25, 2026, 06:30 UTC');
    assert.ok(formatMoment(moment, 'UTC').startsWith(formatDay('2026-11-25')));
  });

  test("the day and the time are the institution's, from the render in progress", () => {
    const written = showingAs({ timeZone: 'America/Vancouver', currency: 'CAD' }, () => formatMoment(moment));
    assert.equal(written, 'November 24, 2026, 22:30 PST');
  });

  test('no moment is written as an ISO string', () => {
    assert.doesNotMatch(formatMoment(moment, 'UTC'), /\d{4}-\d\d-\d\d/);
  });

  test("a moment already written is written again for its own zone and minute, not a neighbour's", () => {
    assert.equal(formatMoment(new Date('2026-11-25T06:30:59Z'), 'UTC'), 'November 25, 2026, 06:30 UTC');
    assert.equal(formatMoment(new Date('2026-11-25T06:31:00Z'), 'UTC'), 'November 25, 2026, 06:31 UTC');
    assert.equal(formatMoment(moment, 'Asia/Tokyo'), 'November 25, 2026, 15:30 GMT+9');
    assert.equal(formatMoment(moment, 'UTC'), 'November 25, 2026, 06:30 UTC');
  });

  test('a calendar day is the day the moment falls on in the zone, as the date parts name it', () => {
    const zones = ['UTC', 'America/Vancouver', 'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Kiritimati'];
    fc.assert(
      fc.property(anyMoment, fc.constantFrom(...zones), (moment, timeZone) => {
        const parts = partsOf(moment, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
        assert.equal(formatDate(moment, timeZone), `${parts.year}-${parts.month}-${parts.day}`);
      }),
      { numRuns: 2000 },
    );
    assert.equal(formatDate(new Date('2026-11-25T06:30:00Z'), 'America/Vancouver'), '2026-11-24');
  });

  test("a moment's time is the hour, minute and zone its parts name, in every zone", () => {
    const zones = Intl.supportedValuesOf('timeZone');
    fc.assert(
      fc.property(anyMoment, fc.constantFrom('UTC', ...zones), (moment, timeZone) => {
        // The full parts, as the time was written from before (the formatter under test has no date fields).
        const parts = partsOf(moment, {
          timeZone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
          timeZoneName: 'short',
        });
        const day = new Intl.DateTimeFormat('en-US', {
          timeZone,
          year: 'numeric',
          month: 'long',
          day: 'numeric',
        });
        assert.equal(
          formatMoment(moment, timeZone),
          `${day.format(moment)}, ${parts.hour}:${parts.minute} ${parts.timeZoneName}`,
        );
      }),
      { numRuns: 3000 },
    );
  });
});
