// Issue 17: the inbox lists proposed changes to approved programs that wait for the viewer's step, beside proposals,
// and names the person a chain step names.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aProgram, aStaffMember, type Person } from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { formValuesOf } from './program-form.ts';

describe(`proposed changes in the inbox on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let approver: Person;
  let provost: Person;
  let admin: Person;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-03-02T12:00:00Z') });
    lead = await aStaffMember(app, 'program_lead');
    approver = await aStaffMember(app, 'approver');
    provost = await aStaffMember(app, 'approver', { name: 'Pat Provost' });
    admin = await aStaffMember(app, 'admin');
  });
  after(() => app.close());

  const programs = () => app.services.programs;

  /** The lead proposes a new fee for an approved program and submits it for review. */
  async function aSubmittedFeeChange() {
    const program = await aProgram(app, { lead, feeCents: 1000 });
    const form = await programs().drafting.editForm(lead, program.id);
    await programs().drafting.editProgram(
      lead,
      program.id,
      { ...formValuesOf(form.fields), fee: '40.00' },
      [],
      {
        expectedVersion: form.program.version,
        changeNote: 'Costs went up',
      },
    );
    await programs().modifications.submit(lead, program.id);
    return program;
  }

  test("a change waiting for the approvers' step is in an approver's inbox, not in the proposer's", async () => {
    const program = await aSubmittedFeeChange();
    const waiting = (await programs().pages.inbox(approver)).proposedChanges;
    assert.deepEqual(
      waiting.map((c) => [c.programId, c.step.name, c.changed]),
      [[program.id, 'Curriculum committee', ['feeCents']]],
    );
    assert.deepEqual(
      (await programs().pages.inbox(lead)).proposedChanges,
      [],
      'nobody decides their own change',
    );

    const page = textOf((await (await approver.signIn()).get('/inbox')).body);
    assert.match(
      page,
      new RegExp(
        `Proposed changes waiting for your step .*${program.title} Curriculum committee: Badge fee, proposed by`,
      ),
    );

    await programs().modifications.approveStep(approver, program.id, 'Fine.');
    assert.deepEqual(
      (await programs().pages.inbox(approver)).proposedChanges,
      [],
      'decided, it leaves the inbox',
    );
  });

  test('a step that names a person waits in their inbox alone, and says whom it names', async () => {
    await programs().chains.editChain(admin, 'modification', {
      kind: 'add_step',
      name: 'Provost sign-off',
      role: 'approver',
      position: 1,
      personEmail: provost.email,
    });
    const program = await aSubmittedFeeChange();
    const forProvost = (await programs().pages.inbox(provost)).proposedChanges;
    assert.deepEqual(
      forProvost.map((c) => c.programId),
      [program.id],
    );
    assert.deepEqual(
      (await programs().pages.inbox(approver)).proposedChanges,
      [],
      'the step is not the role’s',
    );
    const page = textOf((await (await provost.signIn()).get('/inbox')).body);
    assert.match(page, new RegExp(`${program.title} Provost sign-off \\(Pat Provost\\): Badge fee`));
  });
});
