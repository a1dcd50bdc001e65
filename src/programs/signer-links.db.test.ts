// A signer who holds no other role reaches a proposal from their inbox. Both pages offered them "All programs", a
// list their role does not open: the link led to a 403. Staff and leads keep it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aCourse, aDepartment, aStaffMember, type Person } from '../../test/support/builders.ts';
import { proposalValues, syllabus } from '../../test/support/programs.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`the links a signer is offered on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let signer: Person;
  let programId: string;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    lead = await aStaffMember(app, 'program_lead');
    signer = await aStaffMember(app, 'signer');
    const department = await aDepartment(app);
    const courses = [await aCourse(app, { credits: 4 }), await aCourse(app, { credits: 4 })].map(
      (c) => c.code,
    );
    const programs = app.services.programs;
    programId = await programs.drafting.draftProposal(
      lead,
      proposalValues({ department: department.code, courses: courses.join('\n') }),
      [syllabus()],
    );
    await programs.signatures.addSigner(lead, programId, { email: signer.email, roleLabel: 'Chair' });
    await programs.signatures.requestSignatures(lead, programId);
  });
  after(() => app.close());

  test('the signer’s inbox and the proposal’s page do not link to the program list, which refuses them', async () => {
    const browser = await signer.signIn();
    assert.equal((await browser.get('/programs')).statusCode, 403, 'the list is not theirs');
    const inbox = (await browser.get('/inbox')).body;
    assert.match(inbox, new RegExp(`href="/programs/${programId}"`), 'the proposal to sign is listed');
    assert.doesNotMatch(inbox, /href="\/programs"/);
    const page = await browser.get(`/programs/${programId}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /href="\/programs"/);
    assert.match(page.body, /href="\/inbox"/);
  });

  test('the lead keeps the link to the program list on both pages', async () => {
    const browser = await lead.signIn();
    assert.match((await browser.get('/inbox')).body, /href="\/programs">All programs</);
    assert.match((await browser.get(`/programs/${programId}`)).body, /href="\/programs">All programs</);
  });
});
