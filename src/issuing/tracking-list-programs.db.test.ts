import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aGraduate,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltProgram,
  type Person,
} from '../../test/support/builders.ts';
import { listFile, listIdFrom, listRow, uploadList } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

/** The Program cell of the row on `line` of a list's page (the table's third cell). */
function programCell(html: string, fileLine: number): string {
  const row = new RegExp(`<tr><td>${fileLine}</td>[\\s\\S]*?</tr>`).exec(html)?.[0];
  assert.ok(row, `line ${fileLine} is on the page`);
  const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((match) => match[1]!);
  return cells[1]!;
}

describe(`a tracking list names each row's program by its title on ${testBackend}`, () => {
  let app: TestApp;
  let lead: Person;
  let own: BuiltProgram;
  let others: BuiltProgram;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    lead = await aStaffMember(app, 'program_lead');
    own = await aProgram(app, { title: 'Orchard Surveying', lead });
    others = await aProgram(app, {
      title: 'Unannounced Proposal',
      status: 'draft',
      lead: await aStaffMember(app, 'program_lead'),
    });
  });
  after(() => app?.close());

  test("the office sees each program's title, linked to its page, and the slug only when it names none", async () => {
    const learner = await aGraduate(app, own);
    const office = await (await aStaffMember(app, 'credentials_office')).signIn();
    const csv = listFile(listRow(learner, own.slug), listRow(learner, 'no-such-program'));
    const listId = listIdFrom(await uploadList(app, office, 'cohort.csv', csv));
    const page = (await office.get(`/issuing/tracking-lists/${listId}`)).body;

    assert.equal(programCell(page, 2).trim(), `<a href="/programs/${own.id}">${own.title}</a>`);
    assert.equal(programCell(page, 3).trim(), '<code>no-such-program</code>');
  });

  test('the registrar, who opens no staff program pages, is sent to the catalog page', async () => {
    const learner = await aGraduate(app, own);
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const listId = listIdFrom(
      await uploadList(app, registrar, 'cohort.csv', listFile(listRow(learner, own.slug))),
    );
    const page = (await registrar.get(`/issuing/tracking-lists/${listId}`)).body;
    assert.equal(programCell(page, 2).trim(), `<a href="/catalog/${own.slug}">${own.title}</a>`);
  });

  test("a lead sees their own program's title, and of another lead's program only the slug they typed", async () => {
    const learner = await aGraduate(app, own);
    const browser = await lead.signIn();
    const csv = listFile(listRow(learner, own.slug), listRow(learner, others.slug));
    const listId = listIdFrom(await uploadList(app, browser, 'cohort.csv', csv));
    const page = (await browser.get(`/issuing/tracking-lists/${listId}`)).body;

    assert.equal(programCell(page, 2).trim(), `<a href="/programs/${own.id}">${own.title}</a>`);
    assert.equal(programCell(page, 3).trim(), `<code>${others.slug}</code>`);
    assert.doesNotMatch(page, new RegExp(others.title));
  });
});
