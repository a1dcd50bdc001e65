import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { showingAs } from '../display.ts';
import { formatDay, formatMoment } from './moment.ts';

// Issue 17, point 15: pages write dates one way, in the institution's time zone, never as ISO strings.
describe('how pages write moments', () => {
  const moment = new Date('2026-11-25T06:30:00Z');

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
});
