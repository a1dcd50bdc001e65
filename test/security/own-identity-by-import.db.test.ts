// Attacker's review, separation of duties: a completions file confirms a student ID its holder typed in when a row
// gives that ID with the e-mail of the holder's account. A member of the records offices who is also a learner
// could upload such a row about themselves and so vouch for the ID they typed, which the record's page refuses
// them. The file's rows about the uploader's own record confirm nothing; the same file from a colleague does.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aCourse, aLearner, anAccount, aStaffMember } from '../support/builders.ts';
import { uploadCompletions } from '../support/learners.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { testBackend } from '../support/test-database.ts';

describe(`nobody confirms their own student ID with a completions file on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app?.close());

  const stateOf = async (learnerId: string) => {
    const db = app.database.db;
    const record = await db
      .selectFrom('learners')
      .select('identity_confirmed')
      .where('id', '=', learnerId)
      .executeTakeFirstOrThrow();
    const completions = await db
      .selectFrom('completions')
      .select('id')
      .where('learner_id', '=', learnerId)
      .execute();
    return { confirmed: record.identity_confirmed, completions: completions.length };
  };

  test('an upload by the record holder confirms nothing and adds nothing; a colleague’s upload of the same file does', async () => {
    const staff = await anAccount(app, { roles: ['learner', 'registrar'] });
    const record = await aLearner(app, { account: staff, identityConfirmed: false });
    const course = await aCourse(app);
    const file = [
      'student_id,course_code,term,grade,credits,email',
      `${record.studentId},${course.code},2025 Fall,A,${course.credits},${staff.email}`,
    ].join('\n');

    const own = await uploadCompletions(app, await staff.signIn(), 'own.csv', file);
    assert.equal(own.statusCode, 303);
    assert.deepEqual(await stateOf(record.id), { confirmed: false, completions: 0 });

    const colleague = await (await aStaffMember(app, 'registrar')).signIn();
    assert.equal((await uploadCompletions(app, colleague, 'same.csv', file)).statusCode, 303);
    assert.deepEqual(await stateOf(record.id), { confirmed: true, completions: 1 });
  });
});
