import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { anInstitution, aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { assertRefused, mailTo } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';

const answers = {
  highlights: 'Enrolment doubled.',
  challenges: 'Studio time was short.',
  learner_feedback: '',
  changes_planned: 'Add an evening section.',
};

describe(`periodic reviews of established programs, and what a lead sees is due, on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let otherLead: Person;
  let office: Person;
  // 2026-10-06: a program established on 2022-09-01 with reviews every 3 years owed its first on 2025-08-31.
  const clock = fixedClock('2026-10-06T12:00:00Z');
  let lateId: string;
  let freshId: string;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock });
    await anInstitution(app);
    await app.database.db.updateTable('institution').set({ periodic_review_years: 3 }).execute();
    app.services.institution.forget();
    lead = await aStaffMember(app, 'program_lead', { name: 'Rosa Lead' });
    otherLead = await aStaffMember(app, 'program_lead');
    office = await aStaffMember(app, 'credentials_office');
    lateId = (await aProgram(app, { title: 'Late Review Studies', lead, establishedOn: '2022-09-01' })).id;
    freshId = (await aProgram(app, { title: 'Fresh Program', lead, establishedOn: '2026-05-01' })).id;
    await aProgram(app, { title: 'Someone Else’s', lead: otherLead, establishedOn: '2020-09-01' });
  });
  after(() => app.close());

  const periodic = () => app.services.periodicReviews;
  const forms = () => app.services.reviews;

  test('the review owed is counted from establishment by the institution’s rhythm, and shown as overdue', async () => {
    const page = await forms().reviewPage(lead, 'periodic_review', lateId, 1);
    const { description, ...period } = page.period;
    assert.deepEqual(period, {
      number: 1,
      startsOn: '2022-09-01',
      endsOn: '2025-08-31',
      dueOn: '2025-08-31',
      academicYear: null,
    });
    assert.equal(page.overdue, true);
    assert.equal(page.canEdit, true);
    assert.match(description, /reviewed every 3 years/);
    const fresh = await periodic().summary(freshId);
    assert.equal(fresh?.owed.dueOn, '2029-08-31');
    assert.equal(fresh?.owed.overdue, false);
  });

  test('only the lead writes it; a later review does not exist yet; a submit needs the required answers', async () => {
    await assertRefused(
      forms().saveReview(otherLead, 'periodic_review', lateId, 1, answers, true),
      'FORBIDDEN',
    );
    await assertRefused(forms().reviewPage(lead, 'periodic_review', lateId, 2), 'NOT_FOUND');
    await assertRefused(
      forms().saveReview(lead, 'periodic_review', lateId, 1, { ...answers, highlights: ' ' }, true),
      'VALIDATION_FAILED',
    );
  });

  test('the credentials office sees it on the overdue dashboard, with the pilots’ obligations', async () => {
    const dashboard = await app.services.pilotReviews.dueDashboard(office);
    const row = dashboard.overdue.find((o) => o.programId === lateId);
    assert.ok(row);
    assert.equal(row.kind, 'periodic_review');
    assert.equal(row.path, `/programs/${lateId}/periodic-reviews/1`);
    assert.equal(row.days, 401);
  });

  test('the lead’s home lists what is overdue on their programs at the top, and only theirs', async () => {
    const browser = await lead.signIn();
    const page = (await browser.get('/home')).body;
    const due = page.indexOf('Overdue on your programs (1)');
    assert.ok(due > 0, 'the overdue heading is shown');
    assert.ok(due < page.indexOf('Your work'), 'before the links to their work');
    assert.match(page, /Late Review Studies: Periodic review 1 \(September 1, 2022 to August 31, 2025\)/);
    assert.match(page, /overdue by 401 days/);
    assert.doesNotMatch(page, /Someone Else’s: Periodic review/);
  });

  test('one weekly digest per lead with something overdue; a second run that week sends nothing more', async () => {
    const before = (await mailTo(app, lead.email)).filter((m) => m.kind === 'program_digest').length;
    assert.equal(before, 0);
    await app.services.pilotReviews.runDueReminders('2026-10-06');
    await app.services.pilotReviews.runDueReminders('2026-10-08');
    const digests = (await mailTo(app, lead.email)).filter((m) => m.kind === 'program_digest');
    assert.equal(digests.length, 1);
    assert.match(digests[0]!.subject, /1 overdue/);
    assert.match(digests[0]!.text_body, /Late Review Studies: Periodic review 1 .*401 days late/);
    const reminders = (await mailTo(app, lead.email)).filter((m) => m.kind === 'program_reminder');
    assert.ok(
      reminders.some((m) => /^Overdue: Periodic review 1 .* for Late Review Studies$/.test(m.subject)),
    );
    await app.services.pilotReviews.runDueReminders('2026-10-12');
    const nextWeek = (await mailTo(app, lead.email)).filter((m) => m.kind === 'program_digest');
    assert.equal(nextWeek.length, 2, 'a new week, a new digest while it is still overdue');
  });

  test('submitting freezes the figures, audits it, and the next period starts the day after', async () => {
    await forms().saveReview(lead, 'periodic_review', lateId, 1, answers, true);
    const done = await forms().reviewPage(lead, 'periodic_review', lateId, 1);
    assert.ok(done.submittedAt);
    assert.equal(done.canEdit, false);
    await assertRefused(
      forms().saveReview(lead, 'periodic_review', lateId, 1, answers, true),
      'INVALID_STATE',
    );
    const summary = await periodic().summary(lateId);
    assert.deepEqual(
      { cycle: summary?.owed.cycle, startsOn: summary?.owed.startsOn, dueOn: summary?.owed.dueOn },
      { cycle: 2, startsOn: '2025-09-01', dueOn: '2028-08-31' },
    );
    assert.equal(summary?.submitted.length, 1);
    const audit = await app.services.audit.list({
      entityType: 'program',
      entityId: lateId,
      limit: 5,
      offset: 0,
    });
    assert.equal(audit[0]?.action, 'program.periodic_review_submitted');
    const home = (await (await lead.signIn()).get('/home')).body;
    assert.match(home, /Nothing is overdue or due in the next 30 days/);
  });

  test('a retired program owes no periodic review', async () => {
    const retired = await aProgram(app, { lead, status: 'retired', establishedOn: '2010-09-01' });
    assert.equal(await periodic().summary(retired.id), undefined);
    const owed = await periodic().obligations();
    assert.ok(!owed.some((o) => o.programId === retired.id));
  });
});
