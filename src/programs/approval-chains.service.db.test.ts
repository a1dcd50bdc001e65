import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { completeFullProposal } from '../../test/support/full-proposals.ts';
import { actorOf, assertRefused, demo, proposalValues, syllabus } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { Actor } from '../platform/actor.ts';
import { fixedClock } from '../platform/clock.ts';

describe(`approval chains on ${testBackend}`, () => {
  let app: TestApp;
  let admin: Actor;
  let lead: Actor;
  let approver: Actor;
  let credentials: Actor;

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock: fixedClock('2025-10-06T12:00:00Z') });
    [admin, lead, approver, credentials] = (await Promise.all(
      [demo.admin, demo.lead, demo.approver, demo.credentials].map((e) => actorOf(app, e)),
    )) as [Actor, Actor, Actor, Actor];
  });
  after(() => app.close());

  const programs = () => app.services.programs;
  const statusOf = async (id: string) => (await programs().pages.programPage(credentials, id)).program.status;

  /** A proposal signed by the approver and submitted to the credentials office. */
  async function submitted(): Promise<string> {
    const id = await programs().drafting.draftProposal(lead, proposalValues(), [syllabus()]);
    await programs().signatures.addSigner(lead, id, { email: demo.approver, roleLabel: 'Section head' });
    await programs().signatures.requestSignatures(lead, id);
    await programs().signatures.signProposal(approver, id);
    await programs().review.submitProposal(lead, id);
    return id;
  }

  test('only administrators see and change the chains', async () => {
    await assertRefused(programs().chains.listChains(credentials), 'FORBIDDEN');
    await assertRefused(
      programs().chains.editChain(credentials, 'pilot', { kind: 'rename_chain', name: 'Mine' }),
      'FORBIDDEN',
    );
    const list = await programs().chains.listChains(admin);
    assert.deepEqual(
      list.map((c) => c.chain.key),
      ['pilot', 'full_proposal', 'modification'],
    );
    await assertRefused(programs().chains.findChain(admin, 'budget'), 'NOT_FOUND');
  });

  test('a pilot chain change applies to proposals submitted afterwards, not to one already under review', async () => {
    const before = await submitted();
    await programs().chains.editChain(admin, 'pilot', {
      kind: 'add_step',
      name: 'Provost’s council',
      role: 'approver',
    });
    const afterwards = await submitted();

    // The earlier proposal needs only the Faculty Senate, as when it was submitted.
    const earlierPage = await programs().pages.programPage(credentials, before);
    assert.deepEqual(
      earlierPage.chains.pilot.steps.map((s) => s.name),
      ['Faculty Senate'],
    );
    assert.equal(earlierPage.chains.pilot.isKept, true);
    assert.equal(await programs().review.approveForPilot(credentials, before), 'pilot');

    // The later one goes through both bodies.
    assert.equal(await programs().review.approveForPilot(credentials, afterwards), 'submitted');
    const laterPage = await programs().pages.programPage(credentials, afterwards);
    assert.deepEqual(
      laterPage.chains.pilot.steps.map((s) => [s.name, s.state]),
      [
        ['Faculty Senate', 'approved'],
        ['Provost’s council', 'next'],
      ],
    );
    assert.equal(await programs().review.approveForPilot(approver, afterwards), 'pilot');

    await programs().chains.editChain(admin, 'pilot', { kind: 'remove_step', stepKey: 'provost_s_council' });
    assert.equal(await statusOf(afterwards), 'pilot');
  });

  // Issue 17: a resubmitted proposal is a changed proposal, so it goes through the chain in force when it is
  // resubmitted (earlier approvals were given to the earlier version).
  test('a resubmission after changes goes through the chain in force at resubmission', async () => {
    const id = await submitted();
    await programs().review.requestChanges(credentials, id, 'Add the partner letter.');
    await programs().chains.editChain(admin, 'pilot', { kind: 'add_step', name: 'Board', role: 'admin' });
    await programs().review.reviseProposal(lead, id);
    await programs().signatures.requestSignatures(lead, id);
    await programs().signatures.signProposal(approver, id);
    await programs().review.submitProposal(lead, id);
    assert.equal(await programs().review.approveForPilot(credentials, id), 'submitted');
    assert.equal(await programs().review.approveForPilot(admin, id), 'pilot');
    await programs().chains.editChain(admin, 'pilot', { kind: 'remove_step', stepKey: 'board' });
  });

  test('a full proposal under review keeps its steps while the chain is reordered and shortened', async () => {
    const id = await submitted();
    await programs().review.approveForPilot(credentials, id);
    await completeFullProposal(app, lead, id);
    await programs().review.submitFullProposal(lead, id);
    await programs().review.approveStep(approver, id);

    const chains = programs().chains;
    await chains.editChain(admin, 'full_proposal', { kind: 'remove_step', stepKey: 'senate_committees' });
    await chains.editChain(admin, 'full_proposal', {
      kind: 'move_step',
      stepKey: 'provost',
      direction: 'up',
    });
    await chains.editChain(admin, 'full_proposal', {
      kind: 'update_step',
      stepKey: 'faculty_senate',
      name: 'Faculty Senate',
      role: 'admin',
    });

    const inbox = await programs().pages.inbox(approver);
    const waiting = inbox.approvalSteps.find((p) => p.id === id);
    assert.equal(waiting?.step.name, 'Faculty Senate committees', 'the next step is from its own chain');
    for (const step of ['senate_committees', 'faculty_senate', 'provost']) {
      const to = await programs().review.approveStep(approver, id);
      assert.equal(to, step === 'provost' ? 'established' : 'full_proposal_review', step);
    }
    const page = await programs().pages.programPage(approver, id);
    assert.deepEqual(
      page.chains.full.steps.map((s) => s.name),
      ['Interdisciplinary sub-committee', 'Faculty Senate committees', 'Faculty Senate', 'Provost'],
    );

    // A pilot that submits its full proposal now starts on the changed chain.
    const next = await submitted();
    await programs().review.approveForPilot(credentials, next);
    await completeFullProposal(app, lead, next);
    await programs().review.submitFullProposal(lead, next);
    const nextPage = await programs().pages.programPage(approver, next);
    assert.deepEqual(
      nextPage.chains.full.steps.map((s) => s.name),
      ['Interdisciplinary sub-committee', 'Provost', 'Faculty Senate'],
    );
  });

  test('every change is in the audit log with the chain before and after; a change to nothing records nothing', async () => {
    const chains = programs().chains;
    const entries = async () =>
      app.services.audit.list({ entityType: 'approval_chain', entityId: 'pilot', limit: 100, offset: 0 });
    const count = (await entries()).length;
    await chains.editChain(admin, 'pilot', { kind: 'rename_chain', name: 'Pilot approval (senate)' });
    const [latest] = await entries();
    assert.ok(latest);
    assert.equal(latest.action, 'approval_chain.renamed');
    assert.deepEqual(latest.before, {
      name: 'Pilot approval',
      steps: [{ key: 'faculty_senate', name: 'Faculty Senate', role: 'approver' }],
    });
    assert.equal((latest.after as { name: string }).name, 'Pilot approval (senate)');
    await chains.editChain(admin, 'pilot', { kind: 'move_step', stepKey: 'faculty_senate', direction: 'up' });
    assert.equal((await entries()).length, count + 1);
  });

  test('bad input is refused with the field and the reason, and the chain stays as it was', async () => {
    const chains = programs().chains;
    const before = (await chains.findChain(admin, 'pilot')).chain;
    await assert.rejects(
      chains.editChain(admin, 'pilot', { kind: 'add_step', name: '', role: 'registrar' }),
      (error: { code: string; fields: unknown }) => {
        assert.equal(error.code, 'VALIDATION_FAILED');
        assert.deepEqual(error.fields, [
          { field: 'name', reason: 'is required' },
          { field: 'role', reason: 'must be one of the roles offered' },
        ]);
        return true;
      },
    );
    await assertRefused(
      chains.editChain(admin, 'pilot', { kind: 'remove_step', stepKey: 'faculty_senate' }),
      'INVALID_STATE',
      /at least one step/,
    );
    await assertRefused(
      chains.editChain(admin, 'pilot', { kind: 'remove_step', stepKey: 'nobody' }),
      'NOT_FOUND',
    );
    assert.deepEqual((await chains.findChain(admin, 'pilot')).chain, before);
  });
});
