import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { BrowserSession } from '../../test/support/browser-session.ts';
import { aCompletion, aCourse, aLearner, aProgram, aStaffMember } from '../../test/support/builders.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { testBackend } from '../../test/support/test-database.ts';
import { fixedClock } from '../platform/clock.ts';
import { up as upgrade } from '../platform/db/migrations/0067-completions-take-listed-term-names.ts';

/**
 * A completions file names terms the way the institution's student system does, and the registrar's Terms page
 * says what they are: '202609' is Fall 2026, which ends on the day the registrar gave, not on a day we assume.
 */
describe(`a completions import reads the institution's terms on ${testBackend}`, () => {
  let app: TestApp;
  let registrar: BrowserSession;
  // Between the usual last day of a fall term (12 December) and this institution's (18 December).
  const clock = fixedClock('2026-12-15T12:00:00Z');

  before(async () => {
    app = await startTestApp({ clock });
    registrar = await (await aStaffMember(app, 'registrar')).signIn();
  });
  after(() => app.close());

  const importText = (text: string) =>
    app.services.completionImports.importCompletions(
      { system: 'test import' },
      Readable.from([Buffer.from(text)]),
      'sis.csv',
      'cli',
    );

  const storedCompletions = (learnerId: string) =>
    app.database.db
      .selectFrom('completions')
      .select(['course_code as course', 'term', 'completed_on as completedOn'])
      .where('learner_id', '=', learnerId)
      .orderBy('course_code')
      .execute();

  test('with no terms on the Terms page, a term is a year and a season; listing it later relabels what was stored', async () => {
    const who = await aLearner(app, { account: false });
    const course = await aCourse(app);
    const file = (term: string) =>
      `student_id,course_code,term,grade,credits\n${who.studentId},${course.code},${term},A,3\n`;
    const report = await importText(file('2026 Summer'));
    assert.equal(report.accepted, 1);
    assert.deepEqual(await storedCompletions(who.id), [
      { course: course.code, term: '2026 Summer', completedOn: '2026-08-21' },
    ]);
    assert.match(
      (await registrar.get('/admin/terms')).body,
      /Until a term is listed, a term is written as a year/,
    );

    // The registrar lists the term under the institution's own name: the grade stored as '2026 Summer' takes it, so
    // the same grade sent again by code is found, not added a second time.
    const summer = { code: '202606', name: 'Summer 2026', startsOn: '2026-05-11', endsOn: '2026-08-21' };
    assert.equal((await registrar.postForm('/admin/terms', summer)).statusCode, 303);
    assert.deepEqual(await storedCompletions(who.id), [
      { course: course.code, term: 'Summer 2026', completedOn: '2026-08-21' },
    ]);
    const again = await importText(file('202606'));
    assert.equal(again.unchanged, 1);
    assert.equal(again.accepted, 0);
  });

  test('once the registrar has entered terms, they are the only terms, found by code or name, ending when the registrar says', async () => {
    const add = async (code: string, name: string, startsOn: string, endsOn: string) =>
      assert.equal(
        (await registrar.postForm('/admin/terms', { code, name, startsOn, endsOn })).statusCode,
        303,
      );
    await add('202609', 'Fall 2026', '2026-09-08', '2026-12-18');
    await add('202701', 'Winter 2027', '2027-01-06', '2027-04-23');

    const who = await aLearner(app, { account: false });
    const [byCode, byName, unknown] = [await aCourse(app), await aCourse(app), await aCourse(app)];
    const report = await importText(
      [
        'student_id,course_code,term,grade,credits',
        `${who.studentId},${byCode.code},202609,A,3`,
        `${who.studentId},${byName.code},2027 winter,B,3`,
        `${who.studentId},${unknown.code},2026 Spring,A,3`,
      ].join('\n'),
    );
    assert.equal(report.accepted, 2);
    assert.equal(report.rejected, 1);
    assert.deepEqual(
      await storedCompletions(who.id),
      [
        { course: byCode.code, term: 'Fall 2026', completedOn: '2026-12-18' },
        { course: byName.code, term: 'Winter 2027', completedOn: '2027-04-23' },
      ].sort((a, b) => a.course.localeCompare(b.course)),
    );

    const rows = await app.services.completionImports.reportRows(report.id, { limit: 10 });
    const refused = rows.find((r) => r.outcome === 'rejected');
    assert.match(
      refused?.reason ?? '',
      /^term "2026 Spring" is not a term on the Terms page, by its code or its name \(such as "202701" or "Winter 2027"\)/,
    );
    // Fall 2026 ends on the 18th here: on the 15th its grade is on record but does not count yet.
    const fall = rows.find((r) => r.course === byCode.code);
    assert.equal(fall?.countsFrom, '2026-12-18');

    // The same file again, its terms written the other way, changes nothing.
    const again = await importText(
      [
        'student_id,course_code,term,grade,credits',
        `${who.studentId},${byCode.code},Fall 2026,A,3`,
        `${who.studentId},${byName.code},202701,B,3`,
      ].join('\n'),
    );
    assert.equal(again.unchanged, 2);
    assert.equal(again.accepted, 0);

    assert.match((await registrar.get('/admin/terms')).body, /A term that is not on this list is refused/);
    // The upload page says which terms a file may give, and its sample row uses one of them.
    const page = await registrar.get('/learners/imports');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /one of the 3 terms on the registrar['’]s Terms page/);
    // Its sample row names the newest term that has ended: on 15 December 2026, Summer 2026.
    assert.match(page.body, /C00012345,COMM 330,202606,A-,3/);
  });

  test('a renamed term takes its completions along: a file naming it afterwards adds nothing twice', async () => {
    const terms = { code: '202705', name: 'Spring 2027', startsOn: '2027-05-03', endsOn: '2027-06-25' };
    assert.equal((await registrar.postForm('/admin/terms', terms)).statusCode, 303);
    const who = await aLearner(app, { account: false });
    const course = await aCourse(app);
    const file = (term: string) =>
      `student_id,course_code,term,grade,credits\n${who.studentId},${course.code},${term},A,3\n`;
    assert.equal((await importText(file('202705'))).accepted, 1);

    assert.match((await registrar.get('/admin/terms/202705')).body, /a new name replaces the old one/);
    const renamed = await registrar.postForm('/admin/terms/202705', {
      ...terms,
      name: 'Spring Session 2027',
    });
    assert.equal(renamed.statusCode, 303);
    assert.deepEqual(await storedCompletions(who.id), [
      { course: course.code, term: 'Spring Session 2027', completedOn: '2027-06-25' },
    ]);
    const again = await importText(file('202705'));
    assert.equal(again.unchanged, 1);
    assert.equal(again.accepted, 0);
  });

  test("moving a term's last day moves the grades dated by it, and the learners' progress follows", async () => {
    const term = { code: '202610', name: 'Late Fall 2026', startsOn: '2026-10-01', endsOn: '2026-12-20' };
    assert.equal((await registrar.postForm('/admin/terms', term)).statusCode, 303);
    const course = (await aCourse(app, { credits: 3 })).code;
    const program = await aProgram(app, { courses: [course], requirement: { type: 'course', code: course } });
    const [undated, dated] = [await aLearner(app), await aLearner(app)];
    for (const learner of [undated, dated]) {
      await app.services.learners.enrolCurrent(learner.account!, program.slug);
    }
    await importText(
      [
        'student_id,course_code,term,grade,credits,completed_on',
        `${undated.studentId},${course},202610,A,3,`,
        `${dated.studentId},${course},202610,A,3,2026-12-01`,
      ].join('\n'),
    );
    const met = async () =>
      new Map(
        (
          await app.database.db
            .selectFrom('enrolment_progress')
            .select(['learner_id', 'met'])
            .where('program_id', '=', program.id)
            .execute()
        ).map((r) => [r.learner_id, r.met]),
      );
    // On the 15th, a grade dated the 20th does not count yet; one dated the 1st does.
    assert.deepEqual(
      await met(),
      new Map([
        [undated.id, false],
        [dated.id, true],
      ]),
    );

    const moved = await registrar.postForm('/admin/terms/202610', { ...term, endsOn: '2026-12-11' });
    assert.equal(moved.statusCode, 303);
    assert.deepEqual(
      [...(await storedCompletions(undated.id)), ...(await storedCompletions(dated.id))].map(
        (c) => c.completedOn,
      ),
      ['2026-12-11', '2026-12-01'],
    );
    assert.deepEqual(
      await met(),
      new Map([
        [undated.id, true],
        [dated.id, true],
      ]),
    );
  });

  test("an installation's completions stored under a listed term's other spellings take its name on upgrade", async () => {
    // As imports wrote them before they read the Terms page: a year and a season, or the code as the file gave it.
    const who = await aLearner(app, { account: false });
    const [winter, fall, kept] = [await aCourse(app), await aCourse(app), await aCourse(app)];
    await aCompletion(app, who, winter.code, { term: '2027  winter', completedOn: '2027-04-23' });
    await aCompletion(app, who, fall.code, { term: '202609', completedOn: '2026-12-18' });
    await aCompletion(app, who, kept.code, { term: '2019 Fall', completedOn: '2019-12-12' });
    await upgrade(app.database.db as never);
    assert.deepEqual(
      (await storedCompletions(who.id)).map((c) => c.term),
      [
        [winter.code, 'Winter 2027'],
        [fall.code, 'Fall 2026'],
        [kept.code, '2019 Fall'],
      ]
        .sort((a, b) => a[0]!.localeCompare(b[0]!))
        .map(([, term]) => term),
    );
  });
});
