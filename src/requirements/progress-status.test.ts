import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { classifyProgress, closeThresholdPercent, stalledAfterMonths } from './progress-status.ts';

const at = (percent: number) => ({ met: percent === 100, percent });

describe('classifyProgress', () => {
  test('the documented thresholds', () => {
    assert.equal(closeThresholdPercent, 75);
    assert.equal(stalledAfterMonths, 12);
  });

  test('complete when met, whatever the activity', () => {
    assert.equal(classifyProgress(at(100), '2010-01-01', '2025-06-15'), 'complete');
  });

  test('not started at 0%, even with old or no activity', () => {
    assert.equal(classifyProgress(at(0), null, '2025-06-15'), 'not_started');
    assert.equal(classifyProgress(at(0), '2020-01-01', '2025-06-15'), 'not_started');
  });

  test('close from 75% while active', () => {
    assert.equal(classifyProgress(at(75), '2025-06-01', '2025-06-15'), 'close');
    assert.equal(classifyProgress(at(99), '2025-06-01', '2025-06-15'), 'close');
    assert.equal(classifyProgress(at(74), '2025-06-01', '2025-06-15'), 'in_progress');
  });

  test('stalled at exactly 12 months without activity, not a day earlier', () => {
    assert.equal(classifyProgress(at(40), '2024-06-15', '2025-06-15'), 'stalled');
    assert.equal(classifyProgress(at(40), '2024-06-16', '2025-06-15'), 'in_progress');
    assert.equal(classifyProgress(at(80), '2024-06-15', '2025-06-15'), 'stalled', 'stalled outranks close');
  });

  test('unknown activity is not treated as stalled', () => {
    assert.equal(classifyProgress(at(40), null, '2025-06-15'), 'in_progress');
    assert.equal(classifyProgress(at(80), 'not a date', '2025-06-15'), 'close');
  });

  test('rejects an unreadable evaluation day', () => {
    assert.throws(() => classifyProgress(at(40), '2025-01-01', 'today'), RangeError);
  });

  test('property: complete exactly when met; never stalled with activity in the last 11 months', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 330 }), (percent, daysAgo) => {
        const asOf = '2025-06-15';
        const last = new Date(Date.parse(`${asOf}T00:00:00Z`) - daysAgo * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const status = classifyProgress(at(percent), last, asOf);
        assert.equal(status === 'complete', percent === 100);
        assert.notEqual(status, 'stalled');
      }),
    );
  });
});
