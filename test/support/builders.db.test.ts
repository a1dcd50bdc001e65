import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  aBadgeRequest,
  aCompletion,
  aLearner,
  anEnrolment,
  anIssuedBadge,
  aProgram,
  aStaffMember,
} from './builders.ts';
import { startTestApp, type TestApp } from './test-app.ts';
import { testBackend } from './test-database.ts';

describe(`the test data builders on ${testBackend}`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ runJobs: false });
  });
  after(() => app.close());

  test('each call makes a thing of its own, with unique names', async () => {
    const [one, two] = [await aProgram(app), await aProgram(app)];
    assert.notEqual(one.slug, two.slug);
    assert.notDeepEqual(one.courses, two.courses);
    const [a, b] = [await aLearner(app), await aLearner(app)];
    assert.notEqual(a.studentId, b.studentId);
    assert.notEqual(a.email, b.email);
  });

  test('a built program is measured like any other: enrolled and passed is met', async () => {
    const program = await aProgram(app);
    const learner = await aLearner(app);
    await anEnrolment(app, learner, program);
    await aCompletion(app, learner, program.courses[0]!);
    const { learners } = await app.services.progress.evaluateProgram(program.id);
    assert.equal(learners.length, 1);
    assert.equal(learners[0]!.progress.met, false);
    await aCompletion(app, learner, program.courses[1]!);
    const again = await app.services.progress.evaluateProgram(program.id);
    assert.equal(again.learners[0]!.progress.met, true);
  });

  test('a staff member signs in with the role they were given', async () => {
    const registrar = await aStaffMember(app, 'registrar');
    const browser = await registrar.signIn();
    assert.equal((await browser.get('/learners')).statusCode, 200);
  });

  test('a badge request waits for a decision; an issued badge has a credential', async () => {
    const { request } = await aBadgeRequest(app);
    assert.equal(request.status, 'requested');
    for (const creditType of ['credit', 'non_credit'] as const) {
      const issued = await anIssuedBadge(app, { program: await aProgram(app, { creditType }) });
      const row = await app.database.db
        .selectFrom('credentials')
        .select('id')
        .where('id', '=', issued.credentialId)
        .executeTakeFirst();
      assert.ok(row, creditType);
    }
  });
});
