import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aCourse, aDepartment, aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { assertRefused, mailTo, proposalValues, syllabus } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';

describe(`who decides along the approval chains on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let office: Person;
  let approver: Person;
  let admin: Person;
  let signer: Person;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-03-02T12:00:00Z') });
    lead = await aStaffMember(app, 'program_lead');
    office = await aStaffMember(app, 'credentials_office');
    approver = await aStaffMember(app, 'approver');
    admin = await aStaffMember(app, 'admin');
    signer = await aStaffMember(app, 'signer');
  });
  after(() => app.close());

  const programs = () => app.services.programs;
  const pilotStepKey = async () => (await programs().chains.findChain(admin, 'pilot')).chain.steps[0]!.key;

  /** Takes a draft through signatures to submission. */
  async function submit(id: string) {
    await programs().signatures.requestSignatures(lead, id);
    await programs().signatures.signProposal(signer, id);
    return programs().review.submitProposal(lead, id);
  }

  test('a pilot step the credentials office records is not offered to an approver, who is told why in words', async () => {
    const key = await pilotStepKey();
    await programs().chains.editChain(admin, 'pilot', {
      kind: 'update_step',
      stepKey: key,
      name: 'Faculty Senate',
      role: 'credentials_office',
    });
    try {
      const program = await aProgram(app, { lead, status: 'submitted' });
      const page = await programs().pages.programPage(approver, program.id);
      assert.ok(!page.actions.some((a) => a.action === 'approve_pilot'), 'no pilot-approval button');
      await assertRefused(
        programs().review.approveForPilot(approver, program.id),
        'INVALID_STATE',
        /^Only the credentials office can record the Faculty Senate decision$/,
      );
      const officePage = await programs().pages.programPage(office, program.id);
      assert.ok(
        officePage.actions.some((a) => a.action === 'approve_pilot'),
        'the office is offered it',
      );
    } finally {
      await programs().chains.editChain(admin, 'pilot', {
        kind: 'update_step',
        stepKey: key,
        name: 'Faculty Senate',
        role: 'approver',
      });
    }
  });

  test('a resubmitted proposal goes through the pilot chain in force at resubmission', async () => {
    const department = await aDepartment(app);
    const courses = [await aCourse(app, { credits: 4 }), await aCourse(app, { credits: 4 })].map(
      (c) => c.code,
    );
    const id = await programs().drafting.draftProposal(
      lead,
      proposalValues({ department: department.code, courses: courses.join('\n') }),
      [syllabus()],
    );
    const program = { id };
    await programs().signatures.addSigner(lead, program.id, { email: signer.email, roleLabel: 'Chair' });
    assert.equal(await submit(program.id), 'submitted');
    await programs().review.requestChanges(office, program.id, 'Say more about the budget.');
    await programs().chains.editChain(admin, 'pilot', { kind: 'add_step', name: 'Provost', role: 'admin' });
    try {
      await programs().review.reviseProposal(lead, program.id);
      assert.equal(await submit(program.id), 'submitted');
      const page = await programs().pages.programPage(office, program.id);
      assert.deepEqual(
        page.chains.pilot.steps.map((s) => s.name),
        ['Faculty Senate', 'Provost'],
      );
      assert.equal(await programs().review.approveForPilot(approver, program.id), 'submitted');
      assert.equal(await programs().review.approveForPilot(admin, program.id), 'pilot');
    } finally {
      const { chain } = await programs().chains.findChain(admin, 'pilot');
      const provost = chain.steps.find((s) => s.name === 'Provost');
      if (provost) {
        await programs().chains.editChain(admin, 'pilot', { kind: 'remove_step', stepKey: provost.key });
      }
    }
  });

  test('a step that names a person is theirs alone to decide, and they are the one asked', async () => {
    const provost = await aStaffMember(app, 'approver', { name: 'Pat Provost' });
    await programs().chains.editChain(admin, 'modification', {
      kind: 'add_step',
      name: 'Provost',
      role: 'approver',
      personEmail: provost.email,
    });
    try {
      const program = await aProgram(app, { lead });
      const form = await programs().drafting.editForm(lead, program.id);
      const { formValuesOf } = await import('./program-form.ts');
      await programs().drafting.editProgram(
        lead,
        program.id,
        { ...formValuesOf(form.fields), fee: '40' },
        [],
        {
          expectedVersion: form.program.version,
        },
      );
      await programs().modifications.submit(lead, program.id);
      assert.equal(await programs().modifications.approveStep(approver, program.id), 'in_review');
      const view = await programs().modifications.view(approver, program.id);
      assert.equal(view?.can.approve, false, 'another approver is not offered the named step');
      await assertRefused(programs().modifications.approveStep(approver, program.id), 'INVALID_STATE');
      assert.ok((await mailTo(app, provost.email)).some((m) => /awaits the Provost/.test(m.subject)));
      assert.equal(await programs().modifications.approveStep(provost, program.id), 'approved');
    } finally {
      const { chain } = await programs().chains.findChain(admin, 'modification');
      const step = chain.steps.find((s) => s.name === 'Provost');
      if (step)
        await programs().chains.editChain(admin, 'modification', { kind: 'remove_step', stepKey: step.key });
    }
  });
});
