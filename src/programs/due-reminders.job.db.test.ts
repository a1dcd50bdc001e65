import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { useVancouverApp } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { dueRemindersJob } from './pilot-reviews.service.ts';

describe(`the daily pilot reminders job on ${testBackend}`, () => {
  // 06:30 UTC on 7 October is still 6 October in Vancouver.
  const { app: current, clock } = useVancouverApp('2025-10-07T06:30:00Z');

  const reminderMail = async () =>
    (await current().services.notifications.list({ limit: 10_000 })).filter(
      (m) => m.kind === 'program_reminder',
    );

  test('the run is scheduled daily at 07:00 in the institution’s time zone', async () => {
    const runs = (await current().jobs.schedules()).filter((s) => s.name === dueRemindersJob.name);
    assert.deepEqual(runs, [
      { name: 'programs-due-reminders', cron: '0 7 * * *', timeZone: 'America/Vancouver', data: {} },
    ]);
  });

  test('running the scheduled job sends the day’s reminders once; a second run that day sends nothing new', async () => {
    const [schedule] = (await current().jobs.schedules()).filter((s) => s.name === dueRemindersJob.name);
    assert.ok(schedule);
    const before = (await reminderMail()).length;
    // The handler gets exactly what pg-boss would hand it from the schedule.
    await current().jobs.run(dueRemindersJob, schedule.data as { today?: string });
    const first = await reminderMail();
    assert.ok(first.length > before, 'the demo pilots’ overdue reviews are reminded');
    assert.ok(
      first.some((m) => /^Overdue: Year 1 review \(2024-25\) for Sustainable Food Systems$/.test(m.subject)),
    );

    await current().jobs.run(dueRemindersJob, schedule.data as { today?: string });
    assert.equal((await reminderMail()).length, first.length, 'the second run sends nothing new');
  });

  test('the run counts days where the institution is, not in UTC', async () => {
    // Reviews due 2026-08-31 get their 30-day reminder on 1 August, Vancouver time.
    const monthAhead = async () =>
      (await reminderMail()).filter((m) => /is due on August 31, 2026 \(in 30 days\)/.test(m.text_body))
        .length;
    clock.set('2026-08-01T06:30:00Z');
    await current().jobs.run(dueRemindersJob, {});
    assert.equal(await monthAhead(), 0, 'at 23:30 on 31 July in Vancouver it is too early');
    clock.set('2026-08-01T07:30:00Z');
    await current().jobs.run(dueRemindersJob, {});
    assert.ok((await monthAhead()) > 0, 'at 00:30 on 1 August in Vancouver the reminders go out');
  });
});

describe(`a configured reminders time on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false, env: { STACKABLE_REMINDERS_CRON: '30 6 * * 1-5' } });
  });
  after(() => app.close());

  test('replaces the default, in UTC when no time zone is configured', async () => {
    const runs = (await app.jobs.schedules()).filter((s) => s.name === dueRemindersJob.name);
    assert.deepEqual(runs, [
      { name: 'programs-due-reminders', cron: '30 6 * * 1-5', timeZone: 'UTC', data: {} },
    ]);
  });
});
