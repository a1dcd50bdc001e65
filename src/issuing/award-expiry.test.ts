import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { daysLeft, EXPIRY_REMINDER_DAYS, expiryStandingOf, reminderDue } from './award-expiry.ts';

const until = new Date('2027-06-30T12:00:00Z');
const daysBefore = (days: number, hours = 0) =>
  new Date(until.getTime() - days * 86_400_000 - hours * 3_600_000);

describe('expiry standing', () => {
  test('a badge without validUntil never expires', () => {
    assert.deepEqual(expiryStandingOf(null, new Date('2090-01-01T00:00:00Z')), { kind: 'never' });
  });

  test('a badge is valid up to its validUntil moment and expired one millisecond after', () => {
    assert.equal(expiryStandingOf(until, until).kind, 'valid');
    assert.deepEqual(expiryStandingOf(until, new Date(until.getTime() + 1)), { kind: 'expired', on: until });
  });

  test('days left round up: 13 days and an hour is 14 days left', () => {
    assert.equal(daysLeft(until, daysBefore(13, 1)), 14);
    assert.equal(daysLeft(until, daysBefore(14)), 14);
  });
});

describe('reminder due', () => {
  const none = new Set<number>();

  test('nothing is due more than 60 days before expiry', () => {
    assert.equal(reminderDue(until, daysBefore(61), none), null);
  });

  test('the 60-day reminder is due from 60 days before', () => {
    assert.equal(reminderDue(until, daysBefore(60), none), 60);
    assert.equal(reminderDue(until, daysBefore(30), none), 60);
  });

  test('a reminder already sent is not due again', () => {
    assert.equal(reminderDue(until, daysBefore(30), new Set([60])), null);
  });

  test('the 14-day reminder is due from 14 days before, even when the 60-day one was sent', () => {
    assert.equal(reminderDue(until, daysBefore(14), new Set([60])), 14);
  });

  test('a run that missed the 60-day mark sends only the most urgent reminder', () => {
    assert.equal(reminderDue(until, daysBefore(5), none), 14);
  });

  test('nothing is due once the badge has expired', () => {
    assert.equal(reminderDue(until, new Date(until.getTime() + 1), none), null);
  });

  test('each stage is due at most once over any sequence of runs (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5 * 24, max: 90 * 24 }), { maxLength: 40 }), (hoursBefore) => {
        // Runs happen in time order; each run records what it sent, as the register of reminders does.
        const runs = [...hoursBefore].sort((a, b) => b - a);
        const sent: number[] = [];
        for (const hours of runs) {
          const due = reminderDue(until, daysBefore(0, hours), new Set(sent));
          if (due !== null) sent.push(due);
        }
        assert.equal(new Set(sent).size, sent.length);
        assert.ok(sent.every((days) => EXPIRY_REMINDER_DAYS.includes(days)));
      }),
    );
  });
});
