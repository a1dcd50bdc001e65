// Attacker's review, separation of duties: a member of the registrar's office who is also a learner, their student
// ID confirmed, could upload a completions file with rows about themselves: grades they award themselves, which
// then count toward badges. The file's rows about the uploader's own record (linked to their account, or carrying
// their address) are rejected, by the upload page and the completions API alike; the rest of the file imports,
// and the same file from a colleague imports those rows too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aCourse, aLearner, anAccount, aStaffMember } from '../support/builders.ts';
import { textOf } from '../support/issuing.ts';
import { postCompletionsApi, uploadCompletions } from '../support/learners.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`nobody imports grades for their own record on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app?.close());

  const completionsOf = async (learnerId: string) =>
    (
      await app.database.db
        .selectFrom('completions')
        .select('term')
        .where('learner_id', '=', learnerId)
        .orderBy('term')
        .execute()
    ).map((row) => row.term);

  test('the uploader’s own rows are rejected on the page and through the API; a colleague’s upload takes them', async () => {
    const staff = await anAccount(app, { roles: ['learner', 'registrar'] });
    // One record linked to the account under a student address, one not linked yet carrying the staff address.
    const linked = await aLearner(app, { account: staff, email: `student.${staff.id}@students.example` });
    const byAddress = await aLearner(app, { account: false, email: staff.email });
    const other = await aLearner(app, { account: false });
    const course = await aCourse(app);
    const fileFor = (term: string) =>
      [
        'student_id,course_code,term,grade,credits',
        ...[linked, byAddress, other].map((l) => `${l.studentId},${course.code},${term},A,${course.credits}`),
      ].join('\n');
    const own = /is your own learner record: another member of staff imports its grades/g;

    const browser = await staff.signIn();
    const upload = await uploadCompletions(app, browser, 'fall.csv', fileFor('2025 Fall'));
    assert.equal(upload.statusCode, 303);
    const report = textOf((await browser.get(String(upload.headers.location))).body);
    assert.equal(report.match(own)?.length, 2, report);
    const api = await postCompletionsApi(app, fileFor('2026 Winter'), browser);
    assert.equal(api.statusCode, 201);
    const body = api.json() as { counts: { accepted: number }; rejectedRows: { reason: string }[] };
    assert.equal(body.counts.accepted, 1);
    assert.deepEqual(
      body.rejectedRows.map((r) => r.reason.match(own)?.length),
      [1, 1],
    );
    assert.deepEqual(
      [await completionsOf(linked.id), await completionsOf(byAddress.id), await completionsOf(other.id)],
      [[], [], ['2025 Fall', '2026 Winter']],
    );

    const colleague = await (await aStaffMember(app, 'registrar')).signIn();
    assert.equal((await uploadCompletions(app, colleague, 'same.csv', fileFor('2025 Fall'))).statusCode, 303);
    assert.deepEqual(
      [await completionsOf(linked.id), await completionsOf(byAddress.id)],
      [['2025 Fall'], ['2025 Fall']],
    );
  });
});
