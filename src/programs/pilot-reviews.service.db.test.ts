import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  actorOf,
  assertRefused,
  demo,
  mailTo,
  proposalValues,
  syllabus,
  useVancouverApp,
} from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { Actor } from '../platform/actor.ts';
import { fixedClock } from '../platform/clock.ts';

describe(`pilot reviews and reminders on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Actor;
  let lead2: Actor;
  let credentials: Actor;
  let pilotId: string;
  const clock = fixedClock('2025-10-06T12:00:00Z');

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock });
    let approver: Actor;
    [lead, lead2, approver, credentials] = (await Promise.all(
      [demo.lead, demo.lead2, demo.approver, demo.credentials].map((e) => actorOf(app, e)),
    )) as [Actor, Actor, Actor, Actor];
    // A pilot approved on 2025-10-06: year 1 is 2025-26, its review due 2026-08-31; decision due 2027-09-01.
    const programs = app.services.programs;
    pilotId = await programs.drafting.draftProposal(lead, proposalValues(), [syllabus()]);
    await programs.signatures.addSigner(lead, pilotId, { email: demo.approver, roleLabel: 'Section head' });
    await programs.signatures.requestSignatures(lead, pilotId);
    await programs.signatures.signProposal(approver, pilotId);
    await programs.review.submitProposal(lead, pilotId);
    await programs.review.approveForPilot(credentials, pilotId);
  });
  after(() => app.close());

  const reviews = () => app.services.pilotReviews;
  const forms = () => app.services.reviews;
  const demoPilot = async (title: string) => {
    const found = (await app.services.programs.pages.listPrograms(credentials, { status: 'pilot' })).find(
      (p) => p.title === title,
    );
    assert.ok(found, title);
    return found.id;
  };

  test('the review form is pre-filled with the year’s enrolments and completions', async () => {
    const id = await demoPilot('Sustainable Food Systems');
    const page = await forms().reviewPage(lead2, 'pilot_review', id, 2);
    assert.equal(page.period.academicYear, '2025-26');
    assert.equal(page.period.dueOn, '2026-08-31');
    assert.deepEqual(page.figures, {
      newEnrolments: 1,
      activeEnrolments: 1,
      completedEnrolments: 0,
      courseCompletions: 2,
    });
    assert.equal((await forms().reviewPage(lead2, 'pilot_review', id, 1)).figures?.newEnrolments, 0);
    await assertRefused(forms().reviewPage(lead, 'pilot_review', id, 2), 'FORBIDDEN');
  });

  test('a review is submitted once, with its required answers, and then no longer owed', async () => {
    await assertRefused(
      forms().saveReview(
        lead,
        'pilot_review',
        pilotId,
        1,
        { highlights: 'Two partner stations joined.' },
        true,
      ),
      'VALIDATION_FAILED',
    );
    await forms().saveReview(
      lead,
      'pilot_review',
      pilotId,
      1,
      { highlights: 'Two partner stations joined.' },
      false,
    );
    assert.equal(
      (await forms().reviewPage(lead, 'pilot_review', pilotId, 1)).answers.highlights,
      'Two partner stations joined.',
    );
    await assertRefused(
      forms().saveReview(
        credentials,
        'pilot_review',
        pilotId,
        1,
        { highlights: 'x', challenges: 'y', changes_planned: 'z' },
        true,
      ),
      'FORBIDDEN',
    );
    await assertRefused(
      forms().saveReview(
        lead,
        'pilot_review',
        pilotId,
        2,
        { highlights: 'x', challenges: 'y', changes_planned: 'z' },
        true,
      ),
      'INVALID_STATE',
      /starts on 2026-09-01/,
    );
    await forms().saveReview(
      lead,
      'pilot_review',
      pilotId,
      1,
      {
        highlights: 'Two partner stations joined.',
        challenges: 'Studio time.',
        changes_planned: 'A second section.',
      },
      true,
    );
    const page = await forms().reviewPage(lead, 'pilot_review', pilotId, 1);
    assert.ok(page.submittedAt);
    assert.equal(page.canEdit, false);
    await assertRefused(
      forms().saveReview(lead, 'pilot_review', pilotId, 1, { highlights: 'Changed' }, false),
      'INVALID_STATE',
      /already submitted/,
    );
    const board = await reviews().dueDashboard(credentials, '2026-09-15');
    assert.ok(
      !board.overdue.some((o) => o.subjectId === `${pilotId}/year-1`),
      'a submitted review is not overdue',
    );
    const summary = await reviews().pilotSummary(pilotId);
    assert.deepEqual(
      summary?.years.map((y) => Boolean(y.submittedAt)),
      [true, false, false],
    );
  });

  test('the dashboard lists overdue items and those due within 30 days, for the credentials office only', async () => {
    const board = await reviews().dueDashboard(credentials, '2026-08-10');
    const mine = board.dueSoon.filter((o) => o.programId !== pilotId);
    assert.ok(mine.every((o) => o.days >= 0 && o.days <= 30));
    const food = await demoPilot('Sustainable Food Systems');
    // Started in 2024: year 1 (due 2025-08-31) is overdue; year 2 (due 2026-08-31) falls due in 21 days.
    assert.ok(board.overdue.some((o) => o.subjectId === `${food}/year-1` && o.days === 344));
    assert.ok(board.dueSoon.some((o) => o.subjectId === `${food}/year-2` && o.days === 21));
    await assertRefused(reviews().dueDashboard(lead), 'FORBIDDEN');
  });

  test('reminders are sent once: running the daily job twice on the same day sends nothing new', async () => {
    const reminderCount = async () =>
      (await app.services.notifications.list({ limit: 10_000 })).filter((m) => m.kind === 'program_reminder')
        .length;
    const before = await reminderCount();
    const first = await reviews().sendDueReminders('2027-08-25');
    assert.ok(first > 0);
    const afterFirst = await mailTo(app, demo.lead);
    const reminders = afterFirst.filter((m) => m.kind === 'program_reminder');
    assert.ok(
      reminders.some((m) => /Reminder: Post-pilot decision/.test(m.subject) && /in 7 days/.test(m.text_body)),
      'the decision due 2027-09-01 gets its 7-day reminder',
    );
    assert.equal(await reviews().sendDueReminders('2027-08-25'), 0);
    assert.equal(
      await reviews().sendDueReminders('2027-08-26'),
      0,
      'the same reminder is not sent the next day',
    );
    assert.equal(await reminderCount(), before + first, 'every reminder sent is one e-mail');

    const later = await reviews().sendDueReminders('2027-08-31');
    assert.ok(later > 0, 'the 1-day reminder is a new one');
    const [concurrentA, concurrentB] = await Promise.all([
      reviews().sendDueReminders('2027-09-02'),
      reviews().sendDueReminders('2027-09-02'),
    ]);
    assert.ok(concurrentA + concurrentB > 0);
    assert.equal(await reviews().sendDueReminders('2027-09-02'), 0);
    const overdue = (await mailTo(app, demo.lead)).filter((m) =>
      /^Overdue: Post-pilot decision/.test(m.subject),
    );
    assert.equal(
      overdue.filter((m) => m.subject.includes('Community Radio')).length,
      1,
      'two runs at once still send one overdue notice',
    );
  });
});

describe(`the overdue dashboard counts days in the institution's time zone, on ${testBackend}`, () => {
  // 03:00 on 1 September in UTC is still the evening of 31 August in Vancouver.
  const { app: current } = useVancouverApp('2026-09-01T03:00:00Z');

  test('a review due today there is due today, not a day overdue', async () => {
    const credentials = await actorOf(current(), demo.credentials);
    const board = await current().services.pilotReviews.dueDashboard(credentials);
    assert.equal(board.today, '2026-08-31');
    const food = (
      await current().services.programs.pages.listPrograms(credentials, { status: 'pilot' })
    ).find((p) => p.title === 'Sustainable Food Systems');
    assert.ok(food);
    // Year 2 of the pilot that started in 2024 is due on 2026-08-31.
    assert.ok(!board.overdue.some((o) => o.subjectId === `${food.id}/year-2`));
    assert.ok(board.dueSoon.some((o) => o.subjectId === `${food.id}/year-2` && o.days === 0));
    const summary = await current().services.pilotReviews.pilotSummary(food.id);
    assert.equal(summary?.years[1]?.overdue, false);
  });

  test('a pilot approved that evening starts on that day, in the academic year then running', async () => {
    const [lead, approver, credentials] = await Promise.all(
      [demo.lead, demo.approver, demo.credentials].map((e) => actorOf(current(), e)),
    );
    const programs = current().services.programs;
    const id = await programs.drafting.draftProposal(lead!, proposalValues(), [syllabus()]);
    await programs.signatures.addSigner(lead!, id, { email: demo.approver, roleLabel: 'Section head' });
    await programs.signatures.requestSignatures(lead!, id);
    await programs.signatures.signProposal(approver!, id);
    await programs.review.submitProposal(lead!, id);
    await programs.review.approveForPilot(credentials!, id);
    const row = await current()
      .database.db.selectFrom('programs')
      .select(['pilot_started_on', 'pilot_start_year'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(String(row.pilot_started_on), '2026-08-31');
    assert.equal(row.pilot_start_year, 2025);
  });
});
