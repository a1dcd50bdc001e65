// Attacker's review, separation of duties: a tracking list is issued on the word of two people, its uploader and
// the member of the office who commits it. A member of the office who is also a learner in the cohort could commit
// a list carrying their own row, so deciding on their own badge, which the badge-request queue refuses them.
// Whoever a ready row awards a badge to does not commit the list; a third person may.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../src/platform/ids.ts';
import { prepareCohort } from '../support/cohort-fixture.ts';
import { commitThroughConfirmation, listIdFrom, listStatus, textOf, uploadList } from '../support/issuing.ts';
import { newPerson } from '../support/learners.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`nobody commits a tracking list that awards them a badge on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ seed: true, runJobs: false });
  });
  after(() => app?.close());

  test('the office member in the cohort is refused on the page and by post; a third person commits', async () => {
    const uploader = await newPerson(app, 'Uma Uploader', ['credentials_office']);
    const inCohort = await newPerson(app, 'Cole Cohort', ['learner', 'credentials_office']);
    const third = await newPerson(app, 'Tess Third', ['credentials_office']);
    const tag = `own${newId().slice(0, 4)}`;
    const cohort = await prepareCohort(app, 2, tag);
    // The cohort's first learner record is the office member's own.
    const first = cohort.csv.split('\n')[1]!.split(',');
    await app.database.db
      .updateTable('learners')
      .set({ user_id: inCohort.id })
      .where('student_id', '=', first[0]!)
      .execute();
    const listId = listIdFrom(await uploadList(app, uploader.browser, 'cohort.csv', cohort.csv));

    const view = textOf((await inCohort.browser.get(`/issuing/tracking-lists/${listId}`)).body);
    assert.match(view, /This list awards a badge to you: another person must check and commit it/);
    const refused = await commitThroughConfirmation(inCohort.browser, listId);
    assert.equal(refused.statusCode, 403);
    assert.equal(await listStatus(app, listId), 'preview');

    const committed = await commitThroughConfirmation(third.browser, listId);
    assert.equal(committed.statusCode, 303);
    assert.equal(await listStatus(app, listId), 'queued');
  });
});
