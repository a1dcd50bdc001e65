import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aGraduate,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltLearner,
  type BuiltProgram,
  type Person,
} from '../../test/support/builders.ts';
import {
  commitThroughConfirmation,
  listIdFrom,
  listStatus,
  textOf,
  uploadList,
} from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { loadDemoUniversity } from '../demo/demo-data.ts';

const header = 'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort';
const line = (who: BuiltLearner, program: BuiltProgram) =>
  `${who.studentId},${who.email},${who.name.split(' ')[0]},${who.name.split(' ')[1]},${program.slug},2026-10-20,2026 Fall,,Fall cohort`;

describe(`program leads prepare and submit tracking lists on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let registrar: Person;
  let own: BuiltProgram;
  let others: BuiltProgram;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    lead = await aStaffMember(app, 'program_lead', { name: 'Lena Lead' });
    registrar = await aStaffMember(app, 'registrar');
    own = await aProgram(app, { title: 'Lead Own Program', lead, feeCents: 2500 });
    others = await aProgram(app, {
      title: 'Someone Else Program',
      lead: await aStaffMember(app, 'program_lead'),
    });
  });
  after(() => app?.close());

  test('a lead uploads a draft for their program, submits it, and the office confirms and issues it', async () => {
    const learners = [await aGraduate(app, own), await aGraduate(app, own)];
    const browser = await lead.signIn();
    const csv = [header, ...learners.map((who) => line(who, own))].join('\n');
    const listId = listIdFrom(await uploadList(app, browser, 'cohort.csv', csv));

    const draft = textOf((await browser.get(`/issuing/tracking-lists/${listId}`)).body);
    assert.match(draft, /Draft, not yet submitted/);
    assert.match(draft, /Submit to the registrar/);
    assert.doesNotMatch(draft, /Commit and issue/);
    // Until it is submitted the office does not have it, so the draft does not say it waits in their lists.
    assert.doesNotMatch(draft, /waits in their lists/);
    // The office does not see the draft yet.
    const office = await registrar.signIn();
    assert.equal((await office.get(`/issuing/tracking-lists/${listId}`)).statusCode, 404);
    assert.doesNotMatch((await office.get('/issuing/tracking-lists')).body, new RegExp(listId));

    assert.equal((await browser.postForm(`/issuing/tracking-lists/${listId}/submit`, {})).statusCode, 303);
    const submitted = textOf((await browser.get(`/issuing/tracking-lists/${listId}`)).body);
    assert.match(submitted, /Submitted .* by the program lead who prepared it/);
    assert.match(submitted, /committed by the registrar, and it waits in their lists/);

    const atOffice = textOf((await office.get(`/issuing/tracking-lists/${listId}`)).body);
    assert.match(atOffice, /Commit and issue 2 badges/);
    const confirm = textOf((await office.get(`/issuing/tracking-lists/${listId}/confirm`)).body);
    assert.match(confirm, /Issue 2 badges from Fall cohort\?/);
    assert.match(confirm, /charges \$50\.00 in fees to the student accounts of 2 learners/);
    assert.match(confirm, /Yes, issue 2 badges/);
    assert.equal((await commitThroughConfirmation(office, listId)).statusCode, 303);
    assert.equal(await listStatus(app, listId), 'queued');
  });

  test("an issued row links the office to its record of the badge and the lead to the badge's page, never to the raw credential", async () => {
    const learner = await aGraduate(app, own);
    const browser = await lead.signIn();
    const listId = listIdFrom(
      await uploadList(app, browser, 'one.csv', [header, line(learner, own)].join('\n')),
    );
    assert.equal((await browser.postForm(`/issuing/tracking-lists/${listId}/submit`, {})).statusCode, 303);
    const office = await registrar.signIn();
    assert.equal((await commitThroughConfirmation(office, listId)).statusCode, 303);
    await app.services.trackingLists.processList(listId);
    const [row] = await app.database.db
      .selectFrom('tracking_list_rows')
      .select('credential_id')
      .where('list_id', '=', listId)
      .execute();
    const credentialId = row!.credential_id!;

    const atOffice = (await office.get(`/issuing/tracking-lists/${listId}`)).body;
    assert.match(atOffice, new RegExp(`<a href="/issuing/badges/${credentialId}">See the badge`));
    const forLead = (await browser.get(`/issuing/tracking-lists/${listId}`)).body;
    assert.match(forLead, new RegExp(`<a href="/badges/${credentialId}">See the badge`));
    assert.doesNotMatch(atOffice + forLead, /href="\/credentials\//);
    assert.equal((await office.get(`/issuing/badges/${credentialId}`)).statusCode, 200);
  });

  test("rows for another lead's program are refused, saying nothing about the learner", async () => {
    const theirs = await aGraduate(app, others);
    const mine = await aGraduate(app, own);
    const csv = [
      header,
      line(mine, own),
      line(theirs, others),
      line(theirs, { ...others, slug: 'no-such-program' }),
    ].join('\n');
    const browser = await lead.signIn();
    const listId = listIdFrom(await uploadList(app, browser, 'mixed.csv', csv));
    const rows = await app.database.db
      .selectFrom('tracking_list_rows')
      .select(['line', 'status', 'reason', 'learner_id'])
      .where('list_id', '=', listId)
      .orderBy('line')
      .execute();
    assert.deepEqual(
      rows.map((row) => row.status),
      ['ready', 'error', 'error'],
    );
    for (const row of rows.slice(1)) {
      assert.match(row.reason ?? '', /^Not one of your programs/);
      assert.equal(row.learner_id, null, 'the learner is not even looked up');
    }
  });

  test('the lead cannot commit, and the office cannot commit a draft', async () => {
    const browser = await lead.signIn();
    const listId = listIdFrom(
      await uploadList(app, browser, 'one.csv', [header, line(await aGraduate(app, own), own)].join('\n')),
    );
    assert.equal((await commitThroughConfirmation(browser, listId)).statusCode, 403);
    const office = await registrar.signIn();
    assert.equal((await commitThroughConfirmation(office, listId)).statusCode, 404);
    assert.equal(await listStatus(app, listId), 'preview');
  });

  test("the page's help on the program column names no demo program, only where the short name is found", async () => {
    const page = textOf((await (await lead.signIn()).get('/issuing/tracking-lists')).body);
    assert.match(page, /program is the program's short name, the last part of its catalog address/);
    const demoSlugs = loadDemoUniversity().programs.map((p) => p.slug);
    assert.deepEqual(
      demoSlugs.filter((slug) => page.includes(slug)),
      [],
      'a real installation has no demo programs',
    );
  });
});
