import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aLearner,
  anInstitution,
  aProgram,
  aStaffMember,
  type BuiltProgram,
  type Person,
} from '../../test/support/builders.ts';
import { listIdFrom, textOf, uploadList } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { OWN_ROW_RECORD_REFUSAL } from './issuing.policy.ts';

const header = 'student_id,email,first_name,last_name,program,completion_date,term,credit_mode,cohort';

/** A row for a learner nobody has a record of. */
const newcomer = (studentId: string, email: string, program: BuiltProgram, names = 'Nia,Newcomer') =>
  `${studentId},${email},${names},${program.slug},2026-10-20,2026 Fall,,Fall cohort`;

/** The address a row's "Create the learner record" form posts to, when the page offers one for that line. */
function createFormOf(html: string, line: number): string | undefined {
  const row = new RegExp(`<tr><td>${line}</td>[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
  return /<form method="post" action="([^"]+\/learner-record)"/.exec(row)?.[1];
}

describe(`a non-credit row whose learner has no record on ${testBackend}`, () => {
  let app: TestApp;
  let office: Person;
  let officeBrowser: BrowserSession;
  let program: BuiltProgram;

  const learnerWith = (studentId: string) =>
    app.database.db.selectFrom('learners').selectAll().where('student_id', '=', studentId).executeTakeFirst();
  const rowOn = (listId: string, line: number) =>
    app.database.db
      .selectFrom('tracking_list_rows')
      .selectAll()
      .where('list_id', '=', listId)
      .where('line', '=', line)
      .executeTakeFirstOrThrow();

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
    office = await aStaffMember(app, 'credentials_office');
    officeBrowser = await office.signIn();
    program = await aProgram(app, { title: 'Evening Pottery', creditType: 'non_credit' });
  });
  after(() => app?.close());

  test('the office creates the record from the row, audited, and the row is judged again', async () => {
    const csv = [header, newcomer('CE0000101', 'nia.newcomer@mail.example', program)].join('\n');
    const listId = listIdFrom(await uploadList(app, officeBrowser, 'evening.csv', csv));
    const before = (await officeBrowser.get(`/issuing/tracking-lists/${listId}`)).body;
    assert.match(textOf(before), /Unknown student: no learner has student ID CE0000101/);
    const action = createFormOf(before, 2);
    assert.ok(action, 'the row offers to create the learner record');

    const created = await officeBrowser.postForm(action, {});
    assert.equal(created.statusCode, 303);
    const record = await learnerWith('CE0000101');
    assert.ok(record);
    assert.equal(record.name, 'Nia Newcomer');
    assert.equal(record.email, 'nia.newcomer@mail.example');
    assert.equal(record.status, 'non_degree_seeking');

    // Judged again against the new record: the learner is known now, and what still stands in the way is said.
    const row = await rowOn(listId, 2);
    assert.equal(row.status, 'not_eligible');
    assert.match(row.reason ?? '', /^Requirements not met/);
    const page = await officeBrowser.get(String(created.headers.location));
    assert.match(
      textOf(page.body),
      /The learner record of line 2 was created, and the row was checked again/,
    );
    assert.equal(createFormOf(page.body, 2), undefined, 'the row no longer offers it');

    const audit = await app.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', 'in', [record.id, listId])
      .execute();
    assert.deepEqual(
      audit.filter((a) => a.action !== 'tracking_list.uploaded').map((a) => [a.action, a.actor_id]),
      [
        ['learner.created', office.id],
        ['tracking_list.row_rechecked', office.id],
      ],
    );
  });

  test('every row of that student on the list is judged again, not only the one whose button was pressed', async () => {
    const second = await aProgram(app, { creditType: 'non_credit' });
    const csv = [
      header,
      newcomer('CE0000102', 'noor@mail.example', program, 'Noor,Nasser'),
      newcomer('CE0000102', 'noor@mail.example', second, 'Noor,Nasser'),
    ].join('\n');
    const listId = listIdFrom(await uploadList(app, officeBrowser, 'noor.csv', csv));
    const action = createFormOf((await officeBrowser.get(`/issuing/tracking-lists/${listId}`)).body, 3);
    assert.ok(action);
    assert.equal((await officeBrowser.postForm(action, {})).statusCode, 303);
    const record = await learnerWith('CE0000102');
    assert.ok(record);
    for (const line of [2, 3]) {
      const row = await rowOn(listId, line);
      assert.equal(row.learner_id, record.id, `line ${line}`);
      assert.match(row.reason ?? '', /^Requirements not met/, `line ${line}`);
    }
  });

  test('a member of staff is not offered, and is refused, their own record', async () => {
    const csv = [header, newcomer('CE0000103', office.email, program, 'Olive,Office')].join('\n');
    const listId = listIdFrom(await uploadList(app, officeBrowser, 'own.csv', csv));
    const page = (await officeBrowser.get(`/issuing/tracking-lists/${listId}`)).body;
    assert.equal(createFormOf(page, 2), undefined);
    assert.match(textOf(page), new RegExp(OWN_ROW_RECORD_REFUSAL));

    const row = await rowOn(listId, 2);
    const refused = await officeBrowser.postForm(
      `/issuing/tracking-lists/${listId}/rows/${row.id}/learner-record`,
      {},
    );
    assert.equal(refused.statusCode, 403);
    assert.equal(await learnerWith('CE0000103'), undefined);
  });

  test('without the CSRF token nothing is created', async () => {
    const csv = [header, newcomer('CE0000104', 'forged@mail.example', program)].join('\n');
    const listId = listIdFrom(await uploadList(app, officeBrowser, 'forged.csv', csv));
    const row = await rowOn(listId, 2);
    const forged = await app.http.inject({
      method: 'POST',
      url: `/issuing/tracking-lists/${listId}/rows/${row.id}/learner-record`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...officeBrowser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      payload: '',
    });
    assert.equal(forged.statusCode, 403);
    assert.equal(await learnerWith('CE0000104'), undefined);
  });

  test('values the learner records refuse are said on the page, by the column, and nothing is created', async () => {
    const taken = await aLearner(app);
    const csv = [header, newcomer('CE0000105', taken.email, program)].join('\n');
    const listId = listIdFrom(await uploadList(app, officeBrowser, 'taken.csv', csv));
    // The row's e-mail is on another record (whose student ID differs), so the row is judged by its ID alone.
    const action = createFormOf((await officeBrowser.get(`/issuing/tracking-lists/${listId}`)).body, 2);
    assert.ok(action);
    const refused = await officeBrowser.postForm(action, {});
    assert.equal(refused.statusCode, 422);
    assert.match(
      textOf(refused.body),
      /The learner record was not created: email is already on another learner record/,
    );
    assert.equal(await learnerWith('CE0000105'), undefined);
  });

  test('a credit-bearing row is left to the student system, and a lead only told who creates it', async () => {
    const credit = await aProgram(app, { creditType: 'credit' });
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const creditCsv = [header, newcomer('CE0000106', 'credit@mail.example', credit)].join('\n');
    const creditList = listIdFrom(await uploadList(app, registrar, 'credit.csv', creditCsv));
    assert.equal(
      createFormOf((await registrar.get(`/issuing/tracking-lists/${creditList}`)).body, 2),
      undefined,
    );

    const lead = await aStaffMember(app, 'program_lead');
    const led = await aProgram(app, { creditType: 'non_credit', lead });
    const leadBrowser = await lead.signIn();
    const draftCsv = [header, newcomer('CE0000107', 'draft@mail.example', led)].join('\n');
    const draft = listIdFrom(await uploadList(app, leadBrowser, 'draft.csv', draftCsv));
    const page = (await leadBrowser.get(`/issuing/tracking-lists/${draft}`)).body;
    assert.equal(createFormOf(page, 2), undefined);
    assert.match(textOf(page), /The credentials office creates the learner record from this row/);
  });
});
