import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aGraduate, anInstitution, aProgram, aStaffMember } from '../../test/support/builders.ts';
import { listFile, listIdFrom, listRow, uploadList } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';

describe(`a tracking list's terms are the registrar's on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
    await anInstitution(app);
  });
  after(() => app?.close());

  test('a term is found by its code or name on the Terms page; one not there is a problem of its row', async () => {
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const term = { code: '202609', name: 'Fall 2026', startsOn: '2026-09-08', endsOn: '2026-12-18' };
    assert.equal((await registrar.postForm('/admin/terms', term)).statusCode, 303);
    const program = await aProgram(app);
    const learner = await aGraduate(app, program);
    const row = (termText: string) => listRow(learner, program.slug, termText);

    const office = await (await aStaffMember(app, 'credentials_office')).signIn();
    const listId = listIdFrom(
      await uploadList(app, office, 'cohort.csv', listFile(row('202609'), row('2026 Spring'))),
    );
    const rows = await app.database.db
      .selectFrom('tracking_list_rows')
      .select(['line', 'term', 'status', 'reason'])
      .where('list_id', '=', listId)
      .orderBy('line')
      .execute();
    assert.equal(rows[0]?.term, 'Fall 2026');
    assert.notEqual(rows[0]?.status, 'error');
    assert.equal(rows[1]?.status, 'error');
    assert.match(
      rows[1]?.reason ?? '',
      /term "2026 Spring" is not a term on the Terms page, by its code or its name \(such as "202609" or "Fall 2026"\)/,
    );
  });
});
