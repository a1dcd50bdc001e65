// Issue 17, point 14: program leads prepare and submit tracking lists for their own programs. A lead must reach
// no other lead's list, no office's list and none of the offices' issuing pages, and must never commit (issue) a
// list, not even their own once submitted; the office may not commit a lead's list before it is submitted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aCompletion,
  aLearner,
  anEnrolment,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltProgram,
  type Person,
} from '../support/builders.ts';
import { commitThroughConfirmation, listIdFrom, listStatus, uploadList } from '../support/issuing.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

const header = 'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort';

describe(`program leads and tracking lists on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let otherLead: Person;
  let registrar: Person;
  let ownList: string;
  let otherLeadsList: string;
  let officeList: string;

  async function aList(by: Person, program: BuiltProgram) {
    const learner = await aLearner(app);
    await anEnrolment(app, learner, program);
    for (const course of program.courses) await aCompletion(app, learner, course);
    const csv = `${header}\n${learner.studentId},${learner.email},A,B,${program.slug},2026-10-20,2026 Fall,,Cohort`;
    return listIdFrom(await uploadList(app, await by.signIn(), 'list.csv', csv));
  }

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    lead = await aStaffMember(app, 'program_lead');
    otherLead = await aStaffMember(app, 'program_lead');
    registrar = await aStaffMember(app, 'registrar');
    const own = await aProgram(app, { lead });
    const theirs = await aProgram(app, { lead: otherLead });
    ownList = await aList(lead, own);
    otherLeadsList = await aList(otherLead, theirs);
    officeList = await aList(registrar, theirs);
  });
  after(() => app?.close());

  test("a lead reaches neither another lead's list nor the office's", async () => {
    const browser = await lead.signIn();
    for (const id of [otherLeadsList, officeList]) {
      for (const url of [`/issuing/tracking-lists/${id}`, `/issuing/tracking-lists/${id}/progress.json`]) {
        assert.equal((await browser.get(url)).statusCode, 404, url);
      }
      for (const action of ['submit', 'discard']) {
        const response = await browser.postForm(`/issuing/tracking-lists/${id}/${action}`, {});
        assert.equal(response.statusCode, 404, `${action} ${id}`);
      }
    }
    const page = (await browser.get('/issuing/tracking-lists')).body;
    assert.ok(page.includes(ownList));
    assert.ok(!page.includes(otherLeadsList) && !page.includes(officeList));
    // Asking for an office's lists by name is refused outright.
    assert.equal((await browser.get('/issuing/tracking-lists?office=registrar')).statusCode, 403);
    assert.equal(await listStatus(app, otherLeadsList), 'preview');
  });

  test('a lead never commits a list, not even their own once submitted', async () => {
    const browser = await lead.signIn();
    assert.equal((await browser.postForm(`/issuing/tracking-lists/${ownList}/submit`, {})).statusCode, 303);
    for (const url of [
      `/issuing/tracking-lists/${ownList}/commit`,
      `/issuing/tracking-lists/${officeList}/commit`,
    ]) {
      assert.equal((await browser.postForm(url, {})).statusCode, 403, url);
    }
    assert.equal((await browser.get(`/issuing/tracking-lists/${ownList}/confirm`)).statusCode, 403);
    assert.equal(await listStatus(app, ownList), 'preview');
    // Submitting twice changes nothing.
    assert.equal((await browser.postForm(`/issuing/tracking-lists/${ownList}/submit`, {})).statusCode, 403);
  });

  test("a lead reaches none of the offices' issuing pages", async () => {
    const browser = await lead.signIn();
    for (const url of ['/issuing', '/issuing/badges', '/issuing/exports']) {
      assert.equal((await browser.get(url)).statusCode, 403, url);
    }
    assert.equal((await browser.postForm('/issuing/issue', { office: 'registrar' })).statusCode, 403);
  });

  test("the office cannot commit, or even see, a lead's draft before it is submitted", async () => {
    const office = await registrar.signIn();
    assert.equal((await office.get(`/issuing/tracking-lists/${otherLeadsList}`)).statusCode, 404);
    assert.equal((await commitThroughConfirmation(office, otherLeadsList)).statusCode, 404);
    assert.equal(await listStatus(app, otherLeadsList), 'preview');
  });
});
