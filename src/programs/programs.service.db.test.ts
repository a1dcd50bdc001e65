import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { completeFullProposal } from '../../test/support/full-proposals.ts';
import {
  actorOf,
  assertRefused,
  demo,
  mailTo,
  mou,
  proposalValues,
  syllabus,
} from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import type { Actor } from '../platform/actor.ts';
import { fixedClock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { formValuesOf } from './program-form.ts';

describe(`program proposals on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Actor;
  let lead2: Actor;
  let approver: Actor;
  let credentials: Actor;
  const clock = fixedClock('2025-10-06T12:00:00Z');

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false, clock });
    [lead, lead2, approver, credentials] = (await Promise.all(
      [demo.lead, demo.lead2, demo.approver, demo.credentials].map((e) => actorOf(app, e)),
    )) as [Actor, Actor, Actor, Actor];
  });
  after(() => app.close());

  const programs = () => app.services.programs;
  const statusOf = async (id: string) => (await programs().pages.programPage(credentials, id)).program.status;

  /** A draft with one signer (the approver, as section head), ready for signatures. */
  async function draftWithSigner(overrides = {}, files = [syllabus()]) {
    const id = await programs().drafting.draftProposal(lead, proposalValues(overrides), files);
    await programs().signatures.addSigner(lead, id, { email: demo.approver, roleLabel: 'Section head' });
    return id;
  }

  test('the whole path: draft, signatures, submission, pilot, full proposal, every chain step, established', async () => {
    const id = await programs().drafting.draftProposal(lead, proposalValues(), [syllabus()]);
    await programs().signatures.addSigner(lead, id, { email: demo.approver, roleLabel: 'Section head' });
    await programs().signatures.addSigner(lead, id, { email: demo.lead2, roleLabel: 'Supervisor' });
    assert.equal(await statusOf(id), 'draft');

    assert.equal(await programs().signatures.requestSignatures(lead, id), 'awaiting_signatures');
    assert.ok((await mailTo(app, demo.approver)).some((m) => /signature is requested/.test(m.subject)));
    const inbox = await programs().pages.inbox(approver);
    assert.ok(
      inbox.signatures.some((s) => s.id === id),
      'the signer sees the proposal in the inbox',
    );

    await programs().signatures.signProposal(approver, id);
    await programs().signatures.signProposal(lead2, id, 'Fits the department plan.');
    assert.ok((await mailTo(app, demo.lead)).some((m) => /Every signer has signed/.test(m.subject)));

    assert.equal(await programs().review.submitProposal(lead, id), 'submitted');
    assert.ok((await mailTo(app, demo.credentials)).some((m) => /Proposal submitted/.test(m.subject)));
    await programs().review.addConsultationNote(credentials, id, 'Met the lead; budget reviewed.');

    assert.equal(
      await programs().review.approveForPilot(credentials, id, 'Senate approved on 2025-10-01.'),
      'pilot',
    );
    const piloted = await programs().pages.programPage(credentials, id);
    assert.equal(piloted.program.pilot_started_on, '2025-10-06');
    assert.equal(piloted.program.pilot_start_year, 2025);
    assert.deepEqual(
      piloted.chains.pilot.steps.map((s) => s.state),
      ['approved'],
    );
    assert.equal(piloted.versions.length, 1, 'the approved program is recorded as version 1');
    assert.ok((await mailTo(app, demo.lead)).some((m) => /Approved for a pilot/.test(m.subject)));

    await completeFullProposal(app, lead, id);
    assert.equal(
      await programs().review.submitFullProposal(lead, id, 'Three good years.'),
      'full_proposal_review',
    );
    const stepNames: string[] = [];
    for (let step = 0; step < 4; step++) {
      const page = await programs().pages.programPage(approver, id);
      const next = page.chains.full.steps.find((s) => s.state === 'next');
      assert.ok(next, `step ${step + 1} is waiting`);
      stepNames.push(next.name);
      assert.ok(
        (await programs().pages.inbox(approver)).approvalSteps.some((p) => p.id === id),
        'the approver sees the waiting step',
      );
      const to = await programs().review.approveStep(approver, id);
      assert.equal(to, step < 3 ? 'full_proposal_review' : 'established');
    }
    assert.deepEqual(stepNames, [
      'Interdisciplinary sub-committee',
      'Faculty Senate committees',
      'Faculty Senate',
      'Provost',
    ]);
    const done = await programs().pages.programPage(lead, id);
    assert.equal(done.program.status, 'established');
    assert.ok(done.chains.full.steps.every((s) => s.state === 'approved'));
    assert.deepEqual(
      done.history.map((h) => h.action),
      [
        'program.drafted',
        'program.signer_added',
        'program.signer_added',
        'program.request_signatures',
        'program.signed',
        'program.signed',
        'program.submit',
        'program.note_added',
        'program.approve_pilot',
        'program.full_proposal_saved',
        'program.full_proposal_document_uploaded',
        'program.submit_full_proposal',
        'program.approve_step',
        'program.approve_step',
        'program.approve_step',
        'program.approve_step',
      ],
    );
    assert.ok(
      done.history.every((h) => h.at instanceof Date),
      'every step is time-stamped',
    );
    assert.ok((await mailTo(app, demo.lead)).some((m) => /established program/.test(m.subject)));
  });

  test('submitting before every signer has signed is refused', async () => {
    const id = await draftWithSigner();
    await programs().signatures.requestSignatures(lead, id);
    await assertRefused(
      programs().review.submitProposal(lead, id),
      'INVALID_STATE',
      /Every named signer must sign/,
    );
    assert.equal(await statusOf(id), 'awaiting_signatures');
  });

  test('signatures cannot be requested without a signer, the narratives and a syllabus', async () => {
    const id = await programs().drafting.draftProposal(lead, proposalValues({ marketing_plan: '' }), []);
    await assert.rejects(programs().signatures.requestSignatures(lead, id), (error: unknown) => {
      assert.ok(error instanceof AppError && error.code === 'VALIDATION_FAILED', String(error));
      assert.deepEqual(
        error.fields.map((f) => f.field),
        ['marketing_plan', 'syllabus', 'signers'],
      );
      return true;
    });
  });

  test('an interdisciplinary proposal needs an MOU before signatures, and the MOU can be added by editing', async () => {
    const id = await draftWithSigner({ is_interdisciplinary: 'on' });
    await assertRefused(
      programs().signatures.requestSignatures(lead, id),
      'INVALID_STATE',
      /An MOU is required/,
    );
    const form = await programs().drafting.editForm(lead, id);
    await programs().drafting.editProgram(
      lead,
      id,
      formValuesOf(form.fields, {
        rationale: 'Partner stations need trained volunteers.',
        assessmentPlan: 'A produced story, marked with a rubric.',
        marketAnalysis: 'Local stations ask for trained volunteers.',
        financialModel: 'Existing sections.',
        marketingPlan: 'Newsletter.',
        isInterdisciplinary: true,
        hasThirdParty: false,
      }),
      [mou()],
      { expectedVersion: form.program.version },
    );
    assert.equal(await programs().signatures.requestSignatures(lead, id), 'awaiting_signatures');
  });

  test('people without the right role or relationship are refused with the reason', async () => {
    const id = await draftWithSigner();
    await assertRefused(
      programs().signatures.requestSignatures(approver, id),
      'INVALID_STATE',
      /Only the program lead/,
    );
    await programs().signatures.requestSignatures(lead, id);
    await programs().signatures.signProposal(approver, id);
    await programs().review.submitProposal(lead, id);
    await assertRefused(
      programs().review.approveForPilot(lead, id),
      'INVALID_STATE',
      /Only the credentials office or an approver/,
    );
    await assertRefused(
      programs().review.requestChanges(approver, id, 'No.'),
      'INVALID_STATE',
      /Only the credentials office/,
    );
    await assertRefused(programs().pages.programPage(lead2, id), 'FORBIDDEN');
    await assertRefused(programs().review.addConsultationNote(lead, id, 'Mine'), 'FORBIDDEN');
  });

  test('declining, requesting changes and returning to pilot all need a comment', async () => {
    const id = await draftWithSigner();
    await programs().signatures.addSigner(lead, id, { email: demo.lead2, roleLabel: 'Supervisor' });
    await programs().signatures.requestSignatures(lead, id);
    await programs().signatures.signProposal(lead2, id);
    await assertRefused(
      programs().signatures.declineToSign(approver, id, '  '),
      'INVALID_STATE',
      /comment is required/,
    );
    assert.equal(
      await programs().signatures.declineToSign(approver, id, 'The budget is missing staff time.'),
      'draft',
    );
    const page = await programs().pages.programPage(lead, id);
    assert.deepEqual(
      page.signers.map((s) => [s.email, s.status]),
      [
        [demo.approver, 'declined'],
        [demo.lead2, 'pending'],
      ],
      'the decline stays visible and the other signature is collected again',
    );
    const declineMail = (await mailTo(app, demo.lead)).find((m) => /declined/.test(m.subject));
    assert.match(declineMail?.text_body ?? '', /budget is missing staff time/);

    await programs().signatures.requestSignatures(lead, id);
    await programs().signatures.signProposal(approver, id);
    await programs().signatures.signProposal(lead2, id);
    await programs().review.submitProposal(lead, id);
    await assertRefused(
      programs().review.requestChanges(credentials, id, ''),
      'INVALID_STATE',
      /comment is required/,
    );
    assert.equal(
      await programs().review.requestChanges(credentials, id, 'Add the partner letter.'),
      'changes_requested',
    );
    assert.ok((await mailTo(app, demo.lead)).some((m) => /Changes requested/.test(m.subject)));
    assert.equal(await programs().review.reviseProposal(lead, id), 'draft');
    assert.ok((await programs().pages.programPage(lead, id)).signers.every((s) => s.status === 'pending'));
  });

  test('returning a full proposal clears its approvals, so a resubmission starts the chain again', async () => {
    const id = await draftWithSigner();
    await programs().signatures.requestSignatures(lead, id);
    await programs().signatures.signProposal(approver, id);
    await programs().review.submitProposal(lead, id);
    await programs().review.approveForPilot(approver, id);
    await completeFullProposal(app, lead, id);
    await programs().review.submitFullProposal(lead, id);
    await programs().review.approveStep(approver, id);
    await assertRefused(
      programs().review.returnToPilot(approver, id, ''),
      'INVALID_STATE',
      /comment is required/,
    );
    assert.equal(await programs().review.returnToPilot(approver, id, 'Needs a second cohort.'), 'pilot');
    await programs().review.submitFullProposal(lead, id);
    const page = await programs().pages.programPage(approver, id);
    assert.deepEqual(
      page.chains.full.steps.map((s) => s.state),
      ['next', 'waiting', 'waiting', 'waiting'],
    );
    assert.equal(page.returned.length, 1);
  });

  test('a change to an offered program becomes a new version once approved, and the old one stays as it was', async () => {
    const [listed] = (await programs().pages.listPrograms(lead, { status: 'established' })).filter(
      (p) => p.title === 'Broadcast News Production',
    );
    assert.ok(listed);
    const form = await programs().drafting.editForm(lead, listed.id);
    assert.equal(form.mode, 'version');
    const values = formValuesOf(form.fields);
    const result = await programs().drafting.editProgram(
      lead,
      listed.id,
      { ...values, title: 'Broadcast News Production and Reporting', fee: '12.50' },
      [],
      { expectedVersion: form.program.version, changeNote: 'Clearer title, new fee.' },
    );
    assert.deepEqual(result, {
      version: 1,
      changed: ['title', 'feeCents'],
      mode: 'version',
      outcome: 'proposed',
    });
    await programs().modifications.submit(lead, listed.id);
    assert.equal(await programs().modifications.approveStep(approver, listed.id), 'approved');
    const first = await programs().drafting.findVersion(listed.id, 1);
    const second = await programs().drafting.findVersion(listed.id, 2);
    assert.ok(first && second, 'both versions are stored');
    assert.equal((first.snapshot as { title: string }).title, 'Broadcast News Production');
    assert.equal((second.snapshot as { title: string; feeCents: number }).feeCents, 1250);
    assert.equal((await programs().drafting.currentVersion(listed.id)).version, 2);

    await assertRefused(
      programs().drafting.editProgram(lead, listed.id, values, [], { expectedVersion: 1 }),
      'CONFLICT',
      /changed this program meanwhile/,
    );
    const unchanged = await programs().drafting.editProgram(
      credentials,
      listed.id,
      { ...values, title: 'Broadcast News Production and Reporting', fee: '12.50' },
      [],
      { expectedVersion: 2 },
    );
    assert.equal(unchanged.version, 2, 'saving without changes makes no version');
    await assertRefused(
      programs().drafting.editForm(approver, listed.id),
      'INVALID_STATE',
      /Only the program lead or the credentials office/,
    );
  });

  test('a proposal with bad fields is refused with one problem per field, and nothing is saved', async () => {
    const before = (await programs().pages.listPrograms(lead)).length;
    await assert.rejects(
      programs().drafting.draftProposal(
        lead,
        proposalValues({
          title: '',
          courses: 'COMM 241\nNOPE 999',
          fee: 'ten dollars',
          skills: 'Editing | ESCO | not-a-url',
          credits_min: '12',
          credits_max: '6',
          enrolment_paths: [],
        }),
        [{ field: 'syllabus', filename: 'huge.pdf', content: Buffer.alloc(10), truncated: true }],
      ),
      (error: { code: string; fields: { field: string }[] }) => {
        assert.equal(error.code, 'VALIDATION_FAILED');
        assert.deepEqual(error.fields.map((f) => f.field).sort(), [
          'courses',
          'credits_max',
          'fee',
          'skills',
          'syllabus',
          'title',
        ]);
        return true;
      },
    );
    assert.equal((await programs().pages.listPrograms(lead)).length, before);
  });

  test('the demo workflow moves two demo drafts on once, and only once', async () => {
    assert.equal(await programs().seedDemoWorkflow(), 2);
    assert.equal(await programs().seedDemoWorkflow(), 0);
    const signatures = (await programs().pages.inbox(approver)).signatures.map((s) => s.title);
    assert.ok(signatures.includes('Grant Writing for Community Organizations'));
    const waiting = (await programs().pages.inbox(credentials)).pilotDecisions.map((p) => p.title);
    assert.ok(waiting.includes('Podcast Production'));
  });

  test('a slug already in use is refused', async () => {
    await assertRefused(
      programs().drafting.draftProposal(lead, proposalValues({ slug: 'broadcast-news-production' }), []),
      'VALIDATION_FAILED',
    );
  });

  test('a slug the catalog uses for its own pages is refused, so no program hides them', async () => {
    await assertRefused(
      programs().drafting.draftProposal(lead, proposalValues({ slug: 'certificates' }), []),
      'VALIDATION_FAILED',
    );
  });
});
