// Grades the student system sends before their term has ended are taken, said to be pending, and count on the
// term's last day without a second import; a term years ahead is a mistake and is refused with its line.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import {
  aCompletion,
  aLearner,
  anEnrolment,
  anInstitution,
  aProgram,
  aStaffMember,
} from '../../test/support/builders.ts';
import { textOf } from '../../test/support/issuing.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';

const system = { system: 'pending grades test' };

describe(`grades for a term that has not ended on ${testBackend}`, () => {
  let app: TestApp;
  let registrar: BrowserSession;
  // 25 November 2026: the 2026 Fall term (ending 12 December) is under way; the academic year starts in September.
  const clock = fixedClock('2026-11-25T15:00:00Z');

  const importText = (text: string, name = 'fall-grades.csv') =>
    app.services.completionImports.importCompletions(system, Readable.from([Buffer.from(text)]), name, 'cli');

  before(async () => {
    app = await startTestApp({ runJobs: false, clock });
    await anInstitution(app);
    registrar = await (await aStaffMember(app, 'registrar')).signIn();
  });
  after(() => app.close());

  test('are taken and counted as graded, pending term end; a term more than an academic year ahead is refused', async () => {
    const program = await aProgram(app);
    const [first, second] = program.courses as [string, string];
    const learner = await aLearner(app, { account: false });
    const id = learner.studentId;
    const csv = [
      'student_id,course_code,term,grade,credits',
      `${id},${first},2026 Spring,A,3`,
      `${id},${second},2026 Fall,B+,3`,
      `${id},${first},2028 Summer,A,3`,
      `${id},${second},2035 Fall,A,3`,
      `${id},${second},2028 Fall,A,3`,
    ].join('\n');
    const result = await importText(csv);
    assert.deepEqual(
      [result.accepted, result.rejected, result.pendingTermEnd],
      [3, 2, 2],
      'the Fall 2026 and Summer 2028 grades are taken and pending',
    );
    const rejected = await app.services.completionImports.reportRows(result.id, {
      outcome: 'rejected',
      limit: 10,
    });
    assert.deepEqual(
      rejected.map((r) => r.rowNumber),
      [5, 6],
    );
    assert.match(rejected[0]!.reason ?? '', /^term "2035 Fall" is more than one academic year ahead/);
    assert.match(rejected[1]!.reason ?? '', /this import takes terms that end by 2028-08-31/);

    const report = textOf((await registrar.get(`/learners/imports/${result.id}`)).body);
    assert.match(report, /2 Graded, pending term end/);
    assert.match(
      report,
      new RegExp(`Graded, pending term end \\(2\\).*3 ${id} ${second} 2026 Fall December 12, 2026`),
    );
    const csvReport = (await registrar.get(`/learners/imports/${result.id}/report.csv`)).body;
    assert.match(csvReport, new RegExp(`3,accepted,,${id},${second},2026 Fall,2026-12-12`));
  });

  test("the learner's progress names a pending grade, and it counts once the term has ended without another import", async () => {
    clock.set('2026-11-25T15:00:00Z');
    const program = await aProgram(app);
    const [first, second] = program.courses as [string, string];
    const learner = await aLearner(app);
    await anEnrolment(app, learner, program);
    await aCompletion(app, learner, first, { term: '2026 Spring', completedOn: '2026-06-12' });
    await importText(
      ['student_id,course_code,term,grade,credits', `${learner.studentId},${second},2026 Fall,A-,3`].join(
        '\n',
      ),
    );

    const browser = await learner.account!.signIn();
    const page = textOf((await browser.get('/progress')).body);
    assert.match(
      page,
      new RegExp(`Graded, pending term end .*${second} \\(2026 Fall\\): counts from December 12, 2026`),
    );
    const before = await app.services.progress.learnerDashboard(learner.account!);
    assert.equal(before.enrolments[0]!.progress.met, false);

    clock.set('2026-12-13T09:00:00Z');
    const after = await app.services.progress.learnerDashboard(learner.account!);
    assert.equal(after.enrolments[0]!.progress.met, true, 'the grade counts from the day after the term');
    assert.deepEqual(after.enrolments[0]!.progress.pendingGrades, []);
    clock.set('2026-11-25T15:00:00Z');
  });
});
