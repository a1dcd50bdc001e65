import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aLearner, anEnrolment, aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { assertRefused, mailTo } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';

describe(`retiring and reinstating programs on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let office: Person;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-03-02T12:00:00Z') });
    lead = await aStaffMember(app, 'program_lead');
    office = await aStaffMember(app, 'credentials_office');
  });
  after(() => app.close());

  const review = () => app.services.programs.review;
  const statusOf = async (id: string) =>
    (await app.services.programs.pages.programPage(office, id)).program.status;

  test('a lead cannot retire their established program alone, and is told who can', async () => {
    const program = await aProgram(app, { lead });
    await assertRefused(
      review().retireProgram(lead, program.id, 'No demand.', true),
      'INVALID_STATE',
      /Only the credentials office or an administrator can retire the program/,
    );
    const page = await app.services.programs.pages.programPage(lead, program.id);
    assert.ok(!page.actions.some((a) => a.action === 'retire'), 'the page offers the lead no retirement');
    assert.equal(await statusOf(program.id), 'established');
  });

  test('a lead may still retire their own pilot', async () => {
    const program = await aProgram(app, { lead, status: 'pilot', pilotStartYear: 2025 });
    assert.equal(
      await review().retireProgram(lead, program.id, 'The pilot did not recruit.', true),
      'retired',
    );
  });

  test('retiring needs a reason and a confirmation, and nothing is changed without them', async () => {
    const program = await aProgram(app, { lead });
    await assertRefused(review().retireProgram(office, program.id, '  ', true), 'INVALID_STATE', /reason/);
    await assertRefused(review().retireProgram(office, program.id, 'No demand.', false), 'VALIDATION_FAILED');
    await assertRefused(review().applyAction(office, program.id, 'retire', 'No demand.'), 'INVALID_STATE');
    assert.equal(await statusOf(program.id), 'established');
  });

  test('retiring tells the lead, the credentials office and each learner in progress, with the reason', async () => {
    const program = await aProgram(app, { lead, title: 'Retired Soon' });
    const learner = await aLearner(app);
    const finished = await aLearner(app);
    await anEnrolment(app, learner, program);
    await anEnrolment(app, finished, program, { status: 'completed' });
    const otherOffice = await aStaffMember(app, 'credentials_office');
    assert.equal(
      await review().retireProgram(office, program.id, 'Replaced by a new program.', true),
      'retired',
    );
    assert.ok((await mailTo(app, lead.email)).some((m) => /Program retired: Retired Soon/.test(m.subject)));
    assert.ok((await mailTo(app, otherOffice.email)).some((m) => /Program retired/.test(m.subject)));
    const told = await mailTo(app, learner.email);
    assert.ok(told.some((m) => /Retired Soon will no longer be offered/.test(m.subject)));
    assert.equal((await mailTo(app, finished.email)).length, 0, 'a learner who finished is not told');
    const page = await app.services.programs.pages.programPage(office, program.id);
    assert.equal(page.retirement?.reason, 'Replaced by a new program.');
  });

  test('a retirement is reinstated while no learner is affected, back to the state it came from', async () => {
    const program = await aProgram(app, { lead });
    const learner = await aLearner(app);
    await anEnrolment(app, learner, program);
    await review().retireProgram(office, program.id, 'Low numbers.', true);
    await assertRefused(review().reinstateProgram(lead, program.id), 'INVALID_STATE', /Only the credentials/);
    assert.equal(await review().reinstateProgram(office, program.id), 'established');
    assert.ok((await mailTo(app, learner.email)).some((m) => /is offered again/.test(m.subject)));
    // And it can be retired again later, as a new retirement.
    assert.equal(await review().retireProgram(office, program.id, 'Low numbers, again.', true), 'retired');
  });

  test('once a learner in progress has withdrawn since the retirement, it can no longer be reinstated', async () => {
    const program = await aProgram(app, { lead });
    const learner = await aLearner(app);
    const { id: enrolmentId } = await anEnrolment(app, learner, program);
    await review().retireProgram(office, program.id, 'Low numbers.', true);
    await app.database.db
      .updateTable('enrolments')
      .set({ status: 'withdrawn' })
      .where('id', '=', enrolmentId)
      .execute();
    const page = await app.services.programs.pages.programPage(office, program.id);
    assert.ok(!page.actions.some((a) => a.action === 'reinstate'), 'the page no longer offers it');
    assert.match(page.reinstateRefusal ?? '', /A learner has withdrawn/);
    await assertRefused(review().reinstateProgram(office, program.id), 'INVALID_STATE', /withdrawn/);
  });
});
