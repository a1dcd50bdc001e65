import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aCourse, aDepartment, aStaffMember, type Person } from '../../test/support/builders.ts';
import { assertRefused, proposalValues, syllabus } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { formValuesOf } from './program-form.ts';
import { proposalFieldsOf } from './program-state.ts';

/** The proposal as the university's form has it (issue 17, point 4). */
describe(`the proposal form on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let colleague: Person;
  let office: Person;
  let signer: Person;
  let department: string;
  let courses: string;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-03-02T12:00:00Z') });
    [lead, colleague, office, signer] = await Promise.all([
      aStaffMember(app, 'program_lead'),
      aStaffMember(app, 'program_lead', { name: 'Colleague Consulted' }),
      aStaffMember(app, 'credentials_office'),
      aStaffMember(app, 'signer'),
    ]);
    department = (await aDepartment(app)).code;
    const four = [await aCourse(app, { credits: 4 }), await aCourse(app, { credits: 4 })];
    courses = four.map((c) => c.code).join('\n');
  });
  after(() => app.close());

  const programs = () => app.services.programs;
  const complete = (overrides = {}) => proposalValues({ department, courses, ...overrides });

  /** The problems a refused request for signatures lists, as "field: reason". */
  async function refusalOf(id: string): Promise<string[]> {
    try {
      await programs().signatures.requestSignatures(lead, id);
    } catch (error) {
      assert.ok(error instanceof AppError && error.code === 'VALIDATION_FAILED', String(error));
      return error.fields.map((f) => `${f.field}: ${f.reason}`);
    }
    assert.fail('signatures were asked for');
  }

  async function readyDraft(overrides = {}) {
    const id = await programs().drafting.draftProposal(lead, complete(overrides), [syllabus()]);
    await programs().signatures.addSigner(lead, id, { email: signer.email, roleLabel: 'Section head' });
    return id;
  }

  test('a draft is saved unfinished, and asking for signatures names every missing field', async () => {
    const id = await programs().drafting.draftProposal(
      lead,
      { title: 'Unfinished Idea', department, level: 'graduate', credit_type: 'non_credit' },
      [],
    );
    const page = await programs().pages.programPage(lead, id);
    assert.equal(page.program.status, 'draft');
    const fields = page.stillMissing.map((m) => m.field);
    for (const field of [
      'summary',
      'description',
      'credits_min',
      'courses',
      'outcomes',
      'fee',
      'enrolment_paths',
      'delivery_mode',
      'audience',
      'rationale',
      'market_analysis',
      'financial_model',
      'marketing_plan',
      'assessment_plan',
      'syllabus',
      'signers',
    ]) {
      assert.ok(fields.includes(field), `${field} is listed as missing: ${fields.join(', ')}`);
    }
    assert.deepEqual((await refusalOf(id)).map((p) => p.split(':')[0]).sort(), [...fields].sort());

    // The edit form shows the credits and fee blank again, not as the zeros stored meanwhile.
    const form = await programs().drafting.editForm(lead, id);
    const values = formValuesOf(form.fields, proposalFieldsOf(form.proposal!), form.proposal!.missing_fields);
    assert.equal(values.credits_min, '');
    assert.equal(values.fee, '');

    // A value that is there but wrong is still refused at once, draft or not.
    await assertRefused(
      programs().drafting.draftProposal(
        lead,
        { title: 'Bad Fee', department, level: 'graduate', credit_type: 'credit', fee: 'lots' },
        [],
      ),
      'VALIDATION_FAILED',
    );
  });

  test('a complete proposal records its delivery mode, audience, rationale and assessment', async () => {
    const id = await readyDraft({ delivery_mode: 'online', audience: 'Working reporters' });
    const page = await programs().pages.programPage(lead, id);
    assert.equal(page.fields.deliveryMode, 'online');
    assert.equal(page.fields.audience, 'Working reporters');
    assert.match(page.proposal!.rationale, /Partner stations/);
    assert.match(page.proposal!.assessment_plan, /rubric/);
    assert.deepEqual(page.stillMissing, []);
    assert.equal(await programs().signatures.requestSignatures(lead, id), 'awaiting_signatures');
  });

  test('declared credits that the listed courses do not add up to are named when signatures are asked', async () => {
    const id = await readyDraft({ credits_min: '9' });
    const problems = await refusalOf(id);
    assert.deepEqual(problems, [
      `credits_min: say 9, but the listed courses, all required, add up to 8 (${courses.replace('\n', ': 4, ')}: 4)`,
    ]);
  });

  test('consultation: named people respond, on their own or through the lead with attribution, before signatures', async () => {
    const id = await readyDraft();
    await programs().consultations.addConsultee(lead, id, {
      email: colleague.email,
      topic: 'credit options',
    });
    await programs().consultations.addConsultee(lead, id, {
      email: 'employer@radio.example',
      name: 'Station Manager',
    });
    await assertRefused(
      programs().consultations.addConsultee(lead, id, { email: 'someone@elsewhere.example' }),
      'VALIDATION_FAILED',
    );
    assert.deepEqual(await refusalOf(id), [
      'consultation: is still waiting for Colleague Consulted, Station Manager to respond (or for you to record their response)',
    ]);

    // The colleague reads the proposal and answers on its page; someone else may not answer for them.
    const seen = await programs().pages.programPage(colleague, id);
    const mine = seen.consultations.find((c) => c.name === 'Colleague Consulted')!;
    assert.equal(mine.recordAs, 'own');
    await assertRefused(
      programs().consultations.recordResponse(signer, id, mine.id, { response: 'support', text: '' }),
      'FORBIDDEN',
    );
    await assertRefused(
      programs().consultations.recordResponse(colleague, id, mine.id, { response: 'concerns', text: ' ' }),
      'VALIDATION_FAILED',
    );
    await programs().consultations.recordResponse(colleague, id, mine.id, {
      response: 'concerns',
      text: 'Check the lab capacity.',
    });
    // The lead records what the outside person said, and the record says so.
    const outside = seen.consultations.find((c) => c.name === 'Station Manager')!;
    await programs().consultations.recordResponse(lead, id, outside.id, { response: 'support', text: '' });

    const page = await programs().pages.programPage(lead, id);
    const [first, second] = page.consultations;
    assert.equal(first!.response, 'concerns');
    assert.equal(first!.recorded_by, colleague.id);
    assert.equal(second!.response, 'support');
    assert.equal(second!.recorded_by_name, lead.name);
    assert.equal(second!.consultee_user_id, null);
    await assertRefused(
      programs().consultations.removeConsultee(lead, id, first!.id),
      'INVALID_STATE',
      /already responded/,
    );
    assert.equal(await programs().signatures.requestSignatures(lead, id), 'awaiting_signatures');
  });

  test('the credentials office chooses the day a pilot starts; without one it starts on the approval day', async () => {
    const id = await readyDraft();
    await programs().signatures.requestSignatures(lead, id);
    await programs().signatures.signProposal(signer, id);
    await programs().review.submitProposal(lead, id);
    assert.ok((await programs().pages.programPage(office, id)).choosesPilotStart);
    await assertRefused(
      programs().review.approveForPilot(office, id, undefined, '2031-09-01'),
      'VALIDATION_FAILED',
    );
    assert.equal(await programs().review.approveForPilot(office, id, undefined, '2026-09-01'), 'pilot');
    const page = await programs().pages.programPage(office, id);
    assert.equal(page.program.pilot_started_on, '2026-09-01');
    assert.equal(page.program.pilot_start_year, 2026, 'its first pilot year is the next academic year');
    const catalog = await app.services.catalog.programPage(page.program.slug);
    assert.equal(catalog.deliveryMode, 'hybrid');
    assert.match(catalog.audience, /volunteers/);
  });
});
