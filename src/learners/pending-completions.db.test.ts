import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aCompletion, aCourse, aLearner, aStaffMember } from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';

describe(`a learner's record tells staff which grades wait for their term to end on ${testBackend}`, () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ runJobs: false, clock: fixedClock('2026-12-06T15:00:00Z') });
  });
  after(() => app?.close());

  test('a grade whose term has not ended is marked pending term end, a counted one is not', async () => {
    const learner = await aLearner(app);
    const [fall, summer] = [await aCourse(app), await aCourse(app)];
    const pending = await aCompletion(app, learner, fall.code, {
      term: 'Fall 2026',
      completedOn: '2026-12-11',
    });
    const counted = await aCompletion(app, learner, summer.code, {
      term: 'Summer 2026',
      completedOn: '2026-08-07',
    });
    const registrar = await (await aStaffMember(app, 'registrar')).signIn();
    const page = await registrar.get(`/learners/${learner.id}`);
    assert.equal(page.statusCode, 200);
    const rowOf = (course: string) => {
      const row = page.body.split('<tr').find((r) => r.includes(course));
      assert.ok(row, `the page lists ${course}`);
      return textOf(row);
    };
    assert.match(
      rowOf(pending.course_code),
      /December 11, 2026 Graded, pending term end: counts from this day/,
    );
    assert.doesNotMatch(rowOf(counted.course_code), /pending/);
  });
});
